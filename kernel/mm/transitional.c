/*
 * transitional.c - weak stand-ins for what other parts of issue 3 provide.
 *
 * Theory of operation
 * -------------------
 * kernel/mm calls into the arch user-mode contract (arch.h), kernel/task
 * (signals) and kernel/fs (files) while those are being written in
 * parallel. Each function here is a weak symbol: as soon as the real one
 * is linked in, the linker takes it and this one is ignored. Until then
 * they behave as "this feature does not exist yet": no user root is ever
 * loaded, user copies copy nothing (-EFAULT), no file can be mapped, and
 * a signal request panics with a message naming the missing piece.
 * Delete this file once arch, task and fs have all landed in main.
 */
#include <mmap.h>
#include <printk.h>

#define __weak	__attribute__((weak))

/* arch.h user-mode section */
__weak void arch_pgd_init_user(pte_t *pgd)
{
	(void)pgd;		/* the mm is never loaded without arch_switch_mm */
}

static void fallback_switch_mm(phys_addr_t user_pgd)
{
	if (user_pgd)
		panic("arch_switch_mm: this architecture has no user-mode support yet (issue 3)");
}
void arch_switch_mm(phys_addr_t user_pgd) __attribute__((weak, alias("fallback_switch_mm")));

/* Can an mm be loaded on this CPU (the arch provides arch_switch_mm)? For ktests. */
bool vm_arch_can_switch_mm(void)
{
	return arch_switch_mm != fallback_switch_mm;
}

__weak size_t arch_copy_from_user(void *dst, const void *usrc, size_t n)
{
	(void)dst; (void)usrc;
	return n;
}

__weak size_t arch_copy_to_user(void *udst, const void *src, size_t n)
{
	(void)udst; (void)src;
	return n;
}

__weak size_t arch_clear_user(void *udst, size_t n)
{
	(void)udst;
	return n;
}

__weak bool arch_fixup_exception(struct pt_regs *regs)
{
	(void)regs;
	return false;
}

/* kernel/task <signal.h> */
__weak int force_sig_fault(int sig, int code, uintptr_t addr)
{
	panic("force_sig_fault(%d, %d, 0x%lx): kernel/task has no signals yet", sig, code,
	      (unsigned long)addr);
}

__weak int force_sig(int sig)
{
	panic("force_sig(%d): kernel/task has no signals yet", sig);
}

/* kernel/fs */
__weak struct file *fget(unsigned int fd)
{
	(void)fd;
	return NULL;
}

__weak struct file *get_file(struct file *file)
{
	panic("get_file(%p): kernel/fs is not linked in", file);
}

__weak void fput(struct file *file)
{
	panic("fput(%p): kernel/fs is not linked in", file);
}

__weak int call_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file; (void)vma;
	return -ENODEV;
}
