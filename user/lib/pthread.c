/*
 * pthread.c - threads on clone() sharing the mm, joined through CLONE_CHILD_CLEARTID: the
 * kernel zeroes fl_thread.ctid and futex-wakes it when the thread is gone, so the joiner
 * knows the stack is no longer in use and can unmap it.
 *
 * Memory of one thread (one anonymous mapping):
 *   [guard page, PROT_NONE][stack ... grows down][struct fl_thread][struct _reent]
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <reent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <faultline/futex.h>
#include <faultline/sched.h>
#include "fl_internal.h"

#define DEFAULT_STACK	(256 * 1024)
#define PAGE		4096UL
#define THREAD_FLAGS	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
			 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

/* The thread table; pthread_t is the index. [T] table_lock  (slot 0 is the main thread) */
static unsigned int table_lock;
static struct fl_thread *table[PTHREAD_THREADS_MAX];

static unsigned long round_page(unsigned long n)
{
	return (n + PAGE - 1) & ~(PAGE - 1);
}

/* Locks: table_lock. The thread is gone (ctid == 0). */
static void thread_free(struct fl_thread *t)
{
	_reclaim_reent(t->reent);	/* buffers newlib allocated for this thread */
	table[t->slot] = NULL;
	munmap(t->map, t->map_size);
}

/* Detached threads cannot unmap their own stack; whoever next scans the table does. */
static void reap_detached(void)
{
	for (int i = 1; i < PTHREAD_THREADS_MAX; i++) {
		struct fl_thread *t = table[i];

		if (t && __atomic_load_n(&t->detached, __ATOMIC_ACQUIRE) &&
		    __atomic_load_n(&t->ctid, __ATOMIC_ACQUIRE) == 0)
			thread_free(t);
	}
}

/* Locks: table_lock. Returns a free slot or -1. */
static int slot_alloc(struct fl_thread *t)
{
	table[0] = table[0] ? table[0] : fl_self();
	reap_detached();
	for (int i = 1; i < PTHREAD_THREADS_MAX; i++) {
		if (!table[i]) {
			table[i] = t;
			return i;
		}
	}
	return -1;
}

static struct fl_thread *thread_alloc(size_t stack)
{
	unsigned long size = PAGE + round_page(stack + sizeof(struct fl_thread) +
					       sizeof(struct _reent));
	char *map = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	struct fl_thread *t;

	if (map == MAP_FAILED)
		return NULL;
	mprotect(map, PAGE, PROT_NONE);		/* stack overflow faults, never corrupts */
	t = (struct fl_thread *)(map + size - sizeof(struct _reent) - sizeof(*t));
	t = (struct fl_thread *)((unsigned long)t & ~15UL);
	memset(t, 0, sizeof(*t));
	t->self = t;
	t->reent = (struct _reent *)(map + size - sizeof(struct _reent));
	_REENT_INIT_PTR(t->reent);
	t->map = map;
	t->map_size = size;
	t->ctid = 1;		/* "alive" until the kernel clears it */
	return t;
}

static int thread_main(void *arg)
{
	struct fl_thread *t = arg;

	pthread_exit(t->start(t->arg));
}

void pthread_exit(void *result)
{
	struct fl_thread *t = fl_self();

	if (t->slot == 0)
		exit(0);	/* the main thread: end the process like returning from main */
	t->result = result;
	for (;;)
		SYS1(__NR_exit, 0);
}

static size_t attr_stack(const pthread_attr_t *attr)
{
	if (!attr || attr->stacksize <= 0)
		return DEFAULT_STACK;
	return (size_t)attr->stacksize;
}

static int thread_start(struct fl_thread *t)
{
	long r;

	fl_mutex_lock(&table_lock);
	r = slot_alloc(t);
	fl_mutex_unlock(&table_lock);
	if (r < 0)
		return EAGAIN;
	t->slot = (unsigned int)r;
	r = __fl_clone(thread_main, (char *)t, THREAD_FLAGS, t, &t->tid, t, (int *)&t->ctid);
	if (fl_is_err(r)) {
		fl_mutex_lock(&table_lock);
		thread_free(t);
		fl_mutex_unlock(&table_lock);
		return fl_errno_from_linux((int)-r);
	}
	return 0;
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg)
{
	struct fl_thread *t;
	int err;

	if (!fl_tls_ready)
		return ENOSYS;	/* the kernel refused set_tls at startup */
	t = thread_alloc(attr_stack(attr));
	if (!t)
		return EAGAIN;
	t->start = start;
	t->arg = arg;
	t->detached = attr && attr->detachstate == PTHREAD_CREATE_DETACHED;
	err = thread_start(t);
	if (err == 0)
		*thread = t->slot;
	return err;
}

static struct fl_thread *lookup(pthread_t id)
{
	if (id == 0 || id >= PTHREAD_THREADS_MAX)
		return NULL;
	return table[id];
}

int pthread_join(pthread_t id, void **result)
{
	struct fl_thread *t = lookup(id);
	int v;

	if (!t || t->detached)
		return t ? EINVAL : ESRCH;
	if (t == fl_self())
		return EDEADLK;
	/* Not FUTEX_PRIVATE: the kernel's CLONE_CHILD_CLEARTID wake is a shared one (Linux's). */
	while ((v = __atomic_load_n(&t->ctid, __ATOMIC_ACQUIRE)) != 0)
		SYS4(__NR_futex, &t->ctid, FUTEX_WAIT, v, NULL);
	if (result)
		*result = t->result;
	fl_mutex_lock(&table_lock);
	thread_free(t);
	fl_mutex_unlock(&table_lock);
	return 0;
}

int pthread_detach(pthread_t id)
{
	struct fl_thread *t = lookup(id);

	if (!t)
		return ESRCH;
	__atomic_store_n(&t->detached, 1, __ATOMIC_RELEASE);
	return 0;
}

pthread_t pthread_self(void)
{
	return fl_self()->slot;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}
