/*
 * common.h - what the user-space test programs (usertests, mmaptests, ...) share:
 * failing a test with a message, waiting for a child, the test table and
 * picking tests by name from the command line.
 */
#ifndef FL_TESTS_COMMON_H
#define FL_TESTS_COMMON_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#ifndef PAGE			/* a program may define its own type of it first */
#define PAGE	4096UL
#endif

/* Print why the test failed and fail it; usage: return fail("...", ...). */
static inline int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int fail(const char *fmt, ...)
{
	va_list ap;

	printf("    ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return 1;
}

#define EXPECT(cond, ...) do { if (!(cond)) return fail(__VA_ARGS__); } while (0)

/* Wait for pid; returns its exit code, 128 + signal if killed, -1 on error. */
static inline int wait_code(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* One entry of a program's test table. */
struct test {
	const char *name;
	int (*fn)(void);
};

/* Run the test called name? All of them without arguments, else those named. */
static inline int test_selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int a = 1; a < argc; a++)
		if (strcmp(argv[a], name) == 0)
			return 1;
	return 0;
}

#endif
