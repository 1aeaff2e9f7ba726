/* mkcitybook.h: the contract between the stages of mkcitybook. */
#ifndef MKCITYBOOK_H
#define MKCITYBOOK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#ifndef MKC_VERSION
#define MKC_VERSION "dev"
#endif

#if defined(__GNUC__)
#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))
#else
#define PRINTF(a, b)
#define NORETURN
#endif

/*
 * Data flows one way:
 *   files -> article (model, pure) -> book (order, names, metadata)
 *         -> XHTML, OPF, nav and NCX trees (libxml2) -> zip (libzip).
 */

/* ---------------------------------------------------------------- util.c */

/* Allocation failures print a message and exit: callers never check. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) PRINTF(1, 2);

/* A growable byte buffer; p is always NUL-terminated once non-empty. */
struct buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
};

void	 buf_reserve(struct buf *, size_t);
void	 buf_put(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...) PRINTF(2, 3);
void	 buf_utf8(struct buf *, uint32_t);
void	 buf_free(struct buf *);
/* Returns the contents as a C string ("" when empty); the buffer keeps it. */
const char *buf_str(struct buf *);

/*
 * A bump allocator: everything an article owns lives in its arena and
 * is freed at once by arena_free.
 */
struct arena_chunk;
struct arena_owned;
struct arena {
	struct arena_chunk *head;
	struct arena_owned *owned;	/* malloc'd blocks it frees too */
	size_t		 total;		/* bytes handed out, for stats */
};

void	*arena_alloc(struct arena *, size_t);
void	*arena_zalloc(struct arena *, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...) PRINTF(2, 3);
/* Hands a malloc'd block to the arena, to be freed with it. */
void	 arena_own(struct arena *, void *);
void	 arena_free(struct arena *);

/* A hash set of strings (pointers; the strings must outlive it). */
struct strset {
	const char	**v;
	size_t		 cap;
	size_t		 n;
};

int	 strset_has(const struct strset *, const char *);
void	 strset_add(struct strset *, const char *);
void	 strset_free(struct strset *);

/* UTF-8.  Decoding is strict: no overlongs, surrogates or values > 10FFFF. */
int	 utf8_decode(const char *, size_t, uint32_t *);	/* length or -1 */
int	 utf8_encode(char *, uint32_t);			/* length, 1..4 */
size_t	 utf8_len(const char *, size_t);		/* code points */
uint32_t utf8_prev(const char *, size_t, size_t *);	/* code point before */

int	 uc_is_space(uint32_t);
int	 uc_is_alnum(uint32_t);	/* a letter or digit in any script */
int	 uc_is_upper(uint32_t);
int	 uc_is_lower(uint32_t);
int	 uc_is_han(uint32_t);
int	 uc_is_xml_char(uint32_t);	/* allowed in an XML 1.0 / HTML text */

/* ----------------------------------------------------------------- msg.c */

enum level {
	LEVEL_NOTE,
	LEVEL_WARNING,
	LEVEL_ERROR,
};

void	 msg_init(const char *);
void	 msg_set_verbosity(int);	/* -1 quiet, 0 normal, 1 verbose */
int	 msg_verbosity(void);
/* "mkcitybook: FILE:LINE:COL: LEVEL: message"; file, line, col optional. */
void	 msg(enum level, const char *, unsigned, unsigned, const char *, ...)
	    PRINTF(5, 6);
void	 msgv(enum level, const char *, unsigned, unsigned, const char *,
	    va_list);
/* Informational line shown only with -v. */
void	 msg_info(const char *, ...) PRINTF(1, 2);
enum level msg_worst(void);
unsigned msg_count(enum level);
/* Progress on a terminal: a single line rewritten in place. */
void	 progress_enable(int);
void	 progress_update(const char *, ...) PRINTF(1, 2);
void	 progress_done(void);

/* ------------------------------------------------------------ diagnostics */

/* Messages found by the pure stages, printed later by the caller. */
struct diag {
	enum level	 level;
	unsigned	 line;
	unsigned	 col;
	char		*text;
	struct diag	*next;
};

struct diags {
	struct diag	*first;
	struct diag	*last;
	unsigned	 nerrors;
	unsigned	 nwarnings;
};

void	 diag_add(struct diags *, struct arena *, enum level, unsigned,
	    unsigned, const char *, ...) PRINTF(6, 7);
