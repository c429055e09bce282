/*
 * task_mmu.c - /proc/<pid>/maps, in Linux's exact format (fs/proc/task_mmu.c):
 *
 *   start-end perms offset major:minor inode   name
 *   00400000-0040b000 r-xp 00000000 00:00 12                                 /bin/cat
 *
 * Addresses and offsets in lower-case hex, at least 8 digits; perms rwx then
 * 's' (VM_MAYSHARE) or 'p'; the offset in bytes (0 for anonymous memory);
 * a name, when there is one, starts in column 74 (seq_pad to 73 + a space):
 * the file's path, "[heap]", "[stack]", or "/dev/zero (deleted)" for shared
 * anonymous memory (Linux's shmem name). Anonymous lines end with "0 ".
 * Files show their file system's device number (st_dev) and inode number.
 */
#include "internal.h"
#include <mmap.h>
#include <slab.h>

/* The mm of pid with a user reference (mmput it), or NULL (no such process, or exiting).
 * p->mm stays a valid struct while set (the last thread's lazy active_mm pins it until
 * exit_notify clears p->mm), but its users may already be gone (do_exit drops them first). */
static struct mm_struct *get_pid_mm(pid_t pid)
{
	struct mm_struct *mm = NULL;
	struct process *p;

	spin_lock(&tasklist_lock);
	p = find_process(pid);
	if (p && p->mm && mmget_not_zero(p->mm))	/* users 0: its last thread is exiting */
		mm = p->mm;
	spin_unlock(&tasklist_lock);
	return mm;
}

static void show_vma_header_prefix(struct seq_file *m, const struct vm_area_struct *vma,
				   unsigned long long pgoff, unsigned int major,
				   unsigned int minor, unsigned long ino)
{
	unsigned long f = vma->vm_flags;

	seq_setwidth(m, 25 + sizeof(void *) * 6 - 1);
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		   f & VM_READ ? 'r' : '-', f & VM_WRITE ? 'w' : '-', f & VM_EXEC ? 'x' : '-',
		   f & VM_MAYSHARE ? 's' : 'p', pgoff, major, minor, ino);
}

/* What Linux prints after the padding for vma, or NULL; path is a PATH_MAX buffer. */
static const char *vma_name(const struct vm_area_struct *vma, char *path)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_file) {
		struct dentry *root = vfs_root();
		int n = vma->vm_file->f_dentry ?
			dentry_path(root, vma->vm_file->f_dentry, path, PATH_MAX) : -ENOENT;

		dput(root);
		return n > 0 ? path : "?";
	}
	if (vma->vm_ops)
		return "/dev/zero (deleted)";
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

static void show_map_vma(struct seq_file *m, const struct vm_area_struct *vma, char *path)
{
	const struct file *file = vma->vm_file;
	const char *name = vma_name(vma, path);
	unsigned long long pgoff = file ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0;
	unsigned long ino = file ? file->f_inode->i_ino : 0;

	dev_t dev = file ? file->f_inode->i_sb->s_dev : 0;

	show_vma_header_prefix(m, vma, pgoff, MAJOR(dev), MINOR(dev), ino);
	if (name) {
		seq_pad(m, ' ');
		seq_puts(m, name);
	}
	seq_putc(m, '\n');
}

static int show_maps(struct seq_file *m, void *data)
{
	struct mm_struct *mm = get_pid_mm((pid_t)(uintptr_t)data);
	struct vm_area_struct *vma;
	struct vma_iterator vmi;
	char *path;

	if (!mm)
		return 0;		/* a kernel thread or a zombie: empty, as on Linux */
	path = kmalloc(PATH_MAX);
	if (!path) {
		mmput(mm);
		return -ENOMEM;
	}
	mmap_read_lock(mm);
	vma_iter_init(&vmi, mm, 0);
	for_each_vma(vmi, vma)
		show_map_vma(m, vma, path);
	mmap_read_unlock(mm);
	mmput(mm);
	kfree(path);
	return 0;
}

const struct proc_ops proc_pid_maps_ops = {
	.show = show_maps,
};
