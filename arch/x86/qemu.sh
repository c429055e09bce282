# arch/x86/qemu.sh - QEMU command line for x86_64, sourced by tools/qemu-run.
# In: ARCH B CPUS MEM CMDLINE (and TOP). Out: the QEMU=(...) array.
# Disks (docs/block.md): build/$ARCH/disk.img (the ext2 root, built by
# tools/mkdisk) is attached as the first virtio-blk disk (vda, serial "root")
# when it exists; a fresh 8 MiB scratch image (serial "scratch", removed when
# QEMU exits) always follows it, for the block-layer tests. SCRATCH=0 leaves
# it out.

# The command line lives in the ISO's grub.cfg, so each distinct command
# line gets its own ISO, cached under $B/iso/ by a hash of it and rebuilt
# when kernel.elf (or the initramfs) is newer. When $B/initrd.cpio exists
# (make initrd / make user) it goes into the ISO as a multiboot2 module,
# which the kernel reports in boot_info.initrd_base/size.
x86_iso_for_cmdline() {
	local hash iso initrd=
	[ -f "$B/initrd.cpio" ] && initrd="$B/initrd.cpio"
	hash=$(printf '%s|%s' "$CMDLINE" "$initrd" | sha1sum | cut -c1-12)
	iso="$B/iso/faultline-$hash.iso"
	if [ ! -f "$B/kernel.elf" ]; then
		echo "qemu-run: $B/kernel.elf missing; run 'make ARCH=x86_64' first" >&2
		return 1
	fi
	# 'make' already built the empty-command-line ISO (the gdb check boots that one).
	if [ -z "$CMDLINE" ] && [ -z "$initrd" ] && [ -f "$B/faultline.iso" ] &&
	   ! [ "$B/kernel.elf" -nt "$B/faultline.iso" ]; then
		printf '%s' "$B/faultline.iso"
		return 0
	fi
	if [ ! -f "$iso" ] || [ "$B/kernel.elf" -nt "$iso" ] || { [ -n "$initrd" ] && [ "$initrd" -nt "$iso" ]; }; then
		mkdir -p "$B/iso"
		"$TOP/arch/x86/mkiso.sh" "$B/kernel.elf" "$iso" "$CMDLINE" $initrd >&2 || return 1
	fi
	printf '%s' "$iso"
}

qemu_cmd() {
	local iso
	iso=$(x86_iso_for_cmdline) || exit 1
	# isa-debug-exit: a write of V to port 0xf4 ends QEMU with status (V << 1) | 1.
	QEMU=(qemu-system-x86_64 -M q35 -cpu max -smp "$CPUS" -m "$MEM"
		-cdrom "$iso" -boot d
		-device isa-debug-exit,iobase=0xf4,iosize=0x04)
	qemu_add_disks virtio-blk-pci,disable-legacy=on
}

# QEMU's exit code -> the kernel's status. isa-debug-exit gives odd codes
# (status << 1) | 1. Status 0 gives 1, which is also QEMU's own error code,
# so that case also needs the kernel's last words in the serial log
# (arch_poweroff prints them). Anything else (0 = QEMU quit without the
# kernel reporting, a signal...) is a failure.
qemu_status() {
	local rc=$1
	if [ "$rc" = 1 ]; then
		if grep -q "x86: poweroff, status 0" "${LOG:-/dev/null}" 2>/dev/null; then
			echo 0
		else
			echo "qemu-run: QEMU failed (exit 1) before the kernel reported; see ${LOG:-the log}" >&2
			echo 125
		fi
	elif [ $((rc & 1)) = 1 ] && [ "$rc" -lt 128 ]; then
		echo $((rc >> 1))
	else
		echo "qemu-run: QEMU exited with $rc without a status from the kernel" >&2
		echo 125
	fi
}
