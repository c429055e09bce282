/*
 * inode.c - the in-memory tree of inodes: the boot tree's root, creating and
 * finding entries, freeing a test's tree, and stat.
 *
 * The tree is built by one thread before anyone looks into it and never
 * changes afterwards (the initramfs is read-only), so lookups take no lock
 * (fields tagged [I] in <fs.h>). Trees can be 2000 levels deep (PATH_MAX /
 * 2), so nothing here recurses.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>

static struct inode root_inode = {
	.i_ino = 1,
	.i_mode = S_IFDIR | 0755,
	.i_nlink = 2,
	.i_name = "/",
	.i_parent = &root_inode,
	.i_children = LIST_HEAD_INIT(root_inode.i_children),
	.i_sibling = LIST_HEAD_INIT(root_inode.i_sibling),
	.i_size_lock = SPINLOCK_INIT("root_inode.i_size_lock"),
	.i_mapping = &root_inode.i_data,	/* a directory: its cache stays empty */
};

static atomic_long_t last_ino = ATOMIC_INIT(1);	/* [a] */

struct inode *vfs_root(void)
{
	return &root_inode;
}

void inode_init(struct inode *inode, umode_t mode)
{
	memset(inode, 0, sizeof(*inode));
	inode->i_ino = (unsigned long)atomic_long_inc_return(&last_ino);
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_parent = inode;
	INIT_LIST_HEAD(&inode->i_children);
	INIT_LIST_HEAD(&inode->i_sibling);
	spin_lock_init(&inode->i_size_lock, "inode.i_size_lock");
	address_space_init(&inode->i_data, inode, &ramfs_aops);
	inode->i_mapping = &inode->i_data;
}

static struct inode *new_inode(umode_t mode)
{
	struct inode *inode = kmalloc(sizeof(*inode));

	if (inode)
		inode_init(inode, mode);
	return inode;
}

struct inode *new_dir_inode(umode_t mode)
{
	struct inode *root = new_inode(S_IFDIR | (mode & 07777));

	if (root)
		root->i_name = "/";
	return root;
}

struct inode *inode_create(struct inode *dir, const char *name, size_t len, umode_t mode)
{
	struct inode *inode;
	char *copy;

	BUG_ON(!S_ISDIR(dir->i_mode) || len == 0 || len > NAME_MAX);
	inode = new_inode(mode);
	copy = kmalloc(len + 1);
	if (!inode || !copy) {
		kfree(inode);
		kfree(copy);
		return NULL;
	}
	memcpy(copy, name, len);
	copy[len] = '\0';
	inode->i_name = copy;
	inode->i_parent = dir;
	list_add_tail(&inode->i_sibling, &dir->i_children);
	dir->i_nr_children++;
	if (S_ISDIR(mode))
		dir->i_nlink++;		/* the new directory's ".." */
	return inode;
}

struct inode *inode_lookup_child(struct inode *dir, const char *name, size_t len)
{
	struct inode *child;

	list_for_each_entry(child, &dir->i_children, i_sibling)
		if (!strncmp(child->i_name, name, len) && child->i_name[len] == '\0')
			return child;
	return NULL;
}

static void free_inode(struct inode *inode)
{
	truncate_inode_pages_final(inode->i_mapping);
	if (inode->i_parent != inode)
		kfree(inode->i_name);
	kfree(inode);
}

/* Post-order without recursion: go down to a leaf, free it, step back up. */
void inode_free_tree(struct inode *root)
{
	struct inode *inode = root;

	BUG_ON(root == &root_inode);
	for (;;) {
		struct inode *parent;

		while (!list_empty(&inode->i_children))
			inode = list_first_entry(&inode->i_children, struct inode, i_sibling);
		if (inode == root)
			break;
		parent = inode->i_parent;
		list_del(&inode->i_sibling);
		free_inode(inode);
		inode = parent;
	}
	free_inode(root);
}

/* Linux's new_encode_dev(): what st_rdev holds. */
static uint64_t encode_dev(dev_t dev)
{
	uint64_t major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffULL) << 12);
}

void vfs_fill_stat(const struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino = inode->i_ino;
	st->st_mode = inode->i_mode;
	st->st_nlink = inode->i_nlink;
	st->st_uid = inode->i_uid;
	st->st_gid = inode->i_gid;
	st->st_rdev = encode_dev(inode->i_rdev);
	st->st_size = inode->i_size;
	st->st_blksize = PAGE_SIZE;
	st->st_blocks = (inode->i_size + 511) / 512;
	st->st_atime = st->st_mtime = st->st_ctime = inode->i_mtime;
}
