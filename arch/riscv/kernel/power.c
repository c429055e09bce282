/*
 * power.c - powering off and halting.
 *
 * SBI SRST shutdown is the portable way off. Under QEMU 7.2 with OpenSBI
 * 1.1 it always exits QEMU with status 0, even with reason "system
 * failure" (OpenSBI's sifive_test driver writes FINISHER_PASS either way),
 * so a non-zero status is written straight to QEMU's "sifive,test0"
 * finisher when the device tree has one: FINISHER_FAIL | status << 16
 * makes QEMU exit with that status. Real boards have no such device.
 */
#include <asm/riscv.h>
#include <asm/sbi.h>
#include <arch.h>
#include <io.h>
#include <mm.h>
#include <printk.h>

#define FINISHER_FAIL	0x3333

void arch_poweroff(int status)
{
	arch_irq_disable();
	if (status && riscv_plat.finisher_found)
		writel(FINISHER_FAIL | (uint32_t)(status & 0xffff) << 16,
		       __va(riscv_plat.finisher_pa));
	sbi_system_off(status != 0);
	printk("poweroff: the SBI firmware has no system reset (SRST); halting instead\n");
	arch_halt();
}

void arch_halt(void)
{
	arch_irq_disable();
	csr_write(sie, 0);
	for (;;)
		arch_wait_for_interrupt();
}
