/*
 * dcache.c - dentries: the names of the tree, cached as they are looked up.
 *
 * One global spinlock, dcache_lock, guards every dentry's name, parent,
 * children list, reference count and flags (Linux had exactly this lock
 * before RCU path walks). Nothing sleeps under it: the last dput of a dentry
 * unhooks it under the lock and drops its inode (which may write to the
 * disk) after. A dentry with no reference stays cached while it is hashed
 * (in its parent), so a second lookup of a name costs no disk I/O; an
 * unlinked (unhashed) one is freed by its last dput.
 *
 * A directory inode has exactly one dentry (i_dir_alias): a second name for
 * a directory means the disk has a directory loop, which d_splice_dir refuses.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>

spinlock_t dcache_lock = SPINLOCK_INIT("dcache_lock");

struct dentry *dget(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	dentry->d_count++;
	spin_unlock(&dcache_lock);
	return dentry;
}

/* Locks: dcache_lock. */
struct dentry *dget_locked(struct dentry *dentry)
{
	assert_spin_locked(&dcache_lock);
	dentry->d_count++;
	return dentry;
}

static void d_free(struct dentry *dentry)
{
	if (dentry->d_name != dentry->d_iname)
		kfree(dentry->d_name);
	kfree(dentry);
}

/* Locks: dcache_lock. Detach an unreferenced, unhashed dentry from its parent. */
static void d_unhook(struct dentry *dentry)
{
	assert_spin_locked(&dcache_lock);
	if (dentry->d_inode && dentry->d_inode->i_dir_alias == dentry)
		dentry->d_inode->i_dir_alias = NULL;
	if (!list_empty(&dentry->d_child))
		list_del(&dentry->d_child);
}

/*
 * Drop a reference. An unreferenced hashed dentry stays cached; an unhashed
 * one is freed with its inode reference, then its parent loses the
 * reference the child held. Sleeps: may (iput).
 */
void dput(struct dentry *dentry)
{
	while (dentry) {
		struct dentry *parent;
		struct inode *inode;

		spin_lock(&dcache_lock);
		BUG_ON(dentry->d_count <= 0);
		if (--dentry->d_count > 0 ||
		    !(dentry->d_flags & (DCACHE_UNHASHED | DCACHE_DONTCACHE)) ||
		    !list_empty(&dentry->d_subdirs)) {
			spin_unlock(&dcache_lock);
			return;
		}
		d_unhook(dentry);
		parent = dentry->d_parent == dentry ? NULL : dentry->d_parent;
		inode = dentry->d_inode;
		spin_unlock(&dcache_lock);
		d_free(dentry);
		if (inode)
			iput(inode);
		dentry = parent;	/* a child holds a reference on its parent */
	}
}

static int d_set_name(struct dentry *dentry, const char *name, size_t len)
{
	char *buf = dentry->d_iname;

	if (len >= sizeof(dentry->d_iname)) {
		buf = kmalloc(len + 1);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, name, len);
	buf[len] = '\0';
	dentry->d_name = buf;
	dentry->d_len = len;
	return 0;
}

/* A negative, unhashed dentry called name under parent (which it references). */
struct dentry *d_alloc(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *dentry = kzalloc(sizeof(*dentry));

	if (!dentry)
		return NULL;
	if (d_set_name(dentry, name, len)) {
		kfree(dentry);
		return NULL;
	}
	dentry->d_count = 1;
	dentry->d_flags = DCACHE_UNHASHED;
	INIT_LIST_HEAD(&dentry->d_subdirs);
	INIT_LIST_HEAD(&dentry->d_child);
	dentry->d_parent = parent ? dget(parent) : dentry;
	dentry->d_sb = parent ? parent->d_sb : NULL;
	return dentry;
}

struct dentry *d_make_root(struct inode *root)
{
	struct dentry *dentry = d_alloc(NULL, "/", 1);

	if (!dentry)
		return NULL;
	dentry->d_sb = root->i_sb;
	dentry->d_flags = 0;
	dentry->d_inode = root;
	root->i_dir_alias = dentry;
	return dentry;
}

/* Give the negative dentry its inode (the reference passes to the dentry) and
 * hash it in its parent. */
void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	dentry->d_inode = inode;
	if (S_ISDIR(inode->i_mode))
		inode->i_dir_alias = dentry;
	dentry->d_flags &= ~DCACHE_UNHASHED;
	if (!(dentry->d_flags & DCACHE_DONTCACHE))	/* private: not among the children */
		list_add_tail(&dentry->d_child, &dentry->d_parent->d_subdirs);
	spin_unlock(&dcache_lock);
}

/*
 * Like d_instantiate for a looked-up inode, but refuse a directory that
 * already has a dentry elsewhere: the on-disk tree has a loop (-EIO).
 */
