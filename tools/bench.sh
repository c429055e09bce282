#!/usr/bin/env bash
# bench.sh ARCH - print the benchmark numbers of one architecture (make bench).
# Sections: boot and size, memory (BENCH_BOOT=0 skips both), anonymous faults
# (BENCH_FAULTS=0 skips), files (BENCH_FILES=0 skips). docs/benchmarks.md has the results.
# Targets (never asserted in tests): all CPUs online within 0.5 s of guest time after the
# firmware hands over, kernel image <= 1 MiB, boots and passes its tests in 32 MiB of RAM.
set -uo pipefail
ARCH=$1
TOP=$(cd "$(dirname "$0")/.." && pwd)
B="$TOP/build/$ARCH"
case "$ARCH" in x86_64) SIZE=size ;; arm64) SIZE=aarch64-linux-gnu-size ;; riscv64) SIZE=riscv64-linux-gnu-size ;; esac

echo "== bench $ARCH"
read -r text data bss _ < <($SIZE "$B/kernel.elf" | tail -1)
echo "kernel image: text $((text / 1024)) KiB, data $((data / 1024)) KiB, bss $((bss / 1024)) KiB; loaded $(((text + data) / 1024)) KiB (target <= 1024 KiB)"

if [ "${BENCH_BOOT:-1}" = 1 ]; then
	# Boot time: run no test at all, so the machine powers off right after bring-up.
	# One warm-up boot first (QEMU's own page faults on fresh guest RAM skew the first run).
	for run in warmup 1 2 3; do
		"$TOP/tools/qemu-run" "$ARCH" -c 4 -m 128M -a "ktest=no-such-test" -t 120 -l "$B/bench-boot.log" \
			-- -mem-prealloc >/dev/null 2>&1
		[ "$run" = warmup ] && continue
		line=$(grep -ao "all CPUs online [0-9]* us after kernel_main, [0-9]* us after reset" "$B/bench-boot.log")
		echo "boot run $run: ${line:-did not reach smp line}"
	done

	# Smallest RAM that boots and passes the in-kernel tests.
	for mem in 128M 64M 32M 24M 16M; do
		if "$TOP/tools/qemu-run" "$ARCH" -c 4 -m "$mem" -a ktest -t 600 -l "$B/bench-mem-$mem.log" >/dev/null 2>&1; then
			echo "memory: boots and passes its tests with -m $mem"
		else
			echo "memory: fails with -m $mem (log build/$ARCH/bench-mem-$mem.log)"; break
		fi
	done
fi

# Anonymous fault throughput under the mmap and vma policies (user/bin/faultbench.c, issue 5):
# 1/2/4 threads, alone and with one thread doing mmap/munmap in a loop; fork+exit+wait/s.
# Guest RAM is preallocated so QEMU's own first-touch faults do not count.
# Under TCG every vCPU is a host thread: on a host with fewer free cores than vCPUs, any extra
# busy thread slows the workers down; the "+cpu-spin" lines measure that share (a thread that
# makes no system call at all).
if [ "${BENCH_FAULTS:-1}" = 1 ]; then
	for policy in mmap vma; do
		log="$B/bench-faults-$policy.log"
		"$TOP/tools/qemu-run" "$ARCH" -c 4 -m 256M -a "init=/bin/faultbench fault_policy=$policy -- ${FAULT_ROUNDS:-10}" \
			-t 300 -l "$log" -- -mem-prealloc >/dev/null 2>&1
		grep -a "faultbench:" "$log" | sed 's/^\[cpu[0-9]*\] //' || echo "faultbench ($policy): no output (log ${log#$TOP/})"
	done
fi

# File I/O through the page cache and file faults with a block delay (user/bin/filebench.c,
# issues 4 and 5): sequential write (+fsync) and read, cold/warm mmap read, major-fault
# latency with and without a block delay, mmap_lock reads per major fault for every policy.
# Writes and removes /data/filebench.dat (8 MiB) on the ext2 disk.
if [ "${BENCH_FILES:-1}" = 1 ]; then
	log="$B/bench-files.log"
	"$TOP/tools/qemu-run" "$ARCH" -c 4 -m 256M -a "init=/bin/filebench" \
		-t 300 -l "$log" -- -mem-prealloc >/dev/null 2>&1
	grep -a "filebench:" "$log" | sed 's/^\[cpu[0-9]*\] //' || echo "filebench: no output (log ${log#$TOP/})"
fi
