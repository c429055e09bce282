/*
 * tlb.c - TLB shootdown for kernel mappings.
 *
 * Theory of operation
 * -------------------
 * Each CPU caches translations in its TLB, and no architecture we support
 * keeps those caches coherent with the page tables by itself (arm64 has
 * broadcast TLBI instructions, but we use the same scheme everywhere so
 * it can be watched). After changing a kernel mapping, the CPU that
 * changed it:
 *
 *   1. flushes the range from its own TLB,
 *   2. asks every other online CPU, with a cross-CPU function call
 *      (on_each_cpu, an IPI), to flush the range from theirs,
 *   3. waits until all of them report done.
 *
 * Only then may the old physical page be reused or the virtual range be
 * handed out again. Waiting with interrupts off would deadlock if two
 * CPUs shot each other down at once, so the caller must have them on.
 *
 * Ranges above TLB_FLUSH_ALL_PAGES pages flush the whole TLB instead of
 * page by page.
 *
 * User address spaces (flush_tlb_mm_range) only need the CPUs that have
 * the mm loaded: mm->cpu_mask, maintained by switch_mm(). A CPU sets its
 * bit (seq-cst) before it loads the mm's root, and the flusher changes the
 * PTE before it reads the mask (full barrier), so either the flusher sees
 * the bit and IPIs that CPU, or that CPU's first walk already sees the new
 * PTE. switch_mm clears the bit after loading another root; arch_switch_mm
 * leaves no translation of the previous user root behind, so a CPU without
 * the bit has nothing stale. Counters (per CPU, summed by tlb_get_stats) show how many
 * shootdowns were sent and how many remote flushes ran.
 */
#include <tlb.h>
#include <arch.h>
#include <cpu.h>
#include <printk.h>
#include <smp.h>
#include <mm_types.h>

#define TLB_FLUSH_ALL_PAGES	32

struct flush_req {
	uintptr_t start, end;
	unsigned int from_cpu;
};

/* Per-CPU counters, written only by their CPU with atomic adds. [a] */
static struct {
	unsigned long sent, received, local;
} tlb_counters[NR_CPUS];

static void flush_local(uintptr_t start, uintptr_t end)
{
	uintptr_t va;

	if ((end - start) >> PAGE_SHIFT > TLB_FLUSH_ALL_PAGES) {
		arch_flush_tlb_all_local();
	} else {
		for (va = ALIGN_DOWN(start, PAGE_SIZE); va < end; va += PAGE_SIZE)
			arch_flush_tlb_page_local(va);
	}
	__atomic_fetch_add(&tlb_counters[smp_processor_id()].local, 1, __ATOMIC_RELAXED);
}

/* Runs on every CPU from the cross-CPU call, IRQs off. */
static void flush_ipi(void *arg)
{
	const struct flush_req *req = arg;
	unsigned int me = smp_processor_id();

	if (me == req->from_cpu)
		return;			/* the initiator flushed itself already */
	flush_local(req->start, req->end);
	__atomic_fetch_add(&tlb_counters[me].received, 1, __ATOMIC_RELAXED);
}

static unsigned int cpus_online(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < nr_cpus_possible && i < NR_CPUS; i++)
		n += READ_ONCE(cpus[i].online);
	return n;
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	struct flush_req req = { start, end, 0 };
	unsigned long flags;

	if (start >= end)
		return;
	flags = arch_irq_save();	/* stay on this CPU while flushing it */
	req.from_cpu = smp_processor_id();
	flush_local(start, end);
	arch_irq_restore(flags);
	if (cpus_online() <= 1)
		return;
	if (!arch_irqs_enabled())
		panic("flush_tlb_kernel_range(0x%lx-0x%lx) with IRQs off while other CPUs are "
		      "online: it would deadlock waiting for them; call it with IRQs on",
		      (unsigned long)start, (unsigned long)end);
	__atomic_fetch_add(&tlb_counters[req.from_cpu].sent, 1, __ATOMIC_RELAXED);
	on_each_cpu(flush_ipi, &req, true);
}

void tlb_get_stats(struct tlb_stats *st)
{
	unsigned int i;

	st->shootdowns_sent = st->flushes_received = st->local_flushes = 0;
	for (i = 0; i < NR_CPUS; i++) {
		st->shootdowns_sent += __atomic_load_n(&tlb_counters[i].sent, __ATOMIC_RELAXED);
		st->flushes_received += __atomic_load_n(&tlb_counters[i].received, __ATOMIC_RELAXED);
		st->local_flushes += __atomic_load_n(&tlb_counters[i].local, __ATOMIC_RELAXED);
	}
}

/* ---- user address spaces ---------------------------------------------------- */

struct mm_flush_req {
	uintptr_t start, end;
};

/* On a CPU that has (or had, lazily) the mm loaded; IRQs off. */
static void flush_mm_ipi(void *arg)
{
	const struct mm_flush_req *req = arg;

	flush_local(req->start, req->end);
	__atomic_fetch_add(&tlb_counters[smp_processor_id()].received, 1, __ATOMIC_RELAXED);
}

static void flush_mm_remote(unsigned long mask, struct mm_flush_req *req)
{
	unsigned int cpu;
	bool sent = false;

	if (!arch_irqs_enabled())
		panic("flush_tlb_mm_range with IRQs off while other CPUs (mask 0x%lx) have the mm "
		      "loaded: it would deadlock waiting for them; drop spinlocks first", mask);
	for (cpu = 0; cpu < NR_CPUS; cpu++) {
		if (!(mask & (1UL << cpu)) || !cpu_online(cpu))
			continue;
		/* If we migrated onto cpu meanwhile, this runs the flush directly. */
		smp_call_function_single(cpu, flush_mm_ipi, req, true);
		sent = true;
	}
	if (sent)
		__atomic_fetch_add(&tlb_counters[smp_processor_id()].sent, 1, __ATOMIC_RELAXED);
}

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct mm_flush_req req = { start, end };
	unsigned long flags, mask;
	unsigned int me;

	if (start >= end)
		return;
	smp_mb();		/* PTE stores before reading the mask (see the top of the file) */
	flags = arch_irq_save();
	me = smp_processor_id();
	mask = __atomic_load_n(&mm->cpu_mask, __ATOMIC_SEQ_CST);
	if (mask & (1UL << me))
		flush_local(start, end);
	arch_irq_restore(flags);
	mask &= ~(1UL << me);
	if (mask)
		flush_mm_remote(mask, &req);
}
