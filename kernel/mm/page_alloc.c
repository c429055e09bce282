/*
 * page_alloc.c - the physical page allocator: a binary buddy system.
 *
 * Theory of operation
 * -------------------
 * RAM is cut into 4 KiB page frames; frame number pfn = physical >> 12.
 * Every frame has a struct page, kept in arrays called the mem_map: one
 * array per RAM range ("section"), so a hole between two RAM banks costs
 * no struct pages. The mem_map itself is carved out of RAM at boot by
 * memblock, before anything else can be allocated.
 *
 * Free memory is a set of blocks of 2^order frames, order 0..MAX_ORDER-1,
 * each naturally aligned: a block of order k starts at a pfn that is a
 * multiple of 2^k. free_area[k] lists the free blocks of order k. Only
 * the first page of a block carries information (PG_buddy and ->order);
 * the other pages of the block have no flags.
 *
 * Allocation of order k takes a block from the first non-empty list of
 * order >= k and splits it in halves until it is of order k; each upper
 * half goes back on the list one order below:
 *
 *     order 2  [A A A A]          want order 0:
 *     order 1  [A A][B B]         keep [A A], free [B B] at order 1
 *     order 0  [A][C]             keep [A],   free [C]   at order 0
 *
 * Freeing does the reverse. The "buddy" of the block at pfn of order k is
 * the block at pfn ^ 2^k: the other half of the block of order k+1 both
 * came from. If the buddy is free and of the same order, the two merge
 * (coalesce) and the test repeats one order up. So, whatever order the
 * allocations and frees come in, memory returns to the largest blocks
 * alignment permits once everything is freed.
 *
 * Allocated blocks: the first page has PG_head, ->order and refcount 1.
 * __free_pages() checks those, so a double free, a free with the wrong
 * order or a pointer into the middle of a block panic at once with a
 * message instead of silently corrupting the free lists.
 *
 * One spinlock, zone_lock, protects the free lists and the counters. It
 * disables interrupts, so allocation works from interrupt handlers too.
 * (Linux adds zones, per-CPU page lists and watermarks; we need none yet.)
 */
#include <page_alloc.h>
#include <boot.h>
#include <printk.h>
#include <spinlock.h>
#include <string.h>
#include "internal.h"

struct mem_section mem_sections[MAX_MEM_SECTIONS];
unsigned int nr_mem_sections;		/* [I] */

/*
 * Locking legend:  [Z] zone_lock   [I] set at boot, read-only afterwards
 */
struct free_area {
	struct list_head free_list;	/* [Z] first pages of free blocks of this order */
	unsigned long nr_free;		/* [Z] blocks on free_list */
};

static struct free_area free_area[MAX_ORDER];
static DEFINE_SPINLOCK(zone_lock);
static unsigned long free_page_count;	/* [Z] written, read with READ_ONCE */
static unsigned long total_page_count;	/* [I] pages given to the allocator at boot */

struct page *pfn_to_page(unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < nr_mem_sections; i++) {
		struct mem_section *s = &mem_sections[i];

		if (pfn - s->start_pfn < s->nr_pages)
			return &s->map[pfn - s->start_pfn];
	}
	return NULL;
}

/* The free buddy of the block at (page, pfn, order), or NULL if it is not
 * a free block of exactly that order in the same section. Locks: zone_lock. */
static struct page *find_free_buddy(struct page *page, unsigned long pfn, unsigned int order)
{
	const struct mem_section *s = page_section(page);
	unsigned long buddy_pfn = pfn ^ (1UL << order);
	struct page *buddy;

	if (buddy_pfn - s->start_pfn >= s->nr_pages)
		return NULL;
	buddy = &s->map[buddy_pfn - s->start_pfn];
	if (!(page_flags(buddy) & PG_buddy) || buddy->order != order)
		return NULL;
	return buddy;
}

static void add_free_block(struct page *page, unsigned int order)
{
	page_flags_set(page, PG_buddy);
	page->order = order;
	list_add(&page->list, &free_area[order].free_list);
	free_area[order].nr_free++;
}

static void del_free_block(struct page *page, unsigned int order)
{
	list_del(&page->list);
	page_flags_clear(page, PG_buddy);
	free_area[order].nr_free--;
}

/* Put a block on the free lists, merging it with its buddies.
 * Locks: zone_lock held. */
static void free_one_block(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	unsigned long count = 1UL << order;

	assert_spin_locked(&zone_lock);
	while (order < MAX_ORDER - 1) {
		struct page *buddy = find_free_buddy(page, pfn, order);

		if (!buddy)
			break;
		del_free_block(buddy, order);
		if (page_to_pfn(buddy) < pfn) {
			page = buddy;
			pfn = page_to_pfn(buddy);
		}
		order++;
	}
	add_free_block(page, order);
	free_page_count += count;
}

