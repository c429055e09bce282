/*
 * asm/x86.h - thin wrappers around x86 instructions (port I/O, MSRs,
 * control registers, CPUID) and architectural constants.
 */
#ifndef ASM_X86_X86_H
#define ASM_X86_X86_H

#include <asm/const.h>

/* GDT layout, identical on every CPU. The user segments follow SYSRET's
 * order (STAR[63:48] + 8 = user SS, + 16 = user CS) for when user mode comes. */
#define GDT_KERNEL_CS	0x08
#define GDT_KERNEL_DS	0x10
#define GDT_USER_DS	0x18
#define GDT_USER_CS	0x20
#define GDT_TSS		0x28	/* 16-byte descriptor: two slots */
#define GDT_ENTRIES	7

#define CR0_PE		_BIT(0)
#define CR0_WP		_BIT(16)
#define CR0_PG		_BIT(31)
#define CR4_PAE		_BIT(5)
#define CR4_PGE		_BIT(7)
#define CR4_OSFXSR	_BIT(9)		/* FXSAVE/FXRSTOR and SSE enabled */
#define CR4_OSXMMEXCPT	_BIT(10)	/* unmasked SIMD FP exceptions raise #XM */
#define CR4_FSGSBASE	_BIT(16)	/* rd/wr{fs,gs}base */
#define CR4_OSXSAVE	_BIT(18)	/* XSAVE/XRSTOR and XCR0 */
#define CR4_SMEP	_BIT(20)
#define CR4_SMAP	_BIT(21)

#define MSR_EFER	0xc0000080
#define EFER_SCE	_BIT(0)		/* SYSCALL/SYSRET */
#define EFER_LME	_BIT(8)
#define EFER_NXE	_BIT(11)
#define MSR_STAR	0xc0000081	/* SYSCALL/SYSRET segment selectors */
#define MSR_LSTAR	0xc0000082	/* SYSCALL entry point (64-bit) */
#define MSR_CSTAR	0xc0000083	/* SYSCALL entry point from compatibility mode */
#define MSR_FMASK	0xc0000084	/* RFLAGS bits SYSCALL clears */
#define MSR_FS_BASE	0xc0000100
#define MSR_GS_BASE	0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102	/* swapped with GS base by swapgs */
#define MSR_APIC_BASE	0x1b

#define RFLAGS_CF	_BIT(0)
#define RFLAGS_PF	_BIT(2)
#define RFLAGS_AF	_BIT(4)
#define RFLAGS_ZF	_BIT(6)
#define RFLAGS_SF	_BIT(7)
#define RFLAGS_TF	_BIT(8)
#define RFLAGS_IF	_BIT(9)
#define RFLAGS_DF	_BIT(10)
#define RFLAGS_OF	_BIT(11)
#define RFLAGS_IOPL	(3 << 12)
#define RFLAGS_NT	_BIT(14)
#define RFLAGS_RF	_BIT(16)
#define RFLAGS_AC	_BIT(18)
#define RFLAGS_FIXED	_BIT(1)		/* always reads as 1 */

#ifndef __ASSEMBLY__
#include <types.h>

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ __volatile__("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			     : "a"(leaf), "c"(subleaf));
	return r;
}

#define DEFINE_CR_ACCESSORS(n)						\
static inline uint64_t read_cr##n(void)					\
{									\
	uint64_t v;							\
	__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));		\
	return v;							\
}									\
static inline void write_cr##n(uint64_t v)				\
{									\
	__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory");	\
}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)

static inline uint64_t xgetbv(uint32_t reg)
{
	uint32_t lo, hi;

	__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(reg));
	return (uint64_t)hi << 32 | lo;
}

static inline void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ __volatile__("xsetbv" : : "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

#endif /* !__ASSEMBLY__ */
#endif
