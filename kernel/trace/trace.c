/*
 * trace.c - per-CPU rings of timestamped events, and /proc/trace.
 *
 * Theory of operation
 * -------------------
 * CPU c owns ring trace_cpus[c]: TRACE_ENTRIES slots and a head counter
 * that only c writes. __trace_event runs with IRQs off, so nothing on c can
 * interleave with it: it fills slot head % TRACE_ENTRIES, then publishes
 * head + 1 with a release store. A reader (any CPU, tracing on or off) loads
 * head with acquire, copies the last TRACE_ENTRIES slots, loads head again
 * and drops the slots that may have been overwritten meanwhile: it never
 * shows a torn event, and counts what the ring lost.
 *
 * The rings are allocated by the first trace_start (get_free_pages) and
 * never freed; trace_on is set after they are published, so __trace_event
 * only checks for a CPU that came online without one.
 *
 * Text (one line per event, per CPU in order; tools/trace2json merges them):
 *   # faultline-trace 1 cpus=4 lost=0
 *   # cpu ts_ns tid event a0 a1
 *   1 5234123456 7 fault_begin 0x40001000 0x15
 */
#include <trace.h>
#include <cpu.h>
#include <arch.h>
#include <sched.h>
#include <task.h>
#include <page_alloc.h>
#include <slab.h>
#include <string.h>
#include <printk.h>
#include <proc_fs.h>
#include <mutex.h>

#define TRACE_ENTRIES	2048		/* per CPU: 64 KiB */
#define TRACE_ORDER	4

struct trace_entry {
	uint64_t ts;			/* arch_time_ns() */
	uint32_t type;			/* enum trace_type */
	int32_t tid;			/* user thread id, 0 for kernel threads */
	uint64_t a0, a1;
};

/* Locking legend: [c] written only by CPU c, IRQs off; read by anyone
 * (acquire on head)  [X] trace_ctl_lock  */
struct trace_cpu {
	struct trace_entry *ents;	/* [X] set once; published before trace_on */
	uint64_t head;			/* [c] events ever written */
};

bool trace_on;				/* [a] */
static struct trace_cpu trace_cpus[NR_CPUS];
static DEFINE_MUTEX(trace_ctl_lock);

const char *const trace_type_names[NR_TRACE_TYPES] = {
	[TRACE_NONE] = "none",
	[TRACE_FAULT_BEGIN] = "fault_begin",
	[TRACE_FAULT_RETRY] = "fault_retry",
	[TRACE_FAULT_END] = "fault_end",
	[TRACE_MMAP_LOCK_CONTEND] = "mmap_lock_contend",
	[TRACE_MMAP_LOCK_ACQUIRE] = "mmap_lock_acquire",
	[TRACE_MMAP_LOCK_RELEASE] = "mmap_lock_release",
	[TRACE_VMA_LOCK_CONTEND] = "vma_lock_contend",
	[TRACE_VMA_LOCK_ACQUIRE] = "vma_lock_acquire",
	[TRACE_VMA_LOCK_RELEASE] = "vma_lock_release",
	[TRACE_IO_SUBMIT] = "io_submit",
	[TRACE_IO_COMPLETE] = "io_complete",
};

void __trace_event(enum trace_type type, uint64_t a0, uint64_t a1)
{
	unsigned long f = arch_irq_save();
	struct thread *t = current;
	struct trace_cpu *tc = &trace_cpus[smp_processor_id()];
	struct trace_entry *e;
	uint64_t head;

	if (tc->ents) {
		head = tc->head;
		e = &tc->ents[head % TRACE_ENTRIES];
		e->ts = arch_time_ns();
		e->type = type;
		e->tid = t && t->user ? t->user->tid : 0;
		e->a0 = a0;
		e->a1 = a1;
		__atomic_store_n(&tc->head, head + 1, __ATOMIC_RELEASE);
	}
	arch_irq_restore(f);
}

/* Locks: trace_ctl_lock. */
static int trace_alloc_rings(void)
{
	for (unsigned int c = 0; c < nr_cpus_possible; c++) {
		if (trace_cpus[c].ents)
			continue;
		trace_cpus[c].ents = get_free_pages(TRACE_ORDER);
		if (!trace_cpus[c].ents) {
			printk("trace: no memory for CPU %u's ring (%lu KiB); tracing stays off\n",
			       c, (PAGE_SIZE << TRACE_ORDER) >> 10);
			return -ENOMEM;
		}
	}
	return 0;
}

