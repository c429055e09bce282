/*
 * crt0.S (riscv64) - process entry. The kernel starts us with sp pointing at argc (see
 * uapi/faultline/auxvec.h); C code in user/lib/start.c does the rest.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	.option	push
	.option	norelax
	la	gp, __global_pointer$	/* gp-relative addressing needs gp set first */
	.option	pop
	li	fp, 0			/* outermost frame for backtraces */
	li	ra, 0
	mv	a0, sp			/* __fl_start(initial stack) */
	call	__fl_start
	ebreak				/* __fl_start never returns */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
