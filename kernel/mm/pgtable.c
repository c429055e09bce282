/*
 * pgtable.c - one page-table walker for x86-64, arm64 and riscv64.
 *
 * Theory of operation
 * -------------------
 * A virtual address is translated by a radix tree of tables. Each table
 * is one 4 KiB page holding 512 entries; 9 bits of the address select an
 * entry at each level and the low 12 bits are the offset in the page:
 *
 *   va:  | root idx | ... | level 1 idx | level 0 idx | offset |
 *          9 bits            9 bits        9 bits       12 bits
 *
 * x86-64 and arm64 (48-bit VA) use 4 levels, riscv Sv39 3 (Sv48 4): only
 * ARCH_PT_LEVELS and the entry encoding differ, so the walk is written
 * once here and the arch supplies pte_mk_table/pte_mk_leaf/pte_present/
 * pte_is_table/pte_pa/pte_prot/set_pte.
 *
 * Tables hold physical addresses; the walker reads and writes them
 * through the direct map (__va). A walk stops at a non-present entry, at
 * the wanted level, or at a leaf above level 0 - a large block the arch
 * boot code made for the direct map, which we recognise and never walk
 * through (its "next table" address would be the block's memory).
 *
 * New tables come zeroed from the page allocator, and are linked in with
 * set_pte(), which orders the zeroing before the link for the hardware
 * walker of other CPUs (and pt_walk reads entries with acquire for software
 * walkers). Tables are never freed from the kernel's tree, so lock-free
 * lookups there are safe; changes take kernel_pt_lock (Linux:
 * init_mm.page_table_lock). User trees: linking a table takes
 * mm->page_table_lock, the entries of a PTE table take that table's own
 * lock, struct page's ptl (split page-table locks, kernel/mm/memory.c).
 *
 * Changing a mapping does not flush any TLB: a CPU may keep using the old
 * translation until flush_tlb_kernel_range() (tlb.c) has run on it.
 */
#include <pgtable.h>
#include <page_alloc.h>
#include <printk.h>
#include <spinlock.h>
#include <string.h>

/* Protects the kernel's page tables (arch_kernel_pgd()) against concurrent changes. */
static DEFINE_SPINLOCK(kernel_pt_lock);

static pte_t *table_va(phys_addr_t pa)
{
	return __va(pa);
}

/*
 * Allocate a zeroed table and link it into *ptep. False if out of memory.
 * Every table gets its split page-table lock here (Linux's pagetable_pte_ctor):
 * only the PTE tables of user trees use it (pte_lockptr), but initialising it
 * for all keeps this walker generic. One lock class for all of them.
 */
static bool link_new_table(pte_t *ptep)
{
	void *table = get_zeroed_page();

	if (!table)
		return false;
	spin_lock_init(&virt_to_page(table)->ptl, "ptl");
	smp_wmb();		/* zeroed table and lock before the link (lockless walkers) */
	set_pte(ptep, pte_mk_table(__pa(table)));
	return true;
}

pte_t *pt_walk(phys_addr_t root, uintptr_t va, int target, bool alloc, int *level)
{
	pte_t *table = table_va(root);
	int l;

	for (l = PT_ROOT_LEVEL; ; l--) {
		pte_t *ptep = &table[pt_index(va, l)];
		/* Acquire: pairs with set_pte() linking a new table, so a walk without
		 * the tree's lock (user trees: the fault path) sees it zeroed. */
		pte_t pte = __atomic_load_n(ptep, __ATOMIC_ACQUIRE);

		*level = l;
		if (l == target)
			return ptep;
		if (!pte_present(pte)) {
			if (!alloc)
				return ptep;
			if (!link_new_table(ptep))
				return NULL;
			pte = ptep_get(ptep);
		} else if (!pte_is_table(pte, l)) {
			return ptep;		/* a large block: stop here */
		}
		table = table_va(pte_pa(pte));
	}
}

int pt_map(phys_addr_t root, uintptr_t va, phys_addr_t pa, unsigned int prot)
{
	pte_t *ptep;
	int level;

	if (!IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE))
		return -EINVAL;
	ptep = pt_walk(root, va, 0, true, &level);
	if (!ptep)
		return -ENOMEM;
	if (level != 0 || pte_present(*ptep))
		return -EEXIST;
	set_pte(ptep, pte_mk_leaf(pa, prot, 0));
	return 0;
}

