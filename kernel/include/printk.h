/* printk.h - kernel console output, panic and assertions. */
#ifndef FAULTLINE_PRINTK_H
#define FAULTLINE_PRINTK_H

#include <types.h>

struct pt_regs;

/* A format starting with PRINTK_RAW prints its first line without the "[cpuN] " prefix
 * (for lines tools match exactly, such as "smp: 4 CPUs online"). */
#define PRINTK_RAW	"\001"

/* Print to the console with a "[cpuN] " prefix per line; safe from any context. */
int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
/* Raw bytes (a tty's output) under the console lock: no "[cpuN] " prefix, and
 * never mixed into the bytes of one printk call. Safe from any context. */
void console_write(const char *s, size_t n);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Stop every CPU after printing the message, registers (if any) and a backtrace. */
void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void panic_regs(const struct pt_regs *regs, const char *fmt, ...) __printf(2, 3) __noreturn;
void dump_stack(void);
extern volatile int panic_in_progress;	/* [a] set once by the first panicking CPU */

#define BUG_ON(cond) do {						\
	if (unlikely(cond))						\
		panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, __LINE__); \
} while (0)
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define WARN_ON(cond) ({						\
	bool __w = !!(cond);						\
	if (unlikely(__w))						\
		printk("WARNING: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
	__w;								\
})

#endif
