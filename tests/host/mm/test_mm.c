/*
 * test_mm.c - host tests for kernel/mm: memblock, the buddy allocator and
 * slab, checked against simple models. Each scenario runs in a forked
 * child so it boots a fresh allocator. Ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <boot.h>
#include <page_alloc.h>
#include <slab.h>
#include <pgtable.h>
#include <vmap.h>
#include "../../../kernel/mm/internal.h"
#include "shim.h"
#include <ktest.h>

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		exit(1);						\
	}								\
} while (0)

#define NPAGES_MAX (PHYS_MAP_SIZE >> PAGE_SHIFT)
static unsigned char page_state[NPAGES_MAX];	/* model: 0 not usable, 1 free, 2 allocated */

/* The kernel image the shim pretends to run (shim.c). */
#define KIMAGE_START	HOST_KIMAGE_PA
#define KIMAGE_END	(HOST_KIMAGE_PA + 0x45000UL)

static void model_range(phys_addr_t base, uint64_t size, unsigned char v, bool outward)
{
	phys_addr_t s = outward ? ALIGN_DOWN(base, PAGE_SIZE) : ALIGN_UP(base, PAGE_SIZE);
	phys_addr_t e = outward ? ALIGN_UP(base + size, PAGE_SIZE) : ALIGN_DOWN(base + size, PAGE_SIZE);

	if (e > PHYS_MAP_SIZE)
		e = PHYS_MAP_SIZE;
	for (; s < e; s += PAGE_SIZE)
		if (v == 1 || page_state[s >> PAGE_SHIFT])
			page_state[s >> PAGE_SHIFT] = v;
}

/* A messy firmware map: unsorted, overlapping, unaligned, with holes,
 * reservations overlapping each other and the edges of RAM. */
static void messy_boot_info(struct boot_info *bi)
{
	static const struct mem_range mem[] = {
		{ 0x04000123, 0x01000000 },		/* 64 MiB + 0x123, 16 MiB */
		{ 0x00100000, 0x00f00000 },		/* 1..16 MiB */
		{ 0x00800000, 0x00900800 },		/* overlaps the previous one */
		{ 0x02000000, 0x00000800 },		/* less than a page */
		{ 0x08000000, 0x02000000 },		/* 128..160 MiB */
		{ 0x09ffffff, 0x00000001 },		/* inside, tiny */
		{ 0x3ff00000, 0x00200000 },		/* crosses PHYS_MAP_SIZE */
	};
	static const struct mem_range res[] = {
		{ 0x00100000, 0x00001000 },
		{ 0x04fff000, 0x00004000 },		/* crosses the end of a range */
		{ 0x08100001, 0x00000002 },		/* partial page */
		{ 0x08200000, 0x00300000 },
		{ 0x08300000, 0x00100000 },		/* overlaps the previous one */
		{ 0x07000000, 0x00002000 },		/* in a hole */
	};
	unsigned int i;

	memset(bi, 0, sizeof(*bi));
	memset(page_state, 0, sizeof(page_state));
	for (i = 0; i < ARRAY_SIZE(mem); i++) {
		bi->mem[bi->nr_mem++] = mem[i];
		model_range(mem[i].base, mem[i].size, 1, false);
	}
	for (i = 0; i < ARRAY_SIZE(res); i++) {
		bi->reserved[bi->nr_reserved++] = res[i];
		model_range(res[i].base, res[i].size, 0, true);
	}
	model_range(KIMAGE_START, KIMAGE_END - KIMAGE_START, 0, true);
	bi->cmdline = "";
}

static unsigned long model_count(unsigned char v)
{
	unsigned long i, n = 0;

	for (i = 0; i < NPAGES_MAX; i++)
		n += page_state[i] == v;
	return n;
}

/* memblock alone: free list == model. */
static void test_memblock(void)
{
	struct boot_info bi;
	unsigned long pfn, n = 0;
	unsigned int i;

	messy_boot_info(&bi);
	memblock_init(&bi);
	for (i = 0; i < memblock.nr_free; i++) {
		CHECK(memblock.free[i].start < memblock.free[i].end);
		CHECK(i == 0 || memblock.free[i - 1].end < memblock.free[i].start);
		for (pfn = memblock.free[i].start >> PAGE_SHIFT;
		     pfn < memblock.free[i].end >> PAGE_SHIFT; pfn++, n++)
			CHECK(page_state[pfn] == 1);
	}
	CHECK(n == model_count(1));
}

