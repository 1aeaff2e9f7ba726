/*
 * mkcitybook-cover: draws a book's cover (cairo and pango) and writes
 * it as a PNG.  mkcitybook runs it (cover.c) when a book has no cover
 * of its own, so that fonts, pango's caches and cairo's canvas never
 * load into the book's builder: its start-up, its memory and its
 * libraries stay here.
 *
 * It reads five fields from its standard input, each ended by a NUL:
 * the title, the subtitle, the publisher, the creators ("A, B & C")
 * and the cities ("Anshan  ·  Qitaihe"), "" for what is missing; and
 * writes the 1200 x 1920 PNG to its standard output.  The fonts load
 * before the words are read, while mkcitybook reads the articles.
 */
#include <sys/mman.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>
#include <libdeflate.h>

#include "mkcitybook.h"

/* 1200 x 1920: Kindle's 1:1.6, under Apple's 3.2 megapixels. */
#define W		1200
#define H		1920
#define MARGIN		100
#define TEXT_W		(W - 2 * MARGIN)

#define SERIF		"EB Garamond 12, EB Garamond, Noto Serif CJK SC, serif"

/* The words on a cover; "" for what is missing. */
struct cover_text {
	const char	*title;
	const char	*subtitle;
	const char	*publisher;
	const char	*creators;	/* "A, B & C" */
};

struct rgb {
	double		 r, g, b;
};

/* Background, text and accent: quiet colours that print well in grey. */
static const struct rgb palettes[][3] = {
	{ { .114, .169, .271 }, { .949, .910, .835 }, { .784, .627, .314 } },
	{ { .353, .122, .106 }, { .953, .902, .827 }, { .851, .663, .357 } },
	{ { .122, .231, .200 }, { .933, .902, .824 }, { .788, .690, .420 } },
	{ { .149, .149, .169 }, { .933, .918, .886 }, { .753, .314, .302 } },
	{ { .090, .267, .314 }, { .941, .914, .847 }, { .878, .722, .376 } },
};

/* A small deterministic generator: the same title, the same skyline. */
static uint32_t
next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t
hash_str(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h ? h : 1;
}

