/*
 * rcupdate.h - Read-Copy-Update (kernel/sync/rcu.c, docs/locking.md §RCU).
 *
 * Readers:   rcu_read_lock(); p = rcu_dereference(gp); ... use *p ...; rcu_read_unlock();
 * Updaters:  rcu_assign_pointer(gp, new);      (publish, release order)
 *            synchronize_rcu(); kfree(old);     (wait)   or
 *            call_rcu(&old->rcu, free_old);     (callback after a grace period)
 *
 * Design: non-preemptible ("RCU-sched") RCU. A read-side critical section is
 * a preempt_disable() region, so it may not sleep (might_sleep() panics in
 * one). A CPU passes a quiescent state (QS) when it cannot be inside a
 * reader: at every context switch, and at every timer tick that interrupted
 * code with preempt_count 0 (user mode, the idle loop, ordinary kernel code).
 * A grace period (GP) starts by setting a mask of all online CPUs and ends
 * when each of them has reported a QS after that moment; so every reader
 * that began before the GP has ended. Callbacks queued with call_rcu() run
 * in order in the "rcu_gp" kernel thread once the GP that follows their
 * queuing has ended (they may not sleep). A GP takes one to two ticks.
 */
#ifndef FAULTLINE_RCUPDATE_H
#define FAULTLINE_RCUPDATE_H

#include <types.h>
#include <cpu.h>

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

static inline void rcu_read_lock(void)
{
	preempt_disable();
}

static inline void rcu_read_unlock(void)
{
	preempt_enable();
}

/* A reader section may be active here (debug checks). */
static inline bool rcu_read_lock_held(void)
{
	return preempt_count() > 0;
}

/* Publish p (its initialisation happens before). */
#define rcu_assign_pointer(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
/* Load a pointer published with rcu_assign_pointer (inside rcu_read_lock). */
#define rcu_dereference(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
/* Load it where updates are excluded by a lock (c documents which). */
#define rcu_dereference_protected(p, c)	({ (void)(c); READ_ONCE(p); })

/* Queue func(head) to run after a grace period. Any context but the rq lock.
 * Callbacks run in the rcu_gp thread, in queuing order, and must not sleep. */
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
/* Wait for a full grace period. Sleeps: yes. */
void synchronize_rcu(void);
/* Wait until every callback queued before the call has run. Sleeps: yes. */
void rcu_barrier(void);

/* Hooks: the scheduler (start of __schedule, no locks held, IRQs off) and the tick. */
void rcu_note_context_switch(void);
void rcu_sched_clock_irq(void);
void rcu_init(void);			/* kernel_main, after smp_boot: starts rcu_gp */

struct rcu_stats {
	unsigned long gp_completed;	/* grace periods ended */
	unsigned long cbs_queued;	/* call_rcu calls */
	unsigned long cbs_invoked;	/* callbacks run */
	unsigned long qs_reported;	/* QS that cleared a CPU's bit */
};
void rcu_get_stats(struct rcu_stats *out);

#endif
