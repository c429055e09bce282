/* sched_types.h - scheduler state embedded in struct cpu (owned by kernel/sched). */
#ifndef FAULTLINE_SCHED_TYPES_H
#define FAULTLINE_SCHED_TYPES_H

#include <spinlock.h>
#include <list.h>

struct cpu_sched {
	spinlock_t lock;		/* protects the fields tagged [R] */
	struct list_head runnable;	/* [R] threads ready to run here */
	bool need_resched;		/* [a] */
};

#endif
