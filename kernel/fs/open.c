/*
 * open.c - struct file: allocating, opening by path or inode, the last fput,
 * and the open/close system calls.
 */
#include "internal.h"
#include <slab.h>

struct file *alloc_file(struct inode *inode, unsigned int flags, const struct file_operations *fop)
{
	struct file *file = kzalloc(sizeof(*file));
	unsigned int acc = flags & O_ACCMODE;

	if (!file)
		return NULL;
	atomic_long_set(&file->f_count, 1);
	file->f_op = fop;
	file->f_inode = inode;
	file->f_flags = flags;
	file->f_mode = (acc == O_RDONLY || acc == O_RDWR ? FMODE_READ : 0) |
		       (acc == O_WRONLY || acc == O_RDWR ? FMODE_WRITE : 0);
	if (fop->llseek)
		file->f_mode |= FMODE_LSEEK;
	mutex_init(&file->f_pos_lock);
	return file;
}

struct file *get_file(struct file *f)
{
	atomic_long_inc(&f->f_count);
	return f;
}

void fput(struct file *file)
{
	long left = atomic_long_dec_return(&file->f_count);

	BUG_ON(left < 0);
	if (left)
		return;
	might_sleep();
	if (file->f_op->release)
		file->f_op->release(file);
	kfree(file);
}

static const struct file_operations *inode_fops(const struct inode *inode)
{
	if (inode->i_fop)
		return inode->i_fop;
	if (S_ISDIR(inode->i_mode))
		return &ramfs_dir_operations;
	if (S_ISREG(inode->i_mode))
		return &ramfs_file_operations;
	if (S_ISCHR(inode->i_mode))
		return chrdev_fops(inode->i_rdev);
	return NULL;
}

/* What the initramfs refuses for inode with these open flags (0: allowed). */
static int may_open(const struct inode *inode, int flags)
{
	int acc = flags & O_ACCMODE;

	if (acc == O_ACCMODE)
		return -EINVAL;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->i_mode) && acc != O_RDONLY)
		return -EISDIR;
	if (inode->i_fop && S_ISREG(inode->i_mode) && acc != O_RDONLY)
		return inode->i_mode & 0200 ? 0 : -EACCES;	/* procfs: writable if 0200 */
	if (S_ISREG(inode->i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;		/* nothing in the initramfs can be written */
	return 0;
}

int vfs_open_inode(struct inode *inode, int flags, struct file **out)
{
	const struct file_operations *fop;
	struct file *file;
	int err = may_open(inode, flags);

	if (err)
		return err;
	fop = inode_fops(inode);
	if (!fop)
		return -ENXIO;		/* a device without a driver */
	file = alloc_file(inode, (unsigned int)flags, fop);
	if (!file)
		return -ENOMEM;
	if (fop->open) {
		err = fop->open(inode, file);
		if (err) {
			kfree(file);
			return err;
		}
	}
	*out = file;
	return 0;
}

int vfs_open_at(struct inode *root, struct inode *cwd, const char *path, int flags,
		umode_t mode, struct file **out)
{
	struct inode *inode;
	bool parent_found;
	int err = path_lookupat(root, cwd, path, &inode, &parent_found);

	if (err == -ENOENT && (flags & O_CREAT) && parent_found)
		return -EROFS;		/* would create: the file system is read-only */
	if (err)
		return err;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	return vfs_open_inode(inode, flags, out);
}

int vfs_open(const char *path, int flags, umode_t mode, struct file **out)
{
	return vfs_open_at(vfs_root(), current_cwd(), path, flags, mode, out);
}

long sys_open(const char __user *upath, int flags, unsigned int mode)
{
	struct file *file;
	int err, fd;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	err = vfs_open(path, flags, (umode_t)mode, &file);
	putname(path);
	if (err)
		return err;
	fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0) {
		fput(file);
		return fd;
	}
	fd_install((unsigned int)fd, file);
	return fd;
}

long sys_close(unsigned int fd)
{
	return close_fd(fd);
}

long sys_chdir(const char __user *upath)
{
	struct process *proc = current->proc;
	struct inode *inode;
	int err;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	err = path_lookupat(vfs_root(), current_cwd(), path, &inode, NULL);
	putname(path);
	if (err)
		return err;
	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (proc)
		WRITE_ONCE(proc->cwd, inode);	/* boot-tree inodes live for ever: no reference */
	return 0;
}
