/*
 * timer.c - ARM generic timer: the EL1 virtual timer as the periodic tick,
 * the virtual counter as the clock. (At EL2 entry head.S zeroes CNTVOFF_EL2,
 * so virtual and physical counts agree.)
 */
#include <arch.h>
#include <fdt.h>
#include <printk.h>
#include "internal.h"

#define TIMER_PPI_VIRT_DEFAULT	27	/* INTID of the virtual timer on QEMU virt, Pi 4 */
#define CNTV_CTL_ENABLE		(1u << 0)

static struct {
	uint64_t freq;		/* [I] counter frequency, Hz */
	uint64_t ns_mult;	/* [I] ns = count * ns_mult >> 32 */
	uint32_t intid;		/* [I] GIC INTID of the virtual timer */
	uint64_t tick;		/* [I] counts per tick, set by the first arch_timer_init_cpu() */
} timer;

/* Counter frequency and the virtual-timer interrupt from the "arm,armv8-timer" node. */
void timer_probe_dt(const void *fdt)
{
	int node = fdt_find_compatible(fdt, -1, "arm,armv8-timer"), len;
	const uint32_t *irqs;

	if (node < 0)
		node = fdt_find_compatible(fdt, -1, "arm,armv7-timer");
	timer.intid = TIMER_PPI_VIRT_DEFAULT;
	timer.freq = read_sysreg(cntfrq_el0);
	if (node < 0) {
		printk("timer: no \"arm,armv8-timer\" node; assuming the virtual timer is PPI %u\n",
		       TIMER_PPI_VIRT_DEFAULT - 16);
	} else {
		/* interrupts: secure phys, non-secure phys, virtual, hyp; 3 cells each. */
		irqs = fdt_getprop(fdt, node, "interrupts", &len);
		if (irqs && len >= 9 * 4 && fdt32(&irqs[6]) == 1)
			timer.intid = 16 + fdt32(&irqs[7]);
		timer.freq = fdt_get_u32(fdt, node, "clock-frequency", timer.freq);
	}
	if (!timer.freq)
		arm64_boot_fail("timer: CNTFRQ_EL0 is 0 and the timer node has no "
				"clock-frequency; the firmware must set the counter frequency\n");
	timer.ns_mult = (1000000000UL << 32) / timer.freq;
}

unsigned int timer_intid(void)
{
	return timer.intid;
}

/* Program the next tick; called from the IRQ path before the EOI. */
void arm64_timer_tick(void)
{
	write_sysreg(timer.tick, cntv_tval_el0);
}

void arch_timer_init_cpu(unsigned int hz)
{
	if (!timer.tick) {
		timer.tick = timer.freq / hz;
		printk("timer: generic timer %lu Hz, tick %u Hz, INTID %u\n",
		       (unsigned long)timer.freq, hz, timer.intid);
	}
	write_sysreg(timer.tick, cntv_tval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
	gic_enable_ppi(timer.intid);
}

uint64_t arch_time_ns(void)
{
	uint64_t cnt;

	isb();		/* do not read the counter ahead of earlier instructions */
	cnt = read_sysreg(cntvct_el0);
	return (uint64_t)(((unsigned __int128)cnt * timer.ns_mult) >> 32);
}
