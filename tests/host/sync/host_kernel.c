/*
 * host_kernel.c - the kernel services kernel/sync needs, for the host:
 * per-pthread struct cpu and struct thread, printk/panic on stdio, and a
 * stand-in scheduler: schedule() spins (sched_yield) until the thread's
 * state is TASK_RUNNING again, wake_up_process() sets it. That keeps the
 * exact sleep/wakeup contract the sync code relies on.
 */
#include <sched.h>
#include <printk.h>
#include <trace.h>
#include "host.h"

int vprintf(const char *fmt, va_list ap);
void abort(void) __noreturn;
void *memset(void *s, int c, size_t n);

__thread struct cpu *host_cpu;
struct cpu cpus[NR_CPUS];
unsigned int nr_cpus_possible = NR_CPUS;
volatile int panic_in_progress;
static struct thread host_threads[NR_CPUS];
static raw_spinlock_t print_lock;

int vprintk(const char *fmt, va_list ap)
{
	int n;

	raw_spin_lock(&print_lock);
	n = vprintf(fmt, ap);
	raw_spin_unlock(&print_lock);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk("Kernel panic: ");
	vprintk(fmt, ap);
	printk("\n");
	va_end(ap);
	abort();
}

/* Make the calling pthread "CPU cpu" running thread host_threads[cpu]. */
void host_cpu_enter(int cpu)
{
	struct cpu *c = &cpus[cpu];
	struct thread *t = &host_threads[cpu];

	memset(c, 0, sizeof(*c));
	memset(t, 0, sizeof(*t));
	c->id = cpu;
	t->state = TASK_RUNNING;
	t->cpu = cpu;
	t->name[0] = 'h';
	t->name[1] = '0' + cpu % 10;
	c->curr = t;
	arch_set_this_cpu(c);
}

void schedule(void)
{
	struct thread *me = current;

	while (__atomic_load_n(&me->state, __ATOMIC_ACQUIRE) != TASK_RUNNING)
		host_relax();
}

bool wake_up_process(struct thread *t)
{
	long s;

	smp_mb();
	s = __atomic_load_n(&t->state, __ATOMIC_RELAXED);
	if (s != TASK_INTERRUPTIBLE && s != TASK_UNINTERRUPTIBLE)
		return false;
	return __atomic_compare_exchange_n(&t->state, &s, TASK_RUNNING, false,
					   __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

/* 1 "jiffy" = 1 ms here. */
long schedule_timeout(long timeout)
{
	struct thread *me = current;
	unsigned long long end;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	end = host_time_ns() + (unsigned long long)timeout * 1000000ULL;
	while (__atomic_load_n(&me->state, __ATOMIC_ACQUIRE) != TASK_RUNNING) {
		if (host_time_ns() >= end) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		host_relax();
	}
	return host_time_ns() >= end ? 0 : (long)((end - host_time_ns()) / 1000000ULL) + 1;
}

void preempt_schedule(void)
{
}

void __might_sleep(const char *file, int line)
{
	if (this_cpu()->preempt_count)
		panic("sleeping with preempt_count %d at %s:%d", this_cpu()->preempt_count,
		      file, line);
}

/* The event trace (kernel/trace/trace.c) is not part of the host build: tracing stays off,
 * so rwsem.c's trace_event() never gets past its check of trace_on. */
bool trace_on;

void __trace_event(enum trace_type type, uint64_t a0, uint64_t a1)
{
	panic("trace event %d (%#llx, %#llx) on the host, where tracing cannot be on", (int)type,
	      (unsigned long long)a0, (unsigned long long)a1);
}
