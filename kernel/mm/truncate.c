/*
 * truncate.c - taking folios out of the page cache when a file shrinks or an
 * inode dies, and unmapping them from every address space first (Linux's
 * mm/truncate.c and unmap_mapping_range).
 *
 * Theory of operation
 * -------------------
 * The file system sets the new i_size, then calls truncate_pagecache():
 *   1. unmap the pages past the new end from every VMA on mapping->i_mmap
 *      (a later access faults, sees index >= i_size and gets SIGBUS);
 *   2. for each cached folio past the end: lock it, wait for writeback,
 *      unmap it again if a racing fault mapped it meanwhile (the fault holds
 *      the folio lock while it maps, and checks folio->mapping after taking
 *      it), remove it from the cache (folio->mapping = NULL);
 *   3. zero the tail of the last, partial page.
 * A fault that was waiting for such a folio finds folio->mapping changed and
 * looks again: a miss, counted as a refetch if it was a retry.
 *
 * invalidate_mapping_pages() is the gentle variant (drop_caches, Linux's
 * mm/truncate.c): it never waits and never unmaps. It takes out only folios
 * it can lock at once that are clean, not under writeback, mapped by no PTE
 * and referenced by nobody but the cache (filemap_evict_folio); everything
 * else stays. The file's size and data are unchanged: a later access reads
 * the page again (a major fault).
 */
#include <pagemap.h>
#include <fs.h>
#include <mmap.h>
#include <string.h>

void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr)
{
	struct vm_area_struct *vma;
	pgoff_t last = nr && start + nr - 1 >= start ? start + nr - 1 : ~0UL;

	mutex_lock(&mapping->i_mmap_lock);
	list_for_each_entry(vma, &mapping->i_mmap, shared_node) {
		pgoff_t vfirst = vma->vm_pgoff, vlast = vma->vm_pgoff + vma_pages(vma) - 1;
		pgoff_t a = MAX(start, vfirst), b = MIN(last, vlast);

		if (a > b)
			continue;
		zap_page_range(vma, vma->vm_start + ((a - vfirst) << PAGE_SHIFT),
			       vma->vm_start + ((b - vfirst + 1) << PAGE_SHIFT));
	}
	mutex_unlock(&mapping->i_mmap_lock);
}

/* Remove one folio (reference held by the caller). Sleeps: yes. */
static void truncate_one(struct address_space *mapping, struct folio *folio)
{
	folio_lock(folio);
	if (folio_mapping(folio) != mapping) {
		folio_unlock(folio);
		return;
	}
	folio_wait_writeback(folio);
	if (page_mapcount(folio_page(folio)))
		unmap_mapping_pages(mapping, folio_index(folio), 1);
	filemap_remove_folio(folio);
	folio_unlock(folio);
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart)
{
	pgoff_t start = (pgoff_t)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT), pos = start;
	struct folio *batch[16];
	unsigned int n;

	while ((n = filemap_get_folios(mapping, pos, &pos, batch, 16))) {
		for (unsigned int i = 0; i < n; i++) {
			truncate_one(mapping, batch[i]);
			folio_put(batch[i]);
		}
		if (!pos)
			break;
	}
}

/* Evict what can go without waiting; the number of folios evicted. Sleeps: no. */
unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio *batch[16];
	unsigned long evicted = 0;
	pgoff_t pos = start;
	unsigned int n;

	while (pos <= end && (n = filemap_get_folios(mapping, pos, &pos, batch, 16))) {
		for (unsigned int i = 0; i < n; i++) {
			struct folio *folio = batch[i];

			if (folio_index(folio) <= end && folio_trylock(folio)) {
				evicted += filemap_evict_folio(mapping, folio);
				folio_unlock(folio);
			}
			folio_put(folio);
		}
		if (!pos)
			break;		/* wrapped past the last index */
	}
	return evicted;
}

/* Zero the bytes of the last page past newsize (they must read as 0 if the file grows). */
static void zero_tail(struct address_space *mapping, loff_t newsize)
{
	size_t off = (size_t)newsize & (PAGE_SIZE - 1);
	struct folio *folio;

	if (!off)
		return;
	folio = filemap_get_folio(mapping, (pgoff_t)(newsize >> PAGE_SHIFT));
	if (!folio)
		return;
	folio_lock(folio);
	if (folio_mapping(folio) == mapping && folio_test_uptodate(folio)) {
		folio_wait_writeback(folio);
		memset((char *)folio_address(folio) + off, 0, PAGE_SIZE - off);
		folio_mark_dirty(folio);
	}
	folio_unlock(folio);
	folio_put(folio);
}

void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t holebegin = (pgoff_t)((newsize + PAGE_SIZE - 1) >> PAGE_SHIFT);

	unmap_mapping_pages(mapping, holebegin, 0);
	truncate_inode_pages_range(mapping, newsize);
	zero_tail(mapping, newsize);
}

void truncate_inode_pages_final(struct address_space *mapping)
{
	if (!mapping->a_ops)
		return;			/* never initialised (the static root directory) */
	mapping_leave_writeback(mapping);
	truncate_inode_pages_range(mapping, 0);
}
