/*
 * process.c - the process table, process objects and their references, the id system
 * calls, CPU time, and the process list behind fl_proclist and ps.
 *
 * A process is referenced by the table until it is reaped, and by each of its threads
 * until the thread has finished with it (exit.c); proc_put() frees it at zero.
 */
#include <task.h>
#include <slab.h>
#include <string.h>
#include <mmap.h>
#include <mm_types.h>
#include <uaccess.h>
#include <syscall.h>

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(proc_list);
struct process *init_process;

struct process *process_alloc(void)
{
	struct process *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	atomic_set(&p->refcount, 1);
	p->state = PROC_ALIVE;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->all_node);
	INIT_LIST_HEAD(&p->threads);
	init_waitqueue_head(&p->wait_chldexit);
	init_waitqueue_head(&p->thread_exit_wq);
	spin_lock_init(&p->lock, "process.lock");
	return p;
}

void proc_get(struct process *p)
{
	atomic_inc(&p->refcount);
}

/* The last reference: everything but the handlers was released at exit. */
void proc_put(struct process *p)
{
	if (!atomic_dec_and_test(&p->refcount))
		return;
	BUG_ON(p->nr_threads || p->mm || !list_empty(&p->children));
	sighand_put(p->sighand);
	kfree(p);
}

/* Locks: tasklist_lock. */
struct process *find_process(pid_t pid)
{
	struct process *p;

	assert_spin_locked(&tasklist_lock);
	list_for_each_entry(p, &proc_list, all_node)
		if (p->pid == pid && p->state != PROC_DEAD)
			return p;
	return NULL;
}

void proc_set_comm(struct process *p, const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/' && s[1])
			base = s + 1;
	spin_lock(&p->lock);
	strlcpy(p->comm, base, sizeof(p->comm));
	spin_unlock(&p->lock);
}

/* ---- CPU time ------------------------------------------------------------------ */
static uint64_t thread_runtime(struct thread *t, uint64_t now)
{
	uint64_t sum = __atomic_load_n(&t->sum_exec_runtime, __ATOMIC_RELAXED);
	uint64_t start = __atomic_load_n(&t->exec_start, __ATOMIC_RELAXED);

	if (__atomic_load_n(&t->on_cpu, __ATOMIC_ACQUIRE) && now > start)
		sum += now - start;
	return sum;
}

uint64_t process_cputime_ns(struct process *p)
{
	uint64_t now = arch_time_ns(), sum;
	struct thread_user *u;

	spin_lock(&p->sighand->siglock);
	sum = p->dead_runtime;
	list_for_each_entry(u, &p->threads, node)
		sum += thread_runtime(u->thread, now);
	spin_unlock(&p->sighand->siglock);
	return sum;
}

void process_fault_counts(struct process *p, unsigned long *min_flt, unsigned long *maj_flt)
{
	struct thread_user *u;

	spin_lock(&p->sighand->siglock);
	*min_flt = p->dead_min_flt;
	*maj_flt = p->dead_maj_flt;
	list_for_each_entry(u, &p->threads, node) {
		*min_flt += READ_ONCE(u->min_flt);
		*maj_flt += READ_ONCE(u->maj_flt);
	}
	spin_unlock(&p->sighand->siglock);
}

/* ---- ids -------------------------------------------------------------------------- */
long sys_getpid(void)
{
	return current_proc()->pid;
}

long sys_gettid(void)
{
	return current->user->tid;
}

long sys_getppid(void)
{
	struct process *parent;
	long ppid;

	spin_lock(&tasklist_lock);
	parent = current_proc()->parent;
	ppid = parent ? parent->pid : 0;
	spin_unlock(&tasklist_lock);
	return ppid;
}

/* ---- the process list ------------------------------------------------------------- */
/* 'R' if a thread is running or runnable, else 'S'. Locks: tasklist_lock. */
static char proc_state_char(struct process *p)
{
	struct thread_user *u;
	char c = 'S';

	if (p->state != PROC_ALIVE)
		return 'Z';
	spin_lock(&p->sighand->siglock);
	list_for_each_entry(u, &p->threads, node)
		if (READ_ONCE(u->thread->state) == TASK_RUNNING)
			c = 'R';
	spin_unlock(&p->sighand->siglock);
	return c;
}

/* Locks: tasklist_lock. */
static void fill_procinfo(struct fl_procinfo *pi, struct process *p)
{
	memset(pi, 0, sizeof(*pi));
	pi->pid = p->pid;
	pi->ppid = p->parent ? p->parent->pid : 0;
	pi->nr_threads = READ_ONCE(p->nr_threads);
	pi->state = proc_state_char(p);
	if (p->mm) {
		pi->rss_pages = get_mm_rss(p->mm);
		pi->vm_pages = READ_ONCE(p->mm->total_vm);
	}
	spin_lock(&p->lock);
	memcpy(pi->comm, p->comm, sizeof(pi->comm));
	spin_unlock(&p->lock);
}

int fill_proclist(struct fl_procinfo *out, int n)
{
	struct process *p;
	int i = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(p, &proc_list, all_node) {
		if (i == n)
			break;
		if (p->state != PROC_DEAD)
			fill_procinfo(&out[i++], p);
	}
	spin_unlock(&tasklist_lock);
	return i;
}

int fill_proc_stat(pid_t pid, struct proc_stat *st)
{
	struct process *p;

	memset(st, 0, sizeof(*st));
	spin_lock(&tasklist_lock);
	p = find_process(pid);
	if (!p || p->state == PROC_DEAD || p->state == PROC_REAPING) {
		spin_unlock(&tasklist_lock);
		return -ESRCH;
	}
	fill_procinfo(&st->info, p);
	process_fault_counts(p, &st->min_flt, &st->maj_flt);
	st->cmin_flt = p->cmin_flt;
	st->cmaj_flt = p->cmaj_flt;
	st->cputime_ns = process_cputime_ns(p);
	st->exit_signal = p->exit_signal;
	spin_unlock(&tasklist_lock);
	return 0;
}

#define PROCLIST_MAX	256	/* entries per call */

long sys_fl_proclist(struct fl_procinfo *ubuf, size_t n)
{
	struct fl_procinfo *buf;
	long filled;

	if (n == 0)
		return 0;
	n = MIN(n, (size_t)PROCLIST_MAX);
	buf = kcalloc(n, sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	filled = fill_proclist(buf, n);
	if (copy_to_user(ubuf, buf, filled * sizeof(*buf)))
		filled = -EFAULT;
	kfree(buf);
	return filled;
}
