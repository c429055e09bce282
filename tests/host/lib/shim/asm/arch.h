/* Host shim: just enough of <asm/arch.h> to compile kernel/lib for the host tests. */
#ifndef HOST_SHIM_ASM_ARCH_H
#define HOST_SHIM_ASM_ARCH_H
#define ARCH_NAME "host"
struct pt_regs { unsigned long pc; };
struct arch_context { unsigned long sp; };
struct arch_cpu { unsigned long unused; };
struct arch_thread { unsigned long tls; };

#endif
