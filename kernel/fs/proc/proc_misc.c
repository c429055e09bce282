/*
 * proc_misc.c - /proc/vmstat and /proc/sys.
 *
 * /proc/vmstat is Linux's "name value" list: nr_free_pages, then every event
 * counter of kernel/mm/vmstat.c under its name (vm_event_names: Linux's where
 * Linux has one - pgfault, pgmajfault, oom_kill, vma_lock_*), then
 * nr_tlb_remote_flush (Linux's name, CONFIG_DEBUG_TLBFLUSH). New counters in
 * <vmstat.h> appear here without a change.
 *
 * /proc/sys/vm/fault_policy shows the fault-handling policy (DESIGN.md §4).
 * Reading gives fault_policy_name(); writing calls fault_policy_set() (mmap,
 * vma, retry_vma, uptodate, hold), anything else is -EINVAL with a message.
 */
#include "internal.h"
#include <vmstat.h>
#include <fault_policy.h>
#include <page_alloc.h>
#include <tlb.h>
#include <printk.h>
#include <string.h>

static int show_vmstat(struct seq_file *m, void *data)
{
	struct tlb_stats tlb;

	(void)data;
	seq_printf(m, "nr_free_pages %lu\n", nr_free_pages());
	for (unsigned int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", vm_event_names[i], sum_vm_event(i));
	tlb_get_stats(&tlb);
	seq_printf(m, "nr_tlb_remote_flush %lu\n", (unsigned long)tlb.shootdowns_sent);
	return 0;
}

static const struct proc_ops vmstat_ops = { .show = show_vmstat };

void proc_vmstat_init(void)
{
	proc_create("vmstat", 0444, &vmstat_ops, NULL);
}

static int show_fault_policy(struct seq_file *m, void *data)
{
	(void)data;
	seq_printf(m, "%s\n", fault_policy_name());
	return 0;
}

static ssize_t write_fault_policy(const char *buf, size_t count, void *data)
{
	(void)data;
	if (!fault_policy_set(buf))
		return (ssize_t)count;
	printk("fault_policy: unknown policy '%s' (mmap, vma, retry_vma, uptodate, hold)\n", buf);
	return -EINVAL;
}

static const struct proc_ops fault_policy_ops = {
	.show = show_fault_policy,
	.write = write_fault_policy,
};

void proc_sys_init(void)
{
	if (!proc_mkdir("sys") || !proc_mkdir("sys/vm"))
		return;
	proc_create("sys/vm/fault_policy", 0644, &fault_policy_ops, NULL);
}
