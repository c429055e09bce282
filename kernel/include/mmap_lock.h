/*
 * mmap_lock.h - the mm-wide mmap_lock and the per-VMA locks
 * (kernel/mm/mmap_lock.c; docs/locking.md has the whole picture).
 *
 * mmap_lock is a sleeping rw_semaphore. mm->mm_lock_seq is a seqcount that
 * is odd exactly while mmap_lock is held for write: mmap_write_lock()
 * begins it, mmap_write_unlock()/mmap_write_downgrade() end it.
 *
 * Per-VMA lock: Linux's 6.15+ reference-count design.
 *   vma->vm_refcnt   0 detached | 1 attached | 1+n: n readers
 *                    | +VMA_LOCK_OFFSET while a writer or detacher excludes readers
 *   vma->vm_lock_seq == mm->mm_lock_seq.sequence  <=>  write-locked
 *
 *   vma_start_read    (lock_vma_under_rcu) bounded increment of vm_refcnt,
 *                     never waits: fails if detached (-> MISS, re-walk),
 *                     excluded or write-locked (-> ABORT, use mmap_lock)
 *   vma_end_read      decrement; wakes a writer waiting for the last reader
 *   vma_start_write   mmap_lock held for write: add VMA_LOCK_OFFSET, wait
 *                     until the readers left, vm_lock_seq = mm_lock_seq,
 *                     remove the offset. The VMA stays write-locked until
 *                     mmap_write_unlock/downgrade bumps mm_lock_seq
 *                     (vma_end_write_all): N VMAs, one increment to unlock.
 *   vma_mark_attached / vma_mark_detached   (write-locked) 0 -> 1 / 1 -> 0,
 *                     the detacher waiting out transient readers
 * VMA structs and VMA arrays are freed after an RCU grace period, so a
 * reader under rcu_read_lock may look at a detached VMA's vm_refcnt safely.
 */
#ifndef FAULTLINE_MMAP_LOCK_H
#define FAULTLINE_MMAP_LOCK_H

#include <mm_types.h>

#define VMA_LOCK_OFFSET	0x40000000	/* the "readers excluded" flag in vm_refcnt */
#define VMA_REF_LIMIT	(VMA_LOCK_OFFSET - 1)

/* ---- mmap_lock ----------------------------------------------------------------
 * Sleeps: yes (the lock/write variants). Each acquisition is counted in
 * vmstat (mmap_lock_read, mmap_lock_write, mmap_lock_contended,
 * mmap_lock_wait_ns); mmap_read_lock_fault() is the fault path's read lock
 * and is also counted as mmap_lock_read_fault. */
void mmap_read_lock(struct mm_struct *mm);
void mmap_read_lock_fault(struct mm_struct *mm);
bool mmap_read_trylock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);
void mmap_write_lock(struct mm_struct *mm);
bool mmap_write_trylock(struct mm_struct *mm);
void mmap_write_unlock(struct mm_struct *mm);	/* also ends every VMA write lock */
void mmap_write_downgrade(struct mm_struct *mm); /* also ends every VMA write lock */
#define mmap_assert_locked(mm)		rwsem_assert_held(&(mm)->mmap_lock)
#define mmap_assert_write_locked(mm)	rwsem_assert_held_write(&(mm)->mmap_lock)

static inline unsigned int mm_lock_seq_read(const struct mm_struct *mm)
{
	return __atomic_load_n(&mm->mm_lock_seq.sequence, __ATOMIC_ACQUIRE);
}

/* ---- per-VMA lock ------------------------------------------------------------- */
/* A new VMA struct: detached, not write-locked. */
static inline void vma_lock_init(struct vm_area_struct *vma)
{
	atomic_set(&vma->vm_refcnt, 0);
	vma->vm_lock_seq = ~0u;	/* UINT_MAX: never equal to a live mm_lock_seq */
}

/* vm_lock_seq is read racily by lockless readers: single-copy-atomic accesses. */
static inline unsigned int vma_lock_seq_read(const struct vm_area_struct *vma)
{
	return __atomic_load_n(&vma->vm_lock_seq, __ATOMIC_RELAXED);
}

/* Locks: mmap_lock held for write by the caller (only then is the answer stable). */
static inline bool vma_is_write_locked(const struct vm_area_struct *vma)
{
	return vma_lock_seq_read(vma) == mm_lock_seq_read(vma->vm_mm);
}

/* Write-lock vma: wait for its readers to leave; new readers fail until
 * mmap_write_unlock. Works on a detached VMA too (marks it only).
 * Locks: mmap_lock held for write. Sleeps: yes. */
void vma_start_write(struct vm_area_struct *vma);
/* Drop a read lock taken by lock_vma_under_rcu. Sleeps: no. */
void vma_end_read(struct vm_area_struct *vma);
/* Attach a new (write-locked, detached) VMA: vm_refcnt 0 -> 1. */
void vma_mark_attached(struct vm_area_struct *vma);
/* Detach a write-locked VMA: drop the attached reference and wait for
 * transient readers to leave (vm_refcnt -> 0). Sleeps: yes. */
void vma_mark_detached(struct vm_area_struct *vma);

void vma_assert_write_locked(const struct vm_area_struct *vma);
/* Read-locked by somebody, or write-locked by us. */
void vma_assert_locked(const struct vm_area_struct *vma);
#define vma_assert_attached(vma)  BUG_ON(atomic_read(&(vma)->vm_refcnt) == 0)
#define vma_assert_detached(vma)  BUG_ON(atomic_read(&(vma)->vm_refcnt) != 0)

/*
 * Find the VMA containing address and read-lock it, without mmap_lock.
 * NULL if there is none, it is write-locked or being changed, or the
 * address is outside after locking (counted as vma_lock_abort); a VMA found
 * detached makes it walk again (vma_lock_miss). Release with vma_end_read.
 * Sleeps: no. Locks: none needed (RCU inside).
 */
struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm, unsigned long address);

/* ---- the fault lock ------------------------------------------------------------
 * A fault runs under exactly one of: the VMA read lock (FAULT_FLAG_VMA_LOCK)
 * or mmap_lock for read. Handlers that give up the lock to wait use this. */
static inline void release_fault_lock(struct vm_fault *vmf)
{
	if (vmf->flags & FAULT_FLAG_VMA_LOCK)
		vma_end_read(vmf->vma);
	else
		mmap_read_unlock(vmf->vma->vm_mm);
}

static inline void assert_fault_locked(const struct vm_fault *vmf)
{
	if (vmf->flags & FAULT_FLAG_VMA_LOCK)
		vma_assert_locked(vmf->vma);
	else
		mmap_assert_locked(vmf->vma->vm_mm);
}

#endif
