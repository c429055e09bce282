/*
 * arch.h - the WHOLE contract between kernel/ and arch/<name>/.
 *
 * kernel/ code never includes anything from arch/ except through this
 * file, and arch/ code calls into kernel/ only through the entry points
 * listed at the bottom ("kernel entry points arch code calls").
 *
 * Each architecture provides <asm/arch.h> with:
 *   types     struct pt_regs       trap frame saved on kernel entry
 *             struct arch_context  registers saved by arch_context_switch()
 *             struct arch_cpu      per-CPU arch data, first member of struct cpu
 *   consts    ARCH_NAME, ELF_ARCH (e_machine of user executables), ARCH_PT_LEVELS,
 *             PHYS_MAP_BASE, PHYS_MAP_SIZE, KMAP_BASE, KMAP_SIZE, KERNEL_VIRT_BASE (see <asm/memlayout.h>)
 *   inlines   the "static inline" hooks marked [inline] below, and the
 *             page-table entry encoding marked [pte].
 */
#ifndef FAULTLINE_ARCH_H
#define FAULTLINE_ARCH_H

#include <types.h>
/* Generic protection bits for pte_mk_leaf() (defined before <asm/arch.h>, whose [pte] inlines use them). */
#define PTE_R		0x01u
#define PTE_W		0x02u
#define PTE_X		0x04u
#define PTE_USER	0x08u
#define PTE_DEVICE	0x10u	/* uncached device memory */
#define PTE_GLOBAL	0x20u	/* kernel mapping shared by all address spaces */
#define PAGE_KERNEL	(PTE_R | PTE_W | PTE_GLOBAL)
#define PAGE_KERNEL_DEVICE (PTE_R | PTE_W | PTE_GLOBAL | PTE_DEVICE)

#include <asm/arch.h>

struct cpu;
struct boot_info;

/* One frame of a stack walk (frame-pointer chain; kernel built with frame pointers). */
struct unwind {
	uintptr_t pc;		/* return address of this frame */
	uintptr_t fp;		/* frame pointer of this frame */
};

/* ---- CPU identity and per-CPU data ------------------------------------ */
/* [inline] struct cpu *arch_this_cpu(void);    this CPU's struct cpu (from a CPU register) */
/* [inline] void arch_set_this_cpu(struct cpu *); install it, once per CPU at bring-up */

/* ---- interrupts --------------------------------------------------------- */
/* [inline] unsigned long arch_irq_save(void);     disable local IRQs, return old state */
/* [inline] void arch_irq_restore(unsigned long);  restore state from arch_irq_save() */
/* [inline] void arch_irq_enable(void);            enable local IRQs */
/* [inline] void arch_irq_disable(void);           disable local IRQs */
/* [inline] bool arch_irqs_enabled(void);          are local IRQs enabled? */
/* [inline] void arch_cpu_relax(void);             spin-wait hint (pause/yield/nop) */
/* [inline] void arch_wait_for_interrupt(void);    IRQs off on entry and exit; returns once an IRQ is pending
 *                                                   (or was handled), so a check-then-sleep cannot miss a wakeup */
/* [inline] void arch_io_mb(void);                 order MMIO accesses against normal memory */

/* ---- boot, power, console ---------------------------------------------- */
void arch_console_putc(char c);             /* write one byte to the boot console, polled */
int arch_console_getc(void);                /* read one byte, -1 if none waiting */
void arch_irq_init(void);                   /* interrupt controller on the boot CPU (allocator is up) */
void arch_irq_unmask(unsigned int irq);     /* route device line irq to the boot CPU and unmask it */
void arch_timer_init_cpu(unsigned int hz);  /* start this CPU's periodic tick at hz */
uint64_t arch_time_ns(void);                /* monotonic nanoseconds since an arch-chosen epoch */
int arch_cpu_start(unsigned int cpu, uint64_t hwid, void *stack_top); /* start a secondary; 0 or -errno */
void arch_poweroff(int status) __noreturn;  /* turn the machine off; QEMU exits with status (0 = pass) */
void arch_halt(void) __noreturn;            /* stop this CPU forever with IRQs off */

