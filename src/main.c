/* main.c: options, usage and exit code. */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmark.h>
#include <libdeflate.h>
#include <libxml/parser.h>
#include <libxml/xmlversion.h>
#include <yaml.h>
#include <zip.h>
#include <zlib.h>

#include "epub.h"

/* Exit status: 0 success (warnings allowed), 1 input or I/O error,
 * 2 usage error. */
#define EXIT_INPUT	1
#define EXIT_USAGE	2

enum {
	OPT_TITLE = 256,
	OPT_LANG,
	OPT_ENCODING,
	OPT_TEMPLATES,
	OPT_EXPORT,
	OPT_NOTYPO,
	OPT_TREE,
	OPT_OUTLINE,
	OPT_VERSION,
};

static const struct option longopts[] = {
	{ "output",		required_argument,	NULL, 'o' },
	{ "title",		required_argument,	NULL, OPT_TITLE },
	{ "lang",		required_argument,	NULL, OPT_LANG },
	{ "input-encoding",	required_argument,	NULL, OPT_ENCODING },
	{ "templates",		required_argument,	NULL, OPT_TEMPLATES },
	{ "export-templates",	required_argument,	NULL, OPT_EXPORT },
	{ "no-typography",	no_argument,		NULL, OPT_NOTYPO },
	{ "jobs",		required_argument,	NULL, 'j' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "tree",		no_argument,		NULL, OPT_TREE },
	{ "outline",		no_argument,		NULL, OPT_OUTLINE },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 },
};

static void
usage(FILE *f)
{
	fputs(
"usage: mkcitybook [options] DIR -o FILE\n"
"       mkcitybook --tree | --outline [options] ARTICLE...\n"
"       mkcitybook --export-templates DIR\n"
"\n"
"Compiles a folder of plain-text (.txt) and Markdown (.md) city articles\n"
"into one EPUB 3 book.\n"
"\n"
"  -o, --output FILE          write the book to FILE\n"
"      --title TEXT           the book's title (default: book.yaml)\n"
"      --lang TAG             its language, BCP 47 (default: book.yaml, en)\n"
"      --input-encoding NAME  read articles in NAME (GB18030, Big5, ...)\n"
"      --templates DIR        use the templates and CSS found in DIR\n"
"      --export-templates DIR write the built-in templates to DIR\n"
"      --no-typography        keep quotes, dashes and spaces as written\n"
"  -j, --jobs N               use N threads (default: one per CPU)\n"
"  -q, --quiet                errors only\n"
"  -v, --verbose              say more about what happens\n"
"      --tree                 show how articles are read, in full\n"
"      --outline              show their titles and headings\n"
"  -h, --help                 this summary\n"
"      --version              versions of mkcitybook and its libraries\n"
"\n"
"Exit status: 0 success, 1 bad input or I/O error, 2 usage error.\n"
"See mkcitybook(1) for the article format and book.yaml.\n", f);
}

static void
version(void)
{
	printf("mkcitybook %s\n", MKC_VERSION);
	printf("libxml2 %s, libzip %s, cmark %s, libyaml %s, zlib %s, "
	    "libdeflate %s\n", xmlParserVersion, zip_libzip_version(),
	    cmark_version_string(), yaml_get_version_string(), zlibVersion(),
	    LIBDEFLATE_VERSION_STRING);
}

/* A usage error: what is wrong, the synopsis, and exit status 2. */
static void NORETURN PRINTF(1, 2)
bad_usage(const char *fmt, ...)
{
	va_list	 ap;

	fputs("mkcitybook: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nusage: mkcitybook [options] DIR -o FILE "
	    "(mkcitybook --help for more)\n", stderr);
	exit(EXIT_USAGE);
}

