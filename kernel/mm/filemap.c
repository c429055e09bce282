/*
 * filemap.c - the page cache: folio locks and waits, the per-file index of
 * folios, read(2) and write(2) through the cache, file mmap and its fault
 * handler filemap_fault. Linux's mm/filemap.c, much smaller.
 *
 * Theory of operation
 * -------------------
 * Every inode has a struct address_space (inode->i_mapping) holding the
 * folios of the file by page index in a radix tree (64 slots per node,
 * grown in height as larger indices arrive) under the spinlock
 * i_pages_lock. The cache holds one folio reference; lookups hand out
 * another. A folio enters the cache locked and not uptodate; the file
 * system's a_ops->read_folio starts I/O and the completion marks it uptodate
 * and unlocks it (folio_end_read), waking the hashed wait queue.
 *
 * The initramfs is one more address_space: its read_folio copies from the
 * archive in memory (ramfs_aops, at the end of this file). With
 * ramfs_read_delay_ms set (tests), the copy completes from a timer instead,
 * so folios stay locked "for I/O" for a while, just as with a slow disk.
 *
 * The fault path (filemap_fault) follows Linux's lock-drop protocol
 * exactly; see the comment above filemap_fault and docs/page-cache.md.
 *
 * Lock order: mmap_lock (or the VMA lock) -> folio lock -> i_mmap_lock ->
 * PTE lock (pte_lockptr) -> i_pages_lock -> wait-queue locks.
 */
#include <pagemap.h>
#include <fs.h>
#include <mmap.h>
#include <fault_policy.h>
#include <vmstat.h>
#include <sched.h>
#include <signal.h>
#include <slab.h>
#include <string.h>
#include <timer.h>
#include <printk.h>

#define BITS_PER_LONG	(8 * (unsigned int)sizeof(long))

/* ---- folio lock and hashed wait queues ------------------------------------------ */

#define FOLIO_WAIT_TABLE_SIZE	256
static struct wait_queue_head folio_wait_table[FOLIO_WAIT_TABLE_SIZE];

static struct wait_queue_head *folio_waitqueue(const struct folio *folio)
{
	uintptr_t h = (uintptr_t)folio / sizeof(struct page);

	h ^= h >> 8;
	return &folio_wait_table[h % FOLIO_WAIT_TABLE_SIZE];
}

void folio_wait_table_init(void)
{
	for (unsigned int i = 0; i < FOLIO_WAIT_TABLE_SIZE; i++)
		init_waitqueue_head(&folio_wait_table[i]);
}

/* Wake everyone sleeping on this folio's bucket (they re-check their bit). */
static void folio_wake(struct folio *folio)
{
	wake_up_all(folio_waitqueue(folio));
}

/*
 * Sleep until bit is clear (take it too when 'take'). killable: give up on a
 * fatal signal. 0, or -EINTR. The bucket's lock orders the waker's clear
 * against our queueing (wait.h), so no wakeup is lost.
 */
