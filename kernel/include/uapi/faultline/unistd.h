/*
 * uapi/faultline/unistd.h - system call numbers, one table for every architecture.
 *
 * Names and argument lists are Linux's (see each line); the numbers are Faultline's own and
 * dense so the kernel can index an array. Unlisted or out-of-range numbers return -ENOSYS.
 *
 * Calling convention (as on Linux for each architecture):
 *   x86_64   `syscall`  number in rax; args rdi rsi rdx r10 r8 r9; result in rax.
 *            The CPU clobbers rcx and r11; every other register is preserved.
 *   arm64    `svc #0`   number in x8;  args x0..x5;               result in x0.
 *   riscv64  `ecall`    number in a7;  args a0..a5;               result in a0.
 *   On arm64 and riscv64 every register other than the result is preserved.
 * A result in [-4095, -1] is -errno (uapi/faultline/errno.h); anything else is success.
 * User code may use the FP/SIMD registers: the kernel saves and restores them per thread.
 */
#ifndef _UAPI_FAULTLINE_UNISTD_H
#define _UAPI_FAULTLINE_UNISTD_H

/* Files (the tty is fd 0, 1, 2 of init). */
#define __NR_read		0	/* (int fd, void *buf, size_t n) -> bytes */
#define __NR_write		1	/* (int fd, const void *buf, size_t n) -> bytes */
#define __NR_open		2	/* (const char *path, int flags, mode_t mode) -> fd */
#define __NR_close		3	/* (int fd) */
#define __NR_lseek		4	/* (int fd, off_t off, int whence) -> new offset */
#define __NR_fstat		5	/* (int fd, struct stat *st) */
#define __NR_stat		6	/* (const char *path, struct stat *st) */
#define __NR_getdents64		7	/* (int fd, struct linux_dirent64 *d, size_t n) -> bytes */
#define __NR_pipe		8	/* (int fds[2]) */
#define __NR_dup		9	/* (int fd) -> fd */
#define __NR_dup2		10	/* (int old, int new) -> new */
/* Memory. */
#define __NR_mmap		11	/* (void *addr, size_t len, int prot, int flags, int fd, off_t off) */
#define __NR_munmap		12	/* (void *addr, size_t len) */
#define __NR_mprotect		13	/* (void *addr, size_t len, int prot) */
#define __NR_brk		14	/* (void *addr) -> new break (the old one if addr is refused) */
/* Processes and threads. */
#define __NR_clone		15	/* (flags, void *newsp, int *parent_tid, int *child_tid, tls) */
#define __NR_execve		16	/* (const char *path, char *const argv[], char *const envp[]) */
#define __NR_exit		17	/* (int status): this thread only */
#define __NR_exit_group		18	/* (int status): every thread of the process */
#define __NR_wait4		19	/* (pid_t pid, int *status, int options, void *rusage = NULL) */
#define __NR_getpid		20	/* () -> thread-group id */
#define __NR_gettid		21	/* () -> thread id */
#define __NR_getppid		22	/* () -> parent's pid */
#define __NR_kill		23	/* (pid_t pid, int sig) */
#define __NR_rt_sigaction	24	/* (int sig, const struct kernel_sigaction *act, oact, size_t 8) */
#define __NR_rt_sigprocmask	25	/* (int how, const u64 *set, u64 *oset, size_t 8) */
#define __NR_rt_sigreturn	26	/* () only from the sa_restorer trampoline */
#define __NR_nanosleep		27	/* (const struct __kernel_timespec *req, rem) */
#define __NR_clock_gettime	28	/* (clockid_t id, struct __kernel_timespec *tp) */
#define __NR_sched_yield	29	/* () */
#define __NR_futex		30	/* (u32 *uaddr, int op, u32 val, const timespec *timeout) */
#define __NR_set_tls		31	/* (void *tp): Faultline; Linux uses arch_prctl etc. */
/* Working directory and system. */
#define __NR_chdir		32	/* (const char *path) */
#define __NR_getcwd		33	/* (char *buf, size_t size) -> length incl. NUL */
#define __NR_uname		34	/* (struct new_utsname *buf) */
#define __NR_link		35	/* (const char *old, const char *new) */
#define __NR_unlink		36	/* (const char *path) */
/* Faultline's own (uapi/faultline/fl.h). */
#define __NR_fl_vmstat		37	/* (struct fl_vmstat *buf, size_t size) -> bytes filled */
#define __NR_fl_proclist	38	/* (struct fl_procinfo *buf, size_t n) -> entries filled */
/* Page cache (issue 4). */
#define __NR_msync		39	/* (void *addr, size_t len, int flags: MS_*) */

/* Files, continued (issue 4). */
#define __NR_mkdir		40	/* (const char *path, mode_t mode) */
#define __NR_rmdir		41	/* (const char *path) */
#define __NR_rename		42	/* (const char *old, const char *new) */
#define __NR_fsync		43	/* (int fd) */
#define __NR_sync		44	/* () */
#define __NR_truncate		45	/* (const char *path, off_t length) */
#define __NR_ftruncate		46	/* (int fd, off_t length) */
#define __NR_statfs		47	/* (const char *path, struct statfs *buf): uapi statfs.h */
#define __NR_reboot		48	/* (int magic1, int magic2, unsigned int cmd, void *arg) */
#define __NR_pread64		49	/* (int fd, void *buf, size_t n, off_t pos) -> bytes */
#define __NR_pwrite64		50	/* (int fd, const void *buf, size_t n, off_t pos) -> bytes */

#define __NR_syscalls		51

#endif
