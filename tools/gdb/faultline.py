# faultline.py - gdb commands for looking inside a running Faultline kernel.
#
#   fl-cpus          every CPU: online flag, hardware id, current thread
#   fl-dmesg [N]     the last N bytes (default 4096) of the kernel log ring
#   fl-ktests        the in-kernel tests linked into this kernel
#   fl-vmas [MM]     the VMAs of an address space, with their per-VMA lock state
#   fl-pte ADDR [MM] walk the page table for a user address, decoding each level's entry
#   fl-mmap-lock [MM] the mmap_lock: readers or the writer (and where it took it), waiters
#   fl-vmstat        the vm event counters summed over CPUs (what /proc/vmstat shows)
#
# MM is "pid N" or an expression giving a struct mm_struct * (e.g. current->mm); without
# it, the mm of the thread running on the selected CPU (gdb "thread N" = CPU N-1), or
# init's (pid 1) if that is a kernel thread.
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


# ---- address spaces -----------------------------------------------------------------

def _current_thread():
    cpu = max(gdb.selected_thread().num - 1, 0) if gdb.selected_thread() else 0
    if cpu >= _int("nr_cpus_possible"):
        cpu = 0
    return gdb.parse_and_eval("cpus[%d].curr" % cpu)


def _find_process(pid):
    head = gdb.parse_and_eval("&proc_list")
    ptype = gdb.lookup_type("struct process").pointer()
    off = _int("(unsigned long)&((struct process *)0)->all_node")
    node = head["next"]
    while int(node) != int(head):
        p = gdb.Value(int(node) - off).cast(ptype)
        if int(p["pid"]) == pid:
            return p
        node = node["next"]
    raise gdb.GdbError("no process with pid %d on proc_list" % pid)


def _mm(arg):
    """The struct mm_struct * that arg names (see the header)."""
    arg = arg.strip()
    if arg.startswith("pid "):
        mm = _find_process(int(arg.split()[1]))["mm"]
    elif arg:
        mm = gdb.parse_and_eval(arg)
    else:
        cur = _current_thread()
        mm = cur["mm"] if int(cur) else gdb.Value(0)
        if int(mm) == 0:
            init = gdb.parse_and_eval("init_process")
            if int(init) == 0:
                raise gdb.GdbError("no user process yet: give an mm (fl-vmas pid N | EXPR)")
            mm = init["mm"]
    if int(mm) == 0:
        raise gdb.GdbError("that process has no mm (exiting, or a kernel thread)")
    return mm.cast(gdb.lookup_type("struct mm_struct").pointer())


def _has_field(val, name):
    return any(f.name == name for f in val.type.strip_typedefs().fields())


def _vma_lock_state(mm, vma):
    """The per-VMA lock state, in the words of docs/locking.md."""
    refcnt = int(vma["vm_refcnt"]["counter"]) if _has_field(vma["vm_refcnt"], "counter") \
        else int(vma["vm_refcnt"])
    if refcnt == 0:
        return "detached"
    state = "attached"
    if _has_field(mm.dereference(), "mm_lock_seq"):
        seq = mm["mm_lock_seq"]
        seq = int(seq["sequence"]) if _has_field(seq, "sequence") else int(seq)
        if int(vma["vm_lock_seq"]) == seq:
            state = "write-locked"
    if refcnt > 1:
        state += ", %d reader%s" % (refcnt - 1, "s" if refcnt > 2 else "")
    return state


def _vmas(mm):
    arr = mm["mm_mt"]["arr"]
    if int(arr) == 0:
        return []
    return [arr["v"][i] for i in range(int(arr["nr"]))]