static int folio_wait_bit(struct folio *folio, uint32_t bit, bool take, bool killable)
{
	struct wait_queue_head *wq = folio_waitqueue(folio);
	struct wait_queue_entry w;
	int ret = 0;

	might_sleep();
	init_wait_entry(&w, 0);
	for (;;) {
		prepare_to_wait(wq, &w, TASK_UNINTERRUPTIBLE);
		if (take ? !folio_test_set_flag(folio, bit) : !folio_test_flag(folio, bit))
			break;
		if (killable && fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(wq, &w);
	return ret;
}

bool folio_trylock(struct folio *folio)
{
	return !folio_test_set_flag(folio, PG_locked);
}

void folio_lock(struct folio *folio)
{
	if (!folio_trylock(folio))
		folio_wait_bit(folio, PG_locked, true, false);
}

int folio_lock_killable(struct folio *folio)
{
	return folio_trylock(folio) ? 0 : folio_wait_bit(folio, PG_locked, true, true);
}

void folio_unlock(struct folio *folio)
{
	if (!folio_test_clear_flag(folio, PG_locked))
		panic("folio_unlock: pfn 0x%lx was not locked", page_to_pfn(folio_page(folio)));
	folio_wake(folio);
}

void folio_wait_locked(struct folio *folio)
{
	if (folio_test_locked(folio))
		folio_wait_bit(folio, PG_locked, false, false);
}

int folio_wait_locked_killable(struct folio *folio)
{
	return folio_test_locked(folio) ? folio_wait_bit(folio, PG_locked, false, true) : 0;
}

void folio_wait_writeback(struct folio *folio)
{
	if (folio_test_writeback(folio))
		folio_wait_bit(folio, PG_writeback, false, false);
}

void folio_end_read(struct folio *folio, bool success)
{
	if (success) {
		folio_clear_flag(folio, PG_error);
		folio_mark_uptodate(folio);
	} else {
		folio_set_flag(folio, PG_error);
	}
	folio_unlock(folio);
}

void folio_start_writeback(struct folio *folio)
{
	if (!folio_test_locked(folio) || folio_test_set_flag(folio, PG_writeback))
		panic("folio_start_writeback: pfn 0x%lx not locked or already under writeback",
		      page_to_pfn(folio_page(folio)));
}

void folio_end_writeback(struct folio *folio)
{
	if (!folio_test_clear_flag(folio, PG_writeback))
		panic("folio_end_writeback: pfn 0x%lx was not under writeback",
		      page_to_pfn(folio_page(folio)));
	count_vm_event(PGPGOUT);
	folio_wake(folio);
}

/* ---- the index: a radix tree of folios ---------------------------------------- */

#define PC_SHIFT	6
#define PC_SLOTS	(1u << PC_SHIFT)
#define PC_MASK		(PC_SLOTS - 1)

struct pc_node {
	void *slots[PC_SLOTS];		/* children, or folios at height 1 */
	unsigned int count;		/* non-NULL slots */
};

/* Number of indices a tree of this height covers (saturating). */
static pgoff_t pc_capacity(unsigned int height)
{
	return height * PC_SHIFT >= BITS_PER_LONG ? ~0UL : 1UL << (height * PC_SHIFT);
}

static unsigned int pc_slot(pgoff_t index, unsigned int level)
{
	return (index >> (level * PC_SHIFT)) & PC_MASK;
}

/* Locks: i_pages_lock. */
static struct folio *pc_lookup(struct address_space *m, pgoff_t index)
{
	struct pc_node *node = m->root;

	if (!node || (m->height * PC_SHIFT < BITS_PER_LONG && index >= pc_capacity(m->height)))
		return NULL;
	for (unsigned int level = m->height - 1; node; level--) {
		void *e = node->slots[pc_slot(index, level)];

		if (!level)
			return e;
		node = e;
	}
	return NULL;
}

/* Grow the tree until it covers index. 0 or -ENOMEM. Locks: i_pages_lock. */
static int pc_grow(struct address_space *m, pgoff_t index)
{
	while (!m->root || (m->height * PC_SHIFT < BITS_PER_LONG &&
			    index >= pc_capacity(m->height))) {
		struct pc_node *n = kzalloc(sizeof(*n));	/* kmalloc never sleeps */

		if (!n)
			return -ENOMEM;
		if (m->root) {
			n->slots[0] = m->root;
			n->count = 1;
		}
		m->root = n;
		m->height++;
	}
	return 0;
}

/* Put folio at index (slot must be empty). 0, -EEXIST, -ENOMEM. Locks: i_pages_lock. */
static int pc_insert(struct address_space *m, pgoff_t index, struct folio *folio)
{
	struct pc_node *node;
	unsigned int level;

	if (pc_grow(m, index))
		return -ENOMEM;
	node = m->root;
	for (level = m->height - 1; level; level--) {
		void **slot = &node->slots[pc_slot(index, level)];

		if (!*slot) {
			if (!(*slot = kzalloc(sizeof(struct pc_node))))
				return -ENOMEM;
			node->count++;
		}
		node = *slot;
	}
	if (node->slots[pc_slot(index, 0)])
		return -EEXIST;
	node->slots[pc_slot(index, 0)] = folio;
	node->count++;
	return 0;
}

/* Clear index's slot, freeing nodes that become empty. Locks: i_pages_lock. */
static void pc_delete(struct address_space *m, pgoff_t index)
{
	struct pc_node *path[BITS_PER_LONG / PC_SHIFT + 1];
	struct pc_node *node = m->root;
	int level, depth = 0;

	for (level = (int)m->height - 1; level >= 0 && node; level--) {
		path[depth++] = node;
		if (level)
			node = node->slots[pc_slot(index, (unsigned int)level)];
	}
	if (!node || depth != (int)m->height)
		return;
	for (level = 0; level < depth; level++) {
		struct pc_node *n = path[depth - 1 - level];

		n->slots[pc_slot(index, (unsigned int)level)] = NULL;
		if (--n->count)
			return;
		if (n == m->root) {
			m->root = NULL;
			m->height = 0;
		}
		kfree(n);
	}
}

/*
 * First folio with index >= *pos in the subtree of node (at level, which
 * covers the 64^(level+1) indices around *pos); *pos is advanced past the
 * empty slots skipped. Locks: i_pages_lock.
 */
static struct folio *pc_next(struct pc_node *node, unsigned int level, pgoff_t *pos)
{
	pgoff_t span = 1UL << (level * PC_SHIFT);
	pgoff_t base = *pos & ~(span * PC_SLOTS - 1);	/* first index of this node */

	for (unsigned int s = pc_slot(*pos, level); s < PC_SLOTS; s++) {
		void *e = node->slots[s];

		if (e) {
			if (!level)
				return e;
			e = pc_next(e, level - 1, pos);
			if (e)
				return e;
		}
		*pos = base + (s + 1) * span;	/* the start of slot s + 1 */
		if (!*pos)
			return NULL;		/* wrapped */
	}
	return NULL;
}

/* ---- address_space --------------------------------------------------------------- */

void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops)
{
	memset(mapping, 0, sizeof(*mapping));
	mapping->host = host;
	mapping->a_ops = a_ops;
	spin_lock_init(&mapping->i_pages_lock, "mapping.i_pages_lock");
	mutex_init(&mapping->i_mmap_lock);
	INIT_LIST_HEAD(&mapping->i_mmap);
	INIT_LIST_HEAD(&mapping->dirty_node);
	mapping->ra_pages = 32;		/* 128 KiB, Linux's default */
}

struct folio *filemap_get_folio(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;

	spin_lock(&mapping->i_pages_lock);
	folio = pc_lookup(mapping, index);
	if (folio)
		folio_get(folio);
	spin_unlock(&mapping->i_pages_lock);
	return folio;
}

int filemap_add_folio(struct address_space *mapping, struct folio *folio, pgoff_t index)
{
	int ret;

	if (!folio_test_locked(folio))
		panic("filemap_add_folio: the folio must be locked");
	folio->page.index = index;
	spin_lock(&mapping->i_pages_lock);
	ret = pc_insert(mapping, index, folio);
	if (!ret) {
		folio_get(folio);			/* the cache's reference */
		__atomic_store_n(&folio->page.mapping, mapping, __ATOMIC_RELEASE);
		mapping->nrpages++;
	}
	spin_unlock(&mapping->i_pages_lock);
	return ret;
}

void filemap_remove_folio(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	if (!folio_test_locked(folio) || !mapping)
		panic("filemap_remove_folio: folio not locked or not in a cache");
	spin_lock(&mapping->i_pages_lock);
	pc_delete(mapping, folio_index(folio));
	mapping->nrpages--;
	if (folio_test_clear_flag(folio, PG_dirty)) {
		mapping->nrdirty--;
		account_folio_cleaned();
	}
	__atomic_store_n(&folio->page.mapping, NULL, __ATOMIC_RELEASE);
	spin_unlock(&mapping->i_pages_lock);
	folio_put(folio);				/* the cache's reference */
}

/*
 * Take a clean, unmapped, otherwise unused folio out of the cache (Linux's
 * mapping_evict_folio + remove_mapping). Locks: folio locked by the caller,
 * who also holds one reference. The reference count is checked under
 * i_pages_lock, which every lookup takes to get its reference, so nobody can
 * find the folio between the check and the removal; whoever holds a
 * reference already (a read(2) copying, a fault about to map, I/O) keeps it.
 */
bool filemap_evict_folio(struct address_space *mapping, struct folio *folio)
{
	bool evict;

	if (!folio_test_locked(folio))
		panic("filemap_evict_folio: the folio must be locked");
	if (folio_mapping(folio) != mapping || folio_test_dirty(folio) ||
	    folio_test_writeback(folio) || page_mapcount(folio_page(folio)))
		return false;
	spin_lock(&mapping->i_pages_lock);
	evict = folio_ref_count(folio) == 2 && !folio_test_dirty(folio);	/* cache + caller */
	if (evict) {
		pc_delete(mapping, folio_index(folio));
		mapping->nrpages--;
		__atomic_store_n(&folio->page.mapping, NULL, __ATOMIC_RELEASE);
	}
	spin_unlock(&mapping->i_pages_lock);
	if (evict)
		folio_put(folio);			/* the cache's reference */
	return evict;
}

unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t start, pgoff_t *next,
				struct folio **batch, unsigned int nr)
{
	unsigned int n = 0;
	pgoff_t pos = start;

