/*
 * head.S - riscv64 entry from the SBI firmware (OpenSBI) or U-Boot booti.
 *
 * Boot hart:   S-mode, a0 = hart id, a1 = DTB physical address, satp = 0,
 *              loaded at some 2 MiB-aligned physical address P (0x80200000
 *              on QEMU virt and the HiFive boards, 0x40200000 on the JH7110).
 *              Everything before the MMU is on uses PC-relative addressing.
 * Secondaries: started by SBI HSM hart_start at secondary_entry (physical),
 *              a0 = hart id, a1 = opaque = its struct cpu (virtual address).
 */
#include <asm/memlayout.h>
#include <asm/csr.h>
#include <asm/regs.h>

#define PAGE_SHIFT_ASM	12
#define PTE_V		0x01
#define PTE_KERNEL	0xef		/* V R W X G A D */
#define PTE_KDATA	0xe7		/* V R W G A D   */
#define MEGA_SHIFT	21
#define GIGA_SHIFT	30
#define KERNEL_ROOT_IDX	((KERNEL_VIRT_BASE >> GIGA_SHIFT) & 511)
#define PHYS_MAP_IDX	((PHYS_MAP_BASE >> GIGA_SHIFT) & 511)

	.section .head.text, "ax"
	.option push
	.option norvc
	.globl _start
_start:
	/* RISC-V Image header (Linux Documentation/arch/riscv/boot-image-header.rst) */
	j	_start_kernel			/* code0 */
	.word	0				/* code1 */
	.dword	0x200000			/* text_offset: load at RAM base + 2 MiB */
	.dword	_kernel_size			/* image_size, BSS included */
	.dword	0				/* flags: little endian */
	.word	2				/* header version 0.2 */
	.word	0				/* res1 */
	.dword	0				/* res2 */
	.ascii	"RISCV\0\0\0"			/* magic (deprecated) */
	.ascii	"RSC\x05"			/* magic2 */
	.word	0				/* res3 */
	.option pop

_start_kernel:
	csrw	sie, zero
	csrw	sscratch, zero
	li	t0, SR_SIE | SR_FS
	csrc	sstatus, t0			/* IRQs off, FPU off */
	mv	s1, a0				/* s1 = boot hart id */
	mv	s2, a1				/* s2 = DTB physical address */

	/* Only one hart continues, even if a firmware releases them all. */
	lla	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, park

	lla	s3, _start			/* s3 = physical load address */
	li	t0, (1 << MEGA_SHIFT) - 1
	and	t0, s3, t0
	beqz	t0, 1f
	lla	a0, msg_misaligned
	j	early_die
1:
	/* Clear .bss (the early page tables live there). */
	lla	t0, __bss_start
	lla	t1, __bss_end
2:	bgeu	t0, t1, 3f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	2b
3:
	li	t0, KERNEL_VIRT_BASE
	sub	s4, t0, s3			/* s4 = kimage_voffset */
	lla	t0, kimage_voffset
	sd	s4, 0(t0)

	call	early_map_kernel
	call	early_map_dtb

	/* satp for early_pg_dir */
	lla	t0, early_pg_dir
	srli	t0, t0, PAGE_SHIFT_ASM
	li	t1, SATP_MODE_SV39
	or	t0, t0, t1
	/* The fetch after the satp write faults (P is not mapped at its own
	 * address) and the trap lands on the virtual alias of 4f. */
	lla	t1, 4f
	add	t1, t1, s4
	csrw	stvec, t1
	sfence.vma
	csrw	satp, t0
	.align 2
4:	sfence.vma
	lla	t0, trap_entry
	csrw	stvec, t0
	lla	tp, cpus			/* trap_entry needs tp from here on */
	lla	sp, boot_stack_top
	li	s0, 0				/* fp chain ends here */
	li	ra, 0
	mv	a0, s1
	mv	a1, s2
	mv	a2, s3
	call	riscv_boot_main			/* never returns */
	j	park

