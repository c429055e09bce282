/*
 * trampoline.S - where a secondary CPU starts after INIT-SIPI-SIPI.
 *
 * The CPU starts in real mode at CS:IP = (TRAMPOLINE_PA >> 4):0000.
 * arch_cpu_start() copies this blob to TRAMPOLINE_PA (below 1 MiB) and
 * fills tr_cr3/tr_efer; it is assembled for that address (TR()). Steps:
 * real mode -> 32-bit protected mode (own GDT) -> PAE + LME + paging on
 * the trampoline page tables (identity map of low memory + kernel half)
 * -> 64-bit code -> jump to x86_ap_entry64 in the higher half.
 */
#include <asm/memlayout.h>
#include <asm/x86.h>

#define TR(x)		(TRAMPOLINE_PA + (x) - x86_trampoline_start)

	.section .rodata
	.balign 16
	.globl	x86_trampoline_start
x86_trampoline_start:
	.code16
	cli
	cld
	xorw	%ax, %ax
	movw	%ax, %ds			/* TR() addresses are absolute, < 64 KiB */
	lgdtl	TR(tr_gdt_ptr)
	movl	%cr0, %eax
	orl	$CR0_PE, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $TR(tr_pm32)

	.code32
tr_pm32:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	TR(tr_cr3), %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	TR(tr_efer), %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP), %eax
	movl	%eax, %cr0
	ljmpl	$0x18, $TR(tr_lm64)

	.code64
tr_lm64:
	movq	TR(tr_entry), %rax
	jmp	*%rax

	.balign 8
tr_gdt:
	.quad	0
	.quad	0x00cf9a000000ffff		/* 0x08: 32-bit code */
	.quad	0x00cf92000000ffff		/* 0x10: data */
	.quad	0x00af9a000000ffff		/* 0x18: 64-bit code */
tr_gdt_end:
tr_gdt_ptr:
	.short	tr_gdt_end - tr_gdt - 1
	.long	TR(tr_gdt)
	.balign 8
tr_entry:
	.quad	x86_ap_entry64
	.globl	x86_trampoline_cr3, x86_trampoline_efer
x86_trampoline_cr3:
tr_cr3:
	.long	0				/* filled by arch_cpu_start() */
x86_trampoline_efer:
tr_efer:
	.long	0				/* EFER bits to set: LME (+ NXE) */
	.globl	x86_trampoline_end
x86_trampoline_end:
