/*
 * dt.c - what the riscv64 kernel takes from the firmware's device tree:
 * RAM, reserved ranges, harts, command line, initrd, timebase, console
 * UART and PLIC. No QEMU address is assumed except the documented UART
 * fallback for QEMU virt (compatible "riscv-virtio") when the tree names none.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <fdt.h>
#include <mm.h>
#include <printk.h>
#include <string.h>

#define QEMU_VIRT_UART	0x10000000UL	/* documented fallback, QEMU virt only */

struct riscv_platform riscv_plat;

void riscv_boot_fail(const char *fmt, ...)
{
	va_list ap;

	printk("riscv boot: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nriscv boot: cannot continue; fix the device tree or the boot loader setup and retry\n");
	arch_halt();
}

/* A string property equal to s (the value is NUL-terminated inside len). */
static bool prop_is(const void *dt, int node, const char *name, const char *s)
{
	int len;
	const char *p = fdt_getprop(dt, node, name, &len);

	return p && len > 0 && strnlen(p, len) < (size_t)len && !strcmp(p, s);
}

/* A 1- or 2-cell number property; false if absent or of another size. */
static bool prop_u64(const void *dt, int node, const char *name, uint64_t *v)
{
	int len;
	const uint8_t *p = fdt_getprop(dt, node, name, &len);

	if (p && len == 4)
		*v = fdt32(p);
	else if (p && len == 8)
		*v = (uint64_t)fdt32(p) << 32 | fdt32(p + 4);
	else
		return false;
	return true;
}

static void parse_memory(const void *dt, struct boot_info *bi)
{
	uint64_t base, size;

	for (int n = fdt_first_child(dt, 0); n >= 0; n = fdt_next_sibling(dt, n)) {
		if (!prop_is(dt, n, "device_type", "memory") || !fdt_node_enabled(dt, n))
			continue;
		for (int i = 0; fdt_get_reg(dt, n, i, &base, &size); i++) {
			if (base >= PHYS_MAP_SIZE) {
				printk("riscv: RAM at 0x%llx is beyond the %llu GiB direct map, ignored\n",
				       (unsigned long long)base, (unsigned long long)(PHYS_MAP_SIZE >> 30));
				continue;
			}
			size = MIN(size, PHYS_MAP_SIZE - base);
			boot_add_mem(bi, base, size);
		}
	}
	if (!bi->nr_mem)
		riscv_boot_fail("no RAM: the device tree has no /memory node with a usable reg");
}

static void add_nomap(phys_addr_t base, uint64_t size)
{
	if (riscv_plat.nr_nomap >= MAX_NOMAP)
		riscv_boot_fail("more than %d no-map reserved-memory regions; raise MAX_NOMAP",
				MAX_NOMAP);
	riscv_plat.nomap[riscv_plat.nr_nomap++] = (struct mem_range){ base, size };
}

/* /reserved-memory children with a reg (dynamic ones without reg are ignored). */
static void parse_reserved_memory(const void *dt, struct boot_info *bi)
{
	int rm = fdt_path_offset(dt, "/reserved-memory");
	uint64_t base, size;
	int len;

	if (rm < 0)
		return;
	for (int n = fdt_first_child(dt, rm); n >= 0; n = fdt_next_sibling(dt, n)) {
		if (!fdt_node_enabled(dt, n))
			continue;
		for (int i = 0; fdt_get_reg(dt, n, i, &base, &size); i++) {
			boot_add_reserved(bi, base, size);
			if (fdt_getprop(dt, n, "no-map", &len))
				add_nomap(base, size);
		}
	}
}

static void parse_chosen(const void *dt, struct boot_info *bi)
{
	int ch = fdt_path_offset(dt, "/chosen");
	uint64_t start, end;
	int len;
	const char *args;

	bi->cmdline = "";
	if (ch < 0)
		return;
	args = fdt_getprop(dt, ch, "bootargs", &len);
	if (args && len > 0 && strnlen(args, len) < (size_t)len)
		bi->cmdline = args;
	if (prop_u64(dt, ch, "linux,initrd-start", &start) &&
	    prop_u64(dt, ch, "linux,initrd-end", &end)) {
		if (end <= start)
			riscv_boot_fail("/chosen: linux,initrd-end 0x%llx is not above linux,initrd-start 0x%llx",
					(unsigned long long)end, (unsigned long long)start);
		bi->initrd_base = start;
		bi->initrd_size = end - start;
		boot_add_reserved(bi, start, end - start);
	}
}

static void parse_reserved(const void *dt, struct boot_info *bi)
{
	uint64_t base, size;

	boot_add_reserved(bi, riscv_plat.load_pa, (uintptr_t)_kernel_end - (uintptr_t)_kernel_start);
	boot_add_reserved(bi, riscv_plat.dtb_pa, fdt_totalsize(dt));
	for (int i = 0; fdt_get_mem_rsv(dt, i, &base, &size); i++)
		boot_add_reserved(bi, base, size);
	parse_reserved_memory(dt, bi);
	parse_chosen(dt, bi);
}

