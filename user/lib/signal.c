/*
 * signal.c - signals through the kernel (rt_sigaction & co.), Linux numbering.
 * Every handler returns through __fl_restore_rt (arch/<arch>/syscall.S), set as sa_restorer.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <unistd.h>
#include "fl_internal.h"

static int bad_signal(int sig)
{
	return sig < 1 || sig > _NSIG;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct kernel_sigaction k, ko;
	long r;

	if (act) {
		k.sa_handler = (void *)act->sa_handler;
		k.sa_flags = (unsigned int)act->sa_flags | SA_RESTORER;
		k.sa_restorer = (void *)__fl_restore_rt;
		k.sa_mask = act->sa_mask;
	}
	r = SYS4(__NR_rt_sigaction, sig, act ? &k : NULL, oact ? &ko : NULL, sizeof(k.sa_mask));
	if (r == 0 && oact) {
		oact->sa_handler = (void (*)(int))ko.sa_handler;
		oact->sa_flags = (int)(ko.sa_flags & ~(unsigned long)SA_RESTORER);
		oact->sa_mask = ko.sa_mask;
	}
	return fl_ret(r);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return fl_ret(SYS4(__NR_rt_sigprocmask, how, set, oset, sizeof(sigset_t)));
}

sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act = { .sa_flags = SA_RESTART }, old = { 0 };

	act.sa_handler = handler;
	act.sa_mask = 0;
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int raise(int sig)
{
	return kill(getpid(), sig);
}

int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

int sigaddset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set |= (sigset_t)1 << (sig - 1);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	*set &= ~((sigset_t)1 << (sig - 1));
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (bad_signal(sig)) {
		errno = EINVAL;
		return -1;
	}
	return (*set >> (sig - 1)) & 1;
}

static const char *const signames[] = {
	[SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
	[SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
	[SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV",
	[SIGUSR2] = "SIGUSR2", [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM",
	[SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT", [SIGCHLD] = "SIGCHLD",
	[SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
	[SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG",
	[SIGXCPU] = "SIGXCPU", [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM",
	[SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH", [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR",
	[SIGSYS] = "SIGSYS",
};

const char *fl_signame(int sig)
{
	if (sig < 1 || sig >= (int)(sizeof(signames) / sizeof(signames[0])))
		return NULL;
	return signames[sig];
}
