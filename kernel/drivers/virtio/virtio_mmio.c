/*
 * virtio_mmio.c - the virtio-mmio transport (virtio 1.0 §4.2, version 2
 * register layout), slots found in the device tree: nodes compatible with
 * "virtio,mmio" with a reg (one window) and an interrupts property. QEMU's
 * arm64/riscv64 "virt" has 32 slots; empty ones answer device id 0.
 *
 * QEMU presents legacy (version 1) slots unless started with
 * -global virtio-mmio.force-legacy=false (arch/{arm64,riscv}/qemu.sh do).
 */
#include "virtio.h"
#include <fdt.h>
#include <io.h>
#include <irq.h>
#include <printk.h>
#include <slab.h>
#include <string.h>
#include <vmap.h>

#define VIRTIO_MMIO_MAGIC		0x000
#define VIRTIO_MMIO_VERSION		0x004
#define VIRTIO_MMIO_DEVICE_ID		0x008
#define VIRTIO_MMIO_DEVICE_FEATURES	0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL	0x014
#define VIRTIO_MMIO_DRIVER_FEATURES	0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL	0x024
#define VIRTIO_MMIO_QUEUE_SEL		0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX	0x034
#define VIRTIO_MMIO_QUEUE_NUM		0x038
#define VIRTIO_MMIO_QUEUE_READY		0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY	0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS	0x060
#define VIRTIO_MMIO_INTERRUPT_ACK	0x064
#define VIRTIO_MMIO_STATUS		0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW	0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH	0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW	0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH	0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW	0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH	0x0a4
#define VIRTIO_MMIO_CONFIG		0x100

#define VIRTIO_MMIO_MAGIC_VALUE		0x74726976	/* "virt" */

/* Locking legend: [I] set at probe */
struct virtio_mmio {
	uint8_t *base;		/* [I] ioremap()ed registers */
	unsigned int irq;	/* [I] */
};

static uint8_t *mmio_base(struct virtio_device *vdev)
{
	return ((struct virtio_mmio *)vdev->transport)->base;
}

static uint8_t mmio_get_status(struct virtio_device *vdev)
{
	return readl(mmio_base(vdev) + VIRTIO_MMIO_STATUS);
}

static void mmio_set_status(struct virtio_device *vdev, uint8_t status)
{
	writel(status, mmio_base(vdev) + VIRTIO_MMIO_STATUS);
}

