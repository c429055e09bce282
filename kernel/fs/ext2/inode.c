/*
 * ext2/inode.c - inodes: reading and writing them in the inode tables, the
 * block map (12 direct blocks, then single, double and triple indirect
 * blocks; a 0 is a hole), and truncation.
 *
 * Locks: the block map of an inode changes under its i_rwsem (writers) and
 * the super block's s_lock (allocation); inode-table blocks are shared by
 * many inodes and only change under s_lock.
 */
#include "ext2.h"
#include <string.h>

/* The inode-table block holding ino and the offset inside it. */
static int ext2_inode_loc(struct super_block *sb, unsigned long ino, struct buffer_head **bhp,
			  struct ext2_inode **raw)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gd;
	unsigned long group, index;
	uint64_t off;

	if (ino < 1 || ino > sbi->s_inodes_count) {
		ext2_error(sb, __func__, "inode number %lu out of range", ino);
		return -EIO;
	}
	group = (ino - 1) / sbi->s_inodes_per_group;
	index = (ino - 1) % sbi->s_inodes_per_group;
	gd = ext2_get_group_desc(sb, (unsigned int)group, NULL);
	if (!gd)
		return -EIO;
	off = (uint64_t)index * sbi->s_inode_size;
	*bhp = sb_bread(sb, gd->bg_inode_table + (off >> sb->s_blocksize_bits));
	if (!*bhp)
		return -EIO;
	*raw = (struct ext2_inode *)((*bhp)->b_data + (off & (sb->s_blocksize - 1)));
	return 0;
}

static bool ext2_mode_ok(umode_t mode)
{
	return S_ISREG(mode) || S_ISDIR(mode) || S_ISCHR(mode) || S_ISLNK(mode) ||
	       S_ISFIFO(mode) || S_ISBLK(mode) || (mode & S_IFMT) == S_IFSOCK;
}

/* i_blocks (512-byte units) against the block size, the file system and the
 * block map: whole blocks, no more than there are, none for an empty map. */
static int ext2_check_i_blocks(struct super_block *sb, unsigned long ino,
			       const struct ext2_inode *raw)
{
	uint64_t per_block = sb->s_blocksize >> 9;
	bool mapped = false;

	if (!S_ISREG(raw->i_mode) && !S_ISDIR(raw->i_mode))
		return 0;	/* fast symlinks and devices keep other things in i_block */
	for (int i = 0; i < EXT2_N_BLOCKS; i++)
		mapped |= raw->i_block[i] != 0;
	if (raw->i_blocks % per_block || raw->i_blocks / per_block > EXT2_SB(sb)->s_blocks_count ||
	    (mapped && !raw->i_blocks)) {
		ext2_error(sb, __func__, "inode %lu: i_blocks %u does not match its blocks", ino,
			   raw->i_blocks);
		return -EIO;
	}
	return 0;
}

/* Check a raw inode before it is used (not the block numbers: get_block does). */
static int ext2_check_raw(struct super_block *sb, unsigned long ino, const struct ext2_inode *raw)
{
	uint64_t size = raw->i_size | ((uint64_t)raw->i_size_high << 32);
	uint64_t max_blocks = EXT2_NDIR_BLOCKS + EXT2_SB(sb)->s_addr_per_block +
			      (uint64_t)EXT2_SB(sb)->s_addr_per_block * EXT2_SB(sb)->s_addr_per_block;

	if (!raw->i_links_count || !ext2_mode_ok(raw->i_mode)) {
		ext2_error(sb, __func__, "inode %lu is free or of an unknown type (mode 0%o)", ino,
			   raw->i_mode);
		return -EIO;
	}
	max_blocks += max_blocks * EXT2_SB(sb)->s_addr_per_block;	/* + triple (bound) */
	if (S_ISREG(raw->i_mode) && (size >> sb->s_blocksize_bits) > max_blocks) {
		ext2_error(sb, __func__, "inode %lu: size %llu is past the largest file", ino,
			   (unsigned long long)size);
		return -EIO;
	}
	if (ext2_check_i_blocks(sb, ino, raw))
		return -EIO;
	if (S_ISDIR(raw->i_mode) && (size & (sb->s_blocksize - 1))) {
		ext2_error(sb, __func__, "directory %lu: size %llu is not whole blocks", ino,
			   (unsigned long long)size);
		return -EIO;
	}
	return 0;
}

