/*
 * buffer_head.h - the buffer cache: blocks of a file system's device in
 * memory (Linux's <linux/buffer_head.h>, reduced). ext2 reads and writes its
 * metadata (super block, group descriptors, bitmaps, inode tables, indirect
 * and directory blocks) and, until the page cache takes file data over, its
 * data blocks through it.
 *
 *   bh = sb_bread(sb, block);     the block, read from the disk if needed (NULL: -EIO)
 *   ... read or change bh->b_data (the file system's own locks) ...
 *   mark_buffer_dirty(bh);        written by sync_blockdev / sync_dirty_buffer
 *   brelse(bh);
 *
 * The cache keeps at most BUFFER_CACHE_MAX buffers per super block; clean
 * unused ones are dropped oldest first. Everything here may sleep.
 */
#ifndef FAULTLINE_BUFFER_HEAD_H
#define FAULTLINE_BUFFER_HEAD_H

#include <types.h>
#include <list.h>
#include <mutex.h>

struct super_block;
struct page;

#define BUFFER_CACHE_MAX	1024

#define BH_Uptodate	0x1u	/* b_data holds the block */
#define BH_Dirty	0x2u	/* b_data is newer than the disk */

/*
 * Locking legend: [C] the super block's buffer cache lock (bcache_lock)
 * [B] b_lock (held while the block is read or written)  [I] immutable
 * b_data is guarded by the file system's locks.
 */
struct buffer_head {
	struct super_block *b_sb;	/* [I] */
	uint64_t b_blocknr;		/* [I] in units of the fs block size */
	unsigned int b_size;		/* [I] bytes (the fs block size) */
	char *b_data;			/* [I] the bytes (a page of its own) */
	struct page *b_page;		/* [I] */
	unsigned int b_state;		/* [B] BH_*; [C] read for eviction */
	int b_count;			/* [C] users */
	struct mutex b_lock;
	struct list_head b_lru;		/* [C] on the cache, most recently used last */
	struct list_head b_hash;	/* [C] on its hash chain (by b_blocknr) */
};

/* The cache of one super block (its s_bdev and s_blocksize). */
int buffer_cache_init(struct super_block *sb);
void buffer_cache_destroy(struct super_block *sb);	/* unmount: drops every buffer */

struct buffer_head *sb_bread(struct super_block *sb, uint64_t block);
/* The buffer without reading it: for a block the caller overwrites whole
 * (zeroed and uptodate when it was not cached). NULL without memory. */
struct buffer_head *sb_getblk(struct super_block *sb, uint64_t block);
/* The cached buffer of block with a reference, or NULL: never reads or allocates. */
struct buffer_head *sb_find_get_block(struct super_block *sb, uint64_t block);
void brelse(struct buffer_head *bh);
void mark_buffer_dirty(struct buffer_head *bh);
int sync_dirty_buffer(struct buffer_head *bh);	/* write it now if dirty; 0 or -EIO */
/* drop_caches: free the clean buffers nobody holds; the number freed. Sleeps: no. */
unsigned long buffer_cache_invalidate(struct super_block *sb);
/* Write every dirty buffer of sb, then flush the device's write cache. */
int sync_blockdev(struct super_block *sb);

#endif
