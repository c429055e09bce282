/*
 * test_ext2.c - ext2 on the host (tests/host/ext2, docs/testing.md).
 *
 *   test_ext2 BUILD_DIR REGRESS_DIR [NAME]
 *
 * BUILD_DIR holds img/ (mkimages.sh: images and their staging trees) and
 * corrupt/ (mkcorrupt.sh). Each test runs in a forked child (a panic or a
 * sanitizer report fails that test only; 120 s is a hang):
 *  tree-*      mount an mke2fs -d image, walk it, compare every directory,
 *              file size and byte with the staging tree; unmount; e2fsck clean
 *  changes-*   create, write (across blocks, into holes), rename (files,
 *              directories, over a name), unlink, mkdir, rmdir, truncate,
 *              fsync; unmount, e2fsck -fn clean, mount again and check
 *  corrupt-*   a damaged image: the mount is refused or the call fails with
 *              -EIO, and the kernel's message names the problem and e2fsck
 *  regress-*   every input in regress/ and the fuzz seeds through fuzz_one
 * Ends with "ext2: N passed, N failed".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "harness.h"
#include "fuzz_one.h"

static const char *build_dir, *regress_dir;
static char fail_msg[1024];

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			snprintf(fail_msg, sizeof(fail_msg), __VA_ARGS__);	\
			fprintf(stderr, "  %s:%d: %s: %s\n", __FILE__, __LINE__, #cond, fail_msg); \
			return 1;					\
		}							\
	} while (0)

/* ---- images ---------------------------------------------------------------- */

struct image {
	unsigned char *bytes;
	size_t len;
};

