/* article.c: plain-text article -> model.  Pure: no I/O, no libxml2. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mkcitybook.h"

/* A line of a hard-wrapped paragraph is never longer than this. */
#define WRAP_MAX	120
/* A heading is at most this many characters and words. */
#define HEADING_CHARS	80
#define HEADING_WORDS	12
/* Report at most this many bad characters of one kind in one file. */
#define CLEAN_REPORTS	1

/* ------------------------------------------------------------ the model */

struct node *
node_new(struct arena *a, enum node_type type, unsigned line)
{
	struct node	*n;

	n = arena_zalloc(a, sizeof(*n));
	n->type = type;
	n->line = line;
	return n;
}

void
node_append(struct node *parent, struct node *child)
{
	if (parent->last == NULL)
		parent->child = child;
	else
		parent->last->next = child;
	parent->last = child;
}

int
node_is_block(const struct node *n)
{
	return n->type <= NODE_FIGURE;
}

static void
node_text_r(struct buf *b, const struct node *n)
{
	const struct node	*c;

	switch (n->type) {
	case NODE_TEXT:
	case NODE_CODE:
		buf_puts(b, n->text);
		return;
	case NODE_LINEBREAK:
		buf_putc(b, ' ');
		return;
	case NODE_IMAGE:
		if (n->alt != NULL)
			buf_puts(b, n->alt);
		return;
	default:
		break;
	}
	for (c = n->child; c != NULL; c = c->next)
		node_text_r(b, c);
}

char *
node_text(struct arena *a, const struct node *n)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*s;

	node_text_r(&b, n);
	s = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return s;
}

struct article *
article_new(const char *name, enum article_format format)
{
	struct arena	 a = { NULL, NULL, 0 };
	struct article	*art;
	const char	*base;

	art = arena_zalloc(&a, sizeof(*art));
	art->arena = a;
	base = strrchr(name, '/');
	art->name = arena_strdup(&art->arena, base ? base + 1 : name);
	art->format = format;
	art->body = node_new(&art->arena, NODE_QUOTE, 0);
	return art;
}

void
article_free(struct article *art)
{
	struct arena	 a;

	if (art == NULL)
		return;
	/* The article lives in its own arena: copy it out first. */
	a = art->arena;
	arena_free(&a);
}

/* -------------------------------------------------------------- cleaning */

/*
 * Checks and normalises the raw bytes: drops a BOM, turns CRLF and CR
 * into LF, reports invalid UTF-8 (an error) and characters that XML
 * forbids (a warning; they are dropped).
 */
