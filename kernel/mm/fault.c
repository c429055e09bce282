/*
 * fault.c - the one generic page-fault entry for every architecture.
 *
 * Theory of operation
 * -------------------
 * Arch trap code decodes the hardware fault (address; write, instruction
 * fetch, user mode) and calls do_page_fault(). Linux repeats this
 * skeleton in every arch's fault.c; we keep exactly one copy, with the
 * Linux 6.x shape (reference/linux-fault-protocol.md §2.1):
 *
 *   retry:
 *     vma = lock_mm_and_find_vma()     mmap_lock for read; a fault just
 *                                      below a VM_GROWSDOWN stack takes it
 *                                      for write, grows the stack, downgrades
 *     access check vs vma->vm_flags    -> SIGSEGV (SEGV_ACCERR)
 *     fault = handle_mm_fault()        memory.c, under the page-table lock
 *     RETRY      -> lock already dropped: flags |= FAULT_FLAG_TRIED, retry
 *     COMPLETED  -> lock already dropped: done
 *     otherwise  -> mmap_read_unlock
 *     error bits -> OOM: kill the process; SIGBUS; SIGSEGV
 *
 * This is the `mmap` policy (DESIGN.md §4): every fault takes mmap_lock.
 * Issue 5 adds the per-VMA-lock attempt in front of "retry:".
 *
 * Kernel-mode faults on user addresses come from copy_*_user and friends:
 * they take the same path; if the fault cannot be resolved, the exception
 * table (arch_fixup_exception) makes the copy return -EFAULT. Any other
 * kernel fault is a bug and panics with the registers.
 */
#include <mmap.h>
#include <vmstat.h>
#include <sched.h>
#include <page_alloc.h>
#include <printk.h>
#include <trace.h>
#include <uapi/faultline/signal.h>

/* Provided by kernel/task (<signal.h>); weak defaults in transitional.c. */
int force_sig_fault(int sig, int code, uintptr_t addr);
int force_sig(int sig);

/* Fault flags the VMA must allow: Linux's access_error(). */
static bool access_error(unsigned int flags, const struct vm_area_struct *vma)
{
	if (flags & FAULT_FLAG_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (flags & FAULT_FLAG_INSTRUCTION)
		return !(vma->vm_flags & VM_EXEC);
	return !(vma->vm_flags & VM_ACCESS_FLAGS);
}

/*
 * Grow a VM_GROWSDOWN vma down to cover addr. 0 or -ENOMEM.
 * Locks: mmap_lock held for write.
 */
static int expand_stack_locked(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *prev = vma_prev(mm, vma);
	unsigned long start = ALIGN_DOWN(addr, PAGE_SIZE);

	mmap_assert_write_locked(mm);
	if (!(vma->vm_flags & VM_GROWSDOWN) || start < MMAP_MIN_ADDR)
		return -ENOMEM;
	if (vma->vm_end - start > STACK_MAX_SIZE)
		return -ENOMEM;
	if (prev && prev->vm_end + STACK_GUARD_GAP > start)
		return -ENOMEM;
	/* issue 5: vma_start_write(vma) */
	if (vma_is_anonymous(vma))
		vma->vm_pgoff -= (vma->vm_start - start) >> PAGE_SHIFT;
	mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	vma->vm_start = start;
	return 0;
}

/* The write-lock detour of lock_mm_and_find_vma. Returns with the read lock or nothing. */
static struct vm_area_struct *grow_stack_and_find(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start > addr && expand_stack_locked(mm, vma, addr))
		vma = NULL;
	if (!vma) {
		mmap_write_unlock(mm);
		return NULL;
	}
	mmap_write_downgrade(mm);
	return vma;
}

struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr,
					    struct pt_regs *regs)
{
	struct vm_area_struct *vma;

	(void)regs;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr)
		return vma;
	if (vma && (vma->vm_flags & VM_GROWSDOWN))
		return grow_stack_and_find(mm, addr);
	mmap_read_unlock(mm);
	return NULL;
}

/* A kernel-mode fault we cannot resolve: the uaccess fixup, or a panic. */
static void no_context(struct pt_regs *regs, unsigned long addr, const char *why)
{
	if (arch_fixup_exception(regs)) {
		count_vm_event(UACCESS_EFAULT);
		return;
	}
	panic_regs(regs, "kernel page fault at 0x%lx (%s) outside any uaccess: a kernel bug",
		   addr, why);
}