static void ext2_raw_to_inode(struct inode *inode, const struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	inode->i_mode = raw->i_mode;
	inode->i_uid = raw->i_uid | ((uint32_t)raw->i_uid_high << 16);
	inode->i_gid = raw->i_gid | ((uint32_t)raw->i_gid_high << 16);
	inode->i_nlink = raw->i_links_count;
	inode->i_size = raw->i_size;
	if (S_ISREG(raw->i_mode))
		inode->i_size |= (loff_t)raw->i_size_high << 32;
	inode->i_atime = raw->i_atime;
	inode->i_ctime = raw->i_ctime;
	inode->i_mtime = raw->i_mtime;
	inode->i_blocks = raw->i_blocks;
	ei->i_flags = raw->i_flags;
	ei->i_dtime = raw->i_dtime;
	memcpy(ei->i_data, raw->i_block, sizeof(ei->i_data));
	if (S_ISCHR(raw->i_mode) || S_ISBLK(raw->i_mode)) {
		uint32_t dev = raw->i_block[0] ? raw->i_block[0] : raw->i_block[1];

		/* old encoding: major in bits 8-15; new: Linux's huge encoding */
		inode->i_rdev = raw->i_block[0] ? MKDEV((dev >> 8) & 0xff, dev & 0xff)
						: MKDEV((dev & 0xfff00) >> 8,
							(dev & 0xff) | ((dev >> 12) & 0xfff00));
	}
}

void ext2_set_inode_ops(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
	} else if (S_ISREG(inode->i_mode)) {
		inode->i_op = &ext2_file_inode_operations;
		inode->i_fop = &ext2_file_operations;
		inode->i_data.a_ops = &ext2_aops;
	}
}

struct inode *ext2_iget(struct super_block *sb, unsigned long ino)
{
	struct buffer_head *bh;
	struct ext2_inode *raw;
	struct inode *inode;
	bool is_new;
	int err;

	inode = iget_locked(sb, ino, &is_new);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!is_new)
		return inode;
	err = ext2_inode_loc(sb, ino, &bh, &raw);
	if (!err) {
		err = ext2_check_raw(sb, ino, raw);
		if (!err)
			ext2_raw_to_inode(inode, raw);
		brelse(bh);
	}
	if (err) {
		iget_failed(inode);
		return ERR_PTR(err);
	}
	ext2_set_inode_ops(inode);
	unlock_new_inode(inode);
	return inode;
}

int ext2_write_inode(struct inode *inode, bool wait)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct buffer_head *bh;
	struct ext2_inode *raw;
	int err = ext2_inode_loc(sb, inode->i_ino, &bh, &raw);

	if (err)
		return err;
	mutex_lock(&EXT2_SB(sb)->s_lock);
	raw->i_mode = inode->i_mode;
	raw->i_uid = (uint16_t)inode->i_uid;
	raw->i_uid_high = (uint16_t)(inode->i_uid >> 16);
	raw->i_gid = (uint16_t)inode->i_gid;
	raw->i_gid_high = (uint16_t)(inode->i_gid >> 16);
	raw->i_links_count = (uint16_t)inode->i_nlink;
	raw->i_size = (uint32_t)i_size_read(inode);
	raw->i_size_high = S_ISREG(inode->i_mode) ? (uint32_t)((uint64_t)i_size_read(inode) >> 32) : 0;
	raw->i_atime = (uint32_t)inode->i_atime;
	raw->i_ctime = (uint32_t)inode->i_ctime;
	raw->i_mtime = (uint32_t)inode->i_mtime;
	raw->i_dtime = ei->i_dtime;
	raw->i_blocks = (uint32_t)inode->i_blocks;
	raw->i_flags = ei->i_flags;
	if (!S_ISCHR(inode->i_mode) && !S_ISBLK(inode->i_mode))
		memcpy(raw->i_block, ei->i_data, sizeof(raw->i_block));
	if (inode->i_size > 0x7fffffff && S_ISREG(inode->i_mode) &&
	    !(EXT2_SB(sb)->s_es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_LARGE_FILE)) {
		EXT2_SB(sb)->s_es->s_feature_ro_compat |= EXT2_FEATURE_RO_COMPAT_LARGE_FILE;
		ext2_sb_dirty(sb);
	}
	mutex_unlock(&EXT2_SB(sb)->s_lock);
	mark_buffer_dirty(bh);
	if (wait)
		err = sync_dirty_buffer(bh);
	brelse(bh);
	return err;
}

