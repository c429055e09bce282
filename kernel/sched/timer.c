/*
 * timer.c - jiffies, per-CPU timer lists, the tick, sleeping with a timeout.
 *
 * Each CPU keeps its pending timers in a list sorted by expiry under its
 * timer_lock; its tick runs the expired ones with the lock dropped and
 * running_timer set, so del_timer_sync() can wait for a running callback.
 * A timer stays on the CPU that set it up (no migration: simple, and the
 * lock that protects it never changes).
 */
#include <timer.h>
#include <sched.h>
#include <printk.h>
#include "sched_internal.h"

uint64_t jiffies;
static struct lock_class_key timer_lock_key;

void timers_init_cpu(struct cpu *c)
{
	__spin_lock_init(&c->sched.timer_lock, "timer_lock", &timer_lock_key);
	INIT_LIST_HEAD(&c->sched.timers);
	c->sched.running_timer = NULL;
}

void timer_setup_on(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int cpu)
{
	INIT_LIST_HEAD(&t->entry);
	t->expires = 0;
	t->function = fn;
	t->cpu = cpu;
	t->flags = 0;
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags)
{
	unsigned long f = arch_irq_save();

	timer_setup_on(t, fn, smp_processor_id());
	t->flags = flags;
	arch_irq_restore(f);
}

static struct cpu_sched *timer_base(struct timer_list *t)
{
	return &cpus[t->cpu].sched;
}

/* Keep the list sorted; equal expiries stay FIFO. Locks: timer_lock. */
static void timer_insert(struct cpu_sched *b, struct timer_list *t)
{
	struct list_head *pos;

	list_for_each(pos, &b->timers) {
		if (list_entry(pos, struct timer_list, entry)->expires > t->expires)
			break;
	}
	list_add_tail(&t->entry, pos);
}

/* Take t off its list if it is queued; returns whether it was. Locks: timer_lock. */
static int detach_timer_locked(struct cpu_sched *b, struct timer_list *t)
{
	int pending = !list_empty(&t->entry);

	assert_spin_locked(&b->timer_lock);
	if (pending)
		list_del(&t->entry);
	return pending;
}

int mod_timer(struct timer_list *t, uint64_t expires)
{
	struct cpu_sched *b = timer_base(t);
	int pending;

	spin_lock(&b->timer_lock);
	pending = detach_timer_locked(b, t);
	t->expires = expires;
	timer_insert(b, t);
	spin_unlock(&b->timer_lock);
	return pending;
}

int del_timer(struct timer_list *t)
{
	struct cpu_sched *b = timer_base(t);
	int pending;

	spin_lock(&b->timer_lock);
	pending = detach_timer_locked(b, t);
	spin_unlock(&b->timer_lock);
	return pending;
}

int del_timer_sync(struct timer_list *t)
{
	struct cpu_sched *b = timer_base(t);
	int pending = 0;

	for (;;) {
		bool running;

		spin_lock(&b->timer_lock);
		pending |= detach_timer_locked(b, t);
		running = b->running_timer == t;
		spin_unlock(&b->timer_lock);
		if (!running)
			return pending;
		arch_cpu_relax();
	}
}

bool timer_pending(struct timer_list *t)
{
	struct cpu_sched *b = timer_base(t);
	bool pending;

	spin_lock(&b->timer_lock);
	pending = !list_empty(&t->entry);
	spin_unlock(&b->timer_lock);
	return pending;
}

/* Run this CPU's expired timers. IRQ context. */
void run_local_timers(void)
{
	struct cpu_sched *b = &this_cpu()->sched;
	uint64_t now = get_jiffies();

	spin_lock(&b->timer_lock);
	while (!list_empty(&b->timers)) {
		struct timer_list *t = list_first_entry(&b->timers, struct timer_list, entry);

		if (!time_after_eq64(now, t->expires))
			break;
		list_del(&t->entry);
		b->running_timer = t;
		spin_unlock(&b->timer_lock);
		t->function(t);
		spin_lock(&b->timer_lock);
	}
	b->running_timer = NULL;
	spin_unlock(&b->timer_lock);
}

/* ---- sleeping with a timeout ------------------------------------------------ */
struct sleeper {
	struct timer_list timer;
	struct thread *task;
};

static void sleeper_wake(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleeper, timer)->task);
}

long schedule_timeout(long timeout)
{
	struct sleeper s;
	uint64_t expires;
	int64_t left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout <= 0) {
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expires = get_jiffies() + (uint64_t)timeout;
	s.task = current;
	timer_setup(&s.timer, sleeper_wake, 0);
	mod_timer(&s.timer, expires);
	schedule();
	del_timer_sync(&s.timer);
	left = (int64_t)(expires - get_jiffies());
	return left > 0 ? left : 0;
}

void msleep(unsigned int ms)
{
	/* +1: the current tick may be almost over, so never sleep less than ms. */
	uint64_t end = get_jiffies() + msecs_to_jiffies(ms) + 1;

	might_sleep();
	while (!time_after_eq64(get_jiffies(), end)) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule_timeout((long)(end - get_jiffies()));
	}
	__set_current_state(TASK_RUNNING);
}
