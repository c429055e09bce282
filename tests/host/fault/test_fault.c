/*
 * test_fault.c - kernel/mm's fault path under concurrency, on the host.
 *
 * Each test runs in a forked child with a fresh "machine" (arena, buddy
 * allocator, slab) and one mm. Threads are CPUs of one process:
 *
 *   workers    fault their own private anonymous regions (reads, writes,
 *              copy_to_user/copy_from_user) with per-thread patterns and
 *              verify every value they read; they also share one
 *              MAP_SHARED|MAP_ANONYMOUS region (one word per worker per page)
 *   mapper     mmap/munmap/mprotect of unrelated regions (which merge with
 *              and split from the workers' VMAs), and munmap + MAP_FIXED
 *              re-mmap of parts of the workers' regions (data legitimately
 *              lost: announced through a sequence count, like a seqlock)
 *   protector  mprotect parts of the workers' regions and the shared region
 *              read-only / PROT_NONE and back (data must survive; SEGV only
 *              while announced)
 *
 * Randomized scheduling points at every kernel lock acquire/release
 * (shim.c), all choices from SEED. Invariants: no lost write, no value out
 * of nowhere, no SEGV/EFAULT outside an announced change, no fault through
 * a detached/freed VMA (harness.c), no access to a freed page, counters add
 * up (pgfault == faults handled, segv == SIGSEGVs), rss == pages mapped,
 * mapcounts and refcounts of mapped pages, no PTE outside a VMA, no lock
 * held after a fault, and every page back after mmput.
 *
 *   build/test_fault [test-name]     SEED=n STRESS_MS=n V=1
 * Ends with "fault: N passed, N failed"; a failure prints its seed.
 */
#include <rcupdate.h>
#include "shim.h"
#include <boot.h>
#include <vmstat.h>
#include <uaccess.h>
#include <string.h>
#include <rmap.h>
#include <uapi/faultline/mman.h>
#include <uapi/faultline/signal.h>

bool hw_walk(phys_addr_t root, unsigned long va, pte_t *leaf);
extern unsigned long hmf_calls, hmf_completed, hmf_retry;

static uint64_t seed;
static const char *test_name;
static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		host_print("  %s: %s:%d: check failed: %s: ", test_name, __FILE__, __LINE__, #cond); \
		host_print(__VA_ARGS__);				\
		host_print("\n");					\
		failures++;						\
	}								\
} while (0)
#define FATAL(...) panic(__VA_ARGS__)

static void print_seed(void)
{
	host_print("  %s failed: reproduce with SEED=%llu make -C tests/host/fault run T=%s\n",
		   test_name, (unsigned long long)seed, test_name);
}

/* ---- machine ---- */

static struct host_thread main_thread;
static unsigned long free_at_boot;

static void boot(void)
{
	struct boot_info bi;

	host_quiet = host_getenv("V") == NULL;
	host_panic_hook = print_seed;
	host_arena_init();
	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct mem_range){ 0x100000, 256 * MiB };
	bi.nr_mem = 1;
	bi.reserved[0] = (struct mem_range){ HOST_KIMAGE_PA, 0x1000 };
	/* __pa(empty_zero_page) is wherever the host linker put it relative to the pretend
	 * image: keep the allocator from handing out that page as well. */
	bi.reserved[1] = (struct mem_range){ zero_page_pa(), PAGE_SIZE };
	bi.nr_reserved = 2;
	bi.nr_cpus = 1;
	bi.cmdline = "";
	host_cpu_enter(&main_thread, 0, "main");
	main_thread.rng = main_thread.sched_rng = seed * 0x9e3779b97f4a7c15ull + 1;
	page_alloc_init(&bi);
	slab_init();
	rcu_init();		/* starts rcu_gp on CPU HOST_RCU_CPU */
	free_at_boot = nr_free_pages();
}

static unsigned long mmap_anon(struct mm_struct *mm, unsigned long addr, unsigned long len,
			       unsigned long prot, unsigned long flags)
{
	unsigned long a = do_mmap(mm, addr, len, prot, flags | MAP_ANONYMOUS, NULL, 0);

	if (IS_ERR_VALUE(a))
		FATAL("do_mmap(0x%lx, 0x%lx) = %ld", addr, len, (long)a);
	return a;
}

/* ---- invariants on a quiescent mm ---- */

struct census { unsigned long anon, file, vma_pages, vmas; };

static void check_page(struct mm_struct *mm, unsigned long va, pte_t pte, struct census *c)
{
	phys_addr_t pa = pte_pa(pte);
	struct page *pg;

	if (pa == zero_page_pa()) {
		CHECK(!(pte_prot(pte) & PTE_W), "zero page mapped writable at 0x%lx", va);
		return;
	}
	pg = phys_to_page(pa);
	CHECK(pg && page_count(pg) > 0, "PTE at 0x%lx maps a free page", va);
	if (!pg)
		return;
	if (pg->anon_vma) {
		c->anon++;
		CHECK(page_mapcount(pg) == 1 && page_count(pg) == 1,
		      "anon page at 0x%lx: mapcount %d refcount %d (want 1, 1)", va,
		      page_mapcount(pg), page_count(pg));
	} else {
		c->file++;
		CHECK(page_mapcount(pg) == 1 && page_count(pg) == 2,
		      "shmem page at 0x%lx: mapcount %d refcount %d (want 1, 2)", va,
		      page_mapcount(pg), page_count(pg));
	}
	(void)mm;
}

