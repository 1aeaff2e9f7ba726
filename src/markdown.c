/* markdown.c: Markdown article (CommonMark, by cmark) -> model.  Pure. */
#include <string.h>

#include <cmark.h>

#include "mkcitybook.h"

/*
 * Quotes, lists, emphasis and links nest no deeper than this; deeper
 * ones become their plain text in the level above, with a warning.  Markdown
 * sets no limit, but XML parsers do (libxml2, in Apple Books and
 * Kobo's readers, refuses a document over 256 elements deep), and no
 * reader lays out 30 levels of quotes.
 */
#define MAX_NEST	32

struct conv {
	struct article	*art;
	unsigned	 off;		/* file line of the body's line 1 */
	unsigned	 depth;		/* of nested quotes, lists, ... */
	int		 warned;	/* about nesting too deep */
};

/* Whether another level of nesting fits; warns once when not. */
static int
nest_in(struct conv *c, unsigned line)
{
	if (c->depth < MAX_NEST) {
		c->depth++;
		return 1;
	}
	if (!c->warned) {
		diag_add(&c->art->diags, &c->art->arena, LEVEL_WARNING, line,
		    0, "nested more than %d levels deep; the deeper levels "
		    "are flattened", MAX_NEST);
		c->warned = 1;
	}
	return 0;
}

static unsigned
line_of(const struct conv *c, cmark_node *n)
{
	int	 l = cmark_node_get_start_line(n);

	return l > 0 ? (unsigned)l + c->off - 1 : 0;
}

static int
has_scheme(const char *url)
{
	const char	*p;

	for (p = url; (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.';
	    p++)
		continue;
	return *p == ':' && p > url;
}

/*
 * Appends text, merging with a text node just before it.  Runs of
 * white space become one space, as HTML would show them anyway.
 */
static void
add_text(struct conv *c, struct node *parent, const char *s, unsigned line)
{
	struct arena	*a = &c->art->arena;
	struct buf	 b = { NULL, 0, 0 };
	struct node	*t;
	int		 space;

	if (parent->last != NULL && parent->last->type == NODE_TEXT) {
		t = parent->last;
		buf_puts(&b, t->text);
	} else
		t = NULL;
	space = b.len > 0 && b.p[b.len - 1] == ' ';
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (!space)
				buf_putc(&b, ' ');
			space = 1;
		} else {
			buf_putc(&b, *s);
			space = 0;
		}
	}
	if (b.len > 0) {
		if (t == NULL) {
			t = node_new(a, NODE_TEXT, line);
			node_append(parent, t);
		}
		t->text = arena_strndup(a, b.p, b.len);
	}
	buf_free(&b);
}

