/*
 * completion.h - "wait until this happened".
 *
 * complete() lets one waiter (now or later) through; complete_all() lets
 * every present and future waiter through until reinit_completion().
 * wait_for_completion*() sleep; complete*() may be called from IRQs.
 */
#ifndef FAULTLINE_COMPLETION_H
#define FAULTLINE_COMPLETION_H

#include <wait.h>

#define COMPLETION_ALL	(~0u >> 1)

/* Locking legend: [Q] wait.lock */
struct completion {
	unsigned int done;		/* [Q] completions not yet consumed (COMPLETION_ALL: forever) */
	struct wait_queue_head wait;	/* exclusive waiters */
};

#define COMPLETION_INITIALIZER(n) { 0, WAIT_QUEUE_HEAD_INIT((n).wait) }
#define DECLARE_COMPLETION(n) struct completion n = COMPLETION_INITIALIZER(n)

void __init_completion(struct completion *c, const struct lock_class_key *key);
#define init_completion(c) do {						\
	static struct lock_class_key __key;				\
	__init_completion((c), &__key);					\
} while (0)

void reinit_completion(struct completion *c);
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);			/* Sleeps: yes */
/* Sleeps: yes. 0 on timeout, else jiffies left (>= 1). */
long wait_for_completion_timeout(struct completion *c, long timeout);
bool try_wait_for_completion(struct completion *c);
bool completion_done(struct completion *c);

#endif
