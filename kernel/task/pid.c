/*
 * pid.c - process and thread ids, and the process limit.
 *
 * Pids and tids share one number space, 1..PID_MAX-1, kept in a bitmap. Allocation
 * continues after the last id handed out (like Linux), so a just-freed pid is not reused
 * at once and a stale pid in a shell script does not hit a new process. The number of
 * live processes (zombies included: they hold a pid and a slot until reaped) is capped by
 * "max_procs=N" on the command line (default MAX_PROCESSES_DEFAULT); past it clone
 * fails with -EAGAIN, as Linux does at RLIMIT_NPROC.
 */
#include <task.h>
#include <boot.h>
#include <ktest.h>

/* Locking legend: [M] pidmap_lock */
static DEFINE_SPINLOCK(pidmap_lock);
static uint64_t pidmap[PID_MAX / 64];	/* [M] bit set: id in use (bit 0 = pid 0, reserved) */
static pid_t last_pid;			/* [M] last id handed out */
static atomic_t nr_procs;		/* [a] live processes (reserved slots) */
static unsigned int max_procs;		/* [a] limit, read from the command line once */

static bool pid_test(pid_t pid)
{
	return pidmap[pid / 64] & (1ULL << (pid % 64));
}

static void pid_set(pid_t pid, bool on)
{
	if (on)
		pidmap[pid / 64] |= 1ULL << (pid % 64);
	else
		pidmap[pid / 64] &= ~(1ULL << (pid % 64));
}

pid_t alloc_pid(void)
{
	pid_t pid = -EAGAIN;

	spin_lock(&pidmap_lock);
	for (int i = 1; i < PID_MAX; i++) {
		pid_t cand = (last_pid + i) % PID_MAX;

		if (cand != 0 && !pid_test(cand)) {
			pid_set(cand, true);
			last_pid = pid = cand;
			break;
		}
	}
	spin_unlock(&pidmap_lock);
	return pid;
}

void free_pid(pid_t pid)
{
	BUG_ON(pid <= 0 || pid >= PID_MAX);
	spin_lock(&pidmap_lock);
	BUG_ON(!pid_test(pid));
	pid_set(pid, false);
	spin_unlock(&pidmap_lock);
}

static unsigned int proc_limit(void)
{
	unsigned int m = __atomic_load_n(&max_procs, __ATOMIC_RELAXED);

	if (!m) {
		m = cmdline_get_ulong("max_procs", MAX_PROCESSES_DEFAULT);
		if (m < 2 || m >= PID_MAX)
			m = MAX_PROCESSES_DEFAULT;
		__atomic_store_n(&max_procs, m, __ATOMIC_RELAXED);
	}
	return m;
}

int proc_count_get(void)
{
	if ((unsigned int)atomic_inc_return(&nr_procs) > proc_limit()) {
		atomic_dec(&nr_procs);
		return -EAGAIN;
	}
	return 0;
}

void proc_count_put(void)
{
	BUG_ON(atomic_dec_return(&nr_procs) < 0);
}

unsigned int nr_processes(void)
{
	return atomic_read(&nr_procs);
}

KTEST(pid_alloc_unique_and_rotating)
{
	pid_t a = alloc_pid(), b = alloc_pid();

	KT_ASSERT(t, a > 0 && b > 0 && a != b);
	free_pid(a);
	pid_t c = alloc_pid();	/* must not reuse a at once */
	KT_EXPECT(t, c > 0 && c != a && c != b);
	free_pid(b);
	free_pid(c);
}

KTEST(pid_exhaustion_gives_eagain)
{
	static pid_t got[PID_MAX];
	int n = 0;
	pid_t p;

	while ((p = alloc_pid()) > 0) {
		KT_ASSERT(t, n < PID_MAX);
		got[n++] = p;
	}
	KT_EXPECT_EQ(t, p, -EAGAIN);
	KT_EXPECT(t, n > PID_MAX - 64);	/* only the ids in use by the system are missing */
	for (int i = 0; i < n; i++)
		free_pid(got[i]);
	p = alloc_pid();
	KT_EXPECT(t, p > 0);
	if (p > 0)
		free_pid(p);
}

KTEST(process_limit)
{
	unsigned int limit = proc_limit(), got = 0;

	while (proc_count_get() == 0) {
		got++;
		KT_ASSERT(t, got <= limit);
	}
	KT_EXPECT_EQ(t, nr_processes(), limit);
	KT_EXPECT_EQ(t, proc_count_get(), -EAGAIN);
	while (got--)
		proc_count_put();
	KT_EXPECT_EQ(t, proc_count_get(), 0);
	proc_count_put();
}
