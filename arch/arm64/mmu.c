/*
 * mmu.c - the kernel page tables before kernel/mm takes over: the direct map
 * of RAM, the DTB window and device windows in swapper_pg_dir, plus the TLB
 * and root-table hooks of the arch contract.
 *
 * Early tables come from a static pool inside the image (there is no page
 * allocator yet). All of this runs on the boot CPU before any secondary CPU
 * is started, so the pool and the window list need no lock.
 */
#include <arch.h>
#include <boot.h>
#include <mm.h>
#include <printk.h>
#include <string.h>
#include "internal.h"

_Static_assert(PTE_R == ARM64_PROT_R && PTE_W == ARM64_PROT_W && PTE_X == ARM64_PROT_X &&
	       PTE_USER == ARM64_PROT_USER && PTE_DEVICE == ARM64_PROT_DEVICE &&
	       PTE_GLOBAL == ARM64_PROT_GLOBAL, "asm/arch.h prot copies out of date");

uintptr_t kimage_voffset;	/* [I] set by arm64_start_kernel() before any __pa() */

#define PGTABLE_POOL_PAGES 32
static pte_t pgtable_pool[PGTABLE_POOL_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE); /* [boot CPU] */
static unsigned int pgtable_pool_used;	/* [boot CPU] */

phys_addr_t arm64_kimage_pa(const void *va)
{
	return (uintptr_t)va - kimage_voffset;
}

static bool pa_in_image(phys_addr_t pa)
{
	return pa >= arm64_kimage_pa(_kernel_start) && pa < arm64_kimage_pa(_kernel_end);
}

/* Tables live in the image (pool, head.S) or, once kernel/mm runs, in the direct map. */
static pte_t *table_va(pte_t entry)
{
	phys_addr_t pa = pte_pa(entry);

	if (pa_in_image(pa))
		return (pte_t *)(uintptr_t)(pa + kimage_voffset);
	return __va(pa);
}

static unsigned int pt_index(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * level)) & (PT_ENTRIES - 1);
}

/* The entry for va at level, creating the tables above it; NULL if a block is in the way. */
static pte_t *walk_create(uintptr_t va, int level)
{
	pte_t *table = swapper_pg_dir;

	for (int l = ARCH_PT_LEVELS - 1; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];

		if (!pte_present(*e)) {
			if (pgtable_pool_used == PGTABLE_POOL_PAGES)
				return NULL;
			pte_t *t = pgtable_pool[pgtable_pool_used++];
			set_pte(e, pte_mk_table(arm64_kimage_pa(t)));
		} else if (!pte_is_table(*e, l)) {
			return NULL;
		}
		table = table_va(*e);
	}
	return &table[pt_index(va, level)];
}

/* Largest level whose block fits at va/pa with size bytes left (1 GiB, 2 MiB, 4 KiB). */
static int leaf_level(uintptr_t va, phys_addr_t pa, uint64_t size, bool pages_only)
{
	for (int level = 2; level > 0 && !pages_only; level--) {
		uint64_t bsz = 1UL << (PAGE_SHIFT + 9 * level);

		if (IS_ALIGNED(va | pa, bsz) && size >= bsz)
			return level;
	}
	return 0;
}

/*
 * Map [pa, pa+size) at va with generic prot bits, using blocks where they fit
 * unless pages_only. Returns 0, -ENOMEM (pool empty) or -EEXIST (conflict).
 * Locks: boot CPU only, before secondaries run.
 */
int arm64_map_range(uintptr_t va, phys_addr_t pa, uint64_t size, unsigned int prot, bool pages_only)
{
	va = ALIGN_DOWN(va, PAGE_SIZE);
	size = ALIGN_UP(size + (pa & ~PAGE_MASK), PAGE_SIZE);
	pa = ALIGN_DOWN(pa, PAGE_SIZE);
	while (size) {
		int level = leaf_level(va, pa, size, pages_only);
		uint64_t bsz = 1UL << (PAGE_SHIFT + 9 * level);
		pte_t *e = walk_create(va, level);
		pte_t want = pte_mk_leaf(pa, prot, level);

		if (!e)
			return pgtable_pool_used == PGTABLE_POOL_PAGES ? -ENOMEM : -EEXIST;
		if (pte_present(*e) && *e != want)
			return -EEXIST;
		set_pte(e, want);
		va += bsz;
		pa += bsz;
		size -= bsz;
	}
	return 0;
}

