/* driver.c - the libc side of the host suites that run kernel code on pthreads
 * playing CPUs (tests/host/fault, tests/host/sync): threads, time, output, the
 * arena mapping, one forked child per test (host.h). The kernel-side files are
 * built against kernel/include only and reach libc through host.h. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int host_vprint(const char *fmt, va_list ap)
{
	return vprintf(fmt, ap);
}

int host_print(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void host_exit(int code)
{
	fflush(stdout);
	fflush(stderr);
	_exit(code);
}

void host_yield(void)
{
	sched_yield();
}

void host_relax(void)		/* arch_cpu_relax: 2 cores, many spinners */
{
	sched_yield();
}

void host_usleep(unsigned int us)
{
	usleep(us);
}

unsigned long long host_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int host_map_arena(unsigned long base, unsigned long size)
{
	void *p = mmap((void *)base, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)base) {
		perror("mmap arena at PHYS_MAP_BASE");
		return -1;
	}
	return 0;
}

const char *host_getenv(const char *name)
{
	return getenv(name);
}

unsigned long host_strtoul(const char *s)
{
	return strtoul(s, NULL, 0);
}

struct start { void (*fn)(int, void *); void *arg; int i; };

static void *trampoline(void *p)
{
	struct start *s = p;

	s->fn(s->i, s->arg);
	return NULL;
}

void host_run_threads(int n, void (*fn)(int, void *), void *arg)
{
	pthread_t th[64];
	struct start st[64];

	if (n > 64)
		abort();
	for (int i = 0; i < n; i++) {
		st[i] = (struct start){ fn, arg, i };
		if (pthread_create(&th[i], NULL, trampoline, &st[i]))
			abort();
	}
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

struct start_detached { void (*fn)(void *); void *arg; };

static void *detached_trampoline(void *p)
{
	struct start_detached s = *(struct start_detached *)p;

	free(p);
	s.fn(s.arg);
	return NULL;
}

void host_start_thread(void (*fn)(void *), void *arg)
{
	struct start_detached *s = malloc(sizeof(*s));
	pthread_t th;

	if (!s)
		abort();
	*s = (struct start_detached){ fn, arg };
	if (pthread_create(&th, NULL, detached_trampoline, s) || pthread_detach(th))
		abort();
}

/* Run fn in a forked child (a fresh arena and allocator each); true if it
 * exited 0. A child that runs past timeout_s is killed and fails. */
int host_run_child(int (*fn)(void *), void *arg, unsigned int timeout_s)
{
	pid_t pid;
	int st = 0;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(timeout_s);
		setvbuf(stdout, NULL, _IOLBF, 0);
		host_exit(fn(arg));
	}
	if (waitpid(pid, &st, 0) < 0)
		return 0;
	if (WIFSIGNALED(st))
		printf("  (child killed by signal %d%s)\n", WTERMSIG(st),
		       WTERMSIG(st) == SIGALRM ? ": timeout, a hang?" : "");
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

int host_tests_main(int argc, char **argv);

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return host_tests_main(argc, argv);
}
