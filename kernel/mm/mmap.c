/*
 * mmap.c - changing an address space: mmap, munmap, mprotect, brk.
 *
 * Theory of operation
 * -------------------
 * Every call here takes mmap_lock for write, so it excludes all faults of
 * the mm (they hold it for read) and every other change. The work is done
 * on VMAs first, then on the page tables:
 *
 *   mmap      find a gap (hint, MAP_FIXED, or top-down from mmap_base),
 *             make one VMA, merge it with compatible neighbours. No page
 *             is touched: the first access faults (memory.c).
 *   munmap    split the VMAs that straddle the range ends, then take each
 *             VMA inside out of the set, clear its PTEs (TLB shootdown on
 *             every CPU that has the mm loaded), release pages and VMA.
 *   mprotect  split at the range ends, set the new flags, rewrite the
 *             present PTEs (+ shootdown), merge what became compatible.
 *   brk       grow: an anonymous read-write VMA above the old break
 *             (merging into the heap VMA); shrink: munmap of the tail.
 *
 * Errors follow Linux: -EINVAL for bad alignment, flags or a zero length,
 * -ENOMEM when the range does not fit below USER_TOP, is not mapped
 * (mprotect) or memory for the bookkeeping runs out, -EACCES when
 * mprotect asks for more than the mapping allows (VM_MAY*), -EPERM for a
 * fixed mapping below MMAP_MIN_ADDR (the first 4 MiB stay unmapped).
 *
 * Per-VMA locks (mmap_lock.h): faults may run on a VMA holding only its
 * VMA read lock, so every VMA that is split, shrunk, merged, re-protected
 * or removed here is first vma_start_write()-locked (waits for its
 * faults), and a new VMA is write-locked before it is attached. Removed
 * VMAs are detached, and vm_area_free frees the struct after an RCU grace
 * period (a lockless lookup may still be looking at it).
 */
#include <mmap.h>
#include <fs.h>
#include <file.h>
#include <rmap.h>
#include <sched.h>
#include <slab.h>
#include <shmem.h>
#include <uapi/faultline/mman.h>

#ifndef EBADF
#define EBADF		9
#endif
#ifndef EACCES
#define EACCES		13
#endif
#ifndef EOVERFLOW
#define EOVERFLOW	75
#endif

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)

/* ---- VMA objects ------------------------------------------------------------ */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma));

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_node);
	vma_lock_init(vma);
	return vma;
}

/* The copy (split tail or fork) takes its own references. */
static void vma_take_refs(struct vm_area_struct *copy, struct anon_vma *av)
{
	copy->anon_vma = NULL;
	INIT_LIST_HEAD(&copy->anon_vma_node);
	if (av)
		anon_vma_link(copy, av);
	if (copy->vm_file)
		get_file(copy->vm_file);
	if (copy->vm_ops && copy->vm_ops->open)
		copy->vm_ops->open(copy);
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *vma)
{
	struct vm_area_struct *copy = kmalloc(sizeof(*copy));

	if (!copy)
		return NULL;
	vma_copy_desc(copy, vma);
	vma_lock_init(copy);		/* detached, not write-locked (vm_lock_seq of another mm) */
	vma_take_refs(copy, vma->anon_vma);
	return copy;
}

static void vm_area_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct vm_area_struct, vm_rcu));
}

/* The VMA is detached (or never was attached); a lockless reader may still
 * be looking at vm_refcnt/vm_lock_seq/vm_start, so the struct itself goes
 * after a grace period. Everything it references goes now. */
void vm_area_free(struct vm_area_struct *vma)
{
	vma_assert_detached(vma);
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	unlink_anon_vma(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	call_rcu(&vma->vm_rcu, vm_area_free_rcu);
}

static unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* ---- split and merge ------------------------------------------------------------ */

/* Split vma at addr; the new VMA is [addr, old vm_end). Locks: mmap_lock (write). */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *tail = kmalloc(sizeof(*tail));
	int ret;

	mmap_assert_write_locked(mm);
	if (!tail)
		return -ENOMEM;
	vma_start_write(vma);		/* the tail copies the write lock */
	ret = vma_set_split(&mm->mm_mt, vma, addr, tail);
	if (ret) {
		kfree(tail);
		return ret;
	}
	vma_take_refs(tail, vma->anon_vma);
	mm->map_count++;
	return 0;
}

