/*
 * uaccess.S - the only kernel code that touches user memory.
 *
 * size_t x86_copy_user(void *dst, const void *src, size_t n)
 * size_t x86_clear_user(void *dst, size_t n)
 * Each returns the number of bytes NOT done (0 = all). The callers
 * (uaccess.c) have already checked that the user side lies below USER_TOP.
 *
 * A fault on the user side enters the #PF handler in kernel mode with the
 * rip of the 'rep' instruction below; do_page_fault() either maps the page
 * (the instruction restarts) or calls arch_fixup_exception(), which finds
 * that rip in __ex_table and resumes at the fixup. A string instruction
 * leaves rcx = bytes still to go when it faults, so the fixup returns rcx.
 *
 * SMAP: user pages are only accessible with RFLAGS.AC set, so STAC opens
 * the window just around the access and CLAC closes it (also on the fixup
 * path). On a CPU without SMAP the instructions would #UD: they are skipped.
 */
#include <asm/arch.h>

	.cfi_sections .debug_frame

/* __ex_table entry: the faulting instruction's address, where to resume. */
.macro EX_TABLE insn, fixup
	.pushsection __ex_table, "a"
	.balign 8
	.quad	\insn, \fixup
	.popsection
.endm

.macro UACCESS_BEGIN
	cmpb	$0, x86_has_smap(%rip)
	je	.Lno_stac\@
	stac
.Lno_stac\@:
.endm

.macro UACCESS_END
	cmpb	$0, x86_has_smap(%rip)
	je	.Lno_clac\@
	clac
.Lno_clac\@:
.endm

	.text
	.globl	x86_copy_user
	.type	x86_copy_user, @function
x86_copy_user:
	.cfi_startproc
	movq	%rdx, %rcx
	UACCESS_BEGIN
.Lcopy_insn:
	rep movsb
	UACCESS_END
	movq	%rcx, %rax			/* 0 */
	ret
.Lcopy_fixup:
	UACCESS_END
	movq	%rcx, %rax
	ret
	.cfi_endproc
	.size	x86_copy_user, . - x86_copy_user
	EX_TABLE .Lcopy_insn, .Lcopy_fixup

	.globl	x86_clear_user
	.type	x86_clear_user, @function
x86_clear_user:
	.cfi_startproc
	movq	%rsi, %rcx
	xorl	%eax, %eax
	UACCESS_BEGIN
.Lclear_insn:
	rep stosb
	UACCESS_END
	movq	%rcx, %rax			/* 0 */
	ret
.Lclear_fixup:
	UACCESS_END
	movq	%rcx, %rax
	ret
	.cfi_endproc
	.size	x86_clear_user, . - x86_clear_user
	EX_TABLE .Lclear_insn, .Lclear_fixup
