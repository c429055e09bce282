/*
 * mm_types.h - the objects of a user address space: struct mm_struct,
 * struct vm_area_struct (VMA), struct anon_vma, struct vm_fault.
 *
 * Names and meanings are Linux's (include/linux/mm_types.h) so a student can
 * read both side by side; docs/address-space.md draws the picture.
 *
 *   mm_struct --- mmap_lock (rw_semaphore): the VMA set and VMA fields
 *      |      --- page_table_lock (mutex): linking new page tables, vma->anon_vma
 *      |--- pgd: root table (user half ours, kernel half from arch_pgd_init_user)
 *      |         each PTE table's struct page holds its PTE lock (ptl): its 512 PTEs,
 *      |         page->mapcount/anon_vma/index of the pages they map (memory.c)
 *      `--- mm_mt: VMAs sorted by address (kernel/mm/vma.c)
 *             `--- vm_area_struct [vm_start, vm_end) flags, file/pgoff, anon_vma
 *                                      `--- anon_vma (shared across fork): list of VMAs
 *                                            that may map its anonymous pages (rmap.c)
 *
 * Lock order (outermost first):
 *   mmap_lock -> page_table_lock -> anon_vma.lock -> zone_lock / slab locks
 *   mmap_lock -> PTE lock -> anon_vma.lock -> zone_lock / slab locks
 * page_table_lock is a sleeping mutex; PTE locks are spinlocks taken with
 * spin_lock_keep_irqs(): a TLB shootdown runs under them with IRQs on (see
 * memory.c). The two are never nested.
 */
#ifndef FAULTLINE_MM_TYPES_H
#define FAULTLINE_MM_TYPES_H

#include <types.h>
#include <list.h>
#include <atomic.h>
#include <rwsem.h>
#include <mutex.h>
#include <spinlock.h>
#include <fault.h>
#include <seqcount.h>
#include "wait.h"	/* quotes: the host tests put libc's <wait.h> first */
#include <rcupdate.h>

struct file;
struct page;
struct pt_regs;
struct vm_fault;
struct vm_area_struct;
struct mm_struct;

typedef unsigned long pgoff_t;

/* vm_flags: Linux's values. VM_MAY* say what mprotect may turn on later. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL	/* stack: a fault just below grows it */
#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_STACK	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_GROWSDOWN)

/* What a file (or shmem object) supplies for a mapping of it. */
struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);	/* a copy of vma was made (split, fork) */
	void (*close)(struct vm_area_struct *vma);	/* vma goes away */
	/* Return the page for vmf->pgoff in vmf->page with a reference held
	 * (get_page), or VM_FAULT_SIGBUS (beyond EOF) / VM_FAULT_OOM. Called with
	 * the fault lock held (VMA read lock or mmap_lock for read, per
	 * FAULT_FLAG_VMA_LOCK), no page-table lock; may sleep. It may release the
	 * fault lock only with release_fault_lock() and then returns
	 * VM_FAULT_RETRY or VM_FAULT_COMPLETED (docs/locking.md). */
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/* A write to a present read-only PTE of a shared mapping (Linux's
	 * ->page_mkwrite): dirty vmf->page's folio; returns VM_FAULT_LOCKED with
	 * it locked, or an error / VM_FAULT_NOPAGE (truncated: retry the access). */
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
	const char *name;				/* for vma dumps: "[shmem]"... */
};

/*
 * Reverse map root for anonymous pages (rmap.c). One anon_vma serves a VMA
 * and every copy fork makes of it, so "all PTEs that map page P" is: for
 * each VMA on P->anon_vma->vmas, address = vm_start + (P->index - vm_pgoff)
 * pages, if inside the VMA, and the PTE there points to P.
 *
 * Locking legend: [L] lock  [a] atomic
 */
struct anon_vma {
	spinlock_t lock;
	atomic_t refcount;		/* [a] one per VMA on the list */
	struct list_head vmas;		/* [L] vm_area_struct.anon_vma_node */
};

/*
 * One mapped range [vm_start, vm_end) with one set of permissions.
 *
 * Locking legend:
 *   [M]  mmap_lock held for write to change, for read (at least) to read
 *   [MP] written with mmap_lock held for read + mm->page_table_lock, or for write
 *   [A]  anon_vma->lock (of this vma's anon_vma)
 *   [I]  set before the VMA is inserted into the set, then fixed
 *   [a]  atomic
 *   [V]  per-VMA lock: changed only with mmap_lock held for write AND the
 *        VMA write-locked (vma_start_write); readable under the VMA read
 *        lock (lock_vma_under_rcu) or mmap_lock. Every [M] field below that
 *        a fault reads is in fact [V]; docs/locking.md has the table.
 * Per-VMA lock (Linux 6.15+ refcount design, <mmap_lock.h>): vm_refcnt is
 * 0 detached, 1 attached, 1+n with n readers, +VMA_LOCK_OFFSET while a
 * writer/detacher excludes readers; vm_lock_seq == mm->mm_lock_seq means
 * write-locked until mmap_write_unlock.
 */
