/* msg.c: diagnostics in the form "prog: file:line:col: level: message". */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mkcitybook.h"

static const char	*progname = "mkcitybook";
static int		 verbosity;
static enum level	 worst = LEVEL_NOTE;
static unsigned		 counts[3];
static int		 progress_on;	/* stderr is a terminal, not -q */
static int		 progress_shown;	/* a line is on screen */
static struct timespec	 progress_last;
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;

static const char *const level_names[] = { "note", "warning", "error" };

void
msg_init(const char *name)
{
	const char	*p;

	if (name != NULL && (p = strrchr(name, '/')) != NULL)
		name = p + 1;
	if (name != NULL && *name != '\0')
		progname = name;
}

void
msg_set_verbosity(int v)
{
	verbosity = v;
}

int
msg_verbosity(void)
{
	return verbosity;
}

static void
progress_clear(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = 0;
	}
}

void
msgv(enum level lvl, const char *file, unsigned line, unsigned col,
    const char *fmt, va_list ap)
{
	pthread_mutex_lock(&lock);
	counts[lvl]++;
	if (lvl > worst)
		worst = lvl;
	/* -q hides notes and warnings; errors always show. */
	if (verbosity < 0 && lvl != LEVEL_ERROR) {
		pthread_mutex_unlock(&lock);
		return;
	}
	progress_clear();
	fprintf(stderr, "%s: ", progname);
	if (file != NULL) {
		fputs(file, stderr);
		if (line > 0) {
			fprintf(stderr, ":%u", line);
			if (col > 0)
				fprintf(stderr, ":%u", col);
		}
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s: ", level_names[lvl]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
}

void
msg(enum level lvl, const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	msgv(lvl, file, line, col, fmt, ap);
	va_end(ap);
}

void
msg_info(const char *fmt, ...)
{
	va_list	 ap;

	if (verbosity < 1)
		return;
	pthread_mutex_lock(&lock);
	progress_clear();
	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
}

enum level
msg_worst(void)
{
	return worst;
}

unsigned
msg_count(enum level lvl)
{
	return counts[lvl];
}

void
progress_enable(int on)
{
	progress_on = on;
}

/* At most ten updates a second, so a fast build pays nothing for it. */
void
progress_update(const char *fmt, ...)
{
	struct timespec	 now;
	va_list		 ap;
	long		 ms;

	if (!progress_on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - progress_last.tv_sec) * 1000 +
	    (now.tv_nsec - progress_last.tv_nsec) / 1000000;
	if (progress_shown && ms < 100)
		return;
	pthread_mutex_lock(&lock);
	progress_last = now;
	fprintf(stderr, "\r\033[K%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	progress_shown = 1;
	pthread_mutex_unlock(&lock);
}

void
progress_done(void)
{
	pthread_mutex_lock(&lock);
	progress_clear();
	pthread_mutex_unlock(&lock);
}

/* ----------------------------------------------------------- diag lists */

void
diag_add(struct diags *d, struct arena *a, enum level lvl, unsigned line,
    unsigned col, const char *fmt, ...)
{
	struct diag	*dg;
	va_list		 ap;
	char		*text;
	int		 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	text = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);

	dg = arena_zalloc(a, sizeof(*dg));
	dg->level = lvl;
	dg->line = line;
	dg->col = col;
	dg->text = text;
	if (d->last == NULL)
		d->first = dg;
	else
		d->last->next = dg;
	d->last = dg;
	if (lvl == LEVEL_ERROR)
		d->nerrors++;
	else if (lvl == LEVEL_WARNING)
		d->nwarnings++;
}

void
diag_print(const struct diags *d, const char *file)
{
	const struct diag	*dg;

	for (dg = d->first; dg != NULL; dg = dg->next)
		msg(dg->level, file, dg->line, dg->col, "%s", dg->text);
}
