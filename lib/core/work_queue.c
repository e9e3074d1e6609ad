/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A work queue for many small independent items whose results must be
 * used in order: worker threads (one per CPU but the caller's) take the
 * next item of a batch as they finish, and the caller takes each batch in
 * item order while the workers go on with the next one.  Each item has
 * its own result slot, so nothing depends on which thread was faster.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "core.h"

#define MAX_WORKERS 15

unsigned pdb_cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return 1;
    int n = CPU_COUNT(&set);
    return n < 1 ? 1 : n > MAX_WORKERS + 1 ? MAX_WORKERS + 1 : (unsigned) n;
}

struct queue {
    pthread_mutex_t lock;
    pthread_cond_t work, finished;
    pthread_t threads[MAX_WORKERS];
    unsigned nthreads;
    const struct pdb_work *w;
    size_t next, end; /* items of the batch in hand not started yet */
    size_t left;      /* ... and not finished */
    bool failed;      /* a work() call ran out of memory */
    bool skip;        /* the run stops: start no more items */
    bool stopping;    /* the workers leave */
};

/* Runs item i, or skips it once the run stops; with the lock held. */
static void run_item(struct queue *q, size_t i)
{
    bool skip = q->skip;
    pthread_mutex_unlock(&q->lock);
    bool ok = skip || q->w->work(q->w->ctx, i);
    pthread_mutex_lock(&q->lock);
    q->failed |= !ok;
    if (--q->left == 0)
        pthread_cond_broadcast(&q->finished);
}

static void *worker(void *arg)
{
    struct queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (!q->stopping && q->next >= q->end)
            pthread_cond_wait(&q->work, &q->lock);
        if (q->stopping)
            break;
        run_item(q, q->next++);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

static void batch_start(struct queue *q, size_t first, size_t count)
{
    pthread_mutex_lock(&q->lock);
    q->next = first;
    q->end = first + count;
    q->left = count;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->lock);
}

/* The caller helps with the batch, then waits for the workers' last
 * items; false when an item ran out of memory. */
static bool batch_wait(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->next < q->end)
        run_item(q, q->next++);
    while (q->left > 0)
        pthread_cond_wait(&q->finished, &q->lock);
    bool ok = !q->failed;
    q->failed = false;
    pthread_mutex_unlock(&q->lock);
    return ok;
}

static void queue_start(struct queue *q, const struct pdb_work *w)
{
    *q = (struct queue){ .w = w };
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->work, NULL);
    pthread_cond_init(&q->finished, NULL);
    unsigned want = w->threads ? w->threads : pdb_cpu_count();
    want = want - 1 > MAX_WORKERS ? MAX_WORKERS : want - 1;
    if (w->n <= w->batch && w->n < want + 1) /* no more than there is */
        want = w->n > 0 ? (unsigned) w->n - 1 : 0;
    /* Without workers (creation failed) the caller does it all. */
    while (q->nthreads < want &&
           pthread_create(&q->threads[q->nthreads], NULL, worker, q) == 0)
        q->nthreads++;
}

static void queue_stop(struct queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->stopping = true;
    pthread_cond_broadcast(&q->work);
    pthread_mutex_unlock(&q->lock);
    for (unsigned i = 0; i < q->nthreads; i++)
        pthread_join(q->threads[i], NULL);
    pthread_cond_destroy(&q->work);
    pthread_cond_destroy(&q->finished);
    pthread_mutex_destroy(&q->lock);
}

static size_t batch_size(const struct pdb_work *w, size_t first)
{
    return first >= w->n ? 0 : w->n - first < w->batch ? w->n - first
                                                        : w->batch;
}

/* After a failure: the batch in flight, if any, runs out without
 * starting any more items, and its slots are cleared untaken. */
static void abandon(struct queue *q, const struct pdb_work *w, size_t first)
{
    pthread_mutex_lock(&q->lock);
    q->skip = true;
    pthread_mutex_unlock(&q->lock);
    batch_wait(q);
    w->clear(w->ctx, first, batch_size(w, first));
}

bool pdb_work_run(const struct pdb_work *w, struct pdiburn_error **err)
{
    if (w->n == 0)
        return true;
    struct queue q;
    queue_start(&q, w);
    batch_start(&q, 0, batch_size(w, 0));
    bool ok = true;
    for (size_t first = 0; ok && first < w->n; first += w->batch) {
        size_t count = batch_size(w, first);
        bool worked = batch_wait(&q);
        bool more = worked && first + count < w->n;
        if (more)
            batch_start(&q, first + count, batch_size(w, first + count));
        ok = (worked || pdb_fail_nomem(err)) &&
             w->take(w->ctx, first, count, err);
        w->clear(w->ctx, first, count);
        if (!ok && more)
            abandon(&q, w, first + count);
    }
    queue_stop(&q);
    return ok;
}
