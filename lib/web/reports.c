/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reports for people, under REPORTS/: DICOM SR documents rendered as XHTML
 * (by DCMTK), encapsulated PDFs and CDA documents taken out of their DICOM
 * wrapper, and report files given with --report (PDF, plain text, HL7
 * CDA).  The DICOM instances stay on the media as they are; these are
 * copies a browser opens.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cda.h"
#include "dcmshim.h"
#include "dirrecord.h"
#include "source.h"
#include "text.h"
#include "web.h"

#define REPORT_LIMIT (256u << 20) /* a report file larger than this is not one */

static bool add_report(struct pdb_web *web, const struct pdb_study *study,
                       const char *ext, char *title, const char *kind,
                       uint8_t *data, size_t len, struct pdb_content *out,
                       struct pdiburn_error **err)
{
    if (!pdb_grow(&web->reports, web->nreports, sizeof(*web->reports))) {
        free(title);
        free(data);
        return pdb_fail_nomem(err);
    }
    struct pdb_web_report *r = &web->reports[web->nreports++];
    snprintf(r->href, sizeof(r->href), "REPORTS/R%04zu.%s", web->nreports,
             ext);
    r->study = study;
    r->title = title;
    r->kind = kind;
    return pdb_content_add_mem(out, r->href, data, len, err);
}

static char *title_from(const struct pdb_instance *inst, const char *what)
{
    char *doc = pdb_text_utf8(inst, 0x00420010); /* Document Title */
    char date[16];
    char da[9] = "";
    pdb_instance_string(inst, TAG_CONTENT_DATE, da, sizeof(da));
    pdb_text_date(da, date, sizeof(date));
    char *title = doc && *doc ? pdb_format("%s", doc)
                  : da[0]     ? pdb_format("%s, %s", what, date)
                              : pdb_format("%s", what);
    free(doc);
    return title;
}

static bool sr_report(const struct pdb_instance *inst,
                      const struct pdb_study *study, struct pdb_web *web,
                      struct pdb_content *out, struct pdb_log *log,
                      struct pdiburn_error **err)
{
    uint8_t *html = NULL;
    size_t len = 0;
    char msg[256] = "cannot open it";
    struct pdb_source_file f;
    bool opened = pdb_source_file_open(&f, inst->path, NULL);
    bool ok = opened && dcmshim_sr_to_xhtml(f.name, &html, &len, msg,
                                            sizeof(msg)) == DCMSHIM_OK;
    if (opened)
        pdb_source_file_close(&f);
    if (!ok) {
        pdb_warn(log, "'%s': structured report not rendered: %s", inst->path,
                 msg);
        return true;
    }
    return add_report(web, study, "HTM",
                      title_from(inst, "Structured report"), "sr", html, len,
                      out, err);
}

/* The Encapsulated Document of an instance; false (named in a warning)
 * when it cannot be had. */
static bool document_of(const struct pdb_instance *inst, uint8_t **doc,
                        size_t *len, struct pdb_log *log)
{
    char msg[256] = "cannot open it";
    struct pdb_source_file f;
    bool opened = pdb_source_file_open(&f, inst->path, NULL);
    bool ok = opened && dcmshim_encapsulated_document(f.name, doc, len, msg,
                                                      sizeof(msg)) ==
                            DCMSHIM_OK;
    if (opened)
        pdb_source_file_close(&f);
    if (!ok)
        pdb_warn(log, "'%s': document not extracted: %s", inst->path, msg);
    return ok;
}

static bool encapsulated_report(const struct pdb_instance *inst,
                                const struct pdb_study *study,
                                struct pdb_web *web, struct pdb_content *out,
                                struct pdb_log *log,
                                struct pdiburn_error **err)
{
    char mime[65] = "";
    uint8_t *doc = NULL, *page = NULL;
    size_t len = 0, page_len = 0;
    pdb_instance_string(inst, 0x00420012, mime, sizeof(mime));
    if (!document_of(inst, &doc, &len, log))
        return true;
    if (strcmp(mime, "application/pdf") == 0)
        return add_report(web, study, "PDF",
                          title_from(inst, "PDF document"), "pdf", doc, len,
                          out, err);
    char *title = NULL;
    struct pdiburn_error *why = NULL;
    bool cda = pdb_cda_detect(doc, len) &&
               pdb_cda_render(doc, len, &page, &page_len, &title, &why);
    free(doc);
    pdiburn_error_free(why);
    if (!cda) {
        free(title);
        return true; /* other documents stay in their DICOM files */
    }
    free(title);
    return add_report(web, study, "HTM",
                      title_from(inst, "Clinical document"), "cda", page,
                      page_len, out, err);
}

