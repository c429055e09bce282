/*
 * vmap.c - allocating kernel virtual addresses in the KMAP area.
 *
 * Theory of operation
 * -------------------
 * The direct map (PHYS_MAP_BASE) covers RAM with ordinary cached memory.
 * Device registers need a different, uncached mapping, and some users
 * want several scattered pages to look contiguous. Both get addresses
 * from the KMAP area, a window of kernel virtual space the arch keeps
 * free: [KMAP_BASE, KMAP_BASE + KMAP_SIZE).
 *
 * The area is managed as a list of vm_structs sorted by address; a new
 * mapping takes the first gap big enough for it plus one guard page (an
 * overrun then faults instead of scribbling on the next mapping). The
 * pages are then mapped one by one with map_kernel_page().
 *
 * Unmapping is the delicate part: other CPUs may still hold the old
 * translation in their TLBs. iounmap()/vunmap() therefore clear the
 * entries, call flush_tlb_kernel_range() - which makes every CPU drop
 * them - and only then give the addresses back to the list, so no one
 * can map something new there while a stale translation survives.
 *
 * The first use links tables into every root entry covering the area
 * (kernel_pt_prealloc), so the root table never changes afterwards and
 * copies of its kernel half (future user address spaces) stay valid.
 */
#include <vmap.h>
#include <page_alloc.h>
#include <pgtable.h>
#include <printk.h>
#include <slab.h>
#include <spinlock.h>
#include <tlb.h>

#define VM_IOREMAP	1u
#define VM_MAP		2u

/* Locking legend:  [V] vmap_lock  [I] set before the area is published */
struct vm_struct {
	struct list_head list;		/* [V] in vmap_areas, sorted by addr */
	uintptr_t addr;			/* [I] first mapped address */
	size_t size;			/* [I] bytes mapped (the guard page not included) */
	phys_addr_t phys;		/* [I] ioremap: physical address of addr */
	unsigned int flags;		/* [I] VM_IOREMAP or VM_MAP */
};

static LIST_HEAD(vmap_areas);
static DEFINE_SPINLOCK(vmap_lock);
static bool kmap_tables_ready;		/* [V] root entries of the area preallocated */

/* Root entries first, so the kernel's root table never changes later. Locks: vmap_lock. */
static void kmap_prepare(void)
{
	int ret;

	if (kmap_tables_ready)
		return;
	ret = kernel_pt_prealloc(KMAP_BASE, KMAP_SIZE);
	if (ret)
		panic("vmap: cannot prepare the page tables of the KMAP area 0x%lx (error %d): "
		      "the arch boot page tables must leave it unmapped", (unsigned long)KMAP_BASE, ret);
	kmap_tables_ready = true;
}

/* Reserve size bytes (+ a guard page) of the area for vm. Locks: none (takes vmap_lock). */
static bool area_reserve(struct vm_struct *vm, size_t size)
{
	/* end is 0 if the area ends at the top of the address space;
	 * the unsigned differences below are still right. */
	uintptr_t start = KMAP_BASE, end = KMAP_BASE + KMAP_SIZE;
	size_t need = size + PAGE_SIZE;
	struct list_head *pos;

	spin_lock(&vmap_lock);
	kmap_prepare();
	list_for_each(pos, &vmap_areas) {
		struct vm_struct *a = list_entry(pos, struct vm_struct, list);

		if (a->addr - start >= need)
			break;
		start = a->addr + a->size + PAGE_SIZE;
	}
	if (pos == &vmap_areas && end - start < need) {
		spin_unlock(&vmap_lock);
		return false;
	}
	vm->addr = start;
	vm->size = size;
	list_add_tail(&vm->list, pos);		/* before the area after the gap */
	spin_unlock(&vmap_lock);
	return true;
}

static void area_release(struct vm_struct *vm)
{
	spin_lock(&vmap_lock);
	list_del(&vm->list);
	spin_unlock(&vmap_lock);
	kfree(vm);
}

static struct vm_struct *area_find(uintptr_t addr)
{
	struct vm_struct *a, *found = NULL;

