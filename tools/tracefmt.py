"""tracefmt.py - read Faultline's trace text (/proc/trace, `trace dump`, or a serial log
holding one between "=== trace begin ===" and "=== trace end ===").

Used by tools/trace2json and tools/trace2svg. The format (kernel/trace/trace.c):
    # faultline-trace 1 cpus=4 lost=0 on=0
    # cpu ts_ns tid event a0 a1
    1 5234123456 7 fault_begin 0x40001000 0x15
"""
import re
import sys

LINE = re.compile(r'^(\d+) (\d+) (-?\d+) ([a-z_]+) 0x([0-9a-f]+) 0x([0-9a-f]+)$')
HEADER = re.compile(r'^# faultline-trace (\d+) cpus=(\d+) lost=(\d+)')

# Lock modes (TRACE_LOCK_READ/WRITE) and fault-retry reasons (TRACE_RETRY_*), as in <trace.h>.
LOCK_MODES = {0: 'read', 1: 'write'}
RETRY_REASONS = {1: 'handler', 2: 'vma_lock'}
# I/O ops (enum req_op in <blkdev.h>) of io_submit's a1 >> 32.
IO_OPS = {0: 'read', 1: 'write', 2: 'flush'}


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


class Event:
    __slots__ = ('cpu', 'ts', 'tid', 'name', 'a0', 'a1')

    def __init__(self, cpu, ts, tid, name, a0, a1):
        self.cpu, self.ts, self.tid, self.name, self.a0, self.a1 = cpu, ts, tid, name, a0, a1


class Trace:
    def __init__(self, cpus, lost, events):
        self.cpus, self.lost, self.events = cpus, lost, events


def read_trace(path):
    """Parse path ('-' for stdin); exit with a message if it holds no trace."""
    text = sys.stdin.read() if path == '-' else open(path, errors='replace').read()
    text = text.replace('\r', '')
    if '=== trace begin ===' in text:
        text = text.split('=== trace begin ===', 1)[1].split('=== trace end ===', 1)[0]
    cpus, lost, events = None, 0, []
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            cpus, lost = int(m.group(2)), int(m.group(3))
            continue
        m = LINE.match(line.strip())
        if m:
            events.append(Event(int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4),
                                int(m.group(5), 16), int(m.group(6), 16)))
    if cpus is None:
        sys.exit(f'{path}: no "# faultline-trace" header: give the output of `trace dump` '
                 '(or a serial log that contains one)')
    events.sort(key=lambda e: (e.ts, e.cpu))
    return Trace(cpus, lost, events)


def describe(e):
    """A short label of an event's arguments."""
    if e.name.startswith('fault_'):
        if e.name == 'fault_retry':
            return f'0x{e.a0:x} reason={RETRY_REASONS.get(e.a1 & 0xff, e.a1 & 0xff)} ' \
                   f'vm_fault=0x{e.a1 >> 8:x}'
        return f'0x{e.a0:x} ' + ('flags' if e.name == 'fault_begin' else 'vm_fault') + \
               f'=0x{e.a1:x}'
    if e.name == 'io_submit':
        return f'sector={e.a0} {IO_OPS.get(e.a1 >> 32, e.a1 >> 32)} {e.a1 & 0xffffffff} B'
    if e.name == 'io_complete':
        return f'sector={e.a0} status={signed64(e.a1)}'
    if 'lock' in e.name:
        return f'{LOCK_MODES.get(e.a1, e.a1)} 0x{e.a0:x}'
    return f'0x{e.a0:x} 0x{e.a1:x}'
