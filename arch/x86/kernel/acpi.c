/*
 * acpi.c - find the CPUs, the IOAPICs and the ISA interrupt overrides in
 * the ACPI MADT ("APIC" table), starting from the RSDP copy GRUB passes.
 *
 * Runs during early boot while the boot page tables map the low 4 GiB at
 * PHYS_MAP_BASE; tables above 4 GiB are refused. Anything malformed gives
 * a message and the safe defaults: the boot CPU only, the IOAPIC at its
 * usual address, identity ISA routing.
 */
#include <printk.h>
#include <string.h>
#include <mm.h>
#include "internal.h"

struct x86_acpi_info x86_acpi;

struct acpi_sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __packed;

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;		/* 0 = ACPI 1.0 (RSDT only), 2+ = has XSDT */
	uint32_t rsdt_address;
	uint32_t length;		/* ACPI 2.0+ fields */
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __packed;

#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_OVERRIDE	5
#define MADT_X2APIC		9
#define MADT_LAPIC_ENABLED	1
#define MADT_LAPIC_ONLINE_CAPABLE 2
#define ACPI_MAX_TABLE		(1u << 20)
#define ACPI_LIMIT		(4 * GiB)	/* mapped by the boot page tables */

static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* A whole, checksummed table at pa with the given signature, or NULL. */
static const struct acpi_sdt_header *map_table(uint64_t pa, const char *sig)
{
	const struct acpi_sdt_header *h;

	if (!pa || pa >= ACPI_LIMIT - ACPI_MAX_TABLE) {
		printk("x86: ACPI table at 0x%llx is out of reach (above 4 GiB or null)\n",
		       (unsigned long long)pa);
		return NULL;
	}
	h = __va(pa);
	if (sig && memcmp(h->signature, sig, 4))
		return NULL;
	if (h->length < sizeof(*h) || h->length > ACPI_MAX_TABLE) {
		printk("x86: ACPI %.4s table has a bad length %u\n", h->signature, h->length);
		return NULL;
	}
	if (checksum(h, h->length)) {
		printk("x86: ACPI %.4s table checksum is wrong; the firmware tables are corrupt\n",
		       h->signature);
		return NULL;
	}
	return h;
}

/* Walk the XSDT (64-bit pointers) or RSDT (32-bit) for the table with signature sig. */
static const struct acpi_sdt_header *find_table(const struct acpi_rsdp *rsdp, const char *sig)
{
	bool xsdt = rsdp->revision >= 2 && rsdp->xsdt_address;
	const struct acpi_sdt_header *root = xsdt ? map_table(rsdp->xsdt_address, "XSDT")
						  : map_table(rsdp->rsdt_address, "RSDT");
	size_t width = xsdt ? 8 : 4, n;
	const uint8_t *entries;

	if (!root)
		return NULL;
	entries = (const uint8_t *)(root + 1);
	n = (root->length - sizeof(*root)) / width;
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;
		const struct acpi_sdt_header *h;

		memcpy(&pa, entries + i * width, width);	/* entries may be unaligned */
		if (pa >= ACPI_LIMIT - ACPI_MAX_TABLE)
			continue;
		h = __va(pa);
		if (!memcmp(h->signature, sig, 4))
			return map_table(pa, sig);
	}
	return NULL;
}

static void add_cpu(struct boot_info *bi, uint32_t apic_id, uint32_t flags, uint32_t boot_id)
{
	if (!(flags & MADT_LAPIC_ENABLED))
		return;		/* disabled, or only hot-pluggable: not started */
	if (apic_id != boot_id)
		boot_add_cpu(bi, apic_id, false);
}

static void add_ioapic(const uint8_t *e)
{
	uint32_t pa, gsi_base;

	memcpy(&pa, e + 4, 4);
	memcpy(&gsi_base, e + 8, 4);
	if (x86_acpi.nr_ioapics == X86_MAX_IOAPICS) {
		printk("x86: more than %d IOAPICs; ignoring the one at 0x%x\n", X86_MAX_IOAPICS, pa);
		return;
	}
	x86_acpi.ioapic[x86_acpi.nr_ioapics++] = (struct x86_ioapic){ .pa = pa, .gsi_base = gsi_base };
}

static void add_override(const uint8_t *e)
{
	uint8_t bus = e[2], source = e[3];
	uint32_t gsi;
	uint16_t flags;

	memcpy(&gsi, e + 4, 4);
	memcpy(&flags, e + 8, 2);
	if (bus != 0 || source >= 16) {
		printk("x86: MADT override for bus %u irq %u ignored\n", bus, source);
		return;
	}
	x86_acpi.isa[source] = (struct x86_isa_irq){ .gsi = gsi, .flags = flags };
}

static void parse_madt_entry(struct boot_info *bi, const uint8_t *e, uint32_t boot_id)
{
	uint32_t u32a;
	uint64_t u64;

	switch (e[0]) {
	case MADT_LAPIC:
		memcpy(&u32a, e + 4, 4);
		add_cpu(bi, e[3], u32a, boot_id);
		break;
	case MADT_X2APIC:
		memcpy(&u32a, e + 4, 4);
		if (u32a < 0xff)	/* below 255 the firmware also lists it as type 0 */
			break;
		printk("x86: CPU with x2APIC id %u needs x2APIC mode, which is not supported; skipped\n", u32a);
		break;
	case MADT_IOAPIC:
		add_ioapic(e);
		break;
	case MADT_ISO:
		add_override(e);
		break;
	case MADT_LAPIC_OVERRIDE:
		memcpy(&u64, e + 4, 8);
		x86_acpi.lapic_pa = u64;
		break;
	}
}

