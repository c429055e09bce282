/*
 * filemap_test.c - in-kernel tests of the page cache (ktest=pc_).
 *
 * Files are made in a private tree (ramfs_new_tree + ramfs_create) with their
 * bytes in a kernel buffer, like initramfs files; the writeback tests swap
 * in a_ops whose "disk" is another kernel buffer. Faults are driven with
 * handle_mm_fault on a real mm (no user mode needed), so the lock state on
 * return can be checked exactly as the protocol states it.
 */
#include <ktest.h>
#include <pagemap.h>
#include <fs.h>
#include <mmap.h>
#include <vmstat.h>
#include <sched.h>
#include <slab.h>
#include <string.h>
#include <uapi/faultline/mman.h>

#define NPAGES	3

struct pc_file {
	struct dentry *root;
	struct inode *inode;
	struct file *file;
	char *data;			/* the file's bytes ("archive") */
};

static bool pc_file_make(struct pc_file *pf, int flags)
{
	memset(pf, 0, sizeof(*pf));
	pf->data = kmalloc(NPAGES * PAGE_SIZE);
	pf->root = ramfs_new_tree();
	if (!pf->data || !pf->root)
		return false;
	for (size_t i = 0; i < NPAGES * PAGE_SIZE; i++)
		pf->data[i] = (char)(i / PAGE_SIZE + 'a');
	{
		struct dentry *d = ramfs_create(pf->root, "f", 1, S_IFREG | 0644);

		if (!d)
			return false;
		pf->inode = d->d_inode;
	}
	pf->inode->i_size = NPAGES * PAGE_SIZE;
	pf->inode->i_private = pf->data;
	pf->file = alloc_file(pf->inode, (unsigned int)flags, &ramfs_file_operations);
	return pf->file != NULL;
}

static void pc_file_free(struct pc_file *pf)
{
	if (pf->file)
		fput(pf->file);
	if (pf->root)
		ramfs_free_tree(pf->root);
	kfree(pf->data);
}

/* The radix index: sparse indices, ordered iteration, nodes freed when empty. */
KTEST(pc_index)
{
	static const pgoff_t idx[] = { 0, 63, 64, 4095, 1UL << 20, 5 };
	struct address_space m;
	struct folio *f[6], *batch[8];
	pgoff_t next;
	unsigned int n;

	address_space_init(&m, NULL, &ramfs_aops);
	for (int i = 0; i < 6; i++) {
		f[i] = filemap_alloc_folio();
		KT_ASSERT(t, f[i]);
		KT_EXPECT_EQ(t, filemap_add_folio(&m, f[i], idx[i]), 0);
	}
	KT_EXPECT_EQ(t, filemap_add_folio(&m, f[0], 63), -EEXIST);
	KT_EXPECT_EQ(t, m.nrpages, 6);
	for (int i = 0; i < 6; i++) {
		struct folio *g = filemap_get_folio(&m, idx[i]);

		KT_EXPECT(t, g == f[i]);
		if (g)
			folio_put(g);
	}
	KT_EXPECT(t, !filemap_get_folio(&m, 62) && !filemap_get_folio(&m, (1UL << 20) + 1));
	n = filemap_get_folios(&m, 6, &next, batch, 8);
	KT_EXPECT_EQ(t, n, 4);
	KT_EXPECT(t, n == 4 && batch[0] == f[1] && batch[1] == f[2] && batch[3] == f[4]);
	for (unsigned int i = 0; i < n; i++)
		folio_put(batch[i]);
	for (int i = 0; i < 6; i++) {
		filemap_remove_folio(f[i]);
		folio_unlock(f[i]);
		KT_EXPECT_EQ(t, folio_ref_count(f[i]), 1);
		folio_put(f[i]);
	}
	KT_EXPECT(t, m.nrpages == 0 && m.root == NULL && m.height == 0);
}

struct locker {
	struct folio *folio;
	int got;
};

static void lock_it(void *arg)
{
	struct locker *l = arg;

	folio_lock(l->folio);
	__atomic_store_n(&l->got, 1, __ATOMIC_RELEASE);
	folio_unlock(l->folio);
}

