/*
 * printk.c - console output shared by every CPU.
 *
 * Each call formats into a local buffer, then takes the console lock
 * with interrupts off and writes it out, putting "[cpuN] " in front of
 * every line so interleaved output from several CPUs stays readable.
 * Everything printed is also kept in log_buf (a ring) for gdb.
 *
 * The console lock is a bare test-and-set flag, not a spinlock_t: the
 * lock checker and panic() print through here, so printk must not
 * depend on them. A CPU that re-enters printk (a fault inside printk)
 * or a panicking CPU that waited long enough goes ahead without it.
 */
#include <printk.h>
#include <cpu.h>
#include <string.h>

#define LOG_BUF_SIZE	(16 * 1024)

char log_buf[LOG_BUF_SIZE];		/* [console] ring of everything printed */
unsigned long log_head;			/* [console] total bytes ever written */
static uint32_t console_locked;		/* [a] */
static int console_owner = -1;		/* [a] CPU inside the console, -1 none */
static bool at_line_start = true;	/* [console] */

static bool console_acquire(void)
{
	int me = (int)smp_processor_id();
	unsigned long spins = 0;

	if (__atomic_load_n(&console_owner, __ATOMIC_RELAXED) == me)
		return false;		/* recursion: write without the lock */
	while (__atomic_exchange_n(&console_locked, 1, __ATOMIC_ACQUIRE)) {
		if (panic_in_progress && ++spins > 100000000UL)
			return false;	/* the holder was stopped by panic */
		arch_cpu_relax();
	}
	__atomic_store_n(&console_owner, me, __ATOMIC_RELAXED);
	return true;
}

static void console_release(void)
{
	__atomic_store_n(&console_owner, -1, __ATOMIC_RELAXED);
	__atomic_store_n(&console_locked, 0, __ATOMIC_RELEASE);
}

static void emit_char(char c)
{
	if (c == '\n')
		arch_console_putc('\r');
	arch_console_putc(c);
	log_buf[log_head++ % LOG_BUF_SIZE] = c;
}

static void emit(const char *s)
{
	char prefix[16];

	if (*s == PRINTK_RAW[0]) {
		s++;
		at_line_start = false;
	}
	for (; *s; s++) {
		if (at_line_start) {
			snprintf(prefix, sizeof(prefix), "[cpu%u] ", smp_processor_id());
			for (char *p = prefix; *p; p++)
				emit_char(*p);
		}
		emit_char(*s);
		at_line_start = (*s == '\n');
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[512];
	unsigned long flags;
	bool locked;
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	flags = arch_irq_save();
	locked = console_acquire();
	emit(buf);
	if (n >= (int)sizeof(buf))
		emit("[...line truncated]\n");
	if (locked)
		console_release();
	arch_irq_restore(flags);
	return n;
}

void console_write(const char *s, size_t n)
{
	unsigned long flags = arch_irq_save();
	bool locked = console_acquire();

	for (size_t i = 0; i < n; i++) {
		emit_char(s[i]);
		at_line_start = (s[i] == '\n');
	}
	if (locked)
		console_release();
	arch_irq_restore(flags);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