/* ---- the block map ------------------------------------------------------------------ */

/*
 * The path to file block iblock: offsets[0] in i_data, then one per indirect
 * level. Returns the depth (1..4) or 0 if iblock is past the triple block.
 */
static int ext2_block_to_path(struct inode *inode, uint64_t iblock, unsigned int offsets[4])
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	uint64_t p = sbi->s_addr_per_block, b = iblock;
	unsigned int bits = sbi->s_addr_bits;

	if (b < EXT2_NDIR_BLOCKS) {
		offsets[0] = (unsigned int)b;
		return 1;
	}
	b -= EXT2_NDIR_BLOCKS;
	if (b < p) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = (unsigned int)b;
		return 2;
	}
	b -= p;
	if (b < p * p) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = (unsigned int)(b >> bits);
		offsets[2] = (unsigned int)(b & (p - 1));
		return 3;
	}
	b -= p * p;
	if (b < p * p * p) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = (unsigned int)(b >> (2 * bits));
		offsets[2] = (unsigned int)((b >> bits) & (p - 1));
		offsets[3] = (unsigned int)(b & (p - 1));
		return 4;
	}
	return 0;
}

/* A new zeroed block for inode (an indirect block or a hole being filled). */
static int ext2_alloc_zeroed(struct inode *inode, uint32_t goal, uint32_t *out)
{
	struct buffer_head *bh;
	int err = ext2_new_block(inode, goal, out);

	if (err)
		return err;
	bh = sb_getblk(inode->i_sb, *out);
	if (!bh) {
		ext2_free_blocks(inode, *out, 1);
		return -ENOMEM;
	}
	memset(bh->b_data, 0, bh->b_size);
	mark_buffer_dirty(bh);
	brelse(bh);
	inode->i_blocks += inode->i_sb->s_blocksize >> 9;
	return 0;
}

/*
 * Map file block iblock to a disk block in *out (0: a hole when !create).
 * With create, holes on the way are filled with new zeroed blocks.
 * -EIO if a block number on the way is out of range, -EFBIG past the
 * largest file, -ENOSPC. Locks: i_rwsem for writing when create.
 */
int ext2_get_block(struct inode *inode, uint64_t iblock, bool create, uint32_t *out)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned int offsets[4];
	int depth = ext2_block_to_path(inode, iblock, offsets), err;
	uint32_t *slot, block, goal;
	struct buffer_head *bh = NULL;

	if (!depth)
		return -EFBIG;
	slot = &ei->i_data[offsets[0]];
	for (int level = 0;; level++) {
		block = READ_ONCE(*slot);
		if (block && !ext2_valid_block(inode->i_sb, block)) {
			ext2_error(inode->i_sb, __func__, "inode %lu: block %u (file block %llu) out "
				   "of range", inode->i_ino, block, (unsigned long long)iblock);
			brelse(bh);
			return -EIO;
		}
		if (!block && create) {
			goal = bh ? (uint32_t)bh->b_blocknr : ei->i_data[0];
			err = ext2_alloc_zeroed(inode, goal, &block);
			if (err) {
				brelse(bh);
				return err;
			}
			WRITE_ONCE(*slot, block);
			if (bh)
				mark_buffer_dirty(bh);
			mark_inode_dirty(inode);
		}
		if (!block || level == depth - 1)
			break;
		brelse(bh);
		bh = sb_bread(inode->i_sb, block);
		if (!bh)
			return -EIO;
		slot = (uint32_t *)bh->b_data + offsets[level + 1];
	}
	brelse(bh);
	*out = block;
	return 0;
}

/* ---- truncation ------------------------------------------------------------------- */

/*
 * Free the blocks of the subtree at *slot (depth levels of indirection
 * below it: 0 is a data block) that map file blocks >= from, where from is
 * relative to the subtree's first block. Clears *slot when the whole
 * subtree went. Locks: i_rwsem for writing.
 */
