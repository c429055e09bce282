/*
 * signal.c - the x86_64 signal frame (arch_setup_signal_frame, arch_sigreturn).
 *
 * Layout on the user stack, below the 128-byte red zone the ABI gives leaf
 * functions (Linux's order; user code sees it only as siginfo_t * and an
 * opaque ucontext *):
 *
 *   higher   ... interrupted stack, red zone (128 bytes, untouched)
 *            FP/SIMD image (x86_fpu_size bytes, 64-byte aligned: XSAVE's rule)
 *            struct rt_sigframe { pretcode; ucontext; siginfo }
 *   rsp ->   pretcode = the restorer: the handler's "return address", so at
 *            handler entry rsp + 8 is 16-byte aligned as after a call
 *
 * The handler runs with rdi = sig, rsi = &frame->info, rdx = &frame->uc,
 * DF/TF clear and the FP/SIMD registers in their initial state. Its 'ret'
 * pops pretcode and lands in the restorer, which makes rt_sigreturn with
 * rsp = frame + 8. arch_sigreturn() reads the frame back: general registers,
 * rip and rsp (which must be user addresses), only the arithmetic flags of
 * rflags (never IOPL, IF, NT...), never selectors (always the user ones),
 * and an FP image that is checked so restoring it cannot fault.
 */
#include <printk.h>
#include <string.h>
#include <sched.h>
#include <uapi/faultline/signal.h>
#include "internal.h"

#define RED_ZONE	128

struct x86_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, rflags;
	uint64_t fpstate;		/* user address of the FP/SIMD image, 0 = initial state */
};

struct x86_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	uint64_t ss_sp, ss_flags, ss_size;	/* no sigaltstack: always 0 */
	struct x86_sigcontext mc;
	uint64_t sigmask;
};

struct rt_sigframe {
	uint64_t pretcode;
	struct x86_ucontext uc;
	siginfo_t info;
};

/* Flags user code may change through sigreturn (Linux's FIX_EFLAGS). */
#define USER_FLAGS	(RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_TF | \
			 RFLAGS_DF | RFLAGS_OF | RFLAGS_AC | RFLAGS_RF)

static void save_sigcontext(struct x86_sigcontext *sc, const struct pt_regs *r, uintptr_t fp)
{
	*sc = (struct x86_sigcontext){
		.r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
		.r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15,
		.rdi = r->rdi, .rsi = r->rsi, .rbp = r->rbp, .rbx = r->rbx,
		.rdx = r->rdx, .rax = r->rax, .rcx = r->rcx, .rsp = r->rsp,
		.rip = r->rip, .rflags = r->rflags, .fpstate = fp,
	};
}

/* The running thread's FP/SIMD registers into its own save area, then to the user. */
static bool save_fpstate(uintptr_t ufp)
{
	struct arch_thread *at = &current->arch;
	unsigned long flags = arch_irq_save();

	x86_fpu_save_current(at->fpu);
	arch_irq_restore(flags);
	return arch_copy_to_user((void *)ufp, at->fpu, x86_fpu_size) == 0;
}

int arch_setup_signal_frame(struct pt_regs *regs, int sig, const struct siginfo_k *info,
			    uintptr_t handler, uintptr_t restorer, uint64_t saved_mask)
{
	uintptr_t sp = regs->rsp - RED_ZONE;
	uintptr_t fp = ALIGN_DOWN(sp - x86_fpu_size, 64);
	uintptr_t frame_addr = ALIGN_DOWN(fp - sizeof(struct rt_sigframe), 16) - 8;
	struct rt_sigframe frame;
	struct rt_sigframe *uframe = (struct rt_sigframe *)frame_addr;

	if (regs->rsp > USER_TOP || frame_addr >= regs->rsp)
		return -EFAULT;
	memset(&frame, 0, sizeof(frame));
	frame.pretcode = restorer;
	save_sigcontext(&frame.uc.mc, regs, fp);
	frame.uc.sigmask = saved_mask;
	memcpy(&frame.info, info, sizeof(siginfo_t));	/* siginfo_k is exactly a siginfo_t */
	if (!save_fpstate(fp) || arch_copy_to_user(uframe, &frame, sizeof(frame)))
		return -EFAULT;
	x86_fpu_reset_current();
	regs->rdi = (uint64_t)sig;
	regs->rsi = (uint64_t)(uintptr_t)&uframe->info;
	regs->rdx = (uint64_t)(uintptr_t)&uframe->uc;
	regs->rax = 0;
	regs->rip = handler;
	regs->rsp = frame_addr;
	regs->rflags &= ~(RFLAGS_DF | RFLAGS_TF | RFLAGS_RF);
	regs->cs = GDT_USER_CS | 3;
	regs->ss = GDT_USER_DS | 3;
	return 0;
}

static int restore_fpstate(uintptr_t ufp)
{
	_Static_assert(X86_FPU_AREA_SIZE <= 1024, "the image is copied through the stack");
	uint8_t img[X86_FPU_AREA_SIZE] __aligned(64);

	if (!ufp) {
		x86_fpu_reset_current();
		return 0;
	}
	if ((ufp & 63) || arch_copy_from_user(img, (const void *)ufp, x86_fpu_size))
		return -EFAULT;
	return x86_fpu_restore_checked(&current->arch, img) ? 0 : -EFAULT;
}

int arch_sigreturn(struct pt_regs *regs, uint64_t *mask)
{
	struct rt_sigframe frame;
	const struct x86_sigcontext *sc = &frame.uc.mc;
	uintptr_t frame_addr = regs->rsp - 8;	/* the handler's ret popped pretcode */

	if (arch_copy_from_user(&frame, (const void *)frame_addr, sizeof(frame)))
		return -EFAULT;
	if (sc->rip >= USER_TOP || sc->rsp > USER_TOP)
		return -EFAULT;		/* a kernel or non-canonical rip/rsp would fault in the kernel */
	if (restore_fpstate(sc->fpstate))
		return -EFAULT;
	regs->r8 = sc->r8; regs->r9 = sc->r9; regs->r10 = sc->r10; regs->r11 = sc->r11;
	regs->r12 = sc->r12; regs->r13 = sc->r13; regs->r14 = sc->r14; regs->r15 = sc->r15;
	regs->rdi = sc->rdi; regs->rsi = sc->rsi; regs->rbp = sc->rbp; regs->rbx = sc->rbx;
	regs->rdx = sc->rdx; regs->rax = sc->rax; regs->rcx = sc->rcx;
	regs->rsp = sc->rsp;
	regs->rip = sc->rip;
	regs->rflags = (regs->rflags & ~USER_FLAGS) | (sc->rflags & USER_FLAGS) |
		       RFLAGS_IF | RFLAGS_FIXED;
	regs->cs = GDT_USER_CS | 3;
	regs->ss = GDT_USER_DS | 3;
	*mask = frame.uc.sigmask;
	return 0;
}
