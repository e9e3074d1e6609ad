/* Unit tests for lib/dicom/text.c: names and other text of the images as
 * the pages and the viewer show them.  Values in the character sets of
 * PS3.5 6.1 (single-byte, UTF-8, ISO 2022 with escapes, several values of
 * Specific Character Set) must come out as the UTF-8 the examples of
 * PS3.5 Annexes H-K spell; undecodable bytes must never leak into the
 * UTF-8 pages; person names and dates are formatted for people. */
#include "cmocka_pre.h"
#include <stdlib.h>
#include <string.h>

#include "dcmshim.h"
#include "fixtures.h"
#include "text.h"

static int setup(void **state)
{
    (void) state;
    dcmshim_init();
    return 0;
}

/* Patient Name `value` under Specific Character Set `charset` (NULL:
 * absent), as UTF-8. */
static char *utf8_of(const char *charset, const char *value)
{
    const uint32_t with[] = { TAG_SPECIFIC_CHARSET, TAG_PATIENT_NAME, 0 };
    const uint32_t without[] = { TAG_PATIENT_NAME, 0 };
    const char *values[] = { charset ? charset : value, value };
    struct pdb_instance *inst = fx_instance("x", charset ? with : without,
                                            values);
    char *out = pdb_text_utf8(inst, TAG_PATIENT_NAME);
    pdb_instance_free(inst);
    assert_non_null(out);
    return out;
}

static void expect_utf8(const char *charset, const char *value,
                        const char *want)
{
    char *got = utf8_of(charset, value);
    assert_string_equal(got, want);
    free(got);
}

/* Every byte sequence well-formed UTF-8 (RFC 3629), nothing below 0x20. */
static bool valid_utf8(const unsigned char *s)
{
    while (*s) {
        int n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1
                             : (*s & 0xF0) == 0xE0  ? 2
                             : (*s & 0xF8) == 0xF0  ? 3
                                                    : -1;
        if (n < 0 || (*s < 0x20) || (n == 1 && *s < 0xC2))
            return false;
        for (s++; n > 0; n--, s++)
            if ((*s & 0xC0) != 0x80)
                return false;
    }
    return true;
}

static void latin1_and_utf8(void **state)
{
    (void) state;
    expect_utf8("ISO_IR 100", "M\xfc" "ller^J\xfc" "rgen",
                "M\xc3\xbc" "ller^J\xc3\xbc" "rgen");
    /* PS3.5 I.2-like: already UTF-8 stays as it is. */
    expect_utf8("ISO_IR 192", "\xe5\xb1\xb1\xe7\x94\xb0^\xe5\xa4\xaa\xe9\x83\x8e",
                "\xe5\xb1\xb1\xe7\x94\xb0^\xe5\xa4\xaa\xe9\x83\x8e");
    expect_utf8(NULL, "DOE^JOHN", "DOE^JOHN");
    expect_utf8("", "DOE^JOHN", "DOE^JOHN");
}

/* PS3.5 Annex I: "Dionysios" in ISO 8859-7. */
static void greek(void **state)
{
    (void) state;
    const char *greek = "\xc4\xe9\xef\xed\xf5\xf3\xe9\xef\xf2";
    const char *want = "\xce\x94\xce\xb9\xce\xbf\xce\xbd\xcf\x85\xcf\x83"
                       "\xce\xb9\xce\xbf\xcf\x82";
    expect_utf8("ISO_IR 126", greek, want);
    /* The same with ISO 2022 code extensions: ESC - F puts ISO-IR 126 in
     * G1, so the high bytes are Greek after it. */
    char value[64], expected[64];
    strcpy(value, "Dionysios=\x1b-F");
    strcat(value, greek);
    strcpy(expected, "Dionysios=");
    strcat(expected, want);
    expect_utf8("ISO 2022 IR 6\\ISO 2022 IR 126", value, expected);
}

/* PS3.5 H.3.1: Yamada^Tarou in ISO 2022 IR 87 (kanji) with escapes. */
static void japanese_iso2022(void **state)
{
    (void) state;
    const char *value = "Yamada^Tarou="
                        "\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B="
                        "\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B";
    const char *want = "Yamada^Tarou="
                       "\xe5\xb1\xb1\xe7\x94\xb0^\xe5\xa4\xaa\xe9\x83\x8e="
                       "\xe3\x82\x84\xe3\x81\xbe\xe3\x81\xa0^"
                       "\xe3\x81\x9f\xe3\x82\x8d\xe3\x81\x86";
    expect_utf8("\\ISO 2022 IR 87", value, want);
}

