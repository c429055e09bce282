/*
 * fstests - the file system from user space (issue 4): ext2 through the VFS and the page cache.
 *   fstests              run every test (in /tmp/fstests, made afresh)
 *   fstests NAME...      run only these (names as printed)
 *   fstests durability   write and fsync /tmp/durable/data.bin, then power off WITHOUT sync
 *                        (reboot(RB_POWER_OFF)); the host checks the image (tools/test-arch.sh)
 * Each test runs in its own child process and prints "  ok   fs NAME" or "  FAIL fs NAME";
 * the last line is "fstests: N passed, N failed" and the exit status the number failed.
 * usertests runs this program as its test "fstests".
 *
 * File contents come from pat(stream, offset), which is never 0 (a 0 is a hole or garbage)
 * and which tools/test-arch.sh recomputes on the host: the files left in /tmp/fstests-result
 * (see check_results there) are compared with it through debugfs after power-off.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <faultline.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096L
#define DIR_T		"/tmp/fstests"		/* scratch, removed and made at start */
#define RESULTS		"/tmp/fstests-result"	/* left for the host's check */
#define SKIP		77			/* exit code of a skipped test */

#include "common.h"		/* fail, EXPECT, wait_code, struct test */

#define ERR strerror(errno)

/* ---- helpers ---- */

/* Byte off of stream s: never 0. tools/test-arch.sh computes the same in Python. */
static uint8_t pat(unsigned int s, uint64_t off)
{
	return (uint8_t)((off * 131 + (off >> 12) * 7 + s * 29) % 251 + 1);
}

static void fill_pat(uint8_t *buf, unsigned int s, uint64_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = pat(s, off + i);
}

/* Index of the first byte of buf that is not stream s at off, or -1. */
static long diff_pat(const uint8_t *buf, unsigned int s, uint64_t off, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != pat(s, off + i))
			return (long)i;
	return -1;
}

static pid_t fork_flushed(void)
{
	fflush(NULL);
	return fork();
}

/* pwrite/pread of exactly n bytes (0) or -1. */
static int pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = pwrite(fd, (const char *)buf + done, n - done, off + (off_t)done);

		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static ssize_t pread_full(int fd, void *buf, size_t n, off_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, off + (off_t)done);

		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	return (ssize_t)done;
}

/* Write n bytes of stream s to a new file path (fsynced). */
static int write_pat_file(const char *path, unsigned int s, size_t n, size_t piece)
{
	uint8_t *buf = malloc(piece);		/* threads call this at the same time */
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644), err = fd < 0 || !buf;

	for (size_t off = 0; off < n && !err; off += piece) {
		size_t len = n - off < piece ? n - off : piece;

		fill_pat(buf, s, off, len);
		err = write(fd, buf, len) != (ssize_t)len;
	}
	err = err || fsync(fd) < 0;
	free(buf);
	if (fd >= 0 && close(fd) < 0)
		err = 1;
	return err ? -1 : 0;
}

#define CHECK_CHUNK	65536

static int check_pat_chunks(int fd, const char *path, unsigned int s, size_t n, uint8_t *buf)
{
	long d;

	for (size_t off = 0; off < n; off += CHECK_CHUNK) {
		size_t len = n - off < CHECK_CHUNK ? n - off : CHECK_CHUNK;

		if (pread_full(fd, buf, len, (off_t)off) != (ssize_t)len)
			return fail("%s: short read at %zu", path, off), -1;
		if ((d = diff_pat(buf, s, off, len)) >= 0)
			return fail("%s: byte %zu is %u, expected %u", path, off + (size_t)d, buf[d],
				    pat(s, off + (uint64_t)d)), -1;
	}
	return 0;
}

/* Does path hold exactly n bytes of stream s? 0 yes, else -1 (with a message). */
static int check_pat_file(const char *path, unsigned int s, size_t n)
{
	uint8_t *buf = malloc(CHECK_CHUNK);
	struct stat st;
	int fd = open(path, O_RDONLY), err = -1;

	if (fd < 0 || fstat(fd, &st) < 0 || !buf)
		fail("%s: %s", path, ERR);
	else if (st.st_size != (off_t)n)
		fail("%s: size %ld, expected %zu", path, (long)st.st_size, n);
	else
		err = check_pat_chunks(fd, path, s, n, buf);
	free(buf);
	if (fd >= 0)
		close(fd);
	return err;
}

static long free_blocks(void)
{
	struct statfs sf;

	return statfs("/tmp", &sf) < 0 ? -1 : (long)sf.f_bfree;
}

static long block_size(void)
{
	struct statfs sf;

	return statfs("/tmp", &sf) < 0 ? -1 : (long)sf.f_bsize;
}

static long file_blocks(const char *path)	/* in file system blocks, from st_blocks */
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : (long)st.st_blocks * 512 / block_size();
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* ---- large files: every level of the block map, holes, truncate ---- */

struct region { off_t off; size_t len; };

/* Regions straddling each boundary of the block map; the last one in the triple range. */
static int large_regions(struct region *r, long bs)
{
	long apb = bs / 4;
	off_t dind = (off_t)(12 + apb) * bs, tind = (off_t)(12 + apb + apb * apb) * bs;

	r[0] = (struct region){ 0, 100 };
	r[1] = (struct region){ 12 * bs - 50, 100 };		/* direct -> indirect */
	r[2] = (struct region){ dind - 50, 100 };		/* indirect -> double */
	r[3] = (struct region){ tind - 50, 100 };		/* double -> triple */
	r[4] = (struct region){ tind + 5 * bs * apb + 7, (size_t)(3 * bs) };
	return 5;
}

static int large_write_regions(int fd, const struct region *r, int n)
{
	static uint8_t buf[3 * 4096];

	for (int i = 0; i < n; i++) {
		fill_pat(buf, 1 + (unsigned int)i, (uint64_t)r[i].off, r[i].len);
		EXPECT(pwrite_all(fd, buf, r[i].len, r[i].off) == 0, "pwrite region %d at %lld: %s",
		       i, (long long)r[i].off, ERR);
	}
	return 0;
}

static int large_check_regions(int fd, const struct region *r, int n)
{
	static uint8_t buf[3 * 4096];
	long d;

	for (int i = 0; i < n; i++) {
		EXPECT(pread_full(fd, buf, r[i].len, r[i].off) == (ssize_t)r[i].len,
		       "pread region %d: %s", i, ERR);
		d = diff_pat(buf, 1 + (unsigned int)i, (uint64_t)r[i].off, r[i].len);
		EXPECT(d < 0, "region %d (offset %lld): byte %ld differs", i, (long long)r[i].off, d);
	}
	return 0;
}

static int expect_zeros(int fd, off_t off, size_t n)
{
	static uint8_t buf[4096];

	EXPECT(n <= sizeof(buf) && pread_full(fd, buf, n, off) == (ssize_t)n, "pread hole at %lld",
	       (long long)off);
	for (size_t i = 0; i < n; i++)
		EXPECT(buf[i] == 0, "hole byte at %lld is %u, not 0", (long long)off + (off_t)i, buf[i]);
	return 0;
}

