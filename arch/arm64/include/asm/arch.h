/*
 * asm/arch.h - arm64 half of the arch contract (see kernel/include/arch.h):
 * trap frame, context, per-CPU data, the inline hooks and the PTE encoding.
 */
#ifndef ASM_ARCH_H
#define ASM_ARCH_H

#include <asm/memlayout.h>
#include <asm/sysreg.h>

#define ARCH_NAME	"arm64"
#define ARCH_PT_LEVELS	4

/* struct pt_regs offsets, shared with entry.S. */
#define S_X0		0
#define S_LR		240	/* x30 */
#define S_SP		248
#define S_PC		256
#define S_PSTATE	264
#define S_ESR		272
#define S_FAR		280
#define S_ORIG_X0	288
#define S_STACKFRAME	304
#define PT_REGS_SIZE	320

/* struct arch_thread / struct fpsimd_state offsets, shared with fpsimd.S. */
#define FPSIMD_VREGS	0
#define FPSIMD_FPSR	512
#define FPSIMD_FPCR	516

/* Slots in secondary_boot[] (smp.c checks it equals NR_CPUS). */
#define SECONDARY_BOOT_SLOTS 16

/* struct arch_context offsets, shared with entry.S. */
#define CTX_X19		0
#define CTX_FP		80
#define CTX_LR		88
#define CTX_SP		96

#ifndef __ASSEMBLY__
#include <types.h>

/* Trap frame: built on the interrupted thread's kernel stack by entry.S. */
struct pt_regs {
	uint64_t regs[31];	/* x0..x30 */
	uint64_t sp;		/* stack pointer at the time of the trap */
	uint64_t pc;		/* ELR_EL1 */
	uint64_t pstate;	/* SPSR_EL1 */
	uint64_t esr;		/* ESR_EL1 (synchronous exceptions) */
	uint64_t far;		/* FAR_EL1 (synchronous exceptions) */
	uint64_t orig_x0;	/* x0 at syscall entry (x0 is also the result register) */
	uint64_t pad;
	uint64_t stackframe[2];	/* {x29, pc}: links the frame-pointer chain through the trap */
};

/* Callee-saved registers kept across arch_context_switch(). */
struct arch_context {
	uint64_t x19_x28[10];
	uint64_t fp;		/* x29 */
	uint64_t lr;		/* x30: where the switch returns to */
	uint64_t sp;
	uint64_t pad;
};

/*
 * Per-CPU arch data, first member of struct cpu (TPIDR_EL1 points at it).
 * Locking: every field is [I] (set by the owning CPU before it goes online).
 */
/* The user-visible FP/SIMD register file: V0-V31 (128 bits each), FPSR, FPCR. */
struct fpsimd_state {
	uint64_t vregs[64];	/* q0..q31, each as {low, high} */
	uint32_t fpsr;
	uint32_t fpcr;
};

/*
 * Per-thread user state, embedded in struct thread. While the thread runs,
 * the live copy is in the CPU registers (V0-V31, FPSR, FPCR, TPIDR_EL0);
 * arch_thread_switch() saves it here when the thread leaves the CPU and
 * loads the next thread's. The kernel itself never touches FP/SIMD registers
 * (-mgeneral-regs-only), so traps and syscalls need not save them.
 * Locking: [S] the owning thread, or the scheduler with IRQs off while it switches.
 */
struct arch_thread {
	struct fpsimd_state fpsimd;	/* [S] valid while the thread is off the CPU */
	uintptr_t tls;			/* [S] TPIDR_EL0 (set_tls, CLONE_SETTLS), valid likewise */
	bool user_state;		/* [S] set by arch_thread_init/copy: switch FP/TLS for it */
};

struct arch_cpu {
	uint64_t mpidr;		/* [I] MPIDR_EL1 affinity bits */
	uint32_t gicv2_mask;	/* [I] GICv2 CPU-interface target bit (GICD_ITARGETSR) */
	uint32_t pad;
	void *gicr_base;	/* [I] GICv3 redistributor (RD_base) of this CPU */
};

_Static_assert(sizeof(struct pt_regs) == PT_REGS_SIZE, "pt_regs layout");
_Static_assert(__builtin_offsetof(struct pt_regs, stackframe) == S_STACKFRAME, "pt_regs layout");
_Static_assert(__builtin_offsetof(struct pt_regs, orig_x0) == S_ORIG_X0, "pt_regs layout");
_Static_assert(__builtin_offsetof(struct fpsimd_state, fpsr) == FPSIMD_FPSR, "fpsimd layout");
_Static_assert(__builtin_offsetof(struct fpsimd_state, fpcr) == FPSIMD_FPCR, "fpsimd layout");
_Static_assert(__builtin_offsetof(struct arch_context, sp) == CTX_SP, "context layout");

struct cpu;

static inline struct cpu *arch_this_cpu(void)
{
	return (struct cpu *)read_sysreg(tpidr_el1);
}

static inline void arch_set_this_cpu(struct cpu *c)
{
	write_sysreg(c, tpidr_el1);
}

/* ---- interrupts: PSTATE.I through DAIF -------------------------------- */
static inline unsigned long arch_irq_save(void)
{
	unsigned long flags = read_sysreg(daif);

	__asm__ __volatile__("msr daifset, #2" ::: "memory");
	return flags;
}

static inline void arch_irq_restore(unsigned long flags)
{
	__asm__ __volatile__("msr daif, %0" : : "r"(flags) : "memory");
}

static inline void arch_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" ::: "memory");
}

static inline void arch_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" ::: "memory");
}

