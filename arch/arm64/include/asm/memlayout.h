/*
 * memlayout.h - arm64 virtual memory layout (4 KiB granule, 48-bit VA).
 *
 * TTBR1 (kernel half, 0xffff000000000000 and up):
 *   PHYS_MAP_BASE   0xffff000000000000  direct map of all RAM, 128 TiB
 *   KMAP_BASE       0xffff800000000000  vmap/ioremap area owned by kernel/mm, 64 TiB
 *   KERNEL_VIRT_BASE 0xffffffff80000000 the kernel image (2 MiB blocks), 1 GiB
 *   FIXMAP_BASE     0xffffffffc0000000  early device windows and the DTB, 1 GiB
 * TTBR0 (low half, 0 .. USER_TOP) holds the identity map of the first 2 MiB
 * of the image while the MMU is switched on; afterwards it is the user half:
 * arch_switch_mm() loads a process's root table there, and TCR_EL1.EPD0
 * turns TTBR0 walks off while no user address space is loaded.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#define VA_BITS			48
#define USER_TOP		(1UL << VA_BITS)	/* first address above user space */
#define PHYS_MAP_BASE		0xffff000000000000UL
#define PHYS_MAP_SIZE		0x0000800000000000UL
#define KMAP_BASE		0xffff800000000000UL
#define KMAP_SIZE		0x0000400000000000UL
#define KERNEL_VIRT_BASE	0xffffffff80000000UL
#define KERNEL_VIRT_SIZE	0x0000000040000000UL
#define FIXMAP_BASE		0xffffffffc0000000UL
/* Inside the fixmap: the DTB window (4 MiB, so a 2 MiB blob fits at any offset), then device windows. */
#define FDT_WINDOW_BASE		FIXMAP_BASE
#define FDT_WINDOW_SIZE		0x0000000000400000UL
#define FDT_MAX_SIZE		0x0000000000200000UL
#define DEVMAP_BASE		(FIXMAP_BASE + FDT_WINDOW_SIZE)
#define DEVMAP_END		0xffffffffffe00000UL

/* Where the fallback console lives when the DTB is unusable: QEMU virt's PL011. */
#define PL011_FALLBACK_PA	0x09000000UL

#endif