/* Reports belong to the study of the volume's view, where pages look. */
static bool instance_report(const struct pdb_instance *inst,
                            const struct pdb_study *study, struct pdb_web *web,
                            struct pdb_content *out, struct pdb_log *log,
                            struct pdiburn_error **err)
{
    const char *type = pdb_records_type_of(inst->sop_class);
    if (!pdb_instance_on_media(inst))
        return true;
    if (strcmp(type, "SR DOCUMENT") == 0 ||
        strcmp(type, "KEY OBJECT DOC") == 0)
        return sr_report(inst, study, web, out, log, err);
    if (strcmp(type, "ENCAP DOC") == 0)
        return encapsulated_report(inst, study, web, out, log, err);
    return true;
}

static bool read_file(const char *path, uint8_t **data, size_t *len,
                      struct pdiburn_error **err)
{
    uint64_t size = 0;
    if (!pdb_fs_file_size(path, &size, err))
        return false;
    if (size > REPORT_LIMIT)
        return pdb_fail(err, PDIBURN_E_IO, "report '%s' is too large", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    *data = malloc(size + 1);
    size_t got = 0;
    bool ok = fd >= 0 && *data && pdb_fs_read_at(fd, *data, size, 0, &got) &&
              got == size;
    int e = errno;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        free(*data);
        return pdb_fail(err, PDIBURN_E_IO, "reading report '%s': %s", path,
                        strerror(e));
    }
    *len = got;
    return true;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Reports given on the command line belong to the study when the media
 * holds one; otherwise to the media as a whole, never to a patient they
 * might not be about. */
static bool external_report(const char *path, const struct pdb_study *study,
                            struct pdb_web *web, struct pdb_content *out,
                            struct pdiburn_error **err)
{
    uint8_t *data = NULL, *page = NULL;
    size_t len = 0, page_len = 0;
    char *title = NULL;
    if (!read_file(path, &data, &len, err))
        return false;
    if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return add_report(web, study, "PDF", strdup(base_name(path)), "pdf",
                          data, len, out, err);
    if (pdb_cda_detect(data, len)) {
        bool ok = pdb_cda_render(data, len, &page, &page_len, &title, err);
        free(data);
        if (!ok) {
            pdb_error_prefix(err, "report '%s': ", path);
            free(title);
            return false;
        }
        return add_report(web, study, "HTM", title, "cda", page, page_len,
                          out, err);
    }
    return add_report(web, study, "TXT", strdup(base_name(path)), "txt",
                      data, len, out, err);
}

bool pdb_web_reports(const struct pdb_inventory *cat,
                     const struct pdb_web_options *opts, struct pdb_web *web,
                     struct pdb_content *out, struct pdb_log *log,
                     struct pdiburn_error **err)
{
    const struct pdb_study *only = NULL;
    size_t studies = 0;
    for (size_t p = 0; p < cat->npatients; p++)
        for (size_t s = 0; s < cat->patients[p]->nstudies; s++) {
            const struct pdb_study *st = cat->patients[p]->studies[s];
            only = studies++ ? NULL : st;
            for (size_t e = 0; e < st->nseries; e++)
                for (size_t i = 0; i < st->series[e]->ninstances; i++)
                    if (!instance_report(st->series[e]->instances[i], st,
                                         web, out, log, err))
                        return false;
        }
    if (opts->nreports && studies > 1)
        pdb_warn(log, "the media holds %zu studies: reports given with "
                 "--report are listed for the media as a whole",
                 studies);
    for (size_t i = 0; i < opts->nreports; i++)
        if (!external_report(opts->reports[i], only, web, out, err))
            return false;
    return true;
}
