/*
 * lock.c - futex mutexes, and the lock functions newlib calls (configured with
 * --enable-newlib-retargetable-locking) so malloc, stdio and atexit are thread safe.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <faultline/futex.h>
#include "fl_internal.h"

long fl_futex_wait(volatile unsigned int *word, unsigned int val, const void *timeout)
{
	return SYS4(__NR_futex, word, FUTEX_WAIT_PRIVATE, val, timeout);
}

long fl_futex_wake(volatile unsigned int *word, int n)
{
	return SYS4(__NR_futex, word, FUTEX_WAKE_PRIVATE, n, 0);
}

static unsigned int cas(volatile unsigned int *w, unsigned int old, unsigned int new)
{
	__atomic_compare_exchange_n(w, &old, new, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	return old;
}

int fl_mutex_trylock(volatile unsigned int *word)
{
	return cas(word, 0, 1) == 0 ? 0 : EBUSY;
}

/* Once anyone waits, the word stays 2 until an unlock hands it over, so unlock wakes. */
void fl_mutex_lock(volatile unsigned int *word)
{
	unsigned int c = cas(word, 0, 1);

	if (c == 0)
		return;
	if (c != 2)
		c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
	while (c != 0) {
		fl_futex_wait(word, 2, 0);
		c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
	}
}

void fl_mutex_unlock(volatile unsigned int *word)
{
	if (__atomic_fetch_sub(word, 1, __ATOMIC_RELEASE) != 1) {
		__atomic_store_n(word, 0, __ATOMIC_RELEASE);
		fl_futex_wake(word, 1);
	}
}

/* newlib's lock object. [a] atomic  [O] only the owner writes (others only compare owner) */
struct __lock {
	volatile unsigned int word;	/* [a] fl_mutex_* state */
	struct fl_thread *owner;	/* [O] holder, for recursive locks */
	unsigned int depth;		/* [O] recursion depth */
};

/* newlib's static locks. */
struct __lock __lock___sinit_recursive_mutex, __lock___sfp_recursive_mutex,
	__lock___atexit_recursive_mutex, __lock___at_quick_exit_mutex,
	__lock___malloc_recursive_mutex, __lock___env_recursive_mutex, __lock___tz_mutex,
	__lock___dd_hash_mutex, __lock___arc4random_mutex;

/* Used when a dynamic lock cannot be allocated: coarser, still correct. */
static struct __lock fallback;

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = calloc(1, sizeof(struct __lock));
	if (!*lock)
		*lock = &fallback;
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	if (lock != &fallback)
		free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	__retarget_lock_close(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	fl_mutex_lock(&lock->word);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return fl_mutex_trylock(&lock->word) == 0;
}

void __retarget_lock_release(_LOCK_T lock)
{
	fl_mutex_unlock(&lock->word);
}

/* owner is read by non-owners (to learn they are not it), so it is accessed atomically. */
static int owned_by_me(_LOCK_T lock, struct fl_thread *me)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == me;
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	struct fl_thread *me = fl_self();

	if (!owned_by_me(lock, me)) {
		fl_mutex_lock(&lock->word);
		__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
	}
	lock->depth++;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	struct fl_thread *me = fl_self();

	if (!owned_by_me(lock, me)) {
		if (fl_mutex_trylock(&lock->word))
			return 0;
		__atomic_store_n(&lock->owner, me, __ATOMIC_RELAXED);
	}
	lock->depth++;
	return 1;
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (--lock->depth)
		return;
	__atomic_store_n(&lock->owner, NULL, __ATOMIC_RELAXED);
	fl_mutex_unlock(&lock->word);
}
