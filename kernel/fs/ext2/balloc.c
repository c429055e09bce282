/*
 * ext2/balloc.c, ialloc - block and inode allocation with the group bitmaps.
 *
 * Each group has a block bitmap and an inode bitmap (one block each) and a
 * descriptor with its free counts; the super block has the totals. All of
 * them change together under s_lock, so the counts always match the bitmaps
 * (e2fsck checks both). New blocks are looked for from a goal (next to the
 * inode's other blocks) onwards, group by group; new inodes in the parent's
 * group first.
 */
#include "ext2.h"
#include <string.h>

static bool test_bit_le(const uint8_t *map, unsigned int bit)
{
	return map[bit >> 3] & (1u << (bit & 7));
}

static void set_bit_le(uint8_t *map, unsigned int bit, bool on)
{
	if (on)
		map[bit >> 3] |= (uint8_t)(1u << (bit & 7));
	else
		map[bit >> 3] &= (uint8_t)~(1u << (bit & 7));
}

/* Blocks in group g (the last group may be short). */
static unsigned int group_blocks(struct ext2_sb_info *sbi, unsigned int g)
{
	uint64_t first = sbi->s_first_data_block + (uint64_t)g * sbi->s_blocks_per_group;

	return (unsigned int)MIN((uint64_t)sbi->s_blocks_per_group, sbi->s_blocks_count - first);
}

/* First clear bit of map in [from, n), or n. */
static unsigned int find_zero(const uint8_t *map, unsigned int from, unsigned int n)
{
	for (unsigned int i = from; i < n; i++) {
		if ((i & 7) == 0 && map[i >> 3] == 0xff && i + 8 <= n) {
			i += 7;
			continue;
		}
		if (!test_bit_le(map, i))
			return i;
	}
	return n;
}

/* Is block the primary super block or descriptors, or group gd's bitmaps or inode table? */
static bool in_system_zone(struct super_block *sb, const struct ext2_group_desc *gd,
			   uint32_t block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	uint32_t itb = (uint32_t)(((uint64_t)sbi->s_inodes_per_group * sbi->s_inode_size +
				   sb->s_blocksize - 1) >> sb->s_blocksize_bits);

	return block <= sbi->s_first_data_block + sbi->s_gdb_count ||
	       block == gd->bg_block_bitmap || block == gd->bg_inode_bitmap ||
	       (block >= gd->bg_inode_table && block - gd->bg_inode_table < itb);
}

/* Take a free block of group g at or after bit from. Locks: s_lock. */
static int alloc_in_group(struct super_block *sb, unsigned int g, unsigned int from, uint32_t *out)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *gdbh, *bh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gdbh);
	unsigned int n = group_blocks(sbi, g), bit;

	if (!gd->bg_free_blocks_count)
		return -ENOSPC;
	bh = sb_bread(sb, gd->bg_block_bitmap);
	if (!bh)
		return -EIO;
	bit = find_zero((uint8_t *)bh->b_data, from, n);
	if (bit == n && from)
		bit = find_zero((uint8_t *)bh->b_data, 0, from);
	if (bit >= n) {
		brelse(bh);
		ext2_error(sb, __func__, "group %u: its free count says %u but the bitmap is full", g,
			   gd->bg_free_blocks_count);
		return -EIO;
	}
	if (in_system_zone(sb, gd, sbi->s_first_data_block + g * sbi->s_blocks_per_group + bit)) {
		brelse(bh);
		ext2_error(sb, __func__, "group %u: the bitmap says block %u is free but it holds "
			   "the super block, a bitmap or the inode table", g,
			   sbi->s_first_data_block + g * sbi->s_blocks_per_group + bit);
		return -EIO;
	}
	set_bit_le((uint8_t *)bh->b_data, bit, true);
	mark_buffer_dirty(bh);
	brelse(bh);
	gd->bg_free_blocks_count--;
	mark_buffer_dirty(gdbh);
	sbi->s_es->s_free_blocks_count--;
	ext2_sb_dirty(sb);
	*out = sbi->s_first_data_block + g * sbi->s_blocks_per_group + bit;
	return 0;
}

int ext2_new_block(struct inode *inode, uint32_t goal, uint32_t *out)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int g0, from = 0;
	int err = -ENOSPC;

	if (!ext2_valid_block(sb, goal))
		goal = sbi->s_first_data_block +
		       (uint32_t)(((inode->i_ino - 1) / sbi->s_inodes_per_group) * sbi->s_blocks_per_group);
	g0 = (goal - sbi->s_first_data_block) / sbi->s_blocks_per_group;
	from = (goal - sbi->s_first_data_block) % sbi->s_blocks_per_group;
	mutex_lock(&sbi->s_lock);
	for (unsigned int i = 0; i < sbi->s_groups_count && err == -ENOSPC; i++) {
		unsigned int g = (g0 + i) % sbi->s_groups_count;

		err = alloc_in_group(sb, g, i ? 0 : from, out);
	}
	mutex_unlock(&sbi->s_lock);
	return err;
}

