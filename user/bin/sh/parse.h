/*
 * parse.h - the shell's pure logic (no system calls), also built on the host for
 * tests/host/user: splitting a line into a pipeline and searching PATH.
 */
#ifndef SH_PARSE_H
#define SH_PARSE_H

#include <stddef.h>

#define SH_MAX_ARGS	32	/* words per command */
#define SH_MAX_CMDS	8	/* commands per pipeline */

struct sh_cmd {
	char *argv[SH_MAX_ARGS + 1];	/* NULL-terminated */
	int argc;
	char *in;			/* < file, or NULL */
	char *out;			/* > or >> file, or NULL */
	int append;			/* 1 for >> */
};

struct sh_pipeline {
	struct sh_cmd cmd[SH_MAX_CMDS];
	int ncmd;			/* 0 for an empty line or a comment */
	int background;			/* line ended with & */
};

/*
 * Parse one line: words, 'single' and "double" quotes (no escapes inside), \x outside
 * quotes, | < > >> and a final &; # starts a comment at the beginning of a word.
 * The line is rewritten in place (the words point into it). Returns 0, or -1 with *err
 * pointing at a message that says what is wrong.
 */
int sh_parse(char *line, struct sh_pipeline *p, const char **err);

/*
 * Resolve a command name: a name containing '/' is used as is; otherwise each directory of
 * path (colon-separated, empty meaning ".") is tried with exists(). Returns 0 and writes the
 * result to out, or -1 if not found or too long.
 */
int sh_find_in_path(const char *name, const char *path, char *out, size_t outlen,
		    int (*exists)(const char *file));

#endif
