/*
 * riscv.h - internal interfaces between the files of arch/riscv (not part
 * of the arch contract; kernel/ never includes this).
 */
#ifndef ASM_RISCV_H
#define ASM_RISCV_H

#include <types.h>
#include <boot.h>

struct pt_regs;
struct cpu;

#define MAX_NOMAP	16	/* /reserved-memory regions with "no-map" we remember */
#define MAX_HARTS	64	/* harts whose PLIC context we remember */

/* What the device tree told us besides struct boot_info. Written on the boot
 * hart before any secondary starts, read-only afterwards. [I] */
struct riscv_platform {
	phys_addr_t load_pa;		/* where the image runs */
	phys_addr_t dtb_pa;
	uint64_t timebase_hz;		/* /cpus timebase-frequency */
	/* console UART (ns16550 family) */
	bool uart_found;
	phys_addr_t uart_pa;
	unsigned int uart_shift;	/* reg-shift: register stride is 1 << shift */
	unsigned int uart_width;	/* reg-io-width: 1 or 4 bytes per access */
	/* PLIC */
	bool plic_found;
	phys_addr_t plic_pa;
	uint64_t plic_size;
	unsigned int plic_ndev;		/* riscv,ndev: sources are 1..ndev */
	unsigned int nr_plic_harts;
	struct { uint64_t hartid; int ctx; } plic_ctx[MAX_HARTS]; /* S-mode contexts */
	/* QEMU's "sifive,test0" finisher: the only way to exit QEMU with a status */
	bool finisher_found;
	phys_addr_t finisher_pa;
	/* firmware memory that must never be mapped */
	unsigned int nr_nomap;
	struct mem_range nomap[MAX_NOMAP];
};

extern struct riscv_platform riscv_plat;
extern char _text_end[];
extern char trap_entry[], secondary_entry[], ret_from_kthread[];
extern pte_t early_pg_dir[], early_pmd[];
extern uint64_t riscv_kernel_satp;

/* dt.c */
void riscv_dt_parse(struct boot_info *bi, uint64_t boot_hartid);
void riscv_boot_fail(const char *fmt, ...) __printf(1, 2) __noreturn;

/* mmu.c */
void riscv_paging_init(const struct boot_info *bi);
void riscv_kernel_root_freeze(void);

/* console.c */
void riscv_console_init(void);

/* plic.c */
int plic_context_of(uint64_t hartid);
void plic_init_cpu(void);
void plic_handle_irq(struct pt_regs *regs);

/* timer.c */
void riscv_timer_interrupt(void);

/* fpu.S, uaccess.S, entry.S */
struct riscv_fp_state;
void riscv_fp_save(struct riscv_fp_state *st);
void riscv_fp_load(const struct riscv_fp_state *st);
size_t riscv_copy_user(void *dst, const void *src, size_t n);
size_t riscv_clear_user(void *udst, size_t n);
void riscv_ret_to_user(struct pt_regs *regs) __noreturn;

/* user.c */
void riscv_fp_flush_current(void);	/* current's live FP registers -> its arch_thread */
void riscv_fp_load_current(const struct riscv_fp_state *st); /* ... and back, from st */
void riscv_prepare_return(struct pt_regs *regs);
bool riscv_in_uaccess(const struct pt_regs *regs);

/* smp.c */
void riscv_boot_main(unsigned long hartid, phys_addr_t dtb_pa, phys_addr_t load_pa) __noreturn;
void riscv_secondary_main(unsigned long hartid, struct cpu *c) __noreturn;

#endif
