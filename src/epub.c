/* epub.c: the container: libzip, a fixed entry order, atomic output. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zip.h>

#include "epub.h"

/* ------------------------------------------------------- the output file */

/*
 * libzip writes through this source.  The book goes to an unnamed file
 * (O_TMPFILE) in the output's folder, which the kernel removes if the
 * build dies, even by SIGKILL.  Only a complete book that passed its
 * own check gets a name: linked beside the output, then renamed over
 * it in one step.  Where O_TMPFILE is missing, a named temporary file
 * takes its place and is removed on failure and on catchable signals.
 */
/* Writes are buffered: libzip writes each local header, the data, then
 * seeks back to finish the header, which lands inside the buffer. */
#define OUTBUF		(256 * 1024)

struct outfile {
	char		*name;		/* the book, as the user named it */
	char		*path;		/* the book, links followed */
	char		*dir;		/* its folder */
	int		 fd;
	char		*buf;		/* bytes not yet written */
	uint64_t	 base;		/* file offset of buf[0] */
	size_t		 len;		/* bytes in buf */
	size_t		 pos;		/* libzip's position, in buf */
	int		 tmpfile;	/* fd is an O_TMPFILE */
	char		*tmpname;	/* named temporary, or NULL */
	mode_t		 mode;		/* 0666 & ~umask */
	zip_error_t	 error;
	char		*why;		/* what went wrong, for the user */
};

/* For the signal handler: the named temporary file to remove. */
static char *volatile cleanup_name;

static void
on_signal(int sig)
{
	if (cleanup_name != NULL)
		unlink(cleanup_name);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
catch_signals(int on)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGPIPE };
	size_t	 i;

	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], on ? on_signal : SIG_DFL);
}

static int
out_fail(struct outfile *o, int ze, int err, const char *what)
{
	zip_error_set(&o->error, ze, err);
	if (o->why == NULL)
		o->why = xasprintf("%s: %s", what, strerror(err));
	return -1;
}

/* The unnamed file, taken when the output is claimed. */
static int
out_unnamed(struct outfile *o)
{
	o->fd = open(o->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, o->mode);
	if (o->fd >= 0) {
		o->tmpfile = 1;
		return 0;
	}
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
	    errno != ENOENT)
		return out_fail(o, ZIP_ER_TMPOPEN, errno, "cannot create "
		    "the book");
	return 0;
}

/* When libzip begins: without O_TMPFILE, a named temporary beside the
 * book, made as late as can be. */
static int
out_begin(struct outfile *o)
{
	char	*base;

	if (o->fd >= 0)
		return 0;
	base = strrchr(o->path, '/');
	base = base != NULL ? base + 1 : o->path;
	o->tmpname = xasprintf("%s/.%s.XXXXXX", o->dir, base);
	if ((o->fd = mkostemp(o->tmpname, O_CLOEXEC)) < 0) {
		free(o->tmpname);
		o->tmpname = NULL;
		return out_fail(o, ZIP_ER_TMPOPEN, errno, "cannot create "
		    "the book");
	}
	fchmod(o->fd, o->mode);
	cleanup_name = o->tmpname;
	catch_signals(1);
	return 0;
}

static void
out_discard(struct outfile *o)
{
	free(o->buf);
	o->buf = NULL;
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmpname != NULL) {
		unlink(o->tmpname);
		cleanup_name = NULL;
		catch_signals(0);
		free(o->tmpname);
		o->tmpname = NULL;
	}
}

