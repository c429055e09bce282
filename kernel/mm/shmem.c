/*
 * shmem.c - anonymous shared memory (MAP_SHARED|MAP_ANONYMOUS).
 *
 * Theory of operation
 * -------------------
 * A shared anonymous mapping must show the same page to every process
 * that inherited it through fork, even for pages first touched after the
 * fork. So its pages cannot belong to one VMA: they live in a small
 * object (struct shmem_object, an array of pages indexed by page offset),
 * and the VMA maps the object like a file - vm_ops->fault returns the
 * object's page for vmf->pgoff, creating a zeroed one on first use.
 * The PTEs are then handled by the file-fault paths of memory.c
 * (do_read_fault / do_shared_fault), including fork and unmapping.
 *
 * The object holds one reference on each of its pages; every VMA that
 * maps it (splits and fork copies through vm_ops->open) holds one
 * reference on the object; the last close frees the pages.
 */
#include <shmem.h>
#include <mmap.h>
#include <page_alloc.h>
#include <slab.h>
#include <string.h>

/* Locking legend: [L] lock  [I] fixed at creation  [a] atomic */
struct shmem_object {
	struct mutex lock;
	atomic_t refcount;		/* [a] VMAs mapping it */
	unsigned long nr_pages;		/* [I] size */
	struct page **pages;		/* [L] pages[pgoff], NULL until first touched */
};

static void shmem_open(struct vm_area_struct *vma)
{
	struct shmem_object *obj = vma->vm_private_data;

	atomic_inc(&obj->refcount);
}

static void shmem_close(struct vm_area_struct *vma)
{
	struct shmem_object *obj = vma->vm_private_data;
	unsigned long i;

	if (!atomic_dec_and_test(&obj->refcount))
		return;
	for (i = 0; i < obj->nr_pages; i++)
		if (obj->pages[i])
			put_page(obj->pages[i]);
	kfree(obj->pages);
	kfree(obj);
}

/* Locks: mmap_lock (read); takes obj->lock. Sleeps: yes. */
static vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct shmem_object *obj = vmf->vma->vm_private_data;
	struct page *page;

	if (vmf->pgoff >= obj->nr_pages)
		return VM_FAULT_SIGBUS;
	mutex_lock(&obj->lock);
	page = obj->pages[vmf->pgoff];
	if (!page) {
		page = alloc_pages(0);
		if (page) {
			memset(page_address(page), 0, PAGE_SIZE);
			obj->pages[vmf->pgoff] = page;
		}
	}
	if (page)
		get_page(page);		/* the PTE's reference */
	mutex_unlock(&obj->lock);
	vmf->page = page;
	return page ? 0 : VM_FAULT_OOM;
}

static const struct vm_operations_struct shmem_anon_vm_ops = {
	.open = shmem_open,
	.close = shmem_close,
	.fault = shmem_fault,
	.name = "[shmem]",
};

int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct shmem_object *obj = kzalloc(sizeof(*obj));

	if (!obj)
		return -ENOMEM;
	obj->nr_pages = vma_pages(vma);
	obj->pages = kcalloc(obj->nr_pages, sizeof(obj->pages[0]));
	if (!obj->pages) {
		kfree(obj);
		return -ENOMEM;
	}
	mutex_init(&obj->lock);
	atomic_set(&obj->refcount, 1);
	vma->vm_private_data = obj;
	vma->vm_ops = &shmem_anon_vm_ops;
	vma->vm_pgoff = 0;
	return 0;
}