	spin_lock(&mapping->i_pages_lock);
	while (n < nr && mapping->root && (mapping->height * PC_SHIFT >= BITS_PER_LONG ||
					   pos < pc_capacity(mapping->height))) {
		struct folio *f = pc_next(mapping->root, mapping->height - 1, &pos);

		if (!f)
			break;
		folio_get(f);
		batch[n++] = f;
		pos = folio_index(f) + 1;
		if (!pos)
			break;
	}
	spin_unlock(&mapping->i_pages_lock);
	*next = pos;
	return n;
}

struct folio *filemap_alloc_folio(void)
{
	struct page *page = alloc_pages(0);

	if (!page)
		return NULL;
	folio_set_flag(page_folio(page), PG_locked);
	return page_folio(page);
}

struct folio *filemap_grab_folio(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio;

	for (;;) {
		folio = filemap_get_folio(mapping, index);
		if (folio) {
			folio_lock(folio);
			if (folio_mapping(folio) == mapping)
				return folio;
			folio_unlock(folio);		/* truncated meanwhile */
			folio_put(folio);
			continue;
		}
		folio = filemap_alloc_folio();
		if (!folio)
			return NULL;
		if (!filemap_add_folio(mapping, folio, index))
			return folio;			/* locked, one reference for us */
		folio_unlock(folio);
		folio_put(folio);			/* lost a race (or -ENOMEM: try the lookup) */
	}
}

