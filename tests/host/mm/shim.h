/* shim.h - host-side helpers for the kernel/mm host tests. */
#ifndef HOST_MM_SHIM_H
#define HOST_MM_SHIM_H

#include <setjmp.h>
#include <types.h>
#include <spinlock.h>
#include <printk.h>
#include <arch.h>

extern __thread int host_cpu_id;
extern __thread jmp_buf *host_panic_jmp;
extern __thread char host_panic_msg[512];
extern const char *host_cmdline;
extern bool host_quiet;

#define HOST_KIMAGE_PA 0x00300000UL	/* where the pretend image is "loaded" */

void host_arena_init(void);
void host_cpus_init(unsigned int n);
extern unsigned long host_tlb_flushes;

#endif
