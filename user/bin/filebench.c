/*
 * filebench - file I/O through the page cache and file faults (issues 4 and 5 benchmarks).
 *   filebench [MIB]
 * Works on /data/filebench.dat (MIB MiB, default 4) on the ext2 root, removed at the end.
 *   1. sequential write (64 KiB write() calls) and the fsync after it, timed apart;
 *   2. sequential read() cold (after /proc/sys/vm/drop_caches) and warm;
 *   3. mmap read, one byte per page, cold and warm;
 *   4. major-fault latency: LAT_PROBES accesses 256 KiB apart (beyond the readahead window,
 *      so each is a major fault) in a cold mapping, /proc/sys/dev/blk/delay_us 0 and DELAY_US;
 *   5. per fault policy (/proc/sys/vm/fault_policy): NTHREADS threads fault disjoint pages
 *      of a cold mapping with the block delay on; mmap_lock read acquisitions (all, and by
 *      the fault path's mmap_lock loop) per major fault, and retry_vma / vma.
 * Only numbers are printed ("filebench: " lines), nothing is asserted: tools/bench.sh
 * boots with init=/bin/filebench. The counters (fl_vmstat = /proc/vmstat) are
 * system-wide; nothing else runs in that boot. Without drop_caches (older kernels) the
 * "cold" lines say so and measure warm.
 */
#include <fcntl.h>
#include <faultline.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define CHUNK		(64UL << 10)
#define PATH		"/data/filebench.dat"
#define DROP_PATH	"/proc/sys/vm/drop_caches"
#define DELAY_PATH	"/proc/sys/dev/blk/delay_us"
#define POLICY_PATH	"/proc/sys/vm/fault_policy"
#define DELAY_US	2000		/* the block layer rounds it up to a timer tick */
#define STRIDE		(256UL << 10)	/* latency probe: past the readahead window */
#define LAT_PROBES	8UL		/* ... this many of them (each reads a readahead window) */
#define NTHREADS	4
#define POLICY_PAGES	128UL		/* 512 KiB mapped per policy round */

static const char *const policies[] = { "mmap", "vma", "retry_vma", "uptodate", "hold" };
#define NR_POLICIES	(sizeof(policies) / sizeof(policies[0]))

static unsigned long file_size;
static char buf[CHUNK];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, s, strlen(s));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static int set_delay(unsigned int us)
{
	char s[16];

	snprintf(s, sizeof(s), "%u", us);
	return write_str(DELAY_PATH, s);
}

/* Evict the file's clean pages. Returns "cold" or, without drop_caches, "warm!". */
static const char *drop_caches(void)
{
	sync();
	return write_str(DROP_PATH, "1") ? "warm! (no drop_caches)" : "cold";
}

static double mbps(double bytes, double secs)
{
	return secs > 0 ? bytes / secs / (1 << 20) : 0;
}

/* ---- 1. and 2.: read() and write() ---- */

static int seq_write(void)
{
	int fd = open(PATH, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	double t0, t1, t2;

	if (fd < 0)
		return printf("filebench: cannot create %s\n", PATH), -1;
	memset(buf, 0x5a, sizeof(buf));
	t0 = now_s();
	for (unsigned long off = 0; off < file_size; off += CHUNK)
		if (write(fd, buf, CHUNK) != (ssize_t)CHUNK)
			return close(fd), printf("filebench: write failed (disk full?)\n"), -1;
	t1 = now_s();
	fsync(fd);
	t2 = now_s();
	close(fd);
	printf("filebench: sequential write %lu MiB: %.1f MB/s into the page cache, fsync %.0f ms, "
	       "%.1f MB/s including fsync\n", file_size >> 20, mbps(file_size, t1 - t0),
	       (t2 - t1) * 1e3, mbps(file_size, t2 - t0));
	return 0;
}

static void seq_read(const char *what)
{
	int fd = open(PATH, O_RDONLY);
	unsigned long total = 0;
	double t0 = now_s(), t1;
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, CHUNK)) > 0)
		total += n;
	t1 = now_s();
	close(fd);
	printf("filebench: sequential read %-5s %lu MiB: %.1f MB/s\n", what, total >> 20,
	       mbps(total, t1 - t0));
}

/* ---- 3. and 4.: faults on a file mapping ---- */

/* Touch one byte every 'step' bytes of a fresh mapping, at most n times: seconds (-1: no
 * file), and the major faults and all faults it took. */
