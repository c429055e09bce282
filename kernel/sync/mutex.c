/*
 * mutex.c - sleeping mutex with FIFO hand-off.
 *
 * wait_lock protects owner and the waiter list. A contended locker queues
 * a mutex_waiter on its stack and sleeps until mutex_unlock() makes it the
 * owner (granted = true) and wakes it, so the lock never goes to a late
 * arrival while someone waits.
 */
#include <mutex.h>
#include <sched.h>
#include <printk.h>
#include <atomic.h>

static struct lock_class_key mutex_wait_lock_key;

void __mutex_init(struct mutex *m, const char *name, const struct lock_class_key *key)
{
	__spin_lock_init(&m->wait_lock, "mutex.wait_lock", &mutex_wait_lock_key);
	m->owner = NULL;
	m->owner_pc = 0;
	INIT_LIST_HEAD(&m->waiters);
	m->contended = 0;
	m->name = name;
	lockdep_init_map(&m->dep, name, key);
}

/* Sleep until granted. Locks: wait_lock held on entry and exit. Sleeps: yes. */
static void mutex_wait(struct mutex *m, struct thread *me)
{
	struct mutex_waiter w = { .task = me, .granted = false };

	list_add_tail(&w.node, &m->waiters);
	m->contended++;
	atomic_store_relaxed(&me->blocked_on, (const void *)m);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (w.granted)
			break;
		spin_unlock(&m->wait_lock);
		schedule();
		spin_lock(&m->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
	atomic_store_relaxed(&me->blocked_on, (const void *)NULL);
}

void mutex_lock(struct mutex *m)
{
	uintptr_t ip = _RET_IP_;
	struct thread *me;

	might_sleep();
	me = current;
	if (atomic_load_relaxed(&m->owner) == me)
		panic("mutex '%s': recursive mutex_lock at 0x%lx, already taken at 0x%lx",
		      m->name, (unsigned long)ip, (unsigned long)m->owner_pc);
	lock_acquire(&m->dep, 0, false, false, ip);
	spin_lock(&m->wait_lock);
	if (m->owner)
		mutex_wait(m, me);	/* returns as the owner */
	else
		atomic_store_relaxed(&m->owner, me);
	m->owner_pc = ip;
	spin_unlock(&m->wait_lock);
}

bool mutex_trylock(struct mutex *m)
{
	struct thread *me = current;
	bool ok;

	spin_lock(&m->wait_lock);
	ok = m->owner == NULL;
	if (ok) {
		atomic_store_relaxed(&m->owner, me);
		m->owner_pc = _RET_IP_;
		lock_acquire(&m->dep, 0, true, false, _RET_IP_);
	}
	spin_unlock(&m->wait_lock);
	return ok;
}

void mutex_unlock(struct mutex *m)
{
	struct thread *me = current;

	spin_lock(&m->wait_lock);
	if (m->owner != me)
		panic("mutex '%s': unlocked at 0x%lx by '%s', but owned by '%s' (locked at 0x%lx)",
		      m->name, (unsigned long)_RET_IP_, me ? me->name : "?",
		      m->owner ? m->owner->name : "nobody", (unsigned long)m->owner_pc);
	lock_release(&m->dep, _RET_IP_);
	if (list_empty(&m->waiters)) {
		atomic_store_relaxed(&m->owner, (struct thread *)NULL);
	} else {
		struct mutex_waiter *w = list_first_entry(&m->waiters, struct mutex_waiter, node);
		struct thread *t = w->task;

		list_del(&w->node);
		atomic_store_relaxed(&m->owner, t);
		w->granted = true;
		wake_up_process(t);
	}
	spin_unlock(&m->wait_lock);
}

bool mutex_is_locked(struct mutex *m)
{
	return atomic_load_relaxed(&m->owner) != NULL;
}

bool mutex_is_locked_by_me(struct mutex *m)
{
	return atomic_load_relaxed(&m->owner) == current;
}
