/*
 * ext2/file.c - regular files: read and write through the buffer cache, a
 * block at a time (holes read as zeros; writes fill them), fsync, and the
 * page-cache fill for mappings and exec.
 *
 * Transitional: the page cache (kernel/mm/filemap.c, pagecache helper) takes
 * file data over with a_ops->read_folio built on ext2_get_block; until then
 * write() and a mapping of the same file do not see each other's changes.
 *
 * Locks: write takes i_rwsem for writing (it may allocate; a user copy may
 * then fault: i_rwsem -> mmap_lock, as in Linux). Reads and page fills take
 * no inode lock (a page fault holds mmap_lock and comes here): they read
 * block pointers with READ_ONCE and buffers by reference, so a racing
 * truncate can only make them see old bytes, never a freed buffer.
 */
#include "ext2.h"
#include <string.h>

/* Copy bytes [pos, pos + n) of one block out, zeros for a hole. */
static int read_block_part(struct inode *inode, loff_t pos, size_t n, void *dst,
			   struct iov_iter *to)
{
	unsigned long bs = inode->i_sb->s_blocksize;
	struct buffer_head *bh = NULL;
	uint32_t block;
	int err = ext2_get_block(inode, (uint64_t)pos / bs, false, &block);
	const char *src;
	static const char zeros[4096];

	if (err)
		return err;
	if (block) {
		bh = sb_bread(inode->i_sb, block);
		if (!bh)
			return -EIO;
		src = bh->b_data + (pos & (loff_t)(bs - 1));
	} else {
		src = zeros;
	}
	if (to)
		err = copy_to_iter(src, n, to) == n ? 0 : -EFAULT;
	else
		memcpy(dst, src, n);
	brelse(bh);
	return err;
}

ssize_t ext2_file_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	unsigned long bs = inode->i_sb->s_blocksize;
	size_t done = 0;
	int err = 0;

	while (to->count && *pos < READ_ONCE(inode->i_size)) {
		size_t n = MIN(to->count, (size_t)(READ_ONCE(inode->i_size) - *pos));

		n = MIN(n, bs - (size_t)(*pos & (loff_t)(bs - 1)));
		err = read_block_part(inode, *pos, n, NULL, to);
		if (err)
			break;
		*pos += (loff_t)n;
		done += n;
	}
	return done ? (ssize_t)done : err;
}

/* Copy n bytes into the block at pos (allocated if needed). */
static int write_block_part(struct inode *inode, loff_t pos, size_t n, struct iov_iter *from)
{
	unsigned long bs = inode->i_sb->s_blocksize;
	struct buffer_head *bh;
	uint32_t block;
	int err = ext2_get_block(inode, (uint64_t)pos / bs, true, &block);

	if (err)
		return err;
	bh = n == bs ? sb_getblk(inode->i_sb, block) : sb_bread(inode->i_sb, block);
	if (!bh)
		return -EIO;
	if (copy_from_iter(bh->b_data + (pos & (loff_t)(bs - 1)), n, from) != n)
		err = -EFAULT;
	mark_buffer_dirty(bh);
	brelse(bh);
	return err;
}

ssize_t ext2_file_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	unsigned long bs = inode->i_sb->s_blocksize;
	size_t done = 0;
	int err = 0;

	down_write(&inode->i_rwsem);
	if (file->f_flags & O_APPEND)
		*pos = inode->i_size;
	while (from->count) {
		size_t n = MIN(from->count, bs - (size_t)(*pos & (loff_t)(bs - 1)));

		err = write_block_part(inode, *pos, n, from);
		if (err)
			break;
		*pos += (loff_t)n;
		done += n;
		if (*pos > inode->i_size)
			inode->i_size = *pos;
	}
	if (done) {
		inode->i_mtime = inode->i_ctime = current_time(inode);
		mark_inode_dirty(inode);
	}
	up_write(&inode->i_rwsem);
	if (done)
		truncate_inode_pages(inode);	/* transitional: drop stale cached pages */
	return done ? (ssize_t)done : err;
}

int ext2_readpage(struct inode *inode, void *kaddr, unsigned long index)
{
	unsigned long bs = inode->i_sb->s_blocksize;
	loff_t pos = (loff_t)index << PAGE_SHIFT, end;
	int err = 0;

	memset(kaddr, 0, PAGE_SIZE);
	end = MIN(pos + (loff_t)PAGE_SIZE, READ_ONCE(inode->i_size));
	for (loff_t p = pos; p < end && !err; p += (loff_t)bs) {
		size_t n = MIN((size_t)bs, (size_t)(end - p));

		err = read_block_part(inode, p, n, (char *)kaddr + (p - pos), NULL);
	}
	return err;
}

static int ext2_fsync(struct file *file)
{
	int err = write_inode_now(file->f_inode, true);

	return sync_blockdev(file->f_inode->i_sb) ?: err;
}

const struct file_operations ext2_file_operations = {
	.read = ext2_file_read,
	.write = ext2_file_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
	.fsync = ext2_fsync,
};
