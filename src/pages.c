/* pages.c: the XHTML documents: chapters and the fixed pages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "epub.h"

#define XHTML_NS	"http://www.w3.org/1999/xhtml"
#define EPUB_NS		"http://www.idpf.org/2007/ops"

/* What a slot callback needs to build its part of a document. */
struct rctx {
	const struct book	*b;
	const struct templates	*t;
	const struct chapter	*c;	/* NULL on the fixed pages */
	struct article		*art;
	struct rendered		*out;	/* for warnings; NULL on pages */
	xmlDocPtr		 doc;	/* scratch document for the parts */
	xmlNodePtr		 root;
	xmlNsPtr		 epub;
	struct arena		 arena;
};

static void
rctx_init(struct rctx *r, const struct book *b, const struct templates *t)
{
	memset(r, 0, sizeof(*r));
	r->b = b;
	r->t = t;
	if ((r->doc = xmlNewDoc(BAD_CAST "1.0")) == NULL ||
	    (r->root = xmlNewDocNode(r->doc, NULL, BAD_CAST "div",
	    NULL)) == NULL)
		oom_xml();
	xmlDocSetRootElement(r->doc, r->root);
	if ((r->root->ns = xmlNewNs(r->root, BAD_CAST XHTML_NS, NULL)) ==
	    NULL || (r->epub = xmlNewNs(r->root, BAD_CAST EPUB_NS,
	    BAD_CAST "epub")) == NULL)
		oom_xml();
}

static void
rctx_free(struct rctx *r)
{
	xmlFreeDoc(r->doc);
	arena_free(&r->arena);
}

static void
epub_type(struct rctx *r, xmlNodePtr n, const char *type)
{
	if (xmlSetNsProp(n, r->epub, BAD_CAST "type", BAD_CAST type) == NULL)
		oom_xml();
}

static void
warn(struct rctx *r, unsigned line, const char *fmt, const char *arg)
{
	if (r->out != NULL)
		diag_add(&r->out->diags, &r->out->arena, LEVEL_WARNING, line, 0,
		    fmt, arg);
}

/* ---------------------------------------------------------------- inlines */

static void inlines(struct rctx *, xmlNodePtr, const struct node *);

static int
has_id(const struct article *art, const char *id)
{
	const struct node	*n;

	for (n = art->body->child; n != NULL; n = n->next)
		if (n->id != NULL && strcmp(n->id, id) == 0)
			return 1;
	return 0;
}

/* Does chapter j have a heading with this id?  Read it again to see. */
static int
chapter_has_id(struct rctx *r, size_t j, const char *id)
{
	struct article	*art;
	char		*err;
	int		 found;

	if (r->c != NULL && &r->b->chapters[j] == r->c)
		return has_id(r->art, id);
	if ((art = book_read_chapter(r->b, j, &err)) == NULL) {
		free(err);
		return 0;
	}
	article_assign_ids(art, (const char *const *)r->t->chapter_ids);
	found = has_id(art, id);
	article_free(art);
	return found;
}

/* The book's href for a link in an article, or NULL after a warning. */
static const char *
link_href(struct rctx *r, const struct node *n, char *buf, size_t size)
{
	const char	*href, *hash;
	size_t		 j;

	if ((href = book_resolve_link(r->b, n->text, buf, size)) == NULL) {
		warn(r, n->line, "link to '%s', which is not an article of the "
		    "book; kept as plain text", n->text);
		return NULL;
	}
	if (href == n->text && href[0] != '#')
		return href;		/* a web or mail address */
	hash = strchr(href, '#');
	if (hash == NULL)
		return href;
	if (href[0] == '#') {
		if (r->art != NULL && has_id(r->art, href + 1))
			return href;
	} else
		for (j = 0; j < r->b->nchapters; j++)
			if (strncmp(href, r->b->chapters[j].slug,
			    strlen(r->b->chapters[j].slug)) == 0 &&
			    strncmp(href + strlen(r->b->chapters[j].slug),
			    ".xhtml#", 7) == 0 &&
			    chapter_has_id(r, j, hash + 1))
				return href;
	warn(r, n->line, "link to '%s': no such heading; linking to the "
	    "chapter instead", n->text);
	if (href[0] == '#')
		return NULL;
	buf[hash - buf] = '\0';
	return buf;
}

