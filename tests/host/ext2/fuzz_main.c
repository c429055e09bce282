/* fuzz_main.c - the libFuzzer entry points of the ext2 fuzz target
 * (make -C tests/host/ext2 fuzz). FUZZ_VERBOSE=1 prints the kernel log. */
#include <stdint.h>
#include <stdlib.h>
#include "harness.h"
#include "fuzz_one.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	h_verbose = getenv("FUZZ_VERBOSE") != NULL;
	fuzz_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size);
}
