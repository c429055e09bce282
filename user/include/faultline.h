/*
 * faultline.h - Faultline-specific calls for user programs: threads ids, futexes, the raw
 * system call, the auxiliary vector and the kernel's counters.
 * Functions return -1 with errno set on failure, except fl_syscall (raw: -errno, Linux values).
 */
#ifndef FL_FAULTLINE_H
#define FL_FAULTLINE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <faultline/unistd.h>
#include <faultline/sched.h>
#include <faultline/futex.h>
#include <faultline/auxvec.h>
#include <faultline/fl.h>

/* The raw system call: result, or -errno with the kernel's (Linux) errno numbers. */
long __fl_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
#define fl_syscall(nr, ...) fl_syscall_n(nr, __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define fl_syscall_n(nr, a, b, c, d, e, f, ...) \
	__fl_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

pid_t gettid(void);
/* Sleep while *uaddr == val (timeout relative, NULL = forever); 0, or -1 with errno. */
int futex_wait(volatile uint32_t *uaddr, uint32_t val, const struct timespec *timeout);
/* Wake up to n waiters; returns how many were woken. */
int futex_wake(volatile uint32_t *uaddr, int n);
int sched_yield(void);
unsigned long getauxval(unsigned long type);	/* 0 if absent */
int fl_vmstat(struct fl_vmstat *st);		/* 0, or -1 with errno */
int fl_proclist(struct fl_procinfo *buf, int n);	/* entries filled, or -1 */

#endif
