/* decode.c: recognising text, and converting other encodings to UTF-8. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "epub.h"

static const struct {
	const char	*magic;
	size_t		 len;
	const char	*what;
} magics[] = {
	{ "\x89PNG\r\n\x1a\n", 8, "a PNG image" },
	{ "\xFF\xD8\xFF", 3, "a JPEG image" },
	{ "GIF87a", 6, "a GIF image" },
	{ "GIF89a", 6, "a GIF image" },
	{ "%PDF-", 5, "a PDF document" },
	{ "PK\x03\x04", 4, "a ZIP archive (or a .docx, .odt or .epub)" },
	{ "\x1F\x8B", 2, "gzip-compressed data" },
	{ "\x7F" "ELF", 4, "a program" },
	{ "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "a Microsoft Office document" },
	{ "{\\rtf", 5, "an RTF document" },
	{ "RIFF", 4, "a RIFF file (WebP, WAV or AVI)" },
	{ "BZh", 3, "bzip2-compressed data" },
	{ "\xFD" "7zXZ", 5, "xz-compressed data" },
};

static int
has_bom(const unsigned char *p, size_t len)
{
	return (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) ||
	    (p[0] == 0xFE && p[1] == 0xFF))) ||
	    (len >= 4 && p[0] == 0 && p[1] == 0 && p[2] == 0xFE &&
	    p[3] == 0xFF);
}

/*
 * What a file is when it is not text, or NULL.  Besides the magic
 * numbers of common formats, a file whose first 8 KB are a tenth or
 * more NUL and control bytes is binary.  A few stray control characters
 * leave a file text: they are removed with a warning later.
 */
const char *
binary_kind(const unsigned char *p, size_t len)
{
	size_t	 i, n, nul, ctl, even, odd;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len &&
		    memcmp(p, magics[i].magic, magics[i].len) == 0)
			return magics[i].what;
	if (has_bom(p, len))
		return NULL;
	n = len < 8192 ? len : 8192;
	nul = ctl = even = odd = 0;
	for (i = 0; i < n; i++) {
		if (p[i] == 0) {
			nul++;
			if (i & 1)
				odd++;
			else
				even++;
		} else if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r' && p[i] != '\f') || p[i] == 0x7F)
			ctl++;
	}
	/* UTF-16: NULs in one half of the bytes, hardly any in the other. */
	if (n >= 16 && ((odd * 5 >= n * 2 && even * 20 <= n) ||
	    (even * 5 >= n * 2 && odd * 20 <= n)))
		return "UTF-16 text without a byte-order mark (save it as "
		    "UTF-8, or use --input-encoding UTF-16LE or UTF-16BE)";
	if ((nul + ctl) * 10 >= n && n > 0)
		return "binary data";
	return NULL;
}

static int
is_utf8_name(const char *enc)
{
	return strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

/* Line and column at the end of converted UTF-8 text. */
static void
position(const char *out, size_t len, unsigned *line, unsigned *col)
{
	const char	*nl;
	size_t		 i, start;

	*line = 1;
	start = 0;
	for (i = 0; i < len; i++)
		if (out[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	nl = out + start;
	*col = (unsigned)utf8_len(nl, len - start) + 1;
}

/*
 * Converts a file's bytes to UTF-8.  A UTF-16 or UTF-32 byte-order mark
 * decides by itself; otherwise enc names the encoding (NULL for UTF-8,
 * which is returned as it is, to be checked by text_clean).  On failure
 * *why says what went wrong and *line, *col where.  The caller frees
 * *out unless it is the input.
 */
int
decode(const char *in, size_t len, const char *enc, char **out,
    size_t *outlen, const char **why, unsigned *line, unsigned *col)
{
	const unsigned char	*u = (const unsigned char *)in;
	struct buf		 b = { NULL, 0, 0 };
	iconv_t			 cd;
	char			*ip, *op;
	size_t			 il, ol, skip, done;

	*line = *col = 0;
	skip = 0;
	if (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 &&
	    u[3] == 0) {
		enc = "UTF-32LE";
		skip = 4;
	} else if (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE &&
	    u[3] == 0xFF) {
		enc = "UTF-32BE";
		skip = 4;
	} else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		enc = "UTF-16LE";
		skip = 2;
	} else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		enc = "UTF-16BE";
		skip = 2;
	}
	if (enc == NULL || is_utf8_name(enc)) {
		*out = (char *)(uintptr_t)in;
		*outlen = len;
		return 0;
	}
	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1) {
		*why = errno == EINVAL ? "unknown encoding" :
		    "cannot convert from this encoding";
		return -1;
	}
	ip = (char *)(uintptr_t)in + skip;
	il = len - skip;
	buf_reserve(&b, il * 2 + 16);
	for (;;) {
		op = b.p + b.len;
		ol = b.cap - b.len - 1;
		done = ol;
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) {
			b.len += done - ol;
			/* Flush any shift state. */
			op = b.p + b.len;
			ol = b.cap - b.len - 1;
			done = ol;
			iconv(cd, NULL, NULL, &op, &ol);
			b.len += done - ol;
			break;
		}
		b.len += done - ol;
		if (errno == E2BIG) {
			buf_reserve(&b, b.cap);
			continue;
		}
		*why = errno == EINVAL ? "the text ends in the middle of a "
		    "character" : "this is not valid text in that encoding";
		position(b.p, b.len, line, col);
		iconv_close(cd);
		buf_free(&b);
		return -1;
	}
	iconv_close(cd);
	b.p[b.len] = '\0';
	*out = b.p;
	*outlen = b.len;
	return 0;
}

/* Can iconv read this encoding?  0 when it can. */
int
encoding_check(const char *enc)
{
	iconv_t	 cd;

	if (is_utf8_name(enc))
		return 0;
	if ((cd = iconv_open("UTF-8", enc)) == (iconv_t)-1)
		return -1;
	iconv_close(cd);
	return 0;
}
