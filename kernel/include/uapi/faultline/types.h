/*
 * uapi/faultline/types.h - fixed-width types for the user/kernel ABI.
 *
 * Every uapi header is freestanding (no libc, no kernel header) so that both the kernel
 * (#include <uapi/faultline/x.h>) and user programs (#include <faultline/x.h>, built with
 * -Ikernel/include/uapi) can use it. Names follow Linux's <linux/types.h>.
 */
#ifndef _UAPI_FAULTLINE_TYPES_H
#define _UAPI_FAULTLINE_TYPES_H

typedef __UINT8_TYPE__  __u8;
typedef __UINT16_TYPE__ __u16;
typedef __UINT32_TYPE__ __u32;
typedef __UINT64_TYPE__ __u64;
typedef __INT8_TYPE__   __s8;
typedef __INT16_TYPE__  __s16;
typedef __INT32_TYPE__  __s32;
typedef __INT64_TYPE__  __s64;

/* The ABI is LP64 on every architecture: long and pointers are 64 bits. */
_Static_assert(sizeof(long) == 8 && sizeof(void *) == 8, "Faultline's ABI is LP64 only");

#endif