/* Direct map every RAM range; a range the map cannot hold is a boot failure. */
void arm64_map_ram(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct mem_range *r = &bi->mem[i];
		int err;

		if (r->base + r->size > PHYS_MAP_SIZE)
			arm64_boot_fail("RAM at 0x%lx+0x%lx is beyond the %lu TiB direct map; "
					"raise PHYS_MAP_SIZE in asm/memlayout.h\n",
					(unsigned long)r->base, (unsigned long)r->size,
					PHYS_MAP_SIZE >> 40);
		err = arm64_map_range(PHYS_MAP_BASE + r->base, r->base, r->size, PAGE_KERNEL, false);
		if (err)
			arm64_boot_fail("cannot direct-map RAM 0x%lx+0x%lx (error %d); raise "
					"PGTABLE_POOL_PAGES in arch/arm64/mmu.c\n",
					(unsigned long)r->base, (unsigned long)r->size, err);
	}
}

/* ---- device windows ------------------------------------------------------ */
#define MAX_WINDOWS 16
static struct { phys_addr_t pa, end; uintptr_t va; } windows[MAX_WINDOWS]; /* [boot CPU] */
static unsigned int nr_windows;		/* [boot CPU] */
static uintptr_t devmap_next = DEVMAP_BASE; /* [boot CPU] */
static const struct boot_info *ram_info; /* set once RAM is known */

static bool overlaps_ram(phys_addr_t pa, phys_addr_t end)
{
	if (!ram_info)
		return true;	/* RAM unknown: assume the worst, map pages only */
	for (unsigned int i = 0; i < ram_info->nr_mem; i++) {
		const struct mem_range *r = &ram_info->mem[i];

		if (pa < r->base + r->size && end > r->base)
			return true;
	}
	return false;
}


void arm64_set_ram_info(const struct boot_info *bi)
{
	ram_info = bi;
}

/*
 * Map a device region uncached in the fixmap device area; the mapping lasts
 * forever. 2 MiB blocks are used unless the region shares a block with RAM
 * (RAM must not be mapped with two memory types). NULL when out of room.
 * Locks: boot CPU only, before secondaries run (arch_irq_init is the last user).
 */
void *arm64_ioremap(phys_addr_t pa, uint64_t size)
{
	phys_addr_t base = ALIGN_DOWN(pa, 2 * MiB), end = ALIGN_UP(pa + size, 2 * MiB);
	bool pages;

	for (unsigned int i = 0; i < nr_windows; i++)
		if (pa >= windows[i].pa && pa + size <= windows[i].end)
			return (void *)(windows[i].va + (pa - windows[i].pa));
	if (nr_windows == MAX_WINDOWS || devmap_next + (end - base) > DEVMAP_END)
		return NULL;
	pages = overlaps_ram(base, end);
	if (pages) {
		base = ALIGN_DOWN(pa, PAGE_SIZE);
		end = ALIGN_UP(pa + size, PAGE_SIZE);
	}
	if (arm64_map_range(devmap_next + (base & (2 * MiB - 1)), base, end - base,
			    PAGE_KERNEL_DEVICE, pages))
		return NULL;
	windows[nr_windows].pa = base;
	windows[nr_windows].end = end;
	windows[nr_windows].va = devmap_next + (base & (2 * MiB - 1));
	nr_windows++;
	devmap_next += ALIGN_UP(end, 2 * MiB) - ALIGN_DOWN(base, 2 * MiB);
	return (void *)(windows[nr_windows - 1].va + (pa - base));
}

/* ---- arch contract: root table and local TLB ---------------------------- */
phys_addr_t arch_kernel_pgd(void)
{
	return arm64_kimage_pa(swapper_pg_dir);
}

void arch_flush_tlb_page_local(uintptr_t va)
{
	dsb(nshst);
	__asm__ __volatile__("tlbi vaae1, %0" : : "r"((va >> PAGE_SHIFT) & ((1UL << 44) - 1)) : "memory");
	dsb(nsh);
	isb();
}

void arch_flush_tlb_all_local(void)
{
	dsb(nshst);
	__asm__ __volatile__("tlbi vmalle1" ::: "memory");
	dsb(nsh);
	isb();
}
