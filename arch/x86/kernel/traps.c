/*
 * traps.c - the IDT, dispatch of every vector, fatal exception reports,
 * register dumps and the frame-pointer unwinder.
 */
#include <printk.h>
#include <mm.h>
#include <fault.h>
#include <uapi/faultline/signal.h>
#include "internal.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __packed;

static struct idt_gate idt[256] __aligned(16);	/* [I] shared by all CPUs */
extern char x86_vector_stubs[];			/* entry.S: 16 bytes per vector */

#define IDT_INTERRUPT_GATE	0x8e	/* present, DPL 0, 64-bit interrupt gate (IF cleared) */
#define IST_DOUBLE_FAULT	1

void x86_idt_init(void)
{
	for (unsigned int v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)(uintptr_t)(x86_vector_stubs + 16 * v);

		idt[v] = (struct idt_gate){
			.offset_lo = a & 0xffff, .selector = GDT_KERNEL_CS,
			.ist = v == 8 ? IST_DOUBLE_FAULT : 0,
			.type_attr = IDT_INTERRUPT_GATE,
			.offset_mid = (a >> 16) & 0xffff, .offset_hi = a >> 32,
		};
	}
}

void x86_idt_load(void)
{
	struct __packed { uint16_t limit; uint64_t base; } ptr = {
		sizeof(idt) - 1, (uint64_t)(uintptr_t)idt
	};

	__asm__ __volatile__("lidt %0" : : "m"(ptr));
}

