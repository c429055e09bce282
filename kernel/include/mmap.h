/*
 * mmap.h - user address spaces: creating, copying and switching them, the
 * mmap/munmap/mprotect/brk calls, the VMA set and the fault handler.
 * Objects: <mm_types.h>. Overview: docs/address-space.md.
 */
#ifndef FAULTLINE_MMAP_H
#define FAULTLINE_MMAP_H

#include <mm_types.h>
#include <arch.h>
#include <pgtable.h>
#include <mm.h>
#include <mmap_lock.h>
#include <page_alloc.h>

/* Nothing is ever mapped below this (catches NULL + offset bugs). */
#define MMAP_MIN_ADDR		(4UL * MiB)
#define STACK_GUARD_GAP		(256UL * PAGE_SIZE)	/* kept free below a growing stack */
#define STACK_MAX_SIZE		(8UL * MiB)		/* RLIMIT_STACK for now */
#define MMAP_TOP_GAP		(1UL * GiB)		/* between mmap_base and USER_TOP (stack room) */

/* Transitional: until every arch defines USER_TOP (arch.h user-mode section),
 * use the lower half of what the root table covers. */
#ifndef USER_TOP
#define USER_TOP	(PT_LEVEL_SIZE(PT_ROOT_LEVEL) * (PT_ENTRIES / 2))
#endif

/* ---- the VMA set (vma.c) ----------------------------------------------------
 * find_vma: the first VMA with vm_end > addr (it may start above addr), or
 * NULL. Locks: mmap_lock held (read or write). */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* The first VMA overlapping [start, end), or NULL. Locks: mmap_lock held. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* The VMA before/after vma in address order, or NULL. Locks: mmap_lock held. */
struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma);
struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma);

/* Iterate every VMA from the lowest: struct vma_iterator vmi; vma_iter_init(&vmi, mm, 0);
 * for_each_vma(vmi, vma) { ... }. Modifying the set ends the iteration's validity. */
struct vma_iterator {
	const struct vma_array *arr;
	unsigned int idx;
};
void vma_iter_init(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *vma_iter_next(struct vma_iterator *vmi);
#define for_each_vma(vmi, vma) while (((vma) = vma_iter_next(&(vmi))) != NULL)

/* Lower-level set operations, on a struct vma_set (host-tested on their own).
 * Locks: the owner's mmap_lock held for write. Each returns 0 or -ENOMEM
 * (-EEXIST for an overlapping insert) and changes nothing on failure. */
struct vm_area_struct *vma_set_find(const struct vma_set *set, unsigned long addr);
int vma_set_insert(struct vma_set *set, struct vm_area_struct *vma);
int vma_set_remove(struct vma_set *set, struct vm_area_struct *vma);
/* Split vma at addr (page aligned, strictly inside): vma keeps [vm_start, addr),
 * 'tail' (a blank VMA from the caller) gets a copy of it as [addr, vm_end). */
int vma_set_split(struct vma_set *set, struct vm_area_struct *vma, unsigned long addr,
		  struct vm_area_struct *tail);
/* Merge 'next' (directly after prev, compatible) into prev and remove it from the
 * set; the caller frees next. */
int vma_set_merge(struct vma_set *set, struct vm_area_struct *prev, struct vm_area_struct *next);
/* Two adjacent VMAs (a ends where b starts) that could be one (same flags, file,
 * ops, contiguous pgoff, compatible anon_vma). */
bool vma_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b);
unsigned int vma_set_count(const struct vma_set *set);
/* Highest page-aligned start of a free gap of len bytes inside [low, high),
 * keeping STACK_GUARD_GAP free below VM_GROWSDOWN VMAs; 0 if none. */
unsigned long vma_set_find_gap(const struct vma_set *set, unsigned long low, unsigned long high,
			       unsigned long len);
void vma_set_destroy(struct vma_set *set);	/* frees the array, not the VMAs */

/* VMA objects (mmap.c). vm_area_dup copies vma with new references to its file
 * and anon_vma (and calls vm_ops->open); vm_area_free drops them (vm_ops->close). */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *vma);
void vm_area_free(struct vm_area_struct *vma);

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

/* Page offset of addr in vma's object (file, shmem, or the anon linear index). */
static inline pgoff_t linear_page_index(const struct vm_area_struct *vma, unsigned long addr)
{
	return vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* Generic PTE_* protection for vm_flags. Private mappings never get PTE_W here:
 * write faults make single PTEs writable (COW). */
unsigned int vm_get_page_prot(unsigned long vm_flags);

/* ---- address spaces (mm.c) ------------------------------------------------ */
struct thread;
struct mm_struct *mm_alloc(void);		/* empty mm, mm_users 1; NULL if out of memory */
/* fork: a copy of old (VMAs, page tables; private pages shared copy-on-write).
 * NULL if out of memory. Locks: takes old's mmap_lock for write. Sleeps: yes. */
struct mm_struct *dup_mm(struct mm_struct *old);
void mmget(struct mm_struct *mm);		/* another user (CLONE_VM thread) */
bool mmget_not_zero(struct mm_struct *mm);	/* the same, unless the mm is being torn down */
unsigned long get_mm_rss(struct mm_struct *mm);	/* resident pages, every kind */
/* Drop a user; the last one unmaps everything and frees the page tables.
 * Sleeps: yes. Locks: none held. */
void mmput(struct mm_struct *mm);
void mmgrab(struct mm_struct *mm);		/* pin the struct only (active_mm) */
void mmdrop(struct mm_struct *mm);		/* Sleeps: no (may run in the scheduler) */
/* Load next's page tables on this CPU, maintain cpu_mask. IRQs off. */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);
/* The scheduler's hook (context_switch, rq lock held, IRQs off): switch_mm for a
 * user thread, lazy borrowing of active_mm for kernel threads. */
