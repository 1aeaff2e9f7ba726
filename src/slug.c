/* slug.c: ASCII slugs, titles from file names, and heading ids.  Pure. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mkcitybook.h"

/* The longest slug; longer ones are cut at a hyphen. */
#define SLUG_MAX	64

/*
 * ASCII for U+00C0..U+024F (Latin-1 Supplement letters, Latin
 * Extended-A and -B), lower case.  Generated once from Unicode's
 * decompositions with a few letters spelled out (ß -> ss, ø -> o).
 */
static const char *const latin[0x250 - 0xC0] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e",
	"i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "",
	"o", "u", "u", "u", "u", "y", "th", "ss", "a", "a", "a", "a",
	"a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
	"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u",
	"u", "y", "th", "y", "a", "a", "a", "a", "a", "a", "c", "c",
	"c", "c", "c", "c", "c", "c", "d", "d", "d", "d", "e", "e",
	"e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
	"g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i",
	"i", "i", "i", "i", "i", "i", "ij", "ij", "j", "j", "k", "k",
	"k", "l", "l", "l", "l", "l", "l", "l", "l", "l", "l", "n",
	"n", "n", "n", "n", "n", "n", "ng", "ng", "o", "o", "o", "o",
	"o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s",
	"s", "s", "s", "s", "s", "s", "t", "t", "t", "t", "", "",
	"u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u", "u",
	"w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
	"b", "b", "", "", "", "", "", "c", "c", "", "d", "",
	"", "", "", "e", "", "f", "f", "g", "", "", "", "i",
	"k", "k", "l", "", "", "n", "n", "o", "o", "o", "", "",
	"p", "p", "", "", "", "", "", "t", "t", "t", "t", "u",
	"u", "", "v", "y", "y", "z", "z", "", "", "", "", "",
	"", "", "", "", "", "", "", "", "dz", "dz", "dz", "lj",
	"lj", "lj", "nj", "nj", "nj", "a", "a", "i", "i", "o", "o", "u",
	"u", "u", "u", "u", "u", "u", "u", "u", "u", "", "a", "a",
	"a", "a", "", "", "", "", "g", "g", "k", "k", "o", "o",
	"o", "o", "", "", "j", "dz", "dz", "dz", "g", "g", "", "",
	"n", "n", "a", "a", "", "", "", "", "a", "a", "a", "a",
	"e", "e", "e", "e", "i", "i", "i", "i", "o", "o", "o", "o",
	"r", "r", "r", "r", "u", "u", "u", "u", "s", "s", "t", "t",
	"", "", "h", "h", "", "", "", "", "z", "z", "a", "a",
	"e", "e", "o", "o", "o", "o", "o", "o", "o", "o", "y", "y",
	"l", "n", "t", "j", "db", "qp", "a", "c", "c", "l", "t", "s",
	"z", "", "", "b", "u", "", "e", "e", "j", "j", "q", "q",
	"r", "r", "y", "y",
};

/* Russian and Ukrainian Cyrillic U+0430..U+044F, lower case. */
static const char *const cyrillic[32] = {
	"a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l",
	"m", "n", "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch",
	"sh", "shch", "", "y", "", "e", "yu", "ya",
};

/* Greek U+03B1..U+03C9, lower case. */
static const char *const greek[25] = {
	"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m",
	"n", "x", "o", "p", "r", "s", "s", "t", "y", "f", "ch", "ps", "o",
};

/* The ASCII spelling of a letter, or NULL when it has none. */
static const char *
ascii_of(uint32_t cp, char *tmp)
{
	if (cp < 0x80) {
		if (!isalnum((int)cp))
			return NULL;
		tmp[0] = (char)tolower((int)cp);
		tmp[1] = '\0';
		return tmp;
	}
	if (cp >= 0xC0 && cp < 0x250)
		return *latin[cp - 0xC0] ? latin[cp - 0xC0] : NULL;
	if (cp >= 0x410 && cp <= 0x42F)
		cp += 0x20;
	if (cp >= 0x430 && cp <= 0x44F)
		return *cyrillic[cp - 0x430] ? cyrillic[cp - 0x430] : NULL;
	switch (cp) {
	case 0x401: case 0x451: return "yo";
	case 0x404: case 0x454: return "ye";
	case 0x406: case 0x456: return "i";
	case 0x407: case 0x457: return "yi";
	case 0x490: case 0x491: return "g";
	case 0x386: case 0x3AC: return "a";
	case 0x388: case 0x3AD: return "e";
	case 0x389: case 0x3AE: return "i";
	case 0x38A: case 0x3AF: return "i";
	case 0x38C: case 0x3CC: return "o";
	case 0x38E: case 0x3CD: return "y";
	case 0x38F: case 0x3CE: return "o";
	default: break;
	}
	if (cp >= 0x391 && cp <= 0x3A9)
		cp += 0x20;
	if (cp >= 0x3B1 && cp <= 0x3C9)
		return greek[cp - 0x3B1];
	return NULL;
}

static int
is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

/*
 * Lower-case ASCII letters and digits joined by single hyphens:
 * "Ürümqi and Beyond" -> "urumqi-and-beyond", "Qitaihe’s" -> "qitaihes".
 * Returns "" when nothing is left.  The caller frees.
 */
