/* dirent.c - opendir/readdir/closedir on getdents64. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fl_internal.h"

struct __fl_dir {
	int fd;
	int pos, len;		/* next record and end of buf */
	struct dirent ent;	/* what readdir returns */
	char buf[2048] __attribute__((aligned(8)));
};

DIR *opendir(const char *path)
{
	DIR *d = malloc(sizeof(*d));

	if (!d)
		return NULL;
	d->fd = open(path, O_RDONLY | O_DIRECTORY);
	if (d->fd < 0) {
		free(d);
		return NULL;
	}
	d->pos = d->len = 0;
	return d;
}

/* Refill buf; 1 if records are available, 0 at the end or on error (errno set). */
static int refill(DIR *d)
{
	long r = SYS3(__NR_getdents64, d->fd, d->buf, sizeof(d->buf));

	if (fl_ret(r) <= 0)
		return 0;
	d->pos = 0;
	d->len = (int)r;
	return 1;
}

struct dirent *readdir(DIR *d)
{
	struct linux_dirent64 *k;

	if (d->pos >= d->len && !refill(d))
		return NULL;
	k = (struct linux_dirent64 *)(d->buf + d->pos);
	if (k->d_reclen <= offsetof(struct linux_dirent64, d_name) ||
	    k->d_reclen > d->len - d->pos) {
		errno = EIO;	/* the kernel returned a malformed record */
		d->pos = d->len;
		return NULL;
	}
	d->pos += k->d_reclen;
	d->ent.d_ino = k->d_ino;
	d->ent.d_type = k->d_type;
	strncpy(d->ent.d_name, k->d_name, sizeof(d->ent.d_name) - 1);
	d->ent.d_name[sizeof(d->ent.d_name) - 1] = '\0';
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);

	free(d);
	return r;
}
