/* uapi/faultline/mman.h - mmap/mprotect flags, Linux's values (x86_64 and generic agree). */
#ifndef _UAPI_FAULTLINE_MMAN_H
#define _UAPI_FAULTLINE_MMAN_H

#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4

#define MAP_SHARED		0x01	/* writes reach the object and other mappers */
#define MAP_PRIVATE		0x02	/* writes are copy-on-write */
#define MAP_TYPE		0x0f	/* mask for the two above */
#define MAP_FIXED		0x10	/* exactly at addr, replacing what is there */
#define MAP_ANONYMOUS		0x20	/* no file; fd is ignored (pass -1) */
#define MAP_GROWSDOWN		0x0100
#define MAP_NORESERVE		0x4000
#define MAP_POPULATE		0x8000
#define MAP_STACK		0x20000
#define MAP_FIXED_NOREPLACE	0x100000 /* like MAP_FIXED, but -EEXIST if occupied */

#define MAP_ANON	MAP_ANONYMOUS

/* msync flags */
#define MS_ASYNC	1	/* schedule the write-back, do not wait */
#define MS_INVALIDATE	2	/* (accepted; the page cache is always coherent) */
#define MS_SYNC		4	/* write back and wait */

#endif
