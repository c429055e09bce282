/* tty_test.c - the console's line discipline on a private tty (no UART, no echo, no signals). */
#include "tty.h"
#include <ktest.h>
#include <string.h>

static void feed(struct tty_struct *tty, const char *s, struct tty_echo *e)
{
	for (; *s; s++)
		n_tty_receive_char(tty, *s, e);
}

static ssize_t tread(struct tty_struct *tty, char *buf, size_t n)
{
	struct file f = { .private_data = tty };
	struct iov_iter it;
	loff_t pos = 0;

	iov_iter_init(&it, false, buf, n);
	return n_tty_read(&f, &it, &pos);
}

KTEST(tty_line_editing)
{
	static struct tty_struct tty;
	struct tty_echo e;
	char buf[64];

	tty_init(&tty, false, true);
	feed(&tty, "ab\x7f", &e);
	KT_EXPECT(t, e.len == 3 && !memcmp(e.buf, "\b \b", 3));
	feed(&tty, "c\r", &e);
	KT_EXPECT(t, e.committed);
	feed(&tty, "xyz\x15ok\n", &e);		/* ^U kills "xyz" */
	feed(&tty, "lost\x03", &e);		/* ^C drops the line */
	KT_EXPECT(t, e.sigint && !memcmp(e.buf, "^C\n", 3));
	feed(&tty, "\x04", &e);			/* ^D at line start: EOF */
	feed(&tty, "part\x04", &e);		/* ^D after text: the text, no newline */
	feed(&tty, "long line\n", &e);
	memset(buf, 0, sizeof(buf));
	KT_EXPECT_EQ(t, tread(&tty, buf, sizeof(buf)), 3);
	KT_EXPECT(t, !strcmp(buf, "ac\n"));
	KT_EXPECT_EQ(t, tread(&tty, buf, sizeof(buf)), 3);
	KT_EXPECT(t, !memcmp(buf, "ok\n", 3));
	KT_EXPECT_EQ(t, tread(&tty, buf, sizeof(buf)), 0);
	KT_EXPECT_EQ(t, tread(&tty, buf, sizeof(buf)), 4);
	KT_EXPECT(t, !memcmp(buf, "part", 4));
	KT_EXPECT_EQ(t, tread(&tty, buf, 4), 4);	/* a short read takes part of a line */
	KT_EXPECT_EQ(t, tread(&tty, buf + 4, sizeof(buf)), 6);
	KT_EXPECT(t, !memcmp(buf, "long line\n", 10));
	KT_EXPECT(t, tty.read_head == tty.read_tail && tty.line_len == 0);
}

KTEST(tty_long_line_and_full_buffer)
{
	static struct tty_struct tty;
	static char buf[TTY_LINE_MAX + 8];
	struct tty_echo e;

	tty_init(&tty, false, false);
	for (int i = 0; i < TTY_LINE_MAX + 50; i++)
		n_tty_receive_char(&tty, 'x', &e);	/* beyond the line's room: ignored */
	n_tty_receive_char(&tty, '\x03', &e);		/* no ISIG: an ordinary (ignored) byte */
	KT_EXPECT(t, !e.sigint);
	n_tty_receive_char(&tty, '\n', &e);
	KT_EXPECT_EQ(t, tread(&tty, buf, sizeof(buf)), TTY_LINE_MAX);
	KT_EXPECT(t, buf[TTY_LINE_MAX - 1] == '\n' && buf[TTY_LINE_MAX - 2] == 'x');
	for (int i = 0; i < N_TTY_BUF_SIZE; i++)	/* fill read_buf: lines get dropped */
		n_tty_receive_char(&tty, i % 8 == 7 ? '\n' : 'y', &e);
	KT_EXPECT(t, tty.dropped == 0);
	n_tty_receive_char(&tty, 'z', &e);
	n_tty_receive_char(&tty, '\n', &e);
	KT_EXPECT(t, tty.dropped == 1 && !e.committed);
}

struct reader_arg {
	struct tty_struct *tty;
	char buf[16];
	ssize_t ret;
};

static void tty_reader(void *arg)
{
	struct reader_arg *ra = arg;

	ra->ret = tread(ra->tty, ra->buf, sizeof(ra->buf));
	thread_exit(0);
}

/* A reader sleeps until a whole line is there. */
KTEST(tty_blocking_read)
{
	static struct tty_struct tty;
	static struct reader_arg ra;
	struct thread *th;

	tty_init(&tty, false, true);
	ra.tty = &tty;
	ra.ret = -1;
	th = kthread_run(tty_reader, &ra, "kt-tty-read");
	KT_ASSERT(t, th);
	tty_receive_char(&tty, 'h');
	tty_receive_char(&tty, 'i');
	msleep(30);
	KT_EXPECT_EQ(t, READ_ONCE(ra.ret), -1);		/* no line yet */
	tty_receive_char(&tty, '\r');
	thread_join(th);
	KT_EXPECT_EQ(t, ra.ret, 3);
	KT_EXPECT(t, !memcmp(ra.buf, "hi\n", 3));
}
