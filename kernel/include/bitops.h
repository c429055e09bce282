/* bitops.h - bit counting in plain C (compiler builtins may call libgcc helpers
 * that use FP/SIMD registers, which the kernel never saves). */
#ifndef FAULTLINE_BITOPS_H
#define FAULTLINE_BITOPS_H

#include <types.h>

/* Number of set bits (Linux's name: the Hamming weight). */
static inline unsigned int hweight64(uint64_t w)
{
	unsigned int n = 0;

	for (; w; w &= w - 1)
		n++;
	return n;
}

#endif
