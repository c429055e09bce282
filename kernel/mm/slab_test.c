/*
 * slab_test.c - in-kernel tests of the slab caches and kmalloc.
 * (Double frees and use-after-free panic by design; the host tests in
 * tests/host/mm check those paths.)
 */
#include <ktest.h>
#include <page_alloc.h>
#include <slab.h>
#include <string.h>

#define OBJS_PER_SIZE	150

static uint8_t pattern(size_t size, unsigned int i)
{
	return (uint8_t)(size * 31 + i * 7 + 1);
}

static bool check_fill(const uint8_t *p, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return false;
	return true;
}

/* Many objects of many sizes, all alive at once, each filled with its
 * own pattern: any overlap between two objects breaks a pattern. */
KTEST(slab_kmalloc_many_sizes)
{
	static const size_t sizes[] = { 1, 7, 8, 9, 16, 24, 31, 64, 100, 128, 200, 255,
					512, 700, 1024, 1500, 2048 };
	static uint8_t *objs[ARRAY_SIZE(sizes)][OBJS_PER_SIZE];
	unsigned long start = nr_free_pages();
	unsigned int s, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++)
		for (i = 0; i < OBJS_PER_SIZE; i++) {
			objs[s][i] = kmalloc(sizes[s]);
			KT_ASSERT(t, objs[s][i] != NULL);
			KT_EXPECT(t, ksize(objs[s][i]) >= sizes[s]);
			KT_EXPECT(t, IS_ALIGNED((uintptr_t)objs[s][i], MIN(sizes[s] >= 8 ? 8 : 1, 8)));
			memset(objs[s][i], pattern(sizes[s], i), sizes[s]);
		}
	for (s = 0; s < ARRAY_SIZE(sizes); s++)
		for (i = 0; i < OBJS_PER_SIZE; i += 2) {	/* free half, in a stride */
			KT_EXPECT(t, check_fill(objs[s][i], sizes[s], pattern(sizes[s], i)));
			kfree(objs[s][i]);
		}
	for (s = ARRAY_SIZE(sizes); s-- > 0;)
		for (i = 1; i < OBJS_PER_SIZE; i += 2) {
			KT_EXPECT(t, check_fill(objs[s][i], sizes[s], pattern(sizes[s], i)));
			kfree(objs[s][i]);
		}
	/* Each kmalloc cache may keep one empty slab of at most 2^SLAB_MAX_ORDER pages. */
	KT_EXPECT(t, start - nr_free_pages() <= 9UL << SLAB_MAX_ORDER);
}

KTEST(slab_kmalloc_large)
{
	static const size_t sizes[] = { 2049, 4096, 5000, 65536, 1 << 20, 4 << 20 };
	unsigned long start = nr_free_pages();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		uint8_t *p = kmalloc(sizes[i]);

		KT_ASSERT(t, p != NULL);
		KT_EXPECT(t, IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
		KT_EXPECT_EQ(t, ksize(p), PAGE_SIZE << get_order(sizes[i]));
		KT_EXPECT_EQ(t, nr_free_pages(), start - (1UL << get_order(sizes[i])));
		memset(p, 0xa5, sizes[i]);
		KT_EXPECT(t, check_fill(p, sizes[i], 0xa5));
		kfree(p);
		KT_EXPECT_EQ(t, nr_free_pages(), start);
	}
	KT_EXPECT(t, kmalloc((4 << 20) + 1) == NULL);	/* beyond the largest buddy block */
	KT_EXPECT(t, kcalloc(SIZE_MAX / 2, 4) == NULL);	/* overflow */
}

KTEST(slab_cache_create_align_destroy)
{
	unsigned long start = nr_free_pages();
	struct kmem_cache *c = kmem_cache_create("ktest-40a64", 40, 64);
	void *objs[300];
	unsigned int i;

	KT_ASSERT(t, c != NULL);
	KT_EXPECT_EQ(t, c->size, 64);
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		objs[i] = i % 2 ? kmem_cache_zalloc(c) : kmem_cache_alloc(c);
		KT_ASSERT(t, objs[i] != NULL);
		KT_EXPECT(t, IS_ALIGNED((uintptr_t)objs[i], 64));
		if (i % 2)
			KT_EXPECT(t, check_fill(objs[i], 40, 0));
		memset(objs[i], (int)i, 40);
	}
	KT_EXPECT_EQ(t, c->nr_active, ARRAY_SIZE(objs));
	KT_EXPECT(t, c->nr_slabs >= ARRAY_SIZE(objs) / c->objs_per_slab);
	for (i = 0; i < ARRAY_SIZE(objs); i++) {
		KT_EXPECT(t, check_fill(objs[i], 40, (uint8_t)i));
		kmem_cache_free(c, objs[i]);
	}
	KT_EXPECT_EQ(t, c->nr_active, 0);
	KT_EXPECT(t, c->nr_slabs <= 1);
	kmem_cache_destroy(c);
	KT_EXPECT(t, kmem_cache_create("ktest-bad", 0, 8) == NULL);
	KT_EXPECT(t, kmem_cache_create("ktest-bad", 64, 3) == NULL);
	/* The struct kmem_cache's own slab may stay as the one spare. */
	KT_EXPECT(t, start - nr_free_pages() <= 1UL << SLAB_MAX_ORDER);
}
