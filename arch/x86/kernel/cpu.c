/*
 * cpu.c - CPU features and the per-CPU GDT, TSS, GS base and CR4 setup,
 * shared by the boot CPU (x86_boot_main) and the secondaries (x86_ap_main).
 */
#include <string.h>
#include <printk.h>
#include "internal.h"

uint64_t x86_pte_nx;		/* [I] */
bool x86_has_gbpages;		/* [I] */
bool x86_has_smep, x86_has_smap;	/* [I] */
static bool has_pge;		/* [I] */

/* Emergency stacks for #DF (IST1), so a kernel stack overflow still gets reported. */
#define DF_STACK_SIZE	4096
static uint8_t df_stacks[NR_CPUS][DF_STACK_SIZE] __aligned(16);

void x86_cpu_features_init(void)
{
	struct cpuid_regs r = cpuid(0x80000001, 0);

	if (r.edx & (1u << 20))
		x86_pte_nx = X86_PTE_NX;	/* head.S already set EFER.NXE */
	x86_has_gbpages = r.edx & (1u << 26);
	has_pge = cpuid(1, 0).edx & (1u << 13);
	if (cpuid(0, 0).eax >= 7) {
		r = cpuid(7, 0);
		x86_has_smep = r.ebx & (1u << 7);
		x86_has_smap = r.ebx & (1u << 20);
	}
	x86_fpu_features_init();
}

/* A 16-byte 64-bit TSS descriptor in two GDT slots. */
static void gdt_set_tss(uint64_t *gdt, const struct x86_tss *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss, limit = sizeof(*tss) - 1;

	gdt[GDT_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 |
		0x89ULL << 40 |			/* present, 64-bit TSS (available) */
		((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

static void gdt_init(struct cpu *c)
{
	uint64_t *gdt = c->arch.gdt;

	gdt[0] = 0;
	gdt[GDT_KERNEL_CS / 8] = 0x00af9a000000ffffULL;	/* 64-bit code, DPL 0 */
	gdt[GDT_KERNEL_DS / 8] = 0x00cf92000000ffffULL;	/* data, DPL 0 */
	gdt[GDT_USER_DS / 8] = 0x00cff2000000ffffULL;	/* data, DPL 3 */
	gdt[GDT_USER_CS / 8] = 0x00affa000000ffffULL;	/* 64-bit code, DPL 3 */
	memset(&c->arch.tss, 0, sizeof(c->arch.tss));
	c->arch.tss.ist[0] = (uint64_t)(uintptr_t)(df_stacks[c - cpus] + DF_STACK_SIZE);
	c->arch.tss.iomap_base = sizeof(struct x86_tss);
	gdt_set_tss(gdt, &c->arch.tss);
}

/* Load the GDT, reload every segment register (CS through a far return) and the TSS. */
static void gdt_load(struct cpu *c)
{
	struct __packed { uint16_t limit; uint64_t base; } ptr = {
		sizeof(c->arch.gdt) - 1, (uint64_t)(uintptr_t)c->arch.gdt
	};

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"
		"1:\n\t"
		"movl %2, %%eax\n\t"
		"movl %%eax, %%ds\n\t"
		"movl %%eax, %%es\n\t"
		"movl %%eax, %%ss\n\t"
		"xorl %%eax, %%eax\n\t"
		"movl %%eax, %%fs\n\t"
		"movl %%eax, %%gs\n\t"		/* clears GS base: set it after this */
		"ltr %w3"
		: : "m"(ptr), "i"(GDT_KERNEL_CS), "i"(GDT_KERNEL_DS), "r"(GDT_TSS)
		: "rax", "memory");
}

/*
 * CR4: global pages (kernel mappings survive CR3 reloads), and SMEP/SMAP
 * when the CPU has them: SMEP stops the kernel from executing user pages,
 * SMAP from touching user data outside the stac/clac windows of
 * uaccess.S. The FP/SIMD and FSGSBASE bits are fpu.c's.
 */
static void cr4_init(void)
{
	uint64_t cr4 = read_cr4();

	if (has_pge)
		cr4 |= CR4_PGE;
	if (x86_has_smep)
		cr4 |= CR4_SMEP;
	if (x86_has_smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
}

/* Per-CPU setup, on the CPU itself with IRQs off. c->id must be set. */
void x86_cpu_init(struct cpu *c)
{
	gdt_init(c);
	gdt_load(c);
	c->arch.self = c;
	arch_set_this_cpu(c);		/* after gdt_load(): loading %gs clears the base */
	x86_idt_load();
	cr4_init();
	if (x86_pte_nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	x86_fpu_init_cpu();
}

void arch_set_kernel_stack(void *stack_top)
{
	struct arch_cpu *a = &this_cpu()->arch;

	a->tss.rsp[0] = (uint64_t)(uintptr_t)stack_top;	/* traps and IRQs from user mode */
	a->kernel_sp = (uint64_t)(uintptr_t)stack_top;		/* SYSCALL */
}
