/*
 * gic.c - ARM Generic Interrupt Controller, v2 (GIC-400, QEMU virt default)
 * and v3 (QEMU virt,gic-version=3), found in the device tree.
 *
 * Interrupt numbers (INTIDs): 0-15 SGIs (we use SGI 0 as the one IPI),
 * 16-31 per-CPU PPIs (the generic timer), 32+ SPIs (devices, routed to the
 * boot CPU by arch_irq_unmask). All get priority 0xa0 and group 1 where
 * the group is ours to choose.
 *
 * Locking: the distributor is set up by the boot CPU in arch_irq_init()
 * before secondaries start; each CPU sets up its own banked/redistributor
 * state in gic_init_cpu(). SPI enable/route registers are per-interrupt, and
 * arch_irq_unmask() only writes the registers of its own line.
 */
#include <arch.h>
#include <cpu.h>
#include <fdt.h>
#include <io.h>
#include <printk.h>
#include "internal.h"

#define IPI_SGI			0
#define DEFAULT_PRIO		0xa0
#define PRIO_MASK_ALL		0xf0
#define INTID_SPURIOUS		1020

/* Distributor (both versions) */
#define GICD_CTLR		0x000
#define GICD_TYPER		0x004
#define GICD_IGROUPR		0x080
#define GICD_ISENABLER		0x100
#define GICD_ICENABLER		0x180
#define GICD_IPRIORITYR		0x400
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00
#define GICD_IROUTER		0x6000
#define GICD_CTLR_RWP		(1u << 31)
#define GICD_CTLR_V3_ENABLE	((1u << 4) | (1u << 1) | (1u << 0)) /* ARE, Grp1, Grp0/Grp1A */

/* GICv2 CPU interface */
#define GICC_CTLR		0x00
#define GICC_PMR		0x04
#define GICC_BPR		0x08
#define GICC_IAR		0x0c
#define GICC_EOIR		0x10

/* GICv3 redistributor: RD_base frame, then SGI_base frame 64 KiB above */
#define GICR_TYPER		0x08
#define GICR_WAKER		0x14
#define GICR_SGI_BASE		0x10000
#define GICR_TYPER_VLPIS	(1UL << 1)
#define GICR_TYPER_LAST		(1UL << 4)
#define GICR_WAKER_SLEEP	(1u << 1)
#define GICR_WAKER_ASLEEP	(1u << 2)

/* GICv3 CPU interface system registers */
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
/* One macro level so the S3_... names expand before read_sysreg() stringifies them. */
#define gic_read_sysreg(r)	read_sysreg(r)
#define gic_write_sysreg(v, r)	write_sysreg(v, r)

static struct {
	int version;		/* [I] 2 or 3, 0 = not found */
	phys_addr_t dist_pa, cpu_pa, redist_pa;	/* [I] cpu_pa: v2, redist_pa: v3 */
	uint64_t redist_size, redist_stride;	/* [I] v3 */
	void *dist, *cpuif, *redist;		/* [I] mapped in arch_irq_init() */
	unsigned int nr_lines;			/* [I] */
} gic;

/* Record where the GIC is; mapping waits for arch_irq_init(). */
void gic_probe_dt(const void *fdt)
{
	static const char *const v2[] = { "arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic" };
	uint64_t size;
	int node = fdt_find_compatible(fdt, -1, "arm,gic-v3");

	if (node >= 0 && dt_reg(fdt, node, 0, &gic.dist_pa, &size) &&
	    dt_reg(fdt, node, 1, &gic.redist_pa, &gic.redist_size)) {
		gic.version = 3;
		gic.redist_stride = fdt_get_u32(fdt, node, "redistributor-stride", 0);
		return;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(v2); i++) {
		node = fdt_find_compatible(fdt, -1, v2[i]);
		if (node >= 0 && dt_reg(fdt, node, 0, &gic.dist_pa, &size) &&
		    dt_reg(fdt, node, 1, &gic.cpu_pa, &size)) {
			gic.version = 2;
			return;
		}
	}
}

static void *gic_map(phys_addr_t pa, uint64_t size, const char *what)
{
	void *va = arm64_ioremap(pa, size);

	if (!va)
		panic("gic: cannot map the %s at 0x%lx; raise the fixmap device area "
		      "(DEVMAP_END) in asm/memlayout.h", what, (unsigned long)pa);
	return va;
}

