/* ls [-l] [PATH...] - list directories (or name files); -l adds type, mode and size. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int long_format;

static char type_char(mode_t m)
{
	return S_ISDIR(m) ? 'd' : S_ISCHR(m) ? 'c' : S_ISBLK(m) ? 'b' :
	       S_ISFIFO(m) ? 'p' : S_ISLNK(m) ? 'l' : '-';
}

static void show(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	if (!long_format) {
		printf("%s\n", name);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) < 0) {
		printf("?????????? %10s %s\n", "?", name);
		return;
	}
	printf("%c%04o %10ld %s\n", type_char(st.st_mode), (unsigned)(st.st_mode & 07777),
	       (long)st.st_size, name);
}

static int list(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode)) {
		show(".", path);
		return 0;
	}
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
		return 1;
	}
	errno = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			show(path, e->d_name);
	if (errno) {
		fprintf(stderr, "ls: reading %s: %s\n", path, strerror(errno));
		closedir(d);
		return 1;
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;

	if (i < argc && strcmp(argv[i], "-l") == 0) {
		long_format = 1;
		i++;
	}
	if (i == argc)
		return list(".");
	for (; i < argc; i++) {
		if (argc - i > 1)
			printf("%s:\n", argv[i]);
		status |= list(argv[i]);
	}
	return status;
}
