/*
 * virtio_pci.c - the virtio 1.0 PCI transport (virtio 1.0 §4.1): the
 * device's vendor capabilities locate the common, notify, ISR and device
 * configuration structures inside its memory BARs.
 *
 * Interrupts: MSI-X, one vector for the device (configuration changes are
 * not used) shared by its queues. The vector is an arch_msi_alloc() line,
 * so delivery is do_irq(regs, line) -> request_irq's handler like any other
 * device interrupt; MSI-X is edge-like and unshared, so no ISR read is
 * needed. Devices without MSI-X are not driven (QEMU's always have it).
 */
#include "virtio.h"
#include "../pci/pci.h"
#include <io.h>
#include <irq.h>
#include <printk.h>
#include <slab.h>
#include <vmap.h>

#define VIRTIO_PCI_VENDOR	0x1af4

#define VIRTIO_PCI_CAP_COMMON_CFG	1
#define VIRTIO_PCI_CAP_NOTIFY_CFG	2
#define VIRTIO_PCI_CAP_ISR_CFG		3
#define VIRTIO_PCI_CAP_DEVICE_CFG	4

/* Common configuration structure offsets. */
#define VPCI_DFSELECT		0x00
#define VPCI_DF			0x04
#define VPCI_GFSELECT		0x08
#define VPCI_GF			0x0c
#define VPCI_MSIX_CONFIG	0x10
#define VPCI_STATUS		0x14
#define VPCI_Q_SELECT		0x16
#define VPCI_Q_SIZE		0x18
#define VPCI_Q_MSIX		0x1a
#define VPCI_Q_ENABLE		0x1c
#define VPCI_Q_NOFF		0x1e
#define VPCI_Q_DESC		0x20
#define VPCI_Q_AVAIL		0x28
#define VPCI_Q_USED		0x30
#define VIRTIO_MSI_NO_VECTOR	0xffff

/* Locking legend: [I] set at probe */
struct virtio_pci {
	struct pci_dev pd;	/* [I] */
	uint8_t *common;	/* [I] common configuration */
	uint8_t *notify;	/* [I] notification area */
	uint32_t notify_mult;	/* [I] notify_off_multiplier */
	uint8_t *device;	/* [I] device-specific configuration */
	unsigned int irq;	/* [I] MSI-X line of vector 0 */
};

static struct virtio_pci *vp(struct virtio_device *vdev)
{
	return vdev->transport;
}

static uint8_t vp_get_status(struct virtio_device *vdev)
{
	return readb(vp(vdev)->common + VPCI_STATUS);
}

static void vp_set_status(struct virtio_device *vdev, uint8_t status)
{
	writeb(status, vp(vdev)->common + VPCI_STATUS);
	if (!status)	/* reset completes when the device reads back 0 */
		while (readb(vp(vdev)->common + VPCI_STATUS))
			arch_cpu_relax();
}

static uint64_t vp_get_features(struct virtio_device *vdev)
{
	uint8_t *c = vp(vdev)->common;
	uint64_t f;

	writel(1, c + VPCI_DFSELECT);
	f = (uint64_t)readl(c + VPCI_DF) << 32;
	writel(0, c + VPCI_DFSELECT);
	return f | readl(c + VPCI_DF);
}

static void vp_set_features(struct virtio_device *vdev, uint64_t features)
{
	uint8_t *c = vp(vdev)->common;

	writel(1, c + VPCI_GFSELECT);
	writel(features >> 32, c + VPCI_GF);
	writel(0, c + VPCI_GFSELECT);
	writel((uint32_t)features, c + VPCI_GF);
}

static uint64_t vp_read_config(struct virtio_device *vdev, unsigned int off, unsigned int size)
{
	uint8_t *d = vp(vdev)->device + off;

	switch (size) {
	case 1: return readb(d);
	case 2: return readw(d);
	case 4: return readl(d);
	default: return readl(d) | (uint64_t)readl(d + 4) << 32;
	}
}

static unsigned int vp_queue_max(struct virtio_device *vdev, unsigned int index)
{
	uint8_t *c = vp(vdev)->common;

	writew(index, c + VPCI_Q_SELECT);
	return readw(c + VPCI_Q_ENABLE) ? 0 : readw(c + VPCI_Q_SIZE);
}

/* 64-bit fields as two 32-bit halves, low first (virtio 1.0 §4.1.3.1). */
static void write_pa(uint8_t *reg, phys_addr_t pa)
{
	writel((uint32_t)pa, reg);
	writel((uint64_t)pa >> 32, reg + 4);
}

static int vp_setup_vq(struct virtio_device *vdev, struct virtqueue *vq)
{
	struct virtio_pci *p = vp(vdev);
	uint8_t *c = p->common;

	writew(vq->index, c + VPCI_Q_SELECT);
	writew(vq->num, c + VPCI_Q_SIZE);
	write_pa(c + VPCI_Q_DESC, vq->desc_pa);
	write_pa(c + VPCI_Q_AVAIL, vq->avail_pa);
	write_pa(c + VPCI_Q_USED, vq->used_pa);
	writew(0, c + VPCI_Q_MSIX);	/* MSI-X table entry 0 */
	if (readw(c + VPCI_Q_MSIX) != 0) {
		printk("virtio: %s: queue %u refused MSI-X vector 0\n", vdev->where, vq->index);
		return -EIO;
	}
	vq->notify_addr = p->notify + (uint32_t)readw(c + VPCI_Q_NOFF) * p->notify_mult;
	writew(1, c + VPCI_Q_ENABLE);
	return 0;
}

