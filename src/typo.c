/* typo.c: typography and language-of-parts tagging of the model.  Pure. */
#include <ctype.h>
#include <string.h>

#include "mkcitybook.h"

#define NBSP		0x00A0
#define EN_DASH		0x2013
#define EM_DASH		0x2014
#define LSQUO		0x2018
#define RSQUO		0x2019
#define LDQUO		0x201C
#define RDQUO		0x201D
#define ELLIPSIS	0x2026
#define WORD_JOINER	0x2060

/* --------------------------------------------------------------- scripts */

/*
 * The language of a script whose language is unambiguous, or NULL.
 * Han is "zh" here; a run that also holds kana or hangul becomes
 * Japanese or Korean below.  Cyrillic, Arabic, Hebrew, Devanagari and
 * Latin serve many languages and are left alone.
 */
const char *
script_lang(uint32_t c)
{
	if (c < 0x370)		/* Latin and the symbols around it */
		return NULL;
	if (uc_is_han(c) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFF00 && c <= 0xFF65) || (c >= 0xFE30 && c <= 0xFE4F))
		return "zh";
	if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) ||
	    (c >= 0xFF66 && c <= 0xFF9F))
		return "ja";
	if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) ||
	    (c >= 0x3130 && c <= 0x318F))
		return "ko";
	if ((c >= 0x0370 && c <= 0x03FF && c != 0x037E && c != 0x0387) ||
	    (c >= 0x1F00 && c <= 0x1FFF))
		return "el";
	if (c >= 0x0530 && c <= 0x058F)
		return "hy";
	if (c >= 0x10A0 && c <= 0x10FF)
		return "ka";
	if (c >= 0x0E00 && c <= 0x0E7F)
		return "th";
	if (c >= 0x0E80 && c <= 0x0EFF)
		return "lo";
	if (c >= 0x1780 && c <= 0x17FF)
		return "km";
	if (c >= 0x1000 && c <= 0x109F)
		return "my";
	if (c >= 0x0D80 && c <= 0x0DFF)
		return "si";
	if (c >= 0x0F00 && c <= 0x0FFF)
		return "bo";
	if (c >= 0x0A00 && c <= 0x0A7F)
		return "pa";
	if (c >= 0x0A80 && c <= 0x0AFF)
		return "gu";
	if (c >= 0x0B00 && c <= 0x0B7F)
		return "or";
	if (c >= 0x0B80 && c <= 0x0BFF)
		return "ta";
	if (c >= 0x0C00 && c <= 0x0C7F)
		return "te";
	if (c >= 0x0C80 && c <= 0x0CFF)
		return "kn";
	if (c >= 0x0D00 && c <= 0x0D7F)
		return "ml";
	return NULL;
}

/* CJK scripts share punctuation and mix in one run. */
static int
is_cjk(const char *lang)
{
	return lang != NULL && (strcmp(lang, "zh") == 0 ||
	    strcmp(lang, "ja") == 0 || strcmp(lang, "ko") == 0);
}

