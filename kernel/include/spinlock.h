/*
 * spinlock.h - IRQ-saving spinlocks.
 *
 * spin_lock() disables local interrupts and preemption, then spins. The
 * holder's CPU and call site are recorded so a hang can be explained (gdb:
 * `p some_lock`, panic output). Taking a lock this CPU already holds, and
 * unlocking a lock this CPU does not hold, panic with both call sites.
 *
 * Rules: never sleep while holding a spinlock; locks may be taken from
 * interrupt handlers (they always run with IRQs off); nest only in the
 * documented order (docs/locks.md) - lockdep checks it in debug builds.
 */
#ifndef FAULTLINE_SPINLOCK_H
#define FAULTLINE_SPINLOCK_H

#include <types.h>
#include <lockdep.h>
#include <printk.h>

/* A bare test-and-set lock: no IRQ handling, no checking. Used by lockdep
 * itself and by code that must work before anything else (printk may). */
typedef struct { uint32_t locked; } raw_spinlock_t;	/* [a] */
#define RAW_SPINLOCK_INIT { 0 }

static inline bool raw_spin_trylock(raw_spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void raw_spin_unlock(raw_spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

void raw_spin_lock(raw_spinlock_t *l);	/* spins with arch_cpu_relax(); IRQs untouched */

/*
 * Locking legend: [a] atomic  [O] written only by the holder
 *                 [I] set at init
 */
typedef struct spinlock {
	uint32_t locked;		/* [a] 0 free, 1 held */
	int owner;			/* [a] 1 + CPU holding it, 0 if free (a zeroed lock is valid) */
	unsigned long saved_irq;	/* [O] IRQ state to restore on unlock */
	uintptr_t owner_pc;		/* [O] call site of the acquisition */
	const char *name;		/* [I] */
	struct lockdep_map dep;		/* [I] lock class for the order checker */
} spinlock_t;

#define SPINLOCK_INIT(n) { .locked = 0, .owner = 0, .name = (n), \
			   .dep = LOCKDEP_MAP_INIT(n) }
#define DEFINE_SPINLOCK(x) spinlock_t x = SPINLOCK_INIT(#x)

void __spin_lock_init(spinlock_t *lock, const char *name,
		      const struct lock_class_key *key);
/* One lock class per call site, as in Linux. */
#define spin_lock_init(lock, name) do {					\
	static struct lock_class_key __key;				\
	__spin_lock_init((lock), (name), &__key);			\
} while (0)

void spin_lock(spinlock_t *lock);		/* IRQs and preemption off until unlock */
/*
 * Preemption off, IRQs left as they are (Linux's plain spin_lock). For locks never
 * taken in interrupt context whose holder must be able to wait for other CPUs - the
 * page-table (PTE) locks: a TLB shootdown under one needs IRQs on, here and on a CPU
 * spinning for the same lock. Released with spin_unlock(). Panics in IRQ context.
 */
void spin_lock_keep_irqs(spinlock_t *lock);
/* Nest a second lock of the same class; subclass (1..3) must follow a fixed order. */
void spin_lock_nested(spinlock_t *lock, unsigned int subclass);
bool spin_trylock(spinlock_t *lock);
void spin_unlock(spinlock_t *lock);
bool spin_is_locked_by_me(const spinlock_t *lock);
/* The misuse checks spin_lock/spin_unlock panic on: what is wrong, or NULL. */
const char *spin_check_acquire(const spinlock_t *lock, unsigned int cpu);
const char *spin_check_release(const spinlock_t *lock, unsigned int cpu);

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}

/* CPU holding the lock, -1 if free (racy unless you hold it). */
static inline int spin_owner_cpu(const spinlock_t *lock)
{
	return __atomic_load_n(&lock->owner, __ATOMIC_RELAXED) - 1;
}

#define assert_spin_locked(l) BUG_ON(!spin_is_locked_by_me(l))

#endif
