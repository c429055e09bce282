/*
 * head.S - x86_64 entry from GRUB (multiboot2) up to the first C code.
 *
 * GRUB enters _start32 in 32-bit protected mode, paging off, with
 * EAX = multiboot2 magic and EBX = physical address of the boot
 * information. The image runs at its load address until paging is on,
 * so every symbol is used through V2P() here.
 *
 * Boot page tables (in .bss, 2 MiB pages, no 1 GiB pages needed):
 *   PML4[0]   -> boot_pdpt_low: identity map of 0..4 GiB, for the switch
 *   PML4[256] -> boot_pdpt_low: the same 4 GiB at PHYS_MAP_BASE, so the
 *                early C code can use __va() on the boot information
 *   PML4[511] -> boot_pdpt_high[510]: 0..1 GiB at KERNEL_VIRT_BASE
 * The C code then builds the real direct map (all RAM, and nothing else)
 * and drops the identity map (arch/x86/kernel/mmu.c).
 */
#include <asm/memlayout.h>
#include <asm/pgtable.h>
#include <asm/x86.h>

#define V2P(x)		((x) - KERNEL_VIRT_BASE)
#define MB2_HEADER_MAGIC	0xe85250d6
#define MB2_BOOT_MAGIC		0x36d76289
#define BOOT_PD_COUNT		4		/* 4 x 1 GiB of 2 MiB pages */
#define BOOT_STACK_SIZE		16384
#define COM1			0x3f8

	.cfi_sections .debug_frame

	.section .multiboot, "a"
	.balign 8
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	0				/* architecture: i386 protected mode */
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + 0 + (mb2_header_end - mb2_header))
	/* entry address tag: the physical address of _start32 */
	.balign 8
	.short	3, 0
	.long	12
	.long	V2P(_start32)
	/* end tag */
	.balign 8
	.short	0, 0
	.long	8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl	_start32
_start32:
	cli
	cld
	cmpl	$MB2_BOOT_MAGIC, %eax
	jne	bad_magic
	movl	%ebx, V2P(boot_mbi_pa)
	movl	$V2P(boot_stack_top), %esp

	call	check_long_mode
	call	zero_bss
	call	build_boot_page_tables
	call	enable_long_mode
	lgdt	V2P(boot_gdt_ptr)
	ljmp	$GDT_KERNEL_CS, $V2P(start64_low)

/* Clear .bss (GRUB zeroes it too, but the spec does not promise it). */
zero_bss:
	movl	$V2P(__bss_start), %edi
	movl	$V2P(__bss_end), %ecx
	subl	%edi, %ecx
	shrl	$2, %ecx
	xorl	%eax, %eax
	/* the boot stack lives in .bss: keep our own return address */
	popl	%edx
	rep stosl
	jmp	*%edx

/* Long mode needs CPUID leaf 0x80000001 with EDX.LM (bit 29). */
check_long_mode:
	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode
	ret

build_boot_page_tables:
	/* 2048 PD entries: 2 MiB pages covering 0..4 GiB */
	movl	$V2P(boot_pd), %edi
	movl	$(X86_PTE_P | X86_PTE_RW | X86_PTE_PS), %eax
	movl	$(BOOT_PD_COUNT * 512), %ecx
1:	movl	%eax, (%edi)
	movl	$0, 4(%edi)
	addl	$0x200000, %eax
	addl	$8, %edi
	loop	1b
	/* boot_pdpt_low[0..3] -> the four PDs */
	movl	$V2P(boot_pdpt_low), %edi
	movl	$(V2P(boot_pd) + X86_PTE_P + X86_PTE_RW), %eax
	movl	$BOOT_PD_COUNT, %ecx
2:	movl	%eax, (%edi)
	addl	$4096, %eax
	addl	$8, %edi
	loop	2b
	/* boot_pdpt_high[510] -> first PD (0..1 GiB at KERNEL_VIRT_BASE) */
	movl	$(V2P(boot_pd) + X86_PTE_P + X86_PTE_RW), V2P(boot_pdpt_high) + 510 * 8
	/* PML4 */
	movl	$(V2P(boot_pdpt_low) + X86_PTE_P + X86_PTE_RW), V2P(boot_pml4)
	movl	$(V2P(boot_pdpt_low) + X86_PTE_P + X86_PTE_RW), V2P(boot_pml4) + 256 * 8
	movl	$(V2P(boot_pdpt_high) + X86_PTE_P + X86_PTE_RW), V2P(boot_pml4) + 511 * 8
	ret

/* PAE, then EFER.LME (+ NXE when the CPU has NX), then paging: compatibility mode. */
enable_long_mode:
	movl	%cr4, %eax
	orl	$CR4_PAE, %eax
	movl	%eax, %cr4
	movl	$V2P(boot_pml4), %eax
	movl	%eax, %cr3
	movl	$0x80000001, %eax
	cpuid
	movl	$EFER_LME, %ebx
	btl	$20, %edx			/* NX available? */
	jnc	1f
	orl	$EFER_NXE, %ebx
