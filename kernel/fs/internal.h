/*
 * internal.h - what the files of kernel/fs share among themselves, and the
 * one place where kernel/fs reaches into other subsystems' headers (task's
 * process and signals, vm's user copies and VMAs).
 */
#ifndef FAULTLINE_FS_INTERNAL_H
#define FAULTLINE_FS_INTERNAL_H

#include <fs.h>
#include <file.h>
#include <sched.h>
#include <task.h>
#include <signal.h>
#include <uaccess.h>
#include <mm_types.h>

/* The current process's cwd; the root for kernel threads and before the first chdir. */
struct inode *current_cwd(void);

/* A path from user space in a kernel buffer of PATH_MAX bytes (putname frees it).
 * -EFAULT or -ENAMETOOLONG in *err when NULL. */
char *getname(const char __user *upath, int *err);
void putname(char *name);

/* inode.c: a fresh inode (zeroed, new number, no name, its own parent). */
void inode_init(struct inode *inode, umode_t mode);

/* readdir.c: the directory ->iterate of the initramfs. */
int dcache_readdir(struct file *file, struct dir_context *ctx);

/* tty.c: the driver of a character device number, NULL if there is none. */
const struct file_operations *chrdev_fops(dev_t rdev);

static inline unsigned int dt_type(umode_t mode)
{
	return (mode & S_IFMT) >> 12;	/* DT_* are the S_IF* type bits shifted down */
}

#endif
