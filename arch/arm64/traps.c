/*
 * traps.c - synchronous exceptions, unexpected vectors, register dumps,
 * frame-pointer unwinding and the thread-context hooks.
 */
#include <arch.h>
#include <mm.h>
#include <printk.h>
#include <string.h>
#include "internal.h"

extern char thread_start[];

/* ESR_EL1.EC -> what happened. */
static const char *esr_class_name(unsigned int ec)
{
	switch (ec) {
	case ESR_EC_UNKNOWN:	return "undefined instruction";
	case ESR_EC_WFx:	return "trapped WFI/WFE";
	case ESR_EC_FP_ASIMD:	return "FP/SIMD access (kernel is built general-regs-only)";
	case ESR_EC_ILL:	return "illegal execution state";
	case ESR_EC_SVC64:	return "SVC from the kernel";
	case ESR_EC_SYS64:	return "trapped system register access";
	case ESR_EC_IABT_LOW:
	case ESR_EC_IABT_CUR:	return "instruction abort";
	case ESR_EC_PC_ALIGN:	return "misaligned PC";
	case ESR_EC_DABT_LOW:
	case ESR_EC_DABT_CUR:	return "data abort";
	case ESR_EC_SP_ALIGN:	return "misaligned SP";
	case ESR_EC_SERROR:	return "SError";
	case ESR_EC_BRK64:	return "BRK instruction";
	default:		return "unexpected synchronous exception";
	}
}

/* Synchronous exception at EL1 (entry.S el1_sync): aborts may be uaccess faults, the rest is fatal. */
void arm64_handle_sync(struct pt_regs *regs)
{
	unsigned int ec = regs->esr >> ESR_EC_SHIFT & 0x3f;

	if (ec == ESR_EC_DABT_CUR || ec == ESR_EC_IABT_CUR) {
		arm64_mem_abort(regs, ec == ESR_EC_IABT_CUR);
		return;
	}
	do_fatal_trap(regs, esr_class_name(ec), ec == ESR_EC_PC_ALIGN ? regs->far : regs->pc);
}

void arm64_bad_vector(struct pt_regs *regs, unsigned long slot)
{
	static const char *const names[] = {
		"EL1t sync", "EL1t IRQ", "EL1t FIQ", "EL1t SError",
		"EL1h sync", "EL1h IRQ", "EL1h FIQ", "EL1h SError",
		"EL0 sync", "EL0 IRQ", "EL0 FIQ", "EL0 SError",
		"EL0 AArch32 sync", "EL0 AArch32 IRQ", "EL0 AArch32 FIQ", "EL0 AArch32 SError",
	};

	do_fatal_trap(regs, slot < ARRAY_SIZE(names) ? names[slot] : "bad vector", regs->far);
}

void arm64_thread_returned(void)
{
	panic("arm64: a thread's entry function returned; it must exit through the scheduler");
}

void arch_dump_regs(const struct pt_regs *regs)
{
	for (int i = 0; i < 30; i += 3)
		printk(" x%-2d %016lx  x%-2d %016lx  x%-2d %016lx\n",
		       i, (unsigned long)regs->regs[i], i + 1, (unsigned long)regs->regs[i + 1],
		       i + 2, (unsigned long)regs->regs[i + 2]);
	printk(" x30 %016lx  sp  %016lx  pc  %016lx\n", (unsigned long)regs->regs[30],
	       (unsigned long)regs->sp, (unsigned long)regs->pc);
	printk(" pstate %08lx  esr %08lx  far %016lx\n", (unsigned long)regs->pstate,
	       (unsigned long)regs->esr, (unsigned long)regs->far);
}

/* ---- unwinding: AAPCS64 frame records {x29, x30}, x29 -> record ---------- */
void arch_unwind_start(struct unwind *u, const struct pt_regs *regs)
{
	if (regs) {
		u->pc = regs->pc;
		u->fp = regs->regs[29];
	} else {
		const uintptr_t *frame = __builtin_frame_address(0);

		u->fp = frame[0];	/* our caller's record */
		u->pc = frame[1];	/* where our caller continues */
	}
}

bool arch_unwind_next(struct unwind *u)
{
	const uintptr_t *frame = (const uintptr_t *)u->fp;

	/* Records are 16-byte aligned, in kernel memory, and the chain moves up the stack. */
	if (!u->fp || !IS_ALIGNED(u->fp, 16) || u->fp < PHYS_MAP_BASE)
		return false;
	if (frame[0] && frame[0] <= u->fp)
		return false;
	u->fp = frame[0];
	u->pc = frame[1];
	return u->pc != 0;
}

/* ---- thread contexts ------------------------------------------------------ */
void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void *), void *arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->x19_x28[0] = (uintptr_t)entry;	/* thread_start calls x19(x20) */
	ctx->x19_x28[1] = (uintptr_t)arg;
	ctx->lr = (uintptr_t)thread_start;
	ctx->sp = ALIGN_DOWN((uintptr_t)stack_top, 16);
}

/*
 * Nothing to install: an exception from EL0 switches to SP_EL1, and SP_EL1 is
 * the running thread's own kernel stack pointer (arch_context_switch moves
 * it), so every thread already traps onto its own stack.
 */
void arch_set_kernel_stack(void *stack_top)
{
}
