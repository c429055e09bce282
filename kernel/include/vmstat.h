/*
 * vmstat.h - virtual-memory event counters (kernel/mm/vmstat.c).
 *
 * Per-CPU, bumped with a relaxed atomic add on the counting CPU's row and
 * summed over all CPUs on read, so counting costs no shared cache line.
 * The same numbers reach user space through fl_vmstat (uapi/faultline/fl.h).
 */
#ifndef FAULTLINE_VMSTAT_H
#define FAULTLINE_VMSTAT_H

#include <types.h>
#include <cpu.h>

enum vm_event_item {
	PGFAULT,		/* user-mode faults handled by handle_mm_fault */
	PGFAULT_KERNEL,		/* kernel-mode faults on user addresses (uaccess) */
	ANON_FAULT,		/* do_anonymous_page mapped a fresh zeroed page */
	ZERO_PAGE_MAP,		/* a read fault mapped the shared zero page */
	COW_FAULT,		/* a write fault copied a page (do_wp_page, do_cow_fault) */
	COW_REUSE,		/* do_wp_page made an exclusively mapped page writable */
	FAULT_SEGV,		/* faults that ended in SIGSEGV */
	FAULT_SIGBUS,		/* faults that ended in SIGBUS */
	UACCESS_EFAULT,		/* copy_*_user and friends returned -EFAULT */
	OOM_KILL,		/* processes killed because a fault found no memory */
	PGSTEAL_DIRECT,		/* clean page-cache folios and buffers freed by a fault out of memory */
	/* page cache (kernel/mm/filemap.c, readahead.c, page-writeback.c) */
	PGMAJFAULT,		/* file faults that had to read (cache miss) */
	PGCACHE_HIT,		/* read(2)/fault lookups that found the folio uptodate */
	PGCACHE_MISS,		/* ... that did not (absent, or I/O still in flight) */
	PGFAULT_RETRY_READ,	/* filemap_fault dropped the fault lock to read the folio */
	PGFAULT_RETRY_LOCKED,	/* ... to wait for a folio locked by I/O in flight */
	PGFAULT_RETRY_SIGNAL,	/* ... a TRIED wait was cut short by a fatal signal */
	FILEMAP_REFETCH,	/* a retry found the folio gone after the I/O: read again */
	PGPGIN,			/* folios read from files (read_folio calls) */
	PGPGOUT,		/* folios written back */
	PGREADAHEAD,		/* folios read by readahead */
	/* issue 5: the fault loop and its locks (Linux's names where Linux has them) */
	FAULT_MAJOR,		/* completed faults accounted major: VM_FAULT_MAJOR or TRIED */
	FAULT_MINOR,		/* completed faults accounted minor */
	VMA_LOCK_SUCCESS,	/* user fault finished under the VMA lock (incl. access errors) */
	VMA_LOCK_ABORT,		/* lock_vma_under_rcu found no lockable VMA: mmap_lock instead */
	VMA_LOCK_RETRY,		/* handle_mm_fault under the VMA lock returned RETRY */
	VMA_LOCK_MISS,		/* lock_vma_under_rcu found a detached VMA and walked again */
	VMA_LOCK_RETRY_VMA,	/* retry_vma policy: a RETRY_VMA went back to the VMA lock */
	VMA_WRITE_WAIT,		/* vma_start_write/vma_mark_detached had to wait for readers */
	FAULT_RETRY,		/* handle_mm_fault results with VM_FAULT_RETRY (any lock) */
	FAULT_SIGNAL,		/* faults abandoned on RETRY because a signal was pending */
	FAULT_MMAP_USER,	/* user faults that entered the mmap_lock loop */
	FAULT_NOWAIT_REFUSED,	/* FAULT_FLAG_RETRY_NOWAIT with FAULT_FLAG_VMA_LOCK: SIGSEGV */
	MMAP_LOCK_READ,		/* mmap_lock read acquisitions (lock + successful trylock) */
	MMAP_LOCK_READ_FAULT,	/* ... of those, by the fault path's mmap_lock loop */
	MMAP_LOCK_WRITE,	/* mmap_lock write acquisitions */
	MMAP_LOCK_CONTENDED,	/* acquisitions (read or write) that had to sleep */
	MMAP_LOCK_WAIT_NS,	/* total time slept for them, ns */
	NR_VM_EVENT_ITEMS
};

extern unsigned long vm_event_states[NR_CPUS][NR_VM_EVENT_ITEMS];	/* [a] */
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

static inline void count_vm_event(enum vm_event_item item)
{
	__atomic_fetch_add(&vm_event_states[smp_processor_id()][item], 1, __ATOMIC_RELAXED);
}

static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	__atomic_fetch_add(&vm_event_states[smp_processor_id()][item], n, __ATOMIC_RELAXED);
}

unsigned long sum_vm_event(enum vm_event_item item);	/* over all CPUs */
void vmstat_dump(void);					/* printk every counter */

struct fl_vmstat;
struct mm_struct;
/* Fill the fl_vmstat syscall's record: system-wide counters, and mm's (may be NULL). */
void fill_fl_vmstat(struct fl_vmstat *out, struct mm_struct *mm);

#endif
