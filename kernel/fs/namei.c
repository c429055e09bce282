/*
 * namei.c - from a path to a dentry, and the calls that change names:
 * link, unlink, mkdir, rmdir, rename, truncate; getcwd.
 *
 * A path is split at '/' (any number of them); an absolute path starts at
 * the root, a relative one at the cwd. "." stays, ".." goes to the parent
 * (out of a mounted file system to its mount point; the root's parent is the
 * root). Every component but the last must be a directory (-ENOTDIR); a
 * trailing slash asks for a directory too.
 *
 * Each step holds a reference on the dentry it stands on. A name not in the
 * dcache is looked up by the file system under the directory's i_rwsem
 * (taken for writing: the lookup adds a dentry), and so is every change of a
 * directory; rename also takes the super block's s_rename_mutex and both
 * directories. Lock order: s_rename_mutex -> i_rwsem (any order between two
 * directories: only renames take two, one at a time) -> s_iget_mutex ->
 * buffers -> dcache_lock / s_inode_lock.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>

struct nameidata {
	struct dentry *root;
	struct dentry *dentry;	/* where the walk is (a reference) */
	const char *name;	/* current component */
	size_t len;
};

/* Move to the next component; false at the end of the path. */
static bool next_component(struct nameidata *nd, const char **p)
{
	const char *s = *p, *e;

	while (*s == '/')
		s++;
	for (e = s; *e && *e != '/'; e++)
		;
	nd->name = s;
	nd->len = (size_t)(e - s);
	*p = e;
	return nd->len != 0;
}

/*
 * The child name of dir, asking the file system when it is not cached: a
 * positive dentry, or (want_negative) a negative one for a create, with a
 * reference; -ENOENT, -EIO. Locks: dir's i_rwsem for writing.
 */
struct dentry *lookup_one_locked(struct dentry *dir, const char *name, size_t len,
				 bool want_negative)
{
	struct inode *dinode = dir->d_inode, *inode;
	struct dentry *child = d_lookup(dir, name, len);
	int err;

	rwsem_assert_held_write(&dinode->i_rwsem);
	if (child)
		return child;
	if (dir->d_flags & DCACHE_UNHASHED)
		return ERR_PTR(-ENOENT);	/* the directory was removed */
	child = d_alloc(dir, name, len);
	if (!child)
		return ERR_PTR(-ENOMEM);
	inode = dinode->i_op && dinode->i_op->lookup ? dinode->i_op->lookup(dinode, child) : NULL;
	if (IS_ERR(inode)) {
		dput(child);
		return ERR_PTR(PTR_ERR(inode));
	}
	if (!inode) {
		if (want_negative)
			return child;
		dput(child);
		return ERR_PTR(-ENOENT);
	}
	err = d_splice_dir(child, inode);
	if (err) {
		iput(inode);
		dput(child);
		return ERR_PTR(err);
	}
	return child;
}

static struct dentry *lookup_slow(struct dentry *dir, const char *name, size_t len)
{
	struct dentry *child;

	down_write(&dir->d_inode->i_rwsem);
	child = lookup_one_locked(dir, name, len, false);
	up_write(&dir->d_inode->i_rwsem);
	return child;
}

/* Step from nd->dentry (a directory) into the component. */
static int walk_component(struct nameidata *nd)
{
	struct dentry *next;

	if (is_dot(nd->name, nd->len))
		return 0;
	if (is_dotdot(nd->name, nd->len)) {
		next = follow_dotdot(nd->dentry, nd->root);
	} else {
		next = d_lookup(nd->dentry, nd->name, nd->len);
		if (!next)
			next = lookup_slow(nd->dentry, nd->name, nd->len);
		if (IS_ERR(next))
			return (int)PTR_ERR(next);
		next = follow_mount(next);
	}
	dput(nd->dentry);
	nd->dentry = next;
	return 0;
}