static int load_image(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	img->len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	img->bytes = malloc(img->len ? img->len : 1);
	if (fread(img->bytes, 1, img->len, f) != img->len) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

/* Write img to a file and run e2fsck -fn on it: its exit status (0: clean). */
static int fsck(const struct image *img, const char *name)
{
	char path[512], cmd[1200];
	FILE *f;
	int st;

	snprintf(path, sizeof(path), "%s/%s.after.img", build_dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(img->bytes, 1, img->len, f) != img->len)
		return -1;
	fclose(f);
	snprintf(cmd, sizeof(cmd), "e2fsck -fn %s > %s.fsck.log 2>&1", path, path);
	st = system(cmd);
	if (st)
		fprintf(stderr, "  e2fsck -fn %s: see %s.fsck.log\n", path, path);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- comparing the mounted image with the staging tree ------------------------ */

static int compare_file(const char *host, const char *path, long long size)
{
	static char a[65536], b[65536];
	int fd = open(host, O_RDONLY);
	long long off = 0;

	CHECK(fd >= 0, "open %s", host);
	while (off < size) {
		ssize_t n = pread(fd, a, sizeof(a), off);
		long m = h_read(path, off, b, sizeof(b));

		CHECK(n > 0 && m == n, "%s at %lld: host read %zd, kernel read %ld", path, off, n, m);
		CHECK(!memcmp(a, b, (size_t)n), "%s: bytes differ in [%lld, %lld)", path, off, off + n);
		off += n;
	}
	close(fd);
	CHECK(h_read(path, size, b, 1) == 0, "%s: read at the end is not 0", path);
	return 0;
}

struct names {
	char name[200][64];
	int n;
};

static int collect(void *arg, const char *name, unsigned long ino, unsigned int type)
{
	struct names *ns = arg;

	(void)ino;
	(void)type;
	if (ns->n < 200)
		snprintf(ns->name[ns->n++], sizeof(ns->name[0]), "%s", name);
	return 0;
}

static int compare_tree(const char *host, const char *path);

static int compare_entry(const char *host, const char *path)
{
	struct h_stat hs;
	struct stat st;
	int err = h_stat(path, &hs);

	CHECK(lstat(host, &st) == 0, "lstat %s", host);
	CHECK(err == 0, "stat %s: %d", path, err);
	CHECK((hs.mode & S_IFMT) == (st.st_mode & S_IFMT), "%s: mode %o, host %o", path, hs.mode,
	      st.st_mode);
	if (S_ISDIR(st.st_mode))
		return compare_tree(host, path);
	CHECK(hs.size == st.st_size, "%s: size %lld, host %lld", path, hs.size, (long long)st.st_size);
	return compare_file(host, path, hs.size);
}

static int compare_tree(const char *host, const char *path)
{
	static struct names ns;
	DIR *d = opendir(host);
	struct dirent *e;
	int n_host = 0, err;

	CHECK(d != NULL, "opendir %s", host);
	ns.n = 0;
	err = h_readdir(path, collect, &ns);
	CHECK(err == 0, "readdir %s: %d", path, err);
	struct names mine = ns;		/* the recursion reuses ns */

	while ((e = readdir(d))) {
		char hp[1024], kp[1024];
		int found = 0;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    (!strcmp(path, "/") && !strcmp(e->d_name, "lost+found")))
			continue;
		n_host++;
		for (int i = 0; i < mine.n; i++)
			found |= !strcmp(mine.name[i], e->d_name);
		CHECK(found, "%s: no entry %s", path, e->d_name);
		snprintf(hp, sizeof(hp), "%s/%s", host, e->d_name);
		snprintf(kp, sizeof(kp), "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
		if (compare_entry(hp, kp)) {
			closedir(d);
			return 1;
		}
	}
	closedir(d);
	CHECK(mine.n == n_host + !strcmp(path, "/"), "%s: %d entries, host %d", path, mine.n, n_host);
	return 0;
}

/* ---- the tests ------------------------------------------------------------ */

static int mount_image(const char *name, struct image *img)
{
	char path[512];
	int err;

	snprintf(path, sizeof(path), "%s/img/%s.img", build_dir, name);
	CHECK(load_image(path, img) == 0, "cannot read %s (make images)", path);
	err = h_mount(img->bytes, img->len, false);
	CHECK(err == 0, "mount %s: %d\n%s", name, err, h_log());
	return 0;
}

static int test_tree(const char *bs)
{
	char name[32], staging[512];
	struct image img;
	int err;

	snprintf(name, sizeof(name), "full-%s", bs);
	snprintf(staging, sizeof(staging), "%s/img/%s.staging", build_dir, name);
	if (mount_image(name, &img) || compare_tree(staging, "/"))
		return 1;
	err = h_umount();
	CHECK(err == 0, "umount: %d", err);
	CHECK(fsck(&img, name) == 0, "e2fsck -fn is not clean after mount and unmount");
	return 0;
}

static void pattern(char *buf, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)((i * 13 + seed) % 251);
}

static int expect_bytes(const char *path, long long off, const char *want, size_t n)
{
	static char got[65536];
	long r = h_read(path, off, got, n);

	CHECK(r == (long)n, "read %s at %lld: %ld, want %zu", path, off, r, n);
	CHECK(!memcmp(got, want, n), "%s: bytes at %lld differ", path, off);
	return 0;
}

static int count_entries(const char *path)
{
	static struct names ns;

	ns.n = 0;
	return h_readdir(path, collect, &ns) ? -1 : ns.n;
}

/* The first round of changes; then what must be there after a remount. */
static int make_changes(void)
{
	static char buf[20000], zero[4000];
	struct h_stat st;
	char name[128];

	pattern(buf, sizeof(buf), 1);
	CHECK(h_write("/new.txt", 0, buf, sizeof(buf), true) == sizeof(buf), "write /new.txt");
	CHECK(h_write("/new.txt", 20000, buf, 5000, false) == 5000, "append");
	CHECK(h_write("/new.txt", 100000, "0123456789", 10, false) == 10, "write past a hole");
	CHECK(h_stat("/new.txt", &st) == 0 && st.size == 100010, "size %lld", st.size);
	if (expect_bytes("/new.txt", 0, buf, sizeof(buf)) || expect_bytes("/new.txt", 25000, zero, 4000))
		return 1;
	CHECK(h_mkdir("/nd") == 0 && h_mkdir("/nd/inner") == 0, "mkdir");
	CHECK(h_mkdir("/nd") == -EEXIST, "mkdir of an existing name");
	CHECK(h_write("/nd/inner/f", 0, "inner file\n", 11, true) == 11, "create in a new dir");
	CHECK(h_rename("/new.txt", "/nd/renamed.txt") == 0, "rename a file across directories");
	CHECK(h_stat("/new.txt", &st) == -ENOENT, "the old name is gone");
	CHECK(h_rename("/nd/inner", "/dir/inner2") == 0, "rename a directory across directories");
	CHECK(h_stat("/dir/inner2/..", &st) == 0, "..");
	CHECK(h_rename("/hello.txt", "/dir/a") == 0, "rename over an existing file");
	CHECK(h_unlink("/empty") == 0 && h_stat("/empty", &st) == -ENOENT, "unlink");
	CHECK(h_rmdir("/emptydir") == 0, "rmdir of an empty directory");
	CHECK(h_rmdir("/dir") == -ENOTEMPTY, "rmdir of a full directory");
	CHECK(h_truncate("/big", 5000) == 0 && h_truncate("/big", 400000) == 0, "truncate");
	CHECK(h_fsync("/big") == 0, "fsync");
	for (int i = 1; i <= 150; i += 7) {
		snprintf(name, sizeof(name), "/many/entry-%d-with-a-longer-name", i);
		CHECK(h_unlink(name) == 0, "unlink %s", name);
	}
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "/many/n%d", i);
		CHECK(h_write(name, 0, "n", 1, true) == 1, "create %s", name);
	}
	CHECK(count_entries("/many") == 150 - 22 + 30, "/many has %d entries", count_entries("/many"));
	return 0;
}

