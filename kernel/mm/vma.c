/*
 * vma.c - the ordered set of VMAs of an mm.
 *
 * Theory of operation
 * -------------------
 * An address space holds a few dozen VMAs, looked up on every page fault
 * and changed by mmap/munmap/mprotect/brk. We keep them as a sorted array
 * of pointers (struct vma_array) and search it by bisection: O(log n)
 * lookup, the simplest structure a student can check by eye.
 *
 * The array is never changed in place. A writer (mmap_lock held for
 * write) builds a new array with the change applied and publishes it with
 * a store-release of mm->mm_mt.arr; a reader loads the pointer once
 * (load-acquire) and searches that snapshot. Readers may hold only
 * rcu_read_lock (lock_vma_under_rcu), so the old array - and detached
 * VMAs (vm_area_free) - are freed after a grace period (call_rcu): a
 * reader always sees either the old or the new complete array, and
 * re-checks the VMA it found (vm_refcnt != 0, address inside) after
 * taking the VMA lock. Copying costs O(n) per change, which is fine for
 * the sizes we have; a tree (Linux's maple tree) would only pay off with
 * thousands of VMAs.
 *
 * Every operation allocates its new array first, so on -ENOMEM nothing
 * has changed. Splitting and merging change vm_start/vm_end/vm_pgoff of
 * VMAs that stay in the set: the caller (mmap.c) has write-locked them
 * with vma_start_write(), which waited out their readers. Insertion
 * attaches the VMA (vm_refcnt 0 -> 1) before publishing; removal publishes
 * first, then detaches (waiting for transient readers): a reader that
 * still finds the VMA in an old array sees it detached and walks again.
 *
 * This file knows nothing about page tables, files or anon_vmas; mmap.c
 * handles those. tests/host/vma runs it against a model.
 */
#include <mmap.h>
#include <slab.h>
#include <string.h>

static struct vma_array *set_load(const struct vma_set *set)
{
	return rcu_dereference(((struct vma_set *)set)->arr);
}

static void vma_array_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct vma_array, rcu));
}

/* Publish a new array; free the old one after an RCU grace period. */
static void set_publish(struct vma_set *set, struct vma_array *arr)
{
	struct vma_array *old = set->arr;

	if (arr && arr->nr == 0) {
		kfree(arr);
		arr = NULL;
	}
	rcu_assign_pointer(set->arr, arr);
	if (old)
		call_rcu(&old->rcu, vma_array_free_rcu);
}

/* Index of the first VMA with vm_end > addr (== nr if none). */
static unsigned int arr_search(const struct vma_array *arr, unsigned long addr)
{
	unsigned int lo = 0, hi = arr ? arr->nr : 0;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (__atomic_load_n(&arr->v[mid]->vm_end, __ATOMIC_RELAXED) > addr)	/* lockless readers */
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Index of vma in arr, or -1. */
static int arr_index(const struct vma_array *arr, const struct vm_area_struct *vma)
{
	unsigned int i = arr_search(arr, vma->vm_start);

	return arr && i < arr->nr && arr->v[i] == vma ? (int)i : -1;
}

/*
 * A copy of arr with v[idx, idx+nr_del) replaced by ins[0, nr_ins).
 * NULL if out of memory.
 */
static struct vma_array *arr_splice(const struct vma_array *arr, unsigned int idx,
				    unsigned int nr_del, struct vm_area_struct **ins,
				    unsigned int nr_ins)
{
	unsigned int old_nr = arr ? arr->nr : 0;
	unsigned int nr = old_nr - nr_del + nr_ins;
	struct vma_array *n = kmalloc(sizeof(*n) + MAX(nr, 1u) * sizeof(n->v[0]));

	if (!n)
		return NULL;
	n->nr = nr;
	if (idx)
		memcpy(n->v, arr->v, idx * sizeof(n->v[0]));
	if (nr_ins)
		memcpy(n->v + idx, ins, nr_ins * sizeof(n->v[0]));
	if (old_nr > idx + nr_del)
		memcpy(n->v + idx + nr_ins, arr->v + idx + nr_del,
		       (old_nr - idx - nr_del) * sizeof(n->v[0]));
	return n;
}

struct vm_area_struct *vma_set_find(const struct vma_set *set, unsigned long addr)
{
	const struct vma_array *arr = set_load(set);
	unsigned int i = arr_search(arr, addr);

	return arr && i < arr->nr ? arr->v[i] : NULL;
}

unsigned int vma_set_count(const struct vma_set *set)
{
	const struct vma_array *arr = set_load(set);

	return arr ? arr->nr : 0;
}

int vma_set_insert(struct vma_set *set, struct vm_area_struct *vma)
{
	struct vma_array *arr = set->arr, *n;
	unsigned int i = arr_search(arr, vma->vm_start);

	if (vma->vm_start >= vma->vm_end)
		return -EINVAL;
	if (arr && i < arr->nr && arr->v[i]->vm_start < vma->vm_end)
		return -EEXIST;
	n = arr_splice(arr, i, 0, &vma, 1);
	if (!n)
		return -ENOMEM;
	vma_mark_attached(vma);
	set_publish(set, n);
	return 0;
}

int vma_set_remove(struct vma_set *set, struct vm_area_struct *vma)
{
	int i = arr_index(set->arr, vma);
	struct vma_array *n;

	BUG_ON(i < 0);
	n = arr_splice(set->arr, (unsigned int)i, 1, NULL, 0);
	if (!n)
		return -ENOMEM;
	set_publish(set, n);
	vma_mark_detached(vma);
	return 0;
}

int vma_set_split(struct vma_set *set, struct vm_area_struct *vma, unsigned long addr,
		  struct vm_area_struct *tail)
{
	int i = arr_index(set->arr, vma);
	struct vma_array *n;

	BUG_ON(i < 0 || addr <= vma->vm_start || addr >= vma->vm_end || !IS_ALIGNED(addr, PAGE_SIZE));
	n = arr_splice(set->arr, (unsigned int)i + 1, 0, &tail, 1);
	if (!n)
		return -ENOMEM;
	vma_copy_desc(tail, vma);
	tail->vm_lock_seq = vma->vm_lock_seq;	/* write-locked like vma (mmap_lock held) */
	INIT_LIST_HEAD(&tail->anon_vma_node);
	tail->vm_start = addr;
	tail->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	atomic_set(&tail->vm_refcnt, 0);	/* a copy: write-locked (vm_lock_seq), detached */
	vma_mark_attached(tail);
	__atomic_store_n(&vma->vm_end, addr, __ATOMIC_RELAXED);	/* write-locked by the caller */
	set_publish(set, n);
	return 0;
}

bool vma_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags)
		return false;
	if (a->vm_file != b->vm_file || a->vm_ops != b->vm_ops ||
	    a->vm_private_data != b->vm_private_data)
		return false;
	if (a->anon_vma && b->anon_vma && a->anon_vma != b->anon_vma)
		return false;
	return a->vm_pgoff + ((a->vm_end - a->vm_start) >> PAGE_SHIFT) == b->vm_pgoff;
}

