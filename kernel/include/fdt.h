/*
 * fdt.h - read-only flattened device tree (DTB) parser.
 *
 * fdt_check() validates the header and structure block bounds once; all
 * other calls assume a checked blob and never read outside it. Nodes are
 * identified by their offset in the structure block (int, < 0 = none).
 */
#ifndef FAULTLINE_FDT_H
#define FAULTLINE_FDT_H

#include <types.h>

/* 0 if the blob looks sane, else -EINVAL with a message explaining what is wrong. */
int fdt_check(const void *fdt);
uint32_t fdt_totalsize(const void *fdt);

int fdt_path_offset(const void *fdt, const char *path);	/* "/cpus", "/chosen", ... */
int fdt_first_child(const void *fdt, int node);
int fdt_next_sibling(const void *fdt, int node);
const char *fdt_node_name(const void *fdt, int node);	/* "cpu@0" */
/* Property value and length, or NULL. */
const void *fdt_getprop(const void *fdt, int node, const char *name, int *len);
/* Next node (depth-first, after 'after'; -1 starts at the root) whose "compatible" lists compat. */
int fdt_find_compatible(const void *fdt, int after, const char *compat);
bool fdt_node_is_compatible(const void *fdt, int node, const char *compat);
int fdt_find_phandle(const void *fdt, uint32_t phandle);
int fdt_parent(const void *fdt, int node);

/* #address-cells / #size-cells that apply to node's "reg" (from its parent; 2/1 default). */
int fdt_addr_cells(const void *fdt, int node);
int fdt_size_cells(const void *fdt, int node);
/* The i-th (base,size) of node's "reg"; false if absent. */
bool fdt_get_reg(const void *fdt, int node, int i, uint64_t *base, uint64_t *size);
/* A u32 property; dflt if missing or short. */
uint32_t fdt_get_u32(const void *fdt, int node, const char *name, uint32_t dflt);
/* Does node have status "okay"/"ok" or no status at all? */
bool fdt_node_enabled(const void *fdt, int node);

/* Memory reservation block entries (/memreserve/). */
int fdt_num_mem_rsv(const void *fdt);
bool fdt_get_mem_rsv(const void *fdt, int i, uint64_t *base, uint64_t *size);

static inline uint32_t fdt32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

#endif
