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
 * Walk the entries of dir; fn(de, bh, off, prev_off, arg) returns >0 to stop
 * with success, <0 to stop with that error, 0 to go on. Returns 0 when the
 * walk ended without a stop, 1 when fn stopped it, or -errno.
 */
typedef int (*dirent_fn)(struct inode *dir, struct ext2_dir_entry *de, struct buffer_head *bh,
			 unsigned int off, int prev, void *arg);

static int dir_walk(struct inode *dir, dirent_fn fn, void *arg)
{
	int err = 0;

	for (unsigned long n = 0; n < dir_blocks(dir); n++) {
		struct buffer_head *bh = dir_bread(dir, n, &err);
		int prev = -1, ret = 0;

		if (!bh)
			return err;
		for (unsigned int off = 0; off < bh->b_size && !ret;) {
			struct ext2_dir_entry *de = dirent_at(dir, bh, off);

			if (!de) {
				ret = -EIO;
				break;
			}
			ret = fn(dir, de, bh, off, prev, arg);
			prev = (int)off;
			off += de->rec_len;
		}
		brelse(bh);
		if (ret)
			return ret;
	}
	return 0;
}

struct find_arg {
	const char *name;
	size_t len;
	uint32_t ino;
};

static int find_fn(struct inode *dir, struct ext2_dir_entry *de, struct buffer_head *bh,
		   unsigned int off, int prev, void *arg)
{
	struct find_arg *a = arg;

	if (de->inode && de->name_len == a->len && !memcmp(de->name, a->name, a->len)) {
		a->ino = de->inode;
		return 1;
	}
	return 0;
}

int ext2_find_entry(struct inode *dir, const char *name, size_t len, uint32_t *ino)
{
	struct find_arg a = { name, len, 0 };
	int ret = dir_walk(dir, find_fn, &a);

	if (ret < 0)
		return ret;
	*ino = a.ino;
	return ret ? 0 : -ENOENT;
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

struct add_arg {
	const char *name;
	size_t len;
	struct inode *inode;
};

static int add_fn(struct inode *dir, struct ext2_dir_entry *de, struct buffer_head *bh,
		  unsigned int off, int prev, void *arg)
{
	struct add_arg *a = arg;
	unsigned int need = EXT2_DIR_REC_LEN(a->len);
	unsigned int used = de->inode ? EXT2_DIR_REC_LEN(de->name_len) : 0;

	if (de->inode && de->name_len == a->len && !memcmp(de->name, a->name, a->len))
		return -EEXIST;
	if (de->rec_len - used < need)
		return 0;
	if (used) {		/* split: the new entry takes the space after this one */
		struct ext2_dir_entry *nde = (struct ext2_dir_entry *)((char *)de + used);

		nde->rec_len = (uint16_t)(de->rec_len - used);
		de->rec_len = (uint16_t)used;
		de = nde;
	}
	fill_entry(dir, de, a->name, a->len, a->inode);
	mark_buffer_dirty(bh);
	return 1;
}

/* Add a new block to dir holding one entry for inode. */
static int add_block(struct inode *dir, struct add_arg *a)
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
	fill_entry(dir, de, a->name, a->len, a->inode);
	mark_buffer_dirty(bh);
	brelse(bh);
	dir->i_size += (loff_t)dir->i_sb->s_blocksize;
	return 0;
}

int ext2_add_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct add_arg a = { name, len, inode };
	int ret = dir_walk(dir, add_fn, &a);

	if (ret == 0)
		ret = add_block(dir, &a);
	if (ret < 0)
		return ret;
	dir_changed(dir);
	return 0;
}

static int delete_fn(struct inode *dir, struct ext2_dir_entry *de, struct buffer_head *bh,
		     unsigned int off, int prev, void *arg)
{
	struct find_arg *a = arg;

	if (!de->inode || de->name_len != a->len || memcmp(de->name, a->name, a->len))
		return 0;
	if (prev >= 0) {
		struct ext2_dir_entry *pde = (struct ext2_dir_entry *)(bh->b_data + prev);

		pde->rec_len = (uint16_t)(pde->rec_len + de->rec_len);
	} else {
		de->inode = 0;
	}
	mark_buffer_dirty(bh);
	return 1;
}

int ext2_delete_entry(struct inode *dir, const char *name, size_t len)
{
	struct find_arg a = { name, len, 0 };
	int ret = dir_walk(dir, delete_fn, &a);

	if (ret < 0)
		return ret;
	if (!ret)
		return -ENOENT;
	dir_changed(dir);
	return 0;
}

static int set_fn(struct inode *dir, struct ext2_dir_entry *de, struct buffer_head *bh,
		  unsigned int off, int prev, void *arg)
{
	struct add_arg *a = arg;

	if (!de->inode || de->name_len != a->len || memcmp(de->name, a->name, a->len))
		return 0;
	fill_entry(dir, de, a->name, a->len, a->inode);
	mark_buffer_dirty(bh);
	return 1;
}

/* Point the existing entry name at inode (rename over a file; "..") */
int ext2_set_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct add_arg a = { name, len, inode };
	int ret = dir_walk(dir, set_fn, &a);

	if (ret < 0)
		return ret;
	if (!ret)
		return -ENOENT;
	dir_changed(dir);
	return 0;
}

static int empty_fn(struct inode *dir, struct ext2_dir_entry *de, struct buffer_head *bh,
		    unsigned int off, int prev, void *arg)
{
	if (!de->inode)
		return 0;
	if ((de->name_len == 1 && de->name[0] == '.') ||
	    (de->name_len == 2 && de->name[0] == '.' && de->name[1] == '.'))
		return 0;
	return 1;
}

/* 1 if dir has only "." and "..", 0 if not, -errno. */
int ext2_empty_dir(struct inode *dir)
{
	int ret = dir_walk(dir, empty_fn, NULL);

	return ret < 0 ? ret : !ret;
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

static int ext2_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	unsigned int bs = (unsigned int)dir->i_sb->s_blocksize;
	int err = 0;

	down_read(&dir->i_rwsem);
	while (ctx->pos < dir->i_size) {
		unsigned long n = (unsigned long)(ctx->pos / bs);
		unsigned int off = 0, want = (unsigned int)(ctx->pos % bs);
		struct buffer_head *bh = dir_bread(dir, n, &err);
		bool stop = false;

		if (!bh)
			break;
		while (off < bs) {	/* from the block start: a position may be stale */
			struct ext2_dir_entry *de = dirent_at(dir, bh, off);

			if (!de) {
				err = -EIO;
				stop = true;
				break;
			}
			if (off >= want && de->inode) {
				unsigned int type = de->file_type < 8 ? (unsigned int[]){ DT_UNKNOWN,
					DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK,
					DT_LNK }[de->file_type] : DT_UNKNOWN;

				if (!dir_emit(ctx, de->name, de->name_len, de->inode, type)) {
					stop = true;
					break;
				}
			}
			off += de->rec_len;
			if (off > want)
				ctx->pos = (loff_t)n * bs + off;
		}
		brelse(bh);
		if (stop)
			break;
	}
	up_read(&dir->i_rwsem);
	return ctx->written ? 0 : err;
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