static double touch_mapping(unsigned long step, unsigned long n, unsigned long *maj,
			    unsigned long *faults)
{
	int fd = open(PATH, O_RDONLY);
	struct fl_vmstat a, b;
	volatile char *p;
	double t0, t1;

	if (fd < 0)
		return -1;
	p = mmap(NULL, file_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	fl_vmstat(&a);
	t0 = now_s();
	for (unsigned long off = 0; off < file_size && n; off += step, n--)
		(void)p[off];			/* a volatile load: one access per step */
	t1 = now_s();
	fl_vmstat(&b);
	munmap((void *)p, file_size);
	*maj = b.pgmajfault - a.pgmajfault;
	*faults = b.pgfault - a.pgfault;
	return t1 - t0;
}

static void mmap_read(const char *what)
{
	unsigned long maj, faults;
	double t = touch_mapping(PAGE, file_size / PAGE, &maj, &faults);

	printf("filebench: mmap read %-5s %lu MiB: %.1f MB/s (%lu faults, %lu major)\n", what,
	       file_size >> 20, mbps(file_size, t), faults, maj);
}

static void fault_latency(unsigned int delay_us)
{
	unsigned long maj, faults;
	const char *how;
	double t;

	if (delay_us && set_delay(delay_us)) {
		printf("filebench: major-fault latency: no %s, skipped\n", DELAY_PATH);
		return;
	}
	how = drop_caches();
	t = touch_mapping(STRIDE, LAT_PROBES, &maj, &faults);
	set_delay(0);
	printf("filebench: major-fault latency, block delay %4u us: %.0f us per major fault "
	       "(%lu major of %lu faults, %s)\n", delay_us, maj ? t * 1e6 / maj : 0.0, maj,
	       faults, how);
}

/* ---- 5.: mmap_lock per major fault under each policy ---- */

static volatile char *pmap;
static pthread_barrier_t barrier;

static void *policy_faulter(void *arg)
{
	unsigned long t = (unsigned long)arg;

	pthread_barrier_wait(&barrier);
	for (unsigned long pg = t; pg < POLICY_PAGES; pg += NTHREADS)
		(void)pmap[pg * PAGE];		/* a volatile load: the first access faults */
	pthread_barrier_wait(&barrier);
	return NULL;
}

struct policy_result {
	unsigned long majfault, lock_read, lock_read_fault, vma_retry_vma;
	double secs;
};

static int policy_round(const char *policy, struct policy_result *r)
{
	pthread_t th[NTHREADS];
	struct fl_vmstat a, b;
	int fd = open(PATH, O_RDONLY);
	double t0;

	if (fd < 0)
		return -1;
	if (write_str(POLICY_PATH, policy)) {
		close(fd);
		return -1;
	}
	pmap = mmap(NULL, POLICY_PAGES * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (pmap == MAP_FAILED)
		return -1;
	pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
	for (unsigned long i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, policy_faulter, (void *)i);
	drop_caches();
	set_delay(DELAY_US);
	fl_vmstat(&a);
	t0 = now_s();
	pthread_barrier_wait(&barrier);		/* go */
	pthread_barrier_wait(&barrier);		/* all pages touched */
	r->secs = now_s() - t0;
	fl_vmstat(&b);
	set_delay(0);
	for (unsigned long i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	munmap((void *)pmap, POLICY_PAGES * PAGE);
	r->majfault = b.pgmajfault - a.pgmajfault;
	r->lock_read = b.mmap_lock_read - a.mmap_lock_read;
	r->lock_read_fault = b.mmap_lock_read_fault - a.mmap_lock_read_fault;
	r->vma_retry_vma = b.vma_lock_retry_vma - a.vma_lock_retry_vma;
	return 0;
}

static double per_major(unsigned long n, const struct policy_result *r)
{
	return r->majfault ? (double)n / r->majfault : 0;
}

static void policies_bench(void)
{
	struct policy_result r[NR_POLICIES];
	double vma = -1, retry = -1;

	for (unsigned int i = 0; i < NR_POLICIES; i++) {
		if (policy_round(policies[i], &r[i])) {
			printf("filebench: policy %s: cannot set it or map the file, skipped\n",
			       policies[i]);
			continue;
		}
		printf("filebench: policy %-9s block delay %u us, %d threads: %lu major faults, "
		       "mmap_lock reads per major fault %.2f (fault path %.2f), vma_lock_retry_vma "
		       "%lu, %.0f ms\n", policies[i], DELAY_US, NTHREADS, r[i].majfault,
		       per_major(r[i].lock_read, &r[i]), per_major(r[i].lock_read_fault, &r[i]),
		       r[i].vma_retry_vma, r[i].secs * 1e3);
		if (!strcmp(policies[i], "vma"))
			vma = per_major(r[i].lock_read, &r[i]);
		if (!strcmp(policies[i], "retry_vma"))
			retry = per_major(r[i].lock_read, &r[i]);
	}
	write_str(POLICY_PATH, "vma");
	if (vma > 0 && retry >= 0)
		printf("filebench: mmap_lock reads per major fault, retry_vma / vma = %.0f %% "
		       "(issue 5 target: <= 30 %%)\n", 100.0 * retry / vma);
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 && atoi(argv[1]) > 0 ? (unsigned long)atoi(argv[1]) : 4;

	file_size = mib << 20;
	if (seq_write())
		return 1;
	seq_read(drop_caches());
	seq_read("warm");
	mmap_read(drop_caches());
	mmap_read("warm");
	fault_latency(0);
	fault_latency(DELAY_US);
	policies_bench();
	unlink(PATH);
	sync();
	return 0;
}
