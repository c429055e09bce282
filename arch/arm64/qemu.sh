# arch/arm64/qemu.sh - QEMU command line for arm64 (sourced by tools/qemu-run).
#
# Machine: QEMU "virt" with GICv2 by default; GIC=3 in the environment picks
# GICv3 (-M virt,gic-version=3). EL2=1 boots at EL2 (virtualization=on), the
# way a Raspberry Pi enters the kernel, with PSCI through smc instead of hvc.
#
# Exit status: PSCI SYSTEM_OFF always makes QEMU exit 0, so a failure leaves
# QEMU through semihosting SYS_EXIT instead. The runner enables semihosting
# and puts "qemu_exit=semihosting" first on the command line (words after " -- "
# are init's arguments); only then does the kernel use it (a real board has no
# debugger to catch the HLT). Mapping:
#   kernel arch_poweroff(0)        -> PSCI SYSTEM_OFF        -> QEMU exit 0
#   kernel arch_poweroff(s), s > 0 -> SYS_EXIT(64 + min(s,63)) -> QEMU exit 64+s
# qemu_status turns 64..127 back into s; anything else (QEMU itself failed)
# is passed through, and is non-zero.
#
# CPU: cortex-a76 by default (ARMv8.2: has PAN, which the kernel turns on);
# CPU=cortex-a72 tries an ARMv8.0 core like the Raspberry Pi 4's.
# initramfs: when $B/initrd.cpio exists it is loaded with -initrd; QEMU puts
# its range in the device tree's /chosen linux,initrd-start/end, which
# setup.c hands to the kernel as boot_info.initrd_base/size (reserved).
# Disks (docs/block.md): build/$ARCH/disk.img (the ext2 root, built by
# tools/mkdisk) is attached as the first virtio-blk disk (vda, serial "root")
# when it exists; a fresh 8 MiB scratch image (serial "scratch", removed when
# QEMU exits) always follows it, for the block-layer tests. SCRATCH=0 leaves
# it out.

qemu_cmd() {
	local machine=virt
	[ -n "${GIC:-}" ] && machine="$machine,gic-version=$GIC"
	[ "${EL2:-0}" = 1 ] && machine="$machine,virtualization=on"
	QEMU=(qemu-system-aarch64 -M "$machine" -cpu "${CPU:-cortex-a76}" -smp "$CPUS" -m "$MEM"
		-kernel "$B/Image" -append "qemu_exit=semihosting $CMDLINE"
		-semihosting-config enable=on,target=native)
	[ -f "$B/initrd.cpio" ] && QEMU+=(-initrd "$B/initrd.cpio")
	QEMU+=(-global virtio-mmio.force-legacy=false)
	qemu_add_disks virtio-blk-device || return 1
	return 0
}

qemu_status() {
	local rc=$1
	if [ "$rc" -ge 64 ] && [ "$rc" -le 127 ]; then
		echo $((rc - 64))
	else
		echo "$rc"
	fi
}
