/*
 * fork.c - clone(): new processes (fork) and new threads of the caller's process.
 *
 * Every step that can fail (process slot, pid, address space, file table, handlers,
 * the thread itself) runs before the child is visible anywhere, so an error undoes
 * them privately. Then, under tasklist_lock and siglock, the child joins the process
 * table, its parent's children and its process's thread list, and only then is woken.
 * The child's kernel side starts in ret_from_fork(), which leaves for user mode with
 * its copy of the parent's registers: same registers, result 0, maybe a new stack.
 */
#include <task.h>
#include <slab.h>
#include <string.h>
#include <mmap.h>
#include <file.h>
#include <fs.h>
#include <uaccess.h>
#include <syscall.h>
#include <uapi/faultline/sched.h>

#define CLONE_SUPPORTED (CSIGNAL | CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | \
			 CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS | \
			 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

struct thread_user *thread_user_alloc(struct process *p, pid_t tid)
{
	struct thread_user *u = kzalloc(sizeof(*u));

	if (!u)
		return NULL;
	u->tid = tid;
	u->proc = p;
	INIT_LIST_HEAD(&u->node);
	return u;
}

/* Leave the kernel for user mode with regs (the frame at the top of our stack). */
void __noreturn user_return(struct pt_regs *regs)
{
	arch_irq_disable();
	exit_to_user_mode(regs);
	arch_return_to_user(regs);
}

/* First code of a cloned thread (its kernel stack is empty but for its pt_regs). */
static void ret_from_fork(void *unused)
{
	struct thread_user *u = current->user;

	if (u->set_child_tid)
		(void)copy_to_user(u->set_child_tid, &u->tid, sizeof(u->tid));
	user_return(current->user_regs);
}

/* Linux's rules: a thread shares handlers, which share the address space. */
static int clone_flags_check(unsigned long flags)
{
	if (flags & ~(unsigned long)CLONE_SUPPORTED)
		return -EINVAL;
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_THREAD) && (flags & CSIGNAL))
		return -EINVAL;
	if ((flags & CSIGNAL) && !valid_signal(flags & CSIGNAL))
		return -EINVAL;
	return 0;
}

/* What the last thread (or fork's error path) gives back. p->mm is only a pointer:
 * the references are the threads' (t->mm), each dropped by its own exit_mm(). */
void process_release_resources(struct process *p)
{
	if (p->files)
		put_files(p->files);
	p->files = NULL;
	exit_fs(p);
	spin_lock(&tasklist_lock);
	p->mm = NULL;
	spin_unlock(&tasklist_lock);
}

static int copy_resources(struct process *p, struct process *cur, unsigned long flags)
{
	if (flags & CLONE_VM) {
		mmget(cur->mm);
		p->mm = cur->mm;
	} else {
		p->mm = dup_mm(cur->mm);
	}
	if (flags & CLONE_FILES) {
		get_files(cur->files);
		p->files = cur->files;
	} else {
		p->files = dup_files(cur->files);
	}
	copy_fs_struct(p, cur);		/* CLONE_FS or not: a copy (no chdir sharing yet) */
	if (flags & CLONE_SIGHAND) {
		atomic_inc(&cur->sighand->count);
		p->sighand = cur->sighand;
	} else {
		p->sighand = sighand_copy(cur->sighand);
	}
	if (!p->mm || !p->files || !p->sighand)
		return -ENOMEM;
	return 0;
}

static void free_new_process(struct process *p)
{
	if (p->mm)
		mmput(p->mm);	/* the reference the thread would have taken over */
	process_release_resources(p);
	if (p->pid > 0)
		free_pid(p->pid);
	proc_count_put();
	proc_put(p);
}

/* A process for a fork: slot, pid, resources. Not visible yet. */
static struct process *new_process(unsigned long flags, long *err)
{
	struct process *cur = current_proc(), *p;

	*err = proc_count_get();
	if (*err)
		return NULL;
	p = process_alloc();
	if (!p) {
		proc_count_put();
		*err = -ENOMEM;
		return NULL;
	}
	p->pid = alloc_pid();
	p->exit_signal = flags & CSIGNAL;
	spin_lock(&cur->lock);
	memcpy(p->comm, cur->comm, sizeof(p->comm));
	spin_unlock(&cur->lock);
	*err = p->pid < 0 ? p->pid : copy_resources(p, cur, flags);
	if (*err) {
		free_new_process(p);
		return NULL;
	}
	return p;
}

