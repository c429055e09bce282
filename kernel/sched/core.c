/*
 * core.c - threads, per-CPU run queues, schedule(), wakeups, the idle loop.
 *
 * Run queues: one per CPU (struct cpu_sched), FIFO round robin. The rq lock
 * protects the queue and every change of a thread's on_rq/cpu, and wakeup
 * state changes. A thread is placed once, at wake_up_new_thread(), on the
 * least loaded allowed CPU; a wakeup puts it back on the CPU it last ran
 * on; an idle CPU pulls a queued thread from a busy one (idle_pull). That
 * is all the balancing there is (docs/locks.md).
 *
 * Context switch protocol: __schedule() takes the rq lock, picks next and
 * switches with the lock held; the thread that runs next releases it in
 * finish_switch(). So a queued thread's registers are always saved before
 * any CPU can see it on a queue, and preempt_count is 1 across every switch.
 */
#include <rcupdate.h>
#include <sched.h>
#include <mmap.h>
#include <smp.h>
#include <slab.h>
#include <page_alloc.h>
#include <string.h>
#include <printk.h>
#include "sched_internal.h"

LIST_HEAD(thread_list);
static DEFINE_SPINLOCK(thread_list_lock);
static struct thread idle_threads[NR_CPUS];	/* [I] per-CPU idle threads */
void *idle_stacks[NR_CPUS];
static atomic_t next_thread_id;
static struct lock_class_key rq_lock_key;

unsigned int num_online_cpus(void)
{
	unsigned int i, n = 0;

	for_each_online_cpu(i)
		n++;
	return n;
}

void __might_sleep(const char *file, int line)
{
	bool irqs_on = arch_irqs_enabled();
	unsigned long f = arch_irq_save();
	struct cpu *c = this_cpu();
	bool bad = !c->curr || c->preempt_count || c->irq_depth || !irqs_on;

	arch_irq_restore(f);
	if (bad)
		panic("sleeping function called from invalid context at %s:%d "
		      "(preempt_count %d, irq_depth %d, thread '%s'): do not sleep "
		      "under a spinlock, with IRQs off, in an IRQ handler or before sched_init()",
		      file, line, c->preempt_count, c->irq_depth,
		      c->curr ? c->curr->name : "none");
}

/* ---- run-queue primitives (Locks: rq lock) -------------------------------- */
static void set_need_resched(struct cpu *c)
{
	__atomic_store_n(&c->sched.need_resched, true, __ATOMIC_RELAXED);
}

static bool rq_has_queued(struct cpu *c)
{
	return READ_ONCE(c->sched.runnable.next) != &c->sched.runnable;
}

static void activate(struct cpu *c, struct thread *t)
{
	t->on_rq = true;
	c->sched.nr_running++;
	list_add_tail(&t->run_node, &c->sched.runnable);
}

static void deactivate(struct cpu *c, struct thread *t)
{
	t->on_rq = false;
	c->sched.nr_running--;
}

static struct thread *pick_next(struct cpu *c)
{
	struct thread *t;

	if (list_empty(&c->sched.runnable))
		return c->idle;
	t = list_first_entry(&c->sched.runnable, struct thread, run_node);
	list_del(&t->run_node);
	return t;
}

void resched_cpu(unsigned int cpu)
{
	set_need_resched(&cpus[cpu]);
	if (cpu != smp_processor_id())
		smp_send_reschedule(cpu);
}

/* Lock the run queue that owns t (t->cpu may change until we hold it). */
static struct cpu *thread_rq_lock(struct thread *t)
{
	for (;;) {
		unsigned int cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
		struct cpu *c = &cpus[cpu];

		spin_lock(&c->sched.lock);
		if (t->cpu == cpu)
			return c;
		spin_unlock(&c->sched.lock);
	}
}

