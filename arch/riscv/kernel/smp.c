/*
 * smp.c - boot-hart C entry, secondary harts (SBI HSM) and IPIs (SBI IPI).
 */
#include <asm/riscv.h>
#include <asm/sbi.h>
#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <mm.h>
#include <printk.h>

static struct boot_info boot_info;	/* [I] filled here, then kernel_main's */

static void cpu_arch_init(struct cpu *c, unsigned long hartid, unsigned int cpu)
{
	c->arch.hartid = hartid;
	c->arch.cpu = cpu;
	c->arch.plic_ctx = -1;
}

/*
 * From head.S on the boot hart: MMU on (early_pg_dir), running at
 * KERNEL_VIRT_BASE on the boot stack, stvec = trap_entry, IRQs off.
 */
void riscv_boot_main(unsigned long hartid, phys_addr_t dtb_pa, phys_addr_t load_pa)
{
	arch_set_this_cpu(&cpus[0]);
	cpu_arch_init(&cpus[0], hartid, 0);
	riscv_plat.load_pa = load_pa;
	riscv_plat.dtb_pa = dtb_pa;
	sbi_init();
	riscv_dt_parse(&boot_info, hartid);
	riscv_paging_init(&boot_info);
	riscv_console_init();
	kernel_main(&boot_info);
}

int arch_cpu_start(unsigned int cpu, uint64_t hwid, void *stack_top)
{
	struct cpu *c = &cpus[cpu];

	if (cpu >= NR_CPUS)
		return -EINVAL;
	cpu_arch_init(c, hwid, cpu);
	c->arch.boot_stack_top = (unsigned long)stack_top;
	smp_mb();		/* the hart reads these with its MMU on, after the ecall */
	return sbi_hart_start(hwid, __pa(secondary_entry), (unsigned long)c);
}

/* From head.S on a secondary hart: MMU on, tp = c, on its first stack. */
void riscv_secondary_main(unsigned long hartid, struct cpu *c)
{
	arch_set_this_cpu(c);
	if (c->arch.hartid != hartid)
		panic("hart %lu started with the struct cpu of hart %lu", hartid, c->arch.hartid);
	plic_init_cpu();
	csr_set(sie, SIE_SSIE);
	secondary_main(c->arch.cpu);
}

void arch_send_ipi(unsigned int cpu)
{
	int err = sbi_send_ipi(cpus[cpu].arch.hartid);

	if (err)
		printk("ipi: SBI could not signal hart %lu (cpu%u): error %d\n",
		       cpus[cpu].arch.hartid, cpu, err);
}