/* Only slashes left after the current component? */
static bool at_last(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

static int check_path(const char *path, size_t *plen)
{
	*plen = strnlen(path, PATH_MAX);
	if (*plen == 0)
		return -ENOENT;
	if (*plen == PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static void nd_init(struct nameidata *nd, struct dentry *root, struct dentry *cwd, const char *path)
{
	nd->root = root;
	nd->dentry = follow_mount(dget(path[0] == '/' ? root : cwd));
}

int path_lookupat(struct dentry *root, struct dentry *cwd, const char *path,
		  struct dentry **out, bool *parent_found)
{
	struct nameidata nd;
	const char *p = path;
	size_t plen;
	int err = check_path(path, &plen);

	if (parent_found)
		*parent_found = false;
	if (err)
		return err;
	nd_init(&nd, root, cwd, path);
	while (next_component(&nd, &p)) {
		if (nd.len > NAME_MAX)
			err = -ENAMETOOLONG;
		else if (!S_ISDIR(nd.dentry->d_inode->i_mode))
			err = -ENOTDIR;
		else
			err = walk_component(&nd);
		if (err) {
			if (err == -ENOENT && parent_found && at_last(p))
				*parent_found = true;
			dput(nd.dentry);
			return err;
		}
	}
	if (path[plen - 1] == '/' && !S_ISDIR(nd.dentry->d_inode->i_mode)) {
		dput(nd.dentry);
		return -ENOTDIR;
	}
	*out = nd.dentry;
	return 0;
}

/*
 * Walk to the directory of the last component: *parent (a reference) and the
 * component in *last and *len (len 0 when the path is "/"; "." and ".." are
 * returned as they are for the caller to refuse). *trailing: the path ends
 * with a slash.
 */
int path_parentat(struct dentry *root, struct dentry *cwd, const char *path,
		  struct dentry **parent, const char **last, size_t *len, bool *trailing)
{
	struct nameidata nd;
	const char *p = path;
	size_t plen;
	int err = check_path(path, &plen);

	if (err)
		return err;
	nd_init(&nd, root, cwd, path);
	*last = NULL;
	*len = 0;
	while (next_component(&nd, &p)) {
		if (nd.len > NAME_MAX) {
			err = -ENAMETOOLONG;
			break;
		}
		if (!S_ISDIR(nd.dentry->d_inode->i_mode)) {
			err = -ENOTDIR;
			break;
		}
		if (at_last(p)) {
			*last = nd.name;
			*len = nd.len;
			break;
		}
		err = walk_component(&nd);
		if (err)
			break;
	}
	if (err) {
		dput(nd.dentry);
		return err;
	}
	*trailing = path[plen - 1] == '/';
	*parent = nd.dentry;
	return 0;
}

/* Names are written right to left from the end of buf: "/a/b" as "b", "a/b", "/a/b". */
static int __dentry_path(struct dentry *root, struct dentry *d, char *buf, size_t size)
{
	size_t end = size;

	buf[--end] = '\0';
	while (d != root) {
		if (d->d_parent == d) {		/* a file system's root: out to its mount point */
			struct vfsmount *mnt = d->d_sb->s_mnt;

			if (!mnt || mnt->mnt_parent == mnt)
				break;
			d = mnt->mnt_mountpoint;
			continue;
		}
		if (end < d->d_len + 1)
			return -ERANGE;
		end -= d->d_len;
		memcpy(buf + end, d->d_name, d->d_len);
		buf[--end] = '/';
		d = d->d_parent;
	}
	if (end == size - 1) {		/* the root itself */
		if (end == 0)
			return -ERANGE;
		buf[--end] = '/';
	}
	memmove(buf, buf + end, size - end);
	return (int)(size - end);
}

int dentry_path(struct dentry *root, struct dentry *dentry, char *buf, size_t size)
{
	int ret;

	if (size == 0)
		return -ERANGE;
	spin_lock(&dcache_lock);
	ret = __dentry_path(root, dentry, buf, size);
	spin_unlock(&dcache_lock);
	return ret;
}

char *getname(const char __user *upath, int *err)
{
	char *name = kmalloc(PATH_MAX);
	long n;

	if (!name) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(name, upath, PATH_MAX);
	if (n < 0 || n == PATH_MAX) {
		*err = n < 0 ? (int)n : -ENAMETOOLONG;
		kfree(name);
		return NULL;
	}
	return name;
}

void putname(char *name)
{
	kfree(name);
}

int user_path(const char __user *upath, struct dentry **out)
{
	struct dentry *root, *cwd;
	int err;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	root = vfs_root();
	cwd = current_cwd();
	err = path_lookupat(root, cwd, path, out, NULL);
	dput(cwd);
	dput(root);
	putname(path);
	return err;
}

long sys_getcwd(char __user *ubuf, unsigned long size)
{
	char *buf = kmalloc(PATH_MAX);
	struct dentry *root = vfs_root(), *cwd = current_cwd();
	int len;

	if (!buf)
		len = -ENOMEM;
	else
		len = dentry_path(root, cwd, buf, PATH_MAX);
	if (len > 0 && (unsigned long)len > size)
		len = -ERANGE;
	if (len > 0 && copy_to_user(ubuf, buf, (size_t)len))
		len = -EFAULT;
	kfree(buf);
	dput(cwd);
	dput(root);
	return len;
}
