#!/usr/bin/env bash
# mkcorrupt.sh IMGDIR OUT - the damaged images of test_ext2's corrupt-image
# tests, each made from a good image (mkimages.sh) with debugfs or a few
# bytes patched by python: OUT/NAME.img. test_ext2.c names each one and
# what the kernel must answer.
set -euo pipefail
IMG=$1 OUT=$2
DEBUGFS=$(command -v debugfs || echo /usr/sbin/debugfs)
rm -rf "$OUT" && mkdir -p "$OUT"

# new NAME BASE: start OUT/NAME.img from IMG/BASE.img
new() { cp "$IMG/$2.img" "$OUT/$1.img"; }
dbg() { "$DEBUGFS" -w -R "$2" "$OUT/$1.img" >/dev/null 2>&1; }
# first data block of PATH in image NAME
block_of() { "$DEBUGFS" -R "blocks $2" "$OUT/$1.img" 2>/dev/null | awk '{print $1}'; }
ind_of() { "$DEBUGFS" -R "stat $2" "$OUT/$1.img" 2>/dev/null | grep -o "(IND):[0-9]*" | head -1 | cut -d: -f2; }
# patch NAME OFFSET FORMAT VALUE: struct.pack FORMAT VALUE at byte OFFSET
patch() { python3 -c '
import struct, sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2]))
f.write(struct.pack(sys.argv[3], int(sys.argv[4], 0)))' "$OUT/$1.img" "$2" "$3" "$4"; }
# dirent NAME DIRBLOCK BS ENTRY FIELD VALUE: set inode or rec_len of the entry called ENTRY
dirent() { python3 -c '
import struct, sys
path, blk, bs, name, field, val = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode(), sys.argv[5], int(sys.argv[6], 0)
f = open(path, "r+b"); f.seek(blk * bs); b = bytearray(f.read(bs)); off = 0
while off < bs:
    ino, rec, nl = struct.unpack_from("<IHB", b, off)
    if b[off + 8:off + 8 + nl] == name:
        struct.pack_into("<I" if field == "inode" else "<H", b, off if field == "inode" else off + 4, val)
        f.seek(blk * bs); f.write(b); sys.exit(0)
    off += rec
sys.exit("no entry " + sys.argv[4])' "$OUT/$1.img" "$2" "$3" "$4" "$5" "$6"; }

for bs in 1k 4k; do
	n=$(( ${bs%k} * 1024 ))
	new bad-magic-$bs full-$bs;       patch bad-magic-$bs 1080 "<H" 0x1234
	new truncated-$bs full-$bs;       truncate -s 2M "$OUT/truncated-$bs.img"
	new gd-inode-table-$bs full-$bs;  dbg gd-inode-table-$bs "set_bg 0 inode_table 9999999"
	new gd-block-bitmap-$bs full-$bs; dbg gd-block-bitmap-$bs "set_bg 0 block_bitmap 0"
	new inode-block-$bs full-$bs;     dbg inode-block-$bs "sif /hello.txt block[0] 9999999"
	new indirect-block-$bs full-$bs;  patch indirect-block-$bs $(( $(ind_of indirect-block-$bs /big) * n )) "<I" 0x7ffffff0
	new dir-self-$bs full-$bs;        dbg dir-self-$bs "ln /dir /dir/loop"
	new dir-ancestor-$bs full-$bs;    dbg dir-ancestor-$bs "ln /dir /dir/sub/deep/up"
	new rec-len-zero-$bs full-$bs;    dirent rec-len-zero-$bs $(block_of rec-len-zero-$bs /dir) $n a rec_len 0
	new rec-len-past-$bs full-$bs;    dirent rec-len-past-$bs $(block_of rec-len-past-$bs /dir) $n a rec_len $((2 * n))
	new inode-size-$bs full-$bs;      dbg inode-size-$bs "sif /hello.txt size 0x1000000000000"
	new dir-size-$bs full-$bs;        dbg dir-size-$bs "sif /dir size 1000"
	new i-blocks-zero-$bs full-$bs;   dbg i-blocks-zero-$bs "sif /big blocks 0"
	new i-blocks-odd-$bs full-$bs;    dbg i-blocks-odd-$bs "sif /hello.txt blocks 1"
	new ino-range-$bs full-$bs;       dirent ino-range-$bs $(block_of ino-range-$bs /dir) $n a inode 99999
	new ino-reserved-$bs full-$bs;    dirent ino-reserved-$bs $(block_of ino-reserved-$bs /dir) $n a inode 1
	new ino-free-$bs full-$bs;        dbg ino-free-$bs "sif /hello.txt links_count 0"
	new dir-hole-$bs full-$bs;        dbg dir-hole-$bs "sif /many block[1] 0"
done
