/*
 * main.c - from the architecture's early code to a running SMP kernel.
 *
 * Order matters: the allocators come first (everything else allocates),
 * then the interrupt controller, the scheduler on the boot CPU, its
 * timer, and only then the other CPUs. The first kernel thread, "init",
 * runs the in-kernel tests when the command line asks for them, and
 * otherwise starts the console monitor.
 */
#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <ktest.h>
#include <monitor.h>
#include <page_alloc.h>
#include <printk.h>
#include <sched.h>
#include <slab.h>
#include <smp.h>

struct cpu cpus[NR_CPUS];
unsigned int nr_cpus_possible;

static void run_ktests(void)
{
	char pattern[64] = "";
	int failed;

	cmdline_copy("ktest", pattern, sizeof(pattern));
	failed = ktest_run_all(pattern);
	arch_poweroff(failed ? 1 : 0);
}

static void kernel_init(void *unused)
{
	if (cmdline_has("ktest"))
		run_ktests();
	monitor_run();
	printk("init: monitor ended, powering off\n");
	arch_poweroff(0);
}

void kernel_main(struct boot_info *bi)
{
	uint64_t t0 = arch_time_ns();
	struct thread *init;

	cmdline_init(bi->cmdline);
	printk("Faultline (" ARCH_NAME ") booting, command line \"%s\"\n", cmdline_string());
	nr_cpus_possible = bi->nr_cpus ? bi->nr_cpus : 1;
	page_alloc_init(bi);
	slab_init();
	arch_irq_init();
	sched_init();
	arch_timer_init_cpu(HZ);
	smp_boot(bi);
	printk("boot: all CPUs online %llu us after kernel_main, %llu us after reset\n",
	       (unsigned long long)(arch_time_ns() - t0) / 1000,
	       (unsigned long long)arch_time_ns() / 1000);
	init = kthread_run(kernel_init, NULL, "init");
	if (!init)
		panic("cannot create the init thread (out of memory?)");
	thread_put(init);	/* it never exits; the scheduler keeps its own reference */
	cpu_idle();
}
