/* sys/signal.h - see <signal.h> (replaces newlib's BSD-numbered one). */
#include <signal.h>
