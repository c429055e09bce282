/*
 * head.S - arm64 entry: the Linux Image header, EL2 -> EL1, boot page tables,
 * MMU on, jump to the high kernel address. Primary and secondary CPUs.
 *
 * Entry state (Linux arm64 boot protocol): EL2 or EL1, MMU off, D-cache off
 * or cleaned, x0 = physical address of the DTB (primary only). Everything
 * until the MMU is on runs at the physical load address, so it only uses
 * PC-relative addressing (adr/adrp).
 */
#include <asm/arch.h>

#define BLOCK_KERNEL	0x0040000000000701	/* block, normal, inner-shareable, AF, UXN */
#define SCTLR_EL1_MMU_ON 0x30d0181d	/* M C SA SA0 I + ARMv8.0 RES1 bits */
#define SCTLR_EL1_MMU_OFF 0x30d00800	/* RES1 bits only, little endian */
#define TCR_EL1_BASE	0x00000000b5103510	/* T0SZ=T1SZ=16, 4K, WBWA, inner-shareable */

	.section ".head.text", "ax"
	.globl	_head
_head:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset: any 2 MiB aligned base */
	.quad	_kernel_size			/* image_size, bss included */
	.quad	0xa				/* flags: LE, 4K pages, placement anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

	.section ".idmap.text", "ax"
/* x19 = DTB physical address, x20 = physical load address of _kernel_start, x21 = entry EL. */
primary_entry:
	mov	x19, x0
	adrp	x20, _kernel_start
	mrs	x21, CurrentEL
	lsr	x21, x21, #2
	bl	el2_to_el1
	tst	x20, #0x1fffff
	b.ne	bad_load_address
	bl	clear_bss
	bl	create_boot_tables
	bl	enable_mmu
	ldr	x8, =primary_high
	br	x8

/*
 * Drop from EL2 to EL1 if we were entered at EL2 (Raspberry Pi, U-Boot,
 * QEMU virtualization=on). Returns at EL1 with the same lr and sp unused.
 */
el2_to_el1:
	mrs	x9, CurrentEL
	cmp	x9, #(2 << 2)
	b.eq	1f
	cmp	x9, #(1 << 2)
	b.ne	bad_exception_level
	ret
1:	mov	x9, #(1 << 31)			/* HCR_EL2.RW: EL1 is AArch64, nothing trapped */
	msr	hcr_el2, x9
	mov	x9, #3				/* CNTHCTL_EL2: EL1 may use the physical counter/timer */
	msr	cnthctl_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #0x33ff			/* CPTR_EL2: no FP/SIMD traps (RES1 bits) */
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	mrs	x9, midr_el1			/* EL1 reads of MIDR/MPIDR see VPIDR/VMPIDR */
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mrs	x9, id_aa64pfr0_el1		/* GICv3 system registers present? */
	ubfx	x9, x9, #24, #4
	cbz	x9, 2f
	mrs	x9, S3_4_C12_C9_5		/* ICC_SRE_EL2 */
	mov	x10, #0x9			/* SRE | Enable: EL1 may use ICC_SRE_EL1 */
	orr	x9, x9, x10
	msr	S3_4_C12_C9_5, x9
	isb
2:	ldr	x9, =SCTLR_EL1_MMU_OFF
	msr	sctlr_el1, x9
	mov	x9, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x9
	msr	elr_el2, lr
	isb
	eret

/* Zero .bss with the MMU off, then drop any stale cache lines over it. */
clear_bss:
	adrp	x0, __bss_start
	adrp	x1, __bss_end
	mov	x2, x0
1:	stp	xzr, xzr, [x2], #16
	cmp	x2, x1
	b.lo	1b
	b	inval_dcache_range		/* tail call: x0..x1 */

/* dc ivac over [x0, x1): the lines were written with the MMU off. */
inval_dcache_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x4, #4
	lsl	x4, x4, x3
	sub	x5, x4, #1
	bic	x0, x0, x5
1:	dc	ivac, x0
	add	x0, x0, x4
	cmp	x0, x1
	b.lo	1b
	dsb	sy
	ret

/*
 * Boot page tables (all in .bss.pgtable, already zero):
 *   swapper_pg_dir -> kernel_l1 -> kernel_l2: KERNEL_VIRT_BASE.. -> x20.. in 2 MiB blocks
 *   idmap_pg_dir   -> idmap_l1  -> idmap_l2:  the first 2 MiB of the image, identity
 * C code (mmu.c) adds the direct map and device windows to swapper_pg_dir later.
 */
