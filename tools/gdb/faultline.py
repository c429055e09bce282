# faultline.py - gdb commands for looking inside a running Faultline kernel.
#
#   fl-cpus          every CPU: online flag, hardware id, current thread
#   fl-dmesg [N]     the last N bytes (default 4096) of the kernel log ring
#   fl-ktests        the in-kernel tests linked into this kernel
#
# Loaded by tools/gdb/gdbinit (make gdb) and by the scripted check.
import gdb


def _int(expr):
    return int(gdb.parse_and_eval(expr))


class FlCpus(gdb.Command):
    """List CPUs: online flag, hardware id and the thread running there."""

    def __init__(self):
        super().__init__("fl-cpus", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        n = _int("nr_cpus_possible")
        for i in range(n):
            cpu = gdb.parse_and_eval("cpus[%d]" % i)
            cur = cpu["curr"]
            name = "-"
            if int(cur) != 0:
                try:
                    name = cur.dereference()["name"].string()
                except gdb.error:
                    name = str(cur)
            gdb.write("cpu%d: %s hwid=%#x current=%s\n"
                      % (i, "online " if bool(cpu["online"]) else "offline",
                         int(cpu["hwid"]), name))


class FlDmesg(gdb.Command):
    """Print the tail of the kernel log ring: fl-dmesg [BYTES]."""

    def __init__(self):
        super().__init__("fl-dmesg", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        want = int(arg) if arg.strip() else 4096
        size = _int("sizeof(log_buf)")
        head = _int("log_head")
        want = min(want, head, size)
        inferior = gdb.selected_inferior()
        base = _int("(unsigned long)&log_buf[0]")
        out = bytearray()
        for pos in range(head - want, head):
            out += bytes(inferior.read_memory(base + pos % size, 1))
        gdb.write(out.decode("utf-8", "replace"))


class FlKtests(gdb.Command):
    """List the in-kernel tests (section ktests)."""

    def __init__(self):
        super().__init__("fl-ktests", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        start = gdb.parse_and_eval("&__start_ktests[0]")
        stop = gdb.parse_and_eval("&__stop_ktests[0]")
        n = int((int(stop) - int(start)) / start.dereference().type.sizeof)
        for i in range(n):
            k = start[i]
            gdb.write("%-40s %s\n" % (k["name"].string(), k["file"].string()))


FlCpus()
FlDmesg()
FlKtests()