char *
text_clean(struct arena *arena, struct diags *diags, const char *in,
    size_t len, size_t *outlen)
{
	char		*out;
	size_t		 i, o, cap;
	unsigned	 line, col, nbad, nctl;
	unsigned	 bad_line, bad_col, ctl_line, ctl_col;
	uint32_t	 cp, ctl_cp;
	unsigned char	 bad_byte;
	int		 n;

	/*
	 * The output never outgrows the input, except where a bad byte
	 * becomes U+FFFD (three bytes): those grow the buffer.
	 */
	cap = len + 1;
	out = xmalloc(cap);
	i = o = 0;
	if (len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	line = col = 1;
	nbad = nctl = 0;
	bad_line = bad_col = ctl_line = ctl_col = 0;
	bad_byte = 0;
	ctl_cp = 0;
	while (i < len) {
		unsigned char c = (unsigned char)in[i];

		if (c == '\n' || c == '\r') {
			out[o++] = '\n';
			i += (c == '\r' && i + 1 < len && in[i + 1] == '\n') ?
			    2 : 1;
			line++;
			col = 1;
			continue;
		}
		if (c >= 0x20 && c < 0x7F) {
			out[o++] = (char)c;
			i++;
			col++;
			continue;
		}
		if ((n = utf8_decode(in + i, len - i, &cp)) < 0) {
			if (nbad++ == 0) {
				bad_line = line;
				bad_col = col;
				bad_byte = c;
			}
			/* Resynchronise at the next lead byte. */
			i++;
			while (i < len && ((unsigned char)in[i] & 0xC0) ==
			    0x80)
				i++;
			/* Grow by doubling: a file of bad bytes must not
			 * cost a copy per byte. */
			if (o + 3 + (len - i) + 1 > cap) {
				cap = 2 * cap + 3;
				out = xrealloc(out, cap);
			}
			o += (size_t)utf8_encode(out + o, 0xFFFD);
			col++;
			continue;
		}
		if (cp == 0xFEFF) {		/* a stray BOM */
			i += (size_t)n;
			continue;
		}
		if (!uc_is_xml_char(cp)) {
			if (nctl++ == 0) {
				ctl_line = line;
				ctl_col = col;
				ctl_cp = cp;
			}
			i += (size_t)n;
			col++;
			continue;
		}
		memcpy(out + o, in + i, (size_t)n);
		o += (size_t)n;
		i += (size_t)n;
		col++;
	}
	out[o] = '\0';
	*outlen = o;
	arena_own(arena, out);

	if (nbad > 0) {
		if (nbad > 1)
			diag_add(diags, arena, LEVEL_ERROR,
			    bad_line, bad_col, "invalid UTF-8 (byte 0x%02X), "
			    "and %u more in this file; use --input-encoding "
			    "if the file is not UTF-8", bad_byte, nbad - 1);
		else
			diag_add(diags, arena, LEVEL_ERROR,
			    bad_line, bad_col, "invalid UTF-8 (byte 0x%02X); "
			    "use --input-encoding if the file is not UTF-8",
			    bad_byte);
	}
	if (nctl > 0) {
		if (nctl > 1)
			diag_add(diags, arena, LEVEL_WARNING,
			    ctl_line, ctl_col, "removed control character "
			    "U+%04X, and %u more in this file", ctl_cp,
			    nctl - 1);
		else
			diag_add(diags, arena, LEVEL_WARNING,
			    ctl_line, ctl_col, "removed control character "
			    "U+%04X", ctl_cp);
	}
	return out;
}

/* ----------------------------------------------------------- front matter */

static int
is_fence(const char *p, size_t len, const char *fence)
{
	size_t	 n = strlen(fence);

	if (len < n || memcmp(p, fence, n) != 0)
		return 0;
	for (; n < len; n++)
		if (p[n] != ' ' && p[n] != '\t')
			return 0;
	return 1;
}

static char *
item_string(struct article *art, const struct yitem *it)
{
	struct buf	 b = { NULL, 0, 0 };
	char		*s;
	size_t		 i;

	if (it->value != NULL)
		return it->value;
	for (i = 0; i < it->nlist; i++) {
		if (i > 0)
			buf_puts(&b, ", ");
		buf_puts(&b, it->list[i]);
	}
	s = arena_strdup(&art->arena, buf_str(&b));
	buf_free(&b);
	return s;
}

static void
frontmatter_apply(struct article *art, const struct yitem *items)
{
	const struct yitem	*it;
	const char		*why;
	char			*end, *v;

	for (it = items; it != NULL; it = it->next) {
		v = item_string(art, it);
		if (strcmp(it->key, "title") == 0) {
			if (*v != '\0') {
				art->title_text = v;
				art->title_from = TITLE_FRONTMATTER;
				art->title_line = it->line;
			}
		} else if (strcmp(it->key, "subtitle") == 0)
			art->subtitle = v;
		else if (strcmp(it->key, "author") == 0 ||
		    strcmp(it->key, "creator") == 0)
			art->author = v;
		else if (strcmp(it->key, "date") == 0)
			art->date = v;
		else if (strcmp(it->key, "lang") == 0 ||
		    strcmp(it->key, "language") == 0) {
			if (lang_check(v, &why) == 0) {
				art->lang = v;
				art->lang_line = it->line;
			} else
				diag_add(&art->diags, &art->arena,
				    LEVEL_ERROR, it->line, 0,
				    "invalid language tag '%s': %s", v, why);
		} else if (strcmp(it->key, "encoding") == 0)
			art->encoding = v;
		else if (strcmp(it->key, "order") == 0) {
			art->order = strtod(v, &end);
			if (*v == '\0' || *end != '\0')
				diag_add(&art->diags, &art->arena,
				    LEVEL_ERROR, it->line, 0,
				    "order must be a number, not '%s'", v);
			else
				art->has_order = 1;
		} else if (strcmp(it->key, "draft") == 0) {
			if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
				art->draft = 1;
			else if (strcmp(v, "false") != 0 &&
			    strcmp(v, "no") != 0)
				diag_add(&art->diags, &art->arena,
				    LEVEL_ERROR, it->line, 0,
				    "draft must be true or false, not '%s'",
				    v);
		} else
			diag_add(&art->diags, &art->arena, LEVEL_WARNING,
			    it->line, 0, "unknown front matter key '%s' "
			    "(ignored)", it->key);
	}
}

/*
 * Splits off YAML front matter between "---" lines at the very top.
 * Returns the body, its length in *bodylen and its first line number
 * in *bodyline.
 */
const char *
article_frontmatter(struct article *art, const char *text, size_t len,
    size_t *bodylen, unsigned *bodyline)
{
	const struct yitem	*items;
	const char		*p, *nl, *end, *yaml;
	size_t			 linelen;
	unsigned		 line;

	*bodylen = len;
	*bodyline = 1;
	nl = memchr(text, '\n', len);
	linelen = nl ? (size_t)(nl - text) : len;
	if (nl == NULL || !is_fence(text, linelen, "---"))
		return text;

	/* Find the closing fence. */
	yaml = nl + 1;
	end = text + len;
	for (p = yaml, line = 2; p < end; p = nl + 1, line++) {
		nl = memchr(p, '\n', (size_t)(end - p));
		linelen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (is_fence(p, linelen, "---") ||
		    is_fence(p, linelen, "...")) {
			items = yaml_read(&art->arena, &art->diags, yaml,
			    (size_t)(p - yaml), 2);
			frontmatter_apply(art, items);
			*bodyline = line + 1;
			if (nl == NULL) {
				*bodylen = 0;
				return end;
			}
			*bodylen = (size_t)(end - (nl + 1));
			return nl + 1;
		}
		if (nl == NULL)
			break;
	}
	diag_add(&art->diags, &art->arena, LEVEL_ERROR, 1, 0,
	    "front matter is not closed: no line '---' after it");
	*bodylen = 0;
	return end;
}

/* ---------------------------------------------------------------- lines */

enum lkind {
	L_BLANK,
	L_TEXT,
	L_BULLET,
	L_NUMBER,
	L_BREAK,
	L_ATX,
	L_SETEXT1,		/* "===" under a line */
	L_SETEXT2,		/* "---" under a line */
};

struct line {
	const char	*p;		/* content, trimmed */
	size_t		 len;
	unsigned	 no;		/* line number */
	enum lkind	 kind;
	int		 indent;	/* leading columns */
	int		 level;		/* ATX level */
	long		 num;		/* list number */
};

static size_t
skip_space(const char *p, size_t len, size_t i)
{
	while (i < len && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i;
}

/* A line made of one of "*-_~" three or more times, spaces allowed. */
static int
is_break(const char *p, size_t len, char *which)
{
	size_t	 i;
	int	 n;
	char	 c;

	if (len == 3 && memcmp(p, "\xE2\x81\x82", 3) == 0) {	/* ⁂ */
		*which = '*';
		return 1;
	}
	c = p[0];
	if (c != '*' && c != '-' && c != '_' && c != '~' && c != '=')
		return 0;
	for (i = n = 0; i < len; i++) {
		if (p[i] == c)
			n++;
		else if (p[i] != ' ' && p[i] != '\t')
			return 0;
	}
	*which = c;
	return n >= 3;
}

/* Bullet markers: - * + and a few typographic bullets. */
static size_t
bullet_marker(const char *p, size_t len)
{
	static const char *const marks[] = {
		"\xE2\x80\xA2",		/* • */
		"\xE2\x97\xA6",		/* ◦ */
		"\xE2\x80\xA3",		/* ‣ */
		"\xE2\x96\xAA",		/* ▪ */
		"-", "*", "+", NULL
	};
	size_t	 i, n;

	for (i = 0; marks[i] != NULL; i++) {
		n = strlen(marks[i]);
		if (len > n && memcmp(p, marks[i], n) == 0 &&
		    (p[n] == ' ' || p[n] == '\t'))
			return n;
	}
	return 0;
}

static void
classify(struct line *l)
{
	size_t	 i, n;
	char	 which;

	if (l->len == 0) {
		l->kind = L_BLANK;
		return;
	}
	l->kind = L_TEXT;
	if (is_break(l->p, l->len, &which)) {
		l->kind = which == '=' ? L_SETEXT1 :
		    which == '-' ? L_SETEXT2 : L_BREAK;
		return;
	}
	if (l->p[0] == '#') {
		for (n = 0; n < l->len && l->p[n] == '#'; n++)
			continue;
		if (n <= 6 && n < l->len && (l->p[n] == ' ' ||
		    l->p[n] == '\t')) {
			i = skip_space(l->p, l->len, n);
			/* Drop a closing sequence of #s. */
			while (l->len > i && l->p[l->len - 1] == '#')
				l->len--;
			while (l->len > i && (l->p[l->len - 1] == ' ' ||
			    l->p[l->len - 1] == '\t'))
				l->len--;
			if (l->len > i) {
				l->kind = L_ATX;
				l->level = (int)n;
				l->p += i;
				l->len -= i;
			}
			return;
		}
	}
	if ((n = bullet_marker(l->p, l->len)) > 0) {
		i = skip_space(l->p, l->len, n);
		if (i < l->len) {
			l->kind = L_BULLET;
			l->p += i;
			l->len -= i;
		}
		return;
	}
	/* "1. " or "1) ", up to three digits. */
	for (n = 0; n < l->len && n < 4 && isdigit((unsigned char)l->p[n]);
	    n++)
		continue;
	if (n > 0 && n <= 3 && n + 1 < l->len &&
	    (l->p[n] == '.' || l->p[n] == ')') &&
	    (l->p[n + 1] == ' ' || l->p[n + 1] == '\t')) {
		i = skip_space(l->p, l->len, n + 1);
		if (i < l->len) {
			l->kind = L_NUMBER;
			l->num = strtol(l->p, NULL, 10);
			l->p += i;
			l->len -= i;
		}
	}
}

/* Splits the body into trimmed, classified lines. */
static struct line *
split_lines(struct article *art, const char *text, size_t len,
    unsigned first, size_t *nlines)
{
	struct line	*lines;
	const char	*p, *end, *nl;
	size_t		 n, cap, i;
	uint32_t	 cp;
	int		 k, col;

	cap = 64;
	lines = xmalloc(cap * sizeof(*lines));
	n = 0;
	for (p = text, end = text + len; p < end; p = nl + 1) {
		struct line *l;

		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if (n == cap) {
			cap *= 2;
			lines = xrealloc(lines, cap * sizeof(*lines));
		}
		l = &lines[n];
		memset(l, 0, sizeof(*l));
		l->no = first + (unsigned)n;
		n++;
		/* Leading white space, counting tabs as four columns. */
		for (i = 0, col = 0; p + i < nl; ) {
			if (p[i] == ' ')
				col++;
			else if (p[i] == '\t')
				col += 4;
			else if ((k = utf8_decode(p + i, (size_t)(nl - p) - i,
			    &cp)) > 1 && uc_is_space(cp)) {
				i += (size_t)k;
				continue;
			} else
				break;
			i++;
		}
		l->indent = col;
		l->p = p + i;
		l->len = (size_t)(nl - l->p);
		/* Trailing white space of any kind. */
		while (l->len > 0) {
			size_t pos = l->len;

			cp = utf8_prev(l->p, l->len, &pos);
			if (!uc_is_space(cp))
				break;
			l->len = pos;
		}
		classify(l);
		if (nl == end)
			break;
	}
	(void)art;
	*nlines = n;
	return lines;
}

/* ------------------------------------------------------------- inlines */

/* Appends text, collapsing runs of ASCII white space into one space. */
static void
put_collapsed(struct buf *b, const char *p, size_t len)
{
	size_t	 i, j;
	int	 space;

	space = b->len > 0 && b->p[b->len - 1] == ' ';
	buf_reserve(b, len);
	for (i = 0; i < len; i = j) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n') {
			if (!space && b->len > 0)
				b->p[b->len++] = ' ';
			space = 1;
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < len && p[j] != ' ' && p[j] != '\t' &&
		    p[j] != '\n'; j++)
			continue;
		memcpy(b->p + b->len, p + i, j - i);
		b->len += j - i;
		space = 0;
	}
	b->p[b->len] = '\0';
}

