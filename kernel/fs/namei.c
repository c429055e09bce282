/*
 * namei.c - from a path to an inode, and from a directory back to its path.
 *
 * A path is split at '/' (any number of them); an absolute path starts at
 * the root, a relative one at the cwd. "." stays, ".." goes to the parent
 * (the root's parent is the root). Every component but the last must be a
 * directory (-ENOTDIR); a trailing slash asks for a directory too. No locks:
 * the tree does not change once built (<fs.h>).
 */
#include "internal.h"
#include <slab.h>
#include <string.h>

/* Where the walk is: the directory reached and the component being looked at. */
struct nameidata {
	struct inode *root;
	struct inode *inode;
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

/* Step from nd->inode (a directory) into the component; -ENOENT if missing. */
static int walk_component(struct nameidata *nd)
{
	struct inode *next;

	if (nd->len == 1 && nd->name[0] == '.')
		return 0;
	if (nd->len == 2 && nd->name[0] == '.' && nd->name[1] == '.') {
		if (nd->inode != nd->root)
			nd->inode = nd->inode->i_parent;
		return 0;
	}
	next = inode_lookup_child(nd->inode, nd->name, nd->len);
	if (!next && nd->inode->i_op && nd->inode->i_op->lookup)
		return nd->inode->i_op->lookup(nd->inode, nd->name, nd->len, &nd->inode);
	if (!next)
		return -ENOENT;
	nd->inode = next;
	return 0;
}

/* Only slashes left after the current component? */
static bool at_last(const char *p)
{
	while (*p == '/')
		p++;
	return *p == '\0';
}

int path_lookupat(struct inode *root, struct inode *cwd, const char *path,
		  struct inode **out, bool *parent_found)
{
	struct nameidata nd = { .root = root, .inode = path[0] == '/' ? root : cwd };
	size_t plen = strnlen(path, PATH_MAX);
	const char *p = path;
	int err;

	if (parent_found)
		*parent_found = false;
	if (plen == 0)
		return -ENOENT;
	if (plen == PATH_MAX)
		return -ENAMETOOLONG;
	while (next_component(&nd, &p)) {
		if (nd.len > NAME_MAX)
			return -ENAMETOOLONG;
		if (!S_ISDIR(nd.inode->i_mode))
			return -ENOTDIR;
		err = walk_component(&nd);
		if (err) {
			if (parent_found && at_last(p))
				*parent_found = true;
			return err;
		}
	}
	if (path[plen - 1] == '/' && !S_ISDIR(nd.inode->i_mode))
		return -ENOTDIR;
	*out = nd.inode;
	return 0;
}

/* Names are written right to left from the end of buf: "/a/b" as "b", "a/b", "/a/b". */
int inode_path(struct inode *root, struct inode *dir, char *buf, size_t size)
{
	size_t end = size;

	if (size == 0)
		return -ERANGE;
	buf[--end] = '\0';
	for (struct inode *i = dir; i != root && i->i_parent != i; i = i->i_parent) {
		size_t n = strlen(i->i_name);

		if (end < n + 1)
			return -ERANGE;
		end -= n;
		memcpy(buf + end, i->i_name, n);
		buf[--end] = '/';
	}
	if (end == size - 1) {		/* the root itself */
		if (end == 0)
			return -ERANGE;
		buf[--end] = '/';
	}
	memmove(buf, buf + end, size - end);
	return (int)(size - end);
}

struct inode *current_cwd(void)
{
	struct process *proc = current->proc;
	struct inode *cwd = proc ? READ_ONCE(proc->cwd) : NULL;

	return cwd ? cwd : vfs_root();
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

long sys_getcwd(char __user *ubuf, unsigned long size)
{
	char *buf = kmalloc(PATH_MAX);
	int len;

	if (!buf)
		return -ENOMEM;
	len = inode_path(vfs_root(), current_cwd(), buf, PATH_MAX);
	if (len > 0 && (unsigned long)len > size)
		len = -ERANGE;
	if (len > 0 && copy_to_user(ubuf, buf, (size_t)len))
		len = -EFAULT;
	kfree(buf);
	return len;
}

/* Look path up for a change that a read-only file system refuses: the
 * lookup's error if the path is wrong anyway, else -EROFS (Linux's order:
 * the parent is walked first, then the file system's write permission). */
static long lookup_for_change(const char __user *upath, bool must_exist)
{
	struct inode *inode;
	bool parent_found;
	int err;
	char *path = getname(upath, &err);

	if (!path)
		return err;
	err = path_lookupat(vfs_root(), current_cwd(), path, &inode, &parent_found);
	putname(path);
	if (err && !(err == -ENOENT && parent_found && !must_exist))
		return err;
	return -EROFS;
}

long sys_link(const char __user *oldpath, const char __user *newpath)
{
	long err = lookup_for_change(oldpath, true);

	return err == -EROFS ? lookup_for_change(newpath, false) : err;
}

long sys_unlink(const char __user *path)
{
	return lookup_for_change(path, true);
}
