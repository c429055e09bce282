/*
 * usertests - user-space tests of the kernel (issue 3), one function per test.
 *   usertests            run them all
 *   usertests NAME...    run only these (names as printed)
 * Each test runs in its own child process, so a crash fails that test only. The last line is
 * "usertests: N passed, N failed" (make test looks for it).
 */
#include <errno.h>
#include <fcntl.h>
#include <faultline.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define K_EFAULT	14	/* Linux's EFAULT: raw calls return -errno with kernel numbers */

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Run fn in a child process; returns wait_code of it. */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(fn(arg));
	return pid < 0 ? -1 : wait_code(pid);
}

/* ---- processes ---- */

static int test_fork_exit_wait(void)
{
	pid_t pid = fork();

	EXPECT(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0)
		_exit(42);
	EXPECT(wait_code(pid) == 42, "child's exit code 42 did not come back through wait");
	EXPECT(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD, "wait with no children: %s",
	       "expected ECHILD");
	return 0;
}

static int test_exec(void)
{
	char *argv[] = { "echo", "hello", "exec", NULL };
	char buf[64] = { 0 };
	int fds[2], n = 0, r;
	pid_t pid;

	EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execve("/bin/echo", argv, environ);
		_exit(99);
	}
	close(fds[1]);
	while (n < (int)sizeof(buf) - 1 && (r = read(fds[0], buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fds[0]);
	EXPECT(wait_code(pid) == 0, "/bin/echo did not exit 0 (99 means execve failed)");
	EXPECT(strcmp(buf, "hello exec\n") == 0, "exec'd echo printed '%s'", buf);
	EXPECT(execve("/no/such/file", argv, environ) < 0 && errno == ENOENT,
	       "execve of a missing file should fail with ENOENT");
	return 0;
}

static int test_kill_signal(void)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		for (;;)
			sleep_ms(1000);
	}
	EXPECT(pid > 0, "fork: %s", strerror(errno));
	sleep_ms(20);
	EXPECT(kill(pid, SIGTERM) == 0, "kill: %s", strerror(errno));
	EXPECT(wait_code(pid) == 128 + SIGTERM, "SIGTERM's default action should kill");
	EXPECT(kill(pid, SIGKILL) < 0 && errno == ESRCH, "kill of a reaped pid should be ESRCH");
	return 0;
}

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	usr1_seen = sig;
}

