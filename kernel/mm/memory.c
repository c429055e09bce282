/*
 * memory.c - user page tables: demand faults, copy-on-write, unmapping,
 * fork's copy, protection changes.
 *
 * Theory of operation
 * -------------------
 * A user PTE comes to exist only because a fault asked for it
 * (handle_mm_fault). The fault runs holding its "fault lock" - the VMA's
 * read lock (FAULT_FLAG_VMA_LOCK) or mmap_lock for read - so the VMA
 * cannot change under it, but other threads of the process may fault
 * on the same page at the same time. Each handler therefore follows
 * Linux's pattern:
 *
 *   1. sample the PTE (vmf->orig_pte) without the page-table lock,
 *   2. do the slow work unlocked (allocate, zero or copy a page, ask the
 *      file for its page),
 *   3. take the PTE table's own lock (vmf->ptl = pte_lockptr) and install
 *      the result only if the PTE still equals the sample; otherwise
 *      another thread won - drop our page and return 0, the access simply
 *      runs again.
 *
 * Split page-table locks (Linux's): every PTE table page has its own
 * spinlock in its struct page (ptl), so faults on different 2 MiB ranges
 * never share a lock, and munmap of one region does not stop faults in
 * another. mm->page_table_lock (a mutex) is left for the rare changes of
 * the tree above the PTEs: linking a new table (pte_alloc), and
 * vma->anon_vma. The fault path walks the tree without any lock: tables
 * are only ever added while the mm lives (acquire loads in pt_walk see
 * them zeroed) and freed by free_pgtables() when nobody can fault any
 * more, so a pte_t pointer stays valid while the fault lock is held.
 *
 * Under the VMA lock only, anything that looks beyond this VMA needs
 * mmap_lock: giving the VMA its anon_vma (merge_range compares anon_vmas
 * of neighbours under mmap_lock) goes through vmf_anon_prepare(), which
 * trylocks mmap_lock for read and otherwise releases the VMA lock and
 * returns VM_FAULT_RETRY (Linux's __vmf_anon_prepare).
 * Lock state on return: docs/locking.md "The retry contract".
 *
 * The cases (handle_pte_fault):
 *   PTE empty, anonymous VMA   do_anonymous_page: read -> the shared zero
 *                              page, read-only; write -> a fresh zeroed page
 *   PTE empty, file/shmem VMA  do_read_fault / do_cow_fault / do_shared_fault
 *                              via vma->vm_ops->fault
 *   PTE read-only, write       do_wp_page: reuse the page if we are its only
 *                              mapper, else copy it (COW)
 *   PTE already fine           a stale TLB entry or a lost race: flush locally
 *
 * Private mappings never have PTE_W in vm_page_prot: a PTE becomes
 * writable only for a page this mm owns alone, which is what makes fork's
 * "mark everything read-only and share" correct.
 *
 * TLB: a PTE that loses permissions (or its page) is flushed on every CPU
 * that has the mm loaded (mm->cpu_mask) before its PTE lock is dropped and
 * before the old page is freed. A shootdown needs IRQs on - here, and on a
 * CPU spinning for the same lock - so PTE locks are taken with
 * spin_lock_keep_irqs() (preemption off, IRQs on: Linux's spin_lock).
 * munmap (zap_page_range) sends no shootdown at all when it cleared no
 * present PTE, and its last batch is flushed after the PTE locks are
 * dropped (Linux's mmu_gather: tlb_finish_mmu).
 *
 * PROT_NONE: a page that was present when its VMA became PROT_NONE keeps
 * its PTE, but as a kernel-only mapping (no PTE_USER), so user accesses
 * fault and get SIGSEGV. (copy_*_user could still reach it on x86/riscv;
 * a generic "protnone" PTE encoding in the arch contract would close that.)
 */
#include <mmap.h>
#include <rmap.h>
#include <vmstat.h>
#include <task.h>
#include <page_alloc.h>
#include <printk.h>
#include <string.h>
#include <tlb.h>
#include <pagemap.h>

