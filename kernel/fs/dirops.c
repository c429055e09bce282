/*
 * dirops.c - the system calls that change directories: mkdir, rmdir,
 * unlink, link, rename, and truncate. Each walks to the parent of its last
 * component, locks that directory (i_rwsem for writing), looks the name up
 * under the lock, checks the rules in Linux's order (existence and type
 * first, then a read-only file system), and calls the file system's
 * inode_operations; the dcache follows afterwards (d_delete, d_move).
 */
#include "internal.h"
#include <string.h>

/* A user path's parent directory and last component (a copy in *name). */
struct parent {
	char *name;		/* the whole path (getname) */
	struct dentry *dir;	/* a reference */
	const char *last;
	size_t len;
	bool trailing;
};

static int get_parent(const char __user *upath, struct parent *p)
{
	struct dentry *root, *cwd;
	int err;

	p->name = getname(upath, &err);
	if (!p->name)
		return err;
	root = vfs_root();
	cwd = current_cwd();
	err = path_parentat(root, cwd, p->name, &p->dir, &p->last, &p->len, &p->trailing);
	dput(cwd);
	dput(root);
	if (err)
		putname(p->name);
	return err;
}

static void put_parent(struct parent *p)
{
	dput(p->dir);
	putname(p->name);
}

static bool is_mountpoint_or_root(struct dentry *d)
{
	bool ret;

	spin_lock(&dcache_lock);
	ret = d->d_mounted || d->d_parent == d;
	spin_unlock(&dcache_lock);
	return ret;
}

static int may_change(struct dentry *dir)
{
	return (dir->d_sb->s_flags & SB_RDONLY) ? -EROFS : 0;
}

/* Create (mkdir or a regular file) in a locked parent; *out gets the dentry. */
int vfs_create_locked(struct dentry *dir, const char *name, size_t len, umode_t mode,
		      struct dentry **out)
{
	struct inode *dinode = dir->d_inode;
	struct dentry *d = lookup_one_locked(dir, name, len, true);
	int err;

	if (IS_ERR(d))
		return (int)PTR_ERR(d);
	if (d->d_inode) {
		*out = d;
		return -EEXIST;
	}
	err = may_change(dir);
	if (!err && S_ISDIR(mode))
		err = dinode->i_op->mkdir ? dinode->i_op->mkdir(dinode, d, mode) : -EPERM;
	else if (!err)
		err = dinode->i_op->create ? dinode->i_op->create(dinode, d, mode) : -EPERM;
	if (err) {
		dput(d);
		return err;
	}
	*out = d;
	return 0;
}

long sys_mkdir(const char __user *upath, unsigned int mode)
{
	struct parent p;
	struct dentry *d;
	int err = get_parent(upath, &p);

	if (err)
		return err;
	if (!p.len) {
		put_parent(&p);
		return -EEXIST;
	}
	if (is_dot(p.last, p.len) || is_dotdot(p.last, p.len)) {
		put_parent(&p);
		return -EEXIST;
	}
	down_write(&p.dir->d_inode->i_rwsem);
	err = vfs_create_locked(p.dir, p.last, p.len, S_IFDIR | (mode & 07777), &d);
	up_write(&p.dir->d_inode->i_rwsem);
	if (!err || err == -EEXIST)
		dput(d);
	put_parent(&p);
	return err;
}

/* unlink (dir false) or rmdir (dir true) of the last component. */
static long do_remove(const char __user *upath, bool rmdir)
{
	struct inode *dinode;
	struct dentry *victim;
	struct parent p;
	int err = get_parent(upath, &p);

	if (err)
		return err;
	if (!p.len || is_dot(p.last, p.len) || is_dotdot(p.last, p.len)) {
		put_parent(&p);
		return !rmdir ? -EISDIR : (p.len == 1 ? -EINVAL : p.len ? -ENOTEMPTY : -EBUSY);
	}
	dinode = p.dir->d_inode;
	down_write(&dinode->i_rwsem);
	victim = lookup_one_locked(p.dir, p.last, p.len, false);
	if (IS_ERR(victim)) {
		err = (int)PTR_ERR(victim);
		goto out;
	}
	if (rmdir && !S_ISDIR(victim->d_inode->i_mode))
		err = -ENOTDIR;
	else if (!rmdir && S_ISDIR(victim->d_inode->i_mode))
		err = -EISDIR;
	else if (!rmdir && p.trailing)
		err = -ENOTDIR;
	else if (is_mountpoint_or_root(victim))
		err = -EBUSY;
	else
		err = may_change(p.dir);
	if (!err) {
		int (*op)(struct inode *, struct dentry *) = rmdir ? dinode->i_op->rmdir
								    : dinode->i_op->unlink;

		err = op ? op(dinode, victim) : -EPERM;
	}
	if (!err)
		d_delete(victim);
	dput(victim);
out:
	up_write(&dinode->i_rwsem);
	put_parent(&p);
	return err;
}

long sys_unlink(const char __user *path)
{
	return do_remove(path, false);
}

long sys_rmdir(const char __user *path)
{
	return do_remove(path, true);
}