int filemap_read_folio(struct file *file, struct address_space *mapping,
			      struct folio *folio)
{
	int ret;

	count_vm_event(PGPGIN);
	ret = mapping->a_ops->read_folio(file, folio);
	return ret;
}

struct folio *read_mapping_folio(struct address_space *mapping, pgoff_t index,
				 struct file *file, int *err)
{
	struct folio *folio = filemap_grab_folio(mapping, index);

	*err = -ENOMEM;
	if (!folio)
		return NULL;
	if (folio_test_uptodate(folio)) {
		folio_unlock(folio);
		return folio;
	}
	*err = filemap_read_folio(file, mapping, folio);
	if (!*err) {
		folio_wait_locked(folio);
		if (folio_test_uptodate(folio))
			return folio;
		*err = -EIO;
	}
	folio_put(folio);
	return NULL;
}

/* ---- read(2) -------------------------------------------------------------------- */

/* The uptodate folio for index, reading (with readahead) if needed; counts hits/misses. */
static struct folio *filemap_get_read_folio(struct file *file, pgoff_t index,
					    unsigned long nr, int *err)
{
	struct address_space *mapping = file->f_inode->i_mapping;
	struct file_ra_state *ra = &file->f_ra;
	struct folio *folio = filemap_get_folio(mapping, index);

	if (!folio) {
		count_vm_event(PGCACHE_MISS);
		page_cache_sync_readahead(mapping, ra, file, index, nr);
		folio = filemap_get_folio(mapping, index);
	} else {
		count_vm_event(PGCACHE_HIT);
	}
	if (folio && folio_test_readahead(folio))
		page_cache_async_readahead(mapping, ra, file, folio, index, nr);
	if (folio && folio_test_uptodate(folio))
		return folio;
	if (folio) {
		folio_wait_locked(folio);
		if (folio_test_uptodate(folio))
			return folio;
		folio_put(folio);		/* readahead failed or it was truncated: read it alone */
	}
	return read_mapping_folio(mapping, index, file, err);
}

ssize_t filemap_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct inode *inode = file->f_inode;
	size_t done = 0;
	int err = 0;

	while (to->count) {
		loff_t size = i_size_read(inode);
		pgoff_t index = (pgoff_t)(*pos >> PAGE_SHIFT);
		size_t off = (size_t)*pos & (PAGE_SIZE - 1);
		unsigned long nr = (to->count + off + PAGE_SIZE - 1) >> PAGE_SHIFT;
		struct folio *folio;
		size_t n;

		if (*pos >= size)
			break;
		folio = filemap_get_read_folio(file, index, nr, &err);
		if (!folio)
			break;
		n = MIN(MIN(to->count, PAGE_SIZE - off), (size_t)(i_size_read(inode) - *pos));
		if (*pos >= i_size_read(inode))
			n = 0;			/* truncated while we read */
		if (n && !copy_to_iter((char *)folio_address(folio) + off, n, to))
			err = -EFAULT;
		folio_put(folio);
		if (err || !n)
			break;
		file->f_ra.prev_index = index;
		*pos += (loff_t)n;
		done += n;
	}
	return done ? (ssize_t)done : err;
}

/* ---- write(2) ------------------------------------------------------------------- */

/*
 * Fill folio bytes [off, off + n) from buf. A folio not uptodate is read first,
 * unless the write covers it entirely or it lies wholly past the end of file
 * (then the rest is zeroed). Locks: folio locked (also on return). 0 or -EIO.
 */
