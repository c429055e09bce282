/*
 * panic.c - stopping the machine with an explanation.
 *
 * The first CPU to panic stops all others (smp_send_stop), prints the
 * message, the trap frame if there is one, and a frame-pointer backtrace
 * (addresses; tools/symbolize turns them into function:line). Under
 * "ktest" the machine then powers off with a failure status so a test run
 * ends at once; otherwise the CPU halts so gdb can inspect the corpse.
 */
#include <printk.h>
#include <arch.h>
#include <boot.h>
#include <smp.h>

volatile int panic_in_progress;

#define BACKTRACE_MAX	32

static void print_backtrace(const struct pt_regs *regs)
{
	struct unwind u;
	int depth = 0;

	printk("Backtrace:\n");
	arch_unwind_start(&u, regs);
	do {
		printk("  [<%p>]\n", (void *)u.pc);
	} while (++depth < BACKTRACE_MAX && arch_unwind_next(&u));
}

void dump_stack(void)
{
	print_backtrace(NULL);
}

static void panic_begin(void)
{
	arch_irq_disable();
	if (__atomic_exchange_n(&panic_in_progress, 1, __ATOMIC_SEQ_CST))
		arch_halt();	/* someone else is already panicking */
	smp_send_stop();
}

static __noreturn void panic_end(void)
{
	printk("---[ end Kernel panic ]---\n");
	if (cmdline_has("ktest"))
		arch_poweroff(3);
	arch_halt();
}

static __noreturn void vpanic(const struct pt_regs *regs, const char *fmt, va_list ap)
{
	panic_begin();
	printk("Kernel panic: ");
	vprintk(fmt, ap);
	printk("\n");
	if (regs)
		arch_dump_regs(regs);
	print_backtrace(regs);
	panic_end();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(NULL, fmt, ap);
}

void panic_regs(const struct pt_regs *regs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(regs, fmt, ap);
}

void do_fatal_trap(struct pt_regs *regs, const char *what, uintptr_t addr)
{
	panic_regs(regs, "%s (address %p, pc %p)", what, (void *)addr,
		   (void *)arch_regs_pc(regs));
}
