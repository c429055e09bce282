/*
 * syscall.c - SYSCALL/SYSRET set-up, the C side of system-call entry and
 * of every return to user mode, and a new user image's registers.
 *
 * MSR_STAR: SYSCALL loads CS = STAR[47:32] (kernel code) and SS = that + 8
 * (kernel data); SYSRET loads CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8,
 * both with RPL 3: with STAR[63:48] = 0x10 that is GDT_USER_CS / GDT_USER_DS
 * (asm/x86.h keeps the GDT in this order). MSR_FMASK clears IF (the entry
 * runs on the user stack until it switches), TF, DF, AC (SMAP stays armed),
 * NT and IOPL on entry.
 */
#include <printk.h>
#include <string.h>
#include "internal.h"

extern char x86_syscall_entry[];	/* entry.S */

#define SYSCALL_FMASK	(RFLAGS_IF | RFLAGS_TF | RFLAGS_DF | RFLAGS_AC | RFLAGS_NT | \
			 RFLAGS_IOPL | RFLAGS_RF)
#define USER_RFLAGS_INIT (RFLAGS_IF | RFLAGS_FIXED)

/* Every CPU: enable SYSCALL and point it at x86_syscall_entry. */
void x86_syscall_init_cpu(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, (uint64_t)(GDT_USER_DS - 8) << 48 | (uint64_t)GDT_KERNEL_CS << 32);
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)x86_syscall_entry);
	/* There is no 32-bit user code segment, so compatibility-mode SYSCALL cannot happen. */
	wrmsr(MSR_CSTAR, 0);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_KERNEL_GS_BASE, 0);		/* the user's GS base until a thread sets one */
}

/* From x86_syscall_entry with IRQs off; the frame is current->user_regs. */
void x86_syscall(struct pt_regs *regs);
void x86_syscall(struct pt_regs *regs)
{
	arch_irq_enable();
	do_syscall(regs);
}

/*
 * Can SYSRET restore regs exactly? It takes rip from rcx and rflags from
 * r11, always loads the user selectors, and #GPs in ring 0 (on the user's
 * stack, with the user's GS) if rip is not canonical: anything unusual
 * goes out through IRET instead.
 */
static bool sysret_ok(const struct pt_regs *regs)
{
	return regs->rcx == regs->rip && regs->r11 == regs->rflags &&
	       regs->rip < USER_TOP &&
	       regs->cs == (GDT_USER_CS | 3) && regs->ss == (GDT_USER_DS | 3) &&
	       !(regs->rflags & (RFLAGS_TF | RFLAGS_RF | RFLAGS_NT | RFLAGS_IOPL)) &&
	       (regs->rflags & RFLAGS_IF);
}

/* From x86_ret_to_user: last kernel work, IRQs off on return. 1 = leave by SYSRET. */
long x86_prepare_return(struct pt_regs *regs);
long x86_prepare_return(struct pt_regs *regs)
{
	exit_to_user_mode(regs);
	arch_irq_disable();
	return sysret_ok(regs);
}

/* execve: the new image starts at pc with sp, every other register 0, IRQs on. */
void arch_user_regs_init(struct pt_regs *regs, uintptr_t pc, uintptr_t sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = pc;
	regs->rsp = sp;
	regs->cs = GDT_USER_CS | 3;
	regs->ss = GDT_USER_DS | 3;
	regs->rflags = USER_RFLAGS_INIT;
	regs->vector = X86_VEC_SYSCALL;
}
