/*
 * apic.c - local APIC (per CPU: timer, IPIs, EOI), IOAPIC (device lines)
 * and the legacy 8259 PICs, which are only remapped and masked.
 *
 * The LAPIC is used in xAPIC mode through its MMIO page (ioremap()ed
 * once; every CPU sees its own LAPIC at the same address).
 */
#include <printk.h>
#include <vmap.h>
#include <spinlock.h>
#include "internal.h"

#define APIC_BASE_ENABLE	(1u << 11)
#define APIC_BASE_X2APIC	(1u << 10)
#define SVR_ENABLE		(1u << 8)
#define LVT_MASKED		(1u << 16)

#define IOAPIC_REGSEL		0
#define IOAPIC_WIN		4	/* in 32-bit words: offset 0x10 */
#define IOAPIC_VER		1
#define IOAPIC_REDTBL(n)	(0x10 + 2 * (n))
#define RTE_LEVEL		(1u << 15)
#define RTE_ACTIVE_LOW		(1u << 13)
#define RTE_MASKED		(1u << 16)

static volatile uint32_t *lapic;		/* [I] mapped by arch_irq_init() */
static int vector_irq[NR_IOAPIC_VECTORS];	/* [I] irq number per IOAPIC vector, -1 if none */
static DEFINE_SPINLOCK(ioapic_lock);		/* serialises IOREGSEL/IOWIN pairs */

uint32_t lapic_read(uint32_t reg)
{
	return lapic[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

/* This CPU's LAPIC: software-enabled, spurious vector set, accepts all priorities. */
void lapic_init_cpu(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED);
	lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	lapic_write(LAPIC_SVR, SVR_ENABLE | VEC_SPURIOUS);
	lapic_write(LAPIC_ESR, 0);
	lapic_eoi();
}

/* Send one IPI; the ICR is two registers, so no interrupt may come between the writes. */
void lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	unsigned long flags = arch_irq_save();

	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		arch_cpu_relax();
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_low);
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING)
		arch_cpu_relax();
	arch_irq_restore(flags);
}

void arch_send_ipi(unsigned int cpu)
{
	lapic_send_ipi(cpus[cpu].arch.apic_id, VEC_IPI);
}

/* ---- 8259 PICs: move their vectors away from the exceptions, then mask them ---- */
static void pic_disable(void)
{
	outb(0x20, 0x11);		/* ICW1: init, ICW4 follows */
	outb(0xa0, 0x11);
	outb(0x21, VEC_PIC_BASE);	/* ICW2: vector bases */
	outb(0xa1, VEC_PIC_BASE + 8);
	outb(0x21, 4);			/* ICW3: slave on IRQ2 */
	outb(0xa1, 2);
	outb(0x21, 1);			/* ICW4: 8086 mode */
	outb(0xa1, 1);
	outb(0x21, 0xff);		/* mask everything */
	outb(0xa1, 0xff);
}

/* ---- IOAPIC ---- */
static uint32_t ioapic_read(struct x86_ioapic *io, uint32_t reg)
{
	io->regs[IOAPIC_REGSEL] = reg;
	return io->regs[IOAPIC_WIN];
}

static void ioapic_write(struct x86_ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOAPIC_REGSEL] = reg;
	io->regs[IOAPIC_WIN] = v;
}

static void ioapic_init_one(struct x86_ioapic *io)
{
	io->regs = ioremap(io->pa, PAGE_SIZE);
	if (!io->regs)
		panic("x86: cannot map the IOAPIC at 0x%llx (ioremap failed)", (unsigned long long)io->pa);
	io->nr_pins = ((ioapic_read(io, IOAPIC_VER) >> 16) & 0xff) + 1;
	for (uint32_t pin = 0; pin < io->nr_pins; pin++) {
		ioapic_write(io, IOAPIC_REDTBL(pin) + 1, 0);
		ioapic_write(io, IOAPIC_REDTBL(pin), RTE_MASKED);
	}
	printk("x86: IOAPIC at 0x%llx: GSIs %u-%u\n", (unsigned long long)io->pa,
	       io->gsi_base, io->gsi_base + io->nr_pins - 1);
}

