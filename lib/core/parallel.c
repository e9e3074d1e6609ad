/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Loops whose iterations are independent, spread over the CPUs this
 * process may run on: one thread each, the caller's included, taking the
 * next index as they finish.  Used where work per item is small and the
 * items are many (web content of thousands of instances).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#include "core.h"

#define MAX_THREADS 16

struct loop {
    size_t n;
    atomic_size_t next;
    void (*fn)(void *ctx, size_t i);
    void *ctx;
};

static void *run(void *arg)
{
    struct loop *l = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&l->next, 1);
        if (i >= l->n)
            return NULL;
        l->fn(l->ctx, i);
    }
}

unsigned pdb_cpu_count(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) != 0)
        return 1;
    int n = CPU_COUNT(&set);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (unsigned) n;
}

void pdb_parallel_for(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
    struct loop l = { .n = n, .fn = fn, .ctx = ctx };
    atomic_init(&l.next, 0);
    pthread_t threads[MAX_THREADS];
    unsigned helpers = 0, want = pdb_cpu_count() - 1;
    /* Without threads (creation failed) the caller does it all. */
    while (helpers < want && helpers + 1 < n &&
           pthread_create(&threads[helpers], NULL, run, &l) == 0)
        helpers++;
    run(&l);
    for (unsigned i = 0; i < helpers; i++)
        pthread_join(threads[i], NULL);
}
