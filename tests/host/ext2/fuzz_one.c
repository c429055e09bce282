/*
 * fuzz_one.c - one fuzz input: the bytes are a disk image. Mount it, walk
 * every directory, stat every name, read every file, make a few changes,
 * unmount; then nothing may be left allocated. A panic, a sanitizer report,
 * a hang (libFuzzer's -timeout) or a leak is a failure; -EIO is an answer.
 * Used by the fuzz target (fuzz_main.c) and by test_ext2 for the inputs in
 * regress/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "harness.h"
#include "fuzz_one.h"

#define MAX_IMAGE	(4u << 20)
#define MAX_NAMES	400		/* a walk visits at most this many names */
#define MAX_DEPTH	24
#define READ_CHUNK	8192

struct walk {
	char paths[MAX_NAMES][256];
	unsigned int n, done;
	char file[256];			/* a regular file seen, for the writes */
	char victim[256];		/* another name, to unlink */
	unsigned long long bytes;
};

static int add_name(void *arg, const char *name, unsigned long ino, unsigned int type)
{
	struct walk *w = arg;
	const char *dir = w->paths[w->done];

	(void)ino;
	(void)type;
	if (w->n >= MAX_NAMES)
		return 1;
	if ((size_t)snprintf(w->paths[w->n], sizeof(w->paths[0]), "%s/%s", strcmp(dir, "/") ? dir : "",
			     name) >= sizeof(w->paths[0]))
		return 0;	/* too deep to name: skip it */
	w->n++;
	return 0;
}

static void read_file(struct walk *w, const char *path, long long size)
{
	static char buf[READ_CHUNK];

	for (long long off = 0; off < size && w->bytes < (64u << 20); off += 16 * READ_CHUNK) {
		long n = h_read(path, off, buf, sizeof(buf));

		if (n <= 0)
			return;
		w->bytes += (unsigned long long)n;
	}
}

static void visit(struct walk *w, const char *path)
{
	struct h_stat st;
	unsigned int depth = 0;

	for (const char *p = path; *p; p++)
		depth += *p == '/';
	if (h_stat(path, &st))
		return;
	if (S_ISDIR(st.mode) && depth < MAX_DEPTH)
		h_readdir(path, add_name, w);
	if (S_ISREG(st.mode)) {
		read_file(w, path, st.size);
		if (!w->file[0])
			snprintf(w->file, sizeof(w->file), "%s", path);
		else if (!w->victim[0])
			snprintf(w->victim, sizeof(w->victim), "%s", path);
	}
}

/* A few changes: they allocate and free blocks and inodes, and add and remove
 * directory entries, on whatever the image turned out to be. */
static void change(struct walk *w)
{
	static char data[6000];

	memset(data, 'f', sizeof(data));
	h_write("/fuzz-new", 0, data, sizeof(data), true);
	h_mkdir("/fuzz-dir");
	h_rename("/fuzz-new", "/fuzz-dir/moved");
	if (w->file[0]) {
		h_write(w->file, 100, data, 2000, false);
		h_truncate(w->file, 1500);
	}
	if (w->victim[0])
		h_unlink(w->victim);
	h_unlink("/fuzz-dir/moved");
	h_rmdir("/fuzz-dir");
}

static unsigned long pages0;
static long objs0;

void fuzz_baseline(void)
{
	pages0 = h_free_pages();
	objs0 = h_kmalloc_live();
}

void fuzz_init(void)
{
	h_boot();
	fuzz_baseline();
}

int fuzz_one(const unsigned char *data, size_t size)
{
	static struct walk w;
	unsigned char *img;
	int err;

	if (size > MAX_IMAGE)
		return 0;
	img = malloc(size ? size : 1);
	memcpy(img, data, size);
	h_log_clear();
	if (h_mount(img, size, false) == 0) {
		memset(&w, 0, sizeof(w));
		strcpy(w.paths[w.n++], "/");
		while (w.done < w.n) {
			visit(&w, w.paths[w.done]);
			w.done++;
		}
		change(&w);
		err = h_umount();
		if (err && err != -5) {
			fprintf(stderr, "fuzz: unmount failed with %d (a reference leak?)\n%s", err, h_log());
			abort();
		}
	}
	free(img);
	if (h_free_pages() != pages0 || h_kmalloc_live() != objs0) {
		fprintf(stderr, "fuzz: leak: %ld pages and %ld kmalloc objects not freed\n%s",
			(long)(pages0 - h_free_pages()), h_kmalloc_live() - objs0, h_log());
		abort();
	}
	return 0;
}
