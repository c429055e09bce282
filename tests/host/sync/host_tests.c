/*
 * host_tests.c - stress tests of kernel/sync on pthreads, run under TSan.
 * Each test checks an exact result; ordering tests poll state, not time.
 */
#include <sched.h>
#include <mutex.h>
#include <rwsem.h>
#include <seqcount.h>
#include <wait.h>
#include <completion.h>
#include <atomic.h>
#include "host.h"

#define NCPU	4

static int passed, failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		printk("  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
		ok = false;						\
	}								\
} while (0)

static void run(const char *name, bool (*fn)(void))
{
	bool ok = fn();

	printk("%s %s\n", ok ? "ok  " : "FAIL", name);
	if (ok)
		passed++;
	else
		failed++;
}

/* ---- spinlock -------------------------------------------------------------- */
static spinlock_t slock;
static unsigned long scount;

static void spin_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	for (int i = 0; i < 20000; i++) {
		spin_lock(&slock);
		scount++;
		spin_unlock(&slock);
	}
}

static bool test_spinlock(void)
{
	bool ok = true;

	spin_lock_init(&slock, "host_spin");
	host_run_threads(NCPU, spin_cpu, NULL);
	CHECK(scount == NCPU * 20000UL);
	CHECK(!spin_is_locked(&slock));
	return ok;
}

/* ---- mutex ------------------------------------------------------------------ */
static struct mutex mtx;
static unsigned long mcount;
static atomic_t minside, mbad;

static void mutex_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	for (int i = 0; i < 5000; i++) {
		mutex_lock(&mtx);
		if (atomic_inc_return(&minside) != 1)
			atomic_inc(&mbad);
		mcount++;
		atomic_dec(&minside);
		mutex_unlock(&mtx);
	}
}

static bool test_mutex(void)
{
	bool ok = true;

	mutex_init(&mtx);
	host_run_threads(NCPU, mutex_cpu, NULL);
	CHECK(mcount == NCPU * 5000UL);
	CHECK(atomic_read(&mbad) == 0);
	CHECK(!mutex_is_locked(&mtx) && list_empty(&mtx.waiters));
	return ok;
}

/* ---- rwsem ------------------------------------------------------------------- */
static struct rw_semaphore rw;
static unsigned long ra, rb;
static atomic_t rreaders, rwriters, rbad;

static void rw_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	for (int i = 0; i < 3000; i++) {
		if (cpu % 2 == 0) {
			down_write(&rw);
			if (atomic_inc_return(&rwriters) != 1 || atomic_read(&rreaders))
				atomic_inc(&rbad);
			ra++;
			rb = ra;
			atomic_dec(&rwriters);
			if (i % 100 == 0) {
				downgrade_write(&rw);
				if (ra != rb)
					atomic_inc(&rbad);
				up_read(&rw);
			} else {
				up_write(&rw);
			}
		} else {
			down_read(&rw);
			atomic_inc(&rreaders);
			if (atomic_read(&rwriters) || ra != rb)
				atomic_inc(&rbad);
			atomic_dec(&rreaders);
			up_read(&rw);
		}
	}
}

static bool test_rwsem(void)
{
	bool ok = true;

	init_rwsem(&rw);
	host_run_threads(NCPU, rw_cpu, NULL);
	CHECK(ra == (NCPU / 2) * 3000UL);
	CHECK(atomic_read(&rbad) == 0);
	CHECK(!rwsem_is_locked(&rw));
	return ok;
}

/* cpu0 holds read; cpu1 queues a writer; cpu2's reader must queue behind it. */
static struct rw_semaphore pref;
static atomic_t pref_step;
static char pref_order[3];
static atomic_t pref_pos;

static void wait_waiters(unsigned int n)
{
	while (rwsem_nr_waiters(&pref) != n)
		host_relax();
}

static void pref_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	if (cpu == 0) {
		down_read(&pref);
		atomic_set(&pref_step, 1);
		wait_waiters(1);
		atomic_set(&pref_step, 2);
		wait_waiters(2);
		pref_order[atomic_inc_return(&pref_pos) - 1] = 'r';
		up_read(&pref);
	} else if (cpu == 1) {
		while (atomic_read(&pref_step) < 1)
			host_relax();
		down_write(&pref);
		pref_order[atomic_inc_return(&pref_pos) - 1] = 'W';
		up_write(&pref);
	} else {
		while (atomic_read(&pref_step) < 2)
			host_relax();
		down_read(&pref);
		pref_order[atomic_inc_return(&pref_pos) - 1] = 'R';
		up_read(&pref);
	}
}

static bool test_rwsem_writer_preference(void)
{
	bool ok = true;

	init_rwsem(&pref);
	host_run_threads(3, pref_cpu, NULL);
	CHECK(pref_order[0] == 'r' && pref_order[1] == 'W' && pref_order[2] == 'R');
	return ok;
}

/* ---- seqcount ---------------------------------------------------------------- */
static spinlock_t sqlock;
static seqcount_t sq;
static uint64_t sx, sy;
static atomic_t sq_done, sq_torn;