/* Punctuation of the CJK blocks: it joins a run but cannot start one. */
static int
is_cjk_punct(uint32_t c)
{
	return (c >= 0x3000 && c <= 0x303F && !uc_is_han(c)) ||
	    (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
	    (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
	    (c >= 0xFE30 && c <= 0xFE4F) || c == 0x30FB || c == 0x00B7;
}

/* Characters that may sit inside a run of another script. */
static int
is_run_neutral(uint32_t c, int cjk)
{
	if (c == ' ' || c == NBSP)
		return 1;
	if (cjk)
		return is_cjk_punct(c);
	return c == ',' || c == '.' || c == '-' || c == '\'' || c == RSQUO ||
	    c == ';' || c == ':' || c == '!' || c == '?';
}

static int
same_primary(const char *tag, const char *run)
{
	size_t	 n = strlen(run);

	return tag != NULL && strncmp(tag, run, n) == 0 &&
	    (tag[n] == '\0' || tag[n] == '-');
}

struct run {
	size_t		 start;		/* byte offsets in the text */
	size_t		 end;
	const char	*lang;
};

/*
 * Finds the next run of a tagged script at or after *pos.  A CJK run
 * takes its language from what it holds: kana makes it Japanese,
 * hangul Korean, Han alone Chinese.
 */
static int
next_run(const char *s, size_t len, size_t *pos, const char *doclang,
    struct run *r)
{
	const char	*lang, *l2;
	uint32_t	 c;
	size_t		 i, j, last;
	int		 n, cjk, has_kana, has_hangul, letters;

	for (i = *pos; i < len; i += (size_t)n) {
		/* Bytes under 0xCD are ASCII, continuations or letters
		 * below U+0340: no tagged script starts there. */
		if ((unsigned char)s[i] < 0xCD) {
			n = 1;
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &c)) < 0) {
			n = 1;
			continue;
		}
		if ((lang = script_lang(c)) == NULL)
			continue;
		cjk = is_cjk(lang);
		if (cjk && is_cjk_punct(c) &&
		    !(i + (size_t)n < len && s[i + n] != ' '))
			continue;
		/* Extend over the script and neutral characters between. */
		has_kana = strcmp(lang, "ja") == 0;
		has_hangul = strcmp(lang, "ko") == 0;
		letters = !is_cjk_punct(c);
		last = i + (size_t)n;
		for (j = last; j < len; ) {
			int k;

			if ((k = utf8_decode(s + j, len - j, &c)) < 0)
				break;
			l2 = script_lang(c);
			if (l2 != NULL && (cjk ? is_cjk(l2) :
			    strcmp(l2, lang) == 0)) {
				if (strcmp(l2, "ja") == 0)
					has_kana = 1;
				if (strcmp(l2, "ko") == 0)
					has_hangul = 1;
				if (!is_cjk_punct(c))
					letters++;
				j += (size_t)k;
				last = j;
			} else if (is_run_neutral(c, cjk))
				j += (size_t)k;
			else
				break;
		}
		if (cjk)
			lang = has_kana ? "ja" : has_hangul ? "ko" : "zh";
		/* A lone Greek letter is a symbol, not a phrase. */
		if (letters == 0 || (!cjk && letters < 2) ||
		    same_primary(doclang, lang)) {
			n = (int)(last - i);
			continue;
		}
		r->start = i;
		r->end = last;
		r->lang = lang;
		*pos = last;
		return 1;
	}
	*pos = len;
	return 0;
}

/* ------------------------------------------------------------ punctuation */

static int
is_opening_context(uint32_t c)
{
	return c == 0 || uc_is_space(c) || c == '(' || c == '[' ||
	    c == '{' || c == '<' || c == EM_DASH || c == EN_DASH ||
	    c == '-' || c == '/' || c == LDQUO || c == LSQUO;
}

/* 'tis, 'twas, 'em, 'n', 'cause: leading apostrophes of elisions. */
static int
is_elision(const char *s, size_t len)
{
	static const char *const words[] = {
		"tis", "twas", "em", "n", "cause", "til", "round", "bout",
		NULL
	};
	size_t	 i, n;

	for (i = 0; words[i] != NULL; i++) {
		n = strlen(words[i]);
		if (len >= n && strncasecmp(s, words[i], n) == 0 &&
		    (len == n || !isalpha((unsigned char)s[n])))
			return 1;
	}
	return 0;
}

/* Units and words kept on the line with the number before them. */
static const char *const units[] = {
	"km", "m", "cm", "mm", "kg", "g", "mg", "t", "ha", "km²", "m²",
	"km2", "mi", "ft", "yd", "lb", "lbs", "oz", "°C", "°F", "°", "%",
	"mph", "km/h", "kph", "kW", "MW", "GW", "kWh", "MWh", "GWh", "TWh",
	"L", "ml", "mL", "hPa", "dB", "Hz", "kHz", "MHz", "GHz", "kB", "KB",
	"MB", "GB", "TB", "BC", "BCE", "CE", "AD", "million", "billion",
	"trillion", "per cent", "percent", "hectares", "kilometres",
	"kilometers", "metres", "meters", "miles", "years", "yuan", "RMB",
	NULL
};

