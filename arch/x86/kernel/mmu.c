/*
 * mmu.c - the kernel's page tables after boot, and TLB maintenance.
 *
 * head.S leaves boot_pml4 with an identity map and a temporary direct map
 * of the low 4 GiB. x86_direct_map_add() builds the real direct map at
 * PHYS_MAP_BASE, RAM range by RAM range: 1 GiB pages when the CPU has
 * them, else 2 MiB pages with page directories from a static pool (enough
 * for DIRECT_PD_POOL GiB of RAM). x86_mmu_switch() installs it and drops
 * the identity map; boot_pml4 then is the kernel's root table for good.
 * Ranges are rounded out to the page size used; the MTRRs keep any
 * non-RAM hole that gets mapped this way uncached on real hardware.
 */
#include <string.h>
#include <printk.h>
#include <mm.h>
#include "internal.h"

#define DIRECT_PD_POOL	16
#define PML4_DIRECT	256	/* PML4 slot of PHYS_MAP_BASE */
#define SZ_2M		(2 * MiB)

uintptr_t kimage_voffset;	/* [I] KERNEL_VIRT_BASE - 0: set first thing in x86_boot_main() */

extern pte_t boot_pml4[PT_ENTRIES];		/* head.S */
static pte_t direct_pdpt[PT_ENTRIES] __aligned(PAGE_SIZE);		/* [I] */
static pte_t direct_pd[DIRECT_PD_POOL][PT_ENTRIES] __aligned(PAGE_SIZE);	/* [I] */
static pte_t *direct_pd_of[PT_ENTRIES];		/* [I] PD behind direct_pdpt[i] */
static unsigned int direct_pd_used;		/* [I] */
static pte_t trampoline_pml4[PT_ENTRIES] __aligned(PAGE_SIZE);	/* [I] rebuilt per AP start */
static pte_t boot_identity_pml4e;		/* [I] the identity slot head.S made */

#define DIRECT_PROT	(PTE_R | PTE_W | PTE_GLOBAL)	/* no X: data only */

/* The PD behind direct_pdpt[i], taking one from the pool if needed; NULL when empty. */
static pte_t *direct_pd_for(unsigned int i)
{
	pte_t *pd;

	if (direct_pd_of[i])
		return direct_pd_of[i];
	if (direct_pd_used == DIRECT_PD_POOL)
		return NULL;
	pd = direct_pd[direct_pd_used++];
	direct_pd_of[i] = pd;
	set_pte(&direct_pdpt[i], pte_mk_table(__pa(pd)));
	return pd;
}

/* Map [start, end) (GiB-aligned) with 1 GiB pages. */
static void map_gbpages(phys_addr_t start, phys_addr_t end)
{
	for (phys_addr_t pa = start; pa < end; pa += GiB)
		set_pte(&direct_pdpt[pa / GiB], pte_mk_leaf(pa, DIRECT_PROT, 2));
}

/* Map [start, end) (2 MiB-aligned) with 2 MiB pages; returns where it had to stop. */
static phys_addr_t map_2m_pages(phys_addr_t start, phys_addr_t end)
{
	for (phys_addr_t pa = start; pa < end; pa += SZ_2M) {
		pte_t *pd = direct_pd_for(pa / GiB);

		if (!pd)
			return pa;
		set_pte(&pd[(pa / SZ_2M) % PT_ENTRIES], pte_mk_leaf(pa, DIRECT_PROT, 1));
	}
	return end;
}

/* Add RAM [base, base + size) to the direct map. Returns how many bytes from base are mapped. */
uint64_t x86_direct_map_add(phys_addr_t base, uint64_t size)
{
	phys_addr_t end = MIN(base + size, (phys_addr_t)PHYS_MAP_SIZE), done;

	if (base >= end)
		return 0;
	if (x86_has_gbpages) {
		map_gbpages(ALIGN_DOWN(base, GiB), ALIGN_UP(end, GiB));
		done = end;
	} else {
		done = MIN(map_2m_pages(ALIGN_DOWN(base, SZ_2M), ALIGN_UP(end, SZ_2M)), end);
	}
	return done > base ? done - base : 0;
}

/* Install the real direct map and remove the identity map of low memory. */
void x86_mmu_switch(void)
{
	boot_identity_pml4e = boot_pml4[0];
	set_pte(&boot_pml4[PML4_DIRECT], pte_mk_table(__pa(direct_pdpt)));
	set_pte(&boot_pml4[0], 0);
	arch_flush_tlb_all_local();
}

