/*
 * sync_test.c - in-kernel tests of the lock primitives, hammered from
 * threads pinned to every online CPU. Every test checks an exact result,
 * and ordering tests use state (waiter counts, completions), never timing.
 */
#include <ktest.h>
#include <sched.h>
#include <mutex.h>
#include <rwsem.h>
#include <seqcount.h>
#include <wait.h>
#include <completion.h>
#include <atomic.h>
#include <string.h>

#define HAMMER_THREADS()	(2 * num_online_cpus())

/* A non-atomic increment with a window: lost updates show without the lock. */
static void slow_inc(unsigned long *p)
{
	unsigned long v = READ_ONCE(*p);

	for (int i = 0; i < 20; i++)
		barrier();
	WRITE_ONCE(*p, v + 1);
}

/* ---- spinlock ------------------------------------------------------------------ */
#define SPIN_ITERS 20000
static struct { spinlock_t lock; unsigned long count; } spin_t;

static void spin_worker(void *arg)
{
	for (int i = 0; i < SPIN_ITERS; i++) {
		spin_lock(&spin_t.lock);
		slow_inc(&spin_t.count);
		spin_unlock(&spin_t.lock);
	}
}

KTEST(spinlock_hammer_all_cpus)
{
	unsigned int n = HAMMER_THREADS();

	spin_lock_init(&spin_t.lock, "spin_test");
	spin_t.count = 0;
	KT_ASSERT(t, run_threads_on_cpus(spin_worker, NULL, n, "kt-spin"));
	KT_EXPECT_EQ(t, spin_t.count, (unsigned long)n * SPIN_ITERS);
	KT_EXPECT(t, !spin_is_locked(&spin_t.lock));
}

KTEST(spinlock_owner_and_trylock)
{
	spinlock_t l;

	spin_lock_init(&l, "spin_owner_test");
	KT_EXPECT(t, !spin_is_locked_by_me(&l));
	spin_lock(&l);
	KT_EXPECT(t, spin_is_locked_by_me(&l));
	KT_EXPECT_EQ(t, spin_owner_cpu(&l), smp_processor_id());
	KT_EXPECT(t, l.owner_pc != 0);
	KT_EXPECT(t, preempt_count() >= 1);
	KT_EXPECT(t, !arch_irqs_enabled());
	spin_unlock(&l);
	KT_EXPECT(t, arch_irqs_enabled());
	KT_EXPECT_EQ(t, spin_owner_cpu(&l), -1);
	KT_EXPECT(t, spin_trylock(&l));
	KT_EXPECT(t, spin_is_locked_by_me(&l));
	spin_unlock(&l);
}

/* The misuse checks behind spin_lock/spin_unlock's panics: recursion on the
 * owning CPU, and unlock by a CPU that is not the owner or of a free lock. */
KTEST(spinlock_detects_recursion_and_wrong_unlock)
{
	unsigned int me, other;
	spinlock_t l;

	spin_lock_init(&l, "spin_misuse_test");
	KT_EXPECT(t, spin_check_acquire(&l, 0) == NULL);
	KT_EXPECT(t, spin_check_release(&l, 0) != NULL);	/* a free lock */
	spin_lock(&l);
	me = smp_processor_id();	/* IRQs are off now: no migration */
	other = (me + 1) % NR_CPUS;
	KT_EXPECT(t, spin_check_acquire(&l, me) != NULL);	/* would recurse */
	KT_EXPECT(t, spin_check_acquire(&l, other) == NULL);	/* others just wait */
	KT_EXPECT(t, spin_check_release(&l, other) != NULL);	/* not the owner */
	KT_EXPECT(t, spin_check_release(&l, me) == NULL);
	spin_unlock(&l);
}

/* ---- mutex ----------------------------------------------------------------------- */
#define MUTEX_ITERS 500
static struct { struct mutex m; unsigned long count; atomic_t inside; atomic_t bad; } mtx_t;