static int check_changes(const char *staging)
{
	static char buf[20000], zero[4000], big[5000];
	char host[600];
	struct h_stat st;
	FILE *f;

	pattern(buf, sizeof(buf), 1);
	if (expect_bytes("/nd/renamed.txt", 0, buf, sizeof(buf)) ||
	    expect_bytes("/nd/renamed.txt", 25000, zero, sizeof(zero)) ||
	    expect_bytes("/nd/renamed.txt", 100000, "0123456789", 10) ||
	    expect_bytes("/dir/inner2/f", 0, "inner file\n", 11) ||
	    expect_bytes("/dir/a", 0, "hello, ext2\n", 12))
		return 1;
	snprintf(host, sizeof(host), "%s/big", staging);
	f = fopen(host, "rb");
	CHECK(f && fread(big, 1, sizeof(big), f) == sizeof(big), "read %s", host);
	fclose(f);
	if (expect_bytes("/big", 0, big, sizeof(big)) || expect_bytes("/big", 396000, zero, 4000))
		return 1;
	CHECK(h_stat("/big", &st) == 0 && st.size == 400000, "/big size %lld", st.size);
	CHECK(h_stat("/emptydir", &st) == -ENOENT && h_stat("/hello.txt", &st) == -ENOENT, "gone");
	CHECK(h_stat("/dir", &st) == 0 && st.nlink == 4, "/dir links %u", st.nlink);
	CHECK(count_entries("/many") == 158, "/many has %d entries", count_entries("/many"));
	CHECK(count_entries("/dir") == 3, "/dir has %d entries", count_entries("/dir"));
	return 0;
}

