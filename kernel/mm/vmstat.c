/*
 * vmstat.c - the virtual-memory event counters and fl_vmstat.
 *
 * Theory of operation
 * -------------------
 * Every fault outcome bumps one counter in this CPU's row of
 * vm_event_states (a relaxed atomic add: a thread migrating between
 * reading its CPU number and adding still adds exactly once, only maybe to
 * the old CPU's row). Readers add up the rows; the sum is exact once the
 * counting has stopped and never goes backwards. Per-address-space
 * numbers (resident pages, faults) live in struct mm_struct as atomics.
 * fill_fl_vmstat() gathers both for the fl_vmstat system call.
 */
#include <vmstat.h>
#include <mmap.h>
#include <page_alloc.h>
#include <tlb.h>
#include <fault_policy.h>
#include <printk.h>
#include <string.h>
#include <uapi/faultline/fl.h>

unsigned long vm_event_states[NR_CPUS][NR_VM_EVENT_ITEMS];

const char *const vm_event_names[NR_VM_EVENT_ITEMS] = {
	[PGFAULT] = "pgfault",		[PGFAULT_KERNEL] = "pgfault_kernel",
	[ANON_FAULT] = "anon_fault",	[ZERO_PAGE_MAP] = "zero_page_map",
	[COW_FAULT] = "cow_fault",	[COW_REUSE] = "cow_reuse",
	[FAULT_SEGV] = "segv",		[FAULT_SIGBUS] = "sigbus",
	[UACCESS_EFAULT] = "efault",	[OOM_KILL] = "oom_kill",
	[PGSTEAL_DIRECT] = "pgsteal_direct",
	[PGMAJFAULT] = "pgmajfault",	[PGCACHE_HIT] = "pgcache_hit",
	[PGCACHE_MISS] = "pgcache_miss",
	[PGFAULT_RETRY_READ] = "pgfault_retry_read",
	[PGFAULT_RETRY_LOCKED] = "pgfault_retry_locked",
	[PGFAULT_RETRY_SIGNAL] = "pgfault_retry_signal",
	[FILEMAP_REFETCH] = "filemap_refetch",
	[PGPGIN] = "pgpgin",		[PGPGOUT] = "pgpgout",
	[PGREADAHEAD] = "pgreadahead",
	[FAULT_MAJOR] = "fault_major",
	[FAULT_MINOR] = "fault_minor",
	[VMA_LOCK_SUCCESS] = "vma_lock_success",	[VMA_LOCK_ABORT] = "vma_lock_abort",
	[VMA_LOCK_RETRY] = "vma_lock_retry",		[VMA_LOCK_MISS] = "vma_lock_miss",
	[VMA_LOCK_RETRY_VMA] = "vma_lock_retry_vma",	[VMA_WRITE_WAIT] = "vma_write_wait",
	[FAULT_RETRY] = "fault_retry",			[FAULT_SIGNAL] = "fault_signal",
	[FAULT_MMAP_USER] = "fault_mmap_user",		[FAULT_NOWAIT_REFUSED] = "fault_nowait_refused",
	[MMAP_LOCK_READ] = "mmap_lock_read",		[MMAP_LOCK_READ_FAULT] = "mmap_lock_read_fault",
	[MMAP_LOCK_WRITE] = "mmap_lock_write",		[MMAP_LOCK_CONTENDED] = "mmap_lock_contended",
	[MMAP_LOCK_WAIT_NS] = "mmap_lock_wait_ns",
};

unsigned long sum_vm_event(enum vm_event_item item)
{
	unsigned long sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		sum += __atomic_load_n(&vm_event_states[cpu][item], __ATOMIC_RELAXED);
	return sum;
}

void vmstat_dump(void)
{
	unsigned int i;

	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		printk("%-22s %lu\n", vm_event_names[i], sum_vm_event(i));
}

static void fill_self(struct fl_vmstat *out, struct mm_struct *mm)
{
	if (!mm)
		return;
	out->self_rss_anon = (uint64_t)atomic_long_read(&mm->rss[MM_ANONPAGES]);
	out->self_vm_pages = READ_ONCE(mm->total_vm);
	out->self_pgfault = (uint64_t)atomic_long_read(&mm->pgfault);
}

void fill_fl_vmstat(struct fl_vmstat *out, struct mm_struct *mm)
{
	struct tlb_stats tlb;

	memset(out, 0, sizeof(*out));
	tlb_get_stats(&tlb);
	out->page_size = PAGE_SIZE;
	out->pages_total = nr_total_pages();
	out->pages_free = nr_free_pages();
	out->pgfault = sum_vm_event(PGFAULT);
	out->pgfault_kernel = sum_vm_event(PGFAULT_KERNEL);
	out->anon_fault = sum_vm_event(ANON_FAULT);
	out->zero_page_map = sum_vm_event(ZERO_PAGE_MAP);
	out->cow_fault = sum_vm_event(COW_FAULT);
	out->cow_reuse = sum_vm_event(COW_REUSE);
	out->segv = sum_vm_event(FAULT_SEGV);
	out->sigbus = sum_vm_event(FAULT_SIGBUS);
	out->efault = sum_vm_event(UACCESS_EFAULT);
	out->tlb_shootdown = tlb.shootdowns_sent;
	out->oom_kill = sum_vm_event(OOM_KILL);
	out->pgmajfault = sum_vm_event(PGMAJFAULT);
	out->pgcache_hit = sum_vm_event(PGCACHE_HIT);
	out->pgcache_miss = sum_vm_event(PGCACHE_MISS);
	out->pgfault_retry_read = sum_vm_event(PGFAULT_RETRY_READ);
	out->pgfault_retry_locked = sum_vm_event(PGFAULT_RETRY_LOCKED);
	out->pgfault_retry_signal = sum_vm_event(PGFAULT_RETRY_SIGNAL);
	out->filemap_refetch = sum_vm_event(FILEMAP_REFETCH);
	out->pgpgin = sum_vm_event(PGPGIN);
	out->pgpgout = sum_vm_event(PGPGOUT);
	out->pgreadahead = sum_vm_event(PGREADAHEAD);
	out->fault_major = sum_vm_event(FAULT_MAJOR);
	out->fault_minor = sum_vm_event(FAULT_MINOR);
	out->vma_lock_success = sum_vm_event(VMA_LOCK_SUCCESS);
	out->vma_lock_abort = sum_vm_event(VMA_LOCK_ABORT);
	out->vma_lock_retry = sum_vm_event(VMA_LOCK_RETRY);
	out->vma_lock_miss = sum_vm_event(VMA_LOCK_MISS);
	out->vma_lock_retry_vma = sum_vm_event(VMA_LOCK_RETRY_VMA);
	out->vma_write_wait = sum_vm_event(VMA_WRITE_WAIT);
	out->fault_retry = sum_vm_event(FAULT_RETRY);
	out->fault_signal = sum_vm_event(FAULT_SIGNAL);
	out->fault_mmap_user = sum_vm_event(FAULT_MMAP_USER);
	out->mmap_lock_read = sum_vm_event(MMAP_LOCK_READ);
	out->mmap_lock_read_fault = sum_vm_event(MMAP_LOCK_READ_FAULT);
	out->mmap_lock_write = sum_vm_event(MMAP_LOCK_WRITE);
	out->mmap_lock_contended = sum_vm_event(MMAP_LOCK_CONTENDED);
	out->mmap_lock_wait_ns = sum_vm_event(MMAP_LOCK_WAIT_NS);
	out->fault_policy = fault_policy_get();
	fill_self(out, mm);
}
