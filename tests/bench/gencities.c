/* gencities.c: writes N varied city articles, the same for the same seed.
 *
 * usage: gencities N DIR [SEED]
 *
 * Each article is about 8 KB in the plain style of the shipped ones: an
 * opening paragraph, sections with subsections, lists, numbers with
 * units, quotes and runs of Chinese, with a vocabulary made of syllables
 * so that deflate has real work to do.  One article in twenty ends in a
 * keyword-spam line, as some of the real ones do.  Files are named
 * NNNNNN-city.txt, so their order is their number.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static uint64_t	 rng;

static uint32_t
next(void)
{
	/* xorshift64*: small, fast and the same everywhere. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

static unsigned
pick(unsigned n)
{
	return next() % n;
}

static const char *const onsets[] = {
	"b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x",
	"zh", "ch", "sh", "r", "z", "c", "s", "y", "w", "",
};
static const char *const rimes[] = {
	"a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng",
	"ong", "i", "ia", "ie", "iao", "iu", "ian", "in", "iang", "ing", "u",
	"ua", "uo", "uai", "ui", "uan", "un", "uang",
};
static const char *const words[] = {
	"the", "city", "river", "old", "new", "market", "steel", "coal",
	"winter", "summer", "temple", "bridge", "harbour", "street", "square",
	"museum", "festival", "noodles", "tea", "workers", "factory",
	"station", "mountain", "garden", "history", "people", "families",
	"morning", "evening", "light", "stone", "water", "railway", "tower",
	"and", "of", "in", "on", "with", "where", "from", "under", "across",
	"its", "their", "every", "still", "once", "now", "was", "is", "are",
	"were", "has", "have", "built", "carved", "sold", "grown", "heard",
	"remembered", "rebuilt", "quiet", "busy", "narrow", "wide", "bright",
	"grey", "green", "red", "northern", "southern", "ancient", "young",
};
static const char *const units[] = { "km", "years", "metres", "million",
    "tonnes", "hectares" };

/* Common Han characters, U+4E00 and up, for runs like (鞍山). */
static void
han(FILE *f, int n)
{
	char		 s[4];
	unsigned	 cp;
	int		 i;

	for (i = 0; i < n; i++) {
		cp = 0x4E00 + pick(0x2000);
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		fwrite(s, 1, 3, f);
	}
}

static void
syllables(char *out, size_t size, int n, int cap)
{
	size_t	 len = 0;
	int	 i;

	out[0] = '\0';
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(out + len, size - len, "%s%s",
		    onsets[pick(sizeof(onsets) / sizeof(onsets[0]))],
		    rimes[pick(sizeof(rimes) / sizeof(rimes[0]))]);
	if (cap && out[0] >= 'a' && out[0] <= 'z')
		out[0] = (char)(out[0] - 'a' + 'A');
}

static void
word(FILE *f, int cap)
{
	char	 w[64];

	if (pick(3) == 0) {
		syllables(w, sizeof(w), 1 + (int)pick(3), cap);
		fputs(w, f);
	} else {
		strcpy(w, words[pick(sizeof(words) / sizeof(words[0]))]);
		if (cap)
			w[0] = (char)(w[0] >= 'a' && w[0] <= 'z' ?
			    w[0] - 'a' + 'A' : w[0]);
		fputs(w, f);
	}
}

static void
sentence(FILE *f, const char *city)
{
	int	 n, i;

	n = 8 + (int)pick(16);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(' ', f);
		if (i == 2 && pick(4) == 0)
			fputs(city, f);
		else if (i == 4 && pick(5) == 0) {
			fputc('(', f);
			han(f, 2 + (int)pick(3));
			fputc(')', f);
		} else if (i == 5 && pick(6) == 0)
			fprintf(f, "%u %s", 2 + pick(900),
			    units[pick(sizeof(units) / sizeof(units[0]))]);
		else if (i == 3 && pick(7) == 0) {
			fputc('"', f);
			word(f, 0);
			fputc(' ', f);
			word(f, 0);
			fputc('"', f);
		} else
			word(f, i == 0);
		if (i == n / 2 && pick(3) == 0)
			fputc(',', f);
	}
	fputs(pick(8) == 0 ? "?" : ".", f);
}

static void
paragraph(FILE *f, const char *city)
{
	int	 n, i;

	n = 3 + (int)pick(5);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(' ', f);
		sentence(f, city);
	}
	fputs("\n\n", f);
}

static void
heading(FILE *f)
{
	int	 n, i;

	n = 2 + (int)pick(5);
	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(' ', f);
		word(f, i == 0 || pick(2));
	}
	fputs("\n\n", f);
}

static void
article(FILE *f, const char *city, int spam)
{
	int	 sections, s, k, i;

	fprintf(f, "Nestled among the hills of its province, %s (", city);
	han(f, 2);
	fputs(") is a city that few travellers know.  ", f);
	paragraph(f, city);
	sections = 3 + (int)pick(3);
	for (s = 0; s < sections; s++) {
		heading(f);		/* a section ... */
		heading(f);		/* ... and its first subsection */
		paragraph(f, city);
		if (pick(3) == 0)
			paragraph(f, city);
		if (pick(4) == 0) {
			fputs("The guides list these:\n\n", f);
			k = 2 + (int)pick(4);
			for (i = 0; i < k; i++) {
				fputs("- ", f);
				word(f, 1);
				fputc(' ', f);
				word(f, 0);
				fputc('\n', f);
			}
			fputc('\n', f);
		}
		heading(f);		/* a later subsection */
		paragraph(f, city);
	}
	if (spam) {
		for (i = 0; i < 200; i++) {
			word(f, 1);
			fputs(" culture ", f);
		}
		fputc('\n', f);
	}
}

int
main(int argc, char *argv[])
{
	char		 city[64], path[4096];
	unsigned long	 n, i;
	FILE		*f;

	if (argc < 3 || argc > 4) {
		fputs("usage: gencities N DIR [SEED]\n", stderr);
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	rng = argc == 4 ? strtoull(argv[3], NULL, 10) : 20261123;
	rng = rng * 0x9E3779B97F4A7C15ULL + 1;
	if (mkdir(argv[2], 0777) < 0 && errno != EEXIST) {
		perror(argv[2]);
		return 1;
	}
	for (i = 0; i < n; i++) {
		syllables(city, sizeof(city), 2 + (int)pick(2), 1);
		snprintf(path, sizeof(path), "%s/%06lu-%s.txt", argv[2], i,
		    city);
		if ((f = fopen(path, "w")) == NULL) {
			perror(path);
			return 1;
		}
		article(f, city, i % 20 == 19);
		if (fclose(f) != 0) {
			perror(path);
			return 1;
		}
	}
	return 0;
}
