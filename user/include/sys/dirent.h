/* sys/dirent.h - see <dirent.h> (newlib's refuses to build for this target). */
#include <dirent.h>
