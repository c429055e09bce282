/*
 * test_vma.c - the VMA set (kernel/mm/vma.c) against a model.
 *
 * The model is one owner pointer per page of a small address space. Random
 * operations (insert, remove, split, merge, lookup, gap search) are applied
 * to both; after each one the set must list exactly the model's VMAs in
 * order, and every answer must match the model's. Each seed is one test.
 * Ends with "vma: N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmap.h>

#define NP	512			/* pages in the modelled space */
#define BASE	0x10000000UL
#define PG(a)	(((a) - BASE) >> PAGE_SHIFT)
#define ADDR(p)	(BASE + ((unsigned long)(p) << PAGE_SHIFT))

static struct vma_set set;
static struct vm_area_struct *owner[NP];
static int failed_checks;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		failed_checks++;					\
		return;							\
	}								\
} while (0)

static unsigned int rnd(unsigned int n)
{
	return (unsigned int)(random() % n);
}

static struct vm_area_struct *new_vma(unsigned int p, unsigned int n, unsigned long flags,
				      unsigned long pgoff)
{
	struct vm_area_struct *v = calloc(1, sizeof(*v));

	v->vm_start = ADDR(p);
	v->vm_end = ADDR(p + n);
	v->vm_flags = flags;
	v->vm_pgoff = pgoff;
	INIT_LIST_HEAD(&v->anon_vma_node);
	return v;
}

static void set_owner(struct vm_area_struct *v)
{
	for (unsigned long a = v->vm_start; a < v->vm_end; a += PAGE_SIZE)
		owner[PG(a)] = v;
}

/* The set lists exactly the model's VMAs, in order, with consistent fields. */
static void check_invariants(void)
{
	struct vm_area_struct *v = vma_set_find(&set, 0), *prev = NULL;
	unsigned int n = 0, p;

	for (p = 0; p < NP; p++) {
		if (!owner[p] || (p && owner[p - 1] == owner[p]))
			continue;
		CHECK(v == owner[p]);
		CHECK(v->vm_start == ADDR(p) && v->vm_start < v->vm_end);
		CHECK(!prev || prev->vm_end <= v->vm_start);
		CHECK(atomic_read(&v->vm_refcnt) == 1);
		prev = v;
		v = vma_set_find(&set, v->vm_end);
		n++;
	}
	CHECK(v == NULL);
	CHECK(vma_set_count(&set) == n);
}

static void op_insert(void)
{
	unsigned int p = rnd(NP), n = 1 + rnd(MIN(32u, NP - p));
	unsigned long flags = rnd(2) ? VM_READ | VM_WRITE : VM_READ;
	unsigned long pgoff = rnd(8) ? p : p + 1000;	/* mostly contiguous, like anon */
	struct vm_area_struct *v = new_vma(p, n, flags, pgoff);
	bool overlap = false;
	int ret;

	for (unsigned int i = p; i < p + n; i++)
		overlap |= owner[i] != NULL;
	ret = vma_set_insert(&set, v);
	CHECK(ret == (overlap ? -EEXIST : 0));
	if (ret)
		free(v);
	else
		set_owner(v);
}

static struct vm_area_struct *random_vma(void)
{
	unsigned int p = rnd(NP), i;

	for (i = 0; i < NP; i++)
		if (owner[(p + i) % NP])
			return owner[(p + i) % NP];
	return NULL;
}

static void op_remove(void)
{
	struct vm_area_struct *v = random_vma();

	if (!v)
		return;
	CHECK(vma_set_remove(&set, v) == 0);
	CHECK(atomic_read(&v->vm_refcnt) == 0);
	for (unsigned long a = v->vm_start; a < v->vm_end; a += PAGE_SIZE)
		owner[PG(a)] = NULL;
	free(v);
}

static void op_split(void)
{
	struct vm_area_struct *v = random_vma(), *tail;
	unsigned long pages, k, end, pgoff;

	if (!v || (pages = vma_pages(v)) < 2)
		return;
	k = 1 + rnd((unsigned int)pages - 1);
	end = v->vm_end;
	pgoff = v->vm_pgoff;
	tail = malloc(sizeof(*tail));
	CHECK(vma_set_split(&set, v, v->vm_start + k * PAGE_SIZE, tail) == 0);
	CHECK(v->vm_end == v->vm_start + k * PAGE_SIZE && tail->vm_start == v->vm_end);
	CHECK(tail->vm_end == end && tail->vm_pgoff == pgoff + k && v->vm_pgoff == pgoff);
	CHECK(tail->vm_flags == v->vm_flags);
	set_owner(tail);
}

