/*
 * rwsem.c - read/write semaphores (Linux semantics, see rwsem.h).
 *
 * Everything happens under wait_lock: count, owner and the FIFO of waiters.
 * A fast acquisition is only allowed when nobody waits, which is what makes
 * a waiting writer block new readers. Releases hand the lock to the head of
 * the queue (rwsem_grant), adjusting count on the waiter's behalf before
 * waking it, so a woken waiter already holds the lock.
 */
#include <rwsem.h>
#include <sched.h>
#include <printk.h>
#include <atomic.h>
#include <trace.h>

/* mmap_lock events (<trace.h>) for the rwsems that ask for them; a0 is the
 * rwsem, which is the mm's address (mmap_lock is its first member). */
static inline void rwsem_trace(struct rw_semaphore *s, enum trace_type type, int mode)
{
	if (s->traced)
		trace_event(type, (uintptr_t)s, (uint64_t)mode);
}

static struct lock_class_key rwsem_wait_lock_key;

void __init_rwsem(struct rw_semaphore *s, const char *name, const struct lock_class_key *key)
{
	__spin_lock_init(&s->wait_lock, "rwsem.wait_lock", &rwsem_wait_lock_key);
	s->count = 0;
	s->owner = NULL;
	s->owner_pc = 0;
	s->last_reader = NULL;
	INIT_LIST_HEAD(&s->waiters);
	s->contended = 0;
	s->traced = false;
	s->name = name;
	lockdep_init_map(&s->dep, name, key);
}

static void set_count(struct rw_semaphore *s, long v)
{
	atomic_store_relaxed(&s->count, v);
}

static void set_owner(struct rw_semaphore *s, struct thread *t)
{
	atomic_store_relaxed(&s->owner, t);
}

/* Locks: wait_lock. */
static void grant_one(struct rwsem_waiter *w)
{
	struct thread *t = w->task;

	list_del(&w->node);
	w->granted = true;
	wake_up_process(t);
}

/* Give the lock to the head of the queue: one writer, or the leading readers.
 * Locks: wait_lock. */
static void rwsem_grant(struct rw_semaphore *s)
{
	while (!list_empty(&s->waiters)) {
		struct rwsem_waiter *w = list_first_entry(&s->waiters, struct rwsem_waiter, node);

		if (w->type == RWSEM_WAITING_FOR_WRITE) {
			if (s->count != 0)
				return;
			set_count(s, RWSEM_WRITER_HELD);
			set_owner(s, w->task);
			grant_one(w);
			return;
		}
		if (s->count < 0)
			return;
		set_count(s, s->count + 1);
		s->last_reader = w->task;
		grant_one(w);
	}
}