const uint8_t empty_zero_page[PAGE_SIZE] __aligned(PAGE_SIZE);

#define ZAP_LOCAL	32	/* unmapped pages gathered on the stack per TLB flush */
#define ZAP_BIG_ORDER	3	/* then 32 KiB of pointers: 4096 pages per flush */

static bool pte_none(pte_t pte)
{
	return pte == 0;
}

static bool is_zero_pa(phys_addr_t pa)
{
	return pa == zero_page_pa();
}

unsigned int vm_get_page_prot(unsigned long vm_flags)
{
	unsigned int prot = 0;

	if (vm_flags & VM_ACCESS_FLAGS)
		prot = PTE_USER | PTE_R;
	if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		prot |= PTE_W;
	if (vm_flags & VM_EXEC)
		prot |= PTE_X;
	return prot;
}

/* The PTE value for pa in vma; 'write' adds PTE_W (private pages we own alone). */
static pte_t mk_pte(const struct vm_area_struct *vma, phys_addr_t pa, bool write)
{
	unsigned int prot = vma->vm_page_prot;

	if (!prot)
		return pte_mk_leaf(pa, PTE_R, 0);	/* PROT_NONE: kernel-only placeholder */
	if (write && (vma->vm_flags & VM_WRITE))
		prot |= PTE_W;
	return pte_mk_leaf(pa, prot, 0);
}

bool follow_pte(struct mm_struct *mm, unsigned long addr, phys_addr_t *pa, unsigned int *prot)
{
	int level;

	return pt_lookup(mm->pgd_pa, addr, pa, prot, &level) && level == 0;
}

/* ---- split page-table locks ------------------------------------------------- */

pte_t *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	int level;
	pte_t *ptep = pt_walk(mm->pgd_pa, addr, 0, false, &level);

	if (level != 0)
		return NULL;
	*ptlp = pte_lockptr(mm, ptep);
	spin_lock_keep_irqs(*ptlp);
	return ptep;
}

/*
 * The PTE slot of addr, allocating the missing tables (Linux's pte_alloc_map).
 * Lockless when the PTE table exists; linking new tables takes
 * mm->page_table_lock. NULL if out of memory. Locks: a fault lock. Sleeps: yes.
 */
static pte_t *pte_alloc_map(struct mm_struct *mm, unsigned long addr)
{
	int level;
	pte_t *ptep = pt_walk(mm->pgd_pa, addr, 0, false, &level);

	if (level == 0)
		return ptep;
	mutex_lock(&mm->page_table_lock);
	ptep = pt_walk(mm->pgd_pa, addr, 0, true, &level);
	mutex_unlock(&mm->page_table_lock);
	return ptep;
}

void pte_assert_locked(struct mm_struct *mm, unsigned long addr)
{
#ifdef CONFIG_DEBUG
	int level;
	pte_t *ptep = pt_walk(mm->pgd_pa, addr, 0, false, &level);

	if (level != 0 || !spin_is_locked_by_me(pte_lockptr(mm, ptep)))
		panic("PTE of 0x%lx changed without its page-table lock (pte_lockptr)", addr);
#else
	(void)mm;
	(void)addr;
#endif
}

/* ---- walking present PTEs ------------------------------------------------ */

typedef int (*pte_fn)(pte_t *ptep, unsigned long addr, void *arg);
/* Called once per PTE table, its lock still held, for the part [start, end) walked. */
typedef void (*table_fn)(unsigned long start, unsigned long end, void *arg);

/* First address after addr's PTE table, capped at end (no overflow at the top). */
static unsigned long pte_table_end(unsigned long addr, unsigned long end)
{
	unsigned long next = ALIGN_DOWN(addr, PT_LEVEL_SIZE(1)) + PT_LEVEL_SIZE(1);

	return next - 1 < end - 1 ? next : end;
}

