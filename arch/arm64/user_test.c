/*
 * user_test.c - in-kernel tests of the arm64 user-mode hooks: user page
 * tables + TTBR0, the uaccess routines and their fixups, PAN, the fault
 * decoding and the FP/SIMD switch.
 */
#include <arch.h>
#include <fault.h>
#include <ktest.h>
#include <ktest_uspace.h>
#include <mm.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <sched.h>
#include <string.h>
#include "internal.h"
#include "sigframe.h"
#include "uaccess.h"

#define UVA	0x10000000UL	/* test user page: RW; UVA + PAGE_SIZE unmapped; + 2 pages RO */

/* Copies to and from a mapped user page work and land in that page. */
static void check_mapped(struct ktest_ctx *t, struct ktest_uspace *u)
{
	char buf[64], back[64];

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + 1);
	KT_EXPECT_EQ(t, arch_copy_to_user((void *)(UVA + 3), buf, sizeof(buf)), 0);
	KT_EXPECT(t, memcmp(u->rw + 3, buf, sizeof(buf)) == 0);
	KT_EXPECT_EQ(t, arch_copy_from_user(back, (void *)(UVA + 3), sizeof(back)), 0);
	KT_EXPECT(t, memcmp(back, buf, sizeof(buf)) == 0);
	KT_EXPECT_EQ(t, arch_clear_user((void *)(UVA + 5), 20), 0);
	KT_EXPECT(t, u->rw[4] == buf[1] && u->rw[5] == 0 && u->rw[24] == 0 && u->rw[25] == buf[22]);
	KT_EXPECT_EQ(t, arch_copy_from_user(back, (void *)(UVA + 2 * PAGE_SIZE), 8), 0);
}

/* Unmapped, read-only and kernel addresses: the exact not-copied count, no panic. */
static void check_faulting(struct ktest_ctx *t, struct ktest_uspace *u)
{
	static uint64_t kernel_word = 0x1234;
	char buf[32];

	memset(buf, 0x5a, sizeof(buf));
	/* 5 bytes fit before the unmapped page: 11 are not copied. */
	KT_EXPECT_EQ(t, arch_copy_to_user((void *)(UVA + PAGE_SIZE - 5), buf, 16), 11);
	KT_EXPECT(t, u->rw[PAGE_SIZE - 1] == 0x5a && u->rw[PAGE_SIZE - 5] == 0x5a);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(UVA + PAGE_SIZE - 3), 16), 13);
	KT_EXPECT_EQ(t, arch_clear_user((void *)(UVA + PAGE_SIZE - 9), 20), 11);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(UVA + PAGE_SIZE), 32), 32);
	KT_EXPECT_EQ(t, arch_copy_to_user((void *)(UVA + 2 * PAGE_SIZE), buf, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, &kernel_word, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_to_user(&kernel_word, buf, 8), 8);
	KT_EXPECT_EQ(t, arch_clear_user(&kernel_word, 3), 3);
	KT_EXPECT_EQ(t, kernel_word, 0x1234);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)0xffff7fff00000000UL, 4), 4);
}

/* PAN: an ordinary kernel load of a user page faults, of a kernel page does not. */
static void check_pan(struct ktest_ctx *t)
{
	static uint8_t kernel_byte;

	KT_EXPECT_EQ(t, arm64_probe_read_priv(&kernel_byte), 0);
	if (!arm64_has_pan()) {
		printk("ktest: arm64_uaccess: this CPU has no FEAT_PAN, PAN checks skipped\n");
		return;
	}
	KT_EXPECT(t, arm64_pan_enabled());
	KT_EXPECT_EQ(t, arm64_probe_read_priv((void *)UVA), -1);
}

static void uaccess_body(void *arg)
{
	struct ktest_ctx *t = arg;
	struct ktest_uspace u = { 0 };
	char buf[8];

	if (!ktest_uspace_build(&u, UVA)) {
		ktest_fail(t, __FILE__, __LINE__, "out of memory building a user page table");
		return;
	}
	arch_switch_mm(__pa(u.root));	/* pinned thread: this CPU keeps it */
	check_mapped(t, &u);
	check_faulting(t, &u);
	check_pan(t);
	arch_switch_mm(0);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)UVA, 8), 8);	/* EPD0: no user half */
	ktest_uspace_free(&u);
}

/* A user page table in TTBR0 and every uaccess case (runs pinned to one CPU). */
KTEST(arm64_uaccess)
{
	KT_ASSERT(t, run_threads_on_cpus(uaccess_body, t, 1, "kt-uaccess"));
}