static inline bool arch_irqs_enabled(void)
{
	return !(read_sysreg(daif) & DAIF_IRQ);
}

static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__("yield" ::: "memory");
}

/* WFI wakes on a pending interrupt even while PSTATE.I masks it. */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("dsb sy; wfi" ::: "memory");
}

static inline void arch_io_mb(void)
{
	__asm__ __volatile__("dsb sy" ::: "memory");
}

static inline uintptr_t arch_regs_pc(const struct pt_regs *regs)
{
	return regs->pc;
}

/* ---- pt_regs accessors for user mode (AAPCS64 syscall convention: x8, x0-x5) ---- */
static inline bool user_mode(const struct pt_regs *r)
{
	return (r->pstate & PSR_MODE_MASK) == PSR_MODE_EL0t;
}

static inline long syscall_nr(const struct pt_regs *r)
{
	return (long)r->regs[8];
}

/* Argument 0 comes from orig_x0: x0 may already hold the result. */
static inline unsigned long syscall_arg(const struct pt_regs *r, int i)
{
	return i == 0 ? r->orig_x0 : r->regs[i];
}

static inline void syscall_set_return(struct pt_regs *r, long v)
{
	r->regs[0] = (uint64_t)v;
}

static inline uintptr_t regs_sp(const struct pt_regs *r)
{
	return r->sp;
}

static inline void regs_set_sp(struct pt_regs *r, uintptr_t sp)
{
	r->sp = sp;
}

/* ---- page-table entries (VMSAv8-64, 4 KiB granule) ---------------------
 * Generic level 0 = hardware level 3 (4 KiB pages), level 1 = 2 MiB blocks,
 * level 2 = 1 GiB blocks, level 3 = the root (no blocks).
 * <arch.h> defines the generic PTE_R/W/X/... after including this file, so
 * the encoders use these copies; mmu.c checks that they agree.
 */
#define ARM64_PROT_R	0x01u
#define ARM64_PROT_W	0x02u
#define ARM64_PROT_X	0x04u
#define ARM64_PROT_USER	0x08u
#define ARM64_PROT_DEVICE 0x10u
#define ARM64_PROT_GLOBAL 0x20u

#define PTE_VALID	(1UL << 0)
#define PTE_TYPE_TABLE	(1UL << 1)	/* with VALID: table (levels 1-3) or page (level 0) */
#define PTE_ATTRINDX(i)	((uint64_t)(i) << 2)
#define PTE_ATTRINDX_MASK (7UL << 2)
#define PTE_AP_USER	(1UL << 6)	/* AP[1]: EL0 may access */
#define PTE_AP_RDONLY	(1UL << 7)	/* AP[2]: read-only */
#define PTE_SH_INNER	(3UL << 8)
#define PTE_AF		(1UL << 10)
#define PTE_NG		(1UL << 11)
#define PTE_PXN		(1UL << 53)
#define PTE_UXN		(1UL << 54)
#define PTE_ADDR_MASK	0x0000fffffffff000UL

static inline pte_t pte_mk_table(phys_addr_t table_pa)
{
	return (table_pa & PTE_ADDR_MASK) | PTE_TYPE_TABLE | PTE_VALID;
}

static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int prot, int level)
{
	pte_t pte = (pa & PTE_ADDR_MASK) | PTE_VALID | PTE_AF;

	if (level == 0)
		pte |= PTE_TYPE_TABLE;		/* page descriptor */
	if (prot & ARM64_PROT_DEVICE)
		pte |= PTE_ATTRINDX(MT_DEVICE_nGnRE);
	else
		pte |= PTE_ATTRINDX(MT_NORMAL) | PTE_SH_INNER;
	if (!(prot & ARM64_PROT_W))
		pte |= PTE_AP_RDONLY;
	if (prot & ARM64_PROT_USER)	/* user pages are never kernel-executable */
		pte |= PTE_AP_USER | PTE_PXN | ((prot & ARM64_PROT_X) ? 0 : PTE_UXN);
	else
		pte |= PTE_UXN | ((prot & ARM64_PROT_X) ? 0 : PTE_PXN);
	if (!(prot & ARM64_PROT_GLOBAL))
		pte |= PTE_NG;
	return pte;
}

static inline bool pte_present(pte_t pte)
{
	return pte & PTE_VALID;
}

static inline bool pte_is_table(pte_t pte, int level)
{
	return level > 0 && (pte & (PTE_VALID | PTE_TYPE_TABLE)) == (PTE_VALID | PTE_TYPE_TABLE);
}

static inline phys_addr_t pte_pa(pte_t pte)
{
	return pte & PTE_ADDR_MASK;
}

static inline unsigned int pte_prot(pte_t pte)
{
	unsigned int prot = ARM64_PROT_R;	/* a valid entry is readable */
	bool user = pte & PTE_AP_USER;

	if (!(pte & PTE_AP_RDONLY))
		prot |= ARM64_PROT_W;
	if (user)
		prot |= ARM64_PROT_USER;
	if (!(pte & (user ? PTE_UXN : PTE_PXN)))
		prot |= ARM64_PROT_X;
	if ((pte & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_DEVICE_nGnRE))
		prot |= ARM64_PROT_DEVICE;
	if (!(pte & PTE_NG))
		prot |= ARM64_PROT_GLOBAL;
	return prot;
}

/* Store, then make the walker see it before any later access (kernel mappings are used at once). */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	WRITE_ONCE(*ptep, pte);
	dsb(ishst);
	isb();
}

#endif /* !__ASSEMBLY__ */
#endif
