/*
 * time.h - newlib's <time.h> plus the POSIX clocks Faultline has, with the kernel's (Linux)
 * clock ids: newlib's own CLOCK_REALTIME is 1, the kernel's is 0.
 */
#ifndef FL_TIME_H
#define FL_TIME_H

#include_next <time.h>

#undef CLOCK_REALTIME
#undef CLOCK_MONOTONIC
#undef CLOCK_PROCESS_CPUTIME_ID
#undef CLOCK_THREAD_CPUTIME_ID
#undef CLOCK_BOOTTIME
#include <faultline/time.h>

int clock_gettime(clockid_t clock_id, struct timespec *tp);
int nanosleep(const struct timespec *req, struct timespec *rem);

#endif
