/*
 * initramfs_test.c - the cpio parser on good and damaged archives built
 * here, path lookup, open's rules on a read-only tree, reading, getdents
 * and the page cache. Each test builds and frees its own tree.
 */
#include "internal.h"
#include <ktest.h>
#include <page_alloc.h>
#include <slab.h>
#include <string.h>
#include <uapi/faultline/dirent.h>

#define ARCHIVE_MAX	(64 * 1024)

struct cpio_builder {
	char *buf;
	size_t len;
};

static void cb_pad(struct cpio_builder *b)
{
	while (b->len % 4)
		b->buf[b->len++] = 0;
}

/* Append one entry; namesize/filesize are what the header claims (-1: the real ones). */
static void cb_raw(struct cpio_builder *b, const char *name, uint32_t mode, const void *data,
		   size_t size, long namesize, long filesize, unsigned int rdev_minor)
{
	size_t nlen = strlen(name) + 1;

	BUG_ON(b->len + 110 + nlen + size + 8 > ARCHIVE_MAX);
	snprintf(b->buf + b->len, 111,
		 "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 1u, mode, 0u, 0u, 1u, 1000u,
		 (unsigned int)(filesize < 0 ? (long)size : filesize), 0u, 0u,
		 rdev_minor ? 5u : 0u, rdev_minor,
		 (unsigned int)(namesize < 0 ? (long)nlen : namesize), 0u);
	b->len += 110;
	memcpy(b->buf + b->len, name, nlen);
	b->len += nlen;
	cb_pad(b);
	memcpy(b->buf + b->len, data, size);
	b->len += size;
	cb_pad(b);
}

static void cb_dir(struct cpio_builder *b, const char *name)
{
	cb_raw(b, name, S_IFDIR | 0755, NULL, 0, -1, -1, 0);
}

static void cb_file(struct cpio_builder *b, const char *name, const char *data, size_t size)
{
	cb_raw(b, name, S_IFREG | 0644, data, size, -1, -1, 0);
}

static void cb_trailer(struct cpio_builder *b)
{
	cb_raw(b, "TRAILER!!!", 0, NULL, 0, -1, -1, 0);
}

static const char hello[] = "hello, world\n";

/* /bin/hello, /etc/rc, /dev/console, /tests (empty). */
static void cb_good(struct cpio_builder *b)
{
	cb_dir(b, ".");
	cb_dir(b, "bin");
	cb_file(b, "bin/hello", hello, sizeof(hello) - 1);
	cb_dir(b, "./etc");
	cb_file(b, "/etc/rc", "echo hi\n", 8);
	cb_dir(b, "dev");
	cb_raw(b, "dev/console", S_IFCHR | 0600, NULL, 0, -1, -1, 1);
	cb_dir(b, "tests");
}

static bool cb_init(struct cpio_builder *b)
{
	b->buf = kzalloc(ARCHIVE_MAX);
	b->len = 0;
	return b->buf != NULL;
}

/* Unpack into a new tree; NULL only without memory. */
static struct inode *unpack(struct cpio_builder *b, size_t len, int *ret, unsigned int *added)
{
	struct inode *root = new_dir_inode(0755);

	if (root)
		*ret = unpack_cpio(root, b->buf, len, added);
	return root;
}

static struct inode *lookup(struct inode *root, const char *path)
{
	struct inode *inode = NULL;

	return path_lookupat(root, root, path, &inode, NULL) ? NULL : inode;
}

KTEST(cpio_good_archive)
{
	struct cpio_builder b;
	struct inode *root, *hello_ino, *con;
	unsigned int added = 0;
	int ret = -1;

	KT_ASSERT(t, cb_init(&b));
	cb_good(&b);
	cb_trailer(&b);
	root = unpack(&b, b.len, &ret, &added);
	KT_ASSERT(t, root);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, added, 8);
	KT_EXPECT_EQ(t, root->i_nr_children, 4);
	hello_ino = lookup(root, "/bin/hello");
	KT_EXPECT(t, hello_ino && S_ISREG(hello_ino->i_mode) && hello_ino->i_size == 13 &&
		  !memcmp(hello_ino->i_private, hello, 13) && hello_ino->i_mtime == 1000);
	KT_EXPECT(t, lookup(root, "/etc/rc") && lookup(root, "/etc/rc")->i_size == 8);
	con = lookup(root, "/dev/console");
	KT_EXPECT(t, con && S_ISCHR(con->i_mode) && con->i_rdev == MKDEV(5, 1));
	KT_EXPECT(t, lookup(root, "/bin")->i_nlink == 2 && root->i_nlink == 6);
	inode_free_tree(root);
	kfree(b.buf);
}