/* PS3.5 Annex I.2: Hong^Gildong in ISO 2022 IR 149 (Korean). */
static void korean_iso2022(void **state)
{
    (void) state;
    const char *value = "Hong^Gildong="
                        "\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7="
                        "\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf";
    const char *want = "Hong^Gildong="
                       "\xe6\xb4\xaa^\xe5\x90\x89\xe6\xb4\x9e="
                       "\xed\x99\x8d^\xea\xb8\xb8\xeb\x8f\x99";
    expect_utf8("\\ISO 2022 IR 149", value, want);
}

/* Bytes the character set cannot hold: never invalid UTF-8 on a page. */
static void undecodable_bytes(void **state)
{
    (void) state;
    const char *cases[][2] = {
        { "ISO_IR 192", "A\xff\xfe" "B" },  /* not UTF-8 */
        { "ISO_IR 192", "A\xc3" },          /* cut sequence */
        { "ISO_IR 999", "M\xfc" "ller" },   /* unknown set */
        { NULL, "M\xfc" "ller" },           /* default repertoire */
        { "\\ISO 2022 IR 87", "\x1b$B\x7f\x7f\x1b(B" }, /* not JIS X 0208 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = utf8_of(cases[i][0], cases[i][1]);
        if (!valid_utf8((const unsigned char *) got))
            fail_msg("case %zu: not UTF-8: \"%s\"", i, got);
        free(got);
    }
    /* What is ASCII survives the fallback. */
    expect_utf8("ISO_IR 999", "M\xfc" "ller", "M?ller");
}

static void padding_and_absence(void **state)
{
    (void) state;
    expect_utf8("ISO_IR 100", "DOE ", "DOE");
    const uint32_t tags[] = { TAG_PATIENT_ID, 0 };
    const char *values[] = { "ID1" };
    struct pdb_instance *inst = fx_instance("x", tags, values);
    char *out = pdb_text_utf8(inst, TAG_PATIENT_NAME);
    assert_string_equal(out, "");
    free(out);
    pdb_instance_free(inst);
}

static void expect_person(const char *pn, const char *want)
{
    char *got = pdb_text_person(pn);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* PS3.5 6.2.1: family^given^middle^prefix^suffix, groups split by '='. */
static void person_names(void **state)
{
    (void) state;
    expect_person("Family^Given", "Family, Given");
    expect_person("Family", "Family");
    expect_person("", "");
    expect_person("Doe^John^Q^Dr^III", "Doe, John Q Dr III");
    expect_person("Doe^John^^^", "Doe, John");
    expect_person("Doe^^Q", "Doe, Q");
    expect_person("A=B=C", "A (B; C)");
    expect_person("A==C", "A (C)");
    expect_person("=B", "(B)");
    expect_person("Yamada^Tarou="
                  "\xe5\xb1\xb1\xe7\x94\xb0^\xe5\xa4\xaa\xe9\x83\x8e="
                  "\xe3\x82\x84\xe3\x81\xbe\xe3\x81\xa0^"
                  "\xe3\x81\x9f\xe3\x82\x8d\xe3\x81\x86",
                  "Yamada, Tarou ("
                  "\xe5\xb1\xb1\xe7\x94\xb0, \xe5\xa4\xaa\xe9\x83\x8e; "
                  "\xe3\x82\x84\xe3\x81\xbe\xe3\x81\xa0, "
                  "\xe3\x81\x9f\xe3\x82\x8d\xe3\x81\x86)");
}

/* An empty family name leaves no dangling comma. */
static void person_without_family_name(void **state)
{
    (void) state;
    expect_person("^John", "John");
    expect_person("^John^Q", "John Q");
    expect_person("^^^^", "");
}

static void dates(void **state)
{
    (void) state;
    char out[16];
    pdb_text_date("20240105", out, sizeof(out));
    assert_string_equal(out, "2024-01-05");
    const char *kept[] = { "", "2024", "2024010", "2024010A", "202401051",
                           "2024.01.05" };
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        pdb_text_date(kept[i], out, sizeof(out));
        assert_string_equal(out, kept[i]);
    }
    char small[8];
    pdb_text_date("20240105", small, sizeof(small));
    assert_string_equal(small, "2024-01"); /* cut, still terminated */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin1_and_utf8),
        cmocka_unit_test(greek),
        cmocka_unit_test(japanese_iso2022),
        cmocka_unit_test(korean_iso2022),
        cmocka_unit_test(undecodable_bytes),
        cmocka_unit_test(padding_and_absence),
        cmocka_unit_test(person_names),
        cmocka_unit_test(person_without_family_name),
        cmocka_unit_test(dates),
    };
    return cmocka_run_group_tests_name("text", tests, setup, NULL);
}