/* An <img>: the book's copy of the file, with its alt text when there is
 * one (without, Ace reports it, as it should; pass one warned). */
static void
img_el(xmlNodePtr parent, const struct image *im, const char *alt,
    const char *title)
{
	xmlNodePtr	 img;
	char		*src;

	img = el(parent, "img");
	src = xasprintf("../%s", im->href);
	attr(img, "src", src);
	free(src);
	if (alt != NULL || im->alt != NULL)
		attr(img, "alt", alt != NULL ? alt : im->alt);
	if (title != NULL)
		attr(img, "title", title);
}

static void
image(struct rctx *r, xmlNodePtr parent, const struct node *n)
{
	const struct image	*im;

	if ((im = book_image_written(r->b, n->text)) == NULL) {
		/* Checked in pass one; only the alt text is left. */
		if (n->alt != NULL)
			text(parent, n->alt);
		return;
	}
	img_el(parent, im, n->alt, n->type == NODE_IMAGE ? n->title : NULL);
}

/* A photograph beside the article, with its caption file's caption. */
static void
photo(struct rctx *r, xmlNodePtr parent, const struct image *im)
{
	xmlNodePtr	 fig;
	struct typo_opts o;

	fig = el(parent, "figure");
	img_el(fig, im, NULL, NULL);
	if (im->caption != NULL) {
		book_typo_opts(r->b, r->c, &o);
		xhtml_label(el(fig, "figcaption"), typo_string(&r->arena,
		    im->caption, &o), o.lang);
	}
}

static void
inlines(struct rctx *r, xmlNodePtr parent, const struct node *n)
{
	xmlNodePtr	 e;
	const char	*href;
	char		 buf[1024];

	for (; n != NULL; n = n->next) {
		switch (n->type) {
		case NODE_TEXT:
			text(parent, n->text);
			break;
		case NODE_EMPH:
			inlines(r, el(parent, "em"), n->child);
			break;
		case NODE_STRONG:
			inlines(r, el(parent, "strong"), n->child);
			break;
		case NODE_CODE:
			text(el(parent, "code"), n->text);
			break;
		case NODE_LINK:
			if ((href = link_href(r, n, buf, sizeof(buf))) ==
			    NULL) {
				inlines(r, parent, n->child);
				break;
			}
			e = el(parent, "a");
			attr(e, "href", href);
			if (n->title != NULL)
				attr(e, "title", n->title);
			inlines(r, e, n->child);
			break;
		case NODE_IMAGE:
			image(r, parent, n);
			break;
		case NODE_LINEBREAK:
			el(parent, "br");
			break;
		case NODE_LANG:
			e = el(parent, "span");
			attr_lang(e, n->text);
			inlines(r, e, n->child);
			break;
		default:
			break;
		}
	}
}

void
xhtml_inlines(xmlNodePtr parent, const struct node *n)
{
	struct rctx	 r;

	memset(&r, 0, sizeof(r));
	inlines(&r, parent, n);
}

/* Plain text with its other-script runs in language spans. */
void
xhtml_label(xmlNodePtr parent, const char *s, const char *lang)
{
	struct arena	 a = { NULL, NULL, 0 };
	struct rctx	 r;

	memset(&r, 0, sizeof(r));
	inlines(&r, parent, typo_runs(&a, s, lang)->child);
	arena_free(&a);
}

/* ----------------------------------------------------------------- blocks */

static const struct image *
figure_image(struct rctx *r, const struct node *n)
{
	return n->text != NULL ? book_image_written(r->b, n->text) : NULL;
}