/* ---- devices (issue 4) ---------------------------------------------------
 * PCI configuration space through the machine's own mechanism (x86: #1,
 * ports 0xCF8/0xCFC). bdf = bus << 8 | device << 3 | function, off a dword
 * offset below 256. false: this machine has no such mechanism (arm64 and
 * riscv64 find their virtio devices in the device tree instead). */
bool arch_pci_cfg_read32(uint32_t bdf, unsigned int off, uint32_t *val);
bool arch_pci_cfg_write32(uint32_t bdf, unsigned int off, uint32_t val);
/* Allocate a message-signalled interrupt: a device writing data to addr
 * raises device line *irq on the boot CPU (do_irq(regs, *irq)). 0, or
 * -ENOSPC (no vector left), -ENODEV (MSI not supported here). */
int arch_msi_alloc(unsigned int *irq, uint64_t *addr, uint32_t *data);

/* ---- threads ------------------------------------------------------------ */
/* Prepare ctx so that switching to it calls entry(arg) on stack_top with IRQs off. */
void arch_context_init(struct arch_context *ctx, void *stack_top,
		       void (*entry)(void *), void *arg);
/* Save callee-saved state into *from, load *to. Returns when someone switches back. */
void arch_context_switch(struct arch_context *from, struct arch_context *to);
/* Stack the next trap from user mode lands on (x86 TSS.rsp0, riscv sscratch, ...). */
void arch_set_kernel_stack(void *stack_top);

/* ---- IPIs and TLB -------------------------------------------------------- */
void arch_send_ipi(unsigned int cpu);       /* raise the one IPI on cpu; handler is do_irq(IRQ_IPI) */
void arch_flush_tlb_page_local(uintptr_t va); /* drop this CPU's TLB entry for va (all ASIDs) */
void arch_flush_tlb_all_local(void);        /* drop this CPU's whole TLB */
phys_addr_t arch_kernel_pgd(void);          /* physical address of the kernel's root page table */

/* ---- debugging ------------------------------------------------------------ */
/* Start an unwind at the caller's frame (regs == NULL) or at a trap frame. */
void arch_unwind_start(struct unwind *u, const struct pt_regs *regs);
/* Step to the caller's frame; false when the chain ends or looks corrupt. */
bool arch_unwind_next(struct unwind *u);
/* [inline] uintptr_t arch_regs_pc(const struct pt_regs *); trapping instruction */
void arch_dump_regs(const struct pt_regs *regs); /* print a trap frame with printk */

/* ---- page-table entry encoding [pte] ------------------------------------
 * All three architectures use 4 KiB pages and 512-entry tables; level 0 is
 * the last level (4 KiB leaves), ARCH_PT_LEVELS-1 the root. Generic prot
 * bits PTE_R/W/X/USER/DEVICE (top of this file) are mapped to hardware bits here.
 * [inline] pte_t pte_mk_table(phys_addr_t table_pa);
 * [inline] pte_t pte_mk_leaf(phys_addr_t pa, unsigned int prot, int level);
 * [inline] bool pte_present(pte_t pte);
 * [inline] bool pte_is_table(pte_t pte, int level);  present and points to a table
 * [inline] phys_addr_t pte_pa(pte_t pte);            target frame or table
 * [inline] unsigned int pte_prot(pte_t pte);          generic prot bits back
 * [inline] void set_pte(pte_t *ptep, pte_t pte);       store + barrier the walker needs
 */

/* ---- user mode (processes, issue 3) ----------------------------------------
 * <asm/arch.h> also provides struct arch_thread (per-thread FP/SIMD state and
 * TLS pointer; embedded in struct thread), USER_TOP (first address above user
 * space) and these [inline] pt_regs accessors:
 *   bool user_mode(const struct pt_regs *r);           trap came from user mode
 *   long syscall_nr(const struct pt_regs *r);          rax / x8 / a7
 *   unsigned long syscall_arg(const struct pt_regs *r, int i);  i = 0..5
 *   void syscall_set_return(struct pt_regs *r, long v); rax / x0 / a0
 *   uintptr_t regs_sp(const struct pt_regs *r);  void regs_set_sp(struct pt_regs *r, uintptr_t sp);
 */
