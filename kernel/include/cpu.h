/*
 * cpu.h - the per-CPU structure, preemption control, per-CPU counters.
 *
 * Locking legend for struct cpu:
 *   [I]  set once before the CPU goes online, read-only afterwards
 *   [L]  touched only by the owning CPU with IRQs off
 *   [R]  rq lock (cpu->sched.lock)
 *   [a]  atomic accesses only
 */
#ifndef FAULTLINE_CPU_H
#define FAULTLINE_CPU_H

#include <arch.h>
#include <sched_types.h>
#include <lockdep.h>

struct thread;

struct cpu {
	struct arch_cpu arch;		/* [L] must stay first: arch entry code finds it at offset 0 */
	unsigned int id;		/* [I] logical CPU number, 0 = boot CPU */
	uint64_t hwid;			/* [I] APIC id / MPIDR / hart id */
	bool online;			/* [a] set by the CPU itself in secondary_main() */
	struct thread *curr;		/* [R] thread running here (written under rq lock, read by owner) */
	struct thread *idle;		/* [I] this CPU's idle thread */
	int preempt_count;		/* [L] >0: no preemption (spinlocks held, preempt_disable) */
	int irq_depth;			/* [L] nesting of do_irq() */
	int lockdep_recursion;		/* [L] >0: lockdep hooks are off (inside lockdep/report) */
	struct held_locks irq_held;	/* [L] locks held in IRQ context / before sched_init */
	struct cpu_sched sched;		/* scheduler state, see <sched_types.h> */
};

extern struct cpu cpus[NR_CPUS];
extern unsigned int nr_cpus_possible;	/* [I] CPUs described by the firmware (capped at NR_CPUS) */

static inline struct cpu *this_cpu(void)
{
	return arch_this_cpu();
}

/* Stable only while preemption or IRQs are off. */
static inline unsigned int smp_processor_id(void)
{
	return arch_this_cpu()->id;
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpu < NR_CPUS && __atomic_load_n(&cpus[cpu].online, __ATOMIC_ACQUIRE);
}

unsigned int num_online_cpus(void);

#define for_each_online_cpu(i) \
	for ((i) = 0; (i) < NR_CPUS; (i)++) if (cpu_online(i))

/* ---- preemption ---------------------------------------------------------
 * The count lives in struct cpu. Every context switch happens with it at 1
 * (the rq lock), so a thread finds it as it left it. It is changed with
 * IRQs off so an IRQ cannot migrate us between the read and the write. */
void preempt_schedule(void);	/* kernel/sched: reschedule if allowed */

static inline void preempt_disable(void)
{
	unsigned long f = arch_irq_save();

	this_cpu()->preempt_count++;
	arch_irq_restore(f);
	barrier();
}

static inline void preempt_enable(void)
{
	unsigned long f;
	struct cpu *c;
	bool resched;

	barrier();
	f = arch_irq_save();
	c = this_cpu();
	resched = --c->preempt_count == 0 &&
		  __atomic_load_n(&c->sched.need_resched, __ATOMIC_RELAXED);
	arch_irq_restore(f);
	if (resched && arch_irqs_enabled() && c->irq_depth == 0)
		preempt_schedule();
}

/* Like preempt_enable() but never reschedules (used on the IRQ-off paths). */
static inline void preempt_enable_no_resched(void)
{
	unsigned long f = arch_irq_save();

	this_cpu()->preempt_count--;
	arch_irq_restore(f);
}

static inline int preempt_count(void)
{
	return this_cpu()->preempt_count;
}

/* ---- per-CPU counters ---------------------------------------------------
 * Each CPU adds to its own slot with IRQs off (no shared cache line writes,
 * no atomics); readers sum all slots and get a value that was true at some
 * point during the sum for monotonic counters. */
struct percpu_counter {
	long slot[NR_CPUS];		/* [L] slot[i] written only by CPU i */
};

static inline void percpu_counter_add(struct percpu_counter *pc, long n)
{
	unsigned long f = arch_irq_save();
	long *s = &pc->slot[smp_processor_id()];

	__atomic_store_n(s, *s + n, __ATOMIC_RELAXED);
	arch_irq_restore(f);
}

static inline long percpu_counter_sum(const struct percpu_counter *pc)
{
	long sum = 0;

	for (unsigned int i = 0; i < NR_CPUS; i++)
		sum += __atomic_load_n(&pc->slot[i], __ATOMIC_RELAXED);
	return sum;
}

#endif
