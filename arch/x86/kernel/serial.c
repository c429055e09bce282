/*
 * serial.c - polled 16550 UART on COM1 (I/O port 0x3f8), the boot console.
 */
#include "internal.h"

#define COM1		0x3f8
#define UART_DATA	0	/* RBR / THR (DLL with DLAB) */
#define UART_IER	1	/* DLM with DLAB */
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define LCR_DLAB	0x80
#define LCR_8N1		0x03

/* Nothing answers at COM1 (reads 0xff: no UART, e.g. some UEFI PCs): drop output. */
static bool uart_present;	/* [I] */

void x86_serial_init(void)
{
	outb(COM1 + UART_IER, 0);		/* polled: no UART interrupts */
	outb(COM1 + UART_LCR, LCR_DLAB);
	outb(COM1 + UART_DATA, 1);		/* divisor 1: 115200 baud */
	outb(COM1 + UART_IER, 0);
	outb(COM1 + UART_LCR, LCR_8N1);
	outb(COM1 + UART_FCR, 0xc7);		/* FIFOs on and cleared */
	outb(COM1 + UART_MCR, 0x03);		/* DTR, RTS */
	uart_present = inb(COM1 + UART_LSR) != 0xff;
}

void arch_console_putc(char c)
{
	unsigned int spins = 0;

	if (!uart_present)
		return;
	/* Bounded wait so that a stuck or absent UART cannot hang a panic. */
	while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY) && ++spins < 100000)
		arch_cpu_relax();
	outb(COM1 + UART_DATA, (uint8_t)c);
}

int arch_console_getc(void)
{
	if (!uart_present || !(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}
