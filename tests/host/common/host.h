/* host.h - the libc services (common/driver.c) the kernel-side files of the host
 * suites may use. The suite provides host_tests_main(argc, argv). */
#ifndef HOST_COMMON_HOST_H
#define HOST_COMMON_HOST_H

#include <types.h>

int host_print(const char *fmt, ...) __printf(1, 2);
int host_vprint(const char *fmt, va_list ap);
void host_exit(int code) __noreturn;
void host_yield(void);
void host_relax(void);
void host_usleep(unsigned int us);
unsigned long long host_time_ns(void);
int host_map_arena(unsigned long base, unsigned long size);	/* 0 or -1 */
/* Run fn(i, arg) for i in [0, n) on n pthreads and wait for them. */
void host_run_threads(int n, void (*fn)(int i, void *arg), void *arg);
/* Start fn(arg) on a new detached pthread. */
void host_start_thread(void (*fn)(void *arg), void *arg);
const char *host_getenv(const char *name);
unsigned long host_strtoul(const char *s);
int host_run_child(int (*fn)(void *), void *arg, unsigned int timeout_s);
int host_tests_main(int argc, char **argv);

#endif