static int large_holes_and_limits(int fd, const struct region *r, long bs)
{
	long apb = bs / 4;
	off_t max = (off_t)(12 + apb + apb * apb + apb * apb * apb) * bs;
	char c;

	if (expect_zeros(fd, r[1].off + 100, 1000) ||
	    expect_zeros(fd, (off_t)(12 + apb / 2) * bs + 5, 4096) ||
	    expect_zeros(fd, r[3].off + 100 + 2 * bs * apb, 4096) ||
	    expect_zeros(fd, r[4].off - 1000, 1000))
		return 1;
	EXPECT(pread(fd, &c, 1, r[4].off + (off_t)r[4].len) == 0, "read at EOF did not return 0");
	EXPECT(pwrite(fd, "x", 1, max) < 0 && errno == EFBIG,
	       "a write past the largest ext2 file (%lld) should fail EFBIG", (long long)max);
	return 0;
}

static int large_truncate(int fd, const char *path, const struct region *r, long bs, long free0)
{
	struct stat st;

	EXPECT(ftruncate(fd, 12 * bs + 10) == 0, "ftruncate: %s", ERR);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == 12 * bs + 10, "size after truncate");
	/* blocks 0, 11, 12 and the indirect block stay */
	EXPECT(file_blocks(path) == 4, "%ld blocks after truncating to 12 blocks + 10, expected 4",
	       file_blocks(path));
	EXPECT(free_blocks() == free0 - 4, "free blocks %ld, expected %ld: truncate leaked blocks",
	       free_blocks(), free0 - 4);
	EXPECT(large_check_regions(fd, r, 1) == 0, "region 0 lost by truncate");
	EXPECT(ftruncate(fd, 13 * bs) == 0, "ftruncate up: %s", ERR);
	EXPECT(expect_zeros(fd, 12 * bs + 10, (size_t)bs - 10) == 0,
	       "the tail cut by truncate came back after growing the file");
	EXPECT(ftruncate(fd, 0) == 0 && file_blocks(path) == 0 && free_blocks() == free0,
	       "truncate to 0: %ld blocks left, free %ld (was %ld)", file_blocks(path), free_blocks(),
	       free0);
	return 0;
}

static int test_large_file(void)
{
	const char *path = DIR_T "/large";
	long bs = block_size(), free0, used;
	struct region r[5];
	int n = large_regions(r, bs), fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	struct stat st;

	EXPECT(fd >= 0 && bs > 0, "open %s: %s", path, ERR);
	free0 = free_blocks();
	printf("    %ld-byte blocks: triple-indirect data at %lld\n", bs, (long long)r[4].off);
	if (large_write_regions(fd, r, n))
		return 1;
	EXPECT(fstat(fd, &st) == 0 && st.st_size == r[4].off + (off_t)r[4].len,
	       "size %lld, expected %lld", (long long)st.st_size, (long long)(r[4].off + (off_t)r[4].len));
	EXPECT(fsync(fd) == 0, "fsync: %s", ERR);	/* writeback must not fill holes */
	used = file_blocks(path);
	EXPECT(used == 19, "%ld blocks, expected 11 data + 8 indirect: holes were filled?", used);
	EXPECT(free0 - free_blocks() == used, "free blocks went down by %ld, st_blocks says %ld",
	       free0 - free_blocks(), used);
	if (large_check_regions(fd, r, n) || large_holes_and_limits(fd, r, bs))
		return 1;
	close(fd);
	fd = open(path, O_RDWR);			/* again, from a fresh open */
	if (large_check_regions(fd, r, n) || large_truncate(fd, path, r, bs, free0))
		return 1;
	close(fd);
	EXPECT(unlink(path) == 0 && free_blocks() == free0, "unlink: %s", ERR);
	return 0;
}

/* ---- random reads and writes against a model ---- */

#define MODEL_MAX	(160 * 1024)
#define MODEL_OPS	3000

static uint64_t rng_state;

static uint64_t rnd(uint64_t n)		/* xorshift64*: the same sequence everywhere */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 2685821657736338717ULL >> 11) % n;
}

struct model { uint8_t *data; size_t size; int fd; const char *path; };

static size_t rnd_len(void)		/* small, block-sized and multi-block lengths */
{
	static const size_t lens[] = { 1, 511, 1024, 4095, 4096, 4097, 9000 };

	return rnd(3) ? 1 + rnd(9000) : lens[rnd(7)];
}

static int model_compare(struct model *m, off_t off, size_t len)
{
	static uint8_t buf[MODEL_MAX + 16384];
	size_t want = (size_t)off >= m->size ? 0 : (m->size - (size_t)off < len ? m->size - (size_t)off : len);
	ssize_t got = pread(m->fd, buf, len, off);

	EXPECT(got == (ssize_t)want, "pread(%zu at %lld) returned %zd, model says %zu", len,
	       (long long)off, got, want);
	for (size_t i = 0; i < want; i++)
		EXPECT(buf[i] == m->data[off + (off_t)i], "byte %lld is %u, model says %u",
		       (long long)off + (off_t)i, buf[i], m->data[off + (off_t)i]);
	return 0;
}

static int model_write(struct model *m, bool use_pwrite)
{
	static uint8_t buf[16384];
	size_t len = rnd_len();
	off_t off = (off_t)rnd(MODEL_MAX - len + 1);

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(1 + rnd(255));
	if (use_pwrite) {
		EXPECT(pwrite(m->fd, buf, len, off) == (ssize_t)len, "pwrite: %s", ERR);
	} else {
		EXPECT(lseek(m->fd, off, SEEK_SET) == off, "lseek SEEK_SET");
		EXPECT(write(m->fd, buf, len) == (ssize_t)len, "write: %s", ERR);
		EXPECT(lseek(m->fd, 0, SEEK_CUR) == off + (off_t)len, "position after write");
	}
	memcpy(m->data + off, buf, len);
	if ((size_t)off + len > m->size)
		m->size = (size_t)off + len;
	return 0;
}

static int model_read(struct model *m)
{
	static uint8_t buf[16384];
	size_t len = rnd_len();
	off_t off = (off_t)rnd(MODEL_MAX + 1);
	size_t want = (size_t)off >= m->size ? 0 : (m->size - (size_t)off < len ? m->size - (size_t)off : len);

	EXPECT(lseek(m->fd, off, SEEK_SET) == off, "lseek");
	EXPECT(read(m->fd, buf, len) == (ssize_t)want, "read(%zu at %lld) should return %zu", len,
	       (long long)off, want);
	EXPECT(want == 0 || memcmp(buf, m->data + off, want) == 0, "read at %lld differs from the model",
	       (long long)off);
	return 0;
}

static int model_truncate(struct model *m)
{
	size_t size = rnd(2) ? rnd(MODEL_MAX + 1) : (size_t)rnd(MODEL_MAX / 4096 + 1) * 4096;

	EXPECT(ftruncate(m->fd, (off_t)size) == 0, "ftruncate(%zu): %s", size, ERR);
	if (size < m->size)
		memset(m->data + size, 0, m->size - size);	/* growing again reads zeros */
	m->size = size;
	return 0;
}