static int test_sigaction_handler(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	sigset_t block, old;

	EXPECT(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	EXPECT(raise(SIGUSR1) == 0 && usr1_seen == SIGUSR1, "handler did not run for SIGUSR1");
	usr1_seen = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	EXPECT(sigprocmask(SIG_BLOCK, &block, &old) == 0, "sigprocmask: %s", strerror(errno));
	raise(SIGUSR1);
	EXPECT(usr1_seen == 0, "a blocked signal was delivered");
	sigprocmask(SIG_SETMASK, &old, NULL);
	EXPECT(usr1_seen == SIGUSR1, "the pending signal was not delivered on unblock");
	return 0;
}

/* ---- memory ---- */

static int test_malloc_brk(void)
{
	size_t n = 4 << 20;
	char *p = malloc(n), *q;

	EXPECT(p, "malloc(4 MiB) failed: %s", strerror(errno));
	memset(p, 0x5a, n);
	q = malloc(100);
	EXPECT(q && (q + 100 <= p || q >= p + n), "malloc returned overlapping blocks");
	EXPECT(p[0] == 0x5a && p[n - 1] == 0x5a, "malloc'd memory lost its contents");
	free(q);
	free(p);
	return 0;
}

static int cow_child(void *arg)
{
	volatile int *v = arg;

	if (*v != 1)
		return 1;
	*v = 2;
	return *v == 2 ? 0 : 3;
}

static int test_cow(void)
{
	int *v = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static int global = 1;

	EXPECT(v != MAP_FAILED, "mmap: %s", strerror(errno));
	*v = 1;
	EXPECT(in_child(cow_child, v) == 0, "child did not see 1 then its own write");
	EXPECT(*v == 1, "the child's write leaked into the parent (anonymous mmap)");
	EXPECT(in_child(cow_child, &global) == 0, "child did not see 1 then its own write");
	EXPECT(global == 1, "the child's write leaked into the parent (data segment)");
	munmap(v, PAGE);
	return 0;
}

struct cow_thread {
	volatile long counter;
	volatile int stop;
};

static void *cow_writer(void *arg)
{
	struct cow_thread *c = arg;

	while (!c->stop)
		c->counter++;
	return NULL;
}

static int cow_thread_child(void *arg)
{
	struct cow_thread *c = arg;
	long before = c->counter;

	sleep_ms(50);
	return c->counter == before ? 0 : 1;
}

/* A thread of the parent keeps writing while the child looks: the child must see a frozen copy. */
static int test_cow_threads(void)
{
	struct cow_thread *c = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_t t;
	long seen;
	int r;

	EXPECT(c != MAP_FAILED, "mmap: %s", strerror(errno));
	EXPECT(pthread_create(&t, NULL, cow_writer, c) == 0, "pthread_create failed");
	while (c->counter == 0)
		sched_yield();
	r = in_child(cow_thread_child, c);
	seen = c->counter;
	sleep_ms(10);
	c->stop = 1;
	pthread_join(t, NULL);
	EXPECT(r == 0, "the child saw the parent thread's writes after fork (status %d)", r);
	EXPECT(c->counter > seen, "the parent's thread stopped writing during the fork");
	munmap(c, PAGE);
	return 0;
}

static int test_lazy_mmap(void)
{
	static struct fl_vmstat a, b, c;
	size_t len = 64UL << 20;
	char *p;

	EXPECT(fl_vmstat(&a) == 0, "fl_vmstat: %s", strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(p != MAP_FAILED, "mmap 64 MiB: %s", strerror(errno));
	fl_vmstat(&b);
	p[len / 2] = 1;
	fl_vmstat(&c);
	munmap(p, len);
	EXPECT(b.self_vm_pages - a.self_vm_pages == len / PAGE,
	       "mapped pages grew by %lld, expected %lu",
	       (long long)(b.self_vm_pages - a.self_vm_pages), len / PAGE);
	EXPECT(b.self_rss_anon == a.self_rss_anon, "mmap itself populated %lld pages",
	       (long long)(b.self_rss_anon - a.self_rss_anon));
	EXPECT(c.self_rss_anon - b.self_rss_anon == 1, "touching one page cost %lld pages",
	       (long long)(c.self_rss_anon - b.self_rss_anon));
	EXPECT(c.anon_fault > b.anon_fault, "anon_fault did not count the first touch");
	return 0;
}

/* Touch addr in a child; returns the child's wait_code (128 + SIGSEGV if it faulted). */
static int touch_in_child(volatile char *addr)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		*addr = 1;
		_exit(0);
	}
	return wait_code(pid);
}

static int test_partial_munmap(void)
{
	char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	for (int i = 0; i < 4; i++)
		p[i * PAGE] = (char)('a' + i);
	EXPECT(munmap(p + PAGE, 2 * PAGE) == 0, "munmap of the middle: %s", strerror(errno));
	EXPECT(p[0] == 'a' && p[3 * PAGE] == 'd', "pages around the hole lost their data");
	EXPECT(touch_in_child(p + PAGE) == 128 + SIGSEGV, "the unmapped page is still there");
	EXPECT(touch_in_child(p + 2 * PAGE) == 128 + SIGSEGV, "the unmapped page is still there");
	EXPECT(munmap(p, PAGE) == 0 && munmap(p + 3 * PAGE, PAGE) == 0, "munmap of the ends");
	EXPECT(touch_in_child(p) == 128 + SIGSEGV, "the first page is still mapped");
	EXPECT(munmap(p, 4 * PAGE) == 0, "munmap of an empty range must succeed");
	return 0;
}

static volatile void *segv_addr;
static volatile int segv_code, segv_count;

static void on_segv(int sig, siginfo_t *info, void *uc)
{
	(void)sig;
	(void)uc;
	segv_addr = info->si_addr;
	segv_code = info->si_code;
	segv_count++;
	/* Make the page writable, so the faulting store succeeds when we return. */
	mprotect((void *)((unsigned long)info->si_addr & ~(PAGE - 1)), PAGE,
		 PROT_READ | PROT_WRITE);
}

