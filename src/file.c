/* file.c: whole reads and writes at an offset, and unnamed scratch files. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "epub.h"

int
pread_all(int fd, void *p, size_t n, uint64_t off)
{
	ssize_t	 r;
	size_t	 done;

	for (done = 0; done < n; done += (size_t)r) {
		r = pread(fd, (char *)p + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR) {
			r = 0;
			continue;
		}
		if (r <= 0) {
			if (r == 0)
				errno = EIO;	/* shorter than it should be */
			return -1;
		}
	}
	return 0;
}

int
pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
	ssize_t	 w;
	size_t	 done;

	for (done = 0; done < n; done += (size_t)w) {
		w = pwrite(fd, (const char *)p + done, n - done,
		    (off_t)(off + done));
		if (w < 0) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			return -1;
		}
	}
	return 0;
}

const char *
scratch_dir(void)
{
	const char	*d;

	if ((d = getenv("TMPDIR")) == NULL || *d == '\0')
		d = "/tmp";
	return d;
}

/*
 * A scratch file in TMPDIR that has no name, so that nothing is left
 * behind however the program ends.  (tmpfile(3) ignores TMPDIR.)
 */
int
scratch_open(void)
{
	const char	*dir = scratch_dir();
	char		*name;
	int		 fd, e;

	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
	/* No O_TMPFILE on this file system: a name, removed at once. */
	name = xasprintf("%s/mkcitybook.XXXXXX", dir);
	if ((fd = mkostemp(name, O_CLOEXEC)) >= 0)
		unlink(name);
	e = errno;
	free(name);
	errno = e;
	return fd;
}
