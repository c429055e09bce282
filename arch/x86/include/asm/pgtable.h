/*
 * asm/pgtable.h - x86_64 page-table entry encoding (the [pte] part of arch.h).
 *
 * Four levels of 512 entries: level 3 = PML4, 2 = PDPT, 1 = PD, 0 = PT.
 * A leaf at level 1 is a 2 MiB page and at level 2 a 1 GiB page (PS bit);
 * 1 GiB leaves need CPUID.80000001h:EDX.Page1GB (x86_has_gbpages).
 * The NX bit is only valid once EFER.NXE is set; x86_pte_nx is 0 on a CPU
 * without NX so that the bit is never written there.
 */
#ifndef ASM_X86_PGTABLE_H
#define ASM_X86_PGTABLE_H

#include <asm/const.h>

#define ARCH_PT_LEVELS	4

#define X86_PTE_P	_BIT(0)	/* present */
#define X86_PTE_RW	_BIT(1)	/* writable */
#define X86_PTE_US	_BIT(2)	/* user accessible */
#define X86_PTE_PWT	_BIT(3)	/* write-through */
#define X86_PTE_PCD	_BIT(4)	/* cache disable */
#define X86_PTE_A	_BIT(5)	/* accessed */
#define X86_PTE_D	_BIT(6)	/* dirty */
#define X86_PTE_PS	_BIT(7)	/* large page (levels 1 and 2) */
#define X86_PTE_G	_BIT(8)	/* global: survives CR3 reloads */
#define X86_PTE_NX	_BIT(63)	/* no execute (EFER.NXE) */
#define X86_PTE_ADDR	_UL(0x000ffffffffff000)

#ifndef __ASSEMBLY__
#include <types.h>

extern uint64_t x86_pte_nx;		/* [I] X86_PTE_NX, or 0 if the CPU has no NX */
extern bool x86_has_gbpages;		/* [I] 1 GiB pages usable */

/* Intermediate tables allow everything; the leaf decides (x86 ANDs the levels). */
static inline pte_t pte_mk_table(phys_addr_t table_pa)
{
	return (table_pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_RW | X86_PTE_US | X86_PTE_A;
}

static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int prot, int level)
{
	pte_t pte = (pa & X86_PTE_ADDR) | X86_PTE_P | X86_PTE_A;

	if (prot & PTE_W)
		pte |= X86_PTE_RW | X86_PTE_D;
	if (!(prot & PTE_X))
		pte |= x86_pte_nx;
	if (prot & PTE_USER)
		pte |= X86_PTE_US;
	if (prot & PTE_DEVICE)
		pte |= X86_PTE_PCD | X86_PTE_PWT;
	if (prot & PTE_GLOBAL)
		pte |= X86_PTE_G;
	if (level > 0)
		pte |= X86_PTE_PS;
	return pte;
}

static inline bool pte_present(pte_t pte)
{
	return pte & X86_PTE_P;
}

static inline bool pte_is_table(pte_t pte, int level)
{
	return (pte & X86_PTE_P) && level > 0 && !(pte & X86_PTE_PS);
}

static inline phys_addr_t pte_pa(pte_t pte)
{
	return pte & X86_PTE_ADDR;
}

static inline unsigned int pte_prot(pte_t pte)
{
	unsigned int prot = 0;

	if (!(pte & X86_PTE_P))
		return 0;
	prot |= PTE_R;
	if (pte & X86_PTE_RW)
		prot |= PTE_W;
	if (!(pte & X86_PTE_NX))
		prot |= PTE_X;
	if (pte & X86_PTE_US)
		prot |= PTE_USER;
	if (pte & X86_PTE_PCD)
		prot |= PTE_DEVICE;
	if (pte & X86_PTE_G)
		prot |= PTE_GLOBAL;
	return prot;
}

/* x86 walkers see stores in program order (TSO); only the compiler must not tear or delay it. */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
	barrier();
}
#endif /* !__ASSEMBLY__ */
#endif
