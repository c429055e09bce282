/*
 * uapi/faultline/reboot.h - reboot(2)'s magic numbers and commands (Linux's linux/reboot.h).
 * Only LINUX_REBOOT_CMD_POWER_OFF is implemented. As on Linux, reboot(2) does not sync:
 * what is not on the disk yet (no fsync/sync) is lost, like pulling the plug - user space
 * calls sync() first for a clean shutdown; init's exit is the clean power-off.
 */
#ifndef _UAPI_FAULTLINE_REBOOT_H
#define _UAPI_FAULTLINE_REBOOT_H

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_MAGIC2		672274793
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321FEDC

#endif
