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
 * Runs fn(i, ctx) for every i < n, on up to jobs threads.  The calls
 * may come in any order; fn writes only to its own slot i.
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
	nt = (size_t)jobs > n ? (int)n : jobs;
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

/* -------------------------------------------------------- the pipeline */

/*
 * Workers produce results 0..n-1 at most `window` ahead of a consumer
 * that takes them in order.  Memory stays bounded by the window, and
 * the output does not depend on which thread made what.
 */
struct pipeline {
	pthread_mutex_t	 mu;
	pthread_cond_t	 ready;		/* a result was stored */
	pthread_cond_t	 space;		/* the consumer moved on */
	size_t		 n;
	size_t		 next;		/* next index to produce */
	size_t		 taken;		/* next index the consumer takes */
	size_t		 window;
	void	       **slot;		/* results by index % window */
	int		 stop;
	void		*(*fn)(size_t, void *);
	void		*ctx;
	pthread_t	*threads;
	int		 nthreads;
};

static void *
pipe_worker(void *arg)
{
	struct pipeline	*p = arg;
	size_t		 i;
	void		*r;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->stop && p->next < p->n &&
		    p->next >= p->taken + p->window)
			pthread_cond_wait(&p->space, &p->mu);
		if (p->stop || p->next >= p->n)
			break;
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		r = p->fn(i, p->ctx);
		pthread_mutex_lock(&p->mu);
		p->slot[i % p->window] = r;
		pthread_cond_broadcast(&p->ready);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct pipeline *
pipeline_start(size_t n, int jobs, size_t window,
    void *(*fn)(size_t, void *), void *ctx)
{
	struct pipeline	*p;
	int		 i;

	p = xcalloc(1, sizeof(*p));
	p->n = n;
	p->fn = fn;
	p->ctx = ctx;
	p->window = window < 1 ? 1 : window;
	p->slot = xcalloc(p->window, sizeof(*p->slot));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->space, NULL);
	if (jobs > 1 && n > 1) {
		p->threads = xcalloc((size_t)jobs, sizeof(*p->threads));
		for (i = 0; i < jobs; i++) {
			if (pthread_create(&p->threads[i], NULL, pipe_worker,
			    p) != 0)
				break;
			p->nthreads++;
		}
	}
	return p;
}

/* Waits for result i, which must be the next in order, and returns it. */
void *
pipeline_take(struct pipeline *p, size_t i)
{
	void	*r;

	if (p->nthreads == 0) {
		p->taken = i + 1;
		return p->fn(i, p->ctx);
	}
	pthread_mutex_lock(&p->mu);
	while (p->slot[i % p->window] == NULL)
		pthread_cond_wait(&p->ready, &p->mu);
	r = p->slot[i % p->window];
	p->slot[i % p->window] = NULL;
	p->taken = i + 1;
	pthread_cond_broadcast(&p->space);
	pthread_mutex_unlock(&p->mu);
	return r;
}

/* Stops the workers and frees results nobody took. */
void
pipeline_stop(struct pipeline *p, void (*release)(void *))
{
	size_t	 i;
	int	 t;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->space);
	pthread_mutex_unlock(&p->mu);
	for (t = 0; t < p->nthreads; t++)
		pthread_join(p->threads[t], NULL);
	for (i = 0; i < p->window; i++)
		if (p->slot[i] != NULL && release != NULL)
			release(p->slot[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->space);
	free(p->slot);
	free(p->threads);
	free(p);
}
