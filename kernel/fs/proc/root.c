/*
 * root.c - /proc itself: its static files (made at boot) and one directory
 * per process, /proc/<pid>, with /proc/self naming the caller's.
 *
 * Theory of operation
 * -------------------
 * /proc is a directory of the boot tree whose static children (vmstat, sys/,
 * trace) are ordinary inodes with i_fop = proc_reg_fops. Names it does not
 * have go to proc_root_lookup: a number that is a live pid, or "self", gives
 * that pid's directory. Those directories are made on first lookup and kept
 * in pid_dirs[pid] for ever (inodes are never freed: a cwd holds no
 * reference, <fs.h>), so there is at most one per pid number; a recycled pid
 * reuses it. What a pid file shows is looked up by pid when it is opened, so
 * a directory never points to a process that is gone.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>
#include <printk.h>
#include <trace.h>
#include <uapi/faultline/dirent.h>

static struct inode *proc_root_inode;		/* [I] */
static struct inode **pid_dirs;			/* [L] PID_MAX slots, NULL until first lookup */
static DEFINE_SPINLOCK(pid_dirs_lock);

struct inode *proc_root(void)
{
	return proc_root_inode;
}

static bool pid_alive(pid_t pid)
{
	bool alive;

	spin_lock(&tasklist_lock);
	alive = find_process(pid) != NULL;
	spin_unlock(&tasklist_lock);
	return alive;
}

/* A detached directory for pid with its files. NULL if out of memory. */
static struct inode *make_pid_dir(pid_t pid)
{
	struct inode *dir = new_dir_inode(0555);
	char *name = kmalloc(12);

	if (!dir || !name)
		goto fail;
	snprintf(name, 12, "%d", pid);
	dir->i_name = name;
	dir->i_parent = proc_root_inode;
	dir->i_private = (void *)(uintptr_t)pid;
	if (!proc_new_file(dir, "maps", 0444, &proc_pid_maps_ops, (void *)(uintptr_t)pid))
		goto fail;
	return dir;
fail:
	kfree(name);
	kfree(dir);	/* a failed child left nothing behind: inode_create unwinds itself */
	return NULL;
}

/* The directory of pid, made on first use. */
static struct inode *pid_dir(pid_t pid)
{
	struct inode *dir, *made;

	spin_lock(&pid_dirs_lock);
	dir = pid_dirs[pid];
	spin_unlock(&pid_dirs_lock);
	if (dir)
		return dir;
	made = make_pid_dir(pid);
	if (!made)
		return NULL;
	spin_lock(&pid_dirs_lock);
	dir = pid_dirs[pid];
	if (!dir)
		pid_dirs[pid] = dir = made;
	spin_unlock(&pid_dirs_lock);
	if (dir != made) {		/* another lookup won: ours was never visible */
		struct inode *child;

		list_for_each_entry(child, &made->i_children, i_sibling)
			kfree(child->i_private);
		inode_free_tree(made);
	}
	return dir;
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

static int proc_root_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	pid_t pid;
	struct inode *d;

	(void)dir;
	if (len == 4 && !memcmp(name, "self", 4))
		pid = current_proc() ? current_proc()->pid : -1;
	else
		pid = parse_pid(name, len);
	if (pid <= 0 || !pid_alive(pid))
		return -ENOENT;
	d = pid_dir(pid);
	if (!d)
		return -ENOMEM;
	*out = d;
	return 0;
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
	loff_t statics_end = 2 + dir->i_nr_children;
	pid_t pid;
	char name[12];

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
		if (!dir_emit(ctx, name, (size_t)n, 0x10000 + (unsigned long)pid, DT_DIR))
			return 0;
		ctx->pos++;
	}
	return 0;
}

const struct file_operations proc_root_fops = {
	.llseek = generic_file_llseek,
	.iterate = proc_root_readdir,
};

void proc_root_init(void)
{
	struct inode *root = vfs_root();

	pid_dirs = kcalloc(PID_MAX, sizeof(*pid_dirs));
	proc_root_inode = inode_lookup_child(root, "proc", 4);
	if (!proc_root_inode)
		proc_root_inode = inode_create(root, "proc", 4, S_IFDIR | 0555);
	if (!pid_dirs || !proc_root_inode || !S_ISDIR(proc_root_inode->i_mode)) {
		printk("proc: cannot mount /proc (out of memory, or /proc in the initramfs is "
		       "not a directory); /proc/vmstat and friends are missing\n");
		proc_root_inode = NULL;
		return;
	}
	proc_root_inode->i_op = &proc_root_iops;
	proc_root_inode->i_fop = &proc_root_fops;
	proc_vmstat_init();
	proc_sys_init();
	trace_proc_init();
}
