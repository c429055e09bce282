/*
 * drop_caches.c - /proc/sys/vm/drop_caches "1" (Linux's fs/drop_caches.c):
 * evict the clean page cache of every inode of every mounted file system.
 *
 * For each super block, walk its inodes under s_inode_lock; an inode with
 * cached pages is pinned (i_count) so the lock can be dropped while
 * invalidate_mapping_pages() works on it (that never sleeps, but iput of
 * the previous inode may), and released after the next one is pinned, so
 * the walk always continues from an inode that is still on the list.
 * invalidate_mapping_pages() leaves dirty, writeback, mapped, locked and
 * otherwise referenced folios alone (kernel/mm/truncate.c). Then the clean,
 * unused buffers of the file system's buffer cache go too: in Linux they
 * live in the block device's page cache, which drop_caches invalidates the
 * same way, and without this a file read after drop_caches would be served
 * from memory instead of the disk. Nothing is written: "sync" first (as
 * Linux's documentation says) to make dirty data clean and droppable.
 */
#include "internal.h"
#include <buffer_head.h>
#include <pagemap.h>

static void drop_pagecache_sb(struct super_block *sb, void *arg)
{
	struct drop_caches_result *res = arg;
	struct inode *inode, *toput = NULL;

	spin_lock(&sb->s_inode_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if ((inode->i_state & I_FREEING) || !READ_ONCE(inode->i_mapping->nrpages))
			continue;
		inode->i_count++;		/* stays on the list while we work on it */
		spin_unlock(&sb->s_inode_lock);
		res->folios += invalidate_mapping_pages(inode->i_mapping, 0, ~(pgoff_t)0);
		iput(toput);
		toput = inode;
		spin_lock(&sb->s_inode_lock);
	}
	spin_unlock(&sb->s_inode_lock);
	iput(toput);
	res->buffers += buffer_cache_invalidate(sb);
}

void drop_pagecache(struct drop_caches_result *out)
{
	out->folios = out->buffers = 0;
	iterate_supers(drop_pagecache_sb, out);
}
