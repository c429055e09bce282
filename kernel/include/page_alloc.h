/*
 * page_alloc.h - the physical page allocator (binary buddy system).
 *
 * Every page frame of RAM has a struct page (the "mem_map"). Free memory
 * is kept as naturally aligned blocks of 2^order pages, order 0 (4 KiB)
 * up to MAX_ORDER-1 (4 MiB). See kernel/mm/page_alloc.c and docs/memory.md.
 *
 *   struct page *p = alloc_pages(2);        4 pages, physically contiguous
 *   void *va = page_address(p);             their direct-map address
 *   __free_pages(p, 2);                     same order back
 *
 *   void *buf = get_free_pages(0);          the same, by virtual address
 *   free_pages(buf, 0);
 *
 * All functions may be called with IRQs off and from interrupt handlers;
 * none of them sleeps. Allocation returns NULL when memory is exhausted.
 */
#ifndef FAULTLINE_PAGE_ALLOC_H
#define FAULTLINE_PAGE_ALLOC_H

#include <mm.h>
#include <list.h>
#include <spinlock.h>

struct boot_info;
struct kmem_cache;

#define MAX_ORDER	11	/* orders 0..10: blocks of 4 KiB .. 4 MiB */

/* page->flags: low bits are flags, the top PAGE_SECTION_BITS bits the
 * index of the RAM section (struct mem_section) the page belongs to. */
#define PG_reserved	(1u << 0)	/* never handed to the buddy allocator */
#define PG_buddy	(1u << 1)	/* first page of a free block (order in ->order) */
#define PG_head		(1u << 2)	/* first page of an allocated block (order in ->order) */
#define PG_slab		(1u << 3)	/* owned by a slab cache (see slab.c) */
#define PG_kmalloc	(1u << 4)	/* head of a large kmalloc() block */
/* Page-cache folio state (<pagemap.h>), changed with atomic bit operations. */
#define PG_locked	(1u << 5)	/* folio lock: I/O in flight or being inserted/removed */
#define PG_uptodate	(1u << 6)	/* contents valid */
#define PG_dirty	(1u << 7)	/* newer than the file on disk */
#define PG_writeback	(1u << 8)	/* being written back */
#define PG_readahead	(1u << 9)	/* reaching it starts the next async readahead */
#define PG_error	(1u << 10)	/* the last read failed */
#define PG_FOLIO_MASK	(PG_locked | PG_uptodate | PG_dirty | PG_writeback | PG_readahead | PG_error)
#define PG_FLAG_MASK	0xffffu
#define PAGE_SECTION_SHIFT 24

/*
 * Locking legend:
 *   [Z] zone_lock (the buddy allocator's spinlock, page_alloc.c)
 *   [O] the owner of the allocated block (whoever called alloc_pages)
 *   [S] the slab cache's lock (slab.c)
 *   [a] atomic accesses only
 *   [I] set at boot, read-only afterwards
 *   [P] the PTE lock (pte_lockptr) of a table mapping the page (user pages, kernel/mm/rmap.c)
 */
struct anon_vma;
struct address_space;

struct page {
	uint32_t flags;			/* [a] changed only by page_flags_set/clear (atomic): [Z] free/
				 * allocated state, [O] PG_slab/PG_kmalloc, folio bits; [I] section */
	uint16_t order;			/* [Z] order of the block this page heads (PG_buddy/PG_head) */
	uint16_t slab_inuse;		/* [S] objects handed out from this slab */
	int refcount;			/* [a] 0 while free; alloc_pages() sets 1 */
	struct list_head list;		/* [Z] free_area list while free, [S] slab list while a slab */
	union {
		struct {			/* slab pages */
			struct kmem_cache *slab_cache;	/* [S] cache owning this slab page (all
							 *     pages of the slab) */
			void *freelist;		/* [S] first free object of the slab (head page only) */
			struct page *slab_head;	/* [S] first page of the slab (every page of it) */
		};
		spinlock_t ptl;			/* page-table pages: the split page-table lock of
						 * the entries in this table (Linux's ptdesc->ptl;
						 * pte_lockptr, kernel/mm/memory.c) */
	};
	/* User pages (kernel/mm/rmap.c): alloc_pages() clears these. */
	int mapcount;			/* [a] user PTEs mapping the page; must be 0 when freed */
	struct anon_vma *anon_vma;	/* [P] anonymous pages: the reverse-map root; NULL otherwise */
	unsigned long index;		/* [P] anonymous pages: page offset (vm_pgoff units);
					 * page-cache folios: page index in the file [X] */
	struct address_space *mapping;	/* [X] page-cache folio: its file's cache; NULL otherwise
					 * ([X] = mapping->i_pages_lock, see <pagemap.h>) */
};

