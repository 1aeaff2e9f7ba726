/*
 * cover.c: a cover drawn for a book without one.  The drawing is done
 * by a helper program, mkcitybook-cover (drawcover.c): cairo, pango
 * and the fonts load there, never in the book's builder.  It starts
 * before the articles are read, so that its start-up overlaps that
 * work; gets the cover's words on a socket, each ended by a NUL: the
 * title, subtitle, publisher and creators as soon as they are known
 * (before the articles are read, when book.yaml or --title names the
 * book), and the cities once the chapters are; and writes the PNG to a
 * pipe while the book is put together.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "epub.h"

#define HELPER		"mkcitybook-cover"

/* How many cities the cover names before "and N more". */
#define COVER_CITIES	24

struct cover_job {
	pid_t		 pid;
	int		 in;		/* its standard input (a socket) */
	int		 out;		/* its standard output */
	int		 titled;	/* the title's fields are sent */
	char		*path;
};

/* Reads all of a descriptor into the buffer; 0, or -1. */
static int
read_all(int fd, struct buf *b)
{
	char	 chunk[65536];
	ssize_t	 n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf_put(b, chunk, (size_t)n);
	}
	return 0;
}

/*
 * The helper: next to this program (the build tree, or a bin folder it
 * was copied into with it), or in ../libexec/mkcitybook (where "make
 * install" puts it).  The path, or NULL with the folder looked in.
 */
static char *
find_helper(char *dir, size_t dirsz)
{
	static const char *const where[] = {
		"/" HELPER, "/../libexec/mkcitybook/" HELPER, NULL
	};
	char	 self[PATH_MAX], *slash, *p;
	ssize_t	 n;
	size_t	 i;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0) {
		snprintf(dir, dirsz, "/proc/self/exe");
		return NULL;
	}
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) != NULL)
		*slash = '\0';
	snprintf(dir, dirsz, "%s", self);
	for (i = 0; where[i] != NULL; i++) {
		p = xasprintf("%s%s", self, where[i]);
		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

struct cover_job *
cover_start(void)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	sigset_t	 dfl;
	struct cover_job *j;
	char		 dir[PATH_MAX];
	char		*argv[2], *path;
	int		 in[2], out[2], rc;

	if ((path = find_helper(dir, sizeof(dir))) == NULL) {
		msg(LEVEL_ERROR, NULL, 0, 0, "cannot draw the cover: "
		    "%s is not installed (looked in %s and "
		    "%s/../libexec/mkcitybook); give the book a cover.jpg "
		    "or cover.png", HELPER, dir, dir);
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0) {
		rc = errno;
		goto fail;
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		rc = errno;
		close(in[0]);
		close(in[1]);
		goto fail;
	}
	argv[0] = (char *)HELPER;
	argv[1] = NULL;
	j = xcalloc(1, sizeof(*j));
	j->path = path;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[1], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	/* Whatever our caller ignored, the helper dies of a closed pipe
	 * quietly, as a filter does. */
	posix_spawnattr_init(&sa);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigdefault(&sa, &dfl);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&j->pid, path, &fa, &sa, argv, environ);
	posix_spawnattr_destroy(&sa);
	posix_spawn_file_actions_destroy(&fa);
	close(in[1]);
	close(out[1]);
	j->in = in[0];
	j->out = out[0];
	if (rc == 0)
		return j;
	close(j->in);
	close(j->out);
	free(j);
fail:
	msg(LEVEL_ERROR, NULL, 0, 0, "cannot draw the cover: cannot run "
	    "%s: %s", path, strerror(rc));
	free(path);
	return NULL;
}

/* Sends the buffer; a helper that died makes this fail, not kill us
 * (MSG_NOSIGNAL), and cover_wait then says so. */
static void
send_all(struct cover_job *j, const struct buf *w)
{
	size_t	 done;
	ssize_t	 n;

	for (done = 0; done < w->len; done += (size_t)n)
		if ((n = send(j->in, w->p + done, w->len - done,
		    MSG_NOSIGNAL)) < 0) {
			if (errno != EINTR)
				return;
			n = 0;
		}
}

void
cover_send_title(struct cover_job *j, const char *title,
    const struct bookmeta *m)
{
	struct buf	 w = { NULL, 0, 0 };

	buf_puts(&w, title);
	buf_putc(&w, '\0');
	buf_puts(&w, m->subtitle != NULL ? m->subtitle : "");
	buf_putc(&w, '\0');
	buf_puts(&w, m->publisher != NULL ? m->publisher : "");
	buf_putc(&w, '\0');
	bookmeta_creators(m, &w);
	buf_putc(&w, '\0');
	send_all(j, &w);
	buf_free(&w);
	j->titled = 1;
}

void
cover_send(struct cover_job *j, const struct book *b)
{
	struct buf	 w = { NULL, 0, 0 };
	size_t		 i, n;

	if (!j->titled)
		cover_send_title(j, b->title, &b->meta);
	n = b->nchapters < COVER_CITIES ? b->nchapters : COVER_CITIES;
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&w, "  \xC2\xB7  ");
		buf_puts(&w, b->chapters[i].title);
	}
	if (b->nchapters > n)
		buf_printf(&w, "  \xC2\xB7  and %zu more", b->nchapters - n);
	buf_putc(&w, '\0');
	send_all(j, &w);
	buf_free(&w);
	close(j->in);
	j->in = -1;
}

/* Closes what is left of the job and waits for the helper: its status. */
static int
job_wait(struct cover_job *j)
{
	int	 status = -1;

	if (j->in >= 0)
		close(j->in);
	if (j->out >= 0)
		close(j->out);
	j->in = j->out = -1;
	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		continue;
	return status;
}

static void
job_free(struct cover_job *j)
{
	free(j->path);
	free(j);
}

int
cover_wait(struct cover_job *j, struct buf *png)
{
	int	 ok, status;

	/* Never sent the cities: the helper would wait for them. */
	if (j->in >= 0) {
		close(j->in);
		j->in = -1;
	}
	png->len = 0;
	ok = read_all(j->out, png) == 0 && png->len > 0;
	status = job_wait(j);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && ok) {
		job_free(j);
		return 0;
	}
	if (WIFSIGNALED(status))
		msg(LEVEL_ERROR, NULL, 0, 0, "cannot draw the cover: %s "
		    "died (signal %d)", j->path, WTERMSIG(status));
	else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		msg(LEVEL_ERROR, NULL, 0, 0, "cannot draw the cover: %s "
		    "failed (exit status %d)", j->path, WEXITSTATUS(status));
	else
		msg(LEVEL_ERROR, NULL, 0, 0, "cannot draw the cover: %s "
		    "wrote no picture", j->path);
	job_free(j);
	return -1;
}

void
cover_abort(struct cover_job *j)
{
	if (j != NULL) {
		job_wait(j);
		job_free(j);
	}
}
