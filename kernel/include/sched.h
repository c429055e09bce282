/*
 * sched.h - kernel threads and the scheduler.
 *
 * Per-CPU run queues, FIFO round robin with a time slice of SCHED_SLICE
 * ticks; preemption from the tick and at the end of do_irq(). New threads go
 * to the least loaded allowed CPU; a woken thread goes back to the CPU it
 * last ran on; idle CPUs pull queued threads from busy ones. docs/locks.md
 * describes the protocol.
 *
 * Sleeping (Linux's pattern, no lost wakeups):
 *     set_current_state(TASK_UNINTERRUPTIBLE);
 *     if (!condition) schedule();
 *     __set_current_state(TASK_RUNNING);
 * and the waker: condition = true; wake_up_process(t);
 */
#ifndef FAULTLINE_SCHED_H
#define FAULTLINE_SCHED_H

#include <types.h>
#include <list.h>
#include <cpu.h>
#include <timer.h>
#include <completion.h>
#include <lockdep.h>
#include <atomic.h>

#define TASK_RUNNING		0	/* running or on a run queue */
#define TASK_INTERRUPTIBLE	1	/* sleeping; a signal wakes it too (wake_up_state) */
#define TASK_UNINTERRUPTIBLE	2	/* sleeping until wake_up_process() */
#define TASK_NEW		4	/* created, not yet started */
#define TASK_DEAD		8	/* exited; freed once off its CPU and unreferenced */

#define SCHED_SLICE		2	/* ticks a thread runs before a queued one gets the CPU */
#define THREAD_STACK_ORDER	2	/* 16 KiB kernel stacks */
#define THREAD_STACK_SIZE	(PAGE_SIZE << THREAD_STACK_ORDER)
#define THREAD_NAME_LEN		24
#define CPU_MASK_ALL		((1UL << NR_CPUS) - 1)

/*
 * Locking legend:
 *   [R] rq lock of cpus[t->cpu]    [I] set before the thread starts
 *   [S] the thread itself          [a] atomic
 *   [G] thread_list_lock
 * state: written by the thread itself (going to sleep, [S] + barrier) or
 * under the rq lock (wakeup, exit).
 */
struct mm_struct;
struct process;
struct thread_user;

struct thread {
	struct arch_context ctx;	/* [R] saved registers while not running */
	struct arch_thread arch;	/* [S] user FP/SIMD state and TLS pointer (arch-defined) */
	struct mm_struct *mm;		/* [S] user address space; NULL for kernel threads */
	struct mm_struct *active_mm;	/* [R] page tables loaded while it runs (kernel threads borrow) */
	struct process *proc;		/* [I] owning process (kernel/task); NULL for kernel threads */
	struct thread_user *user;	/* [S] tid, signal state... (kernel/task); NULL for kernel threads */
	struct pt_regs *user_regs;	/* [I] user register frame at the top of the kernel stack */
	char name[THREAD_NAME_LEN];	/* [I] */
	long state;			/* [a] TASK_* (see above) */
	unsigned int cpu;		/* [R] CPU whose run queue owns it */
	bool on_rq;			/* [R] queued or running (not sleeping) */
	bool on_cpu;			/* [R] its registers are live on a CPU (switch not finished) */
	unsigned long cpus_allowed;	/* [I] affinity bitmask (kthread_bind pins to one CPU) */
	struct list_head run_node;	/* [R] on cpus[cpu].sched.runnable */
	void *stack;			/* [I] kernel stack base (NULL: boot stack) */
	void *stack_top;		/* [I] */
	void (*fn)(void *);		/* [I] entry point */
	void *arg;			/* [I] */
	int exit_code;			/* [S] valid once 'exited' is complete */
	struct completion exited;	/* completed by thread_exit() */
	atomic_t refcount;		/* [a] 1 for the scheduler + 1 per handle */
	const void *blocked_on;		/* [a] lock/queue it sleeps on (for gdb), NULL if none */
	uint64_t nr_switches;		/* [R] times switched in */
	uint64_t exec_start;		/* [R] arch_time_ns() when last switched in */
	uint64_t sum_exec_runtime;	/* [R] ns spent running, up to the last switch out */
	struct list_head all_node;	/* [G] on thread_list */
	unsigned int id;		/* [I] thread number */
#ifdef CONFIG_DEBUG
	struct held_locks held;		/* [S] lockdep: locks this thread holds */
#endif
};

