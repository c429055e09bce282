/*
 * entry.S - exception vectors (VBAR_EL1), the way back to user mode and the
 * thread context switch.
 *
 * Every exception taken at EL1 saves a full struct pt_regs on the current
 * stack, which is the interrupted thread's own kernel stack, so do_irq() may
 * switch threads and come back here much later. The frame also holds a
 * frame record {x29, elr} that x29 points at while C runs: the frame-pointer
 * chain (our unwinder) and the CFI below (gdb) both lead from the C handler
 * through the vector code into the interrupted function.
 *
 * From EL0 the CPU switches to SP_EL1, which is where the thread's kernel
 * stack pointer stood when it last returned to user mode: just above its
 * pt_regs at the top of its kernel stack (arch_return_to_user puts it
 * there), so the frame lands exactly on thread->user_regs. The user stack
 * pointer (SP_EL0) is saved in regs->sp, and the frame record is {0, 0}:
 * the kernel backtrace ends at the user-mode entry. Every return to EL0
 * (syscall, IRQ, exception, new process) goes through ret_to_user, which
 * calls exit_to_user_mode() with IRQs off, then reloads SP_EL0 and erets.
 */
#include <asm/arch.h>

	.cfi_sections .debug_frame

/* Save x0-x30, sp, elr, spsr, esr, far; x29 := frame record in the frame. */
.macro kernel_entry el=1
	sub	sp, sp, #PT_REGS_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	.if \el == 0
	mrs	x21, sp_el0
	.else
	add	x21, sp, #PT_REGS_SIZE
	.endif
	stp	x30, x21, [sp, #S_LR]
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x22, x23, [sp, #S_PC]
	mrs	x24, esr_el1
	mrs	x25, far_el1
	stp	x24, x25, [sp, #S_ESR]
	.if \el == 0
	stp	xzr, xzr, [sp, #S_STACKFRAME]
	.else
	stp	x29, x22, [sp, #S_STACKFRAME]
	.endif
	add	x29, sp, #S_STACKFRAME
.endm

/* CFI for the code after kernel_entry: the caller is the interrupted context. */
.macro trap_frame_cfi
	.cfi_def_cfa sp, PT_REGS_SIZE
	.cfi_offset 19, 19 * 8 - PT_REGS_SIZE
	.cfi_offset 20, 20 * 8 - PT_REGS_SIZE
	.cfi_offset 21, 21 * 8 - PT_REGS_SIZE
	.cfi_offset 22, 22 * 8 - PT_REGS_SIZE
	.cfi_offset 23, 23 * 8 - PT_REGS_SIZE
	.cfi_offset 24, 24 * 8 - PT_REGS_SIZE
	.cfi_offset 25, 25 * 8 - PT_REGS_SIZE
	.cfi_offset 26, 26 * 8 - PT_REGS_SIZE
	.cfi_offset 27, 27 * 8 - PT_REGS_SIZE
	.cfi_offset 28, 28 * 8 - PT_REGS_SIZE
	.cfi_offset 29, 29 * 8 - PT_REGS_SIZE
	.cfi_offset 30, S_PC - PT_REGS_SIZE
.endm

.macro kernel_exit el=1
	.if \el == 0
	ldr	x21, [sp, #S_SP]
	msr	sp_el0, x21
	.endif
	ldp	x22, x23, [sp, #S_PC]
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldr	x30, [sp, #S_LR]
	add	sp, sp, #PT_REGS_SIZE
	eret
.endm

/* One 128-byte vector slot: branch to its handler. */
.macro ventry target
	.balign	128
	b	\target
.endm

	.text
	.balign	2048
	.globl	vectors
vectors:
	ventry	el1t_bad_sync		/* current EL, SP_EL0: never used */
	ventry	el1t_bad_irq
	ventry	el1t_bad_fiq
	ventry	el1t_bad_serror
	ventry	el1_sync		/* current EL, SP_EL1: the kernel */
	ventry	el1_irq
	ventry	el1_bad_fiq
	ventry	el1_bad_serror
	ventry	el0_sync		/* lower EL, AArch64: user space */
	ventry	el0_irq
	ventry	el0_bad_fiq
	ventry	el0_bad_serror
	ventry	el0_32_bad_sync		/* lower EL, AArch32: never */
	ventry	el0_32_bad_irq
	ventry	el0_32_bad_fiq
	ventry	el0_32_bad_serror

	.balign	16
	.globl	el1_irq
	.type	el1_irq, %function
el1_irq:
	.cfi_startproc
	kernel_entry
	trap_frame_cfi
	mov	x0, sp
	bl	arm64_handle_irq
	kernel_exit
	.cfi_endproc
	.size	el1_irq, . - el1_irq

	.globl	el1_sync
	.type	el1_sync, %function
el1_sync:
	.cfi_startproc
	kernel_entry
	trap_frame_cfi
	mov	x0, sp
	bl	arm64_handle_sync
	kernel_exit
	.cfi_endproc
	.size	el1_sync, . - el1_sync

/* Synchronous exception from EL0: syscall, abort, undefined instruction... */
	.globl	el0_sync
	.type	el0_sync, %function
el0_sync:
	kernel_entry 0
	mov	x0, sp
	bl	arm64_el0_sync
	b	ret_to_user
	.size	el0_sync, . - el0_sync

/* IRQ while user code ran (do_irq may switch threads: we are on this thread's stack). */
	.globl	el0_irq
	.type	el0_irq, %function
el0_irq:
	kernel_entry 0
	mov	x0, sp
	bl	arm64_handle_irq
	b	ret_to_user
	.size	el0_irq, . - el0_irq

/* sp = the pt_regs to return with: signals and rescheduling first, then eret to EL0. */
	.globl	ret_to_user
	.type	ret_to_user, %function
ret_to_user:
	msr	daifset, #2
	mov	x0, sp
	bl	exit_to_user_mode		/* returns with IRQs off */
	kernel_exit 0
	.size	ret_to_user, . - ret_to_user

/* void arch_return_to_user(struct pt_regs *regs): leave through ret_to_user with *regs. */
	.globl	arch_return_to_user
	.type	arch_return_to_user, %function
arch_return_to_user:
	msr	daifset, #2
	mov	sp, x0
	mov	x29, xzr
	b	ret_to_user
	.size	arch_return_to_user, . - arch_return_to_user

/* Vectors we never expect: x1 = slot number, to arm64_bad_vector() (no return). */
.macro bad_vector name, slot
\name:
	kernel_entry
	mov	x0, sp
	mov	x1, #\slot
	bl	arm64_bad_vector
	b	.
.endm
	bad_vector el1t_bad_sync, 0
	bad_vector el1t_bad_irq, 1
	bad_vector el1t_bad_fiq, 2
	bad_vector el1t_bad_serror, 3
	bad_vector el1_bad_fiq, 6
	bad_vector el1_bad_serror, 7
	bad_vector el0_bad_fiq, 10
	bad_vector el0_bad_serror, 11
	bad_vector el0_32_bad_sync, 12
	bad_vector el0_32_bad_irq, 13
	bad_vector el0_32_bad_fiq, 14
	bad_vector el0_32_bad_serror, 15

/*
 * void arch_context_switch(struct arch_context *from, struct arch_context *to)
 * Saves the AAPCS64 callee-saved registers, sp and lr of the caller in *from
 * and resumes *to where it last called this function (or at thread_start).
 */
	.globl	arch_context_switch
	.type	arch_context_switch, %function
arch_context_switch:
	mov	x9, sp
	stp	x19, x20, [x0, #CTX_X19 + 0]
	stp	x21, x22, [x0, #CTX_X19 + 16]
	stp	x23, x24, [x0, #CTX_X19 + 32]
	stp	x25, x26, [x0, #CTX_X19 + 48]
	stp	x27, x28, [x0, #CTX_X19 + 64]
	stp	x29, x30, [x0, #CTX_FP]
	str	x9, [x0, #CTX_SP]
	ldp	x19, x20, [x1, #CTX_X19 + 0]
	ldp	x21, x22, [x1, #CTX_X19 + 16]
	ldp	x23, x24, [x1, #CTX_X19 + 32]
	ldp	x25, x26, [x1, #CTX_X19 + 48]
	ldp	x27, x28, [x1, #CTX_X19 + 64]
	ldp	x29, x30, [x1, #CTX_FP]
	ldr	x9, [x1, #CTX_SP]
	mov	sp, x9
	ret
	.size	arch_context_switch, . - arch_context_switch

/* First switch to a new thread lands here: x19 = entry, x20 = arg (arch_context_init). */
	.globl	thread_start
	.type	thread_start, %function
thread_start:
	.cfi_startproc
	.cfi_undefined 30
	mov	x29, xzr
	mov	x0, x20
	blr	x19
	bl	arm64_thread_returned
	b	.
	.cfi_endproc
	.size	thread_start, . - thread_start