/* ---- context switch -------------------------------------------------------- */
/* Runs in the thread that was switched to, with the rq lock held and IRQs off. */
static void finish_switch(void)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->sched.switch_prev;
	bool dead = __atomic_load_n(&prev->state, __ATOMIC_RELAXED) == TASK_DEAD;

	__atomic_store_n(&prev->on_cpu, false, __ATOMIC_RELEASE);
	spin_unlock(&c->sched.lock);
	if (dead)
		thread_put(prev);	/* the scheduler's reference: now off every CPU */
}

/* The rq lock was taken by prev and will be released by next. */
static void rq_lock_handoff(struct cpu *c, struct thread *prev, struct thread *next)
{
#ifdef CONFIG_DEBUG
	lockdep_transfer(&prev->held, &next->held, &c->sched.lock.dep);
#endif
}

/* CPU time: prev ran from its exec_start until now. Locks: rq lock. */
static void account_switch(struct thread *prev, struct thread *next)
{
	uint64_t now = arch_time_ns();

	__atomic_store_n(&prev->sum_exec_runtime,
			 prev->sum_exec_runtime + (now - prev->exec_start), __ATOMIC_RELAXED);
	__atomic_store_n(&next->exec_start, now, __ATOMIC_RELAXED);
}

static void context_switch(struct cpu *c, struct thread *prev, struct thread *next)
{
	account_switch(prev, next);
	next->on_cpu = true;
	next->nr_switches++;
	c->sched.nr_switches++;
	c->sched.switch_prev = prev;
	c->sched.slice_left = SCHED_SLICE;
	__atomic_store_n(&c->curr, next, __ATOMIC_RELAXED);
	rq_lock_handoff(c, prev, next);
	context_switch_mm(prev, next);	/* user page tables, lazy active_mm (kernel/mm/mm.c) */
	if (next->stack_top)
		arch_set_kernel_stack(next->stack_top);
	arch_thread_switch(&prev->arch, &next->arch);	/* user FP/SIMD state, TLS */
	arch_context_switch(&prev->ctx, &next->ctx);
	finish_switch();	/* we are prev again, maybe on another CPU */
}

/* requeue: prev stays runnable whatever its state (preemption, yield).
 * Locks: none; IRQs off; preempt_count 0. */
static void __schedule(bool requeue)
{
	struct cpu *c = this_cpu();
	struct thread *prev = c->curr, *next;

	rcu_note_context_switch();	/* a quiescent state: no RCU reader here */
	spin_lock(&c->sched.lock);
	__atomic_store_n(&c->sched.need_resched, false, __ATOMIC_RELAXED);
	if (prev != c->idle) {
		if (!requeue && __atomic_load_n(&prev->state, __ATOMIC_RELAXED) != TASK_RUNNING)
			deactivate(c, prev);
		else
			list_add_tail(&prev->run_node, &c->sched.runnable);
	}
	next = pick_next(c);
	if (next == prev)
		spin_unlock(&c->sched.lock);
	else
		context_switch(c, prev, next);
}

static void check_atomic(struct cpu *c, const char *what)
{
	if (c->preempt_count || c->irq_depth || !c->curr)
		panic("%s while atomic: preempt_count %d, irq_depth %d, thread '%s' "
		      "(a spinlock or preempt_disable is still held)", what,
		      c->preempt_count, c->irq_depth, c->curr ? c->curr->name : "none");
}

void schedule(void)
{
	unsigned long f = arch_irq_save();

	check_atomic(this_cpu(), "schedule()");
	__schedule(false);
	arch_irq_restore(f);
}

void yield(void)
{
	unsigned long f = arch_irq_save();

	check_atomic(this_cpu(), "yield()");
	__schedule(true);
	arch_irq_restore(f);
}

static bool may_preempt(struct cpu *c)
{
	return c->preempt_count == 0 && c->irq_depth == 0 && c->curr &&
	       c->curr != c->idle &&
	       __atomic_load_n(&c->sched.need_resched, __ATOMIC_RELAXED);
}

