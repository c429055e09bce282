/*
 * shim.c - the kernel services kernel/mm and kernel/sync need, on Linux.
 *
 *  CPUs       one pthread = one CPU (cpus[i]) running one kernel thread;
 *             schedule() spins (sched_yield) until the thread is woken.
 *  TLB        a small per-CPU software TLB (struct host_tlb) that the
 *             simulated user accesses (harness.c) fill from the page
 *             tables; arch_flush_tlb_* empty it. A cross-CPU call takes
 *             the target CPU's TLB lock, which a CPU holds for the length
 *             of one user access - so an "IPI" lands between instructions,
 *             as on hardware.
 *  signals    force_sig_fault/force_sig record the signal in the thread.
 *  uaccess    arch_copy_*_user walk the simulated page tables (harness.c).
 *  libc       only through host.h (driver.c): this file is built like
 *             kernel code, against kernel/include only.
 *  RCU        kernel/sync/rcu.c with ticks and context switches from the
 *             shim (see "RCU" below): grace periods are real.
 *  sched      every lock acquire/release point of kernel code calls
 *             host_sched_point() (linker --wrap), which yields or sleeps
 *             now and then, driven by a per-thread seeded generator.
 */
#include <trace.h>
#include <pagemap.h>
#include <rcupdate.h>

#include "shim.h"
#include <string.h>

__thread struct cpu *host_this_cpu;
__thread unsigned long host_irqs_off;
uintptr_t kimage_voffset;
volatile int panic_in_progress;
struct cpu cpus[NR_CPUS];
unsigned int nr_cpus_possible = NR_CPUS;
struct host_tlb host_tlbs[NR_CPUS];
__thread struct host_thread *host_self;
void (*host_panic_hook)(void);

/* The "kernel image": a blob of the host binary above KERNEL_VIRT_BASE. */
__asm__(".pushsection .bss\n.balign 4096\n.globl _kernel_start\n_kernel_start:\n"
	".skip 0x1000\n.globl _kernel_end\n_kernel_end:\n.popsection");

static host_lock_t print_lock;
bool host_quiet;
/* A CPU waiting in host code (RCU section below). */
struct host_idle {
	host_lock_t lock;	/* the idle CPU's struct cpu and thread belong to its holder */
	bool idle;		/* [lock] */
};
static struct host_idle host_idle[NR_CPUS];
static unsigned long host_idle_mask;	/* [a] CPUs with idle set */
static void host_tick_idle_cpus(void);

void host_lock(host_lock_t *l)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			host_yield();
}