static void check_mm(struct mm_struct *mm, unsigned long lo, unsigned long hi)
{
	struct census c = { 0 };
	struct vma_iterator vmi;
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long va;
	pte_t pte;

	mmap_read_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma) {
		CHECK(atomic_read(&vma->vm_refcnt) == 1, "VMA [0x%lx,0x%lx) vm_refcnt %d",
		      vma->vm_start, vma->vm_end, atomic_read(&vma->vm_refcnt));
		CHECK(vma->vm_mm == mm && vma->vm_start < vma->vm_end, "VMA %p broken", (void *)vma);
		CHECK(!prev || prev->vm_end <= vma->vm_start, "VMAs overlap at 0x%lx", vma->vm_start);
		c.vmas++;
		c.vma_pages += vma_pages(vma);
		prev = vma;
	}
	CHECK(c.vmas == mm->map_count, "map_count %lu, VMAs %lu", mm->map_count, c.vmas);
	CHECK(c.vma_pages == mm->total_vm, "total_vm %lu, VMA pages %lu", mm->total_vm, c.vma_pages);
	for (va = lo; va < hi; va += PAGE_SIZE) {
		int level;
		pte_t *ptep = pt_walk(mm->pgd_pa, va, 0, false, &level);

		if (level > 0) {		/* no table: skip what it would cover */
			va = ALIGN_DOWN(va, PT_LEVEL_SIZE(level)) + PT_LEVEL_SIZE(level) - PAGE_SIZE;
			continue;
		}
		if (!hw_walk(mm->pgd_pa, va, &pte))
			continue;
		(void)ptep;
		vma = find_vma(mm, va);
		CHECK(vma && vma->vm_start <= va, "present PTE at 0x%lx outside every VMA", va);
		if (vma && vma->vm_start <= va && vma->vm_page_prot)
			CHECK(pte_prot(pte) & PTE_USER, "PTE at 0x%lx in an accessible VMA lacks USER", va);
		check_page(mm, va, pte, &c);
	}
	mmap_read_unlock(mm);
	CHECK(atomic_long_read(&mm->rss[MM_ANONPAGES]) == (long)c.anon,
	      "rss anon %ld, anon pages mapped %lu", atomic_long_read(&mm->rss[MM_ANONPAGES]), c.anon);
	CHECK(atomic_long_read(&mm->rss[MM_FILEPAGES]) == (long)c.file,
	      "rss file %ld, shmem pages mapped %lu", atomic_long_read(&mm->rss[MM_FILEPAGES]), c.file);
}

/* Counters vs what the threads saw. */
static void check_counters(struct mm_struct *mm, struct host_thread **ts, int n)
{
	unsigned long fu = 0, fk = 0, segv = 0, efault = 0;
	unsigned long pgfault = sum_vm_event(PGFAULT), pgfault_k = sum_vm_event(PGFAULT_KERNEL);
	int i;

	for (i = 0; i < n; i++) {
		fu += ts[i]->faults_user;
		fk += ts[i]->faults_kernel;
		segv += ts[i]->segv;
		efault += ts[i]->efault;
	}
	CHECK(fu == pgfault + sum_vm_event(FAULT_SEGV) + sum_vm_event(FAULT_SIGBUS) +
		    sum_vm_event(OOM_KILL),
	      "user traps %lu != pgfault %lu + segv %lu + sigbus %lu + oom %lu", fu, pgfault,
	      sum_vm_event(FAULT_SEGV), sum_vm_event(FAULT_SIGBUS), sum_vm_event(OOM_KILL));
	CHECK(segv == sum_vm_event(FAULT_SEGV), "signals seen %lu, segv counter %lu", segv,
	      sum_vm_event(FAULT_SEGV));
	CHECK(fk == pgfault_k + sum_vm_event(UACCESS_EFAULT),
	      "uaccess traps %lu != pgfault_kernel %lu + efault %lu", fk, pgfault_k,
	      sum_vm_event(UACCESS_EFAULT));
	CHECK(efault == sum_vm_event(UACCESS_EFAULT), "EFAULTs seen %lu, counter %lu", efault,
	      sum_vm_event(UACCESS_EFAULT));
	CHECK(hmf_completed == pgfault + pgfault_k, "handle_mm_fault completed %lu != pgfault %lu + "
	      "pgfault_kernel %lu", hmf_completed, pgfault, pgfault_k);
	CHECK((unsigned long)atomic_long_read(&mm->pgfault) == pgfault + pgfault_k,
	      "mm->pgfault %ld != %lu", atomic_long_read(&mm->pgfault), pgfault + pgfault_k);
}

