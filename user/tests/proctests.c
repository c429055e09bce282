/*
 * proctests - checks of /proc's formats against Linux's (run by usertests' "procfs" test,
 * or alone). Last line: "proctests: N passed, N failed".
 *   /proc/vmstat           "name value" lines; pgfault counts our faults
 *   /proc/self/maps        Linux's exact line format; our mappings, [heap], [stack], the program
 *   /proc/<pid>/maps       the same as /proc/self/maps for our pid; ENOENT for a dead pid
 *   /proc/sys/vm/fault_policy   a known policy; a bogus one is EINVAL
 *   /proc/trace            start/stop; our faults appear with our tid
 *   /proc (getdents)       vmstat, sys, self and our pid are listed
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <faultline.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE	4096UL
#define BIG	(256 * 1024)

static char buf[BIG], buf2[BIG];
static int passed, failed;

#define CHECK(cond, ...) do {						\
	if (cond) { passed++; } else {					\
		failed++; printf("  FAIL %s:%d: ", __func__, __LINE__);	\
		printf(__VA_ARGS__); printf("\n"); }			\
} while (0)

/* Whole file into b (NUL-terminated); bytes or -1 with errno. Small reads on purpose. */
static long slurp(const char *path, char *b, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((size_t)n < size - 1 && (r = read(fd, b + n, (size - 1 - (size_t)n > 700 ? 700 : size - 1 - (size_t)n))) > 0)
		n += r;
	close(fd);
	b[n] = '\0';
	return n;
}

static unsigned long vmstat_value(const char *name)
{
	char *p = buf;
	size_t len = strlen(name);

	if (slurp("/proc/vmstat", buf, sizeof(buf)) < 0)
		return (unsigned long)-1;
	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ' ')
			return strtoul(p + len + 1, NULL, 10);
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return (unsigned long)-1;
}

static int is_name_value_line(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
		p++;
	if (p == s || p >= end || *p++ != ' ' || p >= end)
		return 0;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p == end;
}

static void test_vmstat(void)
{
	long n = slurp("/proc/vmstat", buf, sizeof(buf));
	int lines = 0, good = 0;
	unsigned long before, after;
	char *area;

	CHECK(n > 0, "read /proc/vmstat: %s", strerror(errno));
	for (char *p = buf, *e; n > 0 && *p; p = e + 1) {
		e = strchr(p, '\n');
		if (!e)
			break;
		lines++;
		good += is_name_value_line(p, e);
	}
	CHECK(lines > 5 && lines == good, "%d of %d lines are \"name value\"", good, lines);
	CHECK(strstr(buf, "\npgfault ") && !strncmp(buf, "nr_free_pages ", 14),
	      "nr_free_pages first and pgfault present");
	before = vmstat_value("pgfault");
	area = mmap(NULL, 32 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < 32; i++)
		area[i * PAGE] = 1;
	after = vmstat_value("pgfault");
	CHECK(after != (unsigned long)-1 && after - before >= 32,
	      "pgfault went from %lu to %lu over 32 faults", before, after);
	munmap(area, 32 * PAGE);
	CHECK(open("/proc/vmstat", O_WRONLY) < 0 && errno == EACCES,
	      "/proc/vmstat opened for writing: %s", strerror(errno));
}

static int hexfield(const char **p, int min)
{
	int n = 0;

	while ((**p >= '0' && **p <= '9') || (**p >= 'a' && **p <= 'f'))
		(*p)++, n++;
	return n >= min;
}

/* Linux's show_map_vma layout, character by character; 1 if line [s, e) matches. */
static int is_maps_line(const char *s, const char *e)
{
	const char *p = s;
	const char *perm;

	if (!hexfield(&p, 8) || *p++ != '-' || !hexfield(&p, 8) || *p++ != ' ')
		return 0;
	perm = p;
	if ((perm[0] != 'r' && perm[0] != '-') || (perm[1] != 'w' && perm[1] != '-') ||
	    (perm[2] != 'x' && perm[2] != '-') || (perm[3] != 's' && perm[3] != 'p') ||
	    perm[4] != ' ')
		return 0;
	p += 5;
	if (!hexfield(&p, 8) || *p++ != ' ')
		return 0;
	if (!hexfield(&p, 2) || *p++ != ':' || !hexfield(&p, 2) || *p++ != ' ')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != ' ')
		return 0;
	if (p == e)
		return 1;		/* anonymous: the line ends with "inode " */
	return p <= s + 73 && e - s > 73 && s[72] == ' ' && s[73] != ' ';
}

