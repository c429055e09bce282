/*
 * timer.c - the per-hart tick through the SBI TIME extension.
 *
 * rdtime counts at /cpus timebase-frequency (10 MHz on QEMU virt, 1 MHz on
 * the FU540/FU740, 4 MHz on the JH7110). The tick is programmed with
 * sbi_set_timer() even where the ISA string offers Sstc (QEMU virt does,
 * the U54/U74 boards do not), so the same path runs everywhere.
 */
#include <asm/riscv.h>
#include <asm/sbi.h>
#include <arch.h>
#include <cpu.h>
#include <printk.h>
#include <ktest.h>

#define NSEC_PER_SEC	1000000000ULL

static inline uint64_t rdtime(void)
{
	uint64_t t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

uint64_t arch_time_ns(void)
{
	uint64_t t = rdtime(), f = riscv_plat.timebase_hz;

	if (!f)
		return 0;	/* before the device tree was read */
	return t / f * NSEC_PER_SEC + t % f * NSEC_PER_SEC / f;
}

void arch_timer_init_cpu(unsigned int hz)
{
	struct arch_cpu *a = &this_cpu()->arch;

	if (!hz || riscv_plat.timebase_hz / hz == 0)
		panic("timer: cannot tick at %u Hz with a %llu Hz timebase", hz,
		      (unsigned long long)riscv_plat.timebase_hz);
	a->tick_period = riscv_plat.timebase_hz / hz;
	a->next_tick = rdtime() + a->tick_period;
	sbi_set_timer(a->next_tick);
	csr_set(sie, SIE_STIE);
}

/* Re-arm one period after the previous deadline (no drift); skip missed ticks. */
void riscv_timer_interrupt(void)
{
	struct arch_cpu *a = &this_cpu()->arch;
	uint64_t now = rdtime();

	if (!a->tick_period) {
		sbi_set_timer(UINT64_MAX);	/* spurious: silence it */
		return;
	}
	a->next_tick += a->tick_period;
	if (a->next_tick <= now)
		a->next_tick = now + a->tick_period;
	sbi_set_timer(a->next_tick);
}

/* ---- tests ---- */

KTEST(riscv_time_ns_tracks_rdtime)
{
	uint64_t f = riscv_plat.timebase_hz;
	uint64_t t0 = arch_time_ns(), r0 = rdtime(), r1, t1;

	KT_ASSERT(t, f != 0);
	while ((r1 = rdtime()) - r0 < f / 100)	/* 10 ms of timebase */
		arch_cpu_relax();
	t1 = arch_time_ns();
	KT_EXPECT(t, t1 > t0);
	/* 10 ms of ticks is 10 ms of nanoseconds, give or take the loop. */
	KT_EXPECT(t, t1 - t0 >= 10000000ULL);
	KT_EXPECT(t, t1 - t0 < 1000000000ULL);
	KT_EXPECT(t, this_cpu()->arch.tick_period != 0);	/* the tick is running here */
}