static void teardown(struct mm_struct *mm)
{
	host_unuse_mm();
	mmput(mm);
	rcu_barrier();		/* VMAs and VMA arrays are freed after a grace period */
	host_quarantine_drain();
	/* Slab keeps some pages for its caches; user pages and tables must all be back. */
	CHECK(nr_free_pages() + 64 >= free_at_boot, "%lu pages not returned after mmput",
	      free_at_boot - nr_free_pages());
}

/* ---- basic: one thread, exact counters ---- */

#define P(n) ((n) * PAGE_SIZE)

static int t_basic(void)
{
	struct mm_struct *mm;
	unsigned long a, s;
	uint64_t v = 0;
	struct host_thread *ts[1] = { &main_thread };

	boot();
	mm = mm_alloc();
	host_use_mm(mm);
	a = mmap_anon(mm, 0, P(16), PROT_READ | PROT_WRITE, MAP_PRIVATE);
	CHECK(user_load(a, &v) == 0 && v == 0, "read of fresh anon: %llu", (unsigned long long)v);
	CHECK(sum_vm_event(ZERO_PAGE_MAP) == 1, "zero_page_map %lu", sum_vm_event(ZERO_PAGE_MAP));
	CHECK(user_store(a, 42) == 0, "write");
	CHECK(sum_vm_event(COW_FAULT) == 1, "cow from the zero page: %lu", sum_vm_event(COW_FAULT));
	CHECK(user_store(a + P(1), 43) == 0, "write");
	CHECK(sum_vm_event(ANON_FAULT) == 1, "anon_fault %lu", sum_vm_event(ANON_FAULT));
	CHECK(user_load(a, &v) == 0 && v == 42, "read back %llu", (unsigned long long)v);
	CHECK(atomic_long_read(&mm->rss[MM_ANONPAGES]) == 2, "rss");
	CHECK(do_mprotect(mm, a, P(1), PROT_READ) == 0, "mprotect");
	CHECK(mm->map_count == 2, "split: %lu VMAs", mm->map_count);
	CHECK(user_store(a, 1) == SIGSEGV && main_thread.sig_code == SEGV_ACCERR, "write to RO");
	CHECK(user_load(a, &v) == 0 && v == 42, "read RO");
	CHECK(do_mprotect(mm, a, P(1), PROT_READ | PROT_WRITE) == 0, "mprotect back");
	CHECK(mm->map_count == 1, "merge: %lu VMAs", mm->map_count);
	CHECK(user_store(a, 44) == 0, "write after RW again");
	CHECK(sum_vm_event(COW_REUSE) == 1, "cow_reuse %lu", sum_vm_event(COW_REUSE));
	v = 7;
	CHECK(copy_to_user((void *)(a + P(5)), &v, 8) == 0, "copy_to_user demand fault");
	v = 0;
	CHECK(copy_from_user(&v, (void *)(a + P(5)), 8) == 0 && v == 7, "copy_from_user");
	CHECK(sum_vm_event(PGFAULT_KERNEL) == 1, "pgfault_kernel %lu", sum_vm_event(PGFAULT_KERNEL));
	CHECK(do_munmap(mm, a + P(4), P(4)) == 0, "munmap");
	CHECK(user_load(a + P(5), &v) == SIGSEGV && main_thread.sig_code == SEGV_MAPERR, "unmapped");
	CHECK(copy_to_user((void *)(a + P(6)), &v, 8) == -EFAULT, "copy_to_user to a hole");
	s = mmap_anon(mm, 0, P(4), PROT_READ | PROT_WRITE, MAP_SHARED);
	CHECK(user_store(s + 8, 5) == 0 && user_load(s + 8, &v) == 0 && v == 5, "shmem");
	check_mm(mm, MIN(a, s) - P(64), MAX(a, s) + P(64));
	check_counters(mm, ts, 1);
	teardown(mm);
	return failures != 0;
}

/* ---- RCU (kernel/sync/rcu.c on the host's ticks, shim.c) ---- */

struct robj {
	uint64_t magic;
	uint64_t payload[6];
	struct rcu_head rcu;
};
#define ROBJ_MAGIC 0x600dc0ffee000001ull

static struct {
	struct robj *gp;		/* the published pointer */
	int reader_in, queued;		/* [a] */
	int cb_ran, reader_done;	/* [a] */
	int cb_saw_reader_done;		/* [a] written by the callback (rcu_gp) */
	int sync_saw_reader_done;	/* [a] */
	int reader_saw_bad;		/* [a] the object changed or its callback ran under the reader */
	int release[NR_CPUS];		/* [a] a holdout CPU may leave its reader section */
	int released_before_cb;		/* [a] bit i: release[i] was set when the callback ran */
} rt;

