/*
 * ramfs.c - the memory file system the initramfs is unpacked into: read-only
 * once built, its tree is the dcache itself.
 *
 * Every name is a pinned dentry (DCACHE_PINNED, one reference of its own)
 * made while the tree is built by one thread (initramfs_init, or a test on
 * its private tree) before anyone looks into it. ->lookup therefore answers
 * "no such file" for anything not already in the dcache. Regular files point
 * at their bytes inside the archive (i_private), whose pages the boot code
 * reserved for ever.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>

static struct inode *ramfs_lookup(struct inode *dir, struct dentry *dentry)
{
	return NULL;		/* the dcache holds the whole tree */
}

const struct inode_operations ramfs_dir_inode_operations = {
	.lookup = ramfs_lookup,
};

static atomic_t ramfs_devs = ATOMIC_INIT(0);	/* [a] anonymous device numbers (0, n) */

static void ramfs_set_ops(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &ramfs_dir_operations;
	} else if (S_ISREG(inode->i_mode)) {
		inode->i_fop = &ramfs_file_operations;
		inode->i_data.a_ops = &ramfs_aops;	/* read_folio copies from i_private */
	}
}

static struct file_system_type ramfs_fs_type = { .name = "ramfs" };

struct dentry *ramfs_new_tree(void)
{
	struct super_block *sb = alloc_super(&ramfs_fs_type);
	struct inode *root;

	if (!sb)
		return NULL;
	sb->s_flags = SB_RDONLY;
	sb->s_dev = MKDEV(0, (unsigned int)atomic_inc_return(&ramfs_devs));
	root = new_inode(sb, S_IFDIR | 0755);
	if (root) {
		ramfs_set_ops(root);
		sb->s_root = d_make_root(root);
	}
	if (!sb->s_root) {
		if (root)
			iput(root);
		kfree(sb);
		return NULL;
	}
	sb->s_root->d_flags |= DCACHE_PINNED;
	return sb->s_root;
}

struct dentry *ramfs_create(struct dentry *dir, const char *name, size_t len, umode_t mode)
{
	struct inode *inode;
	struct dentry *dentry;

	BUG_ON(!S_ISDIR(dir->d_inode->i_mode) || len == 0 || len > NAME_MAX);
	inode = new_inode(dir->d_sb, mode);
	dentry = inode ? d_alloc(dir, name, len) : NULL;
	if (!dentry) {
		if (inode)
			iput(inode);
		return NULL;
	}
	ramfs_set_ops(inode);
	inode->i_mtime = inode->i_ctime = inode->i_atime = 0;
	d_instantiate(dentry, inode);
	dentry->d_flags |= DCACHE_PINNED;	/* its reference from d_alloc is the pin */
	if (S_ISDIR(mode))
		dir->d_inode->i_nlink++;	/* the new directory's ".." */
	return dentry;
}

/* Free one dentry of a dead tree with its inode (no references are left). */
static void ramfs_free_dentry(struct dentry *d)
{
	struct inode *inode = d->d_inode;
	struct super_block *sb = inode->i_sb;

	spin_lock(&sb->s_inode_lock);
	list_del(&inode->i_sb_list);
	spin_unlock(&sb->s_inode_lock);
	truncate_inode_pages_final(inode->i_mapping);
	kfree(inode);
	if (d->d_name != d->d_iname)
		kfree(d->d_name);
	kfree(d);
}

/* Post-order without recursion (trees can be 2000 levels deep). */
void ramfs_free_tree(struct dentry *root)
{
	struct super_block *sb = root->d_sb;
	struct dentry *d = root;

	BUG_ON(root == initramfs_root());
	for (;;) {
		struct dentry *parent;

		while (!list_empty(&d->d_subdirs))
			d = list_first_entry(&d->d_subdirs, struct dentry, d_child);
		if (d == root)
			break;
		parent = d->d_parent;
		list_del(&d->d_child);
		ramfs_free_dentry(d);
		d = parent;
	}
	ramfs_free_dentry(root);
	kfree(sb);
}