/* Can this /cpus child run our S-mode, Sv39 kernel? */
static bool hart_usable(const void *dt, int n, uint64_t *hartid)
{
	int len;
	const char *isa = fdt_getprop(dt, n, "riscv,isa", &len);

	if (!prop_is(dt, n, "device_type", "cpu") || !fdt_get_reg(dt, n, 0, hartid, NULL))
		return false;
	if (!fdt_node_enabled(dt, n))
		return false;		/* e.g. the E51/S7 monitor core at hart 0 */
	/* Harts without S-mode (and MMU) have no mmu-type; Sv48/57 imply Sv39. */
	if (!prop_is(dt, n, "mmu-type", "riscv,sv39") && !prop_is(dt, n, "mmu-type", "riscv,sv48") &&
	    !prop_is(dt, n, "mmu-type", "riscv,sv57"))
		return false;
	return isa && len > 4 && !strncmp(isa, "rv64", 4);
}

static void parse_cpus(const void *dt, struct boot_info *bi, uint64_t boot_hartid)
{
	int cpus = fdt_path_offset(dt, "/cpus");
	bool boot_seen = false;
	uint64_t hartid;

	if (cpus < 0)
		riscv_boot_fail("the device tree has no /cpus node");
	if (!prop_u64(dt, cpus, "timebase-frequency", &riscv_plat.timebase_hz) ||
	    !riscv_plat.timebase_hz)
		riscv_boot_fail("/cpus has no usable timebase-frequency (the rdtime rate)");
	for (int n = fdt_first_child(dt, cpus); n >= 0; n = fdt_next_sibling(dt, n)) {
		if (!hart_usable(dt, n, &hartid))
			continue;
		boot_add_cpu(bi, hartid, hartid == boot_hartid);
		boot_seen |= hartid == boot_hartid;
	}
	if (!boot_seen) {
		printk("riscv: boot hart %llu is not a usable /cpus entry; using it anyway\n",
		       (unsigned long long)boot_hartid);
		boot_add_cpu(bi, boot_hartid, true);
	}
}

/* The node /chosen stdout-path names ("/soc/serial@10000000:115200" or an alias). */
static int stdout_node(const void *dt)
{
	int ch = fdt_path_offset(dt, "/chosen"), len, al;
	const char *p;
	char path[128];
	size_t n;

	p = ch >= 0 ? fdt_getprop(dt, ch, "stdout-path", &len) : NULL;
	if (!p || len <= 0 || strnlen(p, len) == (size_t)len)
		return -1;
	for (n = 0; p[n] && p[n] != ':' && n < sizeof(path) - 1; n++)
		path[n] = p[n];
	path[n] = '\0';
	if (path[0] == '/')
		return fdt_path_offset(dt, path);
	al = fdt_path_offset(dt, "/aliases");
	p = al >= 0 ? fdt_getprop(dt, al, path, &len) : NULL;
	if (!p || len <= 0 || strnlen(p, len) == (size_t)len)
		return -1;
	return fdt_path_offset(dt, p);
}

static bool is_16550(const void *dt, int n)
{
	return fdt_node_is_compatible(dt, n, "ns16550a") ||
	       fdt_node_is_compatible(dt, n, "ns16550") ||
	       fdt_node_is_compatible(dt, n, "snps,dw-apb-uart");
}

static void parse_uart(const void *dt)
{
	int n = stdout_node(dt);
	uint64_t base;

	if (n >= 0 && !is_16550(dt, n)) {
		printk("riscv: the stdout-path device %s is not an ns16550; console stays on SBI\n",
		       fdt_node_name(dt, n));
		return;
	}
	if (n < 0)
		n = fdt_find_compatible(dt, -1, "ns16550a");
	if (n < 0)
		n = fdt_find_compatible(dt, -1, "snps,dw-apb-uart");
	if (n >= 0 && fdt_get_reg(dt, n, 0, &base, NULL)) {
		riscv_plat.uart_pa = base;
		riscv_plat.uart_shift = fdt_get_u32(dt, n, "reg-shift", 0);
		riscv_plat.uart_width = fdt_get_u32(dt, n, "reg-io-width", 1);
	} else if (fdt_node_is_compatible(dt, 0, "riscv-virtio")) {
		riscv_plat.uart_pa = QEMU_VIRT_UART;
		riscv_plat.uart_width = 1;
	} else {
		printk("riscv: no ns16550 UART in the device tree; console stays on SBI\n");
		return;
	}
	if (riscv_plat.uart_width != 1 && riscv_plat.uart_width != 4) {
		printk("riscv: UART reg-io-width %u unsupported (1 or 4); console stays on SBI\n",
		       riscv_plat.uart_width);
		return;
	}
	if (riscv_plat.uart_shift > 4) {
		printk("riscv: UART reg-shift %u unsupported; console stays on SBI\n",
		       riscv_plat.uart_shift);
		return;
	}
	riscv_plat.uart_found = true;
}