/* page->flags is read by the buddy allocator for a neighbour's block (is it free?) while
 * that block's owner changes its own bits (PG_slab, the folio lock...): every change is an
 * atomic RMW, and readers that may race with one use page_flags(). */
static inline uint32_t page_flags(const struct page *page)
{
	return __atomic_load_n(&page->flags, __ATOMIC_RELAXED);
}

static inline void page_flags_set(struct page *page, uint32_t bits)
{
	__atomic_fetch_or(&page->flags, bits, __ATOMIC_RELAXED);
}

static inline void page_flags_clear(struct page *page, uint32_t bits)
{
	__atomic_fetch_and(&page->flags, ~bits, __ATOMIC_RELAXED);
}

/*
 * A section is one contiguous range of RAM with its own piece of mem_map,
 * so holes between RAM ranges (and RAM at 0x40000000 or above 4 GiB) cost
 * nothing.
 */
struct mem_section {
	unsigned long start_pfn;	/* [I] first page frame */
	unsigned long nr_pages;		/* [I] frames in the section */
	struct page *map;		/* [I] struct page of start_pfn */
};

#define MAX_MEM_SECTIONS 32
extern struct mem_section mem_sections[MAX_MEM_SECTIONS];
extern unsigned int nr_mem_sections;

/* Set up the allocator from the boot memory map; prints "mm: N MiB free ...". */
void page_alloc_init(struct boot_info *bi);

/* 2^order contiguous pages with refcount 1, or NULL. Never sleeps. */
struct page *alloc_pages(unsigned int order);
/* Drop a reference to a block from alloc_pages(order); freed when it reaches zero.
 * Panics on a double free, a wrong order or a page that does not start a block. */
void __free_pages(struct page *page, unsigned int order);

void *get_free_pages(unsigned int order);	/* direct-map address, or NULL */
void free_pages(void *va, unsigned int order);
void *get_zeroed_page(void);
void free_page(void *va);

unsigned long nr_free_pages(void);		/* free 4 KiB pages right now */
unsigned long nr_total_pages(void);		/* pages handed to the allocator at boot */
/* Free blocks per order (count[MAX_ORDER]), for tests and the debugger. */
void page_alloc_free_counts(unsigned long count[MAX_ORDER]);

/* Smallest order whose block holds size bytes. */
static inline unsigned int get_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static inline struct mem_section *page_section(const struct page *page)
{
	return &mem_sections[page->flags >> PAGE_SECTION_SHIFT];
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	const struct mem_section *s = page_section(page);

	return s->start_pfn + (unsigned long)(page - s->map);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

static inline void *page_address(const struct page *page)
{
	return __va(page_to_phys(page));
}

/* struct page of a RAM frame, NULL if pfn is not RAM the allocator knows. */
struct page *pfn_to_page(unsigned long pfn);

static inline struct page *phys_to_page(phys_addr_t pa)
{
	return pfn_to_page((unsigned long)(pa >> PAGE_SHIFT));
}

static inline struct page *virt_to_page(const void *va)
{
	return phys_to_page(__pa(va));
}

static inline void get_page(struct page *page)
{
	__atomic_fetch_add(&page->refcount, 1, __ATOMIC_RELAXED);
}

static inline int page_count(const struct page *page)
{
	return __atomic_load_n(&page->refcount, __ATOMIC_RELAXED);
}

/* Drop a reference to an order-0 page; freed at zero (Linux's put_page). */
static inline void put_page(struct page *page)
{
	__free_pages(page, 0);
}

/* User PTEs mapping the page (rmap.c keeps it). */
static inline int page_mapcount(const struct page *page)
{
	return __atomic_load_n(&page->mapcount, __ATOMIC_RELAXED);
}

#endif
