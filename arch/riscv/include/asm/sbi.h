/*
 * sbi.h - calls into the Supervisor Binary Interface (OpenSBI, M-mode).
 * Only what the kernel uses: base probing, TIME, IPI, HSM, SRST and the
 * legacy console (the one console every OpenSBI in the field has).
 */
#ifndef ASM_SBI_H
#define ASM_SBI_H

#include <types.h>

#define SBI_EXT_LEGACY_SET_TIMER	0x00
#define SBI_EXT_LEGACY_PUTCHAR		0x01
#define SBI_EXT_LEGACY_GETCHAR		0x02
#define SBI_EXT_LEGACY_SEND_IPI		0x04
#define SBI_EXT_LEGACY_SHUTDOWN		0x08
#define SBI_EXT_BASE			0x10
#define SBI_EXT_TIME			0x54494d45	/* "TIME" */
#define SBI_EXT_IPI			0x00735049	/* "sPI" */
#define SBI_EXT_HSM			0x0048534d	/* "HSM" */
#define SBI_EXT_SRST			0x53525354	/* "SRST" */

#define SBI_SUCCESS			0
#define SBI_ERR_FAILED			-1
#define SBI_ERR_NOT_SUPPORTED		-2
#define SBI_ERR_INVALID_PARAM		-3
#define SBI_ERR_DENIED			-4
#define SBI_ERR_INVALID_ADDRESS		-5
#define SBI_ERR_ALREADY_AVAILABLE	-6

#define SBI_SRST_SHUTDOWN		0
#define SBI_SRST_REASON_NONE		0
#define SBI_SRST_REASON_SYSFAIL		1

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2);
void sbi_init(void);			/* probe the extensions once, on the boot hart */
bool sbi_has_legacy_console(void);
void sbi_console_putchar(int c);
int sbi_console_getchar(void);		/* -1 if nothing is waiting */
void sbi_set_timer(uint64_t stime);
int sbi_send_ipi(unsigned long hartid);
int sbi_hart_start(unsigned long hartid, phys_addr_t start, unsigned long opaque);
void sbi_system_off(bool failure);	/* returns only if the firmware cannot */
int sbi_err_to_errno(long err);

#endif
