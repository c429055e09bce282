/*
 * user_test.c - in-kernel tests of the riscv64 user-mode hooks: user root
 * tables (kernel half shared), satp switching, the uaccess routines with
 * their exception-table fixups and the SUM discipline, the fault decoding,
 * and the F/D register switch.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <fault.h>
#include <ktest.h>
#include <ktest_uspace.h>
#include <mm.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <sched.h>
#include <string.h>
#include "sigframe.h"

#define UVA	0x10000000UL	/* test user page: RW; UVA + PAGE_SIZE unmapped; + 2 pages RO */

/* Load the test table (no preemption: the scheduler's switch_mm would not
 * know it); uspace_leave(what it returned) restores exactly what this CPU had. */
static unsigned long uspace_enter(struct ktest_uspace *u)
{
	unsigned long old_satp;

	preempt_disable();
	old_satp = csr_read(satp);
	arch_switch_mm(__pa(u->root));
	return old_satp;
}

static void uspace_leave(unsigned long old_satp)
{
	__asm__ __volatile__("csrw satp, %0\n\tsfence.vma" :: "r"(old_satp) : "memory");
	preempt_enable();
}

static bool sum_is_off(void)
{
	return !(csr_read(sstatus) & SR_SUM);
}

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
	KT_EXPECT_EQ(t, arch_copy_from_user(back + 1, (void *)(UVA + 8), 40), 0); /* mutually misaligned */
	KT_EXPECT(t, memcmp(back + 1, u->rw + 8, 40) == 0);
	KT_EXPECT_EQ(t, arch_clear_user((void *)(UVA + 5), 20), 0);
	KT_EXPECT(t, u->rw[4] == buf[1] && u->rw[5] == 0 && u->rw[24] == 0 && u->rw[25] == buf[22]);
	u->ro[7] = 0x42;
	KT_EXPECT_EQ(t, arch_copy_from_user(back, (void *)(UVA + 2 * PAGE_SIZE), 8), 0);
	KT_EXPECT_EQ(t, back[7], 0x42);
	KT_EXPECT(t, sum_is_off());
}

/* Unmapped, read-only, kernel and out-of-range addresses: the exact
 * not-copied count through the fixup, no panic, SUM closed again. */
static void check_faulting(struct ktest_ctx *t, struct ktest_uspace *u)
{
	static uint64_t kernel_word = 0x1234;
	char buf[32];

	memset(buf, 0x5a, sizeof(buf));
	/* 5 bytes fit before the unmapped page: 11 are not copied. */
	KT_EXPECT_EQ(t, arch_copy_to_user((void *)(UVA + PAGE_SIZE - 5), buf, 16), 11);
	KT_EXPECT(t, u->rw[PAGE_SIZE - 1] == 0x5a && u->rw[PAGE_SIZE - 5] == 0x5a);
	KT_EXPECT(t, sum_is_off());
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(UVA + PAGE_SIZE - 3), 16), 13);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(UVA + PAGE_SIZE - 24), 40), 16);
	KT_EXPECT_EQ(t, arch_clear_user((void *)(UVA + PAGE_SIZE - 9), 20), 11);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(UVA + PAGE_SIZE), 32), 32);
	KT_EXPECT_EQ(t, arch_copy_to_user((void *)(UVA + 2 * PAGE_SIZE), buf, 8), 8); /* read-only */
	KT_EXPECT_EQ(t, arch_clear_user((void *)(UVA + 2 * PAGE_SIZE + 8), 8), 8);
	KT_EXPECT_EQ(t, u->ro[8], 0);
	/* With SUM set S-mode could still reach kernel pages: the range check refuses them. */
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, &kernel_word, 8), 8);
	KT_EXPECT_EQ(t, arch_copy_to_user(&kernel_word, buf, 8), 8);
	KT_EXPECT_EQ(t, arch_clear_user(&kernel_word, 3), 3);
	KT_EXPECT_EQ(t, kernel_word, 0x1234);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)(USER_TOP - 4), 8), 8);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)0x0000800000000000UL, 4), 4);
	KT_EXPECT(t, sum_is_off());
}

static void uaccess_body(void *arg)
{
	struct ktest_ctx *t = arg;
	struct ktest_uspace u = { 0 };
	unsigned long satp;
	char buf[8];

	if (!ktest_uspace_build(&u, UVA)) {
		ktest_fail(t, __FILE__, __LINE__, "out of memory building a user page table");
		return;
	}
	satp = uspace_enter(&u);
	check_mapped(t, &u);
	check_faulting(t, &u);
	arch_switch_mm(0);
	KT_EXPECT_EQ(t, arch_copy_from_user(buf, (void *)UVA, 8), 8);	/* no user half now */
	uspace_leave(satp);
	ktest_uspace_free(&u);
}

