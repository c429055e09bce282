/*
 * kabi.c - the kernel's view of numbers and layouts (see fl_internal.h for why this file
 * includes no newlib header): Linux errno and open-flag values, and struct stat.
 */
#include <faultline/errno.h>
#include <faultline/fcntl.h>
#include <faultline/stat.h>
#include "fl_internal.h"
#include "abi_names.h"

#define VALUE(name) name,
const int fl_linux_errno[] = { FL_ERRNO_NAMES(VALUE) };
const int fl_linux_oflag[] = { FL_OFLAG_NAMES(VALUE) };
const int fl_nr_errno = sizeof(fl_linux_errno) / sizeof(fl_linux_errno[0]);
const int fl_nr_oflag = sizeof(fl_linux_oflag) / sizeof(fl_linux_oflag[0]);

static void kstat_copy(const struct stat *k, struct fl_kstat *out)
{
	out->dev = k->st_dev;
	out->ino = k->st_ino;
	out->rdev = k->st_rdev;
	out->nlink = k->st_nlink;
	out->uid = k->st_uid;
	out->gid = k->st_gid;
	out->mode = k->st_mode;
	out->size = k->st_size;
	out->blksize = k->st_blksize;
	out->blocks = k->st_blocks;
	out->atime = k->st_atime;
	out->atime_ns = k->st_atime_nsec;
	out->mtime = k->st_mtime;
	out->mtime_ns = k->st_mtime_nsec;
	out->ctime = k->st_ctime;
	out->ctime_ns = k->st_ctime_nsec;
}

/*
 * The kernel writes straight into the caller's buffer, so a bad path or fd shows up as the
 * kernel's own -EFAULT/-EBADF, never as a fault here.
 */
long fl_kstat_path(const char *path, struct fl_kstat *out)
{
	struct stat k;
	long r = SYS2(__NR_stat, path, &k);

	if (r == 0)
		kstat_copy(&k, out);
	return r;
}

long fl_kstat_fd(int fd, struct fl_kstat *out)
{
	struct stat k;
	long r = SYS2(__NR_fstat, fd, &k);

	if (r == 0)
		kstat_copy(&k, out);
	return r;
}
