/*
 * mutex.h - sleeping mutual exclusion.
 *
 * One owner at a time; contenders sleep in FIFO order and the lock is
 * handed directly to the first waiter on unlock (no barging, no
 * starvation). Only the owner may unlock; recursion and foreign unlocks
 * panic. Sleeps: mutex_lock may; never from IRQ context or under a spinlock.
 * gdb: `p *m` shows owner (struct thread *), owner_pc and the waiters list.
 */
#ifndef FAULTLINE_MUTEX_H
#define FAULTLINE_MUTEX_H

#include <types.h>
#include <list.h>
#include <spinlock.h>

struct thread;

/* Locking legend: [W] wait_lock  [I] set at init */
struct mutex {
	spinlock_t wait_lock;
	struct thread *owner;		/* [W] holder, NULL if free */
	uintptr_t owner_pc;		/* [W] where the holder locked it */
	struct list_head waiters;	/* [W] struct mutex_waiter, FIFO */
	unsigned long contended;	/* [W] acquisitions that had to sleep */
	const char *name;		/* [I] */
	struct lockdep_map dep;		/* [I] lock class */
};

/* Lives on the waiter's stack while it sleeps. */
struct mutex_waiter {
	struct list_head node;		/* [W] on mutex.waiters */
	struct thread *task;		/* [I] */
	bool granted;			/* [W] unlock handed us the mutex */
};

#define MUTEX_INIT(n) { .wait_lock = SPINLOCK_INIT(#n ".wait_lock"), .owner = NULL, \
	.waiters = LIST_HEAD_INIT((n).waiters), .name = #n, .dep = LOCKDEP_MAP_INIT(#n) }
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

void __mutex_init(struct mutex *m, const char *name, const struct lock_class_key *key);
#define mutex_init(m) do {						\
	static struct lock_class_key __key;				\
	__mutex_init((m), #m, &__key);					\
} while (0)

void mutex_lock(struct mutex *m);	/* Sleeps: yes */
bool mutex_trylock(struct mutex *m);	/* Sleeps: no */
void mutex_unlock(struct mutex *m);	/* Sleeps: no */
bool mutex_is_locked(struct mutex *m);
bool mutex_is_locked_by_me(struct mutex *m);
#define mutex_assert_held(m) BUG_ON(!mutex_is_locked_by_me(m))

#endif