/* Prints every diagnostic as FILE:LINE:COL via msg(). */
void	 diag_print(const struct diags *, const char *);

/* ----------------------------------------------------------- the model */

enum node_type {
	/* Blocks. */
	NODE_HEADING,		/* level: 2..6 */
	NODE_PARA,
	NODE_LIST,		/* level: 0 bullets, 1 numbers; start */
	NODE_ITEM,
	NODE_QUOTE,
	NODE_CODEBLOCK,		/* text: the literal */
	NODE_BREAK,		/* a scene break */
	NODE_FIGURE,		/* one image: text src, alt; caption inlines */
	/* Inlines. */
	NODE_TEXT,		/* text */
	NODE_EMPH,
	NODE_STRONG,
	NODE_CODE,		/* text: the literal */
	NODE_LINK,		/* text: href; title */
	NODE_IMAGE,		/* text: src; alt */
	NODE_LINEBREAK,
	NODE_LANG,		/* text: a BCP 47 tag; added by typo.c */
};

struct node {
	enum node_type	 type;
	unsigned	 line;		/* source line, 1-based; 0 unknown */
	int		 level;		/* heading level, list kind */
	long		 start;		/* first number of an ordered list */
	char		*text;		/* see enum node_type */
	char		*alt;		/* image alt text; NULL when missing */
	char		*title;		/* link or image title */
	char		*id;		/* heading id, set by book stage */
	struct node	*child;		/* first child */
	struct node	*last;		/* last child */
	struct node	*next;		/* next sibling */
};

enum article_format {
	FORMAT_TEXT,
	FORMAT_MARKDOWN,
};

/* Where the chapter title came from, in order of preference. */
enum title_source {
	TITLE_FRONTMATTER,	/* front matter "title" */
	TITLE_FIRSTLINE,	/* a first line that reads as a title */
	TITLE_FILENAME,		/* the file name reads as a name */
	TITLE_SENTENCE,		/* the place the first sentence is about */
	TITLE_FALLBACK,		/* the bare file name */
};

struct article {
	struct arena	 arena;		/* owns everything below */
	char		*name;		/* file name, for titles and messages */
	enum article_format format;
	struct node	*title;		/* inline nodes of the title */
	char		*title_text;	/* the same, as plain text */
	enum title_source title_from;
	unsigned	 title_line;	/* 0 unless taken from the text */
	char		*subtitle;	/* front matter */
	char		*author;
	char		*date;
	char		*lang;
	unsigned	 lang_line;
	char		*encoding;
	double		 order;
	int		 has_order;
	int		 draft;
	struct node	*body;		/* container of the blocks */
	struct diags	 diags;
	unsigned	 nparas;	/* statistics for --outline */
	unsigned	 nspam;
};

/* Options for the pure readers. */
struct parse_opts {
	int		 frontmatter_only;	/* stop after the front matter */
};

/*
 * article.c: plain text -> article.  Pure: no I/O, no libxml2.
 * name is the file name (used for titles and relative links only).
 * Never fails; problems are in the article's diags.  Free with
 * article_free.
 */
struct article	*article_parse(const char *, const char *, size_t,
		    const struct parse_opts *);
void		 article_free(struct article *);

/* markdown.c: Markdown (CommonMark via cmark) -> article.  Pure. */
struct article	*markdown_parse(const char *, const char *, size_t,
		    const struct parse_opts *);

/* The steps shared by both readers (article.c). */
struct article	*article_new(const char *, enum article_format);
/* Checks UTF-8, drops a BOM and forbidden characters, normalises line
 * ends; returns the clean text in the arena, its length in *len. */
char		*text_clean(struct arena *, struct diags *, const char *,
		    size_t, size_t *);
/* Splits off front matter; returns the body and its first line number. */
const char	*article_frontmatter(struct article *, const char *, size_t,
		    size_t *, unsigned *);
/* Chooses the title by the rules of enum title_source. */
void		 article_pick_title(struct article *);
/* Heading levels: no skipped levels, top level 2. */
void		 article_fix_levels(struct article *, int);

struct node	*node_new(struct arena *, enum node_type, unsigned);
void		 node_append(struct node *, struct node *);
/* Plain text of the inlines below a node, in the arena. */
char		*node_text(struct arena *, const struct node *);
int		 node_is_block(const struct node *);

