/* pipe_test.c - pipes between kernel threads: data, EOF, EPIPE, big transfers, atomic writes. */
#include "internal.h"
#include <ktest.h>
#include <slab.h>
#include <string.h>

static ssize_t kread(struct file *f, void *buf, size_t n)
{
	struct iov_iter it;

	iov_iter_init(&it, false, buf, n);
	return vfs_read(f, &it);
}

static ssize_t kwrite(struct file *f, const void *buf, size_t n)
{
	struct iov_iter it;

	iov_iter_init(&it, false, (void *)buf, n);
	return vfs_write(f, &it);
}

KTEST(pipe_basic_eof_epipe)
{
	struct file *p[2];
	struct stat st;
	char buf[16];

	KT_ASSERT(t, create_pipe_files(p, 0) == 0);
	KT_EXPECT_EQ(t, kwrite(p[1], "hello", 5), 5);
	KT_EXPECT_EQ(t, kread(p[0], buf, 3), 3);
	KT_EXPECT_EQ(t, kread(p[0], buf + 3, sizeof(buf)), 2);
	KT_EXPECT(t, !memcmp(buf, "hello", 5));
	KT_EXPECT_EQ(t, kread(p[1], buf, 1), -EBADF);
	KT_EXPECT_EQ(t, kwrite(p[0], buf, 1), -EBADF);
	KT_EXPECT_EQ(t, vfs_llseek(p[0], 0, SEEK_SET), -ESPIPE);
	{
		struct vm_area_struct vma = { .vm_flags = VM_READ };

		KT_EXPECT_EQ(t, call_mmap(p[0], &vma), -ENODEV);
	}
	vfs_fill_stat(p[0]->f_inode, &st);
	KT_EXPECT(t, S_ISFIFO(st.st_mode));
	KT_EXPECT_EQ(t, kwrite(p[1], "xy", 2), 2);
	fput(p[1]);					/* no writer left */
	KT_EXPECT_EQ(t, kread(p[0], buf, sizeof(buf)), 2);	/* the rest first */
	KT_EXPECT_EQ(t, kread(p[0], buf, sizeof(buf)), 0);	/* then EOF */
	fput(p[0]);
	KT_ASSERT(t, create_pipe_files(p, 0) == 0);
	fput(p[0]);					/* no reader left */
	KT_EXPECT_EQ(t, kwrite(p[1], "x", 1), -EPIPE);
	fput(p[1]);
}

#define BIG	(1024 * 1024 + 123)

static void big_writer(void *arg)
{
	struct file *w = arg;
	unsigned char buf[3000];
	size_t off = 0, chunk = 1;
	bool ok = true;

	while (off < BIG && ok) {
		size_t n = MIN(chunk, BIG - off);

		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)((off + i) * 13 + ((off + i) >> 11));
		ok = kwrite(w, buf, n) == (ssize_t)n;
		off += n;
		chunk = chunk * 7 % sizeof(buf) + 1;	/* sizes from 1 to 3000 */
	}
	fput(w);					/* the reader sees EOF */
	thread_exit(ok ? 0 : 1);
}

/* 1 MiB through a 16 KiB ring, odd sizes on both sides, then EOF. */
KTEST(pipe_large_transfer_two_threads)
{
	unsigned char *buf = kmalloc(5000);
	struct file *p[2];
	struct thread *w;
	size_t off = 0, chunk = 5, bad = 0;
	ssize_t r;

	KT_ASSERT(t, buf && create_pipe_files(p, 0) == 0);
	w = kthread_run(big_writer, p[1], "kt-pipe-w");
	KT_ASSERT(t, w);
	while ((r = kread(p[0], buf, chunk)) > 0) {
		for (ssize_t i = 0; i < r; i++, off++)
			bad += buf[i] != (unsigned char)(off * 13 + (off >> 11));
		chunk = chunk * 11 % 5000 + 1;
	}
	KT_EXPECT_EQ(t, r, 0);
	KT_EXPECT_EQ(t, off, BIG);
	KT_EXPECT_EQ(t, bad, 0);
	KT_EXPECT_EQ(t, thread_join(w), 0);
	fput(p[0]);
	kfree(buf);
}

#define ATOMIC_BLOCKS	64

struct atomic_writer {
	struct file *w;
	char byte;
};

static void block_writer(void *arg)
{
	struct atomic_writer *aw = arg;
	static char blocks[2][4096];
	char *buf = blocks[aw->byte == 'b'];
	int fails = 0;

	memset(buf, aw->byte, 4096);
	for (int i = 0; i < ATOMIC_BLOCKS; i++)
		fails += kwrite(aw->w, buf, 4096) != 4096;
	fput(aw->w);
	thread_exit(fails);
}

/* Writes of PIPE_BUF bytes from two threads are never interleaved. */
KTEST(pipe_atomic_writes)
{
	struct atomic_writer aw[2];
	struct thread *th[2];
	char *buf = kmalloc(4096);
	struct file *p[2];
	size_t off = 0, torn = 0;
	char block = 0;
	ssize_t r;

	KT_ASSERT(t, buf && create_pipe_files(p, 0) == 0);
	for (int i = 0; i < 2; i++) {
		aw[i] = (struct atomic_writer){ get_file(p[1]), (char)('a' + i) };
		th[i] = kthread_run(block_writer, &aw[i], "kt-pipe-aw");
		KT_ASSERT(t, th[i]);
	}
	fput(p[1]);				/* the writers hold the other references */
	while (off < 2 * ATOMIC_BLOCKS * 4096 && (r = kread(p[0], buf, 1000)) > 0) {
		for (ssize_t i = 0; i < r; i++, off++) {
			if (off % 4096 == 0)
				block = buf[i];
			torn += buf[i] != block;
		}
	}
	KT_EXPECT_EQ(t, off, 2 * ATOMIC_BLOCKS * 4096);
	KT_EXPECT_EQ(t, torn, 0);
	KT_EXPECT_EQ(t, thread_join(th[0]) + thread_join(th[1]), 0);
	fput(p[0]);
	kfree(buf);
}
