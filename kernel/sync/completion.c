/*
 * completion.c - completions on top of a wait queue. done counts the
 * complete() calls not yet consumed by a waiter; all under wait.lock.
 */
#include <completion.h>
#include <sched.h>

static struct lock_class_key completion_lock_key;

void __init_completion(struct completion *c, const struct lock_class_key *key)
{
	c->done = 0;
	__init_waitqueue_head(&c->wait, "completion.wait", key ? key : &completion_lock_key);
}

void reinit_completion(struct completion *c)
{
	spin_lock(&c->wait.lock);
	c->done = 0;
	spin_unlock(&c->wait.lock);
}

void complete(struct completion *c)
{
	spin_lock(&c->wait.lock);
	if (c->done != COMPLETION_ALL)
		c->done++;
	__wake_up_locked(&c->wait, 1);
	spin_unlock(&c->wait.lock);
}

void complete_all(struct completion *c)
{
	spin_lock(&c->wait.lock);
	c->done = COMPLETION_ALL;
	__wake_up_locked(&c->wait, __INT_MAX__);
	spin_unlock(&c->wait.lock);
}

/* Sleep until done or timeout. Locks: wait.lock on entry and exit. */
static long wait_done(struct completion *c, long timeout)
{
	struct wait_queue_entry w;

	init_wait_entry(&w, WQ_FLAG_EXCLUSIVE);
	while (!c->done && timeout) {
		if (list_empty(&w.entry))
			list_add_tail(&w.entry, &c->wait.head);
		set_current_state(TASK_UNINTERRUPTIBLE);
		spin_unlock(&c->wait.lock);
		timeout = schedule_timeout(timeout);
		spin_lock(&c->wait.lock);
	}
	if (!list_empty(&w.entry))
		list_del(&w.entry);
	__set_current_state(TASK_RUNNING);
	return timeout;
}

long wait_for_completion_timeout(struct completion *c, long timeout)
{
	might_sleep();
	spin_lock(&c->wait.lock);
	if (!c->done)
		timeout = wait_done(c, timeout);
	if (!c->done) {
		spin_unlock(&c->wait.lock);
		return 0;
	}
	if (c->done != COMPLETION_ALL)
		c->done--;
	spin_unlock(&c->wait.lock);
	return timeout ? timeout : 1;
}

void wait_for_completion(struct completion *c)
{
	wait_for_completion_timeout(c, MAX_SCHEDULE_TIMEOUT);
}

bool try_wait_for_completion(struct completion *c)
{
	bool ok;

	spin_lock(&c->wait.lock);
	ok = c->done != 0;
	if (ok && c->done != COMPLETION_ALL)
		c->done--;
	spin_unlock(&c->wait.lock);
	return ok;
}

bool completion_done(struct completion *c)
{
	bool done;

	spin_lock(&c->wait.lock);
	done = c->done != 0;
	spin_unlock(&c->wait.lock);
	return done;
}