long sys_link(const char __user *oldpath, const char __user *newpath)
{
	struct dentry *old, *d;
	struct inode *dinode;
	struct parent p;
	int err = user_path(oldpath, &old);

	if (err)
		return err;
	err = get_parent(newpath, &p);
	if (err) {
		dput(old);
		return err;
	}
	if (S_ISDIR(old->d_inode->i_mode))
		err = -EPERM;
	else if (!p.len || is_dot(p.last, p.len) || is_dotdot(p.last, p.len))
		err = -EEXIST;
	else if (old->d_sb != p.dir->d_sb)
		err = -EXDEV;
	if (err)
		goto out;
	dinode = p.dir->d_inode;
	down_write(&dinode->i_rwsem);
	d = lookup_one_locked(p.dir, p.last, p.len, true);
	if (IS_ERR(d)) {
		err = (int)PTR_ERR(d);
	} else {
		if (d->d_inode)
			err = -EEXIST;
		else if (!(err = may_change(p.dir)))
			err = dinode->i_op->link ? dinode->i_op->link(old, dinode, d) : -EPERM;
		dput(d);
	}
	up_write(&dinode->i_rwsem);
out:
	put_parent(&p);
	dput(old);
	return err;
}

/* The checks of rename once both names are looked up (Linux's order). */
static int rename_check(struct dentry *od, struct dentry *nd, struct parent *op, struct parent *np)
{
	bool loop;

	if (!od->d_inode)
		return -ENOENT;
	if (np->trailing && !S_ISDIR(od->d_inode->i_mode))
		return -ENOTDIR;
	spin_lock(&dcache_lock);
	loop = d_is_ancestor(np->dir, od);
	spin_unlock(&dcache_lock);
	if (loop)
		return -EINVAL;		/* a directory into itself */
	if (nd->d_inode) {
		if (S_ISDIR(od->d_inode->i_mode) && !S_ISDIR(nd->d_inode->i_mode))
			return -ENOTDIR;
		if (!S_ISDIR(od->d_inode->i_mode) && S_ISDIR(nd->d_inode->i_mode))
			return -EISDIR;
	}
	if (is_mountpoint_or_root(od) || (nd->d_inode && is_mountpoint_or_root(nd)))
		return -EBUSY;
	return may_change(op->dir);
}

static int do_rename_locked(struct parent *op, struct parent *np)
{
	struct inode *odir = op->dir->d_inode, *ndir = np->dir->d_inode;
	struct dentry *od, *nd;
	int err;

	od = lookup_one_locked(op->dir, op->last, op->len, false);
	if (IS_ERR(od))
		return (int)PTR_ERR(od);
	nd = lookup_one_locked(np->dir, np->last, np->len, true);
	if (IS_ERR(nd)) {
		dput(od);
		return (int)PTR_ERR(nd);
	}
	err = rename_check(od, nd, op, np);
	if (!err && od->d_inode == nd->d_inode)
		goto out;		/* the same file: nothing to do */
	if (!err)
		err = odir->i_op->rename ? odir->i_op->rename(odir, od, ndir, nd) : -EPERM;
	if (!err)
		err = d_move(od, np->dir, np->last, np->len, nd->d_inode ? nd : NULL);
out:
	dput(nd);
	dput(od);
	return err;
}

long sys_rename(const char __user *oldpath, const char __user *newpath)
{
	struct parent op, np;
	struct super_block *sb;
	int err = get_parent(oldpath, &op);

	if (err)
		return err;
	err = get_parent(newpath, &np);
	if (err) {
		put_parent(&op);
		return err;
	}
	if (!op.len || !np.len || is_dot(op.last, op.len) || is_dotdot(op.last, op.len) ||
	    is_dot(np.last, np.len) || is_dotdot(np.last, np.len)) {
		err = -EBUSY;
		goto out;
	}
	if (op.dir->d_sb != np.dir->d_sb) {
		err = -EXDEV;
		goto out;
	}
	sb = op.dir->d_sb;
	mutex_lock(&sb->s_rename_mutex);
	down_write(&op.dir->d_inode->i_rwsem);
	if (np.dir != op.dir)	/* s_rename_mutex orders two renames' directories */
		down_write_nested(&np.dir->d_inode->i_rwsem, I_MUTEX_PARENT2);
	err = do_rename_locked(&op, &np);
	if (np.dir != op.dir)
		up_write(&np.dir->d_inode->i_rwsem);
	up_write(&op.dir->d_inode->i_rwsem);
	mutex_unlock(&sb->s_rename_mutex);
out:
	put_parent(&np);
	put_parent(&op);
	return err;
}

int vfs_truncate(struct inode *inode, loff_t size)
{
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) || size < 0)
		return -EINVAL;
	if (inode->i_sb->s_flags & SB_RDONLY)
		return -EROFS;
	if (size > inode->i_sb->s_maxbytes)
		return -EFBIG;
	if (!inode->i_op || !inode->i_op->setsize)
		return -EPERM;
	down_write(&inode->i_rwsem);
	err = inode->i_op->setsize(inode, size);
	up_write(&inode->i_rwsem);
	return err;
}

long sys_truncate(const char __user *upath, long length)
{
	struct dentry *d;
	int err = user_path(upath, &d);

	if (err)
		return err;
	err = vfs_truncate(d->d_inode, length);
	dput(d);
	return err;
}

long sys_ftruncate(unsigned int fd, long length)
{
	struct file *file = fget(fd);
	long err;

	if (!file)
		return -EBADF;
	err = (file->f_mode & FMODE_WRITE) ? vfs_truncate(file->f_inode, length) : -EINVAL;
	fput(file);
	return err;
}
