#!/usr/bin/env bash
# check-elf.sh ARCH FILE... - check that user programs are what the kernel's ELF loader
# expects: ELF64, little-endian, static executables (ET_EXEC, no PT_INTERP, no PT_DYNAMIC,
# no PT_TLS), the right machine, every PT_LOAD at or above 0x400000 and mappable, the
# entry point at _start inside an executable segment, and a non-executable stack.
set -euo pipefail
arch=$1; shift
case $arch in
x86_64) machine="Advanced Micro Devices X86-64" ;;
arm64) machine="AArch64" ;;
riscv64) machine="RISC-V" ;;
*) echo "check-elf: unknown ARCH $arch" >&2; exit 2 ;;
esac
bad=0
complain() { echo "check-elf: $1: $2" >&2; bad=$((bad + 1)); }

# stdin: readelf's LOAD lines. Each segment at >= 0x400000 with vaddr = offset modulo the
# page size (so it can be mapped page by page); the entry inside an executable one.
check_loads() {
	local f=$1 entry=$2 type off va pa fsz msz flags ok=0
	while read -r type off va pa fsz msz flags; do
		if [ $((va)) -lt $((0x400000)) ] || [ $((va % 4096)) != $((off % 4096)) ]; then
			complain "$f" "PT_LOAD at $va is below 0x400000 or va != offset mod 4096"
		fi
		[[ $flags == *E* ]] && [ "$entry" -ge $((va)) ] &&
			[ "$entry" -lt $((va + msz)) ] && ok=1
	done
	[ $ok = 1 ] || complain "$f" "the entry point is not inside an executable PT_LOAD"
}

check_one() {
	local f=$1 hdr ph entry start
	hdr=$(readelf -h "$f")
	ph=$(readelf -lW "$f")
	grep -q "Class:.*ELF64" <<<"$hdr" || complain "$f" "not ELF64"
	grep -q "little endian" <<<"$hdr" || complain "$f" "not little-endian"
	grep -q "Type:.*EXEC" <<<"$hdr" || complain "$f" "not a static ET_EXEC executable"
	grep -q "Machine:.*$machine" <<<"$hdr" || complain "$f" "machine is not $machine"
	grep -qE "^ +(INTERP|DYNAMIC|TLS) " <<<"$ph" && complain "$f" "has INTERP/DYNAMIC/TLS"
	grep -qE "^ +GNU_STACK .* RW  " <<<"$ph" || complain "$f" "stack is not RW (non-exec)"
	entry=$(awk '/Entry point address/ {print $4}' <<<"$hdr")
	start=$(nm "$f" | awk '$3 == "_start" {print "0x" $1}')
	[ -n "$start" ] && [ $((entry)) = $((start)) ] || complain "$f" "entry $entry is not _start"
	check_loads "$f" "$((entry))" <<<"$(grep -E "^ +LOAD " <<<"$ph")"
}

for f in "$@"; do check_one "$f"; done
[ $bad = 0 ] && echo "check-elf: $# $arch programs OK"
[ $bad = 0 ]
