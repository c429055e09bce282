/*
 * vm_test.c - in-kernel tests of user address spaces (ktest=vm_).
 *
 * Theory of operation
 * -------------------
 * These tests build real mms and page tables but never run user code:
 * a "user access" is fixup_user_fault() (the fault path minus the arch
 * trap) followed by a read or write through the direct map at the
 * physical address the PTE now holds. That exercises demand paging, the
 * zero page, COW after dup_mm, munmap/mprotect splitting and merging,
 * brk, stack growth and the counters on every architecture, even before
 * the arch can enter user mode.
 */
#include <ktest.h>
#include <mmap.h>
#include <rmap.h>
#include <vmstat.h>
#include <uaccess.h>
#include <tlb.h>
#include <page_alloc.h>
#include <smp.h>
#include <uapi/faultline/mman.h>

#define ANON_PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define RW		(PROT_READ | PROT_WRITE)

/* Fault addr in as a user access would; 0, -EFAULT or -ENOMEM. */
static int touch(struct mm_struct *mm, unsigned long addr, bool write)
{
	int ret;

	mmap_read_lock(mm);
	ret = fixup_user_fault(mm, addr, FAULT_FLAG_USER | (write ? FAULT_FLAG_WRITE : 0), NULL);
	mmap_read_unlock(mm);
	return ret;
}

/* Kernel pointer to the byte the user sees at addr (NULL if unmapped). */
static uint8_t *user_byte(struct mm_struct *mm, unsigned long addr)
{
	phys_addr_t pa;

	return follow_pte(mm, addr, &pa, NULL) ? __va(pa) : NULL;
}

static bool pte_writable(struct mm_struct *mm, unsigned long addr)
{
	unsigned int prot = 0;

	return follow_pte(mm, addr, NULL, &prot) && (prot & PTE_W);
}

static long rss(struct mm_struct *mm)
{
	return atomic_long_read(&mm->rss[MM_ANONPAGES]);
}

KTEST(vm_mmap_is_lazy)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long anon = sum_vm_event(ANON_FAULT), zero = sum_vm_event(ZERO_PAGE_MAP);
	unsigned long a, len = 64 * MiB;

	KT_ASSERT(t, mm);
	a = do_mmap(mm, 0, len, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	KT_EXPECT(t, a >= MMAP_MIN_ADDR && a + len <= USER_TOP);
	KT_EXPECT_EQ(t, mm->total_vm, len / PAGE_SIZE);
	KT_EXPECT_EQ(t, rss(mm), 0);
	KT_EXPECT(t, !user_byte(mm, a));
	KT_ASSERT_EQ(t, touch(mm, a + 5 * MiB, true), 0);
	KT_EXPECT_EQ(t, rss(mm), 1);			/* one page in 64 MiB */
	KT_EXPECT(t, pte_writable(mm, a + 5 * MiB));
	KT_EXPECT_EQ(t, sum_vm_event(ANON_FAULT) - anon, 1);
	KT_ASSERT_EQ(t, touch(mm, a, false), 0);	/* read: the zero page */
	KT_EXPECT(t, user_byte(mm, a) == (uint8_t *)__va(zero_page_pa()));
	KT_EXPECT(t, !pte_writable(mm, a));
	KT_EXPECT_EQ(t, sum_vm_event(ZERO_PAGE_MAP) - zero, 1);
	KT_EXPECT_EQ(t, rss(mm), 1);
	KT_ASSERT_EQ(t, touch(mm, a, true), 0);		/* write after read: private copy */
	KT_EXPECT(t, user_byte(mm, a) != (uint8_t *)__va(zero_page_pa()));
	KT_EXPECT_EQ(t, rss(mm), 2);
	KT_EXPECT_EQ(t, empty_zero_page[0], 0);
	mmput(mm);
}

