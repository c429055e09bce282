/*
 * exit.c - thread exit, process exit (zombie, SIGCHLD, reparenting), exit_group,
 * de_thread for execve, and wait4.
 *
 * A thread leaves its process's thread list under siglock; the last one to leave turns
 * the process into a zombie under tasklist_lock: its children go to init, its parent
 * gets exit_signal and a wakeup on wait_chldexit (or, if the parent ignores SIGCHLD,
 * the zombie is released at once). wait4 claims a zombie (PROC_REAPING), copies the
 * status out, and only then releases it, so a bad status pointer loses nothing.
 */
#include <task.h>
#include <slab.h>
#include <string.h>
#include <mmap.h>
#include <uaccess.h>
#include <futex.h>
#include <syscall.h>
#include <ktest.h>
#include <uapi/faultline/wait.h>

/* pid 1's end, for kernel_init (start_init_process). [T] */
static struct completion *init_done;
static int *init_status;

void set_init_exit_hook(struct completion *done, int *status)
{
	spin_lock(&tasklist_lock);
	init_done = done;
	init_status = status;
	spin_unlock(&tasklist_lock);
}

/* CLONE_CHILD_CLEARTID: tell pthread_join the thread and its stack are done. */
void mm_release_tid(struct thread_user *u)
{
	uint32_t zero = 0;

	if (!u->clear_child_tid || !current->mm)
		return;
	if (!copy_to_user(u->clear_child_tid, &zero, sizeof(zero)))
		futex_wake(current->mm, u->clear_child_tid, 1);
	u->clear_child_tid = NULL;
}

/* Locks: tasklist_lock. The zombie is off every list; the caller finishes the release. */
static void unlink_process(struct process *p)
{
	assert_spin_locked(&tasklist_lock);
	list_del(&p->all_node);
	list_del(&p->sibling);
	INIT_LIST_HEAD(&p->sibling);
	p->parent = NULL;
	p->state = PROC_DEAD;
}

/* After unlink_process, with no lock: the pid, the slot, the table's reference. */
static void finish_release(struct process *p)
{
	free_pid(p->pid);
	proc_count_put();
	proc_put(p);
}

/* Does parent want no zombies (SIGCHLD ignored explicitly, or SA_NOCLDWAIT)? */
static bool parent_autoreaps(struct process *parent)
{
	struct kernel_sigaction *ka = &parent->sighand->action[SIGCHLD - 1];
	bool r;

	spin_lock(&parent->sighand->siglock);
	r = ka->sa_handler == (void *)SIG_IGN || (ka->sa_flags & SA_NOCLDWAIT);
	spin_unlock(&parent->sighand->siglock);
	return r;
}

/* Children of p go to init (or nowhere when init itself or nobody is left).
 * Returns a list head of zombies to release. Locks: tasklist_lock. */
static void reparent_children(struct process *p, struct list_head *dead)
{
	struct process *reaper = init_process != p ? init_process : NULL;
	struct process *c, *n;
	bool wake = false;

	list_for_each_entry_safe(c, n, &p->children, sibling) {
		list_del(&c->sibling);
		c->parent = reaper;
		if (reaper) {
			list_add_tail(&c->sibling, &reaper->children);
			wake |= c->state == PROC_ZOMBIE;
		} else {
			INIT_LIST_HEAD(&c->sibling);
			if (c->state == PROC_ZOMBIE) {
				list_del(&c->all_node);
				c->state = PROC_DEAD;
				list_add_tail(&c->all_node, dead);
			}
		}
	}
	if (wake)
		wake_up_all(&reaper->wait_chldexit);
}

/* Tell the parent. true if p was released at once. Locks: tasklist_lock. */
static bool notify_parent(struct process *p)
{
	struct process *parent = p->parent;
	struct sigqueue_info info = { .pid = p->pid };

	if (!parent)
		return p != init_process;	/* orphan of an orphan: nobody will reap it */
	if (parent_autoreaps(parent))
		return true;
	info.code = (p->exit_code & 0x7f) ? CLD_KILLED : CLD_EXITED;
	info.status = (p->exit_code & 0x7f) ? (p->exit_code & 0x7f) : (p->exit_code >> 8) & 0xff;
	if (p->exit_signal)
		send_signal_process(parent, p->exit_signal, &info);
	wake_up_all(&parent->wait_chldexit);
	return false;
}

