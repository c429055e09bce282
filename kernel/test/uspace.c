/*
 * uspace.c - the hand-made user address space of <ktest_uspace.h>.
 */
#include <ktest_uspace.h>
#include <mm.h>
#include <page_alloc.h>
#include <string.h>

bool ktest_uspace_build(struct ktest_uspace *u, unsigned long uva)
{
	u->root = get_zeroed_page();
	u->rw = get_zeroed_page();
	u->ro = get_zeroed_page();
	if (u->root)
		arch_pgd_init_user(u->root);
	if (u->root && u->rw && u->ro &&
	    pt_map(__pa(u->root), uva, __pa(u->rw), PTE_R | PTE_W | PTE_USER) == 0 &&
	    pt_map(__pa(u->root), uva + 2 * PAGE_SIZE, __pa(u->ro), PTE_R | PTE_USER) == 0)
		return true;
	ktest_uspace_free(u);
	return false;
}

/* The upper half of the root is the kernel's (copied by arch_pgd_init_user on
 * x86 and riscv, empty on arm64's TTBR0 root): not ours to free. */
void ktest_uspace_free(struct ktest_uspace *u)
{
	if (u->root) {
		memset(u->root + PT_ENTRIES / 2, 0, PT_ENTRIES / 2 * sizeof(pte_t));
		pt_free_tables(__pa(u->root));
	}
	if (u->rw)
		free_page(u->rw);
	if (u->ro)
		free_page(u->ro);
	memset(u, 0, sizeof(*u));
}
