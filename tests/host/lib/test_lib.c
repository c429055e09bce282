/*
 * test_lib.c - host tests for kernel/lib (compiled with ASan + UBSan).
 *
 *  - k_vsnprintf against the C library's snprintf on many random formats;
 *  - the FDT parser on a dtc-built test tree (every accessor), on DTBs QEMU
 *    dumps for its arm64 and riscv64 "virt" boards, and on thousands of
 *    corrupted blobs: fdt_check must reject them with a message or the
 *    accessors must stay inside the blob (ASan aborts otherwise);
 *  - the command-line parser.
 * Closes with "N passed, N failed".
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int k_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int k_snprintf(char *buf, size_t size, const char *fmt, ...);
unsigned long k_strtoul(const char *s, const char **end, int base);
void cmdline_init(const char *s);
const char *cmdline_get(const char *key);
size_t cmdline_copy(const char *key, char *buf, size_t size);
bool cmdline_has(const char *key);
unsigned long cmdline_get_ulong(const char *key, unsigned long dflt);

int fdt_check(const void *fdt);
uint32_t fdt_totalsize(const void *fdt);
int fdt_path_offset(const void *fdt, const char *path);
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
const char *fdt_node_name(const void *fdt, int node);
const void *fdt_getprop(const void *fdt, int node, const char *name, int *len);
int fdt_find_compatible(const void *fdt, int after, const char *compat);
int fdt_parent(const void *fdt, int node);
bool fdt_get_reg(const void *fdt, int node, int i, uint64_t *base, uint64_t *size);
uint32_t fdt_get_u32(const void *fdt, int node, const char *name, uint32_t dflt);
bool fdt_node_enabled(const void *fdt, int node);
int fdt_num_mem_rsv(const void *fdt);
bool fdt_get_mem_rsv(const void *fdt, int i, uint64_t *base, uint64_t *size);

static int passed, failed;
static char last_msg[1024];

/* The kernel's printk, captured so tests can check what a message says. */
int k_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	return n;
}

void k_panic(const char *fmt, ...)
{
	fprintf(stderr, "kernel panic called: %s\n", fmt);
	abort();
}

#define CHECK(name, cond) do {						\
	if (cond) { passed++; }						\
	else { failed++; printf("FAIL %s (%s:%d): %s\n", name, __FILE__, __LINE__, #cond); } \
} while (0)

/* ---- vsnprintf ---------------------------------------------------------- */

static bool same_as_libc(const char *fmt, ...)
{
	char a[256], b[256];
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	int na = k_vsnprintf(a, sizeof(a), fmt, ap);
	int nb = vsnprintf(b, sizeof(b), fmt, aq);
	va_end(aq);
	va_end(ap);
	if (na != nb || strcmp(a, b)) {
		printf("  format \"%s\": kernel \"%s\" (%d) libc \"%s\" (%d)\n", fmt, a, na, b, nb);
		return false;
	}
	return true;
}

static void test_vsnprintf(void)
{
	static const char *ifmts[] = { "%d", "%5d", "%-5d|", "%05d", "%u", "%x", "%X",
		"%08x", "%o", "%.3d", "%i" };
	static const char *lfmts[] = { "%ld", "%lu", "%lx", "%016lx", "%-20ld|", "%llu", "%zu" };
	int bad = 0;
	char small[8];

	srand(1);
	for (int i = 0; i < 20000; i++) {
		long v = ((long)rand() << 32 | rand()) >> (rand() % 63);
		if (rand() & 1)
			v = -v;
		bad += !same_as_libc(ifmts[i % 11], (int)v);
		bad += !same_as_libc(lfmts[i % 7], v);
	}
	CHECK("vsnprintf integers match libc", bad == 0);
	CHECK("vsnprintf strings", same_as_libc("[%s|%10s|%-10s|%.2s|%c%%]", "abc", "r", "l", "xyz", 'q'));
	CHECK("vsnprintf star width", same_as_libc("[%*d|%-*d|%.*s]", 6, 42, 4, 7, 3, "abcdef"));
	CHECK("vsnprintf NULL string", k_snprintf(small, sizeof(small), "%s", (char *)NULL) == 6);
	CHECK("vsnprintf truncates and terminates",
	      k_snprintf(small, sizeof(small), "%s", "0123456789") == 10 && !strcmp(small, "0123456"));
	k_snprintf(small, sizeof(small), "%p", (void *)0x1234);
	CHECK("vsnprintf %p prefix", !strncmp(small, "0x00000", 7));
}

/* ---- fdt ---------------------------------------------------------------- */

static void *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	void *buf;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*size);
	if (fread(buf, 1, *size, f) != *size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int count_children(const void *fdt, int node)
{
	int n = 0;

	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c))
		n++;
	return n;
}

