/* host.c - the libc side of tests/host/ext2: output and the kernel log,
 * memory, time, and AddressSanitizer's poisoning (host.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "host.h"
#include "harness.h"

#if defined(__SANITIZE_ADDRESS__)
#define HOST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_ASAN 1
#endif
#endif
#ifdef HOST_ASAN
#include <sanitizer/asan_interface.h>
#endif

static char log_buf[64 * 1024];
static size_t log_len;
int h_verbose;

/* Keep the last lines printed (older ones drop out when it is full). */
void host_log(const char *line)
{
	size_t n = strlen(line);

	if (h_verbose)
		fputs(line, stdout);
	if (n >= sizeof(log_buf))
		return;
	if (log_len + n >= sizeof(log_buf)) {
		memmove(log_buf, log_buf + sizeof(log_buf) / 2, log_len - sizeof(log_buf) / 2);
		log_len -= sizeof(log_buf) / 2;
	}
	memcpy(log_buf + log_len, line, n + 1);
	log_len += n;
}

const char *h_log(void)
{
	log_buf[log_len] = '\0';
	return log_buf;
}

void h_log_clear(void)
{
	log_len = 0;
	log_buf[0] = '\0';
}

void host_panic(const char *msg)
{
	fprintf(stderr, "PANIC: %s\n", msg);
	fflush(stdout);
	abort();
}

void host_exit(int code)
{
	fflush(stdout);
	fflush(stderr);
	_exit(code);
}

unsigned long long host_time_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int host_map_arena(unsigned long base, unsigned long size)
{
	void *p = mmap((void *)base, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)base) {
		perror("mmap arena at PHYS_MAP_BASE");
		return -1;
	}
	return 0;
}

void *host_malloc(size_t size)
{
	return malloc(size);
}

void host_free(void *p)
{
	free(p);
}

void host_poison(void *addr, size_t len)
{
#ifdef HOST_ASAN
	ASAN_POISON_MEMORY_REGION(addr, len);
#else
	(void)addr;
	(void)len;
#endif
}

void host_unpoison(void *addr, size_t len)
{
#ifdef HOST_ASAN
	ASAN_UNPOISON_MEMORY_REGION(addr, len);
#else
	(void)addr;
	(void)len;
#endif
}
