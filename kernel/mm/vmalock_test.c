/*
 * vmalock_test.c - per-VMA locks and the fault loop (ktest=vmalock_).
 *
 * Every ordering here is established with state, not timing: "the writer
 * is blocked" means a thread is queued on mm->vma_writer_wait (or on
 * mmap_lock: rwsem_nr_waiters), and "it has not finished" is a flag the
 * thread sets after the call returns.
 */
#include <ktest.h>
#include <mmap.h>
#include <fault_policy.h>
#include <vmstat.h>
#include <sched.h>
#include <completion.h>
#include <uapi/faultline/mman.h>

#define ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

static unsigned long map_anon(struct mm_struct *mm, unsigned long len)
{
	return do_mmap(mm, 0, len, RW, ANON_PRIV, NULL, 0);
}

static bool present(struct mm_struct *mm, unsigned long addr)
{
	return follow_pte(mm, addr, NULL, NULL);
}

/* Wait (sleeping, bounded) until cond; false if it never came. */
#define WAIT_STATE(cond) ({						\
	int __i;							\
	for (__i = 0; __i < 3000 && !(cond); __i++)			\
		msleep(1);						\
	(bool)(cond);							\
})

KTEST(vmalock_read_lock_and_abort_while_write_locked)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a, b, abort0;
	struct vm_area_struct *va, *vb, *v;

	KT_ASSERT(t, mm);
	a = map_anon(mm, 4 * PAGE_SIZE);
	b = do_mmap(mm, a + 64 * PAGE_SIZE, 4 * PAGE_SIZE, PROT_READ, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a) && !IS_ERR_VALUE(b));
	v = lock_vma_under_rcu(mm, a);
	KT_ASSERT(t, v != NULL);
	KT_EXPECT_EQ(t, atomic_read(&v->vm_refcnt), 2);	/* attached + one reader */
	vma_end_read(v);
	KT_EXPECT_EQ(t, atomic_read(&v->vm_refcnt), 1);
	KT_EXPECT(t, lock_vma_under_rcu(mm, a - PAGE_SIZE) == NULL);	/* no VMA: abort */

	mmap_write_lock(mm);
	KT_EXPECT(t, mm->mm_lock_seq.sequence & 1);		/* odd while write-held */
	va = find_vma(mm, a);
	vb = find_vma(mm, b);
	vma_start_write(va);
	vma_assert_write_locked(va);
	abort0 = sum_vm_event(VMA_LOCK_ABORT);
	KT_EXPECT(t, lock_vma_under_rcu(mm, a) == NULL);	/* write-locked: abort, no wait */
	KT_EXPECT_EQ(t, sum_vm_event(VMA_LOCK_ABORT), abort0 + 1);
	v = lock_vma_under_rcu(mm, b);			/* another VMA: fine under mmap write */
	KT_EXPECT(t, v == vb);
	if (v)
		vma_end_read(v);
	mmap_write_unlock(mm);
	KT_EXPECT(t, !(mm->mm_lock_seq.sequence & 1));
	v = lock_vma_under_rcu(mm, a);			/* unlock ended every VMA write lock */
	KT_EXPECT(t, v == va);
	if (v)
		vma_end_read(v);
	mmput(mm);
}

/* ---- writers wait for readers: every VMA-changing operation ---------------- */
struct writer_op {
	struct mm_struct *mm;
	unsigned long a;		/* start of the 8-page VMA the reader holds */
	int op;
	int done;			/* [a] */
	struct mm_struct *child;
};

enum { OP_MUNMAP, OP_MPROTECT, OP_FORK, OP_MMAP_FIXED, OP_MERGE, OP_SPLIT, NR_OPS };
static const char *const op_names[NR_OPS] = {
	"munmap", "mprotect", "fork", "mmap MAP_FIXED", "merge", "split"
};

static void writer_thread(void *arg)
{
	struct writer_op *w = arg;
	unsigned long a = w->a;

	switch (w->op) {
	case OP_MUNMAP:
		do_munmap(w->mm, a, 8 * PAGE_SIZE);
		break;
	case OP_MPROTECT:
		do_mprotect(w->mm, a, 8 * PAGE_SIZE, PROT_READ);
		break;
	case OP_FORK:
		w->child = dup_mm(w->mm);
		break;
	case OP_MMAP_FIXED:
		do_mmap(w->mm, a + PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0);
		break;
	case OP_MERGE:	/* a compatible neighbour right after: merges into the held VMA */
		do_mmap(w->mm, a + 8 * PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0);
		break;
	case OP_SPLIT:
		do_mprotect(w->mm, a + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ);
		break;
	}
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
}