static int model_append(struct model *m)
{
	static uint8_t buf[16384];
	size_t len = rnd_len();

	if (m->size + len > MODEL_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(1 + rnd(255));
	EXPECT(lseek(m->fd, 0, SEEK_END) == (off_t)m->size, "SEEK_END is not the model's size");
	EXPECT(write(m->fd, buf, len) == (ssize_t)len, "append: %s", ERR);
	memcpy(m->data + m->size, buf, len);
	m->size += len;
	return 0;
}

static int model_reopen(struct model *m)
{
	struct stat st;

	EXPECT(close(m->fd) == 0, "close");
	m->fd = open(m->path, O_RDWR);
	EXPECT(m->fd >= 0, "reopen: %s", ERR);
	EXPECT(fstat(m->fd, &st) == 0 && st.st_size == (off_t)m->size, "size %ld after reopen, "
	       "model %zu", (long)st.st_size, m->size);
	return model_compare(m, 0, MODEL_MAX + 4096);
}

static int model_step(struct model *m, int i)
{
	struct stat st;

	if (i % 400 == 399)
		return model_reopen(m);
	switch (rnd(8)) {
	case 0: case 1: return model_write(m, true);
	case 2: return model_write(m, false);
	case 3: return model_compare(m, (off_t)rnd(MODEL_MAX + 1), rnd_len());
	case 4: return model_read(m);
	case 5: return rnd(3) ? 0 : model_truncate(m);
	case 6: return model_append(m);
	default:
		EXPECT(fstat(m->fd, &st) == 0 && st.st_size == (off_t)m->size,
		       "fstat size %ld, model %zu", (long)st.st_size, m->size);
		return 0;
	}
}

static int test_random_model(void)
{
	struct model m = { .path = DIR_T "/model" };

	rng_state = 0x9e3779b97f4a7c15ULL;
	m.data = calloc(1, MODEL_MAX + 16384);
	m.fd = open(m.path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	EXPECT(m.data && m.fd >= 0, "open %s: %s", m.path, ERR);
	for (int i = 0; i < MODEL_OPS; i++)
		if (model_step(&m, i))
			return fail("after %d operations (seed 0x9e3779b97f4a7c15)", i);
	EXPECT(fsync(m.fd) == 0, "fsync: %s", ERR);
	if (model_reopen(&m))
		return 1;
	printf("    %d operations, final size %zu\n", MODEL_OPS, m.size);
	close(m.fd);
	return unlink(m.path) == 0 ? 0 : fail("unlink: %s", ERR);
}

/* ---- file mmap: what mmaptests does not cover ---- */

/* A sparse file mapped shared: a child's stores fill holes; write(2) and the mapping agree. */
static int test_mmap_shared_holes(void)
{
	const char *path = RESULTS "/mmap.bin";
	static uint8_t buf[PAGE];
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	uint8_t *p;
	pid_t pid;

	EXPECT(fd >= 0 && ftruncate(fd, 4 * PAGE) == 0, "make %s: %s", path, ERR);
	EXPECT(file_blocks(path) == 0, "a truncated-up file should have no blocks");
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT(p != MAP_FAILED, "mmap: %s", ERR);
	if ((pid = fork_flushed()) == 0) {
		fill_pat(p + PAGE, 5, PAGE, PAGE);		/* pages 1 and 3: holes */
		fill_pat(p + 3 * PAGE, 5, 3 * PAGE, PAGE);
		_exit(0);
	}
	EXPECT(wait_code(pid) == 0, "child");
	EXPECT(diff_pat(p + 3 * PAGE, 5, 3 * PAGE, PAGE) < 0, "the child's store is not in my mapping");
	EXPECT(pread_full(fd, buf, PAGE, PAGE) == PAGE && diff_pat(buf, 5, PAGE, PAGE) < 0,
	       "read(2) does not see the child's store");
	fill_pat(buf, 6, 2 * PAGE, PAGE);
	EXPECT(pwrite_all(fd, buf, PAGE, 2 * PAGE) == 0, "pwrite: %s", ERR);
	EXPECT(diff_pat(p + 2 * PAGE, 6, 2 * PAGE, PAGE) < 0, "the mapping does not see write(2)");
	EXPECT(msync(p, 4 * PAGE, MS_SYNC) == 0, "msync: %s", ERR);
	EXPECT(file_blocks(path) >= 3 * PAGE / block_size(), "stores into holes allocated %ld blocks",
	       file_blocks(path));
	for (int i = 0; i < (int)PAGE; i++)
		EXPECT(p[i] == 0, "page 0 (a hole) byte %d is %u", i, p[i]);
	munmap(p, 4 * PAGE);
	return close(fd);
}

/* Truncate under a shared mapping: SIGBUS past EOF, and growing again reads zeros. */
static int test_mmap_truncate(void)
{
	const char *path = DIR_T "/mtrunc";
	uint8_t *p;
	int fd;
	pid_t pid;

	EXPECT(write_pat_file(path, 7, 3 * PAGE, PAGE) == 0, "write %s: %s", path, ERR);
	fd = open(path, O_RDWR);
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT(fd >= 0 && p != MAP_FAILED, "mmap: %s", ERR);
	EXPECT(diff_pat(p, 7, 0, 3 * PAGE) < 0, "mapping differs from the file");
	EXPECT(ftruncate(fd, PAGE + 100) == 0, "ftruncate: %s", ERR);
	if ((pid = fork_flushed()) == 0)
		_exit(p[2 * PAGE] == 42 ? 1 : 2);
	EXPECT(wait_code(pid) == 128 + SIGBUS, "a page past the new EOF did not raise SIGBUS");
	for (long i = PAGE + 100; i < 2 * PAGE; i++)
		EXPECT(p[i] == 0, "byte %ld past EOF in the last page is %u, not 0", i, p[i]);
	EXPECT(diff_pat(p, 7, 0, PAGE + 100) < 0, "data before the new EOF changed");
	EXPECT(ftruncate(fd, 3 * PAGE) == 0, "ftruncate up: %s", ERR);
	for (long i = PAGE + 100; i < 3 * PAGE; i++)
		EXPECT(p[i] == 0, "byte %ld is %u after growing again: old data came back", i, p[i]);
	munmap(p, 3 * PAGE);
	close(fd);
	return unlink(path) == 0 ? 0 : fail("unlink");
}

/* A private mapping keeps its copy when the file changes under it, also across fork. */
static int test_mmap_private_vs_write(void)
{
	const char *path = DIR_T "/mpriv";
	static uint8_t buf[PAGE];
	uint8_t *p;
	int fd;
	pid_t pid;

	EXPECT(write_pat_file(path, 8, 2 * PAGE, PAGE) == 0, "write %s: %s", path, ERR);
	fd = open(path, O_RDWR);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	EXPECT(fd >= 0 && p != MAP_FAILED, "mmap: %s", ERR);
	memset(p, 'P', 16);				/* page 0 is now a private copy */
	memset(buf, 'W', 16);
	EXPECT(pwrite_all(fd, buf, 16, 0) == 0, "pwrite: %s", ERR);
	EXPECT(p[0] == 'P' && p[15] == 'P', "write(2) reached a private copy");
	if ((pid = fork_flushed()) == 0)
		_exit(p[0] == 'P' && diff_pat(p + 16, 8, 16, PAGE - 16) < 0 ? 0 : 1);
	EXPECT(wait_code(pid) == 0, "the child does not see the parent's private copy");
	EXPECT(pread_full(fd, buf, 16, 0) == 16 && buf[0] == 'W', "the file lost write(2)'s bytes");
	munmap(p, 2 * PAGE);
	close(fd);
	return unlink(path) == 0 ? 0 : fail("unlink");
}

/* ---- directories ---- */

#define NAMES	300

static void entry_name(char *buf, size_t n, const char *prefix, int i)
{
	snprintf(buf, n, "%s-%04d-a-longer-name-to-fill-blocks", prefix, i);
}

/* Does directory dir hold exactly the names whose flag is set (plus . and ..)? */
static int readdir_matches(const char *dir, const char *prefix, const bool *present)
{
	static bool seen[NAMES];
	char want[80];
	struct dirent *de;
	DIR *d = opendir(dir);
	int dots = 0;

	EXPECT(d, "opendir %s: %s", dir, ERR);
	memset(seen, 0, sizeof(seen));
	while ((de = readdir(d))) {
		int i;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) {
			dots++;
			continue;
		}
		i = strlen(de->d_name) > strlen(prefix) ? atoi(de->d_name + strlen(prefix) + 1) : -1;
		entry_name(want, sizeof(want), prefix, i);
		EXPECT(i >= 0 && i < NAMES && !strcmp(de->d_name, want) && present[i] && !seen[i],
		       "readdir returned '%s', which is not in the model (or twice)", de->d_name);
		seen[i] = true;
	}
	closedir(d);
	EXPECT(dots == 2, "%d dot entries", dots);
	for (int i = 0; i < NAMES; i++)
		EXPECT(seen[i] == present[i], "entry %d missing from readdir", i);
	return 0;
}

static int create_names(const char *dir, bool *present)
{
	char path[160], name[80];
	int fd;

	for (int i = 0; i < NAMES; i++) {
		entry_name(name, sizeof(name), "e", i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		EXPECT(fd >= 0, "create %s: %s", path, ERR);
		EXPECT(write(fd, &i, sizeof(i)) == sizeof(i), "write");
		close(fd);
		present[i] = true;
	}
	return 0;
}

static int test_dir_many_entries(void)
{
	const char *dir = DIR_T "/many";
	static bool present[NAMES];
	char path[160], name[80];
	struct stat st;
	int v, fd;

	EXPECT(mkdir(dir, 0755) == 0, "mkdir: %s", ERR);
	if (create_names(dir, present))
		return 1;
	EXPECT(stat(dir, &st) == 0 && st.st_size > 2 * block_size(),
	       "directory of %d entries is %ld bytes: not multi-block", NAMES, (long)st.st_size);
	if (readdir_matches(dir, "e", present))
		return 1;
	for (int i = 0; i < NAMES; i += 3) {
		entry_name(name, sizeof(name), "e", i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		EXPECT(unlink(path) == 0, "unlink %s: %s", path, ERR);
		present[i] = false;
	}
	if (readdir_matches(dir, "e", present))
		return 1;
	for (int i = 1; i < NAMES; i += 3) {		/* each file still has its own number */
		entry_name(name, sizeof(name), "e", i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		fd = open(path, O_RDONLY);
		EXPECT(fd >= 0 && read(fd, &v, sizeof(v)) == sizeof(v) && v == i, "%s lost its data", path);
		close(fd);
	}
	EXPECT(rmdir(dir) < 0 && errno == ENOTEMPTY, "rmdir of a full directory: not ENOTEMPTY");
	for (int i = 0; i < NAMES; i++) {
		entry_name(name, sizeof(name), "e", i);
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		EXPECT(!present[i] || unlink(path) == 0, "unlink %s: %s", path, ERR);
	}
	return rmdir(dir) == 0 ? 0 : fail("rmdir of the emptied directory: %s", ERR);
}

static ino_t ino_of(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? 0 : st.st_ino;
}

static nlink_t nlink_of(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? 0 : st.st_nlink;
}

static int test_rename_files(void)
{
	const char *a = DIR_T "/ra", *b = DIR_T "/rb", *c = DIR_T "/sub/rc";
	ino_t ia, ib;
	int fd;
	uint8_t buf[64];

	EXPECT(mkdir(DIR_T "/sub", 0755) == 0, "mkdir: %s", ERR);
	EXPECT(write_pat_file(a, 9, 5000, 5000) == 0 && write_pat_file(b, 10, 64, 64) == 0, "write");
	ia = ino_of(a);
	EXPECT(rename(a, c) == 0, "rename into another directory: %s", ERR);
	EXPECT(ino_of(a) == 0 && ino_of(c) == ia, "after rename: old name still there or new missing");
	EXPECT(rename(c, a) == 0 && ino_of(a) == ia, "rename back: %s", ERR);
	EXPECT(ino_of(DIR_T "/rn") == 0, "rn exists");	/* a cached negative name ... */
	EXPECT(rename(a, DIR_T "/rn") == 0 && rename(DIR_T "/rn", a) == 0 && ino_of(a) == ia,
	       "rename onto a name just looked up (negative), then back: %s", ERR);
	ib = ino_of(b);
	fd = open(b, O_RDONLY);				/* the file about to be replaced */
	EXPECT(fd >= 0 && rename(a, b) == 0, "rename over an existing file: %s", ERR);
	EXPECT(ino_of(b) == ia && ino_of(a) == 0, "rename over a file: wrong inode under the name");
	EXPECT(check_pat_file(b, 9, 5000) == 0, "renamed file's data");
	EXPECT(pread_full(fd, buf, 64, 0) == 64 && diff_pat(buf, 10, 0, 64) < 0,
	       "the replaced file is not readable through its open fd");
	{
		struct stat st;

		EXPECT(fstat(fd, &st) == 0 && st.st_ino == ib && st.st_nlink == 0,
		       "the replaced file: ino %ld nlink %ld, expected %ld and 0", (long)st.st_ino,
		       (long)st.st_nlink, (long)ib);
	}
	close(fd);
	EXPECT(rename(b, b) == 0 && ino_of(b) == ia, "rename to itself");
	EXPECT(rename(DIR_T "/nothing", a) < 0 && errno == ENOENT, "rename of a missing file");
	return unlink(b) == 0 && rmdir(DIR_T "/sub") == 0 ? 0 : fail("cleanup: %s", ERR);
}

static int rename_dir_errors(void)
{
	EXPECT(mkdir(DIR_T "/d1/x", 0755) == 0 && mkdir(DIR_T "/d2/full", 0755) == 0 &&
	       mkdir(DIR_T "/d2/full/y", 0755) == 0, "mkdir: %s", ERR);
	EXPECT(rename(DIR_T "/d1/x", DIR_T "/d2/full") < 0 && errno == ENOTEMPTY,
	       "rename over a non-empty directory: not ENOTEMPTY (%s)", ERR);
	EXPECT(rename(DIR_T "/d2", DIR_T "/d2/full/y/z") < 0 && errno == EINVAL,
	       "rename of a directory under itself: not EINVAL (%s)", ERR);
	EXPECT(write_pat_file(DIR_T "/d1/f", 11, 10, 10) == 0, "write");
	EXPECT(rename(DIR_T "/d1/f", DIR_T "/d1/x") < 0 && errno == EISDIR,
	       "rename of a file over a directory: not EISDIR (%s)", ERR);
	EXPECT(rename(DIR_T "/d1/x", DIR_T "/d1/f") < 0 && errno == ENOTDIR,
	       "rename of a directory over a file: not ENOTDIR (%s)", ERR);
	EXPECT(rename(DIR_T "/d1/x", DIR_T "/d2/full/y") == 0, "rename over an empty dir: %s", ERR);
	return unlink(DIR_T "/d1/f") == 0 && rmdir(DIR_T "/d2/full/y") == 0 &&
	       rmdir(DIR_T "/d2/full") == 0 ? 0 : fail("cleanup: %s", ERR);
}

static int test_rename_dirs(void)
{
	const char *d1 = DIR_T "/d1", *d2 = DIR_T "/d2";
	nlink_t n1, n2;

	EXPECT(mkdir(d1, 0755) == 0 && mkdir(d2, 0755) == 0 && mkdir(DIR_T "/d1/sub", 0755) == 0,
	       "mkdir: %s", ERR);
	EXPECT(write_pat_file(DIR_T "/d1/sub/f", 12, 3000, 3000) == 0, "write");
	n1 = nlink_of(d1);
	n2 = nlink_of(d2);
	EXPECT(n1 == 3 && n2 == 2, "link counts %ld %ld, expected 3 (with a subdir) and 2", (long)n1,
	       (long)n2);
	EXPECT(rename(DIR_T "/d1/sub", DIR_T "/d2/moved") == 0, "rename a directory: %s", ERR);
	EXPECT(nlink_of(d1) == 2 && nlink_of(d2) == 3, "link counts after moving a directory: "
	       "%ld %ld, expected 2 and 3", (long)nlink_of(d1), (long)nlink_of(d2));
	EXPECT(ino_of(DIR_T "/d2/moved/..") == ino_of(d2), "'..' of the moved directory is not d2");
	EXPECT(check_pat_file(DIR_T "/d2/moved/f", 12, 3000) == 0, "file in the moved directory");
	EXPECT(unlink(DIR_T "/d2/moved/f") == 0 && rmdir(DIR_T "/d2/moved") == 0, "cleanup");
	if (rename_dir_errors())
		return 1;
	return rmdir(d1) == 0 && rmdir(d2) == 0 ? 0 : fail("rmdir: %s", ERR);
}

static int test_dir_errors(void)
{
	const char *d = DIR_T "/e", *f = DIR_T "/e/f";

	EXPECT(mkdir(d, 0755) == 0, "mkdir: %s", ERR);
	EXPECT(mkdir(d, 0755) < 0 && errno == EEXIST, "mkdir of an existing directory: not EEXIST");
	EXPECT(write_pat_file(f, 13, 10, 10) == 0, "write");
	EXPECT(mkdir(f, 0755) < 0 && errno == EEXIST, "mkdir over a file: not EEXIST");
	EXPECT(rmdir(d) < 0 && errno == ENOTEMPTY, "rmdir of a non-empty directory: not ENOTEMPTY");
	EXPECT(rmdir(f) < 0 && errno == ENOTDIR, "rmdir of a file: not ENOTDIR");
	EXPECT(unlink(d) < 0 && errno == EISDIR, "unlink of a directory: not EISDIR (%s)", ERR);
	EXPECT(link(d, DIR_T "/e2") < 0 && errno == EPERM, "link to a directory: not EPERM");
	EXPECT(open(f, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST, "O_EXCL: not EEXIST");
	EXPECT(mkdir(DIR_T "/no/such", 0755) < 0 && errno == ENOENT, "mkdir in a missing dir: not ENOENT");
	EXPECT(mkdir(DIR_T "/e/f/x", 0755) < 0 && errno == ENOTDIR, "mkdir under a file: not ENOTDIR");
	EXPECT(unlink(f) == 0 && rmdir(d) == 0, "cleanup: %s", ERR);
	EXPECT(rmdir(d) < 0 && errno == ENOENT, "rmdir twice: not ENOENT");
	return 0;
}

/* Unlinked while open: readable and writable until the last close, then the blocks go. */
static int test_unlink_open(void)
{
	const char *path = DIR_T "/unl";
	static uint8_t buf[3 * PAGE];
	long free0 = free_blocks(), held;
	struct stat st;
	int fd;

	EXPECT(write_pat_file(path, 14, 3 * PAGE, PAGE) == 0, "write: %s", ERR);
	held = free0 - free_blocks();
	fd = open(path, O_RDWR);
	EXPECT(fd >= 0 && unlink(path) == 0, "unlink: %s", ERR);
	EXPECT(ino_of(path) == 0 && errno == ENOENT, "the name is still there");
	EXPECT(fstat(fd, &st) == 0 && st.st_nlink == 0 && st.st_size == 3 * PAGE, "fstat: nlink %ld",
	       (long)st.st_nlink);
	EXPECT(pread_full(fd, buf, 3 * PAGE, 0) == 3 * PAGE && diff_pat(buf, 14, 0, 3 * PAGE) < 0,
	       "data of an unlinked open file");
	EXPECT(pwrite_all(fd, buf, PAGE, 3 * PAGE) == 0, "writing an unlinked file: %s", ERR);
	EXPECT(free_blocks() < free0 - held + 1, "blocks freed while the file is still open");
	close(fd);
	EXPECT(free_blocks() == free0, "free blocks %ld after the last close, expected %ld",
	       free_blocks(), free0);
	return 0;
}

static int test_hard_links(void)
{
	const char *a = DIR_T "/la", *b = DIR_T "/lb";
	nlink_t dirlinks = nlink_of(DIR_T);
	uint8_t buf[16];
	int fd;

	EXPECT(write_pat_file(a, 15, 100, 100) == 0, "write");
	EXPECT(link(a, b) == 0, "link: %s", ERR);
	EXPECT(nlink_of(a) == 2 && nlink_of(b) == 2 && ino_of(a) == ino_of(b),
	       "after link: nlink %ld/%ld, inodes %ld/%ld", (long)nlink_of(a), (long)nlink_of(b),
	       (long)ino_of(a), (long)ino_of(b));
	EXPECT(nlink_of(DIR_T) == dirlinks, "a file link changed the directory's link count");
	EXPECT(link(a, b) < 0 && errno == EEXIST, "link to an existing name: not EEXIST");
	fd = open(b, O_WRONLY);
	EXPECT(fd >= 0 && pwrite(fd, "through-b", 9, 10) == 9, "write through b: %s", ERR);
	close(fd);
	EXPECT(unlink(a) == 0 && nlink_of(b) == 1, "nlink after unlinking one name: %ld",
	       (long)nlink_of(b));
	fd = open(b, O_RDONLY);
	EXPECT(fd >= 0 && pread_full(fd, buf, 9, 10) == 9 && !memcmp(buf, "through-b", 9),
	       "data through the remaining name");
	close(fd);
	return unlink(b) == 0 ? 0 : fail("unlink: %s", ERR);
}

static int stat_of(const char *path, struct stat *st)
{
	return stat(path, st) == 0 ? 0 : fail("stat %s: %s", path, ERR);
}

/* Seconds resolution (ext2): one sleep of 1.1 s separates "before" from "after". */
static int test_timestamps(void)
{
	const char *a = DIR_T "/ta", *b = DIR_T "/tb", *c = DIR_T "/tc";
	struct stat sa, sb, sc, sd, now;
	char buf[8];
	int fd;

	EXPECT(write_pat_file(a, 16, 10, 10) == 0 && write_pat_file(b, 16, 10, 10) == 0 &&
	       write_pat_file(c, 16, 10, 10) == 0, "write");
	if (stat_of(a, &sa) || stat_of(b, &sb) || stat_of(c, &sc) || stat_of(DIR_T, &sd))
		return 1;
	sleep_ms(1100);
	fd = open(a, O_RDWR);
	EXPECT(fd >= 0 && read(fd, buf, 8) == 8, "read: %s", ERR);
	EXPECT(stat_of(a, &now) == 0 && now.st_mtime == sa.st_mtime, "read(2) changed mtime");
	EXPECT(write(fd, "x", 1) == 1 && stat_of(a, &now) == 0 && now.st_mtime > sa.st_mtime &&
	       now.st_ctime > sa.st_ctime, "write did not move mtime and ctime");
	close(fd);
	EXPECT(link(b, DIR_T "/tb2") == 0 && stat_of(b, &now) == 0, "link: %s", ERR);
	EXPECT(now.st_ctime > sb.st_ctime && now.st_mtime == sb.st_mtime,
	       "link: ctime %ld (was %ld) should move, mtime should not", (long)now.st_ctime,
	       (long)sb.st_ctime);
	EXPECT(rename(c, DIR_T "/tc2") == 0 && stat_of(DIR_T "/tc2", &now) == 0, "rename: %s", ERR);
	EXPECT(now.st_ctime > sc.st_ctime, "rename did not move the file's ctime");
	EXPECT(stat_of(DIR_T, &now) == 0 && now.st_mtime > sd.st_mtime,
	       "creating names did not move the directory's mtime");
	return unlink(a) || unlink(b) || unlink(DIR_T "/tb2") || unlink(DIR_T "/tc2") ? fail("cleanup") : 0;
}

/* ---- concurrency ---- */

#define WRITERS		4
#define WRITER_BYTES	(96 * 1024)

static void writer_path(char *buf, size_t n, int id)
{
	snprintf(buf, n, RESULTS "/writer.%d", id);
}

static void *writer_thread(void *arg)
{
	char path[64];
	int id = (int)(long)arg;

	writer_path(path, sizeof(path), id);
	return (void *)(long)write_pat_file(path, 20 + (unsigned int)id, WRITER_BYTES,
					    (size_t)(1000 + id * 397));
}

/* Two threads and two processes, each writing its own file at the same time. */
static int test_concurrent_writers(void)
{
	pthread_t t[2];
	pid_t pid[2];
	void *ret;
	char path[64];

	for (int i = 0; i < 2; i++)
		if ((pid[i] = fork_flushed()) == 0)
			_exit(writer_thread((void *)(long)(2 + i)) ? 1 : 0);
	for (int i = 0; i < 2; i++)
		EXPECT(pthread_create(&t[i], NULL, writer_thread, (void *)(long)i) == 0, "pthread_create");
	for (int i = 0; i < 2; i++) {
		EXPECT(pthread_join(t[i], &ret) == 0 && ret == NULL, "writer thread %d failed", i);
		EXPECT(wait_code(pid[i]) == 0, "writer process %d failed", 2 + i);
	}
	for (int id = 0; id < WRITERS; id++) {
		writer_path(path, sizeof(path), id);
		if (check_pat_file(path, 20 + (unsigned int)id, WRITER_BYTES))
			return 1;
	}
	return 0;
}

#define RW_BYTES	(256 * 1024)

struct rw_shared {
	volatile int done;
	volatile long reads, bytes, errors;
	long bad_off, bad_len, bad_at, bad_byte;	/* the first bad read */
};

struct reader_arg { struct rw_shared *sh; int fd; unsigned int seed; };

static void bad_read(struct rw_shared *sh, off_t off, ssize_t n, const uint8_t *buf)
{
	long d = n > 0 ? diff_pat(buf, 30, (uint64_t)off, (size_t)n) : -1;

	if (__atomic_fetch_add(&sh->errors, 1, __ATOMIC_RELAXED) == 0) {
		sh->bad_off = (long)off;
		sh->bad_len = (long)n;
		sh->bad_at = d;
		sh->bad_byte = d >= 0 ? buf[d] : -1;
	}
}

/* Read random ranges while the writer appends: every byte returned is the writer's. */
static void *reader_thread(void *arg)
{
	struct reader_arg *ra = arg;
	uint8_t *buf = malloc(20000);
	uint64_t x = ra->seed;

	while (buf && !ra->sh->done) {
		off_t off;
		size_t len;
		ssize_t n;

		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		off = (off_t)((x >> 20) % RW_BYTES);
		len = 1 + (size_t)((x >> 40) % 20000);
		n = pread(ra->fd, buf, len, off);
		if (n < 0 || (n > 0 && diff_pat(buf, 30, (uint64_t)off, (size_t)n) >= 0))
			bad_read(ra->sh, off, n, buf);
		__atomic_fetch_add(&ra->sh->reads, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&ra->sh->bytes, n > 0 ? n : 0, __ATOMIC_RELAXED);
	}
	if (!buf)
		__atomic_fetch_add(&ra->sh->errors, 1, __ATOMIC_RELAXED);
	free(buf);
	return NULL;
}

/* Let the readers do 20 more reads (no timing: a handshake through the counter). */
static void wait_for_readers(struct rw_shared *sh)
{
	long until = sh->reads + 20;

	while (sh->reads < until)
		sched_yield();
}

/* Append RW_BYTES in odd-sized pieces, pausing for the readers every 16 KiB. */
static int rw_writer(const char *path, struct rw_shared *sh)
{
	static uint8_t buf[5000];
	int fd = open(path, O_WRONLY);

	for (size_t off = 0, len; off < RW_BYTES; off += len) {
		len = 1 + (off * 7 + 13) % sizeof(buf);
		if (len > RW_BYTES - off)
			len = RW_BYTES - off;
		fill_pat(buf, 30, off, len);
		if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
			return 1;
		if ((off + len) / 16384 != off / 16384)
			wait_for_readers(sh);
	}
	return close(fd);
}

/* One process appends in odd-sized pieces; two reader threads never see bytes it did not write. */
static int test_readers_with_writer(void)
{
	const char *path = DIR_T "/rw";
	struct rw_shared *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct reader_arg ra[2];
	pthread_t t[2];
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	pid_t pid;

	EXPECT(sh != MAP_FAILED && fd >= 0, "setup: %s", ERR);
	for (int i = 0; i < 2; i++) {
		ra[i] = (struct reader_arg){ sh, fd, 17u + (unsigned int)i };
		EXPECT(pthread_create(&t[i], NULL, reader_thread, &ra[i]) == 0, "pthread_create");
	}
	if ((pid = fork_flushed()) == 0)
		_exit(rw_writer(path, sh));
	EXPECT(wait_code(pid) == 0, "the writer failed");
	sh->done = 1;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("    %ld reads saw %ld bytes while the writer appended\n", sh->reads, sh->bytes);
	EXPECT(sh->errors == 0, "%ld reads returned bytes the writer never wrote (torn/garbage); "
	       "the first: pread at %ld returned %ld, byte %ld of it is %ld, expected %u", sh->errors,
	       sh->bad_off, sh->bad_len, sh->bad_at, sh->bad_byte,
	       pat(30, (uint64_t)(sh->bad_off + sh->bad_at)));
	close(fd);
	EXPECT(check_pat_file(path, 30, RW_BYTES) == 0, "final contents");
	return unlink(path) == 0 ? 0 : fail("unlink");
}

/* ---- O_APPEND ---- */

#define REC		64
#define APPENDERS	2
#define RECORDS		300

static int appender(const char *path, int id)
{
	char rec[REC + 1];
	int fd = open(path, O_WRONLY | O_APPEND);

	if (fd < 0)
		return 1;
	for (int r = 0; r < RECORDS; r++) {
		memset(rec, ' ', REC);
		rec[snprintf(rec, sizeof(rec), "appender %d record %04d", id, r)] = ' ';
		rec[REC - 1] = '\n';
		if (r % 50 == 0)
			lseek(fd, 0, SEEK_SET);		/* O_APPEND ignores the position */
		if (write(fd, rec, REC) != REC)
			return 1;
	}
	return close(fd);
}

/* Every record once, whole, and each appender's in its own order. */
static int check_appended(int fd)
{
	static bool seen[APPENDERS][RECORDS];
	int last[APPENDERS] = { -1, -1 }, id, r;
	char rec[REC + 1] = "";

	for (int i = 0; i < APPENDERS * RECORDS; i++) {
		EXPECT(pread_full(fd, rec, REC, (off_t)i * REC) == REC, "read record %d", i);
		EXPECT(sscanf(rec, "appender %d record %d", &id, &r) == 2 && id >= 0 && id < APPENDERS &&
		       r >= 0 && r < RECORDS && rec[REC - 1] == '\n', "record %d is torn: '%.40s'", i, rec);
		EXPECT(!seen[id][r] && r > last[id], "record %d/%d twice or out of order", id, r);
		seen[id][r] = true;
		last[id] = r;
	}
	return 0;
}

static int test_o_append(void)
{
	const char *path = RESULTS "/append.txt";
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
	pid_t pid[APPENDERS];
	struct stat st;

	EXPECT(fd >= 0, "open: %s", ERR);
	for (int i = 0; i < APPENDERS; i++)
		if ((pid[i] = fork_flushed()) == 0)
			_exit(appender(path, i));
	for (int i = 0; i < APPENDERS; i++)
		EXPECT(wait_code(pid[i]) == 0, "appender %d failed", i);
	EXPECT(fstat(fd, &st) == 0 && st.st_size == APPENDERS * RECORDS * REC,
	       "size %ld, expected %d: records were lost or overwritten", (long)st.st_size,
	       APPENDERS * RECORDS * REC);
	if (check_appended(fd))
		return 1;
	EXPECT(fsync(fd) == 0, "fsync: %s", ERR);
	close(fd);
	fd = open(path, O_WRONLY | O_APPEND);
	EXPECT(fd >= 0 && lseek(fd, 0, SEEK_SET) == 0, "reopen");
	EXPECT(write(fd, "", 0) == 0 && lseek(fd, 0, SEEK_CUR) == 0, "an empty write moved the position");
	return close(fd);
}

/* ---- ENOSPC ---- */

#define FILL_FILE	(1024 * 1024)
#define FILL_LIMIT_MB	32	/* larger free space: skipped (the page cache would hold it all) */

/* Fill the disk with files of 1 MiB until a write fails; returns bytes written or -1. */
static long fill_disk(int *nfiles, int *err)
{
	static uint8_t buf[32768];
	char path[64];
	long total = 0;

	for (int i = 0;; i++) {
		int fd;

		snprintf(path, sizeof(path), DIR_T "/fill.%d", i);
		if ((fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644)) < 0)
			return *err = errno, *nfiles = i, total;
		*nfiles = i + 1;
		for (long off = 0; off < FILL_FILE; off += (long)sizeof(buf)) {
			fill_pat(buf, 40 + (unsigned int)i, (uint64_t)off, sizeof(buf));
			for (size_t done = 0; done < sizeof(buf);) {	/* a short write, then the error */
				ssize_t n = write(fd, buf + done, sizeof(buf) - done);

				if (n <= 0) {
					*err = n < 0 ? errno : 0;
					fsync(fd);
					return close(fd), total;
				}
				done += (size_t)n;
				total += n;
			}
		}
		fsync(fd);				/* keep the dirty data bounded */
		close(fd);
	}
}

/* The last few blocks (a page's worth can be left with blocks smaller than a page):
 * one block per write until ENOSPC; then no block is free. */
static int top_up(long bs)
{
	uint8_t *buf = malloc((size_t)bs);
	int fd = open(DIR_T "/topup", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	long n = 0;

	EXPECT(buf && fd >= 0, "open topup: %s", ERR);
	memset(buf, 'T', (size_t)bs);
	while (n < 12 && write(fd, buf, (size_t)bs) == bs)
		n++;
	EXPECT(n < 12 && errno == ENOSPC, "topping up after %ld blocks: %s", n, ERR);
	close(fd);
	free(buf);
	EXPECT(free_blocks() == 0, "%ld blocks still free after ENOSPC", free_blocks());
	EXPECT(file_blocks(DIR_T "/topup") == n, "topup has %ld blocks, %ld written",
	       file_blocks(DIR_T "/topup"), n);
	return 0;
}

static int check_fill(int nfiles, long total)
{
	char path[64];

	for (int i = 0; i < nfiles; i++) {
		long n = total - (long)i * FILL_FILE;

		snprintf(path, sizeof(path), DIR_T "/fill.%d", i);
		if (n > 0 && check_pat_file(path, 40 + (unsigned int)i, (size_t)(n < FILL_FILE ? n : FILL_FILE)))
			return fail("data written before ENOSPC is damaged");
	}
	return 0;
}

static int test_enospc(void)
{
	long free0 = free_blocks(), bs = block_size(), total;
	int nfiles = 0, err = 0;
	char path[64];

	if (free0 * bs > FILL_LIMIT_MB * 1024L * 1024) {
		printf("    skipped: %ld MiB free; over %d MiB the fill would not fit in memory "
		       "(make test runs it on a smaller copy of the disk)\n", free0 * bs >> 20,
		       FILL_LIMIT_MB);
		return SKIP;
	}
	total = fill_disk(&nfiles, &err);
	printf("    %ld KiB in %d files until: %s\n", total >> 10, nfiles, strerror(err));
	EXPECT(err == ENOSPC, "the fill ended with '%s', not ENOSPC", strerror(err));
	EXPECT(total > (free0 - free0 / 64 - 8) * bs, "only %ld of %ld free bytes could be written",
	       total, free0 * bs);
	if (top_up(bs))
		return 1;
	EXPECT(mkdir(DIR_T "/nospace", 0755) < 0 && errno == ENOSPC && ino_of(DIR_T "/nospace") == 0,
	       "mkdir on a full disk: %s (expected ENOSPC and no directory)", ERR);
	if (check_fill(nfiles, total))
		return 1;
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), DIR_T "/fill.%d", i);
		EXPECT(unlink(path) == 0, "unlink %s: %s", path, ERR);
	}
	EXPECT(unlink(DIR_T "/topup") == 0, "unlink topup: %s", ERR);
	EXPECT(free_blocks() == free0, "%ld blocks free after deleting, %ld before the fill",
	       free_blocks(), free0);
	EXPECT(write_pat_file(DIR_T "/after", 41, FILL_FILE, 32768) == 0 &&
	       check_pat_file(DIR_T "/after", 41, FILL_FILE) == 0, "writing after ENOSPC: %s", ERR);
	for (int id = 0; id < WRITERS; id++) {		/* concurrent_writers' files survived */
		writer_path(path, sizeof(path), id);
		if (ino_of(path) && check_pat_file(path, 20 + (unsigned int)id, WRITER_BYTES))
			return 1;
	}
	return unlink(DIR_T "/after") == 0 ? 0 : fail("unlink");
}

/* ---- fsync durability: run as init (init=/tests/fstests durability) ---- */

#define DURABLE_BYTES	(200 * 1024 + 123)

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY), r;

	if (fd < 0)
		return -1;
	r = fsync(fd);
	close(fd);
	return r;
}

