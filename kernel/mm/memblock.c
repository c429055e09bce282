/*
 * memblock.c - early boot memory, before the page allocator exists.
 *
 * Theory of operation
 * -------------------
 * The firmware tells the arch code where RAM is (multiboot2 memory map,
 * device-tree /memory nodes) and what inside it is already taken (the
 * kernel image, the device tree, an initrd, firmware such as OpenSBI).
 * Those lists arrive in struct boot_info unsorted, possibly overlapping
 * and not page aligned. memblock turns them into two clean lists of
 * page-aligned, sorted, non-overlapping ranges:
 *
 *   ram   every page of RAM the kernel can reach through the direct map
 *   free  ram minus the reservations minus the kernel image
 *
 * RAM is trimmed inwards to whole pages (a partial page is unusable) and
 * reservations are widened outwards (a partial page is still taken).
 * RAM beyond the direct map (PHYS_MAP_SIZE) is ignored with a message.
 *
 * The page allocator then takes its mem_map from memblock_alloc()
 * (top-down, so low memory stays free for devices and SMP trampolines)
 * and hands every page still in 'free' to the buddy allocator. After
 * page_alloc_init() memblock is never used again: it is a boot-time
 * helper, which is why it needs no lock.
 *
 * Linux has the same idea under the same name (mm/memblock.c).
 */
#include <boot.h>
#include <mm.h>
#include <fdt.h>
#include <printk.h>
#include <string.h>
#include "internal.h"

struct memblock memblock;

/* Sort by start (insertion sort: at most MEMBLOCK_MAX entries), then merge
 * overlapping or touching ranges and drop empty ones. */
unsigned int range_normalize(struct phys_range *r, unsigned int n)
{
	unsigned int i, j, out = 0;

	for (i = 1; i < n; i++) {
		struct phys_range key = r[i];

		for (j = i; j > 0 && r[j - 1].start > key.start; j--)
			r[j] = r[j - 1];
		r[j] = key;
	}
	for (i = 0; i < n; i++) {
		if (r[i].start >= r[i].end)
			continue;
		if (out > 0 && r[i].start <= r[out - 1].end) {
			r[out - 1].end = MAX(r[out - 1].end, r[i].end);
			continue;
		}
		r[out++] = r[i];
	}
	return out;
}

/* Remove [start, end) from the sorted list r of n ranges (capacity max). */
unsigned int range_subtract(struct phys_range *r, unsigned int n, unsigned int max,
			    phys_addr_t start, phys_addr_t end)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct phys_range *c = &r[i];

		if (end <= c->start || start >= c->end)
			continue;
		if (start <= c->start && end >= c->end) {	/* covers it all */
			memmove(c, c + 1, (n - i - 1) * sizeof(*c));
			n--;
			i--;
		} else if (start <= c->start) {			/* cuts the head */
			c->start = end;
		} else if (end >= c->end) {			/* cuts the tail */
			c->end = start;
		} else if (n < max) {				/* splits it in two */
			memmove(c + 2, c + 1, (n - i - 1) * sizeof(*c));
			c[1].start = end;
			c[1].end = c->end;
			c->end = start;
			n++;
			i++;
		} else {
			printk("mm: too many memory ranges, dropping [0x%llx-0x%llx): "
			       "raise MEMBLOCK_MAX in kernel/mm/internal.h\n",
			       (unsigned long long)end, (unsigned long long)c->end);
			c->end = start;
		}
	}
	return n;
}

/* base + size, saturating instead of wrapping around (bad firmware tables). */
static phys_addr_t range_end(phys_addr_t base, uint64_t size)
{
	return size > ~(phys_addr_t)0 - base ? ~(phys_addr_t)0 : base + size;
}

static void add_ram(phys_addr_t base, uint64_t size)
{
	phys_addr_t end = range_end(base, size);
	phys_addr_t limit = PHYS_MAP_SIZE;

	if (end > limit) {
		printk("mm: ignoring RAM [0x%llx-0x%llx): beyond the %llu GiB direct map "
		       "(PHYS_MAP_SIZE); enlarge it in the arch memlayout to use it\n",
		       (unsigned long long)MAX(base, limit), (unsigned long long)end,
		       (unsigned long long)(limit / GiB));
		end = limit;
	}
	if (base >= end)
		return;
	base = ALIGN_UP(base, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (base >= end || memblock.nr_ram == MEMBLOCK_MAX)
		return;
	memblock.ram[memblock.nr_ram++] = (struct phys_range){ base, end };
}

static void reserve(phys_addr_t base, uint64_t size)
{
	phys_addr_t end = range_end(base, size);

	if (size == 0)
		return;
	base = ALIGN_DOWN(base, PAGE_SIZE);
	end = end > ~(phys_addr_t)0 - PAGE_SIZE ? ~(phys_addr_t)0 : ALIGN_UP(end, PAGE_SIZE);
	memblock.nr_free = range_subtract(memblock.free, memblock.nr_free,
					  MEMBLOCK_MAX, base, end);
}

void memblock_init(const struct boot_info *bi)
{
	unsigned int i;

	memset(&memblock, 0, sizeof(memblock));
	for (i = 0; i < bi->nr_mem && i < BOOT_MAX_RANGES; i++)
		add_ram(bi->mem[i].base, bi->mem[i].size);
	memblock.nr_ram = range_normalize(memblock.ram, memblock.nr_ram);
	if (memblock.nr_ram == 0)
		panic("mm: the boot memory map lists no usable RAM (%u ranges): the arch "
		      "early code must describe RAM with boot_add_mem()", bi->nr_mem);

	memcpy(memblock.free, memblock.ram, sizeof(memblock.ram));
	memblock.nr_free = memblock.nr_ram;
	for (i = 0; i < bi->nr_reserved && i < BOOT_MAX_RANGES; i++)
		reserve(bi->reserved[i].base, bi->reserved[i].size);
	/* The image, initrd and device tree are reserved here too, in case
	 * the arch code forgot: reserving twice is harmless. */
	reserve(__pa(_kernel_start), (uint64_t)(_kernel_end - _kernel_start));
	reserve(bi->initrd_base, bi->initrd_base ? bi->initrd_size : 0);
	if (bi->dtb)
		reserve(__pa(bi->dtb), fdt_totalsize(bi->dtb));
}

bool memblock_alloc(uint64_t size, uint64_t align, phys_addr_t *pa)
{
	unsigned int i;

	size = ALIGN_UP(size, PAGE_SIZE);
	for (i = memblock.nr_free; i-- > 0;) {
		struct phys_range *r = &memblock.free[i];
		phys_addr_t at;

		if (r->end - r->start < size)
			continue;
		at = ALIGN_DOWN(r->end - size, align);
		if (at < r->start)
			continue;
		memblock.nr_free = range_subtract(memblock.free, memblock.nr_free,
						  MEMBLOCK_MAX, at, at + size);
		*pa = at;
		return true;
	}
	return false;
}

uint64_t memblock_free_bytes(void)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < memblock.nr_free; i++)
		sum += memblock.free[i].end - memblock.free[i].start;
	return sum;
}