/* Take a block of exactly 'order', splitting a larger one if needed.
 * Locks: zone_lock held. */
static struct page *take_block(unsigned int order)
{
	unsigned int o = order;
	struct page *page;

	assert_spin_locked(&zone_lock);
	while (o < MAX_ORDER && list_empty(&free_area[o].free_list))
		o++;
	if (o == MAX_ORDER)
		return NULL;
	page = list_first_entry(&free_area[o].free_list, struct page, list);
	del_free_block(page, o);
	while (o > order) {			/* split: free the upper halves */
		o--;
		add_free_block(page + (1UL << o), o);
	}
	free_page_count -= 1UL << order;
	return page;
}

struct page *alloc_pages(unsigned int order)
{
	struct page *page;

	if (order >= MAX_ORDER)
		return NULL;
	spin_lock(&zone_lock);
	page = take_block(order);
	if (page) {
		page_flags_clear(page, PG_FOLIO_MASK);
		page_flags_set(page, PG_head);
		page->order = order;
		page->refcount = 1;
		page->mapcount = 0;
		page->anon_vma = NULL;
		page->index = 0;
		page->mapping = NULL;
	}
	spin_unlock(&zone_lock);
	return page;
}

/* Panic with a precise message if (page, order) is not a live allocation. */
static void check_free(struct page *page, unsigned int order)
{
	uint32_t flags = page_flags(page);
	unsigned long pfn = page_to_pfn(page);

	if (flags & PG_buddy)
		panic("__free_pages: double free of pfn 0x%lx (order %u): the block is already free",
		      pfn, order);
	if (flags & PG_reserved)
		panic("__free_pages: pfn 0x%lx is reserved (kernel image, firmware or mem_map) "
		      "and was never allocated", pfn);
	if (!(flags & PG_head))
		panic("__free_pages: pfn 0x%lx does not start an allocated block: a pointer into "
		      "the middle of a block, or a double free of a block since merged", pfn);
	if (page->order != order)
		panic("__free_pages: pfn 0x%lx was allocated with order %u but freed with order %u",
		      pfn, page->order, order);
	if (flags & (PG_slab | PG_kmalloc))
		panic("__free_pages: pfn 0x%lx still belongs to %s: free it with %s", pfn,
		      flags & PG_slab ? "a slab cache" : "kmalloc",
		      flags & PG_slab ? "kmem_cache_free()" : "kfree()");
}

void __free_pages(struct page *page, unsigned int order)
{
	int old;

	if (!page)
		panic("__free_pages: NULL page (order %u)", order);
	if (order >= MAX_ORDER)
		panic("__free_pages: order %u is beyond MAX_ORDER-1 = %u", order, MAX_ORDER - 1);
	check_free(page, order);
	old = __atomic_fetch_sub(&page->refcount, 1, __ATOMIC_ACQ_REL);
	if (old > 1)
		return;			/* someone else still holds a reference */
	if (old < 1)
		panic("__free_pages: double free of pfn 0x%lx (refcount was %d)",
		      page_to_pfn(page), old);
	if (page_mapcount(page))
		panic("__free_pages: pfn 0x%lx freed while %d user PTEs still map it: a missing "
		      "page_remove_rmap() before put_page()", page_to_pfn(page), page_mapcount(page));
	if (READ_ONCE(page->mapping) || (page_flags(page) & (PG_locked | PG_writeback)))
		panic("__free_pages: pfn 0x%lx freed while still in a page cache or locked/under "
		      "writeback: a missing filemap_remove_folio() or folio_unlock()", page_to_pfn(page));
	spin_lock(&zone_lock);
	page_flags_clear(page, PG_head);
	free_one_block(page, order);
	spin_unlock(&zone_lock);
}

void *get_free_pages(unsigned int order)
{
	struct page *page = alloc_pages(order);

	return page ? page_address(page) : NULL;
}

static struct page *va_to_alloc_page(const void *va, const char *who)
{
	struct page *page = virt_to_page(va);

	if (!page || !IS_ALIGNED((uintptr_t)va, PAGE_SIZE))
		panic("%s: %p is not the direct-map address of an allocated page", who, va);
	return page;
}

void free_pages(void *va, unsigned int order)
{
	if (va)
		__free_pages(va_to_alloc_page(va, "free_pages"), order);
}

void *get_zeroed_page(void)
{
	void *va = get_free_pages(0);

	if (va)
		memset(va, 0, PAGE_SIZE);
	return va;
}

void free_page(void *va)
{
	free_pages(va, 0);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(free_page_count);
}

unsigned long nr_total_pages(void)
{
	return total_page_count;
}

void page_alloc_free_counts(unsigned long count[MAX_ORDER])
{
	unsigned int o;

	spin_lock(&zone_lock);
	for (o = 0; o < MAX_ORDER; o++)
		count[o] = free_area[o].nr_free;
	spin_unlock(&zone_lock);
}

