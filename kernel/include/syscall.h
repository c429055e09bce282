/*
 * syscall.h - the system call entry (kernel/task/syscall.c) and the bodies task provides.
 *
 * do_syscall() indexes the table of uapi/faultline/unistd.h by syscall_nr(regs); each
 * entry unpacks syscall_arg(regs, 0..5) into the typed sys_* function. Pointers are user
 * addresses: every body reads and writes them with copy_*_user() and friends only,
 * which give -EFAULT for bad ones. File system calls are fs's (<fs.h>), memory ones vm's
 * (<mmap.h>); the rest are below.
 */
#ifndef FAULTLINE_SYSCALL_H
#define FAULTLINE_SYSCALL_H

#include <types.h>
#include <uapi/faultline/errno.h>
#include <uapi/faultline/signal.h>
#include <uapi/faultline/time.h>
#include <uapi/faultline/utsname.h>
#include <uapi/faultline/fl.h>

struct pt_regs;
typedef int pid_t;

long sys_clone(unsigned long flags, uintptr_t newsp, int *parent_tid, int *child_tid,
	       uintptr_t tls);
long sys_execve(const char *path, char *const *argv, char *const *envp);
long sys_exit(int code);
long sys_exit_group(int code);
long sys_wait4(pid_t pid, int *status, int options, void *rusage);
long sys_getpid(void);
long sys_gettid(void);
long sys_getppid(void);
long sys_kill(pid_t pid, int sig);
long sys_rt_sigaction(int sig, const struct kernel_sigaction *act,
		      struct kernel_sigaction *oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const uint64_t *set, uint64_t *oset, size_t sigsetsize);
long sys_rt_sigreturn(struct pt_regs *regs);
long sys_nanosleep(const struct __kernel_timespec *req, struct __kernel_timespec *rem);
long sys_clock_gettime(int clockid, struct __kernel_timespec *tp);
long sys_sched_yield(void);
long sys_futex(uint32_t *uaddr, int op, uint32_t val, const struct __kernel_timespec *timeout);
long sys_set_tls(uintptr_t tp);
long sys_uname(struct new_utsname *buf);
long sys_fl_vmstat(struct fl_vmstat *buf, size_t size);
long sys_fl_proclist(struct fl_procinfo *buf, size_t n);
long sys_reboot(int magic1, int magic2, unsigned int cmd, void *arg);

#endif
