/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The patient filters of a selection (a records request names a person):
 * Issuer of Patient ID, Patient's Name with DICOM wildcards (PS3.4
 * C.2.2.2.4) matched case-, accent- and character-set-blind, and birth
 * date.  A request by name or birth date alone must find one patient;
 * when it finds several, the selection refuses to guess.
 */
#include <stdlib.h>
#include <string.h>

#include "select.h"
#include "text.h"

static bool replace(char **field, char *value, struct pdiburn_error **err)
{
    if (!value)
        return pdb_fail_nomem(err);
    free(*field);
    *field = value;
    return true;
}

static bool add_name(struct pdb_selection *sel, const char *value,
                     struct pdiburn_error **err)
{
    char *key = pdb_text_name_key(value);
    if (key && !*key) {
        free(key);
        return pdb_fail(err, PDIBURN_E_USAGE, "the name to find is empty");
    }
    return replace(&sel->name_key, key, err) &&
           replace(&sel->name, strdup(value), err);
}

bool pdb_selection_add_patient(struct pdb_selection *sel,
                               enum pdiburn_filter kind, const char *value,
                               struct pdiburn_error **err)
{
    if (kind == PDIBURN_FILTER_ISSUER)
        return replace(&sel->issuer, strdup(value), err);
    if (kind == PDIBURN_FILTER_NAME)
        return add_name(sel, value, err);
    if (!pdb_selection_parse_date(value, sel->birth_date))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "birth date '%s' is not a date (YYYY-MM-DD or "
                        "YYYYMMDD)",
                        value);
    return true;
}

static bool text_is(const struct pdb_instance *inst, uint32_t tag,
                    const char *want)
{
    char *text = pdb_text_utf8(inst, tag);
    bool same = text && strcmp(text, want) == 0;
    free(text);
    return same;
}

static bool name_matches(const struct pdb_instance *inst, const char *pattern)
{
    char *name = pdb_text_utf8(inst, TAG_PATIENT_NAME);
    char *key = name ? pdb_text_name_key(name) : NULL;
    bool match = key && pdb_text_name_match(pattern, key);
    free(name);
    free(key);
    return match;
}

bool pdb_selection_patient_matches(const struct pdb_selection *sel,
                                   const struct pdb_instance *first)
{
    char birth[17];
    if (sel->birth_date[0] &&
        (!pdb_instance_string(first, TAG_BIRTH_DATE, birth, sizeof(birth)) ||
         strcmp(birth, sel->birth_date) != 0))
        return false;
    if (sel->issuer && !text_is(first, TAG_ISSUER, sel->issuer))
        return false;
    return !sel->name_key || name_matches(first, sel->name_key);
}

/* ---- one patient -------------------------------------------------------- */

static const struct pdb_instance *first_of(const struct pdb_study *s)
{
    return s->series[0]->instances[0];
}

static bool same_patient(const struct pdb_instance *a,
                         const struct pdb_instance *b)
{
    char ia[65] = "", ib[65] = "";
    pdb_instance_string(a, TAG_ISSUER, ia, sizeof(ia));
    pdb_instance_string(b, TAG_ISSUER, ib, sizeof(ib));
    return strcmp(a->patient_id, b->patient_id) == 0 && strcmp(ia, ib) == 0;
}

/* The first instance of each patient's first selected study. */
static size_t patients_of(const struct pdb_inventory *cat,
                          const struct pdb_instance **seen, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < cat->nstudies && n < max; i++) {
        if (!cat->studies[i]->selected)
            continue;
        const struct pdb_instance *inst = first_of(cat->studies[i]);
        size_t j = 0;
        while (j < n && !same_patient(seen[j], inst))
            j++;
        if (j == n)
            seen[n++] = inst;
    }
    return n;
}

bool pdb_selection_one_patient(const struct pdb_selection *sel,
                               const struct pdb_inventory *cat,
                               const struct pdb_log *log,
                               struct pdiburn_error **err)
{
    const struct pdb_instance *seen[8];
    if (sel->patient_id || (!sel->name_key && !sel->birth_date[0]))
        return true;
    size_t n = patients_of(cat, seen, sizeof(seen) / sizeof(seen[0]));
    if (n < 2)
        return true;
    struct pdb_buf ids = { 0 };
    for (size_t i = 0; log->phi_allowed && i < n; i++)
        pdb_buf_printf(&ids, "%s%s", i ? ", " : " (Patient IDs ",
                       seen[i]->patient_id);
    pdb_buf_add_str(&ids, log->phi_allowed ? ")" : "");
    pdb_buf_add(&ids, "", 1);
    pdb_fail(err, PDIBURN_E_USAGE,
             "the name or birth date given matches %s%zu patients%s; give "
             "the one meant with --patient-id ('pdiburn find' with the "
             "same filters lists them)",
             n == sizeof(seen) / sizeof(seen[0]) ? "at least " : "", n,
             ids.failed ? "" : (const char *) ids.data);
    pdb_buf_free(&ids);
    return false;
}

/* Name and birth date are patient data: shown only when the log may
 * hold it. */
void pdb_selection_describe_patient(const struct pdb_selection *sel,
                                    const struct pdb_log *log,
                                    struct pdb_buf *b)
{
    if (sel->issuer)
        pdb_buf_printf(b, "%sissuer %s", b->len ? ", " : "", sel->issuer);
    if (sel->name)
        pdb_buf_printf(b, "%sname %s", b->len ? ", " : "",
                       pdb_log_phi(log, sel->name));
    if (sel->birth_date[0])
        pdb_buf_printf(b, "%sbirth date %s", b->len ? ", " : "",
                       pdb_log_phi(log, sel->birth_date));
}
