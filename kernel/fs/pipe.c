/*
 * pipe.c - pipes: a ring buffer between a read end and a write end.
 *
 * Reads block until there are bytes (then return what is there, at most the
 * count) or every write end is closed (then 0: end of file). Writes block
 * until there is room; a write of at most PIPE_BUF bytes goes in whole
 * (never interleaved with another writer's bytes). With no read end left a
 * write fails with -EPIPE and the writer gets SIGPIPE. A pending signal ends
 * a blocked read or write with -EINTR (or the bytes already moved).
 *
 * Bytes are copied straight between the ring and the caller's buffer with
 * the pipe's mutex held (a user copy may fault and sleep: hence a mutex);
 * the ring only advances over what was really copied, so a bad buffer takes
 * nothing out of the pipe.
 */
#include "internal.h"
#include <page_alloc.h>
#include <slab.h>
#include <wait.h>

#define PIPE_ORDER	2
#define PIPE_SIZE	(PAGE_SIZE << PIPE_ORDER)	/* 16 KiB */
#define PIPE_BUF	4096				/* atomic write size (POSIX) */

/*
 * Locking legend: [M] mutex  [I] set at creation
 * head, tail, readers, writers are written under the mutex with WRITE_ONCE
 * and read without it (READ_ONCE) only in the wait conditions.
 */
struct pipe_inode_info {
	struct mutex mutex;
	struct inode inode;		/* [I] S_IFIFO, for fstat */
	char *buf;			/* [M] PIPE_SIZE bytes */
	unsigned long head;		/* [M] bytes ever written */
	unsigned long tail;		/* [M] bytes ever read */
	unsigned int readers;		/* [M] open read ends */
	unsigned int writers;		/* [M] open write ends */
	struct wait_queue_head rd_wait;	/* readers waiting for bytes or EOF */
	struct wait_queue_head wr_wait;	/* writers waiting for room or no readers */
};

static bool pipe_readable(const struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->head) != READ_ONCE(pipe->tail) || !READ_ONCE(pipe->writers);
}

static bool pipe_writable(const struct pipe_inode_info *pipe, size_t need)
{
	size_t used = READ_ONCE(pipe->head) - READ_ONCE(pipe->tail);

	return PIPE_SIZE - used >= need || !READ_ONCE(pipe->readers);
}

/* Sleep on wq until the condition holds or a signal is pending (-EINTR).
 * Sleeps: yes. Locks: not the pipe's mutex. */
static int pipe_wait(struct pipe_inode_info *pipe, struct wait_queue_head *wq, size_t need)
{
	bool reader = wq == &pipe->rd_wait;
	int ret = 0;
	DEFINE_WAIT(w);

	for (;;) {
		prepare_to_wait(wq, &w, TASK_INTERRUPTIBLE);
		if (reader ? pipe_readable(pipe) : pipe_writable(pipe, need))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(wq, &w);
	return ret;
}

/* Copy from the ring up to its end or the caller's count. Locks: mutex. */
static size_t pipe_copy_out(struct pipe_inode_info *pipe, struct iov_iter *to)
{
	size_t off = pipe->tail % PIPE_SIZE;
	size_t n = MIN(pipe->head - pipe->tail, PIPE_SIZE - off);

	mutex_assert_held(&pipe->mutex);
	n = copy_to_iter(pipe->buf + off, MIN(n, to->count), to);
	WRITE_ONCE(pipe->tail, pipe->tail + n);
	return n;
}

static ssize_t pipe_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct pipe_inode_info *pipe = file->private_data;
	ssize_t done = 0, ret = 0;

	mutex_lock(&pipe->mutex);
	while (to->count) {
		if (pipe->head != pipe->tail) {
			size_t n = pipe_copy_out(pipe, to);

			if (!n) {
				ret = -EFAULT;
				break;
			}
			done += (ssize_t)n;
			wake_up(&pipe->wr_wait);
			continue;
		}
		if (done || !pipe->writers)
			break;			/* what we have, or end of file */
		mutex_unlock(&pipe->mutex);
		ret = pipe_wait(pipe, &pipe->rd_wait, 0);
		mutex_lock(&pipe->mutex);
		if (ret)
			break;
	}
	mutex_unlock(&pipe->mutex);
	return done ? done : ret;
}