/* Words kept on the line with what follows them. */
static const char *const prefixes[] = {
	"Mr.", "Mrs.", "Ms.", "Dr.", "St.", "Mt.", "Prof.", "No.", "Nos.",
	"p.", "pp.", "Vol.", "vol.", "AD", "Fig.", "fig.", NULL
};

static size_t
unit_after(const char *s, size_t len)
{
	size_t	 i, n, best;

	best = 0;
	for (i = 0; units[i] != NULL; i++) {
		n = strlen(units[i]);
		if (len >= n && memcmp(s, units[i], n) == 0 &&
		    (len == n || !isalnum((unsigned char)s[n])) && n > best)
			best = n;
	}
	return best;
}

static int
prefix_before(const char *out, size_t olen)
{
	size_t	 i, n;

	/* Every prefix ends in '.' but "AD": most words end in neither. */
	if (olen == 0 || (out[olen - 1] != '.' && out[olen - 1] != 'D'))
		return 0;
	for (i = 0; prefixes[i] != NULL; i++) {
		n = strlen(prefixes[i]);
		if (olen >= n && memcmp(out + olen - n, prefixes[i], n) == 0 &&
		    (olen == n || !isalnum((unsigned char)out[olen - n - 1])))
			return 1;
	}
	return 0;
}

static int
is_digit(uint32_t c)
{
	return c >= '0' && c <= '9';
}

static size_t
url_at(const char *s, size_t len)
{
	size_t	 i;

	if (s[0] != 'h' && s[0] != 'w')
		return 0;
	if (!(len > 7 && (strncmp(s, "http://", 7) == 0 ||
	    strncmp(s, "https://", 8) == 0)) &&
	    !(len > 4 && strncmp(s, "www.", 4) == 0))
		return 0;
	for (i = 0; i < len && !isspace((unsigned char)s[i]) &&
	    s[i] != '"' && s[i] != '<' && s[i] != '>'; i++)
		continue;
	return i;
}

/* ASCII that typography never changes and that changes nothing. */
static int
is_plain(unsigned char c)
{
	return c < 0x80 && c != '"' && c != '\'' && c != '.' && c != '-' &&
	    c != ' ' && c != '\t' && c != '\n';
}

/*
 * Smartens one piece of text.  *prev is the character before it (0 at
 * the start of a block) and becomes the last character of the result.
 * Web addresses are copied as they are.
 */