static void mutex_worker(void *arg)
{
	for (int i = 0; i < MUTEX_ITERS; i++) {
		mutex_lock(&mtx_t.m);
		if (atomic_inc_return(&mtx_t.inside) != 1 || !mutex_is_locked_by_me(&mtx_t.m))
			atomic_inc(&mtx_t.bad);
		slow_inc(&mtx_t.count);
		if (i % 16 == 0)
			yield();	/* sleep-side contention: others queue on the mutex */
		atomic_dec(&mtx_t.inside);
		mutex_unlock(&mtx_t.m);
	}
}

KTEST(mutex_hammer_all_cpus)
{
	unsigned int n = HAMMER_THREADS();

	mutex_init(&mtx_t.m);
	mtx_t.count = 0;
	atomic_set(&mtx_t.bad, 0);
	KT_ASSERT(t, run_threads_on_cpus(mutex_worker, NULL, n, "kt-mutex"));
	KT_EXPECT_EQ(t, mtx_t.count, (unsigned long)n * MUTEX_ITERS);
	KT_EXPECT_EQ(t, atomic_read(&mtx_t.bad), 0);
	KT_EXPECT(t, !mutex_is_locked(&mtx_t.m));
	KT_EXPECT(t, list_empty(&mtx_t.m.waiters));
}

/* ---- rwsem ----------------------------------------------------------------------- */
#define RW_ITERS 300
static struct {
	struct rw_semaphore sem;
	unsigned long a, b;		/* writers keep a == b */
	atomic_t readers, writers, bad, idx;
} rw_t;

static void rw_worker(void *arg)
{
	bool writer = atomic_inc_return(&rw_t.idx) % 2;

	for (int i = 0; i < RW_ITERS; i++) {
		if (writer) {
			down_write(&rw_t.sem);
			if (atomic_inc_return(&rw_t.writers) != 1 || atomic_read(&rw_t.readers))
				atomic_inc(&rw_t.bad);
			slow_inc(&rw_t.a);
			WRITE_ONCE(rw_t.b, rw_t.a);
			atomic_dec(&rw_t.writers);
			up_write(&rw_t.sem);
		} else {
			down_read(&rw_t.sem);
			atomic_inc(&rw_t.readers);
			if (atomic_read(&rw_t.writers) || READ_ONCE(rw_t.a) != READ_ONCE(rw_t.b))
				atomic_inc(&rw_t.bad);
			atomic_dec(&rw_t.readers);
			up_read(&rw_t.sem);
		}
		if (i % 32 == 0)
			yield();
	}
}

KTEST(rwsem_hammer_all_cpus)
{
	unsigned int n = HAMMER_THREADS();	/* even: half writers, half readers */

	init_rwsem(&rw_t.sem);
	rw_t.a = rw_t.b = 0;
	atomic_set(&rw_t.bad, 0);
	atomic_set(&rw_t.idx, 0);
	KT_ASSERT(t, run_threads_on_cpus(rw_worker, NULL, n, "kt-rwsem"));
	KT_EXPECT_EQ(t, rw_t.a, (unsigned long)(n / 2) * RW_ITERS);
	KT_EXPECT_EQ(t, atomic_read(&rw_t.bad), 0);
	KT_EXPECT(t, !rwsem_is_locked(&rw_t.sem));
}

/* Wait (sleeping) until sem has n waiters; false after ~10 s. */
static bool wait_for_waiters(struct rw_semaphore *s, unsigned int n)
{
	for (int i = 0; i < 1000; i++) {
		if (rwsem_nr_waiters(s) == n)
			return true;
		msleep(10);
	}
	return false;
}

static struct {
	struct rw_semaphore sem;
	int order[2], pos;		/* who got the lock, in order; [sem] */
	bool writer_inside;
} pref;