static void test_fdt_paths(const void *fdt)
{
	int len, cpus = fdt_path_offset(fdt, "/cpus");
	const char *args;

	CHECK("fdt_check accepts dtc output", fdt_check(fdt) == 0);
	CHECK("fdt /cpus found", cpus > 0);
	CHECK("fdt /cpus has 3 children", count_children(fdt, cpus) == 3);
	CHECK("fdt unit-less match finds cpu@0", fdt_path_offset(fdt, "/cpus/cpu") > 0);
	CHECK("fdt exact unit address", fdt_path_offset(fdt, "/cpus/cpu@2") > 0);
	CHECK("fdt missing node", fdt_path_offset(fdt, "/cpus/cpu@7") < 0);
	CHECK("fdt node name", !strcmp(fdt_node_name(fdt, fdt_path_offset(fdt, "/cpus/cpu@1")), "cpu@1"));
	args = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs", &len);
	CHECK("fdt bootargs", args && len == 16 && !strcmp(args, "ktest=fdt quiet"));
	CHECK("fdt missing prop", !fdt_getprop(fdt, cpus, "nonexistent", NULL));
	CHECK("fdt u32 prop", fdt_get_u32(fdt, cpus, "timebase-frequency", 0) == 10000000);
	CHECK("fdt u32 default", fdt_get_u32(fdt, cpus, "nope", 77) == 77);
	CHECK("fdt disabled cpu", !fdt_node_enabled(fdt, fdt_path_offset(fdt, "/cpus/cpu@0")));
	CHECK("fdt okay cpu", fdt_node_enabled(fdt, fdt_path_offset(fdt, "/cpus/cpu@1")));
	CHECK("fdt no-status cpu", fdt_node_enabled(fdt, fdt_path_offset(fdt, "/cpus/cpu@2")));
	CHECK("fdt parent", fdt_parent(fdt, fdt_path_offset(fdt, "/cpus/cpu@2")) == cpus);
	CHECK("fdt root has no parent", fdt_parent(fdt, 0) < 0);
}

static void test_fdt_reg(const void *fdt)
{
	uint64_t base = 0, size = 0;
	int mem = fdt_path_offset(fdt, "/memory@80000000");
	int uart = fdt_find_compatible(fdt, -1, "ns16550a");
	int plic = fdt_find_compatible(fdt, -1, "riscv,plic0");

	CHECK("fdt reg 2/2 cells #0", fdt_get_reg(fdt, mem, 0, &base, &size) &&
	      base == 0x80000000 && size == 0x4000000);
	CHECK("fdt reg 2/2 cells #1", fdt_get_reg(fdt, mem, 1, &base, &size) &&
	      base == 0x100000000ull && size == 0x1000000);
	CHECK("fdt reg past the end", !fdt_get_reg(fdt, mem, 2, &base, &size));
	CHECK("fdt reg 1/1 cells", fdt_get_reg(fdt, uart, 0, &base, &size) &&
	      base == 0x10000000 && size == 0x100);
	CHECK("fdt compatible second string", plic > 0 && plic < uart);
	CHECK("fdt compatible search continues", fdt_find_compatible(fdt, plic, "riscv,plic0") < 0);
	CHECK("fdt cpu reg 1/0 cells", fdt_get_reg(fdt, fdt_path_offset(fdt, "/cpus/cpu@2"), 0,
					       &base, NULL) && base == 2);
	CHECK("fdt memreserve count", fdt_num_mem_rsv(fdt) == 1);
	CHECK("fdt memreserve entry", fdt_get_mem_rsv(fdt, 0, &base, &size) &&
	      base == 0x80000000 && size == 0x10000);
}

/* Walk everything an arch port would look at; must stay in bounds. */
static void walk_all(const void *fdt, int node, int depth)
{
	uint64_t b, s;

	if (depth > 70)
		return;
	fdt_get_reg(fdt, node, 0, &b, &s);
	fdt_node_enabled(fdt, node);
	fdt_getprop(fdt, node, "compatible", NULL);
	for (int c = fdt_first_child(fdt, node); c >= 0; c = fdt_next_sibling(fdt, c))
		walk_all(fdt, c, depth + 1);
}

