/* uaccess.h - the exception table shared by uaccess.S and fault.c. */
#ifndef ARM64_UACCESS_H
#define ARM64_UACCESS_H

/* Entry types. */
#define EX_TYPE_UACCESS	0	/* unprivileged access to user memory: page fault first */
#define EX_TYPE_PROBE	1	/* any fault: resume at the fixup at once (tests) */

#ifndef __ASSEMBLY__
#include <types.h>

/* One __ex_table entry: absolute addresses (the kernel is linked at a fixed VA). */
struct exception_table_entry {
	uintptr_t insn;		/* the access that may fault */
	uintptr_t fixup;	/* where to resume */
	uint64_t type;		/* EX_TYPE_* */
};

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

const struct exception_table_entry *search_exception_table(uintptr_t pc);
long arm64_probe_read_priv(const void *p);
#endif
#endif
