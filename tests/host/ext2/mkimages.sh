#!/usr/bin/env bash
# mkimages.sh DIR NAME - build DIR/NAME.img with mke2fs -d from a staging
# tree (DIR/NAME.staging), the same way tools/mkdisk builds the root disk:
#   full-1k, full-4k   the unit tests' images: small and empty files, nested
#                      directories, a directory of several blocks, a 300 KiB
#                      file (double indirect with 1 KiB blocks), a sparse file
#                      with data past 64 MiB (triple indirect with 1 KiB blocks)
#   seed-1k, seed-4k   the fuzzer's seeds: the same kinds of things, tiny
# Fixed UUID, hash seed and time, so the same script gives the same bytes.
set -euo pipefail
DIR=$1 NAME=$2
MKE2FS=$(command -v mke2fs || echo /usr/sbin/mke2fs)
ST=$DIR/$NAME.staging
export E2FSPROGS_FAKE_TIME=1700000000
rm -rf "$ST" && mkdir -p "$ST"
pattern() { python3 -c "import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) % 251 for i in range($1)))"; }
case $NAME in
full-*)
	mkdir -p "$ST/dir/sub/deep" "$ST/many" "$ST/emptydir"
	printf 'hello, ext2\n' > "$ST/hello.txt"
	: > "$ST/empty"
	printf 'deep down\n' > "$ST/dir/sub/deep/file.txt"
	printf 'in dir\n' > "$ST/dir/a"
	pattern $((300 * 1024)) > "$ST/big"
	for i in $(seq 1 150); do echo "entry $i" > "$ST/many/entry-$i-with-a-longer-name"; done
	python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"start of a sparse file\n")
    f.seek(70 << 20)
    f.write(b"past 64 MiB\n")' "$ST/sparse"
	SIZE=8192 INODES=256 ;;
seed-*)
	mkdir -p "$ST/d/e"
	printf 'hello\n' > "$ST/f"
	printf 'x\n' > "$ST/d/e/g"
	pattern 20000 > "$ST/d/p"
	: > "$ST/z"
	SIZE=256 INODES=32 ;;
*) echo "mkimages: unknown image $NAME" >&2; exit 1 ;;
esac
find "$ST" -exec touch -h -d @1700000000 {} +
BS=${NAME##*-}; BS=$(( ${BS%k} * 1024 ))
rm -f "$DIR/$NAME.img"
"$MKE2FS" -q -F -E root_owner=0:0,hash_seed=2b6b4d8e-4d5c-4c2f-9a3e-7c1f5e0a9b11 \
	-U 6f0c1e32-8b9a-4d6e-a1c2-3e4f5a6b7c8d -t ext2 -r 1 -b "$BS" \
	-O ^dir_index,^resize_inode,^ext_attr -I 128 -N "$INODES" -d "$ST" "$DIR/$NAME.img" "$((SIZE * 1024 / BS))" \
	>"$DIR/$NAME.log" 2>&1 || { cat "$DIR/$NAME.log" >&2; exit 1; }
