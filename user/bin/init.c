/*
 * init - the first process. The kernel starts /bin/init with fds 0, 1, 2 open on the console
 * (if they are not, init opens /dev/console). init runs /etc/rc with /bin/sh, then keeps a
 * shell on the console, starting a new one whenever it exits, and reaps every orphan.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char *const shell_env[] = { "PATH=/bin", "HOME=/", NULL };

static void console_fds(void)
{
	struct stat st;
	int fd;

	if (fstat(0, &st) == 0)
		return;
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;		/* nothing to write a message to either */
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(argv[0], argv, shell_env);
		fprintf(stderr, "init: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork failed: %s\n", strerror(errno));
	return pid;
}

/* Wait for pid, reaping any other child that ends meanwhile; returns its status. */
static int wait_for(pid_t pid)
{
	int status = 0;
	pid_t got;

	do
		got = wait(&status);
	while (got >= 0 && got != pid);
	return status;
}

static void run_rc(void)
{
	char *const argv[] = { "/bin/sh", "/etc/rc", NULL };
	struct stat st;
	pid_t pid;

	if (stat("/etc/rc", &st) < 0)
		return;
	pid = spawn(argv);
	if (pid > 0 && wait_for(pid) != 0)
		fprintf(stderr, "init: /etc/rc failed; continuing with a shell\n");
}

static void report(int status)
{
	if (WIFSIGNALED(status))
		fprintf(stderr, "init: shell killed by signal %d, starting a new one\n",
			WTERMSIG(status));
	else
		fprintf(stderr, "init: shell exited (status %d), starting a new one\n",
			WEXITSTATUS(status));
}

int main(void)
{
	char *const sh[] = { "/bin/sh", NULL };

	console_fds();
	run_rc();
	for (;;) {
		time_t started = time(NULL);
		pid_t pid = spawn(sh);

		if (pid < 0) {
			sleep(1);
			continue;
		}
		report(wait_for(pid));
		if (time(NULL) - started < 1)
			sleep(1);	/* a shell that dies at once must not spin the CPU */
	}
}
