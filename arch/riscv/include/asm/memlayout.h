/*
 * memlayout.h - riscv64 virtual memory layout (Sv39, 3 levels, 39-bit VA).
 *
 * The upper half of Sv39 runs from 0xffffffc000000000 to the top (256 GiB):
 *
 *   0xffffffc000000000  PHYS_MAP_BASE  direct map: VA = PHYS_MAP_BASE + PA
 *   0xffffffe000000000  KMAP_BASE      vmap/ioremap area (kernel/mm)
 *   0xfffffff000000000  (unused)
 *   0xffffffff80000000  KERNEL_VIRT_BASE  the kernel image, wherever it was loaded
 *
 * The direct map covers physical addresses below 128 GiB: every RAM range
 * from the device tree (minus "no-map" firmware memory), plus the console
 * UART and PLIC pages. Boards have Sv39 only, so we never use Sv48.
 */
#ifndef ASM_MEMLAYOUT_H
#define ASM_MEMLAYOUT_H

#ifdef __ASSEMBLY__
#define _UL(x)		x
#else
#define _UL(x)		x##UL
#endif

#define ARCH_PT_LEVELS		3
#define VA_BITS			39
#define PHYS_MAP_BASE		_UL(0xffffffc000000000)
#define PHYS_MAP_SIZE		_UL(0x2000000000)	/* 128 GiB */
#define KMAP_BASE		_UL(0xffffffe000000000)
#define KMAP_SIZE		_UL(0x1000000000)	/* 64 GiB */
#define KERNEL_VIRT_BASE	_UL(0xffffffff80000000)

#define BOOT_STACK_SIZE		_UL(16384)		/* boot hart's stack (kernel_main, idle) */

#endif