/* A user root table in satp and every uaccess case. */
KTEST(riscv_uaccess)
{
	KT_ASSERT(t, run_threads_on_cpus(uaccess_body, t, 1, "kt-uaccess"));
}

/* The kernel half of a user root is swapper_pg_dir's and stays valid: every
 * root entry of KMAP exists from boot, so later vmap()s never change a root. */
KTEST(riscv_user_root_shares_kernel_half)
{
	const pte_t *kpgd = __va(arch_kernel_pgd());
	pte_t *root = get_zeroed_page();
	phys_addr_t pa;

	KT_ASSERT(t, root != NULL);
	arch_pgd_init_user(root);
	for (unsigned int i = 0; i < PT_ENTRIES / 2; i++)
		KT_EXPECT_EQ(t, root[i], 0);
	KT_EXPECT(t, memcmp(root + PT_ENTRIES / 2, kpgd + PT_ENTRIES / 2,
			    PT_ENTRIES / 2 * sizeof(pte_t)) == 0);
	for (uintptr_t va = KMAP_BASE; va < KMAP_BASE + KMAP_SIZE; va += PT_LEVEL_SIZE(PT_ROOT_LEVEL))
		KT_EXPECT(t, pte_is_table(kpgd[pt_index(va, PT_ROOT_LEVEL)], PT_ROOT_LEVEL));
	KT_EXPECT(t, pt_lookup(__pa(root), (uintptr_t)root, &pa, NULL, NULL));
	KT_EXPECT_EQ(t, pa, __pa(root));
	free_page(root);
}

/* User PTEs: U set, never global; kernel ones never U. */
KTEST(riscv_user_pte_bits)
{
	pte_t u = pte_mk_leaf(0x80000000, PTE_R | PTE_X | PTE_USER, 0);
	pte_t k = pte_mk_leaf(0x80000000, PAGE_KERNEL, 0);

	KT_EXPECT(t, (u & _PAGE_U) && !(u & _PAGE_G) && (u & _PAGE_X) && !(u & _PAGE_W));
	KT_EXPECT(t, !(k & _PAGE_U) && (k & _PAGE_G));
	KT_EXPECT(t, !(pte_mk_table(0x80000000) & (_PAGE_U | _PAGE_A | _PAGE_D)));
}

/* ---- FP registers across a context switch ---- */

#define FP_THREADS	2

struct fp_test {
	struct ktest_ctx *t;
	volatile int ready;		/* threads that loaded their pattern */
	int bad[FP_THREADS];		/* registers that came back wrong */
	unsigned int yields[FP_THREADS];
};

static struct riscv_fp_state fp_pattern(int who)
{
	/* frm (bits 5-7) 1..4 are valid rounding modes; fflags (0-4) any value */
	struct riscv_fp_state st = { .fcsr = (uint32_t)(who % 4 + 1) << 5 | (uint32_t)(who + 3) % 32 };

	for (int i = 0; i < 32; i++)
		st.f[i] = 0x4000000000000000UL | (uint64_t)who << 40 | (uint64_t)i << 8 | 0x5a;
	return st;
}

/* Load a pattern as user code would (FS Dirty in the user frame), let the
 * other thread on this CPU load its own, then check ours came back. */
static void fp_thread(void *arg)
{
	struct fp_test *ft = arg;
	int who = (int)current->arch.tls;	/* set by the test (arch_thread_init clears it) */
	struct riscv_fp_state want = fp_pattern(who), got;
	struct pt_regs uregs = { .status = SR_FS_DIRTY };
	uint64_t f31;
	unsigned long flags;

	arch_thread_init(&current->arch);
	current->user_regs = &uregs;
	flags = arch_irq_save();
	riscv_fp_load(&want);
	arch_irq_restore(flags);
	__atomic_fetch_add(&ft->ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&ft->ready, __ATOMIC_SEQ_CST) < FP_THREADS || ft->yields[who] < 3) {
		ft->yields[who]++;
		yield();
	}
	flags = arch_irq_save();
	csr_set(sstatus, SR_FS);
	__asm__ __volatile__("fmv.x.d %0, f31" : "=r"(f31));
	csr_clear(sstatus, SR_FS);
	riscv_fp_save(&got);
	current->user_regs = NULL;
	current->arch.user_state = false;
	arch_irq_restore(flags);
	for (int i = 0; i < 32; i++)
		ft->bad[who] += got.f[i] != want.f[i];
	ft->bad[who] += (got.fcsr & 0xff) != want.fcsr;
	ft->bad[who] += f31 != want.f[31];
}

