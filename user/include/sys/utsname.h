/* sys/utsname.h - uname(); the layout is the kernel's struct new_utsname. */
#ifndef FL_SYS_UTSNAME_H
#define FL_SYS_UTSNAME_H

#include <faultline/utsname.h>

struct utsname {
	char sysname[__NEW_UTS_LEN + 1];
	char nodename[__NEW_UTS_LEN + 1];
	char release[__NEW_UTS_LEN + 1];
	char version[__NEW_UTS_LEN + 1];
	char machine[__NEW_UTS_LEN + 1];
	char domainname[__NEW_UTS_LEN + 1];
};

int uname(struct utsname *buf);

#endif
