/*
 * ext2/super.c - mounting ext2: the super block and group descriptors,
 * checked before anything trusts them; statfs, sync and the clean unmount.
 */
#include "ext2.h"
#include <blkdev.h>
#include <slab.h>
#include <string.h>
#include <stdarg.h>

void ext2_error(struct super_block *sb, const char *func, const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printk("ext2: %s: %s: %s (-EIO; run e2fsck on the image)\n",
	       sb->s_bdev ? sb->s_bdev->name : "?", func, buf);
}

bool ext2_valid_block(struct super_block *sb, uint32_t block)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	return block >= sbi->s_first_data_block && block < sbi->s_blocks_count;
}

struct ext2_group_desc *ext2_get_group_desc(struct super_block *sb, unsigned int group,
					    struct buffer_head **bh)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int per_block = (unsigned int)(sb->s_blocksize / sizeof(struct ext2_group_desc));

	if (group >= sbi->s_groups_count)
		return NULL;
	if (bh)
		*bh = sbi->s_group_desc[group / per_block];
	return (struct ext2_group_desc *)sbi->s_group_desc[group / per_block]->b_data +
	       group % per_block;
}

void ext2_sb_dirty(struct super_block *sb)
{
	mark_buffer_dirty(EXT2_SB(sb)->s_sbh);
}

static struct inode *ext2_alloc_inode(struct super_block *sb)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei));

	if (!ei)
		return NULL;
	mutex_init(&ei->i_alloc_mutex);
	return &ei->vfs_inode;
}

static void ext2_free_inode_mem(struct inode *inode)
{
	kfree(EXT2_I(inode));
}

static int ext2_sync_fs(struct super_block *sb, bool wait)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	mutex_lock(&sbi->s_lock);
	sbi->s_es->s_wtime = (uint32_t)(sb->s_time_base + (int64_t)(arch_time_ns() / 1000000000ULL));
	mark_buffer_dirty(sbi->s_sbh);
	mutex_unlock(&sbi->s_lock);
	return sync_blockdev(sb);
}

/* Unmount: everything is written (sync_filesystem ran); mark the fs clean. */
static void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	mutex_lock(&sbi->s_lock);
	sbi->s_es->s_state |= EXT2_VALID_FS;
	mark_buffer_dirty(sbi->s_sbh);
	mutex_unlock(&sbi->s_lock);
	sync_blockdev(sb);
}

static int ext2_statfs(struct super_block *sb, struct kstatfs *buf)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	buf->f_type = EXT2_SUPER_MAGIC;
	buf->f_bsize = sb->s_blocksize;
	buf->f_blocks = sbi->s_blocks_count;
	buf->f_bfree = READ_ONCE(sbi->s_es->s_free_blocks_count);
	buf->f_files = sbi->s_inodes_count;
	buf->f_ffree = READ_ONCE(sbi->s_es->s_free_inodes_count);
	return 0;
}

static const struct super_operations ext2_sops = {
	.alloc_inode = ext2_alloc_inode,
	.free_inode = ext2_free_inode_mem,
	.write_inode = ext2_write_inode,
	.evict_inode = ext2_evict_inode,
	.sync_fs = ext2_sync_fs,
	.put_super = ext2_put_super,
	.statfs = ext2_statfs,
};

#define REFUSE(...) do { printk("ext2: " __VA_ARGS__); return -EINVAL; } while (0)

