/*
 * shim.c - the few kernel services kernel/mm/vma.c needs, on Linux:
 * kmalloc on malloc, panic on abort, and "the caller holds mmap_lock"
 * (the test is single-threaded and plays the lock holder).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <types.h>
#include <rwsem.h>

void *kmalloc(size_t n) { return malloc(n); }
void *kzalloc(size_t n) { return calloc(1, n); }
void kfree(const void *p) { free((void *)p); }
bool rwsem_is_locked(struct rw_semaphore *s) { (void)s; return true; }
bool rwsem_is_write_locked_by_me(struct rw_semaphore *s) { (void)s; return true; }

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}
