/*
 * oom_kill.c - the out-of-memory killer: which process dies when a page fault
 * finds no free page (Linux's mm/oom_kill.c, in small).
 *
 * Theory of operation
 * -------------------
 * select_bad_process() scores every live process that has an address space
 * with oom_badness(): its resident pages (get_mm_rss; Linux adds swap entries
 * and page-table pages, Faultline has neither worth counting). init (pid 1) is
 * never chosen, nor is a zombie. If some process is already dying
 * (group_exit set, memory not yet back), nobody new is killed: its memory is
 * on the way, the faulting thread waits and tries again (Linux aborts the
 * selection the same way for an exiting OOM victim). The highest score gets
 * SIGKILL. Its pages come back when its last thread's exit_mm() drops the mm,
 * which do_exit() does before the parent is told (exit.c), so a parent that
 * reaps the victim finds the memory free.
 *
 * Locks: tasklist_lock around the scoring and the signal (send_signal_process
 * nests the victim's siglock inside it, as notify_parent does).
 */
#include <task.h>
#include <signal.h>
#include <mmap.h>
#include <printk.h>
#include <page_alloc.h>
#include <oom.h>
#include <string.h>

/* Resident pages of p, or -1: never a victim. Locks: tasklist_lock. */
static long oom_badness(struct process *p)
{
	if (p == init_process || p->state != PROC_ALIVE || !p->mm)
		return -1;
	return (long)get_mm_rss(p->mm);
}

/* The process to kill, NULL if none, or OOM_DYING if one is already exiting.
 * Locks: tasklist_lock. */
static struct process *select_bad_process(long *points)
{
	struct process *p, *chosen = NULL;
	long best = -1;

	list_for_each_entry(p, &proc_list, all_node) {
		long score = oom_badness(p);

		if (score < 0)
			continue;
		if (READ_ONCE(p->group_exit))
			return OOM_DYING;
		if (score > best) {
			best = score;
			chosen = p;
		}
	}
	*points = best;
	return chosen;
}

enum oom_result out_of_memory(void)
{
	struct sigqueue_info info = { .pid = 0 };
	struct process *victim;
	enum oom_result ret;
	long points = 0;

	spin_lock(&tasklist_lock);
	victim = select_bad_process(&points);
	if (victim == OOM_DYING) {
		ret = OOM_WAIT;
	} else if (!victim) {
		printk("Out of memory: no process to kill but the faulting one, '%s' (%lu of %lu "
		       "pages free)\n", current->name, nr_free_pages(), nr_total_pages());
		ret = OOM_KILL_CURRENT;		/* only init is left, and it is the one faulting */
	} else {
		char comm[TASK_COMM_LEN];

		spin_lock(&victim->lock);
		memcpy(comm, victim->comm, sizeof(comm));
		spin_unlock(&victim->lock);
		printk("Out of memory: killed process %d (%s), %ld pages resident (%lu of %lu "
		       "pages free)\n", victim->pid, comm, points, nr_free_pages(),
		       nr_total_pages());
		send_signal_process(victim, SIGKILL, &info);
		ret = victim == current_proc() ? OOM_KILL_CURRENT : OOM_KILLED_OTHER;
	}
	spin_unlock(&tasklist_lock);
	return ret;
}
