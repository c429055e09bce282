/*
 * pthread_sync.c - attributes, mutexes, condition variables, barriers and once, all on the
 * futex mutex of lock.c and on futex words. pthread_mutex_t and pthread_cond_t are newlib's
 * 32-bit types: the mutex is the fl_mutex word, the condvar a sequence number.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>
#include "fl_internal.h"

#define WORD(p) ((volatile unsigned int *)(p))

int pthread_attr_init(pthread_attr_t *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->is_initialized = 1;
	attr->detachstate = PTHREAD_CREATE_JOINABLE;
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
	attr->is_initialized = 0;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
	if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
		return EINVAL;
	attr->detachstate = state;
	return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
	*state = attr->detachstate;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
	if (size < PTHREAD_STACK_MIN || size > INT_MAX)
		return EINVAL;
	attr->stacksize = (int)size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
	*size = (size_t)attr->stacksize;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
	if (attr && attr->recursive)
		return ENOTSUP;		/* only normal mutexes */
	*m = 0;
	return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	return *m ? EBUSY : 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	fl_mutex_lock(WORD(m));
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	return fl_mutex_trylock(WORD(m));
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	fl_mutex_unlock(WORD(m));
	return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
	(void)attr;
	*c = 0;
	return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	(void)c;
	return 0;
}

/*
 * A signal bumps the sequence number, so a waiter that read it before unlocking the mutex
 * cannot miss a wake-up: FUTEX_WAIT returns at once if the number moved. The mutex is then
 * retaken in its "contended" state so that our unlock wakes any other waiters on it.
 */
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	unsigned int seq = __atomic_load_n(WORD(c), __ATOMIC_ACQUIRE);

	fl_mutex_unlock(WORD(m));
	fl_futex_wait(WORD(c), seq, NULL);
	while (__atomic_exchange_n(WORD(m), 2, __ATOMIC_ACQUIRE) != 0)
		fl_futex_wait(WORD(m), 2, NULL);
	return 0;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	__atomic_fetch_add(WORD(c), 1, __ATOMIC_RELEASE);
	fl_futex_wake(WORD(c), 1);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	__atomic_fetch_add(WORD(c), 1, __ATOMIC_RELEASE);
	fl_futex_wake(WORD(c), INT_MAX);
	return 0;
}

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
			 unsigned int count)
{
	(void)attr;
	if (count == 0)
		return EINVAL;
	memset(b, 0, sizeof(*b));
	b->count = count;
	return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
	return b->arrived ? EBUSY : 0;
}

/* The last thread to arrive starts a new round and wakes the others. */
int pthread_barrier_wait(pthread_barrier_t *b)
{
	unsigned int round;

	fl_mutex_lock(&b->lock);
	round = b->round;
	if (++b->arrived == b->count) {
		b->arrived = 0;
		__atomic_store_n(&b->round, round + 1, __ATOMIC_RELEASE);
		fl_mutex_unlock(&b->lock);
		fl_futex_wake(&b->round, INT_MAX);
		return PTHREAD_BARRIER_SERIAL_THREAD;
	}
	fl_mutex_unlock(&b->lock);
	while (__atomic_load_n(&b->round, __ATOMIC_ACQUIRE) == round)
		fl_futex_wait(&b->round, round, NULL);
	return 0;
}

/* init_executed: 0 not run, 1 running, 2 done (the futex word while running). */
int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	volatile unsigned int *w = WORD(&once->init_executed);
	unsigned int expect = 0;

	if (__atomic_compare_exchange_n(w, &expect, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE)) {
		fn();
		__atomic_store_n(w, 2, __ATOMIC_RELEASE);
		fl_futex_wake(w, INT_MAX);
		return 0;
	}
	while ((expect = __atomic_load_n(w, __ATOMIC_ACQUIRE)) == 1)
		fl_futex_wait(w, 1, NULL);
	return 0;
}
