/*
 * oom.h - the out-of-memory killer (kernel/task/oom_kill.c), called by the page-fault
 * path when a user fault found no free page.
 */
#ifndef FAULTLINE_OOM_H
#define FAULTLINE_OOM_H

enum oom_result {
	OOM_KILL_CURRENT,	/* the faulting process is the victim (or the only choice) */
	OOM_KILLED_OTHER,	/* a larger process got SIGKILL: retry the access */
	OOM_WAIT,		/* a process is already dying: retry the access */
};

#define OOM_DYING ((struct process *)1)	/* select_bad_process: someone is exiting */

/* Pick the process with the most resident pages (never init) and SIGKILL it.
 * Sleeps: no. Locks: takes tasklist_lock. */
enum oom_result out_of_memory(void);

#endif