void arch_irq_init(void)
{
	lapic = ioremap(x86_acpi.lapic_pa, PAGE_SIZE);
	if (!lapic)
		panic("x86: cannot map the local APIC at 0x%llx (ioremap failed)",
		      (unsigned long long)x86_acpi.lapic_pa);
	if (rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC)
		panic("x86: the firmware left the LAPIC in x2APIC mode, which Faultline does not "
		      "support yet; boot through legacy BIOS (CSM) or disable x2APIC in the setup");
	for (unsigned int i = 0; i < NR_IOAPIC_VECTORS; i++)
		vector_irq[i] = -1;
	pic_disable();
	lapic_init_cpu();
	this_cpu()->arch.apic_id = lapic_id();
	for (unsigned int i = 0; i < x86_acpi.nr_ioapics; i++)
		ioapic_init_one(&x86_acpi.ioapic[i]);
}

/* Trigger/polarity for a GSI: ISA lines per their override flags (default edge/high), PCI level/low. */
static uint32_t rte_mode(unsigned int irq, uint16_t flags)
{
	uint32_t mode = irq < 16 ? 0 : RTE_LEVEL | RTE_ACTIVE_LOW;

	if ((flags & 3) == 1)
		mode &= ~RTE_ACTIVE_LOW;
	else if ((flags & 3) == 3)
		mode |= RTE_ACTIVE_LOW;
	if (((flags >> 2) & 3) == 1)
		mode &= ~RTE_LEVEL;
	else if (((flags >> 2) & 3) == 3)
		mode |= RTE_LEVEL;
	return mode;
}

/*
 * irq < 16 is an ISA IRQ, routed through the MADT overrides; above that
 * irq is the GSI itself. Delivered to the boot CPU as vector
 * VEC_IOAPIC_BASE + GSI, reported to do_irq() as irq.
 */
void arch_irq_unmask(unsigned int irq)
{
	uint32_t gsi = irq < 16 ? x86_acpi.isa[irq].gsi : irq;
	uint16_t flags = irq < 16 ? x86_acpi.isa[irq].flags : 0;

	if (irq >= MSI_IRQ_BASE && irq < MSI_IRQ_BASE + NR_MSI_VECTORS)
		return;		/* MSI: masking lives in the device (MSI-X table) */
	if (gsi >= NR_IOAPIC_VECTORS) {
		printk("x86: irq %u (GSI %u) is beyond the %d supported vectors; not enabled\n",
		       irq, gsi, NR_IOAPIC_VECTORS);
		return;
	}
	for (unsigned int i = 0; i < x86_acpi.nr_ioapics; i++) {
		struct x86_ioapic *io = &x86_acpi.ioapic[i];

		if (gsi < io->gsi_base || gsi >= io->gsi_base + io->nr_pins)
			continue;
		spin_lock(&ioapic_lock);
		vector_irq[gsi] = irq;
		ioapic_write(io, IOAPIC_REDTBL(gsi - io->gsi_base) + 1, cpus[0].arch.apic_id << 24);
		ioapic_write(io, IOAPIC_REDTBL(gsi - io->gsi_base),
			     (VEC_IOAPIC_BASE + gsi) | rte_mode(irq, flags));
		spin_unlock(&ioapic_lock);
		return;
	}
	printk("x86: no IOAPIC serves irq %u (GSI %u); not enabled\n", irq, gsi);
}

/*
 * MSI: vector VEC_MSI_BASE + n is device line MSI_IRQ_BASE + n, delivered
 * to the boot CPU (physical destination mode, fixed delivery, edge).
 */
int arch_msi_alloc(unsigned int *irq, uint64_t *addr, uint32_t *data)
{
	static unsigned int next_msi;	/* [a] */
	unsigned int n = __atomic_fetch_add(&next_msi, 1, __ATOMIC_RELAXED);

	if (n >= NR_MSI_VECTORS) {
		printk("x86: all %d MSI vectors are in use\n", NR_MSI_VECTORS);
		return -ENOSPC;
	}
	*irq = MSI_IRQ_BASE + n;
	*addr = 0xfee00000u | (uint64_t)cpus[0].arch.apic_id << 12;
	*data = VEC_MSI_BASE + n;
	return 0;
}

int x86_irq_of_vector(unsigned int vector)
{
	if (vector >= VEC_MSI_BASE && vector < VEC_MSI_BASE + NR_MSI_VECTORS)
		return MSI_IRQ_BASE + (vector - VEC_MSI_BASE);
	if (vector < VEC_IOAPIC_BASE || vector >= VEC_IOAPIC_BASE + NR_IOAPIC_VECTORS)
		return -1;
	return READ_ONCE(vector_irq[vector - VEC_IOAPIC_BASE]);
}