static int aload(int *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static void astore(int *p, int v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

static void robj_free_cb(struct rcu_head *head)
{
	struct robj *o = container_of(head, struct robj, rcu);

	astore(&rt.cb_saw_reader_done, aload(&rt.reader_done));
	for (int i = 0; i < NR_CPUS; i++)
		if (aload(&rt.release[i]))
			__atomic_fetch_or(&rt.released_before_cb, 1 << i, __ATOMIC_RELAXED);
	astore(&rt.cb_ran, 1);
	kfree(o);
}

static void spin_ms(unsigned int ms)
{
	uint64_t end = host_time_ns() + ms * 1000000ull;

	while (host_time_ns() < end) {
		host_sched_point();	/* ticks: a QS only outside the reader */
		host_yield();
	}
}

/* CPU 1 reads the object across the grace period CPU 2 starts; CPU 2 waits for it. */
static void rcu_reader_cpu(int i, void *arg)
{
	struct host_thread *ht = arg;
	struct robj *p;

	host_cpu_enter(&ht[i], (unsigned int)i + 1, i ? "updater" : "reader");
	if (i == 0) {
		rcu_read_lock();
		p = rcu_dereference(rt.gp);
		astore(&rt.reader_in, 1);
		while (!aload(&rt.queued))
			host_yield();
		for (int n = 0; n < 50; n++) {
			spin_ms(1);
			if (READ_ONCE(p->magic) != ROBJ_MAGIC || aload(&rt.cb_ran))
				astore(&rt.reader_saw_bad, 1);
		}
		astore(&rt.reader_done, 1);
		rcu_read_unlock();
	} else {
		struct robj *old = rt.gp;

		while (!aload(&rt.reader_in))
			host_yield();
		rcu_assign_pointer(rt.gp, NULL);
		call_rcu(&old->rcu, robj_free_cb);
		astore(&rt.queued, 1);
		synchronize_rcu();
		astore(&rt.sync_saw_reader_done, aload(&rt.reader_done));
	}
	host_cpu_leave();
}

/* Is the object back in the allocator: poisoned in ASan's shadow, or by the slab. */
#ifdef __SANITIZE_ADDRESS__
int __asan_address_is_poisoned(void const volatile *addr);
static bool freed(const void *p) { return __asan_address_is_poisoned(p); }
#else
static bool freed(const void *p) { return ((const uint8_t *)p)[16] == 0x6b; }	/* POISON_FREE */
#endif

static int t_rcu_reader_spans_gp(void)
{
	struct host_thread ht[2];
	struct rcu_stats s0, s1;
	struct robj *o;

	boot();
	memset(ht, 0, sizeof(ht));
	memset(&rt, 0, sizeof(rt));
	o = kzalloc(sizeof(*o));
	o->magic = ROBJ_MAGIC;
	rcu_assign_pointer(rt.gp, o);
	rcu_get_stats(&s0);
	host_run_cpus(2, rcu_reader_cpu, ht);
	rcu_get_stats(&s1);
	CHECK(!rt.reader_saw_bad, "the object changed or was freed under a reader");
	CHECK(rt.cb_ran && rt.cb_saw_reader_done, "callback ran %d, before the reader ended: %d",
	      rt.cb_ran, !rt.cb_saw_reader_done);
	CHECK(rt.sync_saw_reader_done, "synchronize_rcu returned while a reader was inside");
	CHECK(freed(o), "the object is not freed after the grace period");
	CHECK(s1.gp_completed > s0.gp_completed && s1.cbs_invoked == s1.cbs_queued,
	      "grace periods %lu -> %lu, callbacks %lu of %lu run", s0.gp_completed,
	      s1.gp_completed, s1.cbs_invoked, s1.cbs_queued);
	return failures != 0;
}

/* CPUs 2 and 3 sit in reader sections (preempt off) until told; CPU 1 queues a
 * callback and releases them one after the other; CPU 4 keeps passing QS. */
static void rcu_holdout_cpu(int i, void *arg)
{
	struct host_thread *ht = arg;
	unsigned int cpu = (unsigned int)i + 1;

	host_cpu_enter(&ht[i], cpu, "rcu-test");
	if (cpu == 1) {
		struct robj *o = kzalloc(sizeof(*o));

		while (aload(&rt.reader_in) != 2)
			host_yield();
		call_rcu(&o->rcu, robj_free_cb);
		spin_ms(20);
		astore(&rt.release[2], 1);
		spin_ms(20);
		if (aload(&rt.cb_ran))
			astore(&rt.reader_saw_bad, 1);	/* ran while CPU 3 was still inside */
		astore(&rt.release[3], 1);
		rcu_barrier();
	} else if (cpu == 4) {
		while (!aload(&rt.cb_ran))
			spin_ms(1);
	} else {
		rcu_read_lock();
		__atomic_fetch_add(&rt.reader_in, 1, __ATOMIC_ACQ_REL);
		while (!aload(&rt.release[cpu]))
			spin_ms(1);
		rcu_read_unlock();
	}
	host_cpu_leave();
}

static int t_rcu_callback_after_every_cpu(void)
{
	struct host_thread ht[4];

	boot();
	memset(ht, 0, sizeof(ht));
	memset(&rt, 0, sizeof(rt));
	host_run_cpus(4, rcu_holdout_cpu, ht);	/* CPU 0 idles: it must not hold the GP up */
	CHECK(rt.cb_ran, "the callback never ran");
	CHECK(rt.released_before_cb == ((1 << 2) | (1 << 3)) && !rt.reader_saw_bad,
	      "the callback ran before every CPU passed a quiescent state (released 0x%x)",
	      rt.released_before_cb);
	return failures != 0;
}

/* ---- the stress ---- */

#define MAX_WORKERS	8
#define REG_PER_WORKER	2
#define REG_PAGES	32
#define SLOTS		8		/* words a worker uses per page, at SLOT_STRIDE */
#define SLOT_STRIDE	512
#define SHM_PAGES	8
#define MAX_UNREL	16

struct region {
	unsigned long start;
	unsigned long unmap_seq;	/* odd while parts are unmapped/replaced */
	unsigned long prot_seq;		/* odd while parts lose permissions */
	unsigned long ro_seq;		/* odd while [ro_lo, ro_hi) is surely not writable */
	unsigned long ro_lo, ro_hi;
	uint64_t expect[REG_PAGES][SLOTS];
	unsigned long expect_useq[REG_PAGES][SLOTS];	/* unmap_seq when expect was set */
};

struct multi {
	unsigned long start;
	unsigned long unmap_seq, prot_seq;
};

struct stress {
	struct mm_struct *mm;
	int nworkers;
	unsigned long ops;		/* per worker */
	uint64_t deadline_ns;
	struct region reg[MAX_WORKERS][REG_PER_WORKER];
	struct multi shm;		/* MAP_SHARED region */
	struct multi hot;		/* private region every worker writes */
	int workers_left;		/* [a] */
	struct host_thread th[MAX_WORKERS + 3];
	int related;			/* mapper also unmaps/re-maps the workers' regions */
};

static unsigned long seq_read(unsigned long *s)
{
	return __atomic_load_n(s, __ATOMIC_SEQ_CST);
}

static void seq_bump(unsigned long *s)
{
	__atomic_fetch_add(s, 1, __ATOMIC_SEQ_CST);
}

/* Was a change announced on s anywhere in [s1 read, s2 read]? */
static bool seq_moved(unsigned long s1, unsigned long s2)
{
	return (s1 & 1) || s1 != s2;
}

static void worker_private_op(struct stress *st, int id)
{
	struct region *r = &st->reg[id][host_rand() % REG_PER_WORKER];
	unsigned int pg = host_rand() % REG_PAGES, sl = host_rand() % SLOTS;
	unsigned long addr = r->start + P(pg) + sl * SLOT_STRIDE;
	unsigned long u1, p1, u2, p2;
	unsigned int kind = host_rand() % 10;
	uint64_t v, got = 0;
	int ret;

	u1 = seq_read(&r->unmap_seq);
	p1 = seq_read(&r->prot_seq);
	if (kind < 5) {				/* write, user or uaccess */
		unsigned long ro1 = seq_read(&r->ro_seq);
		unsigned long ro_lo = seq_read(&r->ro_lo), ro_hi = seq_read(&r->ro_hi);

		v = ((uint64_t)(id + 1) << 56) | (host_rand() & 0xffffffffffffull) | 1;
		if (kind == 4)
			ret = copy_to_user((void *)addr, &v, 8) ? SIGSEGV : 0;
		else
			ret = user_store(addr, v);
		u2 = seq_read(&r->unmap_seq);
		p2 = seq_read(&r->prot_seq);
		if (ret == 0) {
			unsigned long ro2 = seq_read(&r->ro_seq);

			if ((ro1 & 1) && ro1 == ro2 && addr >= ro_lo && addr < ro_hi)
				FATAL("worker %d: %s at 0x%lx SUCCEEDED while mprotect had made "
				      "[0x%lx, 0x%lx) read-only: stale writable TLB entry?", id,
				      kind == 4 ? "copy_to_user" : "write", addr, ro_lo, ro_hi);
			r->expect[pg][sl] = v;
			r->expect_useq[pg][sl] = u1;
		} else if (!seq_moved(u1, u2) && !seq_moved(p1, p2)) {
			FATAL("worker %d: %s at 0x%lx failed (signal %d) while the region was "
			      "mapped read-write and nobody changed it", id,
			      kind == 4 ? "copy_to_user" : "write", addr, ret);
		} else if (seq_moved(u1, u2)) {
			r->expect_useq[pg][sl] = u1 | 1;	/* value now unknown: v, old or 0 */
		}
		return;
	}
	if (kind == 9)
		ret = copy_from_user(&got, (void *)addr, 8) ? SIGSEGV : 0;
	else
		ret = user_load(addr, &got);
	u2 = seq_read(&r->unmap_seq);
	p2 = seq_read(&r->prot_seq);
	if (ret) {
		if (!seq_moved(u1, u2) && !seq_moved(p1, p2))
			FATAL("worker %d: read at 0x%lx failed (signal %d) with no change announced",
			      id, addr, ret);
		return;
	}
	v = r->expect[pg][sl];
	if (got == v)
		return;
	if (!seq_moved(r->expect_useq[pg][sl], u2))
		FATAL("worker %d: LOST WRITE at 0x%lx: read 0x%llx, last wrote 0x%llx and nothing "
		      "unmapped it since", id, addr, (unsigned long long)got, (unsigned long long)v);
	if (got != 0 && (got >> 56) != (uint64_t)(id + 1))
		FATAL("worker %d: read 0x%llx at 0x%lx: another thread's value in a private page",
		      id, (unsigned long long)got, addr);
	/* An unmap happened: 0 (fresh page) or an older value of ours are both fine. */
	r->expect[pg][sl] = got;
	r->expect_useq[pg][sl] = u1 == u2 ? u1 : (u2 | 1);
}

/*
 * A region all workers use at once: word [pg][id] belongs to worker id and
 * counts up; the others' words must never go back (two copies of a page),
 * unless an unmap was announced. The shared region (MAP_SHARED) is never
 * unmapped; the hot one (private, so COW and zero-page races between
 * threads of the mm) is unmapped and re-mapped by the mapper.
 */
struct multi_view {
	uint64_t mine[SHM_PAGES];
	unsigned long mine_useq[SHM_PAGES];
	uint64_t seen[SHM_PAGES][MAX_WORKERS];
	unsigned long seen_useq[SHM_PAGES][MAX_WORKERS];	/* unmap_seq when seen was read */
};

static void worker_multi_op(struct stress *st, struct multi *m, struct multi_view *mv, int id)
{
	unsigned int pg = host_rand() % SHM_PAGES, other = host_rand() % st->nworkers;
	unsigned long u1 = seq_read(&m->unmap_seq), p1 = seq_read(&m->prot_seq), u2, p2;
	uint64_t got;
	int ret;

	if (host_rand() & 1) {
		ret = user_store(m->start + P(pg) + id * 8, mv->mine[pg] + 1);
		u2 = seq_read(&m->unmap_seq);
		p2 = seq_read(&m->prot_seq);
		if (!ret) {
			mv->mine[pg]++;
			if (seq_moved(u1, u2))
				mv->mine_useq[pg] = u2 | 1;
		} else if (!seq_moved(p1, p2) && !seq_moved(u1, u2)) {
			FATAL("worker %d: write to page %u of a multi-thread region failed (signal %d)",
			      id, pg, ret);
		}
		return;
	}
	ret = user_load(m->start + P(pg) + other * 8, &got);
	u2 = seq_read(&m->unmap_seq);
	p2 = seq_read(&m->prot_seq);
	if (ret) {
		if (!seq_moved(p1, p2) && !seq_moved(u1, u2))
			FATAL("worker %d: read of a multi-thread region failed (signal %d)", id, ret);
		return;
	}
	if ((int)other == id) {
		if (got != mv->mine[pg] && !seq_moved(mv->mine_useq[pg], u2))
			FATAL("worker %d: page %u of a multi-thread region: own word 0x%llx, wrote "
			      "0x%llx: LOST WRITE", id, pg, (unsigned long long)got,
			      (unsigned long long)mv->mine[pg]);
		if (got != mv->mine[pg]) {	/* unmapped meanwhile: continue from what is there */
			mv->mine[pg] = got;
			mv->mine_useq[pg] = u1 == u2 ? u1 : (u2 | 1);
		}
		return;
	}
	if (got < mv->seen[pg][other] && !seq_moved(mv->seen_useq[pg][other], u2))
		FATAL("worker %d: page %u word of worker %u went back from %llu to %llu: two "
		      "copies of one page?", id, pg, other,
		      (unsigned long long)mv->seen[pg][other], (unsigned long long)got);
	mv->seen[pg][other] = got;
	mv->seen_useq[pg][other] = u1 == u2 ? u1 : (u2 | 1);
}

static void worker(struct stress *st, int id)
{
	struct multi_view shm, hot;
	unsigned long i;

	memset(&shm, 0, sizeof(shm));
	memset(&hot, 0, sizeof(hot));
	for (i = 0; i < st->ops && host_time_ns() < st->deadline_ns; i++) {
		unsigned int k = host_rand() % 8;

		if (k == 0)
			worker_multi_op(st, &st->shm, &shm, id);
		else if (k < 3)
			worker_multi_op(st, &st->hot, &hot, id);
		else
			worker_private_op(st, id);
	}
}

/* Unrelated regions come and go (and merge with / split from the workers' VMAs);
 * related ones: parts of the workers' regions are unmapped and mapped again. */
static void mapper(struct stress *st)
{
	unsigned long unrel[MAX_UNREL] = { 0 }, unrel_len[MAX_UNREL] = { 0 };
	struct mm_struct *mm = st->mm;

	while (__atomic_load_n(&st->workers_left, __ATOMIC_ACQUIRE)) {
		unsigned int k = host_rand() % 10, i = host_rand() % MAX_UNREL;

		if (k < 3 && !unrel[i]) {
			unsigned long len = P(1 + host_rand() % 8);
			unsigned long a = do_mmap(mm, 0, len, PROT_READ | PROT_WRITE,
						  MAP_PRIVATE | MAP_ANONYMOUS, NULL, 0);

			if (!IS_ERR_VALUE(a)) {
				unrel[i] = a;
				unrel_len[i] = len;
				if (host_rand() & 1)
					CHECK(user_store(a, 0x5a5a) == 0, "touch unrelated");
			}
		} else if (k < 6 && unrel[i]) {
			CHECK(do_munmap(mm, unrel[i], unrel_len[i]) == 0, "munmap unrelated");
			unrel[i] = 0;
		} else if (k < 7 && unrel[i]) {
			do_mprotect(mm, unrel[i], P(1), host_rand() & 1 ? PROT_READ : PROT_READ | PROT_WRITE);
		} else if (st->related && k == 7) {
			unsigned long p0 = host_rand() % SHM_PAGES;

			seq_bump(&st->hot.unmap_seq);
			CHECK(do_mmap(mm, st->hot.start + P(p0), P(1), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) == st->hot.start + P(p0),
			      "re-mmap hot");
			seq_bump(&st->hot.unmap_seq);
		} else if (st->related) {
			struct region *r = &st->reg[host_rand() % st->nworkers][host_rand() % REG_PER_WORKER];
			unsigned long p0 = host_rand() % REG_PAGES, n = 1 + host_rand() % (REG_PAGES - p0);

			seq_bump(&r->unmap_seq);
			if (host_rand() & 1) {
				CHECK(do_munmap(mm, r->start + P(p0), P(n)) == 0, "munmap related");
				host_sched_point();
			}
			CHECK(do_mmap(mm, r->start + P(p0), P(n), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, NULL, 0) == r->start + P(p0),
			      "re-mmap related");
			seq_bump(&r->unmap_seq);
		}
		host_sched_point();
	}
	for (unsigned int i = 0; i < MAX_UNREL; i++)
		if (unrel[i])
			do_munmap(mm, unrel[i], unrel_len[i]);
}

static void protector(struct stress *st)
{
	struct mm_struct *mm = st->mm;

	while (__atomic_load_n(&st->workers_left, __ATOMIC_ACQUIRE)) {
		unsigned long prot = host_rand() % 3 == 0 ? PROT_NONE : PROT_READ;

		if (host_rand() % 3 == 0) {
			struct multi *m = host_rand() & 1 ? &st->shm : &st->hot;
			unsigned long p0 = host_rand() % SHM_PAGES;

			seq_bump(&m->prot_seq);
			do_mprotect(mm, m->start + P(p0), P(1), prot);
			host_sched_point();
			while (do_mprotect(mm, m->start + P(p0), P(1), PROT_READ | PROT_WRITE))
				host_yield();
			seq_bump(&m->prot_seq);
		} else {
			struct region *r = &st->reg[host_rand() % st->nworkers][host_rand() % REG_PER_WORKER];
			unsigned long p0 = host_rand() % REG_PAGES, n = 1 + host_rand() % (REG_PAGES - p0);

			seq_bump(&r->prot_seq);
			/* -ENOMEM if the mapper has a hole there right now: then
			 * part of it may have changed; restore until the hole is gone. */
			if (do_mprotect(mm, r->start + P(p0), P(n), prot) == 0 && !st->related) {
				__atomic_store_n(&r->ro_lo, r->start + P(p0), __ATOMIC_SEQ_CST);
				__atomic_store_n(&r->ro_hi, r->start + P(p0 + n), __ATOMIC_SEQ_CST);
				seq_bump(&r->ro_seq);	/* surely read-only from here... */
				host_sched_point();
				host_yield();
				seq_bump(&r->ro_seq);	/* ...to here */
			}
			host_sched_point();
			while (do_mprotect(mm, r->start + P(p0), P(n), PROT_READ | PROT_WRITE))
				host_yield();
			seq_bump(&r->prot_seq);
		}
		host_sched_point();
	}
}

static void stress_thread(int i, void *arg)
{
	struct stress *st = arg;
	struct host_thread *ht = &st->th[i];
	char name[16] = "worker0";

	if (i >= st->nworkers)
		memcpy(name, i == st->nworkers ? "mapper" : "protector", i == st->nworkers ? 7 : 10);
	else
		name[6] = (char)('0' + i);
	ht->rng = seed * 0x9e3779b97f4a7c15ull + (uint64_t)(i + 1) * 0xbf58476d1ce4e5b9ull;
	ht->sched_rng = ht->rng ^ 0x94d049bb133111ebull;
	host_cpu_enter(ht, (unsigned int)i + 1, name);
	host_use_mm(st->mm);
	if (i < st->nworkers) {
		worker(st, i);
		__atomic_fetch_sub(&st->workers_left, 1, __ATOMIC_RELEASE);
	} else if (i == st->nworkers) {
		mapper(st);
	} else {
		protector(st);
	}
	host_unuse_mm();
	host_cpu_leave();
}

static int run_stress(int nworkers, int related, int sched_level)
{
	static struct stress st;	/* big: keep it off the stack */
	struct host_thread *ts[MAX_WORKERS + 4];
	unsigned long lo = ~0UL, hi = 0, ms = 1000;
	const char *env = host_getenv("STRESS_MS");
	int w, k, n = nworkers + 2;

	host_sched_level = sched_level;		/* before boot() starts rcu_gp */
	boot();
	if (env)
		ms = host_strtoul(env);
	memset(&st, 0, sizeof(st));
	st.nworkers = nworkers;
	st.related = related;
	st.ops = 2000000;
	st.deadline_ns = host_time_ns() + ms * 1000000ull;
	st.workers_left = nworkers;
	st.mm = mm_alloc();
	host_use_mm(st.mm);
	for (w = 0; w < nworkers; w++)
		for (k = 0; k < REG_PER_WORKER; k++) {
			st.reg[w][k].start = mmap_anon(st.mm, 0, P(REG_PAGES), PROT_READ | PROT_WRITE,
						       MAP_PRIVATE);
			lo = MIN(lo, st.reg[w][k].start);
			hi = MAX(hi, st.reg[w][k].start + P(REG_PAGES));
		}
	st.shm.start = mmap_anon(st.mm, 0, P(SHM_PAGES), PROT_READ | PROT_WRITE, MAP_SHARED);
	st.hot.start = mmap_anon(st.mm, 0, P(SHM_PAGES), PROT_READ | PROT_WRITE, MAP_PRIVATE);
	host_run_cpus(n, stress_thread, &st);

	/* Quiescent: every region is read-write and fully mapped again. */
	for (w = 0; w < nworkers; w++)
		for (k = 0; k < REG_PER_WORKER; k++) {
			struct region *r = &st.reg[w][k];

			for (unsigned int pg = 0; pg < REG_PAGES; pg++)
				for (unsigned int sl = 0; sl < SLOTS; sl++) {
					uint64_t got = ~0ull;

					CHECK(user_load(r->start + P(pg) + sl * SLOT_STRIDE, &got) == 0,
					      "final read");
					if (!seq_moved(r->expect_useq[pg][sl], r->unmap_seq))
						CHECK(got == r->expect[pg][sl], "final value at worker %d "
						      "region %d page %u slot %u: 0x%llx, want 0x%llx", w, k,
						      pg, sl, (unsigned long long)got,
						      (unsigned long long)r->expect[pg][sl]);
				}
		}
	ts[0] = &main_thread;
	for (w = 0; w < n; w++)
		ts[w + 1] = &st.th[w];
	check_mm(st.mm, MMAP_MIN_ADDR, USER_TOP > hi + P(4096) ? hi + P(4096) : hi);
	check_counters(st.mm, ts, n + 1);
	if (host_getenv("V")) {
		struct rcu_stats rs;

		rcu_get_stats(&rs);
		host_print("  %s: rcu: %lu grace periods, %lu of %lu callbacks run during the stress\n",
			   test_name, rs.gp_completed, rs.cbs_invoked, rs.cbs_queued);
		host_print("  %s: pgfault %lu pgfault_kernel %lu anon %lu zero %lu cow %lu reuse %lu "
			   "segv %lu efault %lu retry %lu\n", test_name, sum_vm_event(PGFAULT),
			   sum_vm_event(PGFAULT_KERNEL), sum_vm_event(ANON_FAULT),
			   sum_vm_event(ZERO_PAGE_MAP), sum_vm_event(COW_FAULT),
			   sum_vm_event(COW_REUSE), sum_vm_event(FAULT_SEGV),
			   sum_vm_event(UACCESS_EFAULT), hmf_retry);
	}
	(void)lo;
	teardown(st.mm);
	return failures != 0;
}

static int t_stress_private(void) { return run_stress(4, 0, 1); }
static int t_stress_related(void) { return run_stress(4, 1, 1); }
static int t_stress_sleepy(void) { return run_stress(6, 1, 2); }

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "basic", t_basic },
	{ "rcu_reader_spans_gp", t_rcu_reader_spans_gp },
	{ "rcu_callback_after_every_cpu", t_rcu_callback_after_every_cpu },
	{ "stress_private", t_stress_private },
	{ "stress_related", t_stress_related },
	{ "stress_sleepy", t_stress_sleepy },
};

static int run_one(void *arg)
{
	int (*fn)(void) = (int (*)(void))arg;
	int ret = fn();

	if (ret)
		print_seed();
	return ret;
}

int host_tests_main(int argc, char **argv)
{
	const char *env = host_getenv("SEED");
	int passed = 0, failed = 0;
	unsigned int i;

	seed = env ? host_strtoul(env) : host_time_ns() % 1000000007ull;
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (argc > 1 && strcmp(argv[1], tests[i].name))
			continue;
		test_name = tests[i].name;
		if (host_run_child(run_one, (void *)tests[i].fn, 60)) {
			host_print("ok   %s (seed %llu)\n", tests[i].name, (unsigned long long)seed);
			passed++;
		} else {
			host_print("FAIL %s (seed %llu)\n", tests[i].name, (unsigned long long)seed);
			failed++;
		}
	}
	host_print("fault: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