/* folio_lock sleeps until the holder unlocks; folio_end_read wakes and sets uptodate. */
KTEST(pc_folio_lock_wait)
{
	struct folio *folio = filemap_alloc_folio();	/* comes locked */
	struct locker l = { folio, 0 };
	struct thread *th;

	KT_ASSERT(t, folio);
	KT_EXPECT(t, !folio_trylock(folio));
	th = kthread_run(lock_it, &l, "pc-locker");
	KT_ASSERT(t, th);
	msleep(30);
	KT_EXPECT_EQ(t, __atomic_load_n(&l.got, __ATOMIC_ACQUIRE), 0);
	folio_end_read(folio, true);
	thread_join(th);
	KT_EXPECT_EQ(t, l.got, 1);
	KT_EXPECT(t, folio_test_uptodate(folio) && !folio_test_locked(folio));
	folio_put(folio);
}

/* read(2) through the cache: contents, hits on the second read, readahead. */
KTEST(pc_read_through_cache)
{
	struct pc_file pf;
	char *buf = kmalloc(NPAGES * PAGE_SIZE);
	struct iov_iter it;
	unsigned long hit0, ra0;
	loff_t pos = 0;

	KT_ASSERT(t, buf && pc_file_make(&pf, O_RDONLY));
	ra0 = sum_vm_event(PGREADAHEAD);
	iov_iter_init(&it, false, buf, 10);
	KT_EXPECT_EQ(t, filemap_read(pf.file, &it, &pos), 10);
	KT_EXPECT(t, sum_vm_event(PGREADAHEAD) - ra0 >= NPAGES);	/* the whole small file */
	KT_EXPECT_EQ(t, pf.inode->i_mapping->nrpages, NPAGES);
	hit0 = sum_vm_event(PGCACHE_HIT);
	pos = 0;
	iov_iter_init(&it, false, buf, NPAGES * PAGE_SIZE + 50);
	KT_EXPECT_EQ(t, filemap_read(pf.file, &it, &pos), NPAGES * PAGE_SIZE);
	KT_EXPECT(t, !memcmp(buf, pf.data, NPAGES * PAGE_SIZE));
	KT_EXPECT(t, sum_vm_event(PGCACHE_HIT) - hit0 >= NPAGES);
	kfree(buf);
	pc_file_free(&pf);
}

struct pc_counts {
	unsigned long maj, miss, retry_read, retry_locked, refetch;
};

static void pc_counts(struct pc_counts *c)
{
	c->maj = sum_vm_event(PGMAJFAULT);
	c->miss = sum_vm_event(PGCACHE_MISS);
	c->retry_read = sum_vm_event(PGFAULT_RETRY_READ);
	c->retry_locked = sum_vm_event(PGFAULT_RETRY_LOCKED);
	c->refetch = sum_vm_event(FILEMAP_REFETCH);
}

/* One attempt, as the fault loop makes it: mmap_lock taken here; on return
 * *still_locked says whether the handler left it held. */
static vm_fault_t attempt(struct mm_struct *mm, unsigned long addr, unsigned int extra,
			  bool *still_locked)
{
	struct vm_area_struct *vma;
	vm_fault_t r;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	r = handle_mm_fault(vma, addr, FAULT_FLAG_DEFAULT | FAULT_FLAG_USER | extra, NULL);
	if (!(r & (VM_FAULT_RETRY | VM_FAULT_COMPLETED))) {
		*still_locked = rwsem_is_locked(&mm->mmap_lock);
		mmap_read_unlock(mm);
	} else if (down_write_trylock(&mm->mmap_lock)) {
		up_write(&mm->mmap_lock);	/* released, as RETRY promises */
		*still_locked = false;
	} else {
		*still_locked = true;
	}
	return r;
}

/*
 * The protocol with slow I/O (ramfs_read_delay_ms): a first try on a page
 * whose read must start returns VM_FAULT_RETRY|VM_FAULT_MAJOR with the lock
 * released and nothing mapped; the TRIED retry maps it. A page locked by I/O
 * in flight: RETRY (reason "locked"). A page gone after the I/O: the TRIED
 * attempt reads it again holding the lock (refetch).
 */