void preempt_schedule(void)
{
	unsigned long f = arch_irq_save();

	if (may_preempt(this_cpu()))
		__schedule(true);
	arch_irq_restore(f);
}

void preempt_schedule_irq(void)
{
	if (may_preempt(this_cpu()))
		__schedule(true);
}

/* ---- wakeups ----------------------------------------------------------------- */
/* Wake t if its state is one of the bits in 'state' (Linux's wake_up_state):
 * signals wake only TASK_INTERRUPTIBLE sleepers. */
bool wake_up_state(struct thread *t, long state_mask)
{
	struct cpu *c;
	long state;
	bool woke = false;

	smp_mb();	/* the caller's condition store before our state load */
	c = thread_rq_lock(t);
	state = __atomic_load_n(&t->state, __ATOMIC_RELAXED);
	if (state & state_mask & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)) {
		__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_RELAXED);
		if (!t->on_rq) {
			activate(c, t);
			if (c->curr == c->idle)
				resched_cpu(c->id);
		}
		woke = true;
	}
	spin_unlock(&c->sched.lock);
	return woke;
}

bool wake_up_process(struct thread *t)
{
	return wake_up_state(t, TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE);
}

void sched_tick(void)
{
	struct cpu *c = this_cpu();

	c->sched.nr_ticks++;
	if (c->curr == c->idle)
		return;		/* the idle loop looks at its queue itself */
	if (--c->sched.slice_left > 0)
		return;
	c->sched.slice_left = SCHED_SLICE;
	if (rq_has_queued(c))
		set_need_resched(c);
}

/* ---- balancing: an idle CPU pulls a queued thread -------------------------- */
static void double_rq_lock(struct cpu *a, struct cpu *b)
{
	if (a->id < b->id) {
		spin_lock(&a->sched.lock);
		spin_lock_nested(&b->sched.lock, 1);
	} else {
		spin_lock(&b->sched.lock);
		spin_lock_nested(&a->sched.lock, 1);
	}
}

static void double_rq_unlock(struct cpu *a, struct cpu *b)
{
	if (a->id < b->id) {
		spin_unlock(&b->sched.lock);
		spin_unlock(&a->sched.lock);
	} else {
		spin_unlock(&a->sched.lock);
		spin_unlock(&b->sched.lock);
	}
}

static bool pull_one(struct cpu *me, struct cpu *src)
{
	struct thread *t, *found = NULL;

	double_rq_lock(me, src);
	list_for_each_entry(t, &src->sched.runnable, run_node) {
		if (t->cpus_allowed & (1UL << me->id)) {
			found = t;
			break;
		}
	}
	if (found) {
		list_del(&found->run_node);
		src->sched.nr_running--;
		__atomic_store_n(&found->cpu, me->id, __ATOMIC_RELAXED);
		me->sched.nr_running++;
		list_add_tail(&found->run_node, &me->sched.runnable);
	}
	double_rq_unlock(me, src);
	return found != NULL;
}

static bool idle_pull(struct cpu *me)
{
	unsigned int i;

	for_each_online_cpu(i) {
		if (i != me->id && rq_has_queued(&cpus[i]) && pull_one(me, &cpus[i]))
			return true;
	}
	return false;
}

void cpu_idle(void)
{
	for (;;) {
		struct cpu *c;

		arch_irq_disable();
		c = this_cpu();
		if (!c->sched.need_resched && !rq_has_queued(c) && !idle_pull(c))
			arch_wait_for_interrupt();
		arch_irq_enable();	/* take the pending interrupt */
		if (READ_ONCE(c->sched.need_resched) || rq_has_queued(c))
			schedule();
	}
}

/* ---- per-CPU setup ----------------------------------------------------------- */
static void rq_init(struct cpu *c)
{
	__spin_lock_init(&c->sched.lock, "rq.lock", &rq_lock_key);
	INIT_LIST_HEAD(&c->sched.runnable);
	c->sched.nr_running = 0;
	c->sched.slice_left = SCHED_SLICE;
	timers_init_cpu(c);
	calls_init_cpu(c);
}

