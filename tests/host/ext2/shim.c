/*
 * shim.c - the kernel services kernel/fs, kernel/fs/ext2, kernel/block and
 * the page cache need, for one host thread playing CPU 0 (tests/host/ext2).
 *
 * Real: the page allocator (an arena at PHYS_MAP_BASE, as in tests/host/mm),
 * kernel/sync, the VFS, the buffer cache, the block layer, the page cache.
 * Stand-ins, because they are not what this suite tests:
 *  kmalloc     libc malloc, so AddressSanitizer sees every object's bounds;
 *  user copies plain copies (there is no user address space: the tests pass
 *              host pointers where a system call takes a user pointer);
 *  scheduler   one thread and nobody to wake it: a sleep that is not already
 *              woken is a hang, reported as a panic;
 *  VMAs, fds, timers, kthreads, char devices: not reachable from these
 *              tests (no mmap, no fd table, no block delay, no flusher); the
 *              stand-ins panic so a path that does reach them is seen.
 * libc is reached only through host.h (host.c).
 */
#include <arch.h>
#include <cpu.h>
#include <sched.h>
#include <slab.h>
#include <page_alloc.h>
#include <printk.h>
#include <timer.h>
#include <boot.h>
#include <irq.h>
#include <signal.h>
#include <trace.h>
#include <vmstat.h>
#include <fault_policy.h>
#include <mmap.h>
#include <mmap_lock.h>
#include <pgtable.h>
#include <file.h>
#include <buffer_head.h>
#include <string.h>
#include "../../../kernel/fs/internal.h"
#include "host.h"

__thread struct cpu *host_this_cpu;
__thread unsigned long host_irqs_off;
uintptr_t kimage_voffset;
volatile int panic_in_progress;
struct cpu cpus[NR_CPUS];
unsigned int nr_cpus_possible = 1;
uint64_t jiffies;
bool trace_on;
int fault_policy;
unsigned long vm_event_states[NR_CPUS][NR_VM_EVENT_ITEMS];
static struct thread host_thread;

/* The "kernel image": a blob of the host binary above KERNEL_VIRT_BASE. */
__asm__(".pushsection .bss\n.balign 4096\n.globl _kernel_start\n_kernel_start:\n"
	".skip 0x1000\n.globl _kernel_end\n_kernel_end:\n.popsection");
extern char _kernel_start[];

/* ---- console and panic ---- */

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	host_log(buf);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	panic_in_progress = 1;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	host_panic(buf);
}

/* ---- the one CPU and its thread ---- */

void host_relax(void)
{
}

uint64_t arch_time_ns(void)
{
	return host_time_ns();
}

/* Nobody else runs: a thread that is not running when it sleeps never wakes. */
void schedule(void)
{
	if (__atomic_load_n(&current->state, __ATOMIC_ACQUIRE) != TASK_RUNNING)
		panic("schedule: sleeping (state %ld) with nobody to wake us: a hang",
		      current->state);
}

long schedule_timeout(long timeout)
{
	schedule();
	return timeout;
}

bool wake_up_process(struct thread *t)
{
	long s = __atomic_load_n(&t->state, __ATOMIC_RELAXED);

	if (s != TASK_INTERRUPTIBLE && s != TASK_UNINTERRUPTIBLE)
		return false;
	__atomic_store_n(&t->state, TASK_RUNNING, __ATOMIC_RELEASE);
	return true;
}

void preempt_schedule(void) { }

void __might_sleep(const char *file, int line)
{
	if (this_cpu()->preempt_count || host_irqs_off)
		panic("sleeping with preempt_count %d, IRQs %s at %s:%d",
		      this_cpu()->preempt_count, host_irqs_off ? "off" : "on", file, line);
}

bool in_irq(void) { return false; }
bool signal_pending(struct thread *t) { (void)t; return false; }
bool fatal_signal_pending(struct thread *t) { (void)t; return false; }

struct thread *kthread_run(void (*fn)(void *), void *arg, const char *name)
{
	panic("kthread_run(%s): no threads on the host", name);
}

void thread_put(struct thread *t) { (void)t; }

/* ---- boot: the CPU, then the page allocator over the arena ---- */

void host_kernel_boot(void)
{
	struct boot_info bi;

	if (host_map_arena(PHYS_MAP_BASE, PHYS_MAP_SIZE))
		host_exit(2);
	kimage_voffset = (uintptr_t)_kernel_start - 0x00300000UL;
	cpus[0].id = 0;
	cpus[0].online = true;
	cpus[0].curr = &host_thread;
	host_thread.state = TASK_RUNNING;
	strlcpy(host_thread.name, "host", sizeof(host_thread.name));
	host_this_cpu = &cpus[0];
	memset(&bi, 0, sizeof(bi));
	bi.mem[0] = (struct mem_range){ 0x100000, 256 * MiB };
	bi.nr_mem = 1;
	bi.reserved[0] = (struct mem_range){ 0x00300000UL, 0x1000 };
	bi.nr_reserved = 1;
	bi.nr_cpus = 1;
	bi.cmdline = "";
	page_alloc_init(&bi);
	folio_wait_table_init();
}

