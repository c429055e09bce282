/*
 * mmu.c - the kernel's Sv39 page table (swapper_pg_dir) and TLB hooks.
 *
 * head.S runs C on early_pg_dir: the image at KERNEL_VIRT_BASE (2 MiB
 * leaves in early_pmd) plus a temporary 2 GiB direct-map window over the
 * DTB. riscv_paging_init() then builds swapper_pg_dir: the same image
 * mapping, the direct map of every RAM range except "no-map" firmware
 * memory, and direct-map windows over the UART and PLIC registers (memory
 * type comes from the platform's PMAs, not the PTE). Page-table pages come
 * from a static pool in .bss; later mappings (KMAP) are kernel/mm's.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <fdt.h>
#include <mm.h>
#include <printk.h>
#include <ktest.h>
#include <pgtable.h>

#define BOOT_PT_PAGES	32

static pte_t swapper_pg_dir[PT_ENTRIES] __aligned(PAGE_SIZE);
static pte_t boot_pt_pool[BOOT_PT_PAGES][PT_ENTRIES] __aligned(PAGE_SIZE);
static unsigned int boot_pt_used;	/* [I] boot hart only, before SMP */
uint64_t riscv_kernel_satp;		/* [I] satp value every hart loads */
uintptr_t kimage_voffset;		/* [I] KERNEL_VIRT_BASE - load address (head.S) */

static uint64_t level_size(int level)
{
	return 1UL << (PAGE_SHIFT + 9 * level);
}

/* Page-table pages live in the image, so their kernel address is pa + voffset. */
static pte_t *table_of(pte_t pte)
{
	return (pte_t *)(uintptr_t)(pte_pa(pte) + kimage_voffset);
}

static pte_t *pt_alloc(void)
{
	if (boot_pt_used >= BOOT_PT_PAGES)
		riscv_boot_fail("boot page-table pool exhausted mapping RAM and devices; "
				"raise BOOT_PT_PAGES in arch/riscv/kernel/mmu.c");
	return boot_pt_pool[boot_pt_used++];
}

/*
 * Map one naturally aligned block of level_size(level) at va. Returns false
 * if a table already occupies that slot (the caller splits the block); a
 * larger leaf already covering va means the block is mapped already.
 */
static bool map_block(uintptr_t va, phys_addr_t pa, int level, unsigned int prot)
{
	pte_t *table = swapper_pg_dir;

	for (int l = ARCH_PT_LEVELS - 1; l > level; l--) {
		pte_t *e = &table[pt_index(va, l)];

		if (!pte_present(*e))
			*e = pte_mk_table(__pa(pt_alloc()));
		else if (!pte_is_table(*e, l))
			return true;
		table = table_of(*e);
	}
	if (pte_is_table(table[pt_index(va, level)], level))
		return false;
	if (!pte_present(table[pt_index(va, level)]))
		table[pt_index(va, level)] = pte_mk_leaf(pa, prot, level);
	return true;
}

/* Map [pa, pa+size) at PHYS_MAP_BASE + pa with the largest leaves that fit. */
static void map_range(phys_addr_t pa, uint64_t size, int max_level, unsigned int prot)
{
	phys_addr_t end = pa + size;

	while (pa < end) {
		int level = max_level;

		while (level > 0 && (!IS_ALIGNED(pa, level_size(level)) ||
				     end - pa < level_size(level)))
			level--;
		if (!map_block(PHYS_MAP_BASE + pa, pa, level, prot)) {
			map_range(pa, level_size(level), level - 1, prot);
		}
		pa += level_size(level);
	}
}

/* Map RAM [base, base+size) minus every no-map region. */
static void map_ram(phys_addr_t base, phys_addr_t end)
{
	for (unsigned int i = 0; i < riscv_plat.nr_nomap && base < end; i++) {
		phys_addr_t nb = ALIGN_DOWN(riscv_plat.nomap[i].base, PAGE_SIZE);
		phys_addr_t ne = ALIGN_UP(riscv_plat.nomap[i].base + riscv_plat.nomap[i].size, PAGE_SIZE);

		if (ne <= base || nb >= end)
			continue;
		if (nb > base)
			map_ram(base, nb);
		base = ne;
	}
	if (base < end)
		map_range(base, end - base, ARCH_PT_LEVELS - 1, PAGE_KERNEL);
}

static void map_device(phys_addr_t pa, uint64_t size)
{
	phys_addr_t start = ALIGN_DOWN(pa, PAGE_SIZE);

	map_range(start, ALIGN_UP(pa + size, PAGE_SIZE) - start, ARCH_PT_LEVELS - 1,
		  PAGE_KERNEL_DEVICE);
}

static bool in_ram(const struct boot_info *bi, phys_addr_t pa, uint64_t size)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		if (pa >= bi->mem[i].base && pa + size <= bi->mem[i].base + bi->mem[i].size)
			return true;
	return false;
}