/* Hart id owning an interrupt-controller phandle (a child of its /cpus node). */
static bool intc_hartid(const void *dt, uint32_t phandle, uint64_t *hartid)
{
	int intc = fdt_find_phandle(dt, phandle);
	int cpu = intc >= 0 ? fdt_parent(dt, intc) : -1;

	return cpu >= 0 && prop_is(dt, cpu, "device_type", "cpu") &&
	       fdt_get_reg(dt, cpu, 0, hartid, NULL);
}

/* interrupts-extended = <&intc cause>...: context i is the i-th pair; the
 * S-mode external interrupt is cause 9 (11 is M-mode, -1 means none). */
static void parse_plic_contexts(const void *dt, int plic)
{
	int len, ctx = 0;
	const uint8_t *p = fdt_getprop(dt, plic, "interrupts-extended", &len);
	uint64_t hartid;

	if (!p || len % 8)
		riscv_boot_fail("PLIC %s: interrupts-extended missing or not <phandle cause> pairs",
				fdt_node_name(dt, plic));
	for (int off = 0; off < len; off += 8, ctx++) {
		if (fdt32(p + off + 4) != IRQ_S_EXT || !intc_hartid(dt, fdt32(p + off), &hartid))
			continue;
		if (riscv_plat.nr_plic_harts >= MAX_HARTS) {
			printk("riscv: more than %d harts on the PLIC, ignoring hart %llu\n",
			       MAX_HARTS, (unsigned long long)hartid);
			continue;
		}
		riscv_plat.plic_ctx[riscv_plat.nr_plic_harts].hartid = hartid;
		riscv_plat.plic_ctx[riscv_plat.nr_plic_harts++].ctx = ctx;
	}
}

static void parse_plic(const void *dt)
{
	int n = fdt_find_compatible(dt, -1, "sifive,plic-1.0.0");

	if (n < 0)
		n = fdt_find_compatible(dt, -1, "riscv,plic0");
	if (n < 0) {
		printk("riscv: no PLIC in the device tree: device interrupts unavailable\n");
		return;
	}
	if (!fdt_get_reg(dt, n, 0, &riscv_plat.plic_pa, &riscv_plat.plic_size) ||
	    riscv_plat.plic_size < 0x200000)
		riscv_boot_fail("PLIC %s: reg missing or too small", fdt_node_name(dt, n));
	riscv_plat.plic_ndev = fdt_get_u32(dt, n, "riscv,ndev", 0);
	if (!riscv_plat.plic_ndev || riscv_plat.plic_ndev > 1023)
		riscv_boot_fail("PLIC %s: riscv,ndev missing or above 1023", fdt_node_name(dt, n));
	parse_plic_contexts(dt, n);
	riscv_plat.plic_found = true;
}

/* QEMU virt's test device: SBI SRST shutdown reports success whatever the
 * reason, so a failure status is written here directly (see power.c). */
static void parse_finisher(const void *dt)
{
	int n = fdt_find_compatible(dt, -1, "sifive,test0");

	if (n >= 0 && fdt_node_enabled(dt, n) &&
	    fdt_get_reg(dt, n, 0, &riscv_plat.finisher_pa, NULL))
		riscv_plat.finisher_found = true;
}

/*
 * Fill *bi from the DTB (reachable through the early direct-map window set
 * up by head.S) and riscv_plat with the devices. Stops with a message on a
 * malformed or incomplete tree.
 */
void riscv_dt_parse(struct boot_info *bi, uint64_t boot_hartid)
{
	phys_addr_t pa = riscv_plat.dtb_pa;
	const void *dt;

	if (!pa || pa % 8 || pa >= PHYS_MAP_SIZE - 2 * GiB)
		riscv_boot_fail("no usable device tree pointer in a1 (0x%llx): the loader must pass the "
				"DTB's physical address (8-byte aligned, below %llu GiB)",
				(unsigned long long)pa, (unsigned long long)(PHYS_MAP_SIZE >> 30) - 2);
	dt = __va(pa);
	if (fdt_check(dt))
		riscv_boot_fail("the device tree at 0x%llx is malformed (see above)",
				(unsigned long long)pa);
	if (fdt_totalsize(dt) > GiB)
		riscv_boot_fail("the device tree claims %u bytes", fdt_totalsize(dt));
	bi->dtb = dt;
	parse_memory(dt, bi);
	parse_reserved(dt, bi);
	parse_cpus(dt, bi, boot_hartid);
	parse_uart(dt);
	parse_plic(dt);
	parse_finisher(dt);
}
