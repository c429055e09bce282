/*
 * uapi/faultline/dirent.h - records getdents64 fills, Linux's struct linux_dirent64.
 * Each record is d_reclen bytes (a multiple of 8); d_name is NUL-terminated inside it.
 */
#ifndef _UAPI_FAULTLINE_DIRENT_H
#define _UAPI_FAULTLINE_DIRENT_H

#include "types.h"

#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_CHR		2
#define DT_DIR		4
#define DT_BLK		6
#define DT_REG		8
#define DT_LNK		10
#define DT_SOCK		12

struct linux_dirent64 {
	__u64	d_ino;
	__s64	d_off;		/* opaque cookie for the next record */
	__u16	d_reclen;	/* size of this record */
	__u8	d_type;		/* DT_* */
	char	d_name[];	/* NUL-terminated */
};

#endif
