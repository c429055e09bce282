/*
 * mm.c - address-space lifetime: mm_alloc, dup_mm (fork), mmput, and
 * switching address spaces on a context switch.
 *
 * Theory of operation
 * -------------------
 * Two reference counts, as in Linux:
 *   mm_users  threads (and kthread_use_mm users) that run in the mm. When it
 *             drops to 0 (mmput) the address space is torn down: every VMA
 *             unmapped, pages released, user page tables freed.
 *   mm_count  references to the struct itself; all users together hold one.
 *             A CPU keeps a dead-but-loaded root alive through it, so the
 *             root table and the struct are freed by the last mmdrop.
 *
 * Lazy TLB: a kernel thread has no mm; it runs on whatever user root was
 * loaded before it ("borrows" prev->active_mm, holding mm_count), which
 * saves a page-table switch and a TLB flush when the CPU returns to the
 * same process. context_switch_mm() does the bookkeeping from the
 * scheduler (rq lock held, IRQs off) and switch_mm() loads the root and
 * keeps mm->cpu_mask = the CPUs that have the root loaded, which is where
 * flush_tlb_mm_range() sends its IPIs.
 *
 * fork (dup_mm) copies every VMA and every present PTE. Pages of private
 * writable mappings end up read-only in both parent and child with one
 * more reference and mapcount; the first write on either side copies
 * (do_wp_page in memory.c). Shared mappings share the pages writable.
 */
#include <mmap.h>
#include <rmap.h>
#include <page_alloc.h>
#include <sched.h>
#include <slab.h>
#include <string.h>
#include <tlb.h>

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm));

	if (!mm)
		return NULL;
	mm->pgd = get_zeroed_page();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	mm->pgd_pa = __pa(mm->pgd);
	arch_pgd_init_user(mm->pgd);
	init_rwsem(&mm->mmap_lock);
	mm->mmap_lock.traced = true;	/* mmap_lock_* events in the trace */
	seqcount_init(&mm->mm_lock_seq);
	init_waitqueue_head(&mm->vma_writer_wait);
	mutex_init(&mm->page_table_lock);
	mm->mmap_base = ALIGN_DOWN(USER_TOP - MMAP_TOP_GAP, PAGE_SIZE);
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
	return mm;
}

void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

/* A user reference unless the last one is gone already (exit_mmap ran or runs). */
bool mmget_not_zero(struct mm_struct *mm)
{
	int users = atomic_read(&mm->mm_users);

	while (users > 0)
		if (__atomic_compare_exchange_n(&mm->mm_users.counter, &users, users + 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return true;
	return false;
}

/* Resident pages of mm, every kind (Linux's get_mm_rss). */
unsigned long get_mm_rss(struct mm_struct *mm)
{
	unsigned long n = 0;

	for (int i = 0; i < NR_MM_COUNTERS; i++)
		n += atomic_long_read(&mm->rss[i]);
	return n;
}

void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

void mmdrop(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_count))
		return;
	if (mm->cpu_mask)
		panic("mmdrop: mm %p freed while CPUs 0x%lx still have it loaded", mm, mm->cpu_mask);
	free_page(mm->pgd);
	kfree(mm);
}

/* Unmap and free every VMA, then the page tables. Locks: mmap_lock (write). */
static void exit_mmap(struct mm_struct *mm)
{
	struct vma_iterator vmi;
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma) {
		vma_start_write(vma);	/* exec/exit teardown: nobody can fault here any more, */
		vma_mark_detached(vma);	/* but keep the VMA protocol uniform */
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		vm_area_free(vma);
	}
	vma_set_destroy(&mm->mm_mt);
	mm->map_count = mm->total_vm = 0;
	free_pgtables(mm);
	mmap_write_unlock(mm);
}