static void vp_notify(struct virtqueue *vq)
{
	writew(vq->index, vq->notify_addr);
}

/* IRQ context: our own MSI-X vector, so it is always for us. */
static void vp_interrupt(int irq, void *arg)
{
	struct virtio_device *vdev = arg;

	vdev->irq_handler(vdev);
}

static int vp_request_irq(struct virtio_device *vdev, void (*handler)(struct virtio_device *))
{
	struct virtio_pci *p = vp(vdev);
	int rc;

	vdev->irq_handler = handler;
	rc = request_irq(p->irq, vp_interrupt, vdev);
	if (!rc)
		pci_msix_unmask(&p->pd, 0);
	return rc;
}

static const struct virtio_config_ops virtio_pci_ops = {
	.get_status = vp_get_status,
	.set_status = vp_set_status,
	.get_features = vp_get_features,
	.set_features = vp_set_features,
	.read_config = vp_read_config,
	.queue_max = vp_queue_max,
	.setup_vq = vp_setup_vq,
	.notify = vp_notify,
	.request_irq = vp_request_irq,
};

/* Map the structure a virtio vendor capability at cap describes. */
static uint8_t *vp_map_cap(const struct pci_dev *pd, unsigned int cap)
{
	unsigned int bar = pci_read8(pd, cap + 4);
	uint32_t off = pci_read32(pd, cap + 8), len = pci_read32(pd, cap + 12);
	phys_addr_t base = pci_bar_address(pd, bar);

	if (!base || !len)
		return NULL;
	return ioremap(base + off, len);
}

/* Find and map the four structures; false if any is missing. */
static bool vp_map_caps(struct virtio_pci *p)
{
	bool isr = false;

	for (unsigned int cap = pci_find_capability(&p->pd, PCI_CAP_ID_VNDR, 0); cap;
	     cap = pci_find_capability(&p->pd, PCI_CAP_ID_VNDR, cap)) {
		switch (pci_read8(&p->pd, cap + 3)) {
		case VIRTIO_PCI_CAP_COMMON_CFG:
			if (!p->common)
				p->common = vp_map_cap(&p->pd, cap);
			break;
		case VIRTIO_PCI_CAP_NOTIFY_CFG:
			if (!p->notify) {
				p->notify = vp_map_cap(&p->pd, cap);
				p->notify_mult = pci_read32(&p->pd, cap + 16);
			}
			break;
		case VIRTIO_PCI_CAP_ISR_CFG:
			isr = true;
			break;
		case VIRTIO_PCI_CAP_DEVICE_CFG:
			if (!p->device)
				p->device = vp_map_cap(&p->pd, cap);
			break;
		}
	}
	return p->common && p->notify && p->device && isr;
}

static uint32_t virtio_pci_device_id(const struct pci_dev *pd)
{
	if (pd->vendor != VIRTIO_PCI_VENDOR)
		return 0;
	if (pd->device >= 0x1040 && pd->device <= 0x107f)
		return pd->device - 0x1040;
	if (pd->device >= 0x1000 && pd->device <= 0x103f)
		return pd->subsys_device;	/* transitional device */
	return 0;
}

static void virtio_pci_probe_one(struct pci_dev *pd, void *arg)
{
	uint32_t id = virtio_pci_device_id(pd);
	struct virtio_device *vdev;
	struct virtio_pci *p;
	char name[16];

	if (!id)
		return;
	vdev = kzalloc(sizeof(*vdev));
	p = kzalloc(sizeof(*p));
	if (!vdev || !p) {
		kfree(vdev);
		kfree(p);
		return;
	}
	p->pd = *pd;
	snprintf(vdev->where, sizeof(vdev->where), "virtio-pci %s", pci_name(pd, name, sizeof(name)));
	if (!vp_map_caps(p)) {
		printk("virtio: %s: no virtio 1.0 capabilities (legacy-only device?); ignored. "
		       "Use -device virtio-blk-pci,disable-legacy=on\n", vdev->where);
		return;
	}
	pci_enable_device(&p->pd);
	if (pci_msix_enable(&p->pd, 1, &p->irq)) {
		printk("virtio: %s: no MSI-X (or no vector free); ignored\n", vdev->where);
		return;
	}
	snprintf(vdev->where, sizeof(vdev->where), "virtio-pci %s irq %u", name, p->irq);
	vdev->ops = &virtio_pci_ops;
	vdev->transport = p;
	vdev->device_id = id;
	writew(VIRTIO_MSI_NO_VECTOR, p->common + VPCI_MSIX_CONFIG);
	virtio_dev_probe(vdev);
}

void virtio_pci_probe_all(void)
{
	pci_for_each_dev(virtio_pci_probe_one, NULL);
}
