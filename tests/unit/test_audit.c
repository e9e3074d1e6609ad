/* Unit tests for lib/audit: the Export message (PS3.15 A.5.3.4) of a
 * recorded medium, escaped and on one line whatever the names hold; the
 * outcome of each error code; a failed run after a written medium; the
 * message read back by pdiburn_audit_entry_parse(). */
#include "cmocka_pre.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"

static struct pdb_audit_sop ct = { "1.2.840.10008.5.1.4.1.1.2", 12 };

/* One medium by hand, as record.c would leave it. */
static void one_medium(struct pdb_audit *a, const char *name)
{
    assert_true(pdb_audit_add_medium(a, NULL, "2.25.1234", "PDI_X",
                                     "out dir/a&b.iso", NULL));
    struct pdb_audit_medium *m = &a->media[a->nmedia - 1];
    m->patients = realloc(m->patients, sizeof(*m->patients));
    m->npatients = 1;
    struct pdb_audit_patient *p = &m->patients[0];
    memset(p, 0, sizeof(*p));
    snprintf(p->id, sizeof(p->id), "ID<1>");
    p->name = strdup(name);
    p->studies = calloc(1, sizeof(*p->studies));
    p->nstudies = 1;
    snprintf(p->studies[0].uid, sizeof(p->studies[0].uid), "1.2.3");
    p->studies[0].description = strdup("CT \"chest\"");
    snprintf(p->studies[0].accession, sizeof(p->studies[0].accession), "A1");
    p->studies[0].sops = malloc(sizeof(ct));
    p->studies[0].sops[0] = ct;
    p->studies[0].nsops = 1;
}

static const struct pdb_audit_who who = { "clerk", NULL, "host1", "St. X",
                                          4711 };

static char *message(const struct pdb_audit *a, enum pdiburn_target kind,
                     const char *media)
{
    struct pdb_audit_target t = { kind, media, NULL, false, false };
    char *xml = NULL;
    assert_true(pdb_audit_message(a, 0, &t, &who, &xml, NULL));
    return xml;
}

static void message_is_escaped_and_one_line(void **state)
{
    (void) state;
    struct pdb_audit a = { 0 };
    one_medium(&a, "M\xc3\xbcller^J\xc3\xbcrgen\nline\x01\xff");
    assert_true(pdb_audit_finish(&a, NULL, NULL));
    char *xml = message(&a, PDIBURN_TARGET_ISO, NULL);
    assert_null(strchr(xml, '\n'));
    assert_non_null(strstr(xml, "ParticipantObjectID=\"ID&lt;1&gt;\""));
    assert_non_null(strstr(xml, "M\xc3\xbcller^J\xc3\xbcrgen line ?"));
    assert_non_null(strstr(xml, "file://"));
    assert_non_null(strstr(xml, "out%20dir/a%26b.iso"));
    assert_non_null(strstr(xml, "AlternativeUserID=\"2.25.1234\""));
    assert_non_null(strstr(xml, "csd-code=\"110032\"")); /* CD */
    assert_non_null(strstr(xml, "EventOutcomeIndicator=\"0\""));
    assert_non_null(strstr(xml, "AlternativeUserID=\"4711\""));
    assert_non_null(strstr(xml, "NumberOfInstances=\"12\""));
    assert_non_null(strstr(xml, "<Accession Number=\"A1\"/>"));

    struct pdiburn_audit_entry e;
    assert_true(pdiburn_audit_entry_parse(xml, strlen(xml), &e, NULL));
    assert_string_equal(e.user, "clerk");
    assert_string_equal(e.media_type, "CD");
    assert_string_equal(e.fileset_uid, "2.25.1234");
    assert_int_equal(e.npatients, 1);
    assert_string_equal(e.patients[0].id, "ID<1>");
    assert_int_equal(e.studies, 1);
    assert_int_equal(e.instances, 12);
    pdiburn_audit_entry_clear(&e);
    free(xml);
    pdb_audit_clear(&a);
}

static void media_types_follow_the_target(void **state)
{
    (void) state;
    static const struct {
        enum pdiburn_target kind;
        const char *media, *code;
    } cases[] = {
        { PDIBURN_TARGET_ZIP, NULL, "110031" },
        { PDIBURN_TARGET_USB, NULL, "110030" },
        { PDIBURN_TARGET_DISC, "dvd", "110033" },
        { PDIBURN_TARGET_ISO, "bd", "110037" },
        { PDIBURN_TARGET_DIR, NULL, "110037" },
    };
    struct pdb_audit a = { 0 };
    one_medium(&a, "X");
    assert_true(pdb_audit_finish(&a, NULL, NULL));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *xml = message(&a, cases[i].kind, cases[i].media);
        char want[64];
        snprintf(want, sizeof(want), "<MediaType csd-code=\"%s\"",
                 cases[i].code);
        assert_non_null(strstr(xml, want));
        free(xml);
    }
    pdb_audit_clear(&a);
}

static void outcomes(void **state)
{
    (void) state;
    assert_int_equal(pdb_audit_outcome(PDIBURN_OK), 0);
    assert_int_equal(pdb_audit_outcome(PDIBURN_E_CANCELLED), 4);
    assert_int_equal(pdb_audit_outcome(PDIBURN_E_NOMATCH), 8);
    assert_int_equal(pdb_audit_outcome(PDIBURN_E_VERIFY), 8);
    assert_int_equal(pdb_audit_outcome(PDIBURN_E_INTERNAL), 12);
}

/* Disc 1 written, disc 2 failed: one message each (A.5.2). */
static void written_media_stay_successes(void **state)
{
    (void) state;
    struct pdb_audit a = { 0 };
    struct pdiburn_error *why = NULL;
    one_medium(&a, "X");
    pdb_audit_written(&a);
    one_medium(&a, "X");
    pdb_fail(&why, PDIBURN_E_MEDIA, "the disc is full");
    assert_true(pdb_audit_finish(&a, why, NULL));
    assert_int_equal(a.media[0].outcome, 0);
    assert_null(a.media[0].outcome_text);
    assert_int_equal(a.media[1].outcome, 8);
    assert_string_equal(a.media[1].outcome_text, "the disc is full");
    assert_non_null(strchr(a.media[1].when, 'T'));
    pdiburn_error_free(why);
    pdb_audit_clear(&a);
}

static void other_messages_are_refused(void **state)
{
    (void) state;
    static const char login[] =
        "<AuditMessage><EventIdentification EventActionCode=\"E\" "
        "EventDateTime=\"2026-01-01T00:00:00+00:00\" "
        "EventOutcomeIndicator=\"0\"><EventID csd-code=\"110114\" "
        "codeSystemName=\"DCM\" originalText=\"User Authentication\"/>"
        "</EventIdentification></AuditMessage>";
    struct pdiburn_audit_entry e;
    assert_false(pdiburn_audit_entry_parse(login, strlen(login), &e, NULL));
    assert_false(pdiburn_audit_entry_parse("<x", 2, &e, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(message_is_escaped_and_one_line),
        cmocka_unit_test(media_types_follow_the_target),
        cmocka_unit_test(outcomes),
        cmocka_unit_test(written_media_stay_successes),
        cmocka_unit_test(other_messages_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
