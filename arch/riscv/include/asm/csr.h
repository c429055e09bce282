/* csr.h - supervisor CSR numbers, bits and accessors (RISC-V privileged spec 1.12). */
#ifndef ASM_CSR_H
#define ASM_CSR_H

#include <asm/memlayout.h>

/* sstatus */
#define SR_SIE		_UL(0x00000002)
#define SR_SPIE		_UL(0x00000020)
#define SR_SPP		_UL(0x00000100)
#define SR_FS		_UL(0x00006000)	/* FP state: kept Off (0) in the kernel */
#define SR_SUM		_UL(0x00040000)

/* sie / sip bits and scause interrupt codes */
#define IRQ_S_SOFT	1
#define IRQ_S_TIMER	5
#define IRQ_S_EXT	9
#define SIE_SSIE	(_UL(1) << IRQ_S_SOFT)
#define SIE_STIE	(_UL(1) << IRQ_S_TIMER)
#define SIE_SEIE	(_UL(1) << IRQ_S_EXT)
#define SIP_SSIP	SIE_SSIE	/* same bit in sip */
#define CAUSE_IRQ_FLAG	(_UL(1) << 63)

/* satp */
#define SATP_MODE_SV39	(_UL(8) << 60)

#ifndef __ASSEMBLY__
#define csr_read(csr) ({						\
	unsigned long __v;						\
	__asm__ __volatile__("csrr %0, " #csr : "=r"(__v) :: "memory");	\
	__v;								\
})
#define csr_write(csr, val) \
	__asm__ __volatile__("csrw " #csr ", %0" :: "rK"(val) : "memory")
#define csr_set(csr, val) \
	__asm__ __volatile__("csrs " #csr ", %0" :: "rK"(val) : "memory")
#define csr_clear(csr, val) \
	__asm__ __volatile__("csrc " #csr ", %0" :: "rK"(val) : "memory")
#define csr_read_clear(csr, val) ({					\
	unsigned long __v;						\
	__asm__ __volatile__("csrrc %0, " #csr ", %1"			\
			     : "=r"(__v) : "rK"(val) : "memory");	\
	__v;								\
})
#endif

#endif
