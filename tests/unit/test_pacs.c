/* Unit tests for lib/pacs/node.c and the checks pdiburn_pacs_find and
 * pdiburn_job_add_pacs make before any network traffic. */
#include "cmocka_pre.h"
#include <string.h>

#include "pacs.h"

/* Called as expect_code(call(..., &err), &err, code): err is read after
 * the call. */
static void expect_code(bool ok, struct pdiburn_error **errp,
                        enum pdiburn_code code)
{
    struct pdiburn_error *err = *errp;
    *errp = NULL;
    assert_false(ok);
    assert_non_null(err);
    assert_int_equal(pdiburn_error_code(err), code);
    pdiburn_error_free(err);
}

static void parses_nodes(void **state)
{
    (void) state;
    struct pdiburn_pacs_node n;
    assert_true(pdiburn_pacs_node_parse("ORTHANC@127.0.0.1:4242", &n, NULL));
    assert_string_equal(n.aet, "ORTHANC");
    assert_string_equal(n.host, "127.0.0.1");
    assert_int_equal(n.port, 4242);
    assert_string_equal(n.name, "ORTHANC@127.0.0.1:4242");
    /* '@' may be in an AE title; the host follows the last one. */
    assert_true(pdiburn_pacs_node_parse("A@B@pacs.example.org:104", &n, NULL));
    assert_string_equal(n.aet, "A@B");
    assert_string_equal(n.host, "pacs.example.org");
    assert_true(pdiburn_pacs_node_parse("SIXTEEN_CHARS_AE@h:1", &n, NULL));
}

static void refuses_bad_nodes(void **state)
{
    (void) state;
    static const char *const bad[] = {
        "ORTHANC@host",          /* no port */
        "ORTHANC",               /* no host */
        "@host:104",             /* no AE title */
        "    @host:104",         /* only spaces */
        "SEVENTEEN_CHARS_A@h:1", /* AE title too long */
        "A\\B@h:104",            /* backslash separates values */
        "A@:104",                /* no host */
        "A@h:0", "A@h:65536", "A@h:12x", "A@h:",
        "A@h o:104",             /* space in the host */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pdiburn_pacs_node n;
        struct pdiburn_error *err = NULL;
        expect_code(pdiburn_pacs_node_parse(bad[i], &n, &err), &err,
                    PDIBURN_E_USAGE);
    }
}

static void fills_defaults(void **state)
{
    (void) state;
    struct pdiburn_pacs_node n;
    struct pdb_pacs p;
    assert_true(pdiburn_pacs_node_parse("PACS@h:104", &n, NULL));
    assert_true(pdb_pacs_init(&p, &n, NULL, NULL));
    assert_string_equal(p.settings.aet, "PDIBURN");
    assert_int_equal(p.settings.connect_timeout, 30);
    assert_int_equal(p.settings.acse_timeout, 30);
    assert_int_equal(p.settings.dimse_timeout, 30);
    assert_int_equal(p.settings.retrieve, PDIBURN_RETRIEVE_GET);
    struct pdiburn_pacs_settings s = { .aet = "ME", .dimse_timeout = 5 };
    assert_true(pdb_pacs_init(&p, &n, &s, NULL));
    assert_string_equal(p.settings.aet, "ME");
    assert_int_equal(p.settings.dimse_timeout, 5);
    assert_int_equal(p.settings.acse_timeout, 30);
}

static void refuses_bad_settings(void **state)
{
    (void) state;
    struct pdiburn_pacs_node n;
    struct pdb_pacs p;
    struct pdiburn_error *err = NULL;
    assert_true(pdiburn_pacs_node_parse("PACS@h:104", &n, NULL));
    struct pdiburn_pacs_settings move = { .retrieve = PDIBURN_RETRIEVE_MOVE };
    expect_code(pdb_pacs_init(&p, &n, &move, &err), &err, PDIBURN_E_USAGE);
    struct pdiburn_pacs_settings aet = { .aet = "BACK\\SLASH" };
    expect_code(pdb_pacs_init(&p, &n, &aet, &err), &err, PDIBURN_E_USAGE);
    struct pdiburn_pacs_node empty = { 0 };
    expect_code(pdb_pacs_init(&p, &empty, NULL, &err), &err, PDIBURN_E_USAGE);
}

/* A bad date is refused before anything goes on the network. */
static void find_checks_dates_first(void **state)
{
    (void) state;
    struct pdiburn_pacs_node n;
    struct pdiburn_match *m = NULL;
    size_t count = 7;
    struct pdiburn_error *err = NULL;
    struct pdiburn_query q = { .since = "2024-13" };
    assert_true(pdiburn_pacs_node_parse("PACS@h.invalid:104", &n, NULL));
    expect_code(pdiburn_pacs_find(&n, NULL, &q, &m, &count, &err), &err,
                PDIBURN_E_USAGE);
    assert_null(m);
    assert_int_equal(count, 0);
}

/* A job with a PACS and no filter would retrieve the whole archive. */
static void job_needs_a_filter(void **state)
{
    (void) state;
    struct pdiburn_pacs_node n;
    struct pdiburn_error *err = NULL;
    struct pdiburn_job *job = pdiburn_job_new(NULL);
    assert_non_null(job);
    assert_true(pdiburn_pacs_node_parse("PACS@h.invalid:104", &n, NULL));
    assert_true(pdiburn_job_add_pacs(job, &n, NULL, NULL));
    assert_true(pdiburn_job_set_target(job, PDIBURN_TARGET_DIR,
                                       "never-written", NULL));
    expect_code(pdiburn_job_run(job, &err), &err, PDIBURN_E_USAGE);
    pdiburn_job_free(job);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_nodes),
        cmocka_unit_test(refuses_bad_nodes),
        cmocka_unit_test(fills_defaults),
        cmocka_unit_test(refuses_bad_settings),
        cmocka_unit_test(find_checks_dates_first),
        cmocka_unit_test(job_needs_a_filter),
    };
    return cmocka_run_group_tests_name("pacs", tests, NULL, NULL);
}
