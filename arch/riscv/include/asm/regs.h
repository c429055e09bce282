/*
 * regs.h - byte offsets shared by the assembly entry code and C.
 * arch/riscv/kernel/asm_check.c verifies each one against offsetof().
 */
#ifndef ASM_REGS_H
#define ASM_REGS_H

/* struct pt_regs: x1..x31 at 8*n, epc in slot 0 (x0 is hard-wired zero). */
#define PT_EPC		0
#define PT_REG(n)	(8 * (n))
#define PT_STATUS	256
#define PT_BADADDR	264
#define PT_CAUSE	272
#define PT_FRAME_FP	288	/* frame record: interrupted s0 ...         */
#define PT_FRAME_RA	296	/* ... and sepc, so fp chains cross the trap */
#define PT_SIZE		304	/* multiple of 16: keeps sp 16-byte aligned  */

/* struct arch_context */
#define CTX_RA		0
#define CTX_SP		8
#define CTX_S(n)	(16 + 8 * (n))	/* s0..s11 */
#define CTX_SIZE	112

/* struct arch_cpu (first member of struct cpu, so also offsets from tp) */
#define CPU_KERNEL_SP	0
#define CPU_USER_SP	8
#define CPU_BOOT_STACK	16

#endif
