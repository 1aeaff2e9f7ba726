/* sha1.c: SHA-1 (FIPS 180-4), only for name-based UUIDs (RFC 9562 v5). */
#include <string.h>

#include "mkcitybook.h"

static uint32_t
rol(uint32_t x, int n)
{
	return (x << n) | (x >> (32 - n));
}

static void
block(uint32_t h[5], const unsigned char *p)
{
	uint32_t	 w[80], a, b, c, d, e, f, k, t;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0]; b = h[1]; c = h[2]; d = h[3]; e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDC;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6;
		}
		t = rol(a, 5) + f + e + k + w[i];
		e = d; d = c; c = rol(b, 30); b = a; a = t;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e;
}

void
sha1(const void *data, size_t len, unsigned char out[20])
{
	const unsigned char	*p = data;
	unsigned char		 last[128];
	uint32_t		 h[5] = { 0x67452301, 0xEFCDAB89, 0x98BADCFE,
				    0x10325476, 0xC3D2E1F0 };
	uint64_t		 bits = (uint64_t)len * 8;
	size_t			 i, rest, n;

	for (i = 0; i + 64 <= len; i += 64)
		block(h, p + i);
	rest = len - i;
	memset(last, 0, sizeof(last));
	memcpy(last, p + i, rest);
	last[rest] = 0x80;
	n = rest < 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		last[n - 1 - i] = (unsigned char)(bits >> (8 * i));
	block(h, last);
	if (n == 128)
		block(h, last + 64);
	for (i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(h[i] >> 8);
		out[4 * i + 3] = (unsigned char)h[i];
	}
}

/* RFC 9562 5.5: SHA-1 of the URL namespace and the name. */
void
uuid5_url(const char *name, char out[37])
{
	static const unsigned char ns[16] = {
		0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
		0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
	};
	unsigned char	 d[20];
	struct buf	 b = { NULL, 0, 0 };
	int		 i, o;

	buf_put(&b, ns, sizeof(ns));
	buf_puts(&b, name);
	sha1(b.p, b.len, d);
	buf_free(&b);
	d[6] = (d[6] & 0x0F) | 0x50;
	d[8] = (d[8] & 0x3F) | 0x80;
	for (i = o = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = "0123456789abcdef"[d[i] >> 4];
		out[o++] = "0123456789abcdef"[d[i] & 15];
	}
	out[o] = '\0';
}
