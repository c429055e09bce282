/*
 * readahead.c - reading ahead of what was asked (Linux's mm/readahead.c,
 * the classic two-window scheme, simplified).
 *
 * Theory of operation
 * -------------------
 * Each open file keeps a window (file->f_ra): [start, start + size) pages
 * that were (or are being) read, of which the last async_size are the
 * "lookahead". The folio at start + size - async_size carries PG_readahead.
 *
 *   miss (sync)   read the wanted pages plus as many again (at least 4,
 *                 at most mapping->ra_pages), or, when the access continues
 *                 the previous window, a window twice as large;
 *   PG_readahead  reached (async): the reader is using the lookahead, so
 *                 start the next window right after this one, twice as large,
 *                 without waiting for it - the I/O overlaps the reading.
 *
 * A fault uses a window centred on the faulting page (filemap.c's
 * do_sync_mmap_readahead). Pages already cached are skipped; a page that
 * cannot be allocated ends the window early (the reader reads it alone).
 */
#include <pagemap.h>
#include <fs.h>
#include <vmstat.h>

static pgoff_t file_pages(struct address_space *mapping)
{
	return (pgoff_t)((i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

unsigned long page_cache_ra_submit(struct address_space *mapping, struct file *file,
				   struct file_ra_state *ra)
{
	pgoff_t end = MIN(ra->start + ra->size, file_pages(mapping));
	pgoff_t mark = ra->start + ra->size - ra->async_size;
	unsigned long started = 0;

	for (pgoff_t i = ra->start; i < end; i++) {
		struct folio *folio = filemap_get_folio(mapping, i);

		if (folio) {
			folio_put(folio);
			continue;
		}
		folio = filemap_alloc_folio();
		if (!folio)
			break;
		if (i == mark && ra->async_size)
			folio_set_flag(folio, PG_readahead);
		if (filemap_add_folio(mapping, folio, i)) {
			folio_clear_flag(folio, PG_readahead);
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		filemap_read_folio(file, mapping, folio);	/* unlocks when done */
		folio_put(folio);				/* the cache keeps it */
		started++;
	}
	count_vm_events(PGREADAHEAD, started);
	return started;
}

/* Smallest power of two >= n. */
static unsigned int roundup_pow2(unsigned long n)
{
	unsigned int r = 1;

	while (r < n)
		r <<= 1;
	return r;
}

void page_cache_sync_readahead(struct address_space *mapping, struct file_ra_state *ra,
			       struct file *file, pgoff_t index, unsigned long req_count)
{
	unsigned int max = (unsigned int)mapping->ra_pages;

	if (ra->size && index == ra->start + ra->size) {
		ra->start = index;			/* sequential: grow */
		ra->size = MIN(ra->size * 2, max);
	} else {
		ra->start = index;			/* (re)start the window */
		ra->size = MIN(MAX(roundup_pow2(req_count) * 2, 4u), max);
	}
	ra->size = MAX(ra->size, (unsigned int)MIN(req_count, (unsigned long)max));
	ra->async_size = ra->size > req_count ? ra->size - (unsigned int)req_count : 0;
	page_cache_ra_submit(mapping, file, ra);
}

void page_cache_async_readahead(struct address_space *mapping, struct file_ra_state *ra,
				struct file *file, struct folio *folio, pgoff_t index,
				unsigned long req_count)
{
	(void)req_count;
	if (!folio_test_clear_flag(folio, PG_readahead))
		return;				/* someone else started it */
	if (index < ra->start || index >= ra->start + ra->size)
		ra->size = 0;			/* another reader's window: start afresh here */
	ra->start = ra->size ? ra->start + ra->size : index + 1;
	ra->size = MIN(MAX(ra->size * 2, 4u), (unsigned int)mapping->ra_pages);
	ra->async_size = ra->size;
	page_cache_ra_submit(mapping, file, ra);
}
