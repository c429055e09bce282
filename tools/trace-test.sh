#!/usr/bin/env bash
# trace-test.sh ARCH - boot /tests/tracetest as init with 4 CPUs: it records the trace of a
# multi-threaded faulting program (/tests/faulter) and of a file read from the disk after
# drop_caches with /bin/trace and prints it; then check that tools/trace2json gives JSON that
# python3 -m json.tool parses and tools/trace2svg an SVG that rsvg-convert renders, with one
# lane per CPU, and block I/O in both. Outputs in build/ARCH/trace.{log,json,svg,png}.
set -uo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="$TOP/build/$ARCH"
CPUS=${TEST_CPUS:-4}
die() { echo "trace-test $ARCH: $*" >&2; exit 1; }

command -v rsvg-convert >/dev/null || die "rsvg-convert is missing: run tools/deps.sh (librsvg2-bin)"
"$TOP/tools/qemu-run" "$ARCH" -c "$CPUS" -m 128M -a "init=/tests/tracetest" -t "${TRACE_TIMEOUT:-300}" \
	-l "$B/trace.log" >/dev/null 2>&1
grep -aq "tracetest: ok" "$B/trace.log" || die "no 'tracetest: ok' in ${B#$TOP/}/trace.log"
grep -aq "^# faultline-trace 1 cpus=$CPUS " "$B/trace.log" || die "the trace header does not say cpus=$CPUS"
"$TOP/tools/trace2json" "$B/trace.log" "$B/trace.json" || die "trace2json failed"
python3 -m json.tool "$B/trace.json" >/dev/null || die "trace.json does not parse"
faults=$(grep -ac " fault_begin " "$B/trace.log")
[ "$faults" -ge 256 ] || die "only $faults fault_begin events; faulter makes at least 256 faults"
ios=$(grep -ac " io_complete " "$B/trace.log")
[ "$ios" -ge 1 ] && grep -aq " io_submit " "$B/trace.log" ||
	die "no io_submit/io_complete events: tracetest reads /data/pattern after drop_caches"
grep -q '"block I/O"' "$B/trace.json" || die "trace.json has no block I/O track"
"$TOP/tools/trace2svg" "$B/trace.log" "$B/trace.svg" || die "trace2svg failed"
rsvg-convert -o "$B/trace.png" "$B/trace.svg" || die "rsvg-convert cannot render trace.svg"
[ -s "$B/trace.png" ] || die "rsvg-convert wrote nothing"
lanes=$(grep -c 'class="lane"' "$B/trace.svg")
[ "$lanes" = "$CPUS" ] || die "trace.svg has $lanes lanes, expected $CPUS"
grep -q 'io_complete sector=' "$B/trace.svg" || die "trace.svg shows no block I/O marks"
echo "trace-test $ARCH: $faults faults and $ios I/O completions traced; JSON parses; SVG renders with $lanes lanes"
