/* csr.h - supervisor CSR numbers, bits and accessors (RISC-V privileged spec 1.12). */
#ifndef ASM_CSR_H
#define ASM_CSR_H

#include <asm/memlayout.h>

/* sstatus */
#define SR_SIE		_UL(0x00000002)
#define SR_SPIE		_UL(0x00000020)
#define SR_SPP		_UL(0x00000100)
#define SR_FS		_UL(0x00006000)	/* FP state: kept Off (0) in the kernel */
#define SR_FS_OFF	_UL(0x00000000)
#define SR_FS_INITIAL	_UL(0x00002000)
#define SR_FS_CLEAN	_UL(0x00004000)
#define SR_FS_DIRTY	_UL(0x00006000)
#define SR_SUM		_UL(0x00040000)	/* S-mode may access U pages: only inside uaccess */
#define SR_MXR		_UL(0x00080000)
#define SR_UXL		_UL(0x300000000)
#define SR_UXL_64	_UL(0x200000000)	/* U-mode XLEN = 64 */
#define SR_SD		(_UL(1) << 63)

/* scause exception codes */
#define EXC_INST_MISALIGNED	0
#define EXC_INST_ACCESS		1
#define EXC_ILLEGAL_INST	2
#define EXC_BREAKPOINT		3
#define EXC_LOAD_MISALIGNED	4
#define EXC_LOAD_ACCESS		5
#define EXC_STORE_MISALIGNED	6
#define EXC_STORE_ACCESS	7
#define EXC_ECALL_U		8
#define EXC_ECALL_S		9
#define EXC_INST_PAGE_FAULT	12
#define EXC_LOAD_PAGE_FAULT	13
#define EXC_STORE_PAGE_FAULT	15

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