/* Cut a good archive anywhere: always -EINVAL, never more entries than before the cut. */
KTEST(cpio_truncated)
{
	struct cpio_builder b;
	size_t cuts[] = { 0, 1, 50, 109, 110, 113, 200, 300 };

	KT_ASSERT(t, cb_init(&b));
	cb_good(&b);
	cb_trailer(&b);
	for (size_t i = 0; i < ARRAY_SIZE(cuts) + 1; i++) {
		size_t len = i < ARRAY_SIZE(cuts) ? cuts[i] : b.len - 4;	/* last: inside the trailer */
		unsigned int added = 0;
		int ret = 0;
		struct inode *root = unpack(&b, len, &ret, &added);

		KT_ASSERT(t, root);
		KT_EXPECT_EQ(t, ret, -EINVAL);
		KT_EXPECT(t, added <= 8);
		inode_free_tree(root);
	}
	kfree(b.buf);
}

KTEST(cpio_bad_headers)
{
	struct cpio_builder b;
	unsigned int added = 0;
	struct inode *root;
	int ret = 0;

	KT_ASSERT(t, cb_init(&b));
	/* Bad magic. */
	cb_dir(&b, "bin");
	b.buf[0] = 'X';
	root = unpack(&b, b.len, &ret, &added);
	KT_ASSERT(t, root);
	KT_EXPECT(t, ret == -EINVAL && added == 0 && root->i_nr_children == 0);
	inode_free_tree(root);
	/* A good entry, then one whose file size runs past the end. */
	b.len = 0;
	cb_dir(&b, "bin");
	cb_raw(&b, "bin/big", S_IFREG | 0644, "xx", 2, -1, 0x7fffffff, 0);
	cb_trailer(&b);
	root = unpack(&b, b.len, &ret, &added);
	KT_ASSERT(t, root);
	KT_EXPECT(t, ret == -EINVAL && added == 1 && lookup(root, "/bin") && !lookup(root, "/bin/big"));
	inode_free_tree(root);
	/* Name size past the end; then a name whose NUL is not where its size says. */
	for (int i = 0; i < 2; i++) {
		b.len = 0;
		cb_raw(&b, "abc", S_IFDIR | 0755, NULL, 0, i ? 3 : 100000, -1, 0);
		cb_trailer(&b);
		root = unpack(&b, b.len, &ret, &added);
		KT_ASSERT(t, root);
		KT_EXPECT(t, ret == -EINVAL && added == 0);
		inode_free_tree(root);
	}
	/* A header field that is not hex. */
	b.len = 0;
	cb_dir(&b, "bin");
	b.buf[6 + 8 + 3] = 'g';		/* inside the mode field */
	root = unpack(&b, b.len, &ret, &added);
	KT_ASSERT(t, root);
	KT_EXPECT(t, ret == -EINVAL && added == 0);
	inode_free_tree(root);
	kfree(b.buf);
}

/* Well-formed entries the tree must refuse: they are skipped, the rest is kept. */
KTEST(cpio_hostile_names_and_duplicates)
{
	struct cpio_builder b;
	unsigned int added = 0;
	struct inode *root, *f;
	int ret = -1;

	KT_ASSERT(t, cb_init(&b));
	cb_dir(&b, "bin");
	cb_file(&b, "../escape", "x", 1);
	cb_file(&b, "bin/../../escape2", "x", 1);
	cb_file(&b, "nodir/file", "x", 1);
	cb_raw(&b, "bin/link", S_IFLNK | 0777, "hello", 5, -1, -1, 0);
	cb_file(&b, "bin/dup", "first", 5);
	cb_file(&b, "bin/dup", "second", 6);
	cb_file(&b, "bin", "not a dir", 9);	/* duplicate of another type */
	cb_file(&b, "//bin//./ok", "ok", 2);
	cb_trailer(&b);
	root = unpack(&b, b.len, &ret, &added);
	KT_ASSERT(t, root);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, added, 4);		/* bin, dup twice, ok */
	KT_EXPECT_EQ(t, root->i_nr_children, 1);
	KT_EXPECT(t, S_ISDIR(lookup(root, "/bin")->i_mode));
	KT_EXPECT_EQ(t, lookup(root, "/bin")->i_nr_children, 2);
	f = lookup(root, "/bin/dup");
	KT_EXPECT(t, f && f->i_size == 6 && !memcmp(f->i_private, "second", 6));
	KT_EXPECT(t, lookup(root, "/bin/ok") && !lookup(root, "/bin/link"));
	inode_free_tree(root);
	kfree(b.buf);
}