/* The context running on c becomes c's idle thread. */
static void idle_init(struct cpu *c, void *stack)
{
	struct thread *t = &idle_threads[c->id];

	snprintf(t->name, sizeof(t->name), "idle/%u", c->id);
	t->state = TASK_RUNNING;
	t->cpu = c->id;
	t->on_rq = true;
	t->on_cpu = true;
	t->cpus_allowed = 1UL << c->id;
	t->stack = stack;
	t->stack_top = stack ? (char *)stack + THREAD_STACK_SIZE : NULL;
	atomic_set(&t->refcount, 1);
	INIT_LIST_HEAD(&t->run_node);
	INIT_LIST_HEAD(&t->all_node);
	init_completion(&t->exited);
	c->idle = t;
	__atomic_store_n(&c->curr, t, __ATOMIC_RELEASE);
}

void sched_init(void)
{
	for (unsigned int i = 0; i < NR_CPUS; i++)
		rq_init(&cpus[i]);
	idle_init(&cpus[0], NULL);
	__atomic_store_n(&cpus[0].online, true, __ATOMIC_RELEASE);
	printk("sched: per-CPU run queues, HZ=%u, slice %u ticks\n", HZ, SCHED_SLICE);
}

void sched_init_cpu(unsigned int cpu)
{
	idle_init(&cpus[cpu], idle_stacks[cpu]);
}

/* ---- kernel threads ---------------------------------------------------------- */
/* First code of every new thread: finish the switch that started us. */
static void thread_start(void *arg)
{
	struct thread *t = arg;

	finish_switch();
	arch_irq_enable();
	t->fn(t->arg);
	thread_exit(0);
}

/* reserve: bytes kept free at the top of the kernel stack (a user thread's pt_regs). */
static struct thread *__kthread_create(void (*fn)(void *), void *arg, const char *name,
				       size_t reserve)
{
	struct thread *t = kzalloc(sizeof(*t));
	void *stack = get_free_pages(THREAD_STACK_ORDER);

	if (!t || !stack) {
		kfree(t);
		if (stack)
			free_pages(stack, THREAD_STACK_ORDER);
		return NULL;
	}
	strlcpy(t->name, name, sizeof(t->name));
	t->state = TASK_NEW;
	t->cpus_allowed = CPU_MASK_ALL;
	t->stack = stack;
	t->stack_top = (char *)stack + THREAD_STACK_SIZE;
	t->fn = fn;
	t->arg = arg;
	t->id = atomic_inc_return(&next_thread_id);
	atomic_set(&t->refcount, 2);	/* the scheduler's and the caller's */
	INIT_LIST_HEAD(&t->run_node);
	init_completion(&t->exited);
	arch_context_init(&t->ctx, (char *)t->stack_top - reserve, thread_start, t);
	spin_lock(&thread_list_lock);
	list_add_tail(&t->all_node, &thread_list);
	spin_unlock(&thread_list_lock);
	return t;
}

struct thread *kthread_create(void (*fn)(void *), void *arg, const char *name)
{
	return __kthread_create(fn, arg, name, 0);
}

struct thread *uthread_create(void (*fn)(void *), void *arg, const char *name)
{
	size_t reserve = ALIGN_UP(sizeof(struct pt_regs), 16);
	struct thread *t = __kthread_create(fn, arg, name, reserve);

	if (t)
		t->user_regs = (struct pt_regs *)((char *)t->stack_top - reserve);
	return t;
}

void kthread_bind(struct thread *t, unsigned int cpu)
{
	if (t->state != TASK_NEW || cpu >= NR_CPUS)
		panic("kthread_bind(%s, %u): bind before starting, to a CPU below %u",
		      t->name, cpu, NR_CPUS);
	t->cpus_allowed = 1UL << cpu;
}

