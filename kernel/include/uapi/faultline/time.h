/*
 * uapi/faultline/time.h - time structures and clock ids, Linux's values.
 * clock_gettime accepts at least CLOCK_REALTIME, CLOCK_MONOTONIC and
 * CLOCK_PROCESS_CPUTIME_ID; nanosleep sleeps on CLOCK_MONOTONIC and returns -EINTR with the
 * remaining time in *rem when a handled signal arrives.
 */
#ifndef _UAPI_FAULTLINE_TIME_H
#define _UAPI_FAULTLINE_TIME_H

#include "types.h"

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_PROCESS_CPUTIME_ID	2
#define CLOCK_THREAD_CPUTIME_ID		3
#define CLOCK_BOOTTIME			7

struct __kernel_timespec {
	__s64	tv_sec;
	__s64	tv_nsec;	/* 0 .. 999999999, else -EINVAL */
};

#endif
