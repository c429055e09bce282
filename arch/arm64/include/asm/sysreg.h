/* sysreg.h - arm64 system register access and the bits Faultline uses. */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

#ifndef __ASSEMBLY__
#include <types.h>

#define read_sysreg(r) ({						\
	uint64_t __v;							\
	__asm__ __volatile__("mrs %0, " #r : "=r"(__v));		\
	__v;								\
})
#define write_sysreg(v, r) do {						\
	uint64_t __v = (uint64_t)(v);					\
	__asm__ __volatile__("msr " #r ", %x0" : : "rZ"(__v));		\
} while (0)
#define isb()		__asm__ __volatile__("isb" ::: "memory")
#define dsb(opt)	__asm__ __volatile__("dsb " #opt ::: "memory")
#define sev()		__asm__ __volatile__("sev" ::: "memory")
#endif

/* MPIDR_EL1 affinity fields (Aff3 at 39:32, Aff2..Aff0 at 23:0). */
#define MPIDR_HWID_MASK		0xff00ffffffUL

/* MAIR_EL1 attribute indices (PTE AttrIndx). */
#define MT_NORMAL		0	/* 0xff: normal, write-back read/write-allocate */
#define MT_DEVICE_nGnRE		1	/* 0x04 */
#define MAIR_VALUE		0x04ff

/* ESR_EL1 exception classes we name. */
#define ESR_EC_SHIFT		26
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFx		0x01
#define ESR_EC_FP_ASIMD		0x07
#define ESR_EC_ILL		0x0e
#define ESR_EC_SVC64		0x15
#define ESR_EC_SYS64		0x18
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_PC_ALIGN		0x22
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_SP_ALIGN		0x26
#define ESR_EC_SERROR		0x2f
#define ESR_EC_BRK64		0x3c

#define ESR_EC_SVE		0x19
/* ISS of data/instruction aborts. */
#define ESR_ELx_FSC_MASK	0x3fUL		/* DFSC/IFSC: fault status code */
#define ESR_ELx_WNR		(1UL << 6)	/* data abort: write, not read */
#define ESR_ELx_CM		(1UL << 8)	/* data abort: cache maintenance (reported as a write) */
#define ESR_ELx_FNV		(1UL << 10)	/* FAR not valid */

#define DAIF_IRQ		(1UL << 7)

/* SPSR_EL1 / PSTATE bits. */
#define PSR_MODE_MASK		0xfUL
#define PSR_MODE_EL0t		0x0UL
#define PSR_MODE_EL1h		0x5UL
#define PSR_F_BIT		(1UL << 6)
#define PSR_I_BIT		(1UL << 7)
#define PSR_A_BIT		(1UL << 8)
#define PSR_D_BIT		(1UL << 9)
#define PSR_PAN_BIT		(1UL << 22)
#define PSR_NZCV_MASK		0xf0000000UL	/* the only PSTATE bits user space may choose */

/* CPACR_EL1.FPEN = 0b11: no FP/SIMD traps at EL0 or EL1. */
#define CPACR_EL1_FPEN		(3UL << 20)

/* SCTLR_EL1 bits changed at run time (the reset value is in head.S). */
#define SCTLR_EL1_DZE		(1UL << 14)	/* EL0 may use DC ZVA */
#define SCTLR_EL1_UCT		(1UL << 15)	/* EL0 may read CTR_EL0 */
#define SCTLR_EL1_NTWI		(1UL << 16)	/* EL0 WFI not trapped */
#define SCTLR_EL1_NTWE		(1UL << 18)	/* EL0 WFE not trapped */
#define SCTLR_EL1_SPAN		(1UL << 23)	/* 0: exception entry to EL1 sets PSTATE.PAN */
#define SCTLR_EL1_UCI		(1UL << 26)	/* EL0 may clean/invalidate caches by VA */

/* ID_AA64MMFR1_EL1.PAN (bits 23:20): FEAT_PAN when non-zero. */
#define ID_AA64MMFR1_PAN_SHIFT	20

/* TCR_EL1.EPD0: no TTBR0 walks (no user address space loaded). */
#define TCR_EL1_EPD0		(1UL << 7)

#endif
