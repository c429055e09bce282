/*
 * syscall.c - the system call table and dispatch, the return path to user mode, and
 * user traps.
 *
 * Arch entry code saves the user registers (the pt_regs at the top of the thread's
 * kernel stack) and calls do_syscall(regs) then exit_to_user_mode(regs), both with IRQs
 * off. A system call runs with IRQs on; it may sleep. The table is indexed by the
 * numbers of uapi/faultline/unistd.h; each entry unpacks the argument registers into
 * the typed sys_* function (SYSCALL_WRAPn). "strace" on the command line prints every
 * call with its result.
 */
#include <task.h>
#include <boot.h>
#include <syscall.h>
#include <mmap.h>
#include <fs.h>
#include <uapi/faultline/unistd.h>

#define A(i)	syscall_arg(r, i)
#define SYSCALL_WRAP0(n) \
	static long __se_##n(struct pt_regs *r) { (void)r; return sys_##n(); }
#define SYSCALL_WRAP1(n, t0) \
	static long __se_##n(struct pt_regs *r) { return sys_##n((t0)A(0)); }
#define SYSCALL_WRAP2(n, t0, t1) \
	static long __se_##n(struct pt_regs *r) { return sys_##n((t0)A(0), (t1)A(1)); }
#define SYSCALL_WRAP3(n, t0, t1, t2) \
	static long __se_##n(struct pt_regs *r) { return sys_##n((t0)A(0), (t1)A(1), (t2)A(2)); }