int pt_unmap(phys_addr_t root, uintptr_t va)
{
	int level;
	pte_t *ptep = pt_walk(root, va, 0, false, &level);

	if (!pte_present(*ptep))
		return -ENOENT;
	if (level != 0)
		return -EBUSY;
	set_pte(ptep, 0);
	return 0;
}

bool pt_lookup(phys_addr_t root, uintptr_t va, phys_addr_t *pa, unsigned int *prot, int *level)
{
	int l;
	pte_t pte = ptep_get(pt_walk(root, va, 0, false, &l));

	if (!pte_present(pte))
		return false;
	if (pa)
		*pa = pte_pa(pte) + (va & (PT_LEVEL_SIZE(l) - 1));
	if (prot)
		*prot = pte_prot(pte);
	if (level)
		*level = l;
	return true;
}

static void free_tables_level(phys_addr_t table_pa, int level)
{
	pte_t *table = table_va(table_pa);
	unsigned int i;

	for (i = 0; level > 0 && i < PT_ENTRIES; i++)
		if (pte_is_table(table[i], level))
			free_tables_level(pte_pa(table[i]), level - 1);
	free_page(table);
}

void pt_free_tables(phys_addr_t root)
{
	free_tables_level(root, PT_ROOT_LEVEL);
}

void pt_free_subtree(phys_addr_t table_pa, int level)
{
	free_tables_level(table_pa, level);
}

void pt_dump_walk(phys_addr_t root, uintptr_t va)
{
	pte_t *table = table_va(root);
	int l;

	printk("walk 0x%lx from root 0x%llx:\n", (unsigned long)va, (unsigned long long)root);
	for (l = PT_ROOT_LEVEL; l >= 0; l--) {
		pte_t pte = READ_ONCE(table[pt_index(va, l)]);
		bool next = l > 0 && pte_is_table(pte, l);

		printk("  level %d [%3u] = 0x%016llx %s\n", l, pt_index(va, l),
		       (unsigned long long)pte, !pte_present(pte) ? "not present" :
		       next ? "table" : l ? "large leaf" : "leaf");
		if (!next)
			return;
		table = table_va(pte_pa(pte));
	}
}

/* ---- the kernel's tables ------------------------------------------------ */

int map_kernel_page(uintptr_t va, phys_addr_t pa, unsigned int prot)
{
	int ret;

	spin_lock(&kernel_pt_lock);
	ret = pt_map(arch_kernel_pgd(), va, pa, prot);
	spin_unlock(&kernel_pt_lock);
	return ret;
}

int unmap_kernel_page(uintptr_t va)
{
	int ret;

	spin_lock(&kernel_pt_lock);
	ret = pt_unmap(arch_kernel_pgd(), va);
	spin_unlock(&kernel_pt_lock);
	return ret;
}

bool lookup_kernel_page(uintptr_t va, phys_addr_t *pa, unsigned int *prot)
{
	return pt_lookup(arch_kernel_pgd(), va, pa, prot, NULL);
}

int kernel_pt_prealloc(uintptr_t start, size_t size)
{
	uintptr_t step = PT_LEVEL_SIZE(PT_ROOT_LEVEL);
	uintptr_t first = ALIGN_DOWN(start, step);
	/* Count slots rather than compare addresses: the area may end at 2^64. */
	size_t i, slots = (size + (start - first) + step - 1) / step;
	int ret = 0, level;

	spin_lock(&kernel_pt_lock);
	for (i = 0; i < slots; i++) {
		pte_t *ptep = pt_walk(arch_kernel_pgd(), first + i * step,
				      PT_ROOT_LEVEL - 1, true, &level);

		if (!ptep) {
			ret = -ENOMEM;
			break;
		}
		if (level != PT_ROOT_LEVEL - 1) {
			ret = -EEXIST;		/* a huge leaf at the root: not ours to split */
			break;
		}
	}
	spin_unlock(&kernel_pt_lock);
	return ret;
}