/* Copy into the ring up to its end or the caller's count. Locks: mutex. */
static size_t pipe_copy_in(struct pipe_inode_info *pipe, struct iov_iter *from)
{
	size_t off = pipe->head % PIPE_SIZE;
	size_t space = PIPE_SIZE - (pipe->head - pipe->tail);
	size_t n = MIN(space, PIPE_SIZE - off);

	mutex_assert_held(&pipe->mutex);
	n = copy_from_iter(pipe->buf + off, MIN(n, from->count), from);
	WRITE_ONCE(pipe->head, pipe->head + n);
	return n;
}

static ssize_t pipe_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct pipe_inode_info *pipe = file->private_data;
	size_t need = from->count <= PIPE_BUF ? from->count : 1;	/* room to wait for */
	ssize_t done = 0, ret = 0;

	mutex_lock(&pipe->mutex);
	while (from->count) {
		if (!pipe->readers) {
			if (current->proc)
				send_signal(current, SIGPIPE);
			ret = -EPIPE;
			break;
		}
		if (PIPE_SIZE - (pipe->head - pipe->tail) >= need) {
			size_t n = pipe_copy_in(pipe, from);

			if (!n) {
				ret = -EFAULT;
				break;
			}
			done += (ssize_t)n;
			need = 1;		/* the atomic part (if any) is in */
			wake_up(&pipe->rd_wait);
			continue;
		}
		mutex_unlock(&pipe->mutex);
		ret = pipe_wait(pipe, &pipe->wr_wait, need);
		mutex_lock(&pipe->mutex);
		if (ret)
			break;
	}
	mutex_unlock(&pipe->mutex);
	return done ? done : ret;
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	free_pages(pipe->buf, PIPE_ORDER);
	kfree(pipe);
}

static void pipe_release(struct file *file)
{
	struct pipe_inode_info *pipe = file->private_data;
	bool last;

	mutex_lock(&pipe->mutex);
	if (file->f_mode & FMODE_READ)
		WRITE_ONCE(pipe->readers, pipe->readers - 1);
	if (file->f_mode & FMODE_WRITE)
		WRITE_ONCE(pipe->writers, pipe->writers - 1);
	last = !pipe->readers && !pipe->writers;
	wake_up_all(&pipe->rd_wait);
	wake_up_all(&pipe->wr_wait);
	mutex_unlock(&pipe->mutex);
	if (last)
		free_pipe_info(pipe);
}

static const struct file_operations pipefifo_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.release = pipe_release,
};

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe));

	if (!pipe)
		return NULL;
	pipe->buf = get_free_pages(PIPE_ORDER);
	if (!pipe->buf) {
		kfree(pipe);
		return NULL;
	}
	mutex_init(&pipe->mutex);
	inode_init(&pipe->inode, &anon_sb, S_IFIFO | 0600);
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	pipe->readers = pipe->writers = 1;
	return pipe;
}

int create_pipe_files(struct file *res[2], int flags)
{
	struct pipe_inode_info *pipe = alloc_pipe_info();

	if (!pipe)
		return -ENOMEM;
	res[0] = alloc_file(&pipe->inode, O_RDONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	res[1] = alloc_file(&pipe->inode, O_WRONLY | (flags & O_NONBLOCK), &pipefifo_fops);
	if (!res[0] || !res[1]) {
		kfree(res[0]);
		kfree(res[1]);
		free_pipe_info(pipe);
		return -ENOMEM;
	}
	res[0]->private_data = res[1]->private_data = pipe;
	return 0;
}

/* Both fds are reserved before the copy-out and installed after it, so a bad
 * pointer leaves the fd table as it was. */
long sys_pipe(int __user *ufds)
{
	struct file *f[2];
	int fd[2], err = create_pipe_files(f, 0);

	if (err)
		return err;
	fd[0] = get_unused_fd_flags(0);
	fd[1] = fd[0] < 0 ? fd[0] : get_unused_fd_flags(0);
	err = fd[1] < 0 ? fd[1] : copy_to_user(ufds, fd, sizeof(fd)) ? -EFAULT : 0;
	if (err) {
		if (fd[0] >= 0)
			put_unused_fd((unsigned int)fd[0]);
		if (fd[0] >= 0 && fd[1] >= 0)
			put_unused_fd((unsigned int)fd[1]);
		fput(f[0]);
		fput(f[1]);
		return err;
	}
	fd_install((unsigned int)fd[0], f[0]);
	fd_install((unsigned int)fd[1], f[1]);
	return 0;
}
