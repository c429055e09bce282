/*
 * policytests - the file fault with a block delay under each fault policy
 * (issues 4 and 5; docs/fault-path.md "The retry lab").
 *
 * For each policy (mmap, vma, retry_vma, uptodate, hold): write it to
 * /proc/sys/vm/fault_policy, set /proc/sys/dev/blk/delay_us, map /data/pattern,
 * drop the page cache (/proc/sys/vm/drop_caches), and let NTHREADS threads
 * read disjoint pages of the mapping (so every page faults exactly once)
 * while one more thread keeps taking mmap_lock for write (mmap + munmap of
 * another region). Every byte read is checked against the file's pattern;
 * the counter deltas (fl_vmstat, the numbers of /proc/vmstat) must obey the
 * protocol of that policy, exactly where the protocol is exact, and the
 * process's own minflt/majflt (/proc/self/stat fields 10 and 12) must match
 * the system-wide fault_minor/fault_major deltas.
 *
 * First, the sysctls (values read back, junk refused) and the per-task fault
 * accounting on its own: /proc/self/stat's
 * format, a thread's faults staying with the process after it exited, and a
 * reaped child's faults appearing in cminflt/cmajflt.
 *
 * The counters are system-wide: nothing else may fault while a measurement
 * runs (usertests runs its tests one at a time). A warm-up round without
 * delay first faults in every page of this program's own code, data and
 * stacks that a round uses, so that the rounds measured see only the faults
 * on the file. Prints each policy's deltas; exit status = policies failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <faultline.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define FILE_PATH	"/data/pattern"	/* byte i is (i * 7 + 3) % 251 (tools/mkdisk) */
#define NPAGES		32UL		/* one readahead window */
#define NTHREADS	4
#define DELAY_US	"2000"		/* rounded up to the next tick by the block layer */
#define POLICY_PATH	"/proc/sys/vm/fault_policy"
#define DELAY_PATH	"/proc/sys/dev/blk/delay_us"
#define DROP_PATH	"/proc/sys/vm/drop_caches"

/* ---- shared between the threads of one round ---- */
static pthread_barrier_t start_barrier, end_barrier;	/* NTHREADS + writer + main */
static volatile char *map;		/* the file mapping of this round */
static volatile int quit;		/* the threads leave at the next start */
static unsigned int faulters_done;	/* [atomic] threads finished with their pages */
static unsigned int bad_bytes;		/* [atomic] bytes that did not match the pattern */
static unsigned long writer_rounds;	/* [atomic] mmap/munmap pairs of the writer */

static unsigned char pattern(unsigned long off)
{
	return (unsigned char)((off * 7 + 3) % 251);
}

/* Read pages t, t + NTHREADS, ...: each page's first access faults. */
static void *faulter(void *arg)
{
	unsigned long t = (unsigned long)arg;

	for (;;) {
		pthread_barrier_wait(&start_barrier);
		if (quit)
			return NULL;
		for (unsigned long p = t; p < NPAGES; p += NTHREADS) {
			unsigned int bad = 0;

			for (unsigned long i = 0; i < PAGE; i++)
				bad += map[p * PAGE + i] != (char)pattern(p * PAGE + i);
			__atomic_add_fetch(&bad_bytes, bad, __ATOMIC_RELAXED);
		}
		__atomic_add_fetch(&faulters_done, 1, __ATOMIC_RELEASE);
		pthread_barrier_wait(&end_barrier);
	}
}

/* mmap_lock for write, again and again, on a region nobody touches. */
static void *writer(void *arg)
{
	struct timespec ms = { 0, 1000000 };

	(void)arg;
	for (;;) {
		pthread_barrier_wait(&start_barrier);
		if (quit)
			return NULL;
		while (__atomic_load_n(&faulters_done, __ATOMIC_ACQUIRE) < NTHREADS) {
			void *p = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p != MAP_FAILED)
				munmap(p, 16 * PAGE);
			__atomic_add_fetch(&writer_rounds, 1, __ATOMIC_RELAXED);
			nanosleep(&ms, NULL);
		}
		pthread_barrier_wait(&end_barrier);
	}
}

