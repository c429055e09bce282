/*
 * test_user.c - host tests for the shell's parser and PATH search. Ends with
 * "user: N passed, N failed".
 */
#include <stdio.h>
#include <string.h>
#include "parse.h"

static int passed, failed;

#define CHECK(cond) check((cond), #cond, __FILE__, __LINE__)
static void check(int ok, const char *what, const char *file, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s:%d: %s\n", file, line, what);
}

/* Parse text (copied) and return 0 / -1; p and err receive the results. */
static int parse(const char *text, char *buf, struct sh_pipeline *p, const char **err)
{
	strcpy(buf, text);
	*err = NULL;
	return sh_parse(buf, p, err);
}

/* "a b c" -> compare argv of command i with the space-separated words in want. */
static int argv_is(const struct sh_cmd *c, const char *want)
{
	char w[256], *tok, *save;
	int i = 0;

	strcpy(w, want);
	for (tok = strtok_r(w, " ", &save); tok; tok = strtok_r(NULL, " ", &save), i++)
		if (i >= c->argc || strcmp(c->argv[i], tok) != 0)
			return 0;
	return i == c->argc && c->argv[i] == NULL;
}

static void test_words(void)
{
	char buf[256];
	struct sh_pipeline p;
	const char *err;

	CHECK(parse("  ls   -l  /bin ", buf, &p, &err) == 0);
	CHECK(p.ncmd == 1 && argv_is(&p.cmd[0], "ls -l /bin") && !p.background);
	CHECK(parse("", buf, &p, &err) == 0 && p.ncmd == 0);
	CHECK(parse("   # just a comment", buf, &p, &err) == 0 && p.ncmd == 0);
	CHECK(parse("echo a#b # tail", buf, &p, &err) == 0 && argv_is(&p.cmd[0], "echo a#b"));
	CHECK(parse("echo 'a  b' \"c|d\" e\\ f", buf, &p, &err) == 0);
	CHECK(p.cmd[0].argc == 4 && strcmp(p.cmd[0].argv[1], "a  b") == 0 &&
	      strcmp(p.cmd[0].argv[2], "c|d") == 0 && strcmp(p.cmd[0].argv[3], "e f") == 0);
	CHECK(parse("echo x'y'\"z\"", buf, &p, &err) == 0 && argv_is(&p.cmd[0], "echo xyz"));
	CHECK(parse("echo ''", buf, &p, &err) == 0 && p.cmd[0].argc == 2 &&
	      p.cmd[0].argv[1][0] == '\0');
}

static void test_pipes_and_redirections(void)
{
	char buf[256];
	struct sh_pipeline p;
	const char *err;

	CHECK(parse("cat</etc/rc|grep x|wc>out", buf, &p, &err) == 0);
	CHECK(p.ncmd == 3 && argv_is(&p.cmd[0], "cat") && strcmp(p.cmd[0].in, "/etc/rc") == 0);
	CHECK(argv_is(&p.cmd[1], "grep x") && !p.cmd[1].in && !p.cmd[1].out);
	CHECK(argv_is(&p.cmd[2], "wc") && strcmp(p.cmd[2].out, "out") == 0 && !p.cmd[2].append);
	CHECK(parse("echo hi >> log &", buf, &p, &err) == 0);
	CHECK(p.background && p.cmd[0].append && strcmp(p.cmd[0].out, "log") == 0);
	CHECK(parse("sleep 1&", buf, &p, &err) == 0 && p.background &&
	      argv_is(&p.cmd[0], "sleep 1"));
	CHECK(parse("> f echo x", buf, &p, &err) == 0 && argv_is(&p.cmd[0], "echo x") &&
	      strcmp(p.cmd[0].out, "f") == 0);
}

static void test_errors(void)
{
	char buf[256], big[512];
	struct sh_pipeline p;
	const char *err;

	CHECK(parse("| ls", buf, &p, &err) == -1 && err);
	CHECK(parse("ls |", buf, &p, &err) == -1 && err);
	CHECK(parse("ls | | wc", buf, &p, &err) == -1 && err);
	CHECK(parse("cat <", buf, &p, &err) == -1 && err && strstr(err, "file name"));
	CHECK(parse("cat > | wc", buf, &p, &err) == -1 && err);
	CHECK(parse("echo 'open", buf, &p, &err) == -1 && err && strstr(err, "quote"));
	CHECK(parse("a & b", buf, &p, &err) == -1 && err && strstr(err, "&"));
	CHECK(parse("&", buf, &p, &err) == -1 && err);
	CHECK(parse("a|b|c|d|e|f|g|h", buf, &p, &err) == 0 && p.ncmd == 8);
	CHECK(parse("a|b|c|d|e|f|g|h|i", buf, &p, &err) == -1 && err);
	strcpy(big, "x");
	for (int i = 0; i < 32; i++)
		strcat(big, " w");
	CHECK(sh_parse(big, &p, &err) == -1 && err && strstr(err, "too many"));
}

static int fake_exists(const char *file)
{
	return strcmp(file, "/usr/bin/ls") == 0 || strcmp(file, "./tool") == 0 ||
	       strcmp(file, "/bin/sh") == 0;
}

static void test_path(void)
{
	char out[64];

	CHECK(sh_find_in_path("ls", "/bin:/usr/bin", out, sizeof(out), fake_exists) == 0 &&
	      strcmp(out, "/usr/bin/ls") == 0);
	CHECK(sh_find_in_path("sh", "/bin:/usr/bin", out, sizeof(out), fake_exists) == 0 &&
	      strcmp(out, "/bin/sh") == 0);
	CHECK(sh_find_in_path("tool", "/bin::/usr/bin", out, sizeof(out), fake_exists) == 0 &&
	      strcmp(out, "./tool") == 0);
	CHECK(sh_find_in_path("nope", "/bin:/usr/bin", out, sizeof(out), fake_exists) == -1);
	CHECK(sh_find_in_path("./x/y", "/bin", out, sizeof(out), fake_exists) == 0 &&
	      strcmp(out, "./x/y") == 0);
	CHECK(sh_find_in_path("ls", "/a/very/long/directory/name/that/does/not/fit/in/out",
			      out, 16, fake_exists) == -1);
	CHECK(sh_find_in_path("", "/bin", out, sizeof(out), fake_exists) == -1);
}

int main(void)
{
	test_words();
	test_pipes_and_redirections();
	test_errors();
	test_path();
	printf("user: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
