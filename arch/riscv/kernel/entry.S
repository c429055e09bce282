/*
 * entry.S - trap entry/exit and kernel thread switching.
 *
 * trap_entry (stvec, direct mode) saves a full struct pt_regs on the kernel
 * stack of the interrupted thread, builds a frame record {s0, sepc} at its
 * top so frame-pointer and gdb (CFI) backtraces continue into the
 * interrupted code, and calls riscv_trap(regs). riscv_trap may switch
 * threads (do_irq reschedules); the frame stays on this thread's stack and
 * is popped when the thread is switched back and riscv_trap returns.
 *
 * sscratch/tp convention (see <asm/arch.h>): sscratch == 0 means the trap
 * came from the kernel (tp already is this CPU); otherwise it came from user
 * mode, sscratch holds this CPU's struct cpu and the kernel stack is
 * arch_cpu.kernel_sp (the thread's stack top), so the frame lands on
 * thread->user_regs. The user's tp is saved in the frame like any GPR.
 * From user mode the frame record is {0, sepc}: kernel backtraces end there.
 *
 * sstatus.FS and SUM are cleared on entry (the frame keeps the interrupted
 * values and the exit restores them): kernel code never runs with FP on or
 * with user pages accessible, whichever thread it switches to.
 *
 * Every return to user mode (syscall, exception, interrupt, a new image via
 * arch_return_to_user) goes through ret_to_user: riscv_prepare_return()
 * (exit_to_user_mode, IRQs off, fence.i if owed), then sscratch = this CPU
 * and the user's registers.
 */
#include <asm/csr.h>
#include <asm/regs.h>

	.cfi_sections .debug_frame

	.macro SAVE_GPRS
	sd	x1, PT_REG(1)(sp)
	sd	x3, PT_REG(3)(sp)
	.irp n, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	sd	x\n, PT_REG(\n)(sp)
	.endr
	.endm

	.macro RESTORE_GPRS
	ld	x1, PT_REG(1)(sp)
	ld	x3, PT_REG(3)(sp)
	.irp n, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld	x\n, PT_REG(\n)(sp)
	.endr
	.endm

	.text
	.globl trap_entry
	.type trap_entry, @function
	.align 2
trap_entry:
	.cfi_startproc
	csrrw	tp, sscratch, tp
	bnez	tp, 1f
	csrr	tp, sscratch			/* from the kernel: tp was ours */
	sd	sp, CPU_USER_SP(tp)		/* scratch slot: interrupted sp */
	j	2f
1:	sd	sp, CPU_USER_SP(tp)		/* from user mode */
	ld	sp, CPU_KERNEL_SP(tp)
2:	addi	sp, sp, -PT_SIZE
	SAVE_GPRS
	ld	t0, CPU_USER_SP(tp)
	sd	t0, PT_REG(2)(sp)
	csrrw	t1, sscratch, zero		/* interrupted tp; sscratch = 0: in kernel */
	sd	t1, PT_REG(4)(sp)
	li	t0, SR_FS | SR_SUM
	csrrc	t1, sstatus, t0			/* kernel: FP off, user pages closed */
	csrr	t0, sepc
	csrr	t2, stval
	csrr	t3, scause
	sd	t0, PT_EPC(sp)
	sd	t1, PT_STATUS(sp)
	sd	t2, PT_BADADDR(sp)
	sd	t3, PT_CAUSE(sp)
	andi	t1, t1, SR_SPP
	mv	t4, s0
	bnez	t1, 4f
	li	t4, 0				/* from user: the backtrace ends here */
4:	sd	t4, PT_FRAME_FP(sp)
	sd	t0, PT_FRAME_RA(sp)
	addi	s0, sp, PT_SIZE
	/* For gdb: the caller's frame is the interrupted context. */
	.cfi_def_cfa s0, 0
	.cfi_offset ra, PT_EPC - PT_SIZE
	.cfi_offset s0, PT_REG(8) - PT_SIZE
	.cfi_offset s1, PT_REG(9) - PT_SIZE
	mv	a0, sp
	call	riscv_trap			/* returns with IRQs off */

	ld	t0, PT_STATUS(sp)
	andi	t0, t0, SR_SPP
	bnez	t0, restore_regs
ret_to_user:
	mv	a0, sp
	call	riscv_prepare_return		/* signals, resched; IRQs off after */
restore_regs:
	ld	t0, PT_STATUS(sp)		/* SIE is clear in it: IRQs stay off */
	ld	t1, PT_EPC(sp)
	csrw	sstatus, t0
	csrw	sepc, t1
	andi	t0, t0, SR_SPP
	bnez	t0, 3f
	csrw	sscratch, tp			/* back to user: remember this CPU */
	ld	tp, PT_REG(4)(sp)
3:	/* to the kernel: keep tp, the thread may have moved to another CPU */
	RESTORE_GPRS
	ld	sp, PT_REG(2)(sp)
	sret
	.cfi_endproc
	.size trap_entry, . - trap_entry

/*
 * void riscv_ret_to_user(struct pt_regs *regs): leave for user mode with
 * *regs, the frame at the top of this thread's kernel stack, the way every
 * trap from user mode returns. IRQs are off (arch_return_to_user).
 */
	.globl riscv_ret_to_user
	.type riscv_ret_to_user, @function
riscv_ret_to_user:
	csrci	sstatus, SR_SIE
	mv	sp, a0
	li	s0, 0				/* kernel backtraces end here */
	j	ret_to_user
	.size riscv_ret_to_user, . - riscv_ret_to_user

/*
 * void arch_context_switch(struct arch_context *from, struct arch_context *to)
 * Saves ra, sp, s0-s11 into *from and loads them from *to.
 */
	.globl arch_context_switch
	.type arch_context_switch, @function
arch_context_switch:
	sd	ra, CTX_RA(a0)
	sd	sp, CTX_SP(a0)
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	sd	s\n, CTX_S(\n)(a0)
	.endr
	ld	ra, CTX_RA(a1)
	ld	sp, CTX_SP(a1)
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	ld	s\n, CTX_S(\n)(a1)
	.endr
	ret
	.size arch_context_switch, . - arch_context_switch

/* First code of a new thread (arch_context_init): s1 = entry, s2 = arg, s0 = 0. */
	.globl ret_from_kthread
	.type ret_from_kthread, @function
ret_from_kthread:
	mv	a0, s2
	jalr	s1
	call	riscv_kthread_returned		/* entry must not return */
	.size ret_from_kthread, . - ret_from_kthread