void context_switch_mm(struct thread *prev, struct thread *next);
/* A kernel thread adopts mm as its own (ktests, later: async I/O), and gives it back. */
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);
/* The exiting thread leaves its mm: current->mm = NULL (keeps it lazily as
 * active_mm until the next switch), then mmput. Sleeps: yes. */
void exit_mm(void);
/* Flush [start, end) of mm from every CPU that has mm loaded (cpu_mask) and wait.
 * Locks: any sleeping locks may be held; IRQs on. */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* ---- mmap and friends (mmap.c) ---------------------------------------------
 * Linux semantics. do_mmap returns the address, or -errno cast to unsigned
 * long (test with IS_ERR_VALUE). Locks: do_* take mmap_lock themselves. */
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-4095)
unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, struct file *file, pgoff_t pgoff);
int do_munmap(struct mm_struct *mm, unsigned long addr, unsigned long len);
int do_mprotect(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long prot);
unsigned long do_brk(struct mm_struct *mm, unsigned long addr);
/* Syscall bodies for task's table (current->mm). */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      unsigned long fd, unsigned long off);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot);
long sys_brk(unsigned long addr);

/* ---- faults (fault.c, memory.c) -------------------------------------------- */
/* The generic part of every fault. Locks: mmap_lock held for read (the `mmap`
 * policy); on return without VM_FAULT_RETRY|VM_FAULT_COMPLETED it is still held.
 * Sleeps: yes. */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs);
/* Resolve a fault at address in mm as if the user had accessed it (futex, ktests):
 * 0, -EFAULT (no mapping, no permission, SIGBUS/SIGSEGV) or -ENOMEM. Does not
 * grow stacks. Locks: mmap_lock held for read; if it had to be dropped and
 * retaken, *unlocked is set (unlocked may be NULL). Sleeps: yes. */
int fixup_user_fault(struct mm_struct *mm, unsigned long address, unsigned int fault_flags,
		     bool *unlocked);
/* For ktests: the fault loop as a user access at addr in mm would run it (VMA lock
 * first, per the policy), without a trap. addr must be mapped and accessible.
 * Returns the last handle_mm_fault result; nothing held. Sleeps: yes. */
vm_fault_t handle_user_fault_test(struct mm_struct *mm, unsigned long addr, unsigned int flags);
/* mmap_lock for read + find_vma + stack growth; NULL (nothing held) if no VMA. */
struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr,
					    struct pt_regs *regs);

/* ---- page tables of a user mm (memory.c) ---------------------------------- */
/* Unmap [start, end) inside vma: clear PTEs, flush TLBs, drop the pages.
 * Locks: mmap_lock held for write (or the mm is dead). Sleeps: yes. */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* fork: copy vma's PTEs from src to dst; COW mappings become read-only in both.
 * 0 or -ENOMEM. Locks: src's mmap_lock held for write. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma);
/* Rewrite the PTEs of [start, end) with vma's current vm_page_prot and flush. */
void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* Free every user page table (all pages already unmapped). */
void free_pgtables(struct mm_struct *mm);
/* Look a user address up: true and the physical address / generic prot if mapped. */
bool follow_pte(struct mm_struct *mm, unsigned long addr, phys_addr_t *pa, unsigned int *prot);

/*
 * Split page-table locks (Linux's names). Each PTE table (a level-0 table page) has its
 * own spinlock, struct page's ptl, taken with spin_lock_keep_irqs(): it guards the 512
 * PTEs of that table, and a TLB shootdown may run under it. mm->page_table_lock only
 * guards linking new tables (and vma->anon_vma).
 */
static inline spinlock_t *pte_lockptr(struct mm_struct *mm, pte_t *ptep)
{
	(void)mm;
	return &virt_to_page((void *)ALIGN_DOWN((uintptr_t)ptep, PAGE_SIZE))->ptl;
}
/* The PTE of addr, its table's lock taken and in *ptlp; NULL (nothing taken) if there
 * is no PTE table for addr. Locks: a fault lock or mmap_lock (tables stay). */
pte_t *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp);
/* Debug builds: panic unless this CPU holds the PTE lock of addr's table. */
void pte_assert_locked(struct mm_struct *mm, unsigned long addr);
static inline void pte_unmap_unlock(pte_t *ptep, spinlock_t *ptl)
{
	(void)ptep;
	spin_unlock(ptl);
}

/* The shared zero page: every read fault on untouched anonymous memory maps it. */
extern const uint8_t empty_zero_page[PAGE_SIZE];
static inline phys_addr_t zero_page_pa(void)
{
	return __pa(empty_zero_page);
}

#endif
