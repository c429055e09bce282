/*
 * slab.h - object caches and kmalloc().
 *
 * A kmem_cache hands out fixed-size objects carved from pages of the buddy
 * allocator ("slabs"). kmalloc() picks a cache by size class (powers of two
 * from 8 to 2048 bytes); bigger requests go straight to the buddy allocator.
 *
 *   struct kmem_cache *c = kmem_cache_create("inode", sizeof(struct inode), 8);
 *   struct inode *i = kmem_cache_alloc(c);     NULL when memory is exhausted
 *   kmem_cache_free(c, i);
 *
 *   char *buf = kmalloc(100);                  128-byte object, 8-aligned at least
 *   kfree(buf);                                kfree(NULL) does nothing
 *
 * None of these sleeps; all may run with IRQs off. kmalloc memory is
 * aligned to its size class (up to PAGE_SIZE). A foreign pointer given to
 * kfree()/kmem_cache_free() panics; debug builds (CONFIG_DEBUG) also catch
 * double frees and writes to freed objects (poisoned with 0x6b).
 */
#ifndef FAULTLINE_SLAB_H
#define FAULTLINE_SLAB_H

#include <types.h>
#include <list.h>
#include <spinlock.h>

#define KMALLOC_MIN_SHIFT	3	/* 8 bytes */
#define KMALLOC_MAX_SHIFT	11	/* 2048 bytes; larger sizes use whole pages */
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_MAX_SHIFT)
#define SLAB_MAX_ORDER		3	/* a slab is 1..8 pages */
#define POISON_FREE		0x6b	/* debug: fills freed objects */

/*
 * Locking legend:  [L] lock  [C] slab_caches_lock (slab.c)  [I] immutable after create
 */
struct kmem_cache {
	spinlock_t lock;
	const char *name;		/* [I] */
	size_t object_size;		/* [I] size asked for */
	size_t size;			/* [I] stride: object_size rounded up to the alignment */
	unsigned int order;		/* [I] each slab is 2^order pages */
	unsigned int objs_per_slab;	/* [I] */
	struct list_head partial;	/* [L] slabs (head pages) with free objects */
	struct list_head full;		/* [L] slabs with none */
	unsigned long nr_partial;	/* [L] slabs on partial */
	unsigned long nr_slabs;		/* [L] slabs owned */
	unsigned long nr_active;	/* [L] objects handed out */
	unsigned long nr_allocs;	/* [L] kmem_cache_alloc() calls that succeeded */
	struct list_head cache_list;	/* [C] on the list of all caches */
};

void slab_init(void);		/* after page_alloc_init(); sets up the kmalloc caches */

/* size bytes aligned to align (power of two, 0 = 8); NULL if it cannot be
 * built (size 0, bigger than a slab of order SLAB_MAX_ORDER, no memory). */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
/* Give back a cache whose objects are all freed (panics otherwise). */
void kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache);
void *kmem_cache_zalloc(struct kmem_cache *cache);
void kmem_cache_free(struct kmem_cache *cache, void *obj);

void *kmalloc(size_t size);
void *kzalloc(size_t size);
void *kcalloc(size_t n, size_t size);	/* NULL if n * size overflows */
void kfree(const void *obj);
size_t ksize(const void *obj);		/* usable size of a kmalloc() object */

/* Print one line per cache (objects, slabs, pages) - like /proc/slabinfo. */
void slab_dump(void);

#endif
