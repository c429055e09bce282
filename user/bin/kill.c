/* kill [-SIGNAL | -N] PID... - send a signal (default SIGTERM); -l lists the names. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "KILL", "SIGKILL" or "9" -> 9; 0 if unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n <= _NSIG ? (int)n : 0;
	for (int sig = 1; sig < _NSIG; sig++) {
		const char *name = fl_signame(sig);

		if (name && (strcmp(s, name) == 0 || strcmp(s, name + 3) == 0))
			return sig;
	}
	return 0;
}

static void list_signals(void)
{
	for (int sig = 1; sig < _NSIG; sig++)
		if (fl_signame(sig))
			printf("%2d %s\n", sig, fl_signame(sig) + 3);
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list_signals();
		return 0;
	}
	if (argc > 1 && argv[1][0] == '-') {
		sig = parse_signal(argv[1] + 1);
		if (!sig) {
			fprintf(stderr, "kill: unknown signal %s (kill -l lists them)\n", argv[1]);
			return 2;
		}
		i = 2;
	}
	if (i == argc) {
		fprintf(stderr, "usage: kill [-SIGNAL] PID...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (kill(atoi(argv[i]), sig) < 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