static int write_into_folio(struct file *file, struct folio *folio, size_t off,
			    const char *buf, size_t n)
{
	struct inode *inode = file->f_inode;
	char *va = folio_address(folio);

	if (!folio_test_uptodate(folio)) {
		if (n == PAGE_SIZE || folio_pos(folio) >= i_size_read(inode)) {
			memset(va, 0, PAGE_SIZE);
		} else {
			int err = filemap_read_folio(file, inode->i_mapping, folio);

			folio_lock(folio);	/* waits for the read to finish */
			if (err || !folio_test_uptodate(folio) ||
			    folio_mapping(folio) != inode->i_mapping)
				return -EIO;
		}
		folio_mark_uptodate(folio);
	}
	memcpy(va + off, buf, n);
	folio_mark_dirty(folio);
	return 0;
}

/* Grow i_size to end if smaller. */
static void i_size_extend(struct inode *inode, loff_t end)
{
	spin_lock(&inode->i_size_lock);
	if (end > inode->i_size)
		i_size_write(inode, end);
	spin_unlock(&inode->i_size_lock);
}

/*
 * The user's bytes go through a bounce page first: copying from user space
 * while holding the folio lock could fault on a mapping of this very folio
 * and deadlock (Linux pre-faults and copies atomically instead).
 */
ssize_t generic_perform_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	struct address_space *mapping = file->f_inode->i_mapping;
	char *bounce = get_free_pages(0);
	size_t done = 0;
	int err = 0;

	if (!bounce)
		return -ENOMEM;
	while (from->count && !err) {
		size_t off = (size_t)*pos & (PAGE_SIZE - 1);
		size_t n = MIN(from->count, PAGE_SIZE - off);
		struct folio *folio;

		if (!copy_from_iter(bounce, n, from)) {
			err = -EFAULT;
			break;
		}
		folio = filemap_grab_folio(mapping, (pgoff_t)(*pos >> PAGE_SHIFT));
		if (!folio) {
			err = -ENOMEM;
			break;
		}
		err = write_into_folio(file, folio, off, bounce, n);
		folio_unlock(folio);
		folio_put(folio);
		if (err)
			break;
		*pos += (loff_t)n;
		done += n;
		i_size_extend(file->f_inode, *pos);
	}
	free_pages(bounce, 0);
	balance_dirty_pages_ratelimited(mapping);
	return done ? (ssize_t)done : err;
}

/* ---- file mmap ------------------------------------------------------------------ */

void filemap_vma_link(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_inode->i_mapping;

	mutex_lock(&mapping->i_mmap_lock);
	list_add_tail(&vma->shared_node, &mapping->i_mmap);
	mutex_unlock(&mapping->i_mmap_lock);
}

void filemap_vma_unlink(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_inode->i_mapping;

	mutex_lock(&mapping->i_mmap_lock);
	list_del(&vma->shared_node);
	mutex_unlock(&mapping->i_mmap_lock);
}

static const struct vm_operations_struct generic_file_vm_ops = {
	.open = filemap_vma_link,
	.close = filemap_vma_unlink,
	.fault = filemap_fault,
	.page_mkwrite = filemap_page_mkwrite,
};

/* f_op->mmap of page-cache files. The VMA joins the file's i_mmap list (for
 * write-protecting before writeback and for truncate). */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &generic_file_vm_ops;
	filemap_vma_link(vma);
	return 0;
}

/* A file that can never be written: a shared mapping may not become writable. */
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	return generic_file_mmap(file, vma);
}

int call_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (!file->f_op->mmap || S_ISDIR(file->f_inode->i_mode))
		return -ENODEV;
	if (!(file->f_mode & FMODE_READ))
		return -EACCES;
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE) &&
	    !(file->f_mode & FMODE_WRITE))
		return -EACCES;
	if ((vma->vm_flags & VM_SHARED) && !(file->f_mode & FMODE_WRITE))
		vma->vm_flags &= ~VM_MAYWRITE;	/* mprotect may not make it writable later */
	return file->f_op->mmap(file, vma);
}

/* After readahead: the folio at index (maybe still locked for I/O), creating and
 * reading it if readahead could not (memory); NULL without memory. */
static struct folio *filemap_grab_unlocked(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = filemap_get_folio(mapping, index);

	if (folio)
		return folio;
	folio = filemap_grab_folio(mapping, index);
	if (folio)
		folio_unlock(folio);	/* not uptodate: the fault path reads it */
	return folio;
}

/* ---- the fault path ------------------------------------------------------------- */

/*
 * ==== FAULT-LOCK POLICY: the only lines that decide about dropping the lock ====
 * <fault_policy.h>: Linux's rule (first try, not RETRY_NOWAIT) unless the
 * `hold` policy never drops; release_fault_lock() picks vma_end_read or
 * mmap_read_unlock by FAULT_FLAG_VMA_LOCK; `uptodate` locks an uptodate folio
 * holding the lock (lock_folio_maybe_drop_mmap); `retry_vma` marks I/O-only
 * retries VM_FAULT_RETRY_VMA (filemap_retry).
 */
