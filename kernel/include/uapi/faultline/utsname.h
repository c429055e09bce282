/* uapi/faultline/utsname.h - what uname fills, Linux's struct new_utsname (6 x 65 bytes). */
#ifndef _UAPI_FAULTLINE_UTSNAME_H
#define _UAPI_FAULTLINE_UTSNAME_H

#define __NEW_UTS_LEN 64

struct new_utsname {
	char sysname[__NEW_UTS_LEN + 1];	/* "Faultline" */
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];	/* "x86_64", "aarch64", "riscv64" */
	char domainname[__NEW_UTS_LEN + 1];
};

#endif
