/* host.h - between the kernel-side and libc-side halves of the host suite. */
#ifndef HOST_SYNC_H
#define HOST_SYNC_H

unsigned long long host_time_ns(void);
void host_run_cpus(int n, void (*fn)(int cpu, void *arg), void *arg);
void host_cpu_enter(int cpu);

#endif