static const char *find_line(const char *text, const char *prefix)
{
	for (const char *p = text; p && *p; ) {
		if (!strncmp(p, prefix, strlen(prefix)))
			return p;
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return NULL;
}

static void test_maps(void)
{
	char want[128], path[64];
	char *ro = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *heap = malloc(100000);
	int lines = 0, good = 0, stack_ok = 0, prog_ok = 0;
	long n;

	n = slurp("/proc/self/maps", buf, sizeof(buf));
	CHECK(n > 0, "read /proc/self/maps: %s", strerror(errno));
	for (char *p = buf, *e; n > 0 && *p; p = e + 1) {
		unsigned long lo, hi;

		e = strchr(p, '\n');
		if (!e)
			break;
		lines++;
		good += is_maps_line(p, e);
		lo = strtoul(p, NULL, 16);
		hi = strtoul(strchr(p, '-') + 1, NULL, 16);
		if ((unsigned long)&n >= lo && (unsigned long)&n < hi && e - p > 73)
			stack_ok = !strncmp(p + 73, "[stack]", 7);
		if ((unsigned long)&test_maps >= lo && (unsigned long)&test_maps < hi && e - p > 73)
			prog_ok = p[20] == 'x' && !strncmp(p + 73, "/tests/proctests", 16);
	}
	CHECK(lines >= 4 && lines == good, "%d of %d lines in Linux's maps format:\n%s",
	      good, lines, buf);
	snprintf(want, sizeof(want), "%08lx-%08lx r--p 00000000 00:00 0 \n",
		 (unsigned long)ro, (unsigned long)ro + 3 * PAGE);
	CHECK(find_line(buf, want) != NULL, "no line \"%.*s\" in\n%s", (int)strlen(want) - 1,
	      want, buf);
	CHECK(stack_ok, "our stack is not in a [stack] line");
	CHECK(prog_ok, "our code is not in an r-xp line named /tests/proctests");
	CHECK(heap && strstr(buf, "[heap]"), "no [heap] line after malloc");
	snprintf(path, sizeof(path), "/proc/%d/maps", getpid());
	CHECK(slurp(path, buf2, sizeof(buf2)) > 0 && !strcmp(buf, buf2),
	      "%s differs from /proc/self/maps", path);
	CHECK(open("/proc/4000/maps", O_RDONLY) < 0 && errno == ENOENT,
	      "/proc/4000/maps of no process: %s", strerror(errno));
	munmap(ro, 3 * PAGE);
	free(heap);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int rc;

	if (fd < 0)
		return -1;
	rc = write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
	close(fd);
	return rc;
}

static void test_fault_policy(void)
{
	static const char *const known[] = { "mmap\n", "vma\n", "retry_vma\n", "uptodate\n",
					     "hold\n" };
	char cur[32];
	int ok = 0;

	CHECK(slurp("/proc/sys/vm/fault_policy", buf, sizeof(buf)) > 0, "read: %s",
	      strerror(errno));
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		ok |= !strcmp(buf, known[i]);
	CHECK(ok, "fault_policy reads '%s', not a known policy", buf);
	strncpy(cur, buf, sizeof(cur) - 1);
	cur[sizeof(cur) - 1] = '\0';
	CHECK(write_file("/proc/sys/vm/fault_policy", "no_such_policy\n") < 0 && errno == EINVAL,
	      "a bogus policy was not refused with EINVAL: %s", strerror(errno));
	CHECK(write_file("/proc/sys/vm/fault_policy", cur) == 0, "writing back '%s': %s", cur,
	      strerror(errno));
}

static void test_trace(void)
{
	char *area = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	char want[64];
	long n;

	CHECK(write_file("/proc/trace", "stop") == 0 && write_file("/proc/trace", "clear") == 0 &&
	      write_file("/proc/trace", "start") == 0, "start: %s", strerror(errno));
	CHECK(write_file("/proc/trace", "clear") < 0 && errno == EBUSY,
	      "clear while tracing: %s", strerror(errno));
	for (int i = 0; i < 8; i++)
		area[i * PAGE] = 1;
	CHECK(write_file("/proc/trace", "stop") == 0, "stop: %s", strerror(errno));
	n = slurp("/proc/trace", buf, sizeof(buf));
	CHECK(n > 0 && !strncmp(buf, "# faultline-trace 1 cpus=", 25), "header: %.60s", buf);
	snprintf(want, sizeof(want), " %d fault_begin 0x%lx ", gettid(),
		 (unsigned long)area + 7 * PAGE);
	CHECK(strstr(buf, want) != NULL, "no '%s' event", want);
	snprintf(want, sizeof(want), " %d fault_end 0x%lx 0x0", gettid(),
		 (unsigned long)area + 7 * PAGE);
	CHECK(strstr(buf, want) != NULL, "no '%s' event", want);
	CHECK(strstr(buf, "mmap_lock_acquire") && strstr(buf, "mmap_lock_release"),
	      "no mmap_lock events");
	CHECK(write_file("/proc/trace", "bogus") < 0 && errno == EINVAL, "bogus command: %s",
	      strerror(errno));
	munmap(area, 8 * PAGE);
}

static void test_readdir(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	char me[16];
	int vmstat = 0, sys = 0, self = 0, pid = 0;

	snprintf(me, sizeof(me), "%d", getpid());
	CHECK(d != NULL, "opendir /proc: %s", strerror(errno));
	while (d && (de = readdir(d)) != NULL) {
		vmstat |= !strcmp(de->d_name, "vmstat");
		sys |= !strcmp(de->d_name, "sys");
		self |= !strcmp(de->d_name, "self");
		pid |= !strcmp(de->d_name, me);
	}
	if (d)
		closedir(d);
	CHECK(vmstat && sys && self && pid, "ls /proc: vmstat %d sys %d self %d pid %d",
	      vmstat, sys, self, pid);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_vmstat();
	test_maps();
	test_fault_policy();
	test_trace();
	test_readdir();
	printf("proctests: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
