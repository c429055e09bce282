/*
 * uapi/faultline/statfs.h - struct statfs for statfs(2): Linux's generic 64-bit layout
 * (asm-generic/statfs.h, 120 bytes) on every architecture. Counts are in f_bsize blocks.
 */
#ifndef _UAPI_FAULTLINE_STATFS_H
#define _UAPI_FAULTLINE_STATFS_H

#include "types.h"

#define EXT2_SUPER_MAGIC	0xEF53
#define RAMFS_MAGIC		0x858458f6
#define PROC_SUPER_MAGIC	0x9fa0

struct statfs {
	__s64 f_type;		/* *_MAGIC of the file system */
	__s64 f_bsize;		/* block size */
	__u64 f_blocks;		/* blocks in the file system */
	__u64 f_bfree;		/* free blocks */
	__u64 f_bavail;		/* free blocks an ordinary user may take */
	__u64 f_files;		/* inodes */
	__u64 f_ffree;		/* free inodes */
	__s32 f_fsid[2];
	__s64 f_namelen;	/* longest name */
	__s64 f_frsize;
	__s64 f_flags;		/* ST_RDONLY */
	__s64 f_spare[4];
};

#define ST_RDONLY	1

#endif
