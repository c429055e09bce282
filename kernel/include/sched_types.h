/*
 * sched_types.h - scheduler, timer and cross-call state embedded in struct
 * cpu (owned by kernel/sched). See docs/locks.md for the lock order.
 *
 * Locking legend:
 *   [R] rq lock (cpu_sched.lock)     [T] timer_lock      [C] call_lock
 *   [L] owning CPU only, IRQs off    [a] atomic accesses
 */
#ifndef FAULTLINE_SCHED_TYPES_H
#define FAULTLINE_SCHED_TYPES_H

#include <spinlock.h>
#include <list.h>

struct thread;
struct timer_list;

/* Bits of cpu_sched.ipi_pending: why this CPU was sent its IPI. */
#define IPI_RESCHEDULE	(1u << 0)
#define IPI_CALL_FUNC	(1u << 1)
#define IPI_STOP	(1u << 2)

struct cpu_sched {
	/* run queue */
	spinlock_t lock;		/* the rq lock: protects [R] and thread->on_rq/cpu/state changes */
	struct list_head runnable;	/* [R] READY threads, FIFO (the running one is not on it) */
	unsigned int nr_running;	/* [R] (read racily for placement) queued + running, idle excluded */
	bool need_resched;		/* [a] set by tick/wakeup/IPI, cleared by __schedule() */
	int slice_left;			/* [L] ticks left in current's time slice */
	struct thread *switch_prev;	/* [R] the thread we just switched away from */
	uint64_t nr_switches;		/* [R] context switches on this CPU */
	/* timers */
	spinlock_t timer_lock;
	struct list_head timers;	/* [T] pending timers, sorted by expiry */
	struct timer_list *running_timer; /* [T] callback running now (del_timer_sync waits) */
	/* cross-CPU calls */
	spinlock_t call_lock;
	struct list_head call_queue;	/* [C] struct call_single_data to run here */
	uint32_t ipi_pending;		/* [a] IPI_* bits */
	uint64_t nr_ipis;		/* [L] IPIs handled */
	uint64_t nr_ticks;		/* [L] timer ticks handled */
};

#endif
