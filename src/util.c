/* util.c: allocation, buffers, the arena, UTF-8 and character classes. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mkcitybook.h"

static void NORETURN
oom(void)
{
	fputs("mkcitybook: error: out of memory\n", stderr);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if ((p = calloc(n ? n : 1, size ? size : 1)) == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p;

	p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf	 b = { NULL, 0, 0 };
	va_list		 ap;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	buf_reserve(&b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return b.p;
}

/* ------------------------------------------------------------------ buf */

void
buf_reserve(struct buf *b, size_t extra)
{
	size_t	 need;

	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

void
buf_put(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	 ch = (char)c;

	buf_put(b, &ch, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_utf8(struct buf *b, uint32_t cp)
{
	char	 s[4];

	buf_put(b, s, (size_t)utf8_encode(s, cp));
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *
buf_str(struct buf *b)
{
	return b->p == NULL ? "" : b->p;
}

/* ---------------------------------------------------------------- arena */

/* Chunks start small, since most articles are a few kilobytes, and
 * double up to this size. */
#define ARENA_FIRST	(2 * 1024)
#define ARENA_CHUNK	(64 * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t		 used;
	size_t		 size;
	/* The data follows, aligned by the union below. */
	union {
		long double	 ld;
		void		*p;
		long long	 ll;
	}		 data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c;
	size_t			 size;
	void			*p;

	n = (n + 15) & ~(size_t)15;
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		size = c == NULL ? ARENA_FIRST : c->size < ARENA_CHUNK ?
		    c->size * 2 : ARENA_CHUNK;
		if (n > size / 4)
			size = n;
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		if (size == n && a->head != NULL) {
			/* A big block: keep the current chunk in front. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	a->total += n;
	return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	return memset(arena_alloc(a, n), 0, n);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* Memory from malloc that the arena frees with everything else. */
struct arena_owned {
	void			*p;
	struct arena_owned	*next;
};

void
arena_own(struct arena *a, void *p)
{
	struct arena_owned	*o;

	o = arena_alloc(a, sizeof(*o));
	o->p = p;
	o->next = a->owned;
	a->owned = o;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk	*c, *next;
	struct arena_owned	*o;

	/* The list lives in the chunks: walk it before freeing them. */
	for (o = a->owned; o != NULL; o = o->next)
		free(o->p);
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->owned = NULL;
	a->total = 0;
}

/* ---------------------------------------------------------------- UTF-8 */

int
utf8_decode(const char *s, size_t len, uint32_t *cpp)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 cp;
	int			 n, i;

	if (len == 0)
		return -1;
	if (u[0] < 0x80) {
		*cpp = u[0];
		return 1;
	}
	if (u[0] < 0xC2)		/* continuation byte or overlong */
		return -1;
	else if (u[0] < 0xE0) {
		n = 2;
		cp = u[0] & 0x1F;
	} else if (u[0] < 0xF0) {
		n = 3;
		cp = u[0] & 0x0F;
	} else if (u[0] < 0xF5) {
		n = 4;
		cp = u[0] & 0x07;
	} else
		return -1;
	if (len < (size_t)n)
		return -1;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*cpp = cp;
	return n;
}

int
utf8_encode(char *s, uint32_t cp)
{
	if (cp < 0x80) {
		s[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	s[0] = (char)(0xF0 | (cp >> 18));
	s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	s[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

size_t
utf8_len(const char *s, size_t len)
{
	size_t	 i, n;

	for (i = n = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

/* The code point ending at s[*pos - 1]; moves *pos back to its start. */
uint32_t
utf8_prev(const char *s, size_t len, size_t *pos)
{
	size_t		 i;
	uint32_t	 cp;

	(void)len;
	if (*pos == 0)
		return 0;
	i = *pos - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80 && *pos - i < 4)
		i--;
	if (utf8_decode(s + i, *pos - i, &cp) < 0)
		cp = 0xFFFD;
	*pos = i;
	return cp;
}

/* ----------------------------------------------------- character classes */

/*
 * These are deliberately independent of the locale, so that the output
 * never depends on LC_CTYPE.  They cover what the heuristics need:
 * Latin, Greek and Cyrillic case, and the punctuation blocks.
 */

int
uc_is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	    c == '\f' || c == '\r' || c == 0xA0 || c == 0x1680 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
	    c == 0x202F || c == 0x205F || c == 0x3000;
}

int
uc_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) ||
	    (c >= 0x3400 && c <= 0x4DBF) ||
	    (c >= 0x20000 && c <= 0x323AF) ||
	    (c >= 0xF900 && c <= 0xFAFF) ||
	    (c >= 0x2E80 && c <= 0x2FDF) ||
	    c == 0x3005 || c == 0x3007 ||
	    (c >= 0x3021 && c <= 0x3029) ||
	    (c >= 0x3038 && c <= 0x303B);
}

int
uc_is_alnum(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z');
	if (c < 0xC0)
		return c == 0xAA || c == 0xB5 || c == 0xBA;
	if (c == 0xD7 || c == 0xF7)
		return 0;
	if (uc_is_space(c))
		return 0;
	if ((c >= 0x2000 && c <= 0x2BFF) ||	/* punctuation, symbols */
	    (c >= 0x2E00 && c <= 0x2E7F) ||	/* supplemental punct. */
	    (c >= 0x3000 && c <= 0x303F && !uc_is_han(c)) ||
	    (c >= 0xE000 && c <= 0xF8FF) ||	/* private use */
	    (c >= 0xFE10 && c <= 0xFE1F) ||
	    (c >= 0xFE30 && c <= 0xFE6F) ||
	    (c >= 0xFF00 && c <= 0xFF0F) ||
	    (c >= 0xFF1A && c <= 0xFF20) ||
	    (c >= 0xFF3B && c <= 0xFF40) ||
	    (c >= 0xFF5B && c <= 0xFF65) ||
	    (c >= 0xFFF0 && c <= 0xFFFF) ||
	    (c >= 0x1F000 && c <= 0x1FAFF))
		return 0;
	return 1;
}

int
uc_is_upper(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	if (c >= 0xC0 && c <= 0xDE)
		return c != 0xD7;
	if (c >= 0x100 && c <= 0x17F) {		/* Latin Extended-A */
		if (c == 0x130 || c == 0x178)
			return 1;
		if (c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F)
			return 0;
		/* Pairs are upper-then-lower, but odd-first in two runs. */
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
			return (c & 1) == 1;
		return (c & 1) == 0;
	}
	if (c >= 0x1CD && c <= 0x1DC)		/* pinyin vowels */
		return (c & 1) == 1;
	if (c >= 0x391 && c <= 0x3AB)		/* Greek */
		return c != 0x3A2;
	if (c >= 0x400 && c <= 0x42F)		/* Cyrillic */
		return 1;
	return 0;
}

int
uc_is_lower(uint32_t c)
{
	if (c < 0x80)
		return c >= 'a' && c <= 'z';
	if (c >= 0xDF && c <= 0xFF)
		return c != 0xF7;
	if (c >= 0x100 && c <= 0x17F)
		return !uc_is_upper(c);
	if (c >= 0x1CD && c <= 0x1DC)
		return (c & 1) == 0;
	if (c >= 0x3AC && c <= 0x3CE)
		return 1;
	if (c >= 0x430 && c <= 0x45F)
		return 1;
	return 0;
}

int
uc_is_xml_char(uint32_t c)
{
	if (c == '\t' || c == '\n')
		return 1;
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))	/* C0, DEL, C1 */
		return 0;
	if (c >= 0xD800 && c <= 0xDFFF)
		return 0;
	if (c >= 0xFDD0 && c <= 0xFDEF)		/* noncharacters */
		return 0;
	if ((c & 0xFFFE) == 0xFFFE)		/* U+xFFFE, U+xFFFF */
		return 0;
	return c <= 0x10FFFF;
}

/* ------------------------------------------------------------ string sets */

/*
 * An open-addressing hash set of strings, for names that must be
 * unique (heading ids, file names).  It holds pointers: the strings
 * must outlive it.
 */
static uint32_t
str_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int
strset_has(const struct strset *set, const char *s)
{
	size_t	 i;

	if (set->cap == 0)
		return 0;
	for (i = str_hash(s) & (set->cap - 1); set->v[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		if (strcmp(set->v[i], s) == 0)
			return 1;
	return 0;
}

void
strset_add(struct strset *set, const char *s)
{
	struct strset	 bigger;
	size_t		 i;

	if (2 * (set->n + 1) > set->cap) {
		bigger.cap = set->cap ? set->cap * 2 : 64;
		bigger.v = xcalloc(bigger.cap, sizeof(*bigger.v));
		bigger.n = 0;
		for (i = 0; i < set->cap; i++)
			if (set->v[i] != NULL)
				strset_add(&bigger, set->v[i]);
		free(set->v);
		*set = bigger;
	}
	for (i = str_hash(s) & (set->cap - 1); set->v[i] != NULL;
	    i = (i + 1) & (set->cap - 1))
		continue;
	set->v[i] = s;
	set->n++;
}

void
strset_free(struct strset *set)
{
	free(set->v);
	set->v = NULL;
	set->cap = set->n = 0;
}