KTEST(vmalock_every_vma_change_waits_for_readers)
{
	for (int op = 0; op < NR_OPS; op++) {
		struct mm_struct *mm = mm_alloc();
		struct writer_op w = { .mm = mm, .op = op };
		struct vm_area_struct *v;
		struct thread *th;
		unsigned long a;
		bool blocked;

		KT_ASSERT(t, mm);
		/* a guard mapping around so the VMA has fixed neighbours */
		a = map_anon(mm, 8 * PAGE_SIZE);
		KT_ASSERT(t, !IS_ERR_VALUE(a));
		w.a = a;
		KT_ASSERT(t, handle_user_fault_test(mm, a, FAULT_FLAG_WRITE) == 0);
		v = lock_vma_under_rcu(mm, a);
		KT_ASSERT(t, v != NULL);
		th = kthread_create(writer_thread, &w, "kt-vma-writer");
		KT_ASSERT(t, th);
		wake_up_new_thread(th);
		blocked = WAIT_STATE(waitqueue_active(&mm->vma_writer_wait));
		if (!blocked || __atomic_load_n(&w.done, __ATOMIC_ACQUIRE))
			ktest_fail(t, __FILE__, __LINE__, "%s did not wait for the VMA reader",
				   op_names[op]);
		vma_end_read(v);
		thread_join(th);
		KT_EXPECT_EQ(t, __atomic_load_n(&w.done, __ATOMIC_ACQUIRE), 1);
		if (w.child)
			mmput(w.child);
		mmput(mm);
	}
}

/* ---- a fault on one VMA vs mmap_lock write-held on another -------------------- */
static struct {
	struct mm_struct *mm;
	unsigned long a, b;
	struct completion held, release;
	int fault_done;			/* [a] */
	vm_fault_t fault;
} fw;

static void mmap_writer(void *arg)
{
	(void)arg;
	mmap_write_lock(fw.mm);
	vma_start_write(find_vma(fw.mm, fw.a));	/* as munmap/mprotect of A would */
	complete(&fw.held);
	wait_for_completion(&fw.release);
	mmap_write_unlock(fw.mm);
}

static void faulter(void *arg)
{
	unsigned long addr = (unsigned long)arg;

	fw.fault = handle_user_fault_test(fw.mm, addr, FAULT_FLAG_WRITE);
	__atomic_store_n(&fw.fault_done, 1, __ATOMIC_RELEASE);
}

static void fault_vs_writer(struct ktest_ctx *t, enum fault_policy pol)
{
	int saved = fault_policy;
	unsigned long page;
	struct thread *w, *f;
	unsigned long succ0;

	fw.mm = mm_alloc();
	KT_ASSERT(t, fw.mm);
	fw.a = map_anon(fw.mm, 16 * PAGE_SIZE);
	fw.b = do_mmap(fw.mm, fw.a + 64 * PAGE_SIZE, 16 * PAGE_SIZE, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(fw.a) && !IS_ERR_VALUE(fw.b));
	/* B gets its anon_vma now: a later fault then needs no mmap_lock at all */
	KT_ASSERT(t, handle_user_fault_test(fw.mm, fw.b, FAULT_FLAG_WRITE) == 0);
	page = fw.b + 5 * PAGE_SIZE;
	init_completion(&fw.held);
	init_completion(&fw.release);
	fw.fault_done = 0;
	__atomic_store_n(&fault_policy, pol, __ATOMIC_RELAXED);

	w = kthread_run(mmap_writer, NULL, "kt-mmap-writer");
	KT_ASSERT(t, w);
	wait_for_completion(&fw.held);		/* mmap_lock is write-held, A write-locked */
	succ0 = sum_vm_event(VMA_LOCK_SUCCESS);
	f = kthread_run(faulter, (void *)page, "kt-faulter");
	KT_ASSERT(t, f);
	if (pol == FAULT_POLICY_VMA) {
		/* completes while the writer still holds mmap_lock */
		KT_EXPECT(t, WAIT_STATE(__atomic_load_n(&fw.fault_done, __ATOMIC_ACQUIRE)));
		KT_EXPECT(t, !try_wait_for_completion(&fw.release));	/* writer still holds it */
		KT_EXPECT(t, rwsem_is_locked(&fw.mm->mmap_lock));
		KT_EXPECT(t, present(fw.mm, page));
		KT_EXPECT(t, sum_vm_event(VMA_LOCK_SUCCESS) > succ0);
		complete(&fw.release);
	} else {
		/* queues on mmap_lock behind the writer, and only finishes after it */
		KT_EXPECT(t, WAIT_STATE(rwsem_nr_waiters(&fw.mm->mmap_lock) == 1));
		KT_EXPECT_EQ(t, __atomic_load_n(&fw.fault_done, __ATOMIC_ACQUIRE), 0);
		KT_EXPECT(t, !present(fw.mm, page));
		complete(&fw.release);
	}
	thread_join(f);
	thread_join(w);
	KT_EXPECT_EQ(t, fw.fault, 0);
	KT_EXPECT(t, present(fw.mm, page));
	__atomic_store_n(&fault_policy, saved, __ATOMIC_RELAXED);
	mmput(fw.mm);
}

