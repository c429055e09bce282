/*
 * mmaptests - file-backed mmap semantics through the page cache (issue 4).
 *   mmaptests            run them all
 *   mmaptests NAME...    run only these
 * Each test runs in its own child process. The last line is
 * "mmaptests: N passed, N failed"; the exit status is the number failed.
 * usertests runs this program as its test "mmaptests".
 *
 * Tests that store into a file need a writable file system: on a read-only
 * root (the initramfs before ext2 is mounted) they say so and count as
 * skipped, not passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <faultline.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

#define SKIP	77		/* exit code of a skipped test */
#define BIGFILE	"/bin/echo"	/* a file of several pages */
#define SMALLFILE "/etc/rc"	/* a file shorter than a page */
#define RWFILE	"/tmp/mmaptests.dat"

/* The file's first len bytes through read(2). */
static int read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += (size_t)n;
	close(fd);
	return got == len ? 0 : -1;
}

static char *map_file(const char *path, size_t len, int prot, int flags, int *fdp)
{
	int fd = open(path, (prot & PROT_WRITE) && (flags & MAP_SHARED) ? O_RDWR : O_RDONLY);
	char *p;

	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, len, prot, flags, fd, 0);
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return p;
}

/* ---- read-only file systems are enough for these ---- */

static int test_private_reads_file(void)
{
	static char buf[3 * PAGE];
	char *p = map_file(BIGFILE, 3 * PAGE, PROT_READ, MAP_PRIVATE, NULL);

	EXPECT(p != MAP_FAILED, "mmap %s: %s", BIGFILE, strerror(errno));
	EXPECT(read_file(BIGFILE, buf, sizeof(buf)) == 0, "read %s", BIGFILE);
	EXPECT(memcmp(p, buf, sizeof(buf)) == 0, "mapping differs from read(2)");
	EXPECT(memcmp(p, "\177ELF", 4) == 0, "no ELF magic at offset 0");
	munmap(p, 3 * PAGE);
	return 0;
}

static int test_private_cow(void)
{
	char *p = map_file(BIGFILE, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, NULL);
	char *q = map_file(BIGFILE, 2 * PAGE, PROT_READ, MAP_PRIVATE, NULL);
	char orig[8];

	EXPECT(p != MAP_FAILED && q != MAP_FAILED, "mmap: %s", strerror(errno));
	memcpy(orig, p + PAGE, 8);
	memcpy(p + PAGE, "private!", 8);
	EXPECT(memcmp(p + PAGE, "private!", 8) == 0, "own store not visible");
	EXPECT(memcmp(q + PAGE, orig, 8) == 0, "a private store reached another mapping");
	EXPECT(read_file(BIGFILE, orig, 8) == 0 && memcmp(orig, "\177ELF", 4) == 0,
	       "a private store reached the file");
	return 0;
}

static int test_private_fork(void)
{
	char *p = map_file(BIGFILE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, NULL);
	pid_t pid;

	EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[100] = 'P';				/* parent's copy before fork */
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (p[100] != 'P')
			_exit(2);		/* the child inherits the private copy */
		p[100] = 'C';
		p[200] = 'C';
		_exit(p[100] == 'C' ? 0 : 3);
	}
	EXPECT(wait_code(pid) == 0, "child did not see/own its copy");
	EXPECT(p[100] == 'P', "the child's store reached the parent");
	EXPECT(p[200] != 'C', "the child's store to a shared-COW page reached the parent");
	return 0;
}

