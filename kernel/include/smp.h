/*
 * smp.h - bringing up secondary CPUs and cross-CPU function calls.
 *
 * Cross calls run fn(arg) on the target CPU in IRQ context (IRQs off, must
 * not sleep). The caller must have IRQs enabled when wait is true (two CPUs
 * waiting on each other with IRQs off would deadlock); a call to the own
 * CPU runs directly with IRQs off.
 */
#ifndef FAULTLINE_SMP_H
#define FAULTLINE_SMP_H

#include <types.h>
#include <list.h>

struct boot_info;

typedef void (*smp_call_func_t)(void *arg);

/* Locking legend: [C] target's call_lock  [a] atomic  [S] the sender */
struct call_single_data {
	struct list_head node;		/* [C] on the target's call_queue */
	smp_call_func_t func;		/* [S] */
	void *arg;			/* [S] */
	uint32_t busy;			/* [a] 1 from queueing until func returned */
};

#define SMP_CPU_TIMEOUT_NS	(5ULL * 1000000000ULL)	/* per secondary, TCG is slow */

/* Boot CPU: start every other CPU of bi, print "smp: N CPUs online". Sleeps: no. */
void smp_boot(struct boot_info *bi);

/* 0, or -ENODEV if cpu is not online. Sleeps: no (spins when wait). */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *arg, bool wait);
/* Run fn on every online CPU (this one included). */
void on_each_cpu(smp_call_func_t fn, void *arg, bool wait);
/* Halt every other CPU (panic path): IPIs them, waits up to ~1 s, never sleeps. */
void smp_send_stop(void);
/* Ask cpu to run schedule() soon. */
void smp_send_reschedule(unsigned int cpu);

/* do_irq(IRQ_IPI) lands here. */
void handle_ipi(void);

#endif
