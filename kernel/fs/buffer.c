/*
 * buffer.c - the buffer cache over the block layer (<buffer_head.h>).
 *
 * One list per super block, most recently used last, and a hash table of
 * chains by block number for lookups, both under bcache_lock (a spinlock:
 * nothing sleeps under it). A buffer is read once (b_lock keeps a
 * second reader waiting instead of reading it again) with one bio of a
 * whole block (at most a page) and submit_bio_wait. Dirty buffers are
 * written by sync_blockdev/sync_dirty_buffer only (no flusher for metadata
 * yet): ext2's fsync, sync(2), and unmount at power-off call them.
 */
#include "internal.h"
#include <buffer_head.h>
#include <blkdev.h>
#include <page_alloc.h>
#include <slab.h>
#include <string.h>

#define BCACHE_HASH	256		/* chains; a power of two */

struct bcache {
	spinlock_t lock;
	struct list_head lru;		/* [C] every buffer */
	struct list_head hash[BCACHE_HASH];	/* [C] every buffer, by b_blocknr */
	unsigned int nr;		/* [C] */
};

static struct list_head *bcache_chain(struct bcache *c, uint64_t block)
{
	return &c->hash[(block ^ (block >> 8)) & (BCACHE_HASH - 1)];
}

/* Take bh off the cache's lists. Locks: bcache lock (or the cache is private). */
static void bcache_unlink(struct buffer_head *bh)
{
	list_del(&bh->b_lru);
	list_del(&bh->b_hash);
}

static struct bcache *sb_bcache(struct super_block *sb)
{
	return sb->s_bcache;
}

int buffer_cache_init(struct super_block *sb)
{
	struct bcache *c = kzalloc(sizeof(*c));

	if (!c)
		return -ENOMEM;
	spin_lock_init(&c->lock, "bcache_lock");
	INIT_LIST_HEAD(&c->lru);
	for (int i = 0; i < BCACHE_HASH; i++)
		INIT_LIST_HEAD(&c->hash[i]);
	sb->s_bcache = c;
	return 0;
}

static void free_buffer(struct buffer_head *bh)
{
	__free_pages(bh->b_page, 0);
	kfree(bh);
}

void buffer_cache_destroy(struct super_block *sb)
{
	struct bcache *c = sb_bcache(sb);
	struct buffer_head *bh, *n;

	if (!c)
		return;
	list_for_each_entry_safe(bh, n, &c->lru, b_lru) {
		WARN_ON(bh->b_count);
		bcache_unlink(bh);
		free_buffer(bh);
	}
	kfree(c);
	sb->s_bcache = NULL;
}

/* Drop clean unused buffers, oldest first, while the cache is over its size.
 * Locks: bcache lock. Returns the buffers to free outside it on *out. */
static void shrink_locked(struct bcache *c, struct list_head *out)
{
	struct buffer_head *bh, *n;

	assert_spin_locked(&c->lock);
	list_for_each_entry_safe(bh, n, &c->lru, b_lru) {
		if (c->nr <= BUFFER_CACHE_MAX)
			break;
		if (bh->b_count || (READ_ONCE(bh->b_state) & BH_Dirty))
			continue;
		bcache_unlink(bh);
		list_add_tail(&bh->b_lru, out);
		c->nr--;
	}
}

/*
 * drop_caches: free every clean buffer nobody holds (Linux keeps buffers in
 * the block device's page cache, which drop_caches invalidates the same
 * way). Buffers in use or dirty stay. Returns the number freed. Sleeps: no.
 */
unsigned long buffer_cache_invalidate(struct super_block *sb)
{
	struct bcache *c = sb_bcache(sb);
	struct buffer_head *bh, *n;
	unsigned long freed = 0;
	LIST_HEAD(victims);

	if (!c)
		return 0;
	spin_lock(&c->lock);
	list_for_each_entry_safe(bh, n, &c->lru, b_lru) {
		if (bh->b_count || (READ_ONCE(bh->b_state) & BH_Dirty))
			continue;
		bcache_unlink(bh);
		list_add_tail(&bh->b_lru, &victims);
		c->nr--;
	}
	spin_unlock(&c->lock);
	list_for_each_entry_safe(bh, n, &victims, b_lru) {
		free_buffer(bh);
		freed++;
	}
	return freed;
}

static struct buffer_head *find_get_buffer(struct bcache *c, uint64_t block)
{
	struct buffer_head *bh;

	assert_spin_locked(&c->lock);
	list_for_each_entry(bh, bcache_chain(c, block), b_hash) {
		if (bh->b_blocknr == block) {
			bh->b_count++;
			list_del(&bh->b_lru);		/* most recently used last */
			list_add_tail(&bh->b_lru, &c->lru);
			return bh;
		}
	}
	return NULL;
}

static struct buffer_head *alloc_buffer(struct super_block *sb, uint64_t block)
{
	struct buffer_head *bh = kzalloc(sizeof(*bh));

	if (!bh)
		return NULL;
	bh->b_page = alloc_pages(0);
	if (!bh->b_page) {
		kfree(bh);
		return NULL;
	}
	bh->b_data = page_address(bh->b_page);
	bh->b_sb = sb;
	bh->b_blocknr = block;
	bh->b_size = (unsigned int)sb->s_blocksize;
	bh->b_count = 1;
	mutex_init(&bh->b_lock);
	return bh;
}

