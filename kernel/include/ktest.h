/*
 * ktest.h - in-kernel tests declared beside the code they test.
 *
 *   KTEST(buddy_exhaustion) {
 *           void *p = ...;
 *           KT_ASSERT(t, p != NULL);
 *           KT_EXPECT_EQ(t, count, 42);
 *   }
 *
 * Tests run in a kernel thread (they may sleep) when the command line has
 * "ktest" (all) or "ktest=PATTERN" (names containing PATTERN). The runner
 * prints one line per test and closes with "ktest: N passed, N failed".
 * KT_ASSERT ends the test at the first failure; KT_EXPECT_* go on.
 */
#ifndef FAULTLINE_KTEST_H
#define FAULTLINE_KTEST_H

#include <types.h>
#include <printk.h>

struct ktest_ctx {
	const char *name;
	int failures;
};

struct ktest {
	const char *name;
	const char *file;
	void (*fn)(struct ktest_ctx *t);
};

/* Placed in section "ktests"; the linker script keeps it between __start_ktests/__stop_ktests. */
#define KTEST(tname)							\
	static void ktest_fn_##tname(struct ktest_ctx *t);		\
	static const struct ktest ktest_desc_##tname			\
		__section("ktests") __used __aligned(8) =		\
		{ #tname, __FILE__, ktest_fn_##tname };			\
	static void ktest_fn_##tname(struct ktest_ctx *t)

void ktest_fail(struct ktest_ctx *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);

#define KT_EXPECT(t, cond) do {						\
	if (!(cond))							\
		ktest_fail(t, __FILE__, __LINE__, "expected %s", #cond); \
} while (0)
#define KT_ASSERT(t, cond) do {						\
	if (!(cond)) {							\
		ktest_fail(t, __FILE__, __LINE__, "assertion %s", #cond); \
		return;							\
	}								\
} while (0)
#define KT_EXPECT_EQ(t, a, b) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b)							\
		ktest_fail(t, __FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
			   #a, __a, #b, __b);				\
} while (0)
#define KT_ASSERT_EQ(t, a, b) do {					\
	long long __a = (long long)(a), __b = (long long)(b);		\
	if (__a != __b) {						\
		ktest_fail(t, __FILE__, __LINE__, "%s == %lld, expected %s == %lld", \
			   #a, __a, #b, __b);				\
		return;							\
	}								\
} while (0)

/* Run the selected tests; returns the number of failed tests. */
int ktest_run_all(const char *pattern);

#endif
