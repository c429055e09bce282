/*
 * futex.h - fast user-space mutexes (kernel/task/futex.c).
 *
 * A futex is a 32-bit word in user memory; FUTEX_WAIT sleeps while *uaddr == val and
 * FUTEX_WAKE wakes sleepers on the same word. The kernel keeps no state for a futex
 * without sleepers. Keys: a waiter is found by (mm, user address), for the _PRIVATE and
 * the shared forms alike. That matches every waiter that shares the caller's address
 * space (threads, and exit's CLONE_CHILD_CLEARTID wake); a futex in a MAP_SHARED page
 * used by two processes is not matched (docs/processes.md §futex; keying shared futexes
 * by physical page needs a page lookup from vm).
 */
#ifndef FAULTLINE_FUTEX_H
#define FAULTLINE_FUTEX_H

#include <types.h>

struct mm_struct;

union futex_key {
	struct {
		uintptr_t mm;		/* the address space (struct mm_struct *) */
		uintptr_t address;	/* user address of the word */
	} private;
	struct {
		uintptr_t word0, word1;	/* compared as a whole */
	} both;
};

/* The key for uaddr in mm, or -EINVAL (misaligned). */
int get_futex_key(struct mm_struct *mm, uintptr_t uaddr, bool shared, union futex_key *key);
bool match_futex(const union futex_key *a, const union futex_key *b);
/* Wake up to nr waiters on key; returns how many. Sleeps: no. */
int futex_wake_key(const union futex_key *key, int nr);
/* exit: CLONE_CHILD_CLEARTID wake of one waiter on uaddr in mm. */
int futex_wake(struct mm_struct *mm, uint32_t *uaddr, int nr);

#endif
