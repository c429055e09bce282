/*
 * faultbench - anonymous page-fault throughput (issue 5 benchmark).
 *   faultbench [ROUNDS]
 * For 1, 2 and 4 threads, each thread repeatedly mmaps 8 MiB, writes one byte per page
 * (one fault each) and munmaps it; the first pass is a discarded warm-up, then ROUNDS
 * (default 2) passes are timed; every configuration runs 3 times (interleaved) and the
 * median and the spread are printed. Each configuration runs alone, with one extra thread doing
 * mmap/munmap of an unrelated 64 KiB region in a loop (a mmap_lock writer; placed far from
 * the workers' regions so it never merges with them), and with that loop also writing one
 * page of its region (so each munmap zaps a PTE and shoots down TLBs), and - the
 * control - with one extra thread that only spins in user space: under QEMU TCG each vCPU is
 * a host thread, so on a small host any busy extra thread slows the workers down; that part
 * of the loss is the host's, not the kernel's. Then fork+exit+wait per second. The kernel's fault policy (fault_policy= at boot) is printed;
 * tools/bench.sh boots once per policy. Output lines start with "faultbench:".
 */
#include <faultline.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REGION		(8UL << 20)
#define PAGE		4096UL
#define MAX_THREADS	4
#define CHURN_HINT	0x10000000UL

static const char *const policy_names[] = { "mmap", "vma", "retry_vma", "uptodate", "hold" };
static int rounds = 2;
static volatile int go, stop_churn;
static volatile long churn_ops;
static int churn_touch;		/* the loop writes one page of its region (munmap then zaps it) */
static int churn_spin;		/* control: the extra thread only burns CPU in user space */

enum { ALONE, SPIN, LOOP, TOUCH, NR_MODES };
static const char *const mode_names[NR_MODES] = { "alone", "+cpu-spin", "+mmap-loop", "+mmap-touch" };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int one_pass(void)
{
	char *p = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (unsigned long off = 0; off < REGION; off += PAGE)
		p[off] = 1;
	munmap(p, REGION);
	return 0;
}

static void *worker(void *arg)
{
	(void)arg;
	one_pass();				/* warm-up, not timed */
	__atomic_fetch_add(&go, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&go, __ATOMIC_SEQ_CST) >= 0)
		sched_yield();			/* main flips go to -1 when everyone warmed up */
	for (int r = 0; r < rounds; r++)
		if (one_pass())
			return (void *)1;
	return NULL;
}

static void *churn(void *arg)
{
	(void)arg;
	while (churn_spin && !stop_churn)
		churn_ops++;
	while (!stop_churn) {
		/* Far below the workers' regions (they are placed top-down near mmap_base), so it
		 * never merges with or splits one of their VMAs: truly unrelated. */
		char *p = mmap((void *)CHURN_HINT, 64 * 1024, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			if (churn_touch)
				p[0] = 1;	/* one page: munmap really unmaps (and flushes) */
			munmap(p, 64 * 1024);
		}
		churn_ops++;
	}
	return NULL;
}

/* Faults per second for n threads (with_churn: plus the mmap/munmap thread). */
static double run(int n, int with_churn, long *ops, struct fl_vmstat *d)
{
	pthread_t t[MAX_THREADS], c;
	struct fl_vmstat a, b;
	double t0, t1;
	int bad = 0;

	go = 0;
	stop_churn = 0;
	churn_ops = 0;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	while (__atomic_load_n(&go, __ATOMIC_SEQ_CST) < n)
		sched_yield();
	if (with_churn)
		pthread_create(&c, NULL, churn, NULL);
	fl_vmstat(&a);
	t0 = now_s();
	__atomic_store_n(&go, -1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < n; i++) {
		void *r;

		pthread_join(t[i], &r);
		bad |= r != NULL;
	}
	t1 = now_s();
	fl_vmstat(&b);
	if (with_churn) {
		stop_churn = 1;
		pthread_join(c, NULL);
	}
	*ops = churn_ops;
	d->vma_lock_success = b.vma_lock_success - a.vma_lock_success;
	d->fault_mmap_user = b.fault_mmap_user - a.fault_mmap_user;
	d->mmap_lock_contended = b.mmap_lock_contended - a.mmap_lock_contended;
	d->tlb_shootdown = b.tlb_shootdown - a.tlb_shootdown;
	if (bad)
		return -1;
	return (double)n * rounds * (REGION / PAGE) / (t1 - t0);
}

