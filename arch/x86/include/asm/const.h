/* asm/const.h - constants usable from both C and assembly. */
#ifndef ASM_X86_CONST_H
#define ASM_X86_CONST_H

#ifdef __ASSEMBLY__
#define _UL(x)		x
#define _BIT(n)		(1 << (n))
#else
#define _UL(x)		x##UL
#define _BIT(n)		(1ULL << (n))
#endif

#endif
