/*
 * irq.c - do_irq(): the generic half of every interrupt, and the device
 * handler table. do_fatal_trap() lives with panic() in kernel/lib/panic.c.
 */
#include <rcupdate.h>
#include <irq.h>
#include <sched.h>
#include <smp.h>
#include <printk.h>

/* Locking legend: [T] irq_table_lock for writers; readers load handler atomically */
struct irq_desc {
	irq_handler_t handler;		/* [T] published with a release store */
	void *arg;			/* [T] written before handler */
	unsigned long count;		/* [L] only the CPU handling it, IRQs off */
};

static struct irq_desc irq_table[NR_IRQS];
static DEFINE_SPINLOCK(irq_table_lock);
static unsigned int spurious_reports;	/* [a] */

int request_irq(unsigned int irq, irq_handler_t handler, void *arg)
{
	int rc = 0;

	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	spin_lock(&irq_table_lock);
	if (irq_table[irq].handler) {
		rc = -EBUSY;
	} else {
		irq_table[irq].arg = arg;
		__atomic_store_n(&irq_table[irq].handler, handler, __ATOMIC_RELEASE);
	}
	spin_unlock(&irq_table_lock);
	if (!rc)
		arch_irq_unmask(irq);
	return rc;
}

void free_irq(unsigned int irq)
{
	if (irq >= NR_IRQS)
		return;
	spin_lock(&irq_table_lock);
	__atomic_store_n(&irq_table[irq].handler, NULL, __ATOMIC_RELEASE);
	spin_unlock(&irq_table_lock);
}

bool in_irq(void)
{
	unsigned long f = arch_irq_save();
	bool r = this_cpu()->irq_depth > 0;

	arch_irq_restore(f);
	return r;
}

static void handle_device_irq(int irq)
{
	irq_handler_t h = NULL;

	if (irq >= 0 && irq < NR_IRQS)
		h = __atomic_load_n(&irq_table[irq].handler, __ATOMIC_ACQUIRE);
	if (!h) {
		if (__atomic_fetch_add(&spurious_reports, 1, __ATOMIC_RELAXED) < 10)
			printk("irq %d: no handler registered (spurious, or request_irq missing)\n",
			       irq);
		return;
	}
	irq_table[irq].count++;
	h(irq, irq_table[irq].arg);
}

static void handle_tick(struct cpu *c)
{
	if (c->id == 0)
		__atomic_add_fetch(&jiffies, 1, __ATOMIC_RELAXED);
	run_local_timers();
	rcu_sched_clock_irq();
	sched_tick();
}

void do_irq(struct pt_regs *regs, int irq)
{
	struct cpu *c = this_cpu();

	c->irq_depth++;
	if (irq == IRQ_TIMER)
		handle_tick(c);
	else if (irq == IRQ_IPI)
		handle_ipi();
	else
		handle_device_irq(irq);
	c->irq_depth--;
	if (c->irq_depth == 0)
		preempt_schedule_irq();		/* may switch threads; we return here later */
}
