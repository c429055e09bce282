/*
 * fdtable.c - per-process file descriptor tables (see <file.h>).
 *
 * file_lock guards the slots and the bitmaps; references to files are
 * dropped (fput, which may sleep) only after it is released.
 */
#include "internal.h"
#include <slab.h>
#include <string.h>

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files));

	if (!files)
		return NULL;
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock, "files_struct.file_lock");
	return files;
}

struct files_struct *dup_files(struct files_struct *old)
{
	struct files_struct *files = files_alloc();

	if (!files)
		return NULL;
	spin_lock(&old->file_lock);
	for (unsigned int fd = 0; fd < NR_OPEN_MAX; fd++) {
		struct file *f = old->fd[fd];

		if (f) {		/* reserved-only slots stay behind: their call is the parent's */
			files->fd[fd] = get_file(f);
			files->open_fds |= 1UL << fd;
		}
	}
	files->close_on_exec = old->close_on_exec & files->open_fds;
	spin_unlock(&old->file_lock);
	return files;
}

/* Empty every slot in mask; the files are fput by the caller. Locks: file_lock. */
static unsigned int take_files(struct files_struct *files, unsigned long mask,
			       struct file **out)
{
	unsigned int n = 0;

	assert_spin_locked(&files->file_lock);
	for (unsigned int fd = 0; fd < NR_OPEN_MAX; fd++) {
		if (!(mask & (1UL << fd)) || !files->fd[fd])
			continue;
		out[n++] = files->fd[fd];
		files->fd[fd] = NULL;
		files->open_fds &= ~(1UL << fd);
		files->close_on_exec &= ~(1UL << fd);
	}
	return n;
}

static void fput_all(struct file **f, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		fput(f[i]);
}

void put_files(struct files_struct *files)
{
	struct file *f[NR_OPEN_MAX];
	unsigned int n;

	if (!atomic_dec_and_test(&files->count))
		return;
	spin_lock(&files->file_lock);
	n = take_files(files, ~0UL, f);
	spin_unlock(&files->file_lock);
	fput_all(f, n);
	kfree(files);
}

void do_close_on_exec(struct files_struct *files)
{
	struct file *f[NR_OPEN_MAX];
	unsigned int n;

	spin_lock(&files->file_lock);
	n = take_files(files, files->close_on_exec, f);
	spin_unlock(&files->file_lock);
	fput_all(f, n);
}

/* Lowest clear bit of a word that has one (a loop: riscv64 has no ctz
 * instruction before Zbb and the kernel does not link libgcc). */
static unsigned int first_zero_bit(unsigned long word)
{
	unsigned int bit = 0;

	while (word & (1UL << bit))
		bit++;
	return bit;
}

/* Lowest free fd, reserved; -EMFILE if none. Locks: file_lock. */
static int alloc_fd_locked(struct files_struct *files, unsigned int flags)
{
	unsigned int fd;

	assert_spin_locked(&files->file_lock);
	if (files->open_fds == ~0UL)
		return -EMFILE;
	fd = first_zero_bit(files->open_fds);
	files->open_fds |= 1UL << fd;
	if (flags & O_CLOEXEC)
		files->close_on_exec |= 1UL << fd;
	else
		files->close_on_exec &= ~(1UL << fd);
	return (int)fd;
}

int files_get_unused_fd(struct files_struct *files, unsigned int flags)
{
	int fd;

	spin_lock(&files->file_lock);
	fd = alloc_fd_locked(files, flags);
	spin_unlock(&files->file_lock);
	return fd;
}

void files_put_unused_fd(struct files_struct *files, unsigned int fd)
{
	spin_lock(&files->file_lock);
	BUG_ON(fd >= NR_OPEN_MAX || files->fd[fd] || !(files->open_fds & (1UL << fd)));
	files->open_fds &= ~(1UL << fd);
	spin_unlock(&files->file_lock);
}

void files_fd_install(struct files_struct *files, unsigned int fd, struct file *file)
{
	spin_lock(&files->file_lock);
	BUG_ON(fd >= NR_OPEN_MAX || files->fd[fd] || !(files->open_fds & (1UL << fd)));
	files->fd[fd] = file;
	spin_unlock(&files->file_lock);
}

struct file *files_fget(struct files_struct *files, unsigned int fd)
{
	struct file *file = NULL;

	if (fd >= NR_OPEN_MAX)
		return NULL;
	spin_lock(&files->file_lock);
	if (files->fd[fd])
		file = get_file(files->fd[fd]);
	spin_unlock(&files->file_lock);
	return file;
}

int files_close_fd(struct files_struct *files, unsigned int fd)
{
	struct file *file = NULL;

	if (fd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->file_lock);
	if (files->fd[fd])
		take_files(files, 1UL << fd, &file);
	spin_unlock(&files->file_lock);
	if (!file)
		return -EBADF;
	fput(file);
	return 0;
}

int files_dup(struct files_struct *files, unsigned int oldfd)
{
	int fd = -EBADF;

	if (oldfd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->file_lock);
	if (files->fd[oldfd]) {
		fd = alloc_fd_locked(files, 0);
		if (fd >= 0)
			files->fd[fd] = get_file(files->fd[oldfd]);
	}
	spin_unlock(&files->file_lock);
	return fd;
}

/* Linux's dup2: newfd is closed first (silently); -EBUSY if it is only reserved. */
int files_dup2(struct files_struct *files, unsigned int oldfd, unsigned int newfd)
{
	struct file *old, *tofree = NULL;
	int ret = (int)newfd;

	if (oldfd >= NR_OPEN_MAX || newfd >= NR_OPEN_MAX)
		return -EBADF;
	spin_lock(&files->file_lock);
	old = files->fd[oldfd];
	if (!old)
		ret = -EBADF;
	else if (oldfd == newfd)
		;			/* valid fd: nothing to do */
	else if (!files->fd[newfd] && (files->open_fds & (1UL << newfd)))
		ret = -EBUSY;
	else {
		tofree = files->fd[newfd];
		files->fd[newfd] = get_file(old);
		files->open_fds |= 1UL << newfd;
		files->close_on_exec &= ~(1UL << newfd);
	}
	spin_unlock(&files->file_lock);
	if (tofree)
		fput(tofree);
	return ret;
}

/* ---- the current process's table -------------------------------------------- */

struct files_struct *current_files(void)
{
	struct process *proc = current->proc;

	return proc ? proc->files : NULL;
}

int get_unused_fd_flags(unsigned int flags)
{
	struct files_struct *files = current_files();

	return files ? files_get_unused_fd(files, flags) : -EMFILE;
}

void put_unused_fd(unsigned int fd)
{
	files_put_unused_fd(current_files(), fd);
}

void fd_install(unsigned int fd, struct file *file)
{
	files_fd_install(current_files(), fd, file);
}

struct file *fget(unsigned int fd)
{
	struct files_struct *files = current_files();

	return files ? files_fget(files, fd) : NULL;
}

int close_fd(unsigned int fd)
{
	struct files_struct *files = current_files();

	return files ? files_close_fd(files, fd) : -EBADF;
}

long sys_dup(unsigned int fd)
{
	struct files_struct *files = current_files();

	return files ? files_dup(files, fd) : -EBADF;
}

long sys_dup2(unsigned int oldfd, unsigned int newfd)
{
	struct files_struct *files = current_files();

	return files ? files_dup2(files, oldfd, newfd) : -EBADF;
}