#define SYSCALL_WRAP4(n, t0, t1, t2, t3) \
	static long __se_##n(struct pt_regs *r) \
	{ return sys_##n((t0)A(0), (t1)A(1), (t2)A(2), (t3)A(3)); }
#define SYSCALL_WRAP5(n, t0, t1, t2, t3, t4) \
	static long __se_##n(struct pt_regs *r) \
	{ return sys_##n((t0)A(0), (t1)A(1), (t2)A(2), (t3)A(3), (t4)A(4)); }
#define SYSCALL_WRAP6(n, t0, t1, t2, t3, t4, t5) \
	static long __se_##n(struct pt_regs *r) \
	{ return sys_##n((t0)A(0), (t1)A(1), (t2)A(2), (t3)A(3), (t4)A(4), (t5)A(5)); }

/* fs */
SYSCALL_WRAP3(read, int, void *, size_t)
SYSCALL_WRAP3(write, int, const void *, size_t)
SYSCALL_WRAP3(open, const char *, int, int)
SYSCALL_WRAP1(close, int)
SYSCALL_WRAP3(lseek, int, long, int)
SYSCALL_WRAP2(fstat, int, struct stat *)
SYSCALL_WRAP2(stat, const char *, struct stat *)
SYSCALL_WRAP3(getdents64, int, void *, size_t)
SYSCALL_WRAP1(pipe, int *)
SYSCALL_WRAP1(dup, int)
SYSCALL_WRAP2(dup2, int, int)
SYSCALL_WRAP1(chdir, const char *)
SYSCALL_WRAP2(getcwd, char *, size_t)
SYSCALL_WRAP2(link, const char *, const char *)
SYSCALL_WRAP1(unlink, const char *)
SYSCALL_WRAP2(mkdir, const char *, unsigned int)
SYSCALL_WRAP1(rmdir, const char *)
SYSCALL_WRAP2(rename, const char *, const char *)
SYSCALL_WRAP1(fsync, unsigned int)
SYSCALL_WRAP0(sync)
SYSCALL_WRAP2(truncate, const char *, long)
SYSCALL_WRAP2(ftruncate, unsigned int, long)
SYSCALL_WRAP2(statfs, const char *, struct statfs *)
SYSCALL_WRAP4(reboot, int, int, unsigned int, void *)
SYSCALL_WRAP4(pread64, unsigned int, char *, size_t, long)
SYSCALL_WRAP4(pwrite64, unsigned int, const char *, size_t, long)
/* vm */
SYSCALL_WRAP6(mmap, unsigned long, unsigned long, unsigned long, unsigned long,
	      unsigned long, unsigned long)
SYSCALL_WRAP2(munmap, unsigned long, size_t)
SYSCALL_WRAP3(mprotect, unsigned long, size_t, unsigned long)
SYSCALL_WRAP1(brk, unsigned long)
/* task */
SYSCALL_WRAP5(clone, unsigned long, uintptr_t, int *, int *, uintptr_t)
SYSCALL_WRAP3(execve, const char *, char *const *, char *const *)
SYSCALL_WRAP1(exit, int)
SYSCALL_WRAP1(exit_group, int)
SYSCALL_WRAP4(wait4, pid_t, int *, int, void *)
SYSCALL_WRAP0(getpid)
SYSCALL_WRAP0(gettid)
SYSCALL_WRAP0(getppid)
SYSCALL_WRAP2(kill, pid_t, int)
SYSCALL_WRAP4(rt_sigaction, int, const struct kernel_sigaction *, struct kernel_sigaction *,
	      size_t)
SYSCALL_WRAP4(rt_sigprocmask, int, const uint64_t *, uint64_t *, size_t)
SYSCALL_WRAP2(nanosleep, const struct __kernel_timespec *, struct __kernel_timespec *)
SYSCALL_WRAP2(clock_gettime, int, struct __kernel_timespec *)
SYSCALL_WRAP0(sched_yield)
SYSCALL_WRAP4(futex, uint32_t *, int, uint32_t, const struct __kernel_timespec *)
SYSCALL_WRAP1(set_tls, uintptr_t)
SYSCALL_WRAP1(uname, struct new_utsname *)
SYSCALL_WRAP2(fl_vmstat, struct fl_vmstat *, size_t)
SYSCALL_WRAP2(fl_proclist, struct fl_procinfo *, size_t)
SYSCALL_WRAP3(msync, unsigned long, size_t, int)

static long __se_rt_sigreturn(struct pt_regs *r)
{
	return sys_rt_sigreturn(r);
}

struct syscall_entry {
	const char *name;
	long (*fn)(struct pt_regs *regs);
	unsigned char nargs;	/* for strace */
	bool sets_regs;		/* restores every register itself: no result written */
};

#define SC(n, args) [__NR_##n] = { #n, __se_##n, args, false }

static const struct syscall_entry syscall_table[__NR_syscalls] = {
	SC(read, 3), SC(write, 3), SC(open, 3), SC(close, 1), SC(lseek, 3), SC(fstat, 2),
	SC(stat, 2), SC(getdents64, 3), SC(pipe, 1), SC(dup, 1), SC(dup2, 2),
	SC(mmap, 6), SC(munmap, 2), SC(mprotect, 3), SC(brk, 1),
	SC(clone, 5), SC(execve, 3), SC(exit, 1), SC(exit_group, 1), SC(wait4, 4),
	SC(getpid, 0), SC(gettid, 0), SC(getppid, 0), SC(kill, 2), SC(rt_sigaction, 4),
	SC(rt_sigprocmask, 4),
	[__NR_rt_sigreturn] = { "rt_sigreturn", __se_rt_sigreturn, 0, true },
	SC(nanosleep, 2), SC(clock_gettime, 2), SC(sched_yield, 0), SC(futex, 4),
	SC(set_tls, 1), SC(chdir, 1), SC(getcwd, 2), SC(uname, 1), SC(link, 2), SC(unlink, 1),
	SC(fl_vmstat, 2), SC(fl_proclist, 2), SC(msync, 3),
	SC(mkdir, 2), SC(rmdir, 1), SC(rename, 2), SC(fsync, 1), SC(sync, 0), SC(truncate, 2),
	SC(ftruncate, 2), SC(statfs, 2), SC(reboot, 4),
	SC(pread64, 4), SC(pwrite64, 4),
};

static bool strace_on(void)
{
	static int on = -1;	/* [a] read from the command line once */

	if (__atomic_load_n(&on, __ATOMIC_RELAXED) < 0)
		__atomic_store_n(&on, cmdline_has("strace"), __ATOMIC_RELAXED);
	return on;
}

static void strace(const struct syscall_entry *e, struct pt_regs *r, long nr, long ret)
{
	char args[96] = "";
	int len = 0;

	for (int i = 0; e && i < e->nargs && len < (int)sizeof(args); i++)
		len += snprintf(args + len, sizeof(args) - len, "%s%#lx", i ? ", " : "",
				(unsigned long)A(i));
	printk("[%d/%d] %s(%s) = %ld\n", current_proc()->pid, current->user->tid,
	       e ? e->name : "unknown", args, ret);
	(void)nr;
}

void do_syscall(struct pt_regs *regs)
{
	long nr = syscall_nr(regs), ret = -ENOSYS;
	const struct syscall_entry *e = NULL;

	if (regs != current->user_regs)
		panic_regs(regs, "do_syscall: the frame is at %p, not at the top of the kernel "
			   "stack (%p); fix the arch entry code", regs, current->user_regs);
	arch_irq_enable();
	if (nr >= 0 && nr < __NR_syscalls && syscall_table[nr].fn) {
		e = &syscall_table[nr];
		ret = e->fn(regs);
	}
	if (!e || !e->sets_regs)
		syscall_set_return(regs, ret);
	if (strace_on())
		strace(e, regs, nr, ret);
	arch_irq_disable();
}

static bool need_resched(void)
{
	return __atomic_load_n(&this_cpu()->sched.need_resched, __ATOMIC_RELAXED);
}

void exit_to_user_mode(struct pt_regs *regs)
{
	for (;;) {
		arch_irq_disable();
		if (need_resched()) {
			arch_irq_enable();
			schedule();
			continue;
		}
		if (signal_pending(current)) {
			arch_irq_enable();
			do_signal(regs);
			continue;
		}
		return;
	}
}

void do_user_trap(struct pt_regs *regs, int sig, int si_code, uintptr_t addr)
{
	if (!user_mode(regs) || !current->user)
		panic_regs(regs, "do_user_trap(signal %d) for a kernel-mode trap", sig);
	if (cmdline_has("strace"))
		printk("[%d/%d] trap: signal %d code %d addr %#lx pc %#lx\n", current_proc()->pid,
		       current->user->tid, sig, si_code, (unsigned long)addr,
		       (unsigned long)arch_regs_pc(regs));
	force_sig_fault(sig, si_code, addr);
}
