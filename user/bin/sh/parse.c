/* parse.c - see parse.h. */
#include <string.h>
#include "parse.h"

enum tok { T_END, T_WORD, T_PIPE, T_IN, T_OUT, T_APPEND, T_AMP };

struct lexer {
	char *in;		/* next input character */
	char *out;		/* where the next word character goes (never ahead of in) */
	enum tok pending;	/* operator read while ending the previous word, or T_END */
	const char *err;
};

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_special(char c)
{
	return c == '|' || c == '<' || c == '>' || c == '&';
}

/* Copy a quoted part (after the opening quote) to the word; 0 or -1 if unterminated. */
static int lex_quoted(struct lexer *lx, char quote)
{
	while (*lx->in && *lx->in != quote)
		*lx->out++ = *lx->in++;
	if (!*lx->in) {
		lx->err = "unterminated quote: close it with the same kind of quote";
		return -1;
	}
	lx->in++;
	return 0;
}

/* Read one word into place; *word is its start. 0 or -1 on error. */
static int lex_word(struct lexer *lx, char **word)
{
	*word = lx->out;
	while (*lx->in && !is_space(*lx->in) && !is_special(*lx->in)) {
		char c = *lx->in++;

		if ((c == '\'' || c == '"') && lex_quoted(lx, c) < 0)
			return -1;
		else if (c == '\\' && *lx->in)
			*lx->out++ = *lx->in++;
		else if (c != '\'' && c != '"' && c != '\\')
			*lx->out++ = c;
	}
	return 0;
}

static enum tok lex_operator(struct lexer *lx)
{
	char c = *lx->in++;

	if (c == '|')
		return T_PIPE;
	if (c == '<')
		return T_IN;
	if (c == '&')
		return T_AMP;
	if (*lx->in == '>') {
		lx->in++;
		return T_APPEND;
	}
	return T_OUT;
}

/*
 * Next token. Words are NUL-terminated in place. When an operator follows a word directly
 * ("a|b"), the NUL would land on it, so the operator is read first and kept for next time.
 */
static enum tok lex_next(struct lexer *lx, char **word)
{
	enum tok t = lx->pending;

	if (t != T_END) {
		lx->pending = T_END;
		return t;
	}
	while (is_space(*lx->in))
		lx->in++;
	if (!*lx->in || *lx->in == '#')
		return T_END;
	if (is_special(*lx->in))
		return lex_operator(lx);
	lx->out = lx->in;
	if (lex_word(lx, word) < 0)
		return T_END;
	if (is_special(*lx->in))
		lx->pending = lex_operator(lx);
	else if (*lx->in)
		lx->in++;	/* a blank: overwritten by the NUL below, or already behind */
	*lx->out = '\0';
	return T_WORD;
}

static int fail(struct lexer *lx, const char *msg)
{
	if (!lx->err)
		lx->err = msg;
	return -1;
}

/* After < > >>: the file name. */
static int parse_redirect(struct lexer *lx, struct sh_cmd *c, enum tok t)
{
	char *file;

	if (lex_next(lx, &file) != T_WORD)
		return fail(lx, "missing file name after a redirection (< > >>)");
	if (t == T_IN) {
		c->in = file;
	} else {
		c->out = file;
		c->append = (t == T_APPEND);
	}
	return 0;
}

static int add_word(struct lexer *lx, struct sh_cmd *c, char *w)
{
	if (c->argc == SH_MAX_ARGS)
		return fail(lx, "too many words in one command (at most 32)");
	c->argv[c->argc++] = w;
	c->argv[c->argc] = NULL;
	return 0;
}

/* One token into the pipeline; 1 at the end of the line, 0 to go on, -1 on error. */
static int parse_token(struct lexer *lx, struct sh_pipeline *p, enum tok t, char *w)
{
	struct sh_cmd *c = &p->cmd[p->ncmd - 1];

	switch (t) {
	case T_WORD:
		return add_word(lx, c, w);
	case T_IN: case T_OUT: case T_APPEND:
		return parse_redirect(lx, c, t);
	case T_PIPE:
		if (c->argc == 0)
			return fail(lx, "empty command before |");
		if (p->ncmd == SH_MAX_CMDS)
			return fail(lx, "too many commands in one pipeline (at most 8)");
		memset(&p->cmd[p->ncmd++], 0, sizeof(*c));
		return 0;
	case T_AMP:
		p->background = 1;
		return lex_next(lx, &w) == T_END ? 1 : fail(lx, "& must end the line");
	case T_END:
		return 1;
	}
	return 1;
}

int sh_parse(char *line, struct sh_pipeline *p, const char **err)
{
	struct lexer lx = { line, line, T_END, NULL };
	char *w = NULL;
	enum tok t;
	int r;

	memset(p, 0, sizeof(*p));
	p->ncmd = 1;
	do {
		t = lex_next(&lx, &w);
		r = parse_token(&lx, p, t, w);
	} while (r == 0);
	if (r == 1 && lx.err)
		r = -1;
	if (r == 0 || r == 1) {
		struct sh_cmd *last = &p->cmd[p->ncmd - 1];

		if (last->argc == 0 && (p->ncmd > 1 || last->in || last->out || p->background))
			r = fail(&lx, "missing command (after | or before a redirection or &)");
		else if (last->argc == 0)
			p->ncmd = 0;
	}
	*err = lx.err;
	return r < 0 ? -1 : 0;
}

static int try_dir(const char *dir, size_t dlen, const char *name, char *out, size_t outlen,
		   int (*exists)(const char *))
{
	size_t nlen = strlen(name);

	if (dlen == 0) {
		dir = ".";
		dlen = 1;
	}
	if (dlen + 1 + nlen + 1 > outlen)
		return -1;
	memcpy(out, dir, dlen);
	out[dlen] = '/';
	memcpy(out + dlen + 1, name, nlen + 1);
	return exists(out) ? 0 : -1;
}

int sh_find_in_path(const char *name, const char *path, char *out, size_t outlen,
		    int (*exists)(const char *file))
{
	if (!*name)
		return -1;
	if (strchr(name, '/')) {
		if (strlen(name) + 1 > outlen)
			return -1;
		strcpy(out, name);
		return 0;
	}
	while (path) {
		const char *colon = strchr(path, ':');
		size_t dlen = colon ? (size_t)(colon - path) : strlen(path);

		if (try_dir(path, dlen, name, out, outlen, exists) == 0)
			return 0;
		path = colon ? colon + 1 : NULL;
	}
	return -1;
}
