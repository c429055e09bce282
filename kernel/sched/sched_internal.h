/* sched_internal.h - what the files of kernel/sched share (not a public API). */
#ifndef FAULTLINE_SCHED_INTERNAL_H
#define FAULTLINE_SCHED_INTERNAL_H

#include <sched.h>

extern void *idle_stacks[NR_CPUS];	/* [I] secondary idle stacks, from smp_boot() */

void timers_init_cpu(struct cpu *c);
void calls_init_cpu(struct cpu *c);

#endif