static char *
plain(struct conv *c, cmark_node *n)
{
	struct buf	 b = { NULL, 0, 0 };
	cmark_iter	*it;
	cmark_node	*cur;
	cmark_event_type ev;
	const char	*lit;
	char		*s;

	it = cmark_iter_new(n);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cur = cmark_iter_get_node(it);
		if (cur == n)
			continue;
		switch (cmark_node_get_type(cur)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
		case CMARK_NODE_CODE_BLOCK:
			if ((lit = cmark_node_get_literal(cur)) != NULL)
				buf_puts(&b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(&b, ' ');
			break;
		case CMARK_NODE_PARAGRAPH:
		case CMARK_NODE_HEADING:
			/* Blocks, in a subtree flattened to text. */
			if (ev == CMARK_EVENT_EXIT && b.len > 0 &&
			    b.p[b.len - 1] != ' ')
				buf_putc(&b, ' ');
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	while (b.len > 0 && b.p[b.len - 1] == ' ')
		b.len--;
	s = arena_strdup(&c->art->arena, buf_str(&b));
	buf_free(&b);
	return s;
}

static void
inlines(struct conv *c, struct node *parent, cmark_node *n)
{
	struct arena	*a = &c->art->arena;
	struct node	*x;
	const char	*url, *title, *lit;
	unsigned	 line;

	for (; n != NULL; n = cmark_node_next(n)) {
		line = line_of(c, n);
		if (line == 0)
			line = parent->line;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
			add_text(c, parent, cmark_node_get_literal(n), line);
			break;
		case CMARK_NODE_SOFTBREAK:
			add_text(c, parent, " ", line);
			break;
		case CMARK_NODE_LINEBREAK:
			node_append(parent, node_new(a, NODE_LINEBREAK, line));
			break;
		case CMARK_NODE_CODE:
			x = node_new(a, NODE_CODE, line);
			x->text = arena_strdup(a, cmark_node_get_literal(n));
			node_append(parent, x);
			break;
		case CMARK_NODE_HTML_INLINE:
			lit = cmark_node_get_literal(n);
			diag_add(&c->art->diags, a, LEVEL_WARNING, line, 0,
			    "HTML is not supported in articles; kept as text: "
			    "%s", lit);
			add_text(c, parent, lit, line);
			break;
		case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG:
			if (!nest_in(c, line)) {
				add_text(c, parent, plain(c, n), line);
				break;
			}
			x = node_new(a, cmark_node_get_type(n) ==
			    CMARK_NODE_EMPH ? NODE_EMPH : NODE_STRONG, line);
			inlines(c, x, cmark_node_first_child(n));
			node_append(parent, x);
			c->depth--;
			break;
		case CMARK_NODE_LINK:
			if (!nest_in(c, line)) {
				add_text(c, parent, plain(c, n), line);
				break;
			}
			x = node_new(a, NODE_LINK, line);
			url = cmark_node_get_url(n);
			title = cmark_node_get_title(n);
			x->text = arena_strdup(a, url != NULL ? url : "");
			if (title != NULL && *title != '\0')
				x->title = arena_strdup(a, title);
			inlines(c, x, cmark_node_first_child(n));
			node_append(parent, x);
			c->depth--;
			break;
		case CMARK_NODE_IMAGE:
			url = cmark_node_get_url(n);
			title = cmark_node_get_title(n);
			if (url == NULL || *url == '\0')
				break;
			if (has_scheme(url)) {
				/* A book carries its images; link instead. */
				diag_add(&c->art->diags, a, LEVEL_WARNING, line,
				    0, "image '%s' is on the web, not in the "
				    "folder; linked instead of shown", url);
				x = node_new(a, NODE_LINK, line);
				x->text = arena_strdup(a, url);
				add_text(c, x, *plain(c, n) ? plain(c, n) : url,
				    line);
				node_append(parent, x);
				break;
			}
			x = node_new(a, NODE_IMAGE, line);
			x->text = arena_strdup(a, url);
			x->alt = plain(c, n);
			if (*x->alt == '\0')
				x->alt = NULL;
			if (title != NULL && *title != '\0')
				x->title = arena_strdup(a, title);
			node_append(parent, x);
			break;
		default:
			break;
		}
	}
}

static void blocks(struct conv *, struct node *, cmark_node *);

/*
 * A quote or list nested too deep: its text, as one paragraph in the
 * level above.  plain() walks it with cmark's iterator, not by
 * recursion, so that however deep the input goes (cmark takes a quote
 * per '>'), the stack does not.
 */
static void
flatten(struct conv *c, struct node *parent, cmark_node *n, unsigned line)
{
	struct node	*x;
	const char	*s = plain(c, n);

	if (*s == '\0')
		return;
	x = node_new(&c->art->arena, NODE_PARA, line);
	add_text(c, x, s, line);
	node_append(parent, x);
	c->art->nparas++;
}

/* A paragraph that is one image alone is a figure. */
static struct node *
figure_of(struct conv *c, struct node *para)
{
	struct node	*img = para->child, *f;

	if (img == NULL || img->type != NODE_IMAGE || img->next != NULL)
		return NULL;
	f = node_new(&c->art->arena, NODE_FIGURE, para->line);
	f->text = img->text;
	f->alt = img->alt;
	if (img->title != NULL)
		add_text(c, f, img->title, para->line);
	return f;
}

static void
block(struct conv *c, struct node *parent, cmark_node *n)
{
	struct arena	*a = &c->art->arena;
	struct node	*x, *f, *item;
	cmark_node	*ci, *only;
	const char	*lit;
	unsigned	 line = line_of(c, n);
	int		 tight;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		x = node_new(a, NODE_PARA, line);
		inlines(c, x, cmark_node_first_child(n));
		if ((f = figure_of(c, x)) != NULL)
			x = f;
		else {
			lit = node_text(a, x);
			if (spam_score(lit, strlen(lit), NULL, NULL) > 0) {
				diag_add(&c->art->diags, a, LEVEL_NOTE, line, 0,
				    "left out a keyword list");
				c->art->nspam++;
				return;
			}
			c->art->nparas++;
		}
		break;
	case CMARK_NODE_HEADING:
		x = node_new(a, NODE_HEADING, line);
		x->level = cmark_node_get_heading_level(n);
		inlines(c, x, cmark_node_first_child(n));
		break;
	case CMARK_NODE_BLOCK_QUOTE:
		if (!nest_in(c, line)) {
			flatten(c, parent, n, line);
			return;
		}
		x = node_new(a, NODE_QUOTE, line);
		blocks(c, x, cmark_node_first_child(n));
		c->depth--;
		break;
	case CMARK_NODE_LIST:
		if (!nest_in(c, line)) {
			flatten(c, parent, n, line);
			return;
		}
		x = node_new(a, NODE_LIST, line);
		x->level = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
		x->start = x->level ? cmark_node_get_list_start(n) : 1;
		tight = cmark_node_get_list_tight(n);
		for (ci = cmark_node_first_child(n); ci != NULL;
		    ci = cmark_node_next(ci)) {
			item = node_new(a, NODE_ITEM, line_of(c, ci));
			only = cmark_node_first_child(ci);
			/* A tight item's one paragraph is just its text. */
			if (tight && only != NULL && cmark_node_next(only) ==
			    NULL && cmark_node_get_type(only) ==
			    CMARK_NODE_PARAGRAPH)
				inlines(c, item, cmark_node_first_child(only));
			else
				blocks(c, item, only);
			node_append(x, item);
		}
		c->depth--;
		break;
	case CMARK_NODE_CODE_BLOCK:
		x = node_new(a, NODE_CODEBLOCK, line);
		x->text = arena_strdup(a, cmark_node_get_literal(n));
		break;
	case CMARK_NODE_HTML_BLOCK:
		lit = cmark_node_get_literal(n);
		diag_add(&c->art->diags, a, LEVEL_WARNING, line, 0, "HTML is "
		    "not supported in articles; kept as text");
		x = node_new(a, NODE_PARA, line);
		add_text(c, x, lit, line);
		if (x->last != NULL) {
			size_t k = strlen(x->last->text);

			while (k > 0 && x->last->text[k - 1] == ' ')
				x->last->text[--k] = '\0';
		}
		c->art->nparas++;
		break;
	case CMARK_NODE_THEMATIC_BREAK:
		x = node_new(a, NODE_BREAK, line);
		break;
	default:
		return;
	}
	node_append(parent, x);
}

