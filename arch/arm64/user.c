/*
 * user.c - per-thread user state (FP/SIMD, TLS), the user address space
 * register (TTBR0_EL1) and the CPU features user mode needs.
 *
 * FP/SIMD: switched eagerly. arch_thread_switch() saves the outgoing user
 * thread's V0-V31/FPSR/FPCR/TPIDR_EL0 and loads the incoming one's; kernel
 * threads (user_state false) skip both, which is safe because the kernel
 * never uses those registers. Functions that change the state of the
 * running thread do so with IRQs off, so a preemption (which saves the live
 * registers) cannot overwrite what they just wrote.
 *
 * Address spaces: TTBR1 always holds the kernel (swapper_pg_dir), TTBR0 the
 * user half, so a user root table needs no kernel entries. No ASIDs: every
 * user mapping is non-global (nG) with ASID 0, and arch_switch_mm() drops all
 * non-global TLB entries of this CPU (TLBI ASIDE1, ASID 0) after loading the
 * new TTBR0; the kernel's global entries survive. So a CPU holds TLB entries
 * only for the mm it has loaded now.
 */
#include <arch.h>
#include <cpu.h>
#include <printk.h>
#include <sched.h>
#include <string.h>
#include "internal.h"

void fpsimd_save(struct fpsimd_state *st);
void fpsimd_load(const struct fpsimd_state *st);

static bool have_pan;	/* [I] FEAT_PAN, set by the boot CPU before the others start */

bool arm64_has_pan(void)
{
	return have_pan;
}

/*
 * Per-CPU setup for user mode, on every CPU before it runs threads:
 * FP/SIMD untrapped at EL0 and EL1, EL0 may read CTR_EL0, use DC ZVA, WFI/WFE
 * and cache maintenance by VA; TPIDRRO_EL0 is 0 (never used); PAN on.
 */
void arm64_cpu_user_init(bool boot_cpu)
{
	uint64_t sctlr = read_sysreg(sctlr_el1);
	bool pan = (read_sysreg(id_aa64mmfr1_el1) >> ID_AA64MMFR1_PAN_SHIFT & 0xf) != 0;

	write_sysreg(read_sysreg(cpacr_el1) | CPACR_EL1_FPEN, cpacr_el1);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, tpidr_el0);
	if (boot_cpu)
		have_pan = pan;
	else if (pan != have_pan)
		panic("arm64: CPU %u %s FEAT_PAN but the boot CPU %s; mixed CPUs are not supported",
		      this_cpu()->id, pan ? "has" : "lacks", have_pan ? "has" : "lacks");
	sctlr |= SCTLR_EL1_DZE | SCTLR_EL1_UCT | SCTLR_EL1_NTWI | SCTLR_EL1_NTWE | SCTLR_EL1_UCI;
	if (have_pan)
		sctlr &= ~SCTLR_EL1_SPAN;	/* every exception entry to EL1 sets PAN */
	write_sysreg(sctlr, sctlr_el1);
	isb();
	if (have_pan)	/* MSR PAN, #1 (an ARMv8.1 instruction; we assemble for v8.0) */
		__asm__ __volatile__(".inst 0xd500419f" ::: "memory");
}

/* PSTATE.PAN as the CPU sees it now (false without FEAT_PAN). */
bool arm64_pan_enabled(void)
{
	return have_pan && (read_sysreg(S3_0_C4_C2_3) & PSR_PAN_BIT);	/* MRS PAN */
}

/* ---- per-thread FP/SIMD and TLS ------------------------------------------ */
static bool is_current(const struct arch_thread *at)
{
	struct thread *curr = this_cpu()->curr;

	return curr && at == &curr->arch;
}

void arch_thread_init(struct arch_thread *at)
{
	unsigned long flags = arch_irq_save();

	memset(at, 0, sizeof(*at));	/* FPCR 0: round to nearest, no traps, IEEE */
	at->user_state = true;
	if (is_current(at)) {
		fpsimd_load(&at->fpsimd);
		write_sysreg(0, tpidr_el0);
	}
	arch_irq_restore(flags);
}

void arch_thread_copy(struct arch_thread *dst, const struct arch_thread *src)
{
	unsigned long flags = arch_irq_save();
	struct arch_thread *live = (struct arch_thread *)src;

	if (is_current(src) && src->user_state) {
		fpsimd_save(&live->fpsimd);
		live->tls = read_sysreg(tpidr_el0);
	}
	memcpy(dst, src, sizeof(*dst));
	dst->user_state = true;
	arch_irq_restore(flags);
}

/* Locks: IRQs off (the scheduler, before arch_context_switch). */
void arch_thread_switch(struct arch_thread *prev, struct arch_thread *next)
{
	if (prev->user_state) {
		fpsimd_save(&prev->fpsimd);
		prev->tls = read_sysreg(tpidr_el0);
	}
	if (next->user_state) {
		fpsimd_load(&next->fpsimd);
		write_sysreg(next->tls, tpidr_el0);
	} else if (prev->user_state) {
		write_sysreg(0, tpidr_el0);	/* no stale thread pointer while a kthread runs */
	}
}

void arch_set_tls(struct arch_thread *at, uintptr_t tp)
{
	unsigned long flags = arch_irq_save();

	at->tls = tp;
	if (is_current(at))
		write_sysreg(tp, tpidr_el0);
	arch_irq_restore(flags);
}

/* ---- address spaces -------------------------------------------------------- */
/* Nothing to copy: the kernel half lives in TTBR1 (swapper_pg_dir), never in a user root. */
void arch_pgd_init_user(pte_t *pgd)
{
}

/*
 * Load user_pgd into TTBR0_EL1 (0: no user address space, TTBR0 walks off
 * with EPD0) and drop this CPU's non-global TLB entries, which belonged to
 * the previous mm. Locks: IRQs off or preemption off (per-CPU registers).
 */
void arch_switch_mm(phys_addr_t user_pgd)
{
	uint64_t tcr = read_sysreg(tcr_el1);
	uint64_t want = user_pgd ? tcr & ~TCR_EL1_EPD0 : tcr | TCR_EL1_EPD0;

	write_sysreg(user_pgd, ttbr0_el1);	/* ASID field (bits 63:48) 0 */
	if (want != tcr)
		write_sysreg(want, tcr_el1);
	isb();
	dsb(nshst);
	__asm__ __volatile__("tlbi aside1, xzr" ::: "memory");	/* ASID 0, non-global only */
	dsb(nsh);
	isb();
}
