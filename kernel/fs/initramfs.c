/*
 * initramfs.c - the cpio "newc" archive the boot loader passed, unpacked
 * into the boot tree (read-only; regular files keep pointing at their bytes
 * inside the archive, whose pages the boot code reserved).
 *
 * newc format (what `cpio -H newc` and tools/mkinitramfs write): each entry
 * is a 110-byte ASCII header - "070701" then 13 fields of 8 hex digits (ino
 * mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor
 * namesize check) - then the NUL-terminated name, padded to a multiple of 4
 * from the start of the archive, then the file's bytes, padded likewise. An
 * entry named "TRAILER!!!" ends the archive.
 *
 * Trust nothing: every field is parsed strictly and every size is checked
 * against what is left of the archive before it is used. Damage ends the
 * walk with a message (the entries before it stay); an entry that is well
 * formed but unusable (a ".." in its name, a missing parent, a symlink) is
 * skipped with a message.
 */
#include "internal.h"
#include <boot.h>
#include <mm.h>
#include <string.h>

#define CPIO_HDR_SIZE	110
#define CPIO_TRAILER	"TRAILER!!!"

struct cpio_header {
	uint32_t ino, mode, uid, gid, nlink, mtime, filesize;
	uint32_t devmajor, devminor, rdevmajor, rdevminor, namesize, check;
};

/* Walk state. */
struct cpio_reader {
	const char *buf;
	size_t len;
	size_t off;		/* start of the current entry */
	struct inode *root;
	unsigned int added;
};

