/*
 * vsnprintf.c - the kernel's printf formatter.
 *
 * Supports %d %i %u %x %X %o %c %s %p %%, the flags '-' and '0', a field
 * width and a precision (both may be '*'), and the length modifiers
 * hh h l ll z t. Output is always NUL-terminated when size > 0 and the
 * return value is the length the full output would have had.
 */
#include <printk.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

struct spec {
	bool left, zero;
	int width, prec;
	int lmod;		/* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, int n, char c)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const char *s, const struct spec *sp)
{
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->prec >= 0 ? strnlen(s, sp->prec) : strlen(s);
	if (!sp->left)
		pad(o, sp->width - (int)n, ' ');
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, sp->width - (int)n, ' ');
}

static void put_num(struct out *o, unsigned long long v, bool neg, int base,
		    bool upper, struct spec *sp)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = dig[v % base];
		v /= base;
	} while (v);
	while (n < sp->prec)
		tmp[n++] = '0';
	len = n + neg;
	if (!sp->left && !sp->zero)
		pad(o, sp->width - len, ' ');
	if (neg)
		put(o, '-');
	if (!sp->left && sp->zero)
		pad(o, sp->width - len, '0');
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, sp->width - len, ' ');
}

static unsigned long long get_unsigned(va_list *ap, int lmod)
{
	switch (lmod) {
	case 2: return va_arg(*ap, unsigned long long);
	case 1: return va_arg(*ap, unsigned long);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	default: return va_arg(*ap, unsigned int);
	}
}

static long long get_signed(va_list *ap, int lmod)
{
	switch (lmod) {
	case 2: return va_arg(*ap, long long);
	case 1: return va_arg(*ap, long);
	case -1: return (short)va_arg(*ap, int);
	case -2: return (signed char)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

/* Parse flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->prec = 0;
		if (*f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l' || *f == 'z' || *f == 't')
			sp->lmod++;
		else if (*f == 'h')
			sp->lmod--;
		else
			break;
	}
	if (sp->lmod > 2)
		sp->lmod = 2;
	return f;
}

static void convert(struct out *o, char c, struct spec *sp, va_list *ap)
{
	long long s;

	switch (c) {
	case 'd': case 'i':
		s = get_signed(ap, sp->lmod);
		put_num(o, s < 0 ? -(unsigned long long)s : (unsigned long long)s,
			s < 0, 10, false, sp);
		break;
	case 'u': put_num(o, get_unsigned(ap, sp->lmod), false, 10, false, sp); break;
	case 'x': put_num(o, get_unsigned(ap, sp->lmod), false, 16, false, sp); break;
	case 'X': put_num(o, get_unsigned(ap, sp->lmod), false, 16, true, sp); break;
	case 'o': put_num(o, get_unsigned(ap, sp->lmod), false, 8, false, sp); break;
	case 'c': put(o, (char)va_arg(*ap, int)); break;
	case 's': put_str(o, va_arg(*ap, const char *), sp); break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		*sp = (struct spec){ .zero = true, .width = 16, .prec = -1 };
		put_num(o, (uintptr_t)va_arg(*ap, void *), false, 16, false, sp);
		break;
	case '%': put(o, '%'); break;
	default: put(o, '%'); put(o, c); break;	/* unknown: print it literally */
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	struct spec sp;
	va_list aq;

	va_copy(aq, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		f = parse_spec(f + 1, &sp, &aq);
		if (!*f)
			break;
		convert(&o, *f, &sp, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
