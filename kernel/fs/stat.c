/* stat.c - stat and fstat: struct stat (Linux's generic layout) from an inode. */
#include "internal.h"

static long stat_to_user(const struct inode *inode, struct stat __user *statbuf)
{
	struct stat st;

	vfs_fill_stat(inode, &st);
	return copy_to_user(statbuf, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_fstat(unsigned int fd, struct stat __user *statbuf)
{
	struct file *file = fget(fd);
	long ret;

	if (!file)
		return -EBADF;
	ret = stat_to_user(file->f_inode, statbuf);
	fput(file);
	return ret;
}

long sys_stat(const char __user *upath, struct stat __user *statbuf)
{
	struct inode *inode;
	int err;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	err = path_lookupat(vfs_root(), current_cwd(), path, &inode, NULL);
	putname(path);
	return err ? err : stat_to_user(inode, statbuf);
}