char *
slugify(const char *s, size_t len)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*a;
	char		 tmp[2];
	uint32_t	 cp;
	size_t		 i;
	int		 n, sep;

	sep = 0;
	for (i = 0; i < len; i += (size_t)n) {
		if ((n = utf8_decode(s + i, len - i, &cp)) < 0) {
			n = 1;
			continue;
		}
		if (is_apostrophe(cp))
			continue;
		if ((a = ascii_of(cp, tmp)) == NULL) {
			sep = b.len > 0;
			continue;
		}
		if (sep)
			buf_putc(&b, '-');
		sep = 0;
		buf_puts(&b, a);
	}
	if (b.len > SLUG_MAX) {
		for (i = SLUG_MAX; i > SLUG_MAX / 2 && b.p[i] != '-'; i--)
			continue;
		b.len = b.p[i] == '-' ? i : SLUG_MAX;
		b.p[b.len] = '\0';
	}
	return b.p != NULL ? b.p : xstrdup("");
}

/* ------------------------------------------------------------ file names */

static const char *const small_words[] = {
	"a", "an", "and", "at", "by", "de", "del", "der", "des", "di", "du",
	"for", "in", "la", "le", "of", "on", "or", "the", "to", "upon",
	"van", "von", NULL
};

static int
is_small_word(const char *w, size_t n)
{
	size_t	 i;

	for (i = 0; small_words[i] != NULL; i++)
		if (strlen(small_words[i]) == n &&
		    strncmp(small_words[i], w, n) == 0)
			return 1;
	return 0;
}

/* A word that looks generated: hex digits mixed with letters. */
static int
is_opaque_word(const char *w, size_t n)
{
	size_t	 i, ndig, nhex;

	for (i = ndig = nhex = 0; i < n; i++) {
		if (isdigit((unsigned char)w[i]))
			ndig++;
		if (isxdigit((unsigned char)w[i]))
			nhex++;
	}
	if (ndig == n)
		return n > 4;		/* a long number, not "66" */
	if (nhex == n && ndig > 0 && n >= 6)
		return 1;		/* 7a4248913effa42d */
	return ndig > 0 && ndig < n && n >= 8;
}

/*
 * A chapter title from a file name, when the name reads as one:
 * "anshan.txt" -> "Anshan", "san-francisco.txt" -> "San Francisco",
 * "02-bay-of-pigs.md" -> "Bay of Pigs"; a name with capitals or spaces
 * ("Ürümqi and Beyond.txt") is kept as it is.  Returns NULL for opaque
 * names such as "001_7a4248913effa42d.txt".  The caller frees.
 */
char *
name_to_title(const char *name)
{
	struct buf	 b = { NULL, 0, 0 };
	const char	*base, *dot, *p, *end, *w;
	size_t		 n;
	int		 has_upper, has_space, first, has_letter;

	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	dot = strrchr(base, '.');
	end = dot != NULL && dot != base ? dot : base + strlen(base);

	/* An ordering prefix: "01-", "001_", "3. ". */
	for (p = base; p < end && isdigit((unsigned char)*p); p++)
		continue;
	if (p > base && p < end && (*p == '-' || *p == '_' || *p == '.' ||
	    *p == ' ')) {
		while (p < end && (*p == '-' || *p == '_' || *p == '.' ||
		    *p == ' '))
			p++;
	} else
		p = base;
	if (p == end)
		return NULL;

	has_upper = has_space = has_letter = 0;
	for (w = p; w < end; w++) {
		if (isupper((unsigned char)*w) || (unsigned char)*w >= 0x80)
			has_upper = 1;
		if (*w == ' ')
			has_space = 1;
		if (isalpha((unsigned char)*w) || (unsigned char)*w >= 0x80)
			has_letter = 1;
	}
	if (!has_letter)
		return NULL;
	/* Every word must read as a word. */
	for (w = p; w < end; w += n) {
		while (w < end && (*w == '-' || *w == '_' || *w == ' '))
			w++;
		for (n = 0; w + n < end && w[n] != '-' && w[n] != '_' &&
		    w[n] != ' '; n++)
			continue;
		if (n > 0 && is_opaque_word(w, n))
			return NULL;
	}
	if (has_space || has_upper) {
		/* Keep the writer's own spelling; "_" is a space. */
		for (w = p; w < end; w++)
			buf_putc(&b, *w == '_' ? ' ' : *w);
		return b.p;
	}
	first = 1;
	for (w = p; w < end; w += n) {
		while (w < end && (*w == '-' || *w == '_'))
			w++;
		for (n = 0; w + n < end && w[n] != '-' && w[n] != '_'; n++)
			continue;
		if (n == 0)
			break;
		if (!first)
			buf_putc(&b, ' ');
		if (first || !is_small_word(w, n)) {
			buf_putc(&b, toupper((unsigned char)w[0]));
			buf_put(&b, w + 1, n - 1);
		} else
			buf_put(&b, w, n);
		first = 0;
	}
	return b.p;
}

/* --------------------------------------------------------------- ids */

/*
 * Gives every heading an id made from its text, unique in the article
 * and different from the reserved ids (those the template uses).  An
 * id starts with a letter, as XML wants.
 */
void
article_assign_ids(struct article *art, const char *const *reserved)
{
	struct strset	 set = { NULL, 0, 0 };
	struct node	*n;
	char		*text, *slug, *base, *id;
	unsigned	 k;

	for (; reserved != NULL && *reserved != NULL; reserved++)
		strset_add(&set, *reserved);
	for (n = art->body->child; n != NULL; n = n->next) {
		if (n->type != NODE_HEADING)
			continue;
		text = node_text(&art->arena, n);
		slug = slugify(text, strlen(text));
		if (*slug == '\0')
			base = arena_strdup(&art->arena, "section");
		else if (isdigit((unsigned char)*slug))
			base = arena_printf(&art->arena, "s-%s", slug);
		else
			base = arena_strdup(&art->arena, slug);
		free(slug);
		id = base;
		for (k = 2; strset_has(&set, id); k++)
			id = arena_printf(&art->arena, "%s-%u", base, k);
		n->id = id;
		strset_add(&set, id);
	}
	strset_free(&set);
}
