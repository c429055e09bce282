/*
 * page_alloc_test.c - in-kernel tests of the buddy allocator.
 *
 * They assume nothing else allocates pages while they run (the tests run
 * one at a time in the init thread; the other CPUs are idle), so the
 * free counts they predict must match exactly.
 */
#include <ktest.h>
#include <rcupdate.h>
#include <page_alloc.h>
#include <cpu.h>
#include <sched.h>
#include <smp.h>
#include <string.h>

/* A chain of allocated pages, linked through the pages themselves. */
struct chain_page {
	struct chain_page *next;
	uint64_t stamp;			/* nonce ^ pfn: catches a page handed out twice */
};

static uint64_t chain_stamp(uint64_t nonce, const void *va)
{
	return nonce ^ page_to_pfn(virt_to_page(va));
}

/* Allocate order-0 pages until none is left; false if one came twice. */
static bool take_all(struct chain_page **head, unsigned long *count, uint64_t nonce)
{
	struct chain_page *p;

	*head = NULL;
	*count = 0;
	while ((p = get_free_pages(0)) != NULL) {
		if (p->stamp == chain_stamp(nonce, p))	/* we stamped it already */
			return false;
		p->stamp = chain_stamp(nonce, p);
		((char *)p)[PAGE_SIZE - 1] = (char)*count;
		p->next = *head;
		*head = p;
		(*count)++;
	}
	return true;
}

/* Free a chain; false if a page's contents were not what we wrote. */
static bool free_chain(struct chain_page *p, uint64_t nonce)
{
	bool ok = true;

	while (p) {
		struct chain_page *next = p->next;

		ok &= p->stamp == chain_stamp(nonce, p);
		p->stamp = 0;
		free_page(p);
		p = next;
	}
	return ok;
}

static bool counts_equal(const unsigned long a[MAX_ORDER], const unsigned long b[MAX_ORDER])
{
	return memcmp(a, b, sizeof(unsigned long) * MAX_ORDER) == 0;
}

KTEST(buddy_exhaustion)
{
	unsigned long start = nr_free_pages(), n, c0[MAX_ORDER], c1[MAX_ORDER];
	uint64_t nonce = arch_time_ns() | 1;
	struct chain_page *all;
	bool distinct;

	page_alloc_free_counts(c0);
	distinct = take_all(&all, &n, nonce);
	KT_EXPECT(t, distinct);
	KT_EXPECT_EQ(t, n, start);
	KT_EXPECT_EQ(t, nr_free_pages(), 0);
	KT_EXPECT(t, alloc_pages(0) == NULL);
	KT_EXPECT(t, free_chain(all, nonce));
	KT_EXPECT_EQ(t, nr_free_pages(), start);
	page_alloc_free_counts(c1);
	KT_EXPECT(t, counts_equal(c0, c1));	/* everything coalesced back */
}

/* Unlink an odd page whose even buddy (pfn - 1) is a free page. */
static struct chain_page *take_odd_with_free_buddy(struct chain_page **list)
{
	struct chain_page **pp, *p;

	for (pp = list; (p = *pp) != NULL; pp = &p->next) {
		struct page *buddy = pfn_to_page(page_to_pfn(virt_to_page(p)) - 1);

		if (buddy && (READ_ONCE(buddy->flags) & PG_buddy)) {
			*pp = p->next;
			return p;
		}
	}
	return NULL;
}

/*
 * Take every page, free those with an even pfn: half the memory is free
 * but no two free pages are buddies, so an order-1 allocation must fail.
 * Freeing one odd page makes exactly one order-1 block: its pair.
 */