static void
blocks(struct conv *c, struct node *parent, cmark_node *n)
{
	for (; n != NULL; n = cmark_node_next(n))
		block(c, parent, n);
}

struct article *
markdown_parse(const char *name, const char *in, size_t len,
    const struct parse_opts *opts)
{
	struct article	*art;
	struct conv	 c;
	struct node	*n, *first;
	cmark_node	*doc;
	const char	*text, *body;
	size_t		 tlen, blen;
	unsigned	 bline, nlevel1;

	art = article_new(name, FORMAT_MARKDOWN);
	text = text_clean(&art->arena, &art->diags, in, len, &tlen);
	body = article_frontmatter(art, text, tlen, &blen, &bline);
	if (opts != NULL && opts->frontmatter_only)
		return art;
	memset(&c, 0, sizeof(c));
	c.art = art;
	c.off = bline;
	doc = cmark_parse_document(body, blen, CMARK_OPT_DEFAULT);
	blocks(&c, art->body, cmark_node_first_child(doc));
	cmark_node_free(doc);

	/* "# Title" alone at the top names the article. */
	nlevel1 = 0;
	for (n = art->body->child; n != NULL; n = n->next)
		if (n->type == NODE_HEADING && n->level == 1)
			nlevel1++;
	first = art->body->child;
	if (art->title_text == NULL && first != NULL &&
	    first->type == NODE_HEADING && first->level == 1 &&
	    nlevel1 == 1 && first->next != NULL) {
		art->body->child = first->next;
		first->next = NULL;
		art->title = first;
		art->title_text = node_text(&art->arena, first);
		art->title_from = TITLE_FIRSTLINE;
		art->title_line = first->line;
	}
	article_fix_levels(art, 0);
	article_pick_title(art);
	return art;
}