/* The super block's numbers, each against the others and the device. */
static int ext2_check_super(struct super_block *sb, const struct ext2_super_block *es,
			    uint64_t dev_blocks)
{
	uint32_t bs;
	uint64_t groups;

	if (es->s_magic != EXT2_SUPER_MAGIC)
		REFUSE("%s: bad magic 0x%x: not an ext2 file system\n", sb->s_bdev->name, es->s_magic);
	if (es->s_rev_level > 1)
		REFUSE("%s: revision %u is not supported (0 and 1 are)\n", sb->s_bdev->name,
		       es->s_rev_level);
	if (es->s_log_block_size > 2)
		REFUSE("%s: block size 2^%u KiB is not supported (1, 2 or 4 KiB)\n",
		       sb->s_bdev->name, es->s_log_block_size);
	bs = 1024u << es->s_log_block_size;
	if (es->s_feature_incompat & ~EXT2_FEATURE_INCOMPAT_SUPP)
		REFUSE("%s: incompatible features 0x%x (an ext3/ext4 image? make it with mke2fs -t "
		       "ext2)\n", sb->s_bdev->name, es->s_feature_incompat);
	if (es->s_blocks_per_group == 0 || es->s_blocks_per_group > 8 * bs ||
	    es->s_inodes_per_group == 0 || es->s_inodes_per_group > 8 * bs)
		REFUSE("%s: bad blocks or inodes per group\n", sb->s_bdev->name);
	if (es->s_first_data_block != (bs == 1024 ? 1u : 0u) ||
	    es->s_blocks_count <= es->s_first_data_block || es->s_blocks_count > dev_blocks)
		REFUSE("%s: block count %u or first data block %u does not fit the device (%llu "
		       "blocks)\n", sb->s_bdev->name, es->s_blocks_count, es->s_first_data_block,
		       (unsigned long long)dev_blocks);
	groups = (es->s_blocks_count - es->s_first_data_block + es->s_blocks_per_group - 1) /
		 es->s_blocks_per_group;
	if ((uint64_t)es->s_inodes_count > groups * es->s_inodes_per_group ||
	    es->s_inodes_count < EXT2_ROOT_INO)
		REFUSE("%s: inode count %u does not match %llu groups\n", sb->s_bdev->name,
		       es->s_inodes_count, (unsigned long long)groups);
	if (es->s_rev_level == 1 &&
	    (es->s_inode_size < EXT2_GOOD_OLD_INODE_SIZE || es->s_inode_size > bs ||
	     (es->s_inode_size & (es->s_inode_size - 1)) || es->s_first_ino < EXT2_ROOT_INO + 1 ||
	     es->s_first_ino > es->s_inodes_count))
		REFUSE("%s: bad inode size %u or first inode %u\n", sb->s_bdev->name,
		       es->s_inode_size, es->s_first_ino);
	return 0;
}

static void ext2_fill_sbi(struct super_block *sb, struct ext2_sb_info *sbi,
			  struct ext2_super_block *es)
{
	sbi->s_es = es;
	sbi->s_blocks_count = es->s_blocks_count;
	sbi->s_inodes_count = es->s_inodes_count;
	sbi->s_first_data_block = es->s_first_data_block;
	sbi->s_blocks_per_group = es->s_blocks_per_group;
	sbi->s_inodes_per_group = es->s_inodes_per_group;
	sbi->s_inode_size = es->s_rev_level ? es->s_inode_size : EXT2_GOOD_OLD_INODE_SIZE;
	sbi->s_first_ino = es->s_rev_level ? es->s_first_ino : EXT2_GOOD_OLD_FIRST_INO;
	sbi->s_groups_count = (es->s_blocks_count - es->s_first_data_block +
			       es->s_blocks_per_group - 1) / es->s_blocks_per_group;
	sbi->s_addr_per_block = (unsigned int)(sb->s_blocksize / 4);
	sbi->s_addr_bits = sb->s_blocksize_bits - 2;
	sbi->s_filetype = es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE;
	mutex_init(&sbi->s_lock);
}

/* Is block inside group g's range? */
static bool in_group(struct ext2_sb_info *sbi, unsigned int g, uint32_t block, uint32_t n)
{
	uint64_t first = sbi->s_first_data_block + (uint64_t)g * sbi->s_blocks_per_group;
	uint64_t end = MIN(first + sbi->s_blocks_per_group, (uint64_t)sbi->s_blocks_count);

	return block >= first && (uint64_t)block + n <= end;
}

