/*
 * rcu.c - a real (small) RCU: grace periods that wait for every online CPU
 * to pass a quiescent state, call_rcu, synchronize_rcu, rcu_barrier.
 *
 * Theory of operation
 * -------------------
 * Readers are preempt_disable() regions (rcupdate.h), so a CPU that is
 * anywhere with preempt_count 0 - or that is switching threads - is in no
 * reader. Those points are quiescent states (QS):
 *   - rcu_note_context_switch(): the start of every __schedule() (it is
 *     only entered with preempt_count 0);
 *   - rcu_sched_clock_irq(): a timer tick that interrupted thread-level
 *     code (irq_depth 1) with preempt_count 0: user mode, the idle loop,
 *     preemptible kernel code. Idle CPUs tick, so they report too.
 *
 * One kernel thread, rcu_gp, runs grace periods in a loop:
 *
 *   wait until callbacks are queued
 *   batch = all queued callbacks          (rs.lock)
 *   smp_mb; qs_mask = online CPUs          GP starts
 *   wait until qs_mask == 0                each CPU clears its bit at a QS;
 *                                          the last one wakes rcu_gp
 *   smp_mb; gp_completed++; run the batch in order
 *
 * Ordering: an updater unpublishes (rcu_assign_pointer), then queues its
 * callback under rs.lock; rcu_gp takes rs.lock, then a full barrier, then
 * sets qs_mask. A CPU reports a QS with: full barrier, atomic clear of its
 * bit (seq-cst), full barrier. So (1) whatever a reader did before the QS
 * happens before the callback runs (barrier, RMW observed by rcu_gp's
 * acquire of qs_mask == 0), and (2) a reader that starts after the QS saw
 * the mask store, hence the unpublish before it: it cannot find the old
 * object. A reader that began before the GP started holds preempt_count > 0
 * until it ends, so its CPU reports no QS in between.
 *
 * synchronize_rcu() is call_rcu() with a completion (Linux's
 * wait_rcu_gp). Because batches run in FIFO order, that also makes it an
 * rcu_barrier(). GP latency is one to two ticks (HZ = 100); callers that
 * free memory use call_rcu and never wait.
 */
#include <rcupdate.h>
#include <sched.h>
#include <spinlock.h>
#include <wait.h>
#include <completion.h>
#include <printk.h>

static struct {
	spinlock_t lock;
	struct rcu_head *head, **tail;	/* [L] queued, waiting for the next GP; rcu_gp peeks
					 * at head without the lock (atomic store/load) */
	unsigned long qs_mask;		/* [a] CPUs that still owe the current GP a QS */
	struct rcu_stats st;		/* [a] */
	bool running;			/* [I] rcu_gp started */
} rs = {
	.lock = SPINLOCK_INIT("rcu_state.lock"),
	.tail = &rs.head,
};
static DECLARE_WAIT_QUEUE_HEAD(rcu_gp_wq);

static void stat_inc(unsigned long *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* This CPU is in no reader: clear its bit of the current GP. IRQs off. */
static void rcu_qs(void)
{
	unsigned long bit = 1UL << smp_processor_id(), old;

	if (!(__atomic_load_n(&rs.qs_mask, __ATOMIC_RELAXED) & bit))
		return;
	smp_mb();		/* prior reader accesses before the report */
	old = __atomic_fetch_and(&rs.qs_mask, ~bit, __ATOMIC_SEQ_CST);
	smp_mb();		/* the report before later readers */
	if (!(old & bit))
		return;
	stat_inc(&rs.st.qs_reported);
	if (old == bit)
		wake_up(&rcu_gp_wq);	/* last CPU: the GP is over */
}

void rcu_note_context_switch(void)
{
	rcu_qs();
}

void rcu_sched_clock_irq(void)
{
	struct cpu *c = this_cpu();

	if (c->irq_depth == 1 && c->preempt_count == 0)
		rcu_qs();
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	bool was_empty;

	head->func = func;
	head->next = NULL;
	spin_lock(&rs.lock);
	was_empty = rs.head == NULL;
	__atomic_store_n(rs.tail, head, __ATOMIC_RELEASE);	/* rs.head if empty: rcu_cbs_queued */
	rs.tail = &head->next;
	spin_unlock(&rs.lock);
	stat_inc(&rs.st.cbs_queued);
	if (was_empty && rs.running)
		wake_up(&rcu_gp_wq);
}

static unsigned long online_mask(void)
{
	unsigned long m = 0;
	unsigned int i;

	for_each_online_cpu(i)
		m |= 1UL << i;
	return m;
}

static bool rcu_cbs_queued(void)
{
	return __atomic_load_n(&rs.head, __ATOMIC_ACQUIRE) != NULL;
}

static bool rcu_gp_done(void)
{
	return __atomic_load_n(&rs.qs_mask, __ATOMIC_ACQUIRE) == 0;
}

static void rcu_gp_kthread(void *arg)
{
	(void)arg;
	for (;;) {
		struct rcu_head *batch, *next;

		wait_event(rcu_gp_wq, rcu_cbs_queued());
		spin_lock(&rs.lock);
		batch = rs.head;
		rs.head = NULL;
		rs.tail = &rs.head;
		spin_unlock(&rs.lock);

		smp_mb();	/* unpublish + queuing before the GP starts */
		__atomic_store_n(&rs.qs_mask, online_mask(), __ATOMIC_SEQ_CST);
		smp_mb();
		wait_event(rcu_gp_wq, rcu_gp_done());
		smp_mb();	/* every reported QS before the callbacks */
		stat_inc(&rs.st.gp_completed);

		for (; batch; batch = next) {
			next = batch->next;
			batch->func(batch);
			stat_inc(&rs.st.cbs_invoked);
		}
	}
}

struct rcu_synchronize {
	struct rcu_head head;
	struct completion done;
};

static void wakeme_after_rcu(struct rcu_head *head)
{
	struct rcu_synchronize *rsync = container_of(head, struct rcu_synchronize, head);

	complete(&rsync->done);
}

void synchronize_rcu(void)
{
	struct rcu_synchronize rsync;

	might_sleep();
	init_completion(&rsync.done);
	call_rcu(&rsync.head, wakeme_after_rcu);
	wait_for_completion(&rsync.done);
}

void rcu_barrier(void)
{
	synchronize_rcu();	/* batches run in FIFO order: see the top of the file */
}

void rcu_get_stats(struct rcu_stats *out)
{
	out->gp_completed = __atomic_load_n(&rs.st.gp_completed, __ATOMIC_RELAXED);
	out->cbs_queued = __atomic_load_n(&rs.st.cbs_queued, __ATOMIC_RELAXED);
	out->cbs_invoked = __atomic_load_n(&rs.st.cbs_invoked, __ATOMIC_RELAXED);
	out->qs_reported = __atomic_load_n(&rs.st.qs_reported, __ATOMIC_RELAXED);
}

void rcu_init(void)
{
	struct thread *t = kthread_run(rcu_gp_kthread, NULL, "rcu_gp");

	if (!t)
		panic("rcu: cannot start the rcu_gp thread");
	thread_put(t);
	rs.running = true;
	wake_up(&rcu_gp_wq);		/* callbacks queued during boot */
}
