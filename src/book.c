/* book.c: the content folder: metadata, articles, order and names. */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "epub.h"

static void	 index_chapters(struct book *);
static void	 chapter_free(struct chapter *);

/* Slugs the fixed pages use, so no chapter takes them. */
static const char *const reserved_slugs[] = {
	"cover", "titlepage", "colophon", "nav", "toc", NULL
};

/* --------------------------------------------------------------- files */

/* Backups and editor droppings that never count as articles. */
static int
is_junk(const char *name)
{
	size_t	 n = strlen(name);

	if (name[0] == '.' || name[0] == '#')
		return 1;
	if (n > 0 && name[n - 1] == '~')
		return 1;
	if (n > 4 && (strcasecmp(name + n - 4, ".bak") == 0 ||
	    strcasecmp(name + n - 4, ".swp") == 0 ||
	    strcasecmp(name + n - 4, ".tmp") == 0))
		return 1;
	if (n > 5 && strcasecmp(name + n - 5, ".orig") == 0)
		return 1;
	return 0;
}

static const char *
ext_of(const char *name)
{
	const char	*dot = strrchr(name, '.');

	return dot != NULL && dot != name ? dot + 1 : "";
}

/* An article's format by its extension, or -1. */
static int
article_format_of(const char *name)
{
	const char	*e = ext_of(name);
	size_t		 n = strlen(name);

	/* "anshan.jpg.txt" is a caption, not an article. */
	if (n > 8 && (strcasecmp(name + n - 8, ".jpg.txt") == 0 ||
	    strcasecmp(name + n - 8, ".png.txt") == 0))
		return -1;
	if (n > 9 && strcasecmp(name + n - 9, ".jpeg.txt") == 0)
		return -1;
	if (strcasecmp(e, "txt") == 0 || strcasecmp(e, "text") == 0)
		return FORMAT_TEXT;
	if (strcasecmp(e, "md") == 0 || strcasecmp(e, "markdown") == 0)
		return FORMAT_MARKDOWN;
	return -1;
}

/*
 * Reads a whole file below the folder.  Returns NULL with errno set.
 * The caller frees.
 */
