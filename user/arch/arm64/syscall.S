/*
 * syscall.S (arm64) - the only places user code enters the kernel:
 *   long __fl_syscall(long nr, long a1, ..., long a6)       raw call, returns -errno on error
 *   long __fl_clone(fn, stack_top, flags, arg, ptid, tls, ctid)  thread start (pthread.c)
 *   void __fl_restore_rt(void)   signal-handler return trampoline (sa_restorer)
 *   void *__fl_get_tp(void)      the thread pointer (tpidr_el0)
 * Convention: `svc #0`, number in x8, args x0..x5, result x0.
 */
#include <faultline/unistd.h>

	.text
	.globl	__fl_syscall
	.type	__fl_syscall, %function
__fl_syscall:
	mov	x8, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, x5
	mov	x5, x6
	svc	#0
	ret
	.size	__fl_syscall, . - __fl_syscall

/* The child starts on stack_top with fn and arg stored there; it never returns here. */
	.globl	__fl_clone
	.type	__fl_clone, %function
__fl_clone:
	and	x1, x1, #~15
	stp	x0, x3, [x1, #-16]!	/* fn, arg */
	mov	x0, x2			/* flags; x1 is newsp */
	mov	x2, x4			/* parent_tid */
	mov	x3, x6			/* child_tid */
	mov	x4, x5			/* tls */
	mov	x8, #__NR_clone
	svc	#0
	cbz	x0, 1f
	ret				/* parent: tid or -errno */
1:	ldp	x1, x0, [sp], #16	/* fn, arg */
	mov	x29, xzr
	mov	x30, xzr
	blr	x1
	mov	x8, #__NR_exit
	svc	#0
	brk	#0
	.size	__fl_clone, . - __fl_clone

	.globl	__fl_restore_rt
	.type	__fl_restore_rt, %function
__fl_restore_rt:
	mov	x8, #__NR_rt_sigreturn
	svc	#0
	brk	#0
	.size	__fl_restore_rt, . - __fl_restore_rt

	.globl	__fl_get_tp
	.type	__fl_get_tp, %function
__fl_get_tp:
	mrs	x0, tpidr_el0
	ret
	.size	__fl_get_tp, . - __fl_get_tp

	.section .note.GNU-stack, "", %progbits