/* fn for the present PTEs of one table, under its lock; then done (may be NULL). */
static int walk_one_table(struct mm_struct *mm, pte_t *ptep, unsigned long addr,
			  unsigned long end, pte_fn fn, table_fn done, void *arg)
{
	spinlock_t *ptl = pte_lockptr(mm, ptep);
	unsigned long start = addr;
	int ret = 0;

	spin_lock_keep_irqs(ptl);
	for (; addr < end && !ret; addr += PAGE_SIZE, ptep++)
		if (pte_present(ptep_get(ptep)))
			ret = fn(ptep, addr, arg);
	if (done)
		done(start, end, arg);
	spin_unlock(ptl);
	return ret;
}

/*
 * Call fn for every present PTE in [start, end), one PTE table at a time under
 * that table's lock, skipping missing tables whole. Stops at fn's first non-zero
 * return and returns it. Locks: mmap_lock (or a dead mm): the tables stay.
 */
static int walk_present_ptes(struct mm_struct *mm, unsigned long start, unsigned long end,
			     pte_fn fn, table_fn done, void *arg)
{
	unsigned long addr = start, next;
	int level, ret;

	while (addr < end) {
		pte_t *ptep = pt_walk(mm->pgd_pa, addr, 0, false, &level);

		if (level != 0) {		/* no table here: skip what it would cover */
			addr = ALIGN_DOWN(addr, PT_LEVEL_SIZE(level)) + PT_LEVEL_SIZE(level);
			if (!addr)
				break;		/* wrapped past the top */
			continue;
		}
		next = pte_table_end(addr, end);
		ret = walk_one_table(mm, ptep, addr, next, fn, done, arg);
		if (ret)
			return ret;
		addr = next;
	}
	return 0;
}

/* ---- unmapping ------------------------------------------------------------------ */

/*
 * Pages unmapped but not yet flushed from the TLBs (Linux's mmu_gather). It starts
 * with a small array on the stack; when that fills, it moves to one allocated array
 * of order ZAP_BIG_ORDER (Linux's tlb_next_batch), so unmapping a 16 MiB region
 * costs one shootdown instead of one per ZAP_LOCAL pages.
 */
struct zap_batch {
	struct mm_struct *mm;
	unsigned long start;		/* first address not yet flushed */
	unsigned int nr, max;		/* pages gathered, room in pages[] */
	bool cleared;			/* a PTE was cleared since the last flush */
	struct page **pages;		/* local[], or the allocated array */
	struct page *big;		/* the allocated array (order ZAP_BIG_ORDER), or NULL */
	struct page *local[ZAP_LOCAL];
};

/* Flush the TLBs for what was cleared so far, then drop the pages. */
static void zap_flush(struct zap_batch *zb, unsigned long end)
{
	unsigned int i;

	if (zb->cleared)		/* nothing cleared: no shootdown IPIs at all */
		flush_tlb_mm_range(zb->mm, zb->start, end);
	zb->cleared = false;
	for (i = 0; i < zb->nr; i++)
		put_page(zb->pages[i]);
	zb->nr = 0;
	zb->start = end;
}

/* The local array is full: continue in a bigger one. False if we have it already or
 * memory is short (then the caller flushes). Under a PTE lock: the allocator does not
 * sleep. */
static bool zap_grow(struct zap_batch *zb)
{
	struct page *big;

	if (zb->big)
		return false;
	big = alloc_pages(ZAP_BIG_ORDER);
	if (!big)
		return false;
	memcpy(page_address(big), zb->local, zb->nr * sizeof(zb->local[0]));
	zb->big = big;
	zb->pages = page_address(big);
	zb->max = (PAGE_SIZE << ZAP_BIG_ORDER) / sizeof(zb->local[0]);
	return true;
}

static int zap_one(pte_t *ptep, unsigned long addr, void *arg)
{
	struct zap_batch *zb = arg;
	phys_addr_t pa = pte_pa(*ptep);
	struct page *page;

	set_pte(ptep, 0);
	zb->cleared = true;
	if (is_zero_pa(pa))
		return 0;
	page = phys_to_page(pa);
	page_remove_rmap(page, zb->mm);
	zb->pages[zb->nr++] = page;
	if (zb->nr == zb->max && !zap_grow(zb))
		zap_flush(zb, addr + PAGE_SIZE);	/* under the PTE lock: IRQs are on */
	return 0;
}

