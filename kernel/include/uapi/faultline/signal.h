/*
 * uapi/faultline/signal.h - signal numbers, sigaction and siginfo, Linux's values and layouts.
 *
 * Handlers: user code must pass SA_RESTORER with sa_restorer pointing at a trampoline that
 * makes the rt_sigreturn system call (user/lib provides it); the kernel makes a handler return
 * there. A handler runs with (int sig, siginfo_t *info, void *ucontext); the frame the kernel
 * builds on the user stack (the ucontext) is the kernel's business, opaque to user code.
 * Signal sets are 64-bit masks, bit (sig - 1); the size argument of the rt_ calls is 8.
 */
#ifndef _UAPI_FAULTLINE_SIGNAL_H
#define _UAPI_FAULTLINE_SIGNAL_H

#include "types.h"

#define SIGHUP		1
#define SIGINT		2
#define SIGQUIT		3
#define SIGILL		4
#define SIGTRAP		5
#define SIGABRT		6
#define SIGBUS		7
#define SIGFPE		8
#define SIGKILL		9
#define SIGUSR1		10
#define SIGSEGV		11
#define SIGUSR2		12
#define SIGPIPE		13
#define SIGALRM		14
#define SIGTERM		15
#define SIGSTKFLT	16
#define SIGCHLD		17
#define SIGCONT		18
#define SIGSTOP		19
#define SIGTSTP		20
#define SIGTTIN		21
#define SIGTTOU		22
#define SIGURG		23
#define SIGXCPU		24
#define SIGXFSZ		25
#define SIGVTALRM	26
#define SIGPROF		27
#define SIGWINCH	28
#define SIGIO		29
#define SIGPWR		30
#define SIGSYS		31
#define _NSIG		64	/* signals are 1.._NSIG; 32..64 are reserved for real-time use */

/* sa_flags */
#define SA_NOCLDSTOP	0x00000001
#define SA_NOCLDWAIT	0x00000002
#define SA_SIGINFO	0x00000004
#define SA_RESTORER	0x04000000
#define SA_ONSTACK	0x08000000
#define SA_RESTART	0x10000000
#define SA_NODEFER	0x40000000
#define SA_RESETHAND	0x80000000

/* rt_sigprocmask how */
#define SIG_BLOCK	0
#define SIG_UNBLOCK	1
#define SIG_SETMASK	2

/* Special handler values. */
#define SIG_DFL		((void (*)(int))0)
#define SIG_IGN		((void (*)(int))1)
#define SIG_ERR		((void (*)(int))-1)

/* The layout rt_sigaction reads and writes (glibc calls it kernel_sigaction too). */
struct kernel_sigaction {
	void		*sa_handler;	/* SIG_DFL, SIG_IGN or the handler */
	unsigned long	sa_flags;	/* SA_* */
	void		*sa_restorer;	/* trampoline making rt_sigreturn; needs SA_RESTORER */
	__u64		sa_mask;	/* blocked while the handler runs (plus sig unless SA_NODEFER) */
};

/* si_code values. */
#define SI_USER		0	/* kill() */
#define SI_KERNEL	0x80
#define SEGV_MAPERR	1	/* no mapping at the address */
#define SEGV_ACCERR	2	/* mapping forbids the access */
#define BUS_ADRALN	1
#define BUS_ADRERR	2	/* e.g. beyond the end of a file mapping */
#define CLD_EXITED	1
#define CLD_KILLED	2
#define CLD_DUMPED	3

/* 128 bytes, as on Linux: three ints, padding, then a union chosen by the signal. */
typedef struct siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		int __pad[28];
		struct { __s32 pid; __u32 uid; } _kill;
		struct { __s32 pid; __u32 uid; int status; long utime, stime; } _sigchld;
		struct { void *addr; } _sigfault;
	} _sifields;
} siginfo_t;

#define si_pid		_sifields._kill.pid
#define si_uid		_sifields._kill.uid
#define si_status	_sifields._sigchld.status
#define si_addr		_sifields._sigfault.addr

_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t must be 128 bytes like Linux's");

#endif
