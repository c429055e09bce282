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
	struct dentry *root, *cwd, *d;
	int err;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	root = vfs_root();
	cwd = current_cwd();
	err = path_lookupat(root, cwd, path, &d, NULL);
	dput(cwd);
	dput(root);
	putname(path);
	if (err)
		return err;
	err = (int)stat_to_user(d->d_inode, statbuf);
	dput(d);
	return err;
}
