/*
 * time.c - nanosleep, clock_gettime, sched_yield, and the small system calls that
 * only read or set one thing: set_tls, uname, fl_vmstat.
 *
 * Clocks: arch_time_ns() is monotonic from an arch-chosen epoch near boot. There is
 * no real-time clock yet, so CLOCK_REALTIME is that same count (time since boot, as
 * if the machine booted at the Unix epoch). CPU-time clocks come from the scheduler's
 * per-thread sum_exec_runtime.
 */
#include <task.h>
#include <string.h>
#include <elf.h>
#include <mmap.h>
#include <vmstat.h>
#include <uaccess.h>
#include <syscall.h>

#define NSEC_PER_SEC	1000000000ULL

static struct __kernel_timespec ns_to_timespec(uint64_t ns)
{
	return (struct __kernel_timespec){ (int64_t)(ns / NSEC_PER_SEC),
					   (int64_t)(ns % NSEC_PER_SEC) };
}

/* Relative timeout -> jiffies, rounded up (never shorter than asked). */
long timespec_to_jiffies_checked(const struct __kernel_timespec *ts)
{
	uint64_t ns;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= 1000000000)
		return -EINVAL;
	if ((uint64_t)ts->tv_sec > (uint64_t)MAX_SCHEDULE_TIMEOUT / (2 * HZ))
		return MAX_SCHEDULE_TIMEOUT;
	ns = (uint64_t)ts->tv_sec * 1000000000ULL + ts->tv_nsec;
	return (long)((ns + TICK_NS - 1) / TICK_NS);
}

/* Sleep until deadline (arch_time_ns); -EINTR if a signal comes first. */
static int sleep_until(uint64_t deadline)
{
	for (;;) {
		uint64_t now = arch_time_ns();

		if (now >= deadline)
			return 0;
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current)) {
			__set_current_state(TASK_RUNNING);
			return -EINTR;
		}
		schedule_timeout((long)((deadline - now + TICK_NS - 1) / TICK_NS));
		__set_current_state(TASK_RUNNING);
	}
}

long sys_nanosleep(const struct __kernel_timespec *ureq, struct __kernel_timespec *urem)
{
	struct __kernel_timespec req, rem;
	uint64_t deadline, now;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (timespec_to_jiffies_checked(&req) < 0)
		return -EINVAL;
	if ((uint64_t)req.tv_sec > 100ULL * 365 * 24 * 3600)
		req.tv_sec = 100LL * 365 * 24 * 3600;	/* a century is forever enough */
	deadline = arch_time_ns() + (uint64_t)req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
	if (sleep_until(deadline) == 0)
		return 0;
	now = arch_time_ns();
	rem = ns_to_timespec(deadline > now ? deadline - now : 0);
	if (urem && copy_to_user(urem, &rem, sizeof(rem)))
		return -EFAULT;
	return -EINTR;
}

static uint64_t thread_cputime_ns(struct thread *t)
{
	return t->sum_exec_runtime + (arch_time_ns() - t->exec_start);	/* t is current */
}

long sys_clock_gettime(int clockid, struct __kernel_timespec *utp)
{
	struct __kernel_timespec ts;
	uint64_t ns;

	switch (clockid) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		ns = arch_time_ns();
		break;
	case CLOCK_PROCESS_CPUTIME_ID:
		ns = process_cputime_ns(current_proc());
		break;
	case CLOCK_THREAD_CPUTIME_ID:
		ns = thread_cputime_ns(current);
		break;
	default:
		return -EINVAL;
	}
	ts = ns_to_timespec(ns);
	return copy_to_user(utp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_sched_yield(void)
{
	yield();
	return 0;
}

long sys_set_tls(uintptr_t tp)
{
	arch_set_tls(&current->arch, tp);
	return 0;
}

/* uname's machine: Linux's names (arm64 Linux says "aarch64"). */
static const char *uts_machine(void)
{
	switch (ELF_ARCH) {
	case EM_AARCH64:
		return "aarch64";
	default:
		return ARCH_NAME;
	}
}

long sys_uname(struct new_utsname *ubuf)
{
	struct new_utsname uts;

	memset(&uts, 0, sizeof(uts));
	strlcpy(uts.sysname, "Faultline", sizeof(uts.sysname));
	strlcpy(uts.nodename, "faultline", sizeof(uts.nodename));
	strlcpy(uts.release, "0.3", sizeof(uts.release));
	strlcpy(uts.version, "#3 SMP (issue 3: user space)", sizeof(uts.version));
	strlcpy(uts.machine, uts_machine(), sizeof(uts.machine));
	strlcpy(uts.domainname, "(none)", sizeof(uts.domainname));
	return copy_to_user(ubuf, &uts, sizeof(uts)) ? -EFAULT : 0;
}

long sys_fl_vmstat(struct fl_vmstat *ubuf, size_t size)
{
	struct fl_vmstat st;
	size_t n = MIN(size, sizeof(st));

	memset(&st, 0, sizeof(st));
	fill_fl_vmstat(&st, current->mm);
	if (copy_to_user(ubuf, &st, n))
		return -EFAULT;
	return n;
}
