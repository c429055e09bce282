/*
 * time.c - clocks and sleeping: clock_gettime nanosleep sleep usleep and newlib's _times
 * _gettimeofday. struct timespec has the kernel's layout on LP64 (checked below).
 */
#include <errno.h>
#include <stddef.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "fl_internal.h"

_Static_assert(sizeof(struct timespec) == 16 && offsetof(struct timespec, tv_nsec) == 8,
	       "struct timespec must match struct __kernel_timespec");

int clock_gettime(clockid_t id, struct timespec *tp)
{
	return fl_ret(SYS2(__NR_clock_gettime, id, tp));
}

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return fl_ret(SYS2(__NR_nanosleep, req, rem));
}

/* Sleeps the whole time even across handled signals, as callers of sleep() expect. */
unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { seconds, 0 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = { usec / 1000000, (long)(usec % 1000000) * 1000 };

	return nanosleep(&ts, NULL);
}

int gettimeofday(struct timeval *tv, void *tz)
{
	struct timespec ts;

	(void)tz;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		return -1;
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}
__typeof__(gettimeofday) _gettimeofday __attribute__((alias("gettimeofday")));

static clock_t to_ticks(const struct timespec *ts)
{
	return (clock_t)ts->tv_sec * CLOCKS_PER_SEC +
	       (clock_t)ts->tv_nsec / (1000000000 / CLOCKS_PER_SEC);
}

/* User time from the process CPU clock (system time is not split out yet). */
clock_t times(struct tms *t)
{
	struct timespec now, cpu = { 0, 0 };

	if (clock_gettime(CLOCK_MONOTONIC, &now) < 0)
		return (clock_t)-1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	t->tms_utime = to_ticks(&cpu);
	t->tms_stime = 0;
	t->tms_cutime = 0;
	t->tms_cstime = 0;
	return to_ticks(&now);
}
__typeof__(times) _times __attribute__((alias("times")));
