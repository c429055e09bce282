/*
 * asm/arch.h - x86_64 side of the arch contract (see kernel/include/arch.h).
 */
#ifndef ASM_X86_ARCH_H
#define ASM_X86_ARCH_H

#include <asm/memlayout.h>
#include <asm/pgtable.h>
#include <asm/x86.h>

#define ARCH_NAME	"x86_64"

/* struct pt_regs field offsets, for entry.S. */
#define PT_R15		0
#define PT_RBP		64
#define PT_RAX		112
#define PT_VECTOR	120
#define PT_ERROR	128
#define PT_RIP		136
#define PT_RSP		160
#define PT_SIZE		176

/* struct arch_cpu offsets, for entry.S (%gs points at struct cpu, arch first). */
#define X86_CPU_KERNEL_SP	8
#define X86_CPU_USER_SP		16

/* pt_regs.vector of a frame built by the SYSCALL entry (not an IDT vector). */
#define X86_VEC_SYSCALL	0x100

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
 * FP/SIMD register image of a user thread: the XSAVE area (legacy FXSAVE
 * region, XSAVE header, then the enabled components) or the plain 512-byte
 * FXSAVE image on a CPU without XSAVE. x86_fpu_size says how much is used;
 * XCR0 is limited to what fits here (x87, SSE, AVX: 832 bytes).
 */
#define X86_FPU_AREA_SIZE	1024

/*
 * Per-thread user state, embedded in struct thread.
 * Locking: [S] the thread itself, or anyone while it cannot run (fork,
 *          the scheduler switching it out/in with IRQs off)
 */
struct arch_thread {
	uint8_t fpu[X86_FPU_AREA_SIZE] __aligned(64);	/* [S] saved FP/SIMD state (valid while switched out) */
	uint64_t fsbase;	/* [S] user thread pointer (set_tls, CLONE_SETTLS; wrfsbase from user) */
	uint64_t gsbase;	/* [S] user GS base (user may change it with wrgsbase) */
	bool user;		/* [S] has user FP state (arch_thread_init/copy): switched eagerly */
};

/*
 * Per-CPU arch data, first member of struct cpu.
 * Locking: [I] set while the CPU is brought up, then read-only
 *          [L] only the owning CPU touches it (IRQs off where it matters)
 * entry.S reads kernel_sp and user_sp through %gs (X86_CPU_* offsets).
 */

struct arch_cpu {
	struct cpu *self;		/* [I] must stay at offset 0: %gs:0 reads it */
	uint64_t kernel_sp;		/* [L] top of the running thread's kernel stack (SYSCALL entry) */
	uint64_t user_sp;		/* [L] scratch: user rsp during SYSCALL entry */
	uint64_t user_cr3;		/* [L] user root table loaded on this CPU (0: the kernel's) */
	uint32_t apic_id;		/* [I] local APIC id */
	uint64_t gdt[GDT_ENTRIES] __aligned(16);	/* [I] this CPU's GDT (TSS descriptor differs) */
	struct x86_tss tss __aligned(16);	/* [L] rsp0 changes with the running thread */
	char fault_desc[192];		/* [L] text of the last fatal trap, for do_fatal_trap() */
};
_Static_assert(__builtin_offsetof(struct arch_cpu, kernel_sp) == X86_CPU_KERNEL_SP, "entry.S");
_Static_assert(__builtin_offsetof(struct arch_cpu, user_sp) == X86_CPU_USER_SP, "entry.S");

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

/* ---- user mode: pt_regs accessors (see arch.h) ---- */
static inline bool user_mode(const struct pt_regs *r)
{
	return (r->cs & 3) == 3;
}

static inline long syscall_nr(const struct pt_regs *r)
{
	return (long)r->rax;
}

/* Linux's order: rdi rsi rdx r10 r8 r9 (r10 because SYSCALL clobbers rcx). */
static inline unsigned long syscall_arg(const struct pt_regs *r, int i)
{
	switch (i) {
	case 0: return r->rdi;
	case 1: return r->rsi;
	case 2: return r->rdx;
	case 3: return r->r10;
	case 4: return r->r8;
	case 5: return r->r9;
	}
	return 0;
}

static inline void syscall_set_return(struct pt_regs *r, long v)
{
	r->rax = (uint64_t)v;
}

static inline uintptr_t regs_sp(const struct pt_regs *r)
{
	return r->rsp;
}

static inline void regs_set_sp(struct pt_regs *r, uintptr_t sp)
{
	r->rsp = sp;
}
#endif /* !__ASSEMBLY__ */
#endif
