/*
 * monitor.c - a console command line for the kernel before user space
 * exists: "help", "cpus", "mem", "uptime", "ktest [pattern]", "poweroff".
 * It polls the console every 10 ms from the init thread, so it costs the
 * other CPUs nothing and shows the scheduler and timers at work.
 */
#include <arch.h>
#include <cpu.h>
#include <ktest.h>
#include <monitor.h>
#include <page_alloc.h>
#include <printk.h>
#include <sched.h>
#include <string.h>

#define LINE_MAX	80

/* Echoing line editor: backspace erases, Enter ends the line. */
static void read_line(char *buf, size_t size)
{
	size_t n = 0;

	for (;;) {
		int c = arch_console_getc();

		if (c < 0) {
			msleep(10);
			continue;
		}
		if (c == '\r' || c == '\n') {
			printk(PRINTK_RAW "\n");	/* ends the echoed line for printk too */
			buf[n] = '\0';
			return;
		}
		if ((c == 0x7f || c == '\b') && n > 0) {
			n--;
			arch_console_putc('\b'), arch_console_putc(' '), arch_console_putc('\b');
		} else if (c >= ' ' && c < 0x7f && n + 1 < size) {
			buf[n++] = (char)c;
			arch_console_putc((char)c);
		}
	}
}

static void cmd_cpus(void)
{
	for (unsigned int i = 0; i < nr_cpus_possible; i++)
		printk("cpu%u: hwid 0x%llx %s\n", i, (unsigned long long)cpus[i].hwid,
		       READ_ONCE(cpus[i].online) ? "online" : "offline");
}

static void cmd_mem(void)
{
	unsigned long free = nr_free_pages();

	printk("free: %lu pages (%lu KiB)\n", free, free * (PAGE_SIZE / 1024));
}

static void cmd_uptime(void)
{
	uint64_t ms = arch_time_ns() / 1000000;

	printk("up %llu.%03llu s\n", (unsigned long long)ms / 1000, (unsigned long long)ms % 1000);
}

static bool run_command(const char *line)
{
	if (!strcmp(line, "cpus"))
		cmd_cpus();
	else if (!strcmp(line, "mem"))
		cmd_mem();
	else if (!strcmp(line, "uptime"))
		cmd_uptime();
	else if (!strncmp(line, "ktest", 5) && (line[5] == ' ' || !line[5]))
		ktest_run_all(line[5] ? line + 6 : "");
	else if (!strcmp(line, "poweroff"))
		return false;
	else if (line[0])
		printk("commands: help cpus mem uptime ktest [pattern] poweroff\n");
	return true;
}

void monitor_run(void)
{
	char line[LINE_MAX];

	printk("monitor: type 'help' for commands\n");
	do {
		printk(PRINTK_RAW "faultline> ");
		read_line(line, sizeof(line));
	} while (run_command(line));
}
