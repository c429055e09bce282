/*
 * sbi.c - SBI calls (ecall into M-mode firmware).
 *
 * Calling convention: a7 = extension id, a6 = function id, a0..a5 arguments;
 * the firmware returns an error code in a0 and a value in a1. Legacy (v0.1)
 * calls return their result in a0 only.
 */
#include <asm/sbi.h>
#include <types.h>

/* Written once by sbi_init() on the boot hart before any secondary starts. */
static struct {
	bool v02;		/* [I] the base extension answers (SBI >= 0.2) */
	bool time, ipi, hsm, srst, legacy_console; /* [I] extensions present */
} sbi;

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall"
			     : "+r"(r0), "+r"(r1)
			     : "r"(r2), "r"(r6), "r"(r7)
			     : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

static long sbi_legacy(unsigned long ext, unsigned long a0)
{
	return sbi_ecall(ext, 0, a0, 0, 0).error;
}

static bool sbi_probe(unsigned long ext)
{
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 3, ext, 0, 0);

	return r.error == SBI_SUCCESS && r.value != 0;
}

void sbi_init(void)
{
	/* get_spec_version: a v0.1 firmware fails the unknown extension. */
	struct sbiret r = sbi_ecall(SBI_EXT_BASE, 0, 0, 0, 0);

	sbi.v02 = r.error == SBI_SUCCESS;
	if (!sbi.v02) {
		sbi.legacy_console = true;
		return;
	}
	sbi.time = sbi_probe(SBI_EXT_TIME);
	sbi.ipi = sbi_probe(SBI_EXT_IPI);
	sbi.hsm = sbi_probe(SBI_EXT_HSM);
	sbi.srst = sbi_probe(SBI_EXT_SRST);
	sbi.legacy_console = sbi_probe(SBI_EXT_LEGACY_PUTCHAR);
}

bool sbi_has_legacy_console(void)
{
	return sbi.legacy_console;
}

void sbi_console_putchar(int c)
{
	sbi_legacy(SBI_EXT_LEGACY_PUTCHAR, (unsigned char)c);
}

int sbi_console_getchar(void)
{
	long c = sbi_legacy(SBI_EXT_LEGACY_GETCHAR, 0);

	return c < 0 ? -1 : (int)c;
}

/* Program the next timer interrupt; also clears a pending one. */
void sbi_set_timer(uint64_t stime)
{
	if (sbi.time)
		sbi_ecall(SBI_EXT_TIME, 0, stime, 0, 0);
	else
		sbi_legacy(SBI_EXT_LEGACY_SET_TIMER, stime);
}

int sbi_send_ipi(unsigned long hartid)
{
	unsigned long mask = 1;

	if (sbi.ipi)
		return sbi_err_to_errno(sbi_ecall(SBI_EXT_IPI, 0, 1, hartid, 0).error);
	if (hartid >= 64)
		return -EINVAL;
	/* Legacy: a0 is the (virtual) address of a hart mask, base 0. */
	mask <<= hartid;
	return sbi_err_to_errno(sbi_legacy(SBI_EXT_LEGACY_SEND_IPI, (unsigned long)&mask));
}

int sbi_hart_start(unsigned long hartid, phys_addr_t start, unsigned long opaque)
{
	if (!sbi.hsm)
		return -ENOSYS;
	return sbi_err_to_errno(sbi_ecall(SBI_EXT_HSM, 0, hartid, start, opaque).error);
}

void sbi_system_off(bool failure)
{
	if (sbi.srst)
		sbi_ecall(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN,
			  failure ? SBI_SRST_REASON_SYSFAIL : SBI_SRST_REASON_NONE, 0);
	/* The legacy shutdown cannot carry a status; try it as a last resort. */
	sbi_legacy(SBI_EXT_LEGACY_SHUTDOWN, 0);
}

int sbi_err_to_errno(long err)
{
	switch (err) {
	case SBI_SUCCESS:		return 0;
	case SBI_ERR_NOT_SUPPORTED:	return -ENOSYS;
	case SBI_ERR_INVALID_PARAM:	return -EINVAL;
	case SBI_ERR_DENIED:		return -EPERM;
	case SBI_ERR_INVALID_ADDRESS:	return -EFAULT;
	case SBI_ERR_ALREADY_AVAILABLE:	return -EBUSY;
	default:			return -EIO;
	}
}
