/*
 * tty.c - the console as a terminal: /dev/console, character device (5, 1).
 *
 * Output goes to the same console as printk and under the same lock
 * (console_write), a line at a time, so user output and kernel messages never
 * cut into each other's lines.
 *
 * Input: a kernel thread ("console-rx") polls arch_console_getc() every
 * TTY_POLL_MS and feeds each byte to the line discipline. Polling, because
 * arch.h gives no portable way to take the UART's receive interrupt (its
 * line number and acknowledgement are per board), and 10 ms is far below
 * what a typist notices; the thread sleeps in between, so it costs a wakeup
 * per tick and nothing else. It starts with the first open of /dev/console,
 * so before user space the kernel's monitor has the UART to itself.
 *
 * ^C: there are no process groups yet, so SIGINT goes to every process
 * attached to the console - which is every user process, since all of them
 * descend from init, which holds the console - except init (kill(-1)
 * semantics). A shell that should survive ^C ignores SIGINT while it waits
 * for a command (and restores the default in the child), as shells without
 * job control do.
 */
#include "tty.h"
#include <printk.h>
#include <string.h>

#define TTY_POLL_MS	10
#define TTY_WRITE_CHUNK	512

static struct tty_struct console_tty = {
	.lock = SPINLOCK_INIT("console_tty.lock"),
	.read_mutex = MUTEX_INIT(console_tty.read_mutex),
	.read_wait = WAIT_QUEUE_HEAD_INIT(console_tty.read_wait),
	.echo = true,
	.isig = true,
};

void tty_init(struct tty_struct *tty, bool echo, bool isig)
{
	memset(tty, 0, sizeof(*tty));
	spin_lock_init(&tty->lock, "tty.lock");
	mutex_init(&tty->read_mutex);
	init_waitqueue_head(&tty->read_wait);
	tty->echo = echo;
	tty->isig = isig;
}

static void echo_str(struct tty_echo *e, const char *s)
{
	while (*s && e->len < sizeof(e->buf))
		e->buf[e->len++] = *s++;
}

/* A control character echoes as ^X (two columns), like Linux's ECHOCTL. */
static void echo_char(struct tty_echo *e, char c)
{
	char s[3] = { c, 0, 0 };

	if ((unsigned char)c < ' ' && c != '\t')
		s[0] = '^', s[1] = (char)(c + '@');
	echo_str(e, s);
}

static void erase_one(struct tty_struct *tty, struct tty_echo *e)
{
	char c = tty->line[--tty->line_len];

	echo_str(e, "\b \b");
	if ((unsigned char)c < ' ' && c != '\t')
		echo_str(e, "\b \b");
}

/* Move the edited line (plus mark, if not 0) to read_buf. Locks: lock. */
static void commit_line(struct tty_struct *tty, char mark, struct tty_echo *e)
{
	unsigned int n = tty->line_len + (mark ? 1 : 0);

	assert_spin_locked(&tty->lock);
	if (N_TTY_BUF_SIZE - (tty->read_head - tty->read_tail) < n) {
		tty->dropped++;		/* nobody reads: lose the line, ring the bell */
		echo_str(e, "\a");
	} else {
		for (unsigned int i = 0; i < tty->line_len; i++)
			tty->read_buf[tty->read_head++ % N_TTY_BUF_SIZE] = tty->line[i];
		if (mark)
			tty->read_buf[tty->read_head++ % N_TTY_BUF_SIZE] = mark;
		e->committed = true;
	}
	tty->line_len = 0;
}

void n_tty_receive_char(struct tty_struct *tty, char c, struct tty_echo *e)
{
	e->len = 0;
	e->committed = e->sigint = false;
	spin_lock(&tty->lock);
	if (c == '\r' || c == '\n') {
		tty->line[tty->line_len++] = '\n';	/* there is always room for it */
		echo_str(e, "\n");
		commit_line(tty, 0, e);
	} else if (c == 0x7f || c == '\b') {
		if (tty->line_len)
			erase_one(tty, e);
	} else if (c == 0x15) {				/* ^U: kill the line */
		while (tty->line_len)
			erase_one(tty, e);
	} else if (c == 0x03 && tty->isig) {		/* ^C */
		tty->line_len = 0;
		echo_str(e, "^C\n");
		e->sigint = true;
	} else if (c == TTY_EOF_MARK) {			/* ^D: EOF at line start */
		commit_line(tty, TTY_EOF_MARK, e);
	} else if (tty->line_len < TTY_LINE_MAX - 1) {
		tty->line[tty->line_len++] = c;
		echo_char(e, c);
	}
	spin_unlock(&tty->lock);
}

void tty_receive_char(struct tty_struct *tty, char c)
{
	struct tty_echo e;

	n_tty_receive_char(tty, c, &e);
	if (tty->echo && e.len)
		console_write(e.buf, e.len);
	if (e.committed)
		wake_up(&tty->read_wait);
	if (e.sigint)
		kill_pid(-1, SIGINT);
}

