/*
 * mmap_lock.c - mmap_lock with its counters, and the per-VMA locks.
 *
 * Theory of operation
 * -------------------
 * A page fault only needs one VMA to stay as it is. Linux 6.4 added a
 * lock per VMA so that a fault on one VMA does not wait for an mmap() or
 * munmap() elsewhere in the address space; this file follows the 6.15+
 * design (reference notes §3.4), where the lock is a reference count:
 *
 *   vm_refcnt  0                 detached: not in the mm's VMA set
 *              1                 attached, unlocked
 *              1 + n             n readers (faults) hold it
 *              OFFSET + 1 (+ n)  a writer is excluding readers (waits for n = 0)
 *              OFFSET (+ n)      a detacher is waiting for the last n readers
 *
 * Readers (faults) never wait: lock_vma_under_rcu() looks the VMA up in the
 * RCU-protected array and increments vm_refcnt unless it is 0 (detached:
 * the VMA is going away, look again = vma_lock_miss) or >= VMA_REF_LIMIT
 * (a writer is there = vma_lock_abort). It then checks vm_lock_seq against
 * the mm's sequence: equal means the VMA is write-locked by an mmap_lock
 * writer that is still working, so it gives up too (abort).
 *
 * Writers hold mmap_lock for write, which makes mm_lock_seq odd (a new
 * value for every write section). vma_start_write() adds the OFFSET (new
 * readers now fail), sleeps until the readers have left, stores
 * vm_lock_seq = mm_lock_seq (new readers keep failing because of it), and
 * removes the OFFSET. All VMA write locks end together when
 * mmap_write_unlock() bumps mm_lock_seq to an even value.
 *
 * A reader's last decrement wakes the writer through mm->vma_writer_wait.
 * The reader's VMA may be freed right after its decrement, so it reads
 * vma->vm_mm first; the mm itself is the faulting thread's own.
 *
 * Memory: the reader's increment is an acquire, the writer's removal of
 * the OFFSET a release, so a reader that gets in after a writer sees the
 * writer's vm_lock_seq. mm_lock_seq is bumped with release and read with
 * acquire (a reader that sees the unlock sees the writer's VMA changes).
 */
#include <mmap.h>
#include <vmstat.h>
#include <sched.h>
#include <rcupdate.h>
#include <trace.h>

/* ---- mmap_lock ----------------------------------------------------------------- */

static void mmap_lock_waited(uint64_t t0)
{
	count_vm_event(MMAP_LOCK_CONTENDED);
	count_vm_events(MMAP_LOCK_WAIT_NS, arch_time_ns() - t0);
}

void mmap_read_lock(struct mm_struct *mm)
{
	if (!down_read_trylock(&mm->mmap_lock)) {
		uint64_t t0 = arch_time_ns();

		down_read(&mm->mmap_lock);
		mmap_lock_waited(t0);
	}
	count_vm_event(MMAP_LOCK_READ);
}

void mmap_read_lock_fault(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	count_vm_event(MMAP_LOCK_READ_FAULT);
}

bool mmap_read_trylock(struct mm_struct *mm)
{
	if (!down_read_trylock(&mm->mmap_lock))
		return false;
	count_vm_event(MMAP_LOCK_READ);
	return true;
}

void mmap_read_unlock(struct mm_struct *mm)
{
	up_read(&mm->mmap_lock);
}

static void mm_lock_seqcount_begin(struct mm_struct *mm)
{
	unsigned int v = mm->mm_lock_seq.sequence;

	BUG_ON(v & 1);
	__atomic_store_n(&mm->mm_lock_seq.sequence, v + 1, __ATOMIC_RELAXED);
	smp_mb();	/* odd before any VMA change of this section */
}

/* vma_end_write_all: every VMA write-locked in this section becomes unlocked. */
static void mm_lock_seqcount_end(struct mm_struct *mm)
{
	unsigned int v = mm->mm_lock_seq.sequence;

	BUG_ON(!(v & 1));
	__atomic_store_n(&mm->mm_lock_seq.sequence, v + 1, __ATOMIC_RELEASE);
}

