/*
 * cmdline.c - the kernel command line: "key=value" and bare "key" words
 * separated by spaces, e.g. "ktest=rwsem blk_delay_us=500".
 */
#include <boot.h>
#include <string.h>
#include <printk.h>

#define CMDLINE_MAX	512

static char cmdline[CMDLINE_MAX];	/* [I] after cmdline_init() */

void cmdline_init(const char *s)
{
	if (!s)
		s = "";
	if (strlcpy(cmdline, s, sizeof(cmdline)) >= sizeof(cmdline))
		printk("cmdline: longer than %d bytes, the rest is ignored\n", CMDLINE_MAX - 1);
}

const char *cmdline_string(void)
{
	return cmdline;
}

/* Find word "key" or "key=..." and return what follows the key. */
static const char *find_key(const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = cmdline; *p;) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, klen) && (p[klen] == '=' || p[klen] == ' ' || !p[klen]))
			return p + klen;
		while (*p && *p != ' ')
			p++;
	}
	return NULL;
}

/* The returned value ends at the next space, not at a NUL: use cmdline_copy for a string. */
const char *cmdline_get(const char *key)
{
	const char *v = find_key(key);

	if (!v)
		return NULL;
	return *v == '=' ? v + 1 : v;
}

bool cmdline_has(const char *key)
{
	return find_key(key) != NULL;
}

size_t cmdline_copy(const char *key, char *buf, size_t size)
{
	const char *v = cmdline_get(key);
	size_t n = 0;

	if (!v || !size)
		return 0;
	while (v[n] && v[n] != ' ' && n + 1 < size) {
		buf[n] = v[n];
		n++;
	}
	buf[n] = '\0';
	return n;
}

unsigned long cmdline_get_ulong(const char *key, unsigned long dflt)
{
	const char *v = cmdline_get(key), *end;
	unsigned long n;

	if (!v || *v == ' ' || !*v)
		return dflt;
	n = strtoul(v, &end, 0);
	if (*end && *end != ' ') {
		printk("cmdline: %s: '%.*s' is not a number, using %lu\n", key,
		       (int)(strchr(v, ' ') ? strchr(v, ' ') - v : (long)strlen(v)), v, dflt);
		return dflt;
	}
	return n;
}