/* ESR -> FAULT_FLAG_* as the hardware reports them. */
KTEST(arm64_fault_flags)
{
	KT_EXPECT_EQ(t, arm64_fault_flags(0x92000047UL, false), FAULT_FLAG_WRITE);	/* DABT EL0, WnR, L3 transl */
	KT_EXPECT_EQ(t, arm64_fault_flags(0x9200000fUL, false), 0);			/* read, permission */
	KT_EXPECT_EQ(t, arm64_fault_flags(0x92000147UL, false), 0);			/* cache maintenance */
	KT_EXPECT_EQ(t, arm64_fault_flags(0x8200000fUL, true), FAULT_FLAG_INSTRUCTION);	/* IABT */
	KT_EXPECT_EQ(t, search_exception_table((uintptr_t)arm64_fault_flags), NULL);
	KT_EXPECT(t, __stop___ex_table - __start___ex_table >= 7);
}

/* The TLS register follows arch_set_tls on the running thread. */
KTEST(arm64_tls)
{
	struct arch_thread *at = &current->arch;
	struct arch_thread saved = *at;

	arch_set_tls(at, 0xabcdef00UL);
	KT_EXPECT_EQ(t, read_sysreg(tpidr_el0), 0xabcdef00UL);
	arch_set_tls(at, 0);
	KT_EXPECT_EQ(t, read_sysreg(tpidr_el0), 0);
	KT_EXPECT_EQ(t, read_sysreg(tpidrro_el0), 0);
	*at = saved;
}

/* FPCR.RMode (bits 23:22) differs between the two patterns: 01 for A, 11 for B. */
#define FPCR_OF(v)	((v) >> 32 & (3UL << 22))

static void fp_set(uint64_t v)
{
	__asm__ __volatile__("dup v0.2d, %0; dup v17.2d, %0; dup v31.2d, %0; msr fpcr, %1"
			     : : "r"(v), "r"(FPCR_OF(v)) : "v0", "v17", "v31");
}

static bool fp_is(uint64_t v)
{
	uint64_t a, b, c, d, fpcr;

	__asm__ __volatile__("mov %0, v0.d[0]; mov %1, v17.d[1]; mov %2, v31.d[0]; mov %3, v31.d[1];"
			     "mrs %4, fpcr" : "=r"(a), "=r"(b), "=r"(c), "=r"(d), "=r"(fpcr));
	return a == v && b == v && c == v && d == v && fpcr == FPCR_OF(v);
}

/* arch_thread_switch saves the outgoing registers and loads the incoming ones. */
KTEST(arm64_fpsimd_switch)
{
	static struct arch_thread a, b;
	unsigned long flags = arch_irq_save();
	bool loaded_b, saved_a, back_a;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.user_state = b.user_state = true;
	for (int i = 0; i < 64; i++)
		b.fpsimd.vregs[i] = 0x00c0000000beef00UL;
	b.fpsimd.fpcr = 0x00c00000;
	b.tls = 0x7777;
	fp_set(0x0040000000123400UL);
	arch_thread_switch(&a, &b);
	loaded_b = fp_is(0x00c0000000beef00UL) && read_sysreg(tpidr_el0) == 0x7777;
	saved_a = a.fpsimd.vregs[0] == 0x0040000000123400UL && a.fpsimd.vregs[63] == 0x0040000000123400UL;
	arch_thread_switch(&b, &a);
	back_a = fp_is(0x0040000000123400UL);
	fp_set(0);
	write_sysreg(0, tpidr_el0);
	arch_irq_restore(flags);
	KT_EXPECT(t, loaded_b);
	KT_EXPECT(t, saved_a);
	KT_EXPECT(t, back_a);
	KT_EXPECT_EQ(t, b.tls, 0x7777);
}

/* ---- signal frames ------------------------------------------------------------ */
#define SIG_HANDLER	0x400800UL
#define SIG_RESTORER	0x400900UL
#define FP_A		0x0040000000123400UL
#define FP_B		0x00c0000000beef00UL

static void sig_regs(struct pt_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	for (int i = 0; i < 31; i++)
		regs->regs[i] = 0x1000 + i;
	regs->sp = UVA + PAGE_SIZE - 40;	/* not 16-byte aligned on purpose */
	regs->pc = 0x400124;
	regs->pstate = PSR_MODE_EL0t | 0x60000000;	/* Z and C set */
}

/* Deliver, check what the handler sees, clobber, return: everything comes back. */
static void check_roundtrip(struct ktest_ctx *t, struct ktest_uspace *u)
{
	siginfo_t si = { .si_signo = 11, .si_code = 2 };
	struct pt_regs regs, orig;
	struct rt_sigframe *f;
	uint64_t mask = 0;

	si.si_addr = (void *)0x1234;
	sig_regs(&regs);
	orig = regs;
	fp_set(FP_A);
	KT_ASSERT_EQ(t, arch_setup_signal_frame(&regs, 11, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0xabc), 0);
	f = (struct rt_sigframe *)(u->rw + (regs.sp - UVA));
	KT_EXPECT(t, IS_ALIGNED(regs.sp, 16) && regs.sp + sizeof(*f) <= orig.sp && regs.sp >= UVA);
	KT_EXPECT(t, regs.regs[0] == 11 && regs.regs[1] == regs.sp &&
		     regs.regs[2] == regs.sp + offsetof(struct rt_sigframe, uc));
	KT_EXPECT(t, regs.regs[30] == SIG_RESTORER && regs.pc == SIG_HANDLER);
	KT_EXPECT(t, memcmp(&f->info, &si, sizeof(si)) == 0);
	KT_EXPECT(t, f->uc.uc_mcontext.fpsimd.vregs[35] == FP_A && f->uc.uc_mcontext.pc == orig.pc);
	fp_set(FP_B);			/* the handler runs and changes everything */
	regs.regs[7] = 0;
	regs.pstate = PSR_MODE_EL0t;
	KT_ASSERT_EQ(t, arch_sigreturn(&regs, &mask), 0);
	KT_EXPECT(t, memcmp(regs.regs, orig.regs, sizeof(regs.regs)) == 0);
	KT_EXPECT(t, regs.sp == orig.sp && regs.pc == orig.pc && regs.pstate == orig.pstate);
	KT_EXPECT(t, fp_is(FP_A));
	KT_EXPECT_EQ(t, mask, 0xabc);
}

/* A frame that claims EL1 with interrupts masked comes back as EL0 with only NZCV. */
static void check_pstate_sanitised(struct ktest_ctx *t, struct ktest_uspace *u)
{
	siginfo_t si = { .si_signo = 10 };
	struct pt_regs regs;
	struct rt_sigframe *f;
	uint64_t mask;

	sig_regs(&regs);
	KT_ASSERT_EQ(t, arch_setup_signal_frame(&regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), 0);
	f = (struct rt_sigframe *)(u->rw + (regs.sp - UVA));
	f->uc.uc_mcontext.pstate = PSR_MODE_EL1h | PSR_I_BIT | PSR_F_BIT | PSR_A_BIT | PSR_D_BIT |
				   PSR_PAN_BIT | 0x80000000;
	KT_ASSERT_EQ(t, arch_sigreturn(&regs, &mask), 0);
	KT_EXPECT_EQ(t, regs.pstate, PSR_MODE_EL0t | 0x80000000);
	KT_EXPECT(t, user_mode(&regs));
}

/* Bad frames and unusable stacks give -EFAULT and leave the registers alone. */
static void check_bad_frames(struct ktest_ctx *t, struct ktest_uspace *u)
{
	siginfo_t si = { .si_signo = 10 };
	struct pt_regs regs;
	struct rt_sigframe *f;
	uint64_t mask;

	sig_regs(&regs);
	regs.sp = UVA + 64;		/* the frame would go below the mapped page */
	KT_EXPECT_EQ(t, arch_setup_signal_frame(&regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), -EFAULT);
	KT_EXPECT_EQ(t, regs.pc, 0x400124);
	regs.sp = 32;
	KT_EXPECT_EQ(t, arch_setup_signal_frame(&regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), -EFAULT);
	regs.sp = UVA + PAGE_SIZE;	/* unmapped */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	regs.sp = 0xffff000000000000UL;	/* kernel */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	sig_regs(&regs);
	KT_ASSERT_EQ(t, arch_setup_signal_frame(&regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), 0);
	f = (struct rt_sigframe *)(u->rw + (regs.sp - UVA));
	f->uc.uc_mcontext.fpsimd.head.size = 16;
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	KT_EXPECT_EQ(t, regs.pc, SIG_HANDLER);
	regs.sp += 8;			/* misaligned */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
}

static void signal_body(void *arg)
{
	struct ktest_ctx *t = arg;
	struct ktest_uspace u = { 0 };

	if (!ktest_uspace_build(&u, UVA)) {
		ktest_fail(t, __FILE__, __LINE__, "out of memory building a user page table");
		return;
	}
	arch_thread_init(&current->arch);	/* a switch keeps our FP registers */
	arch_switch_mm(__pa(u.root));
	check_roundtrip(t, &u);
	check_pstate_sanitised(t, &u);
	check_bad_frames(t, &u);
	arch_switch_mm(0);
	fp_set(0);
	ktest_uspace_free(&u);
}

/* arch_setup_signal_frame / arch_sigreturn on a real user page (pinned thread). */
KTEST(arm64_signal_frame)
{
	KT_ASSERT(t, run_threads_on_cpus(signal_body, t, 1, "kt-signal"));
}