bool host_trylock(host_lock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

void host_unlock(host_lock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

int vprintk(const char *fmt, va_list ap)
{
	int n;

	if (host_quiet)
		return 0;
	host_lock(&print_lock);
	n = host_vprint(fmt, ap);
	host_unlock(&print_lock);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static void __attribute__((noreturn)) host_vpanic(const char *fmt, va_list ap)
{
	panic_in_progress = 1;
	host_lock(&print_lock);
	host_print("PANIC (cpu %d): ", host_this_cpu ? (int)host_this_cpu->id : -1);
	host_vprint(fmt, ap);
	host_print("\n");
	host_unlock(&print_lock);
	if (host_panic_hook)
		host_panic_hook();
	host_exit(3);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_vpanic(fmt, ap);
}

void panic_regs(const struct pt_regs *regs, const char *fmt, ...)
{
	va_list ap;

	(void)regs;
	va_start(ap, fmt);
	host_vpanic(fmt, ap);
}

uint64_t arch_time_ns(void)
{
	return host_time_ns();
}

/* ---- the stand-in scheduler (same contract as tests/host/sync) ---- */

/* One turn of a CPU waiting in schedule(): for RCU a pass through __schedule()
 * (a context switch, a QS), and now and then the broadcast tick for idle CPUs.
 * A long wait stops spinning: on a loaded host the waker needs the CPU. */
static void host_schedule_turn(unsigned int *turns)
{
	unsigned long f = arch_irq_save();

	rcu_note_context_switch();
	arch_irq_restore(f);
	if ((++*turns & 15) == 0 && __atomic_load_n(&host_idle_mask, __ATOMIC_RELAXED))
		host_tick_idle_cpus();
	if (*turns < 64)
		host_relax();
	else
		host_usleep(20);
}

void schedule(void)
{
	struct thread *me = current;
	unsigned int turns = 0;

	while (__atomic_load_n(&me->state, __ATOMIC_ACQUIRE) != TASK_RUNNING)
		host_schedule_turn(&turns);
}

bool wake_up_process(struct thread *t)
{
	long s;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s = __atomic_load_n(&t->state, __ATOMIC_RELAXED);
	if (s != TASK_INTERRUPTIBLE && s != TASK_UNINTERRUPTIBLE)
		return false;
	return __atomic_compare_exchange_n(&t->state, &s, TASK_RUNNING, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

long schedule_timeout(long timeout)
{
	uint64_t end = arch_time_ns() + (uint64_t)timeout * 1000000ull;
	unsigned int turns = 0;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {	/* (end above overflows) */
		schedule();
		return timeout;
	}
	while (__atomic_load_n(&current->state, __ATOMIC_ACQUIRE) != TASK_RUNNING) {
		if (arch_time_ns() >= end) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		host_schedule_turn(&turns);
	}
	return 1;
}

void yield(void) { host_relax(); }
void msleep(unsigned int ms) { host_usleep(ms * 1000); }
void preempt_schedule(void) { }

void __might_sleep(const char *file, int line)
{
	if (this_cpu()->preempt_count || host_irqs_off)
		panic("sleeping with preempt_count %d, IRQs %s at %s:%d",
		      this_cpu()->preempt_count, host_irqs_off ? "off" : "on", file, line);
}

/* ---- command line, kernel page table ---- */

const char *cmdline_get(const char *key) { (void)key; return NULL; }
bool cmdline_has(const char *key) { (void)key; return false; }
size_t cmdline_copy(const char *key, char *buf, size_t size)
{
	(void)key;
	if (size)
		buf[0] = '\0';
	return 0;
}

static phys_addr_t kernel_root;

phys_addr_t arch_kernel_pgd(void)
{
	if (!kernel_root)
		kernel_root = __pa(get_zeroed_page());
	return kernel_root;
}

void arch_pgd_init_user(pte_t *pgd) { (void)pgd; }

/* ---- the software TLB ---- */

static void tlb_clear(struct host_tlb *t)
{
	memset(t->e, 0, sizeof(t->e));
}

void arch_flush_tlb_page_local(uintptr_t va)
{
	struct host_tlb *t = &host_tlbs[this_cpu()->id];
	struct host_tlb_entry *e = &t->e[(va >> PAGE_SHIFT) % HOST_TLB_ENTRIES];

	host_lock(&t->lock);
	if (e->valid && e->va == (va & PAGE_MASK))
		e->valid = false;
	t->flushes++;
	host_unlock(&t->lock);
}

void arch_flush_tlb_all_local(void)
{
	struct host_tlb *t = &host_tlbs[this_cpu()->id];

	host_lock(&t->lock);
	tlb_clear(t);
	t->flushes++;
	host_unlock(&t->lock);
}

void arch_switch_mm(phys_addr_t user_pgd)
{
	struct host_tlb *t = &host_tlbs[this_cpu()->id];

	host_lock(&t->lock);
	tlb_clear(t);
	t->root = user_pgd;
	host_unlock(&t->lock);
}

/* Run fn on cpu "between two of its instructions": with its TLB lock held,
 * playing that CPU (IRQs off), on the caller's pthread. */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *arg, bool wait)
{
	struct cpu *me = host_this_cpu;
	unsigned long irq;

	(void)wait;
	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -ENODEV;
	if (me && cpu == me->id) {
		irq = arch_irq_save();
		fn(arg);
		arch_irq_restore(irq);
		return 0;
	}
	host_sched_point();
	host_lock(&host_tlbs[cpu].ipi_lock);
	host_lock(&host_tlbs[cpu].lock);
	host_tlbs[cpu].in_ipi = true;
	host_unlock(&host_tlbs[cpu].lock);
	irq = arch_irq_save();
	host_this_cpu = &cpus[cpu];
	fn(arg);
	host_this_cpu = me;
	arch_irq_restore(irq);
	host_lock(&host_tlbs[cpu].lock);
	host_tlbs[cpu].in_ipi = false;
	host_tlbs[cpu].ipis++;
	host_unlock(&host_tlbs[cpu].lock);
	host_unlock(&host_tlbs[cpu].ipi_lock);
	return 0;
}

void on_each_cpu(smp_call_func_t fn, void *arg, bool wait)
{
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			smp_call_function_single(cpu, fn, arg, wait);
}

unsigned int num_online_cpus(void)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		n += cpu_online(cpu);
	return n;
}

/* ---- signals, exception fixups ---- */

int force_sig_fault(int sig, int code, uintptr_t addr)
{
	host_self->sig = sig;
	host_self->sig_code = code;
	host_self->sig_addr = addr;
	return 0;
}

int force_sig(int sig)
{
	host_self->sig = sig;
	return 0;
}

bool arch_fixup_exception(struct pt_regs *regs)
{
	if (!regs || !regs->in_uaccess)
		return false;
	regs->fixed_up = 1;
	return true;
}

/* ---- files: not used by these tests ---- */

struct file *fget(unsigned int fd) { (void)fd; return NULL; }
struct file *get_file(struct file *f) { panic("get_file(%p): no files in the host fault test", (void *)f); }
void fput(struct file *f) { panic("fput(%p): no files in the host fault test", (void *)f); }
int call_mmap(struct file *f, struct vm_area_struct *vma)
{
	(void)vma;
	panic("call_mmap(%p): no files in the host fault test", (void *)f);
}

/* ---- CPUs and threads ---- */

void host_arena_init(void)
{
	if (host_map_arena(PHYS_MAP_BASE, PHYS_MAP_SIZE))
		host_exit(2);
	if ((uintptr_t)_kernel_start < KERNEL_VIRT_BASE) {
		host_print("host binary below KERNEL_VIRT_BASE: build it as PIE\n");
		host_exit(2);
	}
	kimage_voffset = (uintptr_t)_kernel_start - HOST_KIMAGE_PA;
}

/* Make the calling pthread CPU 'cpu' running a fresh kernel thread. */
void host_cpu_enter(struct host_thread *ht, unsigned int cpu, const char *name)
{
	struct cpu *c = &cpus[cpu];
	struct thread *t = &ht->thread;

	size_t online = offsetof(struct cpu, online), after = online + sizeof(c->online);

	host_lock(&host_idle[cpu].lock);	/* a broadcast tick may be playing this CPU */
	memset(c, 0, online);		/* all but ->online, which others read (cpu_online) */
	memset((char *)c + after, 0, sizeof(*c) - after);
	c->id = cpu;
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	memcpy(t->name, name, MIN(strlen(name), sizeof(t->name) - 1));
	c->curr = t;
	ht->cpu = cpu;
	host_this_cpu = c;
	host_self = ht;
	host_irqs_off = 0;
	host_idle[cpu].idle = false;
	__atomic_fetch_and(&host_idle_mask, ~(1UL << cpu), __ATOMIC_RELAXED);
	host_unlock(&host_idle[cpu].lock);
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
}

/* The thread starts running in mm (the scheduler's context_switch_mm). */
void host_use_mm(struct mm_struct *mm)
{
	struct thread *t = current;
	unsigned long f = arch_irq_save();

	t->mm = mm;
	t->active_mm = mm;
	switch_mm(NULL, mm);
	arch_irq_restore(f);
}

void host_unuse_mm(void)
{
	struct thread *t = current;
	unsigned long f = arch_irq_save();

	switch_mm(t->mm, NULL);
	t->mm = t->active_mm = NULL;
	arch_irq_restore(f);
}

/* This CPU goes offline (its thread is done): no more IPIs for it; idle from now on. */
void host_cpu_leave(void)
{
	unsigned int cpu = host_this_cpu->id;

	host_lock(&host_tlbs[cpu].ipi_lock);
	__atomic_store_n(&cpus[cpu].online, false, __ATOMIC_RELEASE);
	host_unlock(&host_tlbs[cpu].ipi_lock);
	host_idle_enter();	/* a grace period that began before may still wait for it */
}

/* ---- randomized scheduling points ---- */

static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

uint64_t host_rand(void)
{
	return rng_next(&host_self->rng);
}

int host_sched_level = 1;	/* 0 off, 1 yields, 2 yields and short sleeps */

void host_sched_point(void)
{
	struct host_thread *ht = host_self;
	uint64_t r;

	host_tick();
	if (!ht || !host_sched_level)
		return;
	r = rng_next(&ht->sched_rng);
	ht->sched_points++;
	if ((r & 15) == 0) {
		host_yield();
	} else if (host_sched_level > 1 && (r & 1023) == 1) {
		host_usleep((r >> 10) % 200);
	}
}

/* Every lock acquisition and release of kernel code, seen from another object
 * file, goes through here (-Wl,--wrap=...). */
#define WRAP_VOID(fn, type)						\
	void __real_##fn(type x);					\
	void __wrap_##fn(type x)					\
	{								\
		host_sched_point();					\
		__real_##fn(x);						\
		host_sched_point();					\
	}
WRAP_VOID(mutex_lock, struct mutex *)
WRAP_VOID(mutex_unlock, struct mutex *)
WRAP_VOID(down_read, struct rw_semaphore *)
WRAP_VOID(up_read, struct rw_semaphore *)
WRAP_VOID(down_write, struct rw_semaphore *)
WRAP_VOID(up_write, struct rw_semaphore *)
WRAP_VOID(downgrade_write, struct rw_semaphore *)
WRAP_VOID(spin_lock, spinlock_t *)
WRAP_VOID(spin_lock_keep_irqs, spinlock_t *)
WRAP_VOID(spin_unlock, spinlock_t *)

bool __real_down_read_trylock(struct rw_semaphore *s);
bool __wrap_down_read_trylock(struct rw_semaphore *s)
{
	bool ok;

	host_sched_point();
	ok = __real_down_read_trylock(s);
	host_sched_point();
	return ok;
}

/* The RCU lookup of a VMA (lock_vma_under_rcu): a scheduling point between finding
 * the VMA and locking it widens the window in which munmap may detach and free it. */
struct vm_area_struct *__real_vma_set_find(const struct vma_set *set, unsigned long addr);
struct vm_area_struct *__wrap_vma_set_find(const struct vma_set *set, unsigned long addr)
{
	struct vm_area_struct *vma = __real_vma_set_find(set, addr);

	host_sched_point();
	return vma;
}

uint32_t fdt_totalsize(const void *fdt)
{
	(void)fdt;
	return 0;
}

/* ---- tracing ---------------------------------------------------------------
 * The host has no trace rings: trace_on stays false, so the kernel's
 * trace_event() calls (rwsem.c, fault.c) never get past their check. */
bool trace_on;

void __trace_event(enum trace_type type, uint64_t a0, uint64_t a1)
{
	panic("trace event %d (%#llx, %#llx) on the host, where tracing cannot be on", (int)type,
	      (unsigned long long)a0, (unsigned long long)a1);
}

/* ---- RCU: the kernel's own kernel/sync/rcu.c -------------------------------
 * rcu.c is linked in unchanged; the shim gives it what the scheduler and the
 * timer give it in the kernel:
 *   - rcu_gp is a kthread (kthread_run below): a pthread playing CPU
 *     HOST_RCU_CPU, sleeping in wait_event like everyone else;
 *   - context switches: schedule() reports one on every turn of its wait loop
 *     (the CPU is switching / idle there, preempt_count 0);
 *   - timer ticks: host_tick(), called at every scheduling point and between
 *     two simulated user accesses (harness.c), runs rcu_sched_clock_irq() the
 *     way the timer interrupt does (IRQs off, irq_depth 1): a QS when the
 *     interrupted code had IRQs on and preempt_count 0 - so never inside an
 *     rcu_read_lock() section, a spinlock or an IPI;
 *   - idle CPUs tick too: a CPU that waits in host code (the main CPU joining
 *     its threads, a CPU whose thread ended) marks itself idle
 *     (host_idle_enter) and the running CPUs tick it on its behalf, like a
 *     broadcast timer, so it never holds a grace period up.
 * Freed objects are really freed when the callback runs (kfree: the slab
 * poisons them, 0x6b); under ASan, kfree also poisons them in ASan's shadow
 * and keeps them in a quarantine for a while, so a use after the grace
 * period is an ASan report (host_kfree_quarantine below). */
#include <rcupdate.h>

static __thread unsigned int host_tick_count;

/* One timer interrupt on this CPU (or the idle CPU this pthread plays). */
static void host_tick_here(void)
{
	struct cpu *c = this_cpu();
	unsigned long f = arch_irq_save();

	c->irq_depth++;
	rcu_sched_clock_irq();
	c->irq_depth--;
	arch_irq_restore(f);
}

/* The broadcast tick: play each idle CPU for one tick. */
static void host_tick_idle_cpus(void)
{
	struct cpu *me = host_this_cpu;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		struct host_idle *hi = &host_idle[cpu];

		if (!(__atomic_load_n(&host_idle_mask, __ATOMIC_RELAXED) & (1UL << cpu)) ||
		    cpu == me->id || !host_trylock(&hi->lock))
			continue;	/* not idle, me, or its lock is busy: next tick */
		if (hi->idle) {
			host_this_cpu = &cpus[cpu];
			host_tick_here();
			host_this_cpu = me;
		}
		host_unlock(&hi->lock);
	}
}

void host_tick(void)
{
	if (!host_this_cpu || host_irqs_off)
		return;		/* IRQs off: the tick waits until they are on */
	host_tick_here();
	if ((++host_tick_count & 15) == 0 && __atomic_load_n(&host_idle_mask, __ATOMIC_RELAXED))
		host_tick_idle_cpus();
}

static void host_set_idle(unsigned int cpu, bool idle)
{
	host_lock(&host_idle[cpu].lock);
	host_idle[cpu].idle = idle;
	if (idle)
		__atomic_fetch_or(&host_idle_mask, 1UL << cpu, __ATOMIC_RELAXED);
	else
		__atomic_fetch_and(&host_idle_mask, ~(1UL << cpu), __ATOMIC_RELAXED);
	host_unlock(&host_idle[cpu].lock);
}

void host_idle_enter(void)
{
	if (preempt_count() || host_irqs_off)
		panic("host_idle_enter with preempt_count %d, IRQs %s: not a quiescent state",
		      preempt_count(), host_irqs_off ? "off" : "on");
	host_set_idle(this_cpu()->id, true);
}

void host_idle_exit(void)
{
	host_set_idle(this_cpu()->id, false);
}

/* Run fn(i, arg) on n new CPUs; this CPU idles meanwhile. */
void host_run_cpus(int n, void (*fn)(int i, void *arg), void *arg)
{
	host_idle_enter();
	host_run_threads(n, fn, arg);
	host_idle_exit();
}

/* ---- kernel threads: one pthread each, playing its own CPU ---- */

struct host_kthread {
	struct host_thread ht;
	void (*fn)(void *);
	void *arg;
	const char *name;
	unsigned int cpu;
};

static void host_kthread_main(void *p)
{
	struct host_kthread *k = p;

	k->ht.sched_rng = 0x2545f4914f6cdd1dull * (k->cpu + 1);
	host_cpu_enter(&k->ht, k->cpu, k->name);
	k->fn(k->arg);
	panic("kthread %s returned", k->name);
}

/* Only rcu_gp is started on the host: it gets CPU HOST_RCU_CPU. */
struct thread *kthread_run(void (*fn)(void *), void *arg, const char *name)
{
	static struct host_kthread rcu_gp;

	if (strcmp(name, "rcu_gp") || rcu_gp.fn)
		panic("kthread_run(%s): the host fault shim runs only one rcu_gp thread", name);
	rcu_gp = (struct host_kthread){ .fn = fn, .arg = arg, .name = name, .cpu = HOST_RCU_CPU };
	host_start_thread(host_kthread_main, &rcu_gp);
	while (!cpu_online(HOST_RCU_CPU))
		host_yield();
	return &rcu_gp.ht.thread;
}

void thread_put(struct thread *t)
{
	(void)t;	/* the host's kthreads live as long as the test process */
}

/* ---- kfree under ASan: poison and quarantine ---- */
#ifdef __SANITIZE_ADDRESS__
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);

#define HOST_QUARANTINE 1024
static struct {
	host_lock_t lock;
	const void *obj[HOST_QUARANTINE];	/* [lock] a ring, oldest at next */
	size_t size[HOST_QUARANTINE];		/* [lock] */
	unsigned int next;			/* [lock] */
} host_quarantine;

void __real_kfree(const void *obj);

/* Free the quarantined object in slot i (if any). Caller holds the lock. */
static void host_quarantine_evict(unsigned int i)
{
	const void *obj = host_quarantine.obj[i];

	if (!obj)
		return;
	host_quarantine.obj[i] = NULL;
	__asan_unpoison_memory_region(obj, host_quarantine.size[i]);
	__real_kfree(obj);
}

void __wrap_kfree(const void *obj)
{
	unsigned int i;
	size_t size;

	if (!obj)
		return;
	size = ksize(obj);
	__asan_poison_memory_region(obj, size);
	host_lock(&host_quarantine.lock);
	i = host_quarantine.next;
	host_quarantine.next = (i + 1) % HOST_QUARANTINE;
	host_quarantine_evict(i);
	host_quarantine.obj[i] = obj;
	host_quarantine.size[i] = size;
	host_unlock(&host_quarantine.lock);
}

/* Really free everything quarantined (before counting free pages). */
void host_quarantine_drain(void)
{
	host_lock(&host_quarantine.lock);
	for (unsigned int i = 0; i < HOST_QUARANTINE; i++)
		host_quarantine_evict(i);
	host_unlock(&host_quarantine.lock);
}
#else
void __real_kfree(const void *obj);
void __wrap_kfree(const void *obj)
{
	__real_kfree(obj);
}

void host_quarantine_drain(void)
{
}
#endif

/* The OOM killer (kernel/task/oom_kill.c) picks the largest process; the host runs one,
 * the faulting one: it is the victim. */
#include <oom.h>
enum oom_result out_of_memory(void)
{
	return OOM_KILL_CURRENT;
}

/* Reclaim before OOM walks the page cache of the mounted file systems; the host
 * harness mounts none, so there is never anything to give back. */
#include <fs.h>
void drop_pagecache(struct drop_caches_result *out)
{
	out->folios = out->buffers = 0;
}

struct thread;
bool signal_pending(struct thread *t) { (void)t; return false; }
bool fatal_signal_pending(struct thread *t) { (void)t; return false; }

/* FAULT_POLICY=mmap|vma|... in the environment picks the policy (default: the kernel's). */
#include <fault_policy.h>
extern char *getenv(const char *name);
__attribute__((constructor)) static void host_fault_policy_from_env(void)
{
	const char *p = getenv("FAULT_POLICY");

	if (p)
		fault_policy_set(p);
}

/* ---- the folio lock --------------------------------------------------------
 * kernel/mm/filemap.c (hashed wait queues, the whole page cache) is not built
 * here: the stress maps anonymous memory only. PG_locked is still a real bit
 * lock, taken by spinning with yields instead of sleeping on a wait queue. */
bool folio_trylock(struct folio *folio)
{
	return !folio_test_set_flag(folio, PG_locked);
}

void folio_lock(struct folio *folio)
{
	while (!folio_trylock(folio))
		yield();		/* host_relax(): the harness's yield */
}

void folio_unlock(struct folio *folio)
{
	if (!folio_test_clear_flag(folio, PG_locked))
		panic("folio_unlock of an unlocked folio %p", (void *)folio);
}