static bool parse_hex8(const char *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = p[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* NULL if the header at p (CPIO_HDR_SIZE bytes available) is good, else what is wrong. */
static const char *parse_header(const char *p, struct cpio_header *h)
{
	uint32_t *field = &h->ino;

	if (memcmp(p, "070701", 6) && memcmp(p, "070702", 6))
		return "bad magic (not a cpio \"newc\" archive)";
	for (int i = 0; i < 13; i++)
		if (!parse_hex8(p + 6 + 8 * i, &field[i]))
			return "a header field is not 8 hex digits";
	return NULL;
}

static void cpio_complain(const struct cpio_reader *r, const char *what)
{
	printk("initramfs: damaged archive at byte %zu of %zu: %s; keeping the %u entries "
	       "before it (rebuild it with tools/mkinitramfs)\n", r->off, r->len, what, r->added);
}

static void cpio_skip(const char *name, const char *why)
{
	printk("initramfs: skipping \"%s\": %s\n", name, why);
}

/* The next component of name at *p (slashes skipped); its length, 0 at the end. */
static size_t next_component(const char **p)
{
	const char *s = *p, *e;

	while (*s == '/')
		s++;
	for (e = s; *e && *e != '/'; e++)
		;
	*p = s;
	return (size_t)(e - s);
}

static bool is_dot(const char *s, size_t n)
{
	return n == 1 && s[0] == '.';
}

static bool is_dotdot(const char *s, size_t n)
{
	return n == 2 && s[0] == '.' && s[1] == '.';
}

/*
 * Find the directory that will hold the last component of name; *last and
 * *len get that component. NULL (with *why) when the name is unusable.
 * "." components are ignored ("./bin" is "bin"); ".." is refused: an archive
 * must not reach outside its tree.
 */
static struct inode *cpio_parent(struct inode *root, const char *name, const char **last,
				 size_t *len, const char **why)
{
	struct inode *dir = root;
	const char *p = name;
	size_t n;

	*last = NULL;
	*len = 0;
	while ((n = next_component(&p)) != 0) {
		const char *c = p;

		p += n;
		if (is_dotdot(c, n))
			return *why = "\"..\" in a name", NULL;
		if (n > NAME_MAX)
			return *why = "a component is longer than 255 bytes", NULL;
		if (is_dot(c, n))
			continue;
		if (*last) {
			dir = inode_lookup_child(dir, *last, *len);
			if (!dir || !S_ISDIR(dir->i_mode))
				return *why = "its directory is not in the archive before it", NULL;
		}
		*last = c;
		*len = n;
	}
	return dir;
}

static bool cpio_type_ok(umode_t mode)
{
	return S_ISDIR(mode) || S_ISREG(mode) || S_ISCHR(mode);
}

static void cpio_set_attrs(struct inode *inode, const struct cpio_header *h, const void *data)
{
	inode->i_mode = (umode_t)h->mode;
	inode->i_uid = h->uid;
	inode->i_gid = h->gid;
	inode->i_mtime = h->mtime;
	if (S_ISREG(inode->i_mode)) {
		inode->i_size = h->filesize;
		inode->i_private = data;
	}
	if (S_ISCHR(inode->i_mode))
		inode->i_rdev = MKDEV(h->rdevmajor, h->rdevminor);
}

/* Create (or, for a duplicate of the same type, update: later wins) one entry. */
static void cpio_add(struct cpio_reader *r, const char *name, const struct cpio_header *h,
		     const void *data)
{
	const char *last, *why = NULL;
	struct inode *dir, *inode;
	size_t len;

	if (!cpio_type_ok((umode_t)h->mode))
		return cpio_skip(name, "not a directory, regular file or character device");
	dir = cpio_parent(r->root, name, &last, &len, &why);
	if (!dir)
		return cpio_skip(name, why);
	if (!last) {			/* "." or "/": the root itself */
		if (S_ISDIR(h->mode))
			r->root->i_mode = (umode_t)h->mode, r->added++;
		return;
	}
	inode = inode_lookup_child(dir, last, len);
	if (inode && (inode->i_mode & S_IFMT) != (h->mode & S_IFMT))
		return cpio_skip(name, "a duplicate of another type");
	if (!inode)
		inode = inode_create(dir, last, len, (umode_t)h->mode);
	if (!inode)
		return cpio_skip(name, "out of memory");
	cpio_set_attrs(inode, h, data);
	r->added++;
}

/*
 * Check and process the entry at r->off. Returns 1 to go on, 0 at the
 * trailer, -EINVAL when the archive is damaged (after the message).
 */
static int cpio_next(struct cpio_reader *r)
{
	struct cpio_header h;
	size_t name_off, data_off, left;
	const char *name, *err;

	left = r->len - r->off;
	if (left < CPIO_HDR_SIZE)
		return cpio_complain(r, left ? "truncated header" : "no TRAILER!!! entry at the end"),
		       -EINVAL;
	err = parse_header(r->buf + r->off, &h);
	if (err)
		return cpio_complain(r, err), -EINVAL;
	name_off = r->off + CPIO_HDR_SIZE;
	name = r->buf + name_off;
	if (h.namesize == 0 || h.namesize > PATH_MAX || h.namesize > r->len - name_off)
		return cpio_complain(r, "name size 0, above 4096 or past the end"), -EINVAL;
	if (strnlen(name, h.namesize) != h.namesize - 1)
		return cpio_complain(r, "name is not NUL-terminated where its size says"), -EINVAL;
	data_off = ALIGN_UP(name_off + h.namesize, 4);
	if (data_off > r->len || h.filesize > r->len - data_off)
		return cpio_complain(r, "file data past the end"), -EINVAL;
	if (!strcmp(name, CPIO_TRAILER))
		return 0;
	cpio_add(r, name, &h, r->buf + data_off);
	r->off = ALIGN_UP(data_off + h.filesize, 4);
	if (r->off > r->len)
		r->off = r->len;	/* the padding of the last entry may be cut off */
	return 1;
}

int unpack_cpio(struct inode *root, const void *buf, size_t len, unsigned int *added)
{
	struct cpio_reader r = { .buf = buf, .len = len, .root = root };
	int ret;

	while ((ret = cpio_next(&r)) > 0)
		;
	*added = r.added;
	return ret;
}

void initramfs_init(const struct boot_info *bi)
{
	static bool done;
	unsigned int added;

	if (WARN_ON(done))
		return;
	done = true;
	if (!bi->initrd_base || !bi->initrd_size) {
		printk("initramfs: no initrd, the root directory is empty (build one with "
		       "'make initrd' and boot with it)\n");
		return;
	}
	if (unpack_cpio(vfs_root(), __va(bi->initrd_base), bi->initrd_size, &added) == 0)
		printk("initramfs: %u entries from %llu bytes at 0x%llx\n", added,
		       (unsigned long long)bi->initrd_size, (unsigned long long)bi->initrd_base);
}
