/*
 * setup.c - first C code on the boot CPU: map the device tree, find the
 * console, RAM, reserved ranges, CPUs, GIC, timer and PSCI, fill struct
 * boot_info and enter kernel_main(). Runs at the high address with the MMU
 * and caches on (head.S), IRQs masked, on boot_stack.
 */
#include <arch.h>
#include <boot.h>
#include <cpu.h>
#include <fdt.h>
#include <mm.h>
#include <printk.h>
#include <string.h>
#include "internal.h"

static struct boot_info boot_info;	/* [I] handed to kernel_main() */

void arm64_boot_fail(const char *fmt, ...)
{
	va_list ap;

	pl011_use_fallback();
	printk("arm64: cannot boot: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	arch_halt();
}

/* Map the DTB at FDT_WINDOW_BASE (4 KiB pages) and check it; never returns on bad input. */
static const void *map_fdt(phys_addr_t pa)
{
	uintptr_t va = FDT_WINDOW_BASE + (pa & ~PAGE_MASK);
	uint32_t size;

	if (!pa || !IS_ALIGNED(pa, 8))
		arm64_boot_fail("x0 = 0x%lx is not a device tree address; the boot loader must "
				"pass the DTB's physical address in x0 (QEMU -kernel, U-Boot "
				"booti, Pi firmware all do)\n", (unsigned long)pa);
	if (arm64_map_range(va, pa, 40, PAGE_KERNEL, true))
		arm64_boot_fail("cannot map the DTB at 0x%lx\n", (unsigned long)pa);
	if (fdt32((const void *)va) != 0xd00dfeed)
		arm64_boot_fail("no device tree at 0x%lx (magic 0x%x, want 0xd00dfeed); "
				"pass a DTB (QEMU -dtb, U-Boot booti's third argument)\n",
				(unsigned long)pa, fdt32((const void *)va));
	size = fdt32((const char *)va + 4);
	if (size > FDT_MAX_SIZE || size < 40)
		arm64_boot_fail("device tree at 0x%lx claims %u bytes (limit %lu); it is "
				"corrupt or too big\n", (unsigned long)pa, size, FDT_MAX_SIZE);
	if (arm64_map_range(va, pa, size, PAGE_KERNEL, true))
		arm64_boot_fail("cannot map the %u-byte DTB at 0x%lx\n", size, (unsigned long)pa);
	if (fdt_check((const void *)va))
		arm64_boot_fail("the device tree at 0x%lx is malformed (see above); fix or "
				"regenerate the DTB\n", (unsigned long)pa);
	return (const void *)va;
}

static void probe_memory(const void *fdt, struct boot_info *bi)
{
	int root = fdt_path_offset(fdt, "/");
	uint64_t base, size;

	for (int n = fdt_first_child(fdt, root); n >= 0; n = fdt_next_sibling(fdt, n)) {
		if (!dt_is_memory_node(fdt, n) || !fdt_node_enabled(fdt, n))
			continue;
		for (int i = 0; fdt_get_reg(fdt, n, i, &base, &size); i++)
			if (size)
				boot_add_mem(bi, base, size);
	}
	if (!bi->nr_mem)
		arm64_boot_fail("the device tree has no /memory node with a reg; the boot "
				"loader must describe RAM\n");
}

/* Image, DTB, /memreserve/, /reserved-memory children and the initrd. */
static void probe_reserved(const void *fdt, struct boot_info *bi, phys_addr_t phys_base,
			   phys_addr_t dtb_pa)
{
	int rsv = fdt_path_offset(fdt, "/reserved-memory");
	uint64_t base, size;

	boot_add_reserved(bi, phys_base, (uintptr_t)_kernel_end - (uintptr_t)_kernel_start);
	boot_add_reserved(bi, dtb_pa, fdt_totalsize(fdt));
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++)
		if (fdt_get_mem_rsv(fdt, i, &base, &size) && size)
			boot_add_reserved(bi, base, size);
	for (int n = rsv >= 0 ? fdt_first_child(fdt, rsv) : -1; n >= 0;
	     n = fdt_next_sibling(fdt, n))
		for (int i = 0; fdt_get_reg(fdt, n, i, &base, &size); i++)
			boot_add_reserved(bi, base, size);
}

static void probe_chosen(const void *fdt, struct boot_info *bi)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), ls, le;
	const uint32_t *s, *e;
	const char *args;

	bi->cmdline = "";
	if (chosen < 0)
		return;
	args = fdt_getprop(fdt, chosen, "bootargs", &ls);
	if (args && ls > 0 && strnlen(args, ls) < (size_t)ls)
		bi->cmdline = args;
	s = fdt_getprop(fdt, chosen, "linux,initrd-start", &ls);
	e = fdt_getprop(fdt, chosen, "linux,initrd-end", &le);
	if (s && e && (ls == 4 || ls == 8) && (le == 4 || le == 8)) {
		uint64_t start = dt_read_cells(s, ls / 4), end = dt_read_cells(e, le / 4);

		if (end > start) {
			bi->initrd_base = start;
			bi->initrd_size = end - start;
			boot_add_reserved(bi, start, end - start);
		}
	}
}

/* Boot CPU, from head.S: dtb_pa from x0, phys_base = where _kernel_start was loaded. */
void arm64_start_kernel(phys_addr_t dtb_pa, phys_addr_t phys_base, unsigned long entry_el)
{
	struct boot_info *bi = &boot_info;
	const void *fdt;

	arch_set_this_cpu(&cpus[0]);
	cpus[0].arch.mpidr = mpidr_hwid();
	kimage_voffset = KERNEL_VIRT_BASE - phys_base;
	write_sysreg(vectors, vbar_el1);
	isb();
	arm64_cpu_user_init(true);

	fdt = map_fdt(dtb_pa);
	console_probe_dt(fdt);
	probe_memory(fdt, bi);
	arm64_set_ram_info(bi);
	arm64_map_ram(bi);
	probe_reserved(fdt, bi, phys_base, dtb_pa);
	probe_chosen(fdt, bi);
	smp_probe_dt(fdt, bi);
	psci_probe_dt(fdt);
	gic_probe_dt(fdt);
	timer_probe_dt(fdt);
	bi->dtb = fdt;
	printk("arm64: entered at EL%lu, running at EL1; image at 0x%lx, DTB at 0x%lx, "
	       "%u CPUs in the device tree\n", entry_el, (unsigned long)phys_base,
	       (unsigned long)dtb_pa, bi->nr_cpus);
	kernel_main(bi);
}