static void ext2_free_branch(struct inode *inode, uint32_t *slot, int depth, uint64_t from)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	uint64_t span = 1;
	struct buffer_head *bh;
	uint32_t block = *slot;

	if (!block)
		return;
	if (!ext2_valid_block(inode->i_sb, block)) {
		ext2_error(inode->i_sb, __func__, "inode %lu: block %u out of range (left alone)",
			   inode->i_ino, block);
		*slot = 0;
		return;
	}
	if (depth == 0) {
		if (from == 0) {
			ext2_free_blocks(inode, block, 1);
			*slot = 0;
		}
		return;
	}
	for (int i = 1; i < depth; i++)
		span <<= sbi->s_addr_bits;
	bh = sb_bread(inode->i_sb, block);
	if (!bh)
		return;			/* (the message is out) the blocks stay allocated */
	for (uint64_t i = from / span; i < sbi->s_addr_per_block; i++) {
		uint64_t sub = i * span;

		ext2_free_branch(inode, (uint32_t *)bh->b_data + i, depth - 1,
				 from > sub ? from - sub : 0);
	}
	mark_buffer_dirty(bh);
	brelse(bh);
	if (from == 0) {
		ext2_free_blocks(inode, block, 1);
		*slot = 0;
	}
}

/* Free every block mapping file blocks >= first. Locks: i_rwsem for writing, or
 * i_alloc_mutex for a regular file (ext2/file.c). */
void ext2_truncate_blocks(struct inode *inode, uint64_t first)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	uint64_t p = EXT2_SB(inode->i_sb)->s_addr_per_block;
	uint64_t start[4] = { 0, EXT2_NDIR_BLOCKS, EXT2_NDIR_BLOCKS + p,
			      EXT2_NDIR_BLOCKS + p + p * p };

	for (uint64_t i = first; i < EXT2_NDIR_BLOCKS; i++)
		ext2_free_branch(inode, &ei->i_data[i], 0, 0);
	for (int d = 1; d <= 3; d++)
		ext2_free_branch(inode, &ei->i_data[EXT2_IND_BLOCK + d - 1], d,
				 first > start[d] ? first - start[d] : 0);
	mark_inode_dirty(inode);
}

/* Zero the tail of the block holding byte size (so a later extension reads zeros). */
static int ext2_zero_tail(struct inode *inode, loff_t size)
{
	unsigned long bs = inode->i_sb->s_blocksize;
	unsigned int off = (unsigned int)(size & (loff_t)(bs - 1));
	struct buffer_head *bh;
	uint32_t block;
	int err;

	if (!off)
		return 0;
	err = ext2_get_block(inode, (uint64_t)size / bs, false, &block);
	if (err || !block)
		return err;
	bh = sb_bread(inode->i_sb, block);
	if (!bh)
		return -EIO;
	memset(bh->b_data + off, 0, bs - off);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

/*
 * Truncate or extend: the new size first, then the page cache past it goes
 * (unmapped from every process, the last page's tail zeroed), then the blocks.
 */
int ext2_setsize(struct inode *inode, loff_t size)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned long bs = inode->i_sb->s_blocksize;
	loff_t old = i_size_read(inode);
	int err = 0;

	rwsem_assert_held_write(&inode->i_rwsem);
	spin_lock(&inode->i_size_lock);
	i_size_write(inode, size);
	spin_unlock(&inode->i_size_lock);
	truncate_pagecache(inode, size);
	if (size < old) {
		mutex_lock(&ei->i_alloc_mutex);
		err = ext2_zero_tail(inode, size);
		ext2_truncate_blocks(inode, ((uint64_t)size + bs - 1) / bs);
		mutex_unlock(&ei->i_alloc_mutex);
	}
	inode->i_mtime = inode->i_ctime = current_time(inode);
	mark_inode_dirty(inode);
	return err;
}

/* The last reference went: an inode with no names left is freed on disk. */
void ext2_evict_inode(struct inode *inode)
{
	if (inode->i_nlink || (inode->i_sb->s_flags & SB_RDONLY))
		return;
	if (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode) ||
	    (S_ISLNK(inode->i_mode) && inode->i_blocks))
		ext2_truncate_blocks(inode, 0);
	inode->i_size = 0;
	EXT2_I(inode)->i_dtime = (uint32_t)current_time(inode);
	ext2_write_inode(inode, false);
	ext2_free_inode(inode);
}

const struct inode_operations ext2_file_inode_operations = {
	.setsize = ext2_setsize,
};