KTEST(vm_cow_after_dup_mm)
{
	struct mm_struct *parent = mm_alloc(), *child;
	unsigned long reuse = sum_vm_event(COW_REUSE);
	unsigned long a;
	uint8_t *pp, *cp;

	KT_ASSERT(t, parent);
	a = do_mmap(parent, 0, 4 * PAGE_SIZE, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a) && touch(parent, a, true) == 0);
	*user_byte(parent, a) = 'A';
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	KT_EXPECT(t, user_byte(child, a) == user_byte(parent, a));	/* shared... */
	KT_EXPECT(t, !pte_writable(parent, a) && !pte_writable(child, a)); /* ...read-only */
	KT_EXPECT_EQ(t, page_mapcount(virt_to_page(user_byte(parent, a))), 2);
	KT_EXPECT_EQ(t, rmap_walk_anon(virt_to_page(user_byte(parent, a)), NULL, NULL), 2);
	KT_ASSERT_EQ(t, touch(child, a, true), 0);			/* COW copy */
	cp = user_byte(child, a);
	pp = user_byte(parent, a);
	KT_ASSERT(t, cp && pp && cp != pp);
	KT_EXPECT_EQ(t, *cp, 'A');
	*cp = 'B';
	KT_EXPECT_EQ(t, *pp, 'A');					/* invisible to the parent */
	KT_ASSERT_EQ(t, touch(parent, a, true), 0);			/* sole mapper: reuse */
	KT_EXPECT(t, user_byte(parent, a) == pp && pte_writable(parent, a));
	KT_EXPECT_EQ(t, sum_vm_event(COW_REUSE) - reuse, 1);
	KT_EXPECT_EQ(t, page_mapcount(virt_to_page(pp)), 1);
	mmput(child);
	KT_EXPECT_EQ(t, *pp, 'A');
	mmput(parent);
}

KTEST(vm_munmap_partial)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	unsigned long a, i;

	KT_ASSERT(t, mm);
	a = do_mmap(mm, 0, 8 * PAGE_SIZE, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	for (i = 0; i < 8; i++)
		KT_ASSERT_EQ(t, touch(mm, a + i * PAGE_SIZE, true), 0);
	KT_EXPECT_EQ(t, do_munmap(mm, a + 2 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, mm->map_count, 2);
	KT_EXPECT_EQ(t, rss(mm), 6);
	KT_EXPECT_EQ(t, mm->total_vm, 6);
	for (i = 0; i < 8; i++)
		KT_EXPECT_EQ(t, user_byte(mm, a + i * PAGE_SIZE) != NULL, i < 2 || i > 3);
	KT_EXPECT_EQ(t, touch(mm, a + 2 * PAGE_SIZE, false), -EFAULT);
	mmap_read_lock(mm);
	vma = find_vma(mm, a + 2 * PAGE_SIZE);
	KT_EXPECT(t, vma && vma->vm_start == a + 4 * PAGE_SIZE && vma->vm_end == a + 8 * PAGE_SIZE);
	mmap_read_unlock(mm);
	KT_EXPECT_EQ(t, do_munmap(mm, a + 1, PAGE_SIZE), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, a, 0), -EINVAL);
	KT_EXPECT_EQ(t, do_munmap(mm, a, 8 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, mm->map_count, 0);
	KT_EXPECT_EQ(t, rss(mm), 0);
	mmput(mm);
}

KTEST(vm_mmap_errors)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a;

	KT_ASSERT(t, mm);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, 0, 0, RW, ANON_PRIV, NULL, 0), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, 0, PAGE_SIZE, 8, ANON_PRIV, NULL, 0), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, 0, PAGE_SIZE, RW, MAP_ANONYMOUS, NULL, 0), -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, 0, -PAGE_SIZE / 2, RW, ANON_PRIV, NULL, 0), -ENOMEM);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0),
		     -EPERM);				/* the first 4 MiB stay unmapped */
	KT_EXPECT_EQ(t, (long)do_mmap(mm, 8 * MiB + 1, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0),
		     -EINVAL);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, USER_TOP - PAGE_SIZE, 2 * PAGE_SIZE, RW,
				      ANON_PRIV | MAP_FIXED, NULL, 0), -ENOMEM);
	a = do_mmap(mm, PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV, NULL, 0);	/* hint too low: ignored */
	KT_EXPECT(t, !IS_ERR_VALUE(a) && a >= MMAP_MIN_ADDR);
	a = do_mmap(mm, 64 * MiB, PAGE_SIZE, RW, ANON_PRIV, NULL, 0);	/* free hint: taken */
	KT_EXPECT_EQ(t, a, 64 * MiB);
	KT_EXPECT_EQ(t, (long)do_mmap(mm, 64 * MiB, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED_NOREPLACE,
				      NULL, 0), -EEXIST);
	KT_EXPECT_EQ(t, do_mprotect(mm, 64 * MiB + PAGE_SIZE, PAGE_SIZE, PROT_READ), -ENOMEM);
	mmput(mm);
}

