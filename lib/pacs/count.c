/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How many instances a study has, when the PACS did not return Number of
 * Study Related Instances (an optional key, PS3.4 C.6.2.1.2): the sum of
 * Number of Series Related Instances over a SERIES-level C-FIND, and for a
 * series without it, the matches of an IMAGE-level C-FIND.  Hierarchical
 * queries need the unique keys above the level as single values (PS3.4
 * C.4.1.2.2.1), hence one IMAGE query per series.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pacs.h"

#define TAG_STUDY 0x0020000Du
#define TAG_SERIES 0x0020000Eu
#define TAG_SOP 0x00080018u
#define TAG_SERIES_INSTANCES 0x00201209u

struct series_list {
    char (*uid)[PDB_UID_MAX + 1];
    uint64_t *count; /* UINT64_MAX: not given */
    size_t n;
    bool nomem;
};

static bool on_series(void *user, const char *const *v)
{
    struct series_list *s = user;
    if (!v[1][0])
        return true;
    if (!pdb_grow(&s->uid, s->n, sizeof(*s->uid)) ||
        !pdb_grow(&s->count, s->n, sizeof(*s->count))) {
        s->nomem = true;
        return false;
    }
    snprintf(s->uid[s->n], sizeof(s->uid[s->n]), "%s", v[1]);
    s->count[s->n++] = v[2][0] ? strtoull(v[2], NULL, 10) : UINT64_MAX;
    return true;
}

static bool on_image(void *user, const char *const *v)
{
    (void) v;
    (*(uint64_t *) user)++;
    return true;
}

static bool find(const struct pdb_pacs *p, const char *level,
                 const struct dcmshim_key *keys, size_t n, dcmshim_match_fn fn,
                 void *user, struct pdiburn_error **err)
{
    struct dcmshim_peer peer;
    char msg[512];
    pdb_pacs_peer(p, &peer);
    enum dcmshim_status st =
        dcmshim_find(&peer, level, keys, n, fn, user, msg, sizeof(msg));
    return st == DCMSHIM_OK || pdb_pacs_fail(p, st, msg, err);
}

static bool count_images(const struct pdb_pacs *p, const char *study,
                         const char *series, uint64_t *n,
                         struct pdiburn_error **err)
{
    const struct dcmshim_key keys[] = {
        { TAG_STUDY, study }, { TAG_SERIES, series }, { TAG_SOP, "" }
    };
    *n = 0;
    return find(p, "IMAGE", keys, 3, on_image, n, err);
}

bool pdb_pacs_count(const struct pdb_pacs *p, const char *study_uid,
                    uint64_t *instances, struct pdiburn_error **err)
{
    const struct dcmshim_key keys[] = {
        { TAG_STUDY, study_uid },
        { TAG_SERIES, "" },
        { TAG_SERIES_INSTANCES, "" },
    };
    struct series_list s = { 0 };
    bool ok = find(p, "SERIES", keys, 3, on_series, &s, err);
    if (s.nomem && ok)
        ok = pdb_fail_nomem(err);
    *instances = 0;
    for (size_t i = 0; ok && i < s.n; i++) {
        uint64_t n = s.count[i];
        if (n == UINT64_MAX)
            ok = count_images(p, study_uid, s.uid[i], &n, err);
        *instances += ok ? n : 0;
    }
    free(s.uid);
    free(s.count);
    return ok;
}
