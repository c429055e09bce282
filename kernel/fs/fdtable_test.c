/* fdtable_test.c - fd tables: lowest free fd, the limit, dup/dup2, fork's copy, close-on-exec. */
#include "internal.h"
#include <ktest.h>

static struct inode test_inode;

static struct file *new_test_file(void)
{
	if (!test_inode.i_mode)
		inode_init(&test_inode, &anon_sb, S_IFREG | 0644);
	return alloc_file(&test_inode, O_RDONLY, &ramfs_file_operations);
}

static long count(struct file *f)
{
	return atomic_long_read(&f->f_count);
}

/* Install a new reference to f at the lowest free fd; the fd or -errno. */
static int install(struct files_struct *files, struct file *f, unsigned int flags)
{
	int fd = files_get_unused_fd(files, flags);

	if (fd >= 0)
		files_fd_install(files, (unsigned int)fd, get_file(f));
	return fd;
}

KTEST(fdtable_lowest_fd_and_limit)
{
	struct files_struct *files = files_alloc();
	struct file *f = new_test_file();
	int fd;

	KT_ASSERT(t, files && f);
	for (int i = 0; i < NR_OPEN_MAX; i++)
		KT_ASSERT_EQ(t, install(files, f, 0), i);
	KT_EXPECT_EQ(t, install(files, f, 0), -EMFILE);
	KT_EXPECT_EQ(t, files_dup(files, 0), -EMFILE);
	KT_EXPECT_EQ(t, count(f), NR_OPEN_MAX + 1);
	KT_EXPECT_EQ(t, files_close_fd(files, 5), 0);
	KT_EXPECT_EQ(t, files_close_fd(files, 9), 0);
	KT_EXPECT_EQ(t, files_close_fd(files, 9), -EBADF);
	KT_EXPECT_EQ(t, files_close_fd(files, NR_OPEN_MAX), -EBADF);
	KT_EXPECT_EQ(t, install(files, f, 0), 5);	/* lowest first */
	fd = files_get_unused_fd(files, 0);		/* 9, reserved only */
	KT_EXPECT_EQ(t, fd, 9);
	KT_EXPECT(t, files_fget(files, 9) == NULL);
	KT_EXPECT_EQ(t, files_dup2(files, 0, 9), -EBUSY);
	files_put_unused_fd(files, 9);
	KT_EXPECT_EQ(t, files_dup(files, 3), 9);
	KT_EXPECT_EQ(t, count(f), NR_OPEN_MAX + 1);
	put_files(files);
	KT_EXPECT_EQ(t, count(f), 1);
	fput(f);
}

KTEST(fdtable_dup2_fork_and_cloexec)
{
	struct files_struct *files = files_alloc(), *child;
	struct file *a = new_test_file(), *b = new_test_file(), *got;

	KT_ASSERT(t, files && a && b);
	KT_EXPECT_EQ(t, install(files, a, 0), 0);
	KT_EXPECT_EQ(t, install(files, b, O_CLOEXEC), 1);
	KT_EXPECT_EQ(t, files_dup2(files, 0, 1), 1);	/* closes b's fd */
	KT_EXPECT(t, count(a) == 3 && count(b) == 1);
	KT_EXPECT_EQ(t, files_dup2(files, 1, 1), 1);
	KT_EXPECT_EQ(t, files_dup2(files, 7, 1), -EBADF);
	KT_EXPECT_EQ(t, files_dup2(files, 0, NR_OPEN_MAX), -EBADF);
	KT_EXPECT_EQ(t, install(files, b, O_CLOEXEC), 2);
	child = dup_files(files);
	KT_ASSERT(t, child);
	KT_EXPECT(t, count(a) == 5 && count(b) == 3);
	got = files_fget(child, 2);
	KT_EXPECT(t, got == b);
	if (got)
		fput(got);
	do_close_on_exec(child);			/* fd 2 was O_CLOEXEC */
	KT_EXPECT(t, files_fget(child, 2) == NULL && count(b) == 2);
	KT_EXPECT_EQ(t, files_close_fd(child, 0), 0);
	KT_EXPECT_EQ(t, count(a), 4);
	get_files(child);				/* a CLONE_FILES thread */
	put_files(child);
	KT_EXPECT_EQ(t, count(a), 4);
	put_files(child);
	put_files(files);
	KT_EXPECT(t, count(a) == 1 && count(b) == 1);
	fput(a);
	fput(b);
}
