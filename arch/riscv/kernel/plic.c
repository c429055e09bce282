/*
 * plic.c - the RISC-V Platform-Level Interrupt Controller.
 *
 * Each hart's S-mode interrupt context comes from the PLIC node's
 * interrupts-extended (dt.c): context 2h+1 on QEMU virt but 2h on the
 * FU540/FU740/JH7110, whose hart 0 has an M-mode context only. Device lines
 * are routed to the boot hart.
 */
#include <asm/riscv.h>
#include <arch.h>
#include <cpu.h>
#include <io.h>
#include <mm.h>
#include <printk.h>
#include <spinlock.h>

#define PLIC_PRIORITY(irq)	(4 * (irq))
#define PLIC_ENABLE(ctx, irq)	(0x2000 + 0x80 * (ctx) + 4 * ((irq) / 32))
#define PLIC_THRESHOLD(ctx)	(0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx)		(0x200000 + 0x1000 * (ctx) + 4)

static DEFINE_SPINLOCK(plic_lock);	/* serialises enable-word read-modify-writes */

static volatile uint32_t *plic_reg(unsigned long off)
{
	return (volatile uint32_t *)((uint8_t *)__va(riscv_plat.plic_pa) + off);
}

int plic_context_of(uint64_t hartid)
{
	for (unsigned int i = 0; i < riscv_plat.nr_plic_harts; i++)
		if (riscv_plat.plic_ctx[i].hartid == hartid)
			return riscv_plat.plic_ctx[i].ctx;
	return -1;
}

/* This hart: mask every source in its context, accept any priority, SEIE on. */
void plic_init_cpu(void)
{
	struct arch_cpu *a = &this_cpu()->arch;

	a->plic_ctx = riscv_plat.plic_found ? plic_context_of(a->hartid) : -1;
	if (a->plic_ctx < 0) {
		if (riscv_plat.plic_found)
			printk("plic: hart %lu has no S-mode context; no device interrupts here\n",
			       a->hartid);
		return;
	}
	for (unsigned int irq = 0; irq <= riscv_plat.plic_ndev; irq += 32)
		writel(0, plic_reg(PLIC_ENABLE(a->plic_ctx, irq)));
	writel(0, plic_reg(PLIC_THRESHOLD(a->plic_ctx)));
	csr_set(sie, SIE_SEIE);
}

void arch_irq_init(void)
{
	riscv_kernel_root_freeze();	/* first arch hook with the page allocator up */
	if (riscv_plat.plic_found) {
		for (unsigned int irq = 1; irq <= riscv_plat.plic_ndev; irq++)
			writel(0, plic_reg(PLIC_PRIORITY(irq)));
		printk("plic: %u sources at 0x%llx, boot hart %lu context %d\n",
		       riscv_plat.plic_ndev, (unsigned long long)riscv_plat.plic_pa,
		       this_cpu()->arch.hartid, plic_context_of(this_cpu()->arch.hartid));
	}
	plic_init_cpu();
	csr_set(sie, SIE_SSIE);		/* IPIs (SBI raises SSIP) */
}

void arch_irq_unmask(unsigned int irq)
{
	int ctx = cpus[0].arch.plic_ctx;
	volatile uint32_t *en;

	if (!riscv_plat.plic_found || ctx < 0 || irq == 0 || irq > riscv_plat.plic_ndev) {
		printk("plic: cannot unmask irq %u (no PLIC, no boot-hart context or not in 1..%u)\n",
		       irq, riscv_plat.plic_ndev);
		return;
	}
	spin_lock(&plic_lock);
	writel(1, plic_reg(PLIC_PRIORITY(irq)));
	en = plic_reg(PLIC_ENABLE(ctx, irq));
	writel(readl(en) | 1u << (irq % 32), en);
	spin_unlock(&plic_lock);
}

/* Claim the highest-priority pending source, complete it, then run its handler. */
void plic_handle_irq(struct pt_regs *regs)
{
	int ctx = this_cpu()->arch.plic_ctx;
	uint32_t irq;

	if (ctx < 0)
		return;
	irq = readl(plic_reg(PLIC_CLAIM(ctx)));
	if (!irq)
		return;		/* another context claimed it first */
	writel(irq, plic_reg(PLIC_CLAIM(ctx)));
	do_irq(regs, (int)irq);
}
