/*
 * asm/arch.h - x86_64 side of the arch contract (see kernel/include/arch.h).
 */
#ifndef ASM_X86_ARCH_H
#define ASM_X86_ARCH_H

#include <asm/memlayout.h>
#include <asm/pgtable.h>
#include <asm/x86.h>

#define ARCH_NAME	"x86_64"
#define ELF_ARCH	62	/* EM_X86_64: e_machine execve accepts */

/* struct pt_regs field offsets, for entry.S. */
#define PT_R15		0
#define PT_RBP		64
#define PT_RAX		112
#define PT_VECTOR	120
#define PT_ERROR	128
#define PT_RIP		136
#define PT_RSP		160
#define PT_SIZE		176

#ifndef __ASSEMBLY__
#include <types.h>

/*
 * Trap frame, built on the interrupted thread's kernel stack by entry.S:
 * general registers pushed by the stub, then vector and error code (0 if
 * the CPU pushes none), then the frame the CPU pushed itself.
 */
struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};
_Static_assert(sizeof(struct pt_regs) == PT_SIZE, "entry.S depends on the pt_regs layout");

/* Callee-saved registers of a switched-out thread (arch_context_switch). */
struct arch_context {
	uint64_t rsp;
	uint64_t rbx, rbp, r12, r13, r14, r15;
};

/* 64-bit task state segment: only the stack pointers matter in long mode. */
struct x86_tss {
	uint32_t reserved0;
	uint64_t rsp[3];		/* stack for a trap from ring 1..3 -> ring 0 uses rsp[0] */
	uint64_t reserved1;
	uint64_t ist[7];		/* interrupt stack table (double fault uses ist[0]) */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;		/* = sizeof(tss): no I/O permission bitmap */
} __packed;

/*
 * Per-CPU arch data, first member of struct cpu.
 * Locking: [I] set while the CPU is brought up, then read-only
 *          [L] only the owning CPU touches it (IRQs off where it matters)
 */
/* Per-thread user state, embedded in struct thread (issue 3 adds FP/SIMD). */
struct arch_thread {
	uintptr_t tls;		/* [S] user thread pointer (set_tls, CLONE_SETTLS) */
};

struct arch_cpu {
	struct cpu *self;		/* [I] must stay at offset 0: %gs:0 reads it */
	uint32_t apic_id;		/* [I] local APIC id */
	uint64_t gdt[GDT_ENTRIES] __aligned(16);	/* [I] this CPU's GDT (TSS descriptor differs) */
	struct x86_tss tss __aligned(16);	/* [L] rsp0 changes with the running thread */
	char fault_desc[96];		/* [L] text of the last fatal trap, for do_fatal_trap() */
};

/* ---- CPU identity ---- */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;

	__asm__ __volatile__("mov %%gs:0, %0" : "=r"(c));
	return c;
}

/* Needs c->arch.self == c, which arch code sets before calling this. */
static inline void arch_set_this_cpu(struct cpu *c)
{
	*(struct cpu **)c = c;		/* arch.self, at offset 0 of struct cpu */
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);
}

/* ---- interrupts ---- */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		__asm__ __volatile__("sti" : : : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static inline bool arch_irqs_enabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags));
	return flags & RFLAGS_IF;
}

static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

/* STI's one-instruction shadow means an IRQ pending before the HLT still wakes it. */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("sti; hlt; cli" : : : "memory");
}

/* Full fence: device (UC) accesses ordered against normal memory (DMA buffers). */
static inline void arch_io_mb(void)
{
	__asm__ __volatile__("mfence" : : : "memory");
}

static inline uintptr_t arch_regs_pc(const struct pt_regs *regs)
{
	return regs->rip;
}
#endif /* !__ASSEMBLY__ */
#endif