/* Length of a URL starting at p, or 0. */
static size_t
url_len(const char *p, size_t len, int at_word_start)
{
	size_t	 i, j;
	long	 open;
	char	 c;

	if (!at_word_start || (p[0] != 'h' && p[0] != 'w'))
		return 0;
	if (!(len > 8 && strncmp(p, "https://", 8) == 0) &&
	    !(len > 7 && strncmp(p, "http://", 7) == 0) &&
	    !(len > 4 && strncmp(p, "www.", 4) == 0))
		return 0;
	for (i = 0; i < len; i++) {
		c = p[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '<' ||
		    c == '>' || c == '"' || (unsigned char)c >= 0x80)
			break;
	}
	/* Trailing punctuation belongs to the sentence. */
	while (i > 0) {
		c = p[i - 1];
		if (c == '.' || c == ',' || c == ';' || c == ':' ||
		    c == '!' || c == '?' || c == '\'')
			i--;
		else if (c == ')') {
			/* Keep a ")" that closes a "(" of the address. */
			for (j = 0, open = 0; j < i; j++)
				open += p[j] == '(' ? 1 : p[j] == ')' ? -1 : 0;
			if (open < 0)
				i--;
			else
				break;
		} else
			break;
	}
	if (i <= 8 || (p[0] == 'w' && i <= 4))
		return 0;
	return i;
}

