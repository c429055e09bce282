/*
 * asm/arch.h - riscv64 types and inline hooks for the arch contract.
 *
 * Register conventions in the kernel:
 *   tp        this CPU's struct cpu (struct arch_cpu is its first member).
 *             It belongs to the CPU, not the thread: the trap exit path never
 *             reloads it when returning to kernel mode, so a thread that was
 *             interrupted on one CPU and resumed on another sees the new CPU.
 *   sscratch  0 while the hart runs kernel code; while it runs user code it
 *             holds the struct cpu pointer, so trap_entry can tell the two
 *             apart with one csrrw and find the kernel stack
 *             (arch_cpu.kernel_sp, set by arch_set_kernel_stack). The user's
 *             own tp (its TLS pointer) is saved in pt_regs.tp on every trap
 *             from user mode and reloaded on the way back.
 *   sstatus   FS is Off and SUM clear whenever kernel code runs: trap_entry
 *             clears both (the trap frame keeps the interrupted values), FP
 *             registers are touched only by fpu.S with IRQs off, and SUM is
 *             set only inside the uaccess routines (uaccess.S).
 *   s0        frame pointer; the saved ra is at fp-8, the caller's fp at fp-16.
 */
#ifndef ASM_ARCH_H
#define ASM_ARCH_H

#include <types.h>
#include <asm/memlayout.h>
#include <asm/csr.h>
#include <asm/regs.h>

#define ARCH_NAME	"riscv64"
#define ELF_ARCH	243	/* EM_RISCV: e_machine execve accepts */

struct cpu;

/* Trap frame: everything the interrupted context needs, saved by trap_entry. */
struct pt_regs {
	unsigned long epc;		/* sepc: the trapping/interrupted instruction */
	unsigned long ra, sp, gp, tp;
	unsigned long t0, t1, t2;
	unsigned long s0, s1;
	unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
	unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	unsigned long t3, t4, t5, t6;
	unsigned long status;		/* sstatus at the trap */
	unsigned long badaddr;		/* stval */
	unsigned long cause;		/* scause */
	unsigned long __pad;
	unsigned long frame_fp;		/* frame record linking the unwinder to */
	unsigned long frame_ra;		/* the interrupted code: {s0, sepc}     */
};

/* Callee-saved registers kept across arch_context_switch(). */
struct arch_context {
	unsigned long ra;
	unsigned long sp;
	unsigned long s[12];		/* s0..s11 */
};

/* The F/D register file of a user thread (also the FP part of a signal frame). */
struct riscv_fp_state {
	uint64_t f[32];			/* f0..f31 */
	uint32_t fcsr;			/* frm + fflags (bits 0-7) */
	uint32_t __pad;
};

/*
 * Per-thread user state, embedded in struct thread.
 * The user's FP registers stay in the hardware while its thread runs (also
 * in kernel mode: the kernel never uses them); arch_thread_switch() saves them
 * here when the thread's user sstatus.FS says Dirty, and loads the next user
 * thread's. The TLS pointer is the user's tp, a GPR: it lives in the user
 * frame (thread->user_regs->tp); tls/tls_pending only carry a value set before
 * that frame was filled in (CLONE_SETTLS), applied by arch_return_to_user().
 * Locking: [S] the thread itself, or its creator before it first runs;
 * fp: [S] with IRQs off (the switch code reads and writes it).
 */
struct arch_thread {
	struct riscv_fp_state fp;	/* [S] saved f0-f31/fcsr (stale while loaded and Dirty) */
	uintptr_t tls;			/* [S] thread pointer set by arch_set_tls() */
	bool tls_pending;		/* [S] tls not yet copied into the user frame */
	bool user_state;		/* [S] a user thread: its FP state is switched */
};

