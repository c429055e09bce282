/*
 * slab.c - object caches (a small slab allocator) and kmalloc().
 *
 * Theory of operation
 * -------------------
 * The buddy allocator deals in pages; the kernel mostly wants small
 * objects (a 200-byte thread, a 64-byte list node). A kmem_cache serves
 * objects of one size. It takes a "slab" - 2^order contiguous pages -
 * from the buddy allocator and cuts it into objects laid end to end:
 *
 *   slab:  [obj 0][obj 1][obj 2] ... [obj n-1][waste]
 *
 * A free object holds, in its first word, the address of the next free
 * object of the same slab: the slab's freelist costs no memory. The slab's
 * bookkeeping lives in the struct page of its first page (->freelist,
 * ->slab_inuse), and every page of the slab points back to the cache and
 * the first page, so kmem_cache_free() and kfree() find the slab of any
 * object through virt_to_page() alone.
 *
 * A cache keeps two lists: 'partial' slabs still have free objects,
 * 'full' slabs have none. Allocation takes from the first partial slab
 * (growing the cache by one slab when there is none); freeing puts the
 * object back on its slab's freelist. An empty slab goes back to the
 * buddy allocator unless it is the cache's only partial slab (kept so a
 * single alloc/free pair does not hit the page allocator every time).
 *
 * kmalloc(size) rounds size up to a power of two from 8 to 2048 and uses
 * one of the kmalloc-N caches; larger requests get whole pages from the
 * buddy allocator, marked PG_kmalloc so kfree() knows what to do.
 *
 * Debugging (CONFIG_DEBUG): freed objects are filled with POISON_FREE
 * (0x6b); kmem_cache_alloc() checks the poison is intact (a mismatch means
 * someone wrote to the object after freeing it) and kmem_cache_free()
 * walks the slab's freelist to catch a double free. Foreign pointers and
 * pointers into the middle of an object always panic.
 *
 * Locks: each cache has its own spinlock; the buddy allocator's zone_lock
 * nests inside it (cache->lock -> zone_lock). Linux's SLUB adds per-CPU
 * slabs and lock-free fast paths; the structure here is the same idea
 * without them.
 */
#include <slab.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>

#define NR_KMALLOC_CACHES (KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)

#ifdef CONFIG_DEBUG
#define SLAB_DEBUG 1
#else
#define SLAB_DEBUG 0
#endif

static struct kmem_cache kmem_cache_cache;	/* the cache struct kmem_caches come from */
static struct kmem_cache kmalloc_caches[NR_KMALLOC_CACHES];
static const char *const kmalloc_names[NR_KMALLOC_CACHES] = {
	"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-128",
	"kmalloc-256", "kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};
static LIST_HEAD(slab_caches);			/* [C] every cache */
static DEFINE_SPINLOCK(slab_caches_lock);
static bool slab_ready;				/* [I] slab_init() done */

/* ---- building a cache ------------------------------------------------ */

/* The smallest slab order giving >= 8 objects with <= 1/8 waste,
 * else the largest order that holds at least one object. */
static unsigned int slab_order_for(size_t size)
{
	unsigned int order;

	for (order = 0; order <= SLAB_MAX_ORDER; order++) {
		size_t bytes = PAGE_SIZE << order;

		if (bytes / size >= 8 && bytes % size <= bytes / 8)
			return order;
	}
	return SLAB_MAX_ORDER;
}

static bool cache_init(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	if (align == 0)
		align = sizeof(void *);
	if (size == 0 || (align & (align - 1)) || align > PAGE_SIZE ||
	    size > (PAGE_SIZE << SLAB_MAX_ORDER))
		return false;
	memset(c, 0, sizeof(*c));
	spin_lock_init(&c->lock, name);
	c->name = name;
	c->object_size = size;
	c->size = ALIGN_UP(MAX(size, sizeof(void *)), MAX(align, sizeof(void *)));
	c->order = slab_order_for(c->size);
	c->objs_per_slab = (PAGE_SIZE << c->order) / c->size;
	INIT_LIST_HEAD(&c->partial);
	INIT_LIST_HEAD(&c->full);
	spin_lock(&slab_caches_lock);
	list_add_tail(&c->cache_list, &slab_caches);
	spin_unlock(&slab_caches_lock);
	return true;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (unlikely(!slab_ready))
		panic("kmem_cache_create(%s) before slab_init()", name);
	c = kmem_cache_alloc(&kmem_cache_cache);
	if (!c)
		return NULL;
	if (!cache_init(c, name, size, align)) {
		printk("slab: cannot create cache %s: size %zu align %zu (need 0 < size <= %lu, "
		       "align a power of two <= %lu)\n", name, size, align,
		       PAGE_SIZE << SLAB_MAX_ORDER, PAGE_SIZE);
		kmem_cache_free(&kmem_cache_cache, c);
		return NULL;
	}
	return c;
}

/* ---- slabs ------------------------------------------------------------- */

static void *slab_base(const struct page *head)
{
	return page_address(head);
}

/* Get a fresh slab from the buddy allocator and thread its freelist.
 * Locks: c->lock held. */
static struct page *new_slab(struct kmem_cache *c)
{
	struct page *head = alloc_pages(c->order);
	char *base;
	unsigned int i;

	if (!head)
		return NULL;
	for (i = 0; i < (1u << c->order); i++) {
		page_flags_set(&head[i], PG_slab);
		head[i].slab_cache = c;
		head[i].slab_head = head;
	}
	base = slab_base(head);
	if (SLAB_DEBUG)
		memset(base, POISON_FREE, PAGE_SIZE << c->order);
	for (i = 0; i < c->objs_per_slab; i++)
		*(void **)(base + i * c->size) =
			i + 1 < c->objs_per_slab ? base + (i + 1) * c->size : NULL;
	head->freelist = base;
	head->slab_inuse = 0;
	list_add(&head->list, &c->partial);
	c->nr_partial++;
	c->nr_slabs++;
	return head;
}

/* Return an empty slab to the buddy allocator. Locks: c->lock held. */
static void discard_slab(struct kmem_cache *c, struct page *head)
{
	unsigned int i;

	list_del(&head->list);
	c->nr_partial--;
	c->nr_slabs--;
	for (i = 0; i < (1u << c->order); i++) {
		page_flags_clear(&head[i], PG_slab);
		head[i].slab_cache = NULL;
		head[i].slab_head = NULL;
	}
	head->freelist = NULL;
	__free_pages(head, c->order);
}

/* ---- debug checks -------------------------------------------------------- */

static bool obj_in_slab(const struct kmem_cache *c, const struct page *head, const void *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)slab_base(head);

	return off < c->objs_per_slab * c->size && off % c->size == 0;
}