/* Write, fsync the file, its new directory and that one's parent, write one more file
 * WITHOUT fsync, then power off without sync. The host finds data.bin whole and
 * unsynced.bin missing (proof that nothing but fsync wrote), and e2fsck clean. */
static int durability(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdir("/tmp/durable", 0755) < 0 && errno != EEXIST)
		return fail("mkdir /tmp/durable: %s", ERR);
	if (write_pat_file("/tmp/durable/data.bin", 50, DURABLE_BYTES, 7000) < 0)
		return fail("write/fsync data.bin: %s", ERR);
	if (fsync_path("/tmp/durable") < 0 || fsync_path("/tmp") < 0)
		return fail("fsync of the directories: %s", ERR);
	if (check_pat_file("/tmp/durable/data.bin", 50, DURABLE_BYTES))
		return 1;
	{
		int fd = open("/tmp/durable/unsynced.bin", O_CREAT | O_WRONLY, 0644);

		if (fd < 0 || write(fd, "not synced\n", 11) != 11)
			return fail("unsynced.bin: %s", ERR);
		close(fd);
	}
	printf("fstests durability: %d bytes fsynced in /tmp/durable/data.bin; powering off "
	       "without sync\n", DURABLE_BYTES);
	reboot(RB_POWER_OFF);
	return fail("reboot(RB_POWER_OFF) returned: %s", ERR);
}

