/*
 * rcu_test.c - RCU: a reader spanning a grace period keeps its object, a
 * callback waits for every pre-existing reader, call_rcu from all CPUs.
 * Ordering is checked with state (flags the readers set inside their
 * sections), not timing; the busy waits only keep readers inside.
 */
#include <ktest.h>
#include <rcupdate.h>
#include <sched.h>
#include <slab.h>
#include <atomic.h>
#include <string.h>

#define SPIN_LIMIT_NS	3000000000ULL	/* a reader gives up after 3 s (a failing test, not a hang) */

struct rcu_obj {
	struct rcu_head rcu;
	int alive;			/* 1 until freed by the callback */
};

static struct {
	struct rcu_obj *gp;		/* the published pointer */
	int reader_in;			/* [a] reader is inside its section */
	int writer_started;		/* [a] writer unpublished and started waiting */
	int reader_saw_alive;		/* [a] */
	int reader_done;		/* [a] set inside the section, just before unlock */
	int timed_out;			/* [a] */
} span;

static bool spin_until(int *flag, uint64_t start)
{
	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (arch_time_ns() - start > SPIN_LIMIT_NS)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static void span_reader(void *arg)
{
	uint64_t t0;
	struct rcu_obj *p;

	(void)arg;
	rcu_read_lock();
	p = rcu_dereference(span.gp);
	__atomic_store_n(&span.reader_in, 1, __ATOMIC_RELEASE);
	t0 = arch_time_ns();
	if (!spin_until(&span.writer_started, t0))
		__atomic_store_n(&span.timed_out, 1, __ATOMIC_RELAXED);
	/* stay inside for a few ticks after the writer started waiting */
	while (arch_time_ns() - t0 < 50000000ULL)
		arch_cpu_relax();
	__atomic_store_n(&span.reader_saw_alive, p && READ_ONCE(p->alive), __ATOMIC_RELAXED);
	__atomic_store_n(&span.reader_done, 1, __ATOMIC_RELEASE);
	rcu_read_unlock();
}

KTEST(rcu_reader_spans_grace_period)
{
	struct rcu_obj *o = kzalloc(sizeof(*o));
	struct thread *r;
	unsigned int me;

	KT_ASSERT(t, num_online_cpus() >= 2);
	KT_ASSERT(t, o != NULL);
	memset(&span, 0, sizeof(span));
	o->alive = 1;
	rcu_assign_pointer(span.gp, o);
	me = smp_processor_id();
	r = kthread_create(span_reader, NULL, "kt-rcu-reader");
	KT_ASSERT(t, r != NULL);
	kthread_bind(r, (me + 1) % num_online_cpus());
	wake_up_new_thread(r);
	while (!__atomic_load_n(&span.reader_in, __ATOMIC_ACQUIRE))
		msleep(1);
	rcu_assign_pointer(span.gp, NULL);
	__atomic_store_n(&span.writer_started, 1, __ATOMIC_RELEASE);
	synchronize_rcu();
	/* The reader began before the GP: it must have finished its section. */
	KT_EXPECT_EQ(t, __atomic_load_n(&span.reader_done, __ATOMIC_ACQUIRE), 1);
	KT_EXPECT_EQ(t, span.reader_saw_alive, 1);
	KT_EXPECT_EQ(t, span.timed_out, 0);
	o->alive = 0;
	kfree(o);
	thread_join(r);
}

/* ---- callbacks wait for every pre-existing reader ---- */
#define NR_HOLDERS_MAX 8
static struct {
	int inside;			/* [a] readers inside their section now */
	int release;			/* [a] readers may leave */
	int cb_ran;			/* [a] */
	int inside_at_cb;		/* [a] readers inside when the callback ran */
	int timed_out;			/* [a] */
	struct rcu_head head;
} cbw;

static void holder(void *arg)
{
	(void)arg;
	rcu_read_lock();
	__atomic_fetch_add(&cbw.inside, 1, __ATOMIC_SEQ_CST);
	if (!spin_until(&cbw.release, arch_time_ns()))
		__atomic_store_n(&cbw.timed_out, 1, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&cbw.inside, 1, __ATOMIC_SEQ_CST);
	rcu_read_unlock();
}

static void cbw_cb(struct rcu_head *h)
{
	(void)h;
	__atomic_store_n(&cbw.inside_at_cb, __atomic_load_n(&cbw.inside, __ATOMIC_SEQ_CST),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&cbw.cb_ran, 1, __ATOMIC_RELEASE);
}

KTEST(rcu_callback_after_all_readers)
{
	struct thread *th[NR_HOLDERS_MAX];
	unsigned int n = num_online_cpus() - 1, i, me = smp_processor_id();
	int cb_before;

	KT_ASSERT(t, n >= 1 && n <= NR_HOLDERS_MAX);
	memset(&cbw, 0, sizeof(cbw));
	for (i = 0; i < n; i++) {
		th[i] = kthread_create(holder, NULL, "kt-rcu-hold");
		KT_ASSERT(t, th[i] != NULL);
		kthread_bind(th[i], (me + 1 + i) % num_online_cpus());
		wake_up_new_thread(th[i]);
	}
	while (__atomic_load_n(&cbw.inside, __ATOMIC_SEQ_CST) < (int)n)
		msleep(1);
	call_rcu(&cbw.head, cbw_cb);
	msleep(60);			/* several ticks: a broken GP would end here */
	cb_before = __atomic_load_n(&cbw.cb_ran, __ATOMIC_ACQUIRE);
	__atomic_store_n(&cbw.release, 1, __ATOMIC_RELEASE);
	rcu_barrier();
	KT_EXPECT_EQ(t, cb_before, 0);
	KT_EXPECT_EQ(t, __atomic_load_n(&cbw.cb_ran, __ATOMIC_ACQUIRE), 1);
	KT_EXPECT_EQ(t, cbw.inside_at_cb, 0);
	KT_EXPECT_EQ(t, cbw.timed_out, 0);
	for (i = 0; i < n; i++)
		thread_join(th[i]);
}

/* ---- many call_rcu from all CPUs ---- */
#define CBS_PER_THREAD 2000
static atomic_t storm_freed;

static void storm_cb(struct rcu_head *h)
{
	struct rcu_obj *o = container_of(h, struct rcu_obj, rcu);

	if (o->alive != 1)
		panic("rcu storm: callback ran twice or on a bad object");
	o->alive = 0;
	kfree(o);
	atomic_inc(&storm_freed);
}

static void storm_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < CBS_PER_THREAD; i++) {
		struct rcu_obj *o = kmalloc(sizeof(*o));

		if (!o)
			break;
		o->alive = 1;
		call_rcu(&o->rcu, storm_cb);
		if (i % 256 == 0)
			yield();
	}
}

KTEST(rcu_call_rcu_storm_all_cpus)
{
	unsigned int n = 2 * num_online_cpus();
	struct rcu_stats before, after;

	rcu_get_stats(&before);
	atomic_set(&storm_freed, 0);
	KT_ASSERT(t, run_threads_on_cpus(storm_worker, NULL, n, "kt-rcu-storm"));
	rcu_barrier();
	rcu_get_stats(&after);
	KT_EXPECT_EQ(t, atomic_read(&storm_freed), (int)(n * CBS_PER_THREAD));
	KT_EXPECT(t, after.gp_completed > before.gp_completed);
	KT_EXPECT(t, after.cbs_invoked - before.cbs_invoked >= n * CBS_PER_THREAD);
}

KTEST(rcu_synchronize_is_a_grace_period)
{
	struct rcu_stats a, b;

	rcu_get_stats(&a);
	synchronize_rcu();
	rcu_get_stats(&b);
	KT_EXPECT(t, b.gp_completed >= a.gp_completed + 1);
}
