/*
 * fault.h - the page-fault vocabulary, with Linux's names and values
 * (see docs/fault-path.md and shared/reference/linux-fault-protocol.md §1).
 */
#ifndef FAULTLINE_FAULT_H
#define FAULTLINE_FAULT_H

#include <types.h>

/* enum fault_flag: what kind of fault, and what the handler may do. */
#define FAULT_FLAG_WRITE		(1u << 0)	/* write access */
#define FAULT_FLAG_MKWRITE		(1u << 1)	/* internal: make an existing PTE writable */
#define FAULT_FLAG_ALLOW_RETRY		(1u << 2)	/* handler may drop the fault lock and return RETRY */
#define FAULT_FLAG_RETRY_NOWAIT		(1u << 3)	/* return RETRY without dropping the lock (never with VMA_LOCK) */
#define FAULT_FLAG_KILLABLE		(1u << 4)	/* sleeps may be cut short by fatal signals */
#define FAULT_FLAG_TRIED		(1u << 5)	/* not the first attempt: wait holding the lock */
#define FAULT_FLAG_USER			(1u << 6)	/* the access came from user mode */
#define FAULT_FLAG_REMOTE		(1u << 7)	/* not for current->mm */
#define FAULT_FLAG_INSTRUCTION		(1u << 8)	/* instruction fetch */
#define FAULT_FLAG_INTERRUPTIBLE	(1u << 9)	/* any signal may interrupt sleeps */
#define FAULT_FLAG_UNSHARE		(1u << 10)	/* break COW without writing */
#define FAULT_FLAG_ORIG_PTE_VALID	(1u << 11)	/* internal: vmf->orig_pte was sampled */
#define FAULT_FLAG_VMA_LOCK		(1u << 12)	/* running under the per-VMA read lock only */
#define FAULT_FLAG_DEFAULT (FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE | FAULT_FLAG_INTERRUPTIBLE)

/* enum vm_fault_reason: what handle_mm_fault() returns. */
typedef unsigned int vm_fault_t;
#define VM_FAULT_OOM		0x000001u
#define VM_FAULT_SIGBUS		0x000002u
#define VM_FAULT_MAJOR		0x000004u
#define VM_FAULT_HWPOISON	0x000010u
#define VM_FAULT_SIGSEGV	0x000040u
#define VM_FAULT_NOPAGE		0x000100u	/* PTE already installed (or raced): success */
#define VM_FAULT_LOCKED		0x000200u	/* ->fault returned the page locked */
#define VM_FAULT_RETRY		0x000400u	/* fault lock already released; retry */
#define VM_FAULT_FALLBACK	0x000800u
#define VM_FAULT_DONE_COW	0x001000u
#define VM_FAULT_NEEDDSYNC	0x002000u
#define VM_FAULT_COMPLETED	0x004000u	/* done, and the fault lock was released */
/* Not in mainline (thread (e), DESIGN.md §4 retry_vma): with RETRY, "the lock was
 * dropped only to wait for I/O; retrying under the VMA lock is fine". The RFC used
 * 0x000800 and shifted FALLBACK..COMPLETED up; we keep Linux's values and use the
 * free bit 0x008000 (the never-merged VM_FAULT_VMA_UNLOCKED's). */
#define VM_FAULT_RETRY_VMA	0x008000u
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | \
			VM_FAULT_HWPOISON | VM_FAULT_FALLBACK)

/* First try of a fault that may drop its lock ("polite" lock dropping for I/O is
 * only allowed then; on TRIED attempts handlers wait holding the lock). */
static inline bool fault_flag_allow_retry_first(unsigned int flags)
{
	return (flags & FAULT_FLAG_ALLOW_RETRY) && !(flags & FAULT_FLAG_TRIED);
}

#endif
