/*
 * errno.c - translate the kernel's (Linux) numbers into newlib's and back, by name.
 */
#include <errno.h>
#include <fcntl.h>
#include "fl_internal.h"
#include "abi_names.h"

#define VALUE(name) name,
static const int newlib_errno[] = { FL_ERRNO_NAMES(VALUE) };
static const int newlib_oflag[] = { FL_OFLAG_NAMES(VALUE) };

int fl_errno_from_linux(int linux_errno)
{
	for (int i = 0; i < fl_nr_errno; i++)
		if (fl_linux_errno[i] == linux_errno)
			return newlib_errno[i];
	return linux_errno;
}

long fl_ret(long r)
{
	if (!fl_is_err(r))
		return r;
	errno = fl_errno_from_linux((int)-r);
	return -1;
}

int fl_oflags_to_linux(int flags)
{
	int out = 0;

	for (int i = 0; i < fl_nr_oflag; i++)
		if ((flags & newlib_oflag[i]) == newlib_oflag[i])
			out |= fl_linux_oflag[i];
	return out;
}