/* ---- GICv2 ---------------------------------------------------------------- */
static void gicv2_init_dist(void)
{
	writel(0, gic.dist + GICD_CTLR);
	for (unsigned int i = 32; i < gic.nr_lines; i += 32)
		writel(~0u, gic.dist + GICD_ICENABLER + i / 8);
	for (unsigned int i = 32; i < gic.nr_lines; i += 4)
		writel(DEFAULT_PRIO * 0x01010101u, gic.dist + GICD_IPRIORITYR + i);
	writel(1, gic.dist + GICD_CTLR);
}

static void gicv2_init_cpu(void)
{
	struct arch_cpu *ac = &this_cpu()->arch;

	writel(~0u, gic.dist + GICD_ICENABLER);		/* banked: SGIs and PPIs */
	for (unsigned int i = 0; i < 32; i += 4)
		writel(DEFAULT_PRIO * 0x01010101u, gic.dist + GICD_IPRIORITYR + i);
	/* GICD_ITARGETSR0-7 read back this CPU's own interface bit. */
	ac->gicv2_mask = readl(gic.dist + GICD_ITARGETSR) & 0xff;
	if (!ac->gicv2_mask)
		ac->gicv2_mask = 1;			/* uniprocessor GICs read 0 */
	writel(1u << IPI_SGI, gic.dist + GICD_ISENABLER);
	writel(PRIO_MASK_ALL, gic.cpuif + GICC_PMR);
	writel(0, gic.cpuif + GICC_BPR);
	writel(1, gic.cpuif + GICC_CTLR);
}

/* ---- GICv3 ---------------------------------------------------------------- */
static void gicv3_wait_rwp(void)
{
	for (int i = 0; i < 1000000 && (readl(gic.dist + GICD_CTLR) & GICD_CTLR_RWP); i++)
		arch_cpu_relax();
}

static void gicv3_init_dist(void)
{
	writel(0, gic.dist + GICD_CTLR);
	gicv3_wait_rwp();
	for (unsigned int i = 32; i < gic.nr_lines; i += 32) {
		writel(~0u, gic.dist + GICD_IGROUPR + i / 8);
		writel(~0u, gic.dist + GICD_ICENABLER + i / 8);
	}
	for (unsigned int i = 32; i < gic.nr_lines; i += 4)
		writel(DEFAULT_PRIO * 0x01010101u, gic.dist + GICD_IPRIORITYR + i);
	writel(GICD_CTLR_V3_ENABLE, gic.dist + GICD_CTLR);
	gicv3_wait_rwp();
}

static uint32_t mpidr_to_aff32(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff));
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity matches MPIDR. */
static void *gicv3_find_redist(uint64_t mpidr)
{
	uint64_t off = 0;

	while (off + 2 * GICR_SGI_BASE <= gic.redist_size) {
		void *rd = gic.redist + off;
		uint64_t typer = readq(rd + GICR_TYPER);

		if ((typer >> 32) == mpidr_to_aff32(mpidr))
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += gic.redist_stride ? gic.redist_stride :
		       (typer & GICR_TYPER_VLPIS) ? 4 * GICR_SGI_BASE : 2 * GICR_SGI_BASE;
	}
	panic("gic: no GICv3 redistributor for MPIDR 0x%lx in the device tree's region "
	      "0x%lx+0x%lx; check the GIC node's second reg entry", (unsigned long)mpidr,
	      (unsigned long)gic.redist_pa, (unsigned long)gic.redist_size);
}

