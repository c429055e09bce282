/*
 * page-writeback.c - dirty folios and getting them back to the file: dirty
 * accounting, write-protecting shared mappings before writeback
 * (page_mkclean), the flusher thread, fsync, sync and msync.
 *
 * Theory of operation
 * -------------------
 * A folio becomes dirty by write(2) (generic_perform_write) or by a store
 * through a shared mapping: such PTEs start read-only, the first store
 * faults, filemap_page_mkwrite marks the folio dirty, and the PTE becomes
 * writable. The first dirty folio of a mapping puts the mapping on
 * dirty_mappings (under wb_lock).
 *
 * Writing one folio back (writeback_folio), with the folio locked:
 *   1. folio_clear_dirty_for_io: write-protect every shared PTE mapping it
 *      (page_mkclean, through mapping->i_mmap), then clear PG_dirty. A store
 *      after this faults and waits for the folio lock, then for writeback:
 *      no store is lost and the device never sees the page change mid-write;
 *   2. PG_writeback on, a_ops->writepage starts the I/O and unlocks; the
 *      completion clears PG_writeback (folio_end_writeback).
 *
 * The flusher thread ("flush") wakes every dirty_writeback_interval_ms, or
 * when write(2) left too much dirty, takes mappings off dirty_mappings and
 * writes them. A mapping being written has wb_users > 0, so
 * truncate_inode_pages_final waits before the inode can go away.
 */
#include <pagemap.h>
#include <fs.h>
#include <mmap.h>
#include <vmstat.h>
#include <sched.h>
#include <tlb.h>
#include <printk.h>
#include <uapi/faultline/mman.h>

#define DIRTY_WAKE_THRESHOLD	256	/* dirty folios that make write(2) wake the flusher */

unsigned int dirty_writeback_interval_ms = 500;

static DEFINE_SPINLOCK(wb_lock);
static LIST_HEAD(dirty_mappings);		/* [W] address_space.dirty_node */
static DECLARE_WAIT_QUEUE_HEAD(wb_done_wq);	/* wb_users reached 0 */
static DECLARE_WAIT_QUEUE_HEAD(flusher_wq);
static bool flusher_kick;			/* [W] */
static long nr_dirty_total;			/* [a] dirty folios in every cache */

/* ---- dirtying ----------------------------------------------------------------- */

static void mapping_queue_dirty(struct address_space *mapping)
{
	spin_lock(&wb_lock);
	if (!mapping->on_dirty_list) {
		mapping->on_dirty_list = true;
		list_add_tail(&mapping->dirty_node, &dirty_mappings);
	}
	spin_unlock(&wb_lock);
}

bool folio_mark_dirty(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	if (folio_test_set_flag(folio, PG_dirty) || !mapping)
		return false;
	spin_lock(&mapping->i_pages_lock);
	mapping->nrdirty++;
	spin_unlock(&mapping->i_pages_lock);
	__atomic_fetch_add(&nr_dirty_total, 1, __ATOMIC_RELAXED);
	if (mapping->a_ops->dirty_folio)
		mapping->a_ops->dirty_folio(mapping, folio);
	mapping_queue_dirty(mapping);
	return true;
}

void account_folio_cleaned(void)
{
	__atomic_fetch_sub(&nr_dirty_total, 1, __ATOMIC_RELAXED);
}

/* The PTE of vma mapping folio, write-protected if it is writable. Takes its PTE lock. */
static bool wrprotect_one(struct vm_area_struct *vma, struct folio *folio)
{
	unsigned long addr = vma->vm_start + ((folio_index(folio) - vma->vm_pgoff) << PAGE_SHIFT);
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, addr, &ptl);
	pte_t pte;
	bool done = false;

	if (!ptep)
		return false;
	pte = ptep_get(ptep);
	if (pte_present(pte) && pte_pa(pte) == page_to_phys(folio_page(folio)) &&
	    (pte_prot(pte) & PTE_W)) {
		set_pte(ptep, pte_mk_leaf(pte_pa(pte), pte_prot(pte) & ~PTE_W, 0));
		flush_tlb_mm_range(mm, addr, addr + PAGE_SIZE);
		done = true;
	}
	pte_unmap_unlock(ptep, ptl);
	return done;
}

/* Write-protect every shared mapping of folio. Locks: folio locked. Sleeps: yes. */
static unsigned int page_mkclean(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	pgoff_t index = folio_index(folio);
	struct vm_area_struct *vma;
	unsigned int n = 0;

	if (!mapping || !page_mapcount(folio_page(folio)))
		return 0;
	mutex_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, shared_node) {
		if (!(vma->vm_flags & VM_SHARED) || index < vma->vm_pgoff ||
		    index >= vma->vm_pgoff + vma_pages(vma))
			continue;
		n += wrprotect_one(vma, folio);
	}
	mutex_unlock(&mapping->i_mmap_lock);
	return n;
}

