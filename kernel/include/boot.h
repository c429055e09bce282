/*
 * boot.h - what the architecture's early code learned from the firmware
 * (multiboot2 tags, device tree), handed to kernel_main().
 */
#ifndef FAULTLINE_BOOT_H
#define FAULTLINE_BOOT_H

#include <types.h>

#define BOOT_MAX_RANGES	32

struct mem_range {
	phys_addr_t base;
	uint64_t size;
};

struct boot_info {
	struct mem_range mem[BOOT_MAX_RANGES];	/* usable RAM */
	unsigned int nr_mem;
	struct mem_range reserved[BOOT_MAX_RANGES]; /* inside RAM but taken: image, dtb, initrd, firmware */
	unsigned int nr_reserved;
	uint64_t cpu_hwid[NR_CPUS];	/* APIC id / MPIDR / hart id; [0] is the boot CPU */
	unsigned int nr_cpus;
	const char *cmdline;		/* kernel command line ("" if none) */
	phys_addr_t initrd_base;	/* 0 if none */
	uint64_t initrd_size;
	const void *dtb;		/* device tree (virtual address) or NULL */
};

/* Helpers for arch code filling boot_info; they drop what does not fit, with a message. */
void boot_add_mem(struct boot_info *bi, phys_addr_t base, uint64_t size);
void boot_add_reserved(struct boot_info *bi, phys_addr_t base, uint64_t size);
void boot_add_cpu(struct boot_info *bi, uint64_t hwid, bool is_boot_cpu);

/* Command-line lookup: "key=value" or bare "key". */
void cmdline_init(const char *s);		/* copy the firmware's string (kernel_main) */
const char *cmdline_string(void);		/* the whole line */
const char *cmdline_get(const char *key);	/* value (ends at a space), "" for bare key, NULL if absent */
size_t cmdline_copy(const char *key, char *buf, size_t size); /* value as a NUL-terminated string */
bool cmdline_has(const char *key);
unsigned long cmdline_get_ulong(const char *key, unsigned long dflt);

#endif