void mmap_write_lock(struct mm_struct *mm)
{
	if (!down_write_trylock(&mm->mmap_lock)) {
		uint64_t t0 = arch_time_ns();

		down_write(&mm->mmap_lock);
		mmap_lock_waited(t0);
	}
	count_vm_event(MMAP_LOCK_WRITE);
	mm_lock_seqcount_begin(mm);
}

bool mmap_write_trylock(struct mm_struct *mm)
{
	if (!down_write_trylock(&mm->mmap_lock))
		return false;
	count_vm_event(MMAP_LOCK_WRITE);
	mm_lock_seqcount_begin(mm);
	return true;
}

void mmap_write_unlock(struct mm_struct *mm)
{
	mm_lock_seqcount_end(mm);
	up_write(&mm->mmap_lock);
}

void mmap_write_downgrade(struct mm_struct *mm)
{
	mm_lock_seqcount_end(mm);
	downgrade_write(&mm->mmap_lock);
}

/* ---- per-VMA lock -------------------------------------------------------------- */

static bool refcnt_readers_excluded(int c)
{
	return (c & VMA_LOCK_OFFSET) && c <= VMA_LOCK_OFFSET + 1;
}

/* Drop one reference; wake a writer waiting for the last reader. */
static void vma_refcount_put(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;	/* vma may be freed after the decrement */
	int c = atomic_dec_return(&vma->vm_refcnt);

	if (c && refcnt_readers_excluded(c))
		wake_up(&mm->vma_writer_wait);
}

void vma_end_read(struct vm_area_struct *vma)
{
	trace_event(TRACE_VMA_LOCK_RELEASE, (uintptr_t)vma, TRACE_LOCK_READ);
	vma_refcount_put(vma);
}

#define VMA_READ_DETACHED ((struct vm_area_struct *)-1L)

/*
 * Try to read-lock vma (found under RCU). Returns vma, NULL (write-locked,
 * being excluded, or recycled: give up) or VMA_READ_DETACHED (look again).
 * Never waits.
 */