struct arch_cpu {
	unsigned long kernel_sp;	/* [L] stack for traps from user mode */
	unsigned long user_sp;		/* [L] trap_entry scratch: the user sp */
	unsigned long boot_stack_top;	/* [I] first stack of a secondary hart */
	unsigned long hartid;		/* [I] */
	unsigned int cpu;		/* [I] logical CPU number */
	int plic_ctx;			/* [I] PLIC S-mode context of this hart, -1 if none */
	uint64_t tick_period;		/* [L] timer ticks per kernel tick, 0 = timer off */
	uint64_t next_tick;		/* [L] absolute time of the next tick */
	unsigned long icache_gen;	/* [L] riscv_icache_gen at this hart's last fence.i */
};

/* ---- user mode ---- */
#define USER_TOP	_UL(0x4000000000)	/* Sv39 lower half: 256 GiB of user space */

static inline bool user_mode(const struct pt_regs *r)
{
	return !(r->status & SR_SPP);
}

static inline long syscall_nr(const struct pt_regs *r)
{
	return (long)r->a7;
}

static inline unsigned long syscall_arg(const struct pt_regs *r, int i)
{
	return (&r->a0)[i];
}

static inline void syscall_set_return(struct pt_regs *r, long v)
{
	r->a0 = (unsigned long)v;
}

static inline uintptr_t regs_sp(const struct pt_regs *r)
{
	return r->sp;
}

static inline void regs_set_sp(struct pt_regs *r, uintptr_t sp)
{
	r->sp = sp;
}

/*
 * Instruction fetches are not coherent with stores on RISC-V: a hart must
 * run fence.i before executing code written since its last fence.i. Installing
 * a user-executable PTE fences this hart and bumps riscv_icache_gen; every
 * other hart fences on its next return to user mode (trap exit), so a page
 * filled by the kernel is seen by whichever hart executes it first.
 */
extern unsigned long riscv_icache_gen;	/* [a] */
void riscv_user_exec_mapped(void);

/* ---- CPU identity ---- */
static inline struct cpu *arch_this_cpu(void)
{
	struct cpu *c;

	__asm__ __volatile__("mv %0, tp" : "=r"(c));
	return c;
}

static inline void arch_set_this_cpu(struct cpu *c)
{
	__asm__ __volatile__("mv tp, %0" :: "r"(c) : "memory");
}

/* ---- interrupts ---- */
static inline unsigned long arch_irq_save(void)
{
	return csr_read_clear(sstatus, SR_SIE) & SR_SIE;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & SR_SIE)
		csr_set(sstatus, SR_SIE);
	else
		csr_clear(sstatus, SR_SIE);
}

static inline void arch_irq_enable(void)
{
	csr_set(sstatus, SR_SIE);
}

static inline void arch_irq_disable(void)
{
	csr_clear(sstatus, SR_SIE);
}

static inline bool arch_irqs_enabled(void)
{
	return (csr_read(sstatus) & SR_SIE) != 0;
}

/* Zihintpause "pause"; a harmless fence hint on harts without it. */
static inline void arch_cpu_relax(void)
{
	__asm__ __volatile__(".4byte 0x0100000f" ::: "memory");
}

