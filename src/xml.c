/* xml.c: building libxml2 trees and serializing them into a deflater. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <zlib.h>
#include <libdeflate.h>

#include "epub.h"

/* ----------------------------------------------------------- the deflater */

/*
 * Two deflaters.  A part up to ZSMALL bytes is kept whole and deflated
 * at the end by libdeflate, nearly twice as fast as zlib at the same
 * level and ratio; a bigger one (a 50 MB article, the contents of a
 * huge book) goes on through zlib as a stream, so that memory stays
 * bounded.  Which one a part takes depends on its size alone, so the
 * same input gives the same bytes.
 */
#define ZSMALL		(1024 * 1024)
#define ZCHUNK		(64 * 1024)

/*
 * Each thread keeps its deflaters between parts: setting one up costs
 * hundreds of kilobytes, and doing it for every chapter had glibc grow
 * and trim the heap for each of them.
 */
struct zcache {
	z_stream			*zs;	/* not while a stream has it */
	struct libdeflate_compressor	*ld;
};

static pthread_key_t	 zkey;
static pthread_once_t	 zonce = PTHREAD_ONCE_INIT;

static void
zstream_free(z_stream *zs)
{
	if (zs != NULL) {
		deflateEnd(zs);
		free(zs);
	}
}

static void
zcache_free(void *p)
{
	struct zcache	*c = p;

	zstream_free(c->zs);
	if (c->ld != NULL)
		libdeflate_free_compressor(c->ld);
	free(c);
}

static void
zkey_init(void)
{
	pthread_key_create(&zkey, zcache_free);
}

static struct zcache *
zcache(void)
{
	struct zcache	*c;

	pthread_once(&zonce, zkey_init);
	if ((c = pthread_getspecific(zkey)) == NULL) {
		c = xcalloc(1, sizeof(*c));
		pthread_setspecific(zkey, c);
	}
	return c;
}

/* The thread's zlib stream, ready for a new part; NULL when out of
 * memory. */
