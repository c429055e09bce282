/* mman.c - mmap munmap mprotect msync. */
#include <sys/mman.h>
#include "fl_internal.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = SYS6(__NR_mmap, addr, len, prot, flags, fd, off);

	return fl_ret(r) == -1 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t len)
{
	return fl_ret(SYS2(__NR_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return fl_ret(SYS3(__NR_mprotect, addr, len, prot));
}

int msync(void *addr, size_t len, int flags)
{
	return fl_ret(SYS3(__NR_msync, addr, len, flags));
}
