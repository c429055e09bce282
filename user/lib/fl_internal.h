/*
 * fl_internal.h - what user/lib's files share. Not for programs (they use <faultline.h>).
 *
 * Two kinds of C files live in user/lib:
 *   kabi.c    sees only the kernel's headers (<faultline/...>, Linux values);
 *   the rest  see newlib's headers (<errno.h>, <fcntl.h>, <sys/stat.h>: newlib values).
 * Names like EPERM or O_CREAT mean different numbers in the two worlds, so they never meet in
 * one file: kabi.c exports the Linux values in the order of abi_names.h, and errno.c pairs
 * them with newlib's values of the same names.
 */
#ifndef FL_INTERNAL_H
#define FL_INTERNAL_H

#include <faultline/unistd.h>

/* Raw system call (arch/<arch>/syscall.S): result, or -errno with Linux's numbering. */
long __fl_syscall(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
long __fl_clone(int (*fn)(void *), void *stack_top, unsigned long flags, void *arg,
		int *parent_tid, void *tls, int *child_tid);
void __fl_restore_rt(void);
void *__fl_get_tp(void);

#define SYS0(nr)		__fl_syscall(nr, 0, 0, 0, 0, 0, 0)
#define SYS1(nr, a)		__fl_syscall(nr, (long)(a), 0, 0, 0, 0, 0)
#define SYS2(nr, a, b)		__fl_syscall(nr, (long)(a), (long)(b), 0, 0, 0, 0)
#define SYS3(nr, a, b, c)	__fl_syscall(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define SYS4(nr, a, b, c, d) \
	__fl_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define SYS6(nr, a, b, c, d, e, f) \
	__fl_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Kernel results in [-4095, -1] are errors. */
static inline int fl_is_err(long r)
{
	return (unsigned long)r > -4096UL;
}

/* errno.c: kernel result -> C result (-1 with errno set, newlib's numbering). */
long fl_ret(long r);
int fl_errno_from_linux(int linux_errno);
int fl_oflags_to_linux(int newlib_flags);

/* kabi.c: tables in abi_names.h order, and stat in a layout both worlds can read. */
extern const int fl_linux_errno[];
extern const int fl_linux_oflag[];
extern const int fl_nr_errno, fl_nr_oflag;

struct fl_kstat {
	unsigned long dev, ino, rdev, nlink, uid, gid, mode;
	long size, blksize, blocks;
	long atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
};
long fl_kstat_path(const char *path, struct fl_kstat *out);	/* 0 or -errno (Linux) */
long fl_kstat_fd(int fd, struct fl_kstat *out);

/* tls.c / pthread.c: the thread control block, pointed to by the thread pointer. */
struct _reent;
struct fl_thread {
	struct fl_thread *self;		/* must stay first: x86_64 reads it as %fs:0 */
	struct _reent	*reent;		/* newlib's per-thread state (errno, ...) */
	int		tid;		/* kernel thread id */
	volatile int	ctid;		/* == tid while alive; the kernel zeroes it at exit */
	unsigned int	slot;		/* index in the thread table: the pthread_t */
	int		detached;	/* [a] 0 joinable, 1 detached */
	void		*(*start)(void *);
	void		*arg;
	void		*result;
	void		*map;		/* mmap'd block holding stack and this struct */
	unsigned long	map_size;
};
extern int fl_tls_ready;	/* set once the main thread's TCB is installed */
struct fl_thread *fl_self(void);
void fl_tls_init_main(void);

/*
 * lock.c: a futex mutex on one 32-bit word (0 free, 1 locked, 2 locked with waiters), used by
 * newlib's locks and by pthread_mutex_t. private: the word is not shared with other processes.
 */
void fl_mutex_lock(volatile unsigned int *word);
int fl_mutex_trylock(volatile unsigned int *word);	/* 0 or EBUSY */
void fl_mutex_unlock(volatile unsigned int *word);
long fl_futex_wait(volatile unsigned int *word, unsigned int val, const void *timeout);
long fl_futex_wake(volatile unsigned int *word, int n);

/* start.c */
extern unsigned long *fl_auxv;

#endif
