/* fuzz_one.h - one fuzz input (fuzz_one.c). */
#ifndef HOST_EXT2_FUZZ_ONE_H
#define HOST_EXT2_FUZZ_ONE_H

#include <stddef.h>

void fuzz_init(void);			/* h_boot and the leak baseline */
void fuzz_baseline(void);		/* the leak baseline: what is allocated now */
int fuzz_one(const unsigned char *data, size_t size);	/* aborts on a failure */

#endif