struct block { struct page *page; unsigned int order; };

static void fill(struct page *p, unsigned int order)
{
	unsigned long *w = page_address(p);
	unsigned long pfn = page_to_pfn(p), i;

	for (i = 0; i < (1UL << order); i++) {
		w[i * (PAGE_SIZE / sizeof(long))] = pfn + i;
		CHECK(page_state[pfn + i] == 1);
		page_state[pfn + i] = 2;
	}
}

static void unfill(struct page *p, unsigned int order)
{
	unsigned long *w = page_address(p);
	unsigned long pfn = page_to_pfn(p), i;

	for (i = 0; i < (1UL << order); i++) {
		CHECK(w[i * (PAGE_SIZE / sizeof(long))] == pfn + i);
		CHECK(page_state[pfn + i] == 2);
		page_state[pfn + i] = 1;
	}
}

static void boot_messy(void)
{
	struct boot_info bi;

	messy_boot_info(&bi);
	page_alloc_init(&bi);
	/* mem_map came out of free RAM: take those pages out of the model. */
	for (unsigned int i = 0; i < nr_mem_sections; i++)
		model_range(__pa(mem_sections[i].map),
			    mem_sections[i].nr_pages * sizeof(struct page), 0, true);
	CHECK(nr_free_pages() == model_count(1));
}

/* Random alloc/free of random orders against the page_state model. */
static void test_buddy_random(void)
{
	static struct block live[20000];
	unsigned long start_counts[MAX_ORDER], counts[MAX_ORDER];
	unsigned int nlive = 0, step;
	unsigned long start;

	boot_messy();
	start = nr_free_pages();
	page_alloc_free_counts(start_counts);
	srandom(42);
	for (step = 0; step < 400000; step++) {
		bool do_alloc = nlive == 0 || (nlive < ARRAY_SIZE(live) && random() % 100 < 52);

		if (do_alloc) {
			unsigned int order = random() % 5 == 0 ? random() % MAX_ORDER : random() % 3;
			struct page *p = alloc_pages(order);

			if (!p) {
				CHECK(order > 0 || nr_free_pages() == 0);
				continue;
			}
			CHECK(IS_ALIGNED(page_to_pfn(p), 1UL << order));
			CHECK(phys_to_page(page_to_phys(p)) == p);
			CHECK(virt_to_page(page_address(p)) == p);
			fill(p, order);
			live[nlive++] = (struct block){ p, order };
		} else {
			unsigned int k = random() % nlive;

			unfill(live[k].page, live[k].order);
			__free_pages(live[k].page, live[k].order);
			live[k] = live[--nlive];
		}
		if (step % 1000 == 0)
			CHECK(nr_free_pages() == model_count(1));
	}
	while (nlive) {
		nlive--;
		unfill(live[nlive].page, live[nlive].order);
		__free_pages(live[nlive].page, live[nlive].order);
	}
	CHECK(nr_free_pages() == start);
	page_alloc_free_counts(counts);
	CHECK(memcmp(counts, start_counts, sizeof(counts)) == 0);	/* fully coalesced */
}

/* Allocate everything, order 0: all distinct, then free it all. */
static void test_buddy_exhaust(void)
{
	unsigned long start, n = 0;
	struct page **all;
	struct page *p;

	boot_messy();
	start = nr_free_pages();
	all = malloc(start * sizeof(*all));
	while ((p = alloc_pages(0)) != NULL) {
		fill(p, 0);
		all[n++] = p;
	}
	CHECK(n == start && nr_free_pages() == 0 && model_count(1) == 0);
	while (n) {
		unfill(all[--n], 0);
		__free_pages(all[n], 0);
	}
	CHECK(nr_free_pages() == start);
	free(all);
}

static bool panics(void (*fn)(void *), void *arg, const char *needle)
{
	jmp_buf jb;

	host_panic_jmp = &jb;
	if (setjmp(jb)) {
		host_panic_jmp = NULL;
		if (!strstr(host_panic_msg, needle))
			fprintf(stderr, "panic said '%s', expected '%s'\n", host_panic_msg, needle);
		return strstr(host_panic_msg, needle) != NULL;
	}
	fn(arg);
	host_panic_jmp = NULL;
	return false;
}

