/*
 * wait.c - wait queues. The queue lock orders "queue myself + set my state"
 * against "dequeue + wake", which is what prevents lost wakeups.
 */
#include <wait.h>
#include <sched.h>

void __init_waitqueue_head(struct wait_queue_head *wq, const char *name,
			   const struct lock_class_key *key)
{
	__spin_lock_init(&wq->lock, name, key);
	INIT_LIST_HEAD(&wq->head);
}

void init_wait_entry(struct wait_queue_entry *w, unsigned int flags)
{
	INIT_LIST_HEAD(&w->entry);
	w->task = current;
	w->flags = flags;
}

static void __prepare(struct wait_queue_head *wq, struct wait_queue_entry *w, long state)
{
	spin_lock(&wq->lock);
	if (list_empty(&w->entry))
		list_add_tail(&w->entry, &wq->head);
	set_current_state(state);
	spin_unlock(&wq->lock);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w, long state)
{
	w->flags &= ~WQ_FLAG_EXCLUSIVE;
	__prepare(wq, w, state);
}

void prepare_to_wait_exclusive(struct wait_queue_head *wq, struct wait_queue_entry *w,
			       long state)
{
	w->flags |= WQ_FLAG_EXCLUSIVE;
	__prepare(wq, w, state);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	__set_current_state(TASK_RUNNING);
	spin_lock(&wq->lock);
	if (!list_empty(&w->entry))
		list_del(&w->entry);
	spin_unlock(&wq->lock);
}

/* Wake all non-exclusive waiters and up to nr_exclusive exclusive ones,
 * removing each from the queue. Locks: wq->lock. */
void __wake_up_locked(struct wait_queue_head *wq, int nr_exclusive)
{
	struct wait_queue_entry *w, *n;

	assert_spin_locked(&wq->lock);
	list_for_each_entry_safe(w, n, &wq->head, entry) {
		struct thread *t = w->task;
		bool excl = w->flags & WQ_FLAG_EXCLUSIVE;

		list_del(&w->entry);
		wake_up_process(t);
		if (excl && --nr_exclusive <= 0)
			break;
	}
}

void wake_up_nr(struct wait_queue_head *wq, int nr_exclusive)
{
	spin_lock(&wq->lock);
	__wake_up_locked(wq, nr_exclusive);
	spin_unlock(&wq->lock);
}

void wake_up(struct wait_queue_head *wq)
{
	wake_up_nr(wq, 1);
}

void wake_up_all(struct wait_queue_head *wq)
{
	wake_up_nr(wq, __INT_MAX__);
}

bool waitqueue_active(struct wait_queue_head *wq)
{
	bool active;

	spin_lock(&wq->lock);
	active = !list_empty(&wq->head);
	spin_unlock(&wq->lock);
	return active;
}
