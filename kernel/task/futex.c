/*
 * futex.c - FUTEX_WAIT and FUTEX_WAKE.
 *
 * Waiters hang on a hash bucket chosen by their key (futex.h: (mm, address)).
 * No lost wakeups without holding a lock across the user read (which may fault and
 * sleep): a waiter queues itself FIRST, then reads *uaddr. A waker changes the word
 * before calling FUTEX_WAKE, so either the waiter read the new value (-EAGAIN), or it
 * was queued in time to be found. The waker unlinks the entry and sets ->woken under
 * the bucket lock, and a waiter always takes the bucket lock before returning, so the
 * waker is done with the (on-stack) entry by then.
 */
#include <task.h>
#include <futex.h>
#include <uaccess.h>
#include <syscall.h>
#include <ktest.h>
#include <uapi/faultline/futex.h>

#define FUTEX_HASH_BITS	6

/* Locking legend: [B] bucket lock */
struct futex_bucket {
	spinlock_t lock;
	struct list_head chain;		/* [B] struct futex_q */
};

struct futex_q {
	struct list_head node;		/* [B] on the bucket's chain while queued */
	union futex_key key;		/* [I] */
	struct thread *task;		/* [I] the sleeper */
	bool woken;			/* [B] set by the waker as it unlinks us */
};

static struct futex_bucket futex_queues[1 << FUTEX_HASH_BITS];
static bool futex_ready;	/* [a] buckets initialised */
static DEFINE_SPINLOCK(futex_init_lock);

static void futex_init_once(void)
{
	if (__atomic_load_n(&futex_ready, __ATOMIC_ACQUIRE))
		return;
	spin_lock(&futex_init_lock);
	if (!futex_ready) {
		for (unsigned int i = 0; i < ARRAY_SIZE(futex_queues); i++) {
			spin_lock_init(&futex_queues[i].lock, "futex_bucket.lock");
			INIT_LIST_HEAD(&futex_queues[i].chain);
		}
		__atomic_store_n(&futex_ready, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&futex_init_lock);
}

int get_futex_key(struct mm_struct *mm, uintptr_t uaddr, bool shared, union futex_key *key)
{
	if (uaddr & 3)
		return -EINVAL;
	(void)shared;	/* same key for both forms (futex.h) */
	key->private.mm = (uintptr_t)mm;
	key->private.address = uaddr;
	return 0;
}

bool match_futex(const union futex_key *a, const union futex_key *b)
{
	return a->both.word0 == b->both.word0 && a->both.word1 == b->both.word1;
}

static struct futex_bucket *hash_futex(const union futex_key *key)
{
	uint64_t h = key->both.word0 * 0x9e3779b97f4a7c15ULL ^ (key->both.word1 >> 2) *
		     0xc2b2ae3d27d4eb4fULL;

	futex_init_once();
	return &futex_queues[(h >> 32) & ((1 << FUTEX_HASH_BITS) - 1)];
}

int futex_wake_key(const union futex_key *key, int nr)
{
	struct futex_bucket *hb = hash_futex(key);
	struct futex_q *q, *n;
	int woken = 0;

	spin_lock(&hb->lock);
	list_for_each_entry_safe(q, n, &hb->chain, node) {
		if (woken >= nr)
			break;
		if (!match_futex(&q->key, key))
			continue;
		list_del(&q->node);
		WRITE_ONCE(q->woken, true);
		wake_up_state(q->task, TASK_INTERRUPTIBLE);	/* not a fault sleep */
		woken++;
	}
	spin_unlock(&hb->lock);
	return woken;
}

int futex_wake(struct mm_struct *mm, uint32_t *uaddr, int nr)
{
	union futex_key key;

	if (get_futex_key(mm, (uintptr_t)uaddr, true, &key))
		return 0;
	return futex_wake_key(&key, nr);
}

static void queue_me(struct futex_bucket *hb, struct futex_q *q)
{
	spin_lock(&hb->lock);
	list_add_tail(&q->node, &hb->chain);
	spin_unlock(&hb->lock);
}

/* true if a waker took us off the queue. Always synchronises with the waker. */
static bool unqueue_me(struct futex_bucket *hb, struct futex_q *q)
{
	bool woken;

	spin_lock(&hb->lock);
	woken = q->woken;
	if (!woken)
		list_del(&q->node);
	spin_unlock(&hb->lock);
	return woken;
}

/* Sleep until woken, timeout (jiffies; MAX_SCHEDULE_TIMEOUT: none) or a signal. */
static int futex_sleep(struct futex_q *q, long timeout)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (READ_ONCE(q->woken))
			break;
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			return -EINTR;
		}
		if (!timeout) {
			__set_current_state(TASK_RUNNING);
			return -ETIMEDOUT;
		}
		timeout = schedule_timeout(timeout);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static long futex_wait(uint32_t *uaddr, uint32_t val, long timeout)
{
	struct futex_q q = { .task = current };
	struct futex_bucket *hb;
	uint32_t cur;
	int err;

	err = get_futex_key(current->mm, (uintptr_t)uaddr, false, &q.key);
	if (err)
		return err;
	hb = hash_futex(&q.key);
	queue_me(hb, &q);
	if (copy_from_user(&cur, uaddr, sizeof(cur)))
		err = -EFAULT;
	else if (cur != val)
		err = -EAGAIN;
	else
		err = futex_sleep(&q, timeout);
	if (unqueue_me(hb, &q))
		err = 0;	/* a wakeup wins over a timeout or signal that raced it */
	return err;
}

