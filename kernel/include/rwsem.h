/*
 * rwsem.h - read/write semaphores with Linux semantics.
 *
 *  - any number of readers share the lock; a writer is exclusive;
 *  - waiters queue FIFO; once anyone waits, new readers queue too, so a
 *    waiting writer blocks later readers (writers cannot starve);
 *  - a release grants the lock to the head of the queue: one writer, or the
 *    run of readers at the head;
 *  - downgrade_write() turns a write hold into a read hold atomically and
 *    lets the readers at the head of the queue in.
 * Sleeps: down_read/down_write may; never from IRQ context or under a spinlock.
 * gdb: `p *sem` shows count (readers, or -1 = writer), owner, and waiters.
 */
#ifndef FAULTLINE_RWSEM_H
#define FAULTLINE_RWSEM_H

#include <types.h>
#include <list.h>
#include <spinlock.h>

struct thread;

#define RWSEM_WRITER_HELD	(-1L)

/* Locking legend: [W] wait_lock  [I] set at init */
struct rw_semaphore {
	spinlock_t wait_lock;
	long count;			/* [W] >0 readers, 0 free, -1 a writer */
	struct thread *owner;		/* [W] the writer, NULL when free or read-held */
	uintptr_t owner_pc;		/* [W] where the writer took it */
	struct thread *last_reader;	/* [W] most recent reader to get it (debug aid) */
	struct list_head waiters;	/* [W] struct rwsem_waiter, FIFO */
	unsigned long contended;	/* [W] acquisitions that had to sleep */
	bool traced;			/* [I] emits TRACE_MMAP_LOCK_* (an mm's mmap_lock) */
	const char *name;		/* [I] */
	struct lockdep_map dep;		/* [I] lock class */
};

enum rwsem_waiter_type { RWSEM_WAITING_FOR_READ, RWSEM_WAITING_FOR_WRITE };

/* Lives on the waiter's stack while it sleeps. */
struct rwsem_waiter {
	struct list_head node;		/* [W] on rw_semaphore.waiters */
	struct thread *task;		/* [I] */
	enum rwsem_waiter_type type;	/* [I] */
	bool granted;			/* [W] the lock was handed to us */
};

#define RWSEM_INIT(n) { .wait_lock = SPINLOCK_INIT(#n ".wait_lock"), .count = 0, \
	.waiters = LIST_HEAD_INIT((n).waiters), .name = #n, .dep = LOCKDEP_MAP_INIT(#n) }
#define DECLARE_RWSEM(n) struct rw_semaphore n = RWSEM_INIT(n)

void __init_rwsem(struct rw_semaphore *s, const char *name, const struct lock_class_key *key);
#define init_rwsem(s) do {						\
	static struct lock_class_key __key;				\
	__init_rwsem((s), #s, &__key);					\
} while (0)

void down_read(struct rw_semaphore *s);		/* Sleeps: yes */
void down_write(struct rw_semaphore *s);	/* Sleeps: yes */
/* A second lock of the same class, in an order the caller keeps (lockdep subclass). */
void down_write_nested(struct rw_semaphore *s, unsigned int subclass);
bool down_read_trylock(struct rw_semaphore *s);
bool down_write_trylock(struct rw_semaphore *s);
void up_read(struct rw_semaphore *s);
void up_write(struct rw_semaphore *s);
void downgrade_write(struct rw_semaphore *s);
bool rwsem_is_locked(struct rw_semaphore *s);
bool rwsem_is_write_locked_by_me(struct rw_semaphore *s);
unsigned int rwsem_nr_waiters(struct rw_semaphore *s);	/* for tests and gdb helpers */

#define rwsem_assert_held(s)		BUG_ON(!rwsem_is_locked(s))
#define rwsem_assert_held_write(s)	BUG_ON(!rwsem_is_write_locked_by_me(s))

#endif
