# arch/arm64/arch.mk - arm64 build settings, included by the top-level Makefile.
CROSS_COMPILE := aarch64-linux-gnu-
# General registers only (no FP/SIMD state to save on traps), no libgcc
# outline-atomics helpers (they probe HWCAPs through user-space ABI), ARMv8.0
# so the image runs on a Raspberry Pi 3's Cortex-A53. Strict alignment keeps
# compiler-generated accesses legal while the MMU is off.
ARCH_CFLAGS := -mgeneral-regs-only -mno-outline-atomics -march=armv8-a -mstrict-align \
	-mcmodel=small -fno-asynchronous-unwind-tables
ARCH_LDFLAGS := --no-relax --build-id=none
KERNEL_IMAGE := $(B)/Image
GDB_ARCH := aarch64
# The IRQ vector code a gdb backtrace from do_irq() must reach.
TRAP_ENTRY_SYMBOL := el1_irq
export GDB_ARCH TRAP_ENTRY_SYMBOL

# The Linux arm64 Image: the ELF's loadable bytes from _kernel_start, header first.
$(B)/Image: $(B)/kernel.elf
	$(OBJCOPY) -O binary $< $@