static bool filemap_may_drop_fault_lock(const struct vm_fault *vmf)
{
	return fault_may_drop_lock(vmf);			/* POLICY: hold */
}

static void filemap_release_fault_lock(struct vm_fault *vmf)
{
	release_fault_lock(vmf);				/* POLICY: VMA lock or mmap_lock */
}
/* ==== end of the policy lines ==== */

bool folio_lock_or_retry(struct folio *folio, struct vm_fault *vmf)
{
	if (folio_trylock(folio))
		return true;
	if (filemap_may_drop_fault_lock(vmf)) {
		filemap_release_fault_lock(vmf);		/* <<< LOCK DROPPED */
		if (vmf->flags & FAULT_FLAG_KILLABLE)
			folio_wait_locked_killable(folio);
		else
			folio_wait_locked(folio);
		return false;
	}
	if (vmf->flags & FAULT_FLAG_KILLABLE) {
		if (folio_lock_killable(folio)) {
			filemap_release_fault_lock(vmf);	/* <<< LOCK DROPPED (fatal signal) */
			return false;
		}
		return true;
	}
	folio_lock(folio);				/* TRIED: sleep holding the lock */
	return true;
}

/*
 * Linux's maybe_unlock_mmap_for_io: if this attempt may drop the fault lock,
 * pin the file (the VMA may be gone as soon as the lock is), release the lock
 * and return the pinned file; else NULL and nothing changes. After a non-NULL
 * return the caller must not touch vmf->vma and must return VM_FAULT_RETRY.
 */
static struct file *maybe_unlock_mmap_for_io(struct vm_fault *vmf, struct file *fpin)
{
	struct file *file;

	if (fpin || !filemap_may_drop_fault_lock(vmf))
		return fpin;
	file = get_file(vmf->vma->vm_file);
	filemap_release_fault_lock(vmf);			/* <<< LOCK DROPPED */
	return file;
}

