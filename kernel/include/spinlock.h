/*
 * spinlock.h - IRQ-saving spinlocks.
 *
 * spin_lock() disables local interrupts and preemption and records the
 * owner CPU and call site, so a hang can be explained (gdb, panic output).
 * Recursion (taking a lock this CPU already holds) and unlocking a lock
 * this CPU does not hold are detected and panic with both call sites.
 */
#ifndef FAULTLINE_SPINLOCK_H
#define FAULTLINE_SPINLOCK_H

#include <types.h>
#include <lockdep.h>

typedef struct spinlock {
	uint32_t locked;		/* [a] 0 free, 1 held */
	int owner_cpu;			/* [a] CPU holding it, -1 if free */
	unsigned long saved_irq;	/* [owner] IRQ state to restore on unlock */
	uintptr_t owner_pc;		/* [owner] call site of the acquisition */
	const char *name;		/* [I] */
	struct lock_class_key lockdep;	/* [I] lock-order checker identity (debug builds) */
} spinlock_t;

#define SPINLOCK_INIT(n) { .locked = 0, .owner_cpu = -1, .name = (n), \
			   .lockdep = LOCK_CLASS_KEY_INIT(n) }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT(#x)

void spin_lock_init(spinlock_t *lock, const char *name);
void spin_lock(spinlock_t *lock);		/* IRQs and preemption off until unlock */
bool spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
bool spin_is_locked_by_me(const spinlock_t *lock);

#define assert_spin_locked(l) BUG_ON(!spin_is_locked_by_me(l))

#endif
