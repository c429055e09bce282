/*
 * pgtable_test.c - in-kernel tests of the generic page-table walker on
 * private trees (they also run on the host, tests/host/mm).
 */
#include <ktest.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <string.h>

/* Addresses that share no table below the root, and one that shares all. */
static const uintptr_t test_vas[] = {
	0x0000000000400000UL, 0x0000000000401000UL,	/* neighbours: one level-0 table */
	0x0000000040000000UL,				/* another level-1 table */
	0x0000003fffe00000UL,				/* high slot of a 3-level root */
	0x00007fffff000000UL,				/* high slot of a 4-level root */
};

KTEST(pgtable_map_lookup_unmap)
{
	unsigned long start = nr_free_pages();
	void *root_va = get_zeroed_page();
	phys_addr_t root, pa;
	unsigned int prot, i;
	int level;

	KT_ASSERT(t, root_va != NULL);
	root = __pa(root_va);
	KT_EXPECT_EQ(t, pt_map(root, test_vas[0], 0x1234000, PAGE_KERNEL), 0);
	/* The first mapping needed one table per level below the root. */
	KT_EXPECT_EQ(t, nr_free_pages(), start - ARCH_PT_LEVELS);
	KT_EXPECT_EQ(t, pt_map(root, test_vas[1], 0x5678000, PTE_R), 0);
	KT_EXPECT_EQ(t, nr_free_pages(), start - ARCH_PT_LEVELS);	/* same tables */
	for (i = 2; i < ARRAY_SIZE(test_vas); i++)
		KT_EXPECT_EQ(t, pt_map(root, test_vas[i], (i + 1) * PAGE_SIZE, PAGE_KERNEL), 0);

	KT_EXPECT(t, pt_lookup(root, test_vas[0] + 0x123, &pa, &prot, &level));
	KT_EXPECT_EQ(t, pa, 0x1234123);
	KT_EXPECT_EQ(t, prot & (PTE_R | PTE_W), PTE_R | PTE_W);
	KT_EXPECT_EQ(t, level, 0);
	KT_EXPECT(t, pt_lookup(root, test_vas[1], &pa, &prot, NULL));
	KT_EXPECT_EQ(t, pa, 0x5678000);
	KT_EXPECT_EQ(t, prot & PTE_W, 0);
	for (i = 2; i < ARRAY_SIZE(test_vas); i++) {
		KT_EXPECT(t, pt_lookup(root, test_vas[i] + 8, &pa, NULL, NULL));
		KT_EXPECT_EQ(t, pa, (i + 1) * PAGE_SIZE + 8);
	}
	KT_EXPECT(t, !pt_lookup(root, test_vas[0] + 2 * PAGE_SIZE, NULL, NULL, NULL));

	KT_EXPECT_EQ(t, pt_map(root, test_vas[0], 0x9000, PAGE_KERNEL), -EEXIST);
	KT_EXPECT_EQ(t, pt_map(root, test_vas[0] + 1, 0x9000, PAGE_KERNEL), -EINVAL);
	KT_EXPECT_EQ(t, pt_unmap(root, test_vas[0]), 0);
	KT_EXPECT(t, !pt_lookup(root, test_vas[0], NULL, NULL, NULL));
	KT_EXPECT_EQ(t, pt_unmap(root, test_vas[0]), -ENOENT);
	KT_EXPECT(t, pt_lookup(root, test_vas[1], NULL, NULL, NULL));	/* neighbour intact */

	pt_free_tables(root);
	KT_EXPECT_EQ(t, nr_free_pages(), start);
}

/* A leaf above level 0 (a large block) is recognised, never walked through. */
KTEST(pgtable_large_leaf)
{
	unsigned long start = nr_free_pages();
	void *root_va = get_zeroed_page();
	uintptr_t va = 0x40000000UL, block = PT_LEVEL_SIZE(1);
	phys_addr_t root, pa;
	pte_t *ptep;
	int level;

	KT_ASSERT(t, root_va != NULL);
	root = __pa(root_va);
	ptep = pt_walk(root, va, 1, true, &level);	/* tables down to level 1 */
	KT_ASSERT(t, ptep != NULL);
	KT_EXPECT_EQ(t, level, 1);
	set_pte(ptep, pte_mk_leaf(0x80000000UL, PAGE_KERNEL, 1));

	KT_EXPECT(t, pt_lookup(root, va + 0x12345, &pa, NULL, &level));
	KT_EXPECT_EQ(t, level, 1);
	KT_EXPECT_EQ(t, pa, 0x80012345UL);
	KT_EXPECT(t, pt_lookup(root, va + block - 1, &pa, NULL, NULL));
	KT_EXPECT_EQ(t, pa, 0x80000000UL + block - 1);
	KT_EXPECT_EQ(t, pt_map(root, va + PAGE_SIZE, 0x1000, PAGE_KERNEL), -EEXIST);
	KT_EXPECT_EQ(t, pt_unmap(root, va + PAGE_SIZE), -EBUSY);
	KT_EXPECT_EQ(t, nr_free_pages(), start - ARCH_PT_LEVELS + 1);	/* nothing allocated below */

	pt_free_tables(root);
	KT_EXPECT_EQ(t, nr_free_pages(), start);
}