static int test_changes(const char *bs)
{
	char name[32], staging[512];
	struct image img;
	int err;

	snprintf(name, sizeof(name), "full-%s", bs);
	snprintf(staging, sizeof(staging), "%s/img/%s.staging", build_dir, name);
	if (mount_image(name, &img) || make_changes() || check_changes(staging))
		return 1;
	err = h_umount();
	CHECK(err == 0, "umount: %d", err);
	CHECK(fsck(&img, name) == 0, "e2fsck -fn is not clean after the changes");
	err = h_mount(img.bytes, img.len, false);
	CHECK(err == 0, "mount again: %d", err);
	if (check_changes(staging))
		return 1;
	CHECK(h_umount() == 0, "umount");
	CHECK(fsck(&img, name) == 0, "e2fsck -fn is not clean after the second mount");
	return 0;
}

/* ---- corrupt images ---------------------------------------------------------- */

enum op { MOUNT, READ, STAT, READDIR, WALK };

struct corrupt {
	const char *name;	/* mkcorrupt.sh's image, without -1k/-4k */
	enum op op;
	const char *path;
	int err;		/* what the op answers */
	const char *msg;	/* a part of the kernel's message */
};

static const struct corrupt corrupts[] = {
	{ "bad-magic", MOUNT, NULL, -EINVAL, "bad magic 0x1234" },
	{ "truncated", MOUNT, NULL, -EINVAL, "does not fit the device" },
	{ "gd-inode-table", MOUNT, NULL, -EINVAL, "group 0: bitmap or inode table outside" },
	{ "gd-block-bitmap", MOUNT, NULL, -EINVAL, "group 0: bitmap or inode table" },
	{ "inode-block", READ, "/hello.txt", -EIO, "block 9999999 (file block 0) out of range" },
	{ "indirect-block", READ, "/big", -EIO, "block 2147483632 (file block 12) out of range" },
	{ "dir-self", STAT, "/dir/loop", -EIO, "directory loop" },
	{ "dir-ancestor", STAT, "/dir/sub/deep/up", -EIO, "directory loop" },
	{ "rec-len-zero", READDIR, "/dir", -EIO, "bad entry" },
	{ "rec-len-past", STAT, "/dir/sub", -EIO, "bad entry" },
	{ "inode-size", STAT, "/hello.txt", -EIO, "past the largest file" },
	{ "dir-size", STAT, "/dir", -EIO, "is not whole blocks" },
	{ "i-blocks-zero", STAT, "/big", -EIO, "i_blocks" },
	{ "i-blocks-odd", STAT, "/hello.txt", -EIO, "i_blocks" },
	{ "ino-range", STAT, "/dir/a", -EIO, "bad entry" },
	{ "ino-reserved", STAT, "/dir/a", -EIO, "names inode 1" },
	{ "ino-free", STAT, "/hello.txt", -EIO, "is free" },
	{ "dir-hole", READDIR, "/many", -EIO, "has a hole at block 1" },
};

static int walk_count(void *arg, const char *name, unsigned long ino, unsigned int type)
{
	(void)name;
	(void)ino;
	(void)type;
	++*(int *)arg;
	return 0;
}

static int corrupt_op(const struct corrupt *c)
{
	static char buf[4096];
	struct h_stat st;
	int n = 0;
	long r;

	switch (c->op) {
	case READ:		/* the first block, and file block 12 (the first indirect one) */
		for (int i = 0; i < 3; i++) {
			r = h_read(c->path, (long long[]){ 0, 12 * 1024, 12 * 4096 }[i], buf, 1024);
			if (r < 0)
				return (int)r;
		}
		return 0;
	case STAT:
		return h_stat(c->path, &st);
	case READDIR:
		return h_readdir(c->path, walk_count, &n);
	default:
		return 0;
	}
}