static void pref_writer(void *arg)
{
	down_write(&pref.sem);
	pref.order[pref.pos++] = 'W';
	WRITE_ONCE(pref.writer_inside, true);
	msleep(20);		/* the reader must keep waiting: it queued behind us */
	WRITE_ONCE(pref.writer_inside, false);
	up_write(&pref.sem);
}

static void pref_reader(void *arg)
{
	down_read(&pref.sem);
	pref.order[pref.pos++] = READ_ONCE(pref.writer_inside) ? 'X' : 'R';
	up_read(&pref.sem);
}

/* A reader arriving while a writer waits must queue behind the writer. */
KTEST(rwsem_waiting_writer_blocks_new_readers)
{
	struct thread *w, *r;

	init_rwsem(&pref.sem);
	pref.pos = 0;
	down_read(&pref.sem);
	w = kthread_run(pref_writer, NULL, "kt-pref-w");
	KT_ASSERT(t, w);
	KT_ASSERT(t, wait_for_waiters(&pref.sem, 1));	/* writer queued behind our read hold */
	KT_EXPECT(t, !down_read_trylock(&pref.sem));	/* trylock must not jump the writer */
	r = kthread_run(pref_reader, NULL, "kt-pref-r");
	KT_ASSERT(t, r);
	KT_EXPECT(t, wait_for_waiters(&pref.sem, 2));	/* the new reader queued, not admitted */
	KT_EXPECT_EQ(t, pref.sem.count, 1);		/* still only our read hold */
	up_read(&pref.sem);
	thread_join(w);
	thread_join(r);
	KT_EXPECT_EQ(t, pref.pos, 2);
	KT_EXPECT_EQ(t, pref.order[0], 'W');
	KT_EXPECT_EQ(t, pref.order[1], 'R');
}

static struct { struct rw_semaphore sem; struct completion got; } dg;

static void dg_reader(void *arg)
{
	down_read(&dg.sem);
	complete(&dg.got);
	up_read(&dg.sem);
}

KTEST(rwsem_downgrade_admits_readers)
{
	struct thread *r;

	init_rwsem(&dg.sem);
	init_completion(&dg.got);
	down_write(&dg.sem);
	r = kthread_run(dg_reader, NULL, "kt-dg-r");
	KT_ASSERT(t, r);
	KT_ASSERT(t, wait_for_waiters(&dg.sem, 1));
	downgrade_write(&dg.sem);
	/* We still hold it for read, and the reader got in beside us. */
	KT_EXPECT(t, wait_for_completion_timeout(&dg.got, 10 * HZ) > 0);
	KT_EXPECT(t, !down_write_trylock(&dg.sem));
	up_read(&dg.sem);
	thread_join(r);
	KT_EXPECT(t, down_write_trylock(&dg.sem));
	up_write(&dg.sem);
}

/* ---- seqcount -------------------------------------------------------------------- */
#define SEQ_WRITES 20000
static struct {
	spinlock_t lock;
	seqcount_t seq;
	uint64_t x, y;			/* y == ~x always, as seen through the seqcount */
	bool done;
	atomic_t torn, reads, idx;
} sq;

static void seq_worker(void *arg)
{
	if (atomic_inc_return(&sq.idx) == 1) {
		for (uint64_t i = 1; i <= SEQ_WRITES; i++) {
			spin_lock(&sq.lock);
			write_seqcount_begin(&sq.seq);
			WRITE_ONCE(sq.x, i);
			WRITE_ONCE(sq.y, ~i);
			write_seqcount_end(&sq.seq);
			spin_unlock(&sq.lock);
		}
		WRITE_ONCE(sq.done, true);
		return;
	}
	while (!READ_ONCE(sq.done)) {
		uint64_t x, y;
		unsigned int s;

		do {
			s = read_seqcount_begin(&sq.seq);
			x = READ_ONCE(sq.x);
			y = READ_ONCE(sq.y);
		} while (read_seqcount_retry(&sq.seq, s));
		if (y != ~x)
			atomic_inc(&sq.torn);
		atomic_inc(&sq.reads);
	}
}

