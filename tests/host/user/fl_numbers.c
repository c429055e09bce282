/* fl_numbers.c - Faultline's syscall numbers for fltrace.c (whose Linux headers also define
 * __NR_* names, so the two sets cannot meet in one file). */
#include "../../../kernel/include/uapi/faultline/unistd.h"

const long fl_nr_syscalls = __NR_syscalls;
const long fl_nr_stat = __NR_stat, fl_nr_fstat = __NR_fstat,
	   fl_nr_set_tls = __NR_set_tls;

/* Linux x86_64 name of each Faultline call, in Faultline's order, as text for fltrace. */
#define N(name) [__NR_##name] = #name
const char *const fl_nr_names[__NR_syscalls] = {
	N(read), N(write), N(open), N(close), N(lseek), N(fstat), N(stat), N(getdents64),
	N(pipe), N(dup), N(dup2), N(mmap), N(munmap), N(mprotect), N(brk), N(clone),
	N(execve), N(exit), N(exit_group), N(wait4), N(getpid), N(gettid), N(getppid), N(kill),
	N(rt_sigaction), N(rt_sigprocmask), N(rt_sigreturn), N(nanosleep), N(clock_gettime),
	N(sched_yield), N(futex), N(set_tls), N(chdir), N(getcwd), N(uname), N(link),
	N(unlink), N(fl_vmstat), N(fl_proclist),
};