#define REPS		3	/* every configuration runs REPS times, interleaved */
#define NR_N		3	/* thread counts 1, 2, 4 */

struct sample {
	double fps[REPS];
	long ops;		/* of the last repetition */
	struct fl_vmstat d;	/* counter deltas of the last repetition */
};
static struct sample samples[NR_N][NR_MODES];

static double median3(const double *v)
{
	double a = v[0], b = v[1], c = v[2];

	return a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
}

static void spread(const double *v, double *lo, double *hi)
{
	*lo = *hi = v[0];
	for (int r = 1; r < REPS; r++) {
		*lo = v[r] < *lo ? v[r] : *lo;
		*hi = v[r] > *hi ? v[r] : *hi;
	}
}

/* One line: median faults/s, spread, change vs alone (and vs the spinner for the loops). */
static void report(int ni, int mode)
{
	const struct sample *sm = &samples[ni][mode];
	double med = median3(sm->fps), lo, hi;
	double alone = median3(samples[ni][ALONE].fps), spin = median3(samples[ni][SPIN].fps);

	spread(sm->fps, &lo, &hi);
	printf("faultbench: threads %d %-11s %7.0f faults/s [%.0f..%.0f]", 1 << ni,
	       mode_names[mode], med, lo, hi);
	if (mode != ALONE && alone > 0)
		printf(" %+6.1f%% vs alone", 100.0 * (med - alone) / alone);
	if (mode >= LOOP && spin > 0)
		printf(" %+6.1f%% vs +cpu-spin", 100.0 * (med - spin) / spin);
	if (mode != ALONE)
		printf(", %ld %s", sm->ops, mode == SPIN ? "spins" : "mmap/munmap");
	printf("  [vma_lock_success %llu, via mmap_lock %llu, mmap_lock contended %llu, "
	       "shootdowns %llu]\n",
	       (unsigned long long)sm->d.vma_lock_success, (unsigned long long)sm->d.fault_mmap_user,
	       (unsigned long long)sm->d.mmap_lock_contended,
	       (unsigned long long)sm->d.tlb_shootdown);
}

/* Every configuration REPS times, the modes interleaved, so a slow phase of the (shared)
 * host hits all of them alike; then one line per configuration. */
static void measure_all(void)
{
	for (int r = 0; r < REPS; r++)
		for (int ni = 0; ni < NR_N; ni++)
			for (int mode = ALONE; mode < NR_MODES; mode++) {
				struct sample *sm = &samples[ni][mode];

				churn_touch = mode == TOUCH;
				churn_spin = mode == SPIN;
				sm->fps[r] = run(1 << ni, mode != ALONE, &sm->ops, &sm->d);
			}
	for (int mode = ALONE; mode < NR_MODES; mode++)
		for (int ni = 0; ni < NR_N; ni++)
			report(ni, mode);
}

int main(int argc, char **argv)
{
	struct fl_vmstat st;

	if (argc > 1)
		rounds = atoi(argv[1]) > 0 ? atoi(argv[1]) : rounds;
	fl_vmstat(&st);
	printf("faultbench: policy %s, %d timed rounds of %lu MiB per thread, median of %d "
	       "[min..max]\n", st.fault_policy < 5 ? policy_names[st.fault_policy] : "?", rounds,
	       REGION >> 20, REPS);
	/* alone; + a user-space spinner (host-CPU control); + mmap/munmap loop; + the loop also
	 * writing one page, so every munmap zaps a PTE and shoots down the TLBs of the CPUs
	 * running the process. */
	measure_all();
	{
		double t0 = now_s(), t;
		long n = 0;

		do {
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			if (pid < 0 || waitpid(pid, NULL, 0) != pid)
				break;
			n++;
		} while ((t = now_s()) - t0 < 2.0);
		printf("faultbench: fork+exit+wait %.0f per second\n", n / (now_s() - t0));
	}
	return 0;
}