static void
blocks(struct rctx *r, xmlNodePtr parent, const struct node *n, int depth)
{
	xmlNodePtr	 e, li;
	const struct node *it, *first = n;
	const struct image *im;
	char		 name[4], num[24];

	for (; n != NULL; n = n->next) {
		/* One block a line; the template places the first. */
		if (n != first)
			nl(parent, depth);
		switch (n->type) {
		case NODE_HEADING:
			snprintf(name, sizeof(name), "h%d", n->level);
			e = el(parent, name);
			if (n->id != NULL)
				attr(e, "id", n->id);
			inlines(r, e, n->child);
			break;
		case NODE_PARA:
			inlines(r, el(parent, "p"), n->child);
			break;
		case NODE_LIST:
			e = el(parent, n->level ? "ol" : "ul");
			if (n->level && n->start != 1) {
				snprintf(num, sizeof(num), "%ld", n->start);
				attr(e, "start", num);
			}
			for (it = n->child; it != NULL; it = it->next) {
				nl(e, depth + 1);
				li = el(e, "li");
				if (it->child != NULL && node_is_block(it->child))
					blocks(r, li, it->child, depth + 2);
				else
					inlines(r, li, it->child);
			}
			nl(e, depth);
			break;
		case NODE_QUOTE:
			e = el(parent, "blockquote");
			nl(e, depth + 1);
			blocks(r, e, n->child, depth + 1);
			nl(e, depth);
			break;
		case NODE_CODEBLOCK:
			text(el(el(parent, "pre"), "code"), n->text);
			break;
		case NODE_BREAK:
			el(parent, "hr");
			break;
		case NODE_FIGURE:
			e = el(parent, "figure");
			image(r, e, n);
			if (n->child != NULL)
				inlines(r, el(e, "figcaption"), n->child);
			else if ((im = figure_image(r, n)) != NULL &&
			    im->caption != NULL) {
				struct typo_opts o;

				book_typo_opts(r->b, r->c, &o);
				xhtml_label(el(e, "figcaption"), typo_string(
				    &r->arena, im->caption, &o), o.lang);
			}
			break;
		default:
			break;
		}
	}
}

/* ------------------------------------------------------------------ slots */

/* Writes what the callback built, then throws the parts away.
 * Returns 1 when there was something, 0 when not, -1 on error. */
static int
flush_box(struct xw *x, xmlNodePtr box)
{
	xmlNodePtr	 c;
	int		 any;

	any = box->children != NULL;
	for (c = box->children; c != NULL; c = c->next)
		xw_node(x, c);
	xmlUnlinkNode(box);
	xmlFreeNode(box);
	return x->err ? -1 : any;
}

static int
in_head_title(xmlNodePtr slot)
{
	return slot->parent != NULL &&
	    xmlStrEqual(slot->parent->name, BAD_CAST "title");
}

static xmlNodePtr
para(struct rctx *r, xmlNodePtr box, const char *cls, const char *s,
    const char *lang)
{
	xmlNodePtr	 p;

	(void)r;
	p = el(box, "p");
	attr(p, "class", cls);
	xhtml_label(p, s, lang);
	return p;
}

static int
chapter_slot(struct xw *x, xmlNodePtr slot, void *ctx)
{
	struct rctx	*r = ctx;
	struct article	*art = r->art;
	const char	*name = (const char *)slot->name;
	const char	*lang;
	xmlNodePtr	 box, p;
	char		*s;
	size_t		 i;

	lang = r->c->lang != NULL ? r->c->lang : r->b->lang;
	box = el(r->root, "div");
	if (strcmp(name, "title") == 0) {
		if (in_head_title(slot))
			text(box, art->title_text);
		else
			inlines(r, box, art->title->child);
	} else if (strcmp(name, "subtitle") == 0 && art->subtitle != NULL) {
		p = para(r, box, "subtitle", art->subtitle, lang);
		epub_type(r, p, "subtitle");
		attr(p, "role", "doc-subtitle");
	} else if (strcmp(name, "byline") == 0 && (art->author != NULL ||
	    art->date != NULL)) {
		s = xasprintf("%s%s%s", art->author ? art->author : "",
		    art->author && art->date ? " \xC2\xB7 " : "",
		    art->date ? art->date : "");
		para(r, box, "byline", s, lang);
		free(s);
	} else if (strcmp(name, "body") == 0) {
		/* A photograph beside the article opens it; those in its
		 * folder close it. */
		if (r->c->lead >= 0) {
			photo(r, box, &r->b->images[r->c->lead]);
			nl(box, 0);
		}
		blocks(r, box, art->body->child, 0);
		for (i = 0; i < r->c->ngallery; i++) {
			nl(box, 0);
			photo(r, box, &r->b->images[r->c->gallery[i]]);
		}
	}
	return flush_box(x, box);
}

