/*
 * uapi/faultline/fl.h - Faultline's own system calls: the fault counters and the process list.
 *
 * fl_vmstat(buf, size) copies min(size, sizeof(struct fl_vmstat)) bytes and returns that count,
 * so old programs keep working when fields are appended (append only, never reorder).
 * fl_proclist(buf, n) fills up to n entries (one per thread group) and returns how many.
 */
#ifndef _UAPI_FAULTLINE_FL_H
#define _UAPI_FAULTLINE_FL_H

#include "types.h"

struct fl_vmstat {
	/* Whole system, counted since boot. */
	__u64 page_size;
	__u64 pages_total;	/* usable RAM */
	__u64 pages_free;	/* in the page allocator now */
	__u64 pgfault;		/* user-mode page faults entering handle_mm_fault */
	__u64 pgfault_kernel;	/* faults on user addresses taken in copy_*_user and friends */
	__u64 anon_fault;	/* do_anonymous_page: a fresh zeroed page mapped */
	__u64 zero_page_map;	/* a read mapped the shared zero page */
	__u64 cow_fault;	/* do_wp_page copied a page */
	__u64 cow_reuse;	/* do_wp_page reused a page nobody else mapped */
	__u64 segv;		/* faults that ended in SIGSEGV */
	__u64 sigbus;		/* faults that ended in SIGBUS */
	__u64 efault;		/* kernel accesses that returned -EFAULT via the exception table */
	__u64 tlb_shootdown;	/* TLB shootdown requests sent to other CPUs */
	__u64 oom_kill;		/* processes killed because memory ran out */
	/* The calling process. */
	__u64 self_rss_anon;	/* anonymous pages mapped now */
	__u64 self_vm_pages;	/* pages covered by VMAs now */
	__u64 self_pgfault;	/* its page faults so far */
	/* Page cache (issue 4), whole system. */
	__u64 pgmajfault;	/* file faults that had to read (cache miss) */
	__u64 pgcache_hit;	/* read(2)/fault lookups that found the page uptodate */
	__u64 pgcache_miss;	/* ... that had to read it or wait for its I/O */
	__u64 pgfault_retry_read;	/* filemap_fault dropped the fault lock to read */
	__u64 pgfault_retry_locked;	/* ... to wait for a page locked by I/O in flight */
	__u64 pgfault_retry_signal;	/* ... a retried wait ended by a fatal signal */
	__u64 filemap_refetch;	/* the retry found the page gone after the I/O: read again */
	__u64 pgpgin;		/* pages read from files */
	__u64 pgpgout;		/* pages written back to files */
	__u64 pgreadahead;	/* pages read by readahead */
	/* Issue 5: the fault loop and its locks (names as in /proc/vmstat). */
	__u64 fault_major;		/* completed faults accounted major (MAJOR or TRIED) */
	__u64 fault_minor;
	__u64 vma_lock_success;
	__u64 vma_lock_abort;
	__u64 vma_lock_retry;
	__u64 vma_lock_miss;
	__u64 vma_lock_retry_vma;
	__u64 vma_write_wait;
	__u64 fault_retry;
	__u64 fault_signal;
	__u64 fault_mmap_user;		/* user faults that entered the mmap_lock loop */
	__u64 mmap_lock_read;
	__u64 mmap_lock_read_fault;
	__u64 mmap_lock_write;
	__u64 mmap_lock_contended;
	__u64 mmap_lock_wait_ns;
	__u64 fault_policy;		/* enum fault_policy: 0 mmap 1 vma 2 retry_vma 3 uptodate 4 hold */
};

#define FL_COMM_LEN 16

struct fl_procinfo {
	__s32 pid;
	__s32 ppid;
	__s32 nr_threads;
	char  state;		/* 'R' running/runnable, 'S' sleeping, 'Z' zombie */
	char  __pad[3];
	__u64 rss_pages;
	__u64 vm_pages;
	char  comm[FL_COMM_LEN];	/* basename of the executable, NUL-terminated */
};

#endif
