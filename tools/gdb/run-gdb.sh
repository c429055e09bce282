#!/usr/bin/env bash
# run-gdb.sh ARCH - 'make gdb': QEMU halted at the first instruction with its gdb stub,
# and gdb-multiarch attached with symbols, the architecture and the Faultline commands.
# The guest's serial console goes to build/ARCH/serial.log (watch it with tail -f).
set -euo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/../.." && pwd)
B="$TOP/build/$ARCH"
PORT=${GDB_PORT:-1234}
GDB_PORT=$PORT "$TOP/tools/qemu-run" "$ARCH" -c "${CPUS:-4}" -m "${MEM:-128M}" -a "${CMDLINE:-}" -g -t 0 &
QPID=$!
trap 'kill $QPID 2>/dev/null || true' EXIT
echo "QEMU is halted; serial console: tail -f build/$ARCH/serial.log"
echo "Try: hbreak do_irq, continue, bt, fl-cpus, fl-dmesg"
gdb-multiarch -q -x "$TOP/tools/gdb/gdbinit" \
	-ex "set architecture $GDB_ARCH" -ex "file $B/kernel.elf" \
	-ex "target remote localhost:$PORT"
