/*
 * thread.c - kernel-thread contexts, stack unwinding and register dumps.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <mm.h>
#include <printk.h>
#include <ktest.h>
#include <string.h>

/* The first switch to ctx "returns" into ret_from_kthread (entry.S), which
 * calls entry(arg) with s0 = 0 so backtraces stop at the thread's base. */
void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void *), void *arg)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ra = (unsigned long)ret_from_kthread;
	ctx->sp = ALIGN_DOWN((unsigned long)stack_top, 16);
	ctx->s[1] = (unsigned long)entry;
	ctx->s[2] = (unsigned long)arg;
}

void arch_set_kernel_stack(void *stack_top)
{
	this_cpu()->arch.kernel_sp = (unsigned long)stack_top;
}

/* A frame pointer we may dereference: aligned, inside kernel memory. */
static bool fp_plausible(uintptr_t fp)
{
	if (!fp || fp % 8)
		return false;
	if (fp - 16 >= PHYS_MAP_BASE && fp <= PHYS_MAP_BASE + PHYS_MAP_SIZE)
		return true;
	if (fp - 16 >= KMAP_BASE && fp <= KMAP_BASE + KMAP_SIZE)
		return true;
	return fp - 16 >= (uintptr_t)_kernel_start && fp <= (uintptr_t)_kernel_end;
}

static bool in_text(uintptr_t a)
{
	return a >= (uintptr_t)_kernel_start && a < (uintptr_t)_text_end;
}

/*
 * Unwinding from a trap frame. GCC's leaf functions set up s0 but never
 * save ra, and store the caller's s0 at fp-8 where ra would be. When the
 * word at fp-8 is not a text address, the interrupted function was such a
 * leaf: its caller's pc is regs->ra and its caller's fp is that word. The
 * trap frame's record is rewritten to say so and the walk goes through it.
 */
static void unwind_start_regs(struct unwind *u, const struct pt_regs *regs)
{
	const uintptr_t *fp = (const uintptr_t *)regs->s0;
	struct pt_regs *w = (struct pt_regs *)regs;

	u->pc = regs->epc;
	u->fp = regs->s0;
	if (!fp_plausible(regs->s0) || in_text(fp[-1]) || !fp_plausible(fp[-1]))
		return;
	w->frame_fp = fp[-1];
	w->frame_ra = regs->ra;
	u->fp = (uintptr_t)(w + 1);
}

/*
 * With frame pointers, fp is the caller's sp: ra at fp-8, the caller's fp
 * at fp-16. noinline and the ra clobber keep that layout here too (a leaf
 * would not save ra), so the walk starts in our caller.
 */
__attribute__((noinline)) void arch_unwind_start(struct unwind *u, const struct pt_regs *regs)
{
	const uintptr_t *fp = __builtin_frame_address(0);

	__asm__ __volatile__("" ::: "ra");
	if (regs) {
		unwind_start_regs(u, regs);
		return;
	}
	u->pc = fp[-1];
	u->fp = fp[-2];
}

/* Frames only move up the stack; fp == 0 marks the base of a thread's stack. */
bool arch_unwind_next(struct unwind *u)
{
	const uintptr_t *fp = (const uintptr_t *)u->fp;
	uintptr_t next, pc;

	if (!fp_plausible(u->fp))
		return false;
	pc = fp[-1];
	next = fp[-2];
	if (!in_text(pc) || (next && (!fp_plausible(next) || next <= u->fp)))
		return false;
	u->pc = pc;
	u->fp = next;
	return true;
}

