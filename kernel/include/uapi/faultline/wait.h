/*
 * uapi/faultline/wait.h - wait4 options and the status word, Linux's encoding:
 *   exited:   (code & 0xff) << 8          killed: signal number (| 0x80 if core dumped)
 */
#ifndef _UAPI_FAULTLINE_WAIT_H
#define _UAPI_FAULTLINE_WAIT_H

#define WNOHANG		0x00000001	/* return 0 at once if no child has exited */
#define WUNTRACED	0x00000002
#define WCONTINUED	0x00000008
#define __WALL		0x40000000	/* wait for threads' exits too */
#define __WCLONE	0x80000000

/* Builds the status word (Linux's kernel-internal helpers have these shapes). */
#define W_EXITCODE(code, sig)	(((code) & 0xff) << 8 | (sig))

#endif