static void
set_rgb(cairo_t *cr, struct rgb c)
{
	cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

static struct rgb
mix(struct rgb a, struct rgb b, double t)
{
	struct rgb	 c;

	c.r = a.r + (b.r - a.r) * t;
	c.g = a.g + (b.g - a.g) * t;
	c.b = a.b + (b.b - a.b) * t;
	return c;
}

/*
 * Lays out centred text in a measure of `width` pixels; returns its
 * height in pixels, and its number of lines in *nlines.
 */
static int
text_block_w(cairo_t *cr, PangoContext *ctx, const char *s, const char *face,
    double size, int italic, double spacing, double y, struct rgb c,
    int maxlines, int draw, int width, int *nlines)
{
	PangoLayout		*l;
	PangoFontDescription	*fd;
	PangoAttrList		*attrs;
	int			 w, h;

	l = pango_layout_new(ctx);
	fd = pango_font_description_from_string(face);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (italic)
		pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, width * PANGO_SCALE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	if (maxlines > 0) {
		pango_layout_set_height(l, -maxlines);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	if (spacing > 0) {
		attrs = pango_attr_list_new();
		pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(
		    (int)(spacing * PANGO_SCALE)));
		pango_layout_set_attributes(l, attrs);
		pango_attr_list_unref(attrs);
	}
	pango_layout_set_text(l, s, -1);
	pango_layout_get_pixel_size(l, &w, &h);
	if (nlines != NULL)
		*nlines = pango_layout_get_line_count(l);
	if (draw) {
		set_rgb(cr, c);
		cairo_move_to(cr, (W - width) / 2, y);
		pango_cairo_show_layout(cr, l);
	}
	pango_font_description_free(fd);
	g_object_unref(l);
	return h;
}

static int
text_block(cairo_t *cr, PangoContext *ctx, const char *s, const char *face,
    double size, int italic, double spacing, double y, struct rgb c,
    int maxlines, int draw)
{
	return text_block_w(cr, ctx, s, face, size, italic, spacing, y, c,
	    maxlines, draw, TEXT_W, NULL);
}

/*
 * The narrowest measure that keeps the lines as few as at full width,
 * so that a title breaks into lines of like length ("Coal, Steel /
 * and Ice", not "Coal, Steel and / Ice").
 */
static int
balanced_width(cairo_t *cr, PangoContext *ctx, const char *s, double size,
    int italic)
{
	int	 lines, want, w, best;

	text_block_w(cr, ctx, s, SERIF, size, italic, 0, 0, palettes[0][0], 0,
	    0, TEXT_W, &want);
	if (want < 2)
		return TEXT_W;
	best = TEXT_W;
	for (w = TEXT_W; w > TEXT_W / 3; w -= 20) {
		text_block_w(cr, ctx, s, SERIF, size, italic, 0, 0,
		    palettes[0][0], 0, 0, w, &lines);
		if (lines > want)
			break;
		best = w;
	}
	return best;
}

/* The largest size, from 150 px down, at which the title takes at most
 * three lines. */
static double
fit_title(cairo_t *cr, PangoContext *ctx, const char *title)
{
	double	 size;

	for (size = 150; size > 60; size -= 6)
		if (text_block(cr, ctx, title, SERIF, size, 0, 0, 0,
		    palettes[0][0], 0, 0) <= (int)(size * 1.25 * 3))
			break;
	return size;
}

/*
 * Industrial silhouettes along the foot of the cover: blocks, towers and
 * chimneys, with lit windows, from a generator seeded by the title.
 */
static void
skyline(cairo_t *cr, uint32_t seed, struct rgb bg, struct rgb fg)
{
	struct rgb	 far = mix(bg, fg, .10), near = mix(bg, fg, .18);
	struct rgb	 lamp = { .96, .80, .45 };
	double		 x, w, h, base = H - 150;
	int		 layer, k;

	for (layer = 0; layer < 2; layer++) {
		set_rgb(cr, layer == 0 ? far : near);
		for (x = -20; x < W + 20; x += w + (next_rand(&seed) % 14)) {
			w = 50 + next_rand(&seed) % (layer == 0 ? 120 : 90);
			h = (layer == 0 ? 180 : 80) + next_rand(&seed) %
			    (layer == 0 ? 260 : 200);
			cairo_rectangle(cr, x, base - h, w, h + 150);
			cairo_fill(cr);
			/* A chimney, now and then: these are coal towns. */
			if (next_rand(&seed) % 4 == 0) {
				double cx = x + w * .2, cw = 14 + next_rand(
				    &seed) % 10, ch = 90 + next_rand(&seed) % 160;

				cairo_rectangle(cr, cx, base - h - ch, cw, ch);
				cairo_fill(cr);
			}
			if (layer == 1) {
				/* Lit windows in the nearer row. */
				set_rgb(cr, mix(near, lamp, .6));
				for (k = 0; k < 5; k++) {
					double wx = x + 10 + next_rand(&seed) %
					    (unsigned)(w > 30 ? w - 24 : 6);
					double wy = base - h + 16 +
					    next_rand(&seed) % (unsigned)h;

					if (wy < base - 10) {
						cairo_rectangle(cr, wx, wy, 8, 12);
						cairo_fill(cr);
					}
				}
				set_rgb(cr, near);
			}
		}
	}
	set_rgb(cr, near);
	cairo_rectangle(cr, 0, base, W, H - base);
	cairo_fill(cr);
}

/*
 * Memory for the canvas and the PNG's filtered rows, megabytes each and
 * all of it written: mapped populated in one call, not page by page as
 * they are first touched (thousands of page faults, the most costly
 * thing a virtual machine does here); NULL when that fails.
 */
static void *
map_big(size_t n)
{
	void	*p;

	p = mmap(NULL, n, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Appends a PNG chunk: length, type, data, and the CRC of type and data. */
static void
put_chunk(struct buf *out, const char *type, const void *data, size_t n)
{
	unsigned char	 be[4];
	uint32_t	 crc;
	size_t		 at;

	put_be32(be, (uint32_t)n);
	buf_put(out, be, 4);
	at = out->len;
	buf_put(out, type, 4);
	if (n > 0)
		buf_put(out, data, n);
	crc = libdeflate_crc32(0, out->p + at, n + 4);
	put_be32(be, crc);
	buf_put(out, be, 4);
}

/*
 * The canvas as an 8-bit RGB PNG, every row with the "up" filter (flat
 * colour and antialiased text: the filter that pays), deflated at level
 * 6 by libdeflate in one go.  Not cairo's own writer, nor libpng: they
 * try every filter on every row, or deflate with zlib, and took half
 * the time of the whole cover.
 */
static int
write_png(cairo_surface_t *s, struct buf *out)
{
	static const unsigned char sig[8] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
	};
	struct libdeflate_compressor *c;
	const unsigned char *px, *row, *up;
	unsigned char	 ihdr[13], *raw, *q;
	size_t		 rowlen = 1 + (size_t)W * 3, rawlen = rowlen * H;
	size_t		 zcap, zlen;
	uint32_t	 v, u;
	int		 x, y, stride;

	px = cairo_image_surface_get_data(s);
	stride = cairo_image_surface_get_stride(s);
	if ((raw = map_big(rawlen)) == NULL)
		return -1;
	for (y = 0; y < H; y++) {
		row = px + (size_t)y * (size_t)stride;
		up = y > 0 ? row - stride : NULL;
		q = raw + (size_t)y * rowlen;
		*q++ = 2;				/* up */
		for (x = 0; x < W; x++) {
			/* cairo's RGB24: a native-endian 0xxxRRGGBB word. */
			memcpy(&v, row + 4 * x, 4);
			u = 0;
			if (up != NULL)
				memcpy(&u, up + 4 * x, 4);
			*q++ = (unsigned char)((v >> 16) - (u >> 16));
			*q++ = (unsigned char)((v >> 8) - (u >> 8));
			*q++ = (unsigned char)(v - u);
		}
	}
	if ((c = libdeflate_alloc_compressor(6)) == NULL) {
		munmap(raw, rawlen);
		return -1;
	}
	zcap = libdeflate_zlib_compress_bound(c, rawlen);
	out->len = 0;
	buf_put(out, sig, sizeof(sig));
	put_be32(ihdr, W);
	put_be32(ihdr + 4, H);
	ihdr[8] = 8;				/* bits per sample */
	ihdr[9] = 2;				/* RGB */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;	/* deflate, filters, no interlace */
	put_chunk(out, "IHDR", ihdr, sizeof(ihdr));
	/* Room for the worst case, 7 MB, of which a PNG of flat colour
	 * uses a hundredth: malloc'd, not populated, so that only the
	 * pages written cost anything. */
	zlen = 0;
	if ((q = malloc(zcap)) != NULL)
		zlen = libdeflate_zlib_compress(c, raw, rawlen, q, zcap);
	libdeflate_free_compressor(c);
	munmap(raw, rawlen);
	if (zlen > 0)
		put_chunk(out, "IDAT", q, zlen);
	free(q);
	if (zlen == 0)
		return -1;
	put_chunk(out, "IEND", NULL, 0);
	return 0;
}

/* The canvas and the fonts: what takes long to set up. */
struct easel {
	cairo_surface_t		*s;
	cairo_t			*cr;
	cairo_font_options_t	*fo;
	PangoFontMap		*fm;
	PangoContext		*ctx;
	const struct rgb	*pal;	/* the colours, from the title */
	unsigned char		*pixels;	/* the canvas's, when ours */
	int			 stride;
};

/* 0, or -1 when there is no memory for the canvas. */
static int
easel_open(struct easel *e)
{
	e->stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, W);
	if ((e->pixels = map_big((size_t)e->stride * H)) == NULL)
		e->s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	else
		e->s = cairo_image_surface_create_for_data(e->pixels,
		    CAIRO_FORMAT_RGB24, W, H, e->stride);
	if (cairo_surface_status(e->s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(e->s);
		if (e->pixels != NULL)
			munmap(e->pixels, (size_t)e->stride * H);
		return -1;
	}
	e->cr = cairo_create(e->s);
	/* A private font map, and fixed rendering options: the system's
	 * fontconfig preferences must not change the picture. */
	e->fm = pango_cairo_font_map_new();
	e->ctx = pango_font_map_create_context(e->fm);
	e->fo = cairo_font_options_create();
	cairo_font_options_set_antialias(e->fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(e->fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(e->fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(e->ctx, e->fo);
	pango_cairo_context_set_resolution(e->ctx, 72);
	return 0;
}

/* Loads the fonts and touches the canvas, before the words come: the
 * helper does this while the articles are read. */
static void
easel_warm(struct easel *e)
{
	static const struct rgb	 black = { 0, 0, 0 };

	text_block(e->cr, e->ctx, "Ag", SERIF, 40, 0, 0, 0, black, 0, 0);
	text_block(e->cr, e->ctx, "Ag", SERIF, 40, 1, 0, 0, black, 0, 0);
	cairo_set_source_rgb(e->cr, 0, 0, 0);
	cairo_paint(e->cr);
}

static void
easel_close(struct easel *e)
{
	cairo_destroy(e->cr);
	cairo_surface_destroy(e->s);
	if (e->pixels != NULL)
		munmap(e->pixels, (size_t)e->stride * H);
	cairo_font_options_destroy(e->fo);
	g_object_unref(e->ctx);
	g_object_unref(e->fm);
	/*
	 * Not FcFini() or cairo_debug_reset_static_data(): pango keeps
	 * fonts in caches of its own, and both abort when anything is
	 * left.  What fontconfig and pango keep until exit is theirs;
	 * tests/valgrind.supp and tests/lsan.supp name it.
	 */
}

/*
 * Draws all but the cities: what the title, subtitle, publisher and
 * creators decide, while the chapters are still being read.  Returns
 * where the cities go.
 */
static double
paint_head(struct easel *e, const struct cover_text *c)
{
	cairo_t			*cr = e->cr;
	PangoContext		*ctx = e->ctx;
	const struct rgb	*pal = e->pal;
	double			 y, size;

	set_rgb(cr, pal[0]);
	cairo_paint(cr);
	/* A thin frame, inset; the city stands in front of it. */
	set_rgb(cr, mix(pal[0], pal[2], .6));
	cairo_set_line_width(cr, 3);
	cairo_rectangle(cr, 40, 40, W - 80, H - 80);
	cairo_stroke(cr);
	skyline(cr, hash_str(c->title), pal[0], pal[1]);

	if (*c->publisher != '\0')
		text_block(cr, ctx, c->publisher, SERIF, 34, 0, 6, 110,
		    mix(pal[1], pal[0], .25), 1, 1);
	y = 260;
	size = fit_title(cr, ctx, c->title);
	y += text_block_w(cr, ctx, c->title, SERIF, size, 0, 0, y, pal[1], 4,
	    1, balanced_width(cr, ctx, c->title, size, 0), NULL);
	if (*c->subtitle != '\0') {
		y += 30;
		y += text_block_w(cr, ctx, c->subtitle, SERIF, 58, 1, 0, y,
		    mix(pal[1], pal[0], .12), 3, 1, balanced_width(cr, ctx,
		    c->subtitle, 58, 1), NULL);
	}

	/* The accent rule. */
	y += 70;
	set_rgb(cr, pal[2]);
	cairo_rectangle(cr, W / 2 - 120, y, 240, 4);
	cairo_fill(cr);

	/* The authors, low, just above the city. */
	if (*c->creators != '\0')
		text_block(cr, ctx, c->creators, SERIF, 56, 1, 0, 1180,
		    pal[1], 2, 1);
	return y + 70;
}

/* The cities, in spaced capitals, at y; then the PNG. */
static int
paint_cities(struct easel *e, const char *cities, double y, struct buf *png)
{
	char	*up;

	up = g_utf8_strup(cities, -1);
	text_block(e->cr, e->ctx, up, SERIF, 40, 0, 5, y, e->pal[2], 5, 1);
	g_free(up);
	cairo_surface_flush(e->s);
	return write_png(e->s, png);
}

#define NFIELDS		5

/*
 * Reads standard input into the buffer until it holds n fields, each
 * ended by a NUL: 1 when it does, 0 at the end of the input, -1 on a
 * read error.
 */
static int
read_fields(struct buf *b, int n)
{
	size_t	 i, have;
	ssize_t	 got;

	for (;;) {
		for (i = 0, have = 0; i < b->len; i++)
			if (b->p[i] == '\0' && ++have == (size_t)n)
				return 1;
		buf_reserve(b, 4096);
		got = read(STDIN_FILENO, b->p + b->len, b->cap - b->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got < 0 ? -1 : 0;
		b->len += (size_t)got;
	}
}

/* Points at the fields of the buffer (read_fields made sure of them). */
static void
split_fields(const struct buf *b, const char **f, int n)
{
	const char	*p = b->p;
	int		 i;

	for (i = 0; i < n; i++) {
		f[i] = p;
		p += strlen(p) + 1;
	}
}

static void
usage(void)
{
	fputs("usage: mkcitybook-cover <fields >cover.png\n"
	    "Draws a book's cover for mkcitybook(1), which runs it.  Reads "
	    "the title,\nsubtitle, publisher, creators and cities, each "
	    "ended by a NUL byte.\n", stderr);
}

int
main(int argc, char *argv[])
{
	struct cover_text	 c;
	struct easel		 e;
	struct buf		 in = { NULL, 0, 0 };
	struct buf		 png = { NULL, 0, 0 };
	const char		*f[NFIELDS];
	double			 y = 0;
	int			 got, rc;

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("mkcitybook-cover %s\ncairo %s, pango %s, libdeflate "
		    "%s\n", MKC_VERSION, cairo_version_string(),
		    pango_version_string(), LIBDEFLATE_VERSION_STRING);
		return 0;
	}
	if (argc != 1) {
		usage();
		return 2;
	}
	if (easel_open(&e) < 0) {
		fputs("mkcitybook-cover: no memory for the canvas\n", stderr);
		return 1;
	}
	easel_warm(&e);
	rc = 1;
	/* The title's four fields come first, often before the articles
	 * are read; the cities once they are.  Input that ends between
	 * fields (none at all, or no cities) is mkcitybook giving up on
	 * the book: there is nothing to draw. */
	if ((got = read_fields(&in, NFIELDS - 1)) > 0) {
		split_fields(&in, f, NFIELDS - 1);
		c.title = f[0];
		c.subtitle = f[1];
		c.publisher = f[2];
		c.creators = f[3];
		e.pal = palettes[hash_str(c.title) %
		    (sizeof(palettes) / sizeof(palettes[0]))];
		y = paint_head(&e, &c);
		got = read_fields(&in, NFIELDS);
	}
	if (got < 0)
		fprintf(stderr, "mkcitybook-cover: cannot read the fields: "
		    "%s\n", strerror(errno));
	else if (got == 0 && (in.len == 0 || in.p[in.len - 1] == '\0'))
		rc = 0;
	else if (got == 0)
		fputs("mkcitybook-cover: the input ends inside a field; "
		    "each must end with a NUL byte\n", stderr);
	else {
		split_fields(&in, f, NFIELDS);
		if (paint_cities(&e, f[NFIELDS - 1], y, &png) < 0)
			fputs("mkcitybook-cover: cannot write the PNG\n",
			    stderr);
		else if (fwrite(png.p, 1, png.len, stdout) != png.len ||
		    fflush(stdout) != 0)
			fprintf(stderr, "mkcitybook-cover: cannot write the "
			    "PNG: %s\n", strerror(errno));
		else
			rc = 0;
	}
	easel_close(&e);
	buf_free(&in);
	buf_free(&png);
	return rc;
}
