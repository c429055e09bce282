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

/* The current process's cwd with a reference (dput); the root for kernel threads. */
struct dentry *current_cwd(void);

/* A path from user space in a kernel buffer of PATH_MAX bytes (putname frees it).
 * -EFAULT or -ENAMETOOLONG in *err when NULL. */
char *getname(const char __user *upath, int *err);
void putname(char *name);
/* The dentry a user path names, from the caller's root and cwd (a reference in
 * *out), or the error of getname/path_lookupat. Sleeps: yes. */
int user_path(const char __user *upath, struct dentry **out);

/* inode.c */
void inode_init(struct inode *inode, struct super_block *sb, umode_t mode);
extern struct super_block anon_sb;	/* pipes, test inodes */

/* dcache.c */
struct dentry *dget_locked(struct dentry *dentry);
int d_splice_dir(struct dentry *dentry, struct inode *inode);
bool d_is_ancestor(struct dentry *d, struct dentry *anc);
int d_move(struct dentry *dentry, struct dentry *newdir, const char *name, size_t len,
	   struct dentry *target);

/* super.c */
int mount_sb(struct super_block *sb, const char *path);
struct dentry *follow_mount(struct dentry *dentry);
struct dentry *follow_dotdot(struct dentry *dentry, struct dentry *root);
int sync_filesystem(struct super_block *sb, bool wait);

/* namei.c, dirops.c */
struct dentry *lookup_one_locked(struct dentry *dir, const char *name, size_t len,
				 bool want_negative);
int path_parentat(struct dentry *root, struct dentry *cwd, const char *path,
		  struct dentry **parent, const char **last, size_t *len, bool *trailing);
int vfs_create_locked(struct dentry *dir, const char *name, size_t len, umode_t mode,
		      struct dentry **out);

/* readdir.c: the directory ->iterate of ramfs (its dcache is the tree). */
int dcache_readdir(struct file *file, struct dir_context *ctx);

/* tty.c: the driver of a character device number, NULL if there is none. */
const struct file_operations *chrdev_fops(dev_t rdev);

static inline bool is_dot(const char *s, size_t n)
{
	return n == 1 && s[0] == '.';
}

static inline bool is_dotdot(const char *s, size_t n)
{
	return n == 2 && s[0] == '.' && s[1] == '.';
}

static inline unsigned int dt_type(umode_t mode)
{
	return (mode & S_IFMT) >> 12;	/* DT_* are the S_IF* type bits shifted down */
}

#endif