static void
text_node(struct arena *a, struct node *parent, const char *p, size_t len,
    unsigned line)
{
	struct node	*n;

	if (len == 0)
		return;
	n = node_new(a, NODE_TEXT, line);
	n->text = arena_strndup(a, p, len);
	node_append(parent, n);
}

/*
 * Builds the inline nodes of plain text, whose white space is collapsed
 * already: text, and web addresses made into links.
 */
static void
parse_inlines(struct arena *a, struct node *parent, const char *p,
    size_t len, unsigned line)
{
	struct node	*n;
	size_t		 i, start, u;

	while (len > 0 && p[len - 1] == ' ')
		len--;
	start = 0;
	for (i = 0; i < len; i++) {
		if (p[i] != 'h' && p[i] != 'w')
			continue;
		u = url_len(p + i, len - i, i == 0 || p[i - 1] == ' ' ||
		    p[i - 1] == '(' || p[i - 1] == '"');
		if (u == 0)
			continue;
		text_node(a, parent, p + start, i - start, line);
		n = node_new(a, NODE_LINK, line);
		n->text = p[i] == 'w' ?
		    arena_printf(a, "https://%.*s", (int)u, p + i) :
		    arena_strndup(a, p + i, u);
		node_append(parent, n);
		text_node(a, n, p + i, u, line);
		i += u - 1;
		start = i + 1;
	}
	text_node(a, parent, p + start, len - start, line);
}

/* ------------------------------------------------------------ spam lines */

static int
word_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t	 i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) !=
		    tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

static int
word_sep(unsigned char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '\n';
}

/*
 * A keyword-spam line is long, has almost no sentence punctuation, and
 * one word makes up a quarter or more of its words ("Albania culture
 * Algeria culture ...").  The heavy hitter is found in one pass with
 * the Misra-Gries algorithm, so a 50 MB line costs O(n).
 * Returns how often the word occurs when the text is spam, else 0.
 */
unsigned
spam_score(const char *p, size_t len, const char **wordp, size_t *wordlen)
{
	enum { K = 4 };
	const char	*cand[K], *w;
	size_t		 clen[K], i, wl, nwords, nstops;
	unsigned	 ccount[K], best;
	int		 k, bi;

	if (len < 200)
		return 0;
	/* Prose ends sentences: count them first, which is cheap. */
	for (i = nwords = nstops = 0; i < len; i++) {
		if (p[i] == ' ')
			nwords++;
		else if ((p[i] == '.' || p[i] == '!' || p[i] == '?') &&
		    (i + 1 == len || p[i + 1] == ' '))
			nstops++;
	}
	if (nwords < 39 || nstops * 50 > nwords + 1)
		return 0;
	memset(ccount, 0, sizeof(ccount));
	nwords = nstops = 0;
	for (i = 0; i < len; ) {
		while (i < len && word_sep((unsigned char)p[i]))
			i++;
		if (i == len)
			break;
		w = p + i;
		while (i < len && !word_sep((unsigned char)p[i]))
			i++;
		wl = (size_t)(p + i - w);
		nwords++;
		if (w[wl - 1] == '.' || w[wl - 1] == '!' || w[wl - 1] == '?' ||
		    (wl >= 3 && (memcmp(w + wl - 3, "\xE3\x80\x82", 3) == 0)))
			nstops++;
		if (wl < 3)
			continue;
		for (k = 0; k < K; k++)
			if (ccount[k] > 0 && word_eq(cand[k], clen[k], w, wl)) {
				ccount[k]++;
				break;
			}
		if (k < K)
			continue;
		for (k = 0; k < K; k++)
			if (ccount[k] == 0) {
				cand[k] = w;
				clen[k] = wl;
				ccount[k] = 1;
				break;
			}
		if (k < K)
			continue;
		for (k = 0; k < K; k++)
			ccount[k]--;
	}
	if (nwords < 40 || nstops * 50 > nwords)
		return 0;

	/* Count the candidates exactly. */
	best = 0;
	bi = -1;
	for (k = 0; k < K; k++) {
		unsigned n = 0;

		if (ccount[k] == 0)
			continue;
		for (i = 0; i < len; ) {
			while (i < len && word_sep((unsigned char)p[i]))
				i++;
			w = p + i;
			while (i < len && !word_sep((unsigned char)p[i]))
				i++;
			if (word_eq(cand[k], clen[k], w, (size_t)(p + i - w)))
				n++;
		}
		if (n > best) {
			best = n;
			bi = k;
		}
	}
	if (bi < 0 || best < 20 || (size_t)best * 4 < nwords)
		return 0;
	if (wordp != NULL) {
		*wordp = cand[bi];
		*wordlen = clen[bi];
	}
	return best;
}