/* ---- kmalloc: libc's, with a count of live objects (leak checks) ---- */

static long kmalloc_live;

long host_kmalloc_live(void)
{
	return kmalloc_live;
}

void *kmalloc(size_t size)
{
	void *p = host_malloc(size ? size : 1);

	if (p)
		kmalloc_live++;
	return p;
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size);
}

void kfree(const void *obj)
{
	if (!obj)
		return;
	kmalloc_live--;
	host_free((void *)obj);
}

/* ---- user copies: there is no user space, "user" pointers are host pointers ---- */

int copy_from_user(void *dst, const void *usrc, size_t n)
{
	memcpy(dst, usrc, n);
	return 0;
}

int copy_to_user(void *udst, const void *src, size_t n)
{
	memcpy(udst, src, n);
	return 0;
}

long strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t n = strnlen(usrc, max);

	memcpy(dst, usrc, n < max ? n + 1 : max);
	return (long)n;
}

/* glibc before 2.38 has no strlcpy. */
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = n < size - 1 ? n : size - 1;

		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

/* ---- not reachable from these tests: no mappings, fds, timers or devices ---- */

#define UNREACHABLE(what) panic("%s: not available in the host ext2 test", what)

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr) { UNREACHABLE("find_vma"); }
void mmap_read_lock(struct mm_struct *mm) { UNREACHABLE("mmap_read_lock"); }
void mmap_read_unlock(struct mm_struct *mm) { UNREACHABLE("mmap_read_unlock"); }
void vma_end_read(struct vm_area_struct *vma) { UNREACHABLE("vma_end_read"); }
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	UNREACHABLE("zap_page_range");
}
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	UNREACHABLE("flush_tlb_mm_range");
}
pte_t *pt_walk(phys_addr_t root, uintptr_t va, int target, bool alloc, int *level)
{
	UNREACHABLE("pt_walk");
}
pte_t *pte_offset_map_lock(struct mm_struct *mm, unsigned long addr, spinlock_t **ptlp)
{
	UNREACHABLE("pte_offset_map_lock");
}
struct file *fget(unsigned int fd) { return NULL; }	/* no fd table: -EBADF */
int get_unused_fd_flags(unsigned int flags) { return -EMFILE; }
void fd_install(unsigned int fd, struct file *file) { UNREACHABLE("fd_install"); }
int close_fd(unsigned int fd) { return -EBADF; }
const struct file_operations *chrdev_fops(dev_t rdev) { return NULL; }	/* -ENXIO */
struct dentry *initramfs_root(void) { UNREACHABLE("initramfs_root"); }
void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
}
void timer_setup_on(struct timer_list *t, void (*fn)(struct timer_list *), unsigned int cpu)
{
	timer_setup(t, fn, 0);
}
int mod_timer(struct timer_list *t, uint64_t expires) { UNREACHABLE("mod_timer (a block delay)"); }
bool timer_pending(struct timer_list *t) { return false; }
size_t cmdline_copy(const char *key, char *buf, size_t size)
{
	if (size)
		buf[0] = '\0';
	return 0;
}
unsigned long cmdline_get_ulong(const char *key, unsigned long dflt) { return dflt; }
uint32_t fdt_totalsize(const void *fdt) { return 0; }
void brd_init(void) { UNREACHABLE("brd_init"); }
void virtio_mmio_probe_all(const void *dtb) { UNREACHABLE("virtio_mmio_probe_all"); }
void virtio_pci_probe_all(void) { UNREACHABLE("virtio_pci_probe_all"); }
void __trace_event(enum trace_type type, uint64_t a0, uint64_t a1)
{
	UNREACHABLE("__trace_event");
}

/* ---- AddressSanitizer: a 1 KiB or 2 KiB buffer's page past b_size is poisoned,
 * so ext2 reading past its block is caught (the calls come through --wrap). ---- */

struct buffer_head *__real_sb_bread(struct super_block *sb, uint64_t block);
struct buffer_head *__real_sb_getblk(struct super_block *sb, uint64_t block);
void __real___free_pages(struct page *page, unsigned int order);

static struct buffer_head *poison_tail(struct buffer_head *bh)
{
	if (bh && bh->b_size < PAGE_SIZE)
		host_poison(bh->b_data + bh->b_size, PAGE_SIZE - bh->b_size);
	return bh;
}

struct buffer_head *__wrap_sb_bread(struct super_block *sb, uint64_t block)
{
	return poison_tail(__real_sb_bread(sb, block));
}

struct buffer_head *__wrap_sb_getblk(struct super_block *sb, uint64_t block)
{
	return poison_tail(__real_sb_getblk(sb, block));
}

void __wrap___free_pages(struct page *page, unsigned int order)
{
	host_unpoison(page_address(page), PAGE_SIZE << order);
	__real___free_pages(page, order);
}
