/*
 * init.c - the first user process (pid 1).
 *
 * kernel_init() (kernel/main.c) calls start_init_process(): a process with no parent,
 * fds 0, 1, 2 on /dev/console, cwd "/", and one thread that execs the program. When
 * pid 1 exits, exit.c stores its status word and completes the completion kernel_init
 * waits on; the kernel then powers off with that status (make test relies on it: its
 * init is /tests/usertests, whose exit code is its number of failures).
 */
#include <task.h>
#include <slab.h>
#include <string.h>
#include <fs.h>
#include <file.h>
#include <boot.h>
#include <uapi/faultline/fcntl.h>

static const char *const init_envp[] = { "HOME=/", "PATH=/bin", "TERM=vt100", NULL };

/* fds 0, 1, 2 of the current process (empty table) on the console. */
static void open_console_fds(void)
{
	struct file *f;
	int err = vfs_open("/dev/console", O_RDWR, 0, &f);

	if (err) {
		printk("init: cannot open /dev/console (error %d): pid 1 starts without "
		       "stdin/stdout/stderr\n", err);
		return;
	}
	for (int i = 0; i < 3; i++) {
		int fd = get_unused_fd_flags(0);

		BUG_ON(fd != i);
		fd_install(fd, i ? get_file(f) : f);
	}
}

#define INIT_MAX_ARGS	8

/* argv of pid 1: the program, then the words after " -- " on the command line (as
 * Linux: "init=/tests/fstests -- durability"). Fills argv; words are copied to buf. */
static void init_argv(const char *path, const char **argv, char *buf, size_t size)
{
	const char *rest = cmdline_string();
	int n = 0;

	while ((rest = strchr(rest, ' ')) && strncmp(rest, " -- ", 4))
		rest++;

	argv[n++] = path;
	if (rest)
		strlcpy(buf, rest + 4, size);
	for (char *p = rest ? buf : NULL; p && *p && n < INIT_MAX_ARGS + 1;) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p)
			argv[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[n] = NULL;
}

/* The thread of pid 1: become the program, then leave for user mode. */
static void init_thread_fn(void *arg)
{
	const char *path = arg;
	const char *argv[INIT_MAX_ARGS + 2];
	static char args[256];
	int err;

	init_argv(path, argv, args, sizeof(args));
	open_console_fds();
	err = kernel_execve(path, argv, init_envp);
	if (err) {
		printk("init: cannot execute %s (error %d); pass init=PATH naming a program "
		       "in the initramfs\n", path, err);
		do_exit(wstatus_exited(127));
	}
	user_return(current->user_regs);
}

static struct process *init_process_alloc(void)
{
	struct process *p = process_alloc();

	if (!p)
		return NULL;
	p->pid = alloc_pid();
	p->sighand = sighand_alloc();
	p->files = files_alloc();
	strlcpy(p->comm, "init", sizeof(p->comm));
	if (p->pid != 1 || !p->sighand || !p->files)
		panic("init: cannot set up pid 1 (pid %d; out of memory?)", p->pid);
	return p;
}

int start_init_process(const char *path, struct completion *done, int *status)
{
	struct process *p;
	struct thread_user *u;
	struct thread *t;

	if (proc_count_get())
		return -EAGAIN;
	p = init_process_alloc();
	u = thread_user_alloc(p, p->pid);
	t = u ? uthread_create(init_thread_fn, (void *)path, "init:1") : NULL;
	if (!t)
		panic("init: out of memory starting pid 1");
	t->user = u;
	t->proc = p;
	u->thread = t;
	proc_get(p);		/* the thread's reference */
	set_init_exit_hook(done, status);
	spin_lock(&tasklist_lock);
	init_process = p;
	list_add_tail(&p->all_node, &proc_list);
	spin_lock(&p->sighand->siglock);
	list_add_tail(&u->node, &p->threads);
	p->nr_threads = 1;
	spin_unlock(&p->sighand->siglock);
	spin_unlock(&tasklist_lock);
	wake_up_new_thread(t);
	thread_put(t);
	return 0;
}
