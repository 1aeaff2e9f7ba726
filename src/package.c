/* package.c: the package document, the nav, the NCX and container.xml. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>

#include "epub.h"

#define OPF_NS		"http://www.idpf.org/2007/opf"
#define DC_NS		"http://purl.org/dc/elements/1.1/"
#define NCX_NS		"http://www.daisy.org/z3986/2005/ncx/"
#define XHTML_NS	"http://www.w3.org/1999/xhtml"
#define EPUB_NS		"http://www.idpf.org/2007/ops"
#define CONTAINER_NS	"urn:oasis:names:tc:opendocument:xmlns:container"

/* Items per batch when streaming the parts that grow with the book. */
#define BATCH		256

/* The labels of the fixed parts, in the book's language. */
struct labels {
	const char	*lang;
	const char	*contents;
	const char	*titlepage;
	const char	*cover;
	const char	*colophon;
	const char	*start;
};

static const struct labels labels[] = {
	{ "en", "Contents", "Title Page", "Cover", "Colophon",
	    "Start of Content" },
	{ "fr", "Table des matières", "Page de titre", "Couverture",
	    "Colophon", "Début du contenu" },
	{ "de", "Inhalt", "Titelseite", "Umschlag", "Impressum",
	    "Beginn des Inhalts" },
	{ "es", "Índice", "Portadilla", "Cubierta", "Colofón",
	    "Inicio del contenido" },
	{ "it", "Indice", "Frontespizio", "Copertina", "Colophon",
	    "Inizio del contenuto" },
	{ "pt", "Sumário", "Folha de rosto", "Capa", "Cólofon",
	    "Início do conteúdo" },
	{ "nl", "Inhoud", "Titelpagina", "Omslag", "Colofon",
	    "Begin van de inhoud" },
	{ "zh", "目录", "书名页", "封面", "版权页", "正文" },
	{ "ja", "目次", "扉", "表紙", "奥付", "本文" },
	{ NULL, NULL, NULL, NULL, NULL, NULL },
};

static const struct labels *
labels_for(const char *lang)
{
	const struct labels	*l;
	size_t			 n;

	for (l = labels; l->lang != NULL; l++) {
		n = strlen(l->lang);
		if (strncmp(lang, l->lang, n) == 0 &&
		    (lang[n] == '\0' || lang[n] == '-'))
			return l;
	}
	return labels;
}

/* ------------------------------------------------------------- helpers */

static xmlDocPtr
new_doc(const char *root, const char *ns, xmlNodePtr *rootp)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 r;

	if ((doc = xmlNewDoc(BAD_CAST "1.0")) == NULL ||
	    (r = xmlNewDocNode(doc, NULL, BAD_CAST root, NULL)) == NULL)
		oom_xml();
	xmlDocSetRootElement(doc, r);
	if ((r->ns = xmlNewNs(r, BAD_CAST ns, NULL)) == NULL)
		oom_xml();
	*rootp = r;
	return doc;
}

static void
xml_lang(xmlNodePtr n, const char *lang)
{
	xmlNsPtr	 xmlns;

	xmlns = xmlSearchNsByHref(n->doc, n, XML_XML_NAMESPACE);
	if (xmlns == NULL || xmlSetNsProp(n, xmlns, BAD_CAST "lang",
	    BAD_CAST lang) == NULL)
		oom_xml();
}

/* An element in another namespace (dc:title), with text. */
static xmlNodePtr
ns_el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *s)
{
	xmlNodePtr	 n;

	if ((n = xmlNewNode(ns, BAD_CAST name)) == NULL)
		oom_xml();
	xmlAddChild(parent, n);
	if (s != NULL)
		text(n, s);
	return n;
}