/*
 * Writes a parsed article as the XHTML of chapter c, through the chapter
 * template, to a sink.  Heading ids must be assigned.  Warnings (links
 * that go nowhere) go to out when it is not NULL.  Returns 0, or -1
 * when the sink failed.  Pure apart from the sink: the fuzzer calls it.
 */
int
chapter_write(const struct book *b, const struct templates *t,
    const struct chapter *c, struct article *art, struct rendered *out,
    int (*sink)(void *, const void *, size_t), void *sinkctx)
{
	struct rctx	 r;
	int		 rc;

	rctx_init(&r, b, t);
	r.c = c;
	r.art = art;
	r.out = out;
	rc = xw_doc(t->doc[TPL_CHAPTER], c->lang ? c->lang : b->lang, sink,
	    sinkctx, chapter_slot, &r);
	rctx_free(&r);
	return rc;
}

/* The outline for the contents: "level\tid\tlabel" per heading. */
void
chapter_outline(const struct book *b, struct article *art, struct buf *o)
{
	const struct node *n;
	char		*label, *p;

	for (n = art->body->child; n != NULL; n = n->next) {
		if (n->type != NODE_HEADING || n->level > b->toc_depth)
			continue;
		label = node_text(&art->arena, n);
		for (p = label; *p != '\0'; p++)
			if (*p == '\t' || *p == '\n')
				*p = ' ';
		buf_printf(o, "%d\t%s\t%s\n", n->level, n->id, label);
	}
}

/* One chapter: read again, rendered, deflated.  Runs on any thread. */
void
render_chapter(const struct book *b, const struct templates *t, size_t i,
    struct rendered *out)
{
	struct article	*art;
	char		*err;

	memset(out, 0, sizeof(*out));
	if ((art = book_read_chapter(b, i, &err)) == NULL) {
		out->error = err;
		return;
	}
	article_assign_ids(art, (const char *const *)t->chapter_ids);
	if (zout_init(&out->z, -1, 0) < 0 ||
	    chapter_write(b, t, &b->chapters[i], art, out, sink_zout,
	    &out->z) < 0 || zout_finish(&out->z) < 0)
		out->error = xasprintf("cannot render: %s",
		    strerror(out->z.err ? out->z.err : ENOMEM));
	article_free(art);
}

void
rendered_free(struct rendered *out)
{
	zout_free(&out->z);
	free(out->error);
	arena_free(&out->arena);
}

/* ---------------------------------------------------------- fixed pages */

static int
write_page(const struct book *b, const struct templates *t,
    enum tpl_kind kind, int (*slot)(struct xw *, xmlNodePtr, void *),
    struct zout *z)
{
	struct rctx	 r;
	int		 rc;

	rctx_init(&r, b, t);
	rc = xw_doc(t->doc[kind], b->lang, sink_zout, z, slot, &r);
	rctx_free(&r);
	return rc;
}

/* Book-level text with typography, in the scratch arena. */
static const char *
smart(struct rctx *r, const char *s)
{
	struct typo_opts o;

	book_typo_opts(r->b, NULL, &o);
	return typo_string(&r->arena, s, &o);
}

