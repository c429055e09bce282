/*
 * Host "architecture" for tests/host/fault: kernel/mm and kernel/sync run
 * as a Linux process. Each pthread plays one CPU running one kernel thread.
 *
 *  - "Physical memory" is an anonymous mapping at PHYS_MAP_BASE (physical
 *    address 0 = PHYS_MAP_BASE), as in tests/host/mm.
 *  - Page-table entries use x86-64-like bits: P, RW, US, PS (a leaf above
 *    level 0), NX; bit 4 (PCD) for device memory, bit 8 (G) for global.
 *  - Interrupts are a per-thread flag so the kernel's "IRQs off" checks
 *    (spinlocks, switch_mm, TLB shootdown) mean something.
 *  - Each CPU has a small software TLB (shim.c); arch_flush_tlb_* empty it,
 *    cross-CPU calls wait until the target CPU is between two "instructions"
 *    (user accesses are simulated in harness.c: TLB, then a page-table walk,
 *    then do_page_fault on a miss, exactly like a trap).
 */
#ifndef HOST_ASM_ARCH_H
#define HOST_ASM_ARCH_H

#include <types.h>

#define ARCH_NAME	"host"
#define ARCH_PT_LEVELS	4
#ifndef HOST_PHYS_MAP_BASE
#define HOST_PHYS_MAP_BASE 0x001000000000UL	/* ASan builds move it out of its shadow */
#endif
#define PHYS_MAP_BASE	HOST_PHYS_MAP_BASE	/* the arena, see shim.c */
#define PHYS_MAP_SIZE	(1UL << 30)		/* 1 GiB of "physical" address space */
#define KMAP_BASE	0x003000000000UL	/* only page tables, never dereferenced */
#define KMAP_SIZE	(64UL << 20)
#define KERNEL_VIRT_BASE 0x500000000000UL	/* below a PIE host binary (empty_zero_page) */
#define USER_TOP	0x000040000000000UL	/* 4 TiB of simulated user space; never dereferenced */

struct pt_regs {
	uintptr_t pc;
	int in_uaccess;			/* a copy_*_user is running: its fault may be fixed up */
	int fixed_up;			/* arch_fixup_exception() took the fixup */
};
struct arch_context { uintptr_t sp; };
struct arch_cpu { int unused; };
struct arch_thread { unsigned long tls; };

struct cpu;
extern __thread struct cpu *host_this_cpu;
extern __thread unsigned long host_irqs_off;	/* 1: "interrupts" disabled on this thread */
void host_relax(void);				/* sched_yield */

static inline struct cpu *arch_this_cpu(void) { return host_this_cpu; }
static inline void arch_set_this_cpu(struct cpu *c) { host_this_cpu = c; }
static inline unsigned long arch_irq_save(void)
{
	unsigned long f = host_irqs_off;

	host_irqs_off = 1;
	return f;
}
static inline void arch_irq_restore(unsigned long f) { host_irqs_off = f; }
static inline void arch_irq_enable(void) { host_irqs_off = 0; }
static inline void arch_irq_disable(void) { host_irqs_off = 1; }
static inline bool arch_irqs_enabled(void) { return !host_irqs_off; }
static inline void arch_cpu_relax(void) { host_relax(); }
static inline void arch_wait_for_interrupt(void) { host_relax(); }
static inline void arch_io_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
static inline uintptr_t arch_regs_pc(const struct pt_regs *r) { return r->pc; }
static inline bool user_mode(const struct pt_regs *r) { return !r->in_uaccess; }

/* ---- PTE encoding (x86-64-like) ---- */
#define HOST_PTE_P	(1ULL << 0)
#define HOST_PTE_RW	(1ULL << 1)
#define HOST_PTE_US	(1ULL << 2)
#define HOST_PTE_PCD	(1ULL << 4)
#define HOST_PTE_PS	(1ULL << 7)
#define HOST_PTE_G	(1ULL << 8)
#define HOST_PTE_NX	(1ULL << 63)
#define HOST_PTE_ADDR	0x000ffffffffff000ULL

static inline pte_t pte_mk_table(phys_addr_t pa)
{
	return (pa & HOST_PTE_ADDR) | HOST_PTE_P | HOST_PTE_RW | HOST_PTE_US;
}
static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int prot, int level)
{
	pte_t p = (pa & HOST_PTE_ADDR) | HOST_PTE_P;

	if (prot & PTE_W)
		p |= HOST_PTE_RW;
	if (prot & PTE_USER)
		p |= HOST_PTE_US;
	if (!(prot & PTE_X))
		p |= HOST_PTE_NX;
	if (prot & PTE_DEVICE)
		p |= HOST_PTE_PCD;
	if (prot & PTE_GLOBAL)
		p |= HOST_PTE_G;
	if (level > 0)
		p |= HOST_PTE_PS;
	return p;
}
static inline bool pte_present(pte_t p) { return p & HOST_PTE_P; }
static inline bool pte_is_table(pte_t p, int level)
{
	return level > 0 && (p & HOST_PTE_P) && !(p & HOST_PTE_PS);
}
static inline phys_addr_t pte_pa(pte_t p) { return p & HOST_PTE_ADDR; }
static inline unsigned int pte_prot(pte_t p)
{
	unsigned int prot = 0;

	if (!(p & HOST_PTE_P))
		return 0;
	prot |= PTE_R;
	if (p & HOST_PTE_RW)
		prot |= PTE_W;
	if (p & HOST_PTE_US)
		prot |= PTE_USER;
	if (!(p & HOST_PTE_NX))
		prot |= PTE_X;
	if (p & HOST_PTE_PCD)
		prot |= PTE_DEVICE;
	if (p & HOST_PTE_G)
		prot |= PTE_GLOBAL;
	return prot;
}
/* The "hardware walker" (harness.c) reads entries with atomic loads. */
static inline void set_pte(pte_t *ptep, pte_t p) { __atomic_store_n(ptep, p, __ATOMIC_RELEASE); }

#endif