static int test_mprotect_segv(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	volatile char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	EXPECT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	p[PAGE] = 'x';
	EXPECT(mprotect((void *)(p + PAGE), PAGE, PROT_READ) == 0, "mprotect: %s", strerror(errno));
	EXPECT(sigaction(SIGSEGV, &sa, NULL) == 0, "sigaction: %s", strerror(errno));
	p[0] = 'a';
	p[2 * PAGE] = 'c';
	EXPECT(segv_count == 0, "a write next to the read-only page faulted");
	EXPECT(p[PAGE] == 'x', "read of the read-only page failed");
	p[PAGE + 8] = 'y';
	EXPECT(segv_count == 1, "write to a read-only page gave %d SIGSEGVs", segv_count);
	EXPECT(segv_addr == p + PAGE + 8, "si_addr %p, expected %p", segv_addr, p + PAGE + 8);
	EXPECT(segv_code == SEGV_ACCERR, "si_code %d, expected SEGV_ACCERR", segv_code);
	EXPECT(p[PAGE + 8] == 'y' && p[PAGE] == 'x', "the retried write did not land");
	return 0;
}

/* ---- bad pointers ---- */

struct bad_call {
	const char *name;
	long nr;
	long a[4];
	int arg;		/* which argument gets the bad pointer */
};

/* One call per pointer argument; -1 in a slot is replaced by the bad pointer. */
static int check_efault(void *bad, int rfd, int wfd, int dirfd)
{
	static char path[] = "/bin/echo", cwd[64];
	static long ok_buf[32];
	static char *argv[] = { path, NULL };
	const struct bad_call calls[] = {
		{ "read", __NR_read, { rfd, 0, 8 }, 1 },
		{ "write", __NR_write, { wfd, 0, 8 }, 1 },
		{ "open", __NR_open, { 0, 0, 0 }, 0 },
		{ "stat(path)", __NR_stat, { 0, (long)ok_buf }, 0 },
		{ "stat(buf)", __NR_stat, { (long)path, 0 }, 1 },
		{ "fstat", __NR_fstat, { rfd, 0 }, 1 },
		{ "getdents64", __NR_getdents64, { dirfd, 0, 256 }, 1 },
		{ "pipe", __NR_pipe, { 0 }, 0 },
		{ "execve(path)", __NR_execve, { 0, (long)argv, 0 }, 0 },
		{ "execve(argv)", __NR_execve, { (long)path, 0, 0 }, 1 },
		{ "rt_sigaction(act)", __NR_rt_sigaction, { SIGUSR2, 0, 0, 8 }, 1 },
		{ "rt_sigaction(oact)", __NR_rt_sigaction, { SIGUSR2, 0, 0, 8 }, 2 },
		{ "rt_sigprocmask", __NR_rt_sigprocmask, { SIG_BLOCK, 0, 0, 8 }, 1 },
		{ "nanosleep", __NR_nanosleep, { 0, 0 }, 0 },
		{ "clock_gettime", __NR_clock_gettime, { CLOCK_MONOTONIC, 0 }, 1 },
		{ "futex", __NR_futex, { 0, FUTEX_WAIT, 0, 0 }, 0 },
		{ "chdir", __NR_chdir, { 0 }, 0 },
		{ "getcwd", __NR_getcwd, { 0, sizeof(cwd) }, 0 },
		{ "uname", __NR_uname, { 0 }, 0 },
		{ "unlink", __NR_unlink, { 0 }, 0 },
		{ "link", __NR_link, { 0, (long)"/tmp/x" }, 0 },
		{ "fl_vmstat", __NR_fl_vmstat, { 0, sizeof(struct fl_vmstat) }, 0 },
		{ "fl_proclist", __NR_fl_proclist, { 0, 4 }, 0 },
	};
	int failed = 0;

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		long a[4];
		long r;

		memcpy(a, calls[i].a, sizeof(a));
		a[calls[i].arg] = (long)bad;
		r = __fl_syscall(calls[i].nr, a[0], a[1], a[2], a[3], 0, 0);
		if (r != -K_EFAULT) {
			fail("%s with bad pointer %p returned %ld, expected -EFAULT (-14)",
			     calls[i].name, bad, r);
			failed++;
		}
	}
	return failed;
}

