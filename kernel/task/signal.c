/*
 * signal.c - sending, blocking and delivering signals; kill, rt_sigaction,
 * rt_sigprocmask, rt_sigreturn.
 *
 * Every piece of signal state of a process is under its sighand->siglock: the
 * handlers, the shared and per-thread pending sets, each thread's blocked mask, and the
 * thread list senders walk. Senders set a pending bit under the lock and wake one
 * thread that does not block the signal if it sleeps interruptibly; a running thread
 * notices at its next exit_to_user_mode() (a tick at the latest). Delivery happens only
 * there, in the receiving thread, with no lock held while the user stack is written.
 */
#include <task.h>
#include <signal.h>
#include <slab.h>
#include <string.h>
#include <uaccess.h>
#include <syscall.h>
#include <ktest.h>

/* ---- pure set logic --------------------------------------------------------- */
int next_signal(uint64_t pending, uint64_t blocked)
{
	uint64_t ready = pending & ~(blocked & ~SIG_KERNEL_ONLY_MASK);

	if (ready & sigmask(SIGKILL))
		return SIGKILL;
	for (int sig = 1; sig <= _NSIG; sig++)
		if (ready & sigmask(sig))
			return sig;
	return 0;
}

int sigprocmask_apply(uint64_t *blocked, int how, uint64_t set)
{
	switch (how) {
	case SIG_BLOCK:
		*blocked |= set;
		break;
	case SIG_UNBLOCK:
		*blocked &= ~set;
		break;
	case SIG_SETMASK:
		*blocked = set;
		break;
	default:
		return -EINVAL;
	}
	*blocked &= ~SIG_KERNEL_ONLY_MASK;
	return 0;
}

bool sig_ignored_by(const struct kernel_sigaction *ka, int sig)
{
	if (sig == SIGKILL)
		return false;
	if (ka->sa_handler == (void *)SIG_IGN)
		return true;
	return ka->sa_handler == (void *)SIG_DFL && (SIG_KERNEL_IGNORE_MASK & sigmask(sig));
}

/* ---- handlers ----------------------------------------------------------------- */
struct sighand_struct *sighand_alloc(void)
{
	struct sighand_struct *sh = kzalloc(sizeof(*sh));

	if (!sh)
		return NULL;
	atomic_set(&sh->count, 1);
	spin_lock_init(&sh->siglock, "sighand.siglock");
	return sh;
}

struct sighand_struct *sighand_copy(struct sighand_struct *old)
{
	struct sighand_struct *sh = sighand_alloc();

	if (!sh)
		return NULL;
	spin_lock(&old->siglock);
	memcpy(sh->action, old->action, sizeof(sh->action));
	spin_unlock(&old->siglock);
	return sh;
}

void sighand_put(struct sighand_struct *sh)
{
	if (sh && atomic_dec_and_test(&sh->count))
		kfree(sh);
}

/* Locks: siglock. */
void flush_signal_handlers(struct sighand_struct *sh)
{
	assert_spin_locked(&sh->siglock);
	for (int i = 0; i < _NSIG; i++) {
		struct kernel_sigaction *ka = &sh->action[i];

		if (ka->sa_handler != (void *)SIG_IGN)
			ka->sa_handler = (void *)SIG_DFL;
		ka->sa_flags = 0;
		ka->sa_restorer = NULL;
		ka->sa_mask = 0;
	}
}

/* ---- sending -------------------------------------------------------------------- */
static void sigpending_add(struct sigpending *sp, int sig, const struct sigqueue_info *info)
{
	if (sp->signal & sigmask(sig))
		return;		/* standard signals do not queue: merged */
	sp->info[sig - 1] = *info;
	__atomic_store_n(&sp->signal, sp->signal | sigmask(sig), __ATOMIC_RELEASE);
}

void sigpending_del(struct sigpending *sp, int sig)
{
	__atomic_store_n(&sp->signal, sp->signal & ~sigmask(sig), __ATOMIC_RELAXED);
}

/* Wake t if it sleeps interruptibly; it re-checks signal_pending(). */
static void signal_wake_up(struct thread_user *u)
{
	wake_up_state(u->thread, TASK_INTERRUPTIBLE);
}

