/*
 * proc_fs.h - procfs: kernel state as text files under /proc (kernel/fs/proc/).
 *
 * A proc file is generated whole when it is opened (Linux's single_open):
 * ->show writes into a struct seq_file with seq_printf & co; reads then copy
 * from that snapshot, so one open sees one consistent text however small the
 * reads are. ->write gets what one write(2) passed (at most PROC_WRITE_MAX
 * bytes, NUL-terminated, a trailing newline removed) and returns the count
 * consumed or -errno.
 *
 * Files are created at boot (proc_root_init, before the first process runs,
 * while the inode tree may still change); /proc/<pid> directories are made on
 * lookup. docs/files.md lists the files.
 */
#ifndef FAULTLINE_PROC_FS_H
#define FAULTLINE_PROC_FS_H

#include <types.h>
#include <fs.h>

#define PROC_WRITE_MAX	256

/* The text being generated (Linux's seq_file, the part single_open uses). */
struct seq_file {
	char *buf;		/* kmalloc'ed, size bytes */
	size_t size;
	size_t count;		/* bytes written so far */
	size_t pad_until;	/* seq_setwidth: the column seq_pad pads to */
	bool overflow;		/* buf too small: the file is generated again, bigger */
	void *private;		/* the proc entry's data */
};

void seq_printf(struct seq_file *m, const char *fmt, ...) __printf(2, 3);
void seq_puts(struct seq_file *m, const char *s);
void seq_putc(struct seq_file *m, char c);
void seq_setwidth(struct seq_file *m, size_t width);	/* from the current position */
void seq_pad(struct seq_file *m, char c);	/* spaces to the width, then c (if not 0) */

struct proc_ops {
	int (*show)(struct seq_file *m, void *data);			/* 0 or -errno */
	ssize_t (*write)(const char *buf, size_t count, void *data);	/* NULL: read-only */
};

/* Make /proc/PATH (its parent directory must exist, e.g. "sys/vm/x" after
 * proc_mkdir("sys/vm")). mode: 0444 or 0644. Boot time only. NULL if out of memory. */
struct inode *proc_create(const char *path, umode_t mode, const struct proc_ops *ops, void *data);
struct inode *proc_mkdir(const char *path);

/* Mount /proc: create its directory in the boot tree and every file. Call once,
 * after initramfs_init and before the first process. */
void proc_root_init(void);

#endif
