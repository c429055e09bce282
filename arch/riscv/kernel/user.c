/*
 * user.c - per-thread user state (F/D registers, TLS), user address spaces
 * and the C side of the uaccess routines.
 *
 * FP: a user thread's f0-f31/fcsr stay in the hardware while it runs, also
 * while it is in the kernel (which runs with sstatus.FS = Off and never uses
 * them). The user's FS field lives in its trap frame (user_regs->status);
 * arch_thread_switch() saves the registers only when that says Dirty (then
 * marks it Clean) and always loads the next user thread's, so no thread
 * sees another's values. Kernel threads skip both.
 *
 * Address spaces: one Sv39 root per mm. Its lower half (entries 0-255,
 * USER_TOP = 256 GiB) is the user's; its upper half is a copy of
 * swapper_pg_dir's, made by arch_pgd_init_user(). The copy stays right
 * because no kernel root entry changes after boot: riscv_paging_init() fills
 * the direct map's, kernel/mm preallocates KMAP's (kernel_pt_prealloc), and
 * nothing maps elsewhere in the upper half. No ASIDs: arch_switch_mm()
 * writes satp and flushes this hart's whole TLB.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <mm.h>
#include <printk.h>
#include <sched.h>
#include <string.h>

unsigned long riscv_icache_gen;	/* [a] bumped per user-executable PTE installed */

static struct thread *thread_of(struct arch_thread *at)
{
	return container_of(at, struct thread, arch);
}

static bool is_current(const struct arch_thread *at)
{
	return thread_of((struct arch_thread *)at) == current;
}

/* FS of a thread's user frame (Off if it has none yet). */
static unsigned long user_fs(struct thread *t)
{
	return t->user_regs ? t->user_regs->status & SR_FS : SR_FS_OFF;
}

/* Registers -> at->fp if the user dirtied them. Locks: IRQs off, at is current's. */
static void fp_flush(struct arch_thread *at)
{
	struct thread *t = thread_of(at);

	if (at->user_state && user_fs(t) == SR_FS_DIRTY) {
		riscv_fp_save(&at->fp);
		t->user_regs->status = (t->user_regs->status & ~SR_FS) | SR_FS_CLEAN;
	}
}

void riscv_fp_flush_current(void)
{
	unsigned long flags = arch_irq_save();

	fp_flush(&current->arch);
	arch_irq_restore(flags);
}

void riscv_fp_load_current(const struct riscv_fp_state *st)
{
	unsigned long flags = arch_irq_save();

	current->arch.fp = *st;
	riscv_fp_load(&current->arch.fp);
	arch_irq_restore(flags);
}

/* execve: clean FP state (all zero, round-to-nearest) and no TLS pointer. */
void arch_thread_init(struct arch_thread *at)
{
	unsigned long flags = arch_irq_save();

	memset(at, 0, sizeof(*at));
	at->user_state = true;
	if (is_current(at))
		riscv_fp_load(&at->fp);	/* the old image's values must not leak */
	arch_irq_restore(flags);
}

/* fork/clone: dst gets src's live FP state; tp comes with the copied frame. */
void arch_thread_copy(struct arch_thread *dst, const struct arch_thread *src)
{
	unsigned long flags = arch_irq_save();

	if (is_current(src))
		fp_flush((struct arch_thread *)src);
	memcpy(dst, src, sizeof(*dst));
	dst->tls_pending = false;
	dst->user_state = true;
	arch_irq_restore(flags);
}

/* Locks: IRQs off (the scheduler, before arch_context_switch). */
void arch_thread_switch(struct arch_thread *prev, struct arch_thread *next)
{
	fp_flush(prev);
	if (next->user_state)
		riscv_fp_load(&next->fp);
}

/*
 * The user's tp is a GPR restored from its frame on every return to user
 * mode, so that is where the value goes. A thread that has not run yet may
 * get its frame copied after this call (clone): arch_return_to_user()
 * applies the pending value once more when it first leaves for user mode.
 */