/* Fold next into prev (adjacent, compatible). Locks: mmap_lock (write). */
static int merge_into(struct mm_struct *mm, struct vm_area_struct *prev, struct vm_area_struct *next)
{
	int ret;

	vma_start_write(prev);
	vma_start_write(next);
	ret = vma_set_merge(&mm->mm_mt, prev, next);
	if (ret)
		return ret;
	if (!prev->anon_vma && next->anon_vma)
		anon_vma_link(prev, next->anon_vma);	/* next's pages keep their rmap */
	vm_area_free(next);
	mm->map_count--;
	return 0;
}

/* Merge every compatible neighbour pair touching [start, end]. Failure to
 * merge (no memory for the new array) only leaves more VMAs than needed. */
static void merge_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start > PAGE_SIZE ? start - PAGE_SIZE : 0);

	while (vma && vma->vm_start <= end) {
		struct vm_area_struct *next = vma_next(mm, vma);

		if (next && next->vm_start <= end && vma_mergeable(vma, next) &&
		    merge_into(mm, vma, next) == 0)
			continue;
		vma = next;
	}
}

/* ---- mmap ---------------------------------------------------------------------- */

static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long hint, unsigned long len)
{
	unsigned long addr = ALIGN_UP(hint, PAGE_SIZE);

	if (hint && addr >= MMAP_MIN_ADDR && addr <= USER_TOP - len &&
	    !find_vma_intersection(mm, addr, addr + len))
		return addr;
	addr = vma_set_find_gap(&mm->mm_mt, MMAP_MIN_ADDR, mm->mmap_base, len);
	if (!addr)
		addr = vma_set_find_gap(&mm->mm_mt, MMAP_MIN_ADDR, USER_TOP, len);
	return addr ? addr : (unsigned long)-ENOMEM;
}

/* Set up what backs the new VMA: the file's ops, shmem, or plain anonymous. */
static int mmap_backing(struct vm_area_struct *vma, struct file *file, pgoff_t pgoff)
{
	if (file) {
		vma->vm_file = file;
		get_file(file);
		vma->vm_pgoff = pgoff;
		return call_mmap(file, vma);
	}
	if (vma->vm_flags & VM_SHARED)
		return shmem_zero_setup(vma);
	vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	return 0;
}

/* Make the VMA [addr, addr + len). Locks: mmap_lock (write). */
static unsigned long mmap_region(struct mm_struct *mm, unsigned long addr, unsigned long len,
				 unsigned long vm_flags, struct file *file, pgoff_t pgoff)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	int ret;

	if (!vma)
		return (unsigned long)-ENOMEM;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = vm_flags;
	ret = mmap_backing(vma, file, pgoff);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma_start_write(vma);		/* detached: only marks it; stays locked until unlock */
	if (!ret)
		ret = vma_set_insert(&mm->mm_mt, vma);
	if (ret) {
		vm_area_free(vma);
		return (unsigned long)(long)ret;
	}
	mm->map_count++;
	mm->total_vm += len >> PAGE_SHIFT;
	merge_range(mm, addr, addr + len);
	return addr;
}

static int mmap_check(unsigned long len, unsigned long prot, unsigned long flags,
		      struct file *file, pgoff_t pgoff)
{
	unsigned long type = flags & MAP_TYPE;