void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	struct zap_batch zb = { .mm = mm, .start = start, .max = ZAP_LOCAL };

	zb.pages = zb.local;
	walk_present_ptes(mm, start, end, zap_one, NULL, &zb);
	/*
	 * The last batch is flushed after dropping the PTE locks (Linux's
	 * tlb_finish_mmu), so faults in the same tables do not wait for our
	 * shootdown IPIs. Safe: the
	 * VMA is being removed (write-locked and detached under mmap_lock held for
	 * write, or the mm is dead), so nobody can fault [start, end) back in
	 * before we return, and its pages are freed only after the flush.
	 */
	zap_flush(&zb, end);
	if (zb.big)
		__free_pages(zb.big, ZAP_BIG_ORDER);
}

/* Clear one root entry of the user half and free the tables below it. */
static void free_root_slot(struct mm_struct *mm, unsigned int idx)
{
	pte_t entry = mm->pgd[idx];
	unsigned long start = (unsigned long)idx << PT_LEVEL_SHIFT(PT_ROOT_LEVEL);

	if (!pte_is_table(entry, PT_ROOT_LEVEL))
		return;
	set_pte(&mm->pgd[idx], 0);
	/* Lazy CPUs may cache the walk (paging-structure caches): flush first. */
	flush_tlb_mm_range(mm, start, start + PT_LEVEL_SIZE(PT_ROOT_LEVEL));
	pt_free_subtree(pte_pa(entry), PT_ROOT_LEVEL - 1);
}

void free_pgtables(struct mm_struct *mm)
{
	unsigned long slots = (USER_TOP - 1) / PT_LEVEL_SIZE(PT_ROOT_LEVEL) + 1;
	unsigned int i;

	mutex_lock(&mm->page_table_lock);
	for (i = 0; i < slots && i < PT_ENTRIES; i++)
		free_root_slot(mm, i);
	mutex_unlock(&mm->page_table_lock);
}

/* ---- fork ---------------------------------------------------------------------- */

struct copy_ctx {
	struct mm_struct *dst, *src;
	bool cow;			/* private writable mapping: share read-only */
	bool flush;			/* a source PTE lost PTE_W */
};

/* After each source table: flush what lost PTE_W there, before its lock is dropped. */
static void copy_table_done(unsigned long start, unsigned long end, void *arg)
{
	struct copy_ctx *cc = arg;

	if (cc->flush)
		flush_tlb_mm_range(cc->src, start, end);
	cc->flush = false;
}

static int copy_one(pte_t *ptep, unsigned long addr, void *arg)
{
	struct copy_ctx *cc = arg;
	pte_t pte = *ptep;
	phys_addr_t pa = pte_pa(pte);
	unsigned int prot = pte_prot(pte);
	pte_t *dptep;
	int level;

	/* dst is not visible to anyone yet: no lock needed for its tree. Allocating a
	 * table here, under the source's PTE lock, does not sleep (the page allocator). */
	dptep = pt_walk(cc->dst->pgd_pa, addr, 0, true, &level);
	if (!dptep)
		return -ENOMEM;
	if (cc->cow && (prot & PTE_W)) {
		pte = pte_mk_leaf(pa, prot & ~PTE_W, 0);
		set_pte(ptep, pte);
		cc->flush = true;
	}
	if (!is_zero_pa(pa)) {
		struct page *page = phys_to_page(pa);

		get_page(page);
		page_dup_rmap(page, cc->dst);
	}
	set_pte(dptep, pte);
	return 0;
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src, struct vm_area_struct *vma)
{
	struct copy_ctx cc = { dst, src, false, false };
	int ret;

	mmap_assert_write_locked(src);
	cc.cow = (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	ret = walk_present_ptes(src, vma->vm_start, vma->vm_end, copy_one, copy_table_done, &cc);
	if (cc.flush)		/* stopped early (-ENOMEM) with a PTE already write-protected */
		flush_tlb_mm_range(src, vma->vm_start, vma->vm_end);
	return ret;
}

/* ---- mprotect ------------------------------------------------------------------ */

static int protect_one(pte_t *ptep, unsigned long addr, void *arg)
{
	const struct vm_area_struct *vma = arg;
	phys_addr_t pa = pte_pa(*ptep);

	/* Private pages lose PTE_W: the next write reuses them (do_wp_page). */
	set_pte(ptep, mk_pte(vma, pa, false));
	return 0;
}

/* After each table: flush it before its lock is dropped, so whoever takes the lock
 * next (page_mkclean, a fault) never sees the new PTE while a TLB has the old one. */
static void protect_table_done(unsigned long start, unsigned long end, void *arg)
{
	const struct vm_area_struct *vma = arg;

	flush_tlb_mm_range(vma->vm_mm, start, end);
}

void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	mmap_assert_write_locked(vma->vm_mm);
	walk_present_ptes(vma->vm_mm, start, end, protect_one, protect_table_done, vma);
}

