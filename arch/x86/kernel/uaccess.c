/*
 * uaccess.c - user memory access (arch_copy_{from,to}_user, arch_clear_user)
 * and the exception table that makes their faults recoverable.
 *
 * The copies themselves are in uaccess.S. Here: the range check (the user
 * side must lie entirely below USER_TOP, else nothing is copied; the
 * generic copy_from_user checks too, this is the last line of defence) and
 * arch_fixup_exception(), a linear search of __ex_table (it holds two
 * entries; it is only searched after a fault that found no page).
 */
#include <printk.h>
#include <string.h>
#include "internal.h"

struct exception_table_entry {
	uintptr_t insn;		/* address of an instruction that may fault on user memory */
	uintptr_t fixup;	/* where to resume if it does */
};

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];
size_t x86_copy_user(void *dst, const void *src, size_t n);	/* uaccess.S */
size_t x86_clear_user(void *dst, size_t n);

/* Does [addr, addr + n) lie in user space? */
static inline bool user_range_ok(const void *addr, size_t n)
{
	uintptr_t a = (uintptr_t)addr;

	return a <= USER_TOP && n <= USER_TOP - a;
}

size_t arch_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!user_range_ok(usrc, n))
		return n;
	return x86_copy_user(dst, usrc, n);
}

size_t arch_copy_to_user(void *udst, const void *src, size_t n)
{
	if (!user_range_ok(udst, n))
		return n;
	return x86_copy_user(udst, src, n);
}

size_t arch_clear_user(void *udst, size_t n)
{
	if (!user_range_ok(udst, n))
		return n;
	return x86_clear_user(udst, n);
}

static const struct exception_table_entry *search_exception_table(uintptr_t rip)
{
	for (const struct exception_table_entry *e = __start___ex_table; e < __stop___ex_table; e++)
		if (e->insn == rip)
			return e;
	return NULL;
}

/* Is rip one of the user-access instructions? (the #PF handler asks) */
bool x86_in_uaccess(uintptr_t rip)
{
	return search_exception_table(rip) != NULL;
}

bool arch_fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e;

	if (user_mode(regs))
		return false;
	e = search_exception_table(regs->rip);
	if (!e)
		return false;
	regs->rip = e->fixup;
	return true;
}
