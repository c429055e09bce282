/*
 * syscalls.c - the system-call layer newlib expects (--disable-newlib-supplied-syscalls).
 *
 * newlib's reentrant wrappers call either `read` or `_read` depending on the target, so each
 * call is defined once under its POSIX name with the underscore name as an alias (read and
 * write return newlib's _READ_WRITE_RETURN_TYPE: int on x86_64-elf, ssize_t elsewhere). Results
 * follow C conventions: -1 with errno (newlib's numbering) on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <unistd.h>
#include "fl_internal.h"

#define ALIAS(name) __typeof__(name) _##name __attribute__((alias(#name), copy(name)))

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
	return fl_ret(SYS3(__NR_read, fd, buf, n));
}
ALIAS(read);

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
	return fl_ret(SYS3(__NR_write, fd, buf, n));
}
ALIAS(write);

int open(const char *path, int flags, ...)
{
	va_list ap;
	int mode = 0;

	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return fl_ret(SYS3(__NR_open, path, fl_oflags_to_linux(flags), mode));
}
ALIAS(open);

int close(int fd)
{
	return fl_ret(SYS1(__NR_close, fd));
}
ALIAS(close);

ssize_t pread(int fd, void *buf, size_t n, off_t pos)
{
	return fl_ret(SYS4(__NR_pread64, fd, buf, n, pos));
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t pos)
{
	return fl_ret(SYS4(__NR_pwrite64, fd, buf, n, pos));
}

off_t lseek(int fd, off_t off, int whence)
{
	return fl_ret(SYS3(__NR_lseek, fd, off, whence));
}
ALIAS(lseek);

static void stat_from_kernel(const struct fl_kstat *k, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = k->dev;
	st->st_ino = k->ino;
	st->st_mode = k->mode;
	st->st_nlink = k->nlink;
	st->st_uid = k->uid;
	st->st_gid = k->gid;
	st->st_rdev = k->rdev;
	st->st_size = k->size;
	st->st_blksize = k->blksize;
	st->st_blocks = k->blocks;
	st->st_atim = (struct timespec){ k->atime, k->atime_ns };
	st->st_mtim = (struct timespec){ k->mtime, k->mtime_ns };
	st->st_ctim = (struct timespec){ k->ctime, k->ctime_ns };
}

/*
 * newlib's struct stat differs from the kernel's, so the kernel fills a local copy: a bad st
 * pointer faults here rather than giving EFAULT (usertests checks EFAULT on raw calls).
 */
static int stat_finish(long r, const struct fl_kstat *k, struct stat *st)
{
	if (r == 0)
		stat_from_kernel(k, st);
	return fl_ret(r);
}

int fstat(int fd, struct stat *st)
{
	struct fl_kstat k;

	return stat_finish(fl_kstat_fd(fd, &k), &k, st);
}
ALIAS(fstat);

int stat(const char *path, struct stat *st)
{
	struct fl_kstat k;

	return stat_finish(fl_kstat_path(path, &k), &k, st);
}
ALIAS(stat);

int isatty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	if (S_ISCHR(st.st_mode))
		return 1;
	errno = ENOTTY;
	return 0;
}
ALIAS(isatty);

int link(const char *old, const char *new)
{
	return fl_ret(SYS2(__NR_link, old, new));
}
ALIAS(link);

int unlink(const char *path)
{
	return fl_ret(SYS1(__NR_unlink, path));
}
ALIAS(unlink);

int mkdir(const char *path, mode_t mode)
{
	return fl_ret(SYS2(__NR_mkdir, path, mode));
}
ALIAS(mkdir);

int rmdir(const char *path)
{
	return fl_ret(SYS1(__NR_rmdir, path));
}
ALIAS(rmdir);

/* newlib's own rename() (built without HAVE_RENAME) is link + unlink: not atomic, no
 * directories, EEXIST over an existing name. This one is the system call. */
int rename(const char *old, const char *new)
{
	return fl_ret(SYS2(__NR_rename, old, new));
}
ALIAS(rename);

int fsync(int fd)
{
	return fl_ret(SYS1(__NR_fsync, fd));
}
ALIAS(fsync);

void sync(void)
{
	SYS0(__NR_sync);
}

int truncate(const char *path, off_t length)
{
	return fl_ret(SYS2(__NR_truncate, path, length));
}
ALIAS(truncate);

int ftruncate(int fd, off_t length)
{
	return fl_ret(SYS2(__NR_ftruncate, fd, length));
}
ALIAS(ftruncate);

int statfs(const char *path, struct statfs *buf)
{
	return fl_ret(SYS2(__NR_statfs, path, buf));
}