/* SIGKILL (or exit_group): every thread exits. Locks: siglock. */
void zap_threads(struct process *p, int status_word)
{
	struct thread_user *u;
	struct sigqueue_info kinfo = { .code = SI_KERNEL };

	assert_spin_locked(&p->sighand->siglock);
	if (!p->group_exit) {
		p->group_exit = true;
		p->group_exit_code = status_word;
	}
	list_for_each_entry(u, &p->threads, node) {
		sigpending_add(&u->pending, SIGKILL, &kinfo);
		signal_wake_up(u);
	}
}

/* The thread that should take a process-wide signal: the first not blocking it. */
static struct thread_user *pick_thread(struct process *p, int sig)
{
	struct thread_user *u;

	list_for_each_entry(u, &p->threads, node)
		if (!(READ_ONCE(u->blocked) & sigmask(sig)))
			return u;
	return NULL;
}

int send_signal_process(struct process *p, int sig, const struct sigqueue_info *info)
{
	struct sighand_struct *sh = p->sighand;
	struct thread_user *u;

	if (!valid_signal(sig))
		return -EINVAL;
	spin_lock(&sh->siglock);
	if (p->nr_threads == 0 || sig_ignored_by(&sh->action[sig - 1], sig)) {
		spin_unlock(&sh->siglock);
		return 0;
	}
	if (sig == SIGKILL) {
		zap_threads(p, wstatus_signaled(SIGKILL));
	} else {
		sigpending_add(&p->shared_pending, sig, info);
		u = pick_thread(p, sig);
		if (u)
			signal_wake_up(u);
	}
	spin_unlock(&sh->siglock);
	return 0;
}

int send_signal_thread(struct thread *t, int sig, const struct sigqueue_info *info)
{
	struct thread_user *u = t->user;
	struct sighand_struct *sh = u->proc->sighand;

	if (!valid_signal(sig))
		return -EINVAL;
	spin_lock(&sh->siglock);
	if (!sig_ignored_by(&sh->action[sig - 1], sig)) {
		sigpending_add(&u->pending, sig, info);
		signal_wake_up(u);
	}
	spin_unlock(&sh->siglock);
	return 0;
}

int send_signal(struct thread *t, int sig)
{
	struct sigqueue_info info = { .code = SI_KERNEL };

	return send_signal_thread(t, sig, &info);
}

/* Linux's force_sig_info_to_task: a blocked or ignored fault signal kills. */
static void force_sig_info(int sig, const struct sigqueue_info *info)
{
	struct thread_user *u = current->user;
	struct sighand_struct *sh;
	struct kernel_sigaction *ka;

	BUG_ON(!u || !valid_signal(sig));
	sh = u->proc->sighand;
	spin_lock(&sh->siglock);
	ka = &sh->action[sig - 1];
	if (ka->sa_handler == (void *)SIG_IGN || (u->blocked & sigmask(sig))) {
		ka->sa_handler = (void *)SIG_DFL;
		u->blocked &= ~sigmask(sig);
	}
	sigpending_add(&u->pending, sig, info);
	spin_unlock(&sh->siglock);
}

int force_sig_fault(int sig, int code, uintptr_t addr)
{
	struct sigqueue_info info = { .code = code, .addr = addr };

	force_sig_info(sig, &info);
	return 0;
}

int force_sig(int sig)
{
	struct sigqueue_info info = { .code = SI_KERNEL };

	force_sig_info(sig, &info);
	return 0;
}

bool signal_pending(struct thread *t)
{
	struct thread_user *u = t->user;
	uint64_t pending;

	if (!u)
		return false;
	pending = __atomic_load_n(&u->pending.signal, __ATOMIC_ACQUIRE) |
		  __atomic_load_n(&u->proc->shared_pending.signal, __ATOMIC_ACQUIRE);
	return next_signal(pending, READ_ONCE(u->blocked)) != 0;
}

bool fatal_signal_pending(struct thread *t)
{
	struct thread_user *u = t->user;

	return u && (__atomic_load_n(&u->pending.signal, __ATOMIC_ACQUIRE) & sigmask(SIGKILL));
}

