/*
 * uaccess.S - the only kernel code that touches user memory.
 *
 * Every user access is an unprivileged load/store (LDTR/STTR and their byte
 * forms): the MMU checks it as if EL0 made it, so
 *   - a kernel address (AP[1] = 0) faults instead of being read or written,
 *   - PSTATE.PAN, which blocks every *privileged* access to user pages, can
 *     stay set all the time (PAN does not apply to LDTR/STTR; PSTATE.UAO,
 *     which would make them privileged, is never set).
 * Each user access has an __ex_table entry {insn, fixup, type}. A fault on
 * one goes to do_page_fault() (fault.c); if the fault cannot be resolved
 * (no mapping, no permission, kernel address) arch_fixup_exception() resumes
 * at the fixup with the registers as they were at the faulting access, and
 * the routine returns how many bytes it did not copy.
 *
 * Strategy: 8 bytes at a time while at least 8 remain; a fault there falls
 * back to the byte loop, which stops exactly at the first inaccessible byte,
 * so the count returned is exact even for an unaligned buffer that straddles
 * a mapped and an unmapped page.
 */
#include <asm/arch.h>
#include "uaccess.h"

/* Record "the instruction at label \insn may fault; resume at \fixup". */
.macro ex_entry insn, fixup, type=EX_TYPE_UACCESS
	.pushsection __ex_table, "a"
	.balign	8
	.quad	\insn, \fixup, \type
	.popsection
.endm

	.text
/* size_t arch_copy_from_user(void *dst, const void *usrc, size_t n) */
	.globl	arch_copy_from_user
	.type	arch_copy_from_user, %function
arch_copy_from_user:
1:	cmp	x2, #8
	b.lo	3f
2:	ldtr	x3, [x1]
	ex_entry 2b, 3f
	str	x3, [x0], #8
	add	x1, x1, #8
	sub	x2, x2, #8
	b	1b
3:	cbz	x2, 5f
4:	ldtrb	w3, [x1]
	ex_entry 4b, 5f
	strb	w3, [x0], #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	3b
5:	mov	x0, x2
	ret
	.size	arch_copy_from_user, . - arch_copy_from_user

/* size_t arch_copy_to_user(void *udst, const void *src, size_t n) */
	.globl	arch_copy_to_user
	.type	arch_copy_to_user, %function
arch_copy_to_user:
1:	cmp	x2, #8
	b.lo	3f
	ldr	x3, [x1]
2:	sttr	x3, [x0]
	ex_entry 2b, 3f
	add	x0, x0, #8
	add	x1, x1, #8
	sub	x2, x2, #8
	b	1b
3:	cbz	x2, 5f
	ldrb	w3, [x1]
4:	sttrb	w3, [x0]
	ex_entry 4b, 5f
	add	x0, x0, #1
	add	x1, x1, #1
	sub	x2, x2, #1
	b	3b
5:	mov	x0, x2
	ret
	.size	arch_copy_to_user, . - arch_copy_to_user

/* size_t arch_clear_user(void *udst, size_t n) */
	.globl	arch_clear_user
	.type	arch_clear_user, %function
arch_clear_user:
1:	cmp	x1, #8
	b.lo	3f
2:	sttr	xzr, [x0]
	ex_entry 2b, 3f
	add	x0, x0, #8
	sub	x1, x1, #8
	b	1b
3:	cbz	x1, 5f
4:	sttrb	wzr, [x0]
	ex_entry 4b, 5f
	add	x0, x0, #1
	sub	x1, x1, #1
	b	3b
5:	mov	x0, x1
	ret
	.size	arch_clear_user, . - arch_clear_user

/*
 * For the PAN test only (ktests.c): long arm64_probe_read_priv(const void *p)
 * reads *p with an ordinary, privileged load. Returns 0 if the load worked,
 * -1 if it faulted (EX_TYPE_PROBE: fixed up at once, never a page fault).
 */
	.globl	arm64_probe_read_priv
	.type	arm64_probe_read_priv, %function
arm64_probe_read_priv:
1:	ldrb	w1, [x0]
	ex_entry 1b, 2f, EX_TYPE_PROBE
	mov	x0, #0
	ret
2:	mov	x0, #-1
	ret
	.size	arm64_probe_read_priv, . - arm64_probe_read_priv