/* ---- runner ---- */

static const struct test tests[] = {
	{ "large_file", test_large_file },
	{ "random_model", test_random_model },
	{ "mmap_shared_holes", test_mmap_shared_holes },
	{ "mmap_truncate", test_mmap_truncate },
	{ "mmap_private_vs_write", test_mmap_private_vs_write },
	{ "dir_many_entries", test_dir_many_entries },
	{ "rename_files", test_rename_files },
	{ "rename_dirs", test_rename_dirs },
	{ "dir_errors", test_dir_errors },
	{ "unlink_open", test_unlink_open },
	{ "hard_links", test_hard_links },
	{ "timestamps", test_timestamps },
	{ "concurrent_writers", test_concurrent_writers },
	{ "readers_with_writer", test_readers_with_writer },
	{ "o_append", test_o_append },
	{ "enospc", test_enospc },
};

#define NTESTS	((int)(sizeof(tests) / sizeof(tests[0])))

/* A name on the command line that is no test: say so (a typo must not pass). */
static int unknown_name(int argc, char **argv)
{
	for (int a = 1; a < argc; a++) {
		int i = 0;

		while (i < NTESTS && strcmp(argv[a], tests[i].name))
			i++;
		if (i == NTESTS)
			return printf("fstests: no test '%s' (durability alone: the power-loss "
				      "boot)\n", argv[a]), 1;
	}
	return 0;
}

