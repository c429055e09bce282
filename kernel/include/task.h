/*
 * task.h - user processes and threads (kernel/task/).
 *
 * A process (Linux's thread group) owns what its threads share: the address space (mm),
 * the file table, the working directory, the signal handlers, the shared pending signals
 * and the exit state. Each user thread is a scheduler thread (struct thread, <sched.h>)
 * with a struct thread_user hanging off t->user: tid, blocked mask, private pending
 * signals, clear_child_tid. The process id is the tid of its first thread; pids and tids
 * come from one number space (kernel/task/pid.c).
 *
 * Life cycle (docs/processes.md): clone -> running -> the last thread exits -> ZOMBIE
 * (parent gets SIGCHLD and wakes in wait4) -> reaped by wait4 -> freed when the last
 * reference goes. Children of an exiting process are handed to init (pid 1).
 *
 * Locks, outermost first:
 *   tasklist_lock      process table, parent/children links, state, exit_code
 *   sighand->siglock   handlers, pending sets, blocked masks, a process's thread list
 *   proc->lock         comm (the name printed by ps)
 */
#ifndef FAULTLINE_TASK_H
#define FAULTLINE_TASK_H

#include <types.h>
#include <list.h>
#include <spinlock.h>
#include <wait.h>
#include <atomic.h>
#include <signal.h>
#include <sched.h>
#include <uapi/faultline/fl.h>

typedef int pid_t;

#define PID_MAX		4096	/* pids and tids are 1..PID_MAX-1 */
#define MAX_PROCESSES_DEFAULT 64	/* live processes (zombies too); "max_procs=N" overrides */
#define TASK_COMM_LEN	FL_COMM_LEN

struct mm_struct;
struct files_struct;
struct inode;
struct dentry;

enum proc_state {
	PROC_ALIVE,		/* has threads */
	PROC_ZOMBIE,		/* every thread exited, waiting for wait4 */
	PROC_REAPING,		/* a wait4 claimed it and is copying the status out */
	PROC_DEAD,		/* reaped (or auto-reaped); off every list */
};

/*
 * Locking legend:
 *   [T] tasklist_lock   [G] sighand->siglock   [P] proc->lock   [a] atomic
 *   [I] set before the process is visible   [S] only its own threads (exec: the only one)
 */
struct process {
	pid_t pid;				/* [I] thread-group id = tid of the first thread */
	atomic_t refcount;			/* [a] 1 until reaped + 1 per thread + temporary refs */
	enum proc_state state;			/* [T] */
	struct process *parent;			/* [T] who gets SIGCHLD and reaps; NULL for init */
	struct list_head children;		/* [T] struct process.sibling */
	struct list_head sibling;		/* [T] on parent->children */
	struct list_head all_node;		/* [T] on the process table (proc_list) */
	int exit_signal;			/* [I] sent to the parent at exit (SIGCHLD or 0) */
	int exit_code;				/* [T] wait4 status word, valid from ZOMBIE */

	struct list_head threads;		/* [G] struct thread_user.node */
	int nr_threads;				/* [G] live threads on that list */
	bool group_exit;			/* [G] exit_group/fatal signal/exec is killing threads */
	int group_exit_code;			/* [G] status word for the group exit */
	struct thread *group_exec_task;		/* [G] execve waiting in de_thread(), or NULL */
	struct wait_queue_head thread_exit_wq;	/* a thread left (de_thread waits here) */
	struct sigpending shared_pending;	/* [G] kill() to the process */

	struct sighand_struct *sighand;		/* [S] handlers + siglock (exec may unshare) */
	struct mm_struct *mm;			/* [S] address space (execve replaces it) */
	struct files_struct *files;		/* [I] fd table (CLONE_FILES shares it) */
	struct dentry *cwd;			/* working directory (a reference), NULL: "/"
					 * (fs's: dcache_lock, current_cwd()) */
	struct wait_queue_head wait_chldexit;	/* parent side: a child changed state */
	uint64_t dead_runtime;			/* [G] CPU ns of threads that exited */
	unsigned long dead_min_flt, dead_maj_flt;	/* [G] faults of threads that exited */
	unsigned long cmin_flt, cmaj_flt;	/* [T] faults of reaped children (and theirs) */

	spinlock_t lock;
	char comm[TASK_COMM_LEN];		/* [P] basename of the executable */
};

/*
 * Per user thread; t->user of a struct thread. Locking legend as above, plus
 * [S] the thread itself.
 */
