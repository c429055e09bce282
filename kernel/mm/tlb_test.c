/*
 * tlb_test.c - the TLB shootdown, observed.
 *
 * Map page A at a KMAP address, let every CPU read it (so each caches the
 * translation), point the address at page B without telling anyone, then
 * flush_tlb_kernel_range(): every CPU must now read B. A CPU still seeing
 * A means its TLB kept the stale entry - the shootdown failed.
 */
#include <bitops.h>
#include <ktest.h>
#include <cpu.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <smp.h>
#include <string.h>
#include <tlb.h>
#include <vmap.h>

#define VAL_A	0xaaaaaaaa11111111ULL
#define VAL_B	0xbbbbbbbb22222222ULL

struct tlb_probe {
	const volatile uint64_t *va;
	uint64_t seen[NR_CPUS];		/* [per CPU] value each CPU read */
	unsigned long cpu_mask;		/* [a] CPUs that read */
};

static void probe_read(void *arg)
{
	struct tlb_probe *pr = arg;
	unsigned int cpu = smp_processor_id();

	pr->seen[cpu] = *pr->va;
	__atomic_fetch_or(&pr->cpu_mask, 1UL << cpu, __ATOMIC_RELEASE);
}

/* Every online CPU reads pr->va once; returns the mask of CPUs that did. */
static unsigned long probe_all(struct tlb_probe *pr)
{
	unsigned long flags;

	pr->cpu_mask = 0;
	memset(pr->seen, 0, sizeof(pr->seen));
	on_each_cpu(probe_read, pr, true);
	flags = arch_irq_save();		/* in case on_each_cpu skips the caller */
	if (!(pr->cpu_mask & (1UL << smp_processor_id())))
		probe_read(pr);
	arch_irq_restore(flags);
	return __atomic_load_n(&pr->cpu_mask, __ATOMIC_ACQUIRE);
}

static unsigned int count_seen(const struct tlb_probe *pr, unsigned long mask, uint64_t v)
{
	unsigned int i, n = 0;

	for (i = 0; i < NR_CPUS; i++)
		n += (mask & (1UL << i)) && pr->seen[i] == v;
	return n;
}

KTEST(tlb_shootdown_remap)
{
	struct page *a = alloc_pages(0), *b = alloc_pages(0);
	static struct tlb_probe pr;
	struct tlb_stats st0, st1;
	unsigned long mask;
	unsigned int ncpus, stale;
	uintptr_t va;

	KT_ASSERT(t, a && b);
	*(uint64_t *)page_address(a) = VAL_A;
	*(uint64_t *)page_address(b) = VAL_B;
	va = (uintptr_t)vmap(&a, 1, PAGE_KERNEL);
	KT_ASSERT(t, va != 0);
	pr.va = (const volatile uint64_t *)va;

	mask = probe_all(&pr);
	ncpus = hweight64(mask);
	KT_EXPECT_EQ(t, count_seen(&pr, mask, VAL_A), ncpus);	/* all cached A */

	/* Repoint va at B without any flush. */
	KT_ASSERT_EQ(t, unmap_kernel_page(va), 0);
	KT_ASSERT_EQ(t, map_kernel_page(va, page_to_phys(b), PAGE_KERNEL), 0);
	probe_all(&pr);
	stale = count_seen(&pr, mask, VAL_A);
	printk("tlb_shootdown_remap: before the flush %u of %u CPUs still read the old page\n",
	       stale, ncpus);

	tlb_get_stats(&st0);
	flush_tlb_kernel_range(va, va + PAGE_SIZE);
	tlb_get_stats(&st1);
	KT_EXPECT_EQ(t, probe_all(&pr), mask);
	KT_EXPECT_EQ(t, count_seen(&pr, mask, VAL_B), ncpus);	/* nobody sees A any more */
	if (ncpus > 1) {
		KT_EXPECT_EQ(t, st1.shootdowns_sent - st0.shootdowns_sent, 1);
		KT_EXPECT(t, st1.flushes_received - st0.flushes_received >= ncpus - 1);
	}
	printk("tlb: %lu shootdowns sent, %lu remote flushes, %lu flushes in all\n",
	       st1.shootdowns_sent, st1.flushes_received, st1.local_flushes);

	vunmap((void *)va);
	__free_pages(a, 0);
	__free_pages(b, 0);
}
