/*
 * signal.h - signals: sending, pending sets, delivery (kernel/task/signal.c).
 *
 * Linux's model, reduced: every process has handlers (struct sighand_struct, shared by
 * CLONE_SIGHAND), a shared pending set (kill() to the process) and each thread a private
 * pending set (faults, tgkill-like sends) and a blocked mask. A signal is delivered on the
 * way back to user mode (exit_to_user_mode): a handler gets a frame built by
 * arch_setup_signal_frame(); the default action terminates the process or ignores the
 * signal (SIGCHLD, SIGCONT, SIGURG, SIGWINCH; the stop signals are ignored too, there is no
 * job control). Standard signals do not queue: a second one while pending is merged.
 * docs/processes.md describes the whole protocol.
 */
#ifndef FAULTLINE_SIGNAL_H
#define FAULTLINE_SIGNAL_H

#include <types.h>
#include <spinlock.h>
#include <atomic.h>
#include <uapi/faultline/signal.h>

struct thread;
struct process;
typedef int pid_t;

/* Bit of signal sig (1.._NSIG) in a 64-bit set, Linux's sigmask(). */
#define sigmask(sig)		(1ULL << ((sig) - 1))
#define SIG_KERNEL_ONLY_MASK	(sigmask(SIGKILL) | sigmask(SIGSTOP))	/* never blocked or caught */
#define SIG_KERNEL_IGNORE_MASK	(sigmask(SIGCHLD) | sigmask(SIGCONT) | sigmask(SIGURG) | \
				 sigmask(SIGWINCH) | sigmask(SIGSTOP) | sigmask(SIGTSTP) | \
				 sigmask(SIGTTIN) | sigmask(SIGTTOU))	/* default action: ignore */

static inline bool valid_signal(long sig)
{
	return sig >= 1 && sig <= _NSIG;
}

/*
 * The kernel's copy of a signal's information: exactly the user's 128-byte siginfo_t
 * (uapi/faultline/signal.h), so arch_setup_signal_frame() copies ->si to the frame as is.
 */
struct siginfo_k {
	siginfo_t si;
};

/* What we remember of a pending signal until it is delivered (one per signal number). */
struct sigqueue_info {
	int code;			/* si_code: SI_USER, SEGV_MAPERR, CLD_EXITED, ... */
	int pid;			/* sender (SI_USER) or child (SIGCHLD) */
	int status;			/* SIGCHLD: exit code or signal */
	uintptr_t addr;			/* faults: si_addr */
};

/* A pending set, Linux's struct sigpending without the queue. Locks: sighand->siglock. */
struct sigpending {
	uint64_t signal;		/* pending signals, bit sig - 1 */
	struct sigqueue_info info[_NSIG]; /* valid for the bits set in signal */
};

/*
 * Handlers, shared by the threads of a process and by CLONE_SIGHAND processes.
 * Locking legend: [G] siglock  [a] atomic
 * siglock also protects every struct sigpending, thread_user.blocked, and the thread
 * list of each process using this sighand (lock order: tasklist_lock, then siglock).
 */
struct sighand_struct {
	atomic_t count;				/* [a] users */
	spinlock_t siglock;
	struct kernel_sigaction action[_NSIG];	/* [G] action[sig - 1] */
};

struct sighand_struct *sighand_alloc(void);		/* all SIG_DFL; NULL if out of memory */
struct sighand_struct *sighand_copy(struct sighand_struct *old);	/* fork */
void sighand_put(struct sighand_struct *sh);
void flush_signal_handlers(struct sighand_struct *sh);	/* execve: caught -> SIG_DFL */

/* ---- sending ------------------------------------------------------------- */
/* Queue sig for a process (kill): any thread not blocking it may take it.
 * Ignored signals are dropped. 0, or -EINVAL. Sleeps: no. Locks: none held, or tasklist_lock. */
int send_signal_process(struct process *p, int sig, const struct sigqueue_info *info);
/* Queue sig for one thread (faults, exit of a group). Locks: as above. */
int send_signal_thread(struct thread *t, int sig, const struct sigqueue_info *info);
/* The same with si_code SI_KERNEL (fs: SIGPIPE to current). */
int send_signal(struct thread *t, int sig);
/* kill() from kernel code (no sender process; the tty's ^C): pid > 0 that process,
 * -1 every process but init. 0 or -ESRCH. Sleeps: no; any context. */
int kill_pid(pid_t pid, int sig);
/* A fault in current: sig is delivered even if blocked or ignored (then it kills). */
int force_sig_fault(int sig, int code, uintptr_t addr);	/* 0 */
int force_sig(int sig);					/* 0 */

/* Is an unblocked signal pending for t (or is its process exiting)? Lock-free. */
bool signal_pending(struct thread *t);
bool fatal_signal_pending(struct thread *t);	/* SIGKILL pending: give up and exit */

/* Mark p as exiting with status_word (unless it already is) and SIGKILL every thread.
 * Locks: siglock. */
void zap_threads(struct process *p, int status_word);
void sigpending_del(struct sigpending *sp, int sig);	/* Locks: siglock */

/* ---- pure set logic (kernel/task/signal.c; tested by KTEST) --------------- */
/* The next signal to deliver from pending & ~blocked: SIGKILL first, then the lowest. 0 if none. */
int next_signal(uint64_t pending, uint64_t blocked);
/* rt_sigprocmask: new blocked mask for how/set; SIGKILL and SIGSTOP never blocked. -EINVAL for how. */
int sigprocmask_apply(uint64_t *blocked, int how, uint64_t set);
/* Does the action make sig be ignored (explicit SIG_IGN, or SIG_DFL with an ignore default)? */
bool sig_ignored_by(const struct kernel_sigaction *ka, int sig);

/* ---- delivery (kernel/task/signal.c) --------------------------------------- */
/* Deliver one pending signal to current (a handler frame or the default action).
 * false if none was pending. Sleeps: may (user stack access). Locks: none. IRQs on. */
bool do_signal(struct pt_regs *regs);

#endif
