/*
 * trap.c - decode scause and hand interrupts and exceptions to kernel/.
 *
 * Interrupts are acknowledged here before do_irq() runs (do_irq may switch
 * threads and come back much later): the timer is re-armed, SSIP cleared,
 * and PLIC sources claimed and completed.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <printk.h>

static const char *const exception_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store/AMO address misaligned",
	[7] = "store/AMO access fault",
	[8] = "environment call from U-mode",
	[9] = "environment call from S-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store/AMO page fault",
};

static void handle_interrupt(struct pt_regs *regs, unsigned long code)
{
	switch (code) {
	case IRQ_S_TIMER:
		riscv_timer_interrupt();
		do_irq(regs, IRQ_TIMER);
		break;
	case IRQ_S_SOFT:
		csr_clear(sip, SIP_SSIP);
		do_irq(regs, IRQ_IPI);
		break;
	case IRQ_S_EXT:
		plic_handle_irq(regs);
		break;
	default:
		panic_regs(regs, "unexpected interrupt cause %lu on hart %lu", code,
			   this_cpu()->arch.hartid);
	}
}

static void handle_exception(struct pt_regs *regs, unsigned long code)
{
	const char *what = NULL;

	if (code < ARRAY_SIZE(exception_names))
		what = exception_names[code];
	do_fatal_trap(regs, what ? what : "unknown exception", regs->badaddr);
}

/* Called by trap_entry with IRQs off and the frame on this thread's stack. */
void riscv_trap(struct pt_regs *regs)
{
	unsigned long cause = regs->cause;

	if (cause & CAUSE_IRQ_FLAG)
		handle_interrupt(regs, cause & ~CAUSE_IRQ_FLAG);
	else
		handle_exception(regs, cause);
}

void riscv_kthread_returned(void)
{
	panic("a kernel thread's entry function returned (threads must exit through the scheduler)");
}
