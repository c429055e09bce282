/*
 * tls.c - the thread pointer: every thread's points at its struct fl_thread (TCB), which
 * holds newlib's per-thread state. newlib is built with __DYNAMIC_REENT__ and asks
 * __getreent() for it on every errno access.
 */
#include <reent.h>
#include <string.h>
#include <unistd.h>
#include "fl_internal.h"

int fl_tls_ready;
static struct fl_thread main_thread;

/* Before the TCB is installed (or if the kernel refused it) there is one thread only. */
struct _reent *__getreent(void)
{
	if (!fl_tls_ready)
		return _impure_ptr;
	return ((struct fl_thread *)__fl_get_tp())->reent;
}

struct fl_thread *fl_self(void)
{
	return fl_tls_ready ? __fl_get_tp() : &main_thread;
}

void fl_tls_init_main(void)
{
	main_thread.self = &main_thread;
	main_thread.reent = _impure_ptr;
	main_thread.tid = SYS0(__NR_gettid);
	main_thread.ctid = main_thread.tid;
	main_thread.slot = 0;
	if (SYS1(__NR_set_tls, &main_thread) == 0)
		fl_tls_ready = 1;
}
