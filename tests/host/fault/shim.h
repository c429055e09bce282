/* shim.h - between shim.c, harness.c and the tests of tests/host/fault. */
#ifndef HOST_FAULT_SHIM_H
#define HOST_FAULT_SHIM_H

#include <types.h>
#include <arch.h>
#include <cpu.h>
#include <sched.h>
#include <mmap.h>
#include <mm.h>
#include <page_alloc.h>
#include <slab.h>
#include <smp.h>
#include <printk.h>
#include <rwsem.h>
#include <mutex.h>
#include "host.h"

#define HOST_KIMAGE_PA	0x00300000UL	/* where the pretend image is "loaded" */
#define HOST_TLB_ENTRIES 64
#define HOST_RCU_CPU	(NR_CPUS - 1)	/* the rcu_gp kthread's CPU */

/* A spinning lock TSan understands (atomic acquire/release). */
typedef struct { int locked; } host_lock_t;
void host_lock(host_lock_t *l);
bool host_trylock(host_lock_t *l);
void host_unlock(host_lock_t *l);

struct host_tlb_entry {
	unsigned long va;		/* page-aligned user address */
	phys_addr_t pa;
	unsigned int prot;		/* generic PTE_* bits */
	bool valid;
};

/* One CPU's TLB. lock: held across one simulated user access, and by every
 * flush of this TLB (local or from a cross-CPU call). */
struct host_tlb {
	host_lock_t lock;
	host_lock_t ipi_lock;	/* one cross-CPU call at a time; offline CPUs get none */
	phys_addr_t root;		/* loaded user root (arch_switch_mm) */
	bool in_ipi;
	unsigned long flushes, ipis, hits, misses;
	struct host_tlb_entry e[HOST_TLB_ENTRIES];
};
extern struct host_tlb host_tlbs[NR_CPUS];

/* A pthread playing one CPU. */
struct host_thread {
	struct thread thread;		/* current */
	unsigned int cpu;
	uint64_t rng;			/* the test's random choices */
	uint64_t sched_rng;		/* scheduling points */
	unsigned long sched_points;
	int sig, sig_code;		/* last signal forced on it */
	uintptr_t sig_addr;
	unsigned long faults_user;	/* do_page_fault calls from user mode */
	unsigned long faults_kernel;	/* ... from uaccess (kernel mode) */
	unsigned long segv, efault;	/* signals / -EFAULT seen */
};
extern __thread struct host_thread *host_self;
extern bool host_quiet;
extern int host_sched_level;
extern void (*host_panic_hook)(void);

void host_arena_init(void);
void host_cpu_enter(struct host_thread *ht, unsigned int cpu, const char *name);
void host_cpu_leave(void);
void host_use_mm(struct mm_struct *mm);
void host_unuse_mm(void);
void host_sched_point(void);
uint64_t host_rand(void);

/* RCU on the host (shim.c): a timer tick on this CPU; an idle CPU (waiting in
 * host code) is ticked by the running ones; run n CPUs while this one idles. */
void host_tick(void);
void host_idle_enter(void);
void host_idle_exit(void);
void host_run_cpus(int n, void (*fn)(int i, void *arg), void *arg);
void host_quarantine_drain(void);	/* ASan: really free what kfree quarantined */

/* harness.c: a user load/store of 8 bytes at addr through the TLB and page
 * tables, faulting like a trap. 0, or the signal number (SIGSEGV, SIGBUS...). */
int user_load(unsigned long addr, uint64_t *val);
int user_store(unsigned long addr, uint64_t val);

#endif