static struct inode *good_tree(struct cpio_builder *b)
{
	unsigned int added;
	int ret;

	if (!cb_init(b))
		return NULL;
	cb_good(b);
	cb_trailer(b);
	return unpack(b, b->len, &ret, &added);
}

static int lookup_err(struct inode *root, struct inode *cwd, const char *path, bool *parent)
{
	struct inode *inode;

	return path_lookupat(root, cwd, path, &inode, parent);
}

KTEST(path_lookup)
{
	struct cpio_builder b;
	struct inode *root = good_tree(&b), *bin, *inode;
	char *longpath, buf[16];
	bool parent;

	KT_ASSERT(t, root);
	bin = lookup(root, "/bin");
	KT_ASSERT(t, bin);
	KT_EXPECT(t, lookup(root, "/") == root && lookup(root, "//") == root);
	KT_EXPECT(t, lookup(root, "/..") == root && lookup(root, "/bin/..") == root);
	KT_EXPECT(t, lookup(root, "//bin///hello") == lookup(root, "/bin/hello"));
	KT_EXPECT(t, lookup(root, "./bin/./") == bin && lookup(root, "bin/") == bin);
	KT_EXPECT(t, path_lookupat(root, bin, "hello", &inode, NULL) == 0 && inode->i_size == 13);
	KT_EXPECT(t, path_lookupat(root, bin, "../etc/rc", &inode, NULL) == 0 && inode->i_size == 8);
	KT_EXPECT(t, path_lookupat(root, bin, ".", &inode, NULL) == 0 && inode == bin);
	KT_EXPECT_EQ(t, lookup_err(root, root, "/bin/hello/", NULL), -ENOTDIR);
	KT_EXPECT_EQ(t, lookup_err(root, root, "/bin/hello/x", NULL), -ENOTDIR);
	KT_EXPECT_EQ(t, lookup_err(root, root, "/nope", &parent), -ENOENT);
	KT_EXPECT(t, parent);
	KT_EXPECT_EQ(t, lookup_err(root, root, "/nope/x", &parent), -ENOENT);
	KT_EXPECT(t, !parent);
	KT_EXPECT_EQ(t, lookup_err(root, root, "", NULL), -ENOENT);
	longpath = kmalloc(PATH_MAX + 1);
	KT_ASSERT(t, longpath);
	memset(longpath, 'a', PATH_MAX);
	longpath[0] = '/';
	longpath[NAME_MAX + 2] = '\0';		/* a 256-byte component */
	KT_EXPECT_EQ(t, lookup_err(root, root, longpath, NULL), -ENAMETOOLONG);
	for (int i = 1; i < PATH_MAX; i++)
		longpath[i] = i % 2 ? 'a' : '/';
	longpath[PATH_MAX] = '\0';		/* 4096 bytes: one too many */
	KT_EXPECT_EQ(t, lookup_err(root, root, longpath, NULL), -ENAMETOOLONG);
	kfree(longpath);
	KT_EXPECT_EQ(t, inode_path(root, bin, buf, sizeof(buf)), 5);
	KT_EXPECT(t, !strcmp(buf, "/bin"));
	KT_EXPECT_EQ(t, inode_path(root, root, buf, sizeof(buf)), 2);
	KT_EXPECT(t, !strcmp(buf, "/"));
	KT_EXPECT_EQ(t, inode_path(root, bin, buf, 4), -ERANGE);
	inode_free_tree(root);
	kfree(b.buf);
}

static int open_err(struct inode *root, const char *path, int flags)
{
	struct file *file;
	int err = vfs_open_at(root, root, path, flags, 0644, &file);

	if (!err)
		fput(file);
	return err;
}

