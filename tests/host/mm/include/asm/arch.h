/*
 * Host shim for <asm/arch.h>: lets kernel/mm compile and run as a normal
 * Linux process. "Physical memory" is a big anonymous mapping at
 * PHYS_MAP_BASE (physical address 0 = PHYS_MAP_BASE), CPUs are pthreads,
 * and page-table entries use a made-up encoding with the same shape as
 * the real ones (present bit, table bit, prot bits, frame address).
 */
#ifndef HOST_ASM_ARCH_H
#define HOST_ASM_ARCH_H

#include <types.h>

#define ARCH_NAME	"host"
#define ARCH_PT_LEVELS	4
#define PHYS_MAP_BASE	0x001000000000UL	/* the arena, see shim.c */
#define PHYS_MAP_SIZE	(1UL << 30)		/* 1 GiB of "physical" address space */
#define KMAP_BASE	0x003000000000UL	/* only page tables, never dereferenced */
#define KMAP_SIZE	(64UL << 20)
#define KERNEL_VIRT_BASE 0x500000000000UL	/* below a PIE host binary, see shim.c */

struct pt_regs { uintptr_t pc; };
struct arch_context { uintptr_t sp; };
struct arch_cpu { int unused; };

struct cpu;
extern __thread struct cpu *host_this_cpu;
static inline struct cpu *arch_this_cpu(void) { return host_this_cpu; }
static inline void arch_set_this_cpu(struct cpu *c) { host_this_cpu = c; }
static inline unsigned long arch_irq_save(void) { return 0; }
static inline void arch_irq_restore(unsigned long f) { (void)f; }
static inline void arch_irq_enable(void) { }
static inline void arch_irq_disable(void) { }
static inline bool arch_irqs_enabled(void) { return true; }
static inline void arch_cpu_relax(void) { }
static inline void arch_io_mb(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

/* PTE encoding: bit 0 present, bit 1 table, bits 2..7 generic prot << 2,
 * bits 12..51 the frame address. */
#define HOST_PTE_P	1ULL
#define HOST_PTE_T	2ULL
#define HOST_PTE_ADDR	0x000ffffffffff000ULL
static inline pte_t pte_mk_table(phys_addr_t pa) { return (pa & HOST_PTE_ADDR) | HOST_PTE_P | HOST_PTE_T; }
static inline pte_t pte_mk_leaf(phys_addr_t pa, unsigned int prot, int level)
{
	(void)level;
	return (pa & HOST_PTE_ADDR) | HOST_PTE_P | ((pte_t)(prot & 0x3f) << 2);
}
static inline bool pte_present(pte_t p) { return p & HOST_PTE_P; }
static inline bool pte_is_table(pte_t p, int level) { return level > 0 && (p & HOST_PTE_P) && (p & HOST_PTE_T); }
static inline phys_addr_t pte_pa(pte_t p) { return p & HOST_PTE_ADDR; }
static inline unsigned int pte_prot(pte_t p) { return (p & HOST_PTE_T) ? 0 : (unsigned int)(p >> 2) & 0x3f; }
static inline void set_pte(pte_t *ptep, pte_t p) { __atomic_store_n(ptep, p, __ATOMIC_RELEASE); }

struct arch_thread { unsigned long tls; };

#endif