static int wait4_efault(void *bad)
{
	pid_t pid = fork();
	long r;

	if (pid == 0)
		_exit(0);
	r = __fl_syscall(__NR_wait4, pid, (long)bad, 0, 0, 0, 0);
	waitpid(pid, NULL, 0);
	return r == -K_EFAULT ? 0 : fail("wait4 with bad status pointer returned %ld", r);
}

/* A user address that was mapped a moment ago and is not any more. */
static void *unmapped_page(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, PAGE);
	return p == MAP_FAILED ? (void *)8 : p;
}

/* Bad pointers: the NULL page, an unmapped user page, the top (kernel) page. */
static int test_efault(void)
{
	void *bad[] = { (void *)8, unmapped_page(), (void *)~0xfffUL };
	int fds[2], dirfd, failed = 0;

	EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
	EXPECT(write(fds[1], "12345678", 8) == 8, "pipe write");
	dirfd = open("/", O_RDONLY | O_DIRECTORY);
	EXPECT(dirfd >= 0, "open /: %s", strerror(errno));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		failed += check_efault(bad[i], fds[0], fds[1], dirfd);
		failed += wait4_efault(bad[i]);
	}
	return failed != 0;
}

/* ---- threads and futexes ---- */

#define NTHREADS 4
#define NINCR 20000

static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long count;

static void *incrementer(void *arg)
{
	(void)arg;
	for (int i = 0; i < NINCR; i++) {
		pthread_mutex_lock(&count_lock);
		count++;
		pthread_mutex_unlock(&count_lock);
	}
	return (void *)(long)gettid();
}

static int test_threads_mutex(void)
{
	pthread_t t[NTHREADS];
	void *tid[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_create(&t[i], NULL, incrementer, NULL) == 0, "pthread_create %d", i);
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_join(t[i], &tid[i]) == 0, "pthread_join %d", i);
	EXPECT(count == (long)NTHREADS * NINCR, "count %ld, expected %ld", count,
	       (long)NTHREADS * NINCR);
	for (int i = 0; i < NTHREADS; i++)
		EXPECT((long)tid[i] != getpid() && (long)tid[i] > 0, "thread %d's tid %ld", i,
		       (long)tid[i]);
	return 0;
}

static pthread_mutex_t cv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t barrier;
static int cv_ready;

static void *cv_waiter(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	pthread_mutex_lock(&cv_lock);
	while (!cv_ready)
		pthread_cond_wait(&cv, &cv_lock);
	pthread_mutex_unlock(&cv_lock);
	return NULL;
}

static int test_condvar_barrier(void)
{
	pthread_t t[NTHREADS];

	pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_create(&t[i], NULL, cv_waiter, NULL) == 0, "pthread_create %d", i);
	pthread_barrier_wait(&barrier);
	sleep_ms(20);
	pthread_mutex_lock(&cv_lock);
	cv_ready = 1;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&cv_lock);
	for (int i = 0; i < NTHREADS; i++)
		EXPECT(pthread_join(t[i], NULL) == 0, "pthread_join %d", i);
	return 0;
}

static volatile uint32_t futex_word;

static void *futex_waiter(void *arg)
{
	(void)arg;
	while (futex_word == 0)
		futex_wait(&futex_word, 0, NULL);
	return (void *)1;
}

static int test_futex(void)
{
	struct timespec ts = { 0, 20 * 1000000 };
	pthread_t t;
	void *r = NULL;

	EXPECT(futex_wait(&futex_word, 1, NULL) < 0 && errno == EAGAIN,
	       "FUTEX_WAIT with a stale value should fail with EAGAIN");
	EXPECT(futex_wait(&futex_word, 0, &ts) < 0 && errno == ETIMEDOUT,
	       "FUTEX_WAIT with a 20 ms timeout should fail with ETIMEDOUT");
	EXPECT(pthread_create(&t, NULL, futex_waiter, NULL) == 0, "pthread_create");
	sleep_ms(30);
	futex_word = 1;
	futex_wake(&futex_word, 1);
	EXPECT(pthread_join(t, &r) == 0 && r == (void *)1, "the waiter did not wake up");
	EXPECT(futex_wake(&futex_word, 1) == 0, "FUTEX_WAKE with no waiters should return 0");
	return 0;
}

/* ---- pipes ---- */

#define PIPE_BYTES (256 * 1024)

