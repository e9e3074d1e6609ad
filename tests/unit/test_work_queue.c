/* Unit tests for lib/core/work_queue.c: results taken in item order
 * whatever order the threads finish in, slots never overwritten before
 * they are taken, failures of work() and take() stop the run cleanly. */
#include "cmocka_pre.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core.h"

#define BATCH 7

struct state {
    size_t slots[2 * BATCH]; /* i + 1 once item i is worked, 0 empty */
    size_t taken;            /* items taken so far, in order */
    size_t clears;           /* items cleared */
    size_t fail_take_at;     /* take() of the batch holding it fails */
    size_t nomem_at;         /* work() of it runs out of memory */
    atomic_size_t worked;
    bool order_ok, slots_ok, caller_only;
    pthread_t caller;
};

static void pause_for(size_t i)
{
    /* Scrambles which thread finishes first. */
    struct timespec ts = { 0, (long) ((i * 7919) % 13) * 20000 };
    nanosleep(&ts, NULL);
}

static bool work(void *ctx, size_t i)
{
    struct state *s = ctx;
    if (i == s->nomem_at)
        return false;
    if (s->slots[i % (2 * BATCH)] != 0) /* still held by another item */
        s->slots_ok = false;
    if (!pthread_equal(pthread_self(), s->caller))
        s->caller_only = false;
    pause_for(i);
    s->slots[i % (2 * BATCH)] = i + 1;
    atomic_fetch_add(&s->worked, 1);
    return true;
}

static bool take(void *ctx, size_t first, size_t count,
                 struct pdiburn_error **err)
{
    struct state *s = ctx;
    for (size_t i = first; i < first + count; i++) {
        if (i != s->taken || s->slots[i % (2 * BATCH)] != i + 1)
            s->order_ok = false;
        if (i == s->fail_take_at)
            return pdb_fail(err, PDIBURN_E_IO, "item %zu", i);
        s->taken++;
    }
    return true;
}

static void clear(void *ctx, size_t first, size_t count)
{
    struct state *s = ctx;
    for (size_t i = first; i < first + count; i++)
        s->slots[i % (2 * BATCH)] = 0;
    s->clears += count;
}

static struct state *fresh(void)
{
    struct state *s = calloc(1, sizeof(*s));
    assert_non_null(s);
    s->fail_take_at = s->nomem_at = SIZE_MAX;
    s->order_ok = s->slots_ok = s->caller_only = true;
    s->caller = pthread_self();
    return s;
}

static bool run(struct state *s, size_t n, unsigned threads,
                struct pdiburn_error **err)
{
    struct pdb_work w = { n, BATCH, threads, work, take, clear, s };
    return pdb_work_run(&w, err);
}

static bool all_empty(const struct state *s)
{
    for (size_t i = 0; i < 2 * BATCH; i++)
        if (s->slots[i])
            return false;
    return true;
}

static void taken_in_item_order(void **state)
{
    (void) state;
    for (unsigned threads = 1; threads <= 4; threads++) {
        struct state *s = fresh();
        size_t n = 10 * BATCH + 3; /* the last batch is short */
        assert_true(run(s, n, threads, NULL));
        assert_int_equal(s->taken, n);
        assert_int_equal(s->clears, n);
        assert_int_equal(atomic_load(&s->worked), n);
        assert_true(s->order_ok);
        assert_true(s->slots_ok);
        assert_true(all_empty(s));
        free(s);
    }
}

static void one_thread_is_the_caller(void **state)
{
    (void) state;
    struct state *s = fresh();
    assert_true(run(s, 3 * BATCH, 1, NULL));
    assert_true(s->caller_only);
    assert_int_equal(s->taken, 3 * BATCH);
    free(s);
}

static void nothing_to_do(void **state)
{
    (void) state;
    struct state *s = fresh();
    assert_true(run(s, 0, 0, NULL));
    assert_int_equal(s->clears, 0);
    free(s);
}

static void take_failure_stops_the_run(void **state)
{
    (void) state;
    struct state *s = fresh();
    s->fail_take_at = 2 * BATCH + 1;
    struct pdiburn_error *err = NULL;
    assert_false(run(s, 10 * BATCH, 3, &err));
    assert_non_null(err);
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_IO);
    assert_string_equal(pdiburn_error_message(err), "item 15");
    assert_int_equal(s->taken, 2 * BATCH + 1);
    assert_true(s->order_ok);
    /* No batch after the next one was started; both were cleared. */
    assert_true(atomic_load(&s->worked) <= 4 * BATCH);
    assert_int_equal(s->clears, 4 * BATCH);
    assert_true(all_empty(s));
    pdiburn_error_free(err);
    free(s);
}

static void work_out_of_memory(void **state)
{
    (void) state;
    struct state *s = fresh();
    s->nomem_at = 3 * BATCH + 2;
    struct pdiburn_error *err = NULL;
    assert_false(run(s, 10 * BATCH, 2, &err));
    assert_int_equal(pdiburn_error_code(err), PDIBURN_E_NOMEM);
    assert_int_equal(s->taken, 3 * BATCH); /* its batch is not taken */
    assert_true(s->order_ok);
    assert_true(all_empty(s));
    pdiburn_error_free(err);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(taken_in_item_order),
        cmocka_unit_test(one_thread_is_the_caller),
        cmocka_unit_test(nothing_to_do),
        cmocka_unit_test(take_failure_stops_the_run),
        cmocka_unit_test(work_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
