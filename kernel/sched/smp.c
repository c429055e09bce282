/*
 * smp.c - secondary CPU bring-up, IPIs, cross-CPU function calls, stop.
 *
 * Cross calls use a fixed pool of call_single_data, one per (sender,
 * target) pair: the sender (preemption off, so it stays the sender) waits
 * until its previous call to that target has finished, fills the slot,
 * queues it on the target under the target's call_lock and raises the IPI.
 * The target runs queued calls from do_irq(IRQ_IPI) and clears busy.
 */
#include <smp.h>
#include <sched.h>
#include <boot.h>
#include <page_alloc.h>
#include <printk.h>
#include "sched_internal.h"

static struct call_single_data csd_pool[NR_CPUS][NR_CPUS];	/* [sender][target] */
static struct lock_class_key call_lock_key;

void calls_init_cpu(struct cpu *c)
{
	__spin_lock_init(&c->sched.call_lock, "call_lock", &call_lock_key);
	INIT_LIST_HEAD(&c->sched.call_queue);
}

/* ---- bring-up ------------------------------------------------------------------ */
static bool wait_online(unsigned int cpu)
{
	uint64_t t0 = arch_time_ns();

	while (!cpu_online(cpu)) {
		if (arch_time_ns() - t0 > SMP_CPU_TIMEOUT_NS)
			return false;
		arch_cpu_relax();
	}
	return true;
}

static void start_cpu(unsigned int cpu, uint64_t hwid)
{
	void *stack = get_free_pages(THREAD_STACK_ORDER);
	int rc;

	cpus[cpu].id = cpu;
	cpus[cpu].hwid = hwid;
	if (!stack) {
		printk("smp: no memory for cpu%u's stack; continuing without it\n", cpu);
		return;
	}
	idle_stacks[cpu] = stack;
	rc = arch_cpu_start(cpu, hwid, (char *)stack + THREAD_STACK_SIZE);
	if (rc) {
		printk("smp: cpu%u (hwid 0x%llx) failed to start (error %d); continuing "
		       "without it\n", cpu, (unsigned long long)hwid, rc);
		idle_stacks[cpu] = NULL;
		free_pages(stack, THREAD_STACK_ORDER);
		return;
	}
	if (!wait_online(cpu))
		printk("smp: cpu%u (hwid 0x%llx) did not come online within %llu s; continuing "
		       "without it. Check the CPU start method for this machine "
		       "(docs/boot-" ARCH_NAME ".md)\n", cpu, (unsigned long long)hwid,
		       (unsigned long long)(SMP_CPU_TIMEOUT_NS / 1000000000ULL));
}

void smp_boot(struct boot_info *bi)
{
	unsigned int n = MIN(bi->nr_cpus, (unsigned int)NR_CPUS);

	cpus[0].hwid = bi->cpu_hwid[0];
	for (unsigned int i = 1; i < n; i++)
		start_cpu(i, bi->cpu_hwid[i]);
	printk(PRINTK_RAW "smp: %u CPUs online\n", num_online_cpus());
}

void secondary_main(unsigned int cpu)
{
	sched_init_cpu(cpu);
	arch_timer_init_cpu(HZ);
	__atomic_store_n(&cpus[cpu].online, true, __ATOMIC_RELEASE);
	cpu_idle();
}

/* ---- IPIs ----------------------------------------------------------------------- */
static void send_ipi(unsigned int cpu, uint32_t why)
{
	__atomic_fetch_or(&cpus[cpu].sched.ipi_pending, why, __ATOMIC_SEQ_CST);
	arch_send_ipi(cpu);
}

void smp_send_reschedule(unsigned int cpu)
{
	send_ipi(cpu, IPI_RESCHEDULE);
}