static char *
read_at(int dirfd, const char *name, size_t *len)
{
	struct stat	 st;
	char		*p;
	size_t		 cap, n;
	ssize_t		 r;
	int		 fd, saved;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (fstat(fd, &st) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		errno = EISDIR;
		return NULL;
	}
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ?
	    (size_t)st.st_size + 1 : 65536;
	p = xmalloc(cap);
	n = 0;
	for (;;) {
		if (n + 1 >= cap) {
			cap *= 2;
			p = xrealloc(p, cap);
		}
		r = read(fd, p + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			saved = errno;
			free(p);
			close(fd);
			errno = saved;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*len = n;
	return p;
}

/* Is there an entry of this name in the folder? */
static int
has_name(const struct book *b, const char *name)
{
	size_t	 lo = 0, hi = b->nnames, mid;
	int	 c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(b->names[mid], name)) == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

char *
book_path(const struct book *b, const char *name)
{
	if (strcmp(b->dir, ".") == 0)
		return xstrdup(name);
	return xasprintf("%s/%s", strcmp(b->dir, "/") == 0 ? "" : b->dir,
	    name);
}

/* The path of a file in the folder, as messages show it. */
static char *
path_in(struct book *b, const char *name)
{
	if (strcmp(b->dir, ".") == 0)
		return arena_strdup(&b->arena, name);
	return arena_printf(&b->arena, "%s/%s",
	    strcmp(b->dir, "/") == 0 ? "" : b->dir, name);
}

/* -------------------------------------------------------------- strings */

/*
 * The chapters' strings (file names, titles, slugs, languages), packed
 * in blocks of a megabyte: no malloc per string, and blocks big enough
 * that malloc maps each apart, so that the workers that add titles do
 * not pin their malloc arenas' memory.  Any thread may add; all go at
 * once.
 */
#define POOL_BLOCK	(1024 * 1024)

struct pool_block {
	struct pool_block *next;
	size_t		 size;
	size_t		 used;
	char		 data[];
};

static char *
pool_strdup(struct book *b, const char *s)
{
	struct pool_block	*blk;
	size_t			 n = strlen(s) + 1, size;
	char			*p;

	pthread_mutex_lock(&b->pool_mu);
	if ((blk = b->pool) == NULL || blk->size - blk->used < n) {
		size = n > POOL_BLOCK ? n : POOL_BLOCK;
		blk = xmalloc(sizeof(*blk) + size);
		blk->size = size;
		blk->used = 0;
		blk->next = b->pool;
		b->pool = blk;
	}
	p = memcpy(blk->data + blk->used, s, n);
	blk->used += n;
	pthread_mutex_unlock(&b->pool_mu);
	return p;
}

static void
pool_free(struct book *b)
{
	struct pool_block	*blk;

	while ((blk = b->pool) != NULL) {
		b->pool = blk->next;
		free(blk);
	}
}

/* ------------------------------------------------------- reading articles */

/* "encoding: gb18030" in front matter, read before the text is decoded:
 * every supported encoding keeps ASCII as it is. */
static char *
frontmatter_encoding(const char *p, size_t len, unsigned *line)
{
	const char	*end = p + len, *nl, *v, *e;
	size_t		 n;

	*line = 1;
	if (len < 4 || strncmp(p, "---", 3) != 0 || (p[3] != '\n' &&
	    p[3] != '\r'))
		return NULL;
	for (p += 3; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		while (p < nl && (*p == '\n' || *p == '\r')) {
			if (*p == '\n')
				(*line)++;
			p++;
		}
		if (nl - p >= 3 && strncmp(p, "---", 3) == 0)
			return NULL;
		if (nl - p > 9 && strncmp(p, "encoding:", 9) == 0) {
			for (v = p + 9; v < nl && (*v == ' ' || *v == '\t' ||
			    *v == '"' || *v == '\''); v++)
				continue;
			for (e = nl; e > v && (e[-1] == '\r' || e[-1] == ' ' ||
			    e[-1] == '"' || e[-1] == '\'' || e[-1] == '\t');
			    e--)
				continue;
			n = (size_t)(e - v);
			return n > 0 && n < 64 ? xstrndup(v, n) : NULL;
		}
		if (nl == end)
			break;
	}
	return NULL;
}

static int
is_wide_encoding(const char *enc)
{
	return enc != NULL && (strncasecmp(enc, "UTF-16", 6) == 0 ||
	    strncasecmp(enc, "UTF16", 5) == 0 ||
	    strncasecmp(enc, "UTF-32", 6) == 0 ||
	    strncasecmp(enc, "UCS-", 4) == 0);
}

void
book_typo_opts(const struct book *b, const struct chapter *c,
    struct typo_opts *o)
{
	o->smart = b->typography;
	o->lang = c != NULL && c->lang != NULL ? c->lang : b->lang;
}

struct article *
article_from_bytes(const char *name, const char *data, size_t len,
    const char *enc, struct arena *a, struct diags *d)
{
	struct article	*art;
	const char	*kind, *why;
	char		*fmenc, *text;
	size_t		 tlen;
	unsigned	 line, col;

	fmenc = frontmatter_encoding(data, len, &line);
	if (fmenc != NULL) {
		if (encoding_check(fmenc) < 0) {
			diag_add(d, a, LEVEL_ERROR, line, 0, "unknown encoding "
			    "'%s'", fmenc);
			free(fmenc);
			return NULL;
		}
		enc = fmenc;
	}
	if (!is_wide_encoding(enc) &&
	    (kind = binary_kind((const unsigned char *)data, len)) != NULL) {
		diag_add(d, a, LEVEL_ERROR, 0, 0, "not a text file: it is %s",
		    kind);
		free(fmenc);
		return NULL;
	}
	if (decode(data, len, enc, &text, &tlen, &why, &line, &col) < 0) {
		diag_add(d, a, LEVEL_ERROR, line, col, "%s (%s)", why, enc);
		free(fmenc);
		return NULL;
	}
	if (article_format_of(name) == FORMAT_MARKDOWN)
		art = markdown_parse(name, text, tlen, NULL);
	else
		art = article_parse(name, text, tlen, NULL);
	if (text != data)
		free(text);
	free(fmenc);
	return art;
}

/*
 * Turns a file's bytes into an article with its typography.  Problems
 * go to *d (errors make the result NULL).  Shared by both passes.
 */
static struct article *
load_article(const struct book *b, struct chapter *c, const char *data,
    size_t len, struct arena *a, struct diags *d)
{
	struct article	*art;
	struct typo_opts to;

	if ((art = article_from_bytes(c->src, data, len, b->encoding, a,
	    d)) == NULL)
		return NULL;
	/* The front matter may name the article's own language. */
	c->lang = art->lang != NULL && strcmp(art->lang, b->lang) != 0 ?
	    art->lang : NULL;
	book_typo_opts(b, c, &to);
	typo_article(art, &to);
	return art;
}

/* %XX escapes: Markdown addresses may have them ("my%20photo.jpg"). */
static char *
url_decode(const char *s)
{
	struct buf	 b = { NULL, 0, 0 };
	int		 hi, lo;

	while (strncmp(s, "./", 2) == 0)
		s += 2;
	for (; *s != '\0'; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			hi = isdigit((unsigned char)s[1]) ? s[1] - '0' :
			    tolower((unsigned char)s[1]) - 'a' + 10;
			lo = isdigit((unsigned char)s[2]) ? s[2] - '0' :
			    tolower((unsigned char)s[2]) - 'a' + 10;
			buf_putc(&b, hi * 16 + lo);
			s += 2;
		} else
			buf_putc(&b, *s);
	}
	return b.p != NULL ? b.p : xstrdup("");
}

/* The images an article shows, for pass one to check. */
static void
collect_refs(struct chapter *c, const struct node *n)
{
	struct imgref	*r;

	for (; n != NULL; n = n->next) {
		if ((n->type == NODE_IMAGE || n->type == NODE_FIGURE) &&
		    n->text != NULL) {
			c->refs = xrealloc(c->refs, (c->nrefs + 1) *
			    sizeof(*c->refs));
			r = &c->refs[c->nrefs++];
			r->src = url_decode(n->text);
			r->line = n->line;
			r->has_alt = n->alt != NULL;
		}
		if (n->child != NULL)
			collect_refs(c, n->child);
	}
}

/* Copies an article's messages out of its arena. */
static void
keep_diags(struct arena *a, struct diags *to, const struct diags *from)
{
	const struct diag	*dg;

	for (dg = from->first; dg != NULL; dg = dg->next)
		diag_add(to, a, dg->level, dg->line, dg->col, "%s", dg->text);
}

struct pass1 {
	struct book	*book;
	const struct templates *t;
	struct arena	*arenas;	/* one per chapter, for its messages */
	struct diags	*diags;		/* its messages, printed in order */
	size_t		 done;		/* articles read, for the progress */
};

/* CRC-32 of a whole file, which may be over 4 GB. */
static uint32_t
checksum(const char *data, size_t len)
{
	uint32_t	 crc;
	size_t		 off, step;

	crc = (uint32_t)crc32(0L, Z_NULL, 0);
	for (off = 0; off < len; off += step) {
		step = len - off > (1u << 30) ? (1u << 30) : len - off;
		crc = (uint32_t)crc32(crc, (const Bytef *)data + off,
		    (uInt)step);
	}
	return crc;
}

/* A link to a file of the folder, rather than the web or a heading. */
static int
is_local_link(const char *href)
{
	const char	*p;

	for (p = href; isalnum((unsigned char)*p) || *p == '+' ||
	    *p == '-' || *p == '.'; p++)
		continue;
	return !(*p == ':' && p > href) && href[0] != '#';
}

static int
has_local_link(const struct node *n)
{
	for (; n != NULL; n = n->next) {
		if (n->type == NODE_LINK && n->text != NULL &&
		    is_local_link(n->text))
			return 1;
		if (n->child != NULL && has_local_link(n->child))
			return 1;
	}
	return 0;
}

/* A photograph beside the article, or a folder of them. */
static int
has_photos(const struct book *b, const struct chapter *c)
{
	static const char *const exts[] = { "jpg", "jpeg", "png", "", NULL };
	char		*name;
	size_t		 i, stem;
	int		 found;

	stem = strlen(c->src) - strlen(ext_of(c->src)) - 1;
	found = 0;
	for (i = 0; exts[i] != NULL && !found; i++) {
		name = *exts[i] ? xasprintf("%.*s.%s", (int)stem, c->src,
		    exts[i]) : xstrndup(c->src, stem);
		found = has_name(b, name);
		free(name);
	}
	return found;
}

/* Where a deflated part went in the spill, and what libzip needs of it. */
static void
part_at(struct part *part, uint64_t off, const struct zout *z)
{
	part->off = off;
	part->zlen = z->csize;
	part->usize = z->usize;
	part->crc = z->crc;
}

/* Room for n bytes at the spill's end, from any thread: its offset.
 * The caller writes it without holding the lock. */
static uint64_t
spill_reserve(struct book *b, uint64_t n)
{
	uint64_t	 off;

	pthread_mutex_lock(&b->spill_mu);
	off = b->spill_end;
	b->spill_end += n;
	pthread_mutex_unlock(&b->spill_mu);
	return off;
}

/* Appends to the spill from any thread; returns the offset, or -1 with
 * errno set. */
static int64_t
spill_write(struct book *b, const void *p1, size_t n1, const void *p2,
    size_t n2)
{
	uint64_t	 off = spill_reserve(b, n1 + n2);

	if (pwrite_all(b->spillfd, p1, n1, off) < 0 ||
	    pwrite_all(b->spillfd, p2, n2, off + n1) < 0)
		return -1;
	return (int64_t)off;
}

static char *
spill_why(int e)
{
	return xasprintf("cannot write a temporary file in %s: %s",
	    scratch_dir(), strerror(e));
}

void
book_spill_failed(int e)
{
	char	*why = spill_why(e);

	msg(LEVEL_ERROR, NULL, 0, 0, "%s", why);
	free(why);
}

int
book_part_begin(struct book *b, struct zout *z)
{
	return zout_init(z, b->spillfd, b->spill_end);
}

int
book_part_put(struct book *b, const struct zout *z, struct part *part)
{
	int64_t	 off;

	if ((off = spill_write(b, z->mem.p, z->mem.len, NULL, 0)) < 0)
		return -1;
	part_at(part, (uint64_t)off, z);
	return 0;
}

/* Copied through a buffer this big. */
#define COPY_CHUNK	(256 * 1024)

int
book_part_copy(struct book *b, const struct zout *z, struct part *part)
{
	unsigned char	*buf;
	uint64_t	 off, done;
	size_t		 n;
	int		 rc = 0;

	off = spill_reserve(b, z->csize);
	buf = xmalloc(COPY_CHUNK);
	for (done = 0; rc == 0 && done < z->csize; done += n) {
		n = z->csize - done < COPY_CHUNK ? (size_t)(z->csize - done) :
		    COPY_CHUNK;
		if (pread_all(z->fd, buf, n, z->off + done) < 0 ||
		    pwrite_all(b->spillfd, buf, n, off + done) < 0)
			rc = -1;
	}
	free(buf);
	if (rc == 0)
		part_at(part, off, z);
	return rc;
}

int
book_part_end(struct book *b, struct zout *z, struct part *part)
{
	if (zout_finish(z) < 0)
		return -1;
	part_at(part, z->off, z);
	pthread_mutex_lock(&b->spill_mu);
	b->spill_end = z->off + z->csize;
	pthread_mutex_unlock(&b->spill_mu);
	return 0;
}

/*
 * The rest of pass one for an article that is in: its headings' ids
 * and outline, and, when its XHTML depends on nothing but itself (no
 * links to other articles, no images, whose names come later), the
 * chapter itself, rendered and deflated.  Both go to the spill, so that
 * writing the book is copying, and no article is parsed twice.
 */
static void
spill_chapter(struct pass1 *p, struct chapter *c, struct article *art,
    struct arena *a, struct diags *d)
{
	struct book	*b = p->book;
	struct zout	 z;
	struct buf	 outline = { NULL, 0, 0 };
	const char	*q;
	char		*why;
	int64_t		 off;
	int		 level;

	article_assign_ids(art, (const char *const *)p->t->chapter_ids);
	chapter_outline(b, art, &outline);
	for (q = buf_str(&outline); *q != '\0'; q = strchr(q, '\n') + 1) {
		c->nheads++;
		if ((level = atoi(q)) > c->maxlevel)
			c->maxlevel = level;
	}
	memset(&z, 0, sizeof(z));
	c->rendered = c->nrefs == 0 && !has_local_link(art->body->child) &&
	    !has_photos(b, c);
	if (c->rendered && (zout_init(&z, -1, 0) < 0 || chapter_write(b, p->t,
	    c, art, NULL, sink_zout, &z) < 0 || zout_finish(&z) < 0)) {
		diag_add(d, a, LEVEL_ERROR, 0, 0, "cannot render: %s",
		    strerror(z.err ? z.err : ENOMEM));
		zout_free(&z);
		buf_free(&outline);
		return;
	}
	if ((off = spill_write(b, z.mem.p, (size_t)z.csize, outline.p,
	    outline.len)) < 0) {
		why = spill_why(errno);
		diag_add(d, a, LEVEL_ERROR, 0, 0, "%s", why);
		free(why);
	}
	part_at(&c->xhtml, (uint64_t)off, &z);
	c->ooff = (uint64_t)off + z.csize;
	c->olen = (uint32_t)outline.len;
	zout_free(&z);
	buf_free(&outline);
}

/* Pass one: every article, read, parsed and, where it can be, rendered. */
static void
pass1(size_t i, void *ctx)
{
	struct pass1	*p = ctx;
	struct book	*b = p->book;
	struct chapter	*c = &b->chapters[i];
	struct arena	*a = &p->arenas[i];
	struct diags	*d = &p->diags[i];
	struct article	*art;
	char		*data;
	size_t		 len;

	if ((data = read_at(b->dirfd, c->src, &len)) == NULL) {
		diag_add(d, a, LEVEL_ERROR, 0, 0, "cannot read: %s",
		    strerror(errno));
		c->skip = 1;
		return;
	}
	c->src_size = len;
	c->src_crc = checksum(data, len);
	art = load_article(b, c, data, len, a, d);
	free(data);
	progress_update("reading %zu/%zu articles",
	    __atomic_add_fetch(&p->done, 1, __ATOMIC_RELAXED), b->nchapters);
	if (art == NULL) {
		c->skip = 1;
		return;
	}
	keep_diags(a, d, &art->diags);
	c->title = pool_strdup(b, art->title_text);
	collect_refs(c, art->body->child);
	c->order = art->order;
	c->has_order = art->has_order;
	if (c->lang != NULL)
		c->lang = pool_strdup(b, c->lang);
	if (art->draft) {
		diag_add(d, a, LEVEL_NOTE, 0, 0, "a draft; left out");
		c->skip = 1;
	} else if (art->body->child == NULL && art->diags.nerrors == 0) {
		diag_add(d, a, LEVEL_WARNING, 0, 0, "no text; left out");
		c->skip = 1;
	} else if (art->diags.nerrors == 0)
		spill_chapter(p, c, art, a, d);
	article_free(art);
}

/* Pass two, for a chapter pass one could not render: the same article
 * again, checked against pass one. */
struct article *
book_read_chapter(const struct book *b, size_t i, char **err)
{
	struct chapter	 c = b->chapters[i];
	struct article	*art;
	struct arena	 a = { NULL, NULL, 0 };
	struct diags	 d = { NULL, NULL, 0, 0 };
	char		*data;
	size_t		 len;

	*err = NULL;
	if ((data = read_at(b->dirfd, c.src, &len)) == NULL) {
		*err = xasprintf("cannot read: %s", strerror(errno));
		return NULL;
	}
	if (len != c.src_size || checksum(data, len) != c.src_crc) {
		free(data);
		*err = xstrdup("changed while the book was being built; "
		    "run mkcitybook again");
		return NULL;
	}
	art = load_article(b, &c, data, len, &a, &d);
	free(data);
	if (art == NULL)
		*err = xstrdup(d.first != NULL ? d.first->text : "unreadable");
	arena_free(&a);
	return art;
}

int
book_spill_read(const struct book *b, uint64_t off, void *p, size_t n)
{
	return pread_all(b->spillfd, p, n, off);
}

int
book_outline(const struct book *b, size_t i, struct buf *out)
{
	const struct chapter	*c = &b->chapters[i];

	out->len = 0;
	buf_reserve(out, c->olen);
	if (book_spill_read(b, c->ooff, out->p, c->olen) < 0)
		return -1;
	out->len = c->olen;
	out->p[out->len] = '\0';
	return 0;
}

/* ------------------------------------------------------------- pass two */

struct pass2 {
	struct book	*book;
	const struct templates *t;
	size_t		*todo;		/* chapters to render, in book order */
	struct rendered	*out;		/* their messages */
	size_t		 done;
};

static void
pass2(size_t k, void *ctx)
{
	struct pass2	*p = ctx;
	struct book	*b = p->book;
	struct chapter	*c = &b->chapters[p->todo[k]];
	struct rendered	*r = &p->out[k];
	int64_t		 off;

	render_chapter(b, p->t, p->todo[k], r);
	if (r->error == NULL) {
		if ((off = spill_write(b, r->z.mem.p, (size_t)r->z.csize, NULL,
		    0)) < 0)
			r->error = spill_why(errno);
		part_at(&c->xhtml, (uint64_t)off, &r->z);
		c->rendered = r->error == NULL;
	}
	/* Only the messages wait for their turn. */
	zout_free(&r->z);
	progress_update("rendering %zu/%zu chapters",
	    __atomic_add_fetch(&p->done, 1, __ATOMIC_RELAXED), b->nchapters);
}

int
book_render(struct book *b, const struct templates *t)
{
	struct pass2	 p;
	size_t		 i, n;
	char		*path;
	int		 rc = 0;

	memset(&p, 0, sizeof(p));
	p.book = b;
	p.t = t;
	p.todo = xcalloc(b->nchapters + 1, sizeof(*p.todo));
	for (i = n = 0; i < b->nchapters; i++)
		if (!b->chapters[i].rendered)
			p.todo[n++] = i;
	p.done = b->nchapters - n;
	p.out = xcalloc(n + 1, sizeof(*p.out));
	pool_for(n, b->jobs, pass2, &p);
	progress_done();
	for (i = 0; i < n; i++) {
		path = book_path(b, b->chapters[p.todo[i]].src);
		diag_print(&p.out[i].diags, path);
		if (p.out[i].error != NULL) {
			msg(LEVEL_ERROR, path, 0, 0, "%s", p.out[i].error);
			rc = -1;
		}
		free(path);
		rendered_free(&p.out[i]);
	}
	free(p.out);
	free(p.todo);
	return rc;
}

void
book_drop_chapters(struct book *b)
{
	size_t	 i;

	for (i = 0; i < b->nchapters; i++)
		chapter_free(&b->chapters[i]);
	free(b->chapters);
	b->chapters = NULL;
	free(b->bysrc);
	b->bysrc = NULL;
	pool_free(b);
	/* A hundred thousand chapters' strings: give the pages back. */
	malloc_trim(0);
}

/* -------------------------------------------------------------- scanning */

struct scan {
	char	       **articles;	/* sorted file names */
	size_t		 narticles;
	size_t		 nentries;	/* everything seen */
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is name a symlink that leads out of the folder? */
static int
escapes(struct book *b, const char *name, const char *realdir)
{
	char	*full, *real;
	int	 out;

	full = xasprintf("%s/%s", b->dir, name);
	real = realpath(full, NULL);
	free(full);
	if (real == NULL)
		return 1;
	out = strncmp(real, realdir, strlen(realdir)) != 0 ||
	    (real[strlen(realdir)] != '/' && strcmp(realdir, "/") != 0);
	free(real);
	return out;
}

static int
scan_folder(struct book *b, struct scan *s)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char	       **names, *realdir;
	size_t		 n, cap, i;
	int		 fd;

	memset(s, 0, sizeof(*s));
	if ((fd = dup(b->dirfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		msg(LEVEL_ERROR, b->dir, 0, 0, "cannot read the folder: %s",
		    strerror(errno));
		return -1;
	}
	names = NULL;
	n = cap = 0;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	if (errno != 0) {
		msg(LEVEL_ERROR, b->dir, 0, 0, "cannot read the folder: %s",
		    strerror(errno));
		closedir(d);
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		return -1;
	}
	closedir(d);
	/* readdir's order is the file system's; the book's is not. */
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	s->nentries = n;
	/* Every name stays, to look for an article's photographs. */
	b->names = names;
	b->nnames = n;
	s->articles = xcalloc(n + 1, sizeof(*s->articles));
	realdir = realpath(b->dir, NULL);
	for (i = 0; i < n; i++) {
		if (is_junk(names[i]) || strcmp(names[i], "book.yaml") == 0 ||
		    article_format_of(names[i]) < 0)
			continue;
		if (fstatat(b->dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			msg(LEVEL_ERROR, path_in(b, names[i]), 0, 0,
			    "cannot read: %s", strerror(errno));
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			if (realdir == NULL || escapes(b, names[i], realdir)) {
				msg(LEVEL_WARNING, path_in(b, names[i]), 0, 0,
				    "a symbolic link out of the folder; not "
				    "followed");
				continue;
			}
			if (fstatat(b->dirfd, names[i], &st, 0) < 0) {
				msg(LEVEL_ERROR, path_in(b, names[i]), 0, 0,
				    "cannot read: %s", strerror(errno));
				continue;
			}
		}
		if (!S_ISREG(st.st_mode)) {
			msg_info("%s: not a regular file; ignored",
			    path_in(b, names[i]));
			continue;
		}
		s->articles[s->narticles++] = xstrdup(names[i]);
	}
	free(realdir);
	return 0;
}


/* ------------------------------------------------------------- ordering */

static int
cmp_chapter(const void *pa, const void *pb)
{
	const struct chapter	*a = pa, *b = pb;

	if (a->has_order != b->has_order)
		return a->has_order ? -1 : 1;
	if (a->has_order && a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->src, b->src);
}

/* The chapter files: the 'chapters' list of book.yaml, or every one. */
static int
choose_chapters(struct book *b, struct scan *s)
{
	const char	*yaml;
	size_t		 i, j, n;
	int		 ok = 1;
	char		*used;

	yaml = path_in(b, "book.yaml");
	if (b->meta.chapters == NULL) {
		b->chapters = xcalloc(s->narticles, sizeof(*b->chapters));
		for (i = 0; i < s->narticles; i++)
			b->chapters[i].src = pool_strdup(b, s->articles[i]);
		b->nchapters = s->narticles;
		return 0;
	}
	used = xcalloc(s->narticles + 1, 1);
	n = b->meta.nchapters;
	b->chapters = xcalloc(n + 1, sizeof(*b->chapters));
	b->nchapters = 0;
	for (i = 0; i < n; i++) {
		const char *name = b->meta.chapters[i];
		unsigned line = b->meta.chapter_lines[i];
		struct stat st;

		for (j = 0; j < s->narticles; j++)
			if (strcmp(s->articles[j], name) == 0)
				break;
		if (j == s->narticles) {
			if (fstatat(b->dirfd, name, &st, 0) == 0 &&
			    article_format_of(name) < 0)
				msg(LEVEL_ERROR, yaml, line, 0, "chapter '%s' "
				    "is not an article (.txt or .md)", name);
			else if (strchr(name, '/') != NULL)
				msg(LEVEL_ERROR, yaml, line, 0, "chapter '%s': "
				    "articles must be in the folder itself",
				    name);
			else
				msg(LEVEL_ERROR, yaml, line, 0, "chapter '%s' "
				    "not found in %s", name, b->dir);
			ok = 0;
			continue;
		}
		if (used[j]) {
			msg(LEVEL_ERROR, yaml, line, 0, "chapter '%s' is "
			    "listed twice", name);
			ok = 0;
			continue;
		}
		used[j] = 1;
		b->chapters[b->nchapters++].src = pool_strdup(b, name);
	}
	for (j = 0; j < s->narticles; j++)
		if (!used[j])
			msg(LEVEL_WARNING, path_in(b, s->articles[j]), 0, 0,
			    "not in the 'chapters' list of book.yaml; left out");
	free(used);
	return ok ? 0 : -1;
}

/* File names in the book: a slug of the title, unique, never reserved. */
static void
name_chapters(struct book *b)
{
	struct strset	 used = { NULL, 0, 0 };
	struct chapter	*c;
	size_t		 i, k;
	char		*slug, *base;

	for (i = 0; reserved_slugs[i] != NULL; i++)
		strset_add(&used, reserved_slugs[i]);
	for (i = 0; i < b->nchapters; i++) {
		c = &b->chapters[i];
		base = slugify(c->title, strlen(c->title));
		if (*base == '\0') {
			free(base);
			base = slugify(c->src, strlen(c->src) -
			    strlen(ext_of(c->src)) - 1);
		}
		if (*base == '\0' || isdigit((unsigned char)*base)) {
			slug = xasprintf("chapter-%s", base);
			free(base);
			base = slug;
			if (base[strlen(base) - 1] == '-')
				base[strlen(base) - 1] = '\0';
		}
		slug = xstrdup(base);
		for (k = 2; strset_has(&used, slug); k++) {
			free(slug);
			slug = xasprintf("%s-%zu", base, k);
		}
		free(base);
		c->slug = pool_strdup(b, slug);
		free(slug);
		strset_add(&used, c->slug);
	}
	strset_free(&used);
}

/* Two chapters with one title confuse readers of the contents. */
struct titled {
	const char	*title;
	size_t		 index;
};

static int
cmp_titled(const void *pa, const void *pb)
{
	const struct titled	*a = pa, *b = pb;
	int			 c;

	if ((c = strcmp(a->title, b->title)) != 0)
		return c;
	return a->index < b->index ? -1 : a->index > b->index;
}

static void
check_titles(struct book *b)
{
	struct titled	*v;
	size_t		 i;

	v = xcalloc(b->nchapters + 1, sizeof(*v));
	for (i = 0; i < b->nchapters; i++) {
		v[i].title = b->chapters[i].title;
		v[i].index = i;
	}
	qsort(v, b->nchapters, sizeof(*v), cmp_titled);
	for (i = 1; i < b->nchapters; i++)
		if (strcmp(v[i].title, v[i - 1].title) == 0)
			msg(LEVEL_WARNING, path_in(b, b->chapters[v[i].index].src),
			    0, 0, "same title as %s ('%s')", path_in(b,
			    b->chapters[v[i - 1].index].src), v[i].title);
	free(v);
}

/* ------------------------------------------------------------ metadata */

/* dcterms:modified and the zip times: SOURCE_DATE_EPOCH, else the
 * newest input, so that the same folder gives the same book. */
static int
pick_modified(struct book *b)
{
	const char	*sde;
	struct stat	 st;
	char		*end;
	long long	 v;
	size_t		 i;

	if ((sde = getenv("SOURCE_DATE_EPOCH")) != NULL && *sde != '\0') {
		errno = 0;
		v = strtoll(sde, &end, 10);
		if (errno != 0 || *end != '\0' || v < 0 ||
		    v > 253402300799LL) {
			msg(LEVEL_ERROR, NULL, 0, 0, "SOURCE_DATE_EPOCH must be "
			    "a number of seconds since 1970, not '%s'", sde);
			return -1;
		}
		b->modified = (time_t)v;
		return 0;
	}
	b->modified = 0;
	if (fstatat(b->dirfd, "book.yaml", &st, 0) == 0)
		b->modified = st.st_mtime;
	for (i = 0; i < b->nchapters; i++)
		if (fstatat(b->dirfd, b->chapters[i].src, &st, 0) == 0 &&
		    st.st_mtime > b->modified)
			b->modified = st.st_mtime;
	for (i = 0; i < b->nimages; i++)
		if (fstatat(b->dirfd, b->images[i].src, &st, 0) == 0 &&
		    st.st_mtime > b->modified)
			b->modified = st.st_mtime;
	return 0;
}

/* A title when nobody gave one: the cities, or the folder's name. */
static char *
default_title(const struct book *b)
{
	const char	*base;
	char		*t;

	if (b->nchapters == 1)
		return xstrdup(b->chapters[0].title);
	if (b->nchapters == 2)
		return xasprintf("%s and %s", b->chapters[0].title,
		    b->chapters[1].title);
	if (b->nchapters == 3)
		return xasprintf("%s, %s and %s", b->chapters[0].title,
		    b->chapters[1].title, b->chapters[2].title);
	base = strrchr(b->dir, '/');
	base = base != NULL && base[1] != '\0' ? base + 1 : b->dir;
	if ((t = name_to_title(base)) != NULL && strcmp(base, ".") != 0)
		return t;
	free(t);
	return xstrdup("Untitled");
}

/* urn:uuid of a UUIDv5 of the title and creators, unless given. */
static void
pick_identifier(struct book *b)
{
	struct buf	 name = { NULL, 0, 0 };
	char		 uuid[37], *s;
	size_t		 i;

	if (b->meta.identifier != NULL) {
		b->identifier = arena_strdup(&b->arena, b->meta.identifier);
		return;
	}
	/* Slugs: a comma or a capital more does not make a new book. */
	buf_puts(&name, "https://mkcitybook.invalid/book/");
	s = slugify(b->title, strlen(b->title));
	buf_puts(&name, s);
	free(s);
	for (i = 0; i < b->meta.ncreators; i++) {
		s = slugify(b->meta.creators[i], strlen(b->meta.creators[i]));
		buf_putc(&name, '/');
		buf_puts(&name, s);
		free(s);
	}
	uuid5_url(buf_str(&name), uuid);
	buf_free(&name);
	b->identifier = arena_printf(&b->arena, "urn:uuid:%s", uuid);
}

static int
read_metadata(struct book *b, const struct book_opts *o)
{
	const char	*why, *yaml;
	char		*data;
	size_t		 len;

	yaml = path_in(b, "book.yaml");
	if ((data = read_at(b->dirfd, "book.yaml", &len)) == NULL) {
		if (errno != ENOENT) {
			msg(LEVEL_ERROR, yaml, 0, 0, "cannot read: %s",
			    strerror(errno));
			return -1;
		}
		bookmeta_parse(&b->meta, "", 0);
	} else {
		bookmeta_parse(&b->meta, data, len);
		free(data);
	}
	diag_print(&b->meta.diags, yaml);
	if (b->meta.diags.nerrors > 0)
		return -1;

	if (o->lang != NULL) {
		if (lang_check(o->lang, &why) < 0) {
			msg(LEVEL_ERROR, NULL, 0, 0, "invalid language tag "
			    "'%s' for --lang: %s", o->lang, why);
			return -1;
		}
		b->lang = o->lang;
	} else
		b->lang = b->meta.lang != NULL ? b->meta.lang : "en";
	b->encoding = o->encoding != NULL ? o->encoding : b->meta.encoding;
	if (o->encoding == NULL && b->meta.encoding != NULL &&
	    encoding_check(b->meta.encoding) < 0) {
		msg(LEVEL_ERROR, path_in(b, "book.yaml"), b->meta.encoding_line,
		    0, "unknown encoding '%s'", b->meta.encoding);
		return -1;
	}
	b->typography = o->typography >= 0 ? o->typography :
	    b->meta.typography >= 0 ? b->meta.typography : 1;
	b->toc_depth = b->meta.toc_depth > 0 ? b->meta.toc_depth : 2;
	return 0;
}

/* ---------------------------------------------------------------- images */

/* Apple Books turns down images over 3.2 megapixels (READERS.md). */
#define IMAGE_PIXELS	3200000UL

/*
 * Checks an image file of the folder for the book: it exists inside the
 * folder, it is a JPEG or PNG, and it is not too big for readers.  where
 * and line name what asked for it.  Returns 0 and fills im, or -1.
 */
static int
load_image(struct book *b, const char *what, const char *src,
    const char *where, unsigned line, struct image *im)
{
	struct image_info	 ii;
	const char		*kind;
	char			*data, *full, *real, *realdir;
	size_t			 len;
	int			 inside;

	memset(im, 0, sizeof(*im));
	full = xasprintf("%s/%s", b->dir, src);
	real = realpath(full, NULL);
	realdir = realpath(b->dir, NULL);
	inside = real != NULL && realdir != NULL &&
	    strncmp(real, realdir, strlen(realdir)) == 0 &&
	    real[strlen(realdir)] == '/';
	free(full);
	free(real);
	free(realdir);
	if (src[0] == '/' || (!inside && access(src, F_OK) == 0)) {
		msg(LEVEL_ERROR, where, line, 0, "%s '%s' is outside the "
		    "folder; images must be in it", what, src);
		return -1;
	}
	if ((data = read_at(b->dirfd, src, &len)) == NULL) {
		msg(LEVEL_ERROR, where, line, 0, errno == ENOENT ?
		    "%s '%s' not found" : "cannot read %s '%s': %s", what, src,
		    strerror(errno));
		return -1;
	}
	if (!inside) {
		free(data);
		msg(LEVEL_ERROR, where, line, 0, "%s '%s' is outside the "
		    "folder; images must be in it", what, src);
		return -1;
	}
	if (image_probe((const unsigned char *)data, len, &ii) < 0) {
		kind = binary_kind((const unsigned char *)data, len);
		msg(LEVEL_ERROR, where, line, 0, "%s '%s' is not a JPEG or PNG "
		    "image%s%s", what, src, kind != NULL ? "; it is " : "",
		    kind != NULL ? kind : "");
		free(data);
		return -1;
	}
	free(data);
	if (ii.width * ii.height > IMAGE_PIXELS)
		msg(LEVEL_WARNING, where, line, 0, "%s '%s' is %lux%lu, over "
		    "3.2 megapixels: Apple Books may refuse the book; 1200x1920 "
		    "is plenty", what, src, ii.width, ii.height);
	if (ii.components == 4)
		msg(LEVEL_WARNING, where, line, 0, "%s '%s' is CMYK: many "
		    "readers show CMYK colours wrongly; save it as RGB", what,
		    src);
	im->src = arena_strdup(&b->arena, src);
	im->media_type = ii.media_type;
	im->width = ii.width;
	im->height = ii.height;
	im->size = len;
	return 0;
}

/* A caption file ("x.jpg.txt"): the alt text, a blank line, a caption. */
static void
read_caption(struct book *b, struct image *im, const char *where)
{
	struct diags	 d = { NULL, NULL, 0, 0 };
	struct buf	 alt = { NULL, 0, 0 }, cap = { NULL, 0, 0 };
	struct buf	*to;
	char		*name, *data, *text, *p, *nl;
	size_t		 len, tlen;

	name = xasprintf("%s.txt", im->src);
	data = read_at(b->dirfd, name, &len);
	if (data == NULL) {
		free(name);
		return;
	}
	text = text_clean(&b->arena, &d, data, len, &tlen);
	diag_print(&d, path_in(b, name));
	to = &alt;
	for (p = text; p < text + tlen; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(text + tlen - p))) == NULL)
			nl = text + tlen;
		while (p < nl && (*p == ' ' || *p == '\t'))
			p++;
		if (p == nl) {		/* a blank line ends the alt text */
			if (alt.len > 0)
				to = &cap;
			continue;
		}
		if (to->len > 0)
			buf_putc(to, ' ');
		buf_put(to, p, (size_t)(nl - p));
	}
	if (alt.len > 0)
		im->alt = arena_strdup(&b->arena, alt.p);
	if (cap.len > 0)
		im->caption = arena_strdup(&b->arena, cap.p);
	buf_free(&alt);
	buf_free(&cap);
	free(data);
	free(name);
	(void)where;
}

const struct image *
book_image(const struct book *b, const char *src)
{
	size_t	 i;

	while (strncmp(src, "./", 2) == 0)
		src += 2;
	for (i = 0; i < b->nimages; i++)
		if (strcmp(b->images[i].src, src) == 0)
			return &b->images[i];
	return NULL;
}

/* The image an article names, with its address decoded as pass one did. */
const struct image *
book_image_written(const struct book *b, const char *written)
{
	const struct image	*im;
	char			*src;

	src = url_decode(written);
	im = book_image(b, src);
	free(src);
	return im;
}

/* Registers an image once; returns its index, or -1 after an error. */
static long
add_image(struct book *b, const char *src, const char *where, unsigned line)
{
	struct image	 im;
	char		*slug, *base, *href;
	size_t		 i, k;
	int		 clash;

	for (i = 0; i < b->nimages; i++)
		if (strcmp(b->images[i].src, src) == 0)
			return (long)i;
	if (load_image(b, "image", src, where, line, &im) < 0)
		return -1;
	read_caption(b, &im, where);
	/* images/anshan-steel-mill.jpg: an ASCII name, unique. */
	base = slugify(src, strlen(src) - strlen(ext_of(src)) - 1);
	if (*base == '\0') {
		free(base);
		base = xstrdup("image");
	}
	slug = xstrdup(base);
	for (k = 2;; k++) {
		href = xasprintf("images/%s.%s", slug, strcmp(im.media_type,
		    "image/png") == 0 ? "png" : "jpg");
		clash = strncmp(slug, "cover", 5) == 0 && slug[5] == '\0';
		for (i = 0; i < b->nimages && !clash; i++)
			if (strcmp(b->images[i].href, href) == 0)
				clash = 1;
		if (!clash)
			break;
		free(href);
		free(slug);
		slug = xasprintf("%s-%zu", base, k);
	}
	im.href = arena_strdup(&b->arena, href);
	im.id = arena_printf(&b->arena, "img-%s", slug);
	free(href);
	free(slug);
	free(base);
	b->images = xrealloc(b->images, (b->nimages + 1) *
	    sizeof(*b->images));
	b->images[b->nimages] = im;
	return (long)b->nimages++;
}

static int
is_image_name(const char *name)
{
	const char	*e = ext_of(name);

	return strcasecmp(e, "jpg") == 0 || strcasecmp(e, "jpeg") == 0 ||
	    strcasecmp(e, "png") == 0;
}

/* Image formats readers cannot be trusted with. */
static int
is_other_image_name(const char *name)
{
	static const char *const exts[] = {
		"gif", "webp", "tif", "tiff", "bmp", "svg", "heic", "heif",
		"avif", "jxl", NULL
	};
	const char	*e = ext_of(name);
	size_t		 i;

	for (i = 0; exts[i] != NULL; i++)
		if (strcasecmp(e, exts[i]) == 0)
			return 1;
	return 0;
}

static void
need_alt(struct book *b, long idx, int has_alt, const char *where,
    unsigned line)
{
	const struct image	*im;

	if (idx < 0)
		return;
	im = &b->images[idx];
	if (has_alt || im->alt != NULL)
		return;
	msg(LEVEL_WARNING, where, line, 0, "image '%s' has no alt text: "
	    "describe it in ![...] or in %s.txt", im->src, im->src);
	b->missing_alt = 1;
}

/* The photographs in a chapter's own folder, not shown in its text. */
static void
chapter_folder(struct book *b, struct chapter *c, const char *dir)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char	       **names, *src;
	size_t		 n, i, j;
	long		 idx;
	int		 fd, shown;

	if (fstatat(b->dirfd, dir, &st, 0) < 0 || !S_ISDIR(st.st_mode))
		return;
	if ((fd = openat(b->dirfd, dir, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || (d = fdopendir(fd)) == NULL) {
		msg(LEVEL_ERROR, path_in(b, dir), 0, 0, "cannot read the "
		    "folder of %s's images: %s", c->src, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	names = NULL;
	n = 0;
	while ((de = readdir(d)) != NULL) {
		if (is_junk(de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		src = xasprintf("%s/%s", dir, names[i]);
		if (is_other_image_name(names[i]))
			msg(LEVEL_ERROR, path_in(b, src), 0, 0, "not a JPEG or "
			    "PNG image: save photographs as JPEG (or PNG), "
			    "which every reader shows");
		else if (is_image_name(names[i])) {
			for (j = shown = 0; j < c->nrefs; j++)
				if (strcmp(c->refs[j].src, src) == 0)
					shown = 1;
			if (!shown && (idx = add_image(b, src, path_in(b, src),
			    0)) >= 0) {
				need_alt(b, idx, 0, path_in(b, src), 0);
				c->gallery = xrealloc(c->gallery,
				    (c->ngallery + 1) * sizeof(*c->gallery));
				c->gallery[c->ngallery++] = (size_t)idx;
			}
		}
		free(src);
		free(names[i]);
	}
	free(names);
}

/*
 * Every image of the book, checked once: those the articles show, a
 * photograph beside an article ("anshan.jpg", shown under its title),
 * and those in its folder ("anshan/", shown at its end).
 */
static void
collect_images(struct book *b)
{
	static const char *const exts[] = { "jpg", "jpeg", "png", NULL };
	struct chapter	*c;
	const char	*where;
	char		*stem, *name;
	size_t		 i, j;
	long		 idx;

	for (i = 0; i < b->nchapters; i++) {
		c = &b->chapters[i];
		for (j = 0; j < c->nrefs; j++) {
			where = path_in(b, c->src);
			idx = add_image(b, c->refs[j].src, where,
			    c->refs[j].line);
			need_alt(b, idx, c->refs[j].has_alt, where,
			    c->refs[j].line);
		}
		stem = xstrndup(c->src, strlen(c->src) -
		    strlen(ext_of(c->src)) - 1);
		/* The folder's names answer without a system call. */
		for (j = 0; exts[j] != NULL && c->lead < 0; j++) {
			name = xasprintf("%s.%s", stem, exts[j]);
			if (has_name(b, name)) {
				c->lead = add_image(b, name, path_in(b, name), 0);
				need_alt(b, c->lead, 0, path_in(b, name), 0);
			}
			free(name);
		}
		if (has_name(b, stem))
			chapter_folder(b, c, stem);
		free(stem);
	}
}

/* The cover image the folder gives: book.yaml's, else cover.jpg or
 * cover.png; NULL when the cover is to be drawn. */
static const char *
given_cover(const struct book *b)
{
	static const char *const names[] = {
		"cover.jpg", "cover.jpeg", "cover.png", NULL
	};
	size_t	 i;

	if (b->meta.cover != NULL)
		return b->meta.cover;
	for (i = 0; names[i] != NULL; i++)
		if (faccessat(b->dirfd, names[i], F_OK, 0) == 0)
			return names[i];
	return NULL;
}

static int
pick_cover(struct book *b)
{
	struct image	*im;
	const char	*src, *ext;

	im = arena_zalloc(&b->arena, sizeof(*im));
	/* Decided once, before pass one: a cover.jpg that came or went
	 * since changes nothing. */
	if ((src = b->cover_src) != NULL) {
		if (load_image(b, "cover image", src, b->meta.cover != NULL ?
		    path_in(b, "book.yaml") : b->dir, b->meta.cover_line,
		    im) < 0)
			return -1;
		ext = strcmp(im->media_type, "image/png") == 0 ? "png" : "jpg";
	} else {
		/* Drawn: by the helper started before pass one, which
		 * draws while the book is put together. */
		cover_send(b->cover_job, b);
		im->media_type = "image/png";
		im->width = 1200;
		im->height = 1920;
		ext = "png";
	}
	im->href = arena_printf(&b->arena, "images/cover.%s", ext);
	im->id = arena_strdup(&b->arena, "cover-image");
	b->cover = im;
	return 0;
}

int
book_cover_ready(struct book *b)
{
	struct cover_job	*j = b->cover_job;

	if (j == NULL)
		return 0;
	b->cover_job = NULL;
	if (cover_wait(j, &b->cover->data) < 0)
		return -1;
	b->cover->size = b->cover->data.len;
	return 0;
}

/* ------------------------------------------------------------ the book */

static void
chapter_free(struct chapter *c)
{
	size_t	 i;

	for (i = 0; i < c->nrefs; i++)
		free(c->refs[i].src);
	free(c->refs);
	free(c->gallery);
	/* Its strings are in the book's pool. */
}

struct book *
book_load(const char *dir, const struct book_opts *o)
{
	struct book	*b;
	struct chapter	*c;
	struct scan	 s;
	struct pass1	 p;
	struct stat	 st;
	size_t		 i, n, len;
	unsigned	 errors0;

	errors0 = msg_count(LEVEL_ERROR);
	b = xcalloc(1, sizeof(*b));
	b->dirfd = -1;
	b->spillfd = -1;
	pthread_mutex_init(&b->spill_mu, NULL);
	pthread_mutex_init(&b->pool_mu, NULL);
	b->jobs = o->jobs;
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	b->dir = arena_strndup(&b->arena, dir, len);
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		msg(LEVEL_ERROR, b->dir, 0, 0, "not a folder; give the folder "
		    "that holds the articles");
		goto fail;
	}
	if ((b->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		msg(LEVEL_ERROR, b->dir, 0, 0, errno == ENOENT ?
		    "no such folder" : "cannot open the folder: %s",
		    strerror(errno));
		goto fail;
	}
	if (read_metadata(b, o) < 0)
		goto fail;
	if (scan_folder(b, &s) < 0)
		goto fail;
	if (s.narticles == 0 && msg_count(LEVEL_ERROR) == errors0) {
		msg(LEVEL_ERROR, b->dir, 0, 0, s.nentries == 0 ?
		    "the folder is empty" : "no articles in the folder "
		    "(.txt or .md files)");
		free(s.articles);
		goto fail;
	}
	if (choose_chapters(b, &s) < 0) {
		for (i = 0; i < s.narticles; i++)
			free(s.articles[i]);
		free(s.articles);
		goto fail;
	}
	for (i = 0; i < s.narticles; i++)
		free(s.articles[i]);
	free(s.articles);

	/* Pass one, in parallel; messages come out in file order. */
	for (i = 0; i < b->nchapters; i++) {
		b->chapters[i].format = article_format_of(b->chapters[i].src);
		b->chapters[i].lead = -1;
	}
	if ((b->spillfd = scratch_open()) < 0) {
		msg(LEVEL_ERROR, NULL, 0, 0, "cannot create a temporary file "
		    "in %s: %s", scratch_dir(), strerror(errno));
		goto fail;
	}
	/* A cover to draw: its helper starts now, to load while we read. */
	if ((b->cover_src = given_cover(b)) == NULL) {
		if ((b->cover_job = cover_start()) == NULL)
			goto fail;
		/* Its title, when the chapters do not decide it: the
		 * helper draws all but the cities while we read. */
		if (o->title != NULL || b->meta.title != NULL)
			cover_send_title(b->cover_job, o->title != NULL ?
			    o->title : b->meta.title, &b->meta);
	}
	p.book = b;
	p.t = o->templates;
	p.done = 0;
	p.arenas = xcalloc(b->nchapters + 1, sizeof(*p.arenas));
	p.diags = xcalloc(b->nchapters + 1, sizeof(*p.diags));
	pool_for(b->nchapters, b->jobs, pass1, &p);
	progress_done();
	for (i = 0; i < b->nchapters; i++) {
		c = &b->chapters[i];
		if (p.diags[i].first != NULL)
			diag_print(&p.diags[i], path_in(b, c->src));
		arena_free(&p.arenas[i]);
	}
	free(p.arenas);
	free(p.diags);
	/* The workers' articles are gone: give their memory back. */
	malloc_trim(0);

	/* Drop what is left out, then put the rest in book order. */
	for (i = n = 0; i < b->nchapters; i++) {
		if (b->chapters[i].skip) {
			chapter_free(&b->chapters[i]);
			continue;
		}
		b->chapters[n++] = b->chapters[i];
	}
	b->nchapters = n;
	for (i = 0; i < n; i++) {
		if (b->chapters[i].maxlevel > b->maxlevel)
			b->maxlevel = b->chapters[i].maxlevel;
		b->nheads += b->chapters[i].nheads;
	}
	if (msg_count(LEVEL_ERROR) > errors0)
		goto fail;
	if (n == 0) {
		msg(LEVEL_ERROR, b->dir, 0, 0, "no articles with text to make "
		    "a book of");
		goto fail;
	}
	if (b->meta.chapters == NULL)
		qsort(b->chapters, n, sizeof(*b->chapters), cmp_chapter);

	name_chapters(b);
	index_chapters(b);
	check_titles(b);
	collect_images(b);
	/* The folder's names were for finding photographs. */
	for (i = 0; i < b->nnames; i++)
		free(b->names[i]);
	free(b->names);
	b->names = NULL;
	b->nnames = 0;
	if (o->title != NULL)
		b->title = arena_strdup(&b->arena, o->title);
	else if (b->meta.title != NULL)
		b->title = arena_strdup(&b->arena, b->meta.title);
	else {
		char *t = default_title(b);

		b->title = arena_strdup(&b->arena, t);
		free(t);
		msg(LEVEL_WARNING, b->dir, 0, 0, "no title in book.yaml; "
		    "calling the book '%s' (or use --title)", b->title);
	}
	pick_identifier(b);
	if (pick_modified(b) < 0 || pick_cover(b) < 0)
		goto fail;
	if (msg_count(LEVEL_ERROR) > errors0)
		goto fail;
	return b;
fail:
	book_free(b);
	return NULL;
}

void
book_free(struct book *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; b->chapters != NULL && i < b->nchapters; i++)
		chapter_free(&b->chapters[i]);
	free(b->chapters);
	for (i = 0; i < b->nimages; i++)
		buf_free(&b->images[i].data);
	free(b->images);
	if (b->cover != NULL)
		buf_free(&b->cover->data);
	cover_abort(b->cover_job);
	if (b->dirfd >= 0)
		close(b->dirfd);
	for (i = 0; i < b->nnames; i++)
		free(b->names[i]);
	free(b->names);
	if (b->spillfd >= 0)
		close(b->spillfd);
	free(b->bysrc);
	pool_free(b);
	pthread_mutex_destroy(&b->spill_mu);
	pthread_mutex_destroy(&b->pool_mu);
	bookmeta_free(&b->meta);
	arena_free(&b->arena);
	free(b);
}

/* ----------------------------------------------------------------- links */

static int
cmp_bysrc(const void *pa, const void *pb, void *ctx)
{
	const struct chapter	*c = ctx;

	return strcmp(c[*(const size_t *)pa].src, c[*(const size_t *)pb].src);
}

/* The chapters by file name, for finding the targets of links. */
static void
index_chapters(struct book *b)
{
	size_t	 i;

	b->bysrc = xcalloc(b->nchapters + 1, sizeof(*b->bysrc));
	for (i = 0; i < b->nchapters; i++)
		b->bysrc[i] = i;
	qsort_r(b->bysrc, b->nchapters, sizeof(*b->bysrc), cmp_bysrc,
	    b->chapters);
}

/*
 * A link written in an article, as the book must write it: another
 * article's file becomes its chapter ("anshan.md#food" ->
 * "anshan.xhtml#food"); web and mail addresses stay.  Returns NULL when
 * the target is not in the book.  buf holds the result.
 */
const char *
book_resolve_link(const struct book *b, const char *href, char *buf,
    size_t size)
{
	const struct chapter	*c;
	const char		*frag, *p;
	size_t			 n, lo, hi, mid;
	int			 cmp;

	for (p = href; isalnum((unsigned char)*p) || *p == '+' ||
	    *p == '-' || *p == '.'; p++)
		continue;
	if (*p == ':' && p > href)
		return href;		/* https:, mailto:, ... */
	if (href[0] == '#')
		return href;		/* within the chapter */
	while (strncmp(href, "./", 2) == 0)
		href += 2;
	frag = strchr(href, '#');
	n = frag != NULL ? (size_t)(frag - href) : strlen(href);
	for (lo = 0, hi = b->nchapters; lo < hi; ) {
		mid = (lo + hi) / 2;
		c = &b->chapters[b->bysrc[mid]];
		if ((cmp = strncmp(c->src, href, n)) == 0)
			cmp = c->src[n] != '\0';
		if (cmp == 0) {
			snprintf(buf, size, "%s.xhtml%s", c->slug,
			    frag != NULL ? frag : "");
			return buf;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
