/*
 * dt.c - device-tree helpers arm64 needs on top of <fdt.h>: bus address
 * translation through "ranges", the console node from /chosen stdout-path.
 */
#include <fdt.h>
#include <string.h>
#include "internal.h"

/* A big-endian number of 'cells' 32-bit cells; only the low 64 bits are kept. */
uint64_t dt_read_cells(const uint32_t *p, int cells)
{
	uint64_t v = 0;

	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32(&p[i]);
	return v;
}

/* Does the string property name equal value? */
bool dt_prop_is(const void *fdt, int node, const char *name, const char *value)
{
	int len;
	const char *p = fdt_getprop(fdt, node, name, &len);

	return p && len > 0 && strnlen(p, len) < (size_t)len && strcmp(p, value) == 0;
}

/* Translate *addr through one bus's "ranges"; false if it is not covered. */
static bool translate_one(const void *fdt, int child, int bus, uint64_t *addr)
{
	int len;
	const uint32_t *r = fdt_getprop(fdt, bus, "ranges", &len);
	int ca = fdt_addr_cells(fdt, child), cs = fdt_size_cells(fdt, child);
	int pa = fdt_addr_cells(fdt, bus);
	int stride = ca + pa + cs;

	if (!r)
		return false;		/* no "ranges": not visible to the CPU */
	if (len == 0)
		return true;		/* empty "ranges": identity */
	for (int i = 0; stride > 0 && (i + stride) * 4 <= len; i += stride) {
		uint64_t cbase = dt_read_cells(r + i, ca);
		uint64_t pbase = dt_read_cells(r + i + ca, pa);
		uint64_t size = dt_read_cells(r + i + ca + pa, cs);

		if (*addr >= cbase && *addr - cbase < size) {
			*addr = *addr - cbase + pbase;
			return true;
		}
	}
	return false;
}

/* Turn a "reg" address of node into a CPU physical address (walks up to the root). */
bool dt_translate(const void *fdt, int node, uint64_t *addr)
{
	int bus = fdt_parent(fdt, node);

	while (bus >= 0 && fdt_parent(fdt, bus) >= 0) {
		if (!translate_one(fdt, node, bus, addr))
			return false;
		node = bus;
		bus = fdt_parent(fdt, bus);
	}
	return true;
}

/* The i-th "reg" entry of node as a CPU physical address. */
bool dt_reg(const void *fdt, int node, int i, uint64_t *pa, uint64_t *size)
{
	return fdt_get_reg(fdt, node, i, pa, size) && dt_translate(fdt, node, pa);
}

/* /chosen stdout-path ("/path:opts" or "alias:opts") as a node offset, or -1. */
int dt_stdout_node(const void *fdt)
{
	char path[128];
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *p = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;

	if (!p || len <= 1)
		return -1;
	strlcpy(path, p, MIN((size_t)len, sizeof(path)));
	if (strchr(path, ':'))
		*strchr(path, ':') = '\0';
	if (path[0] != '/') {
		int aliases = fdt_path_offset(fdt, "/aliases");
		const char *a = aliases >= 0 ? fdt_getprop(fdt, aliases, path, &len) : NULL;

		if (!a || len <= 1)
			return -1;
		strlcpy(path, a, MIN((size_t)len, sizeof(path)));
	}
	return fdt_path_offset(fdt, path);
}

/* A /memory node: device_type = "memory" (or the name, for old trees). */
bool dt_is_memory_node(const void *fdt, int node)
{
	const char *name = fdt_node_name(fdt, node);

	if (dt_prop_is(fdt, node, "device_type", "memory"))
		return true;
	return name && strncmp(name, "memory", 6) == 0 && (name[6] == '\0' || name[6] == '@');
}