/* Queue and sleep until granted. Locks: wait_lock on entry and exit. Sleeps: yes. */
static void rwsem_wait(struct rw_semaphore *s, struct thread *me, enum rwsem_waiter_type type)
{
	struct rwsem_waiter w = { .task = me, .type = type, .granted = false };

	list_add_tail(&w.node, &s->waiters);
	s->contended++;
	atomic_store_relaxed(&me->blocked_on, (const void *)s);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (w.granted)
			break;
		spin_unlock(&s->wait_lock);
		schedule();
		spin_lock(&s->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
	atomic_store_relaxed(&me->blocked_on, (const void *)NULL);
}

static bool read_fast_ok(struct rw_semaphore *s)
{
	return s->count >= 0 && list_empty(&s->waiters);
}

void down_read(struct rw_semaphore *s)
{
	struct thread *me;

	might_sleep();
	me = current;
	lock_acquire(&s->dep, 0, false, true, _RET_IP_);
	spin_lock(&s->wait_lock);
	if (read_fast_ok(s)) {
		set_count(s, s->count + 1);
		s->last_reader = me;
	} else {
		rwsem_trace(s, TRACE_MMAP_LOCK_CONTEND, TRACE_LOCK_READ);
		rwsem_wait(s, me, RWSEM_WAITING_FOR_READ);
	}
	rwsem_trace(s, TRACE_MMAP_LOCK_ACQUIRE, TRACE_LOCK_READ);
	spin_unlock(&s->wait_lock);
}

bool down_read_trylock(struct rw_semaphore *s)
{
	bool ok;

	spin_lock(&s->wait_lock);
	ok = read_fast_ok(s);
	if (ok) {
		set_count(s, s->count + 1);
		s->last_reader = current;
		lock_acquire(&s->dep, 0, true, true, _RET_IP_);
		rwsem_trace(s, TRACE_MMAP_LOCK_ACQUIRE, TRACE_LOCK_READ);
	}
	spin_unlock(&s->wait_lock);
	return ok;
}

static void __down_write(struct rw_semaphore *s, unsigned int subclass, uintptr_t ip)
{
	struct thread *me;

	might_sleep();
	me = current;
	if (atomic_load_relaxed(&s->owner) == me)
		panic("rwsem '%s': recursive down_write at 0x%lx, already taken at 0x%lx",
		      s->name, (unsigned long)ip, (unsigned long)s->owner_pc);
	lock_acquire(&s->dep, subclass, false, false, ip);
	spin_lock(&s->wait_lock);
	if (s->count == 0 && list_empty(&s->waiters)) {
		set_count(s, RWSEM_WRITER_HELD);
		set_owner(s, me);
	} else {
		rwsem_trace(s, TRACE_MMAP_LOCK_CONTEND, TRACE_LOCK_WRITE);
		rwsem_wait(s, me, RWSEM_WAITING_FOR_WRITE);
	}
	rwsem_trace(s, TRACE_MMAP_LOCK_ACQUIRE, TRACE_LOCK_WRITE);
	s->owner_pc = ip;
	spin_unlock(&s->wait_lock);
}

void down_write(struct rw_semaphore *s)
{
	__down_write(s, 0, _RET_IP_);
}

void down_write_nested(struct rw_semaphore *s, unsigned int subclass)
{
	__down_write(s, subclass, _RET_IP_);
}

bool down_write_trylock(struct rw_semaphore *s)
{
	bool ok;

	spin_lock(&s->wait_lock);
	ok = s->count == 0;
	if (ok) {
		set_count(s, RWSEM_WRITER_HELD);
		set_owner(s, current);
		s->owner_pc = _RET_IP_;
		lock_acquire(&s->dep, 0, true, false, _RET_IP_);
		rwsem_trace(s, TRACE_MMAP_LOCK_ACQUIRE, TRACE_LOCK_WRITE);
	}
	spin_unlock(&s->wait_lock);
	return ok;
}

void up_read(struct rw_semaphore *s)
{
	spin_lock(&s->wait_lock);
	if (s->count <= 0)
		panic("rwsem '%s': up_read at 0x%lx but it is not read-held (count %ld)",
		      s->name, (unsigned long)_RET_IP_, s->count);
	lock_release(&s->dep, _RET_IP_);
	rwsem_trace(s, TRACE_MMAP_LOCK_RELEASE, TRACE_LOCK_READ);
	set_count(s, s->count - 1);
	if (s->count == 0)
		rwsem_grant(s);
	spin_unlock(&s->wait_lock);
}

/* Locks: wait_lock. Panics unless the caller is the writer. */
static void check_writer(struct rw_semaphore *s, const char *op, uintptr_t ip)
{
	struct thread *me = current;

	if (s->count != RWSEM_WRITER_HELD || s->owner != me)
		panic("rwsem '%s': %s at 0x%lx by '%s', but the writer is '%s' (count %ld, "
		      "taken at 0x%lx)", s->name, op, (unsigned long)ip, me ? me->name : "?",
		      s->owner ? s->owner->name : "nobody", s->count, (unsigned long)s->owner_pc);
}

void up_write(struct rw_semaphore *s)
{
	spin_lock(&s->wait_lock);
	check_writer(s, "up_write", _RET_IP_);
	lock_release(&s->dep, _RET_IP_);
	rwsem_trace(s, TRACE_MMAP_LOCK_RELEASE, TRACE_LOCK_WRITE);
	set_count(s, 0);
	set_owner(s, NULL);
	rwsem_grant(s);
	spin_unlock(&s->wait_lock);
}

void downgrade_write(struct rw_semaphore *s)
{
	spin_lock(&s->wait_lock);
	check_writer(s, "downgrade_write", _RET_IP_);
	lock_release(&s->dep, _RET_IP_);
	lock_acquire(&s->dep, 0, true, true, _RET_IP_);	/* now a read hold, no new edges */
	rwsem_trace(s, TRACE_MMAP_LOCK_RELEASE, TRACE_LOCK_WRITE);
	rwsem_trace(s, TRACE_MMAP_LOCK_ACQUIRE, TRACE_LOCK_READ);
	set_count(s, 1);
	set_owner(s, NULL);
	s->last_reader = current;
	rwsem_grant(s);
	spin_unlock(&s->wait_lock);
}

bool rwsem_is_locked(struct rw_semaphore *s)
{
	return atomic_load_relaxed(&s->count) != 0;
}

bool rwsem_is_write_locked_by_me(struct rw_semaphore *s)
{
	return atomic_load_relaxed(&s->count) == RWSEM_WRITER_HELD &&
	       atomic_load_relaxed(&s->owner) == current;
}

unsigned int rwsem_nr_waiters(struct rw_semaphore *s)
{
	struct list_head *p;
	unsigned int n = 0;

	spin_lock(&s->wait_lock);
	list_for_each(p, &s->waiters)
		n++;
	spin_unlock(&s->wait_lock);
	return n;
}
