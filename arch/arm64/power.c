/*
 * power.c - PSCI (CPU_ON, SYSTEM_OFF) and the QEMU semihosting exit.
 *
 * PSCI is reached with hvc or smc as the /psci node's "method" says.
 * Semihosting (HLT #0xf000) is used only when the command line has
 * "qemu_exit=semihosting" (added by arch/arm64/qemu.sh): without a debugger
 * or QEMU to catch it, HLT is an undefined instruction.
 */
#include <arch.h>
#include <boot.h>
#include <fdt.h>
#include <printk.h>
#include <string.h>
#include "internal.h"

#define PSCI_0_2_FN_SYSTEM_OFF	0x84000008u
#define PSCI_0_2_FN64_CPU_ON	0xc4000003u

#define SEMIHOST_SYS_EXIT	0x18
#define ADP_STOPPED_APP_EXIT	0x20026
#define QEMU_EXIT_BASE		64	/* qemu.sh: QEMU exit code 64 + status */

static enum { CONDUIT_NONE, CONDUIT_HVC, CONDUIT_SMC } psci_conduit;	/* [I] */
static uint32_t psci_fn_cpu_on = PSCI_0_2_FN64_CPU_ON;		/* [I] */

void psci_probe_dt(const void *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,psci-0.2");

	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "arm,psci-1.0");
	if (node < 0) {
		/* PSCI 0.1: function numbers come from the node. */
		node = fdt_find_compatible(fdt, -1, "arm,psci");
		if (node >= 0)
			psci_fn_cpu_on = fdt_get_u32(fdt, node, "cpu_on", psci_fn_cpu_on);
	}
	if (node < 0)
		return;
	if (dt_prop_is(fdt, node, "method", "hvc"))
		psci_conduit = CONDUIT_HVC;
	else if (dt_prop_is(fdt, node, "method", "smc"))
		psci_conduit = CONDUIT_SMC;
	else
		printk("psci: /psci has no method \"hvc\" or \"smc\"; PSCI disabled\n");
}

bool psci_available(void)
{
	return psci_conduit != CONDUIT_NONE;
}

/* SMC Calling Convention: x0 = function, x1..x3 = arguments, x0 = result. */
static int psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	if (psci_conduit == CONDUIT_HVC)
		__asm__ __volatile__("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : :
				     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
				     "x13", "x14", "x15", "x16", "x17", "memory");
	else if (psci_conduit == CONDUIT_SMC)
		__asm__ __volatile__("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : :
				     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
				     "x13", "x14", "x15", "x16", "x17", "memory");
	else
		return -1;	/* NOT_SUPPORTED */
	return (int)x0;
}

int psci_cpu_on(uint64_t hwid, phys_addr_t entry, uint64_t context)
{
	return psci_call(psci_fn_cpu_on, hwid, entry, context);
}

static void semihost_exit(int code)
{
	uint64_t block[2] = { ADP_STOPPED_APP_EXIT, (uint64_t)code };
	register uint64_t x0 __asm__("x0") = SEMIHOST_SYS_EXIT;
	register uint64_t x1 __asm__("x1") = (uint64_t)block;

	__asm__ __volatile__("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

void arch_poweroff(int status)
{
	char exit[16] = "";

	arch_irq_disable();
	cmdline_copy("qemu_exit", exit, sizeof(exit));
	if (status != 0 && strcmp(exit, "semihosting") == 0)
		semihost_exit(QEMU_EXIT_BASE + MIN(status > 0 ? status : 63, 63));
	if (status != 0)
		printk("poweroff: status %d (a failure), but PSCI SYSTEM_OFF cannot report it\n",
		       status);
	if (psci_available())
		psci_call(PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0);
	printk("poweroff: no PSCI to turn the machine off; halting\n");
	arch_halt();
}

void arch_halt(void)
{
	arch_irq_disable();
	for (;;)
		__asm__ __volatile__("wfi");
}