KTEST(vfs_open_rules_and_read)
{
	struct cpio_builder b;
	struct inode *root = good_tree(&b);
	struct file *file;
	char buf[32];
	loff_t pos = 7;

	KT_ASSERT(t, root);
	KT_EXPECT_EQ(t, open_err(root, "/bin/hello", O_WRONLY), -EROFS);
	KT_EXPECT_EQ(t, open_err(root, "/bin/hello", O_RDONLY | O_TRUNC), -EROFS);
	KT_EXPECT_EQ(t, open_err(root, "/bin/new", O_WRONLY | O_CREAT), -EROFS);
	KT_EXPECT_EQ(t, open_err(root, "/nodir/new", O_WRONLY | O_CREAT), -ENOENT);
	KT_EXPECT_EQ(t, open_err(root, "/bin/hello", O_RDONLY | O_CREAT | O_EXCL), -EEXIST);
	KT_EXPECT_EQ(t, open_err(root, "/bin/hello", O_RDONLY | O_CREAT), 0);
	KT_EXPECT_EQ(t, open_err(root, "/bin/hello", O_RDONLY | O_DIRECTORY), -ENOTDIR);
	KT_EXPECT_EQ(t, open_err(root, "/bin", O_RDWR), -EISDIR);
	KT_EXPECT_EQ(t, open_err(root, "/bin", O_RDONLY | O_DIRECTORY), 0);
	KT_EXPECT_EQ(t, open_err(root, "/bin/hello", O_ACCMODE), -EINVAL);
	KT_ASSERT(t, vfs_open_at(root, root, "/bin/hello", O_RDONLY, 0, &file) == 0);
	KT_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &pos), 6);
	KT_EXPECT(t, !memcmp(buf, "world\n", 6) && pos == 13);
	KT_EXPECT_EQ(t, kernel_read(file, buf, sizeof(buf), &pos), 0);
	KT_EXPECT_EQ(t, vfs_llseek(file, -3, SEEK_END), 10);
	KT_EXPECT_EQ(t, vfs_llseek(file, -11, SEEK_CUR), -EINVAL);
	KT_EXPECT_EQ(t, vfs_llseek(file, 0, 7), -EINVAL);
	{
		struct iov_iter it;

		iov_iter_init(&it, false, buf, sizeof(buf));
		KT_EXPECT_EQ(t, vfs_read(file, &it), 3);
		KT_EXPECT(t, !memcmp(buf, "ld\n", 3) && file->f_pos == 13);
		iov_iter_init(&it, false, buf, sizeof(buf));
		KT_EXPECT_EQ(t, vfs_write(file, &it), -EBADF);
	}
	fput(file);
	inode_free_tree(root);
	kfree(b.buf);
}

KTEST(getdents64_records)
{
	struct cpio_builder b;
	struct inode *root = good_tree(&b);
	const char *want[] = { ".", "..", "bin", "etc", "dev", "tests" };
	struct linux_dirent64 *d;
	struct file *dir;
	struct iov_iter it;
	char buf[256];
	size_t off = 0;
	int n, i = 0;

	KT_ASSERT(t, root);
	KT_ASSERT(t, vfs_open_at(root, root, "/", O_RDONLY | O_DIRECTORY, 0, &dir) == 0);
	iov_iter_init(&it, false, buf, 20);		/* too small for one record */
	KT_EXPECT_EQ(t, vfs_getdents64(dir, &it), -EINVAL);
	iov_iter_init(&it, false, buf, 72);		/* three 24-byte records */
	n = vfs_getdents64(dir, &it);
	KT_EXPECT_EQ(t, n, 72);
	iov_iter_init(&it, false, buf + n, sizeof(buf) - (size_t)n);
	n += vfs_getdents64(dir, &it);
	for (; off < (size_t)n; off += d->d_reclen, i++) {
		d = (struct linux_dirent64 *)(buf + off);
		KT_ASSERT(t, d->d_reclen % 8 == 0 && d->d_reclen > 0 && i < 6);
		KT_EXPECT(t, !strcmp(d->d_name, want[i]));
		KT_EXPECT_EQ(t, d->d_type, DT_DIR);
	}
	KT_EXPECT_EQ(t, i, 6);
	iov_iter_init(&it, false, buf, sizeof(buf));
	KT_EXPECT_EQ(t, vfs_getdents64(dir, &it), 0);	/* the end */
	KT_EXPECT_EQ(t, vfs_llseek(dir, 0, SEEK_SET), 0);	/* rewinddir */
	iov_iter_init(&it, false, buf, sizeof(buf));
	KT_EXPECT(t, vfs_getdents64(dir, &it) > 0);
	fput(dir);
	inode_free_tree(root);
	kfree(b.buf);
}

/* Through the page cache (kernel/mm/filemap.c): two lookups give the same folio;
 * contents and zeroed tail; past the end; ->fault hands out the same page, locked. */
