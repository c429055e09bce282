/*
 * lockdep.h - lock-order checker ("lockdep-lite"), active when CONFIG_DEBUG.
 *
 * Every lock embeds a struct lockdep_map naming its *class*. A class is a
 * struct lock_class_key: locks initialised at run time by spin_lock_init(),
 * mutex_init(), init_rwsem()... share one static key per call site (like
 * Linux), statically defined locks (DEFINE_SPINLOCK...) are their own class.
 *
 * Each thread keeps a stack of the locks it holds (IRQ handlers and early
 * boot use a per-CPU stack). Acquiring class B while holding class A records
 * the edge A->B with both call sites. If B->...->A was recorded earlier, the
 * two orders can deadlock: lockdep prints both acquisition sites and the
 * recorded chain, then panics. Trylocks never deadlock: they are pushed but
 * add no edge. Nesting two locks of one class needs an explicit subclass
 * (spin_lock_nested()), as in Linux.
 */
#ifndef FAULTLINE_LOCKDEP_H
#define FAULTLINE_LOCKDEP_H

#include <types.h>

struct lock_class_key {
	char unused;		/* only the address matters */
};

#define LOCKDEP_MAX_HELD	16	/* locks one context may hold at once */
#define LOCKDEP_MAX_SUBCLASS	4

#ifdef CONFIG_DEBUG

/* Locking legend: [I] set at init  [a] atomic (written once under the graph lock) */
struct lockdep_map {
	const struct lock_class_key *key; /* [I] class key; NULL: this map is its own key */
	const char *name;		/* [I] class name printed in reports */
	int class_idx;			/* [a] cached class of subclass 0, 0 = not yet known */
};

/* One entry of a held-lock stack. Only its owning context touches it. */
struct held_lock {
	struct lockdep_map *map;
	uintptr_t ip;			/* call site of the acquisition */
	uint16_t class_idx;
	uint8_t read;			/* shared (reader) acquisition */
	uint8_t trylock;
};

struct held_locks {
	int depth;
	struct held_lock locks[LOCKDEP_MAX_HELD];
};

#define LOCKDEP_MAP_INIT(n)	{ .key = NULL, .name = (n), .class_idx = 0 }

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      const struct lock_class_key *key);
/* Check order, record edges, push. Call BEFORE spinning/sleeping so a
 * deadlock is reported instead of hanging. */
void lock_acquire(struct lockdep_map *map, unsigned int subclass, bool trylock,
		  bool read, uintptr_t ip);
void lock_release(struct lockdep_map *map, uintptr_t ip);
bool lock_is_held(const struct lockdep_map *map);
/* Move a held lock from one stack to another (the run-queue lock crosses a context switch). */
void lockdep_transfer(struct held_locks *from, struct held_locks *to,
		      struct lockdep_map *map);
/* Panic if the current context holds any lock (e.g. before returning to idle). */
void lockdep_assert_none_held(const char *where);
void lockdep_print_held(void);

/* Test hook: report inversions into lockdep_last_report instead of panicking. */
struct lockdep_report {
	int count;			/* inversions seen since boot */
	const char *held_name, *new_name; /* held class A, class B being taken */
	uintptr_t held_ip, new_ip;	/* where A was taken, where B is being taken now */
	uintptr_t prev_from_ip, prev_to_ip; /* first recorded edge of the old B->..->A chain */
};
extern bool lockdep_report_only;
extern struct lockdep_report lockdep_last_report;

#define lockdep_assert_held(m)	BUG_ON(!lock_is_held(m))

#else /* !CONFIG_DEBUG */

struct lockdep_map { };
struct held_locks { };
#define LOCKDEP_MAP_INIT(n)	{ }
static inline void lockdep_init_map(struct lockdep_map *m, const char *n,
				    const struct lock_class_key *k) { }
static inline void lock_acquire(struct lockdep_map *m, unsigned int s, bool t,
				bool r, uintptr_t ip) { }
static inline void lock_release(struct lockdep_map *m, uintptr_t ip) { }
static inline void lockdep_transfer(struct held_locks *f, struct held_locks *t,
				    struct lockdep_map *m) { }
static inline void lockdep_assert_none_held(const char *w) { }
static inline void lockdep_print_held(void) { }
#define lockdep_assert_held(m)	do { } while (0)

#endif /* CONFIG_DEBUG */

#define _RET_IP_	((uintptr_t)__builtin_return_address(0))
#define _THIS_IP_	({ __label__ __here; __here: (uintptr_t)&&__here; })

#endif
