/*
 * memlayout.h - the x86_64 virtual address map (4-level paging, 48-bit VA).
 *
 *   0x0000000000000000 .. 0x00007ffffffff000  user space (USER_TOP: the lower canonical
 *                                             half minus its last page, as on Linux)
 *   0xffff800000000000 .. +512 GiB            direct map of all RAM (PHYS_MAP_BASE)
 *   0xffffc90000000000 .. +64 GiB             ioremap/vmap window (KMAP_BASE)
 *   0xffffffff80000000 .. +1 GiB              kernel image, linked here, loaded at 1 MiB
 *
 * Included from assembly too, hence the _UL() wrapper.
 */
#ifndef ASM_X86_MEMLAYOUT_H
#define ASM_X86_MEMLAYOUT_H

#include <asm/const.h>

#define KERNEL_VIRT_BASE	_UL(0xffffffff80000000)
#define KERNEL_LOAD_PA		_UL(0x100000)	/* GRUB loads the image at 1 MiB */
#define PHYS_MAP_BASE		_UL(0xffff800000000000)
#define PHYS_MAP_SIZE		_UL(0x8000000000)	/* 512 GiB: one PML4 slot */
#define KMAP_BASE		_UL(0xffffc90000000000)
#define KMAP_SIZE		_UL(0x1000000000)	/* 64 GiB */

/*
 * First address above user space. The last page of the lower half stays
 * out so that no user instruction can end at the canonical boundary (a
 * SYSCALL there would return to a non-canonical RIP).
 */
#define USER_TOP		_UL(0x00007ffffffff000)

/* Real-mode page the AP start-up code is copied to (SIPI vector = page number). */
#define TRAMPOLINE_PA		_UL(0x8000)

/* Everything below 1 MiB stays reserved (BIOS data, EBDA, ROMs, trampoline). */
#define LOW_RESERVED_END	_UL(0x100000)

#endif
