/*
 * multiboot.c - read the multiboot2 boot information GRUB leaves in memory.
 *
 * Tags used: 1 command line, 3 module (the first one is the initrd),
 * 4 basic memory info (fallback), 6 memory map, 14/15 ACPI RSDP copies.
 * The information block is reserved so that the page allocator keeps off it.
 */
#include <printk.h>
#include <string.h>
#include <mm.h>
#include "internal.h"

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_MODULE		3
#define MB2_TAG_BASIC_MEMINFO	4
#define MB2_TAG_MMAP		6
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15
#define MB2_MMAP_AVAILABLE	1
#define MB2_MAX_SIZE		(1u << 20)	/* sanity bound on total_size */

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
	uint32_t reserved;
};

static char cmdline_buf[1024];		/* [I] bi->cmdline points here */

static void add_ram(struct boot_info *bi, uint64_t base, uint64_t len)
{
	uint64_t mapped = x86_direct_map_add(base, len);

	if (mapped < len)
		printk("x86: RAM 0x%llx-0x%llx not usable: the direct map is full (see arch/x86/kernel/mmu.c)\n",
		       (unsigned long long)(base + mapped), (unsigned long long)(base + len - 1));
	if (mapped)
		boot_add_mem(bi, base, mapped);
}

static bool parse_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint8_t *p = (const uint8_t *)tag + 16, *end = (const uint8_t *)tag + tag->size;
	uint32_t entry_size = ((const uint32_t *)tag)[2];
	bool found = false;

	if (entry_size < sizeof(struct mb2_mmap_entry) || tag->size < 16) {
		printk("x86: multiboot2 memory map has bad entry size %u; ignoring it\n", entry_size);
		return false;
	}
	for (; p + entry_size <= end; p += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;

		if (e->type == MB2_MMAP_AVAILABLE && e->len) {
			add_ram(bi, e->base, e->len);
			found = true;
		}
	}
	return found;
}

static void parse_cmdline(const struct mb2_tag *tag, struct boot_info *bi)
{
	size_t max = tag->size > 8 ? tag->size - 8 : 0;
	size_t len = strnlen((const char *)(tag + 1), max);

	if (len >= sizeof(cmdline_buf))
		printk("x86: command line longer than %zu bytes, truncated\n", sizeof(cmdline_buf) - 1);
	len = MIN(len, sizeof(cmdline_buf) - 1);
	memcpy(cmdline_buf, tag + 1, len);
	cmdline_buf[len] = '\0';
	bi->cmdline = cmdline_buf;
}

static void parse_module(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint32_t *m = (const uint32_t *)(tag + 1);	/* mod_start, mod_end, string */

	if (tag->size < 16 || m[1] < m[0]) {
		printk("x86: malformed multiboot2 module tag ignored\n");
		return;
	}
	boot_add_reserved(bi, m[0], m[1] - m[0]);
	if (!bi->initrd_base) {
		bi->initrd_base = m[0];
		bi->initrd_size = m[1] - m[0];
		printk("x86: initrd (multiboot2 module) at 0x%x, %u bytes\n", m[0], m[1] - m[0]);
	} else {
		printk("x86: extra boot module at 0x%x ignored (only the first is the initrd)\n", m[0]);
	}
}

/* Memory when there is no map: lower 640 KiB and the upper block from 1 MiB. */
static void use_basic_meminfo(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint32_t *m = (const uint32_t *)(tag + 1);	/* mem_lower, mem_upper in KiB */

	printk("x86: no multiboot2 memory map; using the basic memory info\n");
	add_ram(bi, 0, (uint64_t)m[0] * 1024);
	add_ram(bi, 1 * MiB, (uint64_t)m[1] * 1024);
}

static void __noreturn stop_boot(const char *why)
{
	printk("x86: %s\n", why);
	arch_halt();
}

void x86_parse_multiboot(phys_addr_t mbi_pa, struct boot_info *bi)
{
	const uint8_t *mbi;
	uint32_t total;
	const struct mb2_tag *basic = NULL, *rsdp_old = NULL, *rsdp_new = NULL;
	bool have_map = false;

	/* the boot page tables map the low 4 GiB at PHYS_MAP_BASE */
	if (mbi_pa >= 4 * GiB - MB2_MAX_SIZE || (mbi_pa & 7))
		stop_boot("multiboot2 information block address is bad; "
			  "boot with GRUB 2's 'multiboot2' command");
	mbi = __va(mbi_pa);
	total = *(const uint32_t *)mbi;
	if (total < 16 || total > MB2_MAX_SIZE)
		stop_boot("multiboot2 information block has a bad size; "
			  "boot with GRUB 2's 'multiboot2' command");
	boot_add_reserved(bi, mbi_pa, total);
	bi->cmdline = "";
	for (uint32_t off = 8; off + 8 <= total;) {
		const struct mb2_tag *tag = (const void *)(mbi + off);

		if (tag->type == MB2_TAG_END)
			break;
		if (tag->size < 8 || off + tag->size > total)
			stop_boot("multiboot2 tag runs past the end of the information block");
		switch (tag->type) {
		case MB2_TAG_CMDLINE:	parse_cmdline(tag, bi); break;
		case MB2_TAG_MODULE:	parse_module(tag, bi); break;
		case MB2_TAG_BASIC_MEMINFO: basic = tag; break;
		case MB2_TAG_MMAP:	have_map |= parse_mmap(tag, bi); break;
		case MB2_TAG_ACPI_OLD:	rsdp_old = tag; break;
		case MB2_TAG_ACPI_NEW:	rsdp_new = tag; break;
		}
		off += ALIGN_UP(tag->size, 8);
	}
	if (!have_map && basic && basic->size >= 16)
		use_basic_meminfo(basic, bi);
	if (!bi->nr_mem)
		stop_boot("the boot loader reported no usable RAM; cannot continue");
	if (rsdp_new || rsdp_old) {
		const struct mb2_tag *t = rsdp_new ? rsdp_new : rsdp_old;

		x86_acpi_init(t + 1, t->size - 8, bi);
	} else {
		printk("x86: no ACPI RSDP from the boot loader; assuming 1 CPU and the default IOAPIC\n");
		x86_acpi_defaults(bi);
	}
}