/* ---- small helpers ---- */

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
	va_list ap;

	printf("    FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, s, strlen(s));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/*
 * The snapshots of the per-task checks read into static buffers: a buffer on the
 * stack could be the first touch of a stack page, and that fault (counted by the
 * thread, between its own snapshot and the system's) would break the exact sums.
 */
static char stat_buf[1024];
static struct fl_vmstat warm;

/* Fields 10 (minflt) and 12 (majflt) of /proc/self/stat, Linux's format:
 * "pid (comm) state ppid ..." - comm may hold spaces, so count after ')'. */
static int self_faults(unsigned long *minflt, unsigned long *majflt)
{
	unsigned long v[10];
	char *p;

	if (read_str("/proc/self/stat", stat_buf, sizeof(stat_buf)) ||
	    !(p = strrchr(stat_buf, ')')))
		return -1;
	/* fields 3..12: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt */
	if (sscanf(p + 1, " %*c %lu %lu %lu %lu %lu %lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7], &v[8]) != 9)
		return -1;
	*minflt = v[6];
	*majflt = v[8];
	return 0;
}

/* ---- the sysctls themselves ---- */

#define VDA_DELAY_PATH	"/proc/sys/dev/blk/vda/delay_us"

static int expect_str(const char *path, const char *want)
{
	char got[32];

	if (read_str(path, got, sizeof(got)))
		return fail("cannot read %s: %s", path, strerror(errno));
	if (strcmp(got, want))
		return fail("%s reads '%s', expected '%s'", path, got, want);
	return 0;
}

static int expect_einval(const char *path, const char *value)
{
	if (!write_str(path, value) || errno != EINVAL)
		return fail("writing '%s' to %s: %s, expected EINVAL", value, path,
			    strerror(errno));
	return 0;
}

/* delay_us: the global file sets every device, a device's file only that one; junk is
 * refused. drop_caches: only 1. Leaves every delay at 0. */
static int check_sysctls(void)
{
	if (write_str(DELAY_PATH, "1500"))
		return fail("cannot write %s: %s", DELAY_PATH, strerror(errno));
	if (expect_str(DELAY_PATH, "1500") || expect_str(VDA_DELAY_PATH, "1500"))
		return 1;
	if (write_str(VDA_DELAY_PATH, "0") || expect_str(VDA_DELAY_PATH, "0") ||
	    expect_str(DELAY_PATH, "1500"))
		return fail("the per-device delay is not independent of the global one");
	if (expect_einval(DELAY_PATH, "12x") || expect_einval(DELAY_PATH, "-1") ||
	    expect_einval(DELAY_PATH, "99999999999999999999") || expect_einval(DROP_PATH, "2"))
		return 1;
	if (write_str(DELAY_PATH, "0") || expect_str(VDA_DELAY_PATH, "0"))
		return fail("cannot set the delay back to 0");
	printf("  sysctl: delay_us global and per device, junk refused, drop_caches only 1\n");
	return 0;
}

/* ---- per-task fault accounting ---- */

#define TOUCH_PAGES	16UL

/* Write TOUCH_PAGES fresh anonymous pages: that many minor faults (at least). */
static void *touch_anon(void *arg)
{
	char *p = mmap(NULL, TOUCH_PAGES * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		return (void *)1;
	for (unsigned long i = 0; i < TOUCH_PAGES; i++)
		p[i * PAGE] = 1;
	munmap(p, TOUCH_PAGES * PAGE);
	return NULL;
}

/* Fields 1 (pid), 2 (comm), 11 (cminflt), 13 (cmajflt), 20 (num_threads) and the count. */
struct stat_line {
	int pid, nfields;
	char comm[32];
	unsigned long cminflt, cmajflt, num_threads;
};

static int parse_stat(struct stat_line *sl)
{
	char *p, *tok, *save;
	int field = 2;

	if (read_str("/proc/self/stat", stat_buf, sizeof(stat_buf)) ||
	    !(p = strrchr(stat_buf, ')')) || sscanf(stat_buf, "%d (%31[^)])", &sl->pid, sl->comm) != 2)
		return -1;
	for (tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		field++;
		if (field == 11)
			sl->cminflt = strtoul(tok, NULL, 10);
		else if (field == 13)
			sl->cmajflt = strtoul(tok, NULL, 10);
		else if (field == 20)
			sl->num_threads = strtoul(tok, NULL, 10);
	}
	sl->nfields = field;
	return 0;
}

static int check_stat_format(void)
{
	struct stat_line sl;
	unsigned long a, b;

	if (self_faults(&a, &b) || fl_vmstat(&warm))	/* touch what the snapshots use */
		return fail("cannot read /proc/self/stat or fl_vmstat");
	if (parse_stat(&sl))
		return fail("/proc/self/stat does not read as \"pid (comm) ...\"");
	if (sl.nfields != 52 || sl.pid != getpid() || strcmp(sl.comm, "policytests") ||
	    sl.num_threads != 1)
		return fail("/proc/self/stat: %d fields (Linux: 52), pid %d (getpid %d), comm '%s', "
			    "%lu threads (expected 1)", sl.nfields, sl.pid, (int)getpid(), sl.comm,
			    sl.num_threads);
	return 0;
}

/* Every completed fault, user mode or in a uaccess (a thread's min_flt/maj_flt count
 * both, as Linux's do: e.g. the kernel writing a new thread's set_child_tid). */
static unsigned long long all_faults(const struct fl_vmstat *v)
{
	return v->pgfault + v->pgfault_kernel;
}

/* A thread that faulted and exited: its faults stay in the process's minflt. */
static int check_thread_faults(void)
{
	static struct fl_vmstat before, after;	/* static: see stat_buf */
	unsigned long min0, maj0, min1, maj1;
	pthread_t t;
	void *res = (void *)1;

	/* Twice, the first time untimed: the code between the two kinds of counter reads
	 * (whose first use may fault, depending on what exec already mapped) is mapped then. */
	for (int pass = 0; pass < 2; pass++)
		if (self_faults(&min0, &maj0) || fl_vmstat(&before) ||
		    pthread_create(&t, NULL, touch_anon, NULL) || pthread_join(t, &res) || res ||
		    fl_vmstat(&after) || self_faults(&min1, &maj1))
			return fail("thread that touches %lu pages: setup failed", TOUCH_PAGES);
	if (min1 - min0 < TOUCH_PAGES)
		return fail("minflt +%lu after an exited thread wrote %lu new pages", min1 - min0,
			    TOUCH_PAGES);
	if ((min1 - min0) + (maj1 - maj0) != all_faults(&after) - all_faults(&before))
		return fail("process faults +%lu != system pgfault + pgfault_kernel +%llu (nothing "
			    "else runs)", (min1 - min0) + (maj1 - maj0),
			    (unsigned long long)(all_faults(&after) - all_faults(&before)));
	printf("  task: an exited thread's %lu faults stay in minflt/majflt\n",
	       (min1 - min0) + (maj1 - maj0));
	return 0;
}

/* A reaped child: its faults appear in cminflt/cmajflt, ours stay ours. */
static int check_child_faults(void)
{
	static struct fl_vmstat before, after;	/* static: see stat_buf */
	struct stat_line s0, s1;
	unsigned long min0, maj0, min1, maj1, own, child;
	int status;
	pid_t pid;

	if (parse_stat(&s0) || self_faults(&min0, &maj0) || fl_vmstat(&before))
		return fail("cannot read /proc/self/stat or fl_vmstat");
	pid = fork();
	if (pid == 0)
		_exit(touch_anon(NULL) ? 1 : 0);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status))
		return fail("child that touches %lu pages failed", TOUCH_PAGES);
	if (fl_vmstat(&after) || self_faults(&min1, &maj1) || parse_stat(&s1))
		return fail("cannot read /proc/self/stat or fl_vmstat");
	own = (min1 - min0) + (maj1 - maj0);
	child = (s1.cminflt - s0.cminflt) + (s1.cmajflt - s0.cmajflt);
	if (s1.cminflt - s0.cminflt < TOUCH_PAGES)
		return fail("cminflt +%lu after a reaped child wrote %lu new pages",
			    s1.cminflt - s0.cminflt, TOUCH_PAGES);
	if (own + child != all_faults(&after) - all_faults(&before))
		return fail("own faults +%lu + children's +%lu != system pgfault + pgfault_kernel "
			    "+%llu", own, child,
			    (unsigned long long)(all_faults(&after) - all_faults(&before)));
	printf("  task: a reaped child's %lu faults in cminflt/cmajflt, %lu of our own\n", child,
	       own);
	return 0;
}

/* ---- one round ---- */

struct deltas {
	struct fl_vmstat d;
	unsigned long minflt, majflt;	/* this process, /proc/self/stat */
};


/* Run the faulters once over a fresh mapping of the file; deltas of the counters. */
static int run_round(const char *policy, const char *delay, struct deltas *out)
{
	struct fl_vmstat before, after;
	unsigned long min0, maj0, min1, maj1;
	int fd = open(FILE_PATH, O_RDONLY);
	char *m;

	if (fd < 0)
		return fail("%s: %s (the ext2 disk holds it: make disk)", FILE_PATH, strerror(errno));
	m = mmap(NULL, NPAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return fail("mmap %s: %s", FILE_PATH, strerror(errno));
	if (write_str(POLICY_PATH, policy) || write_str(DELAY_PATH, delay))
		return fail("cannot write %s or %s: %s", POLICY_PATH, DELAY_PATH, strerror(errno));
	if (write_str(DROP_PATH, "1"))
		return fail("cannot write 1 to %s: %s", DROP_PATH, strerror(errno));
	map = m;
	__atomic_store_n(&faulters_done, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&bad_bytes, 0, __ATOMIC_RELAXED);
	if (self_faults(&min0, &maj0) || fl_vmstat(&before))
		return fail("cannot read /proc/self/stat or fl_vmstat");
	pthread_barrier_wait(&start_barrier);
	pthread_barrier_wait(&end_barrier);
	if (fl_vmstat(&after) || self_faults(&min1, &maj1))
		return fail("cannot read /proc/self/stat or fl_vmstat");
	munmap(m, NPAGES * PAGE);
	memset(out, 0, sizeof(*out));
#define X(f) out->d.f = after.f - before.f;
	X(pgfault) X(pgmajfault) X(pgcache_miss) X(pgfault_retry_read) X(pgfault_retry_locked)
	X(pgfault_retry_signal) X(fault_major) X(fault_minor) X(vma_lock_success)
	X(vma_lock_abort) X(vma_lock_retry) X(vma_lock_miss) X(vma_lock_retry_vma)
	X(fault_retry) X(fault_signal) X(fault_mmap_user) X(mmap_lock_read_fault)
	X(mmap_lock_write) X(mmap_lock_contended) X(filemap_refetch)
#undef X
	out->minflt = min1 - min0;
	out->majflt = maj1 - maj0;
	if (bad_bytes)
		return fail("%u bytes of %s read through the mapping differ from the file",
			    bad_bytes, FILE_PATH);
	return 0;
}

static void print_deltas(const char *policy, const struct deltas *x)
{
	const struct fl_vmstat *d = &x->d;

	printf("  %-9s pgfault %llu major %llu minor %llu pgmajfault %llu retry %llu "
	       "(read %llu locked %llu) vma_lock success %llu abort %llu retry %llu miss %llu "
	       "retry_vma %llu; mmap loop %llu, mmap_lock read by faults %llu (contended %llu); "
	       "self minflt %lu majflt %lu\n", policy,
	       (unsigned long long)d->pgfault, (unsigned long long)d->fault_major,
	       (unsigned long long)d->fault_minor, (unsigned long long)d->pgmajfault,
	       (unsigned long long)d->fault_retry, (unsigned long long)d->pgfault_retry_read,
	       (unsigned long long)d->pgfault_retry_locked,
	       (unsigned long long)d->vma_lock_success, (unsigned long long)d->vma_lock_abort,
	       (unsigned long long)d->vma_lock_retry, (unsigned long long)d->vma_lock_miss,
	       (unsigned long long)d->vma_lock_retry_vma, (unsigned long long)d->fault_mmap_user,
	       (unsigned long long)d->mmap_lock_read_fault,
	       (unsigned long long)d->mmap_lock_contended, x->minflt, x->majflt);
	fflush(stdout);
}

#define EXPECT(cond, ...) do { if (!(cond)) return fail(__VA_ARGS__); } while (0)

/* What holds under every policy: one completed fault per page, cold cache, accounting. */
static int check_common(const struct deltas *x)
{
	const struct fl_vmstat *d = &x->d;

	EXPECT(d->pgfault == NPAGES, "pgfault +%llu, expected %lu: one fault per page",
	       (unsigned long long)d->pgfault, NPAGES);
	EXPECT(d->fault_major + d->fault_minor == d->pgfault, "major + minor != pgfault");
	EXPECT(d->pgmajfault >= 1 && d->fault_major >= 1,
	       "no major fault: drop_caches left the file cached");
	EXPECT(d->fault_retry == d->pgfault_retry_read + d->pgfault_retry_locked,
	       "fault_retry %llu != retry_read + retry_locked %llu",
	       (unsigned long long)d->fault_retry,
	       (unsigned long long)(d->pgfault_retry_read + d->pgfault_retry_locked));
	EXPECT(!d->fault_signal && !d->pgfault_retry_signal, "a retry saw a signal");
	EXPECT(x->majflt == d->fault_major && x->minflt == d->fault_minor,
	       "/proc/self/stat majflt +%lu minflt +%lu, system fault_major +%llu fault_minor +%llu",
	       x->majflt, x->minflt, (unsigned long long)d->fault_major,
	       (unsigned long long)d->fault_minor);
	return 0;
}

/* mmap: no VMA lock at all; every fault runs the mmap_lock loop. */
static int check_mmap(const struct fl_vmstat *d)
{
	EXPECT(!d->vma_lock_success && !d->vma_lock_abort && !d->vma_lock_retry &&
	       !d->vma_lock_retry_vma, "a VMA-lock counter moved under mmap");
	EXPECT(d->fault_mmap_user == d->pgfault, "not every fault took mmap_lock");
	EXPECT(d->fault_retry >= 1, "the cold first fault did not drop mmap_lock and retry");
	EXPECT(d->mmap_lock_read_fault == d->pgfault + d->fault_retry,
	       "mmap_lock reads by faults %llu != faults + retries %llu",
	       (unsigned long long)d->mmap_lock_read_fault,
	       (unsigned long long)(d->pgfault + d->fault_retry));
	return 0;
}

/* The VMA-lock accounting every VMA policy keeps (docs/locking.md §5). */
static int check_vma_accounting(const struct fl_vmstat *d)
{
	EXPECT(d->pgfault == d->vma_lock_success + d->fault_mmap_user,
	       "pgfault != vma_lock_success + fault_mmap_user");
	EXPECT(d->fault_mmap_user == d->vma_lock_abort + d->vma_lock_retry - d->vma_lock_retry_vma,
	       "fault_mmap_user != vma_lock_abort + vma_lock_retry - vma_lock_retry_vma");
	EXPECT(d->mmap_lock_read_fault ==
	       d->fault_mmap_user + (d->fault_retry - d->vma_lock_retry),
	       "mmap_lock reads by faults %llu != mmap-loop entries + mmap-loop retries",
	       (unsigned long long)d->mmap_lock_read_fault);
	return 0;
}

/* vma: a major fault drops the VMA lock, retries once under mmap_lock (read). */
static int check_vma(const struct fl_vmstat *d)
{
	EXPECT(d->vma_lock_retry >= 1, "no fault dropped the VMA lock for I/O");
	EXPECT(!d->vma_lock_retry_vma, "vma_lock_retry_vma moved under vma");
	EXPECT(d->mmap_lock_read_fault >= d->vma_lock_retry,
	       "a VMA-lock retry did not take mmap_lock for read");
	EXPECT(d->fault_retry >= d->vma_lock_retry, "fault_retry < vma_lock_retry");
	return check_vma_accounting(d);
}

/* retry_vma: retries after I/O go back to the VMA lock; faults take no mmap_lock. */
static int check_retry_vma(const struct fl_vmstat *d)
{
	EXPECT(d->vma_lock_retry_vma >= 1, "no retry went back to the VMA lock");
	EXPECT(d->vma_lock_retry_vma == d->vma_lock_retry && d->fault_retry == d->vma_lock_retry,
	       "a retry was not an I/O retry under the VMA lock");
	EXPECT(!d->fault_mmap_user && !d->mmap_lock_read_fault,
	       "the fault path took mmap_lock %llu times under retry_vma",
	       (unsigned long long)d->mmap_lock_read_fault);
	return check_vma_accounting(d);
}

/* uptodate: like vma, but an uptodate folio's lock is waited for holding the fault lock:
 * a retry is for a folio being read (major, TRIED afterwards) or for starting the next
 * readahead window (the folio is uptodate), so the mmap_lock loop never retries again. */
static int check_uptodate(const struct fl_vmstat *d)
{
	EXPECT(d->vma_lock_retry >= 1, "no fault dropped the VMA lock for I/O");
	EXPECT(!d->vma_lock_retry_vma, "vma_lock_retry_vma moved under uptodate");
	EXPECT(d->fault_retry == d->vma_lock_retry,
	       "%llu retries after the VMA-lock attempt (an uptodate folio dropped the lock?)",
	       (unsigned long long)(d->fault_retry - d->vma_lock_retry));
	return check_vma_accounting(d);
}

/* hold: the I/O is waited for holding the VMA lock: major faults, no retry at all. */
static int check_hold(const struct fl_vmstat *d)
{
	EXPECT(!d->fault_retry && !d->vma_lock_retry && !d->pgfault_retry_read &&
	       !d->pgfault_retry_locked, "a fault retried under hold");
	EXPECT(d->fault_major >= d->pgmajfault, "fault_major < pgmajfault");
	EXPECT(d->mmap_lock_read_fault == d->fault_mmap_user, "mmap loop retried under hold");
	return check_vma_accounting(d);
}

static const struct {
	const char *name;
	int (*check)(const struct fl_vmstat *d);
} policies[] = {
	{ "mmap", check_mmap }, { "vma", check_vma }, { "retry_vma", check_retry_vma },
	{ "uptodate", check_uptodate }, { "hold", check_hold },
};

static int start_threads(pthread_t *tids)
{
	if (pthread_barrier_init(&start_barrier, NULL, NTHREADS + 2) ||
	    pthread_barrier_init(&end_barrier, NULL, NTHREADS + 2))
		return fail("pthread_barrier_init");
	for (unsigned long t = 0; t < NTHREADS; t++)
		if (pthread_create(&tids[t], NULL, faulter, (void *)t))
			return fail("pthread_create");
	if (pthread_create(&tids[NTHREADS], NULL, writer, NULL))
		return fail("pthread_create");
	return 0;
}

static void stop_threads(pthread_t *tids)
{
	quit = 1;
	pthread_barrier_wait(&start_barrier);
	for (int t = 0; t <= NTHREADS; t++)
		pthread_join(tids[t], NULL);
}

static int run_policies(void)
{
	struct deltas x;
	int failed = 0;

	if (run_round("vma", "0", &x))		/* warm-up: fault in our own pages */
		return 1;
	for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
		int bad = run_round(policies[i].name, DELAY_US, &x);

		if (!bad) {
			print_deltas(policies[i].name, &x);
			bad = check_common(&x) || policies[i].check(&x.d);
		}
		failed += bad;
	}
	return failed;
}

int main(void)
{
	char policy[32], delay[32];
	pthread_t tids[NTHREADS + 1];
	int failed;

	if (read_str(POLICY_PATH, policy, sizeof(policy)) || read_str(DELAY_PATH, delay, sizeof(delay))) {
		printf("policytests: cannot read %s or %s (is /proc mounted?)\n", POLICY_PATH,
		       DELAY_PATH);
		return 1;
	}
	failed = check_sysctls() + check_stat_format() + check_thread_faults() +
		 check_child_faults();
	if (start_threads(tids))
		return 1;
	printf("policytests: %d threads fault %lu pages of %s, block delay %s us, a writer "
	       "thread mmaps/munmaps\n", NTHREADS, NPAGES, FILE_PATH, DELAY_US);
	failed += run_policies();
	stop_threads(tids);
	if (write_str(POLICY_PATH, policy) || write_str(DELAY_PATH, delay))
		failed += fail("cannot restore policy %s and delay %s", policy, delay);
	printf("policytests: %d failed (writer: %lu mmap/munmap rounds)\n", failed,
	       writer_rounds);
	return failed;
}