static uint64_t mmio_get_features(struct virtio_device *vdev)
{
	uint8_t *b = mmio_base(vdev);
	uint64_t f;

	writel(1, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL);
	f = (uint64_t)readl(b + VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	writel(0, b + VIRTIO_MMIO_DEVICE_FEATURES_SEL);
	return f | readl(b + VIRTIO_MMIO_DEVICE_FEATURES);
}

static void mmio_set_features(struct virtio_device *vdev, uint64_t features)
{
	uint8_t *b = mmio_base(vdev);

	writel(1, b + VIRTIO_MMIO_DRIVER_FEATURES_SEL);
	writel(features >> 32, b + VIRTIO_MMIO_DRIVER_FEATURES);
	writel(0, b + VIRTIO_MMIO_DRIVER_FEATURES_SEL);
	writel((uint32_t)features, b + VIRTIO_MMIO_DRIVER_FEATURES);
}

static uint64_t mmio_read_config(struct virtio_device *vdev, unsigned int off, unsigned int size)
{
	uint8_t *c = mmio_base(vdev) + VIRTIO_MMIO_CONFIG + off;

	switch (size) {
	case 1: return readb(c);
	case 2: return readw(c);
	case 4: return readl(c);
	default: return readl(c) | (uint64_t)readl(c + 4) << 32;
	}
}

static unsigned int mmio_queue_max(struct virtio_device *vdev, unsigned int index)
{
	uint8_t *b = mmio_base(vdev);

	writel(index, b + VIRTIO_MMIO_QUEUE_SEL);
	if (readl(b + VIRTIO_MMIO_QUEUE_READY))
		return 0;	/* already in use: not ours */
	return readl(b + VIRTIO_MMIO_QUEUE_NUM_MAX);
}

static void write_pa(uint8_t *b, unsigned int low_reg, phys_addr_t pa)
{
	writel((uint32_t)pa, b + low_reg);
	writel((uint64_t)pa >> 32, b + low_reg + 4);
}

static int mmio_setup_vq(struct virtio_device *vdev, struct virtqueue *vq)
{
	uint8_t *b = mmio_base(vdev);

	writel(vq->index, b + VIRTIO_MMIO_QUEUE_SEL);
	writel(vq->num, b + VIRTIO_MMIO_QUEUE_NUM);
	write_pa(b, VIRTIO_MMIO_QUEUE_DESC_LOW, vq->desc_pa);
	write_pa(b, VIRTIO_MMIO_QUEUE_DRIVER_LOW, vq->avail_pa);
	write_pa(b, VIRTIO_MMIO_QUEUE_DEVICE_LOW, vq->used_pa);
	writel(1, b + VIRTIO_MMIO_QUEUE_READY);
	vq->notify_addr = b + VIRTIO_MMIO_QUEUE_NOTIFY;
	return readl(b + VIRTIO_MMIO_QUEUE_READY) == 1 ? 0 : -EIO;
}

static void mmio_notify(struct virtqueue *vq)
{
	writel(vq->index, vq->notify_addr);
}

/* IRQ context: acknowledge what the device raised, then let the driver look at its queues. */
static void mmio_interrupt(int irq, void *arg)
{
	struct virtio_device *vdev = arg;
	uint8_t *b = mmio_base(vdev);
	uint32_t status = readl(b + VIRTIO_MMIO_INTERRUPT_STATUS);

	if (!status)
		return;
	writel(status, b + VIRTIO_MMIO_INTERRUPT_ACK);
	if (status & 1)
		vdev->irq_handler(vdev);
}

static int mmio_request_irq(struct virtio_device *vdev, void (*handler)(struct virtio_device *))
{
	struct virtio_mmio *m = vdev->transport;

	vdev->irq_handler = handler;
	return request_irq(m->irq, mmio_interrupt, vdev);
}

static const struct virtio_config_ops virtio_mmio_ops = {
	.get_status = mmio_get_status,
	.set_status = mmio_set_status,
	.get_features = mmio_get_features,
	.set_features = mmio_set_features,
	.read_config = mmio_read_config,
	.queue_max = mmio_queue_max,
	.setup_vq = mmio_setup_vq,
	.notify = mmio_notify,
	.request_irq = mmio_request_irq,
};

/* The node's interrupt-parent (its own property or an ancestor's), or -1. */
static int irq_parent(const void *dtb, int node)
{
	for (int n = node; n >= 0; n = fdt_parent(dtb, n)) {
		const void *p = fdt_getprop(dtb, n, "interrupt-parent", NULL);

		if (p)
			return fdt_find_phandle(dtb, fdt32(p));
	}
	return -1;
}

/*
 * The first interrupt of node as an arch_irq_unmask() line number:
 * 3-cell specifiers are the GIC binding (type 0 = SPI -> 32 + n,
 * 1 = PPI -> 16 + n), 1-cell ones (PLIC) are the line itself.
 */
static int dt_irq(const void *dtb, int node)
{
	int len, parent = irq_parent(dtb, node);
	const uint8_t *p = fdt_getprop(dtb, node, "interrupts", &len);
	uint32_t cells = parent >= 0 ? fdt_get_u32(dtb, parent, "#interrupt-cells", 0) : 0;

	if (!p || !cells || len < (int)(cells * 4))
		return -1;
	if (cells == 1)
		return fdt32(p);
	if (cells == 3)
		return fdt32(p + 4) + (fdt32(p) == 0 ? 32 : 16);
	return -1;
}

/* Map one slot; NULL if it holds no (usable) device. */
static struct virtio_device *mmio_probe_slot(uint64_t pa, uint64_t size, int irq)
{
	uint8_t *b = ioremap(pa, size < 0x200 ? 0x200 : size);
	struct virtio_device *vdev;
	struct virtio_mmio *m;
	uint32_t ver, id;

	if (!b)
		return NULL;
	ver = readl(b + VIRTIO_MMIO_VERSION);
	id = readl(b + VIRTIO_MMIO_DEVICE_ID);
	if (readl(b + VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE || !id) {
		iounmap(b);
		return NULL;
	}
	if (ver != 2) {
		printk("virtio-mmio@0x%llx: legacy register layout (version %u), device %u "
		       "ignored; start QEMU with -global virtio-mmio.force-legacy=false\n",
		       (unsigned long long)pa, ver, id);
		iounmap(b);
		return NULL;
	}
	vdev = kzalloc(sizeof(*vdev));
	m = kzalloc(sizeof(*m));
	if (!vdev || !m) {
		kfree(vdev);
		kfree(m);
		iounmap(b);
		return NULL;
	}
	m->base = b;
	m->irq = irq;
	vdev->ops = &virtio_mmio_ops;
	vdev->transport = m;
	vdev->device_id = id;
	snprintf(vdev->where, sizeof(vdev->where), "virtio-mmio@0x%llx irq %d",
		 (unsigned long long)pa, irq);
	return vdev;
}

/* One populated-or-not slot from the device tree. */
struct mmio_slot {
	uint64_t pa, size;
	int irq;
};

/* Collect the enabled "virtio,mmio" nodes, sorted by address, highest first. */
static unsigned int mmio_collect_slots(const void *dtb, struct mmio_slot *slots, unsigned int max)
{
	unsigned int n = 0;

	for (int node = fdt_find_compatible(dtb, -1, "virtio,mmio"); node >= 0 && n < max;
	     node = fdt_find_compatible(dtb, node, "virtio,mmio")) {
		struct mmio_slot s = { .irq = dt_irq(dtb, node) };
		unsigned int i;

		if (!fdt_node_enabled(dtb, node))
			continue;
		if (!fdt_get_reg(dtb, node, 0, &s.pa, &s.size) || s.irq < 0) {
			printk("virtio-mmio: node %s lacks a usable reg or interrupts property; "
			       "skipped (check the device tree)\n", fdt_node_name(dtb, node));
			continue;
		}
		for (i = n++; i > 0 && slots[i - 1].pa < s.pa; i--)
			slots[i] = slots[i - 1];
		slots[i] = s;
	}
	return n;
}

/*
 * Probe every "virtio,mmio" slot. QEMU fills the slots from the highest
 * address down in command-line order, so probing from the highest address
 * down names the disks (vda, vdb, ...) in command-line order.
 */
void virtio_mmio_probe_all(const void *dtb)
{
	struct mmio_slot *slots = kzalloc(64 * sizeof(*slots));
	unsigned int n;

	if (!slots)
		return;
	n = mmio_collect_slots(dtb, slots, 64);
	for (unsigned int i = 0; i < n; i++) {
		struct virtio_device *vdev = mmio_probe_slot(slots[i].pa, slots[i].size, slots[i].irq);

		if (vdev)
			virtio_dev_probe(vdev);
	}
	kfree(slots);
}
