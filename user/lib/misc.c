/*
 * misc.c - the remaining POSIX and Faultline calls: pipe dup dup2 chdir getcwd sched_yield
 * uname gettid futex_wait futex_wake fl_vmstat fl_proclist reboot.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <faultline.h>
#include <sys/reboot.h>
#include "fl_internal.h"

int pipe(int fds[2])
{
	return fl_ret(SYS1(__NR_pipe, fds));
}

int dup(int fd)
{
	return fl_ret(SYS1(__NR_dup, fd));
}

int dup2(int oldfd, int newfd)
{
	return fl_ret(SYS2(__NR_dup2, oldfd, newfd));
}

int chdir(const char *path)
{
	return fl_ret(SYS1(__NR_chdir, path));
}

char *getcwd(char *buf, size_t size)
{
	return fl_ret(SYS2(__NR_getcwd, buf, size)) < 0 ? NULL : buf;
}

int sched_yield(void)
{
	return fl_ret(SYS0(__NR_sched_yield));
}

_Static_assert(sizeof(struct utsname) == sizeof(struct new_utsname), "utsname layout");

int uname(struct utsname *buf)
{
	return fl_ret(SYS1(__NR_uname, buf));
}

pid_t gettid(void)
{
	return SYS0(__NR_gettid);
}

int futex_wait(volatile uint32_t *uaddr, uint32_t val, const struct timespec *timeout)
{
	return fl_ret(SYS4(__NR_futex, uaddr, FUTEX_WAIT, val, timeout));
}

int futex_wake(volatile uint32_t *uaddr, int n)
{
	return fl_ret(SYS4(__NR_futex, uaddr, FUTEX_WAKE, n, NULL));
}

/* Fields the running kernel does not know yet read as 0. */
int fl_vmstat(struct fl_vmstat *st)
{
	memset(st, 0, sizeof(*st));
	return fl_ret(SYS2(__NR_fl_vmstat, st, sizeof(*st))) < 0 ? -1 : 0;
}

int fl_proclist(struct fl_procinfo *buf, int n)
{
	return fl_ret(SYS2(__NR_fl_proclist, buf, n));
}

int reboot(int cmd)
{
	return fl_ret(SYS4(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, NULL));
}
