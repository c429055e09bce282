/*
 * smp.c - finding CPUs in /cpus and starting secondaries with PSCI CPU_ON
 * or a spin table.
 *
 * A started CPU enters secondary_entry (head.S) at its physical address,
 * turns on the MMU with the boot page tables, finds its slot in
 * secondary_boot[] by MPIDR and calls arm64_secondary_start() on the stack
 * arch_cpu_start() left there. Nothing is read with the MMU off, so the
 * hand-off works on a Raspberry Pi whose caches are off until then.
 */
#include <arch.h>
#include <cpu.h>
#include <fdt.h>
#include <mm.h>
#include <printk.h>
#include <string.h>
#include "internal.h"

_Static_assert(SECONDARY_BOOT_SLOTS == NR_CPUS, "head.S secondary_boot[] size");

enum cpu_method { METHOD_NONE, METHOD_PSCI, METHOD_SPIN_TABLE };

/* Read by head.S with the MMU on; slot i is CPU i. [I] once its CPU is started. */
struct {
	uint64_t hwid;
	uint64_t stack_top;
} secondary_boot[SECONDARY_BOOT_SLOTS];

/* How each CPU of the device tree is started. [I] filled before kernel_main(). */
static struct {
	uint64_t hwid;
	enum cpu_method method;
	phys_addr_t release_addr;	/* spin table only */
} cpu_desc[NR_CPUS];
static unsigned int nr_cpu_desc;

static enum cpu_method parse_method(const void *fdt, int node, phys_addr_t *release)
{
	int len;
	const uint32_t *p;

	if (dt_prop_is(fdt, node, "enable-method", "psci"))
		return METHOD_PSCI;
	if (!dt_prop_is(fdt, node, "enable-method", "spin-table"))
		return METHOD_NONE;
	p = fdt_getprop(fdt, node, "cpu-release-addr", &len);
	if (!p || (len != 4 && len != 8))
		return METHOD_NONE;
	*release = dt_read_cells(p, len / 4);
	return METHOD_SPIN_TABLE;
}

/* One /cpus/cpu@N node: record it in boot_info and how to start it. */
static void add_cpu_node(const void *fdt, int node, struct boot_info *bi, uint64_t boot_hwid)
{
	uint64_t hwid, size;
	phys_addr_t release = 0;
	enum cpu_method m;

	if (!dt_prop_is(fdt, node, "device_type", "cpu") || !fdt_node_enabled(fdt, node))
		return;
	if (!fdt_get_reg(fdt, node, 0, &hwid, &size)) {
		printk("smp: %s has no reg (MPIDR); skipped\n", fdt_node_name(fdt, node));
		return;
	}
	hwid &= MPIDR_HWID_MASK;
	m = parse_method(fdt, node, &release);
	if (hwid != boot_hwid && m == METHOD_NONE) {
		printk("smp: %s: enable-method is neither \"psci\" nor \"spin-table\" with "
		       "cpu-release-addr; it stays off\n", fdt_node_name(fdt, node));
		return;
	}
	if (nr_cpu_desc == NR_CPUS)
		return;
	if (m == METHOD_SPIN_TABLE)
		boot_add_reserved(bi, ALIGN_DOWN(release, PAGE_SIZE), PAGE_SIZE);
	cpu_desc[nr_cpu_desc].hwid = hwid;
	cpu_desc[nr_cpu_desc].method = m;
	cpu_desc[nr_cpu_desc].release_addr = release;
	nr_cpu_desc++;
	boot_add_cpu(bi, hwid, hwid == boot_hwid);
}

void smp_probe_dt(const void *fdt, struct boot_info *bi)
{
	int cpus_node = fdt_path_offset(fdt, "/cpus");
	uint64_t boot_hwid = mpidr_hwid();
	unsigned int before = bi->nr_cpus;

	for (int n = cpus_node >= 0 ? fdt_first_child(fdt, cpus_node) : -1; n >= 0;
	     n = fdt_next_sibling(fdt, n))
		add_cpu_node(fdt, n, bi, boot_hwid);
	if (bi->nr_cpus == before) {
		printk("smp: no usable /cpus nodes in the device tree; running on the boot CPU only\n");
		boot_add_cpu(bi, boot_hwid, true);
	}
}

static int spin_table_release(phys_addr_t release, phys_addr_t entry)
{
	uint64_t *slot = __va(release);

	WRITE_ONCE(*slot, entry);
	/* The waiting CPU reads with its caches off: push the line to memory. */
	__asm__ __volatile__("dc civac, %0" : : "r"(slot) : "memory");
	dsb(sy);
	sev();
	return 0;
}

/* PSCI return codes to -errno. */
static int psci_to_errno(int ret)
{
	switch (ret) {
	case 0: return 0;
	case -2: return -EINVAL;	/* INVALID_PARAMETERS */
	case -3: return -EPERM;		/* DENIED */
	case -4: return -EBUSY;		/* ALREADY_ON */
	case -5: return -EBUSY;		/* ON_PENDING */
	default: return -EIO;
	}
}

int arch_cpu_start(unsigned int cpu, uint64_t hwid, void *stack_top)
{
	phys_addr_t entry = arm64_kimage_pa(secondary_entry);
	unsigned int i;

	for (i = 0; i < nr_cpu_desc && cpu_desc[i].hwid != hwid; i++)
		;
	if (i == nr_cpu_desc || cpu >= NR_CPUS)
		return -ENODEV;
	secondary_boot[cpu].stack_top = ALIGN_DOWN((uintptr_t)stack_top, 16);
	secondary_boot[cpu].hwid = hwid;
	dsb(ish);
	if (cpu_desc[i].method == METHOD_PSCI) {
		if (!psci_available()) {
			printk("smp: CPU %u wants PSCI but the device tree has no /psci node\n", cpu);
			return -ENODEV;
		}
		return psci_to_errno(psci_cpu_on(hwid, entry, cpu));
	}
	if (cpu_desc[i].method == METHOD_SPIN_TABLE)
		return spin_table_release(cpu_desc[i].release_addr, entry);
	return -ENODEV;
}

/* First C code of a secondary CPU (MMU on, on its own stack, IRQs masked). */
void arm64_secondary_start(unsigned int cpu)
{
	arch_set_this_cpu(&cpus[cpu]);
	cpus[cpu].arch.mpidr = mpidr_hwid();
	write_sysreg(vectors, vbar_el1);
	isb();
	arm64_cpu_user_init(false);
	gic_init_cpu();
	secondary_main(cpu);
}