create_boot_tables:
	/* TTBR1: KERNEL_VIRT_BASE = root[511] -> l1[510] -> l2[0..n) */
	adrp	x0, swapper_pg_dir
	adrp	x1, kernel_l1
	orr	x2, x1, #3
	str	x2, [x0, #(511 * 8)]
	adrp	x3, kernel_l2
	orr	x2, x3, #3
	str	x2, [x1, #(510 * 8)]
	adrp	x4, _kernel_end
	sub	x4, x4, x20			/* image size */
	add	x4, x4, #0x200, lsl #12
	sub	x4, x4, #1
	lsr	x4, x4, #21			/* number of 2 MiB blocks, rounded up */
	ldr	x5, =BLOCK_KERNEL
	orr	x5, x5, x20
1:	str	x5, [x3], #8
	add	x5, x5, #0x200000
	subs	x4, x4, #1
	b.ne	1b
	/* TTBR0: identity map of the 2 MiB block at x20 */
	adrp	x0, idmap_pg_dir
	adrp	x1, idmap_l1
	adrp	x3, idmap_l2
	ubfx	x6, x20, #39, #9
	orr	x2, x1, #3
	str	x2, [x0, x6, lsl #3]
	ubfx	x6, x20, #30, #9
	orr	x2, x3, #3
	str	x2, [x1, x6, lsl #3]
	ubfx	x6, x20, #21, #9
	ldr	x5, =BLOCK_KERNEL
	orr	x5, x5, x20
	str	x5, [x3, x6, lsl #3]
	dsb	sy
	adrp	x0, __pgtable_start
	adrp	x1, __pgtable_end
	b	inval_dcache_range

/*
 * MAIR, TCR, TTBR0 = idmap, TTBR1 = swapper_pg_dir, then SCTLR.M/C/I.
 * Used by every CPU; clobbers x0-x3. Returns (via the identity map) with
 * the MMU on.
 */
enable_mmu:
	ldr	x0, =MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_EL1_BASE
	mrs	x1, id_aa64mmfr0_el1
	ubfx	x1, x1, #0, #4			/* PARange */
	cmp	x1, #5
	mov	x2, #5
	csel	x1, x1, x2, ls			/* at most 48 bits (IPS = 5) */
	bfi	x0, x1, #32, #3
	msr	tcr_el1, x0
	adrp	x0, idmap_pg_dir
	msr	ttbr0_el1, x0
	adrp	x0, swapper_pg_dir
	msr	ttbr1_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =SCTLR_EL1_MMU_ON
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/*
 * Secondary CPUs start here (PSCI CPU_ON entry point or spin-table release
 * address), at EL2 or EL1 with the MMU off.
 */
	.globl	secondary_entry
secondary_entry:
	bl	el2_to_el1
	bl	enable_mmu
	ldr	x8, =secondary_high
	br	x8

/* Before the MMU and console exist: say what is wrong on QEMU virt's PL011, stop. */
bad_load_address:
	adr	x0, msg_bad_load
	b	early_fail
bad_exception_level:
	adr	x0, msg_bad_el
early_fail:
	ldr	x1, =PL011_FALLBACK_PA
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	strb	w2, [x1]
	b	1b
2:	wfe
	b	2b
msg_bad_load:
	.asciz	"arm64: kernel not loaded at a 2 MiB aligned address; use an arm64 Image loader (booti, -kernel, kernel8.img)\r\n"
msg_bad_el:
	.asciz	"arm64: entered at EL3 or EL0; boot through firmware that enters at EL2 or EL1 (no kernel_old=1)\r\n"
	.ltorg

	.text
primary_high:
	msr	daifset, #0xf
	bl	disable_ttbr0
	ldr	x0, =boot_stack_top
	mov	sp, x0
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	arm64_start_kernel
1:	wfe
	b	1b

/* Find this CPU's slot in secondary_boot[] by MPIDR, take its stack, enter C. */
secondary_high:
	msr	daifset, #0xf
	bl	disable_ttbr0
	mrs	x1, mpidr_el1
	ldr	x2, =MPIDR_HWID_MASK
	and	x1, x1, x2
	ldr	x2, =secondary_boot
	mov	x0, #0
1:	ldp	x3, x4, [x2], #16		/* hwid, stack_top */
	cmp	x3, x1
	ccmp	x4, #0, #4, eq			/* matched and stack set? */
	b.ne	2f
	add	x0, x0, #1
	cmp	x0, #SECONDARY_BOOT_SLOTS
	b.lo	1b
3:	wfe					/* not ours to run: park */
	b	3b
2:	mov	sp, x4
	mov	x29, xzr
	mov	x30, xzr
	bl	arm64_secondary_start		/* x0 = logical CPU number */
	b	3b

/* TTBR0 walks off: low addresses fault until user space gets a TTBR0. */
disable_ttbr0:
	mrs	x0, tcr_el1
	orr	x0, x0, #(1 << 7)		/* EPD0 */
	msr	tcr_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ret
	.ltorg

	.section ".bss.pgtable", "aw", %nobits
	.balign	4096
	.globl	swapper_pg_dir, __pgtable_start, __pgtable_end
__pgtable_start:
swapper_pg_dir:	.space	4096
kernel_l1:	.space	4096
kernel_l2:	.space	4096
idmap_pg_dir:	.space	4096
idmap_l1:	.space	4096
idmap_l2:	.space	4096
__pgtable_end:

	.bss
	.balign	16
boot_stack:	.space	16384
boot_stack_top:
