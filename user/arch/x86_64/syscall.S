/*
 * syscall.S (x86_64) - the only places user code enters the kernel:
 *   long __fl_syscall(long nr, long a1, ..., long a6)       raw call, returns -errno on error
 *   long __fl_clone(fn, stack_top, flags, arg, ptid, tls, ctid)  thread start (pthread.c)
 *   void __fl_restore_rt(void)   signal-handler return trampoline (sa_restorer)
 *   void *__fl_get_tp(void)      the thread pointer (TCB's self pointer at %fs:0)
 * Convention: number in rax, args rdi rsi rdx r10 r8 r9, result rax; rcx/r11 clobbered.
 */
#include <faultline/unistd.h>

	.text
	.globl	__fl_syscall
	.type	__fl_syscall, @function
__fl_syscall:
	mov	%rdi, %rax
	mov	%rsi, %rdi
	mov	%rdx, %rsi
	mov	%rcx, %rdx
	mov	%r8, %r10
	mov	%r9, %r8
	mov	8(%rsp), %r9		/* 7th C argument is on the stack */
	syscall
	ret
	.size	__fl_syscall, . - __fl_syscall

/* The child starts on stack_top with fn and arg stored there; it never returns here. */
	.globl	__fl_clone
	.type	__fl_clone, @function
__fl_clone:
	and	$-16, %rsi
	sub	$16, %rsi
	mov	%rdi, 0(%rsi)		/* fn */
	mov	%rcx, 8(%rsi)		/* arg */
	mov	%rdx, %rdi		/* flags */
	mov	%r8, %rdx		/* parent_tid */
	mov	8(%rsp), %r10		/* child_tid */
	mov	%r9, %r8		/* tls */
	mov	$__NR_clone, %eax
	syscall
	test	%rax, %rax
	jz	1f
	ret				/* parent: tid or -errno */
1:	xor	%ebp, %ebp
	pop	%rax			/* fn */
	pop	%rdi			/* arg */
	call	*%rax
	mov	%rax, %rdi
	mov	$__NR_exit, %eax
	syscall
	hlt
	.size	__fl_clone, . - __fl_clone

	.globl	__fl_restore_rt
	.type	__fl_restore_rt, @function
__fl_restore_rt:
	mov	$__NR_rt_sigreturn, %eax
	syscall
	hlt
	.size	__fl_restore_rt, . - __fl_restore_rt

	.globl	__fl_get_tp
	.type	__fl_get_tp, @function
__fl_get_tp:
	mov	%fs:0, %rax
	ret
	.size	__fl_get_tp, . - __fl_get_tp

	.section .note.GNU-stack, "", @progbits
