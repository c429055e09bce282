/*
 * uapi/faultline/sched.h - clone flags, Linux's values.
 *
 * clone(flags, newsp, parent_tid, child_tid, tls) takes x86_64 Linux's argument order on
 * every architecture. The child resumes after the system call with result 0 and, when newsp
 * is not 0, that stack pointer; every other register equals the parent's. fork() is
 * clone(SIGCHLD, 0, 0, 0, 0). Threads (user/lib/pthread.c) use
 *   CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
 *   CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID
 * and rely on CLONE_CHILD_CLEARTID: when the thread exits the kernel writes 0 to *child_tid
 * and does FUTEX_WAKE on it (that is how pthread_join waits and knows the stack is free).
 */
#ifndef _UAPI_FAULTLINE_SCHED_H
#define _UAPI_FAULTLINE_SCHED_H

#define CSIGNAL			0x000000ff	/* signal sent to the parent on exit */
#define CLONE_VM		0x00000100	/* share the address space */
#define CLONE_FS		0x00000200	/* share cwd */
#define CLONE_FILES		0x00000400	/* share the file table */
#define CLONE_SIGHAND		0x00000800	/* share signal handlers */
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000	/* same thread group (same pid) */
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000	/* child's thread pointer = tls */
#define CLONE_PARENT_SETTID	0x00100000	/* store the child's tid at *parent_tid */
#define CLONE_CHILD_CLEARTID	0x00200000	/* at exit: *child_tid = 0, futex wake */
#define CLONE_CHILD_SETTID	0x01000000	/* store the child's tid at *child_tid */

#endif
