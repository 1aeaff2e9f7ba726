/* epub.h: the output side's contract: book, templates, trees, container. */
#ifndef EPUB_H
#define EPUB_H

#include <sys/types.h>

#include <pthread.h>

#include <libxml/tree.h>
#include <zlib.h>

#include "mkcitybook.h"

/* Elements in this namespace are template slots. */
#define TEMPLATE_NS	"urn:mkcitybook:template"
/* Deflate level of every entry: zip's default, a good balance. */
#define ZLEVEL		6

/* ------------------------------------------------------------- xml.c */

/* A deflater that also counts the CRC and both sizes for libzip. */
struct zout {
	z_stream	*z;		/* the thread's deflater, while live */
	int		 live;		/* z must go back */
	uint32_t	 crc;		/* of the uncompressed bytes */
	uint64_t	 usize;		/* uncompressed size */
	uint64_t	 csize;		/* compressed size */
	struct buf	 raw;		/* a small part, whole, until the end */
	struct buf	 mem;		/* compressed bytes, or ... */
	int		 fd;		/* ... a file they go to, at ... */
	uint64_t	 off;		/* ... this offset */
	int		 err;		/* errno of the first failure */
};

/* Compressed bytes go to memory, or with fd >= 0 to that file at off. */
int	 zout_init(struct zout *, int, uint64_t);
int	 zout_write(struct zout *, const void *, size_t);
int	 zout_finish(struct zout *);
void	 zout_free(struct zout *);
void	 zout_cleanup(void);

/* Serializes libxml2 trees with xmlTextWriter: full end tags for
 * non-void HTML elements, no comments, slots handed to a callback. */
struct xw {
	void		*w;		/* xmlTextWriterPtr */
	int		 html;		/* XHTML rules and DOCTYPE */
	int		 err;
	int		(*sink)(void *, const void *, size_t);
	void		*sinkctx;
	int		(*slot)(struct xw *, xmlNodePtr, void *);
	void		*slotctx;
	const char	*lang;		/* lang and xml:lang of the root */
};

int	 xw_open(struct xw *, int (*)(void *, const void *, size_t), void *,
	    int);
void	 xw_node(struct xw *, xmlNodePtr);
void	 xw_start(struct xw *, xmlNodePtr);
void	 xw_end(struct xw *);
int	 xw_close(struct xw *);
int	 xw_doc(xmlDocPtr, const char *, int (*)(void *, const void *, size_t),
	    void *, int (*)(struct xw *, xmlNodePtr, void *), void *);
int	 sink_zout(void *, const void *, size_t);
int	 sink_buf(void *, const void *, size_t);

/* Tree building; libxml2 running out of memory exits like xmalloc. */
xmlNodePtr el(xmlNodePtr, const char *);
void	 attr(xmlNodePtr, const char *, const char *);
void	 attr_lang(xmlNodePtr, const char *);
void	 text(xmlNodePtr, const char *);
void	 nl(xmlNodePtr, int);
void	 oom_xml(void) NORETURN;

/* -------------------------------------------------------- template.c */

enum tpl_kind {
	TPL_CHAPTER,
	TPL_TITLEPAGE,
	TPL_COVER,
	TPL_COLOPHON,
	TPL_NAV,
	TPL_NKINDS
};

struct templates {
	xmlDocPtr	 doc[TPL_NKINDS];	/* parsed skeletons */
	char		*name[TPL_NKINDS];	/* where each came from */
	char		*css;			/* the stylesheet */
	size_t		 csslen;
	char		*cssname;
	char	       **chapter_ids;		/* ids the chapter uses */
};

/* Loads the built-in templates, or those in dir where it has them.
 * Returns -1 after printing what is wrong (file and line). */
int	 templates_load(struct templates *, const char *);
void	 templates_free(struct templates *);
int	 templates_export(const char *);

/* ------------------------------------------------------------ book.c */

struct image {
	char		*src;		/* path in the content folder */
	char		*href;		/* in the book: "images/x.jpg" */
	char		*id;		/* manifest id */
	const char	*media_type;
	unsigned long	 width;
	unsigned long	 height;
	uint64_t	 size;
	char		*alt;		/* from its caption file, or NULL */
	char		*caption;	/* the same */
	struct buf	 data;		/* a generated image's bytes */
};

/* An image an article shows, found in pass one. */
struct imgref {
	char		*src;		/* as written, decoded */
	unsigned	 line;
	int		 has_alt;
};

/* Deflated bytes in the book's spill file, ready for the zip. */
struct part {
	uint64_t	 off;
	uint64_t	 zlen;		/* deflated size */
	uint64_t	 usize;		/* its size before */
	uint32_t	 crc;		/* its CRC-32 before */
};