/* Least loaded online CPU in t's mask; ties go to the first after a rotating start. */
static unsigned int select_cpu(struct thread *t)
{
	static unsigned int rotor;	/* [a] */
	unsigned int start = __atomic_fetch_add(&rotor, 1, __ATOMIC_RELAXED);
	unsigned int best = NR_CPUS, best_load = ~0u;

	for (unsigned int k = 0; k < NR_CPUS; k++) {
		unsigned int i = (start + k) % NR_CPUS;
		unsigned int load;

		if (!cpu_online(i) || !(t->cpus_allowed & (1UL << i)))
			continue;
		load = READ_ONCE(cpus[i].sched.nr_running);
		if (load < best_load) {
			best = i;
			best_load = load;
		}
	}
	if (best == NR_CPUS)
		panic("thread '%s': no online CPU in its affinity mask 0x%lx",
		      t->name, t->cpus_allowed);
	return best;
}

void wake_up_new_thread(struct thread *t)
{
	unsigned int cpu = select_cpu(t);
	struct cpu *c = &cpus[cpu];

	BUG_ON(t->state != TASK_NEW);
	spin_lock(&c->sched.lock);
	__atomic_store_n(&t->cpu, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_RELAXED);
	activate(c, t);
	if (c->curr == c->idle)
		resched_cpu(cpu);
	spin_unlock(&c->sched.lock);
}

struct thread *kthread_run(void (*fn)(void *), void *arg, const char *name)
{
	struct thread *t = kthread_create(fn, arg, name);

	if (t)
		wake_up_new_thread(t);
	return t;
}

void thread_exit(int code)
{
	struct thread *me = current;

	BUG_ON(me == this_cpu()->idle);
	lockdep_assert_none_held("thread_exit");
	me->exit_code = code;
	spin_lock(&thread_list_lock);
	list_del(&me->all_node);
	spin_unlock(&thread_list_lock);
	complete_all(&me->exited);
	arch_irq_disable();
	__atomic_store_n(&me->state, TASK_DEAD, __ATOMIC_RELAXED);
	__schedule(false);
	panic("thread '%s' ran after thread_exit()", me->name);
}

void thread_get(struct thread *t)
{
	atomic_inc(&t->refcount);
}

void thread_put(struct thread *t)
{
	if (!atomic_dec_and_test(&t->refcount))
		return;
	free_pages(t->stack, THREAD_STACK_ORDER);
	kfree(t);
}

/*
 * The exiting thread completes 'exited' while it still runs on its CPU; the
 * scheduler drops its reference (and with the last one the stack goes back to
 * the allocator) only in finish_switch() after that CPU switched away. Wait for
 * that too, so that a caller holding the only other handle gets its memory back
 * when this returns (tests compare nr_free_pages() right after joining).
 */
int thread_join(struct thread *t)
{
	int code;

	wait_for_completion(&t->exited);
	code = t->exit_code;
	while (atomic_read(&t->refcount) > 1)
		yield();		/* the scheduler's reference: a few instructions away */
	thread_put(t);
	return code;
}

/* ---- helper for tests -------------------------------------------------------- */
static unsigned int nth_online_cpu(unsigned int n)
{
	unsigned int i, k = 0, online = num_online_cpus();

	n %= online;
	for_each_online_cpu(i)
		if (k++ == n)
			return i;
	return 0;
}

bool run_threads_on_cpus(void (*fn)(void *), void *arg, unsigned int n, const char *name)
{
	struct thread **ts = kzalloc(n * sizeof(*ts));
	bool ok = ts != NULL;

	for (unsigned int i = 0; ok && i < n; i++) {
		ts[i] = kthread_create(fn, arg, name);
		if (!ts[i]) {
			ok = false;
			break;
		}
		kthread_bind(ts[i], nth_online_cpu(i));
		wake_up_new_thread(ts[i]);
	}
	for (unsigned int i = 0; ts && i < n && ts[i]; i++)
		thread_join(ts[i]);
	kfree(ts);
	return ok;
}
