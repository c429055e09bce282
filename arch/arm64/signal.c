/*
 * signal.c - the arm64 signal frame: built on the user stack when a handler
 * is entered, read back and checked by rt_sigreturn.
 *
 * The layout follows Linux's arm64 rt_sigframe (a student can compare it),
 * with the FP/SIMD record as the only record in __reserved:
 *
 *   new sp ->  siginfo_t info          128 bytes, the handler's 2nd argument
 *              struct ucontext uc      the 3rd argument: flags, link, stack,
 *                                      sigmask (the mask to restore), then
 *                                      sigcontext {fault_address, x0-x30, sp,
 *                                      pc, pstate, fpsimd record, end record}
 *              {x29, x30} record       x29 points here: backtraces go through
 *   old sp ->  (the interrupted code's stack)
 *
 * The handler starts with x0 = sig, x1 = &info, x2 = &uc, x30 = the restorer
 * (which makes rt_sigreturn), sp = the frame, 16-byte aligned.
 * rt_sigreturn expects sp where the handler found it and refuses a frame
 * whose records are not exactly ours; the restored PSTATE keeps only the
 * condition flags NZCV, so user space can never pick EL1 or mask interrupts.
 */
#include <arch.h>
#include <string.h>
#include "internal.h"
#include "sigframe.h"

static bool user_range_ok(uintptr_t addr, size_t size)
{
	return addr < USER_TOP && size <= USER_TOP - addr;
}

static void save_sigcontext(struct sigcontext *sc, const struct pt_regs *regs)
{
	struct fpsimd_state fp;

	sc->fault_address = regs->far;
	memcpy(sc->regs, regs->regs, sizeof(sc->regs));
	sc->sp = regs->sp;
	sc->pc = regs->pc;
	sc->pstate = regs->pstate;
	fpsimd_save(&fp);	/* current's live registers (a switch saves and reloads them) */
	sc->fpsimd.head.magic = FPSIMD_MAGIC;
	sc->fpsimd.head.size = sizeof(sc->fpsimd);
	sc->fpsimd.fpsr = fp.fpsr;
	sc->fpsimd.fpcr = fp.fpcr;
	memcpy(sc->fpsimd.vregs, fp.vregs, sizeof(fp.vregs));
}

/* Locks: none; current's user registers (regs is its frame). -EFAULT if the stack is unusable. */
int arch_setup_signal_frame(struct pt_regs *regs, int sig, const struct siginfo_k *info,
			    uintptr_t handler, uintptr_t restorer, uint64_t saved_mask)
{
	struct rt_sigframe f;
	uintptr_t sp = ALIGN_DOWN(regs->sp - sizeof(f), 16);

	if (regs->sp < sizeof(f) || !user_range_ok(sp, sizeof(f)))
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	memcpy(&f.info, info, sizeof(f.info));	/* struct siginfo_k is exactly a siginfo_t */
	f.uc.uc_sigmask = saved_mask;
	save_sigcontext(&f.uc.uc_mcontext, regs);
	f.fp = regs->regs[29];
	f.lr = regs->regs[30];
	if (arch_copy_to_user((void *)sp, &f, sizeof(f)))
		return -EFAULT;
	regs->regs[0] = (uint64_t)sig;
	regs->regs[1] = sp + offsetof(struct rt_sigframe, info);
	regs->regs[2] = sp + offsetof(struct rt_sigframe, uc);
	regs->regs[29] = sp + offsetof(struct rt_sigframe, fp);
	regs->regs[30] = restorer;
	regs->sp = sp;
	regs->pc = handler;
	return 0;
}

/* The records must be exactly the ones we wrote. */
static bool sigcontext_valid(const struct sigcontext *sc)
{
	return sc->fpsimd.head.magic == FPSIMD_MAGIC &&
	       sc->fpsimd.head.size == sizeof(sc->fpsimd) &&
	       sc->end.magic == 0 && sc->end.size == 0;
}

int arch_sigreturn(struct pt_regs *regs, uint64_t *mask)
{
	struct rt_sigframe f;
	const struct sigcontext *sc = &f.uc.uc_mcontext;
	struct fpsimd_state fp;
	unsigned long flags;

	if (!IS_ALIGNED(regs->sp, 16) || !user_range_ok(regs->sp, sizeof(f)) ||
	    arch_copy_from_user(&f, (const void *)regs->sp, sizeof(f)) || !sigcontext_valid(sc))
		return -EFAULT;
	memcpy(regs->regs, sc->regs, sizeof(regs->regs));
	regs->sp = sc->sp;
	regs->pc = sc->pc;
	regs->pstate = (sc->pstate & PSR_NZCV_MASK) | PSR_MODE_EL0t;
	memcpy(fp.vregs, sc->fpsimd.vregs, sizeof(fp.vregs));
	fp.fpsr = sc->fpsimd.fpsr;
	fp.fpcr = sc->fpsimd.fpcr;
	flags = arch_irq_save();
	fpsimd_load(&fp);
	arch_irq_restore(flags);
	*mask = f.uc.uc_sigmask;
	return 0;
}
