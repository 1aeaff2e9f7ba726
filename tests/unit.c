/* unit.c: unit tests of the pure helpers (make check runs them). */
#include <stdlib.h>
#include <string.h>

#include "mkcitybook.h"

static int	 failures, checks;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
	}								\
} while (0)

#define CHECK_STR(got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	checks++;							\
	if ((g_ == NULL) != (w_ == NULL) ||				\
	    (g_ != NULL && strcmp(g_, w_) != 0)) {			\
		failures++;						\
		fprintf(stderr, "%s:%d: got '%s', want '%s'\n",	\
		    __FILE__, __LINE__, g_ ? g_ : "(null)",		\
		    w_ ? w_ : "(null)");				\
	}								\
} while (0)

static void
hex(const unsigned char *d, size_t n, char *out)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* FIPS 180 examples, and the million a's. */
static void
test_sha1(void)
{
	unsigned char	 d[20];
	char		 h[41], *big;

	sha1("abc", 3, d);
	hex(d, 20, h);
	CHECK_STR(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
	sha1("", 0, d);
	hex(d, 20, h);
	CHECK_STR(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    d);
	hex(d, 20, h);
	CHECK_STR(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	big = malloc(1000000);
	memset(big, 'a', 1000000);
	sha1(big, 1000000, d);
	free(big);
	hex(d, 20, h);
	CHECK_STR(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

/* The same values as Python's uuid.uuid5(uuid.NAMESPACE_URL, name). */
static void
test_uuid5(void)
{
	char	 u[37];

	uuid5_url("python.org", u);
	CHECK_STR(u, "7af94e2b-4dd9-50f0-9c9a-8a48519bdef0");
	uuid5_url("https://mkcitybook.invalid/book/coal-steel-and-ice/"
	    "the-mkcitybook-authors", u);
	CHECK_STR(u, "fb69b815-bf10-5c5d-9abf-90e2226c4056");
}

static void
slug_is(const char *in, const char *want)
{
	char	*s = slugify(in, strlen(in));

	CHECK_STR(s, want);
	free(s);
}

static void
test_slug(void)
{
	slug_is("Anshan", "anshan");
	slug_is("Ürümqi and Beyond", "urumqi-and-beyond");
	slug_is("Qitaihe’s Coal: Past & Future!", "qitaihes-coal-past-future");
	slug_is("  --Lǎogōngrén--  ", "laogongren");
	slug_is("Москва", "moskva");
	slug_is("Αθήνα", "athina");
	slug_is("鞍山", "");
	slug_is("Kraków Straße Øresund", "krakow-strasse-oresund");
	slug_is("A very long title that goes on and on and on past the sixty "
	    "four character limit", "a-very-long-title-that-goes-on-and-on-"
	    "and-on-past-the-sixty-four");
}

static void
title_is(const char *name, const char *want)
{
	char	*t = name_to_title(name);

	CHECK_STR(t, want);
	free(t);
}

static void
test_titles(void)
{
	title_is("anshan.txt", "Anshan");
	title_is("san-francisco.txt", "San Francisco");
	title_is("bay-of-pigs.md", "Bay of Pigs");
	title_is("02-the-city-of-london.txt", "The City of London");
	title_is("Ürümqi and Beyond.txt", "Ürümqi and Beyond");
	title_is("New_York.txt", "New York");
	title_is("route-66.txt", "Route 66");
	title_is("001_7a4248913effa42d.txt", NULL);
	title_is("000_12643e6068e7d0eb.txt", NULL);
	title_is("20240101.txt", NULL);
	title_is("0042.txt", NULL);
}

static void
test_lang(void)
{
	const char	*why;

	CHECK(lang_check("en", &why) == 0);
	CHECK(lang_check("en-GB", &why) == 0);
	CHECK(lang_check("zh-Hans", &why) == 0);
	CHECK(lang_check("zh-Hant-TW", &why) == 0);
	CHECK(lang_check("zh-Latn-pinyin", &why) == 0);
	CHECK(lang_check("es-419", &why) == 0);
	CHECK(lang_check("yue", &why) == 0);
	CHECK(lang_check("de-CH-1996", &why) == 0);
	CHECK(lang_check("en-US-x-twain", &why) == 0);
	CHECK(lang_check("x-klingon", &why) == 0);
	CHECK(lang_check("en_US", &why) < 0);
	CHECK(lang_check("english", &why) < 0);
	CHECK(lang_check("xx", &why) < 0);
	CHECK(lang_check("", &why) < 0);
	CHECK(lang_check("en-", &why) < 0);
	CHECK(lang_check("en-toolongsubtag", &why) < 0);
	CHECK(lang_check("e1", &why) < 0);
}

static void
test_dates(void)
{
	CHECK(date_check("2026") == 0);
	CHECK(date_check("2026-11") == 0);
	CHECK(date_check("2026-11-23") == 0);
	CHECK(date_check("2026-11-23T10:20:30Z") == 0);
	CHECK(date_check("2026-11-23T10:20+08:00") == 0);
	CHECK(date_check("26") < 0);
	CHECK(date_check("2026-13") < 0);
	CHECK(date_check("2026-11-32") < 0);
	CHECK(date_check("23 November 2026") < 0);
	CHECK(date_check("2026-11-23T25:00Z") < 0);
}

static void
test_utf8(void)
{
	uint32_t	 cp;

	CHECK(utf8_decode("\xC3\xA9", 2, &cp) == 2 && cp == 0xE9);
	CHECK(utf8_decode("\xE9\x9E\x8D", 3, &cp) == 3 && cp == 0x978D);
	CHECK(utf8_decode("\xF0\x9F\x98\x80", 4, &cp) == 4 &&
	    cp == 0x1F600);
	CHECK(utf8_decode("\xC0\xAF", 2, &cp) < 0);	/* overlong '/' */
	CHECK(utf8_decode("\xE0\x80\xAF", 3, &cp) < 0);	/* overlong */
	CHECK(utf8_decode("\xED\xA0\x80", 3, &cp) < 0);	/* surrogate */
	CHECK(utf8_decode("\xF4\x90\x80\x80", 4, &cp) < 0); /* > 10FFFF */
	CHECK(utf8_decode("\xE9\x9E", 2, &cp) < 0);	/* truncated */
	CHECK(utf8_decode("\x80", 1, &cp) < 0);
	CHECK(!uc_is_xml_char(0x0B) && !uc_is_xml_char(0x85) &&
	    !uc_is_xml_char(0xFFFE) && !uc_is_xml_char(0x1FFFF));
	CHECK(uc_is_xml_char('\t') && uc_is_xml_char(0xA0) &&
	    uc_is_xml_char(0x978D));
	CHECK(uc_is_upper(0xDC) && uc_is_lower(0xFC) && uc_is_upper(0x141) &&
	    uc_is_lower(0x142) && uc_is_upper(0x410) && !uc_is_upper('a'));
}

static void
test_spam(void)
{
	static const char *prose =
	    "Culture matters here. The culture of the city grew from coal, "
	    "and its culture of work shaped a culture of festivals. Today "
	    "culture tourism brings visitors who come for the culture, the "
	    "food and the culture of winter sports, which is a culture all "
	    "of its own, and a culture that the city is proud of.";
	struct buf	 b = { NULL, 0, 0 };
	const char	*w;
	size_t		 wl;
	int		 i;

	CHECK(spam_score(prose, strlen(prose), NULL, NULL) == 0);
	for (i = 0; i < 60; i++)
		buf_printf(&b, "Country%d culture ", i);
	CHECK(spam_score(b.p, b.len, &w, &wl) == 60 && wl == 7 &&
	    strncmp(w, "culture", 7) == 0);
	/* Forty words a sentence: still prose. */
	b.len = 0;
	for (i = 0; i < 60; i++)
		buf_printf(&b, "Country%d culture. ", i);
	CHECK(spam_score(b.p, b.len, NULL, NULL) == 0);
	buf_free(&b);
}

int
main(void)
{
	test_sha1();
	test_uuid5();
	test_slug();
	test_titles();
	test_lang();
	test_dates();
	test_utf8();
	test_spam();
	printf("unit: %d checks, %d failed\n", checks, failures);
	return failures != 0;
}