KTEST(riscv_fp_state_survives_switch)
{
	struct fp_test ft = { .t = t };
	struct thread *th[FP_THREADS];
	unsigned int cpu = this_cpu()->arch.cpu;

	for (int i = 0; i < FP_THREADS; i++) {
		th[i] = kthread_create(fp_thread, &ft, "kt-fp");
		KT_ASSERT(t, th[i] != NULL);
		th[i]->arch.tls = (uintptr_t)i;	/* which pattern (arch_thread_init clears it) */
		kthread_bind(th[i], cpu);
	}
	for (int i = 0; i < FP_THREADS; i++)
		wake_up_new_thread(th[i]);
	for (int i = 0; i < FP_THREADS; i++)
		thread_join(th[i]);
	for (int i = 0; i < FP_THREADS; i++) {
		KT_EXPECT_EQ(t, ft.bad[i], 0);
		KT_EXPECT(t, ft.yields[i] >= 3);
	}
	KT_EXPECT(t, !(csr_read(sstatus) & SR_FS));	/* the kernel runs with FP off */
}

/* arch_thread_copy takes the live registers of a Dirty current thread. */
KTEST(riscv_fp_copy_takes_live_state)
{
	struct riscv_fp_state want = fp_pattern(7);
	struct pt_regs uregs = { .status = SR_FS_DIRTY };
	struct pt_regs *old_regs = current->user_regs;
	static struct arch_thread copy;
	unsigned long flags;

	arch_thread_init(&current->arch);
	current->user_regs = &uregs;
	flags = arch_irq_save();
	riscv_fp_load(&want);
	arch_thread_copy(&copy, &current->arch);
	current->user_regs = old_regs;
	current->arch.user_state = false;
	arch_irq_restore(flags);
	KT_EXPECT(t, memcmp(&copy.fp, &want, sizeof(want)) == 0);
	KT_EXPECT(t, copy.user_state);
	KT_EXPECT_EQ(t, uregs.status & SR_FS, SR_FS_CLEAN);
}

/* ---- signal frames ---- */

#define SIG_HANDLER	0x10000100UL
#define SIG_RESTORER	0x10000200UL

struct sig_test {
	struct ktest_ctx *t;
	struct ktest_uspace u;
	struct pt_regs regs;		/* stands for this thread's user frame */
};

static void sig_regs_init(struct pt_regs *r)
{
	unsigned long *g = (unsigned long *)r;

	for (int i = 1; i < 32; i++)
		g[i] = 0x1000 + i;
	r->epc = 0x10000040;
	r->sp = UVA + PAGE_SIZE - 40;		/* not 16-aligned: the frame must be */
	r->status = SR_SPIE | SR_FS_DIRTY | SR_UXL_64;
}

/* The frame: below sp, aligned, registers/FP/mask/info saved; regs set for the handler. */
static bool check_setup(struct sig_test *s, const struct riscv_fp_state *fp_a, uintptr_t *framep)
{
	struct ktest_ctx *t = s->t;
	siginfo_t si = { .si_signo = 11, .si_code = 2 };
	uintptr_t old_sp = s->regs.sp, frame;
	struct rt_sigframe *f;

	si.si_addr = (void *)0xdead000;
	if (arch_setup_signal_frame(&s->regs, 11, (const struct siginfo_k *)&si,
				    SIG_HANDLER, SIG_RESTORER, 0x5aUL)) {
		ktest_fail(t, __FILE__, __LINE__, "arch_setup_signal_frame failed on a good stack");
		return false;
	}
	frame = *framep = s->regs.sp;
	KT_EXPECT(t, frame % 16 == 0 && frame + sizeof(*f) <= old_sp && frame >= UVA);
	KT_EXPECT_EQ(t, s->regs.epc, SIG_HANDLER);
	KT_EXPECT_EQ(t, s->regs.ra, SIG_RESTORER);
	KT_EXPECT_EQ(t, s->regs.a0, 11);
	KT_EXPECT_EQ(t, s->regs.a1, frame + offsetof(struct rt_sigframe, info));
	KT_EXPECT_EQ(t, s->regs.a2, frame + offsetof(struct rt_sigframe, uc));
	f = (struct rt_sigframe *)(s->u.rw + (frame - UVA));
	KT_EXPECT_EQ(t, f->info.si_signo, 11);
	KT_EXPECT_EQ(t, (uintptr_t)f->info.si_addr, 0xdead000);
	KT_EXPECT_EQ(t, f->uc.uc_sigmask, 0x5a);
	KT_EXPECT_EQ(t, f->uc.uc_mcontext.gregs[0], 0x10000040);
	KT_EXPECT_EQ(t, f->uc.uc_mcontext.gregs[2], old_sp);
	KT_EXPECT_EQ(t, f->uc.uc_mcontext.gregs[31], 0x1000 + 31);
	KT_EXPECT(t, memcmp(&f->uc.uc_mcontext.fp, fp_a, sizeof(*fp_a)) == 0);
	return true;
}

