#!/usr/bin/env bash
# check.sh ARCH - a scripted, non-interactive gdb session proving the debug workflow:
# QEMU starts halted, gdb sets a hardware breakpoint in the generic interrupt handler
# (do_irq), continues until a CPU takes an interrupt, and the backtrace must reach the
# architecture's trap entry code ($TRAP_ENTRY_SYMBOL from arch.mk). The project's
# commands (fl-cpus, fl-dmesg) must then show both CPUs online once the console monitor
# polls the UART (arch_console_getc is only called from there).
set -uo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B="$TOP/build/$ARCH"
LOG="$B/gdb-check.log"
: "${GDB_ARCH:?GDB_ARCH comes from arch.mk (run through make)}"
: "${TRAP_ENTRY_SYMBOL:?TRAP_ENTRY_SYMBOL comes from arch.mk (run through make)}"
PORT=$((20000 + RANDOM % 20000))
cd "$TOP"
GDB_PORT=$PORT tools/qemu-run "$ARCH" -c 2 -m 128M -g -t 180 -l "$B/gdb-serial.log" >/dev/null 2>&1 &
QPID=$!
sleep 1
timeout 150 gdb-multiarch -q -batch -nx -x tools/gdb/gdbinit \
	-ex "set architecture $GDB_ARCH" -ex "file $B/kernel.elf" \
	-ex "target remote localhost:$PORT" \
	-ex "hbreak do_irq" -ex "continue" -ex "bt 30" \
	-ex "delete" -ex "hbreak arch_console_getc" -ex "continue" \
	-ex "fl-cpus" -ex "fl-dmesg 600" \
	-ex "kill" > "$LOG" 2>&1
kill "$QPID" 2>/dev/null; wait "$QPID" 2>/dev/null
status=0
grep -q "Breakpoint 1, do_irq" "$LOG" || { echo "  gdb: never stopped in do_irq" >&2; status=1; }
grep -E "^#[0-9]+ " "$LOG" | grep -q "$TRAP_ENTRY_SYMBOL" ||
	{ echo "  gdb: backtrace does not reach $TRAP_ENTRY_SYMBOL" >&2; status=1; }
grep -q "^cpu1: online" "$LOG" || { echo "  gdb: fl-cpus did not show cpu1 online" >&2; status=1; }
grep -q "smp: 2 CPUs online" "$LOG" || { echo "  gdb: fl-dmesg did not show the boot log" >&2; status=1; }
[ $status = 0 ] || sed 's/^/    | /' "$LOG" | tail -40 >&2
exit $status