	if (!len || (prot & ~PROT_ALL) || (type != MAP_SHARED && type != MAP_PRIVATE))
		return -EINVAL;
	if (!file && !(flags & MAP_ANONYMOUS))
		return -EBADF;
	if (ALIGN_UP(len, PAGE_SIZE) < len || ALIGN_UP(len, PAGE_SIZE) > USER_TOP - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (file && pgoff + (ALIGN_UP(len, PAGE_SIZE) >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	return 0;
}

static int mmap_fixed_check(unsigned long addr, unsigned long len)
{
	if (!IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	if (addr > USER_TOP - len)
		return -ENOMEM;
	return 0;
}

static int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end);

/* Pick the address. Locks: mmap_lock (write). */
static unsigned long mmap_place(struct mm_struct *mm, unsigned long addr, unsigned long len,
				unsigned long flags)
{
	int ret;

	if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)))
		return get_unmapped_area(mm, addr, len);
	ret = mmap_fixed_check(addr, len);
	if (!ret && find_vma_intersection(mm, addr, addr + len)) {
		if (flags & MAP_FIXED_NOREPLACE)
			ret = -EEXIST;
		else
			ret = __do_munmap(mm, addr, addr + len);
	}
	return ret ? (unsigned long)(long)ret : addr;
}

unsigned long do_mmap(struct mm_struct *mm, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, struct file *file, pgoff_t pgoff)
{
	unsigned long vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	int ret = mmap_check(len, prot, flags, file, pgoff);

	if (ret)
		return (unsigned long)(long)ret;
	len = ALIGN_UP(len, PAGE_SIZE);
	if ((flags & MAP_TYPE) == MAP_SHARED)
		vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	mmap_write_lock(mm);
	addr = mmap_place(mm, addr, len, flags);
	if (!IS_ERR_VALUE(addr))
		addr = mmap_region(mm, addr, len, vm_flags, file, pgoff);
	mmap_write_unlock(mm);
	return addr;
}

/* ---- munmap -------------------------------------------------------------------- */

/* Take vma out of the set, unmap its pages, free it. Locks: mmap_lock (write). */
static int remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int ret;

	vma_start_write(vma);		/* waits for the faults in it */
	ret = vma_set_remove(&mm->mm_mt, vma);	/* unpublish, then vma_mark_detached */

	if (ret)
		return ret;
	zap_page_range(vma, vma->vm_start, vma->vm_end);
	mm->map_count--;
	mm->total_vm -= vma_pages(vma);
	vm_area_free(vma);
	return 0;
}

/* Unmap [start, end) (page aligned). Locks: mmap_lock (write). */
static int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = find_vma_intersection(mm, start, end);
	int ret = 0;

	mmap_assert_write_locked(mm);
	if (!vma)
		return 0;
	if (vma->vm_start < start)
		ret = split_vma(mm, vma, start);
	vma = find_vma_intersection(mm, end - 1, end);
	if (!ret && vma && vma->vm_end > end)
		ret = split_vma(mm, vma, end);
	while (!ret && (vma = find_vma_intersection(mm, start, end)) != NULL)
		ret = remove_vma(mm, vma);
	return ret;
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	int ret;

	if (!IS_ALIGNED(start, PAGE_SIZE) || start > USER_TOP || len > USER_TOP - start)
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return -EINVAL;
	mmap_write_lock(mm);
	ret = __do_munmap(mm, start, start + len);
	mmap_write_unlock(mm);
	return ret;
}

/* ---- mprotect ------------------------------------------------------------------ */

/* Is [start, end) fully mapped, and may every VMA take prot? Locks: mmap_lock. */
static int mprotect_check(struct mm_struct *mm, unsigned long start, unsigned long end,
			  unsigned long newbits)
{
	unsigned long addr = start;

	while (addr < end) {
		struct vm_area_struct *vma = find_vma(mm, addr);

		if (!vma || vma->vm_start > addr)
			return -ENOMEM;
		if ((newbits & VM_READ && !(vma->vm_flags & VM_MAYREAD)) ||
		    (newbits & VM_WRITE && !(vma->vm_flags & VM_MAYWRITE)) ||
		    (newbits & VM_EXEC && !(vma->vm_flags & VM_MAYEXEC)))
			return -EACCES;
		addr = vma->vm_end;
	}
	return 0;
}

