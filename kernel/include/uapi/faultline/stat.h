/*
 * uapi/faultline/stat.h - struct stat for stat/fstat and the mode bits.
 * The layout is Linux's generic one (arm64, riscv64: 128 bytes) on every architecture,
 * including x86_64 (whose Linux layout differs).
 */
#ifndef _UAPI_FAULTLINE_STAT_H
#define _UAPI_FAULTLINE_STAT_H

#include "types.h"

#define S_IFMT		0170000
#define S_IFSOCK	0140000
#define S_IFLNK		0120000
#define S_IFREG		0100000
#define S_IFBLK		0060000
#define S_IFDIR		0040000
#define S_IFCHR		0020000
#define S_IFIFO		0010000
#define S_ISUID		0004000
#define S_ISGID		0002000
#define S_ISVTX		0001000

#define S_ISLNK(m)	(((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m)	(((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m)	(((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m)	(((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m)	(((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m)	(((m) & S_IFMT) == S_IFIFO)

struct stat {
	__u64	st_dev;
	__u64	st_ino;
	__u32	st_mode;	/* S_IF* type | permission bits */
	__u32	st_nlink;
	__u32	st_uid;
	__u32	st_gid;
	__u64	st_rdev;	/* device number for S_IFCHR/S_IFBLK */
	__u64	__pad1;
	__s64	st_size;	/* bytes */
	__s32	st_blksize;
	__s32	__pad2;
	__s64	st_blocks;	/* 512-byte units */
	__s64	st_atime;
	__u64	st_atime_nsec;
	__s64	st_mtime;
	__u64	st_mtime_nsec;
	__s64	st_ctime;
	__u64	st_ctime_nsec;
	__u32	__unused4;
	__u32	__unused5;
};

_Static_assert(sizeof(struct stat) == 128, "struct stat must be 128 bytes (Linux generic)");

#endif