static void free0(void *p) { __free_pages(p, 0); }
static void free1(void *p) { __free_pages(p, 1); }
static void kfree_fn(void *p) { kfree(p); }

static void test_buddy_bad_free(void)
{
	struct page *p;

	boot_messy();
	p = alloc_pages(2);
	CHECK(panics(free1, p, "freed with order 1"));
	CHECK(panics(free0, p + 1, "does not start an allocated block"));
	__free_pages(p, 2);
	CHECK(panics(free0, p, "double free") || panics(free0, p, "does not start"));
	CHECK(panics(free0, phys_to_page(KIMAGE_START), "reserved"));
}

struct worker { int id; unsigned long ops; };

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct block mine[64];
	unsigned int n = 0, i;
	unsigned int seed = w->id;

	host_cpu_id = w->id;
	for (i = 0; i < 200000; i++) {
		if (n < 64 && (n == 0 || rand_r(&seed) % 2)) {
			unsigned int order = rand_r(&seed) % 4;
			struct page *p = alloc_pages(order);

			if (p) {
				memset(page_address(p), w->id, PAGE_SIZE << order);
				mine[n++] = (struct block){ p, order };
			}
		} else {
			unsigned int k = rand_r(&seed) % n;
			unsigned char *b = page_address(mine[k].page);

			CHECK(b[0] == w->id && b[(PAGE_SIZE << mine[k].order) - 1] == w->id);
			__free_pages(mine[k].page, mine[k].order);
			mine[k] = mine[--n];
		}
		w->ops++;
	}
	while (n--)
		__free_pages(mine[n].page, mine[n].order);
	return NULL;
}