/* Remove the files a test left in DIR_T (one level of subdirectories). */
static void clean_dir(const char *dir, int depth)
{
	char path[320];
	struct dirent *de;
	DIR *d = opendir(dir);
	struct stat st;

	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 3) {
			clean_dir(path, depth + 1);
			rmdir(path);
		} else {
			unlink(path);
		}
	}
	if (d)
		closedir(d);
}

static int run_one(int i)
{
	pid_t pid;
	int code;

	printf("  fs %s\n", tests[i].name);
	if ((pid = fork_flushed()) == 0)
		_exit(tests[i].fn());
	code = pid < 0 ? -1 : wait_code(pid);
	clean_dir(DIR_T, 0);
	if (code == 0)
		printf("  ok   fs %s\n", tests[i].name);
	else if (code == SKIP)
		printf("  skip fs %s\n", tests[i].name);
	else
		printf("  FAIL fs %s (exit %d)\n", tests[i].name, code);
	return code;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0, code;
	struct statfs sf;

	if (argc == 2 && strcmp(argv[1], "durability") == 0)
		return durability();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (unknown_name(argc, argv))
		return 1;
	if (statfs("/tmp", &sf) < 0 || sf.f_type != EXT2_SUPER_MAGIC || (sf.f_flags & ST_RDONLY)) {
		printf("fstests: /tmp is not a writable ext2 file system: every test skipped\n"
		       "fstests: 0 passed, 0 failed, %d skipped\n", NTESTS);
		return 0;
	}
	clean_dir(DIR_T, 0);
	if ((mkdir(DIR_T, 0755) < 0 && errno != EEXIST) || (mkdir(RESULTS, 0755) < 0 && errno != EEXIST))
		return printf("fstests: cannot make %s, %s: %s\n", DIR_T, RESULTS, ERR), 1;
	for (int i = 0; i < NTESTS; i++) {
		if (!test_selected(tests[i].name, argc, argv))
			continue;
		code = run_one(i);
		passed += code == 0;
		skipped += code == SKIP;
		failed += code != 0 && code != SKIP;
	}
	rmdir(DIR_T);
	sync();
	printf("fstests: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed;
}