void ext2_free_blocks(struct inode *inode, uint32_t block, unsigned int count)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	mutex_lock(&sbi->s_lock);
	for (uint32_t b = block; b < block + count; b++) {
		unsigned int g = (b - sbi->s_first_data_block) / sbi->s_blocks_per_group;
		unsigned int bit = (b - sbi->s_first_data_block) % sbi->s_blocks_per_group;
		struct buffer_head *gdbh, *bh;
		struct ext2_group_desc *gd;

		if (!ext2_valid_block(sb, b) || !(gd = ext2_get_group_desc(sb, g, &gdbh)))
			continue;
		bh = sb_bread(sb, gd->bg_block_bitmap);
		if (!bh)
			continue;
		if (!test_bit_le((uint8_t *)bh->b_data, bit)) {
			ext2_error(sb, __func__, "freeing block %u, which is already free", b);
		} else {
			set_bit_le((uint8_t *)bh->b_data, bit, false);
			mark_buffer_dirty(bh);
			gd->bg_free_blocks_count++;
			mark_buffer_dirty(gdbh);
			sbi->s_es->s_free_blocks_count++;
			ext2_sb_dirty(sb);
			inode->i_blocks -= MIN(inode->i_blocks, (uint64_t)(sb->s_blocksize >> 9));
		}
		brelse(bh);
	}
	mutex_unlock(&sbi->s_lock);
}

/* ---- inodes ------------------------------------------------------------------------ */

/* Take a free inode number of group g. Locks: s_lock. */
static int ialloc_in_group(struct super_block *sb, unsigned int g, bool dir, unsigned long *ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct buffer_head *gdbh, *bh;
	struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, &gdbh);
	unsigned int n = sbi->s_inodes_per_group, bit, from = 0;

	if (!gd->bg_free_inodes_count)
		return -ENOSPC;
	if (g == 0)
		from = sbi->s_first_ino - 1;	/* the reserved inodes */
	bh = sb_bread(sb, gd->bg_inode_bitmap);
	if (!bh)
		return -EIO;
	if ((uint64_t)g * n + n > sbi->s_inodes_count)
		n = (unsigned int)(sbi->s_inodes_count - (uint64_t)g * n);
	bit = find_zero((uint8_t *)bh->b_data, from, n);
	if (bit >= n) {
		brelse(bh);
		return -ENOSPC;
	}
	set_bit_le((uint8_t *)bh->b_data, bit, true);
	mark_buffer_dirty(bh);
	brelse(bh);
	gd->bg_free_inodes_count--;
	if (dir)
		gd->bg_used_dirs_count++;
	mark_buffer_dirty(gdbh);
	sbi->s_es->s_free_inodes_count--;
	ext2_sb_dirty(sb);
	*ino = (unsigned long)g * sbi->s_inodes_per_group + bit + 1;
	return 0;
}

/* A new in-memory inode for a fresh on-disk one (zeroed, in the cache, dirty). */
struct inode *ext2_new_inode(struct inode *dir, umode_t mode)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int g0 = (unsigned int)((dir->i_ino - 1) / sbi->s_inodes_per_group);
	unsigned long ino = 0;
	struct inode *inode;
	bool is_new;
	int err = -ENOSPC;

	mutex_lock(&sbi->s_lock);
	for (unsigned int i = 0; i < sbi->s_groups_count && err == -ENOSPC; i++)
		err = ialloc_in_group(sb, (g0 + i) % sbi->s_groups_count, S_ISDIR(mode), &ino);
	mutex_unlock(&sbi->s_lock);
	if (err)
		return ERR_PTR(err);
	inode = iget_locked(sb, ino, &is_new);
	if (!inode || !is_new) {
		if (inode) {
			ext2_error(sb, __func__, "new inode %lu is still in use", ino);
			iput(inode);
		}
		return ERR_PTR(inode ? -EIO : -ENOMEM);
	}
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	ext2_set_inode_ops(inode);
	mark_inode_dirty(inode);
	unlock_new_inode(inode);
	return inode;
}

void ext2_free_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int g = (unsigned int)((inode->i_ino - 1) / sbi->s_inodes_per_group);
	unsigned int bit = (unsigned int)((inode->i_ino - 1) % sbi->s_inodes_per_group);
	struct buffer_head *gdbh, *bh;
	struct ext2_group_desc *gd;

	mutex_lock(&sbi->s_lock);
	gd = ext2_get_group_desc(sb, g, &gdbh);
	bh = gd ? sb_bread(sb, gd->bg_inode_bitmap) : NULL;
	if (bh && test_bit_le((uint8_t *)bh->b_data, bit)) {
		set_bit_le((uint8_t *)bh->b_data, bit, false);
		mark_buffer_dirty(bh);
		gd->bg_free_inodes_count++;
		if (S_ISDIR(inode->i_mode))
			gd->bg_used_dirs_count--;
		mark_buffer_dirty(gdbh);
		sbi->s_es->s_free_inodes_count++;
		ext2_sb_dirty(sb);
	} else if (bh) {
		ext2_error(sb, __func__, "freeing inode %lu, which is already free", inode->i_ino);
	}
	brelse(bh);
	mutex_unlock(&sbi->s_lock);
}
