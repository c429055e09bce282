/*
 * thread.c - kernel-thread contexts, stack unwinding and register dumps.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <mm.h>
#include <printk.h>
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

/* With frame pointers, fp is the caller's sp: ra at fp-8, the caller's fp at fp-16. */
void arch_unwind_start(struct unwind *u, const struct pt_regs *regs)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);

	if (regs) {
		u->pc = regs->epc;
		u->fp = regs->s0;
		return;
	}
	/* Skip our own frame: start in the caller. */
	u->pc = ((const uintptr_t *)fp)[-1];
	u->fp = ((const uintptr_t *)fp)[-2];
}

/* Frames only move up the stack; anything else ends the walk. */
bool arch_unwind_next(struct unwind *u)
{
	const uintptr_t *fp = (const uintptr_t *)u->fp;
	uintptr_t next;

	if (!fp_plausible(u->fp))
		return false;
	next = fp[-2];
	u->pc = fp[-1];
	if (!u->pc || !fp_plausible(next) || next <= u->fp)
		return false;
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