/* A chapter, as the book keeps it from pass one until the zip is
 * written: small, since a book may have a hundred thousand. */
struct chapter {
	const char	*src;		/* file name in the content folder */
	const char	*title;		/* plain text, typography applied */
	const char	*slug;		/* file name in the book, no .xhtml */
	const char	*lang;		/* its own language, or NULL */
	enum article_format format;
	double		 order;
	int		 has_order;
	uint64_t	 src_size;	/* to notice edits during the build */
	uint32_t	 src_crc;
	int		 rendered;	/* xhtml is in the spill */
	struct part	 xhtml;		/* the chapter, deflated */
	uint64_t	 ooff;		/* its outline in the spill: */
	uint32_t	 olen;		/* "level\tid\tlabel" lines */
	int		 maxlevel;	/* deepest heading in the outline */
	uint32_t	 nheads;	/* headings in the outline */
	int		 skip;		/* empty, draft or not listed */
	struct imgref	*refs;		/* images it shows */
	size_t		 nrefs;
	long		 lead;		/* image beside it ("anshan.jpg"), or -1 */
	size_t		*gallery;	/* images in its folder ("anshan/") */
	size_t		 ngallery;
};

struct book_opts {
	const struct templates *templates;
	const char	*title;		/* --title */
	const char	*lang;		/* --lang */
	const char	*encoding;	/* --input-encoding */
	int		 typography;	/* -1 unset */
	int		 jobs;
};

struct book {
	struct arena	 arena;
	char		*dir;		/* as given, without a trailing '/' */
	int		 dirfd;
	struct bookmeta	 meta;		/* book.yaml */
	char		*title;
	const char	*lang;
	const char	*encoding;	/* default input encoding */
	char		*identifier;
	int		 typography;
	int		 toc_depth;
	time_t		 modified;	/* dcterms:modified and zip times */
	struct chapter	*chapters;	/* in book order, skipped ones gone */
	size_t		 nchapters;
	struct image	*images;
	size_t		 nimages;
	struct image	*cover;
	const char	*cover_src;	/* the image given for it, or NULL */
	struct cover_job *cover_job;	/* drawing it, when not given */
	int		 missing_alt;	/* images without alt text */
	int		 jobs;
	char	       **names;		/* the folder's entries, sorted */
	size_t		 nnames;
	size_t		*bysrc;		/* chapters by file name, for links */
	int		 spillfd;	/* what the passes rendered */
	uint64_t	 spill_end;
	pthread_mutex_t	 spill_mu;
	struct pool_block *pool;	/* the chapters' strings */
	pthread_mutex_t	 pool_mu;
	int		 maxlevel;	/* deepest heading in the book */
	size_t		 nheads;	/* headings in all the outlines */
};

/* Reads the folder: metadata, every article (pass one), order, names.
 * Prints all problems; returns NULL when any was an error. */
struct book	*book_load(const char *, const struct book_opts *);
/* Pass two: renders the chapters pass one could not (they link to
 * others or show images) into the spill.  -1 after printing why. */
int		 book_render(struct book *, const struct templates *);
/* The drawn cover's PNG, once its helper is done; -1 after printing
 * why. */
int		 book_cover_ready(struct book *);
/* Frees what the chapters hold, once every part is in the spill;
 * only nchapters stays. */
void		 book_drop_chapters(struct book *);
void		 book_free(struct book *);
/* A file's bytes as an article: the encoding (front matter's, else
 * enc), a check that it is text, decoding, and the reader its name
 * asks for.  Problems go to d; NULL when there is no article. */
struct article	*article_from_bytes(const char *, const char *, size_t,
		    const char *, struct arena *, struct diags *);
/* The path of a file of the folder, as messages show it; the caller
 * frees. */
char		*book_path(const struct book *, const char *);
/* A part made whole on the calling thread, straight into the spill:
 * begin gives a deflater, end finishes it and says where it went.
 * Nothing else may write the spill meanwhile.  -1 with z->err set. */
int		 book_part_begin(struct book *, struct zout *);
int		 book_part_end(struct book *, struct zout *, struct part *);
/* A part deflated into memory, put at the spill's end; 0, or -1 with
 * errno set. */
int		 book_part_put(struct book *, const struct zout *, struct part *);
/* A part deflated into a file of its own (z->fd), copied to the spill's
 * end from any thread; 0, or -1 with errno set. */
int		 book_part_copy(struct book *, const struct zout *,
		    struct part *);
/* The message for a failed write to the spill. */
void		 book_spill_failed(int);
/* A chapter's outline from the spill into the buffer; 0, or -1. */
int		 book_outline(const struct book *, size_t, struct buf *);
/* Reads part of the spill; 0, or -1 with errno set. */
int		 book_spill_read(const struct book *, uint64_t, void *, size_t);
/* Reads and parses one chapter again, for rendering (pass two).
 * Returns NULL with a message in *err (which the caller frees). */