static void gicv3_init_cpu(void)
{
	struct arch_cpu *ac = &this_cpu()->arch;
	void *rd = gicv3_find_redist(ac->mpidr), *sgi = rd + GICR_SGI_BASE;

	ac->gicr_base = rd;
	writel(readl(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP, rd + GICR_WAKER);
	for (int i = 0; i < 1000000 && (readl(rd + GICR_WAKER) & GICR_WAKER_ASLEEP); i++)
		arch_cpu_relax();
	writel(~0u, sgi + GICD_IGROUPR);
	writel(~0u, sgi + GICD_ICENABLER);
	for (unsigned int i = 0; i < 32; i += 4)
		writel(DEFAULT_PRIO * 0x01010101u, sgi + GICD_IPRIORITYR + i);
	writel(1u << IPI_SGI, sgi + GICD_ISENABLER);

	gic_write_sysreg(gic_read_sysreg(ICC_SRE_EL1) | 1, ICC_SRE_EL1);
	isb();
	gic_write_sysreg(PRIO_MASK_ALL, ICC_PMR_EL1);
	gic_write_sysreg(0, ICC_BPR1_EL1);
	gic_write_sysreg(0, ICC_CTLR_EL1);		/* EOI also deactivates */
	gic_write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
}

/* ---- common --------------------------------------------------------------- */
void arch_irq_init(void)
{
	if (!gic.version)
		panic("gic: the device tree has no \"arm,gic-v3\", \"arm,gic-400\" or "
		      "\"arm,cortex-a15-gic\" node; this kernel supports only those "
		      "interrupt controllers");
	gic.dist = gic_map(gic.dist_pa, 0x10000, "distributor");
	gic.nr_lines = MIN(32 * ((readl(gic.dist + GICD_TYPER) & 0x1f) + 1), 1020u);
	if (gic.version == 2) {
		gic.cpuif = gic_map(gic.cpu_pa, 0x2000, "CPU interface");
		gicv2_init_dist();
	} else {
		gic.redist = gic_map(gic.redist_pa, gic.redist_size, "redistributors");
		gicv3_init_dist();
	}
	printk("gic: GICv%d, %u interrupt lines, distributor at 0x%lx\n", gic.version,
	       gic.nr_lines, (unsigned long)gic.dist_pa);
	gic_init_cpu();
}

void gic_init_cpu(void)
{
	if (gic.version == 2)
		gicv2_init_cpu();
	else
		gicv3_init_cpu();
}

/* Enable a per-CPU interrupt (PPI) on this CPU. */
void gic_enable_ppi(unsigned int intid)
{
	if (gic.version == 2)
		writel(1u << intid, gic.dist + GICD_ISENABLER);
	else
		writel(1u << intid, this_cpu()->arch.gicr_base + GICR_SGI_BASE + GICD_ISENABLER);
}

void arch_irq_unmask(unsigned int irq)
{
	if (irq < 32 || irq >= gic.nr_lines) {
		printk("gic: arch_irq_unmask(%u): not a device interrupt (32..%u)\n",
		       irq, gic.nr_lines - 1);
		return;
	}
	if (gic.version == 2)
		writeb(cpus[0].arch.gicv2_mask, gic.dist + GICD_ITARGETSR + irq);
	else
		writeq(cpus[0].arch.mpidr, gic.dist + GICD_IROUTER + 8 * irq); /* same layout */
	writel(1u << (irq % 32), gic.dist + GICD_ISENABLER + irq / 32 * 4);
}

/* Raise SGI sgi on CPU cpu. Prior memory writes are visible to it first. */
void gic_send_sgi(unsigned int cpu, unsigned int sgi)
{
	const struct arch_cpu *ac = &cpus[cpu].arch;

	dsb(ishst);
	if (gic.version == 2) {
		writel(ac->gicv2_mask << 16 | sgi, gic.dist + GICD_SGIR);
	} else {
		uint64_t m = ac->mpidr;
		uint64_t v = (m >> 32 & 0xff) << 48 | (m >> 16 & 0xff) << 32 |
			     (m >> 8 & 0xff) << 16 | (uint64_t)sgi << 24 | (1UL << (m & 0xf));

		gic_write_sysreg(v, ICC_SGI1R_EL1);
		isb();
	}
}

void arch_send_ipi(unsigned int cpu)
{
	gic_send_sgi(cpu, IPI_SGI);
}

static uint32_t gic_ack(void)
{
	if (gic.version == 2)
		return readl(gic.cpuif + GICC_IAR);
	return (uint32_t)gic_read_sysreg(ICC_IAR1_EL1);
}

static void gic_eoi(uint32_t iar)
{
	if (gic.version == 2)
		writel(iar, gic.cpuif + GICC_EOIR);
	else
		gic_write_sysreg(iar, ICC_EOIR1_EL1);
}

/* IRQ vector (entry.S el1_irq): acknowledge, EOI, then hand to do_irq(). */
void arm64_handle_irq(struct pt_regs *regs)
{
	uint32_t iar = gic_ack();
	unsigned int intid = iar & 0xffffff;

	if (gic.version == 2)
		intid = iar & 0x3ff;
	if (intid >= INTID_SPURIOUS && intid < 1024)
		return;
	if (intid == timer_intid()) {
		arm64_timer_tick();		/* re-arm first: the line is level-triggered */
		gic_eoi(iar);
		do_irq(regs, IRQ_TIMER);
	} else if (intid < 16) {
		gic_eoi(iar);
		do_irq(regs, IRQ_IPI);
	} else {
		gic_eoi(iar);
		do_irq(regs, (int)intid);
	}
}
