/*
 * syscall.S (riscv64) - the only places user code enters the kernel:
 *   long __fl_syscall(long nr, long a1, ..., long a6)       raw call, returns -errno on error
 *   long __fl_clone(fn, stack_top, flags, arg, ptid, tls, ctid)  thread start (pthread.c)
 *   void __fl_restore_rt(void)   signal-handler return trampoline (sa_restorer)
 *   void *__fl_get_tp(void)      the thread pointer (tp)
 * Convention: `ecall`, number in a7, args a0..a5, result a0.
 */
#include <faultline/unistd.h>

	.text
	.globl	__fl_syscall
	.type	__fl_syscall, @function
__fl_syscall:
	mv	a7, a0
	mv	a0, a1
	mv	a1, a2
	mv	a2, a3
	mv	a3, a4
	mv	a4, a5
	mv	a5, a6
	ecall
	ret
	.size	__fl_syscall, . - __fl_syscall

/* The child starts on stack_top with fn and arg stored there; it never returns here. */
	.globl	__fl_clone
	.type	__fl_clone, @function
__fl_clone:
	andi	a1, a1, -16
	addi	a1, a1, -16
	sd	a0, 0(a1)		/* fn */
	sd	a3, 8(a1)		/* arg */
	mv	a0, a2			/* flags; a1 is newsp */
	mv	a2, a4			/* parent_tid */
	mv	a3, a6			/* child_tid */
	mv	a4, a5			/* tls */
	li	a7, __NR_clone
	ecall
	beqz	a0, 1f
	ret				/* parent: tid or -errno */
1:	ld	a1, 0(sp)		/* fn */
	ld	a0, 8(sp)		/* arg */
	addi	sp, sp, 16
	li	fp, 0
	li	ra, 0
	jalr	a1
	li	a7, __NR_exit
	ecall
	ebreak
	.size	__fl_clone, . - __fl_clone

	.globl	__fl_restore_rt
	.type	__fl_restore_rt, @function
__fl_restore_rt:
	li	a7, __NR_rt_sigreturn
	ecall
	ebreak
	.size	__fl_restore_rt, . - __fl_restore_rt

	.globl	__fl_get_tp
	.type	__fl_get_tp, @function
__fl_get_tp:
	mv	a0, tp
	ret
	.size	__fl_get_tp, . - __fl_get_tp

	.section .note.GNU-stack, "", @progbits