KTEST(vmalock_fault_completes_while_mmap_write_held_policy_vma)
{
	fault_vs_writer(t, FAULT_POLICY_VMA);
}

KTEST(vmalock_fault_waits_for_mmap_writer_policy_mmap)
{
	fault_vs_writer(t, FAULT_POLICY_MMAP);
}

/* No anon_vma yet and mmap_lock unavailable: RETRY under the VMA lock, then mmap_lock. */
KTEST(vmalock_anon_prepare_retries_under_mmap_lock)
{
	int saved = fault_policy;
	struct thread *w, *f;
	unsigned long retry0;

	fw.mm = mm_alloc();
	KT_ASSERT(t, fw.mm);
	fw.a = map_anon(fw.mm, 4 * PAGE_SIZE);
	fw.b = do_mmap(fw.mm, fw.a + 64 * PAGE_SIZE, 4 * PAGE_SIZE, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(fw.a) && !IS_ERR_VALUE(fw.b));
	init_completion(&fw.held);
	init_completion(&fw.release);
	fw.fault_done = 0;
	__atomic_store_n(&fault_policy, FAULT_POLICY_VMA, __ATOMIC_RELAXED);
	w = kthread_run(mmap_writer, NULL, "kt-mmap-writer");
	KT_ASSERT(t, w);
	wait_for_completion(&fw.held);
	retry0 = sum_vm_event(VMA_LOCK_RETRY);
	f = kthread_run(faulter, (void *)fw.b, "kt-faulter");
	KT_ASSERT(t, f);
	KT_EXPECT(t, WAIT_STATE(rwsem_nr_waiters(&fw.mm->mmap_lock) == 1));
	KT_EXPECT_EQ(t, sum_vm_event(VMA_LOCK_RETRY), retry0 + 1);
	KT_EXPECT_EQ(t, __atomic_load_n(&fw.fault_done, __ATOMIC_ACQUIRE), 0);
	complete(&fw.release);
	thread_join(f);
	thread_join(w);
	KT_EXPECT_EQ(t, fw.fault, 0);
	KT_EXPECT(t, present(fw.mm, fw.b));
	mmap_read_lock(fw.mm);
	KT_EXPECT(t, find_vma(fw.mm, fw.b)->anon_vma != NULL);
	mmap_read_unlock(fw.mm);
	__atomic_store_n(&fault_policy, saved, __ATOMIC_RELAXED);
	mmput(fw.mm);
}

KTEST(vmalock_nowait_with_vma_lock_is_refused)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *v;
	unsigned long a, n0;
	vm_fault_t r;

	KT_ASSERT(t, mm);
	a = map_anon(mm, PAGE_SIZE);
	v = lock_vma_under_rcu(mm, a);
	KT_ASSERT(t, v);
	n0 = sum_vm_event(FAULT_NOWAIT_REFUSED);
	r = handle_mm_fault(v, a, FAULT_FLAG_USER | FAULT_FLAG_DEFAULT | FAULT_FLAG_VMA_LOCK |
			    FAULT_FLAG_RETRY_NOWAIT, NULL);
	KT_EXPECT_EQ(t, r, VM_FAULT_SIGSEGV);
	KT_EXPECT_EQ(t, sum_vm_event(FAULT_NOWAIT_REFUSED), n0 + 1);
	vma_end_read(v);			/* not RETRY: the lock is still ours */
	KT_EXPECT(t, !present(mm, a));
	mmput(mm);
}

KTEST(vmalock_policy_names)
{
	int saved = fault_policy;

	KT_EXPECT_EQ(t, fault_policy_set("retry_vma\n"), 0);
	KT_EXPECT_EQ(t, fault_policy_get(), FAULT_POLICY_RETRY_VMA);
	KT_EXPECT(t, fault_policy_set("bogus") < 0);
	KT_EXPECT_EQ(t, fault_policy_get(), FAULT_POLICY_RETRY_VMA);
	KT_EXPECT_EQ(t, fault_policy_set("hold"), 0);
	KT_EXPECT(t, fault_policy_hold());
	__atomic_store_n(&fault_policy, saved, __ATOMIC_RELAXED);
}
