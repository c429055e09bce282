/*
 * pci.h - PCI enumeration and the capability/BAR/MSI-X helpers drivers
 * need. Configuration space comes from arch_pci_cfg_read32/write32 (x86:
 * mechanism #1, ports 0xCF8/0xCFC); machines without it have no PCI here.
 * Private to kernel/drivers.
 */
#ifndef FAULTLINE_DRIVERS_PCI_H
#define FAULTLINE_DRIVERS_PCI_H

#include <types.h>

#define PCI_VENDOR_ID		0x00
#define PCI_COMMAND		0x04
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004
#define PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS_CAP_LIST	0x0010	/* in the upper half of the COMMAND dword */
#define PCI_CLASS_REVISION	0x08
#define PCI_HEADER_TYPE		0x0c	/* byte 2 of this dword */
#define PCI_BAR0		0x10
#define PCI_SUBSYSTEM		0x2c
#define PCI_CAP_PTR		0x34
#define PCI_SECONDARY_BUS	0x18	/* type 1 header, byte 1 */

#define PCI_CAP_ID_MSIX		0x11
#define PCI_CAP_ID_VNDR		0x09

/* Locking legend: [I] set during enumeration, read-only afterwards */
struct pci_dev {
	uint32_t bdf;		/* [I] bus << 8 | device << 3 | function */
	uint16_t vendor;	/* [I] */
	uint16_t device;	/* [I] */
	uint16_t subsys_device;	/* [I] */
	uint32_t class_rev;	/* [I] class << 8 | revision */
	volatile uint32_t *msix_table; /* [I] mapped by pci_msix_enable, NULL before */
	unsigned int msix_nvec;	/* [I] vectors enabled */
};

uint32_t pci_read32(const struct pci_dev *pd, unsigned int off);
uint8_t pci_read8(const struct pci_dev *pd, unsigned int off);
uint16_t pci_read16(const struct pci_dev *pd, unsigned int off);
void pci_write32(const struct pci_dev *pd, unsigned int off, uint32_t v);
void pci_write16(const struct pci_dev *pd, unsigned int off, uint16_t v);

/* Next capability with id after offset after (0 starts), or 0. */
unsigned int pci_find_capability(const struct pci_dev *pd, unsigned int id, unsigned int after);
/* Physical address of memory BAR bar, 0 if unassigned or an I/O BAR. */
phys_addr_t pci_bar_address(const struct pci_dev *pd, unsigned int bar);
/* Turn on memory decoding and bus mastering (DMA). */
void pci_enable_device(const struct pci_dev *pd);
/*
 * Enable MSI-X with nvec vectors, each an allocated arch_msi_alloc() line
 * written to irqs[]. The table entries stay masked until pci_msix_unmask.
 * 0, -ENODEV (no MSI-X capability / table), -ENOSPC (no vectors).
 */
int pci_msix_enable(struct pci_dev *pd, unsigned int nvec, unsigned int *irqs);
void pci_msix_unmask(const struct pci_dev *pd, unsigned int entry);

/* Enumerate every bus, calling fn for each function found. */
void pci_for_each_dev(void (*fn)(struct pci_dev *pd, void *arg), void *arg);
const char *pci_name(const struct pci_dev *pd, char *buf, size_t size); /* "00:03.0" */

#endif