void arch_thread_init(struct arch_thread *at);      /* clean FP state, TLS 0, for a new user image */
void arch_thread_copy(struct arch_thread *dst, const struct arch_thread *src); /* fork/clone: live state included */
/* Scheduler, IRQs off, before arch_context_switch: save prev's user FP/TLS, load next's. */
void arch_thread_switch(struct arch_thread *prev, struct arch_thread *next);
void arch_set_tls(struct arch_thread *at, uintptr_t tp); /* set_tls, CLONE_SETTLS (current or not yet running) */
void arch_user_regs_init(struct pt_regs *regs, uintptr_t pc, uintptr_t sp); /* execve: every other reg 0 */
/* Leave the kernel to user mode with *regs (a frame at the top of this thread's
 * kernel stack), through the same path a syscall returns by. */
void arch_return_to_user(struct pt_regs *regs) __noreturn;
void arch_pgd_init_user(pte_t *pgd);      /* new user root table: add the kernel half (no-op on arm64) */
/* Load the user root table (0: none) and flush as needed. Afterwards this CPU
 * holds no TLB entry of the previous user root (kernel/mm drops the CPU from
 * that mm's shootdown mask, mm->cpu_mask, right after this call). */
void arch_switch_mm(phys_addr_t user_pgd);
/* User memory access. Each returns the number of bytes NOT copied (0 = all).
 * A fault inside them goes to do_page_fault (kernel mode, user address): if
 * it cannot be resolved, arch_fixup_exception() resumes at the copy's fixup. */
size_t arch_copy_from_user(void *dst, const void *usrc, size_t n);
size_t arch_copy_to_user(void *udst, const void *src, size_t n);
size_t arch_clear_user(void *udst, size_t n);
bool arch_fixup_exception(struct pt_regs *regs); /* true if regs' pc was a uaccess; regs now at its fixup */
/* Signals: build a frame on the user stack (siginfo + saved regs, FP state and
 * mask) and point regs at handler(sig, info, uctx) returning to restorer.
 * -EFAULT if the stack is unusable. */
struct siginfo_k;
int arch_setup_signal_frame(struct pt_regs *regs, int sig, const struct siginfo_k *info,
			    uintptr_t handler, uintptr_t restorer, uint64_t saved_mask);
/* rt_sigreturn: restore regs (and FP state) from the frame at the user sp; the
 * saved mask is returned in *mask. -EFAULT for a bad frame; never lets user
 * space set privileged state (mode bits, interrupt masks). */
int arch_sigreturn(struct pt_regs *regs, uint64_t *mask);

/* ---- kernel entry points arch code calls ---------------------------------- */
void kernel_main(struct boot_info *bi) __noreturn;    /* boot CPU, after arch early init */
void secondary_main(unsigned int cpu) __noreturn;     /* secondary, after arch per-CPU init */
#define IRQ_TIMER	(-1)
#define IRQ_IPI		(-2)
/* Every interrupt, after the arch acked/EOI'd it; IRQs stay off inside. */
void do_irq(struct pt_regs *regs, int irq);
/* A synchronous exception the arch could not handle (kernel fault, bad opcode...). */
void do_fatal_trap(struct pt_regs *regs, const char *what, uintptr_t addr) __noreturn;
/* From user mode (issue 3). IRQs may be enabled inside; each returns with IRQs off. */
void do_syscall(struct pt_regs *regs);		/* sets the result with syscall_set_return() */
/* A page fault: flags are FAULT_FLAG_WRITE/INSTRUCTION/USER (<fault.h>) from the hardware. */
void do_page_fault(struct pt_regs *regs, uintptr_t addr, unsigned int flags);
/* Any other exception from user mode (illegal instruction, alignment, breakpoint). */
void do_user_trap(struct pt_regs *regs, int sig, int si_code, uintptr_t addr);
/* Last call before any return to user mode (syscall, IRQ, exception): delivers
 * signals, reschedules. Returns with IRQs off. */
void exit_to_user_mode(struct pt_regs *regs);

#endif
