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
 *     error bits -> OOM: reclaim clean page cache, else the OOM killer; SIGBUS; SIGSEGV
 *
 * In front of "retry:" sits one attempt under the per-VMA lock
 * (lock_vma_under_rcu) for user faults: see fault_locked_loop() below for
 * the exact rules, and fault_policy.h for the policies that change them.
 *
 * Kernel-mode faults on user addresses come from copy_*_user and friends:
 * they take the same path; if the fault cannot be resolved, the exception
 * table (arch_fixup_exception) makes the copy return -EFAULT. Any other
 * kernel fault is a bug and panics with the registers.
 */
#include <mmap.h>
#include <fault_policy.h>
#include <signal.h>
#include <vmstat.h>
#include <string.h>
#include <boot.h>
#include <sched.h>
#include <page_alloc.h>
#include <oom.h>
#include <fs.h>
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
	vma_start_write(vma);
	if (vma_is_anonymous(vma))
		vma->vm_pgoff -= (vma->vm_start - start) >> PAGE_SHIFT;
	mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	__atomic_store_n(&vma->vm_start, start, __ATOMIC_RELAXED);	/* lockless lookups read it */
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
	mmap_read_lock_fault(mm);
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

#define OOM_VICTIM_GRACE_NS	1000000000ULL	/* a victim gets 1 s to free its memory */
static uint64_t last_oom_kill_ns;	/* [a] arch_time_ns() of the last OOM kill */

/*
 * Before anyone is killed, give back what costs nothing to get again: clean,
 * unmapped, unused page-cache folios and buffers (the drop_caches walk). A
 * small stand-in for Linux's direct reclaim, which the allocator runs itself;
 * here the fault path does it once its fault lock is released, the only place
 * a failed allocation is known to be allowed to sleep. true: something was
 * freed, let the access fault again. Sleeps: yes.
 */
static bool reclaim_page_cache(void)
{
	struct drop_caches_result res;

	drop_pagecache(&res);
	count_vm_events(PGSTEAL_DIRECT, res.folios + res.buffers);
	return res.folios + res.buffers > 0;
}

/*
 * A user fault found no free page: the OOM killer (kernel/task/oom_kill.c)
 * kills the process with the most resident pages, which need not be ours.
 * Like Linux's "an OOM victim is already exiting" back-off: within a second of
 * the last kill, or while a victim is still dying, the faulting thread sleeps
 * a tick and lets the access run again - the victim's memory is on its way
 * back (do_exit frees it before the parent hears of the exit).
 */
