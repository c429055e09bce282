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
#include <mmap.h>

void *kmalloc(size_t n) { return malloc(n); }
void *kzalloc(size_t n) { return calloc(1, n); }
void kfree(const void *p) { free((void *)p); }
bool rwsem_is_locked(struct rw_semaphore *s) { (void)s; return true; }
bool rwsem_is_write_locked_by_me(struct rw_semaphore *s) { (void)s; return true; }

/* Single-threaded: no reader can be inside, so a grace period is "now",
 * and attach/detach are the bare reference-count changes. */
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head)) { func(head); }
void vma_mark_attached(struct vm_area_struct *vma) { atomic_set(&vma->vm_refcnt, 1); }
void vma_mark_detached(struct vm_area_struct *vma) { atomic_set(&vma->vm_refcnt, 0); }

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