KTEST(seqcount_readers_never_see_torn_data)
{
	spin_lock_init(&sq.lock, "seq_test");
	seqcount_init(&sq.seq);
	sq.x = 0;
	sq.y = ~0ULL;
	sq.done = false;
	atomic_set(&sq.torn, 0);
	atomic_set(&sq.reads, 0);
	atomic_set(&sq.idx, 0);
	KT_ASSERT(t, run_threads_on_cpus(seq_worker, NULL, num_online_cpus() + 1, "kt-seq"));
	KT_EXPECT_EQ(t, atomic_read(&sq.torn), 0);
	KT_EXPECT_EQ(t, sq.x, SEQ_WRITES);
	KT_EXPECT_EQ(t, sq.seq.sequence, 2 * SEQ_WRITES);
	KT_EXPECT(t, atomic_read(&sq.reads) > 0);
}

/* ---- wait queues ----------------------------------------------------------------- */
#define PINGPONG_ROUNDS 1000
static struct {
	struct wait_queue_head wq;
	atomic_t turn;			/* even: ping's move, odd: pong's */
	atomic_t timeouts, idx;
} pp;

static void pingpong_worker(void *arg)
{
	int me = atomic_inc_return(&pp.idx) - 1;	/* 0 = ping, 1 = pong */

	for (int i = 0; i < PINGPONG_ROUNDS; i++) {
		/* A lost wakeup leaves us stuck until the 10 s timeout: counted. */
		if (!wait_event_timeout(pp.wq, atomic_read(&pp.turn) % 2 == me, 10 * HZ)) {
			atomic_inc(&pp.timeouts);
			return;
		}
		atomic_inc(&pp.turn);
		wake_up_all(&pp.wq);
	}
}

KTEST(waitqueue_pingpong_no_lost_wakeups)
{
	init_waitqueue_head(&pp.wq);
	atomic_set(&pp.turn, 0);
	atomic_set(&pp.timeouts, 0);
	atomic_set(&pp.idx, 0);
	KT_ASSERT(t, run_threads_on_cpus(pingpong_worker, NULL, 2, "kt-pingpong"));
	KT_EXPECT_EQ(t, atomic_read(&pp.timeouts), 0);
	KT_EXPECT_EQ(t, atomic_read(&pp.turn), 2 * PINGPONG_ROUNDS);
	KT_EXPECT(t, !waitqueue_active(&pp.wq));
}

/* ---- completions ------------------------------------------------------------------ */
static struct { struct completion go, done; atomic_t passed; } cm;

static void completion_worker(void *arg)
{
	wait_for_completion(&cm.go);
	atomic_inc(&cm.passed);
	complete(&cm.done);
}

KTEST(completion_semantics)
{
	unsigned int n = num_online_cpus() * 2;

	init_completion(&cm.go);
	init_completion(&cm.done);
	atomic_set(&cm.passed, 0);
	KT_EXPECT_EQ(t, wait_for_completion_timeout(&cm.go, 2), 0);	/* times out */
	complete(&cm.go);					/* counted before anyone waits */
	KT_EXPECT(t, try_wait_for_completion(&cm.go));
	KT_EXPECT(t, !try_wait_for_completion(&cm.go));
	complete_all(&cm.go);					/* lets every waiter through */
	KT_ASSERT(t, run_threads_on_cpus(completion_worker, NULL, n, "kt-compl"));
	KT_EXPECT_EQ(t, atomic_read(&cm.passed), n);
	for (unsigned int i = 0; i < n; i++)
		KT_EXPECT(t, try_wait_for_completion(&cm.done));
	KT_EXPECT(t, !completion_done(&cm.done));
}

/* ---- lockdep --------------------------------------------------------------------- */
#ifdef CONFIG_DEBUG
static struct lockdep_map ld_a = LOCKDEP_MAP_INIT("kt_ld_A");
static struct lockdep_map ld_b = LOCKDEP_MAP_INIT("kt_ld_B");
static struct lockdep_map ld_c = LOCKDEP_MAP_INIT("kt_ld_C");

