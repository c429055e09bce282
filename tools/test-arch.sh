#!/usr/bin/env bash
# test-arch.sh ARCH - the QEMU test suite of one architecture (called by 'make test').
# Boots with 4 CPUs and runs the in-kernel tests, then the user test suite as init
# (/tests/usertests from the initramfs), the host's checks of the disk they wrote, the fsync
# durability boot, the trace test and the scripted gdb check.
# Every boot uses build/ARCH/test-disk.img, a copy of disk.img made here (the student's
# disk.img is never written by make test); the durability boot its own copy, durable-disk.img.
# Writes "PASSED FAILED" to build/ARCH/test-results and prints "ARCH: N passed, N failed".
set -uo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="$TOP/build/$ARCH"
CPUS=${TEST_CPUS:-4}
TEST_FREE_MB=${TEST_FREE_MB:-12}	# free space left on test-disk.img (fstests fills it: ENOSPC)
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

# test-disk.img: disk.img shrunk (resize2fs) to TEST_FREE_MB free, so that fstests' ENOSPC
# test fills a few MiB, not the whole disk. Every boot below uses it (DISK=, tools/qemu-run).
make_test_disk() {
	local img="$B/test-disk.img" sb bs blocks free want
	local dumpe2fs=$(command -v dumpe2fs || echo /usr/sbin/dumpe2fs)
	local resize2fs=$(command -v resize2fs || echo /usr/sbin/resize2fs)
	cp "$B/disk.img" "$img" || return 1
	sb=$("$dumpe2fs" -h "$img" 2>/dev/null)
	bs=$(echo "$sb" | awk -F: '/^Block size/ {print $2 + 0}')
	blocks=$(echo "$sb" | awk -F: '/^Block count/ {print $2 + 0}')
	free=$(echo "$sb" | awk -F: '/^Free blocks/ {print $2 + 0}')
	want=$((blocks - free + TEST_FREE_MB * 1024 * 1024 / bs))
	if [ "$want" -lt "$blocks" ] && ! "$resize2fs" -f "$img" "$want" >/dev/null 2>&1; then
		echo "  test-arch: resize2fs $img $want failed; using the full-size copy"
		cp "$B/disk.img" "$img"
	fi
	export DISK="$img"
}

# The image after ktests + usertests: e2fsck -fn clean, and the files fstests left in
# /tmp/fstests-result hold what it wrote (tools/fscheck recomputes them).
check_test_disk() {
	local out
	echo "== $ARCH: host checks of ${DISK#$TOP/} (e2fsck -fn, debugfs)"
	if grep -aqE "fstests: [0-9]+ passed, 0 failed, 0 skipped" "$B/usertests.log"; then
		ok "fstests: every file test ran (none skipped)"
	else fail "fstests did not run every test: $(grep -aoE 'fstests: .*' "$B/usertests.log" | tail -1)"; fi
	for what in clean results; do
		out=$("$TOP/tools/fscheck" "$DISK" "$what")
		[ $? = 0 ] && ok "fscheck $what ($(echo "$out" | grep -c '^  ok') checks)" ||
			{ fail "fscheck $what"; echo "$out" | grep -v '^  ok' | sed 's/^/     /'; }
	done
}

# fsync durability: write + fsync, then reboot(RB_POWER_OFF) without sync or unmount;
# the image must hold the fsynced file (and not the unsynced one) and be e2fsck-clean.
run_durability() {
	local img="$B/durable-disk.img" log="$B/durability.log" out rc
	echo "== $ARCH: fsync durability: power off without sync (log: ${log#$TOP/})"
	cp "$B/disk.img" "$img"
	DISK="$img" "$TOP/tools/qemu-run" "$ARCH" -c "$CPUS" -m 128M -a "init=/tests/fstests -- durability" \
		-t "${DURABILITY_TIMEOUT:-200}" -l "$log"
	rc=$?
	if [ $rc = 0 ] && grep -aq "reboot: power off requested" "$log"; then
		ok "durability boot powered off through reboot(2)"
	else fail "durability boot (exit status $rc; no 'reboot: power off' line)"; return; fi
	for what in durability clean; do
		out=$("$TOP/tools/fscheck" "$img" "$what")
		[ $? = 0 ] && ok "fscheck $what after power loss ($(echo "$out" | grep -c '^  ok') checks)" ||
			{ fail "fscheck $what after power loss"; echo "$out" | grep -v '^  ok' | sed 's/^/     /'; }
	done
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

make_test_disk
run_ktests
run_usertests
check_test_disk
run_durability
run_trace_test
run_gdb_check
echo "$passed $failed" > "$B/test-results"
echo "$ARCH: $passed passed, $failed failed"
[ "$failed" = 0 ]
