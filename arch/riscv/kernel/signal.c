/*
 * signal.c - signal frames on the user stack and rt_sigreturn.
 *
 * arch_setup_signal_frame() puts a struct rt_sigframe (sigframe.h) below the
 * interrupted sp, 16-byte aligned (RISC-V has no red zone), with the
 * interrupted pc and x1..x31, the F/D registers and the mask to restore,
 * then starts handler(sig, &frame->info, &frame->uc) with ra = restorer.
 * The handler keeps the interrupted FP state, as on Linux.
 *
 * arch_sigreturn() reads the frame back at the user's sp. It restores only
 * what user code may set anyway: the pc, the 31 GPRs, f0..f31 and the 8
 * fcsr bits. sstatus is not part of the frame at all, so the privilege
 * bits (SPP, SPIE, SUM, ...) can never come from user memory.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <sched.h>
#include <string.h>
#include "sigframe.h"

#define FCSR_MASK	0xffu		/* frm (7:5) + fflags (4:0) */

/* pt_regs starts with epc, x1..x31: the gregs order. */
_Static_assert(offsetof(struct pt_regs, t6) == 31 * sizeof(unsigned long), "gregs order");

int arch_setup_signal_frame(struct pt_regs *regs, int sig, const struct siginfo_k *info,
			    uintptr_t handler, uintptr_t restorer, uint64_t saved_mask)
{
	struct rt_sigframe f;
	uintptr_t sp = ALIGN_DOWN(regs->sp - sizeof(f), 16);

	if (sp >= USER_TOP || sp > regs->sp)
		return -EFAULT;
	memset(&f, 0, sizeof(f));
	memcpy(&f.info, info, sizeof(f.info));	/* struct siginfo_k is exactly a siginfo_t */
	f.uc.uc_sigmask = saved_mask;
	f.uc.uc_magic = RISCV_SIGFRAME_MAGIC;
	memcpy(f.uc.uc_mcontext.gregs, regs, sizeof(f.uc.uc_mcontext.gregs));
	riscv_fp_flush_current();
	f.uc.uc_mcontext.fp = current->arch.fp;
	if (arch_copy_to_user((void *)sp, &f, sizeof(f)))
		return -EFAULT;
	regs->epc = handler;
	regs->ra = restorer;
	regs->sp = sp;
	regs->a0 = (unsigned long)sig;
	regs->a1 = sp + offsetof(struct rt_sigframe, info);
	regs->a2 = sp + offsetof(struct rt_sigframe, uc);
	return 0;
}

int arch_sigreturn(struct pt_regs *regs, uint64_t *mask)
{
	struct rt_sigframe f;
	uintptr_t sp = regs->sp;

	if (sp % 16 || arch_copy_from_user(&f, (const void *)sp, sizeof(f)))
		return -EFAULT;
	if (f.uc.uc_magic != RISCV_SIGFRAME_MAGIC)
		return -EFAULT;
	memcpy(regs, f.uc.uc_mcontext.gregs, sizeof(f.uc.uc_mcontext.gregs));
	f.uc.uc_mcontext.fp.fcsr &= FCSR_MASK;
	f.uc.uc_mcontext.fp.__pad = 0;
	riscv_fp_load_current(&f.uc.uc_mcontext.fp);
	if ((regs->status & SR_FS) != SR_FS_OFF)	/* hardware == arch.fp now */
		regs->status = (regs->status & ~SR_FS) | SR_FS_CLEAN;
	*mask = f.uc.uc_sigmask;
	return 0;
}
