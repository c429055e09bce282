/*
 * fdt.c - a read-only walker for flattened device trees (DTB).
 *
 * A DTB is a header, a memory-reservation block, a structure block of
 * 32-bit big-endian tokens (BEGIN_NODE name, PROP len nameoff value,
 * END_NODE, NOP, END) and a strings block holding property names.
 * fdt_check() walks the whole structure once and verifies every length,
 * offset and the nesting; after that the accessors can trust the layout,
 * but they still bound every read by the structure block's size.
 */
#include <fdt.h>
#include <string.h>
#include <printk.h>

#define FDT_MAGIC	0xd00dfeedu
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_DEPTH	64
#define FDT_MAX_SIZE	(64u << 20)

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap;
	uint32_t version, last_comp_version, boot_cpuid_phys;
	uint32_t size_dt_strings, size_dt_struct;
};

#define HDR(fdt, field) fdt32((const uint8_t *)(fdt) + offsetof(struct fdt_header, field))

static const uint8_t *fdt_struct(const void *fdt)
{
	return (const uint8_t *)fdt + HDR(fdt, off_dt_struct);
}

/* Token at off, or FDT_END when off is outside the structure block. */
static uint32_t fdt_tok(const void *fdt, int off)
{
	if (off < 0 || (uint32_t)off + 4 > HDR(fdt, size_dt_struct))
		return FDT_END;
	return fdt32(fdt_struct(fdt) + off);
}

static int align4(int x)
{
	return (x + 3) & ~3;
}

/* Offset just past the token at off (its name or value included). */
static int fdt_skip(const void *fdt, int off)
{
	const uint8_t *s = fdt_struct(fdt);
	uint32_t limit = HDR(fdt, size_dt_struct);

	switch (fdt_tok(fdt, off)) {
	case FDT_BEGIN_NODE:
		return align4(off + 4 + (int)strnlen((const char *)s + off + 4, limit - off - 4) + 1);
	case FDT_PROP:
		return align4(off + 12 + (int)fdt_tok(fdt, off + 4));
	default:
		return off + 4;
	}
}

uint32_t fdt_totalsize(const void *fdt)
{
	return HDR(fdt, totalsize);
}

static int fdt_bad(const char *what)
{
	printk("fdt: malformed device tree: %s. Check the DTB your firmware or "
	       "QEMU passes (dtc -I dtb -O dts decodes it).\n", what);
	return -EINVAL;
}

static int check_header(const void *fdt)
{
	uint32_t total = HDR(fdt, totalsize);

	if (HDR(fdt, magic) != FDT_MAGIC)
		return fdt_bad("bad magic (no DTB at this address)");
	if (total < sizeof(struct fdt_header) || total > FDT_MAX_SIZE)
		return fdt_bad("implausible total size");
	if (HDR(fdt, last_comp_version) > 17 || HDR(fdt, version) < 16)
		return fdt_bad("unsupported version (need 16 or 17)");
	if (HDR(fdt, off_dt_struct) % 4 || HDR(fdt, size_dt_struct) % 4 ||
	    (uint64_t)HDR(fdt, off_dt_struct) + HDR(fdt, size_dt_struct) > total)
		return fdt_bad("structure block outside the blob");
	if ((uint64_t)HDR(fdt, off_dt_strings) + HDR(fdt, size_dt_strings) > total)
		return fdt_bad("strings block outside the blob");
	if (HDR(fdt, off_mem_rsvmap) % 8 || HDR(fdt, off_mem_rsvmap) >= total)
		return fdt_bad("reservation block outside the blob");
	return 0;
}

static bool check_prop_name(const void *fdt, uint32_t nameoff)
{
	const char *strings = (const char *)fdt + HDR(fdt, off_dt_strings);
	uint32_t size = HDR(fdt, size_dt_strings);

	if (nameoff >= size || strnlen(strings + nameoff, size - nameoff) == size - nameoff)
		return fdt_bad("property name outside the strings block"), false;
	return true;
}

