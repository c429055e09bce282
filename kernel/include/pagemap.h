/*
 * pagemap.h - the page cache: folios, their lock and flags, struct
 * address_space (one per inode: an index of the file's cached folios), the
 * operations a file system supplies (a_ops), and the generic read, write,
 * mmap, writeback and truncate helpers built on them. docs/page-cache.md
 * tells the story; kernel/mm/{filemap,readahead,page-writeback,truncate}.c
 * hold the code. Names and meanings are Linux's (include/linux/pagemap.h).
 *
 * A folio is Linux's view of "a page that is a unit of I/O and caching". Our
 * folios are single pages: struct folio overlays struct page, so
 * page_folio()/&folio->page are casts. The page-cache state lives in
 * page->flags (PG_locked, PG_uptodate, PG_dirty, PG_writeback, ...),
 * page->mapping and page->index.
 *
 * The folio lock (PG_locked) is a sleeping bit lock held across I/O: the
 * reader that starts I/O locks the folio, the completion (bio end_io, IRQ
 * context) sets PG_uptodate and unlocks it (folio_end_read). Waiters sleep
 * on one of FOLIO_WAIT_TABLE_SIZE hashed wait queues, as in Linux: the
 * folio itself carries no wait queue.
 */
#ifndef FAULTLINE_PAGEMAP_H
#define FAULTLINE_PAGEMAP_H

#include <types.h>
#include <list.h>
#include <spinlock.h>
#include <mutex.h>
#include <wait.h>
#include <page_alloc.h>
#include <mm_types.h>

typedef int64_t loff_t;		/* also in <fs.h> (C11 allows the repeat) */

struct inode;
struct file;
struct iov_iter;
struct vm_fault;

/* ---- folios ------------------------------------------------------------------ */

struct folio {
	struct page page;	/* order-0 folios only: the folio is its page */
};

static inline struct folio *page_folio(struct page *page) { return (struct folio *)page; }
static inline struct page *folio_page(struct folio *folio) { return &folio->page; }
static inline void *folio_address(struct folio *folio) { return page_address(&folio->page); }
static inline pgoff_t folio_index(const struct folio *folio) { return folio->page.index; }
static inline loff_t folio_pos(const struct folio *folio)
{
	return (loff_t)folio->page.index << PAGE_SHIFT;
}
static inline size_t folio_size(const struct folio *folio) { (void)folio; return PAGE_SIZE; }
static inline void folio_get(struct folio *folio) { get_page(&folio->page); }
static inline void folio_put(struct folio *folio) { put_page(&folio->page); }
static inline int folio_ref_count(const struct folio *folio) { return page_count(&folio->page); }
static inline struct address_space *folio_mapping(const struct folio *folio)
{
	return __atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);
}

/* Atomic flag helpers on page->flags (PG_* of page_alloc.h). */
static inline bool folio_test_flag(const struct folio *f, uint32_t bit)
{
	return __atomic_load_n(&f->page.flags, __ATOMIC_ACQUIRE) & bit;
}
static inline void folio_set_flag(struct folio *f, uint32_t bit)
{
	__atomic_fetch_or(&f->page.flags, bit, __ATOMIC_ACQ_REL);
}
static inline void folio_clear_flag(struct folio *f, uint32_t bit)
{
	__atomic_fetch_and(&f->page.flags, ~bit, __ATOMIC_ACQ_REL);
}
/* Set bit; true if it was already set. */
static inline bool folio_test_set_flag(struct folio *f, uint32_t bit)
{
	return __atomic_fetch_or(&f->page.flags, bit, __ATOMIC_ACQ_REL) & bit;
}
static inline bool folio_test_clear_flag(struct folio *f, uint32_t bit)
{
	return __atomic_fetch_and(&f->page.flags, ~bit, __ATOMIC_ACQ_REL) & bit;
}

#define folio_test_locked(f)	folio_test_flag((f), PG_locked)
#define folio_test_uptodate(f)	folio_test_flag((f), PG_uptodate)
#define folio_test_dirty(f)	folio_test_flag((f), PG_dirty)
#define folio_test_writeback(f)	folio_test_flag((f), PG_writeback)
#define folio_test_readahead(f)	folio_test_flag((f), PG_readahead)
#define folio_test_error(f)	folio_test_flag((f), PG_error)

/* Mark uptodate; the release orders the data before the flag. */
static inline void folio_mark_uptodate(struct folio *f) { folio_set_flag(f, PG_uptodate); }

/* The folio lock. folio_lock sleeps until it has it; folio_trylock never sleeps.
 * folio_unlock wakes the waiters (any context, also IRQ). */
