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
#include <ktest.h>
#include <pgtable.h>

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

/* The initrd QEMU -initrd / U-Boot booti placed (if any) is reserved and
 * readable through the direct map, as initramfs_init() expects. */
KTEST(riscv_initrd_handed_over)
{
	const struct boot_info *bi = &boot_info;
	bool reserved = false;

	if (!bi->initrd_size) {
		KT_EXPECT_EQ(t, bi->initrd_base, 0);
		return;
	}
	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		reserved |= bi->initrd_base >= bi->reserved[i].base &&
			    bi->initrd_base + bi->initrd_size <= bi->reserved[i].base + bi->reserved[i].size;
	KT_EXPECT(t, reserved);
	KT_EXPECT(t, lookup_kernel_page((uintptr_t)__va(bi->initrd_base), NULL, NULL));
	KT_EXPECT(t, lookup_kernel_page((uintptr_t)__va(bi->initrd_base + bi->initrd_size - 1),
					NULL, NULL));
	printk("riscv: initrd at 0x%llx, %llu bytes, starts \"%.6s\"\n",
	       (unsigned long long)bi->initrd_base, (unsigned long long)bi->initrd_size,
	       (const char *)__va(bi->initrd_base));
}