class FlVmas(gdb.Command):
    """List the VMAs of an mm: fl-vmas [pid N | MM-EXPR]."""

    def __init__(self):
        super().__init__("fl-vmas", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        mm = _mm(arg)
        vmas = _vmas(mm)
        gdb.write("mm %#x: %d VMAs, mmap_lock count %d\n"
                  % (int(mm), len(vmas), int(mm["mmap_lock"]["count"])))
        for vma in vmas:
            f = int(vma["vm_flags"])
            perms = "".join(c if f & b else "-" for c, b in (("r", 1), ("w", 2), ("x", 4)))
            perms += "s" if f & 0x80 else "p"
            what = "anon"
            if int(vma["vm_file"]):
                what = "file ino %d" % int(vma["vm_file"]["f_inode"]["i_ino"])
            elif int(vma["vm_ops"]):
                what = "shmem"
            gdb.write("  vma %#x %016x-%016x %s pgoff %#x %-12s %s\n"
                      % (int(vma), int(vma["vm_start"]), int(vma["vm_end"]), perms,
                         int(vma["vm_pgoff"]), what, _vma_lock_state(mm, vma)))


# ---- page tables: per-architecture decoding -----------------------------------------

def _arch():
    name = gdb.selected_inferior().architecture().name()
    if "x86-64" in name:
        return "x86_64"
    if "aarch64" in name:
        return "arm64"
    if "riscv" in name:
        return "riscv64"
    raise gdb.GdbError("fl-pte: unknown architecture %s" % name)


LEVELS = {"x86_64": 4, "arm64": 4, "riscv64": 3}


def _decode(arch, level, e):
    """(present, leaf, physical address, flag text) of entry e at level (0 = last)."""
    if arch == "x86_64":
        bits = [(0, "P"), (1, "RW"), (2, "US"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
                (8, "G"), (63, "NX")]
        leaf = level == 0 or bool(e & (1 << 7))
        if level and leaf:
            bits.append((7, "PS"))
        return bool(e & 1), leaf, e & 0x000ffffffffff000, _flags(e, bits)
    if arch == "arm64":
        valid, table = bool(e & 1), bool(e & 2)
        leaf = level == 0 or not table
        ap = (e >> 6) & 3
        text = ["VALID", "PAGE" if level == 0 else ("TABLE" if table else "BLOCK")]
        if leaf:
            text += ["AP=%s" % ("RW-kernel", "RW", "RO-kernel", "RO")[ap], "AttrIdx=%d" % ((e >> 2) & 7)]
            text += [n for b, n in ((10, "AF"), (11, "nG"), (51, "DBM"), (53, "PXN"), (54, "UXN"))
                     if e & (1 << b)]
        return valid, leaf, e & 0x0000fffffffff000, " ".join(text)
    bits = [(0, "V"), (1, "R"), (2, "W"), (3, "X"), (4, "U"), (5, "G"), (6, "A"), (7, "D")]
    leaf = bool(e & 0xe)
    return bool(e & 1), leaf, (e >> 10) << 12, _flags(e, bits)


def _flags(e, bits):
    return " ".join(n for b, n in bits if e & (1 << b))


class FlPte(gdb.Command):
    """Walk the page table of an mm for a user address: fl-pte ADDR [pid N | MM-EXPR]."""

    def __init__(self):
        super().__init__("fl-pte", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        parts = arg.split(None, 1)
        if not parts:
            raise gdb.GdbError("usage: fl-pte ADDR [pid N | MM-EXPR]")
        addr = int(gdb.parse_and_eval(parts[0]))
        mm = _mm(parts[1] if len(parts) > 1 else "")
        arch = _arch()
        levels = LEVELS[arch]
        direct = int(mm["pgd"]) - int(mm["pgd_pa"])   # the direct map's offset
        table = int(mm["pgd_pa"])
        inf = gdb.selected_inferior()
        gdb.write("%s: walk of %#x in mm %#x (root %#x)\n" % (arch, addr, int(mm), table))
        for level in range(levels - 1, -1, -1):
            idx = (addr >> (12 + 9 * level)) & 511
            e = int.from_bytes(bytes(inf.read_memory(direct + table + idx * 8, 8)), "little")
            present, leaf, pa, text = _decode(arch, level, e)
            gdb.write("  level %d [%3d] %#018x %s\n" % (level, idx, e, text if present else "not present"))
            if not present:
                gdb.write("  -> not mapped (a fault here runs the fault path)\n")
                return
            if leaf:
                off = addr & ((1 << (12 + 9 * level)) - 1)
                gdb.write("  -> physical %#x (page %#x + %#x)\n" % (pa + off, pa, off))
                return
            table = pa


class FlMmapLock(gdb.Command):
    """Show an mm's mmap_lock: holders, the writer's pc, waiters: fl-mmap-lock [pid N | MM-EXPR]."""

    def __init__(self):
        super().__init__("fl-mmap-lock", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        sem = _mm(arg)["mmap_lock"]
        count = int(sem["count"])
        if count == 0:
            gdb.write("mmap_lock: free\n")
        elif count < 0:
            owner = sem["owner"]
            gdb.write("mmap_lock: write-held by '%s' (taken at %s)\n"
                      % (owner["name"].string() if int(owner) else "?",
                         gdb.execute("info symbol %d" % int(sem["owner_pc"]), to_string=True).strip()))
        else:
            last = sem["last_reader"]
            gdb.write("mmap_lock: read-held by %d reader(s), last '%s'\n"
                      % (count, last["name"].string() if int(last) else "?"))
        gdb.write("contended acquisitions so far: %d\n" % int(sem["contended"]))
        head = sem["waiters"].address
        wtype = gdb.lookup_type("struct rwsem_waiter").pointer()
        node, n = head["next"], 0
        while int(node) != int(head):
            w = node.cast(wtype)     # node is the first member of struct rwsem_waiter
            gdb.write("  waiter %d: '%s' wants %s\n" % (n, w["task"]["name"].string(),
                      "write" if int(w["type"]) == 1 else "read"))
            node, n = node["next"], n + 1
        gdb.write("%d waiter(s)\n" % n)


class FlVmstat(gdb.Command):
    """Dump the vm event counters summed over CPUs, as /proc/vmstat names them."""

    def __init__(self):
        super().__init__("fl-vmstat", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        names = gdb.parse_and_eval("vm_event_names")
        states = gdb.parse_and_eval("vm_event_states")
        ncpu = states.type.range()[1] + 1
        for i in range(names.type.range()[1] + 1):
            total = sum(int(states[c][i]) for c in range(ncpu))
            gdb.write("%s %d\n" % (names[i].string(), total))


FlCpus()
FlDmesg()
FlKtests()
FlVmas()
FlPte()
FlMmapLock()
FlVmstat()
