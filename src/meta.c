/* meta.c: YAML front matter and book.yaml, language tags and dates.  Pure. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "mkcitybook.h"

/* -------------------------------------------------------------- YAML */

/*
 * A scalar's text.  The file was checked, but YAML's escapes can make
 * what XML cannot hold ("\a", "\x1b", "\0" in double quotes): that is
 * removed, with a warning at the scalar, as from an article's text.  A
 * NUL would otherwise end the string early.
 */
static char *
scalar(struct arena *a, struct diags *d, const yaml_event_t *ev,
    unsigned line)
{
	const char	*in = (const char *)ev->data.scalar.value;
	size_t		 len = ev->data.scalar.length, i, o;
	char		*out;
	uint32_t	 cp, first = 0;
	unsigned	 nctl = 0, col;
	int		 n;

	out = arena_alloc(a, len + 1);
	for (i = o = 0; i < len; i += (size_t)n) {
		if ((n = utf8_decode(in + i, len - i, &cp)) < 0)
			n = 1;		/* libyaml gives UTF-8: cannot be */
		else if (uc_is_xml_char(cp)) {
			memcpy(out + o, in + i, (size_t)n);
			o += (size_t)n;
		} else if (nctl++ == 0)
			first = cp;
	}
	out[o] = '\0';
	col = (unsigned)ev->start_mark.column + 1;
	if (nctl == 1)
		diag_add(d, a, LEVEL_WARNING, line, col, "removed control "
		    "character U+%04X", first);
	else if (nctl > 1)
		diag_add(d, a, LEVEL_WARNING, line, col, "removed control "
		    "character U+%04X, and %u more", first, nctl - 1);
	return out;
}

static void
yaml_problem(struct diags *d, struct arena *a, const yaml_parser_t *p,
    unsigned line0)
{
	const char	*what;

	what = p->problem != NULL ? p->problem : "malformed YAML";
	/* libyaml notices late: say where the unclosed part began. */
	if (p->context != NULL &&
	    p->context_mark.line < p->problem_mark.line)
		diag_add(d, a, LEVEL_ERROR,
		    line0 + (unsigned)p->problem_mark.line,
		    (unsigned)p->problem_mark.column + 1, "malformed YAML: %s "
		    "%s started on line %u", what, p->context,
		    line0 + (unsigned)p->context_mark.line);
	else
		diag_add(d, a, LEVEL_ERROR,
		    line0 + (unsigned)p->problem_mark.line,
		    (unsigned)p->problem_mark.column + 1, "malformed YAML: "
		    "%s%s%s", what, p->context != NULL ? " " : "",
		    p->context != NULL ? p->context : "");
}

/*
 * Reads a YAML mapping whose values are scalars or lists of scalars,
 * which is all that front matter and book.yaml use.  Anything deeper is
 * an error naming its line.
 */
