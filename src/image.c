/* image.c: what an image file is, and its size, from its header.  Pure. */
#include <string.h>

#include "mkcitybook.h"

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static unsigned long
be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 |
	    (unsigned long)p[2] << 8 | p[3];
}

/*
 * JPEG: the frame header (SOF) holds the size.  Markers are walked
 * from the start; entropy-coded data never comes before the first SOF.
 */
static int
probe_jpeg(const unsigned char *p, size_t len, struct image_info *ii)
{
	size_t		 i, seg;
	unsigned	 m;

	for (i = 2; i + 4 <= len; ) {
		if (p[i] != 0xFF)
			return -1;
		while (i < len && p[i] == 0xFF)		/* fill bytes */
			i++;
		if (i >= len)
			return -1;
		m = p[i++];
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7))
			continue;			/* no length */
		if (m == 0xD9 || m == 0xDA || i + 2 > len)
			return -1;			/* no frame yet */
		seg = be16(p + i);
		if (seg < 2 || i + seg > len)
			return -1;
		if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 &&
		    m != 0xCC) {
			if (seg < 8)
				return -1;
			ii->height = be16(p + i + 3);
			ii->width = be16(p + i + 5);
			ii->components = p[i + 7];
			return ii->width > 0 && ii->height > 0 ? 0 : -1;
		}
		i += seg;
	}
	return -1;
}

/*
 * Recognises a JPEG or PNG image and reads its size.  Returns 0, or -1
 * when the bytes are neither (or broken before the size is known).
 */
int
image_probe(const unsigned char *p, size_t len, struct image_info *ii)
{
	memset(ii, 0, sizeof(*ii));
	if (len >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 &&
	    memcmp(p + 12, "IHDR", 4) == 0) {
		ii->media_type = "image/png";
		ii->ext = "png";
		ii->width = be32(p + 16) > 0xFFFFFF ? 0 : be32(p + 16);
		ii->height = be32(p + 20) > 0xFFFFFF ? 0 : be32(p + 20);
		ii->components = len > 25 && (p[25] == 0 || p[25] == 4) ? 1 :
		    3;
		return ii->width > 0 && ii->height > 0 ? 0 : -1;
	}
	if (len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
		ii->media_type = "image/jpeg";
		ii->ext = "jpg";
		return probe_jpeg(p, len, ii);
	}
	return -1;
}
