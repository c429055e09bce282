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
#define CR4_SMEP	_BIT(20)
#define CR4_SMAP	_BIT(21)

#define MSR_EFER	0xc0000080
#define EFER_LME	_BIT(8)
#define EFER_NXE	_BIT(11)
#define MSR_GS_BASE	0xc0000101
#define MSR_APIC_BASE	0x1b

#define RFLAGS_IF	_BIT(9)

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

#endif /* !__ASSEMBLY__ */
#endif
