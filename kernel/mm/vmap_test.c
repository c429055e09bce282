/*
 * vmap_test.c - in-kernel tests of the kernel's own page tables (built by
 * the arch boot code, read by the generic walker) and the KMAP area.
 */
#include <ktest.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <string.h>
#include <vmap.h>

/* The walker reads the arch's own boot tables: the direct map and the
 * kernel image must translate to the right physical addresses. */
KTEST(pgtable_kernel_tables)
{
	void *page = get_free_pages(0);
	phys_addr_t pa;
	unsigned int prot;

	KT_ASSERT(t, page != NULL);
	KT_EXPECT(t, lookup_kernel_page((uintptr_t)page + 0x10, &pa, &prot));
	KT_EXPECT_EQ(t, pa, page_to_phys(virt_to_page(page)) + 0x10);
	KT_EXPECT(t, prot & PTE_W);
	KT_EXPECT(t, lookup_kernel_page((uintptr_t)_kernel_start, &pa, NULL));
	KT_EXPECT_EQ(t, pa, __pa(_kernel_start));
	free_page(page);
}

KTEST(vmap_pages_and_ioremap)
{
	unsigned long start = nr_free_pages();
	struct page *pages[3];
	uint32_t *va, *io;
	phys_addr_t pa;
	unsigned int i, prot;

	for (i = 0; i < 3; i++) {
		pages[i] = alloc_pages(0);
		KT_ASSERT(t, pages[i] != NULL);
		memset(page_address(pages[i]), 0, PAGE_SIZE);
	}
	va = vmap(pages, 3, PAGE_KERNEL);
	KT_ASSERT(t, va != NULL);
	for (i = 0; i < 3; i++)			/* write through vmap, read through the direct map */
		va[i * PAGE_SIZE / 4 + 1] = 0xc0de0000 + i;
	for (i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, ((uint32_t *)page_address(pages[i]))[1], 0xc0de0000 + i);
	KT_EXPECT(t, !lookup_kernel_page((uintptr_t)va + 3 * PAGE_SIZE, NULL, NULL)); /* guard */

	/* ioremap keeps the offset and maps uncached; we only look, never touch. */
	io = ioremap(page_to_phys(pages[1]) + 0x10, 0x2000);
	KT_ASSERT(t, io != NULL);
	KT_EXPECT(t, ((uintptr_t)io & (PAGE_SIZE - 1)) == 0x10);
	KT_EXPECT(t, lookup_kernel_page((uintptr_t)io, &pa, &prot));
	KT_EXPECT_EQ(t, pa, page_to_phys(pages[1]) + 0x10);
	KT_EXPECT(t, prot & PTE_DEVICE);
	KT_EXPECT(t, lookup_kernel_page((uintptr_t)io + 0x2000, NULL, NULL)); /* 3 pages */
	iounmap(io);
	KT_EXPECT(t, !lookup_kernel_page((uintptr_t)io, NULL, NULL));

	vunmap(va);
	KT_EXPECT(t, !lookup_kernel_page((uintptr_t)va, NULL, NULL));
	for (i = 0; i < 3; i++)
		__free_pages(pages[i], 0);
	/* Page tables of the KMAP area stay; at most one per level was added. */
	KT_EXPECT(t, start - nr_free_pages() <= ARCH_PT_LEVELS);
}