static const char *const exception_names[32] = {
	[0] = "#DE divide error", [1] = "#DB debug exception", [2] = "NMI",
	[3] = "#BP breakpoint (int3)", [4] = "#OF overflow", [5] = "#BR bound range",
	[6] = "#UD invalid opcode", [7] = "#NM FPU/SSE used (the kernel has none)",
	[8] = "#DF double fault (kernel stack overflow?)", [9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS", [11] = "#NP segment not present", [12] = "#SS stack fault",
	[13] = "#GP general protection fault", [14] = "#PF page fault",
	[16] = "#MF x87 floating-point error", [17] = "#AC alignment check",
	[18] = "#MC machine check", [19] = "#XM SIMD floating-point error",
	[20] = "#VE virtualization exception", [21] = "#CP control protection",
	[29] = "#VC VMM communication", [30] = "#SX security exception",
};

/* #PF error code bits */
#define PF_PROT		(1u << 0)	/* 0: not present, 1: protection violation */
#define PF_WRITE	(1u << 1)
#define PF_USER		(1u << 2)
#define PF_RSVD		(1u << 3)	/* reserved bit set in a paging entry */
#define PF_INSTR	(1u << 4)	/* instruction fetch */

/* "#PF page fault: kernel write to a not-present page", from the error code. */
static const char *describe_page_fault(struct cpu *c, uint64_t err, uintptr_t addr)
{
	const char *access = (err & PF_INSTR) ? "instruction fetch from" :
			     (err & PF_WRITE) ? "write to" : "read from";
	const char *page = (err & PF_RSVD) ? "a page with reserved bits set (bad PTE)" :
			   (err & PF_PROT) ? "a present page (protection violation)" :
					     "a not-present page";
	const char *why = "";

	if (!(err & PF_USER) && addr < USER_TOP && !(err & PF_RSVD))
		why = (err & PF_INSTR) ? " at a user address (SMEP: the kernel never runs user code)" :
			" at a user address outside copy_{from,to}_user (use those; SMAP)";
	snprintf(c->arch.fault_desc, sizeof(c->arch.fault_desc), "#PF page fault: %s %s %s%s",
		 (err & PF_USER) ? "user" : "kernel", access, page, why);
	return c->arch.fault_desc;
}

static void __noreturn fatal_exception(struct pt_regs *regs)
{
	struct cpu *c = this_cpu();
	unsigned int v = regs->vector;
	const char *name = exception_names[v] ? exception_names[v] : "reserved exception";

	if (v == 14)
		do_fatal_trap(regs, describe_page_fault(c, regs->error_code, read_cr2()), read_cr2());
	if (regs->error_code) {
		snprintf(c->arch.fault_desc, sizeof(c->arch.fault_desc), "%s (vector %u, error code 0x%llx)",
			 name, v, (unsigned long long)regs->error_code);
		name = c->arch.fault_desc;
	}
	do_fatal_trap(regs, name, regs->rip);
}

/* Run with the interrupted context's IF: the fault/trap handlers may sleep. */
static void irq_enable_as_interrupted(const struct pt_regs *regs)
{
	if (regs->rflags & RFLAGS_IF)
		arch_irq_enable();
}

/*
 * #PF. From user mode everything goes to do_page_fault(). From kernel mode
 * only faults of the user-access instructions on user addresses do (they
 * demand-page or end at the exception-table fixup); anything else is a
 * kernel bug and stops the machine with the decoded error code.
 */
static void handle_page_fault(struct pt_regs *regs)
{
	uintptr_t addr = read_cr2();		/* before IRQs are on: another fault would change it */
	uint64_t err = regs->error_code;
	unsigned int flags = 0;

	if (err & PF_RSVD)
		fatal_exception(regs);		/* corrupt page table: no one can fix that */
	if (!user_mode(regs) && (addr >= USER_TOP || !x86_in_uaccess(regs->rip)))
		fatal_exception(regs);
	if (err & PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (err & PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;
	if (user_mode(regs))
		flags |= FAULT_FLAG_USER;
	irq_enable_as_interrupted(regs);
	do_page_fault(regs, addr, flags);
	arch_irq_disable();
}

/* si_code values for the traps below (Linux's, from its uapi siginfo.h). */
#define ILL_ILLOPN	2
#define ILL_COPROC	7
#define FPE_INTDIV	1
#define FPE_FLTDIV	3
#define FPE_FLTOVF	4
#define FPE_FLTUND	5
#define FPE_FLTRES	6
#define FPE_FLTINV	7
#define TRAP_BRKPT	1
#define TRAP_TRACE	2

/* Which SIMD/x87 exception fired, from the unmasked flags in status (x87 SW or MXCSR). */
static int fpe_code(uint32_t status, uint32_t masks)
{
	uint32_t raised = status & ~masks & 0x3f;

	if (raised & 0x01) return FPE_FLTINV;
	if (raised & 0x04) return FPE_FLTDIV;
	if (raised & 0x08) return FPE_FLTOVF;
	if (raised & 0x10) return FPE_FLTUND;
	if (raised & 0x20) return FPE_FLTRES;
	return FPE_FLTINV;		/* denormal operand: Linux reports it as invalid too */
}

static int x87_fpe_code(void)
{
	uint16_t sw, cw;

	__asm__ __volatile__("fnstsw %0; fnstcw %1" : "=m"(sw), "=m"(cw));
	return fpe_code(sw, cw);
}

static int simd_fpe_code(void)
{
	uint32_t mxcsr;

	__asm__ __volatile__("stmxcsr %0" : "=m"(mxcsr));
	return fpe_code(mxcsr, mxcsr >> 7);
}

/*
 * An exception from user mode other than #PF: the signal Linux sends for
 * it. Machine checks, NMIs and double faults are the machine's, not the
 * program's: those stay fatal.
 */
static void handle_user_exception(struct pt_regs *regs)
{
	int sig = SIGSEGV, code = SI_KERNEL;
	uintptr_t addr = 0;

	switch (regs->vector) {
	case 0:  sig = SIGFPE;  code = FPE_INTDIV;  addr = regs->rip; break;
	case 1:  sig = SIGTRAP; code = TRAP_TRACE;  addr = regs->rip; break;
	case 3:  sig = SIGTRAP; code = TRAP_BRKPT;  addr = regs->rip; break;
	case 6:  sig = SIGILL;  code = ILL_ILLOPN;  addr = regs->rip; break;
	case 7:  sig = SIGILL;  code = ILL_COPROC;  addr = regs->rip; break;
	case 16: sig = SIGFPE;  code = x87_fpe_code(); addr = regs->rip; break;
	case 17: sig = SIGBUS;  code = BUS_ADRALN;  break;
	case 19: sig = SIGFPE;  code = simd_fpe_code(); addr = regs->rip; break;
	case 2: case 8: case 18:
		fatal_exception(regs);
	default:
		break;	/* #OF #BR #TS #NP #SS #GP #CP...: SIGSEGV, SI_KERNEL */
	}
	irq_enable_as_interrupted(regs);
	do_user_trap(regs, sig, code, addr);
	arch_irq_disable();
}

static void handle_exception(struct pt_regs *regs)
{
	if (regs->vector == 14)
		handle_page_fault(regs);
	else if (user_mode(regs))
		handle_user_exception(regs);
	else
		fatal_exception(regs);
}

static void handle_interrupt(struct pt_regs *regs)
{
	unsigned int v = regs->vector;
	int irq;

	if (v == VEC_TIMER || v == VEC_IPI) {
		lapic_eoi();
		do_irq(regs, v == VEC_TIMER ? IRQ_TIMER : IRQ_IPI);
		return;
	}
	if (v == VEC_SPURIOUS || (v >= VEC_PIC_BASE && v < VEC_PIC_BASE + 16))
		return;		/* spurious: no EOI (the 8259s are masked, so theirs are too) */
	irq = x86_irq_of_vector(v);
	lapic_eoi();
	if (irq >= 0)
		do_irq(regs, irq);
	else
		printk("x86: interrupt on unused vector %u ignored\n", v);
}

/* Every vector lands here from x86_trap_entry, IRQs off; returns with IRQs off. */
void x86_handle_trap(struct pt_regs *regs)
{
	if (regs->vector < 32)
		handle_exception(regs);
	else
		handle_interrupt(regs);
	if (user_mode(regs))
		exit_to_user_mode(regs);
}

void arch_dump_regs(const struct pt_regs *r)
{
	printk("RIP: 0x%016llx RSP: 0x%016llx RFLAGS: 0x%llx CS: 0x%llx SS: 0x%llx\n",
	       (unsigned long long)r->rip, (unsigned long long)r->rsp,
	       (unsigned long long)r->rflags, (unsigned long long)r->cs,
	       (unsigned long long)r->ss);
	printk("RAX: 0x%016llx RBX: 0x%016llx RCX: 0x%016llx RDX: 0x%016llx\n",
	       (unsigned long long)r->rax, (unsigned long long)r->rbx,
	       (unsigned long long)r->rcx, (unsigned long long)r->rdx);
	printk("RSI: 0x%016llx RDI: 0x%016llx RBP: 0x%016llx R8:  0x%016llx\n",
	       (unsigned long long)r->rsi, (unsigned long long)r->rdi,
	       (unsigned long long)r->rbp, (unsigned long long)r->r8);
	printk("R9:  0x%016llx R10: 0x%016llx R11: 0x%016llx R12: 0x%016llx\n",
	       (unsigned long long)r->r9, (unsigned long long)r->r10,
	       (unsigned long long)r->r11, (unsigned long long)r->r12);
	printk("R13: 0x%016llx R14: 0x%016llx R15: 0x%016llx\n",
	       (unsigned long long)r->r13, (unsigned long long)r->r14,
	       (unsigned long long)r->r15);
	printk("CR2: 0x%016llx CR3: 0x%016llx vector %llu error 0x%llx\n",
	       (unsigned long long)read_cr2(), (unsigned long long)read_cr3(),
	       (unsigned long long)r->vector, (unsigned long long)r->error_code);
}

/* ---- frame-pointer unwinder ---- */

/* Could fp be a kernel stack address? (direct map, vmap area or the image's boot stack) */
static bool fp_plausible(uintptr_t fp)
{
	if (!fp || (fp & 7))
		return false;
	return (fp >= PHYS_MAP_BASE && fp < PHYS_MAP_BASE + PHYS_MAP_SIZE - 16) ||
	       (fp >= KMAP_BASE && fp < KMAP_BASE + KMAP_SIZE - 16) ||
	       (fp >= (uintptr_t)_kernel_start && fp < (uintptr_t)_kernel_end - 16);
}

static bool pc_in_kernel(uintptr_t pc)
{
	return pc >= (uintptr_t)_kernel_start && pc < (uintptr_t)_kernel_end;
}

/* Never inlined: "the caller" is found through this function's own frame record. */
__attribute__((noinline)) void arch_unwind_start(struct unwind *u, const struct pt_regs *regs)
{
	if (regs) {
		u->pc = regs->rip;
		u->fp = regs->rbp;
		return;
	}
	/* Our own frame record holds the caller's rbp and the return address into it. */
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);

	u->pc = (uintptr_t)__builtin_return_address(0);
	u->fp = ((const uintptr_t *)fp)[0];
}

/* Frame record at fp: [fp] = caller's rbp, [fp + 8] = return address. */
bool arch_unwind_next(struct unwind *u)
{
	const uintptr_t *frame = (const uintptr_t *)u->fp;
	uintptr_t next_fp, pc;

	if (!fp_plausible(u->fp))
		return false;
	next_fp = frame[0];
	pc = frame[1];
	if (!pc_in_kernel(pc))
		return false;
	if (next_fp && next_fp <= u->fp)
		return false;	/* stacks grow down: callers sit higher */
	u->pc = pc;
	u->fp = next_fp;
	return true;
}

/* ---- tests ---- */
#include <ktest.h>
#include <string.h>

static __attribute__((noinline)) void unwind_probe(struct unwind *u)
{
	arch_unwind_start(u, NULL);
	barrier();	/* keep this a real call with its own frame */
}

KTEST(x86_unwind_frame_chain)
{
	struct unwind u;
	int steps = 0;

	unwind_probe(&u);
	KT_EXPECT(t, u.pc > (uintptr_t)unwind_probe && u.pc < (uintptr_t)unwind_probe + 128);
	KT_ASSERT(t, arch_unwind_next(&u));
	KT_EXPECT(t, u.pc > (uintptr_t)ktest_fn_x86_unwind_frame_chain &&
		  u.pc < (uintptr_t)ktest_fn_x86_unwind_frame_chain + 512);
	while (arch_unwind_next(&u) && steps < 64)
		steps++;
	KT_EXPECT(t, steps < 64);	/* the chain ends (rbp = 0 at thread start) */
}

KTEST(x86_page_fault_description)
{
	static struct cpu c;

	uintptr_t k = PHYS_MAP_BASE;

	KT_EXPECT(t, !strcmp(describe_page_fault(&c, 0x2, k),
			     "#PF page fault: kernel write to a not-present page"));
	KT_EXPECT(t, !strcmp(describe_page_fault(&c, 0x11, k),
			     "#PF page fault: kernel instruction fetch from a present page (protection violation)"));
	KT_EXPECT(t, !strcmp(describe_page_fault(&c, 0x5, 0x400000),
			     "#PF page fault: user read from a present page (protection violation)"));
	KT_EXPECT(t, !strcmp(describe_page_fault(&c, 0x9, k),
			     "#PF page fault: kernel read from a page with reserved bits set (bad PTE)"));
	KT_EXPECT(t, !strcmp(describe_page_fault(&c, 0x1, 0x400000),
			     "#PF page fault: kernel read from a present page (protection violation)"
			     " at a user address outside copy_{from,to}_user (use those; SMAP)"));
}
