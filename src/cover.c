/* cover.c: a generated cover: the title, the cities, a skyline (cairo). */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "epub.h"

/* 1200 x 1920: Kindle's 1:1.6, under Apple's 3.2 megapixels. */
#define W		1200
#define H		1920
#define MARGIN		100
#define TEXT_W		(W - 2 * MARGIN)

/* How many cities the cover names before "and N more". */
#define COVER_CITIES	24

#define SERIF		"EB Garamond 12, EB Garamond, Noto Serif CJK SC, serif"

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

static cairo_status_t
png_sink(void *ctx, const unsigned char *p, unsigned int n)
{
	buf_put(ctx, p, n);
	return CAIRO_STATUS_SUCCESS;
}

/* Draws the cover in this process. */
static int
draw(const struct cover_text *c, struct buf *png)
{
	cairo_surface_t		*s;
	cairo_t			*cr;
	cairo_font_options_t	*fo;
	PangoFontMap		*fm;
	PangoContext		*ctx;
	const struct rgb	*pal;
	char			*up;
	uint32_t		 seed;
	double			 y, size;
	int			 rc;

	seed = hash_str(c->title);
	pal = palettes[seed % (sizeof(palettes) / sizeof(palettes[0]))];
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cr = cairo_create(s);
	/* A private font map, and fixed rendering options: the system's
	 * fontconfig preferences must not change the picture. */
	fm = pango_cairo_font_map_new();
	ctx = pango_font_map_create_context(fm);
	fo = cairo_font_options_create();
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(ctx, fo);
	pango_cairo_context_set_resolution(ctx, 72);

	set_rgb(cr, pal[0]);
	cairo_paint(cr);
	/* A thin frame, inset; the city stands in front of it. */
	set_rgb(cr, mix(pal[0], pal[2], .6));
	cairo_set_line_width(cr, 3);
	cairo_rectangle(cr, 40, 40, W - 80, H - 80);
	cairo_stroke(cr);
	skyline(cr, seed, pal[0], pal[1]);

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
	y += 70;

	/* The cities, in spaced capitals. */
	up = g_utf8_strup(c->cities, -1);
	text_block(cr, ctx, up, SERIF, 40, 0, 5, y, pal[2], 5, 1);
	g_free(up);

	/* The authors, low, just above the city. */
	if (*c->creators != '\0')
		text_block(cr, ctx, c->creators, SERIF, 56, 1, 0, 1180,
		    pal[1], 2, 1);

	cairo_destroy(cr);
	cairo_surface_flush(s);
	png->len = 0;
	rc = cairo_surface_write_to_png_stream(s, png_sink, png) ==
	    CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	cairo_font_options_destroy(fo);
	g_object_unref(ctx);
	g_object_unref(fm);
	/*
	 * Not FcFini() or cairo_debug_reset_static_data(): pango keeps
	 * fonts in caches of its own, and both abort when anything is
	 * left.  What fontconfig and pango keep until exit is theirs;
	 * tests/valgrind.supp and tests/lsan.supp name it.  The helper
	 * process keeps all that out of the book's builder.
	 */
	return rc;
}

/* ------------------------------------------------------ the helper process */

/*
 * The cover is drawn by a helper: this program run again, fresh, as
 * "mkcitybook --draw-cover TITLE SUBTITLE PUBLISHER CREATORS CITIES",
 * which writes the PNG to its standard output.  Fonts, pango's caches
 * and cairo's canvas then live and die there, and never add to the
 * memory of a big build.  Where it cannot be started, the cover is
 * drawn here: the bytes are the same.
 */
#define HELPER_ARG	"--draw-cover"

int
cover_helper(int argc, char *argv[])
{
	struct cover_text	 c;
	struct buf		 png = { NULL, 0, 0 };
	int			 rc;

	if (argc != 7 || strcmp(argv[1], HELPER_ARG) != 0)
		return -1;
	c.title = argv[2];
	c.subtitle = argv[3];
	c.publisher = argv[4];
	c.creators = argv[5];
	c.cities = argv[6];
	rc = draw(&c, &png) == 0 && fwrite(png.p, 1, png.len, stdout) ==
	    png.len && fflush(stdout) == 0 ? 0 : 1;
	buf_free(&png);
	return rc;
}

/* Runs the helper; 0 with the PNG, -1 when it could not run or failed. */
static int
draw_apart(const struct cover_text *c, struct buf *png)
{
	posix_spawn_file_actions_t fa;
	char		 self[PATH_MAX];
	char		*argv[8];
	char		 chunk[65536];
	ssize_t		 n;
	pid_t		 pid;
	int		 fd[2], status, rc;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = '\0';
	if (pipe2(fd, O_CLOEXEC) < 0)
		return -1;
	argv[0] = (char *)"mkcitybook";
	argv[1] = (char *)HELPER_ARG;
	argv[2] = (char *)c->title;
	argv[3] = (char *)c->subtitle;
	argv[4] = (char *)c->publisher;
	argv[5] = (char *)c->creators;
	argv[6] = (char *)c->cities;
	argv[7] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	rc = posix_spawn(&pid, self, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (rc != 0) {
		close(fd[0]);
		return -1;
	}
	png->len = 0;
	while ((n = read(fd[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		buf_put(png, chunk, (size_t)n);
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (n == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	    png->len > 0)
		return 0;
	/* It ran and failed: say so, since it never should. */
	if (WIFSIGNALED(status))
		msg(LEVEL_WARNING, NULL, 0, 0, "the cover's helper process "
		    "died (signal %d); drawing the cover here",
		    WTERMSIG(status));
	else
		msg(LEVEL_WARNING, NULL, 0, 0, "the cover's helper process "
		    "failed (exit status %d); drawing the cover here",
		    WEXITSTATUS(status));
	return -1;
}

/*
 * Draws the book's cover as a PNG: the same book gives the same bytes.
 * Returns 0 with the PNG in *png (the caller frees png->p), or -1.
 */
int
cover_draw(const struct book *b, struct buf *png)
{
	struct cover_text	 c;
	struct buf		 cities = { NULL, 0, 0 };
	struct buf		 who = { NULL, 0, 0 };
	size_t			 i, n;
	int			 rc;

	c.title = b->title;
	c.subtitle = b->meta.subtitle != NULL ? b->meta.subtitle : "";
	c.publisher = b->meta.publisher != NULL ? b->meta.publisher : "";
	n = b->nchapters < COVER_CITIES ? b->nchapters : COVER_CITIES;
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&cities, "  \xC2\xB7  ");
		buf_puts(&cities, b->chapters[i].title);
	}
	if (b->nchapters > n)
		buf_printf(&cities, "  \xC2\xB7  and %zu more",
		    b->nchapters - n);
	for (i = 0; i < b->meta.ncreators; i++) {
		if (i > 0)
			buf_puts(&who, i + 1 == b->meta.ncreators ? " & " :
			    ", ");
		buf_puts(&who, b->meta.creators[i]);
	}
	c.cities = buf_str(&cities);
	c.creators = buf_str(&who);
	/* Arguments have a limit; no real title comes near it. */
	if (strlen(c.title) + strlen(c.subtitle) + strlen(c.publisher) +
	    cities.len + who.len > 64 * 1024 || draw_apart(&c, png) < 0)
		rc = draw(&c, png);
	else
		rc = 0;
	buf_free(&cities);
	buf_free(&who);
	return rc;
}