void arch_dump_regs(const struct pt_regs *regs)
{
	static const char *const names[32] = {
		"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
		"a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
		"s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	const unsigned long *r = (const unsigned long *)regs;

	printk(" sepc %016lx sstatus %016lx scause %016lx stval %016lx\n",
	       regs->epc, regs->status, regs->cause, regs->badaddr);
	for (int i = 1; i < 32; i += 4)
		printk(" %4s %016lx %4s %016lx %4s %016lx %4s %016lx\n",
		       names[i], r[i], names[i + 1], r[i + 1], names[i + 2], r[i + 2],
		       i + 3 < 32 ? names[i + 3] : "", i + 3 < 32 ? r[i + 3] : 0);
}

/* ---- tests ---- */

/* pcs[0]: the frame arch_unwind_start() reports, pcs[1]: the next one. */
static __attribute__((noinline)) void unwind_two(uintptr_t pcs[2])
{
	struct unwind u;

	arch_unwind_start(&u, NULL);
	pcs[0] = u.pc;
	pcs[1] = arch_unwind_next(&u) ? u.pc : 0;
	barrier();
}

static __attribute__((noinline)) void unwind_caller(uintptr_t pcs[2])
{
	unwind_two(pcs);
	barrier();
}

static __attribute__((noinline)) int unwind_depth(void)
{
	struct unwind u;
	int depth = 1;

	arch_unwind_start(&u, NULL);
	while (depth < 64 && arch_unwind_next(&u))
		depth++;
	return depth;
}

KTEST(riscv_unwind_finds_caller)
{
	uintptr_t pcs[2];

	unwind_caller(pcs);
	/* The walk starts in the function that called arch_unwind_start(), then its caller. */
	KT_EXPECT(t, pcs[0] > (uintptr_t)unwind_two && pcs[0] < (uintptr_t)unwind_two + 64);
	KT_EXPECT(t, pcs[1] > (uintptr_t)unwind_caller && pcs[1] < (uintptr_t)unwind_caller + 64);
	/* The chain ends (s0 = 0 at the thread's base) instead of running off. */
	KT_EXPECT(t, unwind_depth() > 2);
	KT_EXPECT(t, unwind_depth() < 64);
}

static volatile bool ctx_test_ran;
static struct arch_context ctx_test_main, ctx_test_thread;

static void ctx_test_entry(void *arg)
{
	ctx_test_ran = arg == &ctx_test_ran;
	arch_context_switch(&ctx_test_thread, &ctx_test_main);
}

KTEST(riscv_context_switch_runs_entry)
{
	static unsigned char stack[4096] __aligned(16);
	unsigned long flags = arch_irq_save();

	ctx_test_ran = false;
	arch_context_init(&ctx_test_thread, stack + sizeof(stack), ctx_test_entry,
			  (void *)&ctx_test_ran);
	arch_context_switch(&ctx_test_main, &ctx_test_thread);
	arch_irq_restore(flags);
	KT_EXPECT(t, ctx_test_ran);
	KT_EXPECT(t, ctx_test_thread.sp > (unsigned long)stack &&
		     ctx_test_thread.sp <= (unsigned long)stack + sizeof(stack));
}

/* A fabricated trap in a leaf function (ra never saved) and in a normal one. */
KTEST(riscv_unwind_from_trap_frame)
{
	static struct {
		struct pt_regs regs;
		uintptr_t stack[16];
	} f;
	uintptr_t epc = (uintptr_t)arch_dump_regs + 8, ra = (uintptr_t)arch_unwind_next + 12;
	uintptr_t outer = (uintptr_t)arch_context_init + 4;
	uintptr_t *caller_fp = &f.stack[12], *leaf_fp = &f.stack[6];
	struct unwind u;

	caller_fp[-1] = outer;		/* caller's frame: ra, then end of chain */
	caller_fp[-2] = 0;
	leaf_fp[-1] = (uintptr_t)caller_fp;	/* leaf layout: saved s0 where ra would be */
	f.regs.epc = epc;
	f.regs.ra = ra;
	f.regs.s0 = (uintptr_t)leaf_fp;
	arch_unwind_start(&u, &f.regs);
	KT_EXPECT_EQ(t, u.pc, epc);
	KT_ASSERT(t, arch_unwind_next(&u));
	KT_EXPECT_EQ(t, u.pc, ra);
	KT_ASSERT(t, arch_unwind_next(&u));
	KT_EXPECT_EQ(t, u.pc, outer);
	KT_EXPECT(t, !arch_unwind_next(&u));

	leaf_fp[-1] = ra;		/* a normal frame: ra saved at fp-8 */
	leaf_fp[-2] = (uintptr_t)caller_fp;
	arch_unwind_start(&u, &f.regs);
	KT_ASSERT(t, arch_unwind_next(&u));
	KT_EXPECT_EQ(t, u.pc, ra);
	KT_ASSERT(t, arch_unwind_next(&u));
	KT_EXPECT_EQ(t, u.pc, outer);
}
