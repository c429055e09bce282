/*
 * faultbench - anonymous page-fault throughput (issue 5 benchmark).
 *   faultbench [ROUNDS]
 * For 1, 2 and 4 threads, each thread repeatedly mmaps 16 MiB, writes one byte per page
 * (one fault each) and munmaps it; the first pass is a discarded warm-up, then ROUNDS
 * (default 4) passes are timed. Each configuration runs alone, with one extra thread doing
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

#define REGION		(16UL << 20)
#define PAGE		4096UL
#define MAX_THREADS	4
#define CHURN_HINT	0x10000000UL

static const char *const policy_names[] = { "mmap", "vma", "retry_vma", "uptodate", "hold" };
static int rounds = 4;
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

/* One configuration: run it and print its line. */
static void report(int n, int mode, double *base)
{
	struct fl_vmstat d;
	long ops;
	double fps = run(n, mode != ALONE, &ops, &d);

	if (mode == ALONE)
		base[n] = fps;
	printf("faultbench: threads %d %-11s %9.0f faults/s", n, mode_names[mode], fps);
	if (mode != ALONE && base[n] > 0)
		printf("  (%+5.1f%% vs alone, %ld %s)", 100.0 * (fps - base[n]) / base[n], ops,
		       mode == SPIN ? "spins" : "mmap/munmap");
	printf("  [vma_lock_success %llu, via mmap_lock %llu, mmap_lock contended %llu, "
	       "shootdowns %llu]\n",
	       (unsigned long long)d.vma_lock_success, (unsigned long long)d.fault_mmap_user,
	       (unsigned long long)d.mmap_lock_contended, (unsigned long long)d.tlb_shootdown);
}

int main(int argc, char **argv)
{
	struct fl_vmstat st;
	double base[MAX_THREADS + 1] = { 0 };

	if (argc > 1)
		rounds = atoi(argv[1]) > 0 ? atoi(argv[1]) : rounds;
	fl_vmstat(&st);
	printf("faultbench: policy %s, %d timed rounds of %lu MiB per thread\n",
	       st.fault_policy < 5 ? policy_names[st.fault_policy] : "?", rounds, REGION >> 20);
	/* alone; + a user-space spinner (host-CPU control); + mmap/munmap loop; + the loop also
	 * writing one page, so every munmap zaps a PTE and shoots down the TLBs of the CPUs
	 * running the process. */
	for (int mode = ALONE; mode < NR_MODES; mode++) {
		churn_touch = mode == TOUCH;
		churn_spin = mode == SPIN;
		for (int n = 1; n <= MAX_THREADS; n *= 2)
			report(n, mode, base);
	}
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