static int
titlepage_slot(struct xw *x, xmlNodePtr slot, void *ctx)
{
	struct rctx	*r = ctx;
	const struct book *b = r->b;
	const char	*name = (const char *)slot->name;
	struct buf	 s = { NULL, 0, 0 };
	xmlNodePtr	 box, p;

	box = el(r->root, "div");
	if (strcmp(name, "title") == 0) {
		if (in_head_title(slot))
			text(box, smart(r, b->title));
		else
			xhtml_label(box, smart(r, b->title), b->lang);
	} else if (strcmp(name, "subtitle") == 0 && b->meta.subtitle) {
		p = para(r, box, "subtitle", smart(r, b->meta.subtitle),
		    b->lang);
		epub_type(r, p, "subtitle");
		attr(p, "role", "doc-subtitle");
	} else if (strcmp(name, "creators") == 0 && b->meta.ncreators > 0) {
		bookmeta_creators(&b->meta, &s);
		para(r, box, "creators", smart(r, buf_str(&s)), b->lang);
		buf_free(&s);
	} else if (strcmp(name, "publisher") == 0 && b->meta.publisher)
		para(r, box, "publisher", smart(r, b->meta.publisher),
		    b->lang);
	return flush_box(x, box);
}

int
page_titlepage(const struct book *b, const struct templates *t,
    struct zout *z)
{
	return write_page(b, t, TPL_TITLEPAGE, titlepage_slot, z);
}

static int
cover_slot(struct xw *x, xmlNodePtr slot, void *ctx)
{
	struct rctx	*r = ctx;
	const char	*name = (const char *)slot->name;
	xmlNodePtr	 box, img;
	char		*s;

	box = el(r->root, "div");
	if (strcmp(name, "title") == 0)
		text(box, smart(r, r->b->title));
	else if (strcmp(name, "cover") == 0 && r->b->cover != NULL) {
		img = el(box, "img");
		s = xasprintf("../%s", r->b->cover->href);
		attr(img, "src", s);
		free(s);
		s = xasprintf("Cover: %s", smart(r, r->b->title));
		attr(img, "alt", s);
		free(s);
		attr(img, "role", "doc-cover");
		epub_type(r, img, "cover");
	}
	return flush_box(x, box);
}

int
page_cover(const struct book *b, const struct templates *t, struct zout *z)
{
	return write_page(b, t, TPL_COVER, cover_slot, z);
}

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* How many source files the colophon names one by one. */
#define COLOPHON_FILES	100

static int
colophon_slot(struct xw *x, xmlNodePtr slot, void *ctx)
{
	struct rctx	*r = ctx;
	const struct book *b = r->b;
	xmlNodePtr	 box, ul, li, code;
	struct tm	 tm;
	char		*s;
	size_t		 i;

	box = el(r->root, "div");
	if (strcmp((const char *)slot->name, "colophon") != 0)
		return flush_box(x, box);
	gmtime_r(&b->modified, &tm);
	nl(box, 0);
	s = xasprintf("This book was compiled by mkcitybook %s on %d %s %d "
	    "from %zu article%s:", MKC_VERSION, tm.tm_mday,
	    months[tm.tm_mon], tm.tm_year + 1900, b->nchapters,
	    b->nchapters == 1 ? "" : "s");
	text(el(box, "p"), s);
	free(s);
	nl(box, 0);
	ul = el(box, "ul");
	for (i = 0; i < b->nchapters && i < COLOPHON_FILES; i++) {
		nl(ul, 1);
		li = el(ul, "li");
		code = el(li, "code");
		text(code, b->chapters[i].src);
		if (b->chapters[i].title != NULL) {
			text(li, " (");
			xhtml_label(li, b->chapters[i].title, b->lang);
			text(li, ")");
		}
	}
	if (b->nchapters > COLOPHON_FILES) {
		nl(ul, 1);
		s = xasprintf("and %zu more", b->nchapters - COLOPHON_FILES);
		text(el(ul, "li"), s);
		free(s);
	}
	nl(ul, 0);
	nl(box, 0);
	if (b->meta.rights != NULL) {
		xhtml_label(el(box, "p"), smart(r, b->meta.rights), b->lang);
		nl(box, 0);
	}
	s = xasprintf("Identifier: %s", b->identifier);
	text(el(box, "p"), s);
	free(s);
	nl(box, 0);
	return flush_box(x, box);
}

int
page_colophon(const struct book *b, const struct templates *t,
    struct zout *z)
{
	return write_page(b, t, TPL_COLOPHON, colophon_slot, z);
}