static void seq_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	if (cpu == 0) {
		for (uint64_t i = 1; i <= 50000; i++) {
			spin_lock(&sqlock);
			write_seqcount_begin(&sq);
			atomic_store_relaxed(&sx, i);
			atomic_store_relaxed(&sy, ~i);
			write_seqcount_end(&sq);
			spin_unlock(&sqlock);
		}
		atomic_set(&sq_done, 1);
		return;
	}
	while (!atomic_read(&sq_done)) {
		uint64_t x, y;
		unsigned int s;

		do {
			s = read_seqcount_begin(&sq);
			x = atomic_load_relaxed(&sx);
			y = atomic_load_relaxed(&sy);
		} while (read_seqcount_retry(&sq, s));
		if (y != ~x)
			atomic_inc(&sq_torn);
	}
}

static bool test_seqcount(void)
{
	bool ok = true;

	spin_lock_init(&sqlock, "host_seq");
	sy = ~0ULL;
	host_run_threads(NCPU, seq_cpu, NULL);
	CHECK(atomic_read(&sq_torn) == 0);
	CHECK(sq.sequence == 100000);
	return ok;
}

/* ---- wait queue + completion ------------------------------------------------- */
static struct wait_queue_head pp;
static atomic_t pp_turn, pp_timeouts;

static void pingpong_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	for (int i = 0; i < 20000; i++) {
		if (!wait_event_timeout(pp, atomic_read(&pp_turn) % 2 == cpu, 10000)) {
			atomic_inc(&pp_timeouts);
			return;
		}
		atomic_inc(&pp_turn);
		wake_up(&pp);
	}
}

static bool test_waitqueue(void)
{
	bool ok = true;

	init_waitqueue_head(&pp);
	host_run_threads(2, pingpong_cpu, NULL);
	CHECK(atomic_read(&pp_timeouts) == 0);
	CHECK(atomic_read(&pp_turn) == 40000);
	return ok;
}

static struct completion c_go, c_done;
static atomic_t c_passed;

static void completion_cpu(int cpu, void *arg)
{
	host_cpu_enter(cpu);
	if (cpu == 0) {
		for (int i = 1; i < NCPU; i++)
			complete(&c_go);		/* one per waiter, counted */
		for (int i = 1; i < NCPU; i++)
			wait_for_completion(&c_done);
		return;
	}
	wait_for_completion(&c_go);
	atomic_inc(&c_passed);
	complete(&c_done);
}

static bool test_completion(void)
{
	bool ok = true;

	init_completion(&c_go);
	init_completion(&c_done);
	host_run_threads(NCPU, completion_cpu, NULL);
	CHECK(atomic_read(&c_passed) == NCPU - 1);
	CHECK(!completion_done(&c_go) && !completion_done(&c_done));
	return ok;
}

/* ---- lockdep ------------------------------------------------------------------- */
static void lockdep_cpu(int cpu, void *arg)
{
	static DEFINE_SPINLOCK(hA);
	static DEFINE_SPINLOCK(hB);
	static DEFINE_SPINLOCK(hC);
	static DEFINE_SPINLOCK(hD);
	int *result = arg;
	int before = lockdep_last_report.count;

	host_cpu_enter(cpu);
	lockdep_report_only = true;
	spin_lock(&hC); spin_lock(&hD); spin_unlock(&hD); spin_unlock(&hC);
	spin_lock(&hC); spin_lock(&hD); spin_unlock(&hD); spin_unlock(&hC);
	result[0] = lockdep_last_report.count - before;		/* consistent: 0 */
	spin_lock(&hA); spin_lock(&hB); spin_unlock(&hB); spin_unlock(&hA);
	printk("(the lockdep report below is expected)\n");
	spin_lock(&hB); spin_lock(&hA); spin_unlock(&hA); spin_unlock(&hB);
	result[1] = lockdep_last_report.count - before;		/* inversion: 1 */
	result[2] = lockdep_last_report.prev_from_ip && lockdep_last_report.prev_to_ip &&
		    lockdep_last_report.held_ip && lockdep_last_report.new_ip;
	lockdep_report_only = false;
}

static bool test_lockdep(void)
{
	bool ok = true;
	int r[3] = { -1, -1, -1 };

	host_run_threads(1, lockdep_cpu, r);
	CHECK(r[0] == 0);
	CHECK(r[1] == 1);
	CHECK(r[2] == 1);
	return ok;
}

int host_tests_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	host_cpu_enter(NR_CPUS - 1);	/* the main pthread checks results as a CPU too */
	run("spinlock: 4 CPUs x 20000, exact count", test_spinlock);
	run("mutex: 4 CPUs x 5000, exact count, one owner", test_mutex);
	run("rwsem: writers keep a==b, readers never overlap a writer", test_rwsem);
	run("rwsem: a waiting writer blocks new readers", test_rwsem_writer_preference);
	run("seqcount: readers never see torn data", test_seqcount);
	run("waitqueue: 40000 ping-pong wakeups, none lost", test_waitqueue);
	run("completion: counted completes, waiters all pass", test_completion);
	run("lockdep: ABBA reported, consistent order not", test_lockdep);
	printk("sync: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
