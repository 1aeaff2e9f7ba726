/* pool.c: worker threads for the two passes over the articles. */
#include <pthread.h>
#include <stdlib.h>

#include "epub.h"

/* ----------------------------------------------------------- parallel for */

struct forjob {
	pthread_mutex_t	 mu;
	size_t		 next;
	size_t		 n;
	void		(*fn)(size_t, void *);
	void		*ctx;
};

static void *
for_worker(void *arg)
{
	struct forjob	*j = arg;
	size_t		 i;

	for (;;) {
		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->n)
			return NULL;
		j->fn(i, j->ctx);
	}
}

/*
 * Runs fn(i, ctx) for every i < n, on up to jobs threads, this one
 * included.  The calls may come in any order; fn writes only to its own
 * slot i.
 */
void
pool_for(size_t n, int jobs, void (*fn)(size_t, void *), void *ctx)
{
	struct forjob	 j;
	pthread_t	*t;
	int		 i, nt;

	if (jobs <= 1 || n <= 1) {
		for (j.next = 0; j.next < n; j.next++)
			fn(j.next, ctx);
		return;
	}
	pthread_mutex_init(&j.mu, NULL);
	j.next = 0;
	j.n = n;
	j.fn = fn;
	j.ctx = ctx;
	/* The calling thread is one of the workers. */
	nt = ((size_t)jobs > n ? (int)n : jobs) - 1;
	t = xcalloc((size_t)nt, sizeof(*t));
	for (i = 0; i < nt; i++)
		if (pthread_create(&t[i], NULL, for_worker, &j) != 0)
			break;
	/* Whatever threads could not start, this one makes up for. */
	for_worker(&j);
	while (i-- > 0)
		pthread_join(t[i], NULL);
	free(t);
	pthread_mutex_destroy(&j.mu);
}