/* ------------------------------------------------------------- headings */

static int
is_closing_punct(uint32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == ':' || c == ';' ||
	    c == ',' || c == 0x2026 || c == 0x3002 || c == 0xFF01 ||
	    c == 0xFF1F || c == 0xFF1A || c == 0xFF1B || c == 0xFF0C ||
	    c == 0x3001;
}

static int
is_closer(uint32_t c)
{
	return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' ||
	    c == 0x201D || c == 0x2019 || c == 0x00BB || c == 0x300D ||
	    c == 0x300F || c == 0xFF09;
}

/*
 * Does a standalone line read as a heading?  Short, starting with a
 * letter or digit that is not lower case, with no closing punctuation
 * and no sentence boundary inside.
 */
static int
looks_like_heading(const char *p, size_t len)
{
	size_t		 i, pos, nchars, nwords;
	uint32_t	 cp, first;
	int		 n, letters, inword;

	nchars = utf8_len(p, len);
	if (nchars < 2 || nchars > HEADING_CHARS)
		return 0;

	/* The last character that is not a closing quote or bracket. */
	pos = len;
	do
		cp = utf8_prev(p, len, &pos);
	while (pos > 0 && is_closer(cp));
	if (is_closing_punct(cp))
		return 0;

	first = 0;
	letters = inword = 0;
	nwords = 0;
	for (i = 0; i < len; i += (size_t)n) {
		if ((n = utf8_decode(p + i, len - i, &cp)) < 0)
			return 0;
		if (uc_is_space(cp)) {
			inword = 0;
			continue;
		}
		if (!inword)
			nwords++;
		inword = 1;
		if (uc_is_alnum(cp)) {
			if (first == 0)
				first = cp;
			if (!(cp >= '0' && cp <= '9'))
				letters++;
		}
		/* "Yes. Then" is two sentences; "St. Louis" is not. */
		if ((cp == '.' || cp == '!' || cp == '?') && i + 2 < len &&
		    p[i + 1] == ' ' && isupper((unsigned char)p[i + 2])) {
			size_t j = i;

			while (j > 0 && isalpha((unsigned char)p[j - 1]))
				j--;
			if (cp != '.' || i - j > 3 || i == j ||
			    !isupper((unsigned char)p[j]))
				return 0;
		}
	}
	if (letters == 0 || nwords > HEADING_WORDS || uc_is_lower(first))
		return 0;
	if (url_len(p, len, 1) > 0)
		return 0;
	return 1;
}

/* ------------------------------------------------------------ the units */

enum ukind {
	U_TEXT,			/* a paragraph, or a guessed heading */
	U_ATX,			/* an explicit heading */
	U_LIST,
	U_BREAK,
};

struct unit {
	enum ukind	 kind;
	unsigned	 line;
	const char	*p;		/* U_TEXT, U_ATX: first line's text */
	struct buf	 text;		/* U_TEXT: joined text when wrapped */
	int		 joined;
	int		 standalone;	/* a single line on its own */
	int		 cand;		/* a heading candidate */
	int		 level;
	struct node	*list;		/* U_LIST */
};

struct units {
	struct unit	*v;
	size_t		 n;
	size_t		 cap;
};

static struct unit *
unit_add(struct units *u, enum ukind kind, unsigned line)
{
	struct unit	*un;

	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 32;
		u->v = xrealloc(u->v, u->cap * sizeof(*u->v));
	}
	un = &u->v[u->n++];
	memset(un, 0, sizeof(*un));
	un->kind = kind;
	un->line = line;
	return un;
}

static const char *
unit_text(const struct unit *un, size_t *len)
{
	*len = un->text.len;
	return un->text.p != NULL ? un->text.p : "";
}

/* Gathers a list starting at lines[i]; returns the index after it. */
static size_t
gather_list(struct article *art, struct units *u, struct line *lines,
    size_t i, size_t end, int joinable)
{
	struct arena	*a = &art->arena;
	struct node	*list, *item;
	struct unit	*un;
	struct buf	 b = { NULL, 0, 0 };
	enum lkind	 kind;
	unsigned	 line;

	kind = lines[i].kind;
	list = node_new(a, NODE_LIST, lines[i].no);
	list->level = kind == L_NUMBER;
	list->start = kind == L_NUMBER ? lines[i].num : 1;
	while (i < end && lines[i].kind == kind) {
		line = lines[i].no;
		b.len = 0;
		put_collapsed(&b, lines[i].p, lines[i].len);
		i++;
		/* Continuation lines of a wrapped item. */
		while (joinable && i < end && lines[i].kind == L_TEXT) {
			buf_putc(&b, ' ');
			put_collapsed(&b, lines[i].p, lines[i].len);
			i++;
		}
		item = node_new(a, NODE_ITEM, line);
		parse_inlines(a, item, buf_str(&b), b.len, line);
		node_append(list, item);
	}
	buf_free(&b);
	un = unit_add(u, U_LIST, list->line);
	un->list = list;
	return i;
}

/* Is a run of text lines one hard-wrapped paragraph? */
static int
is_wrapped(const struct line *lines, size_t from, size_t to)
{
	size_t	 i;

	for (i = from; i + 1 < to; i++)
		if (utf8_len(lines[i].p, lines[i].len) > WRAP_MAX)
			return 0;
	return 1;
}

static void
text_unit(struct units *u, const struct line *l, size_t n)
{
	struct unit	*un;
	size_t		 i;

	un = unit_add(u, U_TEXT, l[0].no);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&un->text, ' ');
		put_collapsed(&un->text, l[i].p, l[i].len);
	}
	un->standalone = n == 1;
	un->joined = n > 1;
}

