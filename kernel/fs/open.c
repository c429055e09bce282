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
	if (file->f_dentry)
		dput(file->f_dentry);
	kfree(file);
}

static const struct file_operations *inode_fops(const struct inode *inode)
{
	if (S_ISCHR(inode->i_mode))
		return chrdev_fops(inode->i_rdev);
	return inode->i_fop;
}

/* What inode refuses for these open flags (0: allowed). */
static int may_open(const struct inode *inode, int flags)
{
	int acc = flags & O_ACCMODE;

	if (acc == O_ACCMODE)
		return -EINVAL;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (S_ISDIR(inode->i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)))
		return -EISDIR;
	if (S_ISREG(inode->i_mode) && (acc != O_RDONLY || (flags & O_TRUNC)) &&
	    (inode->i_sb->s_flags & SB_RDONLY))
		return -EROFS;
	return 0;
}

int vfs_open_dentry(struct dentry *dentry, int flags, struct file **out)
{
	struct inode *inode = dentry->d_inode;
	const struct file_operations *fop;
	struct file *file;
	int err = may_open(inode, flags);

	if (err)
		return err;
	fop = inode_fops(inode);
	if (!fop)
		return -ENXIO;		/* a device without a driver */
	if (S_ISREG(inode->i_mode) && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
		err = vfs_truncate(inode, 0);
		if (err)
			return err;
	}
	file = alloc_file(inode, (unsigned int)flags, fop);
	if (!file)
		return -ENOMEM;
	file->f_dentry = dget(dentry);
	if (fop->open) {
		err = fop->open(inode, file);
		if (err) {
			fput(file);
			return err;
		}
	}
	*out = file;
	return 0;
}

/* O_CREAT: look the last component up under its directory's lock and create
 * a regular file when it is missing. */
static int open_create(struct dentry *root, struct dentry *cwd, const char *path, int flags,
		       umode_t mode, struct dentry **out)
{
	struct dentry *dir, *d;
	const char *last;
	size_t len;
	bool trailing;
	int err = path_parentat(root, cwd, path, &dir, &last, &len, &trailing);

	if (err)
		return err;
	if (!len || is_dot(last, len) || is_dotdot(last, len) || trailing) {
		dput(dir);
		return -EISDIR;
	}
	down_write(&dir->d_inode->i_rwsem);
	err = vfs_create_locked(dir, last, len, S_IFREG | (mode & 07777), &d);
	up_write(&dir->d_inode->i_rwsem);
	dput(dir);
	if (err == -EEXIST && !(flags & O_EXCL))
		err = 0;		/* open the existing file */
	else if (err == -EEXIST)
		dput(d);
	if (!err)
		*out = follow_mount(d);
	return err;
}

int vfs_open_at(struct dentry *root, struct dentry *cwd, const char *path, int flags,
		umode_t mode, struct file **out)
{
	struct dentry *dentry;
	int err;

	if (flags & O_CREAT)
		err = open_create(root, cwd, path, flags, mode, &dentry);
	else
		err = path_lookupat(root, cwd, path, &dentry, NULL);
	if (err)
		return err;
	err = vfs_open_dentry(dentry, flags, out);
	dput(dentry);
	return err;
}

int vfs_open(const char *path, int flags, umode_t mode, struct file **out)
{
	struct dentry *root = vfs_root(), *cwd = current_cwd();
	int err = vfs_open_at(root, cwd, path, flags, mode, out);

	dput(cwd);
	dput(root);
	return err;
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

int vfs_fsync(struct file *file)
{
	if (!file->f_op->fsync)
		return S_ISREG(file->f_inode->i_mode) || S_ISDIR(file->f_inode->i_mode) ? 0 : -EINVAL;
	return file->f_op->fsync(file);
}

long sys_fsync(unsigned int fd)
{
	struct file *file = fget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = vfs_fsync(file);
	fput(file);
	return err;
}

/* ---- the working directory: a dentry reference in struct process -------------------- */

struct dentry *current_cwd(void)
{
	struct process *proc = current->proc;
	struct dentry *cwd = NULL;

	if (proc) {
		spin_lock(&dcache_lock);
		cwd = proc->cwd;
		if (cwd)
			dget_locked(cwd);
		spin_unlock(&dcache_lock);
	}
	return cwd ? cwd : vfs_root();
}

void copy_fs_struct(struct process *child, struct process *parent)
{
	spin_lock(&dcache_lock);
	child->cwd = parent->cwd;
	if (child->cwd)
		dget_locked(child->cwd);
	spin_unlock(&dcache_lock);
}

void exit_fs(struct process *p)
{
	struct dentry *cwd;

	spin_lock(&dcache_lock);
	cwd = p->cwd;
	p->cwd = NULL;
	spin_unlock(&dcache_lock);
	if (cwd)
		dput(cwd);
}

long sys_chdir(const char __user *upath)
{
	struct process *proc = current->proc;
	struct dentry *d, *old = NULL;
	int err = user_path(upath, &d);

	if (err)
		return err;
	if (!S_ISDIR(d->d_inode->i_mode)) {
		dput(d);
		return -ENOTDIR;
	}
	if (!proc) {
		dput(d);
		return 0;
	}
	spin_lock(&dcache_lock);
	old = proc->cwd;
	proc->cwd = d;
	spin_unlock(&dcache_lock);
	if (old)
		dput(old);
	return 0;
}