KTEST(buddy_fragmentation)
{
	unsigned long start = nr_free_pages(), n, c0[MAX_ORDER], c1[MAX_ORDER];
	uint64_t nonce = arch_time_ns() | 1;
	struct chain_page *all, *odd = NULL, *p, *next;
	unsigned long evens = 0, pfn;
	struct page *pair;

	page_alloc_free_counts(c0);
	KT_ASSERT(t, take_all(&all, &n, nonce));
	for (p = all; p; p = next) {
		next = p->next;
		if (page_to_pfn(virt_to_page(p)) % 2 == 0) {
			free_page(p);
			evens++;
		} else {
			p->next = odd;
			odd = p;
		}
	}
	KT_EXPECT_EQ(t, nr_free_pages(), evens);
	page_alloc_free_counts(c1);
	KT_EXPECT_EQ(t, c1[0], evens);		/* all free blocks are single pages */
	KT_EXPECT(t, alloc_pages(1) == NULL);
	KT_ASSERT(t, odd != NULL);

	p = take_odd_with_free_buddy(&odd);	/* free it: the pair coalesces */
	KT_ASSERT(t, p != NULL);
	pfn = page_to_pfn(virt_to_page(p));
	free_page(p);
	pair = alloc_pages(1);
	KT_EXPECT(t, pair && page_to_pfn(pair) == (pfn & ~1UL));
	KT_EXPECT(t, alloc_pages(1) == NULL);
	if (pair)
		__free_pages(pair, 1);

	KT_EXPECT(t, free_chain(odd, nonce));
	KT_EXPECT_EQ(t, nr_free_pages(), start);
	page_alloc_free_counts(c1);
	KT_EXPECT(t, counts_equal(c0, c1));
}

/* Allocating order o splits the smallest free block of order k >= o:
 * one block less at k, one more at each order o..k-1. */
KTEST(buddy_split_accounting_all_orders)
{
	unsigned long before[MAX_ORDER], after[MAX_ORDER];
	unsigned int o, k, j;

	for (o = 0; o < MAX_ORDER; o++) {
		unsigned long free0 = nr_free_pages();
		struct page *p;
		unsigned char *va;

		page_alloc_free_counts(before);
		for (k = o; k < MAX_ORDER && before[k] == 0; k++)
			;
		p = alloc_pages(o);
		if (k == MAX_ORDER) {
			KT_EXPECT(t, p == NULL);
			continue;
		}
		KT_ASSERT(t, p != NULL);
		KT_EXPECT(t, IS_ALIGNED(page_to_pfn(p), 1UL << o));
		KT_EXPECT(t, phys_to_page(page_to_phys(p)) == p);
		KT_EXPECT(t, virt_to_page(page_address(p)) == p);
		KT_EXPECT_EQ(t, nr_free_pages(), free0 - (1UL << o));
		page_alloc_free_counts(after);
		for (j = 0; j < MAX_ORDER; j++) {
			long want = (long)before[j] - (j == k) + (j >= o && j < k);

			KT_EXPECT_EQ(t, after[j], want);
		}
		va = page_address(p);
		memset(va, 0x5a, PAGE_SIZE << o);	/* usable, all of it */
		KT_EXPECT(t, va[0] == 0x5a && va[(PAGE_SIZE << o) - 1] == 0x5a);
		__free_pages(p, o);
		page_alloc_free_counts(after);
		KT_EXPECT(t, counts_equal(before, after));	/* merged back */
	}
	KT_EXPECT(t, alloc_pages(MAX_ORDER) == NULL);
}

/* ---- all CPUs at once ------------------------------------------------------ */

#define HAMMER_BLOCKS	24

struct hammer {
	unsigned int iterations;
	int ops;			/* [a] successful allocations, all workers */
	int bad;			/* [a] pattern mismatches seen */
	int done;			/* [a] workers finished */
	unsigned long cpu_mask;		/* [a] CPUs a worker ran on */
};

static void hammer_run(struct hammer *h, uint32_t seed)
{
	struct { struct page *p; unsigned int order; uint8_t tag; } blk[HAMMER_BLOCKS];
	unsigned int n = 0, i;

	for (i = 0; i < h->iterations; i++) {
		seed = seed * 1103515245u + 12345u;
		if (n < HAMMER_BLOCKS && (n == 0 || (seed >> 16) % 2)) {
			unsigned int order = (seed >> 20) % 4;
			struct page *p = alloc_pages(order);

			if (!p)
				continue;
			blk[n].p = p;
			blk[n].order = order;
			blk[n].tag = (uint8_t)(seed >> 8);
			memset(page_address(p), blk[n].tag, PAGE_SIZE << order);
			n++;
			__atomic_fetch_add(&h->ops, 1, __ATOMIC_RELAXED);
		} else {
			unsigned int k = (seed >> 16) % n;
			uint8_t *b = page_address(blk[k].p);

			if (b[0] != blk[k].tag || b[(PAGE_SIZE << blk[k].order) - 1] != blk[k].tag)
				__atomic_fetch_add(&h->bad, 1, __ATOMIC_RELAXED);
			__free_pages(blk[k].p, blk[k].order);
			blk[k] = blk[--n];
		}
	}
	while (n--)
		__free_pages(blk[n].p, blk[n].order);
}

