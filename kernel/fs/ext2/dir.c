/*
 * ext2/dir.c - directories: blocks of variable-length entries (inode,
 * rec_len, name_len, file_type, name), each block covered exactly by its
 * entries. Every entry is checked before it is used (rec_len a multiple of
 * 4, at least its name, inside the block; the inode number in range). A
 * removed entry is merged into the one before it (or, first in its block,
 * keeps its length with inode 0).
 *
 * Locks: the directory's i_rwsem (the VFS takes it for writing around every
 * change and lookup; getdents holds it for reading).
 */
#include "ext2.h"
#include <string.h>
#include <uapi/faultline/dirent.h>

static unsigned long dir_blocks(struct inode *dir)
{
	return (unsigned long)(dir->i_size >> dir->i_sb->s_blocksize_bits);
}

/* The entry at off of a directory block, or NULL (with a message) if damaged. */
static struct ext2_dir_entry *dirent_at(struct inode *dir, struct buffer_head *bh,
					unsigned int off)
{
	struct ext2_dir_entry *de = (struct ext2_dir_entry *)(bh->b_data + off);
	unsigned int bs = bh->b_size;

	if (off + 8 > bs || de->rec_len < 8 || (de->rec_len & 3) || off + de->rec_len > bs ||
	    de->rec_len < EXT2_DIR_REC_LEN(de->name_len) ||
	    de->inode > EXT2_SB(dir->i_sb)->s_inodes_count) {
		ext2_error(dir->i_sb, __func__, "directory %lu: bad entry at byte %u of block %llu",
			   dir->i_ino, off, (unsigned long long)bh->b_blocknr);
		return NULL;
	}
	return de;
}

/* Block n of dir, read (NULL for a hole in a directory: damaged). */
static struct buffer_head *dir_bread(struct inode *dir, unsigned long n, int *err)
{
	uint32_t block;
	struct buffer_head *bh;

	*err = ext2_get_block(dir, n, false, &block);
	if (*err)
		return NULL;
	if (!block) {
		ext2_error(dir->i_sb, __func__, "directory %lu has a hole at block %lu", dir->i_ino, n);
		*err = -EIO;
		return NULL;
	}
	bh = sb_bread(dir->i_sb, block);
	if (!bh)
		*err = -EIO;
	return bh;
}

/*
 * The one walk over a directory's entries, block by block, every entry
 * checked (dirent_at) before it is handed out:
 *
 *   struct dir_iter it;
 *   dir_iter_start(&it, dir, first_block);
 *   while (dir_next(&it)) { ... it.de, it.bh, it.off, it.prev ... }
 *   dir_iter_end(&it);            it.err: 0 at the end, or -EIO
 *
 * A caller that stops early keeps it.bh (the entry's block) until dir_iter_end.
 */
struct dir_iter {
	struct inode *dir;
	unsigned long n;		/* the block being walked */
	struct buffer_head *bh;		/* block n, or NULL before it is read */
	unsigned int off;		/* it.de's byte offset in the block */
	int prev;			/* the entry before it in the block, or -1 */
	struct ext2_dir_entry *de;	/* the current entry */
	int err;
};

static void dir_iter_start(struct dir_iter *it, struct inode *dir, unsigned long first)
{
	*it = (struct dir_iter){ .dir = dir, .n = first, .prev = -1 };
}

static void dir_iter_end(struct dir_iter *it)
{
	brelse(it->bh);
	it->bh = NULL;
}

/* The next entry (true), or false at the end of the directory or on an error. */
static bool dir_next(struct dir_iter *it)
{
	if (it->bh && it->de) {			/* step over the current entry */
		it->prev = (int)it->off;
		it->off += it->de->rec_len;
	}
	if (it->bh && it->off >= it->bh->b_size) {	/* on to the next block */
		dir_iter_end(it);
		it->n++;
	}
	if (!it->bh) {
		if (it->n >= dir_blocks(it->dir))
			return false;
		it->bh = dir_bread(it->dir, it->n, &it->err);
		if (!it->bh)
			return false;
		it->off = 0;
		it->prev = -1;
	}
	it->de = dirent_at(it->dir, it->bh, it->off);
	if (!it->de)
		it->err = -EIO;
	return it->de != NULL;
}

