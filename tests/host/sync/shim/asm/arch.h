/* Host "architecture" for tests/host/sync: each pthread plays one CPU. */
#ifndef HOST_ASM_ARCH_H
#define HOST_ASM_ARCH_H

#define ARCH_NAME	"host"
#define PHYS_MAP_BASE	0UL
#define PHYS_MAP_SIZE	0UL
#define KERNEL_VIRT_BASE 0UL

struct pt_regs { unsigned long pc; };
struct arch_context { unsigned long unused; };
struct arch_cpu { unsigned long unused; };
struct cpu;

extern __thread struct cpu *host_cpu;	/* this pthread's "CPU" */
void host_relax(void);			/* sched_yield(): 2 cores, many spinners */

static inline struct cpu *arch_this_cpu(void) { return host_cpu; }
static inline void arch_set_this_cpu(struct cpu *c) { host_cpu = c; }
/* No interrupts on the host: the state is "enabled" unless a lock is held. */
static inline unsigned long arch_irq_save(void) { return 1; }
static inline void arch_irq_restore(unsigned long f) { (void)f; }
static inline void arch_irq_enable(void) { }
static inline void arch_irq_disable(void) { }
static inline int arch_irqs_enabled(void) { return 1; }
static inline void arch_cpu_relax(void) { host_relax(); }
static inline void arch_wait_for_interrupt(void) { host_relax(); }
static inline unsigned long arch_regs_pc(const struct pt_regs *r) { return r->pc; }

struct arch_thread { unsigned long tls; };

#endif