long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct __kernel_timespec *utimeout)
{
	struct __kernel_timespec ts;
	long timeout = MAX_SCHEDULE_TIMEOUT;
	union futex_key key;
	int err;

	switch (op & FUTEX_CMD_MASK) {
	case FUTEX_WAIT:
		if (utimeout) {
			if (copy_from_user(&ts, utimeout, sizeof(ts)))
				return -EFAULT;
			timeout = timespec_to_jiffies_checked(&ts);
			if (timeout < 0)
				return timeout;
		}
		return futex_wait(uaddr, val, timeout);
	case FUTEX_WAKE:
		err = get_futex_key(current->mm, (uintptr_t)uaddr,
				    !(op & FUTEX_PRIVATE_FLAG), &key);
		if (err)
			return err;
		return futex_wake_key(&key, (int)val < 0 ? 0 : (int)val);
	default:
		return -ENOSYS;
	}
}

KTEST(futex_keys)
{
	union futex_key a, b, c;
	struct mm_struct *m1 = (struct mm_struct *)0x1000, *m2 = (struct mm_struct *)0x2000;

	KT_EXPECT_EQ(t, get_futex_key(m1, 0x400002, false, &a), -EINVAL);	/* misaligned */
	KT_ASSERT(t, get_futex_key(m1, 0x400000, false, &a) == 0);
	KT_ASSERT(t, get_futex_key(m1, 0x400000, true, &b) == 0);
	KT_EXPECT(t, match_futex(&a, &b));	/* private and shared forms meet (CLEARTID) */
	KT_ASSERT(t, get_futex_key(m2, 0x400000, false, &c) == 0);
	KT_EXPECT(t, !match_futex(&a, &c));	/* another address space */
	KT_ASSERT(t, get_futex_key(m1, 0x400004, false, &c) == 0);
	KT_EXPECT(t, !match_futex(&a, &c));	/* another word */
}

KTEST(futex_wake_finds_queued_waiter)
{
	struct futex_q q = { .task = current };
	struct futex_bucket *hb;
	union futex_key other;

	KT_ASSERT(t, get_futex_key((struct mm_struct *)0x3000, 0x500000, false, &q.key) == 0);
	KT_ASSERT(t, get_futex_key((struct mm_struct *)0x3000, 0x500004, false, &other) == 0);
	hb = hash_futex(&q.key);
	queue_me(hb, &q);
	KT_EXPECT_EQ(t, futex_wake_key(&other, 1), 0);
	KT_EXPECT_EQ(t, futex_wake_key(&q.key, 0), 0);
	KT_EXPECT_EQ(t, futex_wake_key(&q.key, 5), 1);
	KT_EXPECT(t, q.woken);
	KT_EXPECT(t, unqueue_me(hb, &q));
	KT_EXPECT_EQ(t, futex_wake_key(&q.key, 5), 0);
}

KTEST(futex_timeout_conversion)
{
	struct __kernel_timespec ts = { 0, 1 };

	KT_EXPECT_EQ(t, timespec_to_jiffies_checked(&ts), 1);
	ts = (struct __kernel_timespec){ 1, 0 };
	KT_EXPECT_EQ(t, timespec_to_jiffies_checked(&ts), HZ);
	ts = (struct __kernel_timespec){ 0, 1000000000 };
	KT_EXPECT_EQ(t, timespec_to_jiffies_checked(&ts), -EINVAL);
	ts = (struct __kernel_timespec){ -1, 0 };
	KT_EXPECT_EQ(t, timespec_to_jiffies_checked(&ts), -EINVAL);
}
