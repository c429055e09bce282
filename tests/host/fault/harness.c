/*
 * harness.c - simulated user accesses, the uaccess arch hooks, and the
 * checks wrapped around handle_mm_fault.
 *
 * A user load/store runs like the hardware does it: look the address up in
 * this CPU's TLB (shim.c); on a miss walk the page tables with atomic loads
 * (the MMU's walker) and fill the TLB; if the PTE is missing or lacks the
 * permission, drop the TLB entry and "trap": do_page_fault(regs, addr,
 * flags) with IRQs off on entry, exactly as arch trap code calls it, then
 * retry the access. The TLB lock is held for the whole access, so a TLB
 * shootdown (a cross-CPU call, shim.c) cannot land in the middle of it.
 *
 * Every access also checks that the page it reaches is allocated
 * (refcount > 0): reaching a freed page means a missing TLB flush or a PTE
 * left behind.
 */
#include "shim.h"
#include <vmstat.h>
#include <string.h>
#include <uapi/faultline/signal.h>

/* The MMU's walk. true and the leaf if va has a present level-0 PTE. */
bool hw_walk(phys_addr_t root, unsigned long va, pte_t *leaf)
{
	phys_addr_t table = root;
	int level;

	for (level = PT_ROOT_LEVEL; level >= 0; level--) {
		pte_t *t = __va(table);
		pte_t e = __atomic_load_n(&t[pt_index(va, level)], __ATOMIC_ACQUIRE);

		if (!pte_present(e))
			return false;
		if (level == 0) {
			*leaf = e;
			return true;
		}
		if (!pte_is_table(e, level))
			panic("hw_walk: large user page at 0x%lx level %d", va, level);
		table = pte_pa(e);
	}
	return false;
}

/* One access of size 1..8 inside a page. 0 done, 1 "page fault". */
static int try_access(unsigned long addr, void *buf, unsigned int size, bool write, bool user)
{
	struct host_tlb *t = &host_tlbs[this_cpu()->id];
	unsigned long va = addr & PAGE_MASK;
	struct host_tlb_entry *e = &t->e[(va >> PAGE_SHIFT) % HOST_TLB_ENTRIES];
	unsigned int need = PTE_R | (write ? PTE_W : 0) | (user ? PTE_USER : 0);
	uint8_t *p;

	host_lock(&t->lock);
	if (e->valid && e->va == va) {
		t->hits++;
	} else {
		pte_t pte;

		t->misses++;
		if (!t->root || !hw_walk(t->root, va, &pte)) {
			e->valid = false;
			goto fault;
		}
		*e = (struct host_tlb_entry){ va, pte_pa(pte), pte_prot(pte), true };
	}
	if ((e->prot & need) != need) {
		e->valid = false;	/* x86: a fault drops the entry for the address */
		goto fault;
	}
	if (e->pa == zero_page_pa()) {
		if (write)
			panic("user write to 0x%lx reached the zero page (prot 0x%x)", addr, e->prot);
		p = (uint8_t *)empty_zero_page;
	} else {
		struct page *pg = e->pa < PHYS_MAP_SIZE ? phys_to_page(e->pa) : NULL;

		if (!pg)
			panic("user access to 0x%lx: pa 0x%lx is not RAM", addr, (unsigned long)e->pa);
		if (page_count(pg) <= 0)
			panic("user %s at 0x%lx reached FREED page pa 0x%lx (refcount %d): "
			      "stale TLB entry or PTE", write ? "write" : "read", addr,
			      (unsigned long)e->pa, page_count(pg));
		p = page_address(pg);
	}
	p += addr & ~PAGE_MASK;
	if (size == 8) {
		if (write)
			__atomic_store_n((uint64_t *)p, *(uint64_t *)buf, __ATOMIC_RELAXED);
		else
			*(uint64_t *)buf = __atomic_load_n((uint64_t *)p, __ATOMIC_RELAXED);
	} else {
		for (unsigned int i = 0; i < size; i++) {
			if (write)
				__atomic_store_n(p + i, ((uint8_t *)buf)[i], __ATOMIC_RELAXED);
			else
				((uint8_t *)buf)[i] = __atomic_load_n(p + i, __ATOMIC_RELAXED);
		}
	}
	host_unlock(&t->lock);
	return 0;
fault:
	host_unlock(&t->lock);
	return 1;
}

/* After every trap: the kernel must leave no lock held, IRQs off, preempt 0. */
static void check_trap_exit(const char *what, unsigned long addr)
{
	if (READ_ONCE(panic_in_progress))	/* lockdep stopped tracking: another thread failed */
		host_usleep(1000000);
	if (arch_irqs_enabled())
		panic("%s at 0x%lx returned with IRQs on", what, addr);
	if (preempt_count())
		panic("%s at 0x%lx returned with preempt_count %d", what, addr, preempt_count());
#ifdef CONFIG_DEBUG
	if (current->held.depth)
		panic("%s at 0x%lx returned holding %d lock(s), first '%s'", what, addr,
		      current->held.depth, current->held.locks[0].map->name);
#endif
}

#define MAX_TRIES 100000

static int user_access(unsigned long addr, void *buf, bool write)
{
	struct host_thread *ht = host_self;
	unsigned int flags = FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0);
	int tries;

	for (tries = 0; tries < MAX_TRIES; tries++) {
		struct pt_regs regs = { .pc = 0x400000 };

		host_tick();			/* a timer tick may land between two instructions */
		if (!try_access(addr, buf, 8, write, true))
			return 0;
		ht->sig = 0;
		ht->faults_user++;
		arch_irq_disable();			/* trap entry */
		do_page_fault(&regs, addr, flags);
		check_trap_exit("user fault", addr);
		arch_irq_enable();			/* back in user mode */
		host_sched_point();
		if (ht->sig) {
			ht->segv++;
			return ht->sig;
		}
	}
	panic("user %s at 0x%lx: %d faults without progress", write ? "write" : "read", addr, tries);
}