static int test_corrupt(const struct corrupt *c, const char *bs)
{
	char path[512];
	struct image img;
	int err;

	snprintf(path, sizeof(path), "%s/corrupt/%s-%s.img", build_dir, c->name, bs);
	CHECK(load_image(path, &img) == 0, "cannot read %s (make corrupt)", path);
	h_log_clear();
	err = h_mount(img.bytes, img.len, false);
	if (c->op == MOUNT) {
		CHECK(err == c->err, "mount: %d, want %d\n%s", err, c->err, h_log());
	} else {
		CHECK(err == 0, "mount: %d\n%s", err, h_log());
		err = corrupt_op(c);
		CHECK(err == c->err, "%s: %d, want %d\n%s", c->path, err, c->err, h_log());
		CHECK(strstr(h_log(), "e2fsck"), "the message does not say e2fsck:\n%s", h_log());
		err = h_umount();
		CHECK(err == 0, "umount after the error: %d\n%s", err, h_log());
	}
	CHECK(strstr(h_log(), c->msg), "no message with \"%s\":\n%s", c->msg, h_log());
	return 0;
}

/* ---- regression inputs ------------------------------------------------------ */

static int test_input(const char *path)
{
	struct image img;

	CHECK(load_image(path, &img) == 0, "cannot read %s", path);
	fuzz_baseline();
	fuzz_one(img.bytes, img.len);	/* aborts (the child dies) on a failure */
	free(img.bytes);
	return 0;
}

/* ---- the runner ------------------------------------------------------------- */

static int passed, failed;

static void run(const char *filter, const char *name, int (*fn)(const void *), const void *arg)
{
	pid_t pid;
	int st = 0;

	if (filter && !strstr(name, filter))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(120);
		exit(fn(arg));
	}
	waitpid(pid, &st, 0);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		passed++;
		printf("  ok   %s\n", name);
	} else {
		failed++;
		printf("  FAIL %s%s\n", name, WIFSIGNALED(st) ? (WTERMSIG(st) == SIGALRM ?
			" (a hang: 120 s)" : " (crashed: a panic or a sanitizer report above)") : "");
	}
}

static int tree_fn(const void *bs) { return test_tree(bs); }
static int changes_fn(const void *bs) { return test_changes(bs); }
static int input_fn(const void *path) { return test_input(path); }

struct corrupt_arg { const struct corrupt *c; const char *bs; };
static int corrupt_fn(const void *a)
{
	const struct corrupt_arg *ca = a;

	return test_corrupt(ca->c, ca->bs);
}

static void run_inputs(const char *filter, const char *dir, const char *prefix)
{
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		char name[300], path[1024];

		if (e->d_name[0] == '.' || (!strcmp(prefix, "seed") && !strstr(e->d_name, "seed-")) ||
		    (!strcmp(prefix, "seed") && !strstr(e->d_name, ".img")))
			continue;
		snprintf(name, sizeof(name), "%s-%s", prefix, e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		run(filter, name, input_fn, path);
	}
	if (d)
		closedir(d);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 3 ? argv[3] : NULL;
	static const char *sizes[] = { "1k", "4k" };
	char img_dir[512];

	if (argc < 3) {
		fprintf(stderr, "usage: test_ext2 BUILD_DIR REGRESS_DIR [NAME]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	build_dir = argv[1];
	regress_dir = argv[2];
	h_verbose = getenv("V") != NULL;
	h_boot();
	for (int s = 0; s < 2; s++) {
		char name[64];

		snprintf(name, sizeof(name), "tree-%s", sizes[s]);
		run(filter, name, tree_fn, sizes[s]);
		snprintf(name, sizeof(name), "changes-%s", sizes[s]);
		run(filter, name, changes_fn, sizes[s]);
		for (size_t i = 0; i < sizeof(corrupts) / sizeof(corrupts[0]); i++) {
			struct corrupt_arg a = { &corrupts[i], sizes[s] };

			snprintf(name, sizeof(name), "corrupt-%s-%s", corrupts[i].name, sizes[s]);
			run(filter, name, corrupt_fn, &a);
		}
	}
	snprintf(img_dir, sizeof(img_dir), "%s/img", build_dir);
	run_inputs(filter, img_dir, "seed");
	run_inputs(filter, regress_dir, "regress");
	printf("ext2: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
