/*
 * tty.h - the console terminal (kernel/fs/tty.c), shared with its tests.
 *
 * Input is cooked like Linux's n_tty in canonical mode with ECHO, ICRNL and
 * ISIG: a line is edited in line[] (backspace, ^U) and becomes readable in
 * read_buf only when Enter (or ^D) ends it.
 */
#ifndef FAULTLINE_FS_TTY_H
#define FAULTLINE_FS_TTY_H

#include "internal.h"
#include <wait.h>

#define N_TTY_BUF_SIZE	4096	/* committed input not yet read */
#define TTY_LINE_MAX	256	/* a line being edited, its '\n' included */
#define TTY_EOF_MARK	0x04	/* ^D in read_buf: ends a read, is not returned */

/*
 * Locking legend: [L] lock  [R] read_mutex  [I] set at init  [a] atomic
 * read_tail is advanced by readers under both [R] and [L].
 */
struct tty_struct {
	spinlock_t lock;
	char read_buf[N_TTY_BUF_SIZE];	/* [L] ring of committed input */
	unsigned long read_head;	/* [L] bytes ever committed */
	unsigned long read_tail;	/* [L] bytes ever consumed */
	char line[TTY_LINE_MAX];	/* [L] the line being edited */
	unsigned int line_len;		/* [L] */
	unsigned long dropped;		/* [L] lines lost because read_buf was full */
	struct mutex read_mutex;	/* one reader at a time: peek, copy out, consume */
	struct wait_queue_head read_wait; /* readers waiting for a line */
	bool echo;			/* [I] echo input to the console (ECHO) */
	bool isig;			/* [I] ^C sends SIGINT (ISIG) */
	int poller_started;		/* [a] the console-rx thread exists */
};

/* What one input byte did, for the caller to act on without the lock. */
struct tty_echo {
	char buf[3 * TTY_LINE_MAX + 8];	/* text to echo */
	size_t len;
	bool committed;			/* a line (or EOF) became readable */
	bool sigint;			/* ^C was typed */
};

void tty_init(struct tty_struct *tty, bool echo, bool isig);
/* Process one received byte (the line discipline). Sleeps: no. */
void n_tty_receive_char(struct tty_struct *tty, char c, struct tty_echo *e);
/* Feed a byte as the UART did: echo, wake readers, send SIGINT. Sleeps: no. */
void tty_receive_char(struct tty_struct *tty, char c);
/* ->read and ->write of the console (file->private_data is the tty). */
ssize_t n_tty_read(struct file *file, struct iov_iter *to, loff_t *pos);

#endif
