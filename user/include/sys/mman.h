/* sys/mman.h - mmap and friends; flag values from <faultline/mman.h> (Linux's). */
#ifndef FL_SYS_MMAN_H
#define FL_SYS_MMAN_H

#include <sys/types.h>
#include <faultline/mman.h>

#define MAP_FAILED ((void *)-1)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int msync(void *addr, size_t len, int flags);	/* MS_ASYNC, MS_SYNC, MS_INVALIDATE */

#endif
