/*
 * vmap.h - the KMAP area: kernel virtual addresses for device registers
 * (ioremap) and for pages that need a contiguous virtual range (vmap).
 *
 * The area is [KMAP_BASE, KMAP_BASE + KMAP_SIZE), defined by the arch's
 * memory layout; every mapping is followed by an unmapped guard page.
 *
 *   void __iomem-like *uart = ioremap(0x09000000, 0x1000);
 *   writel(x, uart + 0x18);
 *   iounmap(uart);
 *
 * ioremap/vmap may take page-table pages from the allocator; they never
 * sleep. iounmap/vunmap flush every CPU's TLB (flush_tlb_kernel_range),
 * so they need interrupts on once other CPUs are online.
 */
#ifndef FAULTLINE_VMAP_H
#define FAULTLINE_VMAP_H

#include <types.h>

struct page;

/* Map [phys, phys + size) as uncached device memory (PAGE_KERNEL_DEVICE).
 * Returns the virtual address of phys (the offset in its page is kept),
 * or NULL if the area is full or out of memory (with a message). */
void *ioremap(phys_addr_t phys, size_t size);
void iounmap(volatile void *addr);

/* Map count pages at consecutive virtual addresses with prot (e.g. PAGE_KERNEL).
 * The pages stay owned by the caller: vunmap() does not free them. */
void *vmap(struct page **pages, unsigned int count, unsigned int prot);
void vunmap(const void *addr);

/* Print every KMAP area (address, size, what it maps). */
void vmap_dump(void);

#endif
