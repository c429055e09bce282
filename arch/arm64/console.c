/*
 * console.c - PL011 boot console, polled.
 *
 * The UART comes from /chosen stdout-path or the first enabled "arm,pl011"
 * node. When the device tree is unusable, PL011_FALLBACK_PA (QEMU virt's
 * UART) is used just to say why the boot stopped. The firmware (or QEMU)
 * has already set the baud rate; we only make sure the UART is enabled.
 */
#include <arch.h>
#include <fdt.h>
#include <io.h>
#include <printk.h>
#include "internal.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define UARTCR		0x30
#define FR_RXFE		(1u << 4)
#define FR_TXFF		(1u << 5)
#define CR_UARTEN	(1u << 0)
#define CR_TXE		(1u << 8)
#define CR_RXE		(1u << 9)
#define TX_SPIN_LIMIT	100000	/* a missing UART must not hang the kernel */

static void *uart;	/* [I] mapped registers, NULL until a UART is set up */

void pl011_setup(phys_addr_t pa)
{
	void *regs = arm64_ioremap(pa, 0x1000);
	uint32_t cr;

	if (!regs)
		return;
	cr = readl(regs + UARTCR);
	if ((cr & (CR_UARTEN | CR_TXE)) != (CR_UARTEN | CR_TXE))
		writel(cr | CR_UARTEN | CR_TXE | CR_RXE, regs + UARTCR);
	uart = regs;
}

/* Only for "cannot boot" messages: the device tree gave us no console. */
void pl011_use_fallback(void)
{
	if (!uart)
		pl011_setup(PL011_FALLBACK_PA);
}

void console_probe_dt(const void *fdt)
{
	int node = dt_stdout_node(fdt);
	uint64_t pa, size;

	if (node < 0 || !fdt_node_is_compatible(fdt, node, "arm,pl011")) {
		node = -1;
		while ((node = fdt_find_compatible(fdt, node, "arm,pl011")) >= 0)
			if (fdt_node_enabled(fdt, node))
				break;
	}
	if (node >= 0 && dt_reg(fdt, node, 0, &pa, &size)) {
		pl011_setup(pa);
		return;
	}
	pl011_use_fallback();
	printk("arm64: no PL011 in the device tree (stdout-path or \"arm,pl011\"); "
	       "trying QEMU virt's UART at 0x%lx. On a Raspberry Pi add "
	       "dtoverlay=disable-bt to config.txt\n", PL011_FALLBACK_PA);
}

/* printk already turns "\n" into "\r\n". */
void arch_console_putc(char c)
{
	if (!uart)
		return;
	for (int i = 0; i < TX_SPIN_LIMIT && (readl(uart + UARTFR) & FR_TXFF); i++)
		arch_cpu_relax();
	writel((uint8_t)c, uart + UARTDR);
}

int arch_console_getc(void)
{
	if (!uart || (readl(uart + UARTFR) & FR_RXFE))
		return -1;
	return readl(uart + UARTDR) & 0xff;
}
