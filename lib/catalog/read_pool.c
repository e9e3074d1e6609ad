/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reads file headers for the index on worker threads, one per core: the
 * index hands over a batch of rows, workers take the next file each and
 * fill its row, and the batch is done when every row is.  Each result
 * lands in its own row, so the order the index writes them in does not
 * depend on which worker was faster.  While the index writes one batch,
 * the workers read the next.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "catalog.h"
#include "dcmshim.h"

#define MAX_THREADS 16

struct pdb_read_pool {
    pthread_mutex_t lock;
    pthread_cond_t work, finished;
    pthread_t threads[MAX_THREADS];
    unsigned nthreads;
    const char *root;
    struct pdb_row *rows;
    size_t n, next, done;
    bool failed, stopping;
};

static bool read_row(const char *root, struct pdb_row *row)
{
    char *path = pdb_fs_path_join(root, row->rel);
    bool ok = path && pdb_source_read_file(path, &row->read, NULL) &&
              pdb_row_derive(row, NULL);
    free(path);
    return ok;
}

static void *work(void *arg)
{
    struct pdb_read_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stopping && p->next >= p->n)
            pthread_cond_wait(&p->work, &p->lock);
        if (p->stopping)
            break;
        struct pdb_row *row = &p->rows[p->next++];
        pthread_mutex_unlock(&p->lock);
        bool ok = read_row(p->root, row);
        pthread_mutex_lock(&p->lock);
        p->failed |= !ok;
        if (++p->done == p->n)
            pthread_cond_signal(&p->finished);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

static unsigned cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned) n;
}

struct pdb_read_pool *pdb_read_pool_new(unsigned threads,
                                        struct pdiburn_error **err)
{
    struct pdb_read_pool *p = calloc(1, sizeof(*p));
    if (!p) {
        pdb_fail_nomem(err);
        return NULL;
    }
    dcmshim_init(); /* once, before any worker reads */
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->finished, NULL);
    unsigned want = threads ? threads : cores();
    if (want > MAX_THREADS)
        want = MAX_THREADS;
    while (p->nthreads < want &&
           pthread_create(&p->threads[p->nthreads], NULL, work, p) == 0)
        p->nthreads++;
    if (p->nthreads == 0) {
        pdb_read_pool_free(p);
        pdb_fail(err, PDIBURN_E_INTERNAL, "cannot start a thread");
        return NULL;
    }
    return p;
}

void pdb_read_pool_start(struct pdb_read_pool *p, const char *root,
                         struct pdb_row *rows, size_t n)
{
    pthread_mutex_lock(&p->lock);
    p->root = root;
    p->rows = rows;
    p->n = n;
    p->next = p->done = 0;
    p->failed = false;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
}

bool pdb_read_pool_wait(struct pdb_read_pool *p, struct pdiburn_error **err)
{
    pthread_mutex_lock(&p->lock);
    while (p->done < p->n)
        pthread_cond_wait(&p->finished, &p->lock);
    bool failed = p->failed;
    p->n = p->next = p->done = 0;
    pthread_mutex_unlock(&p->lock);
    return !failed || pdb_fail_nomem(err);
}

void pdb_read_pool_free(struct pdb_read_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->finished);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