static pgoff_t max_index(struct inode *inode)
{
	return (pgoff_t)((i_size_read(inode) + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/* Readahead around index for a fault (Linux's do_sync_mmap_readahead): the
 * window is ra_pages centred on index, clipped to the file. */
static void do_sync_mmap_readahead(struct vm_fault *vmf, struct file *file, pgoff_t index)
{
	struct address_space *mapping = file->f_inode->i_mapping;
	struct file_ra_state *ra = &file->f_ra;
	pgoff_t start = index > mapping->ra_pages / 2 ? index - mapping->ra_pages / 2 : 0;

	(void)vmf;
	ra->start = start;
	ra->size = (unsigned int)mapping->ra_pages;
	ra->async_size = ra->size / 4;
	page_cache_ra_submit(mapping, file, ra);
}

/*
 * Lock the folio, maybe dropping the fault lock to wait (Linux's
 * lock_folio_maybe_drop_mmap). true: the folio is locked, *fpin says whether
 * the fault lock was dropped on the way. false: a fatal signal, folio not
 * locked, fault lock released (*fpin set or released here).
 */
static bool lock_folio_maybe_drop_mmap(struct vm_fault *vmf, struct folio *folio,
				       struct file **fpin, int *reason)
{
	if (folio_trylock(folio))
		return true;
	if (fault_policy_lock_uptodate() && !*fpin && folio_test_uptodate(folio)) {
		/* POLICY: uptodate - the I/O is done, someone is only mapping it: wait for
		 * the folio lock holding the fault lock instead of retrying */
		if (!(vmf->flags & FAULT_FLAG_KILLABLE)) {
			folio_lock(folio);
			return true;
		}
		if (!folio_lock_killable(folio))
			return true;
		filemap_release_fault_lock(vmf);	/* <<< LOCK DROPPED (fatal signal) */
		*reason = PGFAULT_RETRY_SIGNAL;
		return false;
	}
	if (!*fpin && filemap_may_drop_fault_lock(vmf))
		*reason = PGFAULT_RETRY_LOCKED;
	*fpin = maybe_unlock_mmap_for_io(vmf, *fpin);
	if (*fpin) {
		folio_wait_locked(folio);	/* first try: wait without the lock, then retry */
		return false;
	}
	if (vmf->flags & FAULT_FLAG_KILLABLE) {
		if (folio_lock_killable(folio)) {	/* TRIED: sleep holding the lock */
			filemap_release_fault_lock(vmf);	/* <<< LOCK DROPPED (fatal signal) */
			*reason = PGFAULT_RETRY_SIGNAL;
			return false;
		}
		return true;
	}
	folio_lock(folio);				/* TRIED: sleep holding the lock */
	return true;
}

/* The folio was found not uptodate after locking it (a failed read): read again. */
static vm_fault_t filemap_reread(struct vm_fault *vmf, struct file **fpin, struct folio *folio,
				 struct file *file, int *reason)
{
	struct address_space *mapping = file->f_inode->i_mapping;
	int err;

	*fpin = maybe_unlock_mmap_for_io(vmf, *fpin);
	if (*fpin)
		*reason = PGFAULT_RETRY_READ;
	err = filemap_read_folio(*fpin ? *fpin : file, mapping, folio);
	if (!err)
		folio_wait_locked(folio);
	if (*fpin)
		return VM_FAULT_RETRY;		/* the lock is gone: retry whatever happened */
	return !err && folio_test_uptodate(folio) ? 0 : VM_FAULT_SIGBUS;
}

/* Count the outcome of a retry; returns ret | VM_FAULT_RETRY. */
static vm_fault_t filemap_retry(const struct vm_fault *vmf, struct folio *folio,
				struct file *fpin, vm_fault_t ret, int reason)
{
	/* POLICY: retry_vma - a lock dropped only to wait for I/O (fpin) may be retried
	 * under the VMA lock; fault_retry_bits reads vmf->flags only, never vmf->vma */
	vm_fault_t retry = fpin && reason != PGFAULT_RETRY_SIGNAL ? fault_retry_bits(vmf)
								    : VM_FAULT_RETRY;

	if (folio)
		folio_put(folio);
	if (fpin)
		fput(fpin);
	count_vm_event(reason);
	return (ret & ~VM_FAULT_ERROR) | retry;
}

/*
 * A hit on the PG_readahead mark (Linux's do_async_mmap_readahead): the next
 * window is read while the fault lock is dropped (when it may be), so the
 * fault ends in VM_FAULT_RETRY even though this folio is there; the retry maps
 * it. The readahead itself only maps blocks and submits bios.
 */
static void do_async_mmap_readahead(struct vm_fault *vmf, struct file *file, struct file **fpin,
				    struct folio *folio, int *reason)
{
	struct address_space *mapping = file->f_inode->i_mapping;

	*fpin = maybe_unlock_mmap_for_io(vmf, *fpin);
	if (*fpin)
		*reason = PGFAULT_RETRY_READ;
	page_cache_async_readahead(mapping, &file->f_ra, *fpin ? *fpin : file, folio,
				   folio_index(folio), 1);
}

/* First lookup: hit (counted), or a miss that starts readahead (maybe dropping the lock). */
static struct folio *filemap_fault_find(struct vm_fault *vmf, struct file *file,
					struct file **fpin, vm_fault_t *ret, int *reason)
{
	struct address_space *mapping = file->f_inode->i_mapping;
	pgoff_t index = vmf->pgoff;
	struct folio *folio = filemap_get_folio(mapping, index);

	if (folio) {
		count_vm_event(folio_test_uptodate(folio) ? PGCACHE_HIT : PGCACHE_MISS);
		if (!folio_test_uptodate(folio))
			*ret |= VM_FAULT_MAJOR;		/* its I/O is still in flight */
		if (folio_test_readahead(folio) && !(vmf->flags & FAULT_FLAG_TRIED))
			do_async_mmap_readahead(vmf, file, fpin, folio, reason);
		return folio;
	}
	count_vm_event(PGCACHE_MISS);
	if (vmf->flags & FAULT_FLAG_TRIED)
		count_vm_event(FILEMAP_REFETCH);	/* gone after the I/O we waited for */
	count_vm_event(PGMAJFAULT);
	*ret |= VM_FAULT_MAJOR;
	*fpin = maybe_unlock_mmap_for_io(vmf, *fpin);
	if (*fpin)
		*reason = PGFAULT_RETRY_READ;
	do_sync_mmap_readahead(vmf, *fpin ? *fpin : file, index);
	return filemap_grab_unlocked(mapping, index);
}

/*
 * filemap_fault - ->fault of page-cache files (Linux 6.12's protocol,
 * reference/linux-fault-protocol.md §4.2). Called with the fault lock (mmap
 * read lock, later maybe the VMA lock). Returns:
 *   VM_FAULT_LOCKED (| MAJOR)  vmf->page = the uptodate folio, locked, with a
 *                              reference; the fault lock is still held
 *   VM_FAULT_RETRY (| MAJOR)   the fault lock was RELEASED here; nothing mapped:
 *                              on a first try (fault_flag_allow_retry_first) the
 *                              folio was not uptodate or was locked for I/O, so
 *                              we pinned the file, dropped the lock, waited for
 *                              the I/O; the retry (FAULT_FLAG_TRIED) finds it
 *   VM_FAULT_SIGBUS / OOM      lock held, nothing mapped
 * On a FAULT_FLAG_TRIED attempt we wait for I/O holding the lock. If that
 * retry finds the folio gone (reclaimed or truncated after the I/O) it reads
 * again: counted as FILEMAP_REFETCH.
 */
vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file, *fpin = NULL;
	struct inode *inode = file->f_inode;
	struct folio *folio;
	vm_fault_t ret = 0, r;
	int reason = PGFAULT_RETRY_READ;

	if (vmf->pgoff >= max_index(inode))
		return VM_FAULT_SIGBUS;
retry_find:
	folio = filemap_fault_find(vmf, file, &fpin, &ret, &reason);
	if (!folio)
		return fpin ? filemap_retry(vmf, NULL, fpin, ret, reason) : VM_FAULT_OOM;
	if (!lock_folio_maybe_drop_mmap(vmf, folio, &fpin, &reason))
		return filemap_retry(vmf, folio, fpin, ret, reason);
	if (folio_mapping(folio) != inode->i_mapping) {	/* truncated meanwhile */
		folio_unlock(folio);
		folio_put(folio);
		if (fpin)
			return filemap_retry(vmf, NULL, fpin, ret, reason);
		goto retry_find;
	}
	if (fpin) {			/* lock dropped while reading: the retry maps it */
		folio_unlock(folio);
		return filemap_retry(vmf, folio, fpin, ret, reason);
	}
	if (!folio_test_uptodate(folio)) {
		r = filemap_reread(vmf, &fpin, folio, file, &reason);
		if (r & VM_FAULT_RETRY)
			return filemap_retry(vmf, folio, fpin, ret, reason);
		if (r) {
			folio_put(folio);
			return VM_FAULT_SIGBUS;
		}
		folio_lock(folio);
		if (folio_mapping(folio) != inode->i_mapping || !folio_test_uptodate(folio)) {
			folio_unlock(folio);
			folio_put(folio);
			goto retry_find;
		}
	}
	if (vmf->pgoff >= max_index(inode)) {		/* truncated below us */
		folio_unlock(folio);
		folio_put(folio);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = folio_page(folio);
	return ret | VM_FAULT_LOCKED;
}

/*
 * A write to a shared file mapping (first write after mapping read-only, or
 * after writeback write-protected it): dirty the folio. Returns it locked
 * (VM_FAULT_LOCKED), or VM_FAULT_NOPAGE when it was truncated (the access
 * runs again and faults afresh). Waits for writeback in flight, so the
 * device never sees the page change under a write (stable pages).
 */
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct folio *folio = page_folio(vmf->page);
	struct address_space *mapping = vmf->vma->vm_file->f_inode->i_mapping;

	folio_lock(folio);
	if (folio_mapping(folio) != mapping) {
		folio_unlock(folio);
		return VM_FAULT_NOPAGE;
	}
	folio_mark_dirty(folio);
	folio_wait_writeback(folio);
	return VM_FAULT_LOCKED;
}

/* ---- the initramfs as an address_space -------------------------------------------- */

unsigned int ramfs_read_delay_ms;	/* [a] tests only */

struct ramfs_io {
	struct timer_list timer;
	struct folio *folio;
};

/* Copy the folio's bytes from the archive, zero past the end of file. */
static void ramfs_copy(struct folio *folio)
{
	struct inode *inode = folio_mapping(folio)->host;
	loff_t off = folio_pos(folio), size = i_size_read(inode);
	size_t n = off < size ? MIN(PAGE_SIZE, (size_t)(size - off)) : 0;
	char *va = folio_address(folio);

	if (n)
		memcpy(va, (const char *)inode->i_private + off, n);
	memset(va + n, 0, PAGE_SIZE - n);
}

/* Timer (IRQ context): the "device" finished. */
static void ramfs_io_done(struct timer_list *t)
{
	struct ramfs_io *io = container_of(t, struct ramfs_io, timer);

	ramfs_copy(io->folio);
	folio_end_read(io->folio, true);
	kfree(io);
}

static int ramfs_read_folio(struct file *file, struct folio *folio)
{
	unsigned int delay = __atomic_load_n(&ramfs_read_delay_ms, __ATOMIC_RELAXED);
	struct ramfs_io *io = delay ? kmalloc(sizeof(*io)) : NULL;

	(void)file;
	if (!io) {
		ramfs_copy(folio);
		folio_end_read(folio, true);
		return 0;
	}
	io->folio = folio;		/* the cache's reference keeps it: it is locked */
	timer_setup(&io->timer, ramfs_io_done, 0);
	mod_timer(&io->timer, get_jiffies() + msecs_to_jiffies(delay));
	return 0;
}

const struct address_space_operations ramfs_aops = {
	.read_folio = ramfs_read_folio,
};
