/*
 * rmap.c - reverse mapping: from an anonymous page to the PTEs that map it.
 *
 * Theory of operation
 * -------------------
 * Reclaim (a later issue) must unmap a page from every address space
 * before it can write it out. A page only knows its struct anon_vma and
 * its index (the page offset it was created at); the anon_vma knows every
 * VMA that may map it. This is the simple "one anon_vma per family" scheme
 * Linux used before anon_vma_chain (2.6.34): fork puts the child's copy
 * of a VMA on the parent's anon_vma, so a page created before or after
 * the fork, in parent or child, is found from the same list. The price is
 * that rmap_walk() may look into VMAs that cannot map the page (a sibling
 * that COW-copied it); the PTE comparison filters those out.
 *
 *   page->anon_vma ----> anon_vma { lock, refcount, vmas }
 *   page->index           |-- vma A (parent)  address = vm_start + (index - vm_pgoff) pages
 *                         `-- vma A' (child)  same formula
 *
 * Anonymous VMAs start with vm_pgoff = vm_start >> PAGE_SHIFT, split keeps
 * the formula valid, merge only joins VMAs whose pgoffs are contiguous.
 *
 * page->mapcount counts PTEs (all mms); page->refcount counts every
 * reference (each PTE holds one). Both are only changed under the
 * page-table lock of the mm whose PTE changes, with atomic operations since
 * two mms share the page after fork.
 *
 * anon_vma_prepare() gives a VMA its anon_vma on the first anonymous page,
 * under the page-table lock so two faulting threads agree on one.
 */
#include <mmap.h>
#include <page_alloc.h>
#include <slab.h>
#include <rmap.h>

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av = kmalloc(sizeof(*av));

	if (!av)
		return NULL;
	spin_lock_init(&av->lock, "anon_vma.lock");
	atomic_set(&av->refcount, 0);
	INIT_LIST_HEAD(&av->vmas);
	return av;
}

/* Put vma on av's list (vma has none yet). Locks: none of av's. */
void anon_vma_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	atomic_inc(&av->refcount);
	spin_lock(&av->lock);
	list_add_tail(&vma->anon_vma_node, &av->vmas);
	spin_unlock(&av->lock);
	/* Release: anon_vma_prepare's lockless check may see it (and av set up). */
	__atomic_store_n(&vma->anon_vma, av, __ATOMIC_RELEASE);
}

/* Take vma off its anon_vma's list; the last VMA frees the anon_vma. */
void unlink_anon_vma(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	if (!av)
		return;
	spin_lock(&av->lock);
	list_del(&vma->anon_vma_node);
	spin_unlock(&av->lock);
	vma->anon_vma = NULL;
	if (atomic_dec_and_test(&av->refcount))
		kfree(av);
}

/*
 * Make sure vma has an anon_vma. 0 or -ENOMEM.
 * Locks: mmap_lock held (read is enough); takes the page-table lock.
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av;

	mmap_assert_locked(mm);
	if (__atomic_load_n(&vma->anon_vma, __ATOMIC_ACQUIRE))
		return 0;
	av = anon_vma_alloc();
	if (!av)
		return -ENOMEM;
	mutex_lock(&mm->page_table_lock);
	if (!vma->anon_vma) {
		anon_vma_link(vma, av);
		av = NULL;
	}
	mutex_unlock(&mm->page_table_lock);
	kfree(av);		/* another fault won the race */
	return 0;
}

/*
 * A fresh anonymous page is mapped at address in vma.
 * Locks: the PTE lock of address held (pte_lockptr).
 */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	pte_assert_locked(vma->vm_mm, address);
	page->anon_vma = vma->anon_vma;
	page->index = linear_page_index(vma, address);
	__atomic_store_n(&page->mapcount, 1, __ATOMIC_RELAXED);
	atomic_long_inc(&vma->vm_mm->rss[MM_ANONPAGES]);
}

/* One more PTE maps an existing page (fork, file page). Locks: that PTE's lock. */
void page_dup_rmap(struct page *page, struct mm_struct *mm)
{
	__atomic_fetch_add(&page->mapcount, 1, __ATOMIC_RELAXED);
	atomic_long_inc(&mm->rss[page->anon_vma ? MM_ANONPAGES : MM_FILEPAGES]);
}

/* A PTE mapping page in mm was cleared. The caller still drops the page
 * reference (put_page) after the TLB flush. Locks: that PTE's lock. */
void page_remove_rmap(struct page *page, struct mm_struct *mm)
{
	int old = __atomic_fetch_sub(&page->mapcount, 1, __ATOMIC_RELAXED);

	if (old < 1)
		panic("page_remove_rmap: pfn 0x%lx mapcount was %d: unmapped more often than mapped",
		      page_to_pfn(page), old);
	atomic_long_dec(&mm->rss[page->anon_vma ? MM_ANONPAGES : MM_FILEPAGES]);
}

/* Would page (mapped at address) be at that address in vma? */
static unsigned long vma_address(const struct page *page, const struct vm_area_struct *vma)
{
	pgoff_t off = page->index - vma->vm_pgoff;

	if (page->index < vma->vm_pgoff || off >= vma_pages(vma))
		return 0;
	return vma->vm_start + (off << PAGE_SHIFT);
}

/*
 * Call fn(vma, address, arg) for every PTE that maps the anonymous page;
 * returns the number of calls. Locks: takes the anon_vma lock; fn runs under
 * it and must not sleep. Reads the PTEs without the page-table locks, so the
 * answer is a snapshot (reclaim will re-check under the lock).
 */
int rmap_walk_anon(struct page *page, void (*fn)(struct vm_area_struct *, unsigned long, void *),
		   void *arg)
{
	struct anon_vma *av = page->anon_vma;
	struct vm_area_struct *vma;
	phys_addr_t pa;
	int n = 0;

	if (!av)
		return 0;
	spin_lock(&av->lock);
	list_for_each_entry(vma, &av->vmas, anon_vma_node) {
		unsigned long addr = vma_address(page, vma);

		if (addr && follow_pte(vma->vm_mm, addr, &pa, NULL) && pa == page_to_phys(page)) {
			if (fn)
				fn(vma, addr, arg);
			n++;
		}
	}
	spin_unlock(&av->lock);
	return n;
}
