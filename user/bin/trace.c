/*
 * trace - control the kernel's event trace (/proc/trace, docs/fault-path.md).
 *   trace start            empty the rings and start recording
 *   trace stop             stop recording (the events stay)
 *   trace clear            empty the rings (tracing must be stopped)
 *   trace dump [FILE]      write the events as text to FILE (default: standard output)
 *   trace run CMD [ARG...] start, run CMD, wait for it, stop; then "trace dump"
 * Convert a dump on the host: tools/trace2json DUMP > t.json; tools/trace2svg DUMP > t.svg
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define TRACE_FILE "/proc/trace"

static int ctl(const char *cmd)
{
	int fd = open(TRACE_FILE, O_WRONLY);

	if (fd < 0 || write(fd, cmd, strlen(cmd)) < 0) {
		fprintf(stderr, "trace: %s %s: %s (is /proc mounted? see the kernel log)\n",
			cmd, TRACE_FILE, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	return 0;
}

static int dump(const char *path)
{
	char buf[4096];
	int in = open(TRACE_FILE, O_RDONLY), out = 1;
	ssize_t n;

	if (in < 0) {
		fprintf(stderr, "trace: %s: %s\n", TRACE_FILE, strerror(errno));
		return 1;
	}
	if (path && (out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		fprintf(stderr, "trace: %s: %s (a read-only file system? dump to stdout)\n",
			path, strerror(errno));
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			fprintf(stderr, "trace: write: %s\n", strerror(errno));
			return 1;
		}
	close(in);
	if (out != 1)
		close(out);
	return n < 0;
}

static int run(char **argv)
{
	int status;
	pid_t pid;

	if (ctl("stop") || ctl("clear") || ctl("start"))
		return 1;
	pid = fork();
	if (pid == 0) {
		execve(argv[0], argv, environ);
		fprintf(stderr, "trace: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		fprintf(stderr, "trace: run %s: %s\n", argv[0], strerror(errno));
		ctl("stop");
		return 1;
	}
	if (ctl("stop"))
		return 1;
	return dump(NULL) || !WIFEXITED(status) || WEXITSTATUS(status);
}

static int usage(void)
{
	fprintf(stderr, "usage: trace start | stop | clear | dump [FILE] | run CMD [ARG...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "start"))
		return ctl("stop") || ctl("clear") || ctl("start");
	if (!strcmp(argv[1], "stop") || !strcmp(argv[1], "clear"))
		return ctl(argv[1]);
	if (!strcmp(argv[1], "dump"))
		return dump(argc > 2 ? argv[2] : NULL);
	if (!strcmp(argv[1], "run") && argc > 2)
		return run(argv + 2);
	return usage();
}
