/*
 * uapi/faultline/auxvec.h - the auxiliary vector and the initial user stack, as Linux lays it.
 *
 * At the first user instruction (the ELF entry) the stack pointer is 16-byte aligned and points at
 *     sp + 0                argc                          (8 bytes)
 *     sp + 8                argv[0] .. argv[argc-1], NULL
 *     then                  envp[0] .. envp[n-1], NULL
 *     then                  auxv: pairs of 64-bit {type AT_*, value}, ended by {AT_NULL, 0}
 *     higher up             padding, the AT_RANDOM bytes, the argument and environment strings
 * Registers: everything 0 except the stack pointer and the program counter (on x86_64 rdx = 0
 * means "no function for atexit", as Linux does). The kernel provides at least AT_PHDR,
 * AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_RANDOM (16 bytes) and AT_EXECFN.
 */
#ifndef _UAPI_FAULTLINE_AUXVEC_H
#define _UAPI_FAULTLINE_AUXVEC_H

#define AT_NULL		0	/* end of the vector */
#define AT_IGNORE	1
#define AT_EXECFD	2
#define AT_PHDR		3	/* user address of the program headers */
#define AT_PHENT	4	/* size of one program header */
#define AT_PHNUM	5	/* number of program headers */
#define AT_PAGESZ	6	/* page size */
#define AT_BASE		7	/* interpreter base (0: Faultline has no dynamic linking) */
#define AT_FLAGS	8
#define AT_ENTRY	9	/* the program's entry point */
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15	/* string: "x86_64", "aarch64" or "riscv64" */
#define AT_HWCAP	16
#define AT_CLKTCK	17	/* clock ticks per second (HZ) */
#define AT_SECURE	23
#define AT_RANDOM	25	/* address of 16 random bytes */
#define AT_HWCAP2	26
#define AT_EXECFN	31	/* the path given to execve */

#endif