/* Turns the lines of one block (no blank lines inside) into units. */
static void
block_units(struct article *art, struct units *u, struct line *lines,
    size_t i, size_t end, int joinable)
{
	struct unit	*un;
	size_t		 j;

	while (i < end) {
		switch (lines[i].kind) {
		case L_BREAK:
			unit_add(u, U_BREAK, lines[i].no);
			i++;
			break;
		case L_SETEXT1:
		case L_SETEXT2:
			/* Not under a single text line: a scene break. */
			unit_add(u, U_BREAK, lines[i].no);
			i++;
			break;
		case L_ATX:
			un = unit_add(u, U_ATX, lines[i].no);
			put_collapsed(&un->text, lines[i].p, lines[i].len);
			un->level = lines[i].level;
			i++;
			break;
		case L_BULLET:
		case L_NUMBER:
			i = gather_list(art, u, lines, i, end, joinable);
			break;
		default:
			for (j = i; j < end && lines[j].kind == L_TEXT; j++)
				continue;
			/* "Title\n=====" is an explicit heading. */
			if (j < end && j == i + 1 &&
			    (lines[j].kind == L_SETEXT1 ||
			    lines[j].kind == L_SETEXT2)) {
				un = unit_add(u, U_ATX, lines[i].no);
				put_collapsed(&un->text, lines[i].p,
				    lines[i].len);
				un->level = lines[j].kind == L_SETEXT1 ? 1 : 2;
				i = j + 1;
				break;
			}
			if (joinable && is_wrapped(lines, i, j))
				text_unit(u, lines + i, j - i);
			else
				for (; i < j; i++)
					text_unit(u, lines + i, 1);
			i = j;
			break;
		}
	}
}

/* Drops keyword-spam paragraphs, with a note for each. */
static void
drop_spam(struct article *art, struct units *u)
{
	struct unit	*un;
	const char	*text, *word;
	size_t		 i, o, len, wl;
	unsigned	 n;

	for (i = o = 0; i < u->n; i++) {
		un = &u->v[i];
		if (un->kind == U_TEXT) {
			text = unit_text(un, &len);
			if ((n = spam_score(text, len, &word, &wl)) > 0) {
				diag_add(&art->diags, &art->arena, LEVEL_NOTE,
				    un->line, 0, "left out a keyword list "
				    "(%u times '%.*s', %zu characters)", n,
				    (int)wl, word, utf8_len(text, len));
				art->nspam++;
				buf_free(&un->text);
				continue;
			}
		}
		u->v[o++] = *un;
	}
	u->n = o;
}

/* ----------------------------------------------------------- the outline */

static void
make_title(struct article *art, const struct unit *un, enum title_source src)
{
	size_t		 len;
	const char	*text;

	text = unit_text(un, &len);
	art->title_text = arena_strndup(&art->arena, text, len);
	art->title_from = src;
	art->title_line = un->line;
}

/*
 * Guesses headings: a run of candidates is a section and its first
 * subsection; a lone candidate after text is a subsection when a
 * section exists, otherwise a section.
 */
static void
guess_headings(struct article *art, struct units *u, size_t first)
{
	size_t		 i, j, k;
	int		 have_section;
	struct unit	*un;

	for (i = first; i < u->n; i++) {
		un = &u->v[i];
		if (un->kind == U_TEXT && un->standalone) {
			size_t		 len;
			const char	*t = unit_text(un, &len);

			un->cand = looks_like_heading(t, len);
		}
	}
	have_section = 0;
	for (i = first; i < u->n; i = j) {
		if (!u->v[i].cand) {
			j = i + 1;
			continue;
		}
		for (j = i; j < u->n && u->v[j].cand; j++)
			continue;
		/* A heading needs text after it. */
		if (j == u->n || u->v[j].kind == U_BREAK) {
			for (k = i; k < j; k++)
				u->v[k].cand = 0;
			continue;
		}
		if (j - i == 1)
			u->v[i].level = have_section ? 3 : 2;
		else {
			u->v[i].level = 2;
			for (k = i + 1; k < j; k++)
				u->v[k].level = 3;
			have_section = 1;
		}
	}
	(void)art;
}

/* Builds the model's blocks from the units. */
static void
emit_units(struct article *art, struct units *u, size_t first)
{
	struct arena	*a = &art->arena;
	struct node	*n;
	struct unit	*un;
	const char	*text;
	size_t		 i, len;

	for (i = first; i < u->n; i++) {
		un = &u->v[i];
		switch (un->kind) {
		case U_BREAK:
			n = node_new(a, NODE_BREAK, un->line);
			break;
		case U_LIST:
			n = un->list;
			break;
		case U_ATX:
			n = node_new(a, NODE_HEADING, un->line);
			n->level = un->level;
			text = unit_text(un, &len);
			parse_inlines(a, n, text, len, un->line);
			break;
		default:
			text = unit_text(un, &len);
			if (un->cand) {
				n = node_new(a, NODE_HEADING, un->line);
				n->level = un->level;
			} else {
				n = node_new(a, NODE_PARA, un->line);
				art->nparas++;
			}
			parse_inlines(a, n, text, len, un->line);
			break;
		}
		node_append(art->body, n);
	}
}

/*
 * Levels of explicit headings: a lone level-one heading at the top is
 * the title (when nothing else named it); the rest shift so the top
 * level is 2 and no level is skipped.
 */