/* The last thread of p is leaving: p becomes a zombie (or is released). */
static void exit_notify(struct process *p, int status_word)
{
	LIST_HEAD(dead);
	struct process *c, *n;
	bool release;

	process_release_resources(p);
	spin_lock(&tasklist_lock);
	reparent_children(p, &dead);
	p->exit_code = status_word;
	p->state = PROC_ZOMBIE;
	if (p == init_process && init_done) {
		*init_status = status_word;
		complete(init_done);
	}
	release = notify_parent(p);
	if (release) {
		list_del(&p->sibling);
		INIT_LIST_HEAD(&p->sibling);
		list_del(&p->all_node);
		p->state = PROC_DEAD;
	}
	spin_unlock(&tasklist_lock);
	list_for_each_entry_safe(c, n, &dead, all_node)
		finish_release(c);
	if (release)
		finish_release(p);
}

/* Leave p's thread list. true if we were the last. */
static bool thread_leave(struct process *p, struct thread_user *u)
{
	uint64_t now = arch_time_ns(), ran;
	bool last;

	spin_lock(&p->sighand->siglock);
	list_del(&u->node);
	last = --p->nr_threads == 0;
	ran = current->sum_exec_runtime + (now - current->exec_start);
	p->dead_runtime += ran;
	p->dead_min_flt += u->min_flt;
	p->dead_maj_flt += u->maj_flt;
	spin_unlock(&p->sighand->siglock);
	wake_up_all(&p->thread_exit_wq);
	return last;
}

void do_exit(int status_word)
{
	struct thread *me = current;
	struct thread_user *u = me->user;
	struct process *p = u->proc;

	BUG_ON(!u);
	might_sleep();
	mm_release_tid(u);
	/* Memory first: every thread drops its mm before it leaves the thread list, so when
	 * the last one tells the parent, the pages are back (an OOM victim's parent, or the
	 * OOM killer's next fault, finds them free). p->mm stays a valid struct meanwhile:
	 * our lazy active_mm pins it until exit_notify clears it. */
	exit_mm();
	if (thread_leave(p, u)) {
		if (p->group_exit && !p->group_exec_task)
			status_word = p->group_exit_code;
		exit_notify(p, status_word);
	}
	if (u->tid != p->pid)
		free_pid(u->tid);	/* the leader's tid is the pid: freed at reaping */
	me->user = NULL;
	me->proc = NULL;
	kfree(u);
	proc_put(p);
	thread_exit(0);
}

void do_group_exit(int status_word)
{
	struct process *p = current_proc();

	spin_lock(&p->sighand->siglock);
	if (!p->group_exit) {
		zap_threads(p, status_word);
	} else if (!p->group_exec_task) {
		status_word = p->group_exit_code;
	}
	spin_unlock(&p->sighand->siglock);
	do_exit(status_word);
}

long sys_exit(int code)
{
	do_exit(wstatus_exited(code));
}

long sys_exit_group(int code)
{
	do_group_exit(wstatus_exited(code));
}

int de_thread(void)
{
	struct process *p = current_proc();
	struct sighand_struct *sh = p->sighand;

	spin_lock(&sh->siglock);
	if (p->nr_threads == 1) {
		spin_unlock(&sh->siglock);
		return 0;
	}
	if (p->group_exit) {
		spin_unlock(&sh->siglock);
		return -EAGAIN;		/* being killed already; SIGKILL is on its way */
	}
	p->group_exit = true;
	p->group_exec_task = current;
	zap_threads(p, 0);
	sigpending_del(&current->user->pending, SIGKILL);	/* not for us */
	spin_unlock(&sh->siglock);
	wait_event(p->thread_exit_wq, READ_ONCE(p->nr_threads) == 1);
	spin_lock(&sh->siglock);
	p->group_exit = false;
	p->group_exec_task = NULL;
	spin_unlock(&sh->siglock);
	return 0;
}

