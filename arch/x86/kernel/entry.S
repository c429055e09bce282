/*
 * entry.S - interrupt/exception entry, context switch, new-thread start.
 *
 * Every IDT vector has a 16-byte stub that makes the frame uniform (an
 * error code of 0 where the CPU pushes none, then the vector number) and
 * jumps to x86_trap_entry. That saves all registers as struct pt_regs on
 * the current kernel stack (the interrupted thread's own stack: no IST
 * except for #DF, no user mode yet) and calls x86_handle_trap(regs). As
 * do_irq() may switch threads before it returns, nothing here is per-CPU.
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
	addq	$16, %rsp			/* vector, error code */
	.cfi_adjust_cfa_offset -16
	iretq
	.cfi_endproc
	.size	x86_trap_entry, . - x86_trap_entry

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
