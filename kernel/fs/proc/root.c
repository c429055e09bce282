/*
 * root.c - /proc itself: its static files (made at boot) and one directory
 * per process, /proc/<pid>, with /proc/self naming the caller's.
 *
 * Theory of operation
 * -------------------
 * procfs is a memory tree of its own (a ramfs super block, mounted at /proc
 * by proc_root_init). Its static entries (vmstat, sys/, trace) are pinned
 * dentries whose inodes have i_fop = proc_reg_fops. Names it does not have
 * go to proc_root_lookup: a number that is a live pid, or "self", gives a
 * fresh directory inode for that pid, and proc_pid_lookup gives its files.
 * Those dentries are DCACHE_DONTCACHE: private to the walk that made them,
 * never found by another lookup and freed with their inodes by the last
 * dput, so /proc/self is the caller's and a dead pid's name goes with it.
 * What a pid file shows is looked up by pid when it is opened.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>
#include <printk.h>
#include <trace.h>
#include <uapi/faultline/dirent.h>

#define PID_INO_BASE	0x10000UL	/* /proc/<pid> is inode PID_INO_BASE + pid */

static struct dentry *proc_root_dentry;		/* [I] */

struct dentry *proc_root(void)
{
	return proc_root_dentry;
}

static bool pid_alive(pid_t pid)
{
	bool alive;

	spin_lock(&tasklist_lock);
	alive = find_process(pid) != NULL;
	spin_unlock(&tasklist_lock);
	return alive;
}

static pid_t parse_pid(const char *name, size_t len)
{
	pid_t pid = 0;

	if (len == 0 || len > 5 || name[0] == '0')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (name[i] < '0' || name[i] > '9')
			return -1;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid < PID_MAX ? pid : -1;
}

/* A fresh inode on the proc super block (DCACHE_DONTCACHE for its dentry). */
static struct inode *proc_private_inode(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode = new_inode(dir->i_sb, mode);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	spin_lock(&dcache_lock);
	dentry->d_flags |= DCACHE_DONTCACHE;	/* not yet visible to anyone else */
	spin_unlock(&dcache_lock);
	return inode;
}

static const char *const pid_entries[] = { "maps", "stat" };
static const struct proc_ops *const pid_entry_ops[] = { &proc_pid_maps_ops, &proc_pid_stat_ops };

/* The ops of /proc/<pid>/NAME, or NULL. */
static const struct proc_ops *pid_entry(const struct dentry *dentry)
{
	for (size_t i = 0; i < ARRAY_SIZE(pid_entries); i++)
		if (dentry->d_len == strlen(pid_entries[i]) &&
		    !memcmp(dentry->d_name, pid_entries[i], dentry->d_len))
			return pid_entry_ops[i];
	return NULL;
}

/* /proc/<pid>/NAME. */
static struct inode *proc_pid_lookup(struct inode *dir, struct dentry *dentry)
{
	pid_t pid = (pid_t)(uintptr_t)dir->i_private;
	const struct proc_ops *ops = pid_entry(dentry);
	struct proc_dir_entry *de;
	struct inode *inode;

	if (!ops || !pid_alive(pid))
		return NULL;
	de = kmalloc(sizeof(*de));
	if (!de)
		return ERR_PTR(-ENOMEM);
	inode = proc_private_inode(dir, dentry, S_IFREG | 0444);
	if (IS_ERR(inode)) {
		kfree(de);
		return inode;
	}
	de->ops = ops;
	de->data = (void *)(uintptr_t)pid;
	inode->i_fop = &proc_reg_fops;
	inode->i_private = de;
	return inode;
}

static const struct inode_operations proc_pid_iops = {
	.lookup = proc_pid_lookup,
};

