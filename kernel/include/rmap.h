/*
 * rmap.h - reverse mapping of anonymous pages (kernel/mm/rmap.c).
 * Locks: page_add_new_anon_rmap/page_dup_rmap/page_remove_rmap need the
 * page-table lock of the mm whose PTE changes.
 */
#ifndef FAULTLINE_RMAP_H
#define FAULTLINE_RMAP_H

#include <mm_types.h>

/* Give vma an anon_vma if it has none. 0 or -ENOMEM. Locks: mmap_lock held. Sleeps: yes. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* Put vma on av (fork, split: the copy shares the original's anon_vma). */
void anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av);
/* Take vma off its anon_vma; the last VMA frees it. */
void unlink_anon_vma(struct vm_area_struct *vma);

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
void page_dup_rmap(struct page *page, struct mm_struct *mm);
void page_remove_rmap(struct page *page, struct mm_struct *mm);
/* fn(vma, address, arg) for every PTE mapping the anonymous page; returns how many. */
int rmap_walk_anon(struct page *page, void (*fn)(struct vm_area_struct *, unsigned long, void *),
		   void *arg);

#endif
