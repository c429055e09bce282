/*
 * trace.h - the event trace: per-CPU rings of timestamped events
 * (kernel/trace/trace.c), read as text from /proc/trace.
 *
 *   trace_event(TRACE_FAULT_BEGIN, addr, flags);
 *
 * costs one relaxed load while tracing is off; while on, it writes 32 bytes
 * into this CPU's ring with IRQs off for a moment: no lock, no shared cache
 * line, safe from any context (IRQ handlers, under spinlocks, in the
 * scheduler). When a ring is full the oldest events are overwritten (a
 * flight recorder); the reader says how many were lost.
 *
 * Control: write "start", "stop" or "clear" to /proc/trace (user/bin/trace
 * does it); read it for the text (docs/fault-path.md, tools/trace2json).
 */
#ifndef FAULTLINE_TRACE_H
#define FAULTLINE_TRACE_H

#include <types.h>

/* Event types and what a0/a1 hold. Names (trace_type_names) are the text's. */
enum trace_type {
	TRACE_NONE,
	TRACE_FAULT_BEGIN,		/* address, FAULT_FLAG_* */
	TRACE_FAULT_RETRY,		/* address, reason | vm_fault_t << 8 (TRACE_RETRY_*) */
	TRACE_FAULT_END,		/* address, vm_fault_t of the last attempt (0: mapped) */
	TRACE_MMAP_LOCK_CONTEND,	/* mm, TRACE_LOCK_READ/WRITE: about to sleep for it */
	TRACE_MMAP_LOCK_ACQUIRE,	/* mm, mode */
	TRACE_MMAP_LOCK_RELEASE,	/* mm, mode */
	TRACE_VMA_LOCK_CONTEND,		/* vma, mode: a reader gave up / a writer waits */
	TRACE_VMA_LOCK_ACQUIRE,		/* vma, mode */
	TRACE_VMA_LOCK_RELEASE,		/* vma, mode */
	TRACE_IO_SUBMIT,		/* sector, op << 32 | bytes */
	TRACE_IO_COMPLETE,		/* sector, status (0 or -errno) */
	NR_TRACE_TYPES
};

enum { TRACE_LOCK_READ, TRACE_LOCK_WRITE };

/* TRACE_FAULT_RETRY reasons (low byte of a1). */
enum {
	TRACE_RETRY_HANDLER = 1,	/* ->fault dropped the lock and returned VM_FAULT_RETRY */
	TRACE_RETRY_VMA_LOCK = 2,	/* the per-VMA-lock attempt failed: on to mmap_lock */
};

extern const char *const trace_type_names[NR_TRACE_TYPES];
extern bool trace_on;		/* [a] */

void __trace_event(enum trace_type type, uint64_t a0, uint64_t a1);

static inline void trace_event(enum trace_type type, uint64_t a0, uint64_t a1)
{
	if (__builtin_expect(__atomic_load_n(&trace_on, __ATOMIC_RELAXED), 0))
		__trace_event(type, a0, a1);
}

/* Start (allocating the rings on first use: 0 or -ENOMEM), stop, and empty
 * the rings (-EBUSY while tracing). Sleeps: trace_start may. */
int trace_start(void);
void trace_stop(void);
int trace_clear(void);

/* /proc/trace; called by proc_root_init. */
void trace_proc_init(void);

#endif