/* ---- boot ---------------------------------------------------------------- */

/* Give one RAM range its slice of mem_map, every page reserved for now. */
static void init_section(unsigned int idx, const struct phys_range *ram)
{
	struct mem_section *s = &mem_sections[idx];
	uint64_t bytes;
	phys_addr_t pa;
	unsigned long i;

	s->start_pfn = ram->start >> PAGE_SHIFT;
	s->nr_pages = (ram->end - ram->start) >> PAGE_SHIFT;
	bytes = s->nr_pages * sizeof(struct page);
	if (!memblock_alloc(bytes, PAGE_SIZE, &pa))
		panic("mm: no room for the %llu KiB mem_map of RAM [0x%llx-0x%llx) "
		      "(%llu KiB free): give the machine more memory",
		      (unsigned long long)(bytes / KiB), (unsigned long long)ram->start,
		      (unsigned long long)ram->end,
		      (unsigned long long)(memblock_free_bytes() / KiB));
	s->map = __va(pa);
	memset(s->map, 0, bytes);
	for (i = 0; i < s->nr_pages; i++) {
		s->map[i].flags = PG_reserved | (idx << PAGE_SECTION_SHIFT);
		s->map[i].refcount = 1;
		INIT_LIST_HEAD(&s->map[i].list);
	}
}

/* Hand [start, end) to the buddy allocator in the largest aligned blocks. */
static void free_range(unsigned long pfn, unsigned long end)
{
	while (pfn < end) {
		unsigned int order = MAX_ORDER - 1;
		struct page *page;
		unsigned long i;

		while (!IS_ALIGNED(pfn, 1UL << order) || pfn + (1UL << order) > end)
			order--;
		page = pfn_to_page(pfn);
		for (i = 0; i < (1UL << order); i++) {
			page[i].flags &= ~PG_reserved;
			page[i].refcount = 0;
		}
		spin_lock(&zone_lock);
		free_one_block(page, order);
		spin_unlock(&zone_lock);
		total_page_count += 1UL << order;
		pfn += 1UL << order;
	}
}

static bool memblock_debug(void)
{
	char arg[8];

	return cmdline_copy("memblock", arg, sizeof(arg)) && strcmp(arg, "debug") == 0;
}

/* With "memblock=debug" on the command line: the map memblock built. */
static void print_memory_map(void)
{
	unsigned int i;

	for (i = 0; i < memblock.nr_ram; i++)
		printk("mm: RAM  [0x%llx-0x%llx) %llu KiB\n",
		       (unsigned long long)memblock.ram[i].start,
		       (unsigned long long)memblock.ram[i].end,
		       (unsigned long long)((memblock.ram[i].end - memblock.ram[i].start) / KiB));
	for (i = 0; i < memblock.nr_free; i++)
		printk("mm: free [0x%llx-0x%llx) %llu KiB\n",
		       (unsigned long long)memblock.free[i].start,
		       (unsigned long long)memblock.free[i].end,
		       (unsigned long long)((memblock.free[i].end - memblock.free[i].start) / KiB));
}

void page_alloc_init(struct boot_info *bi)
{
	uint64_t ram_bytes = 0, map_bytes = 0;
	unsigned int i;

	for (i = 0; i < MAX_ORDER; i++) {
		INIT_LIST_HEAD(&free_area[i].free_list);
		free_area[i].nr_free = 0;
	}
	free_page_count = total_page_count = 0;
	memblock_init(bi);
	if (memblock.nr_ram > MAX_MEM_SECTIONS)
		panic("mm: %u RAM ranges, at most %u supported (MAX_MEM_SECTIONS)",
		      memblock.nr_ram, MAX_MEM_SECTIONS);
	for (i = 0; i < memblock.nr_ram; i++) {
		init_section(i, &memblock.ram[i]);
		ram_bytes += memblock.ram[i].end - memblock.ram[i].start;
		map_bytes += mem_sections[i].nr_pages * sizeof(struct page);
	}
	nr_mem_sections = memblock.nr_ram;
	if (memblock_debug())
		print_memory_map();
	for (i = 0; i < memblock.nr_free; i++)
		free_range(memblock.free[i].start >> PAGE_SHIFT, memblock.free[i].end >> PAGE_SHIFT);
	printk("mm: %lu MiB free (%lu pages) of %llu MiB RAM in %u range%s, mem_map %llu KiB\n",
	       nr_free_pages() >> (20 - PAGE_SHIFT), nr_free_pages(),
	       (unsigned long long)(ram_bytes / MiB), nr_mem_sections,
	       nr_mem_sections == 1 ? "" : "s", (unsigned long long)(map_bytes / KiB));
}
