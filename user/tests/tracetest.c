/*
 * tracetest - boot with init=/tests/tracetest (tools/trace-test.sh does): records the trace
 * of /tests/faulter with /bin/trace and prints it between "=== trace begin ===" and
 * "=== trace end ===" for the host to convert (tools/trace2json, tools/trace2svg).
 * Last line: "tracetest: ok" or "tracetest: FAILED (...)"; exit status 0 when ok.
 */
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

int main(void)
{
	char *start[] = { "/bin/trace", "start", NULL };
	char *work[] = { "/tests/faulter", "4", "64", NULL };
	char *stop[] = { "/bin/trace", "stop", NULL };
	char *dump[] = { "/bin/trace", "dump", NULL };
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if ((rc = run(start)) || (rc = run(work)) || (rc = run(stop))) {
		printf("tracetest: FAILED (a step exited with %d)\n", rc);
		return 1;
	}
	printf("=== trace begin ===\n");
	rc = run(dump);
	printf("=== trace end ===\n");
	printf(rc ? "tracetest: FAILED (trace dump: %d)\n" : "tracetest: ok\n", rc);
	return rc != 0;
}
