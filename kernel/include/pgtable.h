/*
 * pgtable.h - the generic page-table walker, shared by every architecture.
 *
 * All our MMUs use 4 KiB pages and tables of 512 8-byte entries. Level 0
 * is the last level (its entries map 4 KiB pages); level ARCH_PT_LEVELS-1
 * is the root. An entry at level l covers 2^(12 + 9*l) bytes:
 *
 *   level 0: 4 KiB   level 1: 2 MiB   level 2: 1 GiB   level 3: 512 GiB
 *
 * An entry is either not present, a pointer to the next table, or (at
 * level > 0 too) a leaf mapping a large block; the arch's pte_* helpers in
 * <asm/arch.h> build and decode the hardware format. Nothing here flushes
 * a TLB: after changing a live mapping the caller calls
 * flush_tlb_kernel_range() (<tlb.h>).
 */
#ifndef FAULTLINE_PGTABLE_H
#define FAULTLINE_PGTABLE_H

#include <arch.h>

#define PT_LEVEL_SHIFT(l)	(PAGE_SHIFT + 9 * (l))
#define PT_LEVEL_SIZE(l)	(1UL << PT_LEVEL_SHIFT(l))
#define PT_ROOT_LEVEL		(ARCH_PT_LEVELS - 1)

/* Index of va in a table of the given level. */
static inline unsigned int pt_index(uintptr_t va, int level)
{
	return (unsigned int)(va >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}

/* Read an entry another CPU may change at the same time (Linux's ptep_get):
 * one atomic load, the pair of set_pte(). READ_ONCE is a volatile access,
 * which ThreadSanitizer (tests/host/fault) rightly reports as a data race. */
static inline pte_t ptep_get(const pte_t *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_RELAXED);
}

/*
 * Walk the tree rooted at root (a physical address) for va, down to
 * 'target' level at most. Returns the entry found and its level in *level:
 *   - the entry at 'target' (present or not), or
 *   - a leaf at a higher level (a large block: walking stops there), or
 *   - a non-present entry at a higher level when alloc is false.
 * With alloc, missing tables are allocated (zeroed) and linked in; NULL
 * only if that allocation fails. Locks: the caller holds the lock that
 * protects this tree when alloc is true.
 */
pte_t *pt_walk(phys_addr_t root, uintptr_t va, int target, bool alloc, int *level);

/* Map one 4 KiB page. 0, -EINVAL (unaligned), -EEXIST (already mapped,
 * also by a large block) or -ENOMEM. Locks: the tree's lock held. */
int pt_map(phys_addr_t root, uintptr_t va, phys_addr_t pa, unsigned int prot);
/* Clear the 4 KiB mapping of va. 0, -ENOENT (not mapped) or -EBUSY (va is
 * inside a large block, which we never split). Locks: the tree's lock held. */
int pt_unmap(phys_addr_t root, uintptr_t va);
/* Translate va: true and *pa (with the offset inside the page or block),
 * *prot and *level (0 for a 4 KiB page) if mapped. Any pointer may be NULL. */
bool pt_lookup(phys_addr_t root, uintptr_t va, phys_addr_t *pa, unsigned int *prot, int *level);
/* Free every table of a tree built with pt_map() (not the mapped pages). */
void pt_free_tables(phys_addr_t root);
/* Free the table at table_pa (a table of the given level) and every table below it. */
void pt_free_subtree(phys_addr_t table_pa, int level);
/* Print the walk for va level by level (for students and the debugger). */
void pt_dump_walk(phys_addr_t root, uintptr_t va);

/* The same in the kernel's own tables (arch_kernel_pgd()), under kernel_pt_lock.
 * Callers flush the TLB themselves (flush_tlb_kernel_range). */
int map_kernel_page(uintptr_t va, phys_addr_t pa, unsigned int prot);
int unmap_kernel_page(uintptr_t va);
bool lookup_kernel_page(uintptr_t va, phys_addr_t *pa, unsigned int *prot);
/* Make sure the root entries covering [start, start + size) point to tables,
 * so later mappings there never change the root (shared by copies of it). */
int kernel_pt_prealloc(uintptr_t start, size_t size);

#endif