/*
 * Peek at committed input: copy up to max bytes of the next line to buf
 * (stopping after '\n' or at an EOF mark, which is consumed but not copied).
 * *used is what to consume afterwards; *eol tells whether the line ended.
 * Locks: lock.
 */
static size_t peek_line(struct tty_struct *tty, char *buf, size_t max, size_t *used, bool *eol)
{
	size_t n = 0, i;

	assert_spin_locked(&tty->lock);
	*eol = false;
	for (i = 0; tty->read_tail + i != tty->read_head && n < max; i++) {
		char c = tty->read_buf[(tty->read_tail + i) % N_TTY_BUF_SIZE];

		if (c == TTY_EOF_MARK) {
			i++;
			*eol = true;
			break;
		}
		buf[n++] = c;
		if (c == '\n') {
			i++;
			*eol = true;
			break;
		}
	}
	*used = i;
	return n;
}

static bool tty_input_available(struct tty_struct *tty)
{
	return READ_ONCE(tty->read_head) != READ_ONCE(tty->read_tail);
}

/* Sleeps: yes. 0 once input is there, -EINTR on a signal. */
static int tty_wait_input(struct tty_struct *tty)
{
	int ret = 0;
	DEFINE_WAIT(w);

	for (;;) {
		prepare_to_wait(&tty->read_wait, &w, TASK_INTERRUPTIBLE);
		if (tty_input_available(tty))
			break;
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		schedule();
	}
	finish_wait(&tty->read_wait, &w);
	return ret;
}

/* Canonical read: at most one line; 0 for ^D at the start of a line. */
ssize_t n_tty_read(struct file *file, struct iov_iter *to, loff_t *pos)
{
	struct tty_struct *tty = file->private_data;
	char buf[128];
	ssize_t done = 0, ret = 0;
	bool eol = false;

	mutex_lock(&tty->read_mutex);
	while (!eol && to->count) {
		size_t used, n;

		spin_lock(&tty->lock);
		n = peek_line(tty, buf, MIN(sizeof(buf), to->count), &used, &eol);
		spin_unlock(&tty->lock);
		if (!used) {
			ret = tty_wait_input(tty);
			if (ret)
				break;
			continue;
		}
		if (n && !copy_to_iter(buf, n, to)) {
			ret = -EFAULT;		/* nothing consumed: the input stays */
			break;
		}
		spin_lock(&tty->lock);
		tty->read_tail += used;
		spin_unlock(&tty->lock);
		done += (ssize_t)n;
	}
	mutex_unlock(&tty->read_mutex);
	return done ? done : ret;
}

/* Write whole lines per console_write() where the chunk allows. */
static ssize_t tty_write(struct file *file, struct iov_iter *from, loff_t *pos)
{
	char buf[TTY_WRITE_CHUNK];
	size_t have = 0, done = 0;

	while (from->count || have) {
		size_t n = copy_from_iter(buf + have, sizeof(buf) - have, from), emit;

		if (!n && from->count) {
			console_write(buf, have);	/* what was copied before the fault */
			return done + have ? (ssize_t)(done + have) : -EFAULT;
		}
		have += n;
		emit = have;
		if (from->count)		/* more to come: stop after the last '\n' */
			for (size_t i = have; i > 0; i--)
				if (buf[i - 1] == '\n') {
					emit = i;
					break;
				}
		console_write(buf, emit);
		memmove(buf, buf + emit, have - emit);
		have -= emit;
		done += emit;
	}
	return (ssize_t)done;
}

static void console_rx_thread(void *arg)
{
	struct tty_struct *tty = arg;

	for (;;) {
		int c;

		while ((c = arch_console_getc()) >= 0)
			tty_receive_char(tty, (char)c);
		msleep(TTY_POLL_MS);
	}
}

static int tty_open(struct inode *inode, struct file *file)
{
	struct tty_struct *tty = &console_tty;
	struct thread *t;

	file->private_data = tty;
	if (atomic_load_relaxed(&tty->poller_started) ||
	    __atomic_exchange_n(&tty->poller_started, 1, __ATOMIC_RELAXED))
		return 0;
	t = kthread_run(console_rx_thread, tty, "console-rx");
	if (!t) {
		atomic_store_relaxed(&tty->poller_started, 0);
		return -ENOMEM;
	}
	thread_put(t);		/* it never exits */
	return 0;
}

const struct file_operations tty_fops = {
	.open = tty_open,
	.read = n_tty_read,
	.write = tty_write,
};

const struct file_operations *chrdev_fops(dev_t rdev)
{
	if (rdev == MKDEV(TTYAUX_MAJOR, 1))
		return &tty_fops;
	return NULL;
}
