/*
 * uaccess.h - the kernel touching user memory (kernel/mm/uaccess.c).
 *
 * Every function checks the whole range against USER_TOP (with overflow)
 * first, then lets the arch copy with user access opened (SMAP/PAN/SUM).
 * A fault inside goes through do_page_fault like a user access would:
 * demand paging and COW happen as usual; an address with no (or the
 * wrong) mapping ends in the arch's exception-table fixup and the call
 * returns -EFAULT. Sleeps: yes (a fault may wait for mmap_lock), so
 * never call them holding a spinlock.
 */
#ifndef FAULTLINE_UACCESS_H
#define FAULTLINE_UACCESS_H

#include <types.h>

#ifndef ENAMETOOLONG
#define ENAMETOOLONG	36
#endif

/* Is [uaddr, uaddr + n) inside user space? */
bool access_ok(const void *uaddr, size_t n);

int copy_from_user(void *dst, const void *usrc, size_t n);	/* 0 or -EFAULT */
int copy_to_user(void *udst, const void *src, size_t n);	/* 0 or -EFAULT */
int clear_user(void *udst, size_t n);				/* 0 or -EFAULT */
/* Copy a NUL-terminated string of at most max bytes including the NUL:
 * its length, -EFAULT, or -ENAMETOOLONG if no NUL within max bytes. */
long strncpy_from_user(char *dst, const char *usrc, size_t max);

#endif