	spin_lock(&vmap_lock);
	list_for_each_entry(a, &vmap_areas, list) {
		if (addr >= a->addr && addr < a->addr + a->size) {
			found = a;
			break;
		}
	}
	spin_unlock(&vmap_lock);
	return found;
}

/* Unmap the first 'mapped' bytes of vm, flush every TLB, free the range. */
static void area_unmap(struct vm_struct *vm, size_t mapped)
{
	size_t off;

	for (off = 0; off < mapped; off += PAGE_SIZE)
		BUG_ON(unmap_kernel_page(vm->addr + off) != 0);
	if (mapped)
		flush_tlb_kernel_range(vm->addr, vm->addr + mapped);
	area_release(vm);
}

static struct vm_struct *area_new(size_t size, unsigned int flags, const char *who)
{
	struct vm_struct *vm = kzalloc(sizeof(*vm));

	if (!vm)
		return NULL;
	vm->flags = flags;
	if (!area_reserve(vm, size)) {
		printk("%s: no room for %zu KiB in the %lu MiB KMAP area: unmap something "
		       "or enlarge KMAP_SIZE\n", who, size / KiB, (unsigned long)(KMAP_SIZE / MiB));
		kfree(vm);
		return NULL;
	}
	return vm;
}

void *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	size_t len = ALIGN_UP(phys + size, PAGE_SIZE) - base, off;
	struct vm_struct *vm;

	if (size == 0 || phys + size < phys)
		return NULL;
	vm = area_new(len, VM_IOREMAP, "ioremap");
	if (!vm)
		return NULL;
	vm->phys = base;
	for (off = 0; off < len; off += PAGE_SIZE) {
		int ret = map_kernel_page(vm->addr + off, base + off, PAGE_KERNEL_DEVICE);

		if (ret) {
			printk("ioremap(0x%llx, %zu): mapping failed (error %d)\n",
			       (unsigned long long)phys, size, ret);
			area_unmap(vm, off);
			return NULL;
		}
	}
	return (void *)(vm->addr + (phys - base));
}

static void area_free(const volatile void *addr, unsigned int flags, const char *who)
{
	struct vm_struct *vm = area_find((uintptr_t)addr);

	if (!vm || !(vm->flags & flags))
		panic("%s(%p): not an address returned by %s()", who, addr,
		      flags == VM_IOREMAP ? "ioremap" : "vmap");
	area_unmap(vm, vm->size);
}

void iounmap(volatile void *addr)
{
	if (addr)
		area_free(addr, VM_IOREMAP, "iounmap");
}

void *vmap(struct page **pages, unsigned int count, unsigned int prot)
{
	struct vm_struct *vm;
	unsigned int i;

	if (count == 0)
		return NULL;
	vm = area_new((size_t)count * PAGE_SIZE, VM_MAP, "vmap");
	if (!vm)
		return NULL;
	for (i = 0; i < count; i++) {
		int ret = map_kernel_page(vm->addr + i * PAGE_SIZE, page_to_phys(pages[i]), prot);

		if (ret) {
			printk("vmap: mapping page %u failed (error %d)\n", i, ret);
			area_unmap(vm, (size_t)i * PAGE_SIZE);
			return NULL;
		}
	}
	return (void *)vm->addr;
}

void vunmap(const void *addr)
{
	if (addr)
		area_free(addr, VM_MAP, "vunmap");
}

void vmap_dump(void)
{
	struct vm_struct *a;

	spin_lock(&vmap_lock);
	list_for_each_entry(a, &vmap_areas, list) {
		if (a->flags & VM_IOREMAP)
			printk("vmap: 0x%lx-0x%lx ioremap phys 0x%llx\n", (unsigned long)a->addr,
			       (unsigned long)(a->addr + a->size), (unsigned long long)a->phys);
		else
			printk("vmap: 0x%lx-0x%lx vmap\n", (unsigned long)a->addr,
			       (unsigned long)(a->addr + a->size));
	}
	spin_unlock(&vmap_lock);
}
