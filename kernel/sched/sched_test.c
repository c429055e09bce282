/*
 * sched_test.c - in-kernel tests of threads, preemption, timers and cross
 * calls. Results are checked against state (who ran where, which jiffy a
 * timer saw), with generous timeouts only to turn a hang into a failure.
 */
#include <bitops.h>
#include <ktest.h>
#include <sched.h>
#include <smp.h>
#include <atomic.h>

/* ---- threads -------------------------------------------------------------------- */
static void exit_with_arg(void *arg)
{
	thread_exit((int)(uintptr_t)arg);
}

KTEST(thread_exit_code_and_join)
{
	for (int i = 0; i < 8; i++) {
		struct thread *th = kthread_run(exit_with_arg, (void *)(uintptr_t)(40 + i), "kt-exit");

		KT_ASSERT(t, th);
		KT_EXPECT_EQ(t, thread_join(th), 40 + i);
	}
}

static struct { atomic_long_t seen_mask; atomic_t started; unsigned int n; } spread;

static void spread_worker(void *arg)
{
	uint64_t t0 = arch_time_ns();

	atomic_inc(&spread.started);
	/* Stay runnable until everyone started, so placement sees the load. */
	while (atomic_read(&spread.started) < (int)spread.n && arch_time_ns() - t0 < 5000000000ULL)
		arch_cpu_relax();
	preempt_disable();
	atomic_long_fetch_or(1L << smp_processor_id(), &spread.seen_mask);
	preempt_enable();
}

KTEST(new_threads_spread_over_cpus)
{
	unsigned int online = num_online_cpus();
	struct thread *ts[NR_CPUS];

	spread.n = online;
	atomic_long_set(&spread.seen_mask, 0);
	atomic_set(&spread.started, 0);
	for (unsigned int i = 0; i < online; i++) {
		ts[i] = kthread_run(spread_worker, NULL, "kt-spread");
		KT_ASSERT(t, ts[i]);
	}
	for (unsigned int i = 0; i < online; i++)
		thread_join(ts[i]);
	KT_EXPECT_EQ(t, hweight64(atomic_long_read(&spread.seen_mask)), online);
}

/* ---- preemption ---------------------------------------------------------------- */
static struct { bool other_ran; bool busy_timed_out; struct completion busy_started; } pre;

static void busy_spinner(void *arg)
{
	uint64_t t0 = arch_time_ns();

	complete(&pre.busy_started);
	/* Never sleeps or yields: only the tick can let the other thread in. */
	while (!READ_ONCE(pre.other_ran)) {
		if (arch_time_ns() - t0 > 20000000000ULL) {
			WRITE_ONCE(pre.busy_timed_out, true);
			return;
		}
		arch_cpu_relax();
	}
}

static void other_thread(void *arg)
{
	WRITE_ONCE(pre.other_ran, true);
}

KTEST(preemption_busy_thread_does_not_starve_another)
{
	unsigned int cpu = num_online_cpus() > 1 ? 1 : 0;
	struct thread *busy = kthread_create(busy_spinner, NULL, "kt-busy");
	struct thread *other = kthread_create(other_thread, NULL, "kt-other");

	KT_ASSERT(t, busy && other);
	pre.other_ran = pre.busy_timed_out = false;
	init_completion(&pre.busy_started);
	kthread_bind(busy, cpu);
	kthread_bind(other, cpu);
	wake_up_new_thread(busy);
	wait_for_completion(&pre.busy_started);		/* busy owns the CPU now */
	wake_up_new_thread(other);
	thread_join(other);
	thread_join(busy);
	KT_EXPECT(t, pre.other_ran);
	KT_EXPECT(t, !pre.busy_timed_out);
}

/* ---- timers ---------------------------------------------------------------------- */
struct kt_timer {
	struct timer_list timer;
	uint64_t fired_at;		/* jiffies seen by the callback */
	unsigned int fired_cpu;
	atomic_t fired;
	struct completion done;
};

static void kt_timer_fn(struct timer_list *tl)
{
	struct kt_timer *k = container_of(tl, struct kt_timer, timer);

	k->fired_at = get_jiffies();
	k->fired_cpu = smp_processor_id();
	atomic_inc(&k->fired);
	complete(&k->done);
}

static void kt_timer_init(struct kt_timer *k)
{
	timer_setup(&k->timer, kt_timer_fn, 0);
	atomic_set(&k->fired, 0);
	init_completion(&k->done);
}