static bool de_named(const struct ext2_dir_entry *de, const char *name, size_t len)
{
	return de->inode && de->name_len == len && !memcmp(de->name, name, len);
}

/* Walk to the live entry called name: 0 with it at the entry (dir_iter_end it),
 * -ENOENT or -EIO (nothing held). */
static int find_named(struct inode *dir, const char *name, size_t len, struct dir_iter *it)
{
	dir_iter_start(it, dir, 0);
	while (dir_next(it))
		if (de_named(it->de, name, len))
			return 0;
	dir_iter_end(it);
	return it->err ? it->err : -ENOENT;
}

int ext2_find_entry(struct inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct dir_iter it;
	int err = find_named(dir, name, len, &it);

	if (err)
		return err;
	*ino = it.de->inode;
	dir_iter_end(&it);
	return 0;
}

static uint8_t ext2_file_type(umode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return EXT2_FT_REG_FILE;
	case S_IFDIR: return EXT2_FT_DIR;
	case S_IFCHR: return EXT2_FT_CHRDEV;
	case S_IFBLK: return EXT2_FT_BLKDEV;
	case S_IFIFO: return EXT2_FT_FIFO;
	case S_IFSOCK: return EXT2_FT_SOCK;
	case S_IFLNK: return EXT2_FT_SYMLINK;
	}
	return EXT2_FT_UNKNOWN;
}

static void fill_entry(struct inode *dir, struct ext2_dir_entry *de, const char *name, size_t len,
		       struct inode *inode)
{
	de->inode = (uint32_t)inode->i_ino;
	de->name_len = (uint8_t)len;
	de->file_type = EXT2_SB(dir->i_sb)->s_filetype ? ext2_file_type(inode->i_mode) : 0;
	memcpy(de->name, name, len);
}

/* A directory changed: times, and an htree index is no longer right. */
static void dir_changed(struct inode *dir)
{
	dir->i_mtime = dir->i_ctime = current_time(dir);
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;
	mark_inode_dirty(dir);
}

/* Put the entry for name into de's free space (splitting a live de). */
static void add_into(struct inode *dir, struct ext2_dir_entry *de, const char *name, size_t len,
		     struct inode *inode)
{
	unsigned int used = de->inode ? EXT2_DIR_REC_LEN(de->name_len) : 0;

	if (used) {		/* split: the new entry takes the space after this one */
		struct ext2_dir_entry *nde = (struct ext2_dir_entry *)((char *)de + used);

		nde->rec_len = (uint16_t)(de->rec_len - used);
		de->rec_len = (uint16_t)used;
		de = nde;
	}
	fill_entry(dir, de, name, len, inode);
}

/* Does de have room for an entry of len name bytes? */
static bool de_has_room(const struct ext2_dir_entry *de, size_t len)
{
	unsigned int used = de->inode ? EXT2_DIR_REC_LEN(de->name_len) : 0;

	return de->rec_len - used >= EXT2_DIR_REC_LEN(len);
}

/* Add a new block to dir holding one entry for inode. */
static int add_block(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	unsigned long n = dir_blocks(dir);
	struct ext2_dir_entry *de;
	struct buffer_head *bh;
	uint32_t block;
	int err = ext2_get_block(dir, n, true, &block);

	if (err)
		return err;
	bh = sb_bread(dir->i_sb, block);
	if (!bh)
		return -EIO;
	de = (struct ext2_dir_entry *)bh->b_data;
	de->rec_len = (uint16_t)bh->b_size;
	fill_entry(dir, de, name, len, inode);
	mark_buffer_dirty(bh);
	brelse(bh);
	dir->i_size += (loff_t)dir->i_sb->s_blocksize;
	return 0;
}

int ext2_add_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct dir_iter it;
	bool placed = false;
	int err = 0;

	dir_iter_start(&it, dir, 0);
	while (!err && !placed && dir_next(&it)) {
		if (de_named(it.de, name, len)) {
			err = -EEXIST;
		} else if (de_has_room(it.de, len)) {
			add_into(dir, it.de, name, len, inode);
			mark_buffer_dirty(it.bh);
			placed = true;
		}
	}
	dir_iter_end(&it);
	err = err ? err : it.err;
	if (!err && !placed)
		err = add_block(dir, name, len, inode);	/* no room anywhere: a new block */
	if (err)
		return err;
	dir_changed(dir);
	return 0;
}

