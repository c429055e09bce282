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

#define DAIF_IRQ		(1UL << 7)

#endif