KTEST(timer_fires_not_early_and_once)
{
	struct kt_timer k;
	uint64_t expires;

	kt_timer_init(&k);
	expires = get_jiffies() + 3;
	KT_EXPECT_EQ(t, mod_timer(&k.timer, expires), 0);
	KT_EXPECT(t, timer_pending(&k.timer));
	KT_ASSERT(t, wait_for_completion_timeout(&k.done, 10 * HZ) > 0);
	KT_EXPECT(t, time_after_eq64(k.fired_at, expires));
	KT_EXPECT_EQ(t, k.fired_cpu, k.timer.cpu);
	KT_EXPECT(t, !timer_pending(&k.timer));
	msleep(50);
	KT_EXPECT_EQ(t, atomic_read(&k.fired), 1);
	del_timer_sync(&k.timer);
}

KTEST(del_timer_cancels)
{
	struct kt_timer k;

	kt_timer_init(&k);
	mod_timer(&k.timer, get_jiffies() + 5);
	KT_EXPECT_EQ(t, mod_timer(&k.timer, get_jiffies() + 4), 1);	/* was pending */
	KT_EXPECT_EQ(t, del_timer(&k.timer), 1);
	KT_EXPECT_EQ(t, del_timer(&k.timer), 0);
	msleep(100);		/* 10 ticks: well past the expiry it had */
	KT_EXPECT_EQ(t, atomic_read(&k.fired), 0);
	KT_EXPECT_EQ(t, del_timer_sync(&k.timer), 0);
}

static atomic_t timers_on_cpus;

static void per_cpu_timer(void *arg)
{
	struct kt_timer k;

	kt_timer_init(&k);
	mod_timer(&k.timer, get_jiffies() + 2);
	if (wait_for_completion_timeout(&k.done, 10 * HZ) && k.fired_cpu == k.timer.cpu)
		atomic_inc(&timers_on_cpus);
	del_timer_sync(&k.timer);
}

KTEST(timers_fire_on_every_cpu)
{
	atomic_set(&timers_on_cpus, 0);
	KT_ASSERT(t, run_threads_on_cpus(per_cpu_timer, NULL, num_online_cpus(), "kt-timer"));
	KT_EXPECT_EQ(t, atomic_read(&timers_on_cpus), num_online_cpus());
}

KTEST(msleep_sleeps_at_least_as_asked)
{
	uint64_t j0 = get_jiffies();

	msleep(30);
	KT_EXPECT(t, get_jiffies() - j0 >= msecs_to_jiffies(30));
	KT_EXPECT_EQ(t, schedule_timeout(0), 0);
}

/* ---- IPIs and cross calls ------------------------------------------------------- */
static atomic_long_t ipi_mask;
static atomic_t ipi_count;

static void mark_cpu(void *arg)
{
	atomic_long_fetch_or(1L << smp_processor_id(), &ipi_mask);
	atomic_inc(&ipi_count);
}

static long online_mask(void)
{
	long m = 0;
	unsigned int i;

	for_each_online_cpu(i)
		m |= 1L << i;
	return m;
}

KTEST(on_each_cpu_reaches_every_cpu)
{
	atomic_long_set(&ipi_mask, 0);
	on_each_cpu(mark_cpu, NULL, true);
	KT_EXPECT_EQ(t, atomic_long_read(&ipi_mask), online_mask());
}

KTEST(call_function_single_runs_on_target)
{
	unsigned int i;

	for_each_online_cpu(i) {
		atomic_long_set(&ipi_mask, 0);
		KT_EXPECT_EQ(t, smp_call_function_single(i, mark_cpu, NULL, true), 0);
		KT_EXPECT_EQ(t, atomic_long_read(&ipi_mask), 1L << i);
	}
	KT_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, mark_cpu, NULL, true), -ENODEV);
}

KTEST(async_cross_calls_all_arrive)
{
	unsigned int online = num_online_cpus();
	int rounds = 200;

	atomic_set(&ipi_count, 0);
	for (int r = 0; r < rounds; r++)
		on_each_cpu(mark_cpu, NULL, false);
	for (int i = 0; i < 1000 && atomic_read(&ipi_count) < rounds * (int)online; i++)
		msleep(10);
	KT_EXPECT_EQ(t, atomic_read(&ipi_count), rounds * (int)online);
}