static void hammer_ipi(void *arg)
{
	struct hammer *h = arg;
	unsigned int cpu = smp_processor_id();

	__atomic_fetch_or(&h->cpu_mask, 1UL << cpu, __ATOMIC_RELAXED);
	hammer_run(h, 0x1234u + cpu);
	__atomic_fetch_add(&h->done, 1, __ATOMIC_RELEASE);
}

static unsigned int online_mask_weight(unsigned long *mask)
{
	unsigned int i, n = 0;

	*mask = 0;
	for (i = 0; i < nr_cpus_possible && i < NR_CPUS; i++)
		if (READ_ONCE(cpus[i].online)) {
			*mask |= 1UL << i;
			n++;
		}
	return n;
}

/* Every online CPU allocates and frees at the same moment (inside a
 * cross-CPU call, so all of them are guaranteed to take part). */
KTEST(buddy_concurrent_all_cpus)
{
	struct hammer h = { .iterations = 3000 };
	unsigned long start, online, flags;

	rcu_barrier();		/* earlier tests' VMAs/arrays: their slab pages come back now, not mid-test */
	start = nr_free_pages();

	online_mask_weight(&online);
	on_each_cpu(hammer_ipi, &h, true);
	flags = arch_irq_save();		/* if on_each_cpu skipped the caller */
	if (!(h.cpu_mask & (1UL << smp_processor_id())))
		hammer_ipi(&h);
	arch_irq_restore(flags);
	KT_EXPECT_EQ(t, h.cpu_mask, online);
	KT_EXPECT_EQ(t, h.bad, 0);
	KT_EXPECT(t, h.ops > 0);
	KT_EXPECT_EQ(t, nr_free_pages(), start);
}

static void hammer_thread(void *arg)
{
	struct hammer *h = arg;

	__atomic_fetch_or(&h->cpu_mask, 1UL << smp_processor_id(), __ATOMIC_RELAXED);
	hammer_run(h, (uint32_t)arch_time_ns());
	__atomic_fetch_add(&h->done, 1, __ATOMIC_RELEASE);
}

/* The same from kernel threads (preemptible between allocations), two
 * pinned to each online CPU; joined, so their stacks are freed before the
 * count is compared. */
KTEST(buddy_concurrent_kthreads)
{
	struct hammer h = { .iterations = 2000 };
	struct thread *th[2 * NR_CPUS];
	unsigned long start, online;

	rcu_barrier();		/* earlier tests' VMAs/arrays: their slab pages come back now, not mid-test */
	start = nr_free_pages();
	unsigned int ncpus = online_mask_weight(&online), n = 0, i, cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(online & (1UL << cpu)))
			continue;
		for (i = 0; i < 2; i++) {
			th[n] = kthread_create(hammer_thread, &h, "pa-hammer");
			KT_ASSERT(t, th[n] != NULL);
			kthread_bind(th[n], cpu);
			wake_up_new_thread(th[n++]);
		}
	}
	for (i = 0; i < n; i++)
		thread_join(th[i]);
	printk("buddy_concurrent_kthreads: %d allocations by %u threads on CPU mask 0x%lx\n",
	       h.ops, n, h.cpu_mask);
	KT_EXPECT_EQ(t, h.done, 2 * ncpus);
	KT_EXPECT_EQ(t, h.cpu_mask, online);
	KT_EXPECT_EQ(t, h.bad, 0);
	KT_EXPECT_EQ(t, nr_free_pages(), start);
}
