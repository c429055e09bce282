/*
 * proc.c - processes, memory break and time for newlib: _exit _kill _getpid _fork _execve
 * _wait _sbrk _times _gettimeofday, plus the POSIX calls newlib leaves to the system.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <faultline/sched.h>
#include <faultline/signal.h>
#include "fl_internal.h"

#define ALIAS(name) __typeof__(name) _##name __attribute__((alias(#name), copy(name)))

void _exit(int status)
{
	for (;;)
		SYS1(__NR_exit_group, status);
}

int kill(pid_t pid, int sig)
{
	return fl_ret(SYS2(__NR_kill, pid, sig));
}
ALIAS(kill);

pid_t getpid(void)
{
	return SYS0(__NR_getpid);
}
ALIAS(getpid);

pid_t getppid(void)
{
	return SYS0(__NR_getppid);
}

pid_t fork(void)
{
	return fl_ret(SYS6(__NR_clone, SIGCHLD, 0, 0, 0, 0, 0));
}
ALIAS(fork);

int execve(const char *path, char *const argv[], char *const envp[])
{
	return fl_ret(SYS3(__NR_execve, path, argv, envp));
}
ALIAS(execve);

pid_t waitpid(pid_t pid, int *status, int options)
{
	return fl_ret(SYS4(__NR_wait4, pid, status, options, 0));
}

pid_t wait(int *status)
{
	return waitpid(-1, status, 0);
}
ALIAS(wait);

/* The break starts at the end of the program's data; the kernel knows where that is. */
static uintptr_t cur_brk;

void *sbrk(ptrdiff_t incr)
{
	uintptr_t want;

	if (cur_brk == 0)
		cur_brk = (uintptr_t)SYS1(__NR_brk, 0);
	want = cur_brk + incr;
	if ((incr > 0 && want < cur_brk) || (incr < 0 && want > cur_brk) ||
	    (uintptr_t)SYS1(__NR_brk, want) != want) {
		errno = ENOMEM;
		return (void *)-1;
	}
	cur_brk = want;
	return (void *)(want - incr);
}
ALIAS(sbrk);
