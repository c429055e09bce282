/* Host stand-in for <sched.h> until the scheduler's header exists (kernel/include wins). */
#ifndef FAULTLINE_SCHED_H
#define FAULTLINE_SCHED_H
#include <types.h>
struct thread;
struct thread *kthread_run(void (*fn)(void *), void *arg, const char *name);
void msleep(unsigned int ms);
#endif
