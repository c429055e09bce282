/*
 * trap.c - decode scause and hand interrupts and exceptions to kernel/.
 *
 * Interrupts are acknowledged here before do_irq() runs (do_irq may switch
 * threads and come back much later): the timer is re-armed, SSIP cleared,
 * and PLIC sources claimed and completed.
 *
 * Exceptions from user mode: ecall (scause 8) -> do_syscall(), page faults
 * (12/13/15) -> do_page_fault() with FAULT_FLAG_USER, the rest ->
 * do_user_trap() with Linux's signal and code. From kernel mode only a page
 * fault on a user address inside a uaccess routine is expected; every other
 * exception is fatal. The way back to user mode (exit_to_user_mode) is in
 * entry.S, common to all of them and to interrupts.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <fault.h>
#include <printk.h>
#include <uapi/faultline/signal.h>

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

/* Linux's si_code values the uapi header does not list (yet). */
#define ILL_ILLOPC	1	/* illegal opcode */
#define ILL_ILLTRP	4	/* illegal trap */
#define TRAP_BRKPT	1	/* breakpoint */

static const char *exception_name(unsigned long code)
{
	const char *what = code < ARRAY_SIZE(exception_names) ? exception_names[code] : NULL;

	return what ? what : "unknown exception";
}

/* IRQs back on inside the handler if the trapped context had them on. */
static void irq_enable_as_interrupted(const struct pt_regs *regs)
{
	if (regs->status & SR_SPIE)
		arch_irq_enable();
}

static bool is_page_fault(unsigned long code)
{
	return code == EXC_INST_PAGE_FAULT || code == EXC_LOAD_PAGE_FAULT ||
	       code == EXC_STORE_PAGE_FAULT;
}

static unsigned int fault_flags(unsigned long code)
{
	if (code == EXC_STORE_PAGE_FAULT)
		return FAULT_FLAG_WRITE;
	if (code == EXC_INST_PAGE_FAULT)
		return FAULT_FLAG_INSTRUCTION;
	return 0;
}

/* Everything but ecall and page faults from user mode: the signal Linux sends. */
static void user_trap(struct pt_regs *regs, unsigned long code)
{
	irq_enable_as_interrupted(regs);
	switch (code) {
	case EXC_ILLEGAL_INST:
		do_user_trap(regs, SIGILL, ILL_ILLOPC, regs->epc);
		break;
	case EXC_BREAKPOINT:
		do_user_trap(regs, SIGTRAP, TRAP_BRKPT, regs->epc);
		break;
	case EXC_INST_MISALIGNED:
	case EXC_LOAD_MISALIGNED:
	case EXC_STORE_MISALIGNED:
		do_user_trap(regs, SIGBUS, BUS_ADRALN, regs->badaddr);
		break;
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:		/* PMP said no: nothing user space may touch */
		do_user_trap(regs, SIGSEGV, SEGV_ACCERR, regs->badaddr);
		break;
	default:
		do_user_trap(regs, SIGILL, ILL_ILLTRP, regs->epc);
		break;
	}
}

static void user_exception(struct pt_regs *regs, unsigned long code)
{
	if (code == EXC_ECALL_U) {
		regs->epc += 4;			/* return past the ecall */
		irq_enable_as_interrupted(regs);
		do_syscall(regs);
	} else if (is_page_fault(code)) {
		irq_enable_as_interrupted(regs);
		do_page_fault(regs, regs->badaddr, fault_flags(code) | FAULT_FLAG_USER);
	} else {
		user_trap(regs, code);
	}
}

/*
 * From kernel mode only a uaccess routine (uaccess.S) may fault on a user
 * address: that goes to do_page_fault(), which maps the page or resumes at
 * the routine's fixup. An access fault there (PMP) goes straight to the
 * fixup. Anything else is a kernel bug, reported with what it was.
 */
static void kernel_exception(struct pt_regs *regs, unsigned long code)
{
	bool user_addr = regs->badaddr < USER_TOP;

	if (is_page_fault(code) && code != EXC_INST_PAGE_FAULT && user_addr &&
	    riscv_in_uaccess(regs)) {
		irq_enable_as_interrupted(regs);
		do_page_fault(regs, regs->badaddr, fault_flags(code));
		return;
	}
	if ((code == EXC_LOAD_ACCESS || code == EXC_STORE_ACCESS) && user_addr &&
	    arch_fixup_exception(regs))
		return;
	if (is_page_fault(code) && user_addr)
		do_fatal_trap(regs, code == EXC_INST_PAGE_FAULT ?
			      "kernel jumped to a user address (S-mode never executes U pages)" :
			      "kernel access to a user address outside uaccess (SUM is off: use copy_{from,to}_user)",
			      regs->badaddr);
	do_fatal_trap(regs, exception_name(code), regs->badaddr);
}

/* Called by trap_entry with IRQs off and the frame on this thread's stack;
 * returns with IRQs off. */
void riscv_trap(struct pt_regs *regs)
{
	unsigned long cause = regs->cause;

	if (cause & CAUSE_IRQ_FLAG)
		handle_interrupt(regs, cause & ~CAUSE_IRQ_FLAG);
	else if (user_mode(regs))
		user_exception(regs, cause);
	else
		kernel_exception(regs, cause);
	arch_irq_disable();
}

void riscv_kthread_returned(void)
{
	panic("a kernel thread's entry function returned (threads must exit through the scheduler)");
}