1:	movl	$MSR_EFER, %ecx
	rdmsr
	orl	%ebx, %eax
	wrmsr
	movl	%cr0, %eax
	orl	$(CR0_PG | CR0_WP | CR0_PE), %eax
	movl	%eax, %cr0
	ret

/* ---- failures before C: tell the serial port (and the VGA screen) and stop ---- */
bad_magic:
	movl	%eax, %ebp
	movl	$V2P(msg_bad_magic), %esi
	call	early_puts
	movl	%ebp, %eax
	call	early_puthex
	movl	$V2P(msg_bad_magic2), %esi
	call	early_puts
	jmp	early_halt

no_long_mode:
	movl	$V2P(msg_no_lm), %esi
	call	early_puts
	jmp	early_halt

early_halt:
	cli
	hlt
	jmp	early_halt

/* Print the NUL-terminated string at %esi on COM1 and on the VGA text screen. */
early_puts:
	call	early_uart_init
1:	lodsb
	testb	%al, %al
	jz	2f
	call	early_putc
	jmp	1b
2:	ret

/* Print %eax as 8 hex digits. */
early_puthex:
	movl	%eax, %edx
	movl	$8, %ecx
1:	roll	$4, %edx
	movl	%edx, %eax
	andl	$0xf, %eax
	movb	V2P(hexdigits)(%eax), %al
	pushl	%ecx
	pushl	%edx
	call	early_putc
	popl	%edx
	popl	%ecx
	loop	1b
	ret

/* One character in %al: COM1 (polled) and the next VGA cell. */
early_putc:
	pushl	%eax
	movw	$(COM1 + 5), %dx
1:	inb	%dx, %al
	testb	$0x20, %al
	jz	1b
	popl	%eax
	movw	$COM1, %dx
	outb	%al, %dx
	cmpb	$'\n', %al
	je	2f
	movl	V2P(vga_pos), %edi
	movb	$0x4f, %ah			/* white on red */
	movw	%ax, 0xb8000(,%edi,2)
	incl	V2P(vga_pos)
2:	ret

/* 115200 8N1, FIFOs on (same settings as the C driver). */
early_uart_init:
	movw	$(COM1 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx			/* no interrupts */
	movw	$(COM1 + 3), %dx
	movb	$0x80, %al
	outb	%al, %dx			/* DLAB */
	movw	$COM1, %dx
	movb	$1, %al
	outb	%al, %dx			/* divisor 1 = 115200 */
	movw	$(COM1 + 1), %dx
	xorb	%al, %al
	outb	%al, %dx
	movw	$(COM1 + 3), %dx
	movb	$3, %al
	outb	%al, %dx			/* 8N1 */
	movw	$(COM1 + 2), %dx
	movb	$0xc7, %al
	outb	%al, %dx			/* FIFO on, cleared */
	ret

/* ---- 64-bit, still at the load address: jump up to the higher half ---- */
	.code64
start64_low:
	movabsq	$start64_high, %rax
	jmp	*%rax

	.text
start64_high:
	.cfi_startproc
	.cfi_undefined rip			/* outermost frame for gdb */
	movl	$GDT_KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	xorl	%eax, %eax
	movl	%eax, %fs
	movl	%eax, %gs
	leaq	boot_stack_top(%rip), %rsp
	xorl	%ebp, %ebp			/* end of the frame-pointer chain */
	movl	boot_mbi_pa(%rip), %edi
	call	x86_boot_main			/* never returns */
	ud2
	.cfi_endproc

	.section .rodata
msg_bad_magic:
	.asciz	"\nFaultline: not started by a multiboot2 loader (EAX="
msg_bad_magic2:
	.asciz	", expected 36d76289).\nBoot the ISO from 'make' (GRUB 'multiboot2' command), not multiboot1 or QEMU -kernel. Halted.\n"
msg_no_lm:
	.asciz	"\nFaultline: this CPU has no 64-bit long mode; it needs an x86_64 CPU. Halted.\n"
hexdigits:
	.ascii	"0123456789abcdef"

	.data
	.balign 8
	.globl	boot_mbi_pa
boot_mbi_pa:
	.quad	0
vga_pos:
	.long	0

/* Temporary GDT for the jump to 64-bit code; each CPU gets its own later. */
	.balign 16
boot_gdt:
	.quad	0
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit kernel code */
	.quad	0x00cf92000000ffff		/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:
	.short	boot_gdt_end - boot_gdt - 1
	.long	V2P(boot_gdt)

	.section .bss
	.balign 4096
	.globl	boot_pml4
boot_pml4:
	.skip	4096
boot_pdpt_low:
	.skip	4096
boot_pdpt_high:
	.skip	4096
boot_pd:
	.skip	4096 * BOOT_PD_COUNT
	.balign 16
	.globl	boot_stack_top
boot_stack:
	.skip	BOOT_STACK_SIZE
boot_stack_top:
