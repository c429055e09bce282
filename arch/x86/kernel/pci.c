/*
 * pci.c - PCI configuration mechanism #1: write the address (enable bit,
 * bus, device, function, dword offset) to port 0xCF8, then move the dword
 * through port 0xCFC. The pair must not be interleaved, hence the lock.
 */
#include <arch.h>
#include <spinlock.h>

#define PCI_CONFIG_ADDRESS	0xcf8
#define PCI_CONFIG_DATA		0xcfc

static DEFINE_SPINLOCK(pci_config_lock);	/* serialises the 0xCF8/0xCFC pair */

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t config_address(uint32_t bdf, unsigned int off)
{
	return 0x80000000u | (bdf & 0xffff) << 8 | (off & 0xfc);
}

bool arch_pci_cfg_read32(uint32_t bdf, unsigned int off, uint32_t *val)
{
	spin_lock(&pci_config_lock);
	outl(PCI_CONFIG_ADDRESS, config_address(bdf, off));
	*val = inl(PCI_CONFIG_DATA);
	spin_unlock(&pci_config_lock);
	return true;
}

bool arch_pci_cfg_write32(uint32_t bdf, unsigned int off, uint32_t val)
{
	spin_lock(&pci_config_lock);
	outl(PCI_CONFIG_ADDRESS, config_address(bdf, off));
	outl(PCI_CONFIG_DATA, val);
	spin_unlock(&pci_config_lock);
	return true;
}