struct vm_area_struct {
	unsigned long vm_start;		/* [V] first address */
	unsigned long vm_end;		/* [V] first address after */
	struct mm_struct *vm_mm;	/* [I] */
	unsigned long vm_flags;		/* [V] VM_* */
	unsigned int vm_page_prot;	/* [V] generic PTE_* bits for its PTEs (vma_pte_prot) */
	pgoff_t vm_pgoff;		/* [V] page offset of vm_start in the file/object;
					 *     anonymous: vm_start >> PAGE_SHIFT at creation */
	struct file *vm_file;		/* [I] mapped file (a reference), NULL if anonymous */
	const struct vm_operations_struct *vm_ops; /* [I] NULL: plain anonymous memory */
	void *vm_private_data;		/* [I] owned by vm_ops (shmem object...) */
	struct anon_vma *anon_vma;	/* [MP] set once on the first anonymous page */
	struct list_head anon_vma_node;	/* [A] on anon_vma->vmas */
	struct list_head shared_node;	/* file VMAs: on vm_file's mapping->i_mmap (i_mmap_lock) */
	atomic_t vm_refcnt;		/* [a] 0 detached, 1 attached, +1 per reader, +VMA_LOCK_OFFSET
					 *     while readers are excluded (mmap_lock.h) */
	unsigned int vm_lock_seq;	/* [M]+readers excluded to write; racy reads: the mm's
					 *     mm_lock_seq when write-locked, UINT_MAX never */
	struct rcu_head vm_rcu;		/* vm_area_free: the struct is freed after a grace period */
};

/*
 * Copy what a VMA describes (every field before the lock fields) into a new
 * VMA. The lock fields are left to the caller: a lockless reader may be
 * changing src->vm_refcnt right now (lock_vma_under_rcu), so they must not be
 * read as part of a plain struct copy.
 */
static inline void vma_copy_desc(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	_Static_assert(offsetof(struct vm_area_struct, vm_rcu) + sizeof(struct rcu_head) ==
		       sizeof(struct vm_area_struct) &&
		       offsetof(struct vm_area_struct, vm_refcnt) <
		       offsetof(struct vm_area_struct, vm_lock_seq),
		       "the lock fields must stay last in struct vm_area_struct");
	__builtin_memcpy(dst, src, offsetof(struct vm_area_struct, vm_refcnt));
}

/* Per-mm resident-set counters (Linux's MM_*). */
enum { MM_FILEPAGES, MM_ANONPAGES, NR_MM_COUNTERS };

/*
 * The VMA set: a sorted array of VMA pointers, replaced copy-on-write.
 * Readers binary-search the array they loaded; writers (mmap_lock held for
 * write) build a new array and publish it with a release store. The old
 * array is freed after an RCU grace period, which makes lookup without
 * mmap_lock safe (lock_vma_under_rcu, vma.c).
 */
struct vma_array {
	struct rcu_head rcu;		/* freed after a grace period (lock_vma_under_rcu reads it) */
	unsigned int nr;		/* VMAs in v[] */
	struct vm_area_struct *v[];	/* sorted by vm_start, never overlapping */
};
struct vma_set {
	struct vma_array *arr;		/* [M] published with store-release; NULL when empty */
};

/*
 * A user address space. Threads of a process share it (mm_users); kernel
 * threads borrow the last one as active_mm (mm_count) - "lazy TLB".
 *
 * Locking legend:
 *   [M] mmap_lock (write to change)   [P] page_table_lock (linking page tables)
 *   [I] set in mm_alloc/dup_mm         [a] atomic
 */
struct mm_struct {
	struct rw_semaphore mmap_lock;
	seqcount_t mm_lock_seq;		/* [M] odd while mmap_lock is write-held; a VMA with
					 *     vm_lock_seq == this is write-locked (mmap_lock.h) */
	wait_queue_head_t vma_writer_wait; /* vma_start_write/vma_mark_detached wait for readers */
	struct mutex page_table_lock;
	struct vma_set mm_mt;		/* [M] the VMAs, sorted (vma.c) */
	pte_t *pgd;			/* [I] root table, direct-map address */
	phys_addr_t pgd_pa;		/* [I] its physical address (for arch_switch_mm) */
	unsigned long mmap_base;	/* [M] top of the top-down mmap search */
	unsigned long start_brk;	/* [M] heap start (execve sets it) */
	unsigned long brk;		/* [M] current program break */
	unsigned long start_stack;	/* [M] initial stack pointer (execve) */
	unsigned long total_vm;		/* [M] pages covered by VMAs */
	unsigned long map_count;	/* [M] number of VMAs */
	atomic_long_t rss[NR_MM_COUNTERS]; /* [a] resident pages by kind */
	atomic_long_t pgfault;		/* [a] faults completed in this mm */
	atomic_long_t maj_flt, min_flt;	/* [a] of those (no errors): major (MAJOR or TRIED), minor */
	unsigned long cpu_mask;		/* [a] bit n: CPU n has the root loaded (maybe lazily) */
	atomic_t mm_users;		/* [a] threads using it; 0 -> pages and VMAs torn down */
	atomic_t mm_count;		/* [a] references to the struct (users count as 1) */
};

/*
 * A fault being handled (Linux's struct vm_fault, the fields we use).
 * Lives on the faulting thread's stack.
 */
struct vm_fault {
	struct vm_area_struct *vma;	/* the VMA (its VMA read lock or mmap_lock held for read,
					 * per FAULT_FLAG_VMA_LOCK; never touch it after RETRY) */
	unsigned int flags;		/* FAULT_FLAG_* */
	pgoff_t pgoff;			/* page offset of address in the file/object */
	unsigned long address;		/* faulting address, page aligned */
	unsigned long real_address;	/* faulting address as reported */
	pte_t *pte;			/* the PTE slot (tables exist; never freed under mmap_lock) */
	pte_t orig_pte;			/* its value when sampled */
	struct page *cow_page;		/* do_cow_fault: the private copy */
	struct page *page;		/* ->fault: the page found (a reference held) */
	spinlock_t *ptl;		/* the PTE table's lock (pte_lockptr) to take around the PTE */
};

#endif