/* ---- the fault handlers ------------------------------------------------------ */

/* Install pte if the slot still holds vmf->orig_pte. Locks: ptl held. */
static bool pte_unchanged(const struct vm_fault *vmf)
{
	assert_spin_locked(vmf->ptl);
	return ptep_get(vmf->pte) == vmf->orig_pte;
}

static struct page *alloc_user_page(const void *copy_from)
{
	struct page *page = alloc_pages(0);

	if (!page)
		return NULL;
	if (copy_from)
		memcpy(page_address(page), copy_from, PAGE_SIZE);
	else
		memset(page_address(page), 0, PAGE_SIZE);
	return page;
}

/* Read of untouched private anonymous memory: map the zero page read-only. */
static vm_fault_t do_anonymous_zero(struct vm_fault *vmf)
{
	spin_lock_keep_irqs(vmf->ptl);
	if (pte_unchanged(vmf)) {
		set_pte(vmf->pte, mk_pte(vmf->vma, zero_page_pa(), false));
		count_vm_event(ZERO_PAGE_MAP);
	}
	spin_unlock(vmf->ptl);
	return 0;
}

/* Map a new anonymous page (already filled) at vmf->address, writable if the VMA is. */
static vm_fault_t map_new_anon(struct vm_fault *vmf, struct page *page)
{
	spin_lock_keep_irqs(vmf->ptl);
	if (!pte_unchanged(vmf)) {
		spin_unlock(vmf->ptl);
		put_page(page);		/* another thread mapped something first */
		return 0;
	}
	page_add_new_anon_rmap(page, vmf->vma, vmf->address);
	set_pte(vmf->pte, mk_pte(vmf->vma, page_to_phys(page), true));
	spin_unlock(vmf->ptl);
	return 0;
}

/*
 * Make sure the VMA has an anon_vma. 0, VM_FAULT_OOM, or VM_FAULT_RETRY with
 * the VMA lock already released (under the VMA lock, when mmap_lock cannot be
 * had without waiting: the mmap_lock loop will do it).
 * Locks: the fault lock. Sleeps: yes.
 */
static vm_fault_t vmf_anon_prepare(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = 0;

	/* Acquire: pairs with anon_vma_link's release, so av's lock and list are set up. */
	if (likely(__atomic_load_n(&vma->anon_vma, __ATOMIC_ACQUIRE)))
		return 0;
	if (vmf->flags & FAULT_FLAG_VMA_LOCK) {
		if (!mmap_read_trylock(vma->vm_mm)) {
			vma_end_read(vma);
			return VM_FAULT_RETRY;
		}
	}
	if (anon_vma_prepare(vma))
		ret = VM_FAULT_OOM;
	if (vmf->flags & FAULT_FLAG_VMA_LOCK)
		mmap_read_unlock(vma->vm_mm);
	return ret;
}