static struct vm_area_struct *vma_start_read(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int old;

	/* racy early check: write-locked right now */
	if (vma_lock_seq_read(vma) == mm_lock_seq_read(mm))
		return NULL;
	old = atomic_read(&vma->vm_refcnt);
	do {
		if (old == 0)
			return VMA_READ_DETACHED;
		if (old >= VMA_REF_LIMIT)
			return NULL;		/* a writer excludes readers (or overflow) */
	} while (!__atomic_compare_exchange_n(&vma->vm_refcnt.counter, &old, old + 1, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	if (READ_ONCE(vma->vm_mm) != mm) {
		vma_refcount_put(vma);
		return NULL;
	}
	/* The writer stored vm_lock_seq before releasing the OFFSET we got past. */
	if (vma_lock_seq_read(vma) == mm_lock_seq_read(mm)) {
		vma_refcount_put(vma);
		return NULL;
	}
	return vma;
}

struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma, *got;

	rcu_read_lock();
retry:
	vma = vma_set_find(&mm->mm_mt, address);
	if (!vma || __atomic_load_n(&vma->vm_start, __ATOMIC_RELAXED) > address)
		goto inval;
	got = vma_start_read(mm, vma);
	if (!got)
		goto inval;
	if (got == VMA_READ_DETACHED) {
		count_vm_event(VMA_LOCK_MISS);
		goto retry;		/* the array we walked is stale: load the new one */
	}
	/* Locked: the range is stable now. It may have changed before we got in. */
	if (address < vma->vm_start || address >= vma->vm_end) {
		vma_end_read(vma);
		goto inval;
	}
	rcu_read_unlock();
	trace_event(TRACE_VMA_LOCK_ACQUIRE, (uintptr_t)vma, TRACE_LOCK_READ);
	return vma;
inval:
	rcu_read_unlock();
	count_vm_event(VMA_LOCK_ABORT);
	trace_event(TRACE_VMA_LOCK_CONTEND, (uintptr_t)vma, TRACE_LOCK_READ);	/* gave up */
	return NULL;
}

/* Add the OFFSET and wait until only we (and the attach reference, unless
 * detaching) remain. false: the VMA was detached, nothing to exclude. */
static bool vma_enter_locked(struct vm_area_struct *vma, bool detaching)
{
	struct mm_struct *mm = vma->vm_mm;
	int tgt = detaching ? VMA_LOCK_OFFSET : VMA_LOCK_OFFSET + 1;
	int old = atomic_read(&vma->vm_refcnt);

	do {
		if (old == 0)
			return false;
	} while (!__atomic_compare_exchange_n(&vma->vm_refcnt.counter, &old,
					      old + VMA_LOCK_OFFSET, false,
					      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED));
	if (atomic_read_acquire(&vma->vm_refcnt) != tgt) {
		count_vm_event(VMA_WRITE_WAIT);
		trace_event(TRACE_VMA_LOCK_CONTEND, (uintptr_t)vma, TRACE_LOCK_WRITE);
		wait_event(mm->vma_writer_wait, atomic_read_acquire(&vma->vm_refcnt) == tgt);
	}
	return true;
}

/* Remove the OFFSET; true if that left the VMA detached (0). */
static bool vma_exit_locked(struct vm_area_struct *vma)
{
	return __atomic_sub_fetch(&vma->vm_refcnt.counter, VMA_LOCK_OFFSET, __ATOMIC_RELEASE) == 0;
}

void vma_start_write(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned int seq;
	bool locked;

	mmap_assert_write_locked(mm);
	seq = mm->mm_lock_seq.sequence;
	if (vma_lock_seq_read(vma) == seq)
		return;			/* already write-locked in this mmap_lock section */
	locked = vma_enter_locked(vma, false);
	__atomic_store_n(&vma->vm_lock_seq, seq, __ATOMIC_RELAXED);
	trace_event(TRACE_VMA_LOCK_ACQUIRE, (uintptr_t)vma, TRACE_LOCK_WRITE);
	if (locked && vma_exit_locked(vma))
		panic("vma_start_write: VMA [%lx, %lx) became detached while write-locking",
		      vma->vm_start, vma->vm_end);
}

void vma_assert_write_locked(const struct vm_area_struct *vma)
{
	mmap_assert_write_locked(vma->vm_mm);
	if (vma_lock_seq_read(vma) != vma->vm_mm->mm_lock_seq.sequence)
		panic("VMA [%lx, %lx) changed without vma_start_write (vm_lock_seq %u, mm %u)",
		      vma->vm_start, vma->vm_end, vma->vm_lock_seq, vma->vm_mm->mm_lock_seq.sequence);
}

void vma_assert_locked(const struct vm_area_struct *vma)
{
	if (atomic_read(&vma->vm_refcnt) <= 1)
		vma_assert_write_locked(vma);
}

void vma_mark_attached(struct vm_area_struct *vma)
{
	vma_assert_write_locked(vma);
	vma_assert_detached(vma);
	atomic_set_release(&vma->vm_refcnt, 1);
}

void vma_mark_detached(struct vm_area_struct *vma)
{
	vma_assert_write_locked(vma);
	vma_assert_attached(vma);
	/* Drop the attach reference; readers that slipped in (and will fail the
	 * vm_lock_seq check) may still hold transient references: wait them out. */
	if (!atomic_dec_and_test(&vma->vm_refcnt)) {
		if (vma_enter_locked(vma, true) && !vma_exit_locked(vma))
			panic("vma_mark_detached: VMA [%lx, %lx) still referenced",
			      vma->vm_start, vma->vm_end);
	}
}