static void test_fdt_corrupt(const uint8_t *good, size_t size)
{
	uint8_t *blob = malloc(size);
	int rejected = 0, accepted = 0;

	memcpy(blob, good, size);
	blob[0] ^= 0xff;
	last_msg[0] = 0;
	CHECK("fdt bad magic rejected", fdt_check(blob) != 0);
	CHECK("fdt bad magic message", strstr(last_msg, "bad magic") != NULL);
	CHECK("fdt NULL rejected", fdt_check(NULL) != 0);
	srand(7);
	for (int i = 0; i < 20000; i++) {
		memcpy(blob, good, size);
		for (int k = 1 + rand() % 4; k; k--)
			blob[rand() % size] = (uint8_t)rand();
		if (fdt_check(blob)) {
			rejected++;
			continue;
		}
		accepted++;
		walk_all(blob, 0, 0);
		fdt_path_offset(blob, "/soc/serial@10000000");
		fdt_find_compatible(blob, -1, "ns16550a");
	}
	printf("  corrupted blobs: %d rejected, %d accepted and walked safely\n", rejected, accepted);
	CHECK("fdt corruption survives", rejected + accepted == 20000);
	free(blob);
}

/* Count /cpus children in a DTB QEMU makes for its virt board, if QEMU is installed. */
static void test_qemu_dtb(const char *qemu, const char *extra)
{
	char cmd[512], path[] = "/tmp/fl-dtb-XXXXXX";
	int fd = mkstemp(path), cpus;
	size_t size;
	void *dtb;

	close(fd);
	snprintf(cmd, sizeof(cmd), "%s -M virt,dumpdtb=%s %s -smp 3 -m 64M -display none "
		 ">/dev/null 2>&1", qemu, path, extra);
	if (system(cmd) != 0 || !(dtb = read_file(path, &size))) {
		printf("  (skipping %s: cannot dump its DTB)\n", qemu);
		unlink(path);
		return;
	}
	cpus = fdt_path_offset(dtb, "/cpus");
	CHECK("qemu dtb passes fdt_check", fdt_check(dtb) == 0);
	CHECK("qemu dtb size", fdt_totalsize(dtb) <= size && fdt_totalsize(dtb) > 1000);
	CHECK("qemu dtb has 3 cpus", count_children(dtb, cpus) >= 3);
	CHECK("qemu dtb has memory", fdt_path_offset(dtb, "/memory") > 0);
	free(dtb);
	unlink(path);
}

/* ---- cmdline and strtoul -------------------------------------------------- */

static void test_cmdline(void)
{
	char buf[16];
	const char *end;

	cmdline_init("ktest=rwsem  quiet blk_delay_us=0x20 cpus=four");
	CHECK("cmdline bare key", cmdline_has("quiet"));
	CHECK("cmdline prefix is not a key", !cmdline_has("ktes") && !cmdline_has("qu"));
	CHECK("cmdline value copy", cmdline_copy("ktest", buf, sizeof(buf)) == 5 && !strcmp(buf, "rwsem"));
	CHECK("cmdline bare value empty", cmdline_get("quiet") && *cmdline_get("quiet") != '=');
	CHECK("cmdline hex number", cmdline_get_ulong("blk_delay_us", 1) == 0x20);
	CHECK("cmdline bad number uses default", cmdline_get_ulong("cpus", 4) == 4);
	CHECK("cmdline bad number says so", strstr(last_msg, "not a number") != NULL);
	CHECK("cmdline missing uses default", cmdline_get_ulong("nope", 9) == 9);
	CHECK("strtoul octal", k_strtoul("0755", &end, 0) == 0755 && *end == 0);
	CHECK("strtoul stops", k_strtoul("123abc", &end, 10) == 123 && *end == 'a');
}

int main(int argc, char **argv)
{
	size_t size;
	uint8_t *dtb = argc > 1 ? read_file(argv[1], &size) : NULL;

	test_vsnprintf();
	CHECK("test.dtb readable", dtb != NULL);
	if (dtb) {
		test_fdt_paths(dtb);
		test_fdt_reg(dtb);
		test_fdt_corrupt(dtb, size);
	}
	test_qemu_dtb("qemu-system-aarch64", "-cpu cortex-a53");
	test_qemu_dtb("qemu-system-riscv64", "");
	test_cmdline();
	free(dtb);
	printf("host lib: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
