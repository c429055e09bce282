/*
 * dirent.h - reading directories on getdents64 (newlib has no implementation for us).
 * d_type is one of the DT_* values from <faultline/dirent.h>.
 */
#ifndef FL_DIRENT_H
#define FL_DIRENT_H

#include <sys/types.h>
#include <faultline/dirent.h>

struct dirent {
	ino_t d_ino;
	unsigned char d_type;
	char d_name[256];
};

typedef struct __fl_dir DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif
