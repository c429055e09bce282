/*
 * internal.h - interfaces between the files of arch/x86/kernel (not used
 * by kernel/). Locking tags as in <cpu.h>: [I] set during boot on one CPU,
 * read-only afterwards.
 */
#ifndef X86_INTERNAL_H
#define X86_INTERNAL_H

#include <arch.h>
#include <boot.h>
#include <cpu.h>

/* Interrupt vectors. */
#define VEC_PIC_BASE	0x20		/* legacy 8259, remapped and masked: spurious only */
#define VEC_IOAPIC_BASE	0x30		/* + GSI, for GSIs below NR_IOAPIC_VECTORS */
#define NR_IOAPIC_VECTORS 64
#define VEC_MSI_BASE	0x80		/* + n: MSI/MSI-X vectors handed out by arch_msi_alloc */
#define NR_MSI_VECTORS	32
#define MSI_IRQ_BASE	256		/* device line of MSI vector n: MSI_IRQ_BASE + n */
#define VEC_TIMER	0xf0
#define VEC_IPI		0xf1
#define VEC_SPURIOUS	0xff

/* cpu.c: CPU features and per-CPU descriptor tables. */
extern bool x86_has_smep, x86_has_smap;		/* [I] */
void x86_cpu_features_init(void);
void x86_cpu_init(struct cpu *c);		/* GS base, GDT, TSS, IDT, CR4 bits */

/* fpu.c: user FP/SIMD state, FS/GS base. */
extern bool x86_has_xsave, x86_has_fsgsbase;	/* [I] */
extern uint64_t x86_xcr0;			/* [I] */
extern unsigned int x86_fpu_size;		/* [I] */
void x86_fpu_features_init(void);
void x86_fpu_init_cpu(void);
void x86_fpu_save_current(void *area);
void x86_fpu_reset_current(void);
bool x86_fpu_restore_checked(struct arch_thread *at, const void *area);

/* syscall.c */
void x86_syscall_init_cpu(void);

/* uaccess.c */
bool x86_in_uaccess(uintptr_t rip);

/* traps.c */
void x86_idt_init(void);
void x86_idt_load(void);
void x86_handle_trap(struct pt_regs *regs);	/* called from entry.S */

/* serial.c */
void x86_serial_init(void);

/* multiboot.c: fill boot_info from the multiboot2 information. */
void x86_parse_multiboot(phys_addr_t mbi_pa, struct boot_info *bi);

/* acpi.c: CPUs and interrupt routing from the MADT. */
struct x86_ioapic {
	phys_addr_t pa;			/* [I] */
	uint32_t gsi_base;		/* [I] first GSI it serves */
	uint32_t nr_pins;		/* [I] filled by arch_irq_init() */
	volatile uint32_t *regs;	/* [I] ioremap()ed by arch_irq_init() */
};
#define X86_MAX_IOAPICS	4
struct x86_isa_irq {
	uint32_t gsi;			/* [I] GSI the ISA IRQ is wired to */
	uint16_t flags;			/* [I] MPS INTI flags (polarity, trigger) */
};
struct x86_acpi_info {
	phys_addr_t lapic_pa;		/* [I] */
	struct x86_ioapic ioapic[X86_MAX_IOAPICS];
	unsigned int nr_ioapics;	/* [I] */
	struct x86_isa_irq isa[16];	/* [I] identity unless the MADT overrides */
};
extern struct x86_acpi_info x86_acpi;
void x86_acpi_init(const void *rsdp, size_t rsdp_len, struct boot_info *bi);
void x86_acpi_defaults(struct boot_info *bi);

/* mmu.c: the direct map. */
uint64_t x86_direct_map_add(phys_addr_t base, uint64_t size);	/* bytes mapped from base */
void x86_mmu_switch(void);			/* direct map final, identity map gone */
phys_addr_t x86_trampoline_pgd(void);		/* kernel half + identity of low 4 GiB */

/* apic.c */
/* The running CPU's initial APIC id from CPUID, usable before the LAPIC is mapped. */
static inline uint32_t lapic_id_early(void)
{
	return cpuid(1, 0).ebx >> 24;
}
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);
void lapic_eoi(void);
uint32_t lapic_id(void);
void lapic_init_cpu(void);
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);
int x86_irq_of_vector(unsigned int vector);	/* device irq for a vector, -1 if none */
#define LAPIC_ID	0x20
#define LAPIC_TPR	0x80
#define LAPIC_EOI	0xb0
#define LAPIC_SVR	0xf0
#define LAPIC_ESR	0x280
#define LAPIC_ICR_LO	0x300
#define LAPIC_ICR_HI	0x310
#define LAPIC_LVT_TIMER	0x320
#define LAPIC_LVT_LINT0	0x350
#define LAPIC_LVT_LINT1	0x360
#define LAPIC_LVT_ERROR	0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	0x390
#define LAPIC_TIMER_DIV	0x3e0
#define ICR_INIT	(5u << 8)
#define ICR_STARTUP	(6u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_PENDING	(1u << 12)

/* time.c */
void x86_tsc_init(void);			/* calibrate the TSC (PIT or CPUID 0x15) */
void x86_udelay(uint64_t us);

/* smp.c */
struct x86_ap_boot {
	uint64_t kernel_cr3;		/* read by x86_ap_entry64 (entry.S offsets 0, 8, 16) */
	uint64_t stack_top;
	uint64_t cpu;
	uint64_t ack;			/* [a] set by the AP once it no longer needs this block */
};
extern struct x86_ap_boot x86_ap_boot;
void x86_ap_main(unsigned int cpu) __noreturn;

/* setup.c */
void x86_thread_returned(void) __noreturn;
extern struct boot_info x86_boot_info;

#endif
