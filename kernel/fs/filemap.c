/*
 * filemap.c - the page cache of regular files and their ->fault.
 *
 * A file in the archive is not page aligned (newc pads to 4 bytes), so a
 * mapping cannot point into the archive: the first fault on page i of a
 * file copies those 4 KiB (zero-filled past the end of the file) into a
 * fresh page and keeps it in inode->i_pages[i]. Every later fault, from any
 * process, gets that same page: program text is in memory once however many
 * processes run it. The cache holds one reference per page; each mapping
 * holds its own (handed over by ->fault). Pages stay cached until the inode
 * is freed (never, for the boot tree).
 *
 * The slot array and each slot are installed under i_pages_lock; the copy is
 * done outside it and a racing loser frees its copy.
 */
#include "internal.h"
#include <page_alloc.h>
#include <slab.h>
#include <string.h>

static unsigned long inode_nr_pages(const struct inode *inode)
{
	return (unsigned long)((inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/* Has the slot array been made? Sleeps: no. */
static bool have_pages(struct inode *inode)
{
	bool ret;

	spin_lock(&inode->i_pages_lock);
	ret = inode->i_pages != NULL;
	spin_unlock(&inode->i_pages_lock);
	return ret;
}

/* Make the slot array on first use; false without memory. Sleeps: no. */
static bool inode_pages(struct inode *inode)
{
	unsigned long n;
	struct page **slots;
	bool ret;

	if (have_pages(inode))
		return true;
	n = inode_nr_pages(inode);
	slots = kcalloc(n ? n : 1, sizeof(*slots));
	spin_lock(&inode->i_pages_lock);
	if (!inode->i_pages && slots) {
		inode->i_pages = slots;
		inode->i_npages_slots = n;
		slots = NULL;
	}
	ret = inode->i_pages != NULL;
	spin_unlock(&inode->i_pages_lock);
	kfree(slots);
	return ret;
}

/* The cached page with a reference for the caller, or NULL. Sleeps: no. */
static struct page *find_get_page(struct inode *inode, unsigned long index)
{
	struct page *page = NULL;

	spin_lock(&inode->i_pages_lock);
	if (inode->i_pages && index < inode->i_npages_slots)
		page = inode->i_pages[index];
	if (page)
		get_page(page);
	spin_unlock(&inode->i_pages_lock);
	return page;
}

/* A new page holding bytes [index * PAGE_SIZE, +PAGE_SIZE) of the file,
 * filled by the file system's ->readpage (which may sleep on the disk). */
static struct page *read_cache_page(struct inode *inode, unsigned long index, bool *ioerr)
{
	struct page *page = alloc_pages(0);

	if (!page)
		return NULL;
	if (inode->i_op->readpage(inode, page_address(page), index)) {
		__free_pages(page, 0);
		*ioerr = true;
		return NULL;
	}
	return page;
}

struct page *filemap_get_page(struct inode *inode, unsigned long index, bool *oom)
{
	struct page *page, *fresh;

	bool ioerr = false;

	*oom = false;
	if (!S_ISREG(inode->i_mode) || !inode->i_op || !inode->i_op->readpage ||
	    index >= inode_nr_pages(inode))
		return NULL;
	page = find_get_page(inode, index);
	if (page)
		return page;
	fresh = inode_pages(inode) ? read_cache_page(inode, index, &ioerr) : NULL;
	if (!fresh) {
		*oom = !ioerr;
		return NULL;
	}
	spin_lock(&inode->i_pages_lock);
	if (!inode->i_pages || index >= inode->i_npages_slots) {
		spin_unlock(&inode->i_pages_lock);	/* truncated meanwhile */
		__free_pages(fresh, 0);
		return NULL;
	}
	page = inode->i_pages[index];
	if (!page) {
		inode->i_pages[index] = page = fresh;	/* the cache's reference */
		inode->i_nrpages++;
		fresh = NULL;
	}
	get_page(page);				/* the caller's reference */
	spin_unlock(&inode->i_pages_lock);
	if (fresh)
		__free_pages(fresh, 0);			/* lost a race: someone cached it first */
	return page;
}

vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct inode *inode = vmf->vma->vm_file->f_inode;
	bool oom;
	struct page *page = filemap_get_page(inode, vmf->pgoff, &oom);

	if (!page)
		return oom ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
};

/* The file can never be written, so a shared mapping must never become writable. */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_SHARED) {
		if (vma->vm_flags & VM_WRITE)
			return -EACCES;
		vma->vm_flags &= ~VM_MAYWRITE;
	}
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
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
	return file->f_op->mmap(file, vma);
}

void truncate_inode_pages(struct inode *inode)
{
	unsigned long n;
	struct page **slots;

	spin_lock(&inode->i_pages_lock);
	slots = inode->i_pages;
	n = inode->i_npages_slots;
	inode->i_npages_slots = 0;
	inode->i_pages = NULL;
	inode->i_nrpages = 0;
	spin_unlock(&inode->i_pages_lock);
	if (!slots)
		return;
	for (unsigned long i = 0; i < n; i++)
		if (slots[i])
			__free_pages(slots[i], 0);
	kfree(slots);
}
