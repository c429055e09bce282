/*
 * cpu.h - the per-CPU structure.
 *
 * Locking legend for struct cpu:
 *   [I]  set once before the CPU goes online, read-only afterwards
 *   [L]  touched only by the owning CPU with IRQs off
 *   [R]  rq.lock (the run-queue spinlock)
 *   [a]  atomic accesses only
 */
#ifndef FAULTLINE_CPU_H
#define FAULTLINE_CPU_H

#include <arch.h>
#include <sched_types.h>

struct thread;

struct cpu {
	struct arch_cpu arch;		/* [L] must stay first: arch entry code finds it at offset 0 */
	unsigned int id;		/* [I] logical CPU number, 0 = boot CPU */
	uint64_t hwid;			/* [I] APIC id / MPIDR / hart id */
	bool online;			/* [a] set by the CPU itself in secondary_main() */
	struct thread *current;		/* [L] thread running here */
	struct thread *idle;		/* [I] this CPU's idle thread */
	int preempt_count;		/* [L] >0: no preemption (spinlocks, IRQs) */
	int irq_depth;			/* [L] nesting of do_irq() */
	struct cpu_sched sched;		/* scheduler state, see <sched_types.h> */
};

extern struct cpu cpus[NR_CPUS];
extern unsigned int nr_cpus_possible;	/* [I] CPUs described by the firmware (capped at NR_CPUS) */

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

static inline unsigned int smp_processor_id(void)
{
	return arch_this_cpu()->id;
}

#endif
