/*
 * harness.h - tests/host/ext2: the kernel's VFS and ext2 driven from plain C
 * (harness.c is built like kernel code; the tests and the fuzz target are
 * built against libc and see only this). Paths are absolute paths on the
 * mounted image; results are the kernel's: 0, a count, or -errno.
 */
#ifndef HOST_EXT2_HARNESS_H
#define HOST_EXT2_HARNESS_H

#include <stddef.h>
#include <stdbool.h>

struct h_stat {
	unsigned long ino;
	unsigned int mode;		/* S_IF* | permissions */
	unsigned int nlink;
	long long size;
	unsigned long long blocks;	/* 512-byte units */
};

void h_boot(void);			/* once per process: CPU, page allocator, block layer */
/* Mount img (len bytes; it is the disk: writes land in it) as the root. */
int h_mount(void *img, size_t len, bool rdonly);
int h_umount(void);			/* write back and free everything; -EBUSY */
int h_stat(const char *path, struct h_stat *st);
long h_read(const char *path, long long off, void *buf, size_t len);
long h_write(const char *path, long long off, const void *buf, size_t len, bool create);
/* fn for each entry but "." and ".." (returns nonzero to stop); 0 or -errno */
int h_readdir(const char *path, int (*fn)(void *arg, const char *name, unsigned long ino,
					   unsigned int type), void *arg);
int h_mkdir(const char *path);
int h_rmdir(const char *path);
int h_unlink(const char *path);
int h_rename(const char *from, const char *to);
int h_truncate(const char *path, long long len);
int h_fsync(const char *path);
/* Leak checks: free pages of the allocator, live kmalloc objects. */
unsigned long h_free_pages(void);
long h_kmalloc_live(void);
/* The kernel log since the last h_log_clear (printk lines). */
const char *h_log(void);
void h_log_clear(void);
extern int h_verbose;			/* print the kernel log as it comes */

#endif