/* Is obj already on its slab's freelist? Locks: c->lock held. */
static bool obj_is_free(const struct kmem_cache *c, const struct page *head, const void *obj)
{
	const void *p;
	unsigned int n = 0;

	for (p = head->freelist; p; p = *(void *const *)p) {
		if (p == obj)
			return true;
		if (++n > c->objs_per_slab || !obj_in_slab(c, head, p))
			panic("slab %s: freelist of slab at %p is corrupt (entry %p): "
			      "a freed object was overwritten", c->name, slab_base(head), p);
	}
	return false;
}

/* Check a just-allocated object still carries the free poison. */
static void check_poison(const struct kmem_cache *c, const struct page *head, void *obj)
{
	const unsigned char *b = obj;
	void *next = *(void **)obj;
	size_t i;

	if (next && !obj_in_slab(c, head, next))
		panic("slab %s: object %p has a bad free pointer %p: it was written after "
		      "being freed (use after free)", c->name, obj, next);
	for (i = sizeof(void *); i < c->size; i++)
		if (b[i] != POISON_FREE)
			panic("slab %s: object %p byte %zu is 0x%x, not the poison 0x%x: it was "
			      "written after being freed (use after free)",
			      c->name, obj, i, b[i], POISON_FREE);
}

/* ---- allocation and freeing ---------------------------------------------- */

void *kmem_cache_alloc(struct kmem_cache *c)
{
	struct page *head;
	void *obj;

	spin_lock(&c->lock);
	if (list_empty(&c->partial) && !new_slab(c)) {
		spin_unlock(&c->lock);
		return NULL;
	}
	head = list_first_entry(&c->partial, struct page, list);
	obj = head->freelist;
	if (SLAB_DEBUG)
		check_poison(c, head, obj);
	head->freelist = *(void **)obj;
	head->slab_inuse++;
	if (!head->freelist) {
		list_del(&head->list);
		list_add(&head->list, &c->full);
		c->nr_partial--;
	}
	c->nr_active++;
	c->nr_allocs++;
	spin_unlock(&c->lock);
	return obj;
}

void *kmem_cache_zalloc(struct kmem_cache *c)
{
	void *obj = kmem_cache_alloc(c);

	if (obj)
		memset(obj, 0, c->object_size);
	return obj;
}

/* The slab's first page for obj, panicking if obj is not a slab object. */
static struct page *obj_to_slab(const void *obj, const char *who)
{
	struct page *page = virt_to_page(obj);

	if (!page || !(page_flags(page) & PG_slab))
		panic("%s(%p): not an object from a slab cache (foreign pointer)", who, obj);
	return page->slab_head;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *head;

