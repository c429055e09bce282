/*
 * tracetest - boot with init=/tests/tracetest (tools/trace-test.sh does): records the trace
 * of /tests/faulter with /bin/trace, then of a read of /data/pattern from the disk after
 * dropping the page cache (block I/O events), and prints it between "=== trace begin ==="
 * and "=== trace end ===" for the host to convert (tools/trace2json, tools/trace2svg).
 * Last line: "tracetest: ok" or "tracetest: FAILED (...)"; exit status 0 when ok.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static int run(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		execve(argv[0], argv, environ);
		perror(argv[0]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Drop the page cache and read the disk's pattern file: io_submit/io_complete events. */
static int read_from_disk(void)
{
	char buf[4096];
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	int ok = fd >= 0 && write(fd, "1", 1) == 1;

	if (fd >= 0)
		close(fd);
	fd = open("/data/pattern", O_RDONLY);
	if (!ok || fd < 0)
		return 1;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
	return 0;
}

int main(void)
{
	char *start[] = { "/bin/trace", "start", NULL };
	char *work[] = { "/tests/faulter", "4", "64", NULL };
	char *stop[] = { "/bin/trace", "stop", NULL };
	char *dump[] = { "/bin/trace", "dump", NULL };
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((rc = run(start)) || (rc = run(work)) || (rc = read_from_disk()) || (rc = run(stop))) {
		printf("tracetest: FAILED (a step exited with %d)\n", rc);
		return 1;
	}
	printf("=== trace begin ===\n");
	rc = run(dump);
	printf("=== trace end ===\n");
	printf(rc ? "tracetest: FAILED (trace dump: %d)\n" : "tracetest: ok\n", rc);
	return rc != 0;
}