/* Sleeps: yes (allocation, vmf_anon_prepare). Locks: the fault lock. */
static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct page *page;
	vm_fault_t ret;

	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_anonymous_zero(vmf);
	ret = vmf_anon_prepare(vmf);
	if (ret)
		return ret;
	page = alloc_user_page(NULL);
	if (!page)
		return VM_FAULT_OOM;
	count_vm_event(ANON_FAULT);
	return map_new_anon(vmf, page);
}

/*
 * Replace the read-only page in the PTE by a private copy (old NULL: the zero
 * page). The old translation is cleared and flushed on every CPU before the
 * new one appears (Linux's ptep_clear_flush), so no thread can keep reading
 * the old page after another wrote the new one.
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf, struct page *old)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	struct page *new;
	vm_fault_t ret = vmf_anon_prepare(vmf);

	if (ret)
		return ret;
	new = alloc_user_page(old ? page_address(old) : NULL);
	if (!new)
		return VM_FAULT_OOM;
	spin_lock_keep_irqs(vmf->ptl);
	if (!pte_unchanged(vmf)) {
		spin_unlock(vmf->ptl);
		put_page(new);
		return 0;
	}
	set_pte(vmf->pte, 0);
	flush_tlb_mm_range(mm, vmf->address, vmf->address + PAGE_SIZE);
	page_add_new_anon_rmap(new, vmf->vma, vmf->address);
	set_pte(vmf->pte, mk_pte(vmf->vma, page_to_phys(new), true));
	if (old)
		page_remove_rmap(old, mm);
	spin_unlock(vmf->ptl);
	if (old)
		put_page(old);
	count_vm_event(COW_FAULT);
	return 0;
}

/* Make the present PTE writable (no flush: gaining a permission needs none). */
static vm_fault_t wp_page_reuse(struct vm_fault *vmf, phys_addr_t pa)
{
	set_pte(vmf->pte, mk_pte(vmf->vma, pa, true));
	spin_unlock(vmf->ptl);
	return 0;
}

static vm_fault_t do_page_mkwrite(struct vm_fault *vmf);
static void fault_put_page(struct page *page, vm_fault_t ret);

/*
 * Store to a read-only PTE of a shared mapping (mapped by a read fault, or
 * write-protected by writeback): let the file dirty the page first
 * (->page_mkwrite), then make the PTE writable if it did not change.
 * Locks: ptl held on entry, released on return.
 */
static vm_fault_t wp_page_shared(struct vm_fault *vmf, struct page *page, phys_addr_t pa)
{
	vm_fault_t ret;

	if (!vmf->vma->vm_ops || !vmf->vma->vm_ops->page_mkwrite)
		return wp_page_reuse(vmf, pa);		/* shmem: nothing to track */
	get_page(page);
	spin_unlock(vmf->ptl);
	vmf->page = page;
	ret = do_page_mkwrite(vmf);
	if (ret) {
		put_page(page);
		return ret & VM_FAULT_ERROR;
	}
	spin_lock_keep_irqs(vmf->ptl);
	if (pte_unchanged(vmf))
		wp_page_reuse(vmf, pa);			/* unlocks the ptl */
	else
		spin_unlock(vmf->ptl);
	fault_put_page(page, VM_FAULT_LOCKED);
	return 0;
}

/* Write to a present read-only PTE of a writable VMA. Locks: mmap_lock (read). */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	phys_addr_t pa = pte_pa(vmf->orig_pte);
	struct page *page;

	if (is_zero_pa(pa))
		return wp_page_copy(vmf, NULL);
	page = phys_to_page(pa);
	spin_lock_keep_irqs(vmf->ptl);
	if (!pte_unchanged(vmf)) {
		spin_unlock(vmf->ptl);
		return 0;
	}
	if (vmf->vma->vm_flags & VM_SHARED)
		return wp_page_shared(vmf, page, pa);	/* shared mapping: same page */
	/* Only we map it, and nobody else holds a reference: no copy needed. */
	if (page->anon_vma && page_mapcount(page) == 1 && page_count(page) == 1) {
		count_vm_event(COW_REUSE);
		return wp_page_reuse(vmf, pa);
	}
	get_page(page);			/* keep it while copying unlocked */
	spin_unlock(vmf->ptl);
	vm_fault_t ret = wp_page_copy(vmf, page);
	put_page(page);
	return ret;
}

