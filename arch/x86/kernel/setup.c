/*
 * setup.c - the boot CPU's early C code (x86_boot_main, from head.S),
 * power off, halt and new-thread contexts.
 */
#include <printk.h>
#include <string.h>
#include <mm.h>
#include "internal.h"

struct boot_info x86_boot_info;		/* [I] handed to kernel_main() */
extern char x86_thread_start[];		/* entry.S */

static void reserve_boot_memory(struct boot_info *bi)
{
	/* BIOS data, EBDA, option ROMs and the AP trampoline page all live below 1 MiB. */
	boot_add_reserved(bi, 0, LOW_RESERVED_END);
	boot_add_reserved(bi, __pa(_kernel_start), _kernel_end - _kernel_start);
}

/*
 * Called by head.S in 64-bit mode on the boot page tables and boot stack,
 * IRQs off. mbi_pa: physical address of the multiboot2 information.
 */
void __noreturn x86_boot_main(uint32_t mbi_pa);
void __noreturn x86_boot_main(uint32_t mbi_pa)
{
	struct boot_info *bi = &x86_boot_info;

	cpus[0].arch.self = &cpus[0];
	arch_set_this_cpu(&cpus[0]);
	kimage_voffset = KERNEL_VIRT_BASE;
	x86_serial_init();
	x86_cpu_features_init();
	x86_idt_init();
	x86_cpu_init(&cpus[0]);
	printk("x86: multiboot2 info at 0x%x, NX %s, 1 GiB pages %s, SMEP %s, SMAP %s\n", mbi_pa,
	       x86_pte_nx ? "on" : "absent", x86_has_gbpages ? "yes" : "no",
	       x86_has_smep ? "on" : "absent", x86_has_smap ? "on" : "absent");
	x86_parse_multiboot(mbi_pa, bi);
	x86_mmu_switch();
	reserve_boot_memory(bi);
	x86_tsc_init();
	cpus[0].arch.apic_id = lapic_id_early();
	kernel_main(bi);
}

void x86_thread_returned(void)
{
	panic("x86: a thread's entry function returned; threads must end through the scheduler");
}

/*
 * The new thread "returns" into x86_thread_start, which calls entry(arg).
 * The top struct pt_regs of the stack stays unused: that is where a trap
 * from user mode lands (TSS.rsp0 = stack_top), so a kernel thread that
 * turns into a user one (execve, arch_return_to_user) can build its user
 * frame there without overwriting its own live frames.
 */
void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void *), void *arg)
{
	uintptr_t sp = ALIGN_DOWN((uintptr_t)stack_top - sizeof(struct pt_regs), 16) - 8;

	*(uint64_t *)sp = (uint64_t)(uintptr_t)x86_thread_start;
	memset(ctx, 0, sizeof(*ctx));
	ctx->rsp = sp;
	ctx->r12 = (uint64_t)(uintptr_t)entry;
	ctx->r13 = (uint64_t)(uintptr_t)arg;
	ctx->rbp = 0;			/* ends the frame-pointer chain */
}

void arch_halt(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

/*
 * QEMU's isa-debug-exit device (port 0xf4) ends QEMU with (status << 1) | 1.
 * On a real PC that port does nothing: ACPI S5 needs the DSDT's \_S5
 * object (an AML interpreter), which Faultline does not have, so it halts.
 */
void arch_poweroff(int status)
{
	arch_irq_disable();
	printk("x86: poweroff, status %d\n", status);
	outb(0xf4, (uint8_t)status);
	printk("x86: no QEMU exit device and no ACPI power-off; halted. Switch the machine off.\n");
	arch_halt();
}

/* ---- tests ---- */
#include <ktest.h>

static struct arch_context ctx_test_main, ctx_test_thread;

static void ctx_test_entry(void *arg)
{
	int *n = arg;

	for (;;) {
		(*n)++;
		arch_context_switch(&ctx_test_thread, &ctx_test_main);
	}
}

/* Switch to a fresh context and back a few times; locals must survive (callee-saved registers). */
KTEST(x86_context_switch)
{
	static uint8_t stack[4096] __aligned(16);
	volatile int a = 11, b = 22;
	int n = 0;
	unsigned long flags = arch_irq_save();	/* the scheduler must not see the borrowed stack */

	arch_context_init(&ctx_test_thread, stack + sizeof(stack), ctx_test_entry, &n);
	for (int i = 0; i < 3; i++)
		arch_context_switch(&ctx_test_main, &ctx_test_thread);
	arch_irq_restore(flags);
	KT_EXPECT_EQ(t, n, 3);
	KT_EXPECT_EQ(t, a + b, 33);
	KT_EXPECT_EQ(t, ctx_test_thread.rsp & 15, 8);	/* inside a call: rsp = 16n + 8 */
}
