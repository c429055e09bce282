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
 *
 * /proc/sys/vm/drop_caches (write-only, Linux's): "1" evicts the clean,
 * unmapped, unused page cache and buffers (kernel/fs/drop_caches.c).
 *
 * /proc/sys/dev/blk/delay_us sets the artificial latency of every block
 * device (and of devices registered later); /proc/sys/dev/blk/NAME/delay_us
 * that of one device (docs/block.md). Microseconds, at most 10 s.
 */
#include "internal.h"
#include <vmstat.h>
#include <fault_policy.h>
#include <page_alloc.h>
#include <tlb.h>
#include <printk.h>
#include <string.h>
#include <blkdev.h>

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

static ssize_t write_drop_caches(const char *buf, size_t count, void *data)
{
	struct drop_caches_result res;

	(void)data;
	if (strcmp(buf, "1")) {
		printk("drop_caches: '%s' not supported: write 1 (the page cache; dentries and "
		       "inodes, 2 and 3 in Linux, are not reclaimable here)\n", buf);
		return -EINVAL;
	}
	drop_pagecache(&res);
	printk("drop_caches: 1: %lu folios and %lu buffers dropped\n", res.folios, res.buffers);
	return (ssize_t)count;
}

static const struct proc_ops drop_caches_ops = { .write = write_drop_caches };

/* A decimal number of microseconds, the whole string. 0 or -EINVAL. */
static int parse_delay_us(const char *buf, unsigned int *us)
{
	const char *end;
	unsigned long v;

	if (*buf < '0' || *buf > '9' || strlen(buf) > 10)	/* 10 digits: no wrap-around */
		return -EINVAL;
	v = strtoul(buf, &end, 10);
	if (*end || v > 0xffffffffUL)
		return -EINVAL;
	*us = (unsigned int)v;
	return 0;
}

static ssize_t delay_invalid(const char *buf)
{
	printk("blk: delay_us: '%s' is not a number of microseconds (0..10000000)\n", buf);
	return -EINVAL;
}

/* data: the block device, or NULL for all of them. */
static int show_blk_delay(struct seq_file *m, void *data)
{
	struct block_device *bdev = data;

	seq_printf(m, "%u\n", bdev ? READ_ONCE(bdev->delay_us) : blk_get_delay_default_us());
	return 0;
}

static ssize_t write_blk_delay(const char *buf, size_t count, void *data)
{
	struct block_device *bdev = data;
	unsigned int us;

	if (parse_delay_us(buf, &us))
		return delay_invalid(buf);
	if (bdev)
		blk_set_delay_us(bdev, us);
	else
		blk_set_delay_all_us(us);
	return (ssize_t)count;
}

static const struct proc_ops blk_delay_ops = {
	.show = show_blk_delay,
	.write = write_blk_delay,
};

/* /proc/sys/dev/blk/delay_us and one directory per device (all registered at boot). */
static void proc_blk_init(void)
{
	char path[64];

	if (!proc_mkdir("sys/dev") || !proc_mkdir("sys/dev/blk"))
		return;
	proc_create("sys/dev/blk/delay_us", 0644, &blk_delay_ops, NULL);
	for (struct block_device *b = blkdev_next(NULL); b; b = blkdev_next(b)) {
		snprintf(path, sizeof(path), "sys/dev/blk/%s", b->name);
		if (!proc_mkdir(path))
			continue;
		snprintf(path, sizeof(path), "sys/dev/blk/%s/delay_us", b->name);
		proc_create(path, 0644, &blk_delay_ops, b);
	}
}

void proc_sys_init(void)
{
	if (!proc_mkdir("sys") || !proc_mkdir("sys/vm"))
		return;
	proc_create("sys/vm/fault_policy", 0644, &fault_policy_ops, NULL);
	proc_create("sys/vm/drop_caches", 0200, &drop_caches_ops, NULL);
	proc_blk_init();
}
