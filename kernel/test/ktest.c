/*
 * ktest.c - runs the in-kernel tests declared with KTEST() anywhere in
 * the kernel. The linker collects the descriptors into the "ktests"
 * section; this file walks it, runs the tests whose names match the
 * pattern, and prints one line per test and the closing summary.
 */
#include <ktest.h>
#include <string.h>
#include <arch.h>

extern const struct ktest __start_ktests[], __stop_ktests[];

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("ktest: %s: FAIL at %s:%d: %s\n", t->name, file, line, msg);
	t->failures++;
}

static bool selected(const struct ktest *k, const char *pattern)
{
	size_t plen = strlen(pattern);

	if (!plen)
		return true;
	for (const char *n = k->name; *n; n++)
		if (!strncmp(n, pattern, plen))
			return true;
	return false;
}

static bool run_one(const struct ktest *k)
{
	struct ktest_ctx t = { .name = k->name };
	uint64_t start = arch_time_ns();

	printk("ktest: %s ...\n", k->name);
	k->fn(&t);
	printk("ktest: %s %s (%llu ms)\n", k->name, t.failures ? "FAILED" : "ok",
	       (unsigned long long)(arch_time_ns() - start) / 1000000);
	return t.failures == 0;
}

int ktest_run_all(const char *pattern)
{
	int passed = 0, failed = 0;

	for (const struct ktest *k = __start_ktests; k < __stop_ktests; k++) {
		if (!selected(k, pattern))
			continue;
		if (run_one(k))
			passed++;
		else
			failed++;
	}
	if (passed + failed == 0)
		printk("ktest: no test name contains '%s'\n", pattern);
	printk(PRINTK_RAW "ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