KTEST(vm_mprotect_split_merge)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a, i;

	KT_ASSERT(t, mm);
	a = do_mmap(mm, 0, 4 * PAGE_SIZE, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	for (i = 0; i < 4; i++)
		KT_ASSERT_EQ(t, touch(mm, a + i * PAGE_SIZE, true), 0);
	KT_EXPECT_EQ(t, do_mprotect(mm, a + PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	KT_EXPECT_EQ(t, mm->map_count, 3);
	KT_EXPECT(t, !pte_writable(mm, a + PAGE_SIZE) && pte_writable(mm, a));
	KT_EXPECT_EQ(t, touch(mm, a + PAGE_SIZE, true), -EFAULT);	/* write: SEGV_ACCERR */
	KT_EXPECT_EQ(t, touch(mm, a + PAGE_SIZE, false), 0);
	KT_EXPECT_EQ(t, do_mprotect(mm, a + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0);
	KT_EXPECT_EQ(t, touch(mm, a + PAGE_SIZE, false), -EFAULT);
	KT_EXPECT_EQ(t, mm->map_count, 4);
	KT_EXPECT_EQ(t, do_mprotect(mm, a, 4 * PAGE_SIZE, RW), 0);
	KT_EXPECT_EQ(t, mm->map_count, 1);				/* merged again */
	KT_EXPECT_EQ(t, touch(mm, a + PAGE_SIZE, true), 0);		/* exclusive: reused */
	KT_EXPECT_EQ(t, rss(mm), 4);
	KT_EXPECT_EQ(t, do_mprotect(mm, a + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	mmput(mm);
}

KTEST(vm_adjacent_mmaps_merge)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long b = 32 * MiB;

	KT_ASSERT(t, mm);
	KT_EXPECT_EQ(t, do_mmap(mm, b, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0), b);
	KT_EXPECT_EQ(t, do_mmap(mm, b + PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0),
		     b + PAGE_SIZE);
	KT_EXPECT_EQ(t, mm->map_count, 1);
	KT_EXPECT_EQ(t, do_mmap(mm, b + 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, ANON_PRIV | MAP_FIXED,
				NULL, 0), b + 2 * PAGE_SIZE);
	KT_EXPECT_EQ(t, mm->map_count, 2);				/* other flags */
	KT_EXPECT_EQ(t, do_mmap(mm, b, 3 * PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED, NULL, 0), b);
	KT_EXPECT_EQ(t, mm->map_count, 1);				/* MAP_FIXED replaced all */
	mmput(mm);
}

KTEST(vm_brk_grow_shrink)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long base = 16 * MiB;

	KT_ASSERT(t, mm);
	mm->start_brk = mm->brk = base;
	KT_EXPECT_EQ(t, do_brk(mm, 0), base);
	KT_EXPECT_EQ(t, do_brk(mm, base + 10000), base + 10000);
	KT_EXPECT_EQ(t, mm->total_vm, 3);
	KT_EXPECT_EQ(t, touch(mm, base + 9999, true), 0);
	KT_EXPECT_EQ(t, do_brk(mm, base + 5 * PAGE_SIZE), base + 5 * PAGE_SIZE);
	KT_EXPECT_EQ(t, mm->map_count, 1);				/* grew by merging */
	KT_EXPECT_EQ(t, do_brk(mm, base + PAGE_SIZE), base + PAGE_SIZE);
	KT_EXPECT_EQ(t, mm->total_vm, 1);
	KT_EXPECT_EQ(t, touch(mm, base + 2 * PAGE_SIZE, false), -EFAULT);
	KT_EXPECT_EQ(t, do_brk(mm, base - 1), base + PAGE_SIZE);	/* below start: unchanged */
	KT_EXPECT_EQ(t, do_mmap(mm, base + 4 * PAGE_SIZE, PAGE_SIZE, RW, ANON_PRIV | MAP_FIXED,
				NULL, 0), base + 4 * PAGE_SIZE);
	KT_EXPECT_EQ(t, do_brk(mm, base + 8 * PAGE_SIZE), base + PAGE_SIZE);	/* collision */
	mmput(mm);
}

KTEST(vm_shared_anon_survives_fork)
{
	struct mm_struct *parent = mm_alloc(), *child;
	unsigned long a;

	KT_ASSERT(t, parent);
	a = do_mmap(parent, 0, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a) && touch(parent, a, true) == 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	*user_byte(parent, a) = 'p';
	KT_EXPECT_EQ(t, *user_byte(child, a), 'p');
	/* A page first touched after the fork is shared too. */
	KT_ASSERT_EQ(t, touch(child, a + PAGE_SIZE, true), 0);
	KT_ASSERT_EQ(t, touch(parent, a + PAGE_SIZE, false), 0);
	KT_EXPECT(t, user_byte(child, a + PAGE_SIZE) == user_byte(parent, a + PAGE_SIZE));
	KT_EXPECT(t, pte_writable(child, a + PAGE_SIZE));
	mmput(parent);
	*user_byte(child, a) = 'c';
	mmput(child);
}

KTEST(vm_stack_grows_down)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *vma;
	unsigned long top = 512 * MiB, a;

	KT_ASSERT(t, mm);
	a = do_mmap(mm, top - 4 * PAGE_SIZE, 4 * PAGE_SIZE, RW,
		    ANON_PRIV | MAP_FIXED | MAP_GROWSDOWN, NULL, 0);
	KT_ASSERT_EQ(t, a, top - 4 * PAGE_SIZE);
	vma = lock_mm_and_find_vma(mm, a - 3 * PAGE_SIZE, NULL);	/* write-lock detour */
	KT_ASSERT(t, vma);
	KT_EXPECT_EQ(t, vma->vm_start, a - 3 * PAGE_SIZE);
	KT_EXPECT_EQ(t, fixup_user_fault(mm, a - 3 * PAGE_SIZE, FAULT_FLAG_WRITE, NULL), 0);
	mmap_read_unlock(mm);
	KT_EXPECT(t, !lock_mm_and_find_vma(mm, top - STACK_MAX_SIZE - PAGE_SIZE, NULL));
	mmput(mm);
}

KTEST(vm_uaccess_range_checks)
{
	char buf[8] = "abc";
	unsigned long ef = sum_vm_event(UACCESS_EFAULT);

	KT_EXPECT(t, access_ok((void *)MMAP_MIN_ADDR, PAGE_SIZE));
	KT_EXPECT(t, !access_ok((void *)(USER_TOP - 1), 2));
	KT_EXPECT(t, !access_ok((void *)(~0UL - 10), 100));		/* wraps */
	KT_EXPECT(t, !access_ok((void *)0, ~0UL));
	KT_EXPECT_EQ(t, copy_to_user(buf, buf, sizeof(buf)), -EFAULT);	/* kernel address */
	KT_EXPECT_EQ(t, copy_from_user(buf, (void *)(USER_TOP - 2), 4), -EFAULT);
	KT_EXPECT_EQ(t, buf[0], 0);					/* zero-filled */
	KT_EXPECT_EQ(t, clear_user((void *)~0UL, 1), -EFAULT);
	KT_EXPECT_EQ(t, strncpy_from_user(buf, (char *)buf, sizeof(buf)), -EFAULT);
	KT_EXPECT_EQ(t, sum_vm_event(UACCESS_EFAULT) - ef, 4);
}

/* flush_tlb_mm_range IPIs exactly the other CPUs in cpu_mask. */
KTEST(vm_tlb_shootdown_targets_mm_cpus)
{
	struct mm_struct *mm = mm_alloc();
	struct tlb_stats before, after;
	unsigned int cpu, others = 0;
	unsigned long mask = 0;

	KT_ASSERT(t, mm);
	for_each_online_cpu(cpu) {
		mask |= 1UL << cpu;
		others++;
	}
	others--;			/* the flushing CPU does its own */
	/* Pretend every CPU has the mm loaded (as lazy kernel threads would). */
	__atomic_store_n(&mm->cpu_mask, mask, __ATOMIC_SEQ_CST);
	tlb_get_stats(&before);
	flush_tlb_mm_range(mm, MMAP_MIN_ADDR, MMAP_MIN_ADDR + PAGE_SIZE);
	tlb_get_stats(&after);
	KT_EXPECT(t, after.flushes_received - before.flushes_received >= others);
	KT_EXPECT_EQ(t, after.shootdowns_sent - before.shootdowns_sent, others ? 1 : 0);
	__atomic_store_n(&mm->cpu_mask, 0, __ATOMIC_SEQ_CST);
	tlb_get_stats(&before);
	flush_tlb_mm_range(mm, MMAP_MIN_ADDR, MMAP_MIN_ADDR + PAGE_SIZE);
	tlb_get_stats(&after);
	KT_EXPECT_EQ(t, after.shootdowns_sent - before.shootdowns_sent, 0);
	mmput(mm);
}

/* copy_to_user/copy_from_user through the arch's uaccess with the mm loaded. */
KTEST(vm_uaccess_with_mm_loaded)
{
	struct mm_struct *mm;
	unsigned long a;
	char out[16] = "faultline", in[16] = { 0 }, scratch[1];

	mm = mm_alloc();
	KT_ASSERT(t, mm);
	a = do_mmap(mm, 0, 2 * PAGE_SIZE, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a) && touch(mm, a, true) == 0);
	kthread_use_mm(mm);
	KT_EXPECT(t, mm->cpu_mask & (1UL << smp_processor_id()));
	KT_EXPECT_EQ(t, copy_to_user((void *)(a + 100), out, sizeof(out)), 0);
	KT_EXPECT_EQ(t, copy_from_user(in, (void *)(a + 100), sizeof(in)), 0);
	KT_EXPECT_EQ(t, strncpy_from_user(in, (char *)(a + 100), sizeof(in)), 9);
	KT_EXPECT_EQ(t, clear_user((void *)(a + 100), 4), 0);
	/* The untouched second page: a demand fault through the hardware path. */
	KT_EXPECT_EQ(t, copy_to_user((void *)(a + PAGE_SIZE), out, sizeof(out)), 0);
	/* No VMA there (the first 4 MiB are never mapped): the fixup gives -EFAULT. */
	KT_EXPECT_EQ(t, copy_to_user((void *)0x1000, out, sizeof(out)), -EFAULT);
	scratch[0] = 'x';
	KT_EXPECT_EQ(t, copy_from_user(scratch, (void *)(a + 2 * PAGE_SIZE), 1), -EFAULT);
	KT_EXPECT_EQ(t, scratch[0], 0);		/* what could not be read is zeroed */
	kthread_unuse_mm(mm);
	KT_EXPECT_EQ(t, mm->cpu_mask, 0);
	KT_EXPECT_EQ(t, user_byte(mm, a + 104)[0], 't');	/* "faultline" minus "faul" */
	KT_EXPECT_EQ(t, user_byte(mm, a + 100)[0], 0);
	KT_EXPECT_EQ(t, user_byte(mm, a + PAGE_SIZE)[0], 'f');
	KT_EXPECT_EQ(t, in[0], 'f');
	mmput(mm);
}

/*
 * Split page-table locks: each PTE table (2 MiB of addresses) has its own lock;
 * pte_offset_map_lock finds none before a fault made the table, and returns the
 * PTE follow_pte sees with its lock held and IRQs still on - so a shootdown
 * (IPIs to every CPU) may run under it. Unmapping more pages than the on-stack
 * gather holds drops every page.
 */
KTEST(vm_split_pte_locks)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a, b, len = 8 * MiB, n = 100;
	spinlock_t *pa_ptl, *pb_ptl;
	struct page *kept;
	phys_addr_t pa;
	pte_t *ptep;

	KT_ASSERT(t, mm);
	a = do_mmap(mm, 0, len, RW, ANON_PRIV, NULL, 0);
	KT_ASSERT(t, !IS_ERR_VALUE(a));
	a = ALIGN_UP(a, 2 * MiB);
	b = a + 2 * MiB;				/* the next PTE table */
	KT_EXPECT(t, !pte_offset_map_lock(mm, a, &pa_ptl));	/* no table yet */
	for (unsigned long i = 0; i < n; i++)
		KT_ASSERT_EQ(t, touch(mm, b - (n / 2) * PAGE_SIZE + i * PAGE_SIZE, true), 0);
	KT_ASSERT_EQ(t, touch(mm, a, true), 0);
	ptep = pte_offset_map_lock(mm, a, &pa_ptl);
	KT_ASSERT(t, ptep);
	KT_EXPECT(t, spin_is_locked_by_me(pa_ptl) && arch_irqs_enabled());
	KT_EXPECT(t, follow_pte(mm, a, &pa, NULL) && pte_pa(ptep_get(ptep)) == pa);
	flush_tlb_kernel_range(a, a + PAGE_SIZE);	/* IPIs under a PTE lock */
	pte_unmap_unlock(ptep, pa_ptl);
	ptep = pte_offset_map_lock(mm, b, &pb_ptl);
	KT_ASSERT(t, ptep);
	KT_EXPECT(t, pb_ptl != pa_ptl && !spin_is_locked(pa_ptl));
	pte_unmap_unlock(ptep, pb_ptl);
	KT_ASSERT(t, follow_pte(mm, b + (n / 2 - 1) * PAGE_SIZE, &pa, NULL));
	kept = phys_to_page(pa);			/* gathered past ZAP_LOCAL */
	get_page(kept);
	KT_EXPECT_EQ(t, rss(mm), (long)n + 1);
	KT_EXPECT_EQ(t, do_munmap(mm, a, 4 * MiB), 0);
	KT_EXPECT_EQ(t, rss(mm), 0);
	KT_EXPECT_EQ(t, page_mapcount(kept), 0);
	KT_EXPECT_EQ(t, page_count(kept), 1);		/* only our reference is left */
	put_page(kept);
	mmput(mm);
}
