/* stat.c - stat and fstat: struct stat (Linux's generic layout) from an inode;
 * statfs: the file system's block and inode counts (->statfs). */
#include "internal.h"
#include <uapi/faultline/statfs.h>

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
	struct dentry *d;
	int err = user_path(upath, &d);

	if (err)
		return err;
	err = (int)stat_to_user(d->d_inode, statbuf);
	dput(d);
	return err;
}

/* statfs(2): -ENOSYS for a file system without ->statfs (as Linux's vfs_statfs). */
static int vfs_statfs(struct super_block *sb, struct statfs *st)
{
	struct kstatfs k = { 0 };
	int err;

	if (!sb->s_op || !sb->s_op->statfs)
		return -ENOSYS;
	err = sb->s_op->statfs(sb, &k);
	if (err)
		return err;
	*st = (struct statfs){
		.f_type = (__s64)k.f_type, .f_bsize = (__s64)k.f_bsize, .f_blocks = k.f_blocks,
		.f_bfree = k.f_bfree, .f_bavail = k.f_bfree, .f_files = k.f_files,
		.f_ffree = k.f_ffree, .f_namelen = 255, .f_frsize = (__s64)k.f_bsize,
		.f_flags = (sb->s_flags & SB_RDONLY) ? ST_RDONLY : 0,
	};
	return 0;
}

long sys_statfs(const char __user *upath, struct statfs __user *buf)
{
	struct statfs st;
	struct dentry *d;
	int err = user_path(upath, &d);

	if (err)
		return err;
	err = vfs_statfs(d->d_sb, &st);
	dput(d);
	if (err)
		return err;
	return copy_to_user(buf, &st, sizeof(st)) ? -EFAULT : 0;
}
