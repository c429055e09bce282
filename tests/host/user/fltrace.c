/*
 * fltrace - run Faultline's x86_64 user programs on the Linux host, for checking the user
 * library (crt0, newlib glue, pthreads, sh) before the kernel can run them.
 *
 *   fltrace ROOT PROGRAM [ARG...]
 *
 * The program runs chrooted in ROOT under ptrace; at each system call entry the Faultline
 * number (uapi/faultline/unistd.h) is replaced by Linux's x86_64 one. Both use the same
 * registers, clone argument order and sigaction layout; stat/fstat are done here because
 * Linux x86_64's struct stat differs; set_tls becomes arch_prctl(ARCH_SET_FS);
 * fl_vmstat/fl_proclist have no Linux counterpart and fail with ENOSYS.
 * Needs root (chroot). Exit status: the program's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

/* fl_numbers.c */
extern const long fl_nr_syscalls, fl_nr_stat, fl_nr_fstat, fl_nr_set_tls;
extern const char *const fl_nr_names[];

#define EMULATED	-2	/* done by the tracer at syscall exit */
#define ARCH_SET_FS	0x1002

/* Linux x86_64 number for a Faultline call name; -1 (ENOSYS) if Linux has none. */
static long linux_number(const char *name)
{
	static const struct { const char *name; long nr; } map[] = {
		{ "read", SYS_read }, { "write", SYS_write }, { "open", SYS_open },
		{ "close", SYS_close }, { "lseek", SYS_lseek }, { "fstat", EMULATED },
		{ "stat", EMULATED }, { "getdents64", SYS_getdents64 }, { "pipe", SYS_pipe },
		{ "dup", SYS_dup }, { "dup2", SYS_dup2 }, { "mmap", SYS_mmap },
		{ "munmap", SYS_munmap }, { "mprotect", SYS_mprotect }, { "brk", SYS_brk },
		{ "clone", SYS_clone }, { "execve", SYS_execve }, { "exit", SYS_exit },
		{ "exit_group", SYS_exit_group }, { "wait4", SYS_wait4 },
		{ "getpid", SYS_getpid }, { "gettid", SYS_gettid }, { "getppid", SYS_getppid },
		{ "kill", SYS_kill }, { "rt_sigaction", SYS_rt_sigaction },
		{ "rt_sigprocmask", SYS_rt_sigprocmask }, { "rt_sigreturn", SYS_rt_sigreturn },
		{ "nanosleep", SYS_nanosleep }, { "clock_gettime", SYS_clock_gettime },
		{ "sched_yield", SYS_sched_yield }, { "futex", SYS_futex },
		{ "set_tls", SYS_arch_prctl }, { "chdir", SYS_chdir }, { "getcwd", SYS_getcwd },
		{ "uname", SYS_uname }, { "link", SYS_link }, { "unlink", SYS_unlink },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, name) == 0)
			return map[i].nr;
	return -1;
}

/* Per-tracee state: are we between entry and exit, and of which call. */
#define MAX_TRACEES 8192
static struct { pid_t pid; int in_call; long nr; } tracees[MAX_TRACEES];

static int slot(pid_t pid)
{
	int i = pid % MAX_TRACEES;

	tracees[i].pid = pid;
	return i;
}

/* Faultline's struct stat (uapi/faultline/stat.h), filled from the host's. */
struct fl_stat {
	unsigned long dev, ino;
	unsigned int mode, nlink, uid, gid;
	unsigned long rdev, pad1;
	long size;
	int blksize, pad2;
	long blocks, atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	unsigned int unused[2];
};

static long copy_out(pid_t pid, unsigned long addr, const void *buf, size_t n)
{
	struct iovec local = { (void *)buf, n }, remote = { (void *)addr, n };

	return process_vm_writev(pid, &local, 1, &remote, 1, 0) == (ssize_t)n ? 0 : -EFAULT;
}

static long read_path(pid_t pid, unsigned long addr, char *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct iovec local = { out + i, 1 }, remote = { (void *)(addr + i), 1 };

		if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != 1)
			return -EFAULT;
		if (!out[i])
			return 0;
	}
	return -ENAMETOOLONG;
}

static long put_stat(pid_t pid, const struct stat *st, unsigned long addr)
{
	struct fl_stat k = {
		.dev = st->st_dev, .ino = st->st_ino, .mode = st->st_mode,
		.nlink = (unsigned int)st->st_nlink, .uid = st->st_uid, .gid = st->st_gid,
		.rdev = st->st_rdev, .size = st->st_size, .blksize = (int)st->st_blksize,
		.blocks = st->st_blocks, .atime = st->st_atim.tv_sec,
		.atime_ns = st->st_atim.tv_nsec, .mtime = st->st_mtim.tv_sec,
		.mtime_ns = st->st_mtim.tv_nsec, .ctime = st->st_ctim.tv_sec,
		.ctime_ns = st->st_ctim.tv_nsec,
	};
	return copy_out(pid, addr, &k, sizeof(k));
}

