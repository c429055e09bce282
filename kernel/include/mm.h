/*
 * mm.h - physical/virtual address conversion and the kernel allocators.
 *
 * Every physical page is reachable through the direct map at
 * PHYS_MAP_BASE; the kernel image itself runs at KERNEL_VIRT_BASE.
 */
#ifndef FAULTLINE_MM_H
#define FAULTLINE_MM_H

#include <arch.h>

/* (link address of the image) - (physical address it was loaded at); set by arch early boot. */
extern uintptr_t kimage_voffset;

static inline void *__va(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PHYS_MAP_BASE);
}

static inline phys_addr_t __pa(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= KERNEL_VIRT_BASE)
		return v - kimage_voffset;
	return v - PHYS_MAP_BASE;
}

/* Linker-script symbols bounding the kernel image. */
extern char _kernel_start[], _kernel_end[];

#endif
