/*
 * inode.c - the inode cache: one struct inode per (super block, number)
 * however many names or files refer to it, reference counted.
 *
 * Each super block keeps its inodes on s_inodes under s_inode_lock.
 * iget_locked() finds a cached inode or makes a new one that the file
 * system fills from the disk while it holds s_iget_mutex (so two lookups of
 * one number never read it twice; inode reads are serialized per file
 * system, which is simple and fine while they are rare next to data I/O).
 * The last iput() writes a dirty inode, lets the file system evict it (an
 * inode with no links left is freed on disk there), and frees it.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>
#include <arch.h>

static atomic_long_t last_ino = ATOMIC_INIT(1);	/* [a] numbers of memory inodes */

void inode_init(struct inode *inode, struct super_block *sb, umode_t mode)
{
	inode->i_ino = (unsigned long)atomic_long_inc_return(&last_ino);
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_count = 1;
	inode->i_sb = sb;
	INIT_LIST_HEAD(&inode->i_sb_list);
	init_rwsem(&inode->i_rwsem);
	spin_lock_init(&inode->i_size_lock, "inode.i_size_lock");
	address_space_init(&inode->i_data, inode, NULL);	/* the fs sets a_ops */
	inode->i_mapping = &inode->i_data;
}

static struct inode *alloc_inode(struct super_block *sb)
{
	struct inode *inode = sb->s_op && sb->s_op->alloc_inode ? sb->s_op->alloc_inode(sb)
								: kzalloc(sizeof(*inode));

	if (inode)
		inode_init(inode, sb, 0);
	return inode;
}

static void destroy_inode(struct inode *inode)
{
	truncate_inode_pages_final(inode->i_mapping);
	if (inode->i_sb->s_op && inode->i_sb->s_op->free_inode)
		inode->i_sb->s_op->free_inode(inode);
	else
		kfree(inode);
}

static void inode_sb_list_add(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	spin_lock(&sb->s_inode_lock);
	list_add(&inode->i_sb_list, &sb->s_inodes);
	spin_unlock(&sb->s_inode_lock);
}

struct inode *new_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = alloc_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	inode_sb_list_add(inode);
	return inode;
}

/* Locks: sb->s_inode_lock. */
static struct inode *find_inode(struct super_block *sb, unsigned long ino)
{
	struct inode *inode;

	assert_spin_locked(&sb->s_inode_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		if (inode->i_ino == ino && !(inode->i_state & I_FREEING))
			return inode;
	return NULL;
}

/* Sleeps: yes (s_iget_mutex; held on return when *is_new). */
struct inode *iget_locked(struct super_block *sb, unsigned long ino, bool *is_new)
{
	struct inode *inode;

	*is_new = false;
	mutex_lock(&sb->s_iget_mutex);
	spin_lock(&sb->s_inode_lock);
	inode = find_inode(sb, ino);
	if (inode)
		inode->i_count++;
	spin_unlock(&sb->s_inode_lock);
	if (inode) {
		mutex_unlock(&sb->s_iget_mutex);
		return inode;
	}
	inode = alloc_inode(sb);
	if (!inode) {
		mutex_unlock(&sb->s_iget_mutex);
		return NULL;
	}
	inode->i_ino = ino;
	*is_new = true;
	return inode;
}

/* The new inode is filled: cache it. Locks: releases s_iget_mutex. */
void unlock_new_inode(struct inode *inode)
{
	mutex_assert_held(&inode->i_sb->s_iget_mutex);
	inode_sb_list_add(inode);
	mutex_unlock(&inode->i_sb->s_iget_mutex);
}

/* Filling failed (damaged on disk): free it uncached. Locks: releases s_iget_mutex. */
void iget_failed(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	mutex_assert_held(&sb->s_iget_mutex);
	if (sb->s_op && sb->s_op->free_inode)
		sb->s_op->free_inode(inode);
	else
		kfree(inode);
	mutex_unlock(&sb->s_iget_mutex);
}

/* Pipes and test inodes: no file system of their own (st_dev 0). */
struct super_block anon_sb = { .s_blocksize = PAGE_SIZE };

struct inode *igrab(struct inode *inode)
{
	spin_lock(&inode->i_sb->s_inode_lock);
	inode->i_count++;
	spin_unlock(&inode->i_sb->s_inode_lock);
	return inode;
}

void mark_inode_dirty(struct inode *inode)
{
	WRITE_ONCE(inode->i_state, inode->i_state | I_DIRTY);
}

int write_inode_now(struct inode *inode, bool wait)
{
	const struct super_operations *op = inode->i_sb->s_op;

	if (!(READ_ONCE(inode->i_state) & I_DIRTY) || !op || !op->write_inode)
		return 0;
	WRITE_ONCE(inode->i_state, inode->i_state & ~I_DIRTY);
	return op->write_inode(inode, wait);
}

/* The last reference: write or free it on disk, then free it. Sleeps: may. */
void iput(struct inode *inode)
{
	struct super_block *sb;

	if (!inode)
		return;
	sb = inode->i_sb;
	spin_lock(&sb->s_inode_lock);
	BUG_ON(inode->i_count <= 0);
	if (--inode->i_count > 0) {
		spin_unlock(&sb->s_inode_lock);
		return;
	}
	inode->i_state |= I_FREEING;
	list_del(&inode->i_sb_list);
	spin_unlock(&sb->s_inode_lock);
	might_sleep();
	if (inode->i_nlink && !(sb->s_flags & SB_RDONLY)) {
		if (inode->i_mapping->a_ops && inode->i_mapping->a_ops->writepage)
			filemap_write_and_wait_range(inode->i_mapping, 0, INT64_MAX);
		write_inode_now(inode, false);
	}
	truncate_inode_pages_final(inode->i_mapping);	/* before ->evict_inode frees blocks */
	if (sb->s_op && sb->s_op->evict_inode)
		sb->s_op->evict_inode(inode);
	destroy_inode(inode);
}

/* Seconds since 1970: the fs's base (its last write time, as there is no
 * real-time clock yet) plus the time since boot. */
int64_t current_time(const struct inode *inode)
{
	return inode->i_sb->s_time_base + (int64_t)(arch_time_ns() / 1000000000ULL);
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
	st->st_dev = encode_dev(inode->i_sb->s_dev);
	st->st_ino = inode->i_ino;
	st->st_mode = READ_ONCE(inode->i_mode);
	st->st_nlink = READ_ONCE(inode->i_nlink);
	st->st_uid = inode->i_uid;
	st->st_gid = inode->i_gid;
	st->st_rdev = encode_dev(inode->i_rdev);
	st->st_size = READ_ONCE(inode->i_size);
	st->st_blksize = inode->i_sb->s_blocksize ? inode->i_sb->s_blocksize : PAGE_SIZE;
	st->st_blocks = inode->i_sb->s_bdev ? READ_ONCE(inode->i_blocks)
					    : (uint64_t)(st->st_size + 511) / 512;
	st->st_atime = READ_ONCE(inode->i_atime);
	st->st_mtime = READ_ONCE(inode->i_mtime);
	st->st_ctime = READ_ONCE(inode->i_ctime);
}