static bool check_token(const void *fdt, int off, int *depth)
{
	uint32_t limit = HDR(fdt, size_dt_struct);
	const uint8_t *s = fdt_struct(fdt);

	switch (fdt_tok(fdt, off)) {
	case FDT_BEGIN_NODE:
		if (strnlen((const char *)s + off + 4, limit - off - 4) == limit - (uint32_t)off - 4)
			return fdt_bad("unterminated node name"), false;
		if (++*depth > FDT_MAX_DEPTH)
			return fdt_bad("nodes nested too deeply"), false;
		return true;
	case FDT_END_NODE:
		if (--*depth < 0)
			return fdt_bad("unbalanced end of node"), false;
		return true;
	case FDT_PROP:
		if ((uint64_t)off + 12 + fdt_tok(fdt, off + 4) > limit)
			return fdt_bad("property runs past the structure block"), false;
		return check_prop_name(fdt, fdt_tok(fdt, off + 8));
	case FDT_NOP:
		return true;
	default:
		return fdt_bad("unknown token in the structure block"), false;
	}
}

int fdt_check(const void *fdt)
{
	int off = 0, depth = 0, err;

	if (!fdt)
		return fdt_bad("no DTB was passed");
	err = check_header(fdt);
	if (err)
		return err;
	if (fdt_tok(fdt, 0) != FDT_BEGIN_NODE)
		return fdt_bad("structure block does not start with the root node");
	for (;;) {
		if ((uint32_t)off + 4 > HDR(fdt, size_dt_struct))
			return fdt_bad("structure block has no END token");
		if (fdt_tok(fdt, off) == FDT_END)
			break;
		if (!check_token(fdt, off, &depth))
			return -EINVAL;
		off = fdt_skip(fdt, off);
	}
	if (depth != 0)
		return fdt_bad("root node is not closed");
	return 0;
}

static int skip_nops(const void *fdt, int off)
{
	while (fdt_tok(fdt, off) == FDT_NOP)
		off += 4;
	return off;
}

int fdt_first_child(const void *fdt, int node)
{
	int off = fdt_skip(fdt, node);

	for (;;) {
		uint32_t t = fdt_tok(fdt, off);
		if (t == FDT_BEGIN_NODE)
			return off;
		if (t != FDT_PROP && t != FDT_NOP)
			return -1;
		off = fdt_skip(fdt, off);
	}
}

/* Offset just past node's END_NODE. */
static int fdt_node_end(const void *fdt, int node)
{
	int depth = 0, off = node;

	do {
		uint32_t t = fdt_tok(fdt, off);
		if (t == FDT_BEGIN_NODE)
			depth++;
		else if (t == FDT_END_NODE)
			depth--;
		else if (t == FDT_END)
			return off;
		off = fdt_skip(fdt, off);
	} while (depth > 0);
	return off;
}

int fdt_next_sibling(const void *fdt, int node)
{
	int off = skip_nops(fdt, fdt_node_end(fdt, node));

	return fdt_tok(fdt, off) == FDT_BEGIN_NODE ? off : -1;
}

const char *fdt_node_name(const void *fdt, int node)
{
	return (const char *)fdt_struct(fdt) + node + 4;
}

const void *fdt_getprop(const void *fdt, int node, const char *name, int *len)
{
	const char *strings = (const char *)fdt + HDR(fdt, off_dt_strings);
	int off = fdt_skip(fdt, node);

	for (;; off = fdt_skip(fdt, off)) {
		uint32_t t = fdt_tok(fdt, off);
		if (t == FDT_NOP)
			continue;
		if (t != FDT_PROP)
			return NULL;
		if (!strcmp(strings + fdt_tok(fdt, off + 8), name)) {
			if (len)
				*len = (int)fdt_tok(fdt, off + 4);
			return fdt_struct(fdt) + off + 12;
		}
	}
}

/* "cpu@0" matches component "cpu@0", and also "cpu" when the component has no '@'. */
static bool name_matches(const char *name, const char *comp, size_t clen)
{
	bool comp_has_unit = false;

	for (size_t i = 0; i < clen; i++)
		comp_has_unit |= comp[i] == '@';
	if (strncmp(name, comp, clen))
		return false;
	return name[clen] == '\0' || (name[clen] == '@' && !comp_has_unit);
}

int fdt_path_offset(const void *fdt, const char *path)
{
	int node = 0;

	while (*path == '/')
		path++;
	while (*path && node >= 0) {
		const char *slash = strchr(path, '/');
		size_t clen = slash ? (size_t)(slash - path) : strlen(path);
		int child = fdt_first_child(fdt, node);

		while (child >= 0 && !name_matches(fdt_node_name(fdt, child), path, clen))
			child = fdt_next_sibling(fdt, child);
		node = child;
		path += clen;
		while (*path == '/')
			path++;
	}
	return node;
}

