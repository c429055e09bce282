/*
 * start.c - what runs between _start (arch/<arch>/crt0.S) and main: read argc, argv, envp
 * and the auxiliary vector from the initial stack (layout in <faultline/auxvec.h>), install
 * the main thread's TCB, run constructors, call main, exit with its result.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <faultline/auxvec.h>
#include "fl_internal.h"

extern char **environ;
unsigned long *fl_auxv;
unsigned long getauxval(unsigned long type);
int main(int argc, char **argv, char **envp);

typedef void (*fl_ctor_t)(void);
extern fl_ctor_t __preinit_array_start[], __preinit_array_end[];
extern fl_ctor_t __init_array_start[], __init_array_end[];
extern fl_ctor_t __fini_array_start[], __fini_array_end[];

unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = fl_auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

/* libgcc's arm64 atomics ask for AT_HWCAP (LSE) through glibc's name for this. */
__typeof__(getauxval) __getauxval __attribute__((alias("getauxval")));

static void die(const char *msg)
{
	write(2, msg, strlen(msg));
	_exit(127);
}

/* No TLS image support: refuse programs that use _Thread_local instead of corrupting memory. */
static void check_no_tls_segment(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	unsigned long n = getauxval(AT_PHNUM);

	for (unsigned long i = 0; ph && i < n; i++)
		if (ph[i].p_type == PT_TLS && ph[i].p_memsz)
			die("crt0: this program uses _Thread_local/__thread variables, which "
			    "Faultline's user library does not support yet; use pthread data or "
			    "plain globals\n");
}

static void run_fini(void)
{
	for (fl_ctor_t *f = __fini_array_end; f > __fini_array_start; )
		(*--f)();
}

static void run_init(void)
{
	for (fl_ctor_t *f = __preinit_array_start; f < __preinit_array_end; f++)
		(*f)();
	for (fl_ctor_t *f = __init_array_start; f < __init_array_end; f++)
		(*f)();
	atexit(run_fini);
}

void __fl_start(long *sp) __attribute__((noreturn));
void __fl_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **e = envp;

	while (*e)
		e++;
	fl_auxv = (unsigned long *)(e + 1);
	environ = envp;
	fl_tls_init_main();
	check_no_tls_segment();
	run_init();
	exit(main(argc, argv, envp));
}
