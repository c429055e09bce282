#!/usr/bin/env bash
# test-all.sh ARCH... - build and test each architecture, run the host tests,
# and print the closing "N passed, N failed" line for everything together.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"; mkdir -p build
passed=0 failed=0

add_results() {	# file with "PASSED FAILED"
	local p f
	read -r p f < "$1" || return 1
	passed=$((passed + p)); failed=$((failed + f))
}

for arch in "$@"; do
	rm -f "build/$arch/test-results"
	echo "== $arch: building"
	if ! make --no-print-directory -s ARCH="$arch" all > "build/$arch.build.log" 2>&1; then
		mkdir -p "build/$arch"; tail -30 "build/$arch.build.log"
		echo "  FAIL $arch: build (log: build/$arch.build.log)"; failed=$((failed + 1)); continue
	fi
	make --no-print-directory -s ARCH="$arch" test-one
	add_results "build/$arch/test-results" || { echo "  FAIL $arch: no results"; failed=$((failed + 1)); }
done

if [ -f tests/host/Makefile ]; then
	echo "== host tests (kernel code compiled for the host, also under ThreadSanitizer)"
	make --no-print-directory -s -C tests/host test RESULTS="$TOP/build/host-results"
	add_results build/host-results || { echo "  FAIL host tests: no results"; failed=$((failed + 1)); }
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
