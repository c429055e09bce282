# arch/x86/arch.mk - x86_64 build settings, included by the top-level Makefile.
# The host compiler is x86_64, so no cross prefix.
CROSS_COMPILE :=

# Kernel code model (image in the top 2 GiB), no red zone (interrupts push
# onto the running stack), no SSE/MMX state in the kernel. Unwind info goes
# to .debug_frame (for gdb) rather than an allocated .eh_frame.
ARCH_CFLAGS := -m64 -march=x86-64 -mcmodel=kernel -mno-red-zone \
	-mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-unwind-tables
ARCH_LDFLAGS := -m elf_x86_64 --no-relax

GDB_ARCH := i386:x86-64
# The asm symbol a gdb backtrace from do_irq() reaches (arch/x86/kernel/entry.S).
TRAP_ENTRY_SYMBOL := x86_trap_entry
export GDB_ARCH TRAP_ENTRY_SYMBOL	# read by tools/gdb/*.sh

# A bootable hybrid ISO (BIOS; GRUB 'multiboot2'). tools/qemu-run builds
# per-command-line variants itself (arch/x86/qemu.sh); this one has an empty
# command line and is what 'make' produces and what a USB stick gets.
KERNEL_IMAGE := $(B)/faultline.iso

$(B)/faultline.iso: $(B)/kernel.elf arch/x86/mkiso.sh
	arch/x86/mkiso.sh $< $@ ""
