/* fuzz_render.c: libFuzzer target: parse, then render a chapter's XHTML,
 * which must always be well-formed XML.  The first byte picks the reader:
 * odd for Markdown, even for plain text. */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "epub.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct templates	 tpl;
static struct book	 book;
static struct chapter	 chapter;
static size_t		 bysrc[1];	/* the one chapter, by file name */

static void
quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void
setup(void)
{
	xmlInitParser();
	msg_set_verbosity(-1);
	if (templates_load(&tpl, NULL) < 0)
		abort();
	xmlSetGenericErrorFunc(NULL, quiet);
	chapter.src = "fuzz.txt";
	chapter.slug = "fuzz";
	chapter.title = "Fuzz";
	chapter.lead = -1;
	book.lang = "en";
	book.title = "Fuzz";
	book.typography = 1;
	book.toc_depth = 3;
	book.dirfd = -1;
	book.chapters = &chapter;
	book.nchapters = 1;
	book.bysrc = bysrc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	struct typo_opts	 o = { 1, "en" };
	struct article		*art;
	struct rendered		 out;
	struct buf		 xhtml = { NULL, 0, 0 };
	struct buf		 outline = { NULL, 0, 0 };
	xmlDocPtr		 doc;

	if (!ready) {
		setup();
		ready = 1;
	}
	if (size == 0)
		return 0;
	if (data[0] & 1)
		art = markdown_parse("fuzz.md", (const char *)data + 1,
		    size - 1, NULL);
	else
		art = article_parse("fuzz.txt", (const char *)data + 1,
		    size - 1, NULL);
	typo_article(art, &o);
	article_assign_ids(art, (const char *const *)tpl.chapter_ids);
	memset(&out, 0, sizeof(out));
	if (chapter_write(&book, &tpl, &chapter, art, &out, sink_buf,
	    &xhtml) < 0)
		abort();
	chapter_outline(&book, art, &outline);
	/* Whatever came in, what goes out is XML. */
	doc = xmlReadMemory(xhtml.p, (int)xhtml.len, "fuzz.xhtml", "UTF-8",
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		abort();
	xmlFreeDoc(doc);
	buf_free(&xhtml);
	buf_free(&outline);
	rendered_free(&out);
	article_free(art);
	return 0;
}
