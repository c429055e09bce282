/*
 * uapi/faultline/futex.h - futex operations, Linux's values.
 * futex(uaddr, FUTEX_WAIT, val, timeout): sleep if *uaddr == val (else -EAGAIN) until woken,
 *   the relative timeout passes (-ETIMEDOUT) or a signal arrives (-EINTR).
 * futex(uaddr, FUTEX_WAKE, n, NULL): wake up to n waiters, return how many were woken.
 * uaddr must be 4-byte aligned (else -EINVAL); the _PRIVATE forms may skip the shared lookup.
 */
#ifndef _UAPI_FAULTLINE_FUTEX_H
#define _UAPI_FAULTLINE_FUTEX_H

#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CMD_MASK		(~FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_PRIVATE	(FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE	(FUTEX_WAKE | FUTEX_PRIVATE_FLAG)

#endif