struct thread_user {
	pid_t tid;				/* [I] */
	struct thread *thread;			/* [I] the scheduler's thread */
	struct process *proc;			/* [I] */
	struct list_head node;			/* [G] on proc->threads */
	uint64_t blocked;			/* [G] written by the thread itself; read by senders */
	struct sigpending pending;		/* [G] signals for this thread only */
	uint32_t *clear_child_tid;		/* [S] CLONE_CHILD_CLEARTID: zeroed + woken at exit */
	uint32_t *set_child_tid;		/* [S] CLONE_CHILD_SETTID: written when it starts */
	/* [S] page faults this thread completed (Linux's task min_flt/maj_flt: major if
	 * VM_FAULT_MAJOR or FAULT_FLAG_TRIED); written by the thread, read racily */
	unsigned long min_flt, maj_flt;
};

extern spinlock_t tasklist_lock;
extern struct list_head proc_list;		/* [T] every process, by creation */
extern struct process *init_process;		/* [T] pid 1 once started */

static inline struct process *current_proc(void)
{
	return current->proc;
}

/* ---- pids (kernel/task/pid.c) --------------------------------------------- */
/* A free pid/tid, or -EAGAIN when none is left. Sleeps: no. */
pid_t alloc_pid(void);
void free_pid(pid_t pid);
/* Reserve a process slot: 0, or -EAGAIN past the process limit. */
int proc_count_get(void);
void proc_count_put(void);
unsigned int nr_processes(void);
struct process *find_process(pid_t pid);	/* Locks: tasklist_lock */

/* ---- processes (kernel/task/process.c) -------------------------------------- */
struct process *process_alloc(void);		/* refcount 1, pid 0, no resources */
void proc_get(struct process *p);
void proc_put(struct process *p);
void proc_set_comm(struct process *p, const char *path);
uint64_t process_cputime_ns(struct process *p);
/* Minor/major faults of p's threads, live and exited (Linux's task_struct + signal_struct
 * sums behind /proc/<pid>/stat). Locks: takes p->sighand->siglock. */
void process_fault_counts(struct process *p, unsigned long *min_flt, unsigned long *maj_flt);

/* What /proc/<pid>/stat shows (kernel/fs/proc/array.c). */
struct proc_stat {
	struct fl_procinfo info;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	uint64_t cputime_ns;
	int exit_signal;
};
/* Fill st for pid: 0, or -ESRCH (no such process or already reaped). */
int fill_proc_stat(pid_t pid, struct proc_stat *st);
int fill_proclist(struct fl_procinfo *out, int n);	/* into a kernel buffer */

/* ---- threads (kernel/task/fork.c, exit.c) --------------------------------------- */
struct thread_user *thread_user_alloc(struct process *p, pid_t tid);
long do_clone(unsigned long flags, uintptr_t newsp, int *parent_tid, int *child_tid,
	      uintptr_t tls);
void process_release_resources(struct process *p);	/* mm, files */
void mm_release_tid(struct thread_user *u);	/* CLONE_CHILD_CLEARTID: zero it, futex wake */
void set_init_exit_hook(struct completion *done, int *status);
void user_return(struct pt_regs *regs) __noreturn;	/* exit_to_user_mode + arch_return_to_user */
void do_exit(int status_word) __noreturn;	/* this thread */
void do_group_exit(int status_word) __noreturn;	/* the whole process */
/* Kill every other thread of current's process and wait until they are gone (execve). */
int de_thread(void);
/* Start pid 1 running path with fds 0-2 on /dev/console; its exit status lands in *status. */
int start_init_process(const char *path, struct completion *done, int *status);

/* ---- time (kernel/task/time.c) ------------------------------------------------- */
struct __kernel_timespec;
/* Relative time -> jiffies rounded up; -EINVAL for a bad timespec. */
long timespec_to_jiffies_checked(const struct __kernel_timespec *ts);

/* ---- wait4 status words (uapi/faultline/wait.h) ----------------------------------- */
static inline int wstatus_exited(int code)	{ return (code & 0xff) << 8; }
static inline int wstatus_signaled(int sig)	{ return sig & 0x7f; }
/* What a shell prints for the status word ($?): code, or 128 + signal. */
static inline int wstatus_to_shell(int w)
{
	return (w & 0x7f) ? 128 + (w & 0x7f) : (w >> 8) & 0xff;
}

/* ---- execve (kernel/task/exec.c, elf.c) ----------------------------------------- */
long do_execve(const char *upath, char *const *uargv, char *const *uenvp);
/* The same from the kernel (starting init): strings in kernel memory. */
int kernel_execve(const char *path, const char *const *argv, const char *const *envp);

#endif
