/*
 * lockdep.c - lockdep-lite: lock classes, held-lock stacks, an order graph.
 *
 * Graph state (classes, adjacency bitmap, edge list) is protected by
 * graph_lock, a raw spinlock taken with IRQs off. Held-lock stacks belong
 * to one context each (a thread, or a CPU's IRQ/early context) and need no
 * lock. this_cpu()->lockdep_recursion keeps lockdep from checking the
 * locks that its own reports take (printk).
 */
#include <lockdep.h>
#include <spinlock.h>
#include <sched.h>
#include <printk.h>

#ifdef CONFIG_DEBUG

#define MAX_CLASSES	256
#define MAX_EDGES	2048
#define WORDS		(MAX_CLASSES / 64)

/* Locking legend: [G] graph_lock */
struct lock_class {
	const struct lock_class_key *key;	/* [G] */
	unsigned int subclass;			/* [G] */
	const char *name;			/* [G] */
};

struct lock_edge {
	uint16_t from, to;			/* [G] class indices */
	uintptr_t from_ip, to_ip;		/* [G] where each was taken when recorded */
};

static raw_spinlock_t graph_lock = RAW_SPINLOCK_INIT;
static struct lock_class classes[MAX_CLASSES];	/* [G] index 0 unused */
static int nr_classes = 1;			/* [G] */
static uint64_t adj[MAX_CLASSES][WORDS];	/* [G] adj[a] bit b: edge a->b */
static struct lock_edge edges[MAX_EDGES];	/* [G] */
static int nr_edges;				/* [G] */
static int dfs_parent[MAX_CLASSES];		/* [G] scratch for find_path() */
static int dfs_stack[MAX_CLASSES];		/* [G] */
static bool lockdep_off;			/* [a] tables full: checking stopped */

bool lockdep_report_only;			/* test switch, see lockdep.h */
struct lockdep_report lockdep_last_report;

static bool lockdep_enter(unsigned long *flags)
{
	struct cpu *c;

	*flags = arch_irq_save();
	c = this_cpu();
	if (c->lockdep_recursion || READ_ONCE(lockdep_off) || READ_ONCE(panic_in_progress)) {
		arch_irq_restore(*flags);
		return false;
	}
	c->lockdep_recursion++;
	return true;
}

static void lockdep_exit(unsigned long flags)
{
	this_cpu()->lockdep_recursion--;
	arch_irq_restore(flags);
}

/* The stack of the running context. IRQs are off. */
static struct held_locks *held_stack(struct cpu *c)
{
	if (c->irq_depth || !c->curr)
		return &c->irq_held;
	return &c->curr->held;
}

void lockdep_init_map(struct lockdep_map *map, const char *name,
		      const struct lock_class_key *key)
{
	map->key = key;
	map->name = name;
	map->class_idx = 0;
}

static void tables_full(const char *what)
{
	WRITE_ONCE(lockdep_off, true);
	printk("lockdep: out of %s; lock-order checking is now OFF. "
	       "Raise MAX_CLASSES/MAX_EDGES in kernel/sync/lockdep.c\n", what);
}

/* Locks: graph_lock. 0 if the table is full. */
static int class_lookup(struct lockdep_map *map, unsigned int subclass)
{
	const struct lock_class_key *key = map->key ? map->key : (const void *)map;

	for (int i = 1; i < nr_classes; i++)
		if (classes[i].key == key && classes[i].subclass == subclass)
			return i;
	if (nr_classes == MAX_CLASSES)
		return 0;
	classes[nr_classes] = (struct lock_class){ key, subclass, map->name };
	return nr_classes++;
}

static int class_of(struct lockdep_map *map, unsigned int subclass)
{
	int idx = subclass ? 0 : __atomic_load_n(&map->class_idx, __ATOMIC_RELAXED);

	if (idx)
		return idx;
	idx = class_lookup(map, subclass);
	if (idx && !subclass)
		__atomic_store_n(&map->class_idx, idx, __ATOMIC_RELAXED);
	return idx;
}

static bool has_edge(int a, int b)
{
	return adj[a][b / 64] & (1ULL << (b % 64));
}

