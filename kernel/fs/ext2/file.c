/*
 * ext2/file.c - regular files through the page cache (kernel/mm/filemap.c):
 * read(2) is filemap_read, write(2) generic_perform_write, mappings
 * filemap_fault; ext2 supplies the address_space operations that move a
 * folio to and from its blocks.
 *
 * read_folio is asynchronous: it maps the folio's blocks (metadata through the
 * buffer cache) and submits bios that read the data straight into the folio;
 * the last completion ends the read (folio_end_read, IRQ context). A block that
 * is in the buffer cache is copied from there instead, because writes go
 * through the buffers: writepage copies the folio into its blocks' buffers,
 * marks them dirty and ends the writeback; fsync and the flusher then write the
 * buffers and the inode. So a buffer, when there is one, is never older than
 * the disk, and a read never misses data still waiting in one.
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
#include <blkdev.h>
#include <slab.h>
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

/*
 * One read_folio in flight: the folio is unlocked (folio_end_read) when the
 * last of its bios completes. pending starts at 1, the submitter's own count,
 * so an early completion cannot end the read while bios are still being built.
 */
struct ext2_read_ctx {
	struct folio *folio;	/* [I] locked until the read ends */
	int pending;		/* [a] bios in flight + the submitter */
	bool failed;		/* [a] a block could not be mapped or read */
};

static void read_ctx_put(struct ext2_read_ctx *ctx)
{
	if (__atomic_sub_fetch(&ctx->pending, 1, __ATOMIC_ACQ_REL))
		return;
	folio_end_read(ctx->folio, !__atomic_load_n(&ctx->failed, __ATOMIC_RELAXED));
	kfree(ctx);
}

/* bio->end_io (IRQ context): one run of blocks arrived. */
static void ext2_read_end_io(struct bio *bio)
{
	struct ext2_read_ctx *ctx = bio->private;

	if (bio->status)
		__atomic_store_n(&ctx->failed, true, __ATOMIC_RELAXED);
	kfree(bio);
	read_ctx_put(ctx);
}

/* Start reading n disk blocks from block into the folio at off; returns at once. */
static void read_run_submit(struct super_block *sb, struct ext2_read_ctx *ctx,
			    uint32_t block, unsigned int n, size_t off)
{
	struct bio *bio = n ? kzalloc(sizeof(*bio)) : NULL;

	if (!n)
		return;
	if (!bio) {
		__atomic_store_n(&ctx->failed, true, __ATOMIC_RELAXED);
		return;
	}
	bio->bdev = sb->s_bdev;
	bio->sector = (uint64_t)block * (sb->s_blocksize >> SECTOR_SHIFT);
	bio->page = folio_page(ctx->folio);
	bio->offset = (unsigned int)off;
	bio->len = n * (unsigned int)sb->s_blocksize;
	bio->op = REQ_OP_READ;
	bio->end_io = ext2_read_end_io;
	bio->private = ctx;
	__atomic_add_fetch(&ctx->pending, 1, __ATOMIC_RELAXED);
	submit_bio(bio);
}

/*
 * A block ext2 wrote through the buffer cache may still be dirty there (the
 * folio was written back to the buffer, then evicted): the buffer is newer than
 * the disk, so copy it. Sleeps: yes (the buffer's lock).
 */
static bool copy_cached_block(struct super_block *sb, uint32_t block, char *dst)
{
	struct buffer_head *bh = sb_find_get_block(sb, block);
	bool hit = false;

	if (!bh)
		return false;
	mutex_lock(&bh->b_lock);
	if (bh->b_state & BH_Uptodate) {
		memcpy(dst, bh->b_data, bh->b_size);
		hit = true;
	}
	mutex_unlock(&bh->b_lock);
	brelse(bh);
	return hit;
}

/*
 * Map every block of the folio and start the reads: holes and the part past
 * i_size become zeros, cached buffers are copied, the rest is read straight
 * into the folio, physically contiguous blocks in one bio.
 */
static void ext2_read_blocks(struct inode *inode, struct ext2_read_ctx *ctx)
{
	struct super_block *sb = inode->i_sb;
	unsigned long bs = sb->s_blocksize;
	loff_t pos = folio_pos(ctx->folio), size = i_size_read(inode);
	char *va = folio_address(ctx->folio);
	uint32_t run = 0, block;
	unsigned int n = 0;
	size_t off, run_off = 0;

	for (off = 0; off < PAGE_SIZE; off += bs) {
		if (pos + (loff_t)off >= size) {
			memset(va + off, 0, PAGE_SIZE - off);	/* past the end: zeros */
			break;
		}
		if (ext2_map_block(inode, (uint64_t)(pos + (loff_t)off) / bs, false, &block)) {
			__atomic_store_n(&ctx->failed, true, __ATOMIC_RELAXED);
			break;
		}
		if (n && block == run + n) {
			n++;				/* extends the run */
			continue;
		}
		read_run_submit(sb, ctx, run, n, run_off);
		n = 0;
		if (!block)
			memset(va + off, 0, bs);	/* a hole */
		else if (!copy_cached_block(sb, block, va + off))
			run = block, n = 1, run_off = off;
	}
	read_run_submit(sb, ctx, run, n, run_off);
}

/*
 * a_ops->read_folio: asynchronous, like Linux's mpage reads: returns once the
 * I/O is started; the completion marks the folio uptodate (or PG_error) and
 * unlocks it, so readahead has its whole window in flight at once.
 */
static int ext2_read_folio(struct file *file, struct folio *folio)
{
	struct ext2_read_ctx *ctx = kzalloc(sizeof(*ctx));

	(void)file;
	if (!ctx) {
		folio_end_read(folio, false);
		return 0;
	}
	ctx->folio = folio;
	ctx->pending = 1;
	ext2_read_blocks(folio_mapping(folio)->host, ctx);
	read_ctx_put(ctx);
	return 0;	/* an error shows as !uptodate (PG_error) */
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