int vma_set_merge(struct vma_set *set, struct vm_area_struct *prev, struct vm_area_struct *next)
{
	int i = arr_index(set->arr, next);
	struct vma_array *n;

	BUG_ON(i < 1 || set->arr->v[i - 1] != prev || !vma_mergeable(prev, next));
	n = arr_splice(set->arr, (unsigned int)i, 1, NULL, 0);
	if (!n)
		return -ENOMEM;
	/* prev and next are write-locked by the caller */
	__atomic_store_n(&prev->vm_end, next->vm_end, __ATOMIC_RELAXED);
	set_publish(set, n);
	vma_mark_detached(next);
	return 0;
}

/* The gap below v[i] (or below high when i == nr), clipped to [low, high). */
static bool gap_fits(const struct vma_array *arr, unsigned int i, unsigned long low,
		     unsigned long high, unsigned long len, unsigned long *start)
{
	unsigned long gend = high, gstart = low;

	if (arr && i < arr->nr) {
		const struct vm_area_struct *v = arr->v[i];
		unsigned long guard = v->vm_flags & VM_GROWSDOWN ? STACK_GUARD_GAP : 0;

		gend = v->vm_start > guard ? MIN(high, v->vm_start - guard) : 0;
	}
	if (i > 0)
		gstart = MAX(low, arr->v[i - 1]->vm_end);
	if (gend < gstart || gend - gstart < len)
		return false;
	*start = ALIGN_DOWN(gend - len, PAGE_SIZE);
	return *start >= gstart;
}

unsigned long vma_set_find_gap(const struct vma_set *set, unsigned long low, unsigned long high,
			       unsigned long len)
{
	const struct vma_array *arr = set_load(set);
	unsigned int i = arr_search(arr, high);	/* first VMA ending above high */
	unsigned long start;

	if (!len || high < low || high - low < len)
		return 0;
	for (;;) {
		if (gap_fits(arr, i, low, high, len, &start))
			return start;
		if (i == 0 || arr->v[i - 1]->vm_end <= low)
			return 0;
		i--;
	}
}

void vma_set_destroy(struct vma_set *set)
{
	set_publish(set, NULL);
}

/* ---- the mm-level API ------------------------------------------------------ */

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	mmap_assert_locked(mm);
	return vma_set_find(&mm->mm_mt, addr);
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

struct vm_area_struct *vma_prev(struct mm_struct *mm, struct vm_area_struct *vma)
{
	const struct vma_array *arr = set_load(&mm->mm_mt);
	int i;

	mmap_assert_locked(mm);
	i = arr_index(arr, vma);
	return i > 0 ? arr->v[i - 1] : NULL;
}

struct vm_area_struct *vma_next(struct mm_struct *mm, struct vm_area_struct *vma)
{
	const struct vma_array *arr = set_load(&mm->mm_mt);
	int i;

	mmap_assert_locked(mm);
	i = arr_index(arr, vma);
	return i >= 0 && (unsigned int)i + 1 < arr->nr ? arr->v[i + 1] : NULL;
}

void vma_iter_init(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long addr)
{
	mmap_assert_locked(mm);
	vmi->arr = set_load(&mm->mm_mt);
	vmi->idx = arr_search(vmi->arr, addr);
}

struct vm_area_struct *vma_iter_next(struct vma_iterator *vmi)
{
	if (!vmi->arr || vmi->idx >= vmi->arr->nr)
		return NULL;
	return vmi->arr->v[vmi->idx++];
}
