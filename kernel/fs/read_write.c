/*
 * read_write.c - read, write and lseek: the system calls, the VFS layer that
 * checks the file's mode and serializes its position, and the regular files
 * of the initramfs (read through the page cache, kernel/mm/filemap.c).
 */
#include "internal.h"
#include <string.h>

size_t copy_to_iter(const void *src, size_t n, struct iov_iter *i)
{
	n = MIN(n, i->count);
	if (i->user) {
		if (copy_to_user(i->base, src, n))
			return 0;
	} else {
		memcpy(i->base, src, n);
	}
	i->base += n;
	i->count -= n;
	return n;
}

size_t copy_from_iter(void *dst, size_t n, struct iov_iter *i)
{
	n = MIN(n, i->count);
	if (i->user) {
		if (copy_from_user(dst, i->base, n))
			return 0;
	} else {
		memcpy(dst, i->base, n);
	}
	i->base += n;
	i->count -= n;
	return n;
}

/* Run op at f_pos; files with a position serialize on f_pos_lock (Sleeps: yes). */
static ssize_t rw_at_fpos(struct file *file, struct iov_iter *iter, bool write)
{
	ssize_t (*op)(struct file *, struct iov_iter *, loff_t *) =
		write ? file->f_op->write : file->f_op->read;
	loff_t pos;
	ssize_t ret;

	if (!(file->f_mode & FMODE_LSEEK))
		return op(file, iter, &file->f_pos);	/* pipes, tty: no position */
	mutex_lock(&file->f_pos_lock);
	pos = file->f_pos;
	ret = op(file, iter, &pos);
	file->f_pos = pos;
	mutex_unlock(&file->f_pos_lock);
	return ret;
}

/* The checks read(2) and pread(2) share: > 0 go on, else the answer. */
static ssize_t rw_verify(struct file *file, struct iov_iter *iter, bool write)
{
	if (!(file->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		return -EBADF;
	if (!(write ? file->f_op->write : file->f_op->read))
		return !write && S_ISDIR(file->f_inode->i_mode) ? -EISDIR : -EINVAL;
	if (iter->count > MAX_RW_COUNT)
		iter->count = MAX_RW_COUNT;
	return iter->count ? 1 : 0;
}

ssize_t vfs_read(struct file *file, struct iov_iter *to)
{
	ssize_t ret = rw_verify(file, to, false);

	return ret > 0 ? rw_at_fpos(file, to, false) : ret;
}

ssize_t vfs_write(struct file *file, struct iov_iter *from)
{
	ssize_t ret = rw_verify(file, from, true);

	return ret > 0 ? rw_at_fpos(file, from, true) : ret;
}

/* pread/pwrite: at pos, f_pos untouched (no f_pos_lock); -ESPIPE without a position.
 * As on Linux, pwrite to an O_APPEND file appends (the file system moves pos). */
static ssize_t vfs_rw_at(struct file *file, struct iov_iter *iter, loff_t pos, bool write)
{
	ssize_t ret = rw_verify(file, iter, write);

	if (ret <= 0)
		return ret;
	if (!(file->f_mode & FMODE_LSEEK))
		return -ESPIPE;
	if (pos < 0)
		return -EINVAL;
	return (write ? file->f_op->write : file->f_op->read)(file, iter, &pos);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!file->f_op->read)
		return -EINVAL;
	iov_iter_init(&iter, false, buf, MIN(count, MAX_RW_COUNT));
	return file->f_op->read(file, &iter, pos);
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t ret;

	if (!file->f_op->llseek)
		return -ESPIPE;
	mutex_lock(&file->f_pos_lock);
	ret = file->f_op->llseek(file, offset, whence);
	mutex_unlock(&file->f_pos_lock);
	return ret;
}

/* Locks: f_pos_lock (vfs_llseek). Directories seek by entry index. */
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	loff_t base;

	mutex_assert_held(&file->f_pos_lock);
	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = file->f_pos; break;
	case SEEK_END: base = file->f_inode->i_size; break;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > INT64_MAX - offset) || base + offset < 0)
		return -EINVAL;
	file->f_pos = base + offset;
	return file->f_pos;
}

/* Regular files of the initramfs read through the page cache (ramfs_aops). */
const struct file_operations ramfs_file_operations = {
	.read = filemap_read,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
};

const struct file_operations ramfs_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate = dcache_readdir,
};

static long rw_user(unsigned int fd, char __user *buf, size_t count, bool write)
{
	struct file *file = fget(fd);
	struct iov_iter iter;
	ssize_t ret;

	if (!file)
		return -EBADF;
	iov_iter_init(&iter, true, buf, count);
	ret = write ? vfs_write(file, &iter) : vfs_read(file, &iter);
	fput(file);
	return ret;
}

long sys_read(unsigned int fd, char __user *buf, size_t count)
{
	return rw_user(fd, buf, count, false);
}

long sys_write(unsigned int fd, const char __user *buf, size_t count)
{
	return rw_user(fd, (char __user *)buf, count, true);
}

static long prw_user(unsigned int fd, char __user *buf, size_t count, long pos, bool write)
{
	struct file *file = fget(fd);
	struct iov_iter iter;
	ssize_t ret;

	if (!file)
		return -EBADF;
	iov_iter_init(&iter, true, buf, count);
	ret = vfs_rw_at(file, &iter, pos, write);
	fput(file);
	return ret;
}

long sys_pread64(unsigned int fd, char __user *buf, size_t count, long pos)
{
	return prw_user(fd, buf, count, pos, false);
}

long sys_pwrite64(unsigned int fd, const char __user *buf, size_t count, long pos)
{
	return prw_user(fd, (char __user *)buf, count, pos, true);
}

long sys_lseek(unsigned int fd, long offset, unsigned int whence)
{
	struct file *file = fget(fd);
	loff_t ret;

	if (!file)
		return -EBADF;
	ret = vfs_llseek(file, offset, (int)whence);
	fput(file);
	return ret;
}