int user_load(unsigned long addr, uint64_t *val)
{
	return user_access(addr, val, false);
}

int user_store(unsigned long addr, uint64_t val)
{
	return user_access(addr, &val, true);
}

/* ---- arch uaccess: copy through the page tables, faulting in kernel mode ---- */

static size_t copy_user(unsigned long uaddr, void *kbuf, size_t n, bool write)
{
	struct host_thread *ht = host_self;
	size_t done = 0;
	int tries = 0;

	if (arch_irqs_enabled() == false)
		panic("copy_*_user with IRQs off");
	while (done < n) {
		unsigned long a = uaddr + done;
		unsigned int chunk = MIN(n - done, PAGE_SIZE - (a & ~PAGE_MASK));
		struct pt_regs regs = { .pc = 0xffff0000, .in_uaccess = 1 };

		chunk = (a & 7) || chunk < 8 ? 1 : 8;
		if (!try_access(a, (uint8_t *)kbuf + done, chunk, write, false)) {
			done += chunk;
			tries = 0;
			continue;
		}
		if (++tries > MAX_TRIES)
			panic("uaccess at 0x%lx: no progress", a);
		ht->faults_kernel++;
		arch_irq_disable();
		do_page_fault(&regs, a, write ? FAULT_FLAG_WRITE : 0);
		check_trap_exit("uaccess fault", a);
		arch_irq_enable();
		if (regs.fixed_up) {
			ht->efault++;
			return n - done;
		}
	}
	return 0;
}

size_t arch_copy_from_user(void *dst, const void *usrc, size_t n)
{
	return copy_user((unsigned long)usrc, dst, n, false);
}

size_t arch_copy_to_user(void *udst, const void *src, size_t n)
{
	return copy_user((unsigned long)udst, (void *)src, n, true);
}

size_t arch_clear_user(void *udst, size_t n)
{
	static const uint8_t zeros[256];
	size_t done = 0;

	while (done < n) {
		size_t c = MIN(n - done, sizeof(zeros));
		size_t left = copy_user((unsigned long)udst + done, (void *)zeros, c, true);

		if (left)
			return n - done - (c - left);
		done += c;
	}
	return 0;
}

/* ---- handle_mm_fault, checked (-Wl,--wrap=handle_mm_fault) ---- */

unsigned long hmf_calls, hmf_completed, hmf_retry;

/* The VMA a fault uses must be live: attached (vm_refcnt 1; a freed VMA
 * reads as slab poison 0x6b6b6b6b, a detached one as 0), in this mm's set,
 * and covering the address. */
void check_vma_live(struct vm_area_struct *vma, unsigned long addr, const char *when)
{
	struct mm_struct *mm = current->mm;
	int ref = atomic_read(&vma->vm_refcnt);

	/* refcount design (mmap_lock.h): 1 attached + readers, + VMA_LOCK_OFFSET while a
	 * writer waits for the readers (possibly us) to leave; 0 = detached */
	if (ref == 0 || ref == 0x6b6b6b6b || (ref & ~VMA_LOCK_OFFSET) < 1 ||
	    (ref & ~VMA_LOCK_OFFSET) > VMA_REF_LIMIT)
		panic("fault %s: VMA %p for 0x%lx has vm_refcnt 0x%x: %s", when, (void *)vma, addr,
		      ref, ref == 0 ? "DETACHED" : ref == 0x6b6b6b6b ? "FREED (poisoned)" : "bad");
	if (vma->vm_mm != mm)
		panic("fault %s: VMA %p for 0x%lx belongs to mm %p, not %p", when, (void *)vma,
		      addr, (void *)vma->vm_mm, (void *)mm);
	if (addr < vma->vm_start || addr >= vma->vm_end)
		panic("fault %s: 0x%lx outside its VMA [0x%lx, 0x%lx)", when, addr,
		      vma->vm_start, vma->vm_end);
	if (vma_set_find(&mm->mm_mt, addr) != vma)
		panic("fault %s: VMA %p for 0x%lx is not the one in the mm's set", when,
		      (void *)vma, addr);
}

vm_fault_t __real_handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
				  unsigned int flags, struct pt_regs *regs);
vm_fault_t __wrap_handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
				  unsigned int flags, struct pt_regs *regs)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_fault_t ret;

	if (flags & FAULT_FLAG_VMA_LOCK) {
		/* per-VMA lock: the VMA must be read-locked (attached + this reader) */
		if (atomic_read(&vma->vm_refcnt) < 2)
			panic("handle_mm_fault(0x%lx) under FAULT_FLAG_VMA_LOCK without the VMA "
			      "read lock (vm_refcnt %d)", address, atomic_read(&vma->vm_refcnt));
	} else if (!rwsem_is_locked(&mm->mmap_lock)) {
		panic("handle_mm_fault(0x%lx) without mmap_lock", address);
	}
	check_vma_live(vma, address, "entry");
	__atomic_fetch_add(&hmf_calls, 1, __ATOMIC_RELAXED);
	ret = __real_handle_mm_fault(vma, address, flags, regs);
	if (ret & VM_FAULT_RETRY)
		__atomic_fetch_add(&hmf_retry, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&hmf_completed, 1, __ATOMIC_RELAXED);
	if (!(ret & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
		check_vma_live(vma, address, "exit");
	return ret;
}