	if (!obj)
		return;
	head = obj_to_slab(obj, "kmem_cache_free");
	if (head->slab_cache != c)
		panic("kmem_cache_free(%s, %p): the object belongs to cache %s",
		      c->name, obj, head->slab_cache->name);
	if (!obj_in_slab(c, head, obj))
		panic("kmem_cache_free(%s, %p): not the start of an object (objects are %zu "
		      "bytes from %p)", c->name, obj, c->size, slab_base(head));
	spin_lock(&c->lock);
	if (SLAB_DEBUG) {
		if (obj_is_free(c, head, obj))
			panic("kmem_cache_free(%s, %p): double free", c->name, obj);
		memset(obj, POISON_FREE, c->size);
	}
	*(void **)obj = head->freelist;
	if (!head->freelist) {			/* was full: back to partial */
		list_del(&head->list);
		list_add(&head->list, &c->partial);
		c->nr_partial++;
	}
	head->freelist = obj;
	head->slab_inuse--;
	c->nr_active--;
	if (head->slab_inuse == 0 && c->nr_partial > 1)
		discard_slab(c, head);
	spin_unlock(&c->lock);
}

void kmem_cache_destroy(struct kmem_cache *c)
{
	struct page *head, *tmp;

	if (!c)
		return;
	spin_lock(&c->lock);
	if (c->nr_active)
		panic("kmem_cache_destroy(%s): %lu objects are still allocated: free them first",
		      c->name, c->nr_active);
	list_for_each_entry_safe(head, tmp, &c->partial, list)
		discard_slab(c, head);
	spin_unlock(&c->lock);
	spin_lock(&slab_caches_lock);
	list_del(&c->cache_list);
	spin_unlock(&slab_caches_lock);
	kmem_cache_free(&kmem_cache_cache, c);
}

/* ---- kmalloc ------------------------------------------------------------- */

static struct kmem_cache *kmalloc_cache(size_t size)
{
	unsigned int shift = KMALLOC_MIN_SHIFT;

	while ((1UL << shift) < size)
		shift++;
	return &kmalloc_caches[shift - KMALLOC_MIN_SHIFT];
}

static void *kmalloc_large(size_t size)
{
	struct page *page;

	if (size > (PAGE_SIZE << (MAX_ORDER - 1)))
		return NULL;
	page = alloc_pages(get_order(size));
	if (!page)
		return NULL;
	page_flags_set(page, PG_kmalloc);
	return page_address(page);
}

void *kmalloc(size_t size)
{
	if (unlikely(!slab_ready))
		panic("kmalloc(%zu) before slab_init(): allocate later, or use get_free_pages()", size);
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(size);
	return kmem_cache_alloc(kmalloc_cache(size ? size : 1));
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size);
}

void kfree(const void *obj)
{
	struct page *page;

	if (!obj)
		return;
	page = virt_to_page(obj);
	if (page && (page_flags(page) & PG_slab)) {
		kmem_cache_free(page->slab_cache, (void *)obj);
		return;
	}
	if (!page || !(page_flags(page) & PG_kmalloc) || !IS_ALIGNED((uintptr_t)obj, PAGE_SIZE))
		panic("kfree(%p): not memory from kmalloc() (foreign pointer, or a "
		      "pointer into the middle of a block)", obj);
	page_flags_clear(page, PG_kmalloc);
	__free_pages(page, page->order);
}

size_t ksize(const void *obj)
{
	struct page *page = virt_to_page(obj);

	if (page && (page_flags(page) & PG_slab))
		return page->slab_cache->size;
	if (page && (page_flags(page) & PG_kmalloc))
		return PAGE_SIZE << page->order;
	panic("ksize(%p): not memory from kmalloc()", obj);
}

/* ---- boot and reporting ---------------------------------------------------- */

void slab_init(void)
{
	unsigned int i;

	cache_init(&kmem_cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0);
	for (i = 0; i < NR_KMALLOC_CACHES; i++)
		cache_init(&kmalloc_caches[i], kmalloc_names[i],
			   1UL << (i + KMALLOC_MIN_SHIFT), 0);
	slab_ready = true;
}

void slab_dump(void)
{
	struct kmem_cache *c;

	printk("slab: %-14s %8s %8s %6s %5s\n", "cache", "objsize", "active", "slabs", "order");
	spin_lock(&slab_caches_lock);
	list_for_each_entry(c, &slab_caches, cache_list)
		printk("slab: %-14s %8zu %8lu %6lu %5u\n", c->name, c->size,
		       READ_ONCE(c->nr_active), READ_ONCE(c->nr_slabs), c->order);
	spin_unlock(&slab_caches_lock);
}