/* Ask the file for its page: vmf->page with a reference, locked if VM_FAULT_LOCKED. */
static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = vmf->vma->vm_ops->fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_COMPLETED))
		return ret;
	if (!vmf->page) {
		printk("vm: %s ->fault returned no page and no error at 0x%lx: fix the vm_ops\n",
		       vmf->vma->vm_ops->name ? vmf->vma->vm_ops->name : "a file's",
		       vmf->address);
		return VM_FAULT_SIGBUS;
	}
	return ret;
}

/* Drop what __do_fault handed over: the folio lock (if it was taken) and the reference. */
static void fault_put_page(struct page *page, vm_fault_t ret)
{
	if (ret & VM_FAULT_LOCKED)
		folio_unlock(page_folio(page));
	put_page(page);
}

/* Map the file's page itself; its reference moves to the PTE. A locked page
 * (VM_FAULT_LOCKED) is unlocked after the PTE is set: truncate, which takes
 * the lock before removing it, then finds and unmaps the PTE. */
static vm_fault_t finish_fault(struct vm_fault *vmf, bool write, vm_fault_t ret)
{
	struct page *page = vmf->page;

	spin_lock_keep_irqs(vmf->ptl);
	if (!pte_unchanged(vmf)) {
		spin_unlock(vmf->ptl);
		fault_put_page(page, ret);
		return ret & VM_FAULT_MAJOR;
	}
	page_dup_rmap(page, vmf->vma->vm_mm);
	set_pte(vmf->pte, mk_pte(vmf->vma, page_to_phys(page), write));
	spin_unlock(vmf->ptl);
	if (ret & VM_FAULT_LOCKED)
		folio_unlock(page_folio(page));
	return ret & VM_FAULT_MAJOR;
}

/* Read fault on a file mapping: map the (shared, page-cache) page read-only
 * for private mappings and for shared ones (a store then goes through
 * page_mkwrite, which dirties it). */
static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = __do_fault(vmf);

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_COMPLETED))
		return ret;
	return finish_fault(vmf, false, ret);
}

/* Write fault on a private file mapping: map a private copy of the file's page. */
static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = vmf_anon_prepare(vmf);

	if (ret)
		return ret;
	ret = __do_fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_COMPLETED))
		return ret;
	vmf->cow_page = alloc_user_page(page_address(vmf->page));
	fault_put_page(vmf->page, ret);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	count_vm_event(COW_FAULT);
	return map_new_anon(vmf, vmf->cow_page) | (ret & VM_FAULT_MAJOR);
}

/* Linux's do_page_mkwrite: ask the file to dirty vmf->page (which comes back
 * locked). 0 on success, else the error / VM_FAULT_NOPAGE. Sleeps: yes. */
static vm_fault_t do_page_mkwrite(struct vm_fault *vmf)
{
	unsigned int flags = vmf->flags;
	vm_fault_t ret;

	vmf->flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	vmf->flags = flags;
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	if (!(ret & VM_FAULT_LOCKED))
		folio_lock(page_folio(vmf->page));
	return 0;
}

/* Write fault on a shared file mapping: dirty the page, map it writable. */
static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	vm_fault_t ret = __do_fault(vmf), tmp;

	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_COMPLETED))
		return ret;
	if (vmf->vma->vm_ops->page_mkwrite) {
		if (ret & VM_FAULT_LOCKED)
			folio_unlock(page_folio(vmf->page));
		tmp = do_page_mkwrite(vmf);
		if (tmp) {
			put_page(vmf->page);
			return tmp & VM_FAULT_ERROR;	/* NOPAGE: truncated, the access re-runs */
		}
		ret |= VM_FAULT_LOCKED;
	}
	return finish_fault(vmf, true, ret);
}