/* Is block (the start of a bitmap or inode table, inside its group) on the
 * super block or the descriptors after it? (They start the first group.) */
static bool on_primary_super(struct ext2_sb_info *sbi, uint32_t block)
{
	return block < (uint64_t)sbi->s_first_data_block + 1 + sbi->s_gdb_count;
}

/* Read the descriptors that follow the super block and check every group's
 * bitmaps and inode table lie inside that group. */
static int ext2_read_groups(struct super_block *sb, struct ext2_sb_info *sbi)
{
	unsigned int per_block = (unsigned int)(sb->s_blocksize / sizeof(struct ext2_group_desc));
	uint32_t itb = (uint32_t)((sbi->s_inodes_per_group * sbi->s_inode_size + sb->s_blocksize - 1)
				  >> sb->s_blocksize_bits);

	sbi->s_gdb_count = (sbi->s_groups_count + per_block - 1) / per_block;
	sbi->s_group_desc = kcalloc(sbi->s_gdb_count, sizeof(*sbi->s_group_desc));
	if (!sbi->s_group_desc)
		return -ENOMEM;
	for (unsigned int i = 0; i < sbi->s_gdb_count; i++) {
		sbi->s_group_desc[i] = sb_bread(sb, sbi->s_first_data_block + 1 + i);
		if (!sbi->s_group_desc[i])
			return -EIO;
	}
	for (unsigned int g = 0; g < sbi->s_groups_count; g++) {
		struct ext2_group_desc *gd = ext2_get_group_desc(sb, g, NULL);

		if (!in_group(sbi, g, gd->bg_block_bitmap, 1) ||
		    !in_group(sbi, g, gd->bg_inode_bitmap, 1) ||
		    !in_group(sbi, g, gd->bg_inode_table, itb))
			REFUSE("%s: group %u: bitmap or inode table outside the group (run e2fsck "
			       "on the image)\n", sb->s_bdev->name, g);
		if (on_primary_super(sbi, gd->bg_block_bitmap) ||
		    on_primary_super(sbi, gd->bg_inode_bitmap) ||
		    on_primary_super(sbi, gd->bg_inode_table))
			REFUSE("%s: group %u: bitmap or inode table on the super block or the group "
			       "descriptors (run e2fsck on the image)\n", sb->s_bdev->name, g);
	}
	return 0;
}

static void ext2_release_sbi(struct super_block *sb, struct ext2_sb_info *sbi)
{
	if (sbi->s_group_desc)
		for (unsigned int i = 0; i < sbi->s_gdb_count; i++)
			brelse(sbi->s_group_desc[i]);
	kfree(sbi->s_group_desc);
	brelse(sbi->s_sbh);
	buffer_cache_destroy(sb);
	kfree(sbi);
	sb->s_fs_info = NULL;
}

/* Read the super block with the cache at size bs; *es points into s_sbh. */
static int ext2_load_super(struct super_block *sb, struct ext2_sb_info *sbi, unsigned int bits)
{
	sb->s_blocksize_bits = bits;
	sb->s_blocksize = 1ul << bits;
	if (buffer_cache_init(sb))
		return -ENOMEM;
	sbi->s_sbh = sb_bread(sb, EXT2_SB_OFFSET >> bits);
	if (!sbi->s_sbh)
		return -EIO;
	sbi->s_es = (struct ext2_super_block *)(sbi->s_sbh->b_data + (EXT2_SB_OFFSET & (sb->s_blocksize - 1)));
	return 0;
}

static int ext2_setup(struct super_block *sb, struct ext2_sb_info *sbi)
{
	struct ext2_super_block *es;
	int err = ext2_load_super(sb, sbi, 10);

	if (err)
		return err;
	es = sbi->s_es;
	if (es->s_magic == EXT2_SUPER_MAGIC && es->s_log_block_size && es->s_log_block_size <= 2) {
		unsigned int bits = 10 + es->s_log_block_size;

		brelse(sbi->s_sbh);
		sbi->s_sbh = NULL;
		buffer_cache_destroy(sb);
		err = ext2_load_super(sb, sbi, bits);
		if (err)
			return err;
		es = sbi->s_es;
	}
	err = ext2_check_super(sb, es, (sb->s_bdev->nr_sectors << SECTOR_SHIFT) >> sb->s_blocksize_bits);
	if (err)
		return err;
	if (sb->s_blocksize != (1024u << es->s_log_block_size))
		REFUSE("%s: the block size changed under us\n", sb->s_bdev->name);
	ext2_fill_sbi(sb, sbi, es);
	return ext2_read_groups(sb, sbi);
}

/* Writable mount: count it and mark the fs in use (not clean) until put_super. */
static int ext2_mark_mounted(struct super_block *sb, struct ext2_sb_info *sbi)
{
	struct ext2_super_block *es = sbi->s_es;

	if (!(es->s_state & EXT2_VALID_FS))
		printk("ext2: %s was not unmounted cleanly; run e2fsck on the image\n",
		       sb->s_bdev->name);
	es->s_state &= (uint16_t)~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = (uint32_t)sb->s_time_base;
	mark_buffer_dirty(sbi->s_sbh);
	return sync_dirty_buffer(sbi->s_sbh);
}

static int ext2_fill_super(struct super_block *sb, const char *dev_name)
{
	struct ext2_sb_info *sbi;
	struct inode *root;
	int err;

	sb->s_bdev = dev_name ? blkdev_get_by_name(dev_name) : NULL;
	if (!sb->s_bdev && dev_name)
		sb->s_bdev = blkdev_get_by_serial(dev_name);	/* QEMU's serial=root */
	if (!sb->s_bdev)
		return -ENODEV;
	sbi = kzalloc(sizeof(*sbi));
	if (!sbi)
		return -ENOMEM;
	sb->s_fs_info = sbi;
	sb->s_op = &ext2_sops;
	sb->s_dev = MKDEV(254, 0);
	err = ext2_setup(sb, sbi);
	if (err)
		goto fail;
	sb->s_time_base = MAX(sbi->s_es->s_wtime, sbi->s_es->s_mtime);
	sb->s_maxbytes = INT64_MAX;
	if ((sbi->s_es->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP) ||
	    sb->s_bdev->read_only) {
		printk("ext2: %s: read-only features 0x%x or a read-only device: mounting read-only\n",
		       sb->s_bdev->name, sbi->s_es->s_feature_ro_compat);
		sb->s_flags |= SB_RDONLY;
	}
	root = ext2_iget(sb, EXT2_ROOT_INO);
	if (IS_ERR(root) || !S_ISDIR(root->i_mode)) {
		printk("ext2: %s: the root inode is damaged or not a directory\n", sb->s_bdev->name);
		if (!IS_ERR(root))
			iput(root);
		err = -EINVAL;
		goto fail;
	}
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		iput(root);
		err = -ENOMEM;
		goto fail;
	}
	if (!(sb->s_flags & SB_RDONLY) && ext2_mark_mounted(sb, sbi))
		printk("ext2: %s: could not mark the file system in use\n", sb->s_bdev->name);
	printk("ext2: %s: %u blocks of %lu bytes, %u inodes, %u groups\n", sb->s_bdev->name,
	       sbi->s_blocks_count, sb->s_blocksize, sbi->s_inodes_count, sbi->s_groups_count);
	return 0;
fail:
	ext2_release_sbi(sb, sbi);
	return err;
}

/* Unmount: the VFS has dropped every inode and called put_super. */
static void ext2_kill_sb(struct super_block *sb)
{
	ext2_release_sbi(sb, EXT2_SB(sb));
}

static struct file_system_type ext2_fs_type = {
	.name = "ext2",
	.fill_super = ext2_fill_super,
	.kill_sb = ext2_kill_sb,
};

void ext2_init(void)
{
	register_filesystem(&ext2_fs_type);
}