static int pipe_reader(void *arg)
{
	int *fds = arg;
	unsigned long sum = 0, n = 0;
	unsigned char buf[1000];
	ssize_t r;

	close(fds[1]);
	while ((r = read(fds[0], buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++, n++)
			sum += buf[i] ^ (n & 0xff);
	return n == PIPE_BYTES && sum == 0 ? 0 : 1;
}

static int test_pipe_processes(void)
{
	unsigned char buf[4096];
	int fds[2];
	pid_t pid;

	EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(pipe_reader(fds));
	close(fds[0]);
	for (size_t off = 0; off < PIPE_BYTES; off += sizeof(buf)) {
		for (size_t i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)((off + i) & 0xff);
		EXPECT(write(fds[1], buf, sizeof(buf)) == sizeof(buf), "write: %s",
		       strerror(errno));
	}
	close(fds[1]);
	EXPECT(wait_code(pid) == 0, "the reader got wrong data or a wrong byte count");
	return 0;
}

/* ---- limits ---- */

#define MAX_FORKS 4096

static int test_proc_exhaustion(void)
{
	static pid_t pids[MAX_FORKS];
	int fds[2], n = 0, err = 0;

	EXPECT(pipe(fds) == 0, "pipe: %s", strerror(errno));
	fflush(NULL);
	for (; n < MAX_FORKS; n++) {
		pids[n] = fork();
		if (pids[n] == 0) {
			char c;

			close(fds[1]);
			read(fds[0], &c, 1);	/* wait for the parent's close */
			_exit(0);
		}
		if (pids[n] < 0) {
			err = errno;
			break;
		}
	}
	close(fds[1]);
	for (int i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	EXPECT(n < MAX_FORKS, "no process limit within %d forks", MAX_FORKS);
	EXPECT(err == EAGAIN, "fork #%d failed with %s, expected EAGAIN", n, strerror(err));
	EXPECT(in_child(cow_child, &(int){ 1 }) == 0, "fork does not work after the limit");
	printf("    (limit reached after %d processes)\n", n);
	return 0;
}

static int oom_child(void *arg)
{
	(void)arg;
	for (;;) {
		char *p = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			return errno == ENOMEM ? 0 : 2;
		for (size_t i = 0; i < (1 << 20); i += PAGE)
			p[i] = 1;	/* the kernel may kill us here instead */
	}
}

static int test_oom_survival(void)
{
	int r = in_child(oom_child, NULL);

	EXPECT(r == 0 || r == 128 + SIGKILL, "the memory hog ended with %d, expected ENOMEM "
	       "(0) or SIGKILL (%d)", r, 128 + SIGKILL);
	EXPECT(test_malloc_brk() == 0, "memory is not usable again after the hog");
	EXPECT(in_child(cow_child, &(int){ 1 }) == 0, "fork does not work after the hog");
	return 0;
}

/* Touch n fresh anonymous pages; 0, or -1 if mmap failed. */
static int touch_pages(long n)
{
	char *p = mmap(NULL, (size_t)n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return -1;
	for (long i = 0; i < n; i++)
		p[i * PAGE] = 1;
	return 0;
}

/*
 * The OOM killer kills the process with the most resident pages, not the one that
 * faults: a big process sits on 60 % of the free memory, a small one then asks for
 * as much. The big one must die (SIGKILL), the small one must finish, and once both
 * are reaped their memory must be free again (an exiting process frees it before its
 * parent can reap it).
 */
static int test_oom_kills_largest(void)
{
	static struct fl_vmstat before, after;
	int ready[2], big_code, small_code;
	pid_t big, small;
	long n;
	char c;

	EXPECT(fl_vmstat(&before) == 0 && pipe(ready) == 0, "fl_vmstat/pipe: %s", strerror(errno));
	n = (long)before.pages_free * 6 / 10;
	fflush(NULL);
	big = fork();
	if (big == 0) {
		close(ready[0]);
		if (touch_pages(n) == 0 && write(ready[1], "x", 1) == 1)
			for (;;)
				sleep_ms(1000);
		_exit(2);
	}
	close(ready[1]);
	EXPECT(big > 0 && read(ready[0], &c, 1) == 1, "the big process did not get its memory");
	small = fork();
	if (small == 0)
		_exit(touch_pages(n) == 0 ? 0 : 3);
	small_code = wait_code(small);
	big_code = wait_code(big);
	EXPECT(fl_vmstat(&after) == 0, "fl_vmstat: %s", strerror(errno));
	printf("    %ld pages each; big ended with %d, small with %d; free %llu -> %llu\n", n,
	       big_code, small_code, (unsigned long long)before.pages_free,
	       (unsigned long long)after.pages_free);
	EXPECT(big_code == 128 + SIGKILL, "the largest process ended with %d, not SIGKILL", big_code);
	EXPECT(small_code == 0, "the faulting (smaller) process ended with %d", small_code);
	EXPECT(after.pages_free + before.pages_free / 20 >= before.pages_free,
	       "only %llu of %llu pages free again after reaping both",
	       (unsigned long long)after.pages_free, (unsigned long long)before.pages_free);
	return 0;
}

/*
 * Reclaim before OOM: a clean, unmapped page cache is given back before anyone is
 * killed. A 6 MiB file is written and fsynced (its pages and buffers are cached and
 * clean), then a child asks for every free page plus half the file's size. Without
 * reclaim it would be OOM-killed; with it, it finishes, nobody is killed, and the
 * file's pages must be read from the disk again (cache misses), with the same bytes.
 */
#define RECLAIM_FILE_PAGES	1536

static unsigned char reclaim_byte(long off)
{
	return (unsigned char)((off * 13 + off / 4093) % 251);
}

/* Write (check=0) or read back and compare (check=1) the whole file. 0 if all went well. */
static int reclaim_file_io(int fd, int check)
{
	static unsigned char buf[65536];

	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	for (long off = 0; off < RECLAIM_FILE_PAGES * (long)PAGE; off += (long)sizeof(buf)) {
		if (!check) {
			for (size_t i = 0; i < sizeof(buf); i++)
				buf[i] = reclaim_byte(off + (long)i);
			if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				return -1;
			continue;
		}
		if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return -1;
		for (size_t i = 0; i < sizeof(buf); i++)
			if (buf[i] != reclaim_byte(off + (long)i))
				return -1;
	}
	return 0;
}

static int test_reclaim_before_oom(void)
{
	static struct fl_vmstat before, after, reread;
	const char *path = "/tmp/reclaim.dat";
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	long n;
	int code;
	pid_t pid;

	EXPECT(fd >= 0, "open %s: %s", path, strerror(errno));
	EXPECT(reclaim_file_io(fd, 0) == 0 && fsync(fd) == 0, "writing %s: %s", path,
	       strerror(errno));
	EXPECT(fl_vmstat(&before) == 0, "fl_vmstat: %s", strerror(errno));
	n = (long)before.pages_free + RECLAIM_FILE_PAGES / 2;
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(touch_pages(n) == 0 ? 0 : 3);
	code = wait_code(pid);
	EXPECT(fl_vmstat(&after) == 0, "fl_vmstat: %s", strerror(errno));
	printf("    %ld pages asked, %llu were free; child ended with %d\n", n,
	       (unsigned long long)before.pages_free, code);
	EXPECT(code == 0, "the child ended with %d: the clean page cache was not reclaimed", code);
	EXPECT(after.oom_kill == before.oom_kill, "the OOM killer ran although the cache was clean");
	EXPECT(reclaim_file_io(fd, 1) == 0, "%s reads back wrong after reclaim", path);
	EXPECT(fl_vmstat(&reread) == 0, "fl_vmstat: %s", strerror(errno));
	EXPECT(reread.pgcache_miss > after.pgcache_miss,
	       "reading the file again found it all cached: nothing was reclaimed");
	close(fd);
	EXPECT(unlink(path) == 0, "unlink %s: %s", path, strerror(errno));
	return 0;
}

/* ---- issue 5: per-VMA locks under stress ---- */
#define STRESS_SECONDS	25	/* per architecture: issue 5 wants >= 1 minute over the three */
#define STRESS_FAULTERS	3
#define STRESS_WRITERS	2

static struct {
	volatile int stop;
	volatile int errors;
	volatile long faults_done, writer_ops, protect_ops;
	char *shared;			/* 16 pages, constant content, mprotect toggled */
} st;

static void *stress_faulter(void *arg)
{
	long id = (long)arg;
	size_t own_len = 64 * PAGE, len = 32 * PAGE;
	unsigned *own = mmap(NULL, own_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (own == MAP_FAILED) {
		st.errors++;
		return NULL;
	}
	for (unsigned iter = 1; !st.stop; iter++) {
		unsigned *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			st.errors++;
			break;
		}
		for (size_t i = 0; i < len / PAGE; i++)		/* fresh VMA: every page faults */
			p[i * PAGE / 4] = (unsigned)(id << 24) ^ iter ^ (unsigned)i;
		for (size_t i = 0; i < own_len / PAGE; i++)	/* long-lived: no lost write */
			own[i * PAGE / 4 + (iter % 1024)] = iter;
		for (size_t i = 0; i < len / PAGE; i++)
			if (p[i * PAGE / 4] != ((unsigned)(id << 24) ^ iter ^ (unsigned)i))
				st.errors++;
		for (size_t i = 0; i < own_len / PAGE; i++)
			if (own[i * PAGE / 4 + (iter % 1024)] != iter)
				st.errors++;
		for (size_t i = 0; i < 16; i++)			/* reads while mprotect toggles */
			if (st.shared[i * PAGE] != (char)(0x5a + i))
				st.errors++;
		munmap(p, len);
		__atomic_fetch_add(&st.faults_done, (long)(len / PAGE), __ATOMIC_RELAXED);
	}
	munmap(own, own_len);
	return NULL;
}

static void *stress_writer(void *arg)
{
	(void)arg;
	while (!st.stop) {
		char *p = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED) {
			st.errors++;
			break;
		}
		p[0] = 1;
		p[5 * PAGE] = 2;
		if (mprotect(p + 2 * PAGE, PAGE, PROT_READ) ||		/* split */
		    mprotect(p + 2 * PAGE, PAGE, PROT_READ | PROT_WRITE))	/* merge */
			st.errors++;
		if (p[0] != 1 || p[5 * PAGE] != 2)
			st.errors++;
		munmap(p, 8 * PAGE);
		__atomic_fetch_add(&st.writer_ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void *stress_protector(void *arg)
{
	(void)arg;
	while (!st.stop) {
		if (mprotect(st.shared, 16 * PAGE, PROT_READ) ||
		    mprotect(st.shared, 16 * PAGE, PROT_READ | PROT_WRITE))
			st.errors++;
		__atomic_fetch_add(&st.protect_ops, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int test_vmalock_stress(void)
{
	static struct fl_vmstat a, b;
	pthread_t f[STRESS_FAULTERS], w[STRESS_WRITERS], pr;
	long dpg, dsucc, dabort, dretry, dmmap;

	st.shared = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT(st.shared != MAP_FAILED, "mmap: %s", strerror(errno));
	for (int i = 0; i < 16; i++)
		st.shared[i * PAGE] = (char)(0x5a + i);
	EXPECT(fl_vmstat(&a) == 0, "fl_vmstat: %s", strerror(errno));
	for (long i = 0; i < STRESS_FAULTERS; i++)
		EXPECT(pthread_create(&f[i], NULL, stress_faulter, (void *)i) == 0, "pthread_create");
	for (long i = 0; i < STRESS_WRITERS; i++)
		EXPECT(pthread_create(&w[i], NULL, stress_writer, NULL) == 0, "pthread_create");
	EXPECT(pthread_create(&pr, NULL, stress_protector, NULL) == 0, "pthread_create");
	sleep_ms(STRESS_SECONDS * 1000);
	st.stop = 1;
	for (int i = 0; i < STRESS_FAULTERS; i++)
		pthread_join(f[i], NULL);
	for (int i = 0; i < STRESS_WRITERS; i++)
		pthread_join(w[i], NULL);
	pthread_join(pr, NULL);
	fl_vmstat(&b);
	dpg = (long)(b.pgfault - a.pgfault);
	dsucc = (long)(b.vma_lock_success - a.vma_lock_success);
	dabort = (long)(b.vma_lock_abort - a.vma_lock_abort);
	dretry = (long)(b.vma_lock_retry - a.vma_lock_retry);
	dmmap = (long)(b.fault_mmap_user - a.fault_mmap_user);
	printf("    %ds: %ld faults by the faulters, %ld writer rounds, %ld mprotect rounds\n"
	       "    pgfault %ld = vma_lock_success %ld + fault_mmap_user %ld; abort %ld retry %ld "
	       "miss %llu vma_write_wait %llu mmap_lock_contended %llu\n",
	       STRESS_SECONDS, st.faults_done, st.writer_ops, st.protect_ops, dpg, dsucc, dmmap,
	       dabort, dretry, (unsigned long long)(b.vma_lock_miss - a.vma_lock_miss),
	       (unsigned long long)(b.vma_write_wait - a.vma_write_wait),
	       (unsigned long long)(b.mmap_lock_contended - a.mmap_lock_contended));
	EXPECT(st.errors == 0, "%d data/syscall errors", st.errors);
	EXPECT(b.segv == a.segv && b.sigbus == a.sigbus && b.fault_signal == a.fault_signal,
	       "unexpected SIGSEGV/SIGBUS/signal-abandoned faults");
	EXPECT(st.faults_done > 1000 && st.writer_ops > 10 && st.protect_ops > 10,
	       "too little progress");
	/* the counters add up (policy vma: every user fault is one of these paths) */
	if (b.fault_policy == 1) {
		EXPECT(dsucc > 0, "no fault completed under the VMA lock");
		EXPECT(dpg == dsucc + dmmap, "pgfault %ld != vma_lock_success %ld + fault_mmap_user %ld",
		       dpg, dsucc, dmmap);
		EXPECT(dmmap == dabort + dretry, "fault_mmap_user %ld != abort %ld + retry %ld",
		       dmmap, dabort, dretry);
	}
	munmap(st.shared, 16 * PAGE);
	return 0;
}

/*
 * Suites that are whole programs (/tests/NAME: proctests, mmaptests, policytests, fstests)
 * run as one test each; they print their own per-test lines.
 */
static int run_suite(const char *name)
{
	char path[64];
	char *argv[] = { (char *)name, NULL };
	pid_t pid;

	snprintf(path, sizeof(path), "/tests/%s", name);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execve(path, argv, environ);
		_exit(99);
	}
	EXPECT(pid > 0, "fork: %s", strerror(errno));
	EXPECT(wait_code(pid) == 0, "%s reported failures (99: exec failed)", path);
	return 0;
}

static int test_procfs(void) { return run_suite("proctests"); }
static int test_mmaptests(void) { return run_suite("mmaptests"); }
static int test_policytests(void) { return run_suite("policytests"); }
static int test_fstests(void) { return run_suite("fstests"); }

/* ---- runner ---- */

static const struct test tests[] = {
	{ "fork_exit_wait", test_fork_exit_wait },
	{ "exec", test_exec },
	{ "kill_signal", test_kill_signal },
	{ "sigaction_handler", test_sigaction_handler },
	{ "malloc_brk", test_malloc_brk },
	{ "cow", test_cow },
	{ "cow_threads", test_cow_threads },
	{ "lazy_mmap", test_lazy_mmap },
	{ "partial_munmap", test_partial_munmap },
	{ "mprotect_segv", test_mprotect_segv },
	{ "efault", test_efault },
	{ "threads_mutex", test_threads_mutex },
	{ "condvar_barrier", test_condvar_barrier },
	{ "futex", test_futex },
	{ "pipe_processes", test_pipe_processes },
	{ "proc_exhaustion", test_proc_exhaustion },
	{ "oom_survival", test_oom_survival },
	{ "oom_kills_largest", test_oom_kills_largest },
	{ "reclaim_before_oom", test_reclaim_before_oom },
	{ "vmalock_stress", test_vmalock_stress },
	{ "policytests", test_policytests },
	{ "procfs", test_procfs },
	{ "mmaptests", test_mmaptests },
	{ "fstests", test_fstests },
};

static int run_one(int i)
{
	int code;
	pid_t pid;

	printf("test %s: ", tests[i].name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		printf("\n");
		_exit(tests[i].fn());
	}
	code = pid < 0 ? -1 : wait_code(pid);
	if (code == 0)
		printf("    ok\n");
	else if (code > 128 && fl_signame(code - 128))
		printf("    FAILED: killed by %s\n", fl_signame(code - 128));
	else
		printf("    FAILED\n");
	return code == 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < (int)(sizeof(tests) / sizeof(tests[0])); i++) {
		if (!test_selected(tests[i].name, argc, argv))
			continue;
		if (run_one(i))
			passed++;
		else
			failed++;
	}
	printf("usertests: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