/* early_pg_dir[KERNEL_ROOT_IDX] -> early_pmd, 2 MiB leaves covering the image. */
early_map_kernel:
	lla	a0, early_pg_dir
	lla	a1, early_pmd
	srli	t0, a1, PAGE_SHIFT_ASM
	slli	t0, t0, 10
	ori	t0, t0, PTE_V
	li	t1, KERNEL_ROOT_IDX * 8
	add	t1, a0, t1
	sd	t0, 0(t1)
	lla	t2, _kernel_end
	sub	t2, t2, s3
	li	t3, (1 << MEGA_SHIFT) - 1
	add	t2, t2, t3
	srli	t2, t2, MEGA_SHIFT		/* t2 = number of 2 MiB pages */
	mv	t4, s3
	li	t6, 1 << MEGA_SHIFT
1:	srli	t0, t4, PAGE_SHIFT_ASM
	slli	t0, t0, 10
	ori	t0, t0, PTE_KERNEL
	sd	t0, 0(a1)
	addi	a1, a1, 8
	add	t4, t4, t6
	addi	t2, t2, -1
	bnez	t2, 1b
	ret

/* Temporary 1 GiB direct-map leaves over the DTB (it may cross a GiB line),
 * so early C can parse it; riscv_paging_init() replaces the whole table. */
early_map_dtb:
	srli	t0, s2, GIGA_SHIFT		/* t0 = GiB number of the DTB */
	li	t1, (PHYS_MAP_SIZE >> GIGA_SHIFT) - 2
	bgtu	t0, t1, 1f			/* out of reach: C reports it */
	lla	a0, early_pg_dir
	addi	t1, t0, PHYS_MAP_IDX
	slli	t1, t1, 3
	add	a0, a0, t1
	slli	t0, t0, GIGA_SHIFT - PAGE_SHIFT_ASM + 10
	ori	t0, t0, PTE_KDATA
	sd	t0, 0(a0)
	li	t1, 1 << (GIGA_SHIFT - PAGE_SHIFT_ASM + 10)
	add	t0, t0, t1
	sd	t0, 8(a0)
1:	ret

/* Print a0 (physical address of a string) with the SBI legacy console, stop. */
early_die:
	mv	s5, a0
1:	lbu	a0, 0(s5)
	beqz	a0, park
	li	a7, 1				/* SBI legacy console_putchar */
	li	a6, 0
	ecall
	addi	s5, s5, 1
	j	1b

park:
	csrw	sie, zero
1:	wfi
	j	1b

/*
 * Secondary hart, MMU off. Switch to the kernel page table (same stvec
 * trick as the boot hart), take its stack from struct arch_cpu and call
 * riscv_secondary_main(hartid, cpu).
 */
	.globl secondary_entry
	.align 2
secondary_entry:
	csrw	sie, zero
	csrw	sscratch, zero
	li	t0, SR_SIE | SR_FS
	csrc	sstatus, t0
	lla	t0, kimage_voffset
	ld	t1, 0(t0)
	lla	t0, riscv_kernel_satp
	ld	t2, 0(t0)
	lla	t0, 1f
	add	t0, t0, t1
	csrw	stvec, t0
	sfence.vma
	csrw	satp, t2
	.align 2
1:	sfence.vma
	lla	t0, trap_entry
	csrw	stvec, t0
	mv	tp, a1
	ld	sp, CPU_BOOT_STACK(tp)
	li	s0, 0
	li	ra, 0
	call	riscv_secondary_main		/* never returns */
	j	park

	.section .rodata
msg_misaligned:
	.asciz	"Faultline: the kernel Image must be loaded at a 2 MiB-aligned address (booti does this; check the loader's kernel address)\r\n"

	.data
	.align 2
boot_lottery:
	.word	0

	.bss
	.align 12
	.globl early_pg_dir
early_pg_dir:
	.space	4096
	.globl early_pmd
early_pmd:
	.space	4096
	.align 4
boot_stack:
	.space	BOOT_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:
