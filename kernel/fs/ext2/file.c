/*
 * ext2/file.c - regular files through the page cache (kernel/mm/filemap.c):
 * read(2) is filemap_read, write(2) generic_perform_write, mappings
 * filemap_fault; ext2 supplies the address_space operations that move a
 * folio to and from its blocks.
 *
 * Data blocks go through the buffer cache (the only path to the disk ext2
 * has, so a block is never cached twice with different contents): read_folio
 * copies the folio's blocks in (holes read as zeros) and ends the read before
 * it returns; writepage copies them out, marks the buffers dirty and ends the
 * writeback; fsync then writes the buffers and the inode.
 *
 * Block allocation happens at write(2) time, under i_rwsem, before the bytes
 * reach the page cache, so writepage (flusher, fsync, msync: folio locked, no
 * inode lock) normally only looks blocks up. A MAP_SHARED store into a hole is
 * the exception: writepage allocates then. Every allocation and truncation of
 * the block map takes ext2_inode_info.i_alloc_mutex.
 *
 * Lock order: i_rwsem -> folio lock -> i_alloc_mutex -> buffer locks.
 */
#include "ext2.h"
#include <string.h>

/* Map file block iblock, allocating with create. Locks: takes i_alloc_mutex. */
static int ext2_map_block(struct inode *inode, uint64_t iblock, bool create, uint32_t *out)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	int err;

	if (!create)
		return ext2_get_block(inode, iblock, false, out);
	mutex_lock(&ei->i_alloc_mutex);
	err = ext2_get_block(inode, iblock, true, out);
	mutex_unlock(&ei->i_alloc_mutex);
	return err;
}

/* Fill one block-sized piece of a folio from the disk (zeros for a hole). */
static int read_folio_block(struct inode *inode, uint64_t iblock, char *dst)
{
	unsigned long bs = inode->i_sb->s_blocksize;
	struct buffer_head *bh;
	uint32_t block;
	int err = ext2_map_block(inode, iblock, false, &block);

	if (err)
		return err;
	if (!block) {
		memset(dst, 0, bs);
		return 0;
	}
	bh = sb_bread(inode->i_sb, block);
	if (!bh)
		return -EIO;
	memcpy(dst, bh->b_data, bs);
	brelse(bh);
	return 0;
}

/* a_ops->read_folio: synchronous; the folio is unlocked (folio_end_read) on return. */
static int ext2_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio_mapping(folio)->host;
	unsigned long bs = inode->i_sb->s_blocksize;
	loff_t pos = folio_pos(folio), size = i_size_read(inode);
	char *va = folio_address(folio);
	int err = 0;

	(void)file;
	for (size_t off = 0; off < PAGE_SIZE && !err; off += bs) {
		if (pos + (loff_t)off >= size)
			memset(va + off, 0, PAGE_SIZE - off);	/* past the end: zeros */
		else
			err = read_folio_block(inode, (uint64_t)(pos + (loff_t)off) / bs, va + off);
		if (pos + (loff_t)off >= size)
			break;
	}
	folio_end_read(folio, err == 0);
	return 0;	/* an error shows as !uptodate (PG_error), as for an async read */
}

static bool all_zero(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * Copy one block-sized piece of a folio into its disk block's buffer. A hole whose
 * bytes are all zero stays a hole: with blocks smaller than a page, write(2) into one
 * block of a sparse file must not allocate the page's other blocks (st_blocks and the
 * free count would change whenever the flusher ran); a non-zero MAP_SHARED store into
 * a hole allocates its block here.
 */
static int write_folio_block(struct inode *inode, uint64_t iblock, const char *src)
{
	struct buffer_head *bh;
	uint32_t block;
	int err = ext2_map_block(inode, iblock, false, &block);

	if (!err && !block && !all_zero(src, inode->i_sb->s_blocksize))
		err = ext2_map_block(inode, iblock, true, &block);
	if (err || !block)
		return err;
	bh = sb_getblk(inode->i_sb, block);
	if (!bh)
		return -EIO;
	memcpy(bh->b_data, src, inode->i_sb->s_blocksize);
	mark_buffer_dirty(bh);
	brelse(bh);
	return 0;
}

/* a_ops->writepage: the blocks inside i_size go to the buffer cache. */
static int ext2_writepage(struct folio *folio, struct writeback_control *wbc)
{
	struct inode *inode = folio_mapping(folio)->host;
	unsigned long bs = inode->i_sb->s_blocksize;
	loff_t pos = folio_pos(folio), size = i_size_read(inode);
	const char *va = folio_address(folio);
	int err = 0;

	(void)wbc;
	for (size_t off = 0; off < PAGE_SIZE && pos + (loff_t)off < size && !err; off += bs)
		err = write_folio_block(inode, (uint64_t)(pos + (loff_t)off) / bs, va + off);
	folio_unlock(folio);
	folio_end_writeback(folio);
	if (err)
		printk("ext2: inode %lu: writing page %lu failed (%d); the data stays in memory "
		       "only (check the disk with e2fsck)\n", inode->i_ino,
		       (unsigned long)folio_index(folio), err);
	return err;
}

/* a_ops->fsync: after the folios, the inode and every dirty buffer. */
static int ext2_fsync(struct inode *inode)
{
	int err = write_inode_now(inode, true);

	return sync_blockdev(inode->i_sb) ?: err;
}

const struct address_space_operations ext2_aops = {
	.read_folio = ext2_read_folio,
	.writepage = ext2_writepage,
	.fsync = ext2_fsync,
};

/* Allocate the blocks under bytes [pos, pos + n) before they are written. Locks: i_rwsem. */
static int ext2_prealloc(struct inode *inode, loff_t pos, size_t n)
{
	unsigned long bs = inode->i_sb->s_blocksize;
	uint32_t block;
	int err = 0;

	for (uint64_t b = (uint64_t)pos / bs; b <= (uint64_t)(pos + (loff_t)n - 1) / bs && !err; b++)
		err = ext2_map_block(inode, b, true, &block);
	return err;
}

/* Free blocks a short write allocated past the end of the file. Locks: i_rwsem. */
static void ext2_trim_prealloc(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned long bs = inode->i_sb->s_blocksize;

	mutex_lock(&ei->i_alloc_mutex);
	ext2_truncate_blocks(inode, ((uint64_t)i_size_read(inode) + bs - 1) / bs);
	mutex_unlock(&ei->i_alloc_mutex);
}

/* write(2): a page at a time, its blocks allocated first, then the page cache's copy. */
ssize_t ext2_file_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	size_t done = 0;
	ssize_t ret = 0;

	down_write(&inode->i_rwsem);
	if (file->f_flags & O_APPEND)
		*pos = i_size_read(inode);
	while (from->count) {
		size_t n = MIN(from->count, PAGE_SIZE - ((size_t)*pos & (PAGE_SIZE - 1)));
		struct iov_iter chunk = *from;

		if (*pos + (loff_t)n > inode->i_sb->s_maxbytes) {
			ret = -EFBIG;
			break;
		}
		ret = ext2_prealloc(inode, *pos, n);
		if (ret)
			break;
		chunk.count = n;
		ret = generic_perform_write(file, &chunk, pos);
		if (ret <= 0)
			break;
		from->base += ret;
		from->count -= (size_t)ret;
		done += (size_t)ret;
		if ((size_t)ret < n)
			break;
	}
	if (ret <= 0 || from->count)
		ext2_trim_prealloc(inode);	/* blocks allocated for bytes never written */
	if (done) {
		inode->i_mtime = inode->i_ctime = current_time(inode);
		mark_inode_dirty(inode);
	}
	up_write(&inode->i_rwsem);
	return done ? (ssize_t)done : ret;
}

static int ext2_file_fsync(struct file *file)
{
	return vfs_fsync_range(file, 0, INT64_MAX);
}

const struct file_operations ext2_file_operations = {
	.read = filemap_read,
	.write = ext2_file_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
	.fsync = ext2_file_fsync,
};
