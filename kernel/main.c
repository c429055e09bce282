/*
 * main.c - from the architecture's early code to a running SMP kernel.
 *
 * Order matters: the allocators come first (everything else allocates),
 * then the interrupt controller, the scheduler on the boot CPU, its
 * timer, and only then the other CPUs. The first kernel thread, "init",
 * unpacks the initramfs, then runs the in-kernel tests when the command
 * line asks for them ("ktest"), and otherwise starts the first user
 * process, init=PATH (default /bin/init), and powers off with its exit
 * status when it ends. Without that program it starts the console monitor.
 */
#include <rcupdate.h>
#include <fault_policy.h>
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
#include <string.h>
#include <task.h>
#include <uapi/faultline/fcntl.h>
#include <fs.h>
#include <blkdev.h>
#include <proc_fs.h>
#include <syscall.h>
#include <uapi/faultline/reboot.h>

struct cpu cpus[NR_CPUS];
unsigned int nr_cpus_possible;

static void run_ktests(void)
{
	char pattern[64] = "";
	int failed;

	cmdline_copy("ktest", pattern, sizeof(pattern));
	failed = ktest_run_all(pattern);
	vfs_shutdown();
	arch_poweroff(failed ? 1 : 0);
}

static bool program_exists(const char *path)
{
	struct file *f;

	if (vfs_open(path, O_RDONLY, 0, &f))
		return false;
	fput(f);
	return true;
}

/* Run pid 1 and power off with its exit status (a shell's $?: code or 128 + signal). */
static void run_init_process(const char *path)
{
	DECLARE_COMPLETION(done);
	int status = 0, code;

	if (start_init_process(path, &done, &status))
		panic("init: cannot create pid 1");
	wait_for_completion(&done);
	code = wstatus_to_shell(status);
	if (status & 0x7f)
		printk("init: pid 1 (%s) killed by signal %d, powering off\n", path, status & 0x7f);
	else
		printk("init: pid 1 (%s) exited with status %d, powering off\n", path, code);
	vfs_shutdown();
	arch_poweroff(code);
}

/*
 * reboot(2), LINUX_REBOOT_CMD_POWER_OFF: off at once, status 0, WITHOUT syncing or
 * unmounting (Linux's reboot(2) does not sync either): the disk keeps only what
 * fsync/sync/the flusher wrote and ext2 stays marked "not clean". The fsync
 * durability test (tools/test-arch.sh, fstests durability) pulls the plug this way.
 */
long sys_reboot(int magic1, int magic2, unsigned int cmd, void *arg)
{
	(void)arg;
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 || magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	if (cmd != LINUX_REBOOT_CMD_POWER_OFF)
		return -EINVAL;
	printk("reboot: power off requested by pid %d: no sync, no unmount (what was not "
	       "written is lost)\n", current_proc()->pid);
	arch_poweroff(0);
}

static void kernel_init(void *arg)
{
	struct boot_info *bi = arg;
	char path[128] = "/bin/init";

	pagecache_init();
	blk_init(bi);
	initramfs_init(bi);
	mount_root();
	proc_root_init();
	if (cmdline_has("ktest"))
		run_ktests();
	if (!cmdline_copy("init", path, sizeof(path)))
		strlcpy(path, "/bin/init", sizeof(path));
	if (program_exists(path))
		run_init_process(path);
	printk("init: no %s in the initramfs (make user builds the programs; init=PATH picks "
	       "another); starting the console monitor\n", path);
	monitor_run();
	printk("init: monitor ended, powering off\n");
	vfs_shutdown();
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
	rcu_init();
	fault_policy_init();
	init = kthread_run(kernel_init, bi, "init");
	if (!init)
		panic("cannot create the init thread (out of memory?)");
	thread_put(init);	/* it never exits; the scheduler keeps its own reference */
	cpu_idle();
}
