/* Host stand-in for <smp.h> until the scheduler's header exists (kernel/include wins). */
#ifndef FAULTLINE_SMP_H
#define FAULTLINE_SMP_H
#include <types.h>
void on_each_cpu(void (*fn)(void *), void *arg, bool wait);
#endif
