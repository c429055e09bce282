/*
 * crt0.S (x86_64) - process entry. The kernel starts us with rsp pointing at argc (see
 * uapi/faultline/auxvec.h); C code in user/lib/start.c does the rest.
 */
	.text
	.globl	_start
	.type	_start, @function
_start:
	xor	%ebp, %ebp		/* outermost frame for backtraces */
	mov	%rsp, %rdi		/* __fl_start(initial stack) */
	and	$-16, %rsp		/* the ABI wants rsp % 16 == 0 before a call */
	call	__fl_start
	hlt				/* __fl_start never returns */
	.size	_start, . - _start

	.section .note.GNU-stack, "", @progbits
