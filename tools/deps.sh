#!/usr/bin/env bash
# deps.sh - make sure the Debian packages Faultline needs are installed.
# As root it installs what is missing with apt-get; otherwise it prints the command to run.
set -euo pipefail
# command-or-file  package
NEEDS="
make:make
gcc:gcc
aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu
riscv64-linux-gnu-gcc:gcc-riscv64-linux-gnu
qemu-system-x86_64:qemu-system-x86
qemu-system-aarch64:qemu-system-arm
qemu-system-riscv64:qemu-system-misc
/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin:opensbi
grub-mkrescue:grub-common
/usr/lib/grub/i386-pc/multiboot2.mod:grub-pc-bin
xorriso:xorriso
mformat:mtools
gdb-multiarch:gdb-multiarch
dtc:device-tree-compiler
python3:python3
/usr/sbin/mke2fs:e2fsprogs
clang-14:clang-14
/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a:libclang-rt-14-dev
rsvg-convert:librsvg2-bin
/usr/src/newlib/newlib-3.3.0.tar.xz:newlib-source
"
missing=()
for pair in $NEEDS; do
	what=${pair%%:*} pkg=${pair##*:}
	if [[ $what == /* ]]; then [ -e "$what" ] && continue
	else command -v "$what" >/dev/null 2>&1 && continue; fi
	missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: run as root:  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
echo "deps: installed ${missing[*]}" >&2
