/*
 * crt0.S (arm64) - process entry. The kernel starts us with sp pointing at argc (see
 * uapi/faultline/auxvec.h); C code in user/lib/start.c does the rest.
 */
	.text
	.globl	_start
	.type	_start, %function
_start:
	mov	x29, xzr		/* outermost frame for backtraces */
	mov	x30, xzr
	mov	x0, sp			/* __fl_start(initial stack) */
	bl	__fl_start
	brk	#0			/* __fl_start never returns */
	.size	_start, . - _start

	.section .note.GNU-stack, "", %progbits
