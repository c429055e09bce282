/*
 * entry.S - interrupt/exception entry, context switch, new-thread start.
 *
 * Every IDT vector has a 16-byte stub that makes the frame uniform (an
 * error code of 0 where the CPU pushes none, then the vector number) and
 * jumps to x86_trap_entry. That saves all registers as struct pt_regs on
 * the current kernel stack (the interrupted thread's own stack: no IST
 * except for #DF; from user mode the CPU switched to TSS.rsp0, the top of
 * the thread's kernel stack, so the frame is the thread's user_regs) and
 * calls x86_handle_trap(regs). As do_irq() may switch threads before it
 * returns, nothing here is per-CPU. From user mode, swapgs on the way in
 * and out puts the kernel's GS base (struct cpu) in place while the
 * kernel runs; the user's waits in MSR_KERNEL_GS_BASE.
 *
 * System calls come through SYSCALL (x86_syscall_entry, below), which
 * builds the same struct pt_regs and leaves through SYSRET when the
 * registers allow it, else through IRET (x86_ret_to_user).
 *
 * For debugging, x86_trap_entry has CFI describing the trap frame (gdb
 * unwinds from do_irq() through it into the interrupted code) and builds
 * a two-word frame {interrupted rbp, interrupted rip} so that the kernel's
 * own frame-pointer unwinder crosses the interrupt too.
 */
#include <asm/arch.h>

	.cfi_sections .debug_frame

/* Vectors where the CPU pushes an error code itself. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
	.globl	x86_vector_stubs
x86_vector_stubs:
	vector = 0
	.rept	256
	.balign	16
	.if	!HAS_ERRCODE(vector)
	pushq	$0
	.endif
	pushq	$vector
	jmp	x86_trap_entry
	vector = vector + 1
	.endr
	.size	x86_vector_stubs, . - x86_vector_stubs

.macro PUSH_REG r
	pushq	%\r
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset \r, 0
.endm

.macro POP_REG r
	popq	%\r
	.cfi_adjust_cfa_offset -8
	.cfi_restore \r
.endm

	.balign	16
	.globl	x86_trap_entry
	.type	x86_trap_entry, @function
x86_trap_entry:
	/* rsp -> vector, error code, rip, cs, rflags, rsp, ss */
	/*
	 * No .cfi_signal_frame: gdb would then print "<signal handler called>"
	 * instead of this symbol. The cost: gdb looks up the interrupted
	 * frame's line at pc - 1, as if pc were a return address.
	 */
	.cfi_startproc simple
	.cfi_def_cfa rsp, 7 * 8
	.cfi_offset rip, -5 * 8
	.cfi_offset rsp, -2 * 8
	cld
	testb	$3, 3 * 8(%rsp)			/* CS of the interrupted context */
	jz	1f
	swapgs
1:
	PUSH_REG rax
	PUSH_REG rbx
	PUSH_REG rcx
	PUSH_REG rdx
	PUSH_REG rsi
	PUSH_REG rdi
	PUSH_REG rbp
	PUSH_REG r8
	PUSH_REG r9
	PUSH_REG r10
	PUSH_REG r11
	PUSH_REG r12
	PUSH_REG r13
	PUSH_REG r14
	PUSH_REG r15
	/* frame record for the rbp chain: the interrupted pc and rbp */
	pushq	PT_RIP(%rsp)
	.cfi_adjust_cfa_offset 8
	pushq	PT_RBP + 8(%rsp)
	.cfi_adjust_cfa_offset 8
	movq	%rsp, %rbp
	leaq	16(%rsp), %rdi			/* struct pt_regs * (stack is 16-byte aligned here) */
	call	x86_handle_trap
	addq	$16, %rsp
	.cfi_adjust_cfa_offset -16
	POP_REG r15
	POP_REG r14
	POP_REG r13
	POP_REG r12
	POP_REG r11
	POP_REG r10
	POP_REG r9
	POP_REG r8
	POP_REG rbp
	POP_REG rdi
	POP_REG rsi
	POP_REG rdx
	POP_REG rcx
	POP_REG rbx
	POP_REG rax
	testb	$3, 3 * 8(%rsp)			/* back to user mode? */
	jz	1f
	swapgs
1:	addq	$16, %rsp			/* vector, error code */
	.cfi_adjust_cfa_offset -16
	iretq
	.cfi_endproc
	.size	x86_trap_entry, . - x86_trap_entry

/*
 * SYSCALL from 64-bit user mode: rip in rcx, rflags in r11, IF/TF/DF/AC
 * cleared by MSR_FMASK, rsp still the user's. Take this thread's kernel
 * stack from struct cpu (arch_set_kernel_stack), build struct pt_regs at
 * its top as an interrupt from user mode would, call x86_syscall(regs).
 */
	.balign	16
	.globl	x86_syscall_entry
	.type	x86_syscall_entry, @function
