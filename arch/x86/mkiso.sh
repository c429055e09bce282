#!/usr/bin/env bash
# mkiso.sh KERNEL_ELF OUT_ISO CMDLINE [INITRD] - wrap the kernel (and the
# initramfs, as a multiboot2 module) in a GRUB (BIOS) ISO.
# The ISO is hybrid: it boots from a CD (QEMU -cdrom) or written to a USB stick.
set -euo pipefail
[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: $0 KERNEL_ELF OUT_ISO CMDLINE [INITRD]" >&2; exit 2; }
ELF=$1 OUT=$2 CMDLINE=$3 INITRD=${4:-}
command -v grub-mkrescue >/dev/null || {
	echo "mkiso: grub-mkrescue not found; install grub-common grub-pc-bin xorriso mtools (make deps)" >&2
	exit 1
}
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/faultline-iso.XXXXXX")
LOG=$(mktemp "${TMPDIR:-/tmp}/faultline-iso-log.XXXXXX")
trap 'rm -rf "$STAGE" "$LOG"' EXIT
mkdir -p "$STAGE/boot/grub"
cp "$ELF" "$STAGE/boot/kernel.elf"
MODULE=
if [ -n "$INITRD" ]; then
	[ -f "$INITRD" ] || { echo "mkiso: initrd $INITRD not found" >&2; exit 1; }
	cp "$INITRD" "$STAGE/boot/initrd.cpio"
	# The kernel takes the first module as the initramfs (arch/x86/kernel/multiboot.c).
	MODULE="module2 /boot/initrd.cpio initrd"
fi
# GRUB's own output stays on the screen; the kernel owns the serial port.
# GRUB splits the arguments on blanks and joins them again with single
# spaces (quoting any that contain one), so they go in unquoted, with a
# backslash before every character GRUB's parser would otherwise act on.
ARGS=$(printf '%s' "$CMDLINE" | sed 's/[^A-Za-z0-9_=,./:+@%[:blank:]-]/\\&/g')
cat >"$STAGE/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "Faultline" {
	multiboot2 /boot/kernel.elf $ARGS
	$MODULE
	boot
}
CFG
# Only the BIOS (i386-pc) platform: keeps the ISO small and the boot fast.
if ! grub-mkrescue -d /usr/lib/grub/i386-pc -o "$OUT.tmp" "$STAGE" >"$LOG" 2>&1; then
	cat "$LOG" >&2
	echo "mkiso: grub-mkrescue failed (see above)" >&2
	exit 1
fi
mv "$OUT.tmp" "$OUT"