/* Give the part of vma inside [start, end) the access bits newbits. */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
			  unsigned long end, unsigned long newbits)
{
	int ret = 0;

	if (vma->vm_start < start)
		ret = split_vma(mm, vma, start);
	if (ret)
		return ret;
	vma = find_vma(mm, start);
	if (vma->vm_end > end)
		ret = split_vma(mm, vma, end);
	if (ret)
		return ret;
	vma_start_write(vma);
	vma->vm_flags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | newbits;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	change_protection(vma, vma->vm_start, vma->vm_end);
	return 0;
}

static int __do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end,
			 unsigned long newbits)
{
	unsigned long addr = start;
	int ret = mprotect_check(mm, start, end, newbits);

	while (!ret && addr < end) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		unsigned long stop = MIN(end, vma->vm_end);

		ret = mprotect_fixup(mm, vma, addr, stop, newbits);
		addr = stop;
	}
	merge_range(mm, start, end);
	return ret;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len, unsigned long prot)
{
	unsigned long end;
	int ret;

	if (!IS_ALIGNED(start, PAGE_SIZE) || (prot & ~PROT_ALL))
		return -EINVAL;
	if (!len)
		return 0;
	end = ALIGN_UP(start + len, PAGE_SIZE);
	if (end <= start || end > USER_TOP)
		return -ENOMEM;
	mmap_write_lock(mm);
	ret = __do_mprotect(mm, start, end, calc_vm_prot_bits(prot));
	mmap_write_unlock(mm);
	return ret;
}

/* ---- brk ----------------------------------------------------------------------- */

/* Grow the heap from oldbrk to newbrk (page aligned). Locks: mmap_lock (write). */
static int brk_grow(struct mm_struct *mm, unsigned long oldbrk, unsigned long newbrk)
{
	unsigned long flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	unsigned long ret;

	if (oldbrk < MMAP_MIN_ADDR || newbrk > USER_TOP || newbrk < oldbrk)
		return -ENOMEM;
	if (find_vma_intersection(mm, oldbrk, newbrk + PAGE_SIZE))
		return -ENOMEM;			/* would run into the next mapping */
	ret = mmap_region(mm, oldbrk, newbrk - oldbrk, flags, NULL, 0);
	return IS_ERR_VALUE(ret) ? (int)(long)ret : 0;
}

unsigned long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long newbrk = ALIGN_UP(brk, PAGE_SIZE), oldbrk;
	int ret = 0;

	mmap_write_lock(mm);
	oldbrk = ALIGN_UP(mm->brk, PAGE_SIZE);
	if (brk < mm->start_brk || (brk && !newbrk))
		goto out;			/* below the heap, or overflow: unchanged */
	if (newbrk < oldbrk)
		ret = __do_munmap(mm, newbrk, oldbrk);
	else if (newbrk > oldbrk)
		ret = brk_grow(mm, oldbrk, newbrk);
	if (!ret)
		mm->brk = brk;
out:
	brk = mm->brk;
	mmap_write_unlock(mm);
	return brk;
}

/* ---- system calls (current->mm) ------------------------------------------------- */

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	      unsigned long fd, unsigned long off)
{
	struct mm_struct *mm = current->mm;
	struct file *file = NULL;
	unsigned long ret;

	if (!mm || !IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	ret = do_mmap(mm, addr, len, prot, flags, file, off >> PAGE_SHIFT);
	if (file)
		fput(file);		/* the VMA holds its own reference */
	return (long)ret;
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	return current->mm ? do_munmap(current->mm, addr, len) : -EINVAL;
}

long sys_mprotect(unsigned long addr, unsigned long len, unsigned long prot)
{
	return current->mm ? do_mprotect(current->mm, addr, len, prot) : -EINVAL;
}

long sys_brk(unsigned long addr)
{
	return current->mm ? (long)do_brk(current->mm, addr) : -EINVAL;
}