/* ---- delivery -------------------------------------------------------------------- */
struct ksignal {
	int sig;
	struct kernel_sigaction ka;	/* the action as it was when dequeued */
	struct sigqueue_info info;
	uint64_t saved_mask;		/* blocked before the handler's mask was added */
};

/* Take the next deliverable signal off current's sets. Locks: siglock. */
static bool dequeue_signal(struct thread_user *u, struct ksignal *ks)
{
	struct process *p = u->proc;
	struct sigpending *sp;

	assert_spin_locked(&p->sighand->siglock);
	ks->sig = next_signal(u->pending.signal | p->shared_pending.signal, u->blocked);
	if (!ks->sig)
		return false;
	sp = (u->pending.signal & sigmask(ks->sig)) ? &u->pending : &p->shared_pending;
	ks->info = sp->info[ks->sig - 1];
	sigpending_del(sp, ks->sig);
	ks->ka = p->sighand->action[ks->sig - 1];
	return true;
}

/* A handler runs: block its mask (and sig unless SA_NODEFER). Locks: siglock. */
static void handler_enter(struct thread_user *u, struct ksignal *ks)
{
	struct kernel_sigaction *ka = &u->proc->sighand->action[ks->sig - 1];

	ks->saved_mask = u->blocked;
	u->blocked |= ks->ka.sa_mask;
	if (!(ks->ka.sa_flags & SA_NODEFER))
		u->blocked |= sigmask(ks->sig);
	u->blocked &= ~SIG_KERNEL_ONLY_MASK;
	if (ks->ka.sa_flags & SA_RESETHAND)
		ka->sa_handler = (void *)SIG_DFL;
}

static void fill_siginfo(struct siginfo_k *k, const struct ksignal *ks)
{
	memset(k, 0, sizeof(*k));
	k->si.si_signo = ks->sig;
	k->si.si_code = ks->info.code;
	if (ks->sig == SIGSEGV || ks->sig == SIGBUS || ks->sig == SIGILL ||
	    ks->sig == SIGFPE || ks->sig == SIGTRAP) {
		k->si.si_addr = (void *)ks->info.addr;
	} else {
		k->si.si_pid = ks->info.pid;
		if (ks->sig == SIGCHLD)
			k->si.si_status = ks->info.status;
	}
}

static void setup_handler_frame(struct pt_regs *regs, const struct ksignal *ks)
{
	struct siginfo_k info;
	int err;

	fill_siginfo(&info, ks);
	err = arch_setup_signal_frame(regs, ks->sig, &info, (uintptr_t)ks->ka.sa_handler,
				      (uintptr_t)ks->ka.sa_restorer, ks->saved_mask);
	if (err) {
		printk("pid %d: cannot write the frame for signal %d at sp 0x%lx (stack "
		       "overflow?): killed with SIGSEGV\n", current_proc()->pid, ks->sig,
		       (unsigned long)regs_sp(regs));
		do_group_exit(wstatus_signaled(SIGSEGV));
	}
}

bool do_signal(struct pt_regs *regs)
{
	struct thread_user *u = current->user;
	struct sighand_struct *sh = u->proc->sighand;
	struct ksignal ks;

	spin_lock(&sh->siglock);
	if (!dequeue_signal(u, &ks)) {
		spin_unlock(&sh->siglock);
		return false;
	}
	if (ks.ka.sa_handler == (void *)SIG_IGN ||
	    (ks.ka.sa_handler == (void *)SIG_DFL && (SIG_KERNEL_IGNORE_MASK & sigmask(ks.sig)))) {
		spin_unlock(&sh->siglock);
		return true;
	}
	if (ks.ka.sa_handler == (void *)SIG_DFL || ks.sig == SIGKILL) {
		spin_unlock(&sh->siglock);
		do_group_exit(wstatus_signaled(ks.sig));
	}
	handler_enter(u, &ks);
	spin_unlock(&sh->siglock);
	setup_handler_frame(regs, &ks);
	return true;
}