/* stat/fstat of the tracee, resolved through /proc/PID/{root,cwd,fd}. */
static long emulate(pid_t pid, long nr, const struct user_regs_struct *r)
{
	char path[4096], host[4200];
	struct stat st;
	long err;

	if (nr == fl_nr_fstat) {
		snprintf(host, sizeof(host), "/proc/%d/fd/%ld", pid, (long)r->rdi);
	} else {
		if ((err = read_path(pid, r->rdi, path, sizeof(path))) < 0)
			return err;
		snprintf(host, sizeof(host), "/proc/%d/%s/%s", pid,
			 path[0] == '/' ? "root" : "cwd", path);
	}
	if (stat(host, &st) < 0)
		return nr == fl_nr_fstat && errno == ENOENT ? -EBADF : -errno;
	return put_stat(pid, &st, r->rsi);
}

static void on_entry(pid_t pid, int s)
{
	struct user_regs_struct r;
	long nr;

	ptrace(PTRACE_GETREGS, pid, 0, &r);
	nr = (long)r.orig_rax;
	tracees[s].nr = nr;
	r.orig_rax = nr >= 0 && nr < fl_nr_syscalls ? linux_number(fl_nr_names[nr]) : -1;
	if ((long)r.orig_rax == EMULATED)
		r.orig_rax = SYS_getpid;	/* harmless; the result is replaced at exit */
	if (nr == fl_nr_set_tls) {
		r.rsi = r.rdi;
		r.rdi = ARCH_SET_FS;
	}
	ptrace(PTRACE_SETREGS, pid, 0, &r);
}

static int verbose;	/* FLTRACE_VERBOSE=1: log every call */

static void on_exit_call(pid_t pid, int s)
{
	struct user_regs_struct r;
	long nr = tracees[s].nr;

	ptrace(PTRACE_GETREGS, pid, 0, &r);
	if (nr == fl_nr_stat || nr == fl_nr_fstat) {
		r.rax = (unsigned long)emulate(pid, nr, &r);
		ptrace(PTRACE_SETREGS, pid, 0, &r);
	}
	if (verbose)
		fprintf(stderr, "[%d] %s(%#llx, %#llx, %#llx) = %lld\n", pid,
			nr >= 0 && nr < fl_nr_syscalls ? fl_nr_names[nr] : "?", r.rdi, r.rsi,
			r.rdx, (long long)r.rax);
}

static void start_child(const char *root, char **argv)
{
	char *env[] = { "PATH=/bin", "HOME=/", NULL };
	struct rlimit as = { 1UL << 30, 1UL << 30 };	/* never eat the host's memory */

	if (chroot(root) < 0 || chdir("/") < 0) {
		fprintf(stderr, "fltrace: chroot %s: %s (needs root)\n", root, strerror(errno));
		_exit(127);
	}
	setrlimit(RLIMIT_AS, &as);
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	raise(SIGSTOP);
	execve(argv[0], argv, env);
	fprintf(stderr, "fltrace: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Translation starts once the first Faultline program is exec'd (not before: our own
 * execve is a Linux one). */
static int started;

static void handle_stop(pid_t pid, int status)
{
	int sig = WSTOPSIG(status), s = slot(pid);

	if (status >> 16 == PTRACE_EVENT_EXEC)
		started = 1;
	if (sig == (SIGTRAP | 0x80)) {
		tracees[s].in_call = !tracees[s].in_call;
		if (started && tracees[s].in_call)
			on_entry(pid, s);
		else if (started)
			on_exit_call(pid, s);
	} else if (status >> 16 || sig == SIGSTOP || sig == SIGTRAP) {
		sig = 0;	/* ptrace events and the initial stops */
	}
	if (sig == (SIGTRAP | 0x80))
		sig = 0;
	ptrace(PTRACE_SYSCALL, pid, 0, sig);
}

int main(int argc, char **argv)
{
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	int status, result = 1;
	pid_t main_pid, pid;

	verbose = getenv("FLTRACE_VERBOSE") != NULL;
	if (argc < 3) {
		fprintf(stderr, "usage: fltrace ROOT PROGRAM [ARG...]\n");
		return 2;
	}
	main_pid = fork();
	if (main_pid == 0)
		start_child(argv[1], argv + 2);
	waitpid(main_pid, &status, 0);
	ptrace(PTRACE_SETOPTIONS, main_pid, 0, opts);
	ptrace(PTRACE_SYSCALL, main_pid, 0, 0);
	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		if (WIFSTOPPED(status)) {
			handle_stop(pid, status);
			continue;
		}
		tracees[pid % MAX_TRACEES].in_call = 0;
		if (pid == main_pid)
			result = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	return result;
}