bool folio_clear_dirty_for_io(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	if (!folio_test_locked(folio))
		panic("folio_clear_dirty_for_io: folio not locked");
	page_mkclean(folio);
	if (!folio_test_clear_flag(folio, PG_dirty))
		return false;
	if (mapping) {
		spin_lock(&mapping->i_pages_lock);
		mapping->nrdirty--;
		spin_unlock(&mapping->i_pages_lock);
	}
	__atomic_fetch_sub(&nr_dirty_total, 1, __ATOMIC_RELAXED);
	return true;
}

/* ---- writing back ------------------------------------------------------------ */

/* Write one folio if it is dirty. Locks: folio locked; unlocked on return. */
static int writeback_folio(struct address_space *mapping, struct folio *folio,
			   struct writeback_control *wbc)
{
	int ret;

	if (folio_mapping(folio) != mapping) {
		folio_unlock(folio);			/* truncated */
		return 0;
	}
	if (folio_test_writeback(folio)) {
		if (!wbc->sync) {
			folio_unlock(folio);		/* the flusher comes back later */
			return 0;
		}
		folio_wait_writeback(folio);
	}
	if (!folio_clear_dirty_for_io(folio)) {
		folio_unlock(folio);
		return 0;
	}
	folio_start_writeback(folio);
	ret = mapping->a_ops->writepage(folio, wbc);	/* unlocks the folio */
	if (ret) {
		__atomic_store_n(&mapping->wb_err, ret, __ATOMIC_RELAXED);
		printk("writeback: writing page %lu of inode %lu failed (%d); it stays dirty\n",
		       folio_index(folio), mapping->host ? mapping->host->i_ino : 0UL, ret);
		folio_mark_dirty(folio);
		return ret;
	}
	wbc->nr_written++;
	return 0;
}

int filemap_fdatawrite(struct address_space *mapping, struct writeback_control *wbc)
{
	struct folio *batch[16];
	pgoff_t pos = 0;
	unsigned int n;
	int err = 0;

	if (!mapping->a_ops->writepage)
		return 0;			/* nothing to write to (a memory-only file) */
	while ((n = filemap_get_folios(mapping, pos, &pos, batch, 16))) {
		for (unsigned int i = 0; i < n; i++) {
			struct folio *f = batch[i];

			if (folio_test_dirty(f) && wbc->nr_written < wbc->nr_to_write) {
				folio_lock(f);
				err = writeback_folio(mapping, f, wbc) ?: err;
			}
			folio_put(f);
		}
		if (!pos || wbc->nr_written >= wbc->nr_to_write)
			break;
	}
	return err;
}

/* Wait for writeback of every folio of [first, last]; returns the recorded error. */
static int filemap_fdatawait_range(struct address_space *mapping, pgoff_t first, pgoff_t last)
{
	struct folio *batch[16];
	pgoff_t pos = first;
	unsigned int n;

	while (pos <= last && (n = filemap_get_folios(mapping, pos, &pos, batch, 16))) {
		for (unsigned int i = 0; i < n; i++) {
			if (folio_index(batch[i]) <= last)
				folio_wait_writeback(batch[i]);
			folio_put(batch[i]);
		}
		if (!pos)
			break;
	}
	return __atomic_exchange_n(&mapping->wb_err, 0, __ATOMIC_RELAXED);
}

int filemap_write_and_wait_range(struct address_space *mapping, loff_t start, loff_t end)
{
	struct writeback_control wbc = { .sync = true, .nr_to_write = __LONG_MAX__ };
	int err = filemap_fdatawrite(mapping, &wbc);
	int err2 = filemap_fdatawait_range(mapping, (pgoff_t)(start >> PAGE_SHIFT),
					   (pgoff_t)(end >> PAGE_SHIFT));

	return err ?: err2;
}

int vfs_fsync_range(struct file *file, loff_t start, loff_t end)
{
	struct address_space *mapping = file->f_inode->i_mapping;
	int err = filemap_write_and_wait_range(mapping, start, end);

	if (!err && mapping->a_ops->fsync)
		err = mapping->a_ops->fsync(file->f_inode);
	return err;
}

/* ---- the flusher ------------------------------------------------------------------ */

/* Take the first dirty mapping off the list, pinned by wb_users; NULL if none. */
static struct address_space *grab_dirty_mapping(void)
{
	struct address_space *mapping = NULL;

	spin_lock(&wb_lock);
	if (!list_empty(&dirty_mappings)) {
		mapping = list_first_entry(&dirty_mappings, struct address_space, dirty_node);
		list_del(&mapping->dirty_node);
		mapping->on_dirty_list = false;
		mapping->wb_users++;
	}
	spin_unlock(&wb_lock);
	return mapping;
}

