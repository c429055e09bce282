/* host.h - between the kernel-side and libc-side halves of the host suite. */
#ifndef HOST_SYNC_H
#define HOST_SYNC_H

#include "../common/host.h"	/* the libc side: ../common/driver.c */

void host_cpu_enter(int cpu);

#endif