/* wfi wakes on any pending interrupt enabled in sie, even with sstatus.SIE clear. */
static inline void arch_wait_for_interrupt(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

static inline void arch_io_mb(void)
{
	__asm__ __volatile__("fence iorw, iorw" ::: "memory");
}

static inline uintptr_t arch_regs_pc(const struct pt_regs *regs)
{
	return regs->epc;
}

/* ---- Sv39 page-table entries ----
 * Hardware bits: V R W X U G A D, RSW (8-9, ours), PPN in bits 10-53.
 * A and D are always set: U54/U74 harts fault instead of updating them.
 * Memory type comes from the platform's PMAs (no Svpbmt on the boards), so
 * PTE_DEVICE is only remembered in software bit 8.
 * A leaf without R, W or X would read as a table pointer, so such "no access"
 * leaves are stored with V clear (not present) and keep their prot bits. */
#define _PAGE_V		(1UL << 0)
#define _PAGE_R		(1UL << 1)
#define _PAGE_W		(1UL << 2)
#define _PAGE_X		(1UL << 3)
#define _PAGE_U		(1UL << 4)
#define _PAGE_G		(1UL << 5)
#define _PAGE_A		(1UL << 6)
#define _PAGE_D		(1UL << 7)
#define _PAGE_DEVICE	(1UL << 8)	/* RSW: software-only */
#define _PAGE_LEAF	(_PAGE_R | _PAGE_W | _PAGE_X)
#define _PAGE_PFN_SHIFT	10
#define _PAGE_PFN_MASK	(((1UL << 44) - 1) << _PAGE_PFN_SHIFT)

/* <arch.h> defines the generic PTE_* bits after including this file; these
 * copies let the inlines below compile, asm_check.c asserts they match. */
#define GEN_PTE_R	0x01u
#define GEN_PTE_W	0x02u
#define GEN_PTE_X	0x04u
#define GEN_PTE_USER	0x08u
#define GEN_PTE_DEVICE	0x10u
#define GEN_PTE_GLOBAL	0x20u

static inline pte_t pte_mk_table(phys_addr_t table_pa)
{
	return ((table_pa >> PAGE_SHIFT) << _PAGE_PFN_SHIFT) | _PAGE_V;
}

static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int prot, int level)
{
	pte_t pte = ((pa >> PAGE_SHIFT) << _PAGE_PFN_SHIFT) | _PAGE_A | _PAGE_D;

	(void)level;			/* Sv39 allows leaves at every level */
	if (prot & (GEN_PTE_R | GEN_PTE_W))
		pte |= _PAGE_R;		/* W without R is reserved */
	if (prot & GEN_PTE_W)
		pte |= _PAGE_W;
	if (prot & GEN_PTE_X)
		pte |= _PAGE_X;
	if (prot & GEN_PTE_USER)
		pte |= _PAGE_U;
	if (prot & GEN_PTE_GLOBAL)
		pte |= _PAGE_G;
	if (prot & GEN_PTE_DEVICE)
		pte |= _PAGE_DEVICE;
	if (pte & _PAGE_LEAF)
		pte |= _PAGE_V;
	return pte;
}

static inline bool pte_present(pte_t pte)
{
	return (pte & _PAGE_V) != 0;
}

static inline bool pte_is_table(pte_t pte, int level)
{
	return level > 0 && pte_present(pte) && !(pte & _PAGE_LEAF);
}

static inline phys_addr_t pte_pa(pte_t pte)
{
	return ((pte & _PAGE_PFN_MASK) >> _PAGE_PFN_SHIFT) << PAGE_SHIFT;
}

static inline unsigned int pte_prot(pte_t pte)
{
	unsigned int prot = 0;

	if (pte & _PAGE_R)
		prot |= GEN_PTE_R;
	if (pte & _PAGE_W)
		prot |= GEN_PTE_W;
	if (pte & _PAGE_X)
		prot |= GEN_PTE_X;
	if (pte & _PAGE_U)
		prot |= GEN_PTE_USER;
	if (pte & _PAGE_G)
		prot |= GEN_PTE_GLOBAL;
	if (pte & _PAGE_DEVICE)
		prot |= GEN_PTE_DEVICE;
	return prot;
}

/*
 * The store, then a local sfence.vma when an entry becomes valid: the
 * privileged spec lets a hart cache invalid entries, so a new mapping is only
 * guaranteed visible after a fence. Changing or removing a valid entry still
 * needs the caller's TLB flush (local or shootdown).
 */
static inline void set_pte(pte_t *ptep, pte_t pte)
{
	pte_t old = READ_ONCE(*ptep);

	WRITE_ONCE(*ptep, pte);
	if ((pte & (_PAGE_V | _PAGE_U | _PAGE_X)) == (_PAGE_V | _PAGE_U | _PAGE_X))
		riscv_user_exec_mapped();	/* includes the sfence.vma */
	else if (pte_present(pte) && !pte_present(old))
		__asm__ __volatile__("sfence.vma" ::: "memory");
	else
		__asm__ __volatile__("fence rw, rw" ::: "memory");
}

#endif