static vm_fault_t do_fault(struct vm_fault *vmf)
{
	if (!vmf->vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vmf->vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

/* The PTE is fine: a stale TLB entry on this CPU, or another thread fixed it. */
static vm_fault_t spurious_fault(struct vm_fault *vmf)
{
	unsigned long flags = arch_irq_save();

	arch_flush_tlb_page_local(vmf->address);
	arch_irq_restore(flags);
	return 0;
}

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct mm_struct *mm = vmf->vma->vm_mm;

	vmf->pte = pte_alloc_map(mm, vmf->address);
	if (!vmf->pte)
		return VM_FAULT_OOM;
	vmf->ptl = pte_lockptr(mm, vmf->pte);
	vmf->orig_pte = ptep_get(vmf->pte);
	vmf->flags |= FAULT_FLAG_ORIG_PTE_VALID;
	if (pte_none(vmf->orig_pte))
		return vma_is_anonymous(vmf->vma) ? do_anonymous_page(vmf) : do_fault(vmf);
	if (!pte_present(vmf->orig_pte)) {
		printk("vm: unknown non-present PTE 0x%llx at 0x%lx\n",
		       (unsigned long long)vmf->orig_pte, vmf->address);
		return VM_FAULT_SIGBUS;
	}
	if ((vmf->flags & FAULT_FLAG_WRITE) && !(pte_prot(vmf->orig_pte) & PTE_W))
		return do_wp_page(vmf);
	return spurious_fault(vmf);
}

/*
 * Linux's mm_account_fault: incomplete faults (RETRY) are counted when they
 * complete; a completed one is major if it returned VM_FAULT_MAJOR or is a
 * retry (TRIED): the I/O happened on an earlier pass. mm must be read before
 * the call: after RETRY/COMPLETED the VMA may be gone.
 */
static void mm_account_fault(struct mm_struct *mm, unsigned int flags, vm_fault_t ret)
{
	if (ret & VM_FAULT_RETRY) {
		count_vm_event(FAULT_RETRY);
		return;
	}
	count_vm_event(flags & FAULT_FLAG_USER ? PGFAULT : PGFAULT_KERNEL);
	atomic_long_inc(&mm->pgfault);
	if (ret & VM_FAULT_ERROR)
		return;
	if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) {
		count_vm_event(FAULT_MAJOR);
		atomic_long_inc(&mm->maj_flt);
		if (current->user)		/* the faulting thread (Linux: current->maj_flt) */
			WRITE_ONCE(current->user->maj_flt, current->user->maj_flt + 1);
	} else {
		count_vm_event(FAULT_MINOR);
		atomic_long_inc(&mm->min_flt);
		if (current->user)
			WRITE_ONCE(current->user->min_flt, current->user->min_flt + 1);
	}
}

/* Linux's sanitize_fault_flags (the part that applies here). */
static vm_fault_t sanitize_fault_flags(unsigned int flags)
{
	if ((flags & (FAULT_FLAG_VMA_LOCK | FAULT_FLAG_RETRY_NOWAIT)) ==
	    (FAULT_FLAG_VMA_LOCK | FAULT_FLAG_RETRY_NOWAIT)) {
		/* NOWAIT means "keep the lock and return"; only GUP uses it, under mmap_lock */
		count_vm_event(FAULT_NOWAIT_REFUSED);
		printk("WARNING: fault with FAULT_FLAG_RETRY_NOWAIT under the VMA lock: SIGSEGV\n");
		return VM_FAULT_SIGSEGV;
	}
	return 0;
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs)
{
	struct vm_fault vmf = {
		.vma = vma,
		.flags = flags,
		.address = address & PAGE_MASK,
		.real_address = address,
		.pgoff = linear_page_index(vma, address & PAGE_MASK),
	};
	struct mm_struct *mm = vma->vm_mm;	/* vma may be gone after RETRY/COMPLETED */
	vm_fault_t ret;

	(void)regs;
	assert_fault_locked(&vmf);
	ret = sanitize_fault_flags(flags);
	if (!ret)
		ret = handle_pte_fault(&vmf);
	mm_account_fault(mm, flags, ret);
	return ret;
}