/* The child's registers, FP state, TLS, mask. */
static void init_child_thread(struct thread *t, struct thread_user *u, unsigned long flags,
			      uintptr_t newsp, int *child_tid, uintptr_t tls)
{
	struct thread *me = current;

	t->user = u;
	t->proc = u->proc;
	t->mm = u->proc->mm;	/* new process: its reference; thread: taken in do_clone */
	u->thread = t;
	*t->user_regs = *me->user_regs;
	syscall_set_return(t->user_regs, 0);
	if (newsp)
		regs_set_sp(t->user_regs, newsp);
	arch_thread_copy(&t->arch, &me->arch);
	if (flags & CLONE_SETTLS)
		arch_set_tls(&t->arch, tls);
	u->blocked = READ_ONCE(me->user->blocked);
	if (flags & CLONE_CHILD_CLEARTID)
		u->clear_child_tid = (uint32_t *)child_tid;
	if (flags & CLONE_CHILD_SETTID)
		u->set_child_tid = (uint32_t *)child_tid;
}

/* Make the child visible. A thread joining a dying process gets SIGKILL at once. */
static void attach_child(struct process *p, struct thread_user *u, unsigned long flags)
{
	struct process *cur = current_proc();
	struct sigqueue_info kinfo = { .code = SI_KERNEL };

	spin_lock(&tasklist_lock);
	if (!(flags & CLONE_THREAD)) {
		p->parent = (flags & CLONE_PARENT) && cur->parent ? cur->parent : cur;
		list_add_tail(&p->sibling, &p->parent->children);
		list_add_tail(&p->all_node, &proc_list);
	}
	spin_lock(&p->sighand->siglock);
	list_add_tail(&u->node, &p->threads);
	p->nr_threads++;
	if (p->group_exit) {
		u->pending.signal |= sigmask(SIGKILL);
		u->pending.info[SIGKILL - 1] = kinfo;
	}
	spin_unlock(&p->sighand->siglock);
	spin_unlock(&tasklist_lock);
}

static void thread_name(char *buf, struct process *p, pid_t tid)
{
	spin_lock(&p->lock);
	snprintf(buf, THREAD_NAME_LEN, "%s:%d", p->comm, tid);
	spin_unlock(&p->lock);
}

/* Undo a clone that failed after the process/tid was set up. */
static void clone_undo(struct process *p, pid_t tid, unsigned long flags)
{
	proc_put(p);		/* the thread's reference */
	if (flags & CLONE_THREAD) {
		mmput(p->mm);
		free_pid(tid);
	} else {
		free_new_process(p);
	}
}

static long clone_thread_part(struct process *p, pid_t tid, unsigned long flags,
			      uintptr_t newsp, int *parent_tid, int *child_tid, uintptr_t tls)
{
	char name[THREAD_NAME_LEN];
	struct thread_user *u;
	struct thread *t;

	if ((flags & CLONE_PARENT_SETTID) && copy_to_user(parent_tid, &tid, sizeof(tid)))
		return -EFAULT;
	u = thread_user_alloc(p, tid);
	thread_name(name, p, tid);
	t = u ? uthread_create(ret_from_fork, NULL, name) : NULL;
	if (!t) {
		kfree(u);
		return -ENOMEM;
	}
	/* From here on nothing fails. */
	init_child_thread(t, u, flags, newsp, child_tid, tls);
	attach_child(p, u, flags);
	wake_up_new_thread(t);
	thread_put(t);		/* the scheduler keeps its own reference */
	return tid;
}

long do_clone(unsigned long flags, uintptr_t newsp, int *parent_tid, int *child_tid,
	      uintptr_t tls)
{
	struct process *p;
	long err = clone_flags_check(flags);
	pid_t tid;

	if (err)
		return err;
	if (flags & CLONE_THREAD) {
		p = current_proc();
		tid = alloc_pid();
		if (tid < 0)
			return tid;
		mmget(p->mm);	/* the new thread's user reference */
	} else {
		p = new_process(flags, &err);
		if (!p)
			return err;
		tid = p->pid;
	}
	proc_get(p);		/* for the new thread */
	err = clone_thread_part(p, tid, flags, newsp, parent_tid, child_tid, tls);
	if (err < 0)
		clone_undo(p, tid, flags);
	return err;
}

long sys_clone(unsigned long flags, uintptr_t newsp, int *parent_tid, int *child_tid,
	       uintptr_t tls)
{
	return do_clone(flags, newsp, parent_tid, child_tid, tls);
}
