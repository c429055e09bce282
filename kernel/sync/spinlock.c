/*
 * spinlock.c - IRQ-saving spinlocks with owner tracking.
 *
 * Acquire order: IRQs off, preempt_count++, recursion check, lockdep check
 * (before spinning, so an inversion is reported instead of hanging), spin,
 * record owner. Release undoes it and may reschedule if it re-enabled IRQs
 * with a reschedule pending. spin_lock_keep_irqs() skips the first step (the
 * holder and the spinners stay interruptible, so they answer IPIs).
 */
#include <spinlock.h>
#include <cpu.h>
#include <printk.h>

void raw_spin_lock(raw_spinlock_t *l)
{
	while (!raw_spin_trylock(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

void __spin_lock_init(spinlock_t *lock, const char *name, const struct lock_class_key *key)
{
	lock->locked = 0;
	lock->owner = 0;
	lock->saved_irq = 0;
	lock->owner_pc = 0;
	lock->name = name;
	lockdep_init_map(&lock->dep, name, key);
}

static void __noreturn spin_bug(const spinlock_t *l, const char *what, uintptr_t ip)
{
	panic("spinlock '%s' (%p): %s at 0x%lx; held by cpu%d, taken at 0x%lx",
	      l->name ? l->name : "?", (const void *)l, what, (unsigned long)ip,
	      spin_owner_cpu(l), (unsigned long)l->owner_pc);
}

/* The misuse checks, kept apart from the lock paths so tests can run them.
 * Each returns what is wrong, or NULL. */
const char *spin_check_acquire(const spinlock_t *l, unsigned int cpu)
{
	return spin_owner_cpu(l) == (int)cpu ? "recursive acquisition" : NULL;
}

const char *spin_check_release(const spinlock_t *l, unsigned int cpu)
{
	if (spin_owner_cpu(l) != (int)cpu || !spin_is_locked(l))
		return "unlock by a CPU that does not hold it";
	return NULL;
}

static inline bool spin_try_raw(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static void spin_take(spinlock_t *l, unsigned long flags, uintptr_t ip, unsigned int cpu)
{
	__atomic_store_n(&l->owner, cpu + 1, __ATOMIC_RELAXED);
	l->owner_pc = ip;
	l->saved_irq = flags;
}

static void __spin_lock(spinlock_t *l, unsigned int subclass, uintptr_t ip, bool keep_irqs)
{
	unsigned long flags;
	struct cpu *c;
	const char *bug;

	if (keep_irqs) {
		preempt_disable();	/* before this_cpu(): we stay on this CPU */
		flags = arch_irq_save();
		arch_irq_restore(flags);	/* only to know what spin_unlock restores */
		c = this_cpu();
		if (c->irq_depth)
			spin_bug(l, "spin_lock_keep_irqs in interrupt context", ip);
	} else {
		flags = arch_irq_save();
		c = this_cpu();
		c->preempt_count++;
	}
	bug = spin_check_acquire(l, c->id);
	if (bug)
		spin_bug(l, bug, ip);
	lock_acquire(&l->dep, subclass, false, false, ip);
	while (!spin_try_raw(l))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			arch_cpu_relax();
	spin_take(l, flags, ip, c->id);
}

void spin_lock(spinlock_t *lock)
{
	__spin_lock(lock, 0, _RET_IP_, false);
}

void spin_lock_keep_irqs(spinlock_t *lock)
{
	__spin_lock(lock, 0, _RET_IP_, true);
}

void spin_lock_nested(spinlock_t *lock, unsigned int subclass)
{
	__spin_lock(lock, subclass, _RET_IP_, false);
}

bool spin_trylock(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();
	struct cpu *c = this_cpu();

	c->preempt_count++;
	if (!spin_try_raw(l)) {
		c->preempt_count--;
		arch_irq_restore(flags);
		return false;
	}
	lock_acquire(&l->dep, 0, true, false, _RET_IP_);
	spin_take(l, flags, _RET_IP_, c->id);
	return true;
}

void spin_unlock(spinlock_t *l)
{
	unsigned long flags = arch_irq_save();	/* off already, unless spin_lock_keep_irqs */
	struct cpu *c = this_cpu();
	const char *bug = spin_check_release(l, c->id);
	bool resched;

	if (bug)
		spin_bug(l, bug, _RET_IP_);
	lock_release(&l->dep, _RET_IP_);
	flags = l->saved_irq;
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	c->preempt_count--;
	resched = c->preempt_count == 0 && c->irq_depth == 0 &&
		  __atomic_load_n(&c->sched.need_resched, __ATOMIC_RELAXED);
	arch_irq_restore(flags);
	if (resched && arch_irqs_enabled())
		preempt_schedule();
}

bool spin_is_locked_by_me(const spinlock_t *l)
{
	unsigned long flags = arch_irq_save();
	bool mine = spin_is_locked(l) &&
		    spin_owner_cpu(l) == (int)this_cpu()->id;

	arch_irq_restore(flags);
	return mine;
}