/* ---- system calls ------------------------------------------------------------------- */
/* Drop pending instances of a signal that is now ignored. Locks: siglock. */
static void flush_ignored(struct process *p, int sig)
{
	struct thread_user *u;

	sigpending_del(&p->shared_pending, sig);
	list_for_each_entry(u, &p->threads, node)
		sigpending_del(&u->pending, sig);
}

long sys_rt_sigaction(int sig, const struct kernel_sigaction *uact,
		      struct kernel_sigaction *uoact, size_t sigsetsize)
{
	struct process *p = current_proc();
	struct kernel_sigaction act, old;

	if (sigsetsize != sizeof(uint64_t) || !valid_signal(sig))
		return -EINVAL;
	if (uact && ((SIG_KERNEL_ONLY_MASK & sigmask(sig))))
		return -EINVAL;
	if (uact && copy_from_user(&act, uact, sizeof(act)))
		return -EFAULT;
	spin_lock(&p->sighand->siglock);
	old = p->sighand->action[sig - 1];
	if (uact) {
		act.sa_mask &= ~SIG_KERNEL_ONLY_MASK;
		p->sighand->action[sig - 1] = act;
		if (sig_ignored_by(&act, sig))
			flush_ignored(p, sig);
	}
	spin_unlock(&p->sighand->siglock);
	if (uoact && copy_to_user(uoact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigprocmask(int how, const uint64_t *uset, uint64_t *uoset, size_t sigsetsize)
{
	struct thread_user *u = current->user;
	struct sighand_struct *sh = u->proc->sighand;
	uint64_t set, old, next;
	int err = 0;

	if (sigsetsize != sizeof(uint64_t))
		return -EINVAL;
	if (uset && copy_from_user(&set, uset, sizeof(set)))
		return -EFAULT;
	spin_lock(&sh->siglock);
	old = next = u->blocked;
	if (uset)
		err = sigprocmask_apply(&next, how, set);
	if (!err)
		WRITE_ONCE(u->blocked, next);
	spin_unlock(&sh->siglock);
	if (err)
		return err;
	if (uoset && copy_to_user(uoset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* The result register is part of the restored frame: do_syscall leaves it alone. */
long sys_rt_sigreturn(struct pt_regs *regs)
{
	struct thread_user *u = current->user;
	uint64_t mask;

	if (arch_sigreturn(regs, &mask)) {
		printk("pid %d: rt_sigreturn found no valid signal frame at sp 0x%lx: "
		       "killed with SIGSEGV\n", u->proc->pid, (unsigned long)regs_sp(regs));
		do_group_exit(wstatus_signaled(SIGSEGV));
	}
	spin_lock(&u->proc->sighand->siglock);
	WRITE_ONCE(u->blocked, mask & ~SIG_KERNEL_ONLY_MASK);
	spin_unlock(&u->proc->sighand->siglock);
	return 0;
}

/* Locks: tasklist_lock. */
static int kill_one(struct process *p, int sig, const struct sigqueue_info *info)
{
	if (p->state != PROC_ALIVE)
		return 0;	/* a zombie takes signals and ignores them, as on Linux */
	return sig ? send_signal_process(p, sig, info) : 0;
}

/* pid > 0: that process; -1: every process but init and the sender (NULL for the
 * kernel). Sleeps: no. */
static int kill_something(pid_t pid, int sig, const struct sigqueue_info *info,
			  struct process *sender)
{
	struct process *p;
	int err = -ESRCH;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	spin_lock(&tasklist_lock);
	if (pid == -1) {
		list_for_each_entry(p, &proc_list, all_node)
			if (p != init_process && p != sender)
				err = kill_one(p, sig, info);
	} else if ((p = find_process(pid)) != NULL) {
		err = kill_one(p, sig, info);
	}
	spin_unlock(&tasklist_lock);
	return err;
}

int kill_pid(pid_t pid, int sig)
{
	struct sigqueue_info info = { .code = SI_KERNEL };

	return kill_something(pid, sig, &info, NULL);
}

/* pid 0 (no process groups): the caller; < -1: process -pid (each is its own group). */
long sys_kill(pid_t pid, int sig)
{
	struct process *me = current_proc();
	struct sigqueue_info info = { .code = SI_USER, .pid = me->pid };

	if (pid == 0)
		pid = me->pid;
	else if (pid < -1)
		pid = -pid;
	return kill_something(pid, sig, &info, me);
}

/* ---- tests -------------------------------------------------------------------------- */
KTEST(signal_next_signal_order)
{
	KT_EXPECT_EQ(t, next_signal(0, 0), 0);
	KT_EXPECT_EQ(t, next_signal(sigmask(SIGTERM) | sigmask(SIGINT), 0), SIGINT);
	KT_EXPECT_EQ(t, next_signal(sigmask(SIGTERM) | sigmask(SIGINT), sigmask(SIGINT)), SIGTERM);
	KT_EXPECT_EQ(t, next_signal(sigmask(SIGINT) | sigmask(SIGKILL), 0), SIGKILL);
	KT_EXPECT_EQ(t, next_signal(sigmask(SIGKILL), ~0ULL), SIGKILL);	/* never blocked */
	KT_EXPECT_EQ(t, next_signal(sigmask(SIGUSR1), ~0ULL), 0);
	KT_EXPECT_EQ(t, next_signal(sigmask(64), 0), 64);
}

KTEST(signal_procmask_logic)
{
	uint64_t b = 0;

	KT_EXPECT_EQ(t, sigprocmask_apply(&b, SIG_BLOCK, sigmask(SIGINT) | sigmask(SIGKILL)), 0);
	KT_EXPECT_EQ(t, b, sigmask(SIGINT));
	KT_EXPECT_EQ(t, sigprocmask_apply(&b, SIG_BLOCK, sigmask(SIGTERM)), 0);
	KT_EXPECT_EQ(t, b, sigmask(SIGINT) | sigmask(SIGTERM));
	KT_EXPECT_EQ(t, sigprocmask_apply(&b, SIG_UNBLOCK, sigmask(SIGINT)), 0);
	KT_EXPECT_EQ(t, b, sigmask(SIGTERM));
	KT_EXPECT_EQ(t, sigprocmask_apply(&b, SIG_SETMASK, ~0ULL), 0);
	KT_EXPECT_EQ(t, b, ~SIG_KERNEL_ONLY_MASK);
	KT_EXPECT_EQ(t, sigprocmask_apply(&b, 3, 0), -EINVAL);
	KT_EXPECT_EQ(t, b, ~SIG_KERNEL_ONLY_MASK);	/* unchanged on error */
}

KTEST(signal_ignored_by_action)
{
	struct kernel_sigaction dfl = { .sa_handler = (void *)SIG_DFL };
	struct kernel_sigaction ign = { .sa_handler = (void *)SIG_IGN };
	struct kernel_sigaction h = { .sa_handler = (void *)0x400000 };

	KT_EXPECT(t, sig_ignored_by(&dfl, SIGCHLD));
	KT_EXPECT(t, !sig_ignored_by(&dfl, SIGTERM));
	KT_EXPECT(t, sig_ignored_by(&ign, SIGTERM));
	KT_EXPECT(t, !sig_ignored_by(&ign, SIGKILL));
	KT_EXPECT(t, !sig_ignored_by(&h, SIGCHLD));
}

KTEST(signal_pending_sets_merge)
{
	static struct sigpending sp;
	struct sigqueue_info a = { .code = SEGV_MAPERR, .addr = 0x1000 };
	struct sigqueue_info b = { .code = SEGV_ACCERR, .addr = 0x2000 };

	memset(&sp, 0, sizeof(sp));
	sigpending_add(&sp, SIGSEGV, &a);
	sigpending_add(&sp, SIGSEGV, &b);	/* merged: the first info stays */
	KT_EXPECT_EQ(t, sp.signal, sigmask(SIGSEGV));
	KT_EXPECT_EQ(t, sp.info[SIGSEGV - 1].addr, 0x1000);
	sigpending_del(&sp, SIGSEGV);
	KT_EXPECT_EQ(t, sp.signal, 0);
}