/* Locks: graph_lock. */
static void add_edge(int a, int b, uintptr_t a_ip, uintptr_t b_ip)
{
	if (has_edge(a, b))
		return;
	if (nr_edges == MAX_EDGES) {
		tables_full("edges");
		return;
	}
	adj[a][b / 64] |= 1ULL << (b % 64);
	edges[nr_edges++] = (struct lock_edge){ a, b, a_ip, b_ip };
}

static const struct lock_edge *find_edge(int a, int b)
{
	for (int i = 0; i < nr_edges; i++)
		if (edges[i].from == a && edges[i].to == b)
			return &edges[i];
	return NULL;
}

/* Depth-first search from -> to; dfs_parent[] then holds the path. Locks: graph_lock. */
static bool find_path(int from, int to)
{
	uint64_t seen[WORDS] = { 0 };
	int sp = 0;

	dfs_parent[from] = -1;
	seen[from / 64] |= 1ULL << (from % 64);
	dfs_stack[sp++] = from;
	while (sp) {
		int n = dfs_stack[--sp];

		if (n == to)
			return true;
		for (int m = 1; m < nr_classes; m++) {
			if (!has_edge(n, m) || (seen[m / 64] & (1ULL << (m % 64))))
				continue;
			seen[m / 64] |= 1ULL << (m % 64);
			dfs_parent[m] = n;
			dfs_stack[sp++] = m;
		}
	}
	return false;
}

/* The recorded chain new -> ... -> held, printed edge by edge. Locks: graph_lock. */
static void print_chain(int to, struct lockdep_report *r)
{
	int path[MAX_CLASSES], n = 0;

	for (int x = to; x != -1 && n < MAX_CLASSES; x = dfs_parent[x])
		path[n++] = x;
	for (int i = n - 1; i > 0; i--) {
		const struct lock_edge *e = find_edge(path[i], path[i - 1]);

		if (i == n - 1 && e) {
			r->prev_from_ip = e->from_ip;
			r->prev_to_ip = e->to_ip;
		}
		printk("    '%s' (taken at 0x%lx) then '%s' (taken at 0x%lx)\n",
		       classes[path[i]].name, e ? (unsigned long)e->from_ip : 0UL,
		       classes[path[i - 1]].name, e ? (unsigned long)e->to_ip : 0UL);
	}
}

static const char *ctx_name(struct cpu *c)
{
	if (c->irq_depth || !c->curr)
		return "<irq/early>";
	return c->curr->name;
}

/* Locks: graph_lock. Prints while lockdep_recursion is set. */
static void report_inversion(struct cpu *c, const struct held_lock *h, int cls, uintptr_t ip)
{
	struct lockdep_report *r = &lockdep_last_report;

	r->count++;
	r->held_name = classes[h->class_idx].name;
	r->new_name = classes[cls].name;
	r->held_ip = h->ip;
	r->new_ip = ip;
	r->prev_from_ip = r->prev_to_ip = 0;
	printk("lockdep: possible ABBA deadlock (lock order inversion)\n");
	printk("  '%s' on cpu%u takes '%s' at 0x%lx\n", ctx_name(c), c->id,
	       r->new_name, (unsigned long)ip);
	printk("  while holding '%s', taken at 0x%lx\n", r->held_name, (unsigned long)h->ip);
	printk("  but this order was recorded earlier ('%s' before '%s'):\n",
	       r->new_name, r->held_name);
	print_chain(h->class_idx, r);
	printk("  fix: always take these locks in one order (docs/locks.md)\n");
}

static void report_recursion(struct cpu *c, const struct held_lock *h, uintptr_t ip)
{
	lockdep_last_report.count++;
	printk("lockdep: possible recursive locking of class '%s' by '%s' on cpu%u\n",
	       classes[h->class_idx].name, ctx_name(c), c->id);
	printk("  first taken at 0x%lx, again at 0x%lx; use a subclass (*_nested) "
	       "if the nesting is ordered\n", (unsigned long)h->ip, (unsigned long)ip);
}

/* Check the new class against every held lock; record edges if all is well.
 * Returns true if a problem was reported. Locks: graph_lock. */