void mmput(struct mm_struct *mm)
{
	might_sleep();
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

/* Copy the scalar fields fork inherits. */
static void dup_mm_fields(struct mm_struct *mm, const struct mm_struct *old)
{
	mm->mmap_base = old->mmap_base;
	mm->start_brk = old->start_brk;
	mm->brk = old->brk;
	mm->start_stack = old->start_stack;
}

/* Copy one VMA and its PTEs into mm. Locks: old's mmap_lock (write). */
static int dup_one_vma(struct mm_struct *mm, struct mm_struct *old, struct vm_area_struct *vma)
{
	struct vm_area_struct *copy = vm_area_dup(vma);
	int ret;

	if (!copy)
		return -ENOMEM;
	copy->vm_mm = mm;
	vma_start_write(copy);
	ret = vma_set_insert(&mm->mm_mt, copy);
	if (ret) {
		vm_area_free(copy);
		return ret;
	}
	mm->map_count++;
	mm->total_vm += vma_pages(copy);
	return copy_page_range(mm, old, vma);
}

struct mm_struct *dup_mm(struct mm_struct *old)
{
	struct mm_struct *mm = mm_alloc();
	struct vma_iterator vmi;
	struct vm_area_struct *vma;
	int ret = 0;

	if (!mm)
		return NULL;
	mmap_write_lock(old);
	/* The new mm is invisible to everyone else: the trylock cannot fail
	 * (and, being a trylock, adds no lockdep edge between two mmap_locks). */
	BUG_ON(!mmap_write_trylock(mm));
	dup_mm_fields(mm, old);
	vma_iter_init(&vmi, old, 0);
	for_each_vma(vmi, vma) {
		/* fork write-locks every parent VMA (Linux fb49c455323f): a fault
		 * under the VMA lock must not change PTEs while they are copied. */
		vma_start_write(vma);
		ret = dup_one_vma(mm, old, vma);
		if (ret)
			break;
	}
	mmap_write_unlock(mm);
	mmap_write_unlock(old);
	if (ret) {
		mmput(mm);		/* undoes whatever was copied */
		return NULL;
	}
	return mm;
}

/* ---- switching ----------------------------------------------------------------- */

void switch_mm(struct mm_struct *prev, struct mm_struct *next)
{
	unsigned long bit = 1UL << smp_processor_id();

	BUG_ON(arch_irqs_enabled());
	if (prev == next)
		return;
	if (next) {
		/* Bit first, then the root: see flush_tlb_mm_range() in tlb.c. */
		__atomic_fetch_or(&next->cpu_mask, bit, __ATOMIC_SEQ_CST);
		arch_switch_mm(next->pgd_pa);
	} else {
		arch_switch_mm(0);
	}
	if (prev)
		__atomic_fetch_and(&prev->cpu_mask, ~bit, __ATOMIC_SEQ_CST);
}

void context_switch_mm(struct thread *prev, struct thread *next)
{
	struct mm_struct *oldmm = prev->active_mm;

	if (!next->mm) {			/* kernel thread: keep what is loaded */
		next->active_mm = oldmm;
		if (oldmm)
			mmgrab(oldmm);
	} else {
		switch_mm(oldmm, next->mm);
		next->active_mm = next->mm;
	}
	if (!prev->mm) {			/* prev borrowed oldmm: give it back */
		prev->active_mm = NULL;
		if (oldmm)
			mmdrop(oldmm);		/* not the last: next holds it or it is unloaded */
	}
}

void kthread_use_mm(struct mm_struct *mm)
{
	struct thread *t = current;
	struct mm_struct *old;
	unsigned long flags;

	BUG_ON(t->mm);
	mmgrab(mm);
	flags = arch_irq_save();
	old = t->active_mm;
	t->mm = mm;
	t->active_mm = mm;
	switch_mm(old, mm);
	arch_irq_restore(flags);
	if (old)
		mmdrop(old);
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	struct thread *t = current;
	unsigned long flags;

	BUG_ON(t->mm != mm);
	flags = arch_irq_save();
	t->mm = NULL;
	t->active_mm = NULL;
	switch_mm(mm, NULL);
	arch_irq_restore(flags);
	mmdrop(mm);
}

void exit_mm(void)
{
	struct thread *t = current;
	struct mm_struct *mm = t->mm;
	unsigned long flags;

	if (!mm)
		return;
	mmgrab(mm);			/* stays loaded as a lazy active_mm */
	flags = arch_irq_save();
	t->mm = NULL;
	arch_irq_restore(flags);
	mmput(mm);
}
