/*
 * pci.c - arm64 has no port-based PCI configuration mechanism and Faultline
 * does not drive the "virt" machine's ECAM host bridge: virtio devices are
 * found through the device tree (virtio-mmio). MSI is not used either.
 */
#include <arch.h>

bool arch_pci_cfg_read32(uint32_t bdf, unsigned int off, uint32_t *val)
{
	*val = ~0u;
	return false;
}

bool arch_pci_cfg_write32(uint32_t bdf, unsigned int off, uint32_t val)
{
	return false;
}

int arch_msi_alloc(unsigned int *irq, uint64_t *addr, uint32_t *data)
{
	return -ENODEV;
}
