/*
 * internal.h - what the files of kernel/fs/proc share.
 */
#ifndef FAULTLINE_PROC_INTERNAL_H
#define FAULTLINE_PROC_INTERNAL_H

#include "../internal.h"
#include <proc_fs.h>

/* What a proc inode's i_private points to. [I] */
struct proc_dir_entry {
	const struct proc_ops *ops;
	void *data;
};

extern const struct file_operations proc_reg_fops;	/* generated files */
extern const struct inode_operations proc_root_iops;	/* /proc: <pid>, self */
extern const struct file_operations proc_root_fops;	/* /proc: statics, then pids */

/* The root dentry of the proc tree (pinned), or NULL before proc_root_init. */
struct dentry *proc_root(void);
/* A static proc file in dir (boot time, before anyone looks). NULL if out of memory. */
struct inode *proc_new_file(struct dentry *dir, const char *name, umode_t mode,
			    const struct proc_ops *ops, void *data);
/* Run ops->show into a fresh buffer, growing it until the text fits. 0 or -errno. */
int proc_generate(struct seq_file *m, const struct proc_dir_entry *de);

/* The files (each *_init creates its entries; boot time). */
void proc_vmstat_init(void);
void proc_sys_init(void);
/* kernel/trace/trace.c: /proc/trace (declared in <trace.h>). */
extern const struct proc_ops proc_pid_maps_ops;	/* data: the pid */
extern const struct proc_ops proc_pid_stat_ops;	/* data: the pid (array.c) */

#endif
