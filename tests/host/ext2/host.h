/* host.h - the libc services (host.c) the kernel-side files of tests/host/ext2 use. */
#ifndef HOST_EXT2_HOST_H
#define HOST_EXT2_HOST_H

#include <stddef.h>

void host_log(const char *line);		/* a printk line: kept for the tests, shown with V=1 */
void host_panic(const char *msg) __attribute__((noreturn));	/* a kernel panic: abort() */
void host_exit(int code) __attribute__((noreturn));
unsigned long long host_time_ns(void);
int host_map_arena(unsigned long base, unsigned long size);	/* 0 or -1 */
void *host_malloc(size_t size);
void host_free(void *p);
void host_poison(void *addr, size_t len);	/* AddressSanitizer: no access until unpoisoned */
void host_unpoison(void *addr, size_t len);

/* shim.c */
void host_kernel_boot(void);
long host_kmalloc_live(void);

#endif