void arch_set_tls(struct arch_thread *at, uintptr_t tp)
{
	struct thread *t = thread_of(at);

	at->tls = tp;
	if (t->user_regs)
		t->user_regs->tp = tp;
	at->tls_pending = !is_current(at);
}

/* execve: pc and sp, every other register 0, U-mode with IRQs on and FP usable. */
void arch_user_regs_init(struct pt_regs *regs, uintptr_t pc, uintptr_t sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->epc = pc;
	regs->sp = sp;
	regs->status = SR_SPIE | SR_FS_INITIAL | SR_UXL_64;	/* SPP = 0: user */
}

void arch_return_to_user(struct pt_regs *regs)
{
	struct arch_thread *at = &current->arch;

	arch_irq_disable();
	if (at->tls_pending) {
		regs->tp = at->tls;
		at->tls_pending = false;
	}
	riscv_ret_to_user(regs);
}

/*
 * From the trap exit path (entry.S) on every return to user mode, IRQs off:
 * signals and rescheduling, then the fence.i this hart may owe.
 */
void riscv_prepare_return(struct pt_regs *regs)
{
	struct cpu *c;
	unsigned long gen;

	exit_to_user_mode(regs);
	arch_irq_disable();
	c = this_cpu();
	gen = __atomic_load_n(&riscv_icache_gen, __ATOMIC_ACQUIRE);
	if (c->arch.icache_gen != gen) {
		c->arch.icache_gen = gen;
		__asm__ __volatile__("fence.i" ::: "memory");
	}
}

/* set_pte() of a user-executable leaf: fence here, every other hart on its way to user mode. */
void riscv_user_exec_mapped(void)
{
	__atomic_fetch_add(&riscv_icache_gen, 1, __ATOMIC_RELEASE);
	__asm__ __volatile__("fence.i\n\tsfence.vma" ::: "memory");
}

/* ---- address spaces ---- */

void arch_pgd_init_user(pte_t *pgd)
{
	const pte_t *kpgd = __va(arch_kernel_pgd());

	memcpy(pgd + PT_ENTRIES / 2, kpgd + PT_ENTRIES / 2, PT_ENTRIES / 2 * sizeof(pte_t));
}

/* 0: back to the kernel's own table (no user half). */
void arch_switch_mm(phys_addr_t user_pgd)
{
	uint64_t satp = user_pgd ? SATP_MODE_SV39 | (user_pgd >> PAGE_SHIFT) : riscv_kernel_satp;

	__asm__ __volatile__("csrw satp, %0\n\tsfence.vma" :: "r"(satp) : "memory");
}

/* ---- uaccess ---- */

/* How many bytes of [uaddr, uaddr + n) lie below USER_TOP. */
static size_t user_span(const void *uaddr, size_t n)
{
	uintptr_t a = (uintptr_t)uaddr;

	if (a >= USER_TOP)
		return 0;
	return n < USER_TOP - a ? n : USER_TOP - a;
}

size_t arch_copy_from_user(void *dst, const void *usrc, size_t n)
{
	size_t ok = user_span(usrc, n);

	return riscv_copy_user(dst, usrc, ok) + (n - ok);
}

size_t arch_copy_to_user(void *udst, const void *src, size_t n)
{
	size_t ok = user_span(udst, n);

	return riscv_copy_user(udst, src, ok) + (n - ok);
}

size_t arch_clear_user(void *udst, size_t n)
{
	size_t ok = user_span(udst, n);

	return riscv_clear_user(udst, ok) + (n - ok);
}

struct exception_table_entry {
	uintptr_t insn;			/* a user access in uaccess.S */
	uintptr_t fixup;		/* where a fault there resumes */
};

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static const struct exception_table_entry *search_exception_table(uintptr_t pc)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == pc)
			return e;
	return NULL;
}

bool riscv_in_uaccess(const struct pt_regs *regs)
{
	return search_exception_table(regs->epc) != NULL;
}

bool arch_fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = search_exception_table(regs->epc);

	if (!e)
		return false;
	regs->epc = e->fixup;
	return true;
}
