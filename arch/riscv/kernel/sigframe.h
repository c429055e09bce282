/*
 * sigframe.h - the riscv64 signal frame the kernel writes on the user stack.
 *
 * user space sees only (sig, siginfo_t *, ucontext *) and returns through
 * its restorer (rt_sigreturn); the layout below is otherwise the kernel's
 * business. It follows Linux's riscv rt_sigframe in spirit: the siginfo,
 * then a ucontext whose mcontext holds pc and x1..x31 in pt_regs order
 * (Linux's user_regs_struct) and the F/D registers.
 */
#ifndef RISCV_SIGFRAME_H
#define RISCV_SIGFRAME_H

#include <arch.h>
#include <uapi/faultline/signal.h>

#define RISCV_SIGFRAME_MAGIC	0x46524d53u	/* "SMRF": a frame we wrote */

struct rv_sigcontext {
	unsigned long gregs[32];	/* pc, then x1..x31 */
	struct riscv_fp_state fp;	/* f0..f31, fcsr */
};

struct rv_ucontext {
	unsigned long uc_flags;		/* 0 */
	unsigned long uc_link;		/* 0: no linked context */
	uint64_t uc_sigmask;		/* mask to restore */
	uint32_t uc_magic;		/* RISCV_SIGFRAME_MAGIC, checked by rt_sigreturn */
	uint32_t __pad;
	struct rv_sigcontext uc_mcontext;
};

struct rt_sigframe {
	siginfo_t info;			/* the handler's second argument */
	struct rv_ucontext uc;		/* its third */
};

#endif
