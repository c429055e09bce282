/*
 * file.h - file descriptor tables (Linux's struct files_struct, <linux/fdtable.h>).
 *
 * A process's fds index its files_struct. Threads created with CLONE_FILES
 * share one table (a reference each); fork gives the child a copy
 * (dup_files) whose slots point to the same struct files, each with one more
 * reference. The lowest free fd is always used; NR_OPEN_MAX is the limit
 * (-EMFILE beyond it).
 *
 * An fd can be reserved (get_unused_fd) before its file is installed
 * (fd_install), so a system call can fail after choosing the number without
 * anyone seeing a half-made fd: a reserved slot reads as "not open".
 */
#ifndef FAULTLINE_FILE_H
#define FAULTLINE_FILE_H

#include <types.h>
#include <spinlock.h>
#include <atomic.h>

struct file;

#define NR_OPEN_MAX	64	/* fds per process: one bit each in a long */

/* Locking legend: [a] atomic  [F] file_lock */
struct files_struct {
	atomic_t count;			/* [a] users: threads and processes sharing the table */
	spinlock_t file_lock;
	unsigned long open_fds;		/* [F] bit fd: reserved or installed */
	unsigned long close_on_exec;	/* [F] bit fd: close it in execve */
	struct file *fd[NR_OPEN_MAX];	/* [F] NULL when free or only reserved */
};

struct files_struct *files_alloc(void);			/* empty table, count 1; NULL if no memory */
struct files_struct *dup_files(struct files_struct *old);	/* fork; NULL if no memory */
static inline void get_files(struct files_struct *files)	/* CLONE_FILES */
{
	atomic_inc(&files->count);
}
void put_files(struct files_struct *files);	/* the last user closes every fd. Sleeps: may */

/* Sleeps: no (fput below is the exception). */
int files_get_unused_fd(struct files_struct *files, unsigned int flags); /* fd or -EMFILE */
void files_put_unused_fd(struct files_struct *files, unsigned int fd);
void files_fd_install(struct files_struct *files, unsigned int fd, struct file *file);
struct file *files_fget(struct files_struct *files, unsigned int fd); /* + a reference, or NULL */
/* Take fd out of the table and drop its reference. 0 or -EBADF. Sleeps: may. */
int files_close_fd(struct files_struct *files, unsigned int fd);
int files_dup(struct files_struct *files, unsigned int fd);	/* new fd or -EBADF/-EMFILE */
int files_dup2(struct files_struct *files, unsigned int oldfd, unsigned int newfd);
void do_close_on_exec(struct files_struct *files);	/* execve. Sleeps: may */

/* The same on the current process's table (-EBADF / NULL for kernel threads). */
struct files_struct *current_files(void);
int get_unused_fd_flags(unsigned int flags);		/* flags: O_CLOEXEC */
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);	/* consumes the caller's reference */
struct file *fget(unsigned int fd);
int close_fd(unsigned int fd);

#endif