static char *
smarten(struct arena *a, const char *s, size_t len, uint32_t *prev)
{
	struct buf	 b = { NULL, 0, 0 };
	uint32_t	 c, next, p;
	size_t		 i, u, m;
	char		*out;
	int		 n;

	p = *prev;
	for (i = 0; i < len; i += (size_t)n) {
		/* Most text needs nothing: copy runs of it whole.  A run
		 * starts anywhere but at a word start, where a web address
		 * may begin. */
		if (is_plain((unsigned char)s[i]) && p != 0 && !uc_is_space(p) &&
		    p != '(' && p != '<') {
			for (m = i + 1; m < len && is_plain((unsigned char)s[m]);
			    m++)
				continue;
			buf_put(&b, s + i, m - i);
			p = (unsigned char)s[m - 1];
			n = (int)(m - i);
			continue;
		}
		if ((n = utf8_decode(s + i, len - i, &c)) < 0) {
			n = 1;
			continue;
		}
		next = i + (size_t)n < len ? (unsigned char)s[i + n] : 0;
		if ((p == 0 || uc_is_space(p) || p == '(' || p == '<') &&
		    (u = url_at(s + i, len - i)) > 0) {
			buf_put(&b, s + i, u);
			m = i + u;
			p = utf8_prev(s, m, &m);
			n = (int)u;
			continue;
		}
		switch (c) {
		case '"':
			/*
			 * At the end of a text node the next character is in
			 * the next node ("*word*"): the context decides.
			 */
			if (is_opening_context(p) &&
			    !isspace((unsigned char)next))
				c = LDQUO;
			else
				c = RDQUO;
			break;
		case '\'':
			if (uc_is_alnum(p) && uc_is_alnum(next))
				c = RSQUO;		/* don't, Qitaihe's */
			else if (is_opening_context(p) &&
			    (isdigit((unsigned char)next) ||
			    is_elision(s + i + 1, len - i - 1)))
				c = RSQUO;		/* '90s, 'tis */
			else if (is_opening_context(p) &&
			    !isspace((unsigned char)next))
				c = LSQUO;
			else
				c = RSQUO;
			break;
		case '.':
			if (i + 2 < len && s[i + 1] == '.' && s[i + 2] == '.') {
				c = ELLIPSIS;
				n = 3;
			} else if (i + 4 < len && memcmp(s + i, ". . .", 5) ==
			    0) {
				c = ELLIPSIS;
				n = 5;
			}
			break;
		case '-':
			if (i + 2 < len && s[i + 1] == '-' && s[i + 2] == '-') {
				c = EM_DASH;
				n = 3;
			} else if (i + 1 < len && s[i + 1] == '-') {
				/* 1990--2000 is a range; other pairs a dash. */
				c = is_digit(p) && i + 2 < len &&
				    is_digit((unsigned char)s[i + 2]) ?
				    EN_DASH : EM_DASH;
				n = 2;
			}
			break;
		case ' ':
			/* 17 km, 900 years, Dr. Sun, No. 5 */
			if (is_digit(p) &&
			    unit_after(s + i + 1, len - i - 1) > 0)
				c = NBSP;
			else if (p == '.' || (p < 0x80 && isalpha((int)p))) {
				/* p is the last character of b. */
				if (prefix_before(b.p, b.len) &&
				    (isupper((unsigned char)next) ||
				    isdigit((unsigned char)next)))
					c = NBSP;
			}
			break;
		default:
			break;
		}
		/* An em dash never starts a line: a word joiner holds it to
		 * the word before (as Standard Ebooks does). */
		if (c == EM_DASH && p != 0 && !uc_is_space(p) &&
		    p != WORD_JOINER)
			buf_utf8(&b, WORD_JOINER);
		buf_utf8(&b, c);
		p = c;
	}
	*prev = p;
	out = arena_strndup(a, buf_str(&b), b.len);
	buf_free(&b);
	return out;
}

/* ------------------------------------------------------------- the walk */

struct ctx {
	struct arena		*a;
	const struct typo_opts	*opts;
	uint32_t		 prev;	/* the last character in the block */
};

/* Replaces a text node by text and language-span nodes, in place. */
static void
tag_runs(struct ctx *x, struct node *t)
{
	struct node	*after, *tail, *span, *inner;
	struct run	 r;
	const char	*s;
	size_t		 len, pos, done;

	s = t->text;
	len = strlen(s);
	pos = done = 0;
	after = t->next;
	tail = t;
	while (next_run(s, len, &pos, x->opts->lang, &r)) {
		if (r.start > done) {
			if (tail == t)
				t->text = arena_strndup(x->a, s, r.start);
			else {
				struct node *txt = node_new(x->a, NODE_TEXT,
				    t->line);

				txt->text = arena_strndup(x->a, s + done,
				    r.start - done);
				tail->next = txt;
				tail = txt;
			}
		}
		span = node_new(x->a, NODE_LANG, t->line);
		span->text = (char *)r.lang;
		inner = node_new(x->a, NODE_TEXT, t->line);
		inner->text = arena_strndup(x->a, s + r.start,
		    r.end - r.start);
		node_append(span, inner);
		if (tail == t && r.start == 0) {
			/* The span replaces the text node itself. */
			*t = *span;
			t->next = NULL;
		} else {
			tail->next = span;
			tail = span;
		}
		done = r.end;
	}
	if (done == 0)
		return;
	if (done < len) {
		struct node *txt = node_new(x->a, NODE_TEXT, t->line);

		txt->text = arena_strndup(x->a, s + done, len - done);
		tail->next = txt;
		tail = txt;
	}
	tail->next = after;
}

static void walk_inlines(struct ctx *, struct node *);

