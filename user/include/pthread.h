/*
 * pthread.h - Faultline's small pthread library (user/lib/pthread.c): threads on clone(),
 * mutexes, condition variables and barriers on futex(). Replaces newlib's <pthread.h> (not
 * enabled for this target); the types come from newlib's <sys/types.h>.
 *
 * Supported: create (attrs: detach state, stack size), join, detach, self, equal, exit;
 * normal (non-recursive) mutexes; condvars (no timed wait); barriers; once.
 * pthread_t is a small index, valid until the thread is joined or, if detached, exits.
 */
#ifndef FL_PTHREAD_H
#define FL_PTHREAD_H

#include <sys/types.h>
#include <sched.h>
#include <time.h>

#define PTHREAD_MUTEX_INITIALIZER	((pthread_mutex_t)0)
#define PTHREAD_COND_INITIALIZER	((pthread_cond_t)0)
#define PTHREAD_ONCE_INIT		{ 1, 0 }
#define PTHREAD_BARRIER_SERIAL_THREAD	(-1)
#define PTHREAD_THREADS_MAX		128
#define PTHREAD_STACK_MIN		16384

typedef struct {
	unsigned int lock;		/* a pthread mutex word */
	unsigned int count;		/* threads per round */
	unsigned int arrived;		/* [lock] arrived this round */
	volatile unsigned int round;	/* [lock] futex word, bumped when a round completes */
} pthread_barrier_t;
typedef struct { int is_initialized; } pthread_barrierattr_t;

int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
		   void *(*start)(void *), void *arg);
int pthread_join(pthread_t thread, void **result);
int pthread_detach(pthread_t thread);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
void pthread_exit(void *result) __attribute__((noreturn));
int pthread_once(pthread_once_t *once, void (*fn)(void));

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr,
			 unsigned int count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);

#endif
