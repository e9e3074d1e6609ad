/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Retrieving the selected studies of a PACS into the private spool, one
 * C-GET or C-MOVE per study (PS3.4 C.4.2, C.4.3).  Invariant: this
 * succeeds only when, for every study, the instances received equal the
 * instances the C-FIND counted and the sub-operations the PACS completed,
 * with none failed or in warning, and each is usable DICOM -- so a disc
 * never holds part of a study.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pacs.h"

#define TAG_STUDY 0x0020000Du

struct progress {
    struct pdb_ctl *ctl;
    uint64_t done, total, bytes;
    struct pdiburn_error *err; /* why the progress callback stopped us */
};

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

static bool on_stored(void *user, uint64_t bytes)
{
    struct progress *pr = user;
    pr->done++;
    pr->bytes += bytes;
    struct pdiburn_progress p = { PDIBURN_STAGE_RETRIEVE, pr->done, pr->total,
                                  NULL, pr->bytes };
    return pr->err || pdb_ctl_report_progress(pr->ctl, &p, &pr->err);
}

static bool complete(const struct pdb_pacs *p, const char *uid,
                     uint64_t expected, const struct dcmshim_retrieved *r,
                     struct pdiburn_error **err)
{
    bool counts_ok = !r->counts_given ||
                     (r->completed == expected && r->failed == 0 &&
                      r->warning == 0);
    if (r->status == 0 && r->received == expected && counts_ok)
        return true;
    return pdb_fail(err, PDIBURN_E_PACS,
                    "PACS '%s': study %s is incomplete: the C-FIND counted "
                    "%llu instance(s), %llu arrived; the %s ended with "
                    "status 0x%04x (%s), %u completed, %u failed, %u "
                    "warning(s); nothing was written",
                    p->node.name, uid, (unsigned long long) expected,
                    (unsigned long long) r->received,
                    p->settings.retrieve == PDIBURN_RETRIEVE_MOVE ? "C-MOVE"
                                                                  : "C-GET",
                    (unsigned) r->status,
                    r->status_text ? r->status_text : "no final response",
                    (unsigned) r->completed, (unsigned) r->failed,
                    (unsigned) r->warning);
}

static bool retrieve_study(const struct pdb_pacs *p,
                           const struct pdb_pacs_study *study,
                           const char *dir, struct progress *pr,
                           struct pdiburn_error **err)
{
    const struct dcmshim_key key = { TAG_STUDY, study->uid };
    struct dcmshim_retrieve_request req = {
        .level = "STUDY", .keys = &key, .nkeys = 1, .dir = dir,
        .first = (unsigned) pr->done + 1,
        .move = p->settings.retrieve == PDIBURN_RETRIEVE_MOVE,
        .move_port = p->settings.move_port,
        .stored = on_stored, .user = pr,
    };
    struct dcmshim_peer peer;
    struct dcmshim_retrieved got;
    char msg[512];
    pdb_pacs_peer(p, &peer);
    enum dcmshim_status st =
        dcmshim_retrieve(&peer, &req, &got, msg, sizeof(msg));
    if (pr->err) { /* cancelled through the progress callback */
        *err = pr->err;
        pr->err = NULL;
        return false;
    }
    if (st != DCMSHIM_OK)
        return pdb_pacs_fail(p, st, msg, err);
    return complete(p, study->uid, study->instances, &got, err);
}

static bool has_filter(const struct pdb_selection *sel)
{
    return sel->nstudy_uids || sel->naccessions || sel->nmodalities ||
           (sel->patient_id && *sel->patient_id) || sel->since[0] ||
           sel->until[0];
}

static bool count_all(const struct pdb_pacs *p, struct pdb_pacs_study *studies,
                      size_t n, uint64_t *total, struct pdiburn_error **err)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!studies[i].instances &&
            !pdb_pacs_count(p, studies[i].uid, &studies[i].instances, err))
            return false;
        *total += studies[i].instances;
    }
    return true;
}

static bool find_all(const struct pdb_pacs *p, const struct pdb_selection *sel,
                     const struct pdb_log *log, struct pdb_pacs_study **studies,
                     size_t *n, struct pdiburn_error **err)
{
    if (!has_filter(sel))
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "a PACS source needs a filter (--study, --accession, "
                        "--patient-id, --since/--until or --modality)");
    if (!pdb_pacs_find_selection(p, sel, studies, n, err))
        return false;
    if (*n > 0)
        return true;
    char *what = pdb_selection_describe(sel, log);
    pdb_fail(err, PDIBURN_E_NOMATCH, "PACS '%s': no study matches %s",
             p->node.name, what ? what : "the filters");
    free(what);
    return false;
}

bool pdb_pacs_retrieve(const struct pdb_pacs *p,
                       const struct pdb_selection *sel, const char *dir,
                       struct pdb_ctl *ctl, struct pdb_pacs_stats *stats,
                       struct pdiburn_error **err)
{
    uint64_t start = now_ms();
    struct pdb_pacs_study *studies = NULL;
    size_t n = 0;
    struct progress pr = { .ctl = ctl };
    bool ok = find_all(p, sel, &ctl->log, &studies, &n, err) &&
              count_all(p, studies, n, &pr.total, err);
    if (ok)
        pdb_info(&ctl->log, "PACS '%s': %zu study/studies, %llu instance(s)",
                 p->node.name, n, (unsigned long long) pr.total);
    for (size_t i = 0; ok && i < n; i++)
        ok = retrieve_study(p, &studies[i], dir, &pr, err);
    free(studies);
    pdiburn_error_free(pr.err);
    stats->instances = pr.done;
    stats->bytes = pr.bytes;
    stats->ms = now_ms() - start;
    return ok;
}

bool pdb_pacs_collect(const struct pdb_pacs *p,
                      const struct pdb_selection *sel, const char *spool,
                      struct pdb_inventory *inventory, struct pdb_ctl *ctl,
                      struct pdb_pacs_stats *stats, struct pdiburn_error **err)
{
    char *dir = pdb_fs_path_join(spool, "pacs");
    bool ok = dir ? pdb_fs_mkdirs(dir, 0700, err) : pdb_fail_nomem(err);
    ok = ok && pdb_pacs_retrieve(p, sel, dir, ctl, stats, err);
    size_t before = inventory->ninstances;
    ok = ok && pdb_source_scan(inventory, dir, ctl, err);
    free(dir);
    /* Every instance that arrived must be one we can use. */
    uint64_t usable = inventory->ninstances - before;
    if (ok && usable != stats->instances)
        ok = pdb_fail(err, PDIBURN_E_PACS,
                      "PACS '%s': %llu instance(s) arrived, %llu of them "
                      "usable DICOM; nothing was written",
                      p->node.name, (unsigned long long) stats->instances,
                      (unsigned long long) usable);
    return ok;
}
