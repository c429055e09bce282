/*
 * tlb.h - keeping every CPU's TLB coherent with the kernel's page tables.
 *
 * After a kernel mapping is changed or removed, CPUs may still hold the
 * old translation. flush_tlb_kernel_range() drops it here and, through a
 * cross-CPU call (an IPI), on every other online CPU, and returns only
 * when all of them are done - a "TLB shootdown".
 */
#ifndef FAULTLINE_TLB_H
#define FAULTLINE_TLB_H

#include <types.h>

/* Flush [start, end) from every CPU's TLB and wait for them.
 * Sleeps: no, but spins until every CPU has run the flush, so it must be
 * called with IRQs on when other CPUs are online (panics otherwise). */
void flush_tlb_kernel_range(uintptr_t start, uintptr_t end);

/* Flush [start, end) of a user mm from every CPU that has it loaded
 * (mm->cpu_mask) and wait for them. Sleeps: no, but spins on IPIs, so IRQs
 * must be on when other CPUs are in the mask; sleeping locks may be held.
 * Declared in <mmap.h> too. */
struct mm_struct;
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/* Counters, summed over CPUs: shootdowns this kernel started, and remote
 * flushes CPUs performed on request. */
struct tlb_stats {
	unsigned long shootdowns_sent;	/* flush_tlb_kernel_range() calls that sent IPIs */
	unsigned long flushes_received;	/* flushes run on behalf of another CPU */
	unsigned long local_flushes;	/* every flush, local ones included */
};
void tlb_get_stats(struct tlb_stats *st);

#endif