/* rt_sigreturn: GPRs and FP back from the frame; sstatus never from user memory. */
static void check_return(struct sig_test *s, uintptr_t frame, const struct riscv_fp_state *fp_a)
{
	struct ktest_ctx *t = s->t;
	struct rt_sigframe *f = (struct rt_sigframe *)(s->u.rw + (frame - UVA));
	struct riscv_fp_state fp_b = fp_pattern(2), got;
	unsigned long flags;
	uint64_t mask = 0;

	flags = arch_irq_save();
	riscv_fp_load(&fp_b);			/* the handler dirtied the FP registers */
	arch_irq_restore(flags);
	s->regs.status |= SR_FS_DIRTY;
	s->regs.a5 = 0x777;
	f->uc.uc_mcontext.gregs[10] = 0xa0a0;	/* the handler may edit the context */
	f->uc.uc_mcontext.fp.fcsr |= 0xffffff00u; /* bits fcsr does not have */
	KT_ASSERT_EQ(t, arch_sigreturn(&s->regs, &mask), 0);
	KT_EXPECT_EQ(t, mask, 0x5a);
	KT_EXPECT_EQ(t, s->regs.epc, 0x10000040);
	KT_EXPECT_EQ(t, s->regs.a0, 0xa0a0);
	KT_EXPECT_EQ(t, s->regs.a5, 0x1000 + 15);
	KT_EXPECT_EQ(t, s->regs.sp, UVA + PAGE_SIZE - 40);
	KT_EXPECT_EQ(t, s->regs.status, SR_SPIE | SR_FS_CLEAN | SR_UXL_64);
	flags = arch_irq_save();
	riscv_fp_save(&got);
	arch_irq_restore(flags);
	KT_EXPECT(t, memcmp(got.f, fp_a->f, sizeof(got.f)) == 0);
	KT_EXPECT_EQ(t, got.fcsr, fp_a->fcsr);
}

/* Frames that cannot be written or read back, and frames we did not write. */
static void check_bad(struct sig_test *s)
{
	struct ktest_ctx *t = s->t;
	siginfo_t si = { .si_signo = 10 };
	uint64_t mask;
	uintptr_t frame;

	s->regs.sp = UVA + 64;			/* the frame would land in the unmapped page below */
	KT_EXPECT_EQ(t, arch_setup_signal_frame(&s->regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), -EFAULT);
	s->regs.sp = UVA + 3 * PAGE_SIZE - 8;	/* read-only stack */
	KT_EXPECT_EQ(t, arch_setup_signal_frame(&s->regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), -EFAULT);
	s->regs.sp = UVA + PAGE_SIZE + 16;	/* unmapped */
	KT_EXPECT_EQ(t, arch_sigreturn(&s->regs, &mask), -EFAULT);
	s->regs.sp = UVA + 16;			/* zeroed memory: no magic */
	memset(s->u.rw, 0, PAGE_SIZE);
	KT_EXPECT_EQ(t, arch_sigreturn(&s->regs, &mask), -EFAULT);
	s->regs.sp = UVA + PAGE_SIZE - 8;
	KT_ASSERT_EQ(t, arch_setup_signal_frame(&s->regs, 10, (const struct siginfo_k *)&si,
						SIG_HANDLER, SIG_RESTORER, 0), 0);
	frame = s->regs.sp;
	s->regs.sp = frame + 8;			/* misaligned */
	KT_EXPECT_EQ(t, arch_sigreturn(&s->regs, &mask), -EFAULT);
}

static void signal_body(void *arg)
{
	static struct sig_test s;
	struct riscv_fp_state fp_a = fp_pattern(1);
	unsigned long flags, satp;
	uintptr_t frame;

	memset(&s, 0, sizeof(s));
	s.t = arg;
	if (!ktest_uspace_build(&s.u, UVA)) {
		ktest_fail(s.t, __FILE__, __LINE__, "out of memory building a user page table");
		return;
	}
	sig_regs_init(&s.regs);
	arch_thread_init(&current->arch);
	current->user_regs = &s.regs;
	flags = arch_irq_save();
	riscv_fp_load(&fp_a);			/* "user" FP state, Dirty */
	arch_irq_restore(flags);
	satp = uspace_enter(&s.u);
	if (check_setup(&s, &fp_a, &frame)) {
		check_return(&s, frame, &fp_a);
		check_bad(&s);
	}
	uspace_leave(satp);
	flags = arch_irq_save();
	current->user_regs = NULL;
	current->arch.user_state = false;
	arch_irq_restore(flags);
	ktest_uspace_free(&s.u);
}

KTEST(riscv_signal_frame)
{
	KT_ASSERT(t, run_threads_on_cpus(signal_body, t, 1, "kt-signal"));
}
