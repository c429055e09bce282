/*
 * smp.c - starting secondary CPUs with INIT-SIPI-SIPI.
 *
 * The real-mode trampoline (boot/trampoline.S) is copied to TRAMPOLINE_PA,
 * a page below 1 MiB that stays reserved; the SIPI vector is its page
 * number. CPUs are started one at a time: arch_cpu_start() returns once
 * the new CPU has taken its stack and CPU number from x86_ap_boot (the
 * scheduler then waits for it to mark itself online).
 */
#include <printk.h>
#include <string.h>
#include <mm.h>
#include "internal.h"

struct x86_ap_boot x86_ap_boot;		/* [I] one AP at a time, handed over by 'ack' */

extern char x86_trampoline_start[], x86_trampoline_end[];
extern char x86_trampoline_cr3[], x86_trampoline_efer[];

#define AP_ACK_TIMEOUT_MS	2000

static void trampoline_install(void)
{
	/* Low memory through the kernel image mapping (which covers the first GiB). */
	uint8_t *dst = (uint8_t *)(KERNEL_VIRT_BASE + TRAMPOLINE_PA);
	size_t len = x86_trampoline_end - x86_trampoline_start;
	uint32_t cr3 = (uint32_t)x86_trampoline_pgd();
	uint32_t efer = EFER_LME | (x86_pte_nx ? EFER_NXE : 0);

	memcpy(dst, x86_trampoline_start, len);
	memcpy(dst + (x86_trampoline_cr3 - x86_trampoline_start), &cr3, 4);
	memcpy(dst + (x86_trampoline_efer - x86_trampoline_start), &efer, 4);
}

/* Intel's sequence: INIT, 10 ms, SIPI, 200 us, SIPI (ignored if the first one worked). */
static void send_init_sipi_sipi(uint32_t apic_id)
{
	lapic_send_ipi(apic_id, ICR_INIT | ICR_LEVEL_ASSERT);
	x86_udelay(10000);
	for (int i = 0; i < 2; i++) {
		lapic_send_ipi(apic_id, ICR_STARTUP | (TRAMPOLINE_PA >> 12));
		x86_udelay(200);
	}
}

static bool wait_for_ack(void)
{
	uint64_t deadline = arch_time_ns() + AP_ACK_TIMEOUT_MS * 1000000ULL;

	while (!__atomic_load_n(&x86_ap_boot.ack, __ATOMIC_ACQUIRE)) {
		if (arch_time_ns() > deadline)
			return false;
		arch_cpu_relax();
	}
	return true;
}

int arch_cpu_start(unsigned int cpu, uint64_t hwid, void *stack_top)
{
	if (cpu >= NR_CPUS || hwid > 0xfe)
		return -EINVAL;
	trampoline_install();
	x86_ap_boot.kernel_cr3 = arch_kernel_pgd();
	x86_ap_boot.stack_top = (uint64_t)(uintptr_t)stack_top;
	x86_ap_boot.cpu = cpu;
	__atomic_store_n(&x86_ap_boot.ack, 0, __ATOMIC_RELEASE);
	cpus[cpu].arch.apic_id = (uint32_t)hwid;
	send_init_sipi_sipi((uint32_t)hwid);
	if (!wait_for_ack()) {
		/* Park it again so that a late start cannot use a stale x86_ap_boot. */
		lapic_send_ipi((uint32_t)hwid, ICR_INIT | ICR_LEVEL_ASSERT);
		printk("x86: CPU %u (APIC id %llu) did not start within %d ms; continuing without it\n",
		       cpu, (unsigned long long)hwid, AP_ACK_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	return 0;
}

/* A secondary CPU in C for the first time (from x86_ap_entry64), IRQs off, on its own stack. */
void x86_ap_main(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];

	x86_cpu_init(c);
	__atomic_store_n(&x86_ap_boot.ack, 1, __ATOMIC_RELEASE);	/* x86_ap_boot is free again */
	lapic_init_cpu();
	if (lapic_id() != c->arch.apic_id)
		printk("x86: CPU %u has APIC id %u, the MADT said %u\n", cpu, lapic_id(), c->arch.apic_id);
	c->arch.apic_id = lapic_id();
	secondary_main(cpu);
}
