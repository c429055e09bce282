#!/usr/bin/env bash
# check.sh ARCH - a scripted, non-interactive gdb session proving the debug workflow:
# QEMU starts halted, gdb sets a hardware breakpoint in the generic interrupt handler
# (do_irq), continues until a CPU takes an interrupt, and the backtrace must reach the
# architecture's trap entry code ($TRAP_ENTRY_SYMBOL from arch.mk). The project's
# commands (fl-cpus, fl-dmesg) must then show both CPUs online once the console monitor
# polls the UART (arch_console_getc is only called from there). Then, 41 user page faults
# later (do_page_fault), fl-vmas, fl-pte, fl-mmap-lock and fl-vmstat must show init's address
# space (its text VMA at 0x400000, the walk to its stack page), the faulting mm's mmap_lock
# and the counters.
set -uo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B="$TOP/build/$ARCH"
LOG="$B/gdb-check.log"
: "${GDB_ARCH:?GDB_ARCH comes from arch.mk (run through make)}"
: "${TRAP_ENTRY_SYMBOL:?TRAP_ENTRY_SYMBOL comes from arch.mk (run through make)}"
PORT=$((20000 + RANDOM % 20000))
cd "$TOP"
GDB_PORT=$PORT tools/qemu-run "$ARCH" -c 2 -m 128M -g -t 420 -l "$B/gdb-serial.log" >/dev/null 2>&1 &
QPID=$!
sleep 1
timeout 400 gdb-multiarch -q -batch -nx -x tools/gdb/gdbinit \
	-ex "set architecture $GDB_ARCH" -ex "file $B/kernel.elf" \
	-ex "target remote localhost:$PORT" \
	-ex "hbreak do_irq" -ex "continue" -ex "bt 30" \
	-ex "delete" -ex "hbreak arch_console_getc" -ex "continue" \
	-ex "fl-cpus" -ex "fl-dmesg 4000" \
	-ex "delete" -ex "hbreak do_page_fault" -ex "ignore 3 40" -ex "continue" \
	-ex "echo === fl-vmas\n" -ex "fl-vmas pid 1" \
	-ex "echo === fl-pte\n" -ex "fl-pte init_process->mm->start_stack pid 1" \
	-ex "echo === fl-mmap-lock\n" -ex "fl-mmap-lock" -ex "echo === fl-vmstat\n" -ex "fl-vmstat" \
	-ex "kill" > "$LOG" 2>&1
kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null
status=0
grep -q "Breakpoint 1, do_irq" "$LOG" || { echo "  gdb: never stopped in do_irq" >&2; status=1; }
grep -E "^#[0-9]+ " "$LOG" | grep -q "$TRAP_ENTRY_SYMBOL" ||
	{ echo "  gdb: backtrace does not reach $TRAP_ENTRY_SYMBOL" >&2; status=1; }
grep -q "^cpu1: online" "$LOG" || { echo "  gdb: fl-cpus did not show cpu1 online" >&2; status=1; }
grep -q "smp: 2 CPUs online" "$LOG" || { echo "  gdb: fl-dmesg did not show the boot log" >&2; status=1; }
# The address-space commands, on init (pid 1): its VMAs, the walk to its first text page,
# its mmap_lock, the counters.
grep -qE "^  vma 0x[0-9a-f]+ 0*400000-" "$LOG" || { echo "  gdb: fl-vmas did not list init's text VMA" >&2; status=1; }
grep -qE "^  level 0 .*-> |^  -> physical 0x" "$LOG" || { echo "  gdb: fl-pte did not reach a physical page" >&2; status=1; }
grep -qE "^mmap_lock: (free|read-held|write-held)" "$LOG" || { echo "  gdb: fl-mmap-lock said nothing" >&2; status=1; }
grep -qE "^pgfault [1-9][0-9]*$" "$LOG" || { echo "  gdb: fl-vmstat shows no pgfault count" >&2; status=1; }
[ $status = 0 ] || sed 's/^/    | /' "$LOG" | tail -40 >&2
exit $status