static int test_shared_readonly_fork(void)
{
	char *p = map_file(BIGFILE, 2 * PAGE, PROT_READ, MAP_SHARED, NULL);
	pid_t pid;

	EXPECT(p != MAP_FAILED, "mmap shared: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(memcmp(p, "\177ELF", 4) == 0 ? 0 : 1);
	EXPECT(wait_code(pid) == 0, "child's shared mapping does not show the file");
	EXPECT(mprotect(p, PAGE, PROT_READ | PROT_WRITE) < 0 && errno == EACCES,
	       "mprotect(WRITE) of a shared mapping of an O_RDONLY file should be EACCES");
	return 0;
}

static int test_shared_write_needs_rdwr(void)
{
	int fd = open(BIGFILE, O_RDONLY);
	void *p;

	EXPECT(fd >= 0, "open");
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT(p == MAP_FAILED && errno == EACCES, "shared writable map of O_RDONLY fd: %s",
	       p == MAP_FAILED ? strerror(errno) : "succeeded");
	close(fd);
	return 0;
}

static int test_eof_and_sigbus(void)
{
	char *p = map_file(SMALLFILE, 2 * PAGE, PROT_READ, MAP_PRIVATE, NULL);
	struct stat st;
	pid_t pid;

	EXPECT(p != MAP_FAILED, "mmap %s: %s", SMALLFILE, strerror(errno));
	EXPECT(stat(SMALLFILE, &st) == 0 && st.st_size < (off_t)PAGE, "%s too big", SMALLFILE);
	for (size_t i = (size_t)st.st_size; i < PAGE; i++)
		EXPECT(p[i] == 0, "byte %zu past EOF is %d, not 0", i, p[i]);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(p[PAGE] == 42 ? 1 : 2);	/* a whole page past EOF: SIGBUS */
	EXPECT(wait_code(pid) == 128 + SIGBUS, "touching a page past EOF did not raise SIGBUS");
	return 0;
}

static int test_msync_errors(void)
{
	char *p = map_file(BIGFILE, 2 * PAGE, PROT_READ, MAP_SHARED, NULL);
	char *hole;

	EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	EXPECT(msync(p + 1, PAGE, MS_SYNC) < 0 && errno == EINVAL, "unaligned: not EINVAL");
	EXPECT(msync(p, PAGE, MS_SYNC | MS_ASYNC) < 0 && errno == EINVAL, "SYNC|ASYNC: not EINVAL");
	EXPECT(msync(p, PAGE, 0x100) < 0 && errno == EINVAL, "bad flag: not EINVAL");
	EXPECT(msync(p, 2 * PAGE, MS_SYNC) == 0, "msync of a clean mapping: %s", strerror(errno));
	EXPECT(msync(p, 2 * PAGE, MS_ASYNC) == 0, "MS_ASYNC: %s", strerror(errno));
	hole = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(hole != MAP_FAILED, "anon mmap");
	munmap(hole + PAGE, PAGE);
	EXPECT(msync(hole, 3 * PAGE, MS_SYNC) < 0 && errno == ENOMEM, "hole: not ENOMEM");
	return 0;
}

static int test_cache_counters(void)
{
	struct fl_vmstat a, b;
	static char buf[2 * PAGE];

	EXPECT(read_file(BIGFILE, buf, sizeof(buf)) == 0, "read");
	EXPECT(fl_vmstat(&a) == 0, "fl_vmstat: %s", strerror(errno));
	EXPECT(read_file(BIGFILE, buf, sizeof(buf)) == 0, "read");
	EXPECT(fl_vmstat(&b) == 0, "fl_vmstat");
	EXPECT(b.pgcache_hit >= a.pgcache_hit + 2, "pgcache_hit %llu -> %llu after re-reading 2 pages",
	       (unsigned long long)a.pgcache_hit, (unsigned long long)b.pgcache_hit);
	EXPECT(b.pgpgin >= b.pgreadahead / 2 && b.pgmajfault > 0,
	       "pgpgin %llu pgreadahead %llu pgmajfault %llu: exec should have read pages",
	       (unsigned long long)b.pgpgin, (unsigned long long)b.pgreadahead,
	       (unsigned long long)b.pgmajfault);
	return 0;
}

/* ---- these need a writable file ---- */

static int make_rwfile(void)
{
	static char page[PAGE];
	int fd = open(RWFILE, O_CREAT | O_RDWR | O_TRUNC, 0644);

	if (fd < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		memset(page, 'a' + i, PAGE);
		if (write(fd, page, PAGE) != (ssize_t)PAGE)
			return -1;
	}
	return fd;
}

static int test_shared_stores_reach_file(void)
{
	int fd = make_rwfile();
	char *p, buf[8];
	pid_t pid;

	if (fd < 0) {
		printf("    skipped: cannot create %s (%s): needs a writable root\n", RWFILE,
		       strerror(errno));
		return SKIP;
	}
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	EXPECT(p != MAP_FAILED, "mmap shared rw: %s", strerror(errno));
	memcpy(p + PAGE, "shared", 6);
	EXPECT(lseek(fd, PAGE, SEEK_SET) == (off_t)PAGE && read(fd, buf, 6) == 6 &&
	       memcmp(buf, "shared", 6) == 0,
	       "store not visible to read(2)");
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		memcpy(p + 2 * PAGE, "child", 5);
		_exit(0);
	}
	EXPECT(wait_code(pid) == 0, "child");
	EXPECT(memcmp(p + 2 * PAGE, "child", 5) == 0, "the child's shared store is not visible");
	EXPECT(msync(p, 3 * PAGE, MS_SYNC) == 0, "msync: %s", strerror(errno));
	munmap(p, 3 * PAGE);
	p = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	EXPECT(p != MAP_FAILED && memcmp(p + PAGE, "shared", 6) == 0, "lost after re-mmap");
	close(fd);
	unlink(RWFILE);
	return 0;
}

static const struct test tests[] = {
	{ "private_reads_file", test_private_reads_file },
	{ "private_cow", test_private_cow },
	{ "private_fork", test_private_fork },
	{ "shared_readonly_fork", test_shared_readonly_fork },
	{ "shared_write_needs_rdwr", test_shared_write_needs_rdwr },
	{ "eof_and_sigbus", test_eof_and_sigbus },
	{ "msync_errors", test_msync_errors },
	{ "cache_counters", test_cache_counters },
	{ "shared_stores_reach_file", test_shared_stores_reach_file },
};

int main(int argc, char **argv)
{
	int passed = 0, failed = 0, skipped = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		pid_t pid;
		int code;

		if (!test_selected(tests[i].name, argc, argv))
			continue;
		printf("  mmap %s\n", tests[i].name);
		fflush(NULL);
		pid = fork();
		if (pid == 0)
			_exit(tests[i].fn());
		code = pid < 0 ? -1 : wait_code(pid);
		if (code == 0) {
			passed++;
		} else if (code == SKIP) {
			skipped++;
		} else {
			failed++;
			printf("  FAIL mmap %s (exit %d)\n", tests[i].name, code);
		}
	}
	printf("mmaptests: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed;
}