/* Dumps the model (--tree) or its outline (--outline). */
void		 article_dump_tree(const struct article *, FILE *);
void		 article_dump_outline(const struct article *, FILE *);

/* Recognises a keyword-spam paragraph; returns the repeated word count. */
unsigned	 spam_score(const char *, size_t, const char **, size_t *);

/* ---------------------------------------------------------------- meta.c */

/* A key of a YAML mapping: a scalar or a list of scalars. */
struct yitem {
	char		*key;
	unsigned	 line;		/* line of the key */
	char		*value;		/* scalar, or NULL for a list */
	char	       **list;		/* NULL-terminated, or NULL */
	unsigned	*lines;		/* line of each list entry */
	size_t		 nlist;
	struct yitem	*next;
};

/*
 * Reads a flat YAML mapping (scalars and lists of scalars).  line0 is
 * the file line of the text's first line.  Returns the items, or NULL
 * with an error in diags.
 */
struct yitem	*yaml_read(struct arena *, struct diags *, const char *,
		    size_t, unsigned);

/* The book's metadata, from book.yaml and the command line. */
struct bookmeta {
	struct arena	 arena;
	struct diags	 diags;
	char		*title;
	char		*subtitle;
	char		*lang;
	unsigned	 lang_line;
	char		*description;
	char		*publisher;
	char		*date;
	char		*identifier;
	char		*rights;
	char		*cover;
	unsigned	 cover_line;
	char		*encoding;
	unsigned	 encoding_line;
	char		*summary;	/* accessibility summary */
	char		*certified_by;
	char	       **creators;
	size_t		 ncreators;
	char	       **subjects;
	size_t		 nsubjects;
	char	       **chapters;	/* NULL when not given */
	unsigned	*chapter_lines;
	size_t		 nchapters;
	int		 typography;	/* -1 unset */
	int		 toc_depth;	/* 0 unset */
};

/* Parses book.yaml text into m (zeroed by the caller).  Pure. */
void		 bookmeta_parse(struct bookmeta *, const char *, size_t);
void		 bookmeta_free(struct bookmeta *);
/* The creators as a title page and a cover name them: "A, B & C". */
void		 bookmeta_creators(const struct bookmeta *, struct buf *);

/* BCP 47: 0 when well formed and plausible, else -1 with a reason. */
int		 lang_check(const char *, const char **);
/* W3CDTF date (YYYY, YYYY-MM, YYYY-MM-DD, with time): 0 when valid. */
int		 date_check(const char *);

/* ---------------------------------------------------------------- typo.c */

struct typo_opts {
	int		 smart;		/* quotes, dashes, ellipses, spaces */
	const char	*lang;		/* the document's language */
};

/* Typography and language-of-parts tagging, in place.  Pure. */
void		 typo_article(struct article *, const struct typo_opts *);
/* The same for one string; returns new text in the arena. */
char		*typo_string(struct arena *, const char *,
		    const struct typo_opts *);
/* Language spans only, for text that had its typography already. */
struct node	*typo_runs(struct arena *, const char *, const char *);
/* The language of a script run starting at a code point, or NULL. */
const char	*script_lang(uint32_t);

/* ---------------------------------------------------------------- slug.c */

/* ASCII slug of UTF-8 text: "Ürümqi and Beyond" -> "urumqi-and-beyond". */
char		*slugify(const char *, size_t);
/* A title from a file name, or NULL when the name is opaque. */
char		*name_to_title(const char *);
/* Assigns unique heading ids; reserved ids are avoided. */
void		 article_assign_ids(struct article *, const char *const *);

/* --------------------------------------------------------------- image.c */

struct image_info {
	const char	*media_type;	/* image/jpeg or image/png */
	const char	*ext;		/* jpg or png */
	unsigned long	 width;
	unsigned long	 height;
	int		 components;	/* 1 grey, 3 colour, 4 CMYK */
};

/* JPEG or PNG, and its size, from the first bytes.  0, or -1. */
int		 image_probe(const unsigned char *, size_t,
		    struct image_info *);

/* ---------------------------------------------------------------- sha1.c */

void		 sha1(const void *, size_t, unsigned char[20]);
/* A name-based (version 5) UUID in the URL namespace, as text. */
void		 uuid5_url(const char *, char[37]);

#endif /* !MKCITYBOOK_H */
