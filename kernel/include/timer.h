/*
 * timer.h - jiffies and kernel timers.
 *
 * jiffies counts timer ticks (HZ per second) since sched_init; CPU 0's tick
 * advances it. A timer lives on the list of the CPU that set it up (per-CPU
 * sorted list, run from that CPU's tick in IRQ context: callbacks must not
 * sleep). Semantics follow Linux:
 *   timer_setup(t, fn, flags)  once, before use
 *   mod_timer(t, expires)      (re)arm for absolute jiffies; returns 1 if it was pending
 *   del_timer(t)               disarm; returns 1 if it was pending
 *   del_timer_sync(t)          del_timer + wait until a running callback finished
 * A timer fires at the first tick where jiffies >= expires, never earlier.
 */
#ifndef FAULTLINE_TIMER_H
#define FAULTLINE_TIMER_H

#include <types.h>
#include <list.h>

#define HZ		100
#define TICK_NS		(1000000000ULL / HZ)

extern uint64_t jiffies;		/* [a] read with get_jiffies() */

static inline uint64_t get_jiffies(void)
{
	return __atomic_load_n(&jiffies, __ATOMIC_RELAXED);
}

/* Round up: a delay is never shorter than asked. */
static inline uint64_t msecs_to_jiffies(uint64_t ms)
{
	return (ms * HZ + 999) / 1000;
}

static inline bool time_after_eq64(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) >= 0;
}

/* Locking legend: [T] the timer_lock of cpus[cpu]  [I] set by timer_setup */
struct timer_list {
	struct list_head entry;		/* [T] on the CPU's list; self-linked when not pending */
	uint64_t expires;		/* [T] absolute jiffies */
	void (*function)(struct timer_list *t); /* [I] runs in IRQ context */
	unsigned int cpu;		/* [I] whose list it goes on */
	unsigned int flags;		/* [I] reserved (0) */
};

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags);
void timer_setup_on(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int cpu);
int mod_timer(struct timer_list *t, uint64_t expires);
int del_timer(struct timer_list *t);
int del_timer_sync(struct timer_list *t);	/* Sleeps: no, but spins; not from the callback */
bool timer_pending(struct timer_list *t);

/* Called from the tick (kernel/sched). */
void run_local_timers(void);

#endif