static void op_merge(void)
{
	struct vm_area_struct *v = random_vma(), *next;
	bool expect;

	if (!v || PG(v->vm_end) >= NP || !(next = owner[PG(v->vm_end)]))
		return;
	expect = v->vm_flags == next->vm_flags && v->vm_pgoff + vma_pages(v) == next->vm_pgoff;
	CHECK(vma_mergeable(v, next) == expect);
	if (!expect)
		return;
	CHECK(vma_set_merge(&set, v, next) == 0);
	CHECK(v->vm_end == next->vm_end);
	set_owner(v);
	free(next);
}

static void op_lookup(void)
{
	unsigned long addr = BASE - 2 * PAGE_SIZE + rnd((NP + 4) * PAGE_SIZE);
	struct vm_area_struct *want = NULL;
	unsigned int p = addr < BASE ? 0 : (unsigned int)PG(addr);

	for (; p < NP && !want; p++)
		want = owner[p];
	CHECK(vma_set_find(&set, addr) == want);
}

/* Highest page-aligned start in [low, high) of len free pages, model side. */
static unsigned long model_gap(unsigned int low, unsigned int high, unsigned int len)
{
	for (int s = (int)high - (int)len; s >= (int)low; s--) {
		unsigned int i;

		for (i = 0; i < len && !owner[s + i]; i++)
			;
		if (i == len)
			return ADDR(s);
	}
	return 0;
}

static void op_gap(void)
{
	unsigned int low = rnd(NP), high = low + rnd(NP - low + 1), len = 1 + rnd(40);

	CHECK(vma_set_find_gap(&set, ADDR(low), ADDR(high), len * PAGE_SIZE) ==
	      model_gap(low, high, len));
}

static void reset(void)
{
	struct vm_area_struct *v;

	while ((v = random_vma()) != NULL) {
		vma_set_remove(&set, v);
		for (unsigned long a = v->vm_start; a < v->vm_end; a += PAGE_SIZE)
			owner[PG(a)] = NULL;
		free(v);
	}
	vma_set_destroy(&set);
}

static bool run_seed(unsigned int seed, unsigned int ops)
{
	static void (*const fns[])(void) = { op_insert, op_insert, op_remove, op_split,
					     op_merge, op_merge, op_lookup, op_gap };
	int before = failed_checks;

	srandom(seed);
	for (unsigned int i = 0; i < ops && failed_checks == before; i++) {
		fns[rnd(ARRAY_SIZE(fns))]();
		check_invariants();
	}
	reset();
	return failed_checks == before;
}

/* A few directed cases the random walk reaches only by luck. */
static bool directed(void)
{
	int before = failed_checks;
	struct vm_area_struct *a = new_vma(10, 4, VM_READ, 10), *b = new_vma(14, 2, VM_READ, 14);
	struct vm_area_struct *bad = new_vma(13, 2, VM_READ, 13);

	if (vma_set_insert(&set, a) || vma_set_insert(&set, b))
		failed_checks++;
	if (vma_set_insert(&set, bad) != -EEXIST)	/* overlaps both */
		failed_checks++;
	if (vma_set_find(&set, ADDR(14) - 1) != a || vma_set_find(&set, ADDR(14)) != b ||
	    vma_set_find(&set, ADDR(16)) != NULL)
		failed_checks++;
	if (vma_set_find_gap(&set, ADDR(10), ADDR(16), PAGE_SIZE) != 0 ||
	    vma_set_find_gap(&set, ADDR(0), ADDR(16), 10 * PAGE_SIZE) != ADDR(0))
		failed_checks++;
	b->vm_flags |= VM_GROWSDOWN;			/* guard gap below a stack */
	if (vma_set_find_gap(&set, ADDR(0), ADDR(1000), PAGE_SIZE) != ADDR(999))
		failed_checks++;
	set_owner(a);
	set_owner(b);
	free(bad);
	reset();
	return failed_checks == before;
}

int main(void)
{
	unsigned int passed = 0, failed = 0, seed;

	if (directed())
		passed++;
	else
		failed++;
	for (seed = 1; seed <= 16; seed++) {
		if (run_seed(seed, 4000))
			passed++;
		else {
			printf("FAIL vma seed %u\n", seed);
			failed++;
		}
	}
	printf("vma: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
