#!/usr/bin/env bash
# test-arch.sh ARCH - the QEMU test suite of one architecture (called by 'make test').
# Boots with 4 CPUs and runs the in-kernel tests, then the user test suite as init
# (/tests/usertests from the initramfs), then the scripted gdb check.
# Writes "PASSED FAILED" to build/ARCH/test-results and prints "ARCH: N passed, N failed".
set -uo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="$TOP/build/$ARCH"
CPUS=${TEST_CPUS:-4}
passed=0 failed=0

ok()   { passed=$((passed + 1)); echo "  ok   $ARCH: $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL $ARCH: $*"; }

run_ktests() {
	local log="$B/ktest.log" rc line
	echo "== $ARCH: booting with $CPUS CPUs and running the in-kernel tests (log: ${log#$TOP/})"
	"$TOP/tools/qemu-run" "$ARCH" -c "$CPUS" -m 128M -a "ktest" -t "${KTEST_TIMEOUT:-900}" -l "$log"
	rc=$?
	if grep -q "smp: $CPUS CPUs online" "$log"; then ok "smp: $CPUS CPUs online"
	else fail "no 'smp: $CPUS CPUs online' line"; fi
	grep -E "ktest: .* FAIL" "$log" | sed 's/^/       /'
	line=$(grep -aoE "ktest: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
	if [ -z "$line" ]; then
		fail "the in-kernel tests did not finish (exit status $rc)"
		grep -q "Kernel panic" "$log" && "$TOP/tools/symbolize" "$ARCH" "$log" | tail -40
		return
	fi
	set -- $line
	passed=$((passed + $2)); failed=$((failed + $4))
	echo "  ktest: $2 passed, $4 failed"
	if [ "$rc" = 0 ]; then ok "QEMU exit status says pass"
	elif [ "$4" != 0 ]; then ok "QEMU exit status $rc reports the failures"
	else fail "QEMU exit status $rc although every test passed"; fi
}

run_usertests() {
	local log="$B/usertests.log" rc line
	echo "== $ARCH: booting /tests/usertests as init with $CPUS CPUs (log: ${log#$TOP/})"
	"$TOP/tools/qemu-run" "$ARCH" -c "$CPUS" -m 128M -a "init=/tests/usertests" \
		-t "${USERTESTS_TIMEOUT:-900}" -l "$log"
	rc=$?
	grep -aE "^(FAIL|  FAIL)|usertests: .*FAIL" "$log" | sed 's/^/       /'
	line=$(grep -aoE "usertests: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
	if [ -z "$line" ]; then
		fail "the user tests did not finish (exit status $rc)"
		grep -q "Kernel panic" "$log" && "$TOP/tools/symbolize" "$ARCH" "$log" | tail -40
		return
	fi
	set -- $line
	passed=$((passed + $2)); failed=$((failed + $4))
	echo "  usertests: $2 passed, $4 failed"
	if [ "$rc" = "$4" ] || { [ "$4" != 0 ] && [ "$rc" != 0 ]; }; then ok "init's exit status reached QEMU ($rc)"
	else fail "QEMU exit status $rc does not match usertests' $4 failures"; fi
}

run_trace_test() {
	echo "== $ARCH: trace of a multi-threaded faulting program -> JSON + SVG (log: build/$ARCH/trace.log)"
	if "$TOP/tools/trace-test.sh" "$ARCH"; then ok "trace: JSON parses, SVG renders with $CPUS lanes"
	else fail "trace test (tools/trace-test.sh $ARCH)"; fi
}

run_gdb_check() {
	echo "== $ARCH: scripted gdb session"
	if "$TOP/tools/gdb/check.sh" "$ARCH"; then ok "gdb: breakpoint in do_irq, backtrace reaches $TRAP_ENTRY_SYMBOL"
	else fail "gdb check (log: build/$ARCH/gdb-check.log)"; fi
}

run_ktests
run_usertests
run_trace_test
run_gdb_check
echo "$passed $failed" > "$B/test-results"
echo "$ARCH: $passed passed, $failed failed"
[ "$failed" = 0 ]
