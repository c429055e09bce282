/* sys/reboot.h - reboot(2) as the C library wraps it (glibc's interface). RB_POWER_OFF turns
 * the machine off at once WITHOUT syncing: call sync() first unless losing data is the point. */
#ifndef FL_SYS_REBOOT_H
#define FL_SYS_REBOOT_H

#include <faultline/reboot.h>

#define RB_POWER_OFF	LINUX_REBOOT_CMD_POWER_OFF

int reboot(int cmd);

#endif