/* The EPUB's magic: mimetype first, stored, no extra field. */
static int
check_head(int fd)
{
	unsigned char	 h[58];

	if (pread(fd, h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -1;
	if (memcmp(h, "PK\3\4", 4) != 0 ||
	    (h[4] | h[5] << 8) > 20 ||		/* version needed */
	    (h[8] | h[9] << 8) != 0 ||		/* stored */
	    (h[26] | h[27] << 8) != 8 ||	/* name length */
	    (h[28] | h[29] << 8) != 0 ||	/* no extra field */
	    memcmp(h + 30, "mimetype", 8) != 0 ||
	    memcmp(h + 38, "application/epub+zip", 20) != 0)
		return -1;
	return 0;
}

/* Gives an unnamed file a name; 0, or -1 with errno set. */
static int
link_fd(int fd, const char *name)
{
	char	 proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	/* No /proc: the same by the descriptor (needs CAP_DAC_READ_SEARCH). */
	if (errno == ENOENT && linkat(fd, "", AT_FDCWD, name,
	    AT_EMPTY_PATH) == 0)
		return 0;
	return -1;
}

static int
out_commit(struct outfile *o)
{
	char	*tmp;
	int	 dirfd, k;

	if (check_head(o->fd) < 0) {
		errno = EPROTO;
		return out_fail(o, ZIP_ER_INTERNAL, EPROTO, "internal error: "
		    "the mimetype entry is not first and stored");
	}
	if (fsync(o->fd) < 0)
		return out_fail(o, ZIP_ER_WRITE, errno, "cannot write");
	if (o->tmpfile) {
		/* Where there is no book yet, the finished one takes its
		 * name in one step; else it gets one beside it, then
		 * replaces the old one in one step. */
		if (link_fd(o->fd, o->path) == 0)
			goto named;
		if (errno != EEXIST)
			return out_fail(o, ZIP_ER_RENAME, errno, "cannot name "
			    "the book");
		for (k = 0;; k++) {
			tmp = xasprintf("%s.%ld.%d.tmp", o->path,
			    (long)getpid(), k);
			if (link_fd(o->fd, tmp) == 0)
				break;
			free(tmp);
			if (errno != EEXIST || k > 100)
				return out_fail(o, ZIP_ER_RENAME, errno,
				    "cannot name the book");
		}
		if (rename(tmp, o->path) < 0) {
			k = errno;
			unlink(tmp);
			free(tmp);
			return out_fail(o, ZIP_ER_RENAME, k, "cannot replace "
			    "the book");
		}
		free(tmp);
	} else if (rename(o->tmpname, o->path) < 0)
		return out_fail(o, ZIP_ER_RENAME, errno, "cannot replace the "
		    "book");
named:
	close(o->fd);
	o->fd = -1;
	if (o->tmpname != NULL) {
		cleanup_name = NULL;
		catch_signals(0);
		free(o->tmpname);
		o->tmpname = NULL;
	}
	/* Make the rename itself durable. */
	if ((dirfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		fsync(dirfd);
		close(dirfd);
	}
	return 0;
}

/* Writes out what the buffer holds; 0, or -1.  Callers have put the
 * position at the end of it. */
static int
out_flush(struct outfile *o)
{
	if (pwrite_all(o->fd, o->buf, o->len, o->base) < 0)
		return out_fail(o, ZIP_ER_WRITE, errno, "cannot write");
	o->base += o->len;
	o->len = o->pos = 0;
	return 0;
}

static zip_int64_t
out_write(struct outfile *o, const char *p, zip_uint64_t len)
{
	zip_uint64_t	 done, n;

	for (done = 0; done < len; done += n) {
		/* A full buffer was written up to its end: pos == len. */
		if (o->pos == OUTBUF && out_flush(o) < 0)
			return -1;
		n = len - done < OUTBUF - o->pos ? len - done : OUTBUF - o->pos;
		memcpy(o->buf + o->pos, p + done, n);
		o->pos += n;
		if (o->pos > o->len)
			o->len = o->pos;
	}
	return (zip_int64_t)len;
}

static int
out_seek(struct outfile *o, uint64_t off)
{
	/* Within the buffer: just move.  Elsewhere: write it out first. */
	if (off >= o->base && off <= o->base + o->len) {
		o->pos = off - o->base;
		return 0;
	}
	o->pos = o->len;
	if (out_flush(o) < 0)
		return -1;
	o->base = off;
	return 0;
}

static zip_int64_t
out_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct outfile		*o = ud;
	zip_source_args_seek_t	*seek;
	zip_int64_t		 off;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_SEEK,
		    ZIP_SOURCE_TELL, ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR,
		    ZIP_SOURCE_FREE, ZIP_SOURCE_BEGIN_WRITE,
		    ZIP_SOURCE_COMMIT_WRITE, ZIP_SOURCE_ROLLBACK_WRITE,
		    ZIP_SOURCE_WRITE, ZIP_SOURCE_SEEK_WRITE,
		    ZIP_SOURCE_TELL_WRITE, ZIP_SOURCE_REMOVE, -1);
	case ZIP_SOURCE_STAT:
		/* A new archive every time: "no such file". */
		zip_error_set(&o->error, ZIP_ER_READ, ENOENT);
		return -1;
	case ZIP_SOURCE_BEGIN_WRITE:
		o->buf = xmalloc(OUTBUF);
		o->base = o->len = o->pos = 0;
		return out_begin(o);
	case ZIP_SOURCE_WRITE:
		return out_write(o, data, len);
	case ZIP_SOURCE_SEEK_WRITE:
		seek = ZIP_SOURCE_GET_ARGS(zip_source_args_seek_t, data, len,
		    &o->error);
		if (seek == NULL)
			return -1;
		off = seek->whence == SEEK_SET ? seek->offset :
		    seek->whence == SEEK_CUR ? (zip_int64_t)(o->base +
		    o->pos) + seek->offset : (zip_int64_t)(o->base + o->len) +
		    seek->offset;
		if (off < 0) {
			zip_error_set(&o->error, ZIP_ER_INVAL, 0);
			return -1;
		}
		return out_seek(o, (uint64_t)off);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)(o->base + o->pos);
	case ZIP_SOURCE_COMMIT_WRITE:
		o->pos = o->len;
		if (out_flush(o) < 0)
			return -1;
		return out_commit(o);
	case ZIP_SOURCE_ROLLBACK_WRITE:
		out_discard(o);
		return 0;
	case ZIP_SOURCE_REMOVE:
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&o->error, data, len);
	case ZIP_SOURCE_FREE:
		return 0;
	default:
		zip_error_set(&o->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* ------------------------------------------------------------ the entries */

/*
 * Every part but the images is deflated into the book's spill before
 * the zip is opened: the pages, the package, the navigation and the
 * chapters.  libzip then copies each as it is.  It reads one entry at a
 * time, so the entries share the writer's read position, and are small
 * (a book may have a hundred thousand).
 */
enum fixed {
	F_CONTAINER,
	F_OPF,
	F_CSS,
	F_COVER,
	F_TITLEPAGE,
	F_COLOPHON,
	F_NAV,
	F_NCX,
	F_N
};

struct entry;

struct writer {
	struct book	*b;
	struct entry	*entries;	/* F_N fixed parts, then chapters */
	size_t		 nchapters;
	const struct entry *cur;	/* the entry libzip is reading */
	uint64_t	 rpos;		/* and where */
	size_t		 done;		/* chapters written */
	uint64_t	 bytes;		/* compressed bytes written */
	char		*why;		/* first failure, for the user */
	zip_error_t	 error;
};

struct entry {
	struct writer	*w;
	struct part	 p;
};

/* Writes fixed part k into z; 0, or -1. */
static int
make_part(struct book *b, const struct templates *t, enum fixed k,
    struct zout *z)
{
	switch (k) {
	case F_CONTAINER:
		return package_container(z);
	case F_OPF:
		return package_opf(b, z);
	case F_CSS:
		return zout_write(z, t->css, t->csslen);
	case F_COVER:
		return page_cover(b, t, z);
	case F_TITLEPAGE:
		return page_titlepage(b, t, z);
	case F_COLOPHON:
		return page_colophon(b, t, z);
	case F_NAV:
		return package_nav(b, t, z);
	case F_NCX:
		return package_ncx(b, z);
	default:
		return -1;
	}
}

/*
 * The fixed parts are built side by side, the biggest first, then put
 * in the spill one after another.  The package, the contents and the
 * NCX grow with the book: up to this many chapters they are deflated
 * into memory; beyond, each into a scratch file of its own, then copied
 * to the spill, so that memory stays flat (at 100,000 chapters they are
 * 14 MB deflated, from 77 MB of XML).
 */
#define PARTS_IN_MEMORY	10000

static const enum fixed part_order[F_N] = {
	F_NAV, F_NCX, F_OPF, F_TITLEPAGE, F_COLOPHON, F_COVER, F_CSS,
	F_CONTAINER
};

/* Whether the book has fixed part k: all but the cover page always. */
static int
has_part(const struct book *b, enum fixed k)
{
	return k != F_COVER || b->cover != NULL;
}

/* Whether part k goes to a scratch file while it is made. */
static int
to_scratch(const struct book *b, enum fixed k)
{
	return b->nchapters > PARTS_IN_MEMORY &&
	    (k == F_OPF || k == F_NAV || k == F_NCX);
}

struct parts {
	struct book		*b;
	const struct templates	*t;
	struct zout		 z[F_N];
	int			 rc[F_N];
};

static void
part_job(size_t j, void *ctx)
{
	struct parts	*ps = ctx;
	enum fixed	 k = part_order[j];
	struct zout	*z = &ps->z[k];
	int		 fd;

	zout_init(z, -1, 0);
	if (!has_part(ps->b, k))
		return;
	if (to_scratch(ps->b, k)) {
		if ((fd = scratch_open()) < 0) {
			z->err = errno;
			ps->rc[k] = -1;
			return;
		}
		zout_init(z, fd, 0);
	}
	ps->rc[k] = make_part(ps->b, ps->t, k, z) < 0 ||
	    zout_finish(z) < 0 ? -1 : 0;
	if (ps->rc[k] < 0 && z->err == 0)
		z->err = EIO;
}

/* Part k, made by part_job, into the spill; 0, or -1 with errno set. */
static int
part_put(struct writer *w, struct parts *ps, enum fixed k)
{
	struct zout	*z = &ps->z[k];

	if (ps->rc[k] < 0) {
		errno = z->err;
		return -1;
	}
	return z->fd >= 0 ? book_part_copy(w->b, z, &w->entries[k].p) :
	    book_part_put(w->b, z, &w->entries[k].p);
}

/* The fixed parts, deflated into the spill. */
static int
make_parts(struct writer *w, const struct templates *t)
{
	struct book	*b = w->b;
	struct parts	*ps;
	struct zout	 z;
	enum fixed	 k;
	int		 rc = 0;

	if (b->jobs > 1) {
		ps = xcalloc(1, sizeof(*ps));
		ps->b = b;
		ps->t = t;
		pool_for(F_N, b->jobs, part_job, ps);
		for (k = 0; k < F_N; k++) {
			if (rc == 0 && has_part(b, k) &&
			    part_put(w, ps, k) < 0) {
				book_spill_failed(errno);
				rc = -1;
			}
			if (ps->z[k].fd >= 0)
				close(ps->z[k].fd);
			zout_free(&ps->z[k]);
		}
		free(ps);
		return rc;
	}
	/* One thread: each straight into the spill. */
	for (k = 0; k < F_N; k++) {
		if (!has_part(b, k))
			continue;
		if (book_part_begin(b, &z) < 0) {
			book_spill_failed(z.err);
			return -1;
		}
		if (make_part(b, t, k, &z) < 0 ||
		    book_part_end(b, &z, &w->entries[k].p) < 0) {
			book_spill_failed(z.err ? z.err : EIO);
			zout_free(&z);
			return -1;
		}
		zout_free(&z);
	}
	return 0;
}

static zip_int64_t
entry_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct entry	*e = ud;
	struct writer	*w = e->w;
	zip_stat_t	*st;
	size_t		 i;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	case ZIP_SOURCE_STAT:
		if (len < sizeof(*st)) {
			zip_error_set(&w->error, ZIP_ER_INVAL, 0);
			return -1;
		}
		st = data;
		zip_stat_init(st);
		/* Already deflated: libzip copies it as it is. */
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
		    ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
		    ZIP_STAT_ENCRYPTION_METHOD;
		st->size = e->p.usize;
		st->comp_size = e->p.zlen;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = e->p.crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof(*st);
	case ZIP_SOURCE_OPEN:
		w->cur = e;
		w->rpos = 0;
		i = (size_t)(e - w->entries);
		if (i >= F_N && i - F_N < w->nchapters) {
			w->done++;
			progress_update("writing %zu/%zu chapters, %.1f MB",
			    w->done, w->nchapters, (double)w->bytes / 1e6);
		}
		return 0;
	case ZIP_SOURCE_READ:
		if (w->cur != e) {
			zip_error_set(&w->error, ZIP_ER_INTERNAL, 0);
			return -1;
		}
		if (len > e->p.zlen - w->rpos)
			len = e->p.zlen - w->rpos;
		if (book_spill_read(w->b, e->p.off + w->rpos, data, len) < 0) {
			if (w->why == NULL)
				w->why = xasprintf("cannot read a temporary "
				    "file in %s: %s", scratch_dir(),
				    strerror(errno));
			zip_error_set(&w->error, ZIP_ER_READ, errno);
			return -1;
		}
		w->rpos += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_CLOSE:
		w->cur = NULL;
		w->bytes += e->p.zlen;
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&w->error, data, len);
	case ZIP_SOURCE_FREE:
		return 0;		/* the entries are one array */
	default:
		zip_error_set(&w->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* ---------------------------------------------------------------- adding */

struct zipctx {
	zip_t		*za;
	zip_uint16_t	 dtime;
	zip_uint16_t	 ddate;
	int		 err;
};

/* Same time and permissions on every entry, so the bytes never vary. */
static void
add_source(struct zipctx *z, const char *name, zip_source_t *src,
    int store)
{
	zip_int64_t	 idx;

	if (z->err)
		return;
	if ((idx = zip_file_add(z->za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		z->err = 1;
		return;
	}
	if ((store && zip_set_file_compression(z->za, (zip_uint64_t)idx,
	    ZIP_CM_STORE, 0) < 0) ||
	    zip_file_set_dostime(z->za, (zip_uint64_t)idx, z->dtime, z->ddate,
	    0) < 0 ||
	    zip_file_set_external_attributes(z->za, (zip_uint64_t)idx, 0,
	    ZIP_OPSYS_UNIX, (zip_uint32_t)0100644 << 16) < 0)
		z->err = 1;
}

/* A part from the spill. */
static void
add_entry(struct zipctx *z, const char *name, struct entry *e)
{
	zip_source_t	*src;
	zip_error_t	 err;

	if (z->err)
		return;
	zip_error_init(&err);
	if ((src = zip_source_function_create(entry_cb, e, &err)) == NULL) {
		z->err = 1;
		return;
	}
	add_source(z, name, src, 0);
}

/* A file of the content folder, stored: images are compressed already. */
static void
add_file(struct zipctx *z, const struct book *b, const char *name,
    const char *src)
{
	zip_source_t	*s;
	char		*path;

	if (z->err)
		return;
	path = strcmp(b->dir, ".") == 0 ? xstrdup(src) :
	    xasprintf("%s/%s", b->dir, src);
	if ((s = zip_source_file(z->za, path, 0, -1)) == NULL)
		z->err = 1;
	else
		add_source(z, name, s, 1);
	free(path);
}

/* DOS date and time in UTC, from 1980 (the earliest DOS can say). */
static void
dos_time(time_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	struct tm	 tm;

	if (t < 315532800)
		t = 315532800;
	gmtime_r(&t, &tm);
	if (tm.tm_year > 207)
		tm.tm_year = 207;
	*dtime = (zip_uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 |
	    tm.tm_sec / 2);
	*ddate = (zip_uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 |
	    tm.tm_mday);
}

/* Checks the output path before any work: a folder that exists, and no
 * folder or device where the book should go. */
static int
check_output(const char *path, char **real, char **dir)
{
	struct stat	 st;
	char		*slash, *target;

	*real = *dir = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (target = realpath(path, NULL)) != NULL) {
		/* Keep the link: write the file it points to. */
		path = target;
		*real = target;
	} else
		*real = xstrdup(path);
	if (stat(*real, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			msg(LEVEL_ERROR, path, 0, 0, "is a folder; give the "
			    "name of the book to write, like %s/book.epub",
			    path);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			msg(LEVEL_ERROR, path, 0, 0, "not a regular file; "
			    "refusing to replace it");
			return -1;
		}
	}
	if ((slash = strrchr(*real, '/')) == NULL)
		*dir = xstrdup(".");
	else if (slash == *real)
		*dir = xstrdup("/");
	else
		*dir = xstrndup(*real, (size_t)(slash - *real));
	if (stat(*dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		msg(LEVEL_ERROR, path, 0, 0, "cannot write the book: no folder "
		    "'%s'", *dir);
		return -1;
	}
	if (access(*dir, W_OK) < 0) {
		msg(LEVEL_ERROR, path, 0, 0, "cannot write the book: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

struct outfile *
epub_claim(const char *path)
{
	struct outfile	*o;
	mode_t		 mask;

	o = xcalloc(1, sizeof(*o));
	o->fd = -1;
	o->name = xstrdup(path);
	zip_error_init(&o->error);
	mask = umask(0);
	umask(mask);
	o->mode = 0666 & ~mask;
	if (check_output(path, &o->path, &o->dir) < 0)
		goto fail;
	if (out_unnamed(o) < 0) {
		msg(LEVEL_ERROR, path, 0, 0, "%s", o->why);
		goto fail;
	}
	return o;
fail:
	epub_abandon(o);
	return NULL;
}

void
epub_abandon(struct outfile *o)
{
	if (o == NULL)
		return;
	out_discard(o);
	zip_error_fini(&o->error);
	free(o->why);
	free(o->name);
	free(o->path);
	free(o->dir);
	free(o);
}

/* The chapters' names, packed, to outlive the chapters. */
static char *
pack_slugs(const struct book *b)
{
	size_t	 i, len;
	char	*p, *q;

	for (i = len = 0; i < b->nchapters; i++)
		len += strlen(b->chapters[i].slug) + 1;
	p = q = xmalloc(len + 1);
	for (i = 0; i < b->nchapters; i++)
		q = stpcpy(q, b->chapters[i].slug) + 1;
	return p;
}

/* Everything in the book, in its fixed order, for libzip. */
static int
add_all(struct zipctx *z, struct writer *w, const char *slugs)
{
	const struct book	*b = w->b;
	struct entry		*e = w->entries;
	char			 name[512];
	size_t			 i;

	/* The order is fixed: mimetype, container.xml, the package, then
	 * the parts in reading order, and the navigation last. */
	add_source(z, "mimetype", zip_source_buffer(z->za,
	    "application/epub+zip", 20, 0), 1);
	add_entry(z, "META-INF/container.xml", &e[F_CONTAINER]);
	add_entry(z, "EPUB/content.opf", &e[F_OPF]);
	add_entry(z, "EPUB/css/book.css", &e[F_CSS]);
	if (b->cover != NULL) {
		snprintf(name, sizeof(name), "EPUB/%s", b->cover->href);
		if (b->cover->data.len > 0)
			add_source(z, name, zip_source_buffer(z->za,
			    b->cover->data.p, b->cover->data.len, 0), 1);
		else
			add_file(z, b, name, b->cover->src);
	}
	for (i = 0; i < b->nimages; i++) {
		snprintf(name, sizeof(name), "EPUB/%s", b->images[i].href);
		add_file(z, b, name, b->images[i].src);
	}
	if (b->cover != NULL)
		add_entry(z, "EPUB/text/cover.xhtml", &e[F_COVER]);
	add_entry(z, "EPUB/text/titlepage.xhtml", &e[F_TITLEPAGE]);
	for (i = 0; i < w->nchapters; i++) {
		snprintf(name, sizeof(name), "EPUB/text/%s.xhtml", slugs);
		add_entry(z, name, &e[F_N + i]);
		slugs += strlen(slugs) + 1;
	}
	add_entry(z, "EPUB/text/colophon.xhtml", &e[F_COLOPHON]);
	add_entry(z, "EPUB/nav.xhtml", &e[F_NAV]);
	add_entry(z, "EPUB/toc.ncx", &e[F_NCX]);
	return z->err ? -1 : 0;
}

int
epub_write(struct outfile *o, struct book *b, const struct templates *t)
{
	struct writer	 w;
	struct zipctx	 z;
	zip_source_t	*src;
	zip_error_t	 zerr;
	char		*slugs;
	size_t		 i;
	int		 rc;

	memset(&w, 0, sizeof(w));
	memset(&z, 0, sizeof(z));
	zip_error_init(&zerr);
	zip_error_init(&w.error);

	/* Everything into the spill first: pass two, the fixed parts. */
	w.b = b;
	w.nchapters = b->nchapters;
	w.entries = xcalloc(F_N + b->nchapters, sizeof(*w.entries));
	for (i = 0; i < F_N + b->nchapters; i++)
		w.entries[i].w = &w;
	if (book_render(b, t) < 0 || make_parts(&w, t) < 0 ||
	    book_cover_ready(b) < 0) {
		rc = -1;
		goto done;
	}
	for (i = 0; i < b->nchapters; i++)
		w.entries[F_N + i].p = b->chapters[i].xhtml;
	/* From here the chapters are bytes in the spill and names: the
	 * rest of what they held goes, before libzip's share comes. */
	slugs = pack_slugs(b);
	book_drop_chapters(b);

	if ((src = zip_source_function_create(out_cb, o, &zerr)) == NULL ||
	    (z.za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE,
	    &zerr)) == NULL) {
		msg(LEVEL_ERROR, o->name, 0, 0, "cannot write the book: %s",
		    zip_error_strerror(&zerr));
		if (src != NULL)
			zip_source_free(src);
		free(slugs);
		rc = -1;
		goto done;
	}
	dos_time(b->modified, &z.dtime, &z.ddate);
	rc = add_all(&z, &w, slugs);
	free(slugs);
	if (rc < 0) {
		msg(LEVEL_ERROR, o->name, 0, 0, "cannot write the book: %s",
		    zip_strerror(z.za));
		zip_discard(z.za);
		goto done;
	}
	if ((rc = zip_close(z.za)) < 0) {
		msg(LEVEL_ERROR, o->name, 0, 0, "%s", w.why != NULL ? w.why :
		    o->why != NULL ? o->why : zip_strerror(z.za));
		zip_discard(z.za);
	}
	progress_done();
done:
	epub_abandon(o);
	free(w.entries);
	free(w.why);
	zip_error_fini(&w.error);
	zip_error_fini(&zerr);
	return rc < 0 ? -1 : 0;
}