static void csd_wait(struct call_single_data *csd)
{
	while (__atomic_load_n(&csd->busy, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

/* Locks: none; preemption off (we stay the sender of this slot). */
static void queue_call(unsigned int me, unsigned int cpu, smp_call_func_t fn, void *arg)
{
	struct call_single_data *csd = &csd_pool[me][cpu];
	struct cpu_sched *t = &cpus[cpu].sched;

	csd_wait(csd);
	csd->func = fn;
	csd->arg = arg;
	__atomic_store_n(&csd->busy, 1, __ATOMIC_RELAXED);
	spin_lock(&t->call_lock);
	list_add_tail(&csd->node, &t->call_queue);
	spin_unlock(&t->call_lock);
	send_ipi(cpu, IPI_CALL_FUNC);
}

static void run_here(smp_call_func_t fn, void *arg)
{
	unsigned long f = arch_irq_save();

	fn(arg);
	arch_irq_restore(f);
}

static void warn_irqs_off(bool wait, uintptr_t caller)
{
	if (wait && !arch_irqs_enabled())
		printk("smp: waiting cross call with IRQs off may deadlock; called from 0x%lx\n",
		       (unsigned long)caller);
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *arg, bool wait)
{
	unsigned int me;

	if (!cpu_online(cpu))
		return -ENODEV;
	warn_irqs_off(wait, _RET_IP_);
	preempt_disable();
	me = smp_processor_id();
	if (cpu == me) {
		run_here(fn, arg);
	} else {
		queue_call(me, cpu, fn, arg);
		if (wait)
			csd_wait(&csd_pool[me][cpu]);
	}
	preempt_enable();
	return 0;
}

void on_each_cpu(smp_call_func_t fn, void *arg, bool wait)
{
	unsigned int me, i;

	warn_irqs_off(wait, _RET_IP_);
	preempt_disable();
	me = smp_processor_id();
	for_each_online_cpu(i)
		if (i != me)
			queue_call(me, i, fn, arg);
	run_here(fn, arg);
	if (wait)
		for_each_online_cpu(i)
			if (i != me)
				csd_wait(&csd_pool[me][i]);
	preempt_enable();
}

static void run_call_queue(struct cpu_sched *s)
{
	for (;;) {
		struct call_single_data *csd;
		smp_call_func_t fn;
		void *arg;

		spin_lock(&s->call_lock);
		if (list_empty(&s->call_queue)) {
			spin_unlock(&s->call_lock);
			return;
		}
		csd = list_first_entry(&s->call_queue, struct call_single_data, node);
		list_del(&csd->node);
		spin_unlock(&s->call_lock);
		fn = csd->func;
		arg = csd->arg;
		fn(arg);
		__atomic_store_n(&csd->busy, 0, __ATOMIC_RELEASE);
	}
}

static void __noreturn stop_this_cpu(struct cpu *c)
{
	__atomic_store_n(&c->online, false, __ATOMIC_RELEASE);
	arch_halt();
}

/* do_irq(IRQ_IPI). IRQs off. */
void handle_ipi(void)
{
	struct cpu *c = this_cpu();
	uint32_t why = __atomic_exchange_n(&c->sched.ipi_pending, 0, __ATOMIC_SEQ_CST);

	c->sched.nr_ipis++;
	if (why & IPI_STOP)
		stop_this_cpu(c);
	if (why & IPI_CALL_FUNC)
		run_call_queue(&c->sched);
	if (why & IPI_RESCHEDULE)
		__atomic_store_n(&c->sched.need_resched, true, __ATOMIC_RELAXED);
}

static bool others_online(unsigned int me)
{
	unsigned int i;

	for_each_online_cpu(i)
		if (i != me)
			return true;
	return false;
}

void smp_send_stop(void)
{
	unsigned long f = arch_irq_save();
	unsigned int me = smp_processor_id(), i;
	uint64_t t0 = arch_time_ns();

	for_each_online_cpu(i)
		if (i != me)
			send_ipi(i, IPI_STOP);
	while (others_online(me) && arch_time_ns() - t0 < 1000000000ULL)
		arch_cpu_relax();
	arch_irq_restore(f);
}
