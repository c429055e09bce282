/*
 * uaccess_test.c - user address spaces by hand: a root table from
 * arch_pgd_init_user(), user pages mapped with the generic walker, loaded
 * with arch_switch_mm(), then the user-access primitives on mapped,
 * unmapped, read-only, kernel and non-canonical addresses. A fault that no
 * page can satisfy must come back through the exception table (the thread
 * has no mm, so do_page_fault cannot map anything) as a short count.
 */
#include <ktest.h>
#include <string.h>
#include <mm.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <sched.h>
#include "internal.h"

#define UVA	0x400000UL	/* the first address user programs use */

struct test_uspace {
	pte_t *pgd;
	uint8_t *rw, *ro;	/* mapped at UVA and UVA + 2 pages; UVA + 1 page stays unmapped */
};

static bool uspace_build(struct test_uspace *u)
{
	u->pgd = get_zeroed_page();
	u->rw = get_zeroed_page();
	u->ro = get_zeroed_page();
	if (!u->pgd || !u->rw || !u->ro)
		return false;
	arch_pgd_init_user(u->pgd);
	return !pt_map(__pa(u->pgd), UVA, __pa(u->rw), PTE_R | PTE_W | PTE_USER) &&
	       !pt_map(__pa(u->pgd), UVA + 2 * PAGE_SIZE, __pa(u->ro), PTE_R | PTE_USER);
}

/* The kernel half is shared, not ours: clear it before freeing the user tables. */
static void uspace_free(struct test_uspace *u)
{
	if (u->pgd) {
		memset(&u->pgd[PT_ENTRIES / 2], 0, sizeof(pte_t) * PT_ENTRIES / 2);
		pt_free_tables(__pa(u->pgd));
	}
	if (u->rw)
		free_page(u->rw);
	if (u->ro)
		free_page(u->ro);
}

KTEST(x86_user_pgd_shares_kernel_half)
{
	struct test_uspace u = { 0 };
	const pte_t *kpgd = __va(arch_kernel_pgd());
	phys_addr_t pa;
	unsigned int prot;

	KT_ASSERT(t, uspace_build(&u));
	KT_EXPECT(t, !memcmp(&u.pgd[PT_ENTRIES / 2], &kpgd[PT_ENTRIES / 2],
			     sizeof(pte_t) * PT_ENTRIES / 2));
	/* every kernel region already has its root entry, so the copy can never go stale */
	KT_EXPECT(t, pte_present(kpgd[pt_index(PHYS_MAP_BASE, PT_ROOT_LEVEL)]));
	KT_EXPECT(t, pte_present(kpgd[pt_index(KMAP_BASE, PT_ROOT_LEVEL)]));
	KT_EXPECT(t, pte_present(kpgd[pt_index(KERNEL_VIRT_BASE, PT_ROOT_LEVEL)]));
	KT_EXPECT(t, pt_lookup(__pa(u.pgd), UVA + 5, &pa, &prot, NULL));
	KT_EXPECT_EQ(t, pa, __pa(u.rw) + 5);
	KT_EXPECT_EQ(t, prot & (PTE_USER | PTE_W | PTE_GLOBAL), PTE_USER | PTE_W);
	KT_EXPECT(t, !x86_pte_nx || !(prot & PTE_X));	/* user data is never executable */
	uspace_free(&u);
}
