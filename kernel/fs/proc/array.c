/*
 * array.c - /proc/<pid>/stat, in Linux's format (fs/proc/array.c,
 * do_task_stat; proc(5)): one line of 52 space-separated fields,
 *
 *   pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
 *   cmajflt utime stime cutime cstime priority nice num_threads itrealvalue
 *   starttime vsize rss rsslim ... exit_code
 *
 * What Faultline keeps is real: pid, comm, state (R, S, Z), ppid, the page
 * faults (minflt/majflt: every thread of the process, live or exited, with
 * Linux's rule "major = VM_FAULT_MAJOR or a retried fault"; cminflt/cmajflt:
 * reaped children), utime (all CPU time, in USER_HZ = 100 ticks; kernel and
 * user time are not told apart, so stime is 0), num_threads, vsize (bytes),
 * rss (pages), exit_signal. There are no process groups or sessions (pgrp
 * and session are the pid), no controlling-terminal tracking (tty_nr 0,
 * tpgid -1) and no nice levels (priority 20, nice 0); the remaining fields
 * are 0, as Linux prints them for fields it does not keep or hides.
 */
#include "internal.h"
#include <task.h>

#define USER_HZ	100

static int show_stat(struct seq_file *m, void *data)
{
	pid_t pid = (pid_t)(uintptr_t)data;
	struct proc_stat st;
	const struct fl_procinfo *pi = &st.info;

	if (fill_proc_stat(pid, &st))
		return 0;		/* gone since the open's lookup: empty */
	seq_printf(m, "%d (%s) %c %d %d %d 0 -1 0 %lu %lu %lu %lu ", pi->pid, pi->comm,
		   pi->state, pi->ppid, pi->pid, pi->pid, st.min_flt, st.cmin_flt, st.maj_flt,
		   st.cmaj_flt);
	seq_printf(m, "%llu 0 0 0 20 0 %d 0 0 %llu %llu ",
		   (unsigned long long)(st.cputime_ns / (1000000000ULL / USER_HZ)), pi->nr_threads,
		   (unsigned long long)pi->vm_pages * PAGE_SIZE, (unsigned long long)pi->rss_pages);
	/* rsslim .. cnswap (13 fields), exit_signal, processor .. exit_code (14 fields) */
	seq_puts(m, "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 ");
	seq_printf(m, "%d 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", st.exit_signal);
	return 0;
}

const struct proc_ops proc_pid_stat_ops = {
	.show = show_stat,
};