/* ---- wait4 -------------------------------------------------------------------------- */
static bool wait_matches(const struct process *c, pid_t pid)
{
	return pid == -1 || pid == 0 || (pid > 0 ? c->pid == pid : c->pid == -pid);
}

/* 1 and *found claimed (PROC_REAPING), 0 if a matching child lives, -ECHILD if none.
 * Locks: tasklist_lock. */
static int claim_zombie(struct process *me, pid_t pid, struct process **found)
{
	struct process *c;
	int ret = -ECHILD;

	assert_spin_locked(&tasklist_lock);
	list_for_each_entry(c, &me->children, sibling) {
		if (!wait_matches(c, pid))
			continue;
		if (c->state == PROC_ZOMBIE) {
			c->state = PROC_REAPING;
			*found = c;
			return 1;
		}
		ret = 0;
	}
	return ret;
}

static int wait_for_zombie(pid_t pid, int options, struct process **found)
{
	struct process *me = current_proc();
	struct wait_queue_entry w;
	int ret;

	init_wait_entry(&w, 0);
	for (;;) {
		prepare_to_wait(&me->wait_chldexit, &w, TASK_INTERRUPTIBLE);
		spin_lock(&tasklist_lock);
		ret = claim_zombie(me, pid, found);
		spin_unlock(&tasklist_lock);
		if (ret || (options & WNOHANG))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&me->wait_chldexit, &w);
	return ret;
}

/* Linux's wait_task_zombie: the parent inherits the reaped child's fault counts
 * (its threads' and its own reaped children's). Locks: tasklist_lock; c is a
 * zombie claimed by us, so its thread counts no longer change. */
static void account_reaped_faults(struct process *me, struct process *c)
{
	assert_spin_locked(&tasklist_lock);
	me->cmin_flt += c->dead_min_flt + c->cmin_flt;
	me->cmaj_flt += c->dead_maj_flt + c->cmaj_flt;
}

long sys_wait4(pid_t pid, int *ustatus, int options, void *rusage)
{
	struct process *c;
	int ret, status;
	pid_t cpid;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	ret = wait_for_zombie(pid, options, &c);
	if (ret <= 0)
		return ret;
	status = c->exit_code;
	cpid = c->pid;
	if (ustatus && copy_to_user(ustatus, &status, sizeof(status))) {
		spin_lock(&tasklist_lock);
		c->state = PROC_ZOMBIE;		/* give it back: still waitable */
		spin_unlock(&tasklist_lock);
		wake_up_all(&current_proc()->wait_chldexit);
		return -EFAULT;
	}
	spin_lock(&tasklist_lock);
	account_reaped_faults(current_proc(), c);
	unlink_process(c);
	spin_unlock(&tasklist_lock);
	finish_release(c);
	return cpid;
}

KTEST(wait_status_encoding)
{
	/* Linux: WIFEXITED (low 7 bits 0), WEXITSTATUS = bits 8..15; WTERMSIG = low 7 bits. */
	KT_EXPECT_EQ(t, wstatus_exited(0), 0);
	KT_EXPECT_EQ(t, wstatus_exited(3), 0x300);
	KT_EXPECT_EQ(t, wstatus_exited(256 + 7), 0x700);	/* only the low 8 bits */
	KT_EXPECT_EQ(t, wstatus_exited(-1), 0xff00);
	KT_EXPECT_EQ(t, wstatus_signaled(SIGKILL), 9);
	KT_EXPECT_EQ(t, wstatus_exited(5), W_EXITCODE(5, 0));
	KT_EXPECT_EQ(t, wstatus_signaled(SIGSEGV), W_EXITCODE(0, SIGSEGV));
	KT_EXPECT_EQ(t, wstatus_to_shell(wstatus_exited(42)), 42);
	KT_EXPECT_EQ(t, wstatus_to_shell(wstatus_signaled(SIGSEGV)), 128 + SIGSEGV);
}

KTEST(wait_pid_matching)
{
	struct process c = { .pid = 7 };

	KT_EXPECT(t, wait_matches(&c, -1));
	KT_EXPECT(t, wait_matches(&c, 7));
	KT_EXPECT(t, !wait_matches(&c, 8));
	KT_EXPECT(t, wait_matches(&c, -7));	/* no process groups: -pid is pid */
}