int ext2_delete_entry(struct inode *dir, const char *name, size_t len)
{
	struct dir_iter it;
	int err = find_named(dir, name, len, &it);

	if (err)
		return err;
	if (it.prev >= 0) {	/* merged into the entry before it */
		struct ext2_dir_entry *pde = (struct ext2_dir_entry *)(it.bh->b_data + it.prev);

		pde->rec_len = (uint16_t)(pde->rec_len + it.de->rec_len);
	} else {		/* first in its block: keeps its length, inode 0 */
		it.de->inode = 0;
	}
	mark_buffer_dirty(it.bh);
	dir_iter_end(&it);
	dir_changed(dir);
	return 0;
}

/* Point the existing entry name at inode (rename over a file; "..") */
int ext2_set_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct dir_iter it;
	int err = find_named(dir, name, len, &it);

	if (err)
		return err;
	fill_entry(dir, it.de, name, len, inode);
	mark_buffer_dirty(it.bh);
	dir_iter_end(&it);
	dir_changed(dir);
	return 0;
}

/* 1 if dir has only "." and "..", 0 if not, -errno. */
int ext2_empty_dir(struct inode *dir)
{
	struct dir_iter it;
	int empty = 1;

	dir_iter_start(&it, dir, 0);
	while (empty && dir_next(&it))
		if (it.de->inode && !(it.de->name_len == 1 && it.de->name[0] == '.') &&
		    !(it.de->name_len == 2 && it.de->name[0] == '.' && it.de->name[1] == '.'))
			empty = 0;
	dir_iter_end(&it);
	return it.err ? it.err : empty;
}

/* The first block of a new directory: "." and "..". */
int ext2_make_empty(struct inode *inode, struct inode *parent)
{
	struct ext2_dir_entry *de;
	struct buffer_head *bh;
	uint32_t block;
	int err = ext2_get_block(inode, 0, true, &block);

	if (err)
		return err;
	bh = sb_bread(inode->i_sb, block);
	if (!bh)
		return -EIO;
	de = (struct ext2_dir_entry *)bh->b_data;
	fill_entry(inode, de, ".", 1, inode);
	de->rec_len = EXT2_DIR_REC_LEN(1);
	de = (struct ext2_dir_entry *)(bh->b_data + EXT2_DIR_REC_LEN(1));
	fill_entry(inode, de, "..", 2, parent);
	de->rec_len = (uint16_t)(bh->b_size - EXT2_DIR_REC_LEN(1));
	mark_buffer_dirty(bh);
	brelse(bh);
	inode->i_size = (loff_t)inode->i_sb->s_blocksize;
	mark_inode_dirty(inode);
	return 0;
}

/* ---- getdents: the position is the byte offset of the next entry ----------------- */

static unsigned int dt_of(const struct ext2_dir_entry *de)
{
	static const unsigned int types[] = { DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK,
					      DT_FIFO, DT_SOCK, DT_LNK };

	return de->file_type < 8 ? types[de->file_type] : DT_UNKNOWN;
}

static int ext2_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	unsigned int bs = (unsigned int)dir->i_sb->s_blocksize;
	struct dir_iter it;

	down_read(&dir->i_rwsem);
	/* from the start of the position's block: a position may be stale */
	dir_iter_start(&it, dir, (unsigned long)(ctx->pos / bs));
	while (ctx->pos < dir->i_size && dir_next(&it)) {
		loff_t here = (loff_t)it.n * bs + it.off;

		if (here < ctx->pos)
			continue;
		if (it.de->inode && !dir_emit(ctx, it.de->name, it.de->name_len, it.de->inode,
					      dt_of(it.de)))
			break;
		ctx->pos = here + it.de->rec_len;
	}
	dir_iter_end(&it);
	up_read(&dir->i_rwsem);
	return ctx->written ? 0 : it.err;
}

static int ext2_dir_fsync(struct file *file)
{
	int err = write_inode_now(file->f_inode, true);

	return sync_blockdev(file->f_inode->i_sb) ?: err;
}

const struct file_operations ext2_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = ext2_readdir,
	.fsync = ext2_dir_fsync,
};