static void take2(struct lockdep_map *x, uintptr_t xip, struct lockdep_map *y, uintptr_t yip)
{
	lock_acquire(x, 0, false, false, xip);
	lock_acquire(y, 0, false, false, yip);
	lock_release(y, yip);
	lock_release(x, xip);
}

/* A->B and B->C recorded; taking A while holding C closes the cycle. */
KTEST(lockdep_reports_chain_inversion_with_sites)
{
	int before = lockdep_last_report.count;

	printk("ktest: the lockdep report below is expected\n");
	lockdep_report_only = true;
	take2(&ld_a, 0x1100, &ld_b, 0x1200);
	take2(&ld_b, 0x1300, &ld_c, 0x1400);
	KT_EXPECT_EQ(t, lockdep_last_report.count, before);
	take2(&ld_c, 0x1500, &ld_a, 0x1600);
	lockdep_report_only = false;
	KT_ASSERT_EQ(t, lockdep_last_report.count, before + 1);
	KT_EXPECT_EQ(t, lockdep_last_report.held_ip, 0x1500);
	KT_EXPECT_EQ(t, lockdep_last_report.new_ip, 0x1600);
	KT_EXPECT_EQ(t, lockdep_last_report.prev_from_ip, 0x1100);
	KT_EXPECT_EQ(t, lockdep_last_report.prev_to_ip, 0x1200);
}

static __attribute__((noinline)) void lock_two(spinlock_t *x, spinlock_t *y)
{
	spin_lock(x);
	spin_lock(y);
	spin_unlock(y);
	spin_unlock(x);
}

static __attribute__((noinline)) void lock_two_reversed(spinlock_t *x, spinlock_t *y)
{
	spin_lock(y);
	spin_lock(x);
	spin_unlock(x);
	spin_unlock(y);
}

static bool ip_in(uintptr_t ip, void *fn)
{
	return ip > (uintptr_t)fn && ip < (uintptr_t)fn + 512;
}

KTEST(lockdep_spinlock_abba_names_both_sites)
{
	static DEFINE_SPINLOCK(kt_abba_A);
	static DEFINE_SPINLOCK(kt_abba_B);
	static DEFINE_SPINLOCK(kt_ok_C);
	static DEFINE_SPINLOCK(kt_ok_D);
	int before = lockdep_last_report.count;
	struct lockdep_report *r = &lockdep_last_report;

	lockdep_report_only = true;
	lock_two(&kt_ok_C, &kt_ok_D);			/* consistent order: never flagged */
	lock_two(&kt_ok_C, &kt_ok_D);
	KT_EXPECT_EQ(t, r->count, before);
	lock_two(&kt_abba_A, &kt_abba_B);		/* records A -> B */
	KT_EXPECT_EQ(t, r->count, before);
	printk("ktest: the lockdep report below is expected\n");
	lock_two_reversed(&kt_abba_A, &kt_abba_B);	/* B then A: inversion */
	lockdep_report_only = false;
	KT_ASSERT_EQ(t, r->count, before + 1);
	KT_EXPECT(t, !strcmp(r->held_name, "kt_abba_B"));
	KT_EXPECT(t, !strcmp(r->new_name, "kt_abba_A"));
	KT_EXPECT(t, ip_in(r->held_ip, lock_two_reversed));	/* B taken here ... */
	KT_EXPECT(t, ip_in(r->new_ip, lock_two_reversed));	/* ... then A, here */
	KT_EXPECT(t, r->held_ip < r->new_ip);
	KT_EXPECT(t, ip_in(r->prev_from_ip, lock_two));		/* the earlier A ... */
	KT_EXPECT(t, ip_in(r->prev_to_ip, lock_two));		/* ... then B */
	KT_EXPECT(t, r->prev_from_ip < r->prev_to_ip);
}
#endif
