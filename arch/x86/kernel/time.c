/*
 * time.c - the TSC as the clock (arch_time_ns) and the LAPIC timer as the
 * per-CPU tick.
 *
 * The TSC frequency comes from CPUID leaf 0x15 when it is fully
 * enumerated, else from the PIT: channel 2 counts down a known interval
 * while we read the TSC. The LAPIC timer rate is measured against the
 * calibrated TSC once, on the boot CPU; all LAPICs share the bus clock.
 */
#include <printk.h>
#include "internal.h"

#define PIT_HZ		1193182
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61		/* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 output */
#define CAL_MS		10
#define LAPIC_DIV_16	0x3
#define LVT_PERIODIC	(1u << 17)

static uint64_t tsc_hz;			/* [I] */
static uint64_t ns_per_tsc_32;		/* [I] ns per TSC cycle, 32.32 fixed point */
static uint32_t lapic_timer_hz;		/* [I] LAPIC timer ticks/s at divide-by-16 */

/* TSC cycles during 'ms' milliseconds counted by PIT channel 2; 0 if the PIT does not count. */
static uint64_t pit_measure_tsc(unsigned int ms)
{
	uint32_t count = PIT_HZ * ms / 1000;
	uint64_t t0, t1;
	unsigned long spins = 0;

	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);	/* gate on, speaker off */
	outb(PIT_CMD, 0xb0);			/* ch2, lo/hi byte, mode 0 (interrupt on terminal count) */
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);		/* counting starts: output goes low */
	t0 = rdtsc();
	while (!(inb(PIT_GATE) & 0x20)) {
		if (++spins > 50000000)
			return 0;
	}
	t1 = rdtsc();
	return t1 - t0;
}

static uint64_t tsc_hz_from_cpuid(void)
{
	struct cpuid_regs r;

	if (cpuid(0, 0).eax < 0x15)
		return 0;
	r = cpuid(0x15, 0);		/* TSC = crystal (ecx) * ebx / eax */
	if (!r.eax || !r.ebx || !r.ecx)
		return 0;
	return (uint64_t)r.ecx * r.ebx / r.eax;
}

/* Best of three PIT runs: an interruption (e.g. a preempted virtual CPU) only lengthens a run. */
static uint64_t tsc_hz_from_pit(void)
{
	uint64_t best = 0;

	for (int i = 0; i < 3; i++) {
		uint64_t d = pit_measure_tsc(CAL_MS);

		if (d && (!best || d < best))
			best = d;
	}
	return best * (1000 / CAL_MS);
}

void x86_tsc_init(void)
{
	const char *src = "CPUID 0x15";

	tsc_hz = tsc_hz_from_cpuid();
	if (!tsc_hz) {
		src = "PIT";
		tsc_hz = tsc_hz_from_pit();
	}
	if (!tsc_hz) {
		tsc_hz = 1000000000;
		printk("x86: the PIT does not count; assuming a 1 GHz TSC (timing will be off)\n");
		src = "a guess";
	}
	ns_per_tsc_32 = (1000000000ULL << 32) / tsc_hz;
	printk("x86: TSC %llu.%03llu MHz (from %s)\n", (unsigned long long)(tsc_hz / 1000000),
	       (unsigned long long)(tsc_hz / 1000 % 1000), src);
}

uint64_t arch_time_ns(void)
{
	/* The TSC counts from CPU reset, so this is time since reset (make bench uses that). */
	return (uint64_t)(((unsigned __int128)rdtsc() * ns_per_tsc_32) >> 32);
}

void x86_udelay(uint64_t us)
{
	uint64_t end = arch_time_ns() + us * 1000;

	while (arch_time_ns() < end)
		arch_cpu_relax();
}

/* LAPIC timer ticks in CAL_MS, counted down from the maximum against the TSC. */
static void lapic_timer_calibrate(void)
{
	uint32_t left;

	lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, (1u << 16) | VEC_TIMER);	/* masked, one-shot */
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	x86_udelay(CAL_MS * 1000);
	left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_timer_hz = (uint32_t)(0xffffffffu - left) * (1000 / CAL_MS);
	printk("x86: LAPIC timer %u.%03u MHz\n", lapic_timer_hz / 1000000,
	       lapic_timer_hz / 1000 % 1000);
}

void arch_timer_init_cpu(unsigned int hz)
{
	if (!lapic_timer_hz)
		lapic_timer_calibrate();	/* first call: the boot CPU */
	if (!hz || lapic_timer_hz / hz == 0)
		panic("x86: timer rate %u Hz is not possible (LAPIC timer runs at %u Hz)",
		      hz, lapic_timer_hz);
	lapic_write(LAPIC_TIMER_DIV, LAPIC_DIV_16);
	lapic_write(LAPIC_LVT_TIMER, LVT_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_INIT, lapic_timer_hz / hz);
}

/* ---- tests ---- */
#include <ktest.h>

KTEST(x86_time_monotonic)
{
	uint64_t prev = arch_time_ns(), t0 = prev, t1;

	for (int i = 0; i < 10000; i++) {
		uint64_t now = arch_time_ns();

		KT_ASSERT(t, now >= prev);
		prev = now;
	}
	t0 = arch_time_ns();
	x86_udelay(2000);
	t1 = arch_time_ns();
	KT_EXPECT(t, t1 - t0 >= 2000000);
	KT_EXPECT(t, t1 - t0 < 1000000000);	/* generous: TCG on a busy host */
	KT_EXPECT(t, lapic_timer_hz > 1000000);
}