int trace_start(void)
{
	int err;

	mutex_lock(&trace_ctl_lock);
	err = trace_alloc_rings();
	if (!err)
		__atomic_store_n(&trace_on, true, __ATOMIC_RELEASE);
	mutex_unlock(&trace_ctl_lock);
	return err;
}

void trace_stop(void)
{
	__atomic_store_n(&trace_on, false, __ATOMIC_RELEASE);
}

int trace_clear(void)
{
	int err = 0;

	mutex_lock(&trace_ctl_lock);
	if (__atomic_load_n(&trace_on, __ATOMIC_RELAXED))
		err = -EBUSY;
	else
		for (unsigned int c = 0; c < NR_CPUS; c++)
			__atomic_store_n(&trace_cpus[c].head, 0, __ATOMIC_RELEASE);
	mutex_unlock(&trace_ctl_lock);
	return err;
}

/* ---- /proc/trace -------------------------------------------------------- */

static void show_entry(struct seq_file *m, unsigned int cpu, const struct trace_entry *e)
{
	const char *name = e->type < NR_TRACE_TYPES ? trace_type_names[e->type] : "?";

	seq_printf(m, "%u %llu %d %s 0x%llx 0x%llx\n", cpu, (unsigned long long)e->ts, e->tid,
		   name, (unsigned long long)e->a0, (unsigned long long)e->a1);
}

/* Copy CPU c's ring into snap; returns the events kept, *first their index,
 * *lost those overwritten before we could read them. */
static uint64_t snapshot_cpu(unsigned int c, struct trace_entry *snap, uint64_t *first,
			     uint64_t *lost)
{
	const struct trace_cpu *tc = &trace_cpus[c];
	uint64_t h1 = __atomic_load_n(&tc->head, __ATOMIC_ACQUIRE), h2, start, i;

	start = h1 > TRACE_ENTRIES ? h1 - TRACE_ENTRIES : 0;
	for (i = start; i < h1; i++)
		snap[i % TRACE_ENTRIES] = tc->ents[i % TRACE_ENTRIES];
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	h2 = __atomic_load_n(&tc->head, __ATOMIC_RELAXED);
	if (h2 > TRACE_ENTRIES && h2 - TRACE_ENTRIES > start)
		start = MIN(h1, h2 - TRACE_ENTRIES);	/* those slots were being rewritten */
	*first = start;
	*lost = start;
	return h1 - start;
}

static int show_trace(struct seq_file *m, void *data)
{
	struct trace_entry *snap;
	uint64_t first[NR_CPUS], n[NR_CPUS], lost = 0, l;
	unsigned int c, ncpu = nr_cpus_possible;

	(void)data;
	snap = kmalloc(sizeof(*snap) * TRACE_ENTRIES * ncpu);
	if (!snap)
		return -ENOMEM;
	for (c = 0; c < ncpu; c++) {
		n[c] = trace_cpus[c].ents ?
		       snapshot_cpu(c, snap + c * TRACE_ENTRIES, &first[c], &l) : 0;
		lost += trace_cpus[c].ents ? l : 0;
	}
	seq_printf(m, "# faultline-trace 1 cpus=%u lost=%llu on=%d\n", ncpu,
		   (unsigned long long)lost, __atomic_load_n(&trace_on, __ATOMIC_RELAXED));
	seq_puts(m, "# cpu ts_ns tid event a0 a1\n");
	for (c = 0; c < ncpu; c++)
		for (uint64_t i = 0; i < n[c]; i++)
			show_entry(m, c, &snap[c * TRACE_ENTRIES + (first[c] + i) % TRACE_ENTRIES]);
	kfree(snap);
	return 0;
}

static ssize_t write_trace(const char *buf, size_t count, void *data)
{
	(void)data;
	if (!strcmp(buf, "start") || !strcmp(buf, "1"))
		return trace_start() ?: (ssize_t)count;
	if (!strcmp(buf, "stop") || !strcmp(buf, "0")) {
		trace_stop();
		return (ssize_t)count;
	}
	if (!strcmp(buf, "clear"))
		return trace_clear() ?: (ssize_t)count;
	printk("trace: '%s' is not a command for /proc/trace: write start, stop or clear\n", buf);
	return -EINVAL;
}

static const struct proc_ops trace_ops = {
	.show = show_trace,
	.write = write_trace,
};

void trace_proc_init(void)
{
	proc_create("trace", 0644, &trace_ops, NULL);
}