static bool check_order(struct cpu *c, struct held_locks *hs, int cls, uintptr_t ip)
{
	for (int i = hs->depth - 1; i >= 0; i--) {
		const struct held_lock *h = &hs->locks[i];

		if (h->class_idx == cls) {
			report_recursion(c, h, ip);
			return true;
		}
		if (find_path(cls, h->class_idx)) {
			report_inversion(c, h, cls, ip);
			return true;
		}
	}
	for (int i = 0; i < hs->depth; i++)
		add_edge(hs->locks[i].class_idx, cls, hs->locks[i].ip, ip);
	return false;
}

static void lockdep_fail(void)
{
	lockdep_print_held();
	if (!lockdep_report_only)
		panic("lockdep: lock order violation (see above)");
}

void lock_acquire(struct lockdep_map *map, unsigned int subclass, bool trylock,
		  bool read, uintptr_t ip)
{
	unsigned long flags;
	struct held_locks *hs;
	struct cpu *c;
	bool bad = false;
	int cls;

	if (!lockdep_enter(&flags))
		return;
	c = this_cpu();
	hs = held_stack(c);
	raw_spin_lock(&graph_lock);
	cls = class_of(map, subclass);
	if (!cls)
		tables_full("classes");
	else if (!trylock)
		bad = check_order(c, hs, cls, ip);
	raw_spin_unlock(&graph_lock);
	if (bad)
		lockdep_fail();
	if (cls && hs->depth == LOCKDEP_MAX_HELD)
		panic("lockdep: more than %d locks held by one context; raise LOCKDEP_MAX_HELD",
		      LOCKDEP_MAX_HELD);
	if (cls)
		hs->locks[hs->depth++] = (struct held_lock){ map, ip, cls, read, trylock };
	lockdep_exit(flags);
}

/* Remove map from hs; false if it was not there. */
static bool held_remove(struct held_locks *hs, const struct lockdep_map *map)
{
	for (int i = hs->depth - 1; i >= 0; i--) {
		if (hs->locks[i].map != map)
			continue;
		for (int j = i; j < hs->depth - 1; j++)
			hs->locks[j] = hs->locks[j + 1];
		hs->depth--;
		return true;
	}
	return false;
}

void lock_release(struct lockdep_map *map, uintptr_t ip)
{
	unsigned long flags;

	if (!lockdep_enter(&flags))
		return;
	if (!held_remove(held_stack(this_cpu()), map) && !READ_ONCE(lockdep_off))
		printk("lockdep: releasing '%s' at 0x%lx, but this context does not hold it\n",
		       map->name, (unsigned long)ip);
	lockdep_exit(flags);
}

void lockdep_transfer(struct held_locks *from, struct held_locks *to,
		      struct lockdep_map *map)
{
	unsigned long flags = arch_irq_save();

	for (int i = from->depth - 1; i >= 0; i--) {
		if (from->locks[i].map != map)
			continue;
		if (to->depth < LOCKDEP_MAX_HELD)
			to->locks[to->depth++] = from->locks[i];
		held_remove(from, map);
		break;
	}
	arch_irq_restore(flags);
}

bool lock_is_held(const struct lockdep_map *map)
{
	unsigned long flags = arch_irq_save();
	struct held_locks *hs = held_stack(this_cpu());
	bool found = false;

	for (int i = 0; i < hs->depth && !found; i++)
		found = hs->locks[i].map == map;
	arch_irq_restore(flags);
	return found || READ_ONCE(lockdep_off);
}

void lockdep_print_held(void)
{
	unsigned long flags = arch_irq_save();
	struct held_locks *hs = held_stack(this_cpu());

	printk("  locks held by this context: %d\n", hs->depth);
	for (int i = 0; i < hs->depth; i++)
		printk("    #%d '%s' taken at 0x%lx%s\n", i, hs->locks[i].map->name,
		       (unsigned long)hs->locks[i].ip, hs->locks[i].read ? " (read)" : "");
	arch_irq_restore(flags);
}

void lockdep_assert_none_held(const char *where)
{
	unsigned long flags = arch_irq_save();
	int depth = held_stack(this_cpu())->depth;

	arch_irq_restore(flags);
	if (depth && !READ_ONCE(lockdep_off)) {
		printk("lockdep: %d lock(s) still held at %s\n", depth, where);
		lockdep_print_held();
		panic("lockdep: locks held at %s", where);
	}
}

#endif /* CONFIG_DEBUG */
