/*
 * readdir.c - getdents64: directory entries as struct linux_dirent64
 * records, 8-byte aligned, "." and ".." first, then the entries in archive
 * order. The file position is the index of the next entry.
 */
#include "internal.h"
#include <string.h>
#include <uapi/faultline/dirent.h>

#define DIRENT_MAX	ALIGN_UP(offsetof(struct linux_dirent64, d_name) + NAME_MAX + 1, 8)

bool dir_emit(struct dir_context *ctx, const char *name, size_t len, unsigned long ino,
	      unsigned int type)
{
	union {
		struct linux_dirent64 d;
		char bytes[DIRENT_MAX];
	} rec;
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);

	BUG_ON(len > NAME_MAX);
	if (reclen > ctx->iter->count) {
		if (!ctx->written)
			ctx->error = -EINVAL;	/* the buffer cannot hold even one record */
		return false;
	}
	memset(&rec, 0, reclen);
	rec.d.d_ino = ino;
	rec.d.d_off = ctx->pos + 1;
	rec.d.d_reclen = (uint16_t)reclen;
	rec.d.d_type = (uint8_t)type;
	memcpy(rec.d.d_name, name, len);
	if (!copy_to_iter(&rec, reclen, ctx->iter)) {
		ctx->error = -EFAULT;
		return false;
	}
	ctx->written += reclen;
	return true;
}

/* Locks: f_pos_lock (the caller's). ramfs only: its tree never changes once
 * built, so the children are walked without dcache_lock (dir_emit may fault). */
int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct dentry *dentry = file->f_dentry, *child;
	struct inode *dir = file->f_inode;
	loff_t i = 2;

	mutex_assert_held(&file->f_pos_lock);
	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, dentry->d_parent->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos++;
	}
	list_for_each_entry(child, &dentry->d_subdirs, d_child) {
		if (i++ < ctx->pos)
			continue;
		if (!dir_emit(ctx, child->d_name, child->d_len, child->d_inode->i_ino,
			      dt_type(child->d_inode->i_mode)))
			return 0;
		ctx->pos++;
	}
	return 0;
}

int vfs_getdents64(struct file *file, struct iov_iter *to)
{
	struct dir_context ctx = { .iter = to };
	int err;

	if (!S_ISDIR(file->f_inode->i_mode) || !file->f_op->iterate)
		return -ENOTDIR;
	mutex_lock(&file->f_pos_lock);
	ctx.pos = file->f_pos;
	err = file->f_op->iterate(file, &ctx);
	file->f_pos = ctx.pos;
	mutex_unlock(&file->f_pos_lock);
	if (ctx.written)
		return (int)ctx.written;
	return err ? err : ctx.error;
}

long sys_getdents64(unsigned int fd, void __user *dirent, unsigned int count)
{
	struct file *file = fget(fd);
	struct iov_iter iter;
	long ret;

	if (!file)
		return -EBADF;
	iov_iter_init(&iter, true, dirent, count);
	ret = vfs_getdents64(file, &iter);
	fput(file);
	return ret;
}