struct article	*book_read_chapter(const struct book *, size_t, char **);
/* The typography options for a chapter. */
void		 book_typo_opts(const struct book *, const struct chapter *,
		    struct typo_opts *);
/* The image of the book with this source path, or NULL; the second
 * takes the path as an article wrote it (with %XX escapes). */
const struct image *book_image(const struct book *, const char *);
const struct image *book_image_written(const struct book *, const char *);
/* Resolves a link target written in an article to a book href. */
const char	*book_resolve_link(const struct book *, const char *, char *,
		    size_t);

/* ------------------------------------------------------------ cover.c */

/*
 * A cover drawn by the helper program mkcitybook-cover: cover_start
 * starts it early (NULL, after an error message, when it cannot);
 * cover_send_title gives it the title, subtitle, publisher and creators
 * when they are known before the chapters are read, and cover_send the
 * rest once they are; cover_wait collects the PNG (0, or -1 after an
 * error message).  cover_abort ends a job that is not needed.
 */
struct cover_job;
struct cover_job *cover_start(void);
void	 cover_send_title(struct cover_job *, const char *,
	    const struct bookmeta *);
void	 cover_send(struct cover_job *, const struct book *);
int	 cover_wait(struct cover_job *, struct buf *);
void	 cover_abort(struct cover_job *);

/* ------------------------------------------------------------ pages.c */

/* One chapter rendered in pass two: its deflated XHTML. */
struct rendered {
	struct zout	 z;
	char		*error;		/* set when rendering failed */
	struct diags	 diags;		/* warnings found while rendering */
	struct arena	 arena;
};

void	 render_chapter(const struct book *, const struct templates *,
	    size_t, struct rendered *);
int	 chapter_write(const struct book *, const struct templates *,
	    const struct chapter *, struct article *, struct rendered *,
	    int (*)(void *, const void *, size_t), void *);
void	 chapter_outline(const struct book *, struct article *, struct buf *);
void	 rendered_free(struct rendered *);
/* The fixed pages, each a whole document written to a sink. */
int	 page_titlepage(const struct book *, const struct templates *,
	    struct zout *);
int	 page_cover(const struct book *, const struct templates *,
	    struct zout *);
int	 page_colophon(const struct book *, const struct templates *,
	    struct zout *);
/* Inline nodes of the model into a tree. */
void	 xhtml_inlines(xmlNodePtr, const struct node *);
/* Language-tagged inline text for plain strings (titles, labels). */
void	 xhtml_label(xmlNodePtr, const char *, const char *);

/* -------------------------------------------------------- package.c */

int	 package_opf(const struct book *, struct zout *);
int	 package_nav(const struct book *, const struct templates *,
	    struct zout *);
int	 package_ncx(const struct book *, struct zout *);
int	 package_container(struct zout *);

/* ------------------------------------------------------------ epub.c */

/* Claims the output before any work: checks the path and opens an
 * unnamed file in its folder, which only a finished book turns into
 * the file.  NULL after printing why. */
struct outfile;
struct outfile	*epub_claim(const char *);
/* Gives up a claim, leaving the path as it was. */
void		 epub_abandon(struct outfile *);
/* Renders what is left of the book, then writes it and gives it its
 * name, in one step; -1 after printing why.  Either way the claim is
 * spent, and the chapters are dropped on the way. */
int		 epub_write(struct outfile *, struct book *,
		    const struct templates *);

/* ------------------------------------------------------------ file.c */

/* pread and pwrite, all of it; 0, or -1 with errno set. */
int	 pread_all(int, void *, size_t, uint64_t);
int	 pwrite_all(int, const void *, size_t, uint64_t);
/* The folder for scratch files: TMPDIR, else /tmp. */
const char *scratch_dir(void);
/* An unnamed scratch file there, read and write; -1 with errno set. */
int	 scratch_open(void);

/* ------------------------------------------------------------ pool.c */

/* Runs fn(i, ctx) for every i < n on up to jobs threads. */
void	 pool_for(size_t, int, void (*)(size_t, void *), void *);

/* ----------------------------------------------------------- decode.c */

/* What a file that is not text looks like ("a PNG image"), or NULL. */
const char	*binary_kind(const unsigned char *, size_t);
/* Converts to UTF-8 from a BOM's encoding or the named one.  Returns
 * 0 (out and len set; out may be the input) or -1 with *why, *line. */
int		 decode(const char *, size_t, const char *, char **, size_t *,
		    const char **, unsigned *, unsigned *);
/* Can iconv read this encoding?  0 when it can. */
int		 encoding_check(const char *);

#endif /* !EPUB_H */
