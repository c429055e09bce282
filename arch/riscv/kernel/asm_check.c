/* asm_check.c - compile-time checks that assembly offsets match the C layouts. */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <stddef.h>

_Static_assert(offsetof(struct pt_regs, epc) == PT_EPC, "PT_EPC");
_Static_assert(offsetof(struct pt_regs, ra) == PT_REG(1), "PT_REG(1)");
_Static_assert(offsetof(struct pt_regs, s0) == PT_REG(8), "PT_REG(8)");
_Static_assert(offsetof(struct pt_regs, t6) == PT_REG(31), "PT_REG(31)");
_Static_assert(offsetof(struct pt_regs, status) == PT_STATUS, "PT_STATUS");
_Static_assert(offsetof(struct pt_regs, badaddr) == PT_BADADDR, "PT_BADADDR");
_Static_assert(offsetof(struct pt_regs, cause) == PT_CAUSE, "PT_CAUSE");
_Static_assert(offsetof(struct pt_regs, frame_fp) == PT_FRAME_FP, "PT_FRAME_FP");
_Static_assert(offsetof(struct pt_regs, frame_ra) == PT_FRAME_RA, "PT_FRAME_RA");
_Static_assert(sizeof(struct pt_regs) == PT_SIZE && PT_SIZE % 16 == 0, "PT_SIZE");
_Static_assert(offsetof(struct arch_context, ra) == CTX_RA, "CTX_RA");
_Static_assert(offsetof(struct arch_context, sp) == CTX_SP, "CTX_SP");
_Static_assert(offsetof(struct arch_context, s[11]) == CTX_S(11), "CTX_S");
_Static_assert(sizeof(struct arch_context) == CTX_SIZE, "CTX_SIZE");
_Static_assert(offsetof(struct cpu, arch) == 0, "struct arch_cpu must be first");
_Static_assert(offsetof(struct arch_cpu, kernel_sp) == CPU_KERNEL_SP, "CPU_KERNEL_SP");
_Static_assert(offsetof(struct arch_cpu, user_sp) == CPU_USER_SP, "CPU_USER_SP");
_Static_assert(offsetof(struct arch_cpu, boot_stack_top) == CPU_BOOT_STACK, "CPU_BOOT_STACK");
_Static_assert(GEN_PTE_R == PTE_R && GEN_PTE_W == PTE_W && GEN_PTE_X == PTE_X &&
	       GEN_PTE_USER == PTE_USER && GEN_PTE_DEVICE == PTE_DEVICE &&
	       GEN_PTE_GLOBAL == PTE_GLOBAL, "generic PTE bits changed in <arch.h>");
_Static_assert(offsetof(struct riscv_fp_state, f[31]) == 8 * 31 &&
	       offsetof(struct riscv_fp_state, fcsr) == 256, "fpu.S offsets");
