/* driver.c - the libc side of the host sync suite: pthreads as CPUs. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void host_relax(void)
{
	sched_yield();
}

unsigned long long host_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

struct start { void (*fn)(int, void *); void *arg; int cpu; };

static void *trampoline(void *p)
{
	struct start *s = p;

	s->fn(s->cpu, s->arg);
	return NULL;
}

/* Run fn(cpu, arg) on n pthreads and wait for them. */
void host_run_cpus(int n, void (*fn)(int, void *), void *arg)
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

int host_tests_main(void);

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return host_tests_main();
}
