/*
 * wait.h - wait queues.
 *
 * A waiter queues itself and sets its state under the queue lock, then
 * re-checks its condition before sleeping; a waker changes the condition
 * before calling wake_up(). Either the waiter sees the new condition, or it
 * was queued in time for the wakeup: no lost wakeups.
 *
 * wake_up() wakes every non-exclusive waiter and one exclusive waiter;
 * wake_up_all() wakes everyone. A woken entry is removed from the queue.
 * wait_event*() may sleep: never call them holding a spinlock.
 */
#ifndef FAULTLINE_WAIT_H
#define FAULTLINE_WAIT_H

#include <types.h>
#include <list.h>
#include <spinlock.h>

struct thread;

/* Locking legend: [Q] wait_queue_head.lock */
struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;		/* [Q] struct wait_queue_entry, FIFO */
};
typedef struct wait_queue_head wait_queue_head_t;

#define WQ_FLAG_EXCLUSIVE	0x01

struct wait_queue_entry {
	struct list_head entry;		/* [Q] self-linked when not queued */
	struct thread *task;		/* [I] who to wake */
	unsigned int flags;		/* [I] WQ_FLAG_* */
};

#define WAIT_QUEUE_HEAD_INIT(n) { .lock = SPINLOCK_INIT(#n), .head = LIST_HEAD_INIT((n).head) }
#define DECLARE_WAIT_QUEUE_HEAD(n) struct wait_queue_head n = WAIT_QUEUE_HEAD_INIT(n)

void __init_waitqueue_head(struct wait_queue_head *wq, const char *name,
			   const struct lock_class_key *key);
#define init_waitqueue_head(wq) do {					\
	static struct lock_class_key __key;				\
	__init_waitqueue_head((wq), #wq, &__key);			\
} while (0)

void init_wait_entry(struct wait_queue_entry *w, unsigned int flags);
#define DEFINE_WAIT(name)						\
	struct wait_queue_entry name;					\
	init_wait_entry(&name, 0)

/* Queue w (if not queued) and set the current state; then check, then schedule(). */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, long state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *w,
			       long state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);

void wake_up(struct wait_queue_head *wq);
void wake_up_all(struct wait_queue_head *wq);
void wake_up_nr(struct wait_queue_head *wq, int nr_exclusive);
/* Locks: wq->lock held. */
void __wake_up_locked(struct wait_queue_head *wq, int nr_exclusive);
bool waitqueue_active(struct wait_queue_head *wq);

#define MAX_SCHEDULE_TIMEOUT	__LONG_MAX__
long schedule_timeout(long timeout);	/* <sched.h> */
void schedule(void);

/* Sleeps: yes. */
#define wait_event(wq, cond) do {					\
	if (!(cond)) {							\
		struct wait_queue_entry __w;				\
		init_wait_entry(&__w, 0);				\
		for (;;) {						\
			prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE); \
			if (cond)					\
				break;					\
			schedule();					\
		}							\
		finish_wait(&(wq), &__w);				\
	}								\
} while (0)

/* Sleeps: yes. Returns 0 if timed out with cond false, else the jiffies left (>= 1). */
#define wait_event_timeout(wq, cond, timeout) ({			\
	long __t = (timeout);						\
	if (!(cond)) {							\
		struct wait_queue_entry __w;				\
		init_wait_entry(&__w, 0);				\
		for (;;) {						\
			prepare_to_wait(&(wq), &__w, TASK_UNINTERRUPTIBLE); \
			if (cond) {					\
				if (!__t) __t = 1;			\
				break;					\
			}						\
			if (!__t)					\
				break;					\
			__t = schedule_timeout(__t);			\
		}							\
		finish_wait(&(wq), &__w);				\
	} else if (!__t) {						\
		__t = 1;						\
	}								\
	__t;								\
})

#endif