/* A slot of our own in a generated document. */
static void
slot(xmlNodePtr parent, const char *name)
{
	xmlNsPtr	 ns;
	xmlNodePtr	 n;

	if ((ns = xmlSearchNsByHref(parent->doc, parent,
	    BAD_CAST TEMPLATE_NS)) == NULL)
		ns = xmlNewNs(xmlDocGetRootElement(parent->doc),
		    BAD_CAST TEMPLATE_NS, BAD_CAST "mkc");
	if (ns == NULL || (n = xmlNewNode(ns, BAD_CAST name)) == NULL)
		oom_xml();
	xmlAddChild(parent, n);
}

/* Writes the children of a batch, then empties it. */
static void
flush(struct xw *x, xmlNodePtr box)
{
	xmlNodePtr	 c, next;

	for (c = box->children; c != NULL; c = next) {
		next = c->next;
		xw_node(x, c);
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
}

static xmlNodePtr
meta(xmlNodePtr md, const char *property, const char *value)
{
	xmlNodePtr	 m;

	nl(md, 2);
	m = el(md, "meta");
	attr(m, "property", property);
	text(m, value);
	return m;
}

/* ------------------------------------------------------------------ OPF */

static void
item(xmlNodePtr manifest, const char *id, const char *href,
    const char *type, const char *props)
{
	xmlNodePtr	 n;

	nl(manifest, 2);
	n = el(manifest, "item");
	attr(n, "id", id);
	attr(n, "href", href);
	attr(n, "media-type", type);
	if (props != NULL)
		attr(n, "properties", props);
}

static void
itemref(xmlNodePtr spine, const char *idref)
{
	nl(spine, 2);
	attr(el(spine, "itemref"), "idref", idref);
}

static void
reference(xmlNodePtr guide, const char *type, const char *title,
    const char *href)
{
	xmlNodePtr	 n;

	nl(guide, 2);
	n = el(guide, "reference");
	attr(n, "type", type);
	attr(n, "title", title);
	attr(n, "href", href);
}

static int
opf_slot(struct xw *x, xmlNodePtr s, void *ctx)
{
	const struct book	*b = ctx;
	xmlDocPtr		 scratch;
	xmlNodePtr		 box;
	char			 id[128], href[128];
	size_t			 i;

	scratch = new_doc("box", OPF_NS, &box);
	for (i = 0; i < b->nchapters; i++) {
		snprintf(id, sizeof(id), "ch-%s", b->chapters[i].slug);
		if (xmlStrEqual(s->name, BAD_CAST "items")) {
			snprintf(href, sizeof(href), "text/%s.xhtml",
			    b->chapters[i].slug);
			item(box, id, href, "application/xhtml+xml", NULL);
		} else
			itemref(box, id);
		if ((i + 1) % BATCH == 0)
			flush(x, box);
	}
	flush(x, box);
	xmlFreeDoc(scratch);
	return x->err ? -1 : 1;
}

static const char *
certifier(const struct book *b)
{
	if (b->meta.certified_by != NULL)
		return b->meta.certified_by;
	if (b->meta.publisher != NULL)
		return b->meta.publisher;
	if (b->meta.ncreators > 0)
		return b->meta.creators[0];
	return "mkcitybook";
}

static void
opf_metadata(const struct book *b, xmlNodePtr pkg)
{
	xmlNodePtr	 md, n;
	xmlNsPtr	 dc;
	struct tm	 tm;
	char		 when[32], id[32];
	size_t		 i;
	char		*summary;

	nl(pkg, 1);
	md = el(pkg, "metadata");
	if ((dc = xmlNewNs(md, BAD_CAST DC_NS, BAD_CAST "dc")) == NULL)
		oom_xml();
	nl(md, 2);
	attr(ns_el(md, dc, "identifier", b->identifier), "id", "pub-id");
	nl(md, 2);
	attr(ns_el(md, dc, "title", b->title), "id", "title");
	nl(md, 2);
	ns_el(md, dc, "language", b->lang);
	for (i = 0; i < b->meta.ncreators; i++) {
		snprintf(id, sizeof(id), "creator-%zu", i + 1);
		nl(md, 2);
		attr(ns_el(md, dc, "creator", b->meta.creators[i]), "id", id);
		snprintf(id, sizeof(id), "#creator-%zu", i + 1);
		n = meta(md, "role", "aut");
		attr(n, "refines", id);
		attr(n, "scheme", "marc:relators");
	}
	if (b->meta.publisher != NULL) {
		nl(md, 2);
		ns_el(md, dc, "publisher", b->meta.publisher);
	}
	if (b->meta.date != NULL) {
		nl(md, 2);
		ns_el(md, dc, "date", b->meta.date);
	}
	if (b->meta.description != NULL) {
		nl(md, 2);
		ns_el(md, dc, "description", b->meta.description);
	}
	for (i = 0; i < b->meta.nsubjects; i++) {
		nl(md, 2);
		ns_el(md, dc, "subject", b->meta.subjects[i]);
	}
	if (b->meta.rights != NULL) {
		nl(md, 2);
		ns_el(md, dc, "rights", b->meta.rights);
	}
	gmtime_r(&b->modified, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	meta(md, "dcterms:modified", when);
	if (b->cover != NULL) {
		/* EPUB 2 readers, Kindle and Nook: name before content. */
		nl(md, 2);
		n = el(md, "meta");
		attr(n, "name", "cover");
		attr(n, "content", "cover-image");
	}

	/* Accessibility (EPUB Accessibility 1.1). */
	meta(md, "schema:accessMode", "textual");
	if (b->nimages > 0 || b->cover != NULL)
		meta(md, "schema:accessMode", "visual");
	meta(md, "schema:accessModeSufficient", "textual");
	meta(md, "schema:accessibilityFeature", "structuralNavigation");
	meta(md, "schema:accessibilityFeature", "tableOfContents");
	meta(md, "schema:accessibilityFeature", "readingOrder");
	meta(md, "schema:accessibilityFeature", "displayTransformability");
	if ((b->nimages > 0 || b->cover != NULL) && !b->missing_alt)
		meta(md, "schema:accessibilityFeature", "alternativeText");
	meta(md, "schema:accessibilityHazard", "none");
	if (b->meta.summary != NULL)
		summary = xstrdup(b->meta.summary);
	else
		summary = xasprintf("%s has a table of contents and "
		    "structured headings for navigation, and one reading "
		    "order.  Passages in Chinese and other scripts are marked "
		    "with their language%s.  The text takes the reader's own "
		    "font, size and colours.", b->title,
		    b->nimages > 0 && !b->missing_alt ?
		    ", and every image has a text alternative" : "");
	meta(md, "schema:accessibilitySummary", summary);
	free(summary);
	if (!b->missing_alt) {
		attr(meta(md, "dcterms:conformsTo",
		    "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"), "id",
		    "conformance");
		attr(meta(md, "a11y:certifiedBy", certifier(b)), "refines",
		    "#conformance");
	}
	nl(md, 1);
}

int
package_opf(const struct book *b, struct zout *z)
{
	const struct labels *l = labels_for(b->lang);
	xmlDocPtr	 doc;
	xmlNodePtr	 pkg, man, spine, guide;
	char		 first[128];
	size_t		 i;
	int		 rc;

	doc = new_doc("package", OPF_NS, &pkg);
	attr(pkg, "version", "3.0");
	attr(pkg, "unique-identifier", "pub-id");
	xml_lang(pkg, b->lang);
	opf_metadata(b, pkg);

	nl(pkg, 1);
	man = el(pkg, "manifest");
	item(man, "nav", "nav.xhtml", "application/xhtml+xml", "nav");
	item(man, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL);
	item(man, "css", "css/book.css", "text/css", NULL);
	if (b->cover != NULL)
		item(man, "cover-image", b->cover->href, b->cover->media_type,
		    "cover-image");
	for (i = 0; i < b->nimages; i++)
		item(man, b->images[i].id, b->images[i].href,
		    b->images[i].media_type, NULL);
	if (b->cover != NULL)
		item(man, "cover", "text/cover.xhtml",
		    "application/xhtml+xml", NULL);
	item(man, "titlepage", "text/titlepage.xhtml",
	    "application/xhtml+xml", NULL);
	slot(man, "items");
	item(man, "colophon", "text/colophon.xhtml", "application/xhtml+xml",
	    NULL);
	nl(man, 1);

	nl(pkg, 1);
	spine = el(pkg, "spine");
	attr(spine, "toc", "ncx");
	if (b->cover != NULL)
		itemref(spine, "cover");
	itemref(spine, "titlepage");
	itemref(spine, "nav");
	slot(spine, "itemrefs");
	itemref(spine, "colophon");
	nl(spine, 1);

	/* The legacy guide: Kindle still wants it to find the start. */
	nl(pkg, 1);
	guide = el(pkg, "guide");
	if (b->cover != NULL)
		reference(guide, "cover", l->cover, "text/cover.xhtml");
	reference(guide, "title-page", l->titlepage, "text/titlepage.xhtml");
	reference(guide, "toc", l->contents, "nav.xhtml");
	snprintf(first, sizeof(first), "text/%s.xhtml", b->chapters[0].slug);
	reference(guide, "text", l->start, first);
	reference(guide, "colophon", l->colophon, "text/colophon.xhtml");
	nl(guide, 1);
	nl(pkg, 0);

	rc = xw_doc(doc, NULL, sink_zout, z, opf_slot, (void *)b);
	xmlFreeDoc(doc);
	return rc;
}

/* -------------------------------------------------------------- outline */

/*
 * The outline of the book, chapter by chapter in book order: a 'C'
 * record for each chapter (slug, language, title), then an 'H' record
 * for each of its headings, from the lines pass one left in the spill
 * ("level\tid\tlabel").
 */
struct oline {
	char		 kind;
	int		 level;
	const char	*a;		/* slug, or heading id */
	const char	*b;		/* lang ("" for the book's) */
	const char	*label;
};

struct oiter {
	const struct book *book;
	size_t		 next;		/* the next chapter */
	struct buf	 lines;		/* the current chapter's outline */
	char		*p;		/* the next line in it */
};

/* The next record: 1, 0 at the end, -1 when the spill cannot be read. */
static int
oiter_next(struct oiter *it, struct oline *o)
{
	const struct chapter	*c;
	char			*nl, *t1, *t2;

	if (it->p != NULL && *it->p != '\0') {
		nl = strchr(it->p, '\n');
		*nl = '\0';
		if ((t1 = strchr(it->p, '\t')) == NULL ||
		    (t2 = strchr(t1 + 1, '\t')) == NULL)
			return -1;
		*t1 = *t2 = '\0';
		o->kind = 'H';
		o->level = atoi(it->p);
		o->a = t1 + 1;
		o->b = "";
		o->label = t2 + 1;
		it->p = nl + 1;
		return 1;
	}
	if (it->next >= it->book->nchapters)
		return 0;
	c = &it->book->chapters[it->next];
	if (book_outline(it->book, it->next++, &it->lines) < 0)
		return -1;
	it->p = it->lines.p != NULL ? it->lines.p : NULL;
	o->kind = 'C';
	o->level = 1;
	o->a = c->slug;
	o->b = c->lang != NULL ? c->lang : "";
	o->label = c->title;
	return 1;
}

/* ------------------------------------------------------------------ nav */

/*
 * The contents, built one chapter at a time: each chapter's <li> with
 * its sections is a small tree, written and freed before the next, so
 * a book of any size needs the memory of one chapter.
 */
struct tocbuild {
	xmlNodePtr	 li[8];		/* last entry at each level */
	xmlNodePtr	 ol[8];		/* list under that entry */
};

static xmlNodePtr
nav_li(xmlNodePtr ol, int depth, const char *href, const char *label,
    const char *lang, const char *doclang)
{
	xmlNodePtr	 li, a;

	nl(ol, depth);
	li = el(ol, "li");
	a = el(li, "a");
	attr(a, "href", href);
	if (lang != NULL && *lang != '\0')
		attr_lang(a, lang);
	xhtml_label(a, label, lang != NULL && *lang != '\0' ? lang : doclang);
	return li;
}

/* Adds a heading under the nearest shallower entry. */
static void
toc_heading(struct tocbuild *tb, const struct oline *o, const char *slug,
    const char *doclang)
{
	char	 href[512];
	int	 lvl, k;

	lvl = o->level < 2 ? 2 : o->level > 7 ? 7 : o->level;
	for (k = lvl - 1; k > 1 && tb->li[k] == NULL; k--)
		continue;
	if (tb->li[k] == NULL)
		return;
	if (tb->ol[k] == NULL) {
		nl(tb->li[k], 2 * k);
		tb->ol[k] = el(tb->li[k], "ol");
	}
	snprintf(href, sizeof(href), "text/%s.xhtml#%s", slug, o->a);
	tb->li[lvl] = nav_li(tb->ol[k], 2 * k + 1, href, o->label, NULL,
	    doclang);
	for (k = lvl; k < 8; k++) {
		tb->ol[k] = NULL;
		if (k > lvl)
			tb->li[k] = NULL;
	}
}

/* Closes the open lists of a chapter entry, for tidy output. */
static void
toc_close(struct tocbuild *tb)
{
	int	 k;

	for (k = 7; k >= 1; k--)
		if (tb->ol[k] != NULL) {
			nl(tb->ol[k], 2 * k);
			nl(tb->li[k], 2 * k - 1);
		}
}

static int
nav_toc(struct xw *x, const struct book *b, xmlNodePtr box)
{
	const struct labels *l = labels_for(b->lang);
	struct tocbuild	 tb;
	struct oline	 ol;
	struct oiter	 it;
	xmlNodePtr	 list, part;
	char		 href[512], *slug = NULL;
	int		 rc;

	list = el(box, "ol");
	xw_start(x, list);
	part = el(box, "ol");
	nav_li(part, 1, "text/titlepage.xhtml", l->titlepage, NULL, b->lang);
	flush(x, part);
	memset(&tb, 0, sizeof(tb));
	memset(&it, 0, sizeof(it));
	it.book = b;
	while ((rc = oiter_next(&it, &ol)) > 0) {
		if (ol.kind == 'C') {
			toc_close(&tb);
			flush(x, part);
			memset(&tb, 0, sizeof(tb));
			free(slug);
			slug = xstrdup(ol.a);
			snprintf(href, sizeof(href), "text/%s.xhtml", ol.a);
			tb.li[1] = nav_li(part, 1, href, ol.label, ol.b,
			    b->lang);
		} else if (slug != NULL)
			toc_heading(&tb, &ol, slug, b->lang);
	}
	toc_close(&tb);
	nav_li(part, 1, "text/colophon.xhtml", l->colophon, NULL, b->lang);
	nl(part, 0);
	flush(x, part);
	xw_end(x);
	free(slug);
	buf_free(&it.lines);
	return rc < 0 || x->err ? -1 : 0;
}

static void
landmark(xmlNodePtr ol, xmlNsPtr epub, const char *type, const char *href,
    const char *label)
{
	xmlNodePtr	 a;

	nl(ol, 1);
	a = el(el(ol, "li"), "a");
	if (xmlSetNsProp(a, epub, BAD_CAST "type", BAD_CAST type) == NULL)
		oom_xml();
	attr(a, "href", href);
	text(a, label);
}

struct navctx {
	const struct book	*b;
	xmlDocPtr		 scratch;
	xmlNodePtr		 root;
	xmlNsPtr		 epub;
};

static int
nav_slot(struct xw *x, xmlNodePtr s, void *ctx)
{
	struct navctx		*n = ctx;
	const struct book	*b = n->b;
	const struct labels	*l = labels_for(b->lang);
	xmlNodePtr		 box, ol;
	char			 href[512];
	int			 rc = 0;

	box = el(n->root, "div");
	if (xmlStrEqual(s->name, BAD_CAST "toc"))
		rc = nav_toc(x, b, box);
	else if (xmlStrEqual(s->name, BAD_CAST "landmarks")) {
		ol = el(box, "ol");
		if (b->cover != NULL)
			landmark(ol, n->epub, "cover", "text/cover.xhtml",
			    l->cover);
		landmark(ol, n->epub, "titlepage", "text/titlepage.xhtml",
		    l->titlepage);
		landmark(ol, n->epub, "toc", "nav.xhtml#toc", l->contents);
		snprintf(href, sizeof(href), "text/%s.xhtml",
		    b->chapters[0].slug);
		landmark(ol, n->epub, "bodymatter", href, l->start);
		nl(ol, 0);
		flush(x, box);
	} else if (xmlStrEqual(s->name, BAD_CAST "title")) {
		text(box, l->contents);
		flush(x, box);
	}
	/* nav_toc streams its list itself; the box holds only scraps. */
	xmlUnlinkNode(box);
	xmlFreeNode(box);
	return rc < 0 || x->err ? -1 : 1;
}

int
package_nav(const struct book *b, const struct templates *t, struct zout *z)
{
	struct navctx	 n;
	int		 rc;

	memset(&n, 0, sizeof(n));
	n.b = b;
	n.scratch = new_doc("div", XHTML_NS, &n.root);
	if ((n.epub = xmlNewNs(n.root, BAD_CAST EPUB_NS,
	    BAD_CAST "epub")) == NULL)
		oom_xml();
	rc = xw_doc(t->doc[TPL_NAV], b->lang, sink_zout, z, nav_slot, &n);
	xmlFreeDoc(n.scratch);
	return rc;
}

/* ------------------------------------------------------------------ NCX */

struct ncxbuild {
	xmlNodePtr	 np[8];		/* open navPoint at each level */
	unsigned long	 order;		/* playOrder */
};

/*
 * EPUB 2 readers load the whole NCX when the book opens, and a huge one
 * is slow to open and to scroll.  Past this many entries it lists the
 * chapters alone; the EPUB 3 contents keep every level.
 */
#define NCX_MAX		5000

static int
ncx_sections(const struct book *b)
{
	return b->nchapters + b->nheads + 2 <= NCX_MAX;
}

static xmlNodePtr
nav_point(xmlNodePtr parent, int depth, unsigned long order,
    const char *label, const char *src)
{
	xmlNodePtr	 np, nl_;
	char		 id[32], po[24];

	snprintf(id, sizeof(id), "np-%lu", order);
	snprintf(po, sizeof(po), "%lu", order);
	nl(parent, depth);
	np = el(parent, "navPoint");
	attr(np, "id", id);
	attr(np, "playOrder", po);
	nl(np, depth + 1);
	nl_ = el(np, "navLabel");
	text(el(nl_, "text"), label);
	nl(np, depth + 1);
	attr(el(np, "content"), "src", src);
	return np;
}

static void
ncx_close(struct ncxbuild *nb, int from)
{
	int	 k;

	for (k = 7; k >= from; k--)
		if (nb->np[k] != NULL) {
			nl(nb->np[k], k);
			nb->np[k] = NULL;
		}
}

static int
ncx_slot(struct xw *x, xmlNodePtr s, void *ctx)
{
	struct navctx		*n = ctx;
	const struct book	*b = n->b;
	const struct labels	*l = labels_for(b->lang);
	struct ncxbuild		 nb;
	struct oline		 ol;
	struct oiter		 it;
	xmlDocPtr		 scratch;
	xmlNodePtr		 box;
	char			 src[512], *slug = NULL;
	int			 rc, lvl, k;

	(void)s;
	scratch = new_doc("navMap", NCX_NS, &box);
	memset(&nb, 0, sizeof(nb));
	memset(&it, 0, sizeof(it));
	it.book = b;
	nav_point(box, 2, ++nb.order, l->titlepage, "text/titlepage.xhtml");
	while ((rc = oiter_next(&it, &ol)) > 0) {
		if (ol.kind == 'C') {
			ncx_close(&nb, 1);
			flush(x, box);
			free(slug);
			slug = xstrdup(ol.a);
			snprintf(src, sizeof(src), "text/%s.xhtml", ol.a);
			nb.np[1] = nav_point(box, 2, ++nb.order, ol.label,
			    src);
			continue;
		}
		if (slug == NULL || !ncx_sections(b))
			continue;
		lvl = ol.level < 2 ? 2 : ol.level > 7 ? 7 : ol.level;
		for (k = lvl - 1; k > 1 && nb.np[k] == NULL; k--)
			continue;
		if (nb.np[k] == NULL)
			continue;
		ncx_close(&nb, lvl);
		snprintf(src, sizeof(src), "text/%s.xhtml#%s", slug, ol.a);
		nb.np[lvl] = nav_point(nb.np[k], k + 1, ++nb.order, ol.label,
		    src);
	}
	ncx_close(&nb, 1);
	nav_point(box, 2, ++nb.order, l->colophon, "text/colophon.xhtml");
	nl(box, 1);
	flush(x, box);
	xmlFreeDoc(scratch);
	free(slug);
	buf_free(&it.lines);
	return rc < 0 || x->err ? -1 : 1;
}

int
package_ncx(const struct book *b, struct zout *z)
{
	struct navctx	 n;
	xmlDocPtr	 doc;
	xmlNodePtr	 ncx, head, m, title, map;
	char		 depth[16];
	size_t		 i;
	int		 rc;

	memset(&n, 0, sizeof(n));
	n.b = b;
	doc = new_doc("ncx", NCX_NS, &ncx);
	attr(ncx, "version", "2005-1");
	xml_lang(ncx, b->lang);
	nl(ncx, 1);
	head = el(ncx, "head");
	snprintf(depth, sizeof(depth), "%d", b->maxlevel < 1 ||
	    !ncx_sections(b) ? 1 : b->maxlevel);
	{
		static const char *const names[] = {
			"dtb:uid", "dtb:depth", "dtb:totalPageCount",
			"dtb:maxPageNumber",
		};
		const char *values[4];

		values[0] = b->identifier;
		values[1] = depth;
		values[2] = values[3] = "0";
		for (i = 0; i < 4; i++) {
			nl(head, 2);
			m = el(head, "meta");
			attr(m, "name", names[i]);
			attr(m, "content", values[i]);
		}
	}
	nl(head, 1);
	nl(ncx, 1);
	title = el(ncx, "docTitle");
	text(el(title, "text"), b->title);
	for (i = 0; i < b->meta.ncreators; i++) {
		nl(ncx, 1);
		text(el(el(ncx, "docAuthor"), "text"), b->meta.creators[i]);
	}
	nl(ncx, 1);
	map = el(ncx, "navMap");
	slot(map, "navpoints");
	nl(ncx, 0);
	rc = xw_doc(doc, NULL, sink_zout, z, ncx_slot, &n);
	xmlFreeDoc(doc);
	return rc;
}

/* -------------------------------------------------------- container.xml */

int
package_container(struct zout *z)
{
	xmlDocPtr	 doc;
	xmlNodePtr	 c, rfs, rf;
	int		 rc;

	doc = new_doc("container", CONTAINER_NS, &c);
	attr(c, "version", "1.0");
	nl(c, 1);
	rfs = el(c, "rootfiles");
	nl(rfs, 2);
	rf = el(rfs, "rootfile");
	attr(rf, "full-path", "EPUB/content.opf");
	attr(rf, "media-type", "application/oebps-package+xml");
	nl(rfs, 1);
	nl(c, 0);
	rc = xw_doc(doc, NULL, sink_zout, z, NULL, NULL);
	xmlFreeDoc(doc);
	return rc;
}