/* Entries must have the sizes the spec gives them; a short one means a corrupt table. */
static bool madt_entry_ok(const uint8_t *e, size_t room)
{
	static const uint8_t min_len[] = {
		[MADT_LAPIC] = 8, [MADT_IOAPIC] = 12, [MADT_ISO] = 10,
		[MADT_LAPIC_OVERRIDE] = 12, [MADT_X2APIC] = 16,
	};

	if (room < 2 || e[1] < 2 || e[1] > room)
		return false;
	return e[0] >= sizeof(min_len) || e[1] >= min_len[e[0]];
}

static bool parse_madt(const struct acpi_sdt_header *madt, struct boot_info *bi)
{
	const uint8_t *p = (const uint8_t *)madt + sizeof(*madt) + 8, *end;
	uint32_t boot_id = lapic_id_early();

	if (madt->length < sizeof(*madt) + 8)
		return false;
	memcpy(&x86_acpi.lapic_pa, (const uint8_t *)madt + sizeof(*madt), 4);
	end = (const uint8_t *)madt + madt->length;
	for (; p < end; p += p[1]) {
		if (!madt_entry_ok(p, end - p)) {
			printk("x86: ACPI MADT entry at offset %ld is malformed; ignoring the rest of the table\n",
			       (long)(p - (const uint8_t *)madt));
			break;
		}
		parse_madt_entry(bi, p, boot_id);
	}
	return true;
}

static void isa_identity(void)
{
	for (unsigned int i = 0; i < 16; i++)
		x86_acpi.isa[i] = (struct x86_isa_irq){ .gsi = i, .flags = 0 };
}

/* No usable ACPI: the boot CPU, the standard LAPIC and IOAPIC addresses, ISA IRQ = GSI. */
void x86_acpi_defaults(struct boot_info *bi)
{
	x86_acpi.lapic_pa = 0xfee00000;
	x86_acpi.nr_ioapics = 1;
	x86_acpi.ioapic[0] = (struct x86_ioapic){ .pa = 0xfec00000, .gsi_base = 0 };
	isa_identity();
	if (!bi->nr_cpus)
		boot_add_cpu(bi, lapic_id_early(), true);
}

static bool rsdp_ok(const struct acpi_rsdp *rsdp, size_t len)
{
	if (len < 20 || memcmp(rsdp->signature, "RSD PTR ", 8) || checksum(rsdp, 20))
		return false;
	if (rsdp->revision >= 2 && (len < sizeof(*rsdp) || rsdp->length < sizeof(*rsdp) ||
				    checksum(rsdp, sizeof(*rsdp))))
		return false;
	return true;
}

void x86_acpi_init(const void *rsdp_copy, size_t len, struct boot_info *bi)
{
	const struct acpi_rsdp *rsdp = rsdp_copy;
	const struct acpi_sdt_header *madt;

	isa_identity();
	boot_add_cpu(bi, lapic_id_early(), true);
	if (!rsdp_ok(rsdp, len)) {
		printk("x86: ACPI RSDP from the boot loader is corrupt; using 1 CPU and default interrupt routing\n");
		x86_acpi_defaults(bi);
		return;
	}
	madt = find_table(rsdp, "APIC");
	if (!madt || !parse_madt(madt, bi)) {
		printk("x86: no usable ACPI MADT; using 1 CPU and default interrupt routing\n");
		x86_acpi_defaults(bi);
		return;
	}
	if (!x86_acpi.nr_ioapics) {
		printk("x86: the MADT lists no IOAPIC; assuming one at 0xfec00000\n");
		x86_acpi.nr_ioapics = 1;
		x86_acpi.ioapic[0] = (struct x86_ioapic){ .pa = 0xfec00000, .gsi_base = 0 };
	}
}

/* ---- tests ---- */
#include <ktest.h>

KTEST(x86_madt_entry_bounds)
{
	uint8_t lapic_ok[8] = { MADT_LAPIC, 8, 0, 1, 1, 0, 0, 0 };
	uint8_t lapic_short[6] = { MADT_LAPIC, 6, 0, 1, 1, 0 };
	uint8_t ioapic_short[8] = { MADT_IOAPIC, 8 };
	uint8_t zero_len[4] = { MADT_ISO, 0 };
	uint8_t unknown[4] = { 0x7f, 4 };

	KT_EXPECT(t, madt_entry_ok(lapic_ok, sizeof(lapic_ok)));
	KT_EXPECT(t, !madt_entry_ok(lapic_ok, 7));		/* runs past the table */
	KT_EXPECT(t, !madt_entry_ok(lapic_short, sizeof(lapic_short)));
	KT_EXPECT(t, !madt_entry_ok(ioapic_short, sizeof(ioapic_short)));
	KT_EXPECT(t, !madt_entry_ok(zero_len, sizeof(zero_len)));	/* would loop forever */
	KT_EXPECT(t, madt_entry_ok(unknown, sizeof(unknown)));	/* skipped, not fatal */
}

KTEST(x86_acpi_checksum)
{
	uint8_t buf[20] = "RSD PTR ";

	buf[8] = 0;
	buf[8] = (uint8_t)-checksum(buf, sizeof(buf));
	KT_EXPECT_EQ(t, checksum(buf, sizeof(buf)), 0);
	buf[3] ^= 1;
	KT_EXPECT(t, checksum(buf, sizeof(buf)) != 0);
}
