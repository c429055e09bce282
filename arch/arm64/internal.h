/* internal.h - arm64-private interfaces between the files of arch/arm64/. */
#ifndef ARM64_INTERNAL_H
#define ARM64_INTERNAL_H

#include <arch.h>
#include <boot.h>

/* head.S / entry.S */
extern pte_t swapper_pg_dir[];
extern char vectors[], secondary_entry[];

/* mmu.c: early mappings in swapper_pg_dir (boot CPU only, before secondaries start). */
int arm64_map_range(uintptr_t va, phys_addr_t pa, uint64_t size, unsigned int prot, bool pages_only);
void *arm64_ioremap(phys_addr_t pa, uint64_t size);
void arm64_map_ram(const struct boot_info *bi);
void arm64_set_ram_info(const struct boot_info *bi);
phys_addr_t arm64_kimage_pa(const void *va);

/* dt.c: device-tree helpers on top of <fdt.h> */
bool dt_translate(const void *fdt, int node, uint64_t *addr);
bool dt_reg(const void *fdt, int node, int i, uint64_t *pa, uint64_t *size);
uint64_t dt_read_cells(const uint32_t *p, int cells);
int dt_stdout_node(const void *fdt);
bool dt_is_memory_node(const void *fdt, int node);
bool dt_prop_is(const void *fdt, int node, const char *name, const char *value);

/* console.c */
void pl011_setup(phys_addr_t pa);
void pl011_use_fallback(void);
void console_probe_dt(const void *fdt);

/* gic.c */
void gic_probe_dt(const void *fdt);
void gic_init_cpu(void);
void gic_enable_ppi(unsigned int intid);
void gic_send_sgi(unsigned int cpu, unsigned int sgi);
void arm64_handle_irq(struct pt_regs *regs);

/* timer.c */
void timer_probe_dt(const void *fdt);
void arm64_timer_tick(void);
unsigned int timer_intid(void);

/* smp.c / power.c */
void smp_probe_dt(const void *fdt, struct boot_info *bi);
void psci_probe_dt(const void *fdt);
bool psci_available(void);
int psci_cpu_on(uint64_t hwid, phys_addr_t entry, uint64_t context);
void arm64_secondary_start(unsigned int cpu) __noreturn;

/* setup.c */
void arm64_start_kernel(phys_addr_t dtb_pa, phys_addr_t phys_base, unsigned long entry_el) __noreturn;
void arm64_boot_fail(const char *fmt, ...) __printf(1, 2) __noreturn;

/* user.c / fault.c */
void arm64_cpu_user_init(bool boot_cpu);
bool arm64_has_pan(void);
bool arm64_pan_enabled(void);
unsigned int arm64_fault_flags(uint64_t esr, bool instr);
void arm64_mem_abort(struct pt_regs *regs, bool instr);

/* traps.c */
void arm64_handle_sync(struct pt_regs *regs);
void arm64_bad_vector(struct pt_regs *regs, unsigned long slot) __noreturn;
void arm64_thread_returned(void) __noreturn;

static inline uint64_t mpidr_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_HWID_MASK;
}

#endif