static z_stream *
zstream_get(void)
{
	struct zcache	*c = zcache();
	z_stream	*zs;

	if ((zs = c->zs) != NULL) {
		c->zs = NULL;
		if (deflateReset(zs) == Z_OK)
			return zs;
		zstream_free(zs);
	}
	zs = xcalloc(1, sizeof(*zs));
	if (deflateInit2(zs, ZLEVEL, Z_DEFLATED, -MAX_WBITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		free(zs);
		return NULL;
	}
	return zs;
}

/* Gives a stream back to its thread, or frees it if one is there. */
static void
zstream_put(z_stream *zs)
{
	struct zcache	*c = zcache();

	if (c->zs == NULL)
		c->zs = zs;
	else
		zstream_free(zs);
}

/* Frees the calling thread's deflaters (for the main thread, at exit). */
void
zout_cleanup(void)
{
	struct zcache	*c;

	pthread_once(&zonce, zkey_init);
	if ((c = pthread_getspecific(zkey)) != NULL) {
		pthread_setspecific(zkey, NULL);
		zcache_free(c);
	}
}

int
zout_init(struct zout *z, int fd, uint64_t off)
{
	memset(z, 0, sizeof(*z));
	z->fd = fd;
	z->off = off;
	z->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	return 0;
}

static int
zout_emit(struct zout *z, const unsigned char *p, size_t n)
{
	if (n == 0)
		return 0;
	if (z->fd >= 0) {
		if (pwrite_all(z->fd, p, n, z->off + z->csize) < 0) {
			z->err = errno;
			return -1;
		}
	} else
		buf_put(&z->mem, p, n);
	z->csize += n;
	return 0;
}

static int
zout_deflate(struct zout *z, const void *p, size_t n, int flush)
{
	unsigned char	 out[ZCHUNK];
	int		 rc;

	z->z->next_in = (Bytef *)(uintptr_t)p;
	z->z->avail_in = (uInt)n;
	do {
		z->z->next_out = out;
		z->z->avail_out = sizeof(out);
		rc = deflate(z->z, flush);
		if (rc == Z_STREAM_ERROR) {
			z->err = EIO;
			return -1;
		}
		if (zout_emit(z, out, sizeof(out) - z->z->avail_out) < 0)
			return -1;
	} while (z->z->avail_out == 0 || (flush == Z_FINISH &&
	    rc != Z_STREAM_END));
	return 0;
}

/* Too big to keep whole: from here on, a zlib stream. */
static int
zout_stream(struct zout *z)
{
	if ((z->z = zstream_get()) == NULL) {
		z->err = ENOMEM;
		return -1;
	}
	z->live = 1;
	if (zout_deflate(z, z->raw.p, z->raw.len, Z_NO_FLUSH) < 0)
		return -1;
	buf_free(&z->raw);
	return 0;
}

int
zout_write(struct zout *z, const void *p, size_t n)
{
	const unsigned char	*u = p;
	size_t			 step;

	if (z->err)
		return -1;
	while (n > 0) {
		step = n > (1u << 30) ? (1u << 30) : n;
		z->crc = (uint32_t)crc32(z->crc, u, (uInt)step);
		z->usize += step;
		if (!z->live && z->raw.len + step <= ZSMALL)
			buf_put(&z->raw, u, step);
		else if ((!z->live && zout_stream(z) < 0) ||
		    zout_deflate(z, u, step, Z_NO_FLUSH) < 0)
			return -1;
		u += step;
		n -= step;
	}
	return 0;
}

/* A small part, whole, through libdeflate. */
static int
zout_small(struct zout *z)
{
	struct zcache	*c = zcache();
	unsigned char	*out;
	size_t		 bound, n;

	if (c->ld == NULL && (c->ld = libdeflate_alloc_compressor(ZLEVEL)) ==
	    NULL) {
		z->err = ENOMEM;
		return -1;
	}
	bound = libdeflate_deflate_compress_bound(c->ld, z->raw.len);
	if (z->fd < 0) {
		/* Straight into memory. */
		buf_reserve(&z->mem, bound);
		out = (unsigned char *)z->mem.p + z->mem.len;
	} else
		out = xmalloc(bound);
	n = libdeflate_deflate_compress(c->ld, z->raw.p, z->raw.len, out,
	    bound);
	if (n == 0) {
		z->err = EIO;		/* cannot be: bound is enough */
	} else if (z->fd < 0) {
		z->mem.len += n;
		z->csize += n;
	} else
		zout_emit(z, out, n);
	if (z->fd >= 0)
		free(out);
	buf_free(&z->raw);
	return z->err ? -1 : 0;
}

int
zout_finish(struct zout *z)
{
	if (z->err)
		return -1;
	if (!z->live)
		return zout_small(z);
	if (zout_deflate(z, "", 0, Z_FINISH) < 0)
		return -1;
	zstream_put(z->z);
	z->z = NULL;
	z->live = 0;
	return 0;
}

void
zout_free(struct zout *z)
{
	if (z->live)
		zstream_put(z->z);
	z->z = NULL;
	z->live = 0;
	buf_free(&z->mem);
	buf_free(&z->raw);
}

/* ------------------------------------------------------- building trees */

xmlNodePtr
el(xmlNodePtr parent, const char *name)
{
	xmlNodePtr	 n;

	n = xmlNewNode(parent != NULL ? parent->ns : NULL, BAD_CAST name);
	if (n == NULL)
		oom_xml();
	if (parent != NULL)
		xmlAddChild(parent, n);
	return n;
}

void
attr(xmlNodePtr n, const char *name, const char *value)
{
	/* xmlSetProp stores the value as text, escaped when written. */
	if (xmlSetProp(n, BAD_CAST name, BAD_CAST value) == NULL)
		oom_xml();
}

void
attr_lang(xmlNodePtr n, const char *lang)
{
	xmlNsPtr	 xmlns;

	attr(n, "lang", lang);
	xmlns = xmlSearchNsByHref(n->doc, n, XML_XML_NAMESPACE);
	if (xmlns == NULL || xmlSetNsProp(n, xmlns, BAD_CAST "lang",
	    BAD_CAST lang) == NULL)
		oom_xml();
}

void
text(xmlNodePtr parent, const char *s)
{
	xmlNodePtr	 t;

	if ((t = xmlNewText(BAD_CAST s)) == NULL)
		oom_xml();
	/* xmlAddChild merges adjacent text and frees t then. */
	xmlAddChild(parent, t);
}

/* A newline and indentation, for documents read by people too. */
void
nl(xmlNodePtr parent, int depth)
{
	char	 s[34];
	int	 n;

	n = 2 * (depth > 16 ? 16 : depth < 0 ? 0 : depth);
	s[0] = '\n';
	memset(s + 1, ' ', (size_t)n);
	s[n + 1] = '\0';
	text(parent, s);
}

void
oom_xml(void)
{
	fputs("mkcitybook: error: out of memory (libxml2)\n", stderr);
	exit(1);
}

/* --------------------------------------------------------- serializing */

static const char *const void_elements[] = {
	"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
	"meta", "source", "track", "wbr", NULL
};

static int
is_void(const xmlChar *name)
{
	size_t	 i;

	for (i = 0; void_elements[i] != NULL; i++)
		if (xmlStrEqual(name, BAD_CAST void_elements[i]))
			return 1;
	return 0;
}

static int
io_write(void *ctx, const char *p, int n)
{
	struct xw	*x = ctx;

	if (x->sink(x->sinkctx, p, (size_t)n) < 0) {
		x->err = 1;
		return -1;
	}
	return n;
}

static int
io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

int
xw_open(struct xw *x, int (*sink)(void *, const void *, size_t),
    void *sinkctx, int html)
{
	xmlOutputBufferPtr	 out;

	memset(x, 0, sizeof(*x));
	x->sink = sink;
	x->sinkctx = sinkctx;
	x->html = html;
	if ((out = xmlOutputBufferCreateIO(io_write, io_close, x,
	    NULL)) == NULL)
		oom_xml();
	if ((x->w = xmlNewTextWriter(out)) == NULL)
		oom_xml();
	if (xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0)
		x->err = 1;
	if (html && (xmlTextWriterStartDTD(x->w, BAD_CAST "html", NULL,
	    NULL) < 0 || xmlTextWriterEndDTD(x->w) < 0 ||
	    xmlTextWriterWriteRaw(x->w, BAD_CAST "\n") < 0))
		x->err = 1;
	return x->err ? -1 : 0;
}

static void
qname(struct buf *b, const xmlChar *prefix, const xmlChar *name)
{
	b->len = 0;
	if (prefix != NULL) {
		buf_puts(b, (const char *)prefix);
		buf_putc(b, ':');
	}
	buf_puts(b, (const char *)name);
}

/* Writes an element's start tag: its namespaces and attributes. */
void
xw_start(struct xw *x, xmlNodePtr n)
{
	struct buf	 b = { NULL, 0, 0 };
	xmlNsPtr	 ns;
	xmlAttrPtr	 a;
	xmlChar		*v;
	int		 root;

	qname(&b, n->ns ? n->ns->prefix : NULL, n->name);
	if (xmlTextWriterStartElement(x->w, BAD_CAST b.p) < 0)
		x->err = 1;
	for (ns = n->nsDef; ns != NULL; ns = ns->next) {
		if (xmlStrEqual(ns->href, BAD_CAST TEMPLATE_NS))
			continue;
		qname(&b, ns->prefix ? BAD_CAST "xmlns" : NULL,
		    ns->prefix ? ns->prefix : BAD_CAST "xmlns");
		if (xmlTextWriterWriteAttribute(x->w, BAD_CAST b.p,
		    ns->href) < 0)
			x->err = 1;
	}
	/* The root's language is the document's, not the template's. */
	root = n->parent != NULL && n->parent->type == XML_DOCUMENT_NODE &&
	    x->lang != NULL;
	for (a = n->properties; a != NULL; a = a->next) {
		if (root && xmlStrEqual(a->name, BAD_CAST "lang"))
			continue;
		qname(&b, a->ns ? a->ns->prefix : NULL, a->name);
		v = xmlNodeGetContent((xmlNodePtr)a);
		if (xmlTextWriterWriteAttribute(x->w, BAD_CAST b.p,
		    v != NULL ? v : BAD_CAST "") < 0)
			x->err = 1;
		xmlFree(v);
	}
	if (root && (xmlTextWriterWriteAttribute(x->w, BAD_CAST "lang",
	    BAD_CAST x->lang) < 0 || xmlTextWriterWriteAttribute(x->w,
	    BAD_CAST "xml:lang", BAD_CAST x->lang) < 0))
		x->err = 1;
	buf_free(&b);
}

/* Writes the end tag of the element xw_start began, in full. */
void
xw_end(struct xw *x)
{
	if (xmlTextWriterFullEndElement(x->w) < 0)
		x->err = 1;
}

static int
is_slot(xmlNodePtr n)
{
	return n->type == XML_ELEMENT_NODE && n->ns != NULL &&
	    xmlStrEqual(n->ns->href, BAD_CAST TEMPLATE_NS);
}

/* Writes a child: 0 when it was a slot that gave nothing, else 1. */
static int
xw_child(struct xw *x, xmlNodePtr c)
{
	int	 rc;

	if (!is_slot(c)) {
		xw_node(x, c);
		return 1;
	}
	if (x->err)
		return 1;
	if (x->slot == NULL || (rc = x->slot(x, c, x->slotctx)) < 0) {
		x->err = 1;
		return 1;
	}
	return rc;
}

/* Writes a subtree; elements in the template namespace go to x->slot,
 * which returns 1 when it wrote something, 0 when not, -1 on error. */
void
xw_node(struct xw *x, xmlNodePtr n)
{
	xmlNodePtr	 c;
	int		 rc;

	if (x->err)
		return;
	switch (n->type) {
	case XML_ELEMENT_NODE:
		if (is_slot(n)) {
			xw_child(x, n);
			return;
		}
		xw_start(x, n);
		for (c = n->children; c != NULL; c = c->next)
			if (xw_child(x, c) == 0 && c->next != NULL &&
			    xmlIsBlankNode(c->next))
				c = c->next;	/* an empty slot's line */
		/* HTML parsers need <p></p>, never <p/>. */
		if (n->children == NULL && (!x->html || is_void(n->name)))
			rc = xmlTextWriterEndElement(x->w);
		else
			rc = xmlTextWriterFullEndElement(x->w);
		if (rc < 0)
			x->err = 1;
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		if (n->content != NULL &&
		    xmlTextWriterWriteString(x->w, n->content) < 0)
			x->err = 1;
		break;
	default:
		/* Comments, processing instructions: left out. */
		break;
	}
}

/* Finishes the document; returns 0, or -1 when writing failed. */
int
xw_close(struct xw *x)
{
	if (xmlTextWriterEndDocument(x->w) < 0)
		x->err = 1;
	xmlFreeTextWriter(x->w);
	x->w = NULL;
	return x->err ? -1 : 0;
}

/* Writes a whole document: the XML declaration, DOCTYPE, root.  An
 * XHTML document gets lang and xml:lang on its root. */
int
xw_doc(xmlDocPtr doc, const char *lang,
    int (*sink)(void *, const void *, size_t), void *sinkctx,
    int (*slot)(struct xw *, xmlNodePtr, void *), void *slotctx)
{
	struct xw	 x;

	/* Documents with a language are XHTML; the rest plain XML. */
	xw_open(&x, sink, sinkctx, lang != NULL);
	x.lang = lang;
	x.slot = slot;
	x.slotctx = slotctx;
	xw_node(&x, xmlDocGetRootElement(doc));
	return xw_close(&x);
}

int
sink_zout(void *ctx, const void *p, size_t n)
{
	return zout_write(ctx, p, n);
}

int
sink_buf(void *ctx, const void *p, size_t n)
{
	buf_put(ctx, p, n);
	return 0;
}