int d_splice_dir(struct dentry *dentry, struct inode *inode)
{
	spin_lock(&dcache_lock);
	if (S_ISDIR(inode->i_mode) && inode->i_dir_alias) {
		spin_unlock(&dcache_lock);
		printk("vfs: directory inode %lu has a second name \"%s\": the file system has a "
		       "directory loop (run e2fsck on the image)\n", inode->i_ino, dentry->d_name);
		return -EIO;
	}
	spin_unlock(&dcache_lock);
	d_instantiate(dentry, inode);
	return 0;
}

/* Locks: dcache_lock. */
static struct dentry *__d_lookup(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *child;

	assert_spin_locked(&dcache_lock);
	list_for_each_entry(child, &parent->d_subdirs, d_child)
		if (child->d_len == len && !memcmp(child->d_name, name, len) &&
		    !(child->d_flags & DCACHE_UNHASHED))
			return child;
	return NULL;
}

/* The cached child called name, with a reference, or NULL. */
struct dentry *d_lookup(struct dentry *parent, const char *name, size_t len)
{
	struct dentry *child;

	spin_lock(&dcache_lock);
	child = __d_lookup(parent, name, len);
	if (child)
		child->d_count++;
	spin_unlock(&dcache_lock);
	return child;
}

/* An unreferenced dentry below root, or NULL. A dentry with children is
 * referenced by them, so what is found is a leaf. Locks: dcache_lock. */
static struct dentry *find_unused(struct dentry *root)
{
	struct dentry *dir = root;
	struct list_head *next = root->d_subdirs.next;

	assert_spin_locked(&dcache_lock);
	for (;;) {
		if (next == &dir->d_subdirs) {		/* dir done: on to its next sibling */
			if (dir == root)
				return NULL;
			next = dir->d_child.next;
			dir = dir->d_parent;
			continue;
		}
		struct dentry *child = list_entry(next, struct dentry, d_child);

		if (!child->d_count)
			return child;
		if (!list_empty(&child->d_subdirs)) {
			dir = child;
			next = child->d_subdirs.next;
		} else {
			next = next->next;
		}
	}
}

void shrink_dcache_parent(struct dentry *root)
{
	for (;;) {
		struct dentry *victim;

		spin_lock(&dcache_lock);
		victim = find_unused(root);
		if (victim) {
			victim->d_flags |= DCACHE_UNHASHED;	/* so its last dput frees it */
			dget_locked(victim);
		}
		spin_unlock(&dcache_lock);
		if (!victim)
			return;
		dput(victim);
	}
}

void d_delete(struct dentry *dentry)
{
	spin_lock(&dcache_lock);
	dentry->d_flags |= DCACHE_UNHASHED;
	if (dentry->d_inode && dentry->d_inode->i_dir_alias == dentry)
		dentry->d_inode->i_dir_alias = NULL;
	spin_unlock(&dcache_lock);
}

/* Is d (or a parent of d) anc? Locks: dcache_lock. */
bool d_is_ancestor(struct dentry *d, struct dentry *anc)
{
	assert_spin_locked(&dcache_lock);
	for (;;) {
		if (d == anc)
			return true;
		if (d->d_parent == d)
			return false;
		d = d->d_parent;
	}
}

/*
 * rename in the dcache: dentry takes target's name and parent; target (if
 * any) is unhashed. new_name is preallocated by the caller (0 or -ENOMEM
 * before anything moves).
 */
int d_move(struct dentry *dentry, struct dentry *newdir, const char *name, size_t len,
	   struct dentry *target)
{
	struct dentry tmp = { 0 };
	struct dentry *oldparent;
	char *oldname;

	if (d_set_name(&tmp, name, len))
		return -ENOMEM;
	if (tmp.d_name == tmp.d_iname)
		tmp.d_name = NULL;	/* short: copied into the dentry below */
	dget(newdir);
	spin_lock(&dcache_lock);
	if (target) {
		target->d_flags |= DCACHE_UNHASHED;
		if (target->d_inode && target->d_inode->i_dir_alias == target)
			target->d_inode->i_dir_alias = NULL;
	}
	oldname = dentry->d_name == dentry->d_iname ? NULL : dentry->d_name;
	if (tmp.d_name) {
		dentry->d_name = tmp.d_name;
	} else {
		memcpy(dentry->d_iname, name, len);
		dentry->d_iname[len] = '\0';
		dentry->d_name = dentry->d_iname;
	}
	dentry->d_len = len;
	oldparent = dentry->d_parent;
	dentry->d_parent = newdir;
	list_del(&dentry->d_child);
	list_add_tail(&dentry->d_child, &newdir->d_subdirs);
	spin_unlock(&dcache_lock);
	kfree(oldname);
	dput(oldparent);
	return 0;
}