static void bad_area(struct pt_regs *regs, unsigned long addr, unsigned int flags, int code)
{
	if (!(flags & FAULT_FLAG_USER)) {
		no_context(regs, addr, code == SEGV_MAPERR ? "no mapping" : "access denied");
		return;
	}
	count_vm_event(FAULT_SEGV);
	force_sig_fault(SIGSEGV, code, addr);
}

/* A fault found no free page: kill the process, say what ran out. */
static void pagefault_out_of_memory(struct pt_regs *regs, unsigned long addr, unsigned int flags)
{
	if (!(flags & FAULT_FLAG_USER)) {
		no_context(regs, addr, "out of memory");
		return;
	}
	count_vm_event(OOM_KILL);
	printk("Out of memory: killing thread '%s': page fault at 0x%lx found no free page "
	       "(%lu of %lu pages free)\n", current->name, addr, nr_free_pages(), nr_total_pages());
	force_sig(SIGKILL);
}

static void fault_error(struct pt_regs *regs, unsigned long addr, unsigned int flags,
			vm_fault_t fault)
{
	if (fault & VM_FAULT_OOM) {
		pagefault_out_of_memory(regs, addr, flags);
	} else if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON)) {
		if (!(flags & FAULT_FLAG_USER)) {
			no_context(regs, addr, "bus error");
			return;
		}
		count_vm_event(FAULT_SIGBUS);
		force_sig_fault(SIGBUS, BUS_ADRERR, addr);
	} else {
		bad_area(regs, addr, flags, SEGV_MAPERR);
	}
}

/* The mmap_lock loop. Returns the last handle_mm_fault result, lock released. */
static vm_fault_t fault_mmap_loop(struct pt_regs *regs, struct mm_struct *mm,
				  unsigned long addr, unsigned int flags)
{
	struct vm_area_struct *vma;
	vm_fault_t fault;

	for (;;) {
		vma = lock_mm_and_find_vma(mm, addr, regs);
		if (!vma) {
			bad_area(regs, addr, flags, SEGV_MAPERR);
			return 0;
		}
		if (access_error(flags, vma)) {
			mmap_read_unlock(mm);
			bad_area(regs, addr, flags, SEGV_ACCERR);
			return 0;
		}
		fault = handle_mm_fault(vma, addr, flags, regs);
		if (fault & VM_FAULT_COMPLETED)
			return 0;
		if (!(fault & VM_FAULT_RETRY))
			break;
		trace_event(TRACE_FAULT_RETRY, addr, TRACE_RETRY_HANDLER | (uint64_t)fault << 8);
		flags |= FAULT_FLAG_TRIED;	/* lock already dropped by the handler */
		/* issue 4+: return here if a fatal signal is pending (fault_signal_pending) */
	}
	mmap_read_unlock(mm);
	return fault;
}

int fixup_user_fault(struct mm_struct *mm, unsigned long address, unsigned int fault_flags,
		     bool *unlocked)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

	mmap_assert_locked(mm);
	fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
	for (;;) {
		vma = find_vma(mm, address);
		if (!vma || vma->vm_start > address || access_error(fault_flags, vma))
			return -EFAULT;
		ret = handle_mm_fault(vma, address, fault_flags, NULL);
		if (!(ret & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
			break;
		mmap_read_lock(mm);		/* the handler dropped it */
		if (unlocked)
			*unlocked = true;
		if (ret & VM_FAULT_COMPLETED)
			return 0;
		fault_flags |= FAULT_FLAG_TRIED;
	}
	if (ret & VM_FAULT_OOM)
		return -ENOMEM;
	return ret & VM_FAULT_ERROR ? -EFAULT : 0;
}

/* May we sleep for this fault? Kernel code holding a spinlock may not. */
static bool fault_may_sleep(unsigned int flags)
{
	return (flags & FAULT_FLAG_USER) || preempt_count() == 0;
}

void do_page_fault(struct pt_regs *regs, uintptr_t addr, unsigned int flags)
{
	struct mm_struct *mm = current->mm;
	vm_fault_t fault;

	flags |= FAULT_FLAG_DEFAULT;
	if (addr >= USER_TOP || !mm) {
		bad_area(regs, addr, flags, SEGV_MAPERR);
		goto out;
	}
	if (!fault_may_sleep(flags)) {
		no_context(regs, addr, "in atomic context");
		goto out;
	}
	arch_irq_enable();
	trace_event(TRACE_FAULT_BEGIN, addr, flags);
	fault = fault_mmap_loop(regs, mm, addr, flags);
	trace_event(TRACE_FAULT_END, addr, fault);
	if (fault & VM_FAULT_ERROR)
		fault_error(regs, addr, flags, fault);
out:
	arch_irq_disable();
}
