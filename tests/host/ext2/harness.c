/*
 * harness.c - tests/host/ext2's kernel side: a RAM block device over a
 * memory buffer ("hostdisk"), and the calls of harness.h done with the
 * kernel's own system-call and VFS functions (sys_mkdir, vfs_open,
 * vfs_read, vfs_getdents64, ...), the way a process would reach them.
 *
 * The device is registered once (the block layer never removes devices);
 * each h_mount points it at a new buffer while nothing is mounted.
 */
#include <blkdev.h>
#include <buffer_head.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>
#include <uapi/faultline/dirent.h>
#include "../../../kernel/fs/internal.h"
#include "harness.h"
#include "host.h"

/* Locking legend: [H] the harness's one thread, while nothing is mounted */
static struct block_device hostdisk;
static uint8_t *disk_bytes;		/* [H] the image being mounted */

static void hostdisk_submit(struct block_device *bdev, struct bio *bio)
{
	uint64_t pos = bio->sector << SECTOR_SHIFT;
	unsigned long f;

	if (bio->op == REQ_OP_READ)
		memcpy((char *)page_address(bio->page) + bio->offset, disk_bytes + pos, bio->len);
	else if (bio->op == REQ_OP_WRITE)
		memcpy(disk_bytes + pos, (char *)page_address(bio->page) + bio->offset, bio->len);
	f = arch_irq_save();		/* as a completion interrupt would */
	bio_endio(bio, 0);
	arch_irq_restore(f);
}

static const struct block_device_operations hostdisk_ops = {
	.submit_bio = hostdisk_submit,
};

void h_boot(void)
{
	host_kernel_boot();
	ext2_init();
	strlcpy(hostdisk.name, "hostdisk", sizeof(hostdisk.name));
	hostdisk.ops = &hostdisk_ops;
	if (blk_register(&hostdisk))
		panic("h_boot: cannot register hostdisk");
}

int h_mount(void *img, size_t len, bool rdonly)
{
	disk_bytes = img;
	hostdisk.nr_sectors = len >> SECTOR_SHIFT;	/* a partial last sector is not there */
	return do_mount("hostdisk", NULL, "ext2", rdonly ? SB_RDONLY : 0);
}

int h_umount(void)
{
	struct dentry *root = vfs_root();
	struct super_block *sb = root->d_sb;

	dput(root);
	return do_umount(sb);
}

int h_stat(const char *path, struct h_stat *hs)
{
	struct stat st;
	long err = sys_stat(path, &st);

	if (err)
		return (int)err;
	hs->ino = st.st_ino;
	hs->mode = st.st_mode;
	hs->nlink = (unsigned int)st.st_nlink;
	hs->size = st.st_size;
	hs->blocks = st.st_blocks;
	return 0;
}

/* Open path, seek to off, and move len bytes with vfs_read or vfs_write. */
static long h_rw(const char *path, int flags, long long off, void *buf, size_t len)
{
	struct iov_iter it;
	struct file *f;
	long ret = vfs_open(path, flags, 0644, &f);

	if (ret)
		return ret;
	ret = vfs_llseek(f, off, SEEK_SET);
	if (ret >= 0) {
		iov_iter_init(&it, false, buf, len);
		ret = (flags & O_ACCMODE) == O_RDONLY ? vfs_read(f, &it) : vfs_write(f, &it);
	}
	fput(f);
	return ret;
}

long h_read(const char *path, long long off, void *buf, size_t len)
{
	return h_rw(path, O_RDONLY, off, buf, len);
}

long h_write(const char *path, long long off, const void *buf, size_t len, bool create)
{
	return h_rw(path, O_WRONLY | (create ? O_CREAT : 0), off, (void *)buf, len);
}

/* Hand each record of a getdents64 buffer to fn; nonzero from fn stops. */
static int emit_records(char *buf, long n, int (*fn)(void *, const char *, unsigned long,
						     unsigned int), void *arg)
{
	for (long off = 0; off < n;) {
		struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

		off += d->d_reclen;
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
			continue;
		if (fn(arg, d->d_name, (unsigned long)d->d_ino, d->d_type))
			return 1;
	}
	return 0;
}

int h_readdir(const char *path, int (*fn)(void *, const char *, unsigned long, unsigned int),
	      void *arg)
{
	static char buf[4096];
	struct iov_iter it;
	struct file *f;
	int n = vfs_open(path, O_RDONLY | O_DIRECTORY, 0, &f);

	if (n)
		return n;
	do {
		iov_iter_init(&it, false, buf, sizeof(buf));
		n = vfs_getdents64(f, &it);
	} while (n > 0 && !emit_records(buf, n, fn, arg));
	fput(f);
	return n < 0 ? n : 0;
}

int h_mkdir(const char *path) { return (int)sys_mkdir(path, 0755); }
int h_rmdir(const char *path) { return (int)sys_rmdir(path); }
int h_unlink(const char *path) { return (int)sys_unlink(path); }
int h_rename(const char *from, const char *to) { return (int)sys_rename(from, to); }
int h_truncate(const char *path, long long len) { return (int)sys_truncate(path, (long)len); }

int h_fsync(const char *path)
{
	struct file *f;
	int err = vfs_open(path, O_RDONLY, 0, &f);

	if (err)
		return err;
	err = vfs_fsync(f);
	fput(f);
	return err;
}

unsigned long h_free_pages(void) { return nr_free_pages(); }
long h_kmalloc_live(void) { return host_kmalloc_live(); }