static void pagefault_out_of_memory(struct pt_regs *regs, unsigned long addr, unsigned int flags)
{
	uint64_t now = arch_time_ns(), last;
	enum oom_result r;

	if (!(flags & FAULT_FLAG_USER)) {
		no_context(regs, addr, "out of memory");
		return;
	}
	if (fatal_signal_pending(current))
		return;			/* already killed: the signal ends us on the way out */
	if (reclaim_page_cache())
		return;			/* the access faults again */
	last = __atomic_load_n(&last_oom_kill_ns, __ATOMIC_RELAXED);
	if (last && now - last < OOM_VICTIM_GRACE_NS) {
		msleep(10);
		return;			/* the access faults again */
	}
	r = out_of_memory();
	if (r == OOM_WAIT) {
		msleep(10);
		return;
	}
	__atomic_store_n(&last_oom_kill_ns, now, __ATOMIC_RELAXED);
	count_vm_event(OOM_KILL);
	if (r == OOM_KILLED_OTHER) {
		msleep(10);
		return;
	}
	force_sig(SIGKILL);		/* out_of_memory() said why */
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

/*
 * Linux's fault_signal_pending(): a RETRY with a signal to deliver ends the
 * fault here; the lock is already released, the access re-runs after the
 * signal (user mode) or the uaccess returns -EFAULT (kernel mode).
 */
static bool fault_signal_pending(vm_fault_t fault, unsigned int flags)
{
	if (!(fault & VM_FAULT_RETRY))
		return false;
	if (!fatal_signal_pending(current) &&
	    !((flags & FAULT_FLAG_USER) && signal_pending(current)))
		return false;
	count_vm_event(FAULT_SIGNAL);
	return true;
}

static void fault_signal_out(struct pt_regs *regs, unsigned long addr, unsigned int flags)
{
	if (!(flags & FAULT_FLAG_USER))
		no_context(regs, addr, "signal pending on retry");
}

/*
 * The fault loop (DESIGN.md §4, reference notes §2.1, Linux 6.8+), shared by
 * every architecture and every policy. Returns the result whose error bits
 * the caller acts on; nothing is held on return.
 *
 *   user fault, policy != mmap:
 *   retry_vma:
 *     vma = lock_vma_under_rcu()          VMA read lock, no mmap_lock; NULL -> mmap loop
 *     access error -> vma_end_read, SIGSEGV (counted vma_lock_success)
 *     fault = handle_mm_fault(..VMA_LOCK)
 *     !(RETRY|COMPLETED) -> vma_end_read  (otherwise the handler released it)
 *     !RETRY -> vma_lock_success, done
 *     vma_lock_retry; MAJOR -> TRIED; signal -> return
 *     [retry_vma] RETRY_VMA -> goto retry_vma
 *   the mmap_lock loop (until done):
 *     lock_mm_and_find_vma, access check, handle_mm_fault
 *     signal on RETRY -> return; COMPLETED -> return; RETRY -> TRIED, again
 *     mmap_read_unlock
 */
static vm_fault_t fault_locked_loop(struct pt_regs *regs, struct mm_struct *mm,
				    unsigned long addr, unsigned int flags)
{
	struct vm_area_struct *vma;
	vm_fault_t fault;

	if (!(flags & FAULT_FLAG_USER) || !fault_policy_use_vma_lock())
		goto lock_mmap;		/* kernel-mode faults never use the VMA lock */
retry_vma:
	vma = lock_vma_under_rcu(mm, addr);
	if (!vma)
		goto lock_mmap;		/* vma_lock_abort counted inside */
	if (access_error(flags, vma)) {
		vma_end_read(vma);
		count_vm_event(VMA_LOCK_SUCCESS);
		bad_area(regs, addr, flags, SEGV_ACCERR);
		return 0;
	}
	fault = handle_mm_fault(vma, addr, flags | FAULT_FLAG_VMA_LOCK, regs);
	if (!(fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
		vma_end_read(vma);	/* else the handler already released it */
	if (!(fault & VM_FAULT_RETRY)) {
		count_vm_event(VMA_LOCK_SUCCESS);
		return fault;
	}
	count_vm_event(VMA_LOCK_RETRY);
	trace_event(TRACE_FAULT_RETRY, addr, TRACE_RETRY_VMA_LOCK | (uint64_t)fault << 8);
	if (fault & VM_FAULT_MAJOR)
		flags |= FAULT_FLAG_TRIED;	/* keep the major-fault accounting (6.8) */
	if (fault_signal_pending(fault, flags)) {
		fault_signal_out(regs, addr, flags);
		return 0;
	}
	if (fault & VM_FAULT_RETRY_VMA) {	/* [policy] retry_vma */
		count_vm_event(VMA_LOCK_RETRY_VMA);
		goto retry_vma;
	}
lock_mmap:
	if (flags & FAULT_FLAG_USER)
		count_vm_event(FAULT_MMAP_USER);
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
		if (fault_signal_pending(fault, flags)) {
			fault_signal_out(regs, addr, flags);	/* lock already released */
			return 0;
		}
		if (fault & VM_FAULT_COMPLETED)
			return 0;
		if (!(fault & VM_FAULT_RETRY))
			break;
		trace_event(TRACE_FAULT_RETRY, addr, TRACE_RETRY_HANDLER | (uint64_t)fault << 8);
		flags |= FAULT_FLAG_TRIED;	/* lock already dropped by the handler */
	}
	mmap_read_unlock(mm);
	return fault;
}

vm_fault_t handle_user_fault_test(struct mm_struct *mm, unsigned long addr, unsigned int flags)
{
	return fault_locked_loop(NULL, mm, addr, flags | FAULT_FLAG_USER | FAULT_FLAG_DEFAULT);
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
	fault = fault_locked_loop(regs, mm, addr, flags);
	trace_event(TRACE_FAULT_END, addr, fault);
	if (fault & VM_FAULT_ERROR)
		fault_error(regs, addr, flags, fault);
out:
	arch_irq_disable();
}

/* ---- policies (fault_policy.h) ------------------------------------------------ */

int fault_policy = FAULT_POLICY_VMA;
const char *const fault_policy_names[NR_FAULT_POLICIES] = {
	[FAULT_POLICY_MMAP] = "mmap",		[FAULT_POLICY_VMA] = "vma",
	[FAULT_POLICY_RETRY_VMA] = "retry_vma",	[FAULT_POLICY_UPTODATE] = "uptodate",
	[FAULT_POLICY_HOLD] = "hold",
};

int fault_policy_set(const char *name)
{
	size_t n = strlen(name);

	while (n && (name[n - 1] == '\n' || name[n - 1] == ' '))
		n--;
	for (int i = 0; i < NR_FAULT_POLICIES; i++) {
		if (strlen(fault_policy_names[i]) == n && !memcmp(fault_policy_names[i], name, n)) {
			__atomic_store_n(&fault_policy, i, __ATOMIC_RELAXED);
			return 0;
		}
	}
	return -EINVAL;
}

void fault_policy_init(void)
{
	char buf[32];

	if (!cmdline_copy("fault_policy", buf, sizeof(buf)))
		return;
	if (fault_policy_set(buf))
		printk("fault_policy: unknown policy '%s' (mmap, vma, retry_vma, uptodate, hold), "
		       "keeping '%s'\n", buf, fault_policy_name());
	else
		printk("fault_policy: %s\n", fault_policy_name());
}