void riscv_paging_init(const struct boot_info *bi)
{
	unsigned int kidx = pt_index(KERNEL_VIRT_BASE, ARCH_PT_LEVELS - 1);

	swapper_pg_dir[kidx] = early_pg_dir[kidx];
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		map_ram(ALIGN_UP(bi->mem[i].base, PAGE_SIZE),
			ALIGN_DOWN(bi->mem[i].base + bi->mem[i].size, PAGE_SIZE));
	if (!in_ram(bi, riscv_plat.dtb_pa, fdt_totalsize(bi->dtb)))
		map_device(riscv_plat.dtb_pa, fdt_totalsize(bi->dtb));
	if (riscv_plat.uart_found)
		map_device(riscv_plat.uart_pa, 8UL << riscv_plat.uart_shift);
	if (riscv_plat.plic_found)
		map_device(riscv_plat.plic_pa, riscv_plat.plic_size);
	if (riscv_plat.finisher_found)
		map_device(riscv_plat.finisher_pa, 4);
	riscv_kernel_satp = SATP_MODE_SV39 | (__pa(swapper_pg_dir) >> PAGE_SHIFT);
	__asm__ __volatile__("sfence.vma\n\tcsrw satp, %0\n\tsfence.vma"
			     :: "r"(riscv_kernel_satp) : "memory");
}

/*
 * User root tables copy swapper_pg_dir's upper half (arch_pgd_init_user), so
 * no entry there may change once the first one exists. The direct map's are
 * final after riscv_paging_init(); the KMAP area's are linked to (empty)
 * tables here, at boot, rather than on the first vmap(). Nothing else is ever
 * mapped in the upper half.
 */
void riscv_kernel_root_freeze(void)
{
	int err = kernel_pt_prealloc(KMAP_BASE, KMAP_SIZE);

	if (err)
		panic("riscv: cannot preallocate the KMAP page tables (error %d): "
		      "the boot needs %lu free pages for them", err,
		      (unsigned long)(KMAP_SIZE >> PT_LEVEL_SHIFT(PT_ROOT_LEVEL)));
}

phys_addr_t arch_kernel_pgd(void)
{
	return __pa(swapper_pg_dir);
}

void arch_flush_tlb_page_local(uintptr_t va)
{
	__asm__ __volatile__("sfence.vma %0, zero" :: "r"(va) : "memory");
}

void arch_flush_tlb_all_local(void)
{
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

/* ---- tests ---- */

KTEST(riscv_pte_encoding_roundtrip)
{
	static const unsigned int prots[] = {
		PTE_R, PTE_R | PTE_W, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X | PTE_USER,
		PAGE_KERNEL, PAGE_KERNEL_DEVICE, PTE_X | PTE_GLOBAL,
	};
	phys_addr_t pa = 0x123456789000ULL;

	for (unsigned int i = 0; i < ARRAY_SIZE(prots); i++) {
		for (int level = 0; level < ARCH_PT_LEVELS; level++) {
			pte_t pte = pte_mk_leaf(pa, prots[i], level);

			KT_EXPECT(t, pte_present(pte));
			KT_EXPECT(t, !pte_is_table(pte, level));
			KT_EXPECT_EQ(t, pte_pa(pte), pa);
			KT_EXPECT_EQ(t, pte_prot(pte), prots[i]);
			KT_EXPECT(t, (pte & (_PAGE_A | _PAGE_D)) == (_PAGE_A | _PAGE_D));
		}
	}
	KT_EXPECT(t, pte_is_table(pte_mk_table(pa), 1));
	KT_EXPECT(t, !pte_is_table(pte_mk_table(pa), 0));
	KT_EXPECT_EQ(t, pte_pa(pte_mk_table(pa)), pa);
	/* W alone becomes R+W (W-only is reserved); no access at all is not present. */
	KT_EXPECT_EQ(t, pte_prot(pte_mk_leaf(pa, PTE_W, 0)), PTE_R | PTE_W);
	KT_EXPECT(t, !pte_present(pte_mk_leaf(pa, PTE_USER, 0)));
	KT_EXPECT(t, !pte_present(0));
}

/* Walk the live kernel table by hand: returns the PA va maps to, or -1. */
static phys_addr_t walk(uintptr_t va)
{
	pte_t *table = __va(arch_kernel_pgd());

	for (int level = ARCH_PT_LEVELS - 1; level >= 0; level--) {
		pte_t pte = table[pt_index(va, level)];

		if (!pte_present(pte))
			return (phys_addr_t)-1;
		if (!pte_is_table(pte, level))
			return pte_pa(pte) + (va & (level_size(level) - 1));
		table = __va(pte_pa(pte));
	}
	return (phys_addr_t)-1;
}

KTEST(riscv_direct_map_and_image_agree)
{
	static volatile uint64_t probe = 0x5a5a1234;
	phys_addr_t pa = __pa((const void *)&probe);

	KT_ASSERT_EQ(t, walk((uintptr_t)&probe), pa);
	KT_ASSERT_EQ(t, walk((uintptr_t)__va(pa)), pa);
	KT_EXPECT_EQ(t, *(volatile uint64_t *)__va(pa), 0x5a5a1234);
	probe = 0x77;
	KT_EXPECT_EQ(t, *(volatile uint64_t *)__va(pa), 0x77);
	/* Firmware memory marked no-map must stay unmapped. */
	for (unsigned int i = 0; i < riscv_plat.nr_nomap; i++)
		KT_EXPECT_EQ(t, walk((uintptr_t)__va(riscv_plat.nomap[i].base)), (phys_addr_t)-1);
}