KTEST(pc_fault_retry_protocol)
{
	struct pc_file pf;
	struct mm_struct *mm = mm_alloc();
	struct pc_counts c0, c1;
	unsigned long addr;
	struct folio *folio;
	bool locked;
	vm_fault_t r;
	phys_addr_t pa;

	KT_ASSERT(t, mm && pc_file_make(&pf, O_RDONLY));
	addr = do_mmap(mm, 0, NPAGES * PAGE_SIZE, PROT_READ, MAP_PRIVATE, pf.file, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	__atomic_store_n(&ramfs_read_delay_ms, 40, __ATOMIC_RELAXED);

	/* 1. first try on a missing page: read started, lock dropped, RETRY|MAJOR. */
	pc_counts(&c0);
	r = attempt(mm, addr, 0, &locked);
	pc_counts(&c1);
	KT_EXPECT_EQ(t, r, VM_FAULT_RETRY | VM_FAULT_MAJOR);
	KT_EXPECT(t, !locked);
	KT_EXPECT(t, !follow_pte(mm, addr, &pa, NULL));		/* nothing mapped */
	KT_EXPECT_EQ(t, c1.retry_read - c0.retry_read, 1);
	KT_EXPECT_EQ(t, c1.maj - c0.maj, 1);
	KT_EXPECT(t, c1.miss > c0.miss);
	/* 2. the retry (TRIED) finds it uptodate and maps it. */
	r = attempt(mm, addr, FAULT_FLAG_TRIED, &locked);
	KT_EXPECT_EQ(t, r, 0);
	KT_EXPECT(t, locked);
	KT_EXPECT(t, follow_pte(mm, addr, &pa, NULL) && *(char *)__va(pa) == 'a');

	/* 3. a page locked for I/O in flight: first try waits without the lock. */
	truncate_inode_pages_range(pf.inode->i_mapping, PAGE_SIZE);	/* "reclaim" 1, 2 */
	folio = filemap_grab_folio(pf.inode->i_mapping, 2);
	KT_ASSERT(t, folio);
	filemap_read_folio(pf.file, pf.inode->i_mapping, folio);	/* 40 ms "disk" read */
	pc_counts(&c0);
	r = attempt(mm, addr + 2 * PAGE_SIZE, 0, &locked);
	pc_counts(&c1);
	KT_EXPECT_EQ(t, r, VM_FAULT_RETRY | VM_FAULT_MAJOR);
	KT_EXPECT(t, !locked);
	KT_EXPECT_EQ(t, c1.retry_locked - c0.retry_locked, 1);
	KT_EXPECT(t, folio_test_uptodate(folio));		/* we waited for the I/O */
	folio_put(folio);
	r = attempt(mm, addr + 2 * PAGE_SIZE, FAULT_FLAG_TRIED, &locked);
	KT_EXPECT(t, r == 0 && locked);

	/* 4. first try starts the read of page 1; the folio is gone before the retry. */
	r = attempt(mm, addr + PAGE_SIZE, 0, &locked);
	KT_EXPECT_EQ(t, r, VM_FAULT_RETRY | VM_FAULT_MAJOR);
	folio = filemap_get_folio(pf.inode->i_mapping, 1);
	KT_ASSERT(t, folio);
	folio_put(folio);
	truncate_inode_pages_range(pf.inode->i_mapping, PAGE_SIZE);	/* drop 1 (2 is mapped: zapped too) */
	pc_counts(&c0);
	r = attempt(mm, addr + PAGE_SIZE, FAULT_FLAG_TRIED, &locked);
	pc_counts(&c1);
	KT_EXPECT_EQ(t, r, VM_FAULT_MAJOR);			/* waited holding the lock */
	KT_EXPECT(t, locked);
	KT_EXPECT_EQ(t, c1.refetch - c0.refetch, 1);
	KT_EXPECT_EQ(t, c1.retry_read + c1.retry_locked, c0.retry_read + c0.retry_locked);
	KT_EXPECT(t, follow_pte(mm, addr + PAGE_SIZE, &pa, NULL) && *(char *)__va(pa) == 'b');

	__atomic_store_n(&ramfs_read_delay_ms, 0, __ATOMIC_RELAXED);
	mmput(mm);
	pc_file_free(&pf);
}

/*
 * A hit on the readahead mark (do_async_mmap_readahead): a first try starts the
 * next window with the lock dropped and returns VM_FAULT_RETRY without MAJOR
 * although the page is uptodate; the retry (no TRIED: it was not major) maps it.
 * A TRIED attempt never starts async readahead.
 */
KTEST(pc_fault_async_readahead_drops_lock)
{
	struct pc_file pf;
	struct mm_struct *mm = mm_alloc();
	struct pc_counts c0, c1;
	struct folio *folio;
	unsigned long addr;
	bool locked;
	vm_fault_t r;
	phys_addr_t pa;
	int err;

	KT_ASSERT(t, mm && pc_file_make(&pf, O_RDONLY));
	addr = do_mmap(mm, 0, NPAGES * PAGE_SIZE, PROT_READ, MAP_PRIVATE, pf.file, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	folio = read_mapping_folio(pf.inode->i_mapping, 1, pf.file, &err);
	KT_ASSERT(t, folio);
	folio_set_flag(folio, PG_readahead);
	pc_counts(&c0);
	r = attempt(mm, addr + PAGE_SIZE, FAULT_FLAG_TRIED, &locked);
	KT_EXPECT(t, r == 0 && locked);				/* TRIED: mapped, no readahead */
	KT_EXPECT(t, folio_test_readahead(folio));
	mmap_write_lock(mm);
	zap_page_range(find_vma(mm, addr), addr, addr + NPAGES * PAGE_SIZE);
	mmap_write_unlock(mm);
	r = attempt(mm, addr + PAGE_SIZE, 0, &locked);
	pc_counts(&c1);
	KT_EXPECT_EQ(t, r, VM_FAULT_RETRY);			/* not MAJOR: the page was there */
	KT_EXPECT(t, !locked);
	KT_EXPECT(t, !folio_test_readahead(folio));		/* the next window was started */
	KT_EXPECT(t, !follow_pte(mm, addr + PAGE_SIZE, &pa, NULL));
	KT_EXPECT_EQ(t, c1.retry_read - c0.retry_read, 1);
	KT_EXPECT_EQ(t, c1.maj, c0.maj);
	r = attempt(mm, addr + PAGE_SIZE, 0, &locked);
	KT_EXPECT(t, r == 0 && locked);
	KT_EXPECT(t, follow_pte(mm, addr + PAGE_SIZE, &pa, NULL) && *(char *)__va(pa) == 'b');
	folio_put(folio);
	mmput(mm);
	pc_file_free(&pf);
}

/* ---- writeback: a_ops whose "disk" is a kernel buffer ------------------------------ */

static char *test_disk;		/* NPAGES pages */
static int test_writes;

static int disk_read_folio(struct file *file, struct folio *folio)
{
	(void)file;
	memcpy(folio_address(folio), test_disk + folio_pos(folio), PAGE_SIZE);
	folio_end_read(folio, true);
	return 0;
}

static int disk_writepage(struct folio *folio, struct writeback_control *wbc)
{
	(void)wbc;
	memcpy(test_disk + folio_pos(folio), folio_address(folio), PAGE_SIZE);
	__atomic_fetch_add(&test_writes, 1, __ATOMIC_RELAXED);
	folio_unlock(folio);
	folio_end_writeback(folio);
	return 0;
}

static const struct address_space_operations disk_aops = {
	.read_folio = disk_read_folio,
	.writepage = disk_writepage,
};

static bool pte_w(struct mm_struct *mm, unsigned long addr)
{
	unsigned int prot = 0;

	return follow_pte(mm, addr, NULL, &prot) && (prot & PTE_W);
}

static int touch_write(struct mm_struct *mm, unsigned long addr)
{
	int ret;

	mmap_read_lock(mm);
	ret = fixup_user_fault(mm, addr, FAULT_FLAG_USER | FAULT_FLAG_WRITE, NULL);
	mmap_read_unlock(mm);
	return ret;
}

/* write(2) dirties; fsync writes; MAP_SHARED stores dirty via page_mkwrite; writeback
 * write-protects; the flusher writes on its own; truncate unmaps and drops. */
KTEST(pc_writeback_and_shared_mmap)
{
	struct pc_file pf;
	struct mm_struct *mm = mm_alloc();
	struct address_space *m;
	struct iov_iter it;
	char msg[] = "hello";
	unsigned long addr;
	phys_addr_t pa;
	loff_t pos = PAGE_SIZE + 10;
	int w0;

	test_disk = kzalloc(NPAGES * PAGE_SIZE);
	KT_ASSERT(t, mm && test_disk && pc_file_make(&pf, O_RDWR));
	m = pf.inode->i_mapping;
	m->a_ops = &disk_aops;
	memset(test_disk, 'x', NPAGES * PAGE_SIZE);
	iov_iter_init(&it, false, msg, 5);
	KT_EXPECT_EQ(t, generic_perform_write(pf.file, &it, &pos), 5);
	KT_EXPECT_EQ(t, m->nrdirty, 1);
	KT_EXPECT_EQ(t, vfs_fsync_range(pf.file, 0, INT64_MAX), 0);
	KT_EXPECT(t, m->nrdirty == 0 && !memcmp(test_disk + PAGE_SIZE + 10, "hello", 5) &&
		  test_disk[PAGE_SIZE + 9] == 'x');		/* partial write read the rest first */

	addr = do_mmap(mm, 0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, pf.file, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	KT_EXPECT_EQ(t, touch_write(mm, addr), 0);		/* do_shared_fault: dirty + writable */
	KT_EXPECT(t, pte_w(mm, addr) && m->nrdirty == 1);
	KT_ASSERT(t, follow_pte(mm, addr, &pa, NULL));
	*(char *)__va(pa) = 'S';				/* the "user" store */
	w0 = test_writes;
	KT_EXPECT_EQ(t, filemap_write_and_wait_range(m, 0, INT64_MAX), 0);
	KT_EXPECT(t, test_disk[0] == 'S' && test_writes == w0 + 1);
	KT_EXPECT(t, !pte_w(mm, addr) && m->nrdirty == 0);	/* write-protected again */
	KT_EXPECT_EQ(t, touch_write(mm, addr), 0);		/* do_wp_page -> page_mkwrite */
	KT_EXPECT(t, pte_w(mm, addr) && m->nrdirty == 1);
	*(char *)__va(pa) = 'T';
	for (int i = 0; i < 300 && test_disk[0] != 'T'; i++)	/* the flusher, within 3 s */
		msleep(10);
	KT_EXPECT_EQ(t, test_disk[0], 'T');

	KT_EXPECT_EQ(t, touch_write(mm, addr + 2 * PAGE_SIZE), 0);
	i_size_write(pf.inode, PAGE_SIZE);
	truncate_pagecache(pf.inode, PAGE_SIZE);
	KT_EXPECT(t, !follow_pte(mm, addr + 2 * PAGE_SIZE, &pa, NULL));
	KT_EXPECT(t, !filemap_get_folio(m, 2) && m->nrpages == 1);
	KT_EXPECT_EQ(t, touch_write(mm, addr + 2 * PAGE_SIZE), -EFAULT);	/* SIGBUS */
	mmput(mm);
	pc_file_free(&pf);
	kfree(test_disk);
}

/* folio_lock_or_retry: first try drops mmap_lock and waits for the I/O; TRIED locks. */
KTEST(pc_folio_lock_or_retry)
{
	struct pc_file pf;
	struct mm_struct *mm = mm_alloc();
	struct vm_fault vmf = { .flags = FAULT_FLAG_DEFAULT | FAULT_FLAG_USER };
	struct folio *folio;
	unsigned long addr;
	bool free;

	KT_ASSERT(t, mm && pc_file_make(&pf, O_RDONLY));
	addr = do_mmap(mm, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, pf.file, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(addr));
	__atomic_store_n(&ramfs_read_delay_ms, 30, __ATOMIC_RELAXED);
	folio = filemap_grab_folio(pf.inode->i_mapping, 0);
	KT_ASSERT(t, folio);
	filemap_read_folio(pf.file, pf.inode->i_mapping, folio);	/* locked for 30 ms */
	mmap_read_lock(mm);
	vmf.vma = find_vma(mm, addr);
	KT_EXPECT(t, !folio_lock_or_retry(folio, &vmf));
	free = down_write_trylock(&mm->mmap_lock);
	KT_EXPECT(t, free);					/* released */
	if (free)
		up_write(&mm->mmap_lock);
	KT_EXPECT(t, folio_test_uptodate(folio) && !folio_test_locked(folio));
	mmap_read_lock(mm);
	vmf.vma = find_vma(mm, addr);
	vmf.flags |= FAULT_FLAG_TRIED;
	KT_EXPECT(t, folio_lock_or_retry(folio, &vmf));		/* lock taken, mmap_lock kept */
	KT_EXPECT(t, rwsem_is_locked(&mm->mmap_lock));
	folio_unlock(folio);
	mmap_read_unlock(mm);
	folio_put(folio);
	__atomic_store_n(&ramfs_read_delay_ms, 0, __ATOMIC_RELAXED);
	mmput(mm);
	pc_file_free(&pf);
}
