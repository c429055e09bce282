/*
 * uaccess.S - the only kernel code that touches user memory.
 *
 * Each routine sets sstatus.SUM (S-mode may access U pages) on entry and
 * clears it on every way out. Every instruction that may touch a user
 * address is listed in __ex_table with the routine's fixup: a fault there
 * goes to do_page_fault() (trap.c); when that cannot map the page,
 * arch_fixup_exception() resumes at the fixup, which clears SUM and returns
 * a2, the number of bytes not copied yet. Bytes are counted exactly: a word
 * is only moved when both sides are 8-byte aligned, so it never straddles a
 * page and either all of its bytes fault or none does.
 *
 * The C wrappers (uaccess.c) clip the user range at USER_TOP first: with
 * SUM set, S-mode can still reach kernel pages, so the hardware alone would
 * not refuse a kernel address passed as a "user" pointer.
 */
#include <asm/csr.h>

/* One user access: \insn, with \fixup in __ex_table. */
	.macro UACCESS fixup, insn:vararg
.Luaccess\@:
	\insn
	.pushsection __ex_table, "a"
	.balign 8
	.dword	.Luaccess\@, \fixup
	.popsection
	.endm

	.text
/*
 * size_t riscv_copy_user(void *dst, const void *src, size_t n)
 * dst or src (or both) is a user address below USER_TOP. Returns the number
 * of bytes not copied. Registers: a0 dst, a1 src, a2 bytes left, t6 SR_SUM.
 */
	.globl riscv_copy_user
	.type riscv_copy_user, @function
riscv_copy_user:
	li	t6, SR_SUM
	csrs	sstatus, t6
	beqz	a2, .Lcopy_done
	xor	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, .Lcopy_bytes		/* never both aligned: byte by byte */
.Lcopy_head:					/* bytes until both are aligned */
	andi	t0, a0, 7
	beqz	t0, .Lcopy_words
	UACCESS .Lcopy_fixup, lbu t1, 0(a1)
	UACCESS .Lcopy_fixup, sb t1, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	beqz	a2, .Lcopy_done
	j	.Lcopy_head
.Lcopy_words:
	li	t2, 8
1:	bltu	a2, t2, .Lcopy_bytes
	UACCESS .Lcopy_fixup, ld t1, 0(a1)
	UACCESS .Lcopy_fixup, sd t1, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	1b
.Lcopy_bytes:
	beqz	a2, .Lcopy_done
	UACCESS .Lcopy_fixup, lbu t1, 0(a1)
	UACCESS .Lcopy_fixup, sb t1, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	.Lcopy_bytes
.Lcopy_done:
.Lcopy_fixup:
	csrc	sstatus, t6
	mv	a0, a2
	ret
	.size riscv_copy_user, . - riscv_copy_user

/*
 * size_t riscv_clear_user(void *udst, size_t n)
 * Zeroes n bytes at a user address below USER_TOP; returns the bytes not
 * cleared. Registers: a0 dst, a2 bytes left (a1 is free), t6 SR_SUM.
 */
	.globl riscv_clear_user
	.type riscv_clear_user, @function
riscv_clear_user:
	li	t6, SR_SUM
	csrs	sstatus, t6
	mv	a2, a1
	beqz	a2, .Lclear_done
.Lclear_head:
	andi	t0, a0, 7
	beqz	t0, .Lclear_words
	UACCESS .Lclear_fixup, sb zero, 0(a0)
	addi	a0, a0, 1
	addi	a2, a2, -1
	beqz	a2, .Lclear_done
	j	.Lclear_head
.Lclear_words:
	li	t2, 8
1:	bltu	a2, t2, .Lclear_bytes
	UACCESS .Lclear_fixup, sd zero, 0(a0)
	addi	a0, a0, 8
	addi	a2, a2, -8
	j	1b
.Lclear_bytes:
	beqz	a2, .Lclear_done
	UACCESS .Lclear_fixup, sb zero, 0(a0)
	addi	a0, a0, 1
	addi	a2, a2, -1
	j	.Lclear_bytes
.Lclear_done:
.Lclear_fixup:
	csrc	sstatus, t6
	mv	a0, a2
	ret
	.size riscv_clear_user, . - riscv_clear_user
