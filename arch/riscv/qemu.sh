# arch/riscv/qemu.sh - QEMU command line for riscv64 (sourced by tools/qemu-run).
# QEMU virt with OpenSBI fw_dynamic as the M-mode firmware; -kernel places the
# Image at the first 2 MiB boundary after the firmware (0x80200000).
# initramfs: when $B/initrd.cpio exists it is loaded with -initrd; QEMU puts
# its range in the device tree's /chosen linux,initrd-start/end, which dt.c
# hands to the kernel as boot_info.initrd_base/size (and reserves).
# Disks (docs/block.md): build/$ARCH/disk.img (the ext2 root, built by
# tools/mkdisk) is attached as the first virtio-blk disk (vda, serial "root")
# when it exists; a fresh 8 MiB scratch image (serial "scratch", removed when
# QEMU exits) always follows it, for the block-layer tests. SCRATCH=0 leaves
# it out.

OPENSBI_FW=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin

# Fills the array QEMU from B CPUS MEM CMDLINE.
qemu_cmd() {
	local bios=$OPENSBI_FW
	[ -f "$bios" ] || bios=default	# QEMU's bundled OpenSBI
	QEMU=(qemu-system-riscv64 -M virt -smp "$CPUS" -m "$MEM" -bios "$bios"
	      -kernel "$B/Image" -append "$CMDLINE")
	[ -f "$B/initrd.cpio" ] && QEMU+=(-initrd "$B/initrd.cpio")
	QEMU+=(-global virtio-mmio.force-legacy=false)
	qemu_add_disks virtio-blk-device || return 1
	return 0
}

# qemu_status RC - the kernel's status from QEMU's exit code.
# arch_poweroff() calls SBI SRST shutdown; OpenSBI drives QEMU's sifive_test
# finisher: reason "no reason" -> FINISHER_PASS -> QEMU exits 0; reason
# "system failure" -> FINISHER_FAIL -> QEMU exits 1. Anything else (timeout
# 124, QEMU errors) passes through unchanged.
qemu_status() {
	echo "$1"
}
