/*
 * sh - Faultline's shell: pipelines, < > >> redirection, & (background), the built-ins
 * cd and exit, and PATH search (default /bin). Parsing lives in parse.c.
 *   sh              interactive on stdin (prompt "$ " when stdin is a terminal)
 *   sh FILE [ARG]   run the commands in FILE
 *   sh -c 'LINE'    run one line
 * The exit status is the last command's (128 + signal if it was killed).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "parse.h"

#define LINE_MAX_LEN 1024

static int last_status;

static int is_executable(const char *file)
{
	struct stat st;

	return stat(file, &st) == 0 && S_ISREG(st.st_mode);
}

/* Make fd `to` refer to `file` opened with flags; exits the (child) process on failure. */
static void redirect(const char *file, int flags, int to)
{
	int fd = open(file, flags, 0644);

	if (fd < 0) {
		fprintf(stderr, "sh: %s: %s\n", file, strerror(errno));
		_exit(1);
	}
	if (fd != to) {
		dup2(fd, to);
		close(fd);
	}
}

/* In the child: wire up fds, find the program and exec it. Never returns. */
static void run_child(struct sh_cmd *c, int in, int out)
{
	char path[256];
	const char *search = getenv("PATH");

	if (in != 0) {
		dup2(in, 0);
		close(in);
	}
	if (out != 1) {
		dup2(out, 1);
		close(out);
	}
	if (c->in)
		redirect(c->in, O_RDONLY, 0);
	if (c->out)
		redirect(c->out, O_WRONLY | O_CREAT | (c->append ? O_APPEND : O_TRUNC), 1);
	if (sh_find_in_path(c->argv[0], search ? search : "/bin", path, sizeof(path),
			    is_executable) < 0) {
		fprintf(stderr, "sh: %s: command not found (PATH=%s)\n", c->argv[0],
			search ? search : "/bin");
		_exit(127);
	}
	execve(path, c->argv, environ);
	fprintf(stderr, "sh: %s: %s\n", path, strerror(errno));
	_exit(126);
}

static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		const char *name = fl_signame(WTERMSIG(status));

		fprintf(stderr, "sh: killed by %s\n", name ? name : "a signal");
		return 128 + WTERMSIG(status);
	}
	return 1;
}

static int in_list(const pid_t *pids, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (pids[i] == pid)
			return 1;
	return 0;
}

/* Wait for the pids of a foreground pipeline (reporting background jobs that end meanwhile);
 * the status is the last command's. */
static void wait_pipeline(const pid_t *pids, int n)
{
	int status, left = n;

	while (left > 0) {
		pid_t pid = wait(&status);

		if (pid < 0)
			break;
		if (!in_list(pids, n, pid))
			fprintf(stderr, "[%d] done, status %d\n", pid, status_code(status));
		for (int i = 0; i < n; i++) {
			if (pids[i] != pid)
				continue;
			left--;
			if (i == n - 1)
				last_status = status_code(status);
		}
	}
}

/* Start command i of the pipeline reading from in; returns its pid or -1. */
static pid_t start_cmd(struct sh_pipeline *p, int i, int in, int *next_in)
{
	int fds[2] = { -1, 1 };
	pid_t pid;

	*next_in = -1;
	if (i + 1 < p->ncmd && pipe(fds) < 0) {
		perror("sh: pipe");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		/* ^C is for the foreground command; background jobs keep ignoring it. */
		if (!p->background)
			signal(SIGINT, SIG_DFL);
		if (fds[0] >= 0)
			close(fds[0]);
		run_child(&p->cmd[i], in, fds[1]);
	}
	if (pid < 0)
		perror("sh: fork");
	if (fds[0] >= 0)
		close(fds[1]);
	*next_in = fds[0];
	return pid;
}

static void run_pipeline(struct sh_pipeline *p)
{
	pid_t pids[SH_MAX_CMDS];
	int in = 0, n = 0;

	for (int i = 0; i < p->ncmd; i++) {
		int next_in;
		pid_t pid = start_cmd(p, i, in, &next_in);

		if (in != 0)
			close(in);
		if (pid < 0) {
			if (next_in >= 0)
				close(next_in);
			break;
		}
		pids[n++] = pid;
		in = next_in;
	}
	if (p->background)
		printf("[%d]\n", n ? pids[n - 1] : -1);
	else
		wait_pipeline(pids, n);
}

/* cd and exit run in the shell itself; returns 1 if the command was one of them. */
static int builtin(struct sh_cmd *c)
{
	if (strcmp(c->argv[0], "exit") == 0) {
		exit(c->argc > 1 ? atoi(c->argv[1]) : last_status);
	}
	if (strcmp(c->argv[0], "cd") == 0) {
		const char *dir = c->argc > 1 ? c->argv[1] : "/";

		last_status = 0;
		if (chdir(dir) < 0) {
			fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
			last_status = 1;
		}
		return 1;
	}
	return 0;
}

static void run_line(char *line)
{
	struct sh_pipeline p;
	const char *err;

	if (sh_parse(line, &p, &err) < 0) {
		fprintf(stderr, "sh: %s\n", err);
		last_status = 2;
		return;
	}
	if (p.ncmd == 0)
		return;
	if (p.ncmd == 1 && !p.background && builtin(&p.cmd[0]))
		return;
	run_pipeline(&p);
}

/* Collect finished background jobs so they do not stay zombies. */
static void reap_background(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		fprintf(stderr, "[%d] done, status %d\n", pid, status_code(status));
}

static int run_file(FILE *f, int interactive)
{
	char line[LINE_MAX_LEN];

	for (;;) {
		reap_background();
		if (interactive) {
			fputs("$ ", stdout);
			fflush(stdout);
		}
		if (!fgets(line, sizeof(line), f))
			break;
		run_line(line);
	}
	return last_status;
}

int main(int argc, char **argv)
{
	FILE *f;

	if (!getenv("PATH"))
		setenv("PATH", "/bin", 1);
	if (argc > 2 && strcmp(argv[1], "-c") == 0) {
		run_line(argv[2]);
		return last_status;
	}
	if (argc == 1 && isatty(0)) {
		/* The console sends ^C to every process: the interactive shell survives it. */
		signal(SIGINT, SIG_IGN);
		return run_file(stdin, 1);
	}
	if (argc == 1)
		return run_file(stdin, 0);
	f = fopen(argv[1], "r");
	if (!f) {
		fprintf(stderr, "sh: %s: %s\n", argv[1], strerror(errno));
		return 127;
	}
	return run_file(f, 0);
}
