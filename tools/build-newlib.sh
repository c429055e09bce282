#!/usr/bin/env bash
# build-newlib.sh - build newlib 3.3.0 for Faultline user programs, cached outside the tree.
#
#   tools/build-newlib.sh ARCH            build (or reuse) newlib for ARCH, print the install
#                                         prefix (it holds include/ and lib/libc.a, libm.a)
#   tools/build-newlib.sh --prefix ARCH   only print where that prefix is (no build)
#
# ARCH is x86_64, arm64 or riscv64. The source is Debian's newlib-source package
# (/usr/src/newlib/newlib-3.3.0.tar.xz). The cache lives in ${FAULTLINE_CACHE:-~/.cache/faultline},
# keyed by the newlib version, the target, and a hash of this script (which holds every flag), so
# changing a flag here rebuilds and an unchanged script returns at once. docs/userland.md explains
# the chosen configure options. Progress goes to stderr; stdout is only the prefix.
set -euo pipefail

VERSION=3.3.0
TARBALL=/usr/src/newlib/newlib-$VERSION.tar.xz
CACHE=${FAULTLINE_CACHE:-$HOME/.cache/faultline}
JOBS=2

usage() {
	echo "usage: $0 [--prefix] x86_64|arm64|riscv64" >&2
	exit 2
}

# Sets TARGET, TOOL (binutils/gcc prefix) and ARCH_FLAGS for the architecture in $1.
select_arch() {
	case "$1" in
	x86_64)  TARGET=x86_64-elf;          TOOL=;                   ARCH_FLAGS= ;;
	arm64)   TARGET=aarch64-none-elf;    TOOL=aarch64-linux-gnu-; ARCH_FLAGS= ;;
	riscv64) TARGET=riscv64-unknown-elf; TOOL=riscv64-linux-gnu-; ARCH_FLAGS=-mcmodel=medany ;;
	*) echo "build-newlib: unknown ARCH '$1' (use x86_64, arm64 or riscv64)" >&2; usage ;;
	esac
}

# The compiler for the target: a Linux-targeting gcc made freestanding, reading only gcc's own
# headers and newlib's (never the host's glibc headers), without PIE, stack protector or
# Linux-specific defaults that would not hold on Faultline.
target_cc() {
	local gcc=${TOOL}gcc inc fixed
	inc="-isystem $($gcc -print-file-name=include)"
	fixed=$($gcc -print-file-name=include-fixed)
	[ -d "$fixed" ] && inc="$inc -isystem $fixed"	# older GCCs only
	echo "$gcc -ffreestanding -nostdinc $inc -fno-pie -fno-pic -fno-stack-protector $ARCH_FLAGS"
}

# -D__DYNAMIC_REENT__: newlib finds its per-thread state (errno, ...) through __getreent(),
# which user/lib/tls.c provides from the thread pointer. User code must be built with it too.
TARGET_CFLAGS="-O2 -g -D__DYNAMIC_REENT__"
CONFIGURE_OPTS=(
	--disable-multilib
	--disable-newlib-supplied-syscalls
	--enable-newlib-io-long-long
	--enable-newlib-io-c99-formats
	--enable-newlib-retargetable-locking
	--enable-newlib-global-stdio-streams
	--disable-newlib-fvwrite-in-streamio
)

# Directory name: version, target and a short hash of this script (flags live here).
cache_dir() {
	local hash
	hash=$(cat "$0" | sha256sum | cut -c1-10)
	echo "$CACHE/newlib-$VERSION-$TARGET-$hash"
}

need_source() {
	[ -f "$TARBALL" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "build-newlib: $TARBALL is missing; install it as root with:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends newlib-source" >&2
		exit 1
	fi
	echo "build-newlib: installing Debian package newlib-source" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		newlib-source >&2 || { apt-get update -qq >&2 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		newlib-source >&2; }
}

need_tools() {
	local t
	for t in gcc ar ranlib as ld nm; do
		command -v "${TOOL}$t" >/dev/null && continue
		echo "build-newlib: ${TOOL}$t not found; run 'make deps' (or tools/deps.sh) first" >&2
		exit 1
	done
}

# Configure and build in $1/work, install into $1; the log is $1/build.log.
build_into() {
	local dir=$1 work=$1/work cc
	rm -rf "$work" && mkdir -p "$work"
	tar -C "$work" -xJf "$TARBALL"
	mkdir -p "$work/build"
	cc=$(target_cc)
	echo "build-newlib: building newlib $VERSION for $TARGET (log: $dir/build.log)" >&2
	(cd "$work/build" && ../newlib-salsa/configure --target="$TARGET" --prefix="$dir" \
		"${CONFIGURE_OPTS[@]}" CC_FOR_TARGET="$cc" CFLAGS_FOR_TARGET="$TARGET_CFLAGS" \
		AR_FOR_TARGET="${TOOL}ar" RANLIB_FOR_TARGET="${TOOL}ranlib" \
		AS_FOR_TARGET="${TOOL}as" LD_FOR_TARGET="${TOOL}ld" NM_FOR_TARGET="${TOOL}nm" &&
	 make -j"$JOBS" all-target-newlib && make install-target-newlib) >"$dir/build.log" 2>&1 || {
		tail -30 "$dir/build.log" >&2
		echo "build-newlib: FAILED for $TARGET; full log in $dir/build.log" >&2
		exit 1
	}
	rm -rf "$work"
}

main() {
	local only_prefix=0 dir
	[ "${1:-}" = --prefix ] && { only_prefix=1; shift; }
	[ $# = 1 ] || usage
	select_arch "$1"
	dir=$(cache_dir)
	if [ $only_prefix = 1 ]; then echo "$dir/$TARGET"; return; fi
	[ -f "$dir/stamp" ] && { echo "$dir/$TARGET"; return; }
	need_source
	need_tools
	mkdir -p "$dir"
	# One builder per cache directory; a second caller waits, then finds the stamp.
	exec 9>"$dir/lock"
	flock 9
	if [ ! -f "$dir/stamp" ]; then
		build_into "$dir"
		date >"$dir/stamp"
	fi
	echo "$dir/$TARGET"
}

main "$@"