x86_syscall_entry:
	.cfi_startproc simple
	.cfi_undefined rip
	swapgs
	movq	%rsp, %gs:X86_CPU_USER_SP
	movq	%gs:X86_CPU_KERNEL_SP, %rsp
	pushq	$(GDT_USER_DS | 3)		/* ss */
	pushq	%gs:X86_CPU_USER_SP		/* rsp */
	pushq	%r11				/* rflags */
	pushq	$(GDT_USER_CS | 3)		/* cs */
	pushq	%rcx				/* rip */
	pushq	$0				/* error code */
	pushq	$X86_VEC_SYSCALL		/* vector */
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	xorl	%ebp, %ebp			/* the frame-pointer chain ends here */
	movq	%rsp, %rdi			/* 16-byte aligned: 22 pushes from a page boundary */
	call	x86_syscall
	jmp	x86_ret_to_user
	.cfi_endproc
	.size	x86_syscall_entry, . - x86_syscall_entry

/*
 * void arch_return_to_user(struct pt_regs *regs): regs is the frame at the
 * top of this thread's kernel stack; everything below it is dropped.
 */
	.globl	arch_return_to_user
	.type	arch_return_to_user, @function
arch_return_to_user:
	.cfi_startproc
	cli
	movq	%rdi, %rsp
	xorl	%ebp, %ebp
	jmp	x86_ret_to_user
	.cfi_endproc
	.size	arch_return_to_user, . - arch_return_to_user

/*
 * Leave for user mode with struct pt_regs at rsp. x86_prepare_return()
 * runs exit_to_user_mode() and answers whether SYSRET can restore the
 * frame exactly (rcx == rip, r11 == rflags, user selectors, a canonical
 * rip: SYSRET to a non-canonical rip would #GP in ring 0 on the user's
 * stack); otherwise IRET. The answer rides in the frame's vector slot.
 */
	.globl	x86_ret_to_user
	.type	x86_ret_to_user, @function
x86_ret_to_user:
	.cfi_startproc simple
	.cfi_undefined rip
	movq	%rsp, %rdi
	call	x86_prepare_return		/* IRQs off from here on */
	movq	%rax, PT_VECTOR(%rsp)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	cmpq	$0, (%rsp)
	je	1f
	movq	5 * 8(%rsp), %rsp		/* the user's rsp (rcx and r11 already hold rip and rflags) */
	swapgs
	sysretq
1:	addq	$16, %rsp			/* vector, error code */
	swapgs
	iretq
	.cfi_endproc
	.size	x86_ret_to_user, . - x86_ret_to_user

/*
 * void arch_context_switch(struct arch_context *from, struct arch_context *to)
 * Saves the callee-saved registers and rsp in *from, loads *to and returns
 * on the other thread's stack. Called with IRQs off.
 */
	.globl	arch_context_switch
	.type	arch_context_switch, @function
arch_context_switch:
	.cfi_startproc
	movq	%rbx, 8(%rdi)
	movq	%rbp, 16(%rdi)
	movq	%r12, 24(%rdi)
	movq	%r13, 32(%rdi)
	movq	%r14, 40(%rdi)
	movq	%r15, 48(%rdi)
	movq	%rsp, 0(%rdi)
	movq	0(%rsi), %rsp
	movq	8(%rsi), %rbx
	movq	16(%rsi), %rbp
	movq	24(%rsi), %r12
	movq	32(%rsi), %r13
	movq	40(%rsi), %r14
	movq	48(%rsi), %r15
	ret
	.cfi_endproc
	.size	arch_context_switch, . - arch_context_switch

/*
 * A new thread's first "return" lands here (arch_context_init): r12 =
 * entry, r13 = arg, rbp = 0 ends the frame chain, rsp 16-byte aligned.
 */
	.globl	x86_thread_start
	.type	x86_thread_start, @function
x86_thread_start:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r13, %rdi
	call	*%r12
	call	x86_thread_returned		/* panics */
	ud2
	.cfi_endproc
	.size	x86_thread_start, . - x86_thread_start

/*
 * Secondary CPUs arrive here from the trampoline, in 64-bit mode on the
 * trampoline page tables. Switch to the kernel's, take the stack that
 * arch_cpu_start() left in x86_ap_boot and enter C.
 */
	.globl	x86_ap_entry64
	.type	x86_ap_entry64, @function
x86_ap_entry64:
	.cfi_startproc
	.cfi_undefined rip			/* outermost frame for gdb */
	/* Segment loads read the trampoline's GDT, which only the identity map reaches: do them first. */
	movl	$GDT_KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	movq	x86_ap_boot + 0(%rip), %rax	/* kernel CR3: no segment loads until x86_cpu_init() */
	movq	%rax, %cr3
	movq	x86_ap_boot + 8(%rip), %rsp	/* stack top */
	andq	$-16, %rsp			/* the ABI wants 16-byte alignment at calls */
	xorl	%ebp, %ebp
	movl	x86_ap_boot + 16(%rip), %edi	/* logical CPU number */
	call	x86_ap_main			/* never returns */
	ud2
	.cfi_endproc
	.size	x86_ap_entry64, . - x86_ap_entry64
