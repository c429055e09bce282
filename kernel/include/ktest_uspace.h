/*
 * ktest_uspace.h - a user address space made by hand, for the arch tests of
 * the uaccess routines, the fault decoding and the signal frames (x86's
 * uaccess_test.c, arm64's and riscv's user_test.c): a root table from
 * arch_pgd_init_user() with a read-write page at uva, nothing at
 * uva + PAGE_SIZE and a read-only page at uva + 2 * PAGE_SIZE. The test
 * loads it with arch_switch_mm(__pa(u.root)) itself (how it keeps the CPU
 * is arch business) and frees it with ktest_uspace_free().
 */
#ifndef FAULTLINE_KTEST_USPACE_H
#define FAULTLINE_KTEST_USPACE_H

#include <types.h>
#include <pgtable.h>

struct ktest_uspace {
	pte_t *root;
	uint8_t *rw, *ro;	/* the user pages through the direct map */
};

/* false (and nothing left allocated) if memory ran out. Sleeps: may. */
bool ktest_uspace_build(struct ktest_uspace *u, unsigned long uva);
/* Free what build allocated; the struct may be all zero. */
void ktest_uspace_free(struct ktest_uspace *u);

#endif
