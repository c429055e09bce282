/*
 * shim.c - the few kernel services kernel/mm needs, done with libc and
 * pthreads so the allocator runs as a host process (DESIGN.md §7).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "shim.h"
#include <cpu.h>
#include <ktest.h>
#include <mm.h>
#include <page_alloc.h>

__thread struct cpu *host_this_cpu;
__thread int host_cpu_id;
uintptr_t kimage_voffset;	/* set by host_arena_init() */

/* The "kernel image": a static blob of the host binary, which lives above
 * KERNEL_VIRT_BASE like a real image; __pa() maps it to HOST_KIMAGE_PA. */
__asm__(".pushsection .bss\n.balign 4096\n.globl _kernel_start\n_kernel_start:\n"
	".skip 0x45000\n.globl _kernel_end\n_kernel_end:\n.popsection");
volatile int panic_in_progress;
const char *host_cmdline = "";

/* A test that expects a panic sets this; panic() then jumps back. */
__thread jmp_buf *host_panic_jmp;
__thread char host_panic_msg[512];

int vprintk(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = host_quiet ? 0 : vprintk(fmt, ap);
	va_end(ap);
	return n;
}

bool host_quiet;

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(host_panic_msg, sizeof(host_panic_msg), fmt, ap);
	va_end(ap);
	if (host_panic_jmp)
		longjmp(*host_panic_jmp, 1);
	fprintf(stderr, "PANIC: %s\n", host_panic_msg);
	abort();
}

/* Lock ownership is per pthread (several threads may play the same CPU). */
static int lock_owner_id(void)
{
	static int next_id = 1;
	static __thread int id;

	if (!id)
		id = __atomic_fetch_add(&next_id, 1, __ATOMIC_RELAXED);
	return id;
}

void __spin_lock_init(spinlock_t *l, const char *name, const struct lock_class_key *key)
{
	(void)key;
	memset(l, 0, sizeof(*l));
	l->name = name;
}

void spin_lock(spinlock_t *l)
{
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == lock_owner_id())
		panic("spin_lock(%s): recursion", l->name);
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
	__atomic_store_n(&l->owner, lock_owner_id(), __ATOMIC_RELAXED);
}

void spin_lock_nested(spinlock_t *l, unsigned int subclass)
{
	(void)subclass;
	spin_lock(l);
}

bool spin_trylock(spinlock_t *l)
{
	if (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&l->owner, lock_owner_id(), __ATOMIC_RELAXED);
	return true;
}

void spin_unlock(spinlock_t *l)
{
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) != lock_owner_id())
		panic("spin_unlock(%s): not the owner", l->name);
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

bool spin_is_locked_by_me(const spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED) &&
	       __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == lock_owner_id();
}

const char *cmdline_get(const char *key)
{
	const char *p = strstr(host_cmdline, key);
	size_t n = strlen(key);

	if (!p)
		return NULL;
	return p[n] == '=' ? p + n + 1 : "";
}

bool cmdline_has(const char *key)
{
	return cmdline_get(key) != NULL;
}

uint32_t fdt_totalsize(const void *fdt)
{
	(void)fdt;
	return 0;
}

void host_arena_init(void)
{
	void *p = mmap((void *)PHYS_MAP_BASE, PHYS_MAP_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)PHYS_MAP_BASE) {
		perror("mmap arena at PHYS_MAP_BASE");
		exit(2);
	}
	if ((uintptr_t)_kernel_start < KERNEL_VIRT_BASE) {
		fprintf(stderr, "host binary below KERNEL_VIRT_BASE: build it as PIE\n");
		exit(2);
	}
	kimage_voffset = (uintptr_t)_kernel_start - HOST_KIMAGE_PA;
}


size_t cmdline_copy(const char *key, char *buf, size_t size)
{
	const char *v = cmdline_get(key);
	size_t n = 0;

	if (!v || !size)
		return 0;
	while (v[n] && v[n] != ' ' && n + 1 < size) {
		buf[n] = v[n];
		n++;
	}
	buf[n] = '\0';
	return n;
}

/* ---- CPUs, threads, time and the ktest runner, for the in-kernel tests ---- */

struct cpu cpus[NR_CPUS];
unsigned int nr_cpus_possible;

void host_cpus_init(unsigned int n)
{
	unsigned int i;

	nr_cpus_possible = n;
	for (i = 0; i < n; i++) {
		cpus[i].id = i;
		cpus[i].online = true;
	}
	host_this_cpu = &cpus[0];
}

struct ipi { void (*fn)(void *); void *arg; unsigned int cpu; };

static void *ipi_thread(void *p)
{
	struct ipi *ipi = p;

	host_this_cpu = &cpus[ipi->cpu];
	host_cpu_id = (int)ipi->cpu;
	ipi->fn(ipi->arg);
	return NULL;
}

/* Every "CPU" runs fn at the same time, on its own pthread. */
void on_each_cpu(void (*fn)(void *), void *arg, bool wait)
{
	pthread_t th[NR_CPUS];
	struct ipi ipi[NR_CPUS];
	unsigned int i;

	(void)wait;
	for (i = 0; i < nr_cpus_possible; i++) {
		ipi[i] = (struct ipi){ fn, arg, i };
		pthread_create(&th[i], NULL, ipi_thread, &ipi[i]);
	}
	for (i = 0; i < nr_cpus_possible; i++)
		pthread_join(th[i], NULL);
}

/* A "kernel thread" is a pthread playing CPU 'cpu'. */
struct host_kthread { void (*fn)(void *); void *arg; unsigned int cpu; pthread_t th; };

static void *kthread_main(void *p)
{
	struct host_kthread *k = p;

	host_this_cpu = &cpus[k->cpu];
	host_cpu_id = (int)k->cpu;
	k->fn(k->arg);
	return NULL;
}

struct thread *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	static unsigned int next_cpu;
	struct host_kthread *k = calloc(1, sizeof(*k));

	(void)name;
	k->fn = fn;
	k->arg = arg;
	k->cpu = __atomic_fetch_add(&next_cpu, 1, __ATOMIC_RELAXED) % nr_cpus_possible;
	return (struct thread *)k;
}

void kthread_bind(struct thread *t, unsigned int cpu)
{
	((struct host_kthread *)t)->cpu = cpu;
}

void wake_up_new_thread(struct thread *t)
{
	struct host_kthread *k = (struct host_kthread *)t;

	if (pthread_create(&k->th, NULL, kthread_main, k))
		abort();
}

int thread_join(struct thread *t)
{
	struct host_kthread *k = (struct host_kthread *)t;

	pthread_join(k->th, NULL);
	free(k);
	return 0;
}

void msleep(unsigned int ms)
{
	usleep(ms * 1000);
}

uint64_t arch_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t->failures++;
	fprintf(stderr, "  %s: %s:%d: ", t->name, file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The kernel pretends its root table is this one (pgtable.c's kernel calls). */
static phys_addr_t host_kernel_root;

phys_addr_t arch_kernel_pgd(void)
{
	if (!host_kernel_root)
		host_kernel_root = __pa(get_zeroed_page());
	return host_kernel_root;
}

/* No TLB on the host: count the shootdowns vmap.c asks for. */
unsigned long host_tlb_flushes;

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	(void)start;
	(void)end;
	__atomic_fetch_add(&host_tlb_flushes, 1, __ATOMIC_RELAXED);
}

/* RCU: nothing on the host defers frees through call_rcu in these tests. */
void rcu_barrier(void) { }