struct yitem *
yaml_read(struct arena *a, struct diags *d, const char *text, size_t len,
    unsigned line0)
{
	yaml_parser_t	 p;
	yaml_event_t	 ev;
	struct yitem	*first, *last, *it, *dup;
	struct buf	 list = { NULL, 0, 0 }, lines = { NULL, 0, 0 };
	enum { TOP, MAP, VALUE, SEQ, DONE } state;
	char		*s;
	unsigned	 evline;
	int		 ok;

	first = last = it = NULL;
	if (!yaml_parser_initialize(&p)) {
		diag_add(d, a, LEVEL_ERROR, line0, 0, "cannot start the YAML "
		    "parser");
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	state = TOP;
	ok = 1;
	while (ok && state != DONE) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(d, a, &p, line0);
			ok = 0;
			break;
		}
		evline = line0 + (unsigned)ev.start_mark.line;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			state = DONE;
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_MAPPING_START_EVENT:
			if (state == TOP)
				state = MAP;
			else {
				diag_add(d, a, LEVEL_ERROR, evline,
				    (unsigned)ev.start_mark.column + 1,
				    "the value of '%s' must be text or a list "
				    "of text, not a mapping",
				    it != NULL ? it->key : "?");
				ok = 0;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			state = DONE;
			break;
		case YAML_SEQUENCE_START_EVENT:
			if (state == VALUE) {
				state = SEQ;
				list.len = lines.len = 0;
			} else {
				diag_add(d, a, LEVEL_ERROR, evline,
				    (unsigned)ev.start_mark.column + 1,
				    state == TOP ? "expected a mapping of keys "
				    "to values, not a list" : "a list inside a "
				    "list is not supported");
				ok = 0;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
			/* "[]" is a list of none: nothing to copy, and
			 * no buffer to copy from. */
			it->nlist = list.len / sizeof(char *);
			it->list = arena_alloc(a, list.len + sizeof(char *));
			if (list.len > 0)
				memcpy(it->list, list.p, list.len);
			it->list[it->nlist] = NULL;
			it->lines = arena_alloc(a, lines.len + 1);
			if (lines.len > 0)
				memcpy(it->lines, lines.p, lines.len);
			state = MAP;
			break;
		case YAML_SCALAR_EVENT:
			s = scalar(a, d, &ev, evline);
			if (state == TOP) {
				/* A lone scalar: empty front matter is fine. */
				if (*s != '\0' || ev.data.scalar.style !=
				    YAML_PLAIN_SCALAR_STYLE) {
					diag_add(d, a, LEVEL_ERROR, evline,
					    (unsigned)ev.start_mark.column + 1,
					    "expected a mapping of keys to "
					    "values, like 'title: Anshan'");
					ok = 0;
				}
			} else if (state == MAP) {
				for (dup = first; dup != NULL; dup = dup->next)
					if (strcmp(dup->key, s) == 0)
						break;
				if (dup != NULL) {
					diag_add(d, a, LEVEL_ERROR, evline,
					    (unsigned)ev.start_mark.column + 1,
					    "duplicate key '%s' (first on "
					    "line %u)", s, dup->line);
					ok = 0;
					break;
				}
				it = arena_zalloc(a, sizeof(*it));
				it->key = s;
				it->line = evline;
				if (last == NULL)
					first = it;
				else
					last->next = it;
				last = it;
				state = VALUE;
			} else if (state == VALUE) {
				/* "key:" with nothing after it is empty. */
				it->value = s;
				state = MAP;
			} else if (state == SEQ) {
				buf_put(&list, &s, sizeof(s));
				buf_put(&lines, &evline, sizeof(evline));
			}
			break;
		case YAML_ALIAS_EVENT:
			diag_add(d, a, LEVEL_ERROR, evline,
			    (unsigned)ev.start_mark.column + 1,
			    "YAML aliases are not supported");
			ok = 0;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	buf_free(&list);
	buf_free(&lines);
	return ok ? first : NULL;
}

/* ------------------------------------------------------------- book.yaml */

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
	    strcmp(v, "off") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* A list value, or a scalar taken as a list of one. */
static char **
as_list(struct arena *a, const struct yitem *it, size_t *n)
{
	char	**v;

	if (it->list != NULL) {
		*n = it->nlist;
		return it->list;
	}
	if (it->value == NULL || *it->value == '\0') {
		*n = 0;
		return NULL;
	}
	v = arena_alloc(a, 2 * sizeof(*v));
	v[0] = it->value;
	v[1] = NULL;
	*n = 1;
	return v;
}

static int
want_scalar(struct bookmeta *m, const struct yitem *it)
{
	if (it->list == NULL)
		return 1;
	diag_add(&m->diags, &m->arena, LEVEL_ERROR, it->line, 0,
	    "'%s' must be text, not a list", it->key);
	return 0;
}

void
bookmeta_parse(struct bookmeta *m, const char *in, size_t inlen)
{
	const struct yitem	*it;
	const char		*text, *why;
	size_t			 len, i;
	char			*end;
	long			 n;

	m->typography = -1;
	text = text_clean(&m->arena, &m->diags, in, inlen, &len);
	if (m->diags.nerrors > 0)
		return;
	for (it = yaml_read(&m->arena, &m->diags, text, len, 1); it != NULL;
	    it = it->next) {
		const char *k = it->key, *v = it->value;

		if (strcmp(k, "creator") == 0 || strcmp(k, "creators") == 0 ||
		    strcmp(k, "author") == 0 || strcmp(k, "authors") == 0) {
			m->creators = as_list(&m->arena, it, &m->ncreators);
			continue;
		}
		if (strcmp(k, "subject") == 0 || strcmp(k, "subjects") == 0) {
			m->subjects = as_list(&m->arena, it, &m->nsubjects);
			continue;
		}
		if (strcmp(k, "chapters") == 0) {
			if (it->list == NULL && v != NULL && *v != '\0') {
				diag_add(&m->diags, &m->arena, LEVEL_ERROR,
				    it->line, 0, "'chapters' must be a list "
				    "of file names");
				continue;
			}
			m->chapters = it->list;
			m->chapter_lines = it->lines;
			m->nchapters = it->nlist;
			if (m->chapters == NULL) {
				m->chapters = arena_zalloc(&m->arena,
				    sizeof(char *));
				m->nchapters = 0;
			}
			for (i = 0; i < m->nchapters; i++)
				if (m->chapters[i][0] == '\0')
					diag_add(&m->diags, &m->arena,
					    LEVEL_ERROR, m->chapter_lines[i], 0,
					    "empty entry in 'chapters'");
			continue;
		}
		if (!want_scalar(m, it))
			continue;
		if (v == NULL)
			v = "";
		if (strcmp(k, "title") == 0)
			m->title = *v ? (char *)v : NULL;
		else if (strcmp(k, "subtitle") == 0)
			m->subtitle = (char *)v;
		else if (strcmp(k, "language") == 0 || strcmp(k, "lang") == 0) {
			m->lang_line = it->line;
			if (lang_check(v, &why) == 0)
				m->lang = (char *)v;
			else
				diag_add(&m->diags, &m->arena, LEVEL_ERROR,
				    it->line, 0, "invalid language tag '%s': "
				    "%s", v, why);
		} else if (strcmp(k, "description") == 0)
			m->description = (char *)v;
		else if (strcmp(k, "publisher") == 0)
			m->publisher = (char *)v;
		else if (strcmp(k, "date") == 0) {
			if (date_check(v) == 0)
				m->date = (char *)v;
			else
				diag_add(&m->diags, &m->arena, LEVEL_ERROR,
				    it->line, 0, "invalid date '%s': use "
				    "YYYY, YYYY-MM or YYYY-MM-DD", v);
		} else if (strcmp(k, "identifier") == 0)
			m->identifier = *v ? (char *)v : NULL;
		else if (strcmp(k, "rights") == 0)
			m->rights = (char *)v;
		else if (strcmp(k, "cover") == 0) {
			m->cover = *v ? (char *)v : NULL;
			m->cover_line = it->line;
		} else if (strcmp(k, "encoding") == 0) {
			m->encoding = *v ? (char *)v : NULL;
			m->encoding_line = it->line;
		}
		else if (strcmp(k, "accessibility-summary") == 0)
			m->summary = *v ? (char *)v : NULL;
		else if (strcmp(k, "certified-by") == 0)
			m->certified_by = *v ? (char *)v : NULL;
		else if (strcmp(k, "typography") == 0) {
			if (parse_bool(v, &m->typography) < 0)
				diag_add(&m->diags, &m->arena, LEVEL_ERROR,
				    it->line, 0, "typography must be true or "
				    "false, not '%s'", v);
		} else if (strcmp(k, "toc-depth") == 0) {
			n = strtol(v, &end, 10);
			if (*v == '\0' || *end != '\0' || n < 1 || n > 3)
				diag_add(&m->diags, &m->arena, LEVEL_ERROR,
				    it->line, 0, "toc-depth must be 1, 2 or 3, "
				    "not '%s'", v);
			else
				m->toc_depth = (int)n;
		} else
			diag_add(&m->diags, &m->arena, LEVEL_WARNING, it->line,
			    0, "unknown key '%s' (ignored)", k);
	}
}

void
bookmeta_free(struct bookmeta *m)
{
	if (m != NULL)
		arena_free(&m->arena);
}

/* -------------------------------------------------------- language tags */

/* ISO 639-1: the two-letter language codes. */
static const char iso639_1[] =
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs "
    "ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff "
    "fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id "
    "ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku "
    "kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my "
    "na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu "
    "rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv "
    "sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo "
    "wa wo xh yi yo za zh zu";

static int
all(const char *s, size_t n, int (*fn)(int))
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!fn((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * Checks a BCP 47 tag (RFC 5646) for well-formedness, and that a
 * two-letter primary language is a real ISO 639-1 code, so that
 * "english" or "en_US" are caught before a reader rejects the book.
 */
int
lang_check(const char *tag, const char **why)
{
	const char	*p, *q;
	char		 lc[3];
	size_t		 n;
	int		 pos;	/* 0 language, 1 extlang, 2 script, 3 region,
				   4 variant, 5 extension */

	if (*tag == '\0') {
		*why = "it is empty";
		return -1;
	}
	if (strchr(tag, '_') != NULL) {
		*why = "subtags are separated by '-', not '_'";
		return -1;
	}
	if (tag[0] == '-' || tag[strlen(tag) - 1] == '-' ||
	    strstr(tag, "--") != NULL) {
		*why = "it has an empty subtag";
		return -1;
	}
	if ((tag[0] == 'x' || tag[0] == 'X') && tag[1] == '-')
		pos = 6;		/* private use from the start */
	else
		pos = 0;
	for (p = tag; *p != '\0'; p = *q ? q + 1 : q) {
		q = strchr(p, '-');
		if (q == NULL)
			q = p + strlen(p);
		n = (size_t)(q - p);
		if (n == 0 || n > 8 || !all(p, n, isalnum)) {
			*why = "each subtag is 1 to 8 letters or digits";
			return -1;
		}
		if (pos == 6)		/* private use: anything goes */
			continue;
		if (pos == 0) {
			if (!all(p, n, isalpha)) {
				*why = "the language must be letters";
				return -1;
			}
			if (n == 2) {
				lc[0] = (char)tolower((unsigned char)p[0]);
				lc[1] = (char)tolower((unsigned char)p[1]);
				lc[2] = '\0';
				if (strstr(iso639_1, lc) == NULL ||
				    (strstr(iso639_1, lc) - iso639_1) % 3) {
					*why = "not an ISO 639 language code";
					return -1;
				}
			} else if (n != 3) {
				*why = "use a two- or three-letter language "
				    "code, such as 'en' or 'zh'";
				return -1;
			}
			pos = 1;
			continue;
		}
		if (n == 1) {		/* a singleton: extension or x- */
			pos = (*p == 'x' || *p == 'X') ? 6 : 5;
			if (q[0] == '\0') {
				*why = "an extension needs subtags after it";
				return -1;
			}
			continue;
		}
		if (pos == 5) {
			if (n < 2) {
				*why = "extension subtags are 2 to 8 "
				    "characters";
				return -1;
			}
			continue;
		}
		if (pos <= 1 && n == 3 && all(p, n, isalpha)) {
			pos = 2;	/* extlang; only one is allowed here */
			continue;
		}
		if (pos <= 2 && n == 4 && all(p, n, isalpha)) {
			pos = 3;	/* script */
			continue;
		}
		if (pos <= 3 && ((n == 2 && all(p, n, isalpha)) ||
		    (n == 3 && all(p, n, isdigit)))) {
			pos = 4;	/* region */
			continue;
		}
		if ((n >= 5) || (n == 4 && isdigit((unsigned char)p[0]))) {
			pos = 4;	/* variant */
			continue;
		}
		*why = "a subtag is out of place";
		return -1;
	}
	return 0;
}

/* -------------------------------------------------------------- dates */

static int
digits(const char *s, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
num(const char *s, int n)
{
	int	 i, v;

	for (i = v = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* W3CDTF, as OPF dc:date wants it. */
int
date_check(const char *s)
{
	size_t	 len = strlen(s);

	if (len < 4 || !digits(s, 4))
		return -1;
	if (len == 4)
		return 0;
	if (s[4] != '-' || len < 7 || !digits(s + 5, 2) ||
	    num(s + 5, 2) < 1 || num(s + 5, 2) > 12)
		return -1;
	if (len == 7)
		return 0;
	if (s[7] != '-' || len < 10 || !digits(s + 8, 2) ||
	    num(s + 8, 2) < 1 || num(s + 8, 2) > 31)
		return -1;
	if (len == 10)
		return 0;
	/* A time: Thh:mm[:ss[.s+]](Z|+hh:mm|-hh:mm). */
	s += 10;
	if (s[0] != 'T' || !digits(s + 1, 2) || s[3] != ':' ||
	    !digits(s + 4, 2) || num(s + 1, 2) > 23 || num(s + 4, 2) > 59)
		return -1;
	s += 6;
	if (s[0] == ':') {
		if (!digits(s + 1, 2) || num(s + 1, 2) > 59)
			return -1;
		s += 3;
		if (s[0] == '.') {
			s++;
			if (!isdigit((unsigned char)*s))
				return -1;
			while (isdigit((unsigned char)*s))
				s++;
		}
	}
	if (strcmp(s, "Z") == 0)
		return 0;
	if ((s[0] == '+' || s[0] == '-') && digits(s + 1, 2) && s[3] == ':' &&
	    digits(s + 4, 2) && s[6] == '\0')
		return 0;
	return -1;
}

void
bookmeta_creators(const struct bookmeta *m, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < m->ncreators; i++) {
		if (i > 0)
			buf_puts(out, i + 1 == m->ncreators ? " & " : ", ");
		buf_puts(out, m->creators[i]);
	}
}
