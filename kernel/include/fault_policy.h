/*
 * fault_policy.h - which variant of the fault-retry protocol runs
 * (DESIGN.md §4; docs/locking.md "The retry contract").
 *
 *   mmap       no VMA locks: every fault takes mmap_lock (Linux <= 6.3)
 *   vma        mainline (default): one VMA-lock try, mmap_lock on any RETRY
 *   retry_vma  a RETRY that was only about waiting for I/O says
 *              VM_FAULT_RETRY_VMA and is retried under the VMA lock again
 *              (Barry Song / Oven Liyang RFC, Nov 2025)
 *   uptodate   like vma, but an uptodate folio is locked without dropping
 *              the fault lock (Barry Song v2, Apr 2026)
 *   hold       never drop the fault lock for I/O: wait holding it
 *              (Matthew Wilcox's "rip it all out")
 *
 * Chosen at boot with fault_policy=NAME, at run time with
 * fault_policy_set(NAME) (/proc/sys/vm/fault_policy). A change applies to
 * the next decision; a fault in progress may see both.
 *
 * The predicates below are the only places the policies differ: the fault
 * loop (fault.c) and filemap_fault's marked lines call them, so each
 * policy is a few lines of the one shared path, never a copy of it.
 */
#ifndef FAULTLINE_FAULT_POLICY_H
#define FAULTLINE_FAULT_POLICY_H

#include <mm_types.h>

enum fault_policy {
	FAULT_POLICY_MMAP,
	FAULT_POLICY_VMA,
	FAULT_POLICY_RETRY_VMA,
	FAULT_POLICY_UPTODATE,
	FAULT_POLICY_HOLD,
	NR_FAULT_POLICIES
};

extern int fault_policy;	/* [a] enum fault_policy */
extern const char *const fault_policy_names[NR_FAULT_POLICIES];

static inline enum fault_policy fault_policy_get(void)
{
	return (enum fault_policy)__atomic_load_n(&fault_policy, __ATOMIC_RELAXED);
}

/* 0, or -EINVAL for an unknown name (a trailing newline is accepted). */
int fault_policy_set(const char *name);
void fault_policy_init(void);	/* kernel_main: the fault_policy= boot argument */
static inline const char *fault_policy_name(void)
{
	return fault_policy_names[fault_policy_get()];
}

/* [policy] mmap: user faults skip the VMA lock. */
static inline bool fault_policy_use_vma_lock(void)
{
	return fault_policy_get() != FAULT_POLICY_MMAP;
}

/* [policy] hold: filemap_fault never drops the fault lock to wait for I/O. */
static inline bool fault_policy_hold(void)
{
	return fault_policy_get() == FAULT_POLICY_HOLD;
}

/* [policy] uptodate: an uptodate but locked folio is waited for (folio_lock)
 * holding the fault lock, instead of dropping it and retrying. */
static inline bool fault_policy_lock_uptodate(void)
{
	return fault_policy_get() == FAULT_POLICY_UPTODATE;
}

/*
 * May a handler drop the fault lock to sleep for I/O now? Linux's rule
 * (first try, ALLOW_RETRY, not RETRY_NOWAIT) unless the policy is hold.
 */
static inline bool fault_may_drop_lock(const struct vm_fault *vmf)
{
	return !fault_policy_hold() && fault_flag_allow_retry_first(vmf->flags) &&
	       !(vmf->flags & FAULT_FLAG_RETRY_NOWAIT);
}

/*
 * [policy] retry_vma: the bits a handler returns after it dropped the fault
 * lock *only to wait for I/O* (filemap_fault's out_retry with fpin): RETRY,
 * plus RETRY_VMA when running under the VMA lock with retry_vma, so the
 * fault loop retries under the VMA lock instead of taking mmap_lock.
 * RETRYs that need mmap_lock (vmf_anon_prepare) return plain VM_FAULT_RETRY.
 */
static inline vm_fault_t fault_retry_bits(const struct vm_fault *vmf)
{
	if (fault_policy_get() == FAULT_POLICY_RETRY_VMA && (vmf->flags & FAULT_FLAG_VMA_LOCK))
		return VM_FAULT_RETRY | VM_FAULT_RETRY_VMA;
	return VM_FAULT_RETRY;
}

#endif
