/*
 * signal.h - signals with the kernel's (Linux) numbers. Replaces newlib's <signal.h>, whose
 * numbering is BSD's (SIGCHLD 20 there, 17 here); newlib's own signal()/raise() emulation is
 * not used: these go to the kernel.
 */
#ifndef FL_SIGNAL_H
#define FL_SIGNAL_H

#include <sys/types.h>
#include <sys/_sigset.h>
#include <faultline/signal.h>

typedef __sigset_t sigset_t;	/* bit (sig - 1) of a 64-bit word */
typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);

struct sigaction {
	union {				/* sa_sigaction with SA_SIGINFO */
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	sigset_t sa_mask;
	int sa_flags;		/* SA_*; SA_RESTORER is added by the library */
};

/* Only for newlib headers that mention them (time.h, spawn.h); no timers yet. */
union sigval {
	int sival_int;
	void *sival_ptr;
};
struct sigevent {
	int sigev_notify;
	int sigev_signo;
	union sigval sigev_value;
};

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
sighandler_t signal(int sig, sighandler_t handler);
int kill(pid_t pid, int sig);
int raise(int sig);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
const char *fl_signame(int sig);	/* "SIGSEGV", or NULL for an unknown number */

#endif