/* SOURCE_DATE_EPOCH, checked before any work is done. */
static int
check_epoch(void)
{
	const char	*sde;
	char		*end;
	long long	 v;

	if ((sde = getenv("SOURCE_DATE_EPOCH")) == NULL || *sde == '\0')
		return 0;
	errno = 0;
	v = strtoll(sde, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
		msg(LEVEL_ERROR, NULL, 0, 0, "SOURCE_DATE_EPOCH must be a "
		    "number of seconds since 1970, not '%s'", sde);
		return -1;
	}
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	struct buf	 b = { NULL, 0, 0 };
	char		 tmp[65536];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(&b, tmp, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return b.p != NULL ? b.p : xstrdup("");
}

/* --tree and --outline: how mkcitybook reads each article. */
static int
inspect(char **files, int n, int outline, const struct book_opts *o)
{
	struct article	*art;
	struct typo_opts to;
	struct arena	 a = { NULL, NULL, 0 };
	struct diags	 d;
	char		*data;
	size_t		 len;
	int		 i;

	for (i = 0; i < n; i++) {
		if ((data = slurp(files[i], &len)) == NULL) {
			msg(LEVEL_ERROR, files[i], 0, 0, "cannot read: %s",
			    strerror(errno));
			continue;
		}
		memset(&d, 0, sizeof(d));
		art = article_from_bytes(files[i], data, len, o->encoding, &a,
		    &d);
		free(data);
		diag_print(&d, files[i]);
		if (art == NULL)
			continue;
		diag_print(&art->diags, files[i]);
		to.smart = o->typography != 0;
		to.lang = art->lang != NULL ? art->lang :
		    o->lang != NULL ? o->lang : "en";
		typo_article(art, &to);
		article_assign_ids(art, NULL);
		if (i > 0)
			putchar('\n');
		if (outline)
			article_dump_outline(art, stdout);
		else
			article_dump_tree(art, stdout);
		article_free(art);
	}
	arena_free(&a);
	return msg_count(LEVEL_ERROR) > 0 ? EXIT_INPUT : 0;
}

int
main(int argc, char *argv[])
{
	struct book_opts o;
	struct templates t;
	struct book	*b;
	struct outfile	*of;
	const char	*out, *tpldir, *export, *why;
	char		*end;
	long		 jobs;
	int		 c, mode, verbosity;

	msg_init(argv[0]);
	/* A full disk or ulimit -f must be an error, not a dead process. */
	signal(SIGXFSZ, SIG_IGN);
	/* The cover's helper is waited for: a caller that ignored SIGCHLD
	 * would have it reaped unseen. */
	signal(SIGCHLD, SIG_DFL);
	memset(&o, 0, sizeof(o));
	o.typography = -1;
	jobs = sysconf(_SC_NPROCESSORS_ONLN);
	out = tpldir = export = NULL;
	mode = verbosity = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:j:qvh", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case OPT_TITLE:
			if (*optarg == '\0')
				bad_usage("--title needs some text");
			o.title = optarg;
			break;
		case OPT_LANG:
			if (lang_check(optarg, &why) < 0)
				bad_usage("invalid language tag '%s' for "
				    "--lang: %s", optarg, why);
			o.lang = optarg;
			break;
		case OPT_ENCODING:
			if (encoding_check(optarg) < 0)
				bad_usage("unknown encoding '%s' for "
				    "--input-encoding", optarg);
			o.encoding = optarg;
			break;
		case OPT_TEMPLATES:
			tpldir = optarg;
			break;
		case OPT_EXPORT:
			export = optarg;
			break;
		case OPT_NOTYPO:
			o.typography = 0;
			break;
		case 'j':
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || *end != '\0' || jobs < 1 || jobs > 256)
				bad_usage("--jobs wants a number from 1 to 256, "
				    "not '%s'", optarg);
			break;
		case 'q':
			verbosity = -1;
			break;
		case 'v':
			verbosity = 1;
			break;
		case OPT_TREE:
			mode = 1;
			break;
		case OPT_OUTLINE:
			mode = 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case OPT_VERSION:
			version();
			return 0;
		case ':':
			bad_usage("option '%s' needs a value",
			    argv[optind - 1]);
		default:
			if (optopt != 0 && optopt < 256)
				bad_usage("unknown option '-%c'", optopt);
			bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	msg_set_verbosity(verbosity);
	o.jobs = jobs < 1 ? 1 : jobs > 64 ? 64 : (int)jobs;
	xmlInitParser();
	/*
	 * Fixed malloc thresholds: big blocks are mapped and given back
	 * when freed, and every arena's free top is trimmed.  glibc's
	 * moving thresholds otherwise rise after the first big free, and
	 * the worker threads' arenas keep megabytes they no longer use.
	 */
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);

	if (export != NULL) {
		if (argc > 0 || out != NULL)
			bad_usage("--export-templates takes only a folder");
		return templates_export(export) < 0 ? EXIT_INPUT : 0;
	}
	if (mode != 0) {
		if (argc == 0)
			bad_usage("--tree and --outline want article files");
		return inspect(argv, argc, mode == 2, &o);
	}
	if (argc == 0)
		bad_usage("no folder of articles given");
	if (argc > 1)
		bad_usage("one folder at a time, not '%s' as well", argv[1]);
	if (out == NULL)
		bad_usage("no book to write: give its name with -o FILE");

	progress_enable(verbosity >= 0 && isatty(STDERR_FILENO));
	/* Cheap checks first: a bad -o should not cost a whole build. */
	if (check_epoch() < 0 || (of = epub_claim(out)) == NULL)
		return EXIT_INPUT;
	if (templates_load(&t, tpldir) < 0) {
		epub_abandon(of);
		return EXIT_INPUT;
	}
	o.templates = &t;
	if ((b = book_load(argv[0], &o)) == NULL) {
		epub_abandon(of);
		templates_free(&t);
		msg(LEVEL_ERROR, NULL, 0, 0, "no book written");
		return EXIT_INPUT;
	}
	c = epub_write(of, b, &t);
	if (c == 0)
		msg_info("wrote %s: %zu chapters", out, b->nchapters);
	else
		msg(LEVEL_ERROR, NULL, 0, 0, "no book written");
	book_free(b);
	templates_free(&t);
	zout_cleanup();
	xmlCleanupParser();
	return c < 0 ? EXIT_INPUT : 0;
}
