/* sys/statfs.h - statfs(2): a file system's block and inode counts; the struct and the
 * *_MAGIC numbers from <faultline/statfs.h> (Linux's generic layout). */
#ifndef FL_SYS_STATFS_H
#define FL_SYS_STATFS_H

#include <faultline/statfs.h>

int statfs(const char *path, struct statfs *buf);

#endif
