# arch/riscv/arch.mk - riscv64 build settings (included by the top-level Makefile).
#
# The kernel is integer-only. We compile for rv64imafdc with the lp64d ABI
# only because Debian's cross libgcc.a exists for lp64d alone and ld refuses
# to mix float ABIs; sstatus.FS stays Off, so any FP instruction the compiler
# might emit traps as an illegal instruction instead of corrupting user state.
CROSS_COMPILE := riscv64-linux-gnu-
ARCH_CFLAGS := -march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany \
	-mno-relax -mstrict-align -fno-asynchronous-unwind-tables -fno-unwind-tables
ARCH_LDFLAGS := --no-relax -z norelro --build-id=none
KERNEL_IMAGE := $(B)/Image
GDB_ARCH := riscv:rv64
TRAP_ENTRY_SYMBOL := trap_entry
export GDB_ARCH TRAP_ENTRY_SYMBOL

# Flat binary starting with the RISC-V Linux Image header (head.S), so QEMU
# -kernel, U-Boot booti and OpenSBI fw_jump/fw_dynamic can all load it.
$(B)/Image: $(B)/kernel.elf
	$(OBJCOPY) -O binary $< $@
