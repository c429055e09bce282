/*
 * uaccess_test.c - user address spaces by hand: a root table from
 * arch_pgd_init_user(), user pages mapped with the generic walker, loaded
 * with arch_switch_mm(), then the user-access primitives on mapped,
 * unmapped, read-only, kernel and non-canonical addresses. A fault that no
 * page can satisfy must come back through the exception table (the thread
 * has no mm, so do_page_fault cannot map anything) as a short count.
 */
#include <ktest.h>
#include <ktest_uspace.h>
#include <string.h>
#include <mm.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <sched.h>
#include "internal.h"

#define UVA	0x400000UL	/* the first address user programs use */

KTEST(x86_user_pgd_shares_kernel_half)
{
	struct ktest_uspace u = { 0 };
	const pte_t *kpgd = __va(arch_kernel_pgd());
	phys_addr_t pa;
	unsigned int prot;

	KT_ASSERT(t, ktest_uspace_build(&u, UVA));
	KT_EXPECT(t, !memcmp(&u.root[PT_ENTRIES / 2], &kpgd[PT_ENTRIES / 2],
			     sizeof(pte_t) * PT_ENTRIES / 2));
	/* every kernel region already has its root entry, so the copy can never go stale */
	KT_EXPECT(t, pte_present(kpgd[pt_index(PHYS_MAP_BASE, PT_ROOT_LEVEL)]));
	KT_EXPECT(t, pte_present(kpgd[pt_index(KMAP_BASE, PT_ROOT_LEVEL)]));
	KT_EXPECT(t, pte_present(kpgd[pt_index(KERNEL_VIRT_BASE, PT_ROOT_LEVEL)]));
	KT_EXPECT(t, pt_lookup(__pa(u.root), UVA + 5, &pa, &prot, NULL));
	KT_EXPECT_EQ(t, pa, __pa(u.rw) + 5);
	KT_EXPECT_EQ(t, prot & (PTE_USER | PTE_W | PTE_GLOBAL), PTE_USER | PTE_W);
	KT_EXPECT(t, !x86_pte_nx || !(prot & PTE_X));	/* user data is never executable */
	ktest_uspace_free(&u);
}

KTEST(x86_uaccess_copy_and_fixup)
{
	static const char msg[] = "hello, user";
	struct ktest_uspace u = { 0 };
	char buf[64], src[32];
	uint8_t *p = (uint8_t *)UVA;

	memset(src, 'x', sizeof(src));
	KT_ASSERT(t, ktest_uspace_build(&u, UVA));
	preempt_disable();		/* CR3 is ours until arch_switch_mm(0) */
	arch_switch_mm(__pa(u.root));
	KT_EXPECT_EQ(t, arch_copy_to_user(p + 100, msg, sizeof(msg)), 0);
	KT_EXPECT(t, !memcmp(u.rw + 100, msg, sizeof(msg)));
	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, p + 100, sizeof(msg)), 0);
	KT_EXPECT(t, !strcmp(buf, msg));
	KT_EXPECT_EQ(t, arch_clear_user(p + 100, 5), 0);
	KT_EXPECT(t, u.rw[100] == 0 && u.rw[104] == 0 && u.rw[105] == ',');
	/* runs into the unmapped page: the first 10 bytes land, 22 are reported */
	KT_EXPECT_EQ(t, arch_copy_to_user(p + PAGE_SIZE - 10, src, sizeof(src)), 22);
	KT_EXPECT_EQ(t, u.rw[PAGE_SIZE - 1], 'x');
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, p + PAGE_SIZE, 16), 16);
	KT_EXPECT_EQ(t, arch_clear_user(p + PAGE_SIZE + 8, 16), 16);
	/* read-only user page: readable, writes fault and are reported */
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, p + 2 * PAGE_SIZE, 8), 0);
	KT_EXPECT_EQ(t, arch_copy_to_user(p + 2 * PAGE_SIZE, src, 8), 8);
	KT_EXPECT_EQ(t, u.ro[0], 0);
	/* the NULL page, kernel addresses and the end of user space: nothing copied */
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, NULL, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, u.rw, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_to_user(u.rw, src, 8), 8);
	KT_EXPECT_EQ(t, arch_clear_user((void *)KERNEL_VIRT_BASE, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_to_user((void *)(USER_TOP - 4), src, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(uintptr_t)-8, 16), 16);
	arch_switch_mm(0);
	preempt_enable();
	ktest_uspace_free(&u);
}

/* ---- signal frames (signal.c) on the hand-made address space ---- */
#include <uapi/faultline/signal.h>

static void xmm0_write(uint64_t v)
{
	__asm__ __volatile__("movq %0, %%xmm0" : : "r"(v));
}

static uint64_t xmm0_read(void)
{
	uint64_t v;

	__asm__ __volatile__("movq %%xmm0, %0" : "=r"(v));
	return v;
}

static void fake_user_regs(struct pt_regs *r, uintptr_t sp)
{
	arch_user_regs_init(r, UVA + 0x123, sp);
	r->rax = 1; r->rbx = 2; r->rcx = 3; r->rdx = 4; r->rsi = 5; r->rdi = 6;
	r->rbp = 7; r->r8 = 8; r->r15 = 15;
	r->rflags |= RFLAGS_CF | RFLAGS_DF;
}

KTEST(x86_signal_frame_round_trip)
{
	struct ktest_uspace u = { 0 };
	struct pt_regs regs, orig;
	siginfo_t info = { .si_signo = SIGSEGV, .si_code = SEGV_MAPERR };
	uintptr_t sp = UVA + PAGE_SIZE - 8;	/* top of the RW page, odd alignment on purpose */
	const uint64_t *word;
	uint64_t mask = 0;

	KT_ASSERT(t, ktest_uspace_build(&u, UVA));
	fake_user_regs(&regs, sp);
	orig = regs;
	preempt_disable();
	arch_switch_mm(__pa(u.root));
	xmm0_write(0xabcdef);
	KT_ASSERT_EQ(t, arch_setup_signal_frame(&regs, SIGSEGV, (const struct siginfo_k *)&info,
						UVA + 0x500, UVA + 0x600, 0x1234), 0);
	KT_EXPECT_EQ(t, xmm0_read(), 0);		/* the handler starts with clean FP state */
	KT_EXPECT_EQ(t, regs.rip, UVA + 0x500);
	KT_EXPECT_EQ(t, regs.rdi, SIGSEGV);
	KT_EXPECT_EQ(t, (regs.rsp + 8) % 16, 0);	/* as right after a call */
	KT_EXPECT(t, regs.rsp + 128 <= sp);		/* red zone untouched */
	KT_EXPECT(t, !(regs.rflags & RFLAGS_DF));
	word = (const uint64_t *)(u.rw + (regs.rsp - UVA));
	KT_EXPECT_EQ(t, word[0], UVA + 0x600);		/* restorer as the return address */
	KT_EXPECT_EQ(t, ((const siginfo_t *)(u.rw + (regs.rsi - UVA)))->si_code, SEGV_MAPERR);
	regs.rsp += 8;					/* the handler's ret */
	regs.rax = 99;
	KT_ASSERT_EQ(t, arch_sigreturn(&regs, &mask), 0);
	KT_EXPECT_EQ(t, mask, 0x1234);
	KT_EXPECT_EQ(t, xmm0_read(), 0xabcdef);
	KT_EXPECT(t, !memcmp(&regs, &orig, offsetof(struct pt_regs, vector)));
	KT_EXPECT_EQ(t, regs.rip, orig.rip);
	KT_EXPECT_EQ(t, regs.rsp, orig.rsp);
	KT_EXPECT_EQ(t, regs.rflags, orig.rflags);
	arch_switch_mm(0);
	preempt_enable();
	ktest_uspace_free(&u);
}

/* A forged frame may change registers, never privileges. */
KTEST(x86_sigreturn_rejects_privilege)
{
	struct ktest_uspace u = { 0 };
	struct pt_regs regs;
	siginfo_t info = { .si_signo = SIGUSR1 };
	uint64_t mask, *mc;
	uint32_t bad_mxcsr = 0xffffffff;
	uintptr_t ret_sp;

	KT_ASSERT(t, ktest_uspace_build(&u, UVA));
	fake_user_regs(&regs, UVA + PAGE_SIZE);
	preempt_disable();
	arch_switch_mm(__pa(u.root));
	KT_ASSERT_EQ(t, arch_setup_signal_frame(&regs, SIGUSR1, (const struct siginfo_k *)&info,
						UVA, UVA, 0), 0);
	ret_sp = regs.rsp + 8;				/* rsp when the restorer makes rt_sigreturn */
	regs.rsp = ret_sp;
	/* struct x86_sigcontext starts after pretcode, uc_flags, uc_link and stack_t (6 words) */
	mc = (uint64_t *)(u.rw + (regs.rsp - 8 - UVA)) + 6;
	mc[17] |= RFLAGS_IOPL | RFLAGS_NT;		/* rflags */
	mc[17] &= ~RFLAGS_IF;
	KT_ASSERT_EQ(t, arch_sigreturn(&regs, &mask), 0);
	KT_EXPECT(t, !(regs.rflags & (RFLAGS_IOPL | RFLAGS_NT)));
	KT_EXPECT(t, regs.rflags & RFLAGS_IF);
	KT_EXPECT_EQ(t, regs.cs, GDT_USER_CS | 3);
	KT_EXPECT_EQ(t, regs.ss, GDT_USER_DS | 3);
	regs.rsp = ret_sp;
	mc[16] = KERNEL_VIRT_BASE;			/* rip */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	mc[16] = 0x0000800000000000ULL;			/* non-canonical */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	mc[16] = UVA;
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), 0);	/* the frame itself is fine */
	regs.rsp = ret_sp;
	memcpy(u.rw + (mc[18] - UVA) + 24, &bad_mxcsr, 4);	/* FP image: reserved MXCSR bits */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	regs.rsp = UVA + PAGE_SIZE + 8;			/* frame in the unmapped page */
	KT_EXPECT_EQ(t, arch_sigreturn(&regs, &mask), -EFAULT);
	x86_fpu_reset_current();
	arch_switch_mm(0);
	preempt_enable();
	ktest_uspace_free(&u);
}