/* ".", "..", then the per-pid files. Locks: f_pos_lock (the caller's). */
static int proc_pid_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;

	if (ctx->pos == 0) {
		if (!dir_emit(ctx, ".", 1, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos++;
	}
	if (ctx->pos == 1) {
		if (!dir_emit(ctx, "..", 2, proc_root_dentry->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos++;
	}
	while (ctx->pos - 2 < (loff_t)ARRAY_SIZE(pid_entries)) {
		const char *name = pid_entries[ctx->pos - 2];

		if (!dir_emit(ctx, name, strlen(name), dir->i_ino + 0x10000, DT_REG))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static const struct file_operations proc_pid_dir_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_pid_readdir,
};

/* /proc/<pid> and /proc/self. */
static struct inode *proc_root_lookup(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode;
	pid_t pid;

	if (dentry->d_len == 4 && !memcmp(dentry->d_name, "self", 4))
		pid = current_proc() ? current_proc()->pid : -1;
	else
		pid = parse_pid(dentry->d_name, dentry->d_len);
	if (pid <= 0 || !pid_alive(pid))
		return NULL;
	inode = proc_private_inode(dir, dentry, S_IFDIR | 0555);
	if (IS_ERR(inode))
		return inode;
	inode->i_ino = PID_INO_BASE + (unsigned long)pid;
	inode->i_private = (void *)(uintptr_t)pid;
	inode->i_op = &proc_pid_iops;
	inode->i_fop = &proc_pid_dir_fops;
	return inode;
}

const struct inode_operations proc_root_iops = {
	.lookup = proc_root_lookup,
};

/* The lowest live pid >= from, or 0. */
static pid_t next_pid(pid_t from)
{
	struct process *p;
	pid_t best = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &proc_list, all_node)
		if (p->state != PROC_DEAD && p->pid >= from && (!best || p->pid < best))
			best = p->pid;
	spin_unlock(&tasklist_lock);
	return best;
}

/* ".", "..", the static entries, then "self" and one entry per live pid; the
 * position of pid N is FIRST_PID_POS + N, so a process that exits between two
 * getdents64 calls shifts nothing. Locks: f_pos_lock (the caller's). */
#define FIRST_PID_POS	(1L << 20)
static int proc_root_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->f_inode;
	loff_t statics_end = 2;
	struct dentry *child;
	pid_t pid;
	char name[12];

	list_for_each_entry(child, &proc_root_dentry->d_subdirs, d_child)
		statics_end++;		/* the static entries: fixed since boot */

	if (ctx->pos < statics_end) {
		dcache_readdir(file, ctx);
		if (ctx->pos < statics_end)
			return 0;	/* the buffer is full */
		ctx->pos = FIRST_PID_POS - 1;
	}
	if (ctx->pos == FIRST_PID_POS - 1) {
		if (!dir_emit(ctx, "self", 4, dir->i_ino + 1, DT_DIR))
			return 0;
		ctx->pos = FIRST_PID_POS;
	}
	while ((pid = next_pid((pid_t)(ctx->pos - FIRST_PID_POS))) > 0) {
		int n = snprintf(name, sizeof(name), "%d", pid);

		ctx->pos = FIRST_PID_POS + pid;
		if (!dir_emit(ctx, name, (size_t)n, PID_INO_BASE + (unsigned long)pid, DT_DIR))
			return 0;
		ctx->pos++;
	}
	return 0;
}

const struct file_operations proc_root_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_root_readdir,
};

/* Inodes made by lookups own their proc_dir_entry (static ones are never freed). */
static void proc_free_inode(struct inode *inode)
{
	if (S_ISREG(inode->i_mode))
		kfree((void *)inode->i_private);
	kfree(inode);
}

static const struct super_operations proc_sops = {
	.free_inode = proc_free_inode,
};

static struct file_system_type proc_fs_type = { .name = "proc" };

/* The mount point: /proc of the root file system; the initramfs gets one if it
 * has none (its tree is still being built: no one looks yet). */
static void proc_make_mountpoint(void)
{
	struct dentry *init = initramfs_root();
	struct dentry *d = d_lookup(init, "proc", 4);

	if (d)
		dput(d);
	else
		ramfs_create(init, "proc", 4, S_IFDIR | 0555);
}

void proc_root_init(void)
{
	struct dentry *root = ramfs_new_tree();
	int err = -ENOMEM;

	if (root) {
		struct super_block *sb = root->d_sb;

		sb->s_type = &proc_fs_type;
		sb->s_op = &proc_sops;
		sb->s_flags = 0;		/* some files take writes (proc_reg_open checks) */
		root->d_inode->i_mode = S_IFDIR | 0555;
		root->d_inode->i_op = &proc_root_iops;
		root->d_inode->i_fop = &proc_root_fops;
		proc_root_dentry = root;
		proc_vmstat_init();
		proc_sys_init();
		trace_proc_init();
		proc_make_mountpoint();
		err = mount_sb(sb, "/proc");
	}
	if (err)
		printk("proc: cannot mount /proc (error %d: no /proc directory on the root file "
		       "system? make disk-rebuild makes one); /proc/vmstat and friends are missing\n",
		       err);
}
