/*
 * internal.h - declarations shared by the files of kernel/mm only.
 */
#ifndef FAULTLINE_MM_INTERNAL_H
#define FAULTLINE_MM_INTERNAL_H

#include <types.h>

struct boot_info;

/* A physical range [start, end), page aligned once memblock has cleaned it. */
struct phys_range {
	phys_addr_t start;
	phys_addr_t end;
};

#define MEMBLOCK_MAX	96	/* 32 RAM ranges, each reservation may split one */

/*
 * Early boot memory, before the buddy allocator exists. Boot only (one CPU,
 * no lock): memblock_init() and memblock_alloc() are called by
 * page_alloc_init() and never afterwards.
 */
struct memblock {
	struct phys_range ram[MEMBLOCK_MAX];	/* all RAM, sorted, merged */
	unsigned int nr_ram;
	struct phys_range free[MEMBLOCK_MAX];	/* RAM minus reservations minus early allocations */
	unsigned int nr_free;
};

extern struct memblock memblock;

/* Build memblock.ram and memblock.free from the firmware's map in bi. */
void memblock_init(const struct boot_info *bi);
/* Take size bytes aligned to align (a power of two, >= PAGE_SIZE) from the
 * highest free memory; false if nothing fits. */
bool memblock_alloc(uint64_t size, uint64_t align, phys_addr_t *pa);
uint64_t memblock_free_bytes(void);

/* Helpers on range arrays, exposed for the host tests. Return the new count. */
unsigned int range_normalize(struct phys_range *r, unsigned int n);
unsigned int range_subtract(struct phys_range *r, unsigned int n, unsigned int max,
			    phys_addr_t start, phys_addr_t end);

#endif