void
article_fix_levels(struct article *art, int shift_from)
{
	struct node	*n;
	int		 min, prev, lvl;

	(void)shift_from;
	min = 7;
	for (n = art->body->child; n != NULL; n = n->next)
		if (n->type == NODE_HEADING && n->level < min)
			min = n->level;
	if (min == 7)
		return;
	prev = 1;
	for (n = art->body->child; n != NULL; n = n->next) {
		if (n->type != NODE_HEADING)
			continue;
		lvl = n->level - min + 2;
		if (lvl > prev + 1)
			lvl = prev + 1;
		if (lvl > 6)
			lvl = 6;
		n->level = lvl;
		prev = lvl;
	}
}

struct article *
article_parse(const char *name, const char *in, size_t inlen,
    const struct parse_opts *opts)
{
	struct article	*art;
	struct units	 u = { NULL, 0, 0 };
	struct line	*lines;
	const char	*text, *body;
	size_t		 len, bodylen, nlines, i, j, first, nl1;
	unsigned	 bodyline;
	int		 joinable, explicit;

	art = article_new(name, FORMAT_TEXT);
	text = text_clean(&art->arena, &art->diags, in, inlen, &len);
	body = article_frontmatter(art, text, len, &bodylen, &bodyline);
	if (opts != NULL && opts->frontmatter_only)
		return art;

	lines = split_lines(art, body, bodylen, bodyline, &nlines);

	/* Blank lines inside the text decide how paragraphs are made. */
	for (i = 0; i < nlines && lines[i].kind == L_BLANK; i++)
		continue;
	for (j = nlines; j > i && lines[j - 1].kind == L_BLANK; j--)
		continue;
	joinable = 0;
	for (first = i; first < j; first++)
		if (lines[first].kind == L_BLANK)
			joinable = 1;

	while (i < j) {
		if (lines[i].kind == L_BLANK) {
			i++;
			continue;
		}
		for (nl1 = i; nl1 < j && lines[nl1].kind != L_BLANK; nl1++)
			continue;
		block_units(art, &u, lines, i, nl1, joinable);
		i = nl1;
	}
	free(lines);

	drop_spam(art, &u);

	explicit = 0;
	for (i = 0; i < u.n; i++)
		if (u.v[i].kind == U_ATX)
			explicit = 1;

	first = 0;
	if (explicit) {
		/* "# Title" alone at the top names the article. */
		size_t nlevel1 = 0;

		for (i = 0; i < u.n; i++)
			if (u.v[i].kind == U_ATX && u.v[i].level == 1)
				nlevel1++;
		if (art->title_text == NULL && u.n > 1 &&
		    u.v[0].kind == U_ATX && u.v[0].level == 1 &&
		    nlevel1 == 1) {
			make_title(art, &u.v[0], TITLE_FIRSTLINE);
			first = 1;
		}
	} else {
		guess_headings(art, &u, 0);
		/* A first line that is a title: one candidate, then text;
		 * or three candidates: title, section, subsection. */
		if (art->title_text == NULL && u.n > 1 && u.v[0].cand) {
			for (i = 0; i < u.n && u.v[i].cand; i++)
				continue;
			if (i == 1 || i == 3) {
				make_title(art, &u.v[0], TITLE_FIRSTLINE);
				u.v[0].cand = 0;
				first = 1;
				/* Re-derive the levels of what follows. */
				for (i = 1; i < u.n; i++)
					u.v[i].cand = 0;
				guess_headings(art, &u, 1);
			}
		}
	}
	emit_units(art, &u, first);
	if (explicit)
		article_fix_levels(art, 0);
	for (i = 0; i < u.n; i++)
		buf_free(&u.v[i].text);
	free(u.v);

	article_pick_title(art);
	return art;
}

/* --------------------------------------------------------------- titles */

static const char *const verbs[] = {
	" is ", " was ", " lies ", " sits ", " stands ", " remains ",
	" has ", " became ", " has been ", " was once ", NULL
};

static int
is_stopword(const char *w, size_t len)
{
	static const char *const stop[] = {
		"It", "This", "That", "The", "These", "Those", "Here",
		"There", "City", "Town", "Today", "Nestled", "Located",
		"Situated", "Known", "Once", "Now", "A", "An", NULL
	};
	size_t	 i;

	for (i = 0; stop[i] != NULL; i++)
		if (strlen(stop[i]) == len && memcmp(stop[i], w, len) == 0)
			return 1;
	return 0;
}

/*
 * The place the first sentence is about: the capitalised words just
 * before its first verb, after the last comma ("Nestled in Liaoning
 * Province, Anshan (鞍山) is a city" -> "Anshan").
 */
static char *
sentence_subject(struct arena *a, const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*v, *best, *p, *end, *w;
	char		*result;
	size_t		 i, depth, nw;

	best = NULL;
	for (i = 0; verbs[i] != NULL; i++)
		if ((v = strstr(s, verbs[i])) != NULL &&
		    (best == NULL || v < best))
			best = v;
	/* An apposition: "Anshan, a city in Liaoning, ..." */
	if ((v = strstr(s, ", a ")) != NULL && (best == NULL || v < best))
		best = v;
	if (best == NULL || best - s > 300)
		return NULL;

	/* The subject without parentheses, after its last comma. */
	for (p = s, depth = 0; p < best; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && depth > 0)
			depth--;
		else if (depth == 0) {
			if (*p == ',')
				b.len = 0;
			else
				buf_putc(&b, *p);
		}
	}
	while (b.len > 0 && b.p[b.len - 1] == ' ')
		b.len--;
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}

	/* The run of capitalised words at its end. */
	end = b.p + b.len;
	p = end;
	nw = 0;
	while (p > b.p && nw < 4) {
		uint32_t cp;

		for (w = p; w > b.p && w[-1] != ' '; w--)
			continue;
		if (w == p || utf8_decode(w, (size_t)(p - w), &cp) < 0 ||
		    !uc_is_upper(cp))
			break;
		nw++;
		p = w;
		if (p > b.p)
			p--;		/* the space before the word */
	}
	while (p < end && *p == ' ')
		p++;
	result = NULL;
	if (nw > 0 && p < end && !is_stopword(p, (size_t)(end - p)))
		result = arena_strndup(a, p, (size_t)(end - p));
	buf_free(&b);
	return result;
}

