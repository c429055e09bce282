/*
 * uaccess.c - copy_from_user, copy_to_user, clear_user, strncpy_from_user.
 *
 * Theory of operation
 * -------------------
 * A user pointer is untrusted: it may point into the kernel half, wrap
 * around the top of the address space, or at nothing. access_ok() rejects
 * every range not wholly below USER_TOP (written so that uaddr + n cannot
 * overflow). What is left is copied by the arch (arch_copy_*_user), which
 * opens user access only for the copy and has an exception-table entry
 * for it: a fault there runs do_page_fault (kernel mode, user address),
 * which either maps the page (demand paging, COW) and resumes the copy,
 * or jumps to the fixup so the arch function returns the bytes not copied.
 * Strings are copied at most up to the end of a page at a time, so a
 * string that ends just before an unmapped page is read correctly.
 */
#include <uaccess.h>
#include <mmap.h>
#include <vmstat.h>
#include <sched.h>
#include <string.h>

bool access_ok(const void *uaddr, size_t n)
{
	uintptr_t a = (uintptr_t)uaddr;

	return n <= USER_TOP && a <= USER_TOP - n;
}

static int efault(void)
{
	count_vm_event(UACCESS_EFAULT);
	return -EFAULT;
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	size_t left;

	might_sleep();
	if (!access_ok(usrc, n)) {
		memset(dst, 0, n);
		return efault();
	}
	left = arch_copy_from_user(dst, usrc, n);
	if (left) {
		memset((char *)dst + (n - left), 0, left);	/* never leak stale kernel data */
		return -EFAULT;		/* counted by the fault path's fixup */
	}
	return 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	might_sleep();
	if (!access_ok(udst, n))
		return efault();
	return arch_copy_to_user(udst, src, n) ? -EFAULT : 0;
}

int clear_user(void *udst, size_t n)
{
	might_sleep();
	if (!access_ok(udst, n))
		return efault();
	return arch_clear_user(udst, n) ? -EFAULT : 0;
}

/* Index of the first NUL in s[0, n), or -1. */
static long find_nul(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!s[i])
			return (long)i;
	return -1;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t done = 0;

	might_sleep();
	while (done < max) {
		uintptr_t a = (uintptr_t)usrc + done;
		size_t chunk = MIN(max - done, PAGE_SIZE - (a & (PAGE_SIZE - 1)));
		long nul;

		if (!access_ok((const void *)a, chunk))
			return efault();
		if (arch_copy_from_user(dst + done, (const void *)a, chunk))
			return -EFAULT;
		nul = find_nul(dst + done, chunk);
		if (nul >= 0)
			return (long)done + nul;
		done += chunk;
	}
	return -ENAMETOOLONG;
}
