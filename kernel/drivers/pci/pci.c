/*
 * pci.c - PCI bus enumeration through configuration space (depth-first
 * from bus 0 through PCI-to-PCI bridges), capability lists, BARs and MSI-X.
 *
 * BARs are not assigned here: on x86 the firmware (SeaBIOS) did that.
 */
#include "pci.h"
#include <printk.h>
#include <vmap.h>
#include <io.h>

uint32_t pci_read32(const struct pci_dev *pd, unsigned int off)
{
	uint32_t v;

	if (!arch_pci_cfg_read32(pd->bdf, off & ~3u, &v))
		return ~0u;
	return v;
}

uint8_t pci_read8(const struct pci_dev *pd, unsigned int off)
{
	return pci_read32(pd, off) >> ((off & 3) * 8);
}

uint16_t pci_read16(const struct pci_dev *pd, unsigned int off)
{
	return pci_read32(pd, off) >> ((off & 2) * 8);
}

void pci_write32(const struct pci_dev *pd, unsigned int off, uint32_t v)
{
	arch_pci_cfg_write32(pd->bdf, off & ~3u, v);
}

void pci_write16(const struct pci_dev *pd, unsigned int off, uint16_t v)
{
	unsigned int sh = (off & 2) * 8;
	uint32_t old = pci_read32(pd, off);

	/* Writing back the other half is harmless for the registers we touch
	 * (COMMAND's neighbour STATUS is write-1-to-clear: mask it to 0). */
	if ((off & ~3u) == PCI_COMMAND)
		old &= 0xffff;
	pci_write32(pd, off, (old & ~(0xffffu << sh)) | (uint32_t)v << sh);
}

const char *pci_name(const struct pci_dev *pd, char *buf, size_t size)
{
	snprintf(buf, size, "%02x:%02x.%u", pd->bdf >> 8, (pd->bdf >> 3) & 31, pd->bdf & 7);
	return buf;
}

unsigned int pci_find_capability(const struct pci_dev *pd, unsigned int id, unsigned int after)
{
	unsigned int off, guard = 48;

	if (!after) {
		if (!(pci_read32(pd, PCI_COMMAND) >> 16 & PCI_STATUS_CAP_LIST))
			return 0;
		off = pci_read8(pd, PCI_CAP_PTR) & ~3u;
	} else {
		off = pci_read8(pd, after + 1) & ~3u;
	}
	for (; off >= 0x40 && guard--; off = pci_read8(pd, off + 1) & ~3u)
		if (pci_read8(pd, off) == id)
			return off;
	return 0;
}

phys_addr_t pci_bar_address(const struct pci_dev *pd, unsigned int bar)
{
	uint32_t lo = pci_read32(pd, PCI_BAR0 + 4 * bar);
	uint64_t pa = lo & ~0xfu;

	if (bar > 5 || (lo & 1))
		return 0;
	if (((lo >> 1) & 3) == 2 && bar < 5)
		pa |= (uint64_t)pci_read32(pd, PCI_BAR0 + 4 * (bar + 1)) << 32;
	return pa;
}

void pci_enable_device(const struct pci_dev *pd)
{
	uint16_t cmd = pci_read16(pd, PCI_COMMAND);

	pci_write16(pd, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
}

/* MSI-X table of pd, mapped once per device (never unmapped: devices stay). */
static volatile uint32_t *msix_table(const struct pci_dev *pd, unsigned int cap, unsigned int n)
{
	uint32_t tbl = pci_read32(pd, cap + 4);
	phys_addr_t bar = pci_bar_address(pd, tbl & 7);

	if (!bar)
		return NULL;
	return ioremap(bar + (tbl & ~7u), n * 16);
}

#define MSIX_ENABLE		0x8000
#define MSIX_FUNC_MASK		0x4000

int pci_msix_enable(struct pci_dev *pd, unsigned int nvec, unsigned int *irqs)
{
	unsigned int cap = pci_find_capability(pd, PCI_CAP_ID_MSIX, 0), size;
	volatile uint32_t *t;
	uint16_t ctrl;

	if (!cap)
		return -ENODEV;
	ctrl = pci_read16(pd, cap + 2);
	size = (ctrl & 0x7ff) + 1;
	if (nvec > size || !(t = msix_table(pd, cap, size)))
		return -ENODEV;
	for (unsigned int i = 0; i < nvec; i++) {
		uint64_t addr;
		uint32_t data;
		int rc = arch_msi_alloc(&irqs[i], &addr, &data);

		if (rc)
			return rc;
		t[i * 4 + 3] = 1;		/* masked while we write it */
		t[i * 4 + 0] = (uint32_t)addr;
		t[i * 4 + 1] = addr >> 32;
		t[i * 4 + 2] = data;
	}
	pd->msix_table = t;
	pd->msix_nvec = nvec;
	pci_write16(pd, cap + 2, (ctrl | MSIX_ENABLE) & ~MSIX_FUNC_MASK);
	return 0;
}

void pci_msix_unmask(const struct pci_dev *pd, unsigned int entry)
{
	if (pd->msix_table && entry < pd->msix_nvec)
		pd->msix_table[entry * 4 + 3] = 0;
}

/* Visit every function of bus, recursing into bridges. depth bounds a looping topology. */
static void scan_bus(unsigned int bus, int depth,
		     void (*fn)(struct pci_dev *pd, void *arg), void *arg)
{
	for (unsigned int dev = 0; dev < 32; dev++) {
		for (unsigned int f = 0; f < 8; f++) {
			struct pci_dev pd = { .bdf = bus << 8 | dev << 3 | f };
			uint32_t id = pci_read32(&pd, PCI_VENDOR_ID);
			uint8_t htype;

			if ((id & 0xffff) == 0xffff) {
				if (!f)
					break;
				continue;
			}
			pd.vendor = id & 0xffff;
			pd.device = id >> 16;
			pd.class_rev = pci_read32(&pd, PCI_CLASS_REVISION);
			pd.subsys_device = pci_read32(&pd, PCI_SUBSYSTEM) >> 16;
			htype = pci_read8(&pd, PCI_HEADER_TYPE + 2);
			fn(&pd, arg);
			if ((htype & 0x7f) == 1 && depth < 8) {
				unsigned int sec = pci_read8(&pd, PCI_SECONDARY_BUS + 1);

				if (sec > bus)
					scan_bus(sec, depth + 1, fn, arg);
			}
			if (!f && !(htype & 0x80))
				break;	/* single-function device */
		}
	}
}

void pci_for_each_dev(void (*fn)(struct pci_dev *pd, void *arg), void *arg)
{
	uint32_t v;

	if (!arch_pci_cfg_read32(0, 0, &v))
		return;		/* no PCI configuration mechanism on this machine */
	scan_bus(0, 0, fn, arg);
}