static void test_buddy_threads(void)
{
	pthread_t th[4];
	struct worker w[4];
	unsigned long start;
	int i;

	boot_messy();
	start = nr_free_pages();
	for (i = 0; i < 4; i++) {
		w[i] = (struct worker){ i + 1, 0 };
		pthread_create(&th[i], NULL, worker, &w[i]);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	CHECK(nr_free_pages() == start);
}

/* Random kmalloc/kfree of many sizes with patterns; large sizes too. */
static void test_slab_random(void)
{
	static struct { unsigned char *p; size_t n; } live[5000];
	unsigned int nlive = 0, step;
	unsigned long start;

	boot_messy();
	slab_init();
	start = nr_free_pages();
	srandom(7);
	for (step = 0; step < 300000; step++) {
		if (nlive < ARRAY_SIZE(live) && (nlive == 0 || random() % 2)) {
			size_t n = random() % 50 == 0 ? random() % 100000 + 1 : random() % 3000 + 1;
			unsigned char *p = kmalloc(n);

			CHECK(p && ksize(p) >= n);
			CHECK(IS_ALIGNED((uintptr_t)p, n >= 8 ? 8 : 1));
			memset(p, (int)(n & 0xff), n);
			live[nlive].p = p;
			live[nlive++].n = n;
		} else {
			unsigned int k = random() % nlive;
			size_t i, n = live[k].n;

			for (i = 0; i < n; i++)
				CHECK(live[k].p[i] == (unsigned char)(n & 0xff));
			kfree(live[k].p);
			live[k] = live[--nlive];
		}
	}
	while (nlive--)
		kfree(live[nlive].p);
	/* Each cache may keep one empty slab: at most 8 pages each. */
	CHECK(start - nr_free_pages() <= 10 * 8);
}

static void test_slab_checks(void)
{
	struct kmem_cache *c;
	char *a, *b;
	int x;

	boot_messy();
	slab_init();
	c = kmem_cache_create("test-24", 24, 8);
	CHECK(c && c->size == 24);
	a = kmem_cache_alloc(c);
	b = kmem_cache_alloc(c);
	CHECK(a && b && a != b);
	kmem_cache_free(c, a);
	CHECK(panics(kfree_fn, a, "double free"));
	spin_lock_init(&c->lock, c->name);	/* the panic left it held */
	CHECK(panics(kfree_fn, b + 4, "not the start of an object"));
	CHECK(panics(kfree_fn, &x, "not"));
	kmem_cache_free(c, b);
	a = kmem_cache_alloc(c);
	a[10] = 1;			/* fine: allocated */
	kmem_cache_free(c, a);
	a[10] = 1;			/* use after free */
	{
		jmp_buf jb;

		host_panic_jmp = &jb;
		if (!setjmp(jb)) {
			kmem_cache_alloc(c);
			kmem_cache_alloc(c);
			CHECK(!"use after free not detected");
		}
		host_panic_jmp = NULL;
		CHECK(strstr(host_panic_msg, "use after free"));
	}
}

/* KMAP area bookkeeping: random ioremap/iounmap, no overlaps, guard pages
 * unmapped, translations right, every unmap flushed, reuse after unmap. */
static void test_vmap_random(void)
{
	static struct { uintptr_t va; phys_addr_t pa; size_t len; } live[200];
	unsigned int nlive = 0, step, i, j;
	unsigned long flushes = 0;

	boot_messy();
	slab_init();
	srandom(3);
	for (step = 0; step < 20000; step++) {
		if (nlive < ARRAY_SIZE(live) && (nlive == 0 || random() % 2)) {
			phys_addr_t pa = ((phys_addr_t)(random() % 100000) << PAGE_SHIFT) + random() % 4096;
			size_t len = random() % 5 == 0 ? random() % (1 << 20) + 1 : random() % 9000 + 1;
			uintptr_t va = (uintptr_t)ioremap(pa, len);
			phys_addr_t got;
			unsigned int prot;

			if (!va)
				continue;
			CHECK(va >= KMAP_BASE && va + len <= KMAP_BASE + KMAP_SIZE);
			CHECK((va & (PAGE_SIZE - 1)) == (pa & (PAGE_SIZE - 1)));
			CHECK(lookup_kernel_page(va, &got, &prot) && got == pa && (prot & PTE_DEVICE));
			CHECK(lookup_kernel_page(va + len - 1, &got, NULL) && got == pa + len - 1);
			CHECK(!lookup_kernel_page(ALIGN_UP(va + len, PAGE_SIZE), NULL, NULL)); /* guard */
			for (i = 0; i < nlive; i++)
				CHECK(va + len <= live[i].va || live[i].va + live[i].len <= va);
			live[nlive].va = va;
			live[nlive].pa = pa;
			live[nlive++].len = len;
		} else {
			j = random() % nlive;
			iounmap((void *)live[j].va);
			flushes++;
			CHECK(host_tlb_flushes == flushes);
			CHECK(!lookup_kernel_page(live[j].va, NULL, NULL));
			live[j] = live[--nlive];
		}
	}
	while (nlive--)
		iounmap((void *)live[nlive].va);
	/* Everything is free again: one mapping can take (almost) the whole area. */
	CHECK(ioremap(0, KMAP_SIZE - 2 * PAGE_SIZE) != NULL);
	CHECK(ioremap(0, 2 * PAGE_SIZE) == NULL);
}

static const struct { const char *name; void (*fn)(void); } tests[] = {
	{ "memblock", test_memblock },
	{ "buddy_random", test_buddy_random },
	{ "buddy_exhaust", test_buddy_exhaust },
	{ "buddy_bad_free", test_buddy_bad_free },
	{ "buddy_threads", test_buddy_threads },
	{ "slab_random", test_slab_random },
	{ "slab_checks", test_slab_checks },
	{ "vmap_random", test_vmap_random },
};

extern const struct ktest __start_ktests[], __stop_ktests[];
static const struct ktest *current_ktest;

/* One of the in-kernel tests (kernel/mm/..._test.c), on a freshly booted allocator. */
static void run_ktest(void)
{
	struct ktest_ctx ctx = { current_ktest->name, 0 };

	boot_messy();
	slab_init();
	current_ktest->fn(&ctx);
	exit(ctx.failures != 0);
}

static bool run_child(const char *name, void (*fn)(void))
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		host_quiet = getenv("V") == NULL;
		host_arena_init();
		host_cpus_init(4);
		fn();
		exit(0);
	}
	waitpid(pid, &st, 0);
	st = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("%s %s\n", st ? "ok  " : "FAIL", name);
	return st;
}

int main(void)
{
	int passed = 0, failed = 0;
	const struct ktest *kt;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tests); i++)
		run_child(tests[i].name, tests[i].fn) ? passed++ : failed++;
	for (kt = __start_ktests; kt < __stop_ktests; kt++) {
		current_ktest = kt;
		run_child(kt->name, run_ktest) ? passed++ : failed++;
	}
	printf("host mm: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}