bool folio_trylock(struct folio *folio);
void folio_lock(struct folio *folio);		/* Sleeps: yes */
int folio_lock_killable(struct folio *folio);	/* 0 or -EINTR (fatal signal). Sleeps: yes */
void folio_unlock(struct folio *folio);
void folio_wait_locked(struct folio *folio);	/* until unlocked, without taking it */
int folio_wait_locked_killable(struct folio *folio);
void folio_wait_writeback(struct folio *folio);	/* until PG_writeback clears. Sleeps: yes */
/* I/O done: set uptodate if success (else PG_error), unlock, wake. Any context. */
void folio_end_read(struct folio *folio, bool success);
void folio_start_writeback(struct folio *folio);	/* Locks: folio locked */
void folio_end_writeback(struct folio *folio);		/* any context */
/*
 * Lock the folio for a fault, or drop the fault lock and wait (Linux's
 * folio_lock_or_retry): true with the folio locked; false when the fault
 * lock was released (first try: waited for the folio to unlock; or a fatal
 * signal) and the fault must return VM_FAULT_RETRY. Sleeps: yes.
 */
bool folio_lock_or_retry(struct folio *folio, struct vm_fault *vmf);

/* ---- address_space ------------------------------------------------------------ */

struct writeback_control {
	bool sync;		/* WB_SYNC_ALL: wait for folios already under writeback */
	long nr_to_write;	/* stop after this many (flusher), LONG_MAX for fsync */
	long nr_written;	/* out */
};

/*
 * What a file system provides (Linux's address_space_operations):
 * read_folio  folio locked, not uptodate, in the cache: start the read and
 *             return; the completion calls folio_end_read (which unlocks).
 *             0 or -errno (then the folio must be unlocked already).
 * writepage   folio locked, PG_writeback set by the caller, dirty bit
 *             already cleared: start the write, unlock the folio, and call
 *             folio_end_writeback when the data is on the device (may be
 *             before returning). 0 or -errno (the caller redirties).
 * dirty_folio optional: the fs notes a folio became dirty (true if it did).
 * fsync       optional: after the folios are written, make the metadata
 *             (inode, indirect blocks) durable too.
 */
struct address_space_operations {
	int (*read_folio)(struct file *file, struct folio *folio);
	int (*writepage)(struct folio *folio, struct writeback_control *wbc);
	bool (*dirty_folio)(struct address_space *mapping, struct folio *folio);
	int (*fsync)(struct inode *inode);
};

struct pc_node;

/*
 * The page cache of one inode.
 * Locking legend:
 *   [X] i_pages_lock (spinlock): the index, nrpages, nrdirty, folio->mapping
 *   [M] i_mmap_lock (mutex): i_mmap, the shared and private VMAs mapping it
 *   [W] wb_lock (page-writeback.c): dirty_node, on_dirty_list
 *   [I] set by address_space_init, fixed after
 *   [a] atomic
 */
struct address_space {
	struct inode *host;				/* [I] */
	const struct address_space_operations *a_ops;	/* [I] */
	spinlock_t i_pages_lock;
	struct pc_node *root;			/* [X] radix tree of folios by index */
	unsigned int height;			/* [X] levels; covers 64^height indices */
	unsigned long nrpages;			/* [X] folios in the cache */
	unsigned long nrdirty;			/* [X] of those, PG_dirty */
	struct mutex i_mmap_lock;
	struct list_head i_mmap;		/* [M] vm_area_struct.shared_node */
	struct list_head dirty_node;		/* [W] on the flusher's list */
	bool on_dirty_list;			/* [W] */
	unsigned int wb_users;			/* [W] flusher/sync threads writing it now */
	int wb_err;				/* [a] last writeback error, reported by fsync */
	unsigned long ra_pages;			/* [I] readahead window maximum (pages) */
};

void address_space_init(struct address_space *mapping, struct inode *host,
			const struct address_space_operations *a_ops);

/* The cached folio at index with a reference for the caller, or NULL. Sleeps: no. */
struct folio *filemap_get_folio(struct address_space *mapping, pgoff_t index);
/* Insert a new locked folio; 0, -EEXIST (someone was first) or -ENOMEM. Sleeps: no. */
int filemap_add_folio(struct address_space *mapping, struct folio *folio, pgoff_t index);
/* Find or create (locked, with a reference) the folio at index. NULL without memory. */
struct folio *filemap_grab_folio(struct address_space *mapping, pgoff_t index);
/* The uptodate folio at index (read if needed, waiting), with a reference, or an
 * ERR value: NULL and *err = -ENOMEM/-EIO. Sleeps: yes. */
struct folio *read_mapping_folio(struct address_space *mapping, pgoff_t index,
				 struct file *file, int *err);
/* Up to nr folios with index >= start (ascending), each with a reference; returns
 * how many. *next = index after the last one. Sleeps: no. */
unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t start, pgoff_t *next,
				struct folio **batch, unsigned int nr);
/* A fresh locked folio, in no cache, or NULL. Sleeps: no. */
struct folio *filemap_alloc_folio(void);
/* Start a_ops->read_folio on a locked folio in the cache (counts pgpgin); 0 or
 * -errno. The folio is unlocked when the read completes (or already on error). */
int filemap_read_folio(struct file *file, struct address_space *mapping, struct folio *folio);
/* Take a locked folio out of the cache (truncate, reclaim). Locks: folio locked. */
void filemap_remove_folio(struct folio *folio);