static void
walk_inline(struct ctx *x, struct node *n)
{
	size_t	 pos;

	switch (n->type) {
	case NODE_TEXT:
		if (x->opts->smart)
			n->text = smarten(x->a, n->text, strlen(n->text),
			    &x->prev);
		else if (*n->text != '\0') {
			pos = strlen(n->text);
			x->prev = utf8_prev(n->text, pos, &pos);
		}
		tag_runs(x, n);
		break;
	case NODE_CODE:
		/* Code is never touched, but it is context. */
		if (*n->text != '\0') {
			pos = strlen(n->text);
			x->prev = utf8_prev(n->text, pos, &pos);
		}
		break;
	case NODE_LINK:
		/* A bare address shown as its own text stays as it is. */
		if (n->child != NULL && n->child->type == NODE_TEXT &&
		    n->child->next == NULL && n->text != NULL &&
		    (strcmp(n->child->text, n->text) == 0 ||
		    strstr(n->text, n->child->text) != NULL)) {
			pos = strlen(n->child->text);
			if (pos > 0)
				x->prev = utf8_prev(n->child->text, pos, &pos);
			break;
		}
		walk_inlines(x, n);
		break;
	case NODE_EMPH:
	case NODE_STRONG:
		walk_inlines(x, n);
		break;
	case NODE_IMAGE:
		if (n->alt != NULL && x->opts->smart) {
			uint32_t p = 0;

			n->alt = smarten(x->a, n->alt, strlen(n->alt), &p);
		}
		break;
	case NODE_LINEBREAK:
		x->prev = ' ';
		break;
	default:
		break;
	}
}

static void
walk_inlines(struct ctx *x, struct node *parent)
{
	struct node	*n, *next;

	for (n = parent->child; n != NULL; n = next) {
		next = n->next;
		walk_inline(x, n);
		/* tag_runs may have spliced nodes in after n. */
		while (n->next != next)
			n = n->next;
		if (n->next == NULL)
			parent->last = n;
	}
}

static void
walk_blocks(struct ctx *x, struct node *parent)
{
	struct node	*n;

	for (n = parent->child; n != NULL; n = n->next) {
		switch (n->type) {
		case NODE_HEADING:
		case NODE_PARA:
		case NODE_FIGURE:
			x->prev = 0;
			walk_inlines(x, n);
			break;
		case NODE_ITEM:
			x->prev = 0;
			if (n->child != NULL && node_is_block(n->child))
				walk_blocks(x, n);
			else
				walk_inlines(x, n);
			break;
		case NODE_LIST:
		case NODE_QUOTE:
			walk_blocks(x, n);
			break;
		default:
			break;
		}
	}
}

/*
 * Applies typography (when opts->smart) and wraps runs of other
 * scripts in language spans, across the title and body.  The plain
 * title text is updated to match.
 */
void
typo_article(struct article *art, const struct typo_opts *opts)
{
	struct ctx	 x;

	x.a = &art->arena;
	x.opts = opts;
	x.prev = 0;
	walk_inlines(&x, art->title);
	art->title_text = node_text(&art->arena, art->title);
	walk_blocks(&x, art->body);
	if (opts->smart) {
		if (art->subtitle != NULL)
			art->subtitle = typo_string(&art->arena, art->subtitle,
			    opts);
		if (art->author != NULL)
			art->author = typo_string(&art->arena, art->author,
			    opts);
	}
}

char *
typo_string(struct arena *a, const char *s, const struct typo_opts *opts)
{
	uint32_t	 prev = 0;

	if (!opts->smart)
		return arena_strdup(a, s);
	return smarten(a, s, strlen(s), &prev);
}

/*
 * Language spans for plain text that already had its typography (a
 * title in the table of contents): a container of text and spans.
 */
struct node *
typo_runs(struct arena *a, const char *s, const char *lang)
{
	struct typo_opts o;
	struct ctx	 x;
	struct node	*box, *t;

	o.smart = 0;
	o.lang = lang;
	x.a = a;
	x.opts = &o;
	x.prev = 0;
	box = node_new(a, NODE_QUOTE, 0);
	t = node_new(a, NODE_TEXT, 0);
	t->text = arena_strdup(a, s);
	node_append(box, t);
	walk_inlines(&x, box);
	return box;
}
