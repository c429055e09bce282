/*
 * fault.c - data/instruction aborts and the other synchronous exceptions
 * from EL0, decoded for the generic kernel; the exception table.
 *
 * An abort's ESR_EL1 says what happened: EC (from EL0 or EL1, data or
 * instruction), ISS.WnR (write), ISS.CM (cache maintenance, reported as a
 * write but only needs read access), DFSC/IFSC (translation fault = nothing
 * mapped, access-flag fault, permission fault, alignment, or something worse).
 * Translation/access-flag/permission faults on user addresses go to
 * do_page_fault(regs, FAR, FAULT_FLAG_*); the generic code decides.
 *
 * Kernel-mode faults are legal only on the user accesses of uaccess.S (each
 * listed in __ex_table): a fault there on a user address goes to
 * do_page_fault() too (demand paging, COW), a fault on a kernel address is
 * fixed up at once (the unprivileged access was refused: -EFAULT). Every
 * other kernel fault is a bug and panics with a message saying which kind.
 */
#include <arch.h>
#include <fault.h>
#include <printk.h>
#include "internal.h"
#include "uaccess.h"

enum fsc_kind { FSC_TRANSLATION, FSC_ACCESS_FLAG, FSC_PERMISSION, FSC_ALIGNMENT, FSC_OTHER };

/* DFSC/IFSC -> kind. 0x00-0x03 (address size) counts as "nothing mapped". */
static enum fsc_kind fsc_kind(uint64_t esr)
{
	unsigned int fsc = esr & ESR_ELx_FSC_MASK;

	if (fsc <= 0x07)
		return FSC_TRANSLATION;
	if (fsc <= 0x0b)
		return FSC_ACCESS_FLAG;
	if (fsc <= 0x0f)
		return FSC_PERMISSION;
	return fsc == 0x21 ? FSC_ALIGNMENT : FSC_OTHER;
}

static const char *const fsc_names[] = {
	[FSC_TRANSLATION] = "translation fault (not mapped)",
	[FSC_ACCESS_FLAG] = "access-flag fault",
	[FSC_PERMISSION] = "permission fault",
	[FSC_ALIGNMENT] = "alignment fault",
	[FSC_OTHER] = "external abort or TLB conflict",
};

/* ---- exception table -------------------------------------------------------- */
const struct exception_table_entry *search_exception_table(uintptr_t pc)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == pc)
			return e;
	return NULL;
}

bool arch_fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e = search_exception_table(regs->pc);

	if (!e)
		return false;
	regs->pc = e->fixup;
	return true;
}

/* ---- aborts ------------------------------------------------------------------ */
static __noreturn void kernel_fault_panic(struct pt_regs *regs, bool instr, unsigned int flags,
					  enum fsc_kind kind)
{
	const char *what = instr ? "instruction fetch" : (flags & FAULT_FLAG_WRITE) ? "write" : "read";

	if (regs->far < USER_TOP && !instr)
		panic_regs(regs, "kernel %s of user address %p outside the uaccess routines (%s, "
			   "pc %p): user memory may only be touched through copy_from_user/"
			   "copy_to_user%s", what, (void *)regs->far, fsc_names[kind],
			   (void *)regs->pc, arm64_has_pan() ? "; PAN refused it" : "");
	panic_regs(regs, "kernel %s fault at %p (%s, pc %p): a kernel bug, see the backtrace",
		   what, (void *)regs->far, fsc_names[kind], (void *)regs->pc);
}

/* An abort taken from EL1: only the uaccess routines may fault. */
static void kernel_abort(struct pt_regs *regs, bool instr, unsigned int flags, enum fsc_kind kind)
{
	const struct exception_table_entry *e = instr ? NULL : search_exception_table(regs->pc);

	if (!e || kind == FSC_OTHER || (regs->esr & ESR_ELx_FNV))
		kernel_fault_panic(regs, instr, flags, kind);
	regs->pc = e->fixup;	/* no demand paging yet: every uaccess fault is -EFAULT */
}

/* FAULT_FLAG_WRITE / INSTRUCTION from an abort's ESR (USER is the caller's business). */
unsigned int arm64_fault_flags(uint64_t esr, bool instr)
{
	if (instr)
		return FAULT_FLAG_INSTRUCTION;
	if ((esr & ESR_ELx_WNR) && !(esr & ESR_ELx_CM))
		return FAULT_FLAG_WRITE;
	return 0;
}

/* Data or instruction abort from EL0 or EL1 (ESR/FAR are in regs). */
void arm64_mem_abort(struct pt_regs *regs, bool instr)
{
	enum fsc_kind kind = fsc_kind(regs->esr);
	unsigned int flags = arm64_fault_flags(regs->esr, instr);

	if (user_mode(regs))
		panic_regs(regs, "arm64: abort from EL0 before user mode exists");
	kernel_abort(regs, instr, flags, kind);
}