/* The buffer of block with a reference, cached (not read). */
static struct buffer_head *getblk(struct super_block *sb, uint64_t block)
{
	struct bcache *c = sb_bcache(sb);
	struct buffer_head *bh, *fresh = NULL, *n;
	LIST_HEAD(victims);

	for (;;) {
		spin_lock(&c->lock);
		bh = find_get_buffer(c, block);
		if (!bh && fresh) {
			bh = fresh;
			fresh = NULL;
			list_add_tail(&bh->b_lru, &c->lru);
			list_add(&bh->b_hash, bcache_chain(c, block));
			c->nr++;
			shrink_locked(c, &victims);
		}
		spin_unlock(&c->lock);
		if (bh || !(fresh = alloc_buffer(sb, block)))
			break;
	}
	if (fresh)
		free_buffer(fresh);
	list_for_each_entry_safe(n, fresh, &victims, b_lru)
		free_buffer(n);
	return bh;
}

static int bh_submit(struct buffer_head *bh, enum req_op op)
{
	struct bio bio = {
		.bdev = bh->b_sb->s_bdev,
		.sector = bh->b_blocknr * (bh->b_size >> SECTOR_SHIFT),
		.page = bh->b_page,
		.offset = 0,
		.len = bh->b_size,
		.op = op,
	};

	return submit_bio_wait(&bio);
}

struct buffer_head *sb_bread(struct super_block *sb, uint64_t block)
{
	struct buffer_head *bh = getblk(sb, block);

	if (!bh)
		return NULL;
	mutex_lock(&bh->b_lock);
	if (!(bh->b_state & BH_Uptodate)) {
		if (bh_submit(bh, REQ_OP_READ)) {
			mutex_unlock(&bh->b_lock);
			printk("buffer: %s: reading block %llu failed (-EIO)\n",
			       sb->s_bdev->name, (unsigned long long)block);
			brelse(bh);
			return NULL;
		}
		bh->b_state |= BH_Uptodate;
	}
	mutex_unlock(&bh->b_lock);
	return bh;
}

struct buffer_head *sb_getblk(struct super_block *sb, uint64_t block)
{
	struct buffer_head *bh = getblk(sb, block);

	if (!bh)
		return NULL;
	mutex_lock(&bh->b_lock);
	if (!(bh->b_state & BH_Uptodate)) {
		memset(bh->b_data, 0, bh->b_size);
		bh->b_state |= BH_Uptodate;
	}
	mutex_unlock(&bh->b_lock);
	return bh;
}

struct buffer_head *sb_find_get_block(struct super_block *sb, uint64_t block)
{
	struct bcache *c = sb_bcache(sb);
	struct buffer_head *bh;

	spin_lock(&c->lock);
	bh = find_get_buffer(c, block);
	spin_unlock(&c->lock);
	return bh;
}

void brelse(struct buffer_head *bh)
{
	struct bcache *c;

	if (!bh)
		return;
	c = sb_bcache(bh->b_sb);
	spin_lock(&c->lock);
	BUG_ON(bh->b_count <= 0);
	bh->b_count--;
	spin_unlock(&c->lock);
}

void mark_buffer_dirty(struct buffer_head *bh)
{
	mutex_lock(&bh->b_lock);
	bh->b_state |= BH_Dirty;
	mutex_unlock(&bh->b_lock);
}

int sync_dirty_buffer(struct buffer_head *bh)
{
	int err = 0;

	mutex_lock(&bh->b_lock);
	if (bh->b_state & BH_Dirty) {
		bh->b_state &= ~BH_Dirty;
		err = bh_submit(bh, REQ_OP_WRITE);
		if (err) {
			bh->b_state |= BH_Dirty;
			printk("buffer: %s: writing block %llu failed (-EIO)\n",
			       bh->b_sb->s_bdev->name, (unsigned long long)bh->b_blocknr);
		}
	}
	mutex_unlock(&bh->b_lock);
	return err;
}

#define SYNC_BATCH	32

/* Up to SYNC_BATCH dirty buffers, each with a reference: one walk of the cache
 * per batch, not per buffer. Returns how many. */
static unsigned int collect_dirty(struct bcache *c, struct buffer_head **out)
{
	struct buffer_head *bh;
	unsigned int n = 0;

	spin_lock(&c->lock);
	list_for_each_entry(bh, &c->lru, b_lru) {
		if (!(READ_ONCE(bh->b_state) & BH_Dirty))
			continue;
		bh->b_count++;
		out[n++] = bh;
		if (n == SYNC_BATCH)
			break;
	}
	spin_unlock(&c->lock);
	return n;
}

int sync_blockdev(struct super_block *sb)
{
	struct bcache *c = sb_bcache(sb);
	struct buffer_head *batch[SYNC_BATCH];
	unsigned int n, i;
	int err = 0;
	struct bio flush = { .bdev = sb->s_bdev, .op = REQ_OP_FLUSH };

	while (!err && (n = collect_dirty(c, batch))) {
		for (i = 0; i < n; i++) {	/* stop at the first error: it stays dirty */
			if (!err)
				err = sync_dirty_buffer(batch[i]);
			brelse(batch[i]);
		}
	}
	if (submit_bio_wait(&flush) && !err)
		err = -EIO;
	return err;
}