static struct node *
first_para(const struct article *art)
{
	struct node	*n;

	for (n = art->body->child; n != NULL; n = n->next)
		if (n->type == NODE_PARA)
			return n;
	return NULL;
}

void
article_pick_title(struct article *art)
{
	struct arena	*a = &art->arena;
	struct node	*para, *t;
	const char	*dot;
	char		*s, *text;

	if (art->title_text == NULL &&
	    (s = name_to_title(art->name)) != NULL) {
		art->title_text = arena_strdup(a, s);
		art->title_from = TITLE_FILENAME;
		free(s);
	}
	if (art->title_text == NULL && (para = first_para(art)) != NULL) {
		text = node_text(a, para);
		if ((s = sentence_subject(a, text)) != NULL) {
			art->title_text = s;
			art->title_from = TITLE_SENTENCE;
		}
	}
	if (art->title_text == NULL) {
		dot = strrchr(art->name, '.');
		art->title_text = arena_strndup(a, art->name,
		    dot != NULL && dot != art->name ?
		    (size_t)(dot - art->name) : strlen(art->name));
		art->title_from = TITLE_FALLBACK;
	}
	if (art->title != NULL)
		return;		/* a heading's own inlines */
	art->title = node_new(a, NODE_QUOTE, art->title_line);
	t = node_new(a, NODE_TEXT, art->title_line);
	t->text = art->title_text;
	node_append(art->title, t);
}

/* ----------------------------------------------------------------- dumps */

static const char *const type_names[] = {
	"heading", "para", "list", "item", "quote", "codeblock", "break",
	"figure", "text", "emph", "strong", "code", "link", "image",
	"linebreak", "lang",
};

static void
dump_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
dump_node(const struct node *n, int depth, FILE *f)
{
	const struct node	*c;

	fprintf(f, "%4u %*s%s", n->line, depth * 2, "", type_names[n->type]);
	switch (n->type) {
	case NODE_HEADING:
		fprintf(f, " h%d", n->level);
		break;
	case NODE_LIST:
		if (n->level)
			fprintf(f, " numbered start=%ld", n->start);
		else
			fputs(" bullets", f);
		break;
	case NODE_LINK:
	case NODE_IMAGE:
	case NODE_FIGURE:
	case NODE_LANG:
		fputc(' ', f);
		fputs(n->text, f);
		break;
	default:
		break;
	}
	if (n->id != NULL)
		fprintf(f, " #%s", n->id);
	if (n->alt != NULL) {
		fputs(" alt=", f);
		dump_string(f, n->alt);
	}
	if (n->title != NULL) {
		fputs(" title=", f);
		dump_string(f, n->title);
	}
	if (n->type == NODE_TEXT || n->type == NODE_CODE ||
	    n->type == NODE_CODEBLOCK) {
		fputc(' ', f);
		dump_string(f, n->text);
	}
	fputc('\n', f);
	for (c = n->child; c != NULL; c = c->next)
		dump_node(c, depth + 1, f);
}

static const char *const title_sources[] = {
	"front matter", "first line", "file name", "first sentence",
	"file name as is",
};

static void
dump_head(const struct article *art, FILE *f)
{
	fprintf(f, "article %s\n", art->name);
	fputs("title ", f);
	dump_string(f, art->title_text);
	fprintf(f, " (%s", title_sources[art->title_from]);
	if (art->title_line > 0)
		fprintf(f, ", line %u", art->title_line);
	fputs(")\n", f);
	if (art->subtitle != NULL) {
		fputs("subtitle ", f);
		dump_string(f, art->subtitle);
		fputc('\n', f);
	}
	if (art->author != NULL) {
		fputs("author ", f);
		dump_string(f, art->author);
		fputc('\n', f);
	}
	if (art->date != NULL)
		fprintf(f, "date %s\n", art->date);
	if (art->lang != NULL)
		fprintf(f, "lang %s\n", art->lang);
	if (art->has_order)
		fprintf(f, "order %g\n", art->order);
	if (art->draft)
		fputs("draft\n", f);
}

void
article_dump_tree(const struct article *art, FILE *f)
{
	const struct node	*n;

	dump_head(art, f);
	for (n = art->title->child; n != NULL; n = n->next)
		dump_node(n, 1, f);
	fputs("body\n", f);
	for (n = art->body->child; n != NULL; n = n->next)
		dump_node(n, 1, f);
}

void
article_dump_outline(const struct article *art, FILE *f)
{
	const struct node	*n;
	struct arena		 a = { NULL, NULL, 0 };
	unsigned		 nitems;

	dump_head(art, f);
	nitems = 0;
	for (n = art->body->child; n != NULL; n = n->next) {
		if (n->type == NODE_LIST)
			nitems++;
		if (n->type != NODE_HEADING)
			continue;
		fprintf(f, "%4u %*sh%d ", n->line, (n->level - 2) * 2, "",
		    n->level);
		dump_string(f, node_text(&a, n));
		fputc('\n', f);
	}
	fprintf(f, "paragraphs %u\n", art->nparas);
	if (nitems > 0)
		fprintf(f, "lists %u\n", nitems);
	if (art->nspam > 0)
		fprintf(f, "left out %u keyword list%s\n", art->nspam,
		    art->nspam == 1 ? "" : "s");
	arena_free(&a);
}