static void release_mapping(struct address_space *mapping)
{
	spin_lock(&wb_lock);
	mapping->wb_users--;
	spin_unlock(&wb_lock);
	wake_up_all(&wb_done_wq);
}

/* Mappings on the dirty list now. */
static long nr_dirty_mappings(void)
{
	struct address_space *mapping;
	long n = 0;

	spin_lock(&wb_lock);
	list_for_each_entry(mapping, &dirty_mappings, dirty_node)
		n++;
	spin_unlock(&wb_lock);
	return n;
}

/* Write every mapping that is dirty now, each once (a folio whose write fails
 * stays dirty and requeues its mapping at the tail: the next pass retries it,
 * not this one); sync: also wait for the I/O. */
static void writeback_all(bool sync)
{
	struct address_space *mapping;
	long rounds = 0, n = nr_dirty_mappings();

	while (rounds++ < n && (mapping = grab_dirty_mapping()) != NULL) {
		if (sync)
			filemap_write_and_wait_range(mapping, 0, INT64_MAX);
		else {
			struct writeback_control wbc = { .nr_to_write = 1024 };

			filemap_fdatawrite(mapping, &wbc);
		}
		release_mapping(mapping);
	}
}

void sync_all_mappings(void)
{
	writeback_all(true);
}

static bool flusher_should_run(void)
{
	bool kick;

	spin_lock(&wb_lock);
	kick = flusher_kick;
	flusher_kick = false;
	spin_unlock(&wb_lock);
	return kick;
}

static void flusher_thread(void *arg)
{
	(void)arg;
	for (;;) {
		wait_event_timeout(flusher_wq, READ_ONCE(flusher_kick),
				   (long)msecs_to_jiffies(dirty_writeback_interval_ms));
		flusher_should_run();
		writeback_all(false);
	}
}

void wakeup_flusher_threads(void)
{
	spin_lock(&wb_lock);
	flusher_kick = true;
	spin_unlock(&wb_lock);
	wake_up(&flusher_wq);
}

void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	(void)mapping;
	if (__atomic_load_n(&nr_dirty_total, __ATOMIC_RELAXED) > DIRTY_WAKE_THRESHOLD)
		wakeup_flusher_threads();
}

/* Inode going away: off the list, and wait until no flusher/sync writes it. */
void mapping_leave_writeback(struct address_space *mapping)
{
	spin_lock(&wb_lock);
	if (mapping->on_dirty_list) {
		list_del(&mapping->dirty_node);
		mapping->on_dirty_list = false;
	}
	spin_unlock(&wb_lock);
	wait_event(wb_done_wq, !READ_ONCE(mapping->wb_users));
}

void pagecache_init(void)
{
	struct thread *t;

	folio_wait_table_init();
	t = kthread_run(flusher_thread, NULL, "flush");
	if (!t)
		panic("pagecache: cannot start the flusher thread (out of memory at boot)");
	thread_put(t);
}

/* ---- msync ------------------------------------------------------------------------- */

/*
 * Write back the shared file mappings of [start, start + len): Linux's rules.
 * MS_ASYNC only kicks the flusher (Linux: no-op since dirty pages are tracked);
 * MS_SYNC writes and waits; MS_INVALIDATE is accepted (the cache is coherent).
 * -EINVAL bad flags/alignment, -ENOMEM a hole in the range, -EIO a write failed.
 */
long sys_msync(unsigned long start, size_t len, int flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long end;
	int err = 0;
	bool hole = false;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (start & ~PAGE_MASK) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + ((len + PAGE_SIZE - 1) & PAGE_MASK);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	mmap_read_lock(mm);
	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);
		struct file *file;
		loff_t fstart, fend;

		if (!vma || vma->vm_start >= end) {
			hole = true;
			break;
		}
		if (vma->vm_start > start)
			hole = true;
		start = MAX(start, vma->vm_start);
		fstart = (loff_t)(vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT)) << PAGE_SHIFT;
		fend = fstart + (loff_t)(MIN(end, vma->vm_end) - start) - 1;
		start = vma->vm_end;
		if (!(flags & MS_SYNC) || !vma->vm_file || !(vma->vm_flags & VM_SHARED))
			continue;
		file = get_file(vma->vm_file);
		mmap_read_unlock(mm);			/* no mmap_lock across I/O */
		err = vfs_fsync_range(file, fstart, fend) ?: err;
		fput(file);
		mmap_read_lock(mm);
	}
	mmap_read_unlock(mm);
	if (flags & MS_ASYNC)
		wakeup_flusher_threads();
	return err ? -EIO : hole ? -ENOMEM : 0;
}