KTEST(page_cache_sharing)
{
	struct cpio_builder b;
	size_t size = 2 * PAGE_SIZE + 100;
	char *data = kmalloc(size);
	struct inode *root, *f;
	struct folio *p0, *p0b, *p2;
	unsigned int added;
	int ret, base, err;

	KT_ASSERT(t, data && cb_init(&b));
	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 7 + 1);
	cb_file(&b, "big", data, size);
	cb_trailer(&b);
	root = unpack(&b, b.len, &ret, &added);
	KT_ASSERT(t, root && ret == 0);
	f = lookup(root, "/big");
	KT_ASSERT(t, f && f->i_mapping == &f->i_data);
	p0 = read_mapping_folio(f->i_mapping, 0, NULL, &err);
	KT_ASSERT(t, p0);
	base = folio_ref_count(p0);			/* the cache's + ours */
	KT_EXPECT_EQ(t, base, 2);
	p0b = read_mapping_folio(f->i_mapping, 0, NULL, &err);
	KT_EXPECT(t, p0b == p0 && folio_ref_count(p0) == base + 1);
	KT_EXPECT(t, !memcmp(folio_address(p0), data, PAGE_SIZE));
	p2 = read_mapping_folio(f->i_mapping, 2, NULL, &err);
	KT_ASSERT(t, p2);
	KT_EXPECT(t, !memcmp(folio_address(p2), data + 2 * PAGE_SIZE, 100));
	KT_EXPECT(t, ((char *)folio_address(p2))[100] == 0 &&
		  ((char *)folio_address(p2))[PAGE_SIZE - 1] == 0);
	KT_EXPECT_EQ(t, f->i_mapping->nrpages, 2);
	{
		struct file *file = alloc_file(f, O_RDONLY, &ramfs_file_operations);
		struct vm_area_struct vma = { .vm_file = file, .vm_flags = VM_READ | VM_SHARED | VM_MAYWRITE };
		struct vm_fault vmf = { .vma = &vma, .pgoff = 0 };

		KT_ASSERT(t, file);
		KT_EXPECT_EQ(t, call_mmap(file, &vma), 0);
		KT_EXPECT(t, !(vma.vm_flags & VM_MAYWRITE) && vma.vm_ops && vma.vm_ops->fault);
		KT_EXPECT_EQ(t, vma.vm_ops->fault(&vmf), VM_FAULT_LOCKED);
		KT_EXPECT(t, vmf.page == folio_page(p0));
		if (vmf.page) {
			folio_unlock(page_folio(vmf.page));
			put_page(vmf.page);
		}
		vmf.pgoff = 3;
		KT_EXPECT_EQ(t, filemap_fault(&vmf), VM_FAULT_SIGBUS);
		vma.vm_ops->close(&vma);
		vma.vm_flags = VM_READ | VM_WRITE | VM_SHARED;
		KT_EXPECT_EQ(t, call_mmap(file, &vma), -EACCES);
		fput(file);
		file = alloc_file(f, O_WRONLY, &ramfs_file_operations);	/* (open refuses this) */
		KT_ASSERT(t, file);
		vma.vm_flags = VM_READ;
		KT_EXPECT_EQ(t, call_mmap(file, &vma), -EACCES);	/* not open for reading */
		fput(file);
	}
	folio_put(p0);
	folio_put(p0b);
	KT_EXPECT_EQ(t, folio_ref_count(p2), 2);
	folio_put(p2);
	inode_free_tree(root);			/* frees the cached pages */
	kfree(b.buf);
	kfree(data);
}

/* The boot tree, when the kernel was booted with tools/mkinitramfs's archive. */
KTEST(initramfs_boot_tree)
{
	struct inode *root = vfs_root(), *con, *init;
	char magic[4];
	struct file *f;
	loff_t pos = 0;

	if (list_empty(&root->i_children)) {
		printk("ktest: initramfs_boot_tree: no initrd at boot, nothing to check\n");
		return;
	}
	con = lookup(root, "/dev/console");
	KT_EXPECT(t, con && S_ISCHR(con->i_mode) && con->i_rdev == MKDEV(TTYAUX_MAJOR, 1));
	init = lookup(root, "/bin/init");
	KT_ASSERT(t, init && S_ISREG(init->i_mode) && init->i_size > 64);
	KT_ASSERT(t, vfs_open("/bin/init", O_RDONLY, 0, &f) == 0);
	KT_EXPECT_EQ(t, kernel_read(f, magic, 4, &pos), 4);
	KT_EXPECT(t, !memcmp(magic, "\177ELF", 4));
	fput(f);
	KT_EXPECT(t, lookup(root, "/etc/rc") && lookup(root, "/tests/usertests"));
}