extern struct list_head thread_list;	/* every thread except the idle ones, for gdb */

/* The running thread. IRQs are masked around the read so that a migration
 * between reading this_cpu() and ->curr cannot return another thread. */
static inline struct thread *get_current(void)
{
	unsigned long f = arch_irq_save();
	struct thread *t = this_cpu()->curr;

	arch_irq_restore(f);
	return t;
}
#define current get_current()

static inline void __set_current_state(long state)
{
	__atomic_store_n(&current->state, state, __ATOMIC_RELAXED);
}

/* Full barrier: the state store is ordered before the caller's condition check. */
static inline void set_current_state(long state)
{
	__atomic_store_n(&current->state, state, __ATOMIC_SEQ_CST);
	smp_mb();
}

void __might_sleep(const char *file, int line);
/* Panic if the caller may not sleep (spinlock held, IRQ context, no thread yet). */
#define might_sleep() __might_sleep(__FILE__, __LINE__)

/* ---- scheduler ------------------------------------------------------------ */
void sched_init(void);			/* boot CPU: its running context becomes its idle thread */
void sched_init_cpu(unsigned int cpu);	/* secondary: same, on the idle stack smp_boot() gave it */
void cpu_idle(void) __noreturn;		/* the idle loop; enables IRQs */
void schedule(void);			/* Sleeps: yes. Locks: none held (not even preempt_disable) */
void yield(void);			/* let queued threads on this CPU run first */
bool wake_up_process(struct thread *t);	/* false if it was already running/runnable */
bool wake_up_state(struct thread *t, long state_mask); /* only if t->state & state_mask */
void sched_tick(void);			/* from do_irq(IRQ_TIMER) */
void preempt_schedule_irq(void);	/* end of do_irq(): IRQs off, preempt_count 0 */
void resched_cpu(unsigned int cpu);	/* ask cpu to reschedule soon (IPI if remote) */

/* ---- kernel threads --------------------------------------------------------- */
/* Create a stopped thread; the caller holds one reference (drop it with
 * thread_join() or thread_put()). NULL if out of memory. Sleeps: may. */
struct thread *kthread_create(void (*fn)(void *), void *arg, const char *name);
/* Same for a user thread: its kernel context starts below a struct pt_regs
 * kept at the top of the kernel stack, and t->user_regs points at it. */
struct thread *uthread_create(void (*fn)(void *), void *arg, const char *name);
void kthread_bind(struct thread *t, unsigned int cpu);	/* before wake_up_new_thread */
void wake_up_new_thread(struct thread *t);		/* start it */
struct thread *kthread_run(void (*fn)(void *), void *arg, const char *name);
void thread_exit(int code) __noreturn;
int thread_join(struct thread *t);	/* wait until it exited and left its CPU, drop the
					 * reference, return its code */
void thread_get(struct thread *t);
void thread_put(struct thread *t);

/* For tests: run fn(arg) in n threads, thread i pinned to the i-th online CPU
 * (round robin), and wait for all of them. false if a thread could not be
 * created (the ones created are still waited for). Sleeps: yes. */
bool run_threads_on_cpus(void (*fn)(void *), void *arg, unsigned int n, const char *name);

/* ---- sleeping with time -------------------------------------------------- */
/* Sleep (in 'state' set by the caller) until woken or 'timeout' jiffies pass;
 * returns the jiffies left (0 on timeout). */
long schedule_timeout(long timeout);
void msleep(unsigned int ms);

#endif
