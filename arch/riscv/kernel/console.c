/*
 * console.c - the boot console: a polled ns16550-family UART.
 *
 * Until riscv_console_init() (and whenever the device tree names no usable
 * 16550) bytes go through the SBI legacy console, which every OpenSBI in
 * the field provides. Register stride (reg-shift) and access width
 * (reg-io-width: 1 on QEMU virt, 4 on the JH7110's DesignWare UART) come
 * from the device tree. The firmware already set the baud rate and line
 * format; we leave them alone (the DW UART's busy-detect quirk makes LCR
 * writes risky) and only mask the UART's interrupts.
 */
#include <asm/riscv.h>
#include <asm/sbi.h>
#include <arch.h>
#include <io.h>
#include <mm.h>

#define UART_RBR	0	/* receive buffer (read) */
#define UART_THR	0	/* transmit holding (write) */
#define UART_IER	1
#define UART_LSR	5
#define LSR_DR		0x01	/* data ready */
#define LSR_THRE	0x20	/* transmit holding register empty */

static volatile uint8_t *uart;	/* [I] set once on the boot hart, NULL = SBI console */

static unsigned int uart_read(unsigned int reg)
{
	volatile uint8_t *a = uart + (reg << riscv_plat.uart_shift);

	return riscv_plat.uart_width == 4 ? readl(a) : readb(a);
}

static void uart_write(unsigned int reg, unsigned int v)
{
	volatile uint8_t *a = uart + (reg << riscv_plat.uart_shift);

	if (riscv_plat.uart_width == 4)
		writel(v, a);
	else
		writeb((uint8_t)v, a);
}

/* After riscv_paging_init(): the UART registers are in the direct map. */
void riscv_console_init(void)
{
	if (!riscv_plat.uart_found)
		return;
	uart = __va(riscv_plat.uart_pa);
	uart_write(UART_IER, 0);
}

void arch_console_putc(char c)
{
	if (!uart) {
		sbi_console_putchar(c);
		return;
	}
	while (!(uart_read(UART_LSR) & LSR_THRE))
		arch_cpu_relax();
	uart_write(UART_THR, (unsigned char)c);
}

int arch_console_getc(void)
{
	if (!uart)
		return sbi_console_getchar();
	if (!(uart_read(UART_LSR) & LSR_DR))
		return -1;
	return (int)(uart_read(UART_RBR) & 0xff);
}