/* ---- read, write, mmap (filemap.c) ---------------------------------------------- */

/* read(2) through the cache at *pos: bytes copied or -errno. Sleeps: yes. */
ssize_t filemap_read(struct file *file, struct iov_iter *to, loff_t *pos);
/* write(2) through the cache at *pos (O_APPEND: the caller sets *pos): dirties
 * folios, grows i_size. Bytes written or -errno. Locks: the caller serializes
 * writers of the inode (i_rwsem when the VFS has it). Sleeps: yes. */
ssize_t generic_perform_write(struct file *file, struct iov_iter *from, loff_t *pos);
vm_fault_t filemap_fault(struct vm_fault *vmf);
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf);
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma);

/* ---- readahead (readahead.c) ------------------------------------------------------
 * Per open file state (Linux's file_ra_state). [P] f_pos_lock or racy-but-harmless. */
struct file_ra_state {
	pgoff_t start;		/* first page of the current window */
	unsigned int size;	/* pages in it */
	unsigned int async_size; /* the last async_size pages are the async trigger */
	pgoff_t prev_index;	/* last page read */
};
/* Read the missing folios of ra's window [start, start + size) inside the file,
 * marking PG_readahead async_size pages before its end. Pages started. */
unsigned long page_cache_ra_submit(struct address_space *mapping, struct file *file,
				   struct file_ra_state *ra);
void page_cache_sync_readahead(struct address_space *mapping, struct file_ra_state *ra,
			       struct file *file, pgoff_t index, unsigned long req_count);
void page_cache_async_readahead(struct address_space *mapping, struct file_ra_state *ra,
				struct file *file, struct folio *folio, pgoff_t index,
				unsigned long req_count);

/* ---- dirty folios and writeback (page-writeback.c) -------------------------------- */

bool folio_mark_dirty(struct folio *folio);	/* true if it was clean. Sleeps: no */
void account_folio_cleaned(void);		/* a dirty folio left its cache unwritten */
/* Before writing a folio back: write-protect every shared PTE mapping it (so the
 * next store faults and dirties it again) and clear PG_dirty. True if it was
 * dirty. Locks: folio locked. Sleeps: yes. */
bool folio_clear_dirty_for_io(struct folio *folio);
/* Write the dirty folios of [start, end] (bytes) and wait for them. 0 or -errno. */
int filemap_write_and_wait_range(struct address_space *mapping, loff_t start, loff_t end);
int filemap_fdatawrite(struct address_space *mapping, struct writeback_control *wbc);
/* fsync(2)'s generic part: data, then a_ops->fsync. */
int vfs_fsync_range(struct file *file, loff_t start, loff_t end);
long sys_msync(unsigned long start, size_t len, int flags);
/* After a write(2): wake the flusher when too much is dirty. Sleeps: no. */
void balance_dirty_pages_ratelimited(struct address_space *mapping);
void wakeup_flusher_threads(void);	/* write everything dirty soon */
void sync_all_mappings(void);		/* write every dirty folio and wait (sync, unmount) */
void pagecache_init(void);		/* wait table; starts the flusher thread */
void folio_wait_table_init(void);
extern unsigned int dirty_writeback_interval_ms;	/* flusher period, default 500 */

/* ---- truncate (truncate.c) ----------------------------------------------------------- */

/* Zap pages [start, start + nr) of the file (nr 0: to the end) from every VMA mapping
 * it, private COW copies included. Locks: none (takes i_mmap_lock). Sleeps: yes. */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr);
/* Drop every cached folio from byte lstart on (waits for I/O; dirty data is lost). */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart);
/* i_size changes to newsize: unmap and drop the folios past it, zero the tail of
 * the last one. The fs updates its blocks. Sleeps: yes. */
void truncate_pagecache(struct inode *inode, loff_t newsize);
/* Drop the clean, unmapped, unused folios of [start, end] (indices) that can be
 * locked without waiting; dirty, writeback, mapped, locked or otherwise
 * referenced ones stay. Returns the number dropped. Sleeps: no (drop_caches). */
unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end);
/* The eviction of one folio: locked by the caller, who holds one reference. */
bool filemap_evict_folio(struct address_space *mapping, struct folio *folio);
/* Inode going away: drop everything and leave the flusher's list. */
void truncate_inode_pages_final(struct address_space *mapping);
/* Leave the flusher's list and wait until no writeback thread uses mapping. */
void mapping_leave_writeback(struct address_space *mapping);

/* ---- fault-path helpers -------------------------------------------------------------- */
/* VMA lifetime hooks for file mappings (vm_ops open/close): keep mapping->i_mmap. */
void filemap_vma_link(struct vm_area_struct *vma);
void filemap_vma_unlink(struct vm_area_struct *vma);

/* ---- test hook ------------------------------------------------------------------------ */
/* Test-only latency of the initramfs read_folio (ms; 0 = synchronous copy): the
 * copy then completes from a timer, like a disk read, so faults see locked folios. */
extern unsigned int ramfs_read_delay_ms;

#endif
