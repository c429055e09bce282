/*
 * fpu.S - save and load a user thread's F/D registers (f0-f31, fcsr).
 *
 * The kernel runs with sstatus.FS = Off, so these two routines turn FS on
 * around the accesses and off again. Callers keep IRQs off: an interrupt in
 * between would see FS on (trap_entry clears it anyway, but the window must
 * not reach other kernel code through a thread switch).
 */
#include <asm/csr.h>

/* void riscv_fp_save(struct riscv_fp_state *st) */
	.text
	.globl riscv_fp_save
	.type riscv_fp_save, @function
riscv_fp_save:
	li	t0, SR_FS
	csrs	sstatus, t0
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fsd	f\n, 8 * \n(a0)
	.endr
	frcsr	t1
	sw	t1, 256(a0)
	csrc	sstatus, t0
	ret
	.size riscv_fp_save, . - riscv_fp_save

/* void riscv_fp_load(const struct riscv_fp_state *st) */
	.globl riscv_fp_load
	.type riscv_fp_load, @function
riscv_fp_load:
	li	t0, SR_FS
	csrs	sstatus, t0
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	fld	f\n, 8 * \n(a0)
	.endr
	lw	t1, 256(a0)
	fscsr	t1
	csrc	sstatus, t0
	ret
	.size riscv_fp_load, . - riscv_fp_load