/*
 * Root table for a starting AP (must be below 4 GiB: the trampoline loads
 * CR3 in 32-bit mode; the kernel image is). The kernel half as it is now,
 * plus the identity map the trampoline runs on until it jumps high.
 */
phys_addr_t x86_trampoline_pgd(void)
{
	memcpy(&trampoline_pml4[PT_ENTRIES / 2], &boot_pml4[PT_ENTRIES / 2],
	       sizeof(pte_t) * PT_ENTRIES / 2);
	trampoline_pml4[0] = boot_identity_pml4e;
	return __pa(trampoline_pml4);
}

phys_addr_t arch_kernel_pgd(void)
{
	return __pa(boot_pml4);
}

/*
 * A user address space's root table: the lower half (user space, slots
 * 0..255) is the caller's, the upper half is a copy of the kernel's. The
 * copy stays valid because the kernel half of boot_pml4 never changes after
 * boot: the direct map (slot 256) and the image (511) are linked by head.S
 * and x86_mmu_switch(), the KMAP window's slot by vmap's kernel_pt_prealloc()
 * on the first ioremap (arch_irq_init), before any user address space exists.
 */
void arch_pgd_init_user(pte_t *pgd)
{
	memcpy(&pgd[PT_ENTRIES / 2], &boot_pml4[PT_ENTRIES / 2], sizeof(pte_t) * PT_ENTRIES / 2);
}

/*
 * Load a user root table (0: the kernel's own). No PCID: every CR3 write
 * drops the non-global (user) TLB entries, so a root table that was freed
 * and reused can never see stale translations; kernel mappings are global
 * and survive.
 */
void arch_switch_mm(phys_addr_t user_pgd)
{
	phys_addr_t root = user_pgd ? user_pgd : arch_kernel_pgd();
	unsigned long flags = arch_irq_save();

	this_cpu()->arch.user_cr3 = user_pgd;
	write_cr3(root);
	arch_irq_restore(flags);
}

void arch_flush_tlb_page_local(uintptr_t va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

/* A CR3 write keeps global entries; toggling CR4.PGE drops them too. */
void arch_flush_tlb_all_local(void)
{
	uint64_t cr4 = read_cr4();

	if (cr4 & CR4_PGE) {
		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
	} else {
		write_cr3(read_cr3());
	}
}

/* ---- tests ---- */
#include <ktest.h>

KTEST(x86_pte_encoding)
{
	static const unsigned int prots[] = {
		PTE_R, PTE_R | PTE_W, PTE_R | PTE_X, PAGE_KERNEL, PAGE_KERNEL_DEVICE,
		PTE_R | PTE_W | PTE_USER,
	};

	for (int level = 0; level <= 2; level++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(prots); i++) {
			phys_addr_t pa = 0x40000000ULL;		/* aligned for every level */
			pte_t pte = pte_mk_leaf(pa, prots[i], level);
			unsigned int want = prots[i] | (x86_pte_nx ? 0 : PTE_X);

			KT_EXPECT(t, pte_present(pte));
			KT_EXPECT(t, !pte_is_table(pte, level));
			KT_EXPECT_EQ(t, pte_pa(pte), pa);
			KT_EXPECT_EQ(t, pte_prot(pte), want);
			KT_EXPECT_EQ(t, !!(pte & X86_PTE_PS), level > 0);
		}
	}
	KT_EXPECT(t, pte_is_table(pte_mk_table(0x123000), 1));
	KT_EXPECT(t, !pte_is_table(pte_mk_table(0x123000), 0));	/* level 0 holds leaves only */
	KT_EXPECT_EQ(t, pte_pa(pte_mk_table(0x123000)), 0x123000);
	KT_EXPECT(t, !pte_present(0));
}

/* The kernel image is also reachable through the direct map, and the walk agrees. */
KTEST(x86_direct_map_alias)
{
	static volatile uint64_t probe = 0x5eed;
	volatile uint64_t *alias = __va(__pa((const void *)&probe));
	const pte_t *pml4 = __va(arch_kernel_pgd());

	KT_ASSERT(t, (uintptr_t)alias >= PHYS_MAP_BASE && (uintptr_t)alias < KMAP_BASE);
	KT_EXPECT_EQ(t, *alias, 0x5eed);
	*alias = 0xfeed;
	KT_EXPECT_EQ(t, probe, 0xfeed);
	KT_EXPECT(t, pte_present(pml4[PML4_DIRECT]));
	KT_EXPECT(t, !pte_present(pml4[0]));	/* identity map gone after boot */
}
