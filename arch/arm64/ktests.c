/* ktests.c - in-kernel tests of the arm64 hooks (run with "ktest" on the command line). */
#include <arch.h>
#include <ktest.h>
#include <mm.h>
#include "internal.h"

/* Every generic prot combination survives encode + decode at every leaf level. */
KTEST(arm64_pte_roundtrip)
{
	static const unsigned int prots[] = {
		PTE_R, PTE_R | PTE_W, PTE_R | PTE_X, PTE_R | PTE_W | PTE_GLOBAL,
		PTE_R | PTE_USER, PTE_R | PTE_W | PTE_USER, PTE_R | PTE_X | PTE_USER,
		PAGE_KERNEL, PAGE_KERNEL_DEVICE, PAGE_KERNEL | PTE_X,
	};
	phys_addr_t pa = 0x40000000;

	for (int level = 0; level < 3; level++) {
		for (unsigned int i = 0; i < ARRAY_SIZE(prots); i++) {
			pte_t pte = pte_mk_leaf(pa, prots[i], level);

			KT_EXPECT(t, pte_present(pte));
			KT_EXPECT(t, !pte_is_table(pte, level));
			KT_EXPECT_EQ(t, pte_pa(pte), pa);
			KT_EXPECT_EQ(t, pte_prot(pte), prots[i]);
		}
	}
	KT_EXPECT(t, pte_is_table(pte_mk_table(0x1234000), 1));
	KT_EXPECT_EQ(t, pte_pa(pte_mk_table(0x1234000)), 0x1234000);
	KT_EXPECT(t, !pte_present(0));
	/* The kernel must never execute a user page, and the hardware bits say so. */
	KT_EXPECT(t, pte_mk_leaf(pa, PTE_R | PTE_X | PTE_USER, 0) & PTE_PXN);
}

/* The clock moves forward, at a believable rate. */
KTEST(arm64_time_advances)
{
	uint64_t t0 = arch_time_ns(), t1 = t0;

	for (unsigned long i = 0; i < 100000000UL && t1 - t0 < 1000000; i++)
		t1 = arch_time_ns();
	KT_ASSERT(t, t1 - t0 >= 1000000);
	KT_EXPECT(t, arch_time_ns() >= t1);
}

/* The direct map and the image agree on physical addresses. */
KTEST(arm64_direct_map)
{
	static uint64_t probe;
	uint64_t *alias = __va(__pa(&probe));

	KT_ASSERT(t, __pa(&probe) == arm64_kimage_pa(&probe));
	WRITE_ONCE(probe, 0x5a5a1234);
	KT_EXPECT_EQ(t, READ_ONCE(*alias), 0x5a5a1234);
	KT_EXPECT(t, arch_kernel_pgd() == arm64_kimage_pa(swapper_pg_dir));
}

static struct arch_context ctx_main, ctx_thread;
static uint8_t ctx_stack[4096] __aligned(16);
static volatile uintptr_t ctx_seen_sp, ctx_seen_arg;

static void ctx_entry(void *arg)
{
	ctx_seen_arg = (uintptr_t)arg;
	ctx_seen_sp = (uintptr_t)__builtin_frame_address(0);
	arch_context_switch(&ctx_thread, &ctx_main);
	for (;;)
		;	/* never switched back to */
}

/* A fresh context runs its entry on its own stack and can switch back. */
KTEST(arm64_context_switch)
{
	unsigned long flags = arch_irq_save();
	uint64_t callee_saved = 0x1122334455667788;

	arch_context_init(&ctx_thread, ctx_stack + sizeof(ctx_stack), ctx_entry, (void *)0xfee1);
	__asm__ __volatile__("" : "+r"(callee_saved));
	arch_context_switch(&ctx_main, &ctx_thread);
	__asm__ __volatile__("" : "+r"(callee_saved));
	arch_irq_restore(flags);
	KT_EXPECT_EQ(t, ctx_seen_arg, 0xfee1);
	KT_EXPECT(t, ctx_seen_sp > (uintptr_t)ctx_stack &&
		     ctx_seen_sp <= (uintptr_t)ctx_stack + sizeof(ctx_stack));
	KT_EXPECT_EQ(t, callee_saved, 0x1122334455667788);
}

static __attribute__((noinline)) int unwind_depth(void)
{
	struct unwind u;
	int n = 1;

	arch_unwind_start(&u, NULL);
	if (u.pc < (uintptr_t)_kernel_start || u.pc >= (uintptr_t)_kernel_end)
		return -1;
	while (n < 64 && arch_unwind_next(&u)) {
		if (u.pc < (uintptr_t)_kernel_start || u.pc >= (uintptr_t)_kernel_end)
			return -1;
		n++;
	}
	return n;
}

/* The frame-pointer chain from here goes through kernel text for a few frames. */
KTEST(arm64_unwind)
{
	int n = unwind_depth();

	KT_EXPECT(t, n >= 2);
}

/* An initrd from the device tree lies in RAM, is reserved and readable through the direct map. */
KTEST(arm64_initrd)
{
	const struct boot_info *bi = arm64_boot_info();
	bool in_ram = false, reserved = false;

	if (!bi->initrd_base) {
		printk("ktest: arm64_initrd: no initrd passed (QEMU -initrd), nothing to check\n");
		return;
	}
	for (unsigned int i = 0; i < bi->nr_mem; i++)
		in_ram |= bi->initrd_base >= bi->mem[i].base &&
			  bi->initrd_base + bi->initrd_size <= bi->mem[i].base + bi->mem[i].size;
	for (unsigned int i = 0; i < bi->nr_reserved; i++)
		reserved |= bi->initrd_base >= bi->reserved[i].base &&
			    bi->initrd_base + bi->initrd_size <=
			    bi->reserved[i].base + bi->reserved[i].size;
	KT_EXPECT(t, in_ram);
	KT_EXPECT(t, reserved);
	KT_EXPECT(t, bi->initrd_size > 0);
	(void)READ_ONCE(*(volatile uint8_t *)__va(bi->initrd_base + bi->initrd_size - 1));
}