/* Is str one of the NUL-separated strings in the property value list[0..len)? */
static bool strlist_contains(const char *list, int len, const char *str)
{
	size_t slen = strlen(str);

	for (int i = 0; i < len;) {
		size_t n = strnlen(list + i, len - i);
		if (n == slen && !memcmp(list + i, str, slen))
			return true;
		i += (int)n + 1;
	}
	return false;
}

bool fdt_node_is_compatible(const void *fdt, int node, const char *compat)
{
	int len;
	const char *c = fdt_getprop(fdt, node, "compatible", &len);

	return c && strlist_contains(c, len, compat);
}

int fdt_find_compatible(const void *fdt, int after, const char *compat)
{
	int off = after < 0 ? 0 : fdt_skip(fdt, after);

	for (; fdt_tok(fdt, off) != FDT_END; off = fdt_skip(fdt, off))
		if (fdt_tok(fdt, off) == FDT_BEGIN_NODE &&
		    fdt_node_is_compatible(fdt, off, compat))
			return off;
	return -1;
}

int fdt_find_phandle(const void *fdt, uint32_t phandle)
{
	for (int off = 0; fdt_tok(fdt, off) != FDT_END; off = fdt_skip(fdt, off)) {
		int len;
		const void *p;

		if (fdt_tok(fdt, off) != FDT_BEGIN_NODE)
			continue;
		p = fdt_getprop(fdt, off, "phandle", &len);
		if (!p)
			p = fdt_getprop(fdt, off, "linux,phandle", &len);
		if (p && len == 4 && fdt32(p) == phandle)
			return off;
	}
	return -1;
}

int fdt_parent(const void *fdt, int node)
{
	int stack[FDT_MAX_DEPTH + 1], depth = 0;

	for (int off = 0; fdt_tok(fdt, off) != FDT_END; off = fdt_skip(fdt, off)) {
		uint32_t t = fdt_tok(fdt, off);
		if (t == FDT_BEGIN_NODE) {
			if (off == node)
				return depth ? stack[depth - 1] : -1;
			if (depth <= FDT_MAX_DEPTH)
				stack[depth] = off;
			depth++;
		} else if (t == FDT_END_NODE && depth > 0) {
			depth--;
		}
	}
	return -1;
}

static int cells_of(const void *fdt, int node, const char *prop, int dflt)
{
	int parent = fdt_parent(fdt, node);
	uint32_t v;

	if (parent < 0)
		return dflt;
	v = fdt_get_u32(fdt, parent, prop, (uint32_t)dflt);
	return v > 4 ? dflt : (int)v;
}

int fdt_addr_cells(const void *fdt, int node)
{
	return cells_of(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const void *fdt, int node)
{
	return cells_of(fdt, node, "#size-cells", 1);
}

static uint64_t read_cells(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32(p + 4 * i);
	return v;
}

bool fdt_get_reg(const void *fdt, int node, int i, uint64_t *base, uint64_t *size)
{
	int ac = fdt_addr_cells(fdt, node), sc = fdt_size_cells(fdt, node), len;
	const uint8_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = 4 * (ac + sc);

	if (!reg || stride == 0 || i < 0 || (i + 1) * stride > len)
		return false;
	reg += i * stride;
	*base = read_cells(reg, ac);
	if (size)
		*size = read_cells(reg + 4 * ac, sc);
	return true;
}

uint32_t fdt_get_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	return p && len >= 4 ? fdt32(p) : dflt;
}

bool fdt_node_enabled(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	return !s || !strncmp(s, "okay", len) || !strncmp(s, "ok", len);
}

static const uint8_t *mem_rsv(const void *fdt, int i)
{
	uint64_t off = HDR(fdt, off_mem_rsvmap) + 16ull * i;

	return off + 16 <= HDR(fdt, totalsize) ? (const uint8_t *)fdt + off : NULL;
}

int fdt_num_mem_rsv(const void *fdt)
{
	int n = 0;
	const uint8_t *e;

	while ((e = mem_rsv(fdt, n)) && (read_cells(e, 2) || read_cells(e + 8, 2)))
		n++;
	return n;
}

bool fdt_get_mem_rsv(const void *fdt, int i, uint64_t *base, uint64_t *size)
{
	const uint8_t *e = i < fdt_num_mem_rsv(fdt) ? mem_rsv(fdt, i) : NULL;

	if (!e)
		return false;
	*base = read_cells(e, 2);
	*size = read_cells(e + 8, 2);
	return true;
}
