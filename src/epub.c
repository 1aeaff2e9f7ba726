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
#define OUTBUF		(1024 * 1024)

struct outfile {
	char		*path;		/* the book */
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

static int
out_begin(struct outfile *o)
{
	char	*base;

	o->fd = open(o->dir, O_TMPFILE | O_RDWR | O_CLOEXEC, o->mode);
	if (o->fd >= 0) {
		o->tmpfile = 1;
		return 0;
	}
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL &&
	    errno != ENOENT)
		return out_fail(o, ZIP_ER_TMPOPEN, errno, "cannot create "
		    "the book");
	/* No O_TMPFILE here: a named temporary beside the book. */
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

static int
out_commit(struct outfile *o)
{
	char	 proc[64], *tmp;
	int	 dirfd, k;

	if (check_head(o->fd) < 0) {
		errno = EPROTO;
		return out_fail(o, ZIP_ER_INTERNAL, EPROTO, "internal error: "
		    "the mimetype entry is not first and stored");
	}
	if (fsync(o->fd) < 0)
		return out_fail(o, ZIP_ER_WRITE, errno, "cannot write");
	if (o->tmpfile) {
		/* Give the finished book a name beside its place. */
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
		for (k = 0;; k++) {
			tmp = xasprintf("%s.%ld.%d.tmp", o->path,
			    (long)getpid(), k);
			if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp,
			    AT_SYMLINK_FOLLOW) == 0 ||
			    (errno == ENOENT && linkat(o->fd, "", AT_FDCWD,
			    tmp, AT_EMPTY_PATH) == 0))
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
	size_t	 done;
	ssize_t	 n;

	for (done = 0; done < o->len; done += (size_t)n) {
		n = pwrite(o->fd, o->buf + done, o->len - done,
		    (off_t)(o->base + done));
		if (n < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			return out_fail(o, ZIP_ER_WRITE, errno, "cannot write");
		}
	}
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

enum ekind {
	E_CONTAINER,
	E_OPF,
	E_CSS,
	E_COVER,
	E_TITLEPAGE,
	E_CHAPTER,
	E_COLOPHON,
	E_NAV,
	E_NCX,
};

struct writer {
	const struct book	*b;
	const struct templates	*t;
	struct pipeline		*pipe;		/* renders what pass one did not */
	size_t			*deferred;	/* those chapters, in order */
	size_t			 ndeferred;
	size_t			 done;		/* chapters written */
	uint64_t		 bytes;		/* compressed bytes so far */
	char			*why;		/* first failure, for the user */
	char			*where;		/* its file */
	zip_error_t		 error;		/* of the entry being written */
};

/*
 * One zip entry whose content is made when libzip asks for it: either
 * deflated here, or a chapter deflated in pass one, read from the spill.
 * Small, for there may be a hundred thousand; libzip writes them one at
 * a time, so they share the writer's error.
 */
struct entry {
	struct writer	*w;
	struct zout	*z;		/* while it is made and read */
	uint64_t	 usize;		/* sizes and CRC, for libzip's stats */
	uint64_t	 csize;
	uint64_t	 rpos;		/* read position in the spill */
	uint32_t	 crc;
	uint32_t	 index;		/* of the chapter */
	uint32_t	 nth;		/* of the deferred chapters */
	unsigned char	 kind;		/* enum ekind */
	unsigned char	 made;
	unsigned char	 spilled;	/* the bytes are in the book's spill */
};

static int
fail(struct writer *w, const char *where, char *why)
{
	if (w->why == NULL) {
		w->why = why;
		w->where = where != NULL ? xstrdup(where) : NULL;
	} else
		free(why);
	return -1;
}

/*
 * A chapter: pass one has it deflated in the spill, or the pipeline
 * renders it now (it links to other chapters or shows images).
 */
static int
make_chapter(struct entry *e)
{
	struct writer		*w = e->w;
	const struct chapter	*c = &w->b->chapters[e->index];
	struct rendered		*r;
	char			*path;

	if (c->rendered) {
		e->spilled = 1;
		e->csize = c->zlen;
		e->usize = c->usize;
		e->crc = c->zcrc;
	} else {
		r = pipeline_take(w->pipe, e->nth);
		path = book_path(w->b, c->src);
		diag_print(&r->diags, path);
		if (r->error != NULL) {
			fail(w, path, r->error);
			free(path);
			r->error = NULL;
			rendered_free(r);
			free(r);
			return -1;
		}
		free(path);
		e->z = xmalloc(sizeof(*e->z));
		*e->z = r->z;
		memset(&r->z, 0, sizeof(r->z));
		rendered_free(r);
		free(r);
	}
	w->done++;
	progress_update("writing %zu/%zu chapters, %.1f MB",
	    w->done, w->b->nchapters, (double)w->bytes / 1e6);
	return 0;
}

static int
make(struct entry *e)
{
	struct writer	*w = e->w;
	int		 rc, spill;

	if (e->kind == E_CHAPTER)
		rc = make_chapter(e);
	else {
		spill = e->kind == E_NAV || e->kind == E_NCX ||
		    e->kind == E_OPF;
		e->z = xmalloc(sizeof(*e->z));
		if (zout_init(e->z, spill) < 0)
			return fail(w, NULL, xasprintf("cannot create a "
			    "temporary file: %s", strerror(e->z->err)));
		switch (e->kind) {
		case E_CONTAINER:
			rc = package_container(e->z);
			break;
		case E_OPF:
			rc = package_opf(w->b, e->z);
			break;
		case E_CSS:
			rc = zout_write(e->z, w->t->css, w->t->csslen);
			break;
		case E_COVER:
			rc = page_cover(w->b, w->t, e->z);
			break;
		case E_TITLEPAGE:
			rc = page_titlepage(w->b, w->t, e->z);
			break;
		case E_COLOPHON:
			rc = page_colophon(w->b, w->t, e->z);
			break;
		case E_NAV:
			rc = package_nav(w->b, w->t, e->z);
			break;
		case E_NCX:
			rc = package_ncx(w->b, e->z);
			break;
		default:
			rc = -1;
			break;
		}
		if (rc < 0 || zout_finish(e->z) < 0)
			return fail(w, NULL, xasprintf("cannot write a part of "
			    "the book: %s", strerror(e->z->err ? e->z->err :
			    EIO)));
	}
	if (rc < 0)
		return -1;
	if (e->z != NULL) {
		e->csize = e->z->csize;
		e->usize = e->z->usize;
		e->crc = e->z->crc;
	}
	w->bytes += e->csize;
	return 0;
}

static void
entry_release(struct entry *e)
{
	if (e->z != NULL) {
		zout_free(e->z);
		free(e->z);
		e->z = NULL;
	}
}

static zip_int64_t
entry_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct entry	*e = ud;
	zip_error_t	*err = &e->w->error;
	zip_stat_t	*st;
	long		 n;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
		    ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
		    ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	case ZIP_SOURCE_STAT:
		/* libzip asks just before it writes the entry: make it now. */
		if (!e->made) {
			if (make(e) < 0) {
				zip_error_set(err, ZIP_ER_INTERNAL, 0);
				return -1;
			}
			e->made = 1;
		}
		if (len < sizeof(*st)) {
			zip_error_set(err, ZIP_ER_INVAL, 0);
			return -1;
		}
		st = data;
		zip_stat_init(st);
		/* Already deflated: libzip copies it as it is. */
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
		    ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
		    ZIP_STAT_ENCRYPTION_METHOD;
		st->size = e->usize;
		st->comp_size = e->csize;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = e->crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof(*st);
	case ZIP_SOURCE_OPEN:
		e->rpos = 0;
		if (e->z != NULL) {
			e->z->rpos = 0;
			if (e->z->spill != NULL &&
			    fseeko(e->z->spill, 0, SEEK_SET) < 0) {
				zip_error_set(err, ZIP_ER_SEEK, errno);
				return -1;
			}
		}
		return 0;
	case ZIP_SOURCE_READ:
		if (e->spilled) {
			if (len > e->csize - e->rpos)
				len = e->csize - e->rpos;
			if (book_spill_read(e->w->b, e->w->b->chapters[
			    e->index].spill_off + e->rpos, data, len) < 0) {
				zip_error_set(err, ZIP_ER_READ, errno);
				return -1;
			}
			e->rpos += len;
			return (zip_int64_t)len;
		}
		if ((n = zout_read(e->z, data, len)) < 0) {
			zip_error_set(err, ZIP_ER_READ, e->z->err);
			return -1;
		}
		return n;
	case ZIP_SOURCE_CLOSE:
		/* The sizes stay for libzip's last stat; the bytes go. */
		entry_release(e);
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(err, data, len);
	case ZIP_SOURCE_FREE:
		entry_release(e);
		free(e);
		return 0;
	default:
		zip_error_set(err, ZIP_ER_OPNOTSUPP, 0);
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

static struct entry *
add_entry(struct zipctx *z, struct writer *w, const char *name,
    enum ekind kind, size_t index)
{
	struct entry	*e;
	zip_source_t	*src;
	zip_error_t	 err;

	if (z->err)
		return NULL;
	e = xcalloc(1, sizeof(*e));
	e->w = w;
	e->kind = (unsigned char)kind;
	e->index = (uint32_t)index;
	zip_error_init(&err);
	if ((src = zip_source_function_create(entry_cb, e, &err)) == NULL) {
		free(e);
		z->err = 1;
		return NULL;
	}
	add_source(z, name, src, 0);
	return e;
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

static void *
render_job(size_t k, void *ctx)
{
	struct writer	*w = ctx;
	struct rendered	*r;

	r = xmalloc(sizeof(*r));
	render_chapter(w->b, w->t, w->deferred[k], r);
	return r;
}

static void
release_job(void *p)
{
	rendered_free(p);
	free(p);
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

int
epub_output_ok(const char *path)
{
	char	*real, *dir;
	int	 rc;

	rc = check_output(path, &real, &dir);
	free(real);
	free(dir);
	return rc;
}

int
epub_write(const struct book *b, const struct templates *t,
    const char *path)
{
	struct outfile	 o;
	struct writer	 w;
	struct zipctx	 z;
	struct entry	*e;
	zip_source_t	*src;
	zip_error_t	 zerr;
	mode_t		 mask;
	char		 name[512];
	size_t		 i;
	int		 rc;

	memset(&o, 0, sizeof(o));
	memset(&w, 0, sizeof(w));
	memset(&z, 0, sizeof(z));
	o.fd = -1;
	if (check_output(path, &o.path, &o.dir) < 0) {
		free(o.path);
		free(o.dir);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	o.mode = 0666 & ~mask;
	zip_error_init(&o.error);
	zip_error_init(&zerr);

	w.b = b;
	w.t = t;
	zip_error_init(&w.error);
	w.deferred = xcalloc(b->nchapters + 1, sizeof(*w.deferred));
	if ((src = zip_source_function_create(out_cb, &o, &zerr)) == NULL ||
	    (z.za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE,
	    &zerr)) == NULL) {
		msg(LEVEL_ERROR, path, 0, 0, "cannot write the book: %s",
		    zip_error_strerror(&zerr));
		if (src != NULL)
			zip_source_free(src);
		free(w.deferred);
		free(o.path);
		free(o.dir);
		return -1;
	}
	dos_time(b->modified, &z.dtime, &z.ddate);

	/* The order is fixed: mimetype, container.xml, the package, then
	 * the parts in reading order, and the navigation last, because it
	 * is made from the chapters as they are written. */
	add_source(&z, "mimetype", zip_source_buffer(z.za,
	    "application/epub+zip", 20, 0), 1);
	add_entry(&z, &w, "META-INF/container.xml", E_CONTAINER, 0);
	add_entry(&z, &w, "EPUB/content.opf", E_OPF, 0);
	add_entry(&z, &w, "EPUB/css/book.css", E_CSS, 0);
	if (b->cover != NULL) {
		snprintf(name, sizeof(name), "EPUB/%s", b->cover->href);
		if (b->cover->data.len > 0)
			add_source(&z, name, zip_source_buffer(z.za,
			    b->cover->data.p, b->cover->data.len, 0), 1);
		else
			add_file(&z, b, name, b->cover->src);
	}
	for (i = 0; i < b->nimages; i++) {
		snprintf(name, sizeof(name), "EPUB/%s", b->images[i].href);
		add_file(&z, b, name, b->images[i].src);
	}
	if (b->cover != NULL)
		add_entry(&z, &w, "EPUB/text/cover.xhtml", E_COVER, 0);
	add_entry(&z, &w, "EPUB/text/titlepage.xhtml", E_TITLEPAGE, 0);
	for (i = 0; i < b->nchapters; i++) {
		snprintf(name, sizeof(name), "EPUB/text/%s.xhtml",
		    b->chapters[i].slug);
		if ((e = add_entry(&z, &w, name, E_CHAPTER, i)) != NULL &&
		    !b->chapters[i].rendered) {
			e->nth = (uint32_t)w.ndeferred;
			w.deferred[w.ndeferred++] = i;
		}
	}
	add_entry(&z, &w, "EPUB/text/colophon.xhtml", E_COLOPHON, 0);
	add_entry(&z, &w, "EPUB/nav.xhtml", E_NAV, 0);
	add_entry(&z, &w, "EPUB/toc.ncx", E_NCX, 0);
	if (z.err) {
		msg(LEVEL_ERROR, path, 0, 0, "cannot write the book: %s",
		    zip_strerror(z.za));
		zip_discard(z.za);
		free(w.deferred);
		free(o.path);
		free(o.dir);
		return -1;
	}

	/* What pass one left renders ahead on the workers, in a bounded
	 * window. */
	w.pipe = pipeline_start(w.ndeferred, b->jobs,
	    (size_t)(b->jobs > 1 ? 4 * b->jobs : 1), render_job, &w);
	rc = zip_close(z.za);
	if (rc < 0) {
		if (w.why != NULL)
			msg(LEVEL_ERROR, w.where != NULL ? w.where : path, 0, 0,
			    "%s", w.why);
		else
			msg(LEVEL_ERROR, path, 0, 0, "%s", o.why != NULL ?
			    o.why : zip_strerror(z.za));
		zip_discard(z.za);
	}
	pipeline_stop(w.pipe, release_job);
	progress_done();
	out_discard(&o);
	free(w.deferred);
	free(w.why);
	free(w.where);
	zip_error_fini(&w.error);
	free(o.why);
	free(o.path);
	free(o.dir);
	return rc < 0 ? -1 : 0;
}
