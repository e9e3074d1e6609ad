/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The DICOM PS3.15 A.5.3.4 "Export" audit message of one medium, in the
 * A.5.1 schema: the event (110106, action R, outcome), the requesting
 * user and our process (110153 Source Role ID), the medium (110154
 * Destination Media, MediaType from CID 405, the File-set UID as
 * AlternativeUserID), the audit source, then every patient (ID type
 * "Patient Number") and study (110180, SOP classes with counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "xml.h"

struct code {
    const char *code, *system, *text;
};

static const struct code media_codes[] = {
    { "110032", "DCM", "CD" },  { "110033", "DCM", "DVD" },
    { "110030", "DCM", "USB Disk Emulation" }, { "110031", "DCM", "Email" },
    { "110037", "DCM", "URI" },
};
enum { MEDIA_CD, MEDIA_DVD, MEDIA_USB, MEDIA_EMAIL, MEDIA_URI };

/* Bytes in the UTF-8 sequence that `c` starts; 0 when it starts none. */
static int utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                        : (c >> 3) == 30 ? 4 : 0;
}

/* XML 1.0 has no control characters and one message is one line, so
 * they become spaces; bytes that are not UTF-8 become '?'. */
static char *clean(const char *s)
{
    char *out = strdup(s);
    for (unsigned char *p = (unsigned char *) out; p && *p;) {
        int len = utf8_len(*p);
        bool ok = len > 0;
        for (int k = 1; ok && k < len; k++)
            ok = (p[k] & 0xC0) == 0x80;
        if (!ok)
            *p = '?';
        else if (*p < 0x20)
            *p = ' ';
        p += ok ? len : 1;
    }
    return out;
}

static void attr(struct pdb_el *el, const char *name, const char *value)
{
    char *v = clean(value);
    if (v)
        pdb_el_attr(el, name, v);
    free(v);
}

static struct pdb_el *add_text(struct pdb_el *parent, const char *name,
                               const char *text)
{
    char *v = clean(text);
    struct pdb_el *el = pdb_el_add(parent, name, v ? v : "");
    free(v);
    return el;
}

static void coded(struct pdb_el *parent, const char *name,
                  const struct code *c)
{
    struct pdb_el *el = pdb_el_add(parent, name, NULL);
    pdb_el_attr(el, "csd-code", c->code);
    pdb_el_attr(el, "codeSystemName", c->system);
    pdb_el_attr(el, "originalText", c->text);
}

static void event(struct pdb_el *root, const struct pdb_audit_medium *m)
{
    static const struct code export = { "110106", "DCM", "Export" };
    /* IHE RAD-47, the PDI transaction this export is. */
    static const struct code rad47 = { "RAD-47", "IHE Transactions",
                                       "Distribute Imaging Information on "
                                       "Media" };
    char outcome[8];
    snprintf(outcome, sizeof(outcome), "%u", m->outcome);
    struct pdb_el *ev = pdb_el_add(root, "EventIdentification", NULL);
    pdb_el_attr(ev, "EventActionCode", "R");
    pdb_el_attr(ev, "EventDateTime", m->when);
    pdb_el_attr(ev, "EventOutcomeIndicator", outcome);
    coded(ev, "EventID", &export);
    coded(ev, "EventTypeCode", &rad47);
    if (m->outcome_text)
        add_text(ev, "EventOutcomeDescription", m->outcome_text);
}

static const struct code source_role = { "110153", "DCM", "Source Role ID" };

/* The person who asked (the requestor, A.5.3.4.1), then our process,
 * which A.5.2.2 identifies by its process ID as AlternativeUserID. */
static void exporters(struct pdb_el *root, const struct pdb_audit_who *who)
{
    struct pdb_el *user = pdb_el_add(root, "ActiveParticipant", NULL);
    attr(user, "UserID", who->user_id);
    if (who->user_name && *who->user_name)
        attr(user, "UserName", who->user_name);
    pdb_el_attr(user, "UserIsRequestor", "true");
    coded(user, "RoleIDCode", &source_role);
    char pid[24], name[64];
    snprintf(pid, sizeof(pid), "%ld", who->pid);
    snprintf(name, sizeof(name), "pdiburn %s", PDIBURN_VERSION);
    struct pdb_el *proc = pdb_el_add(root, "ActiveParticipant", NULL);
    pdb_el_attr(proc, "UserID", "pdiburn");
    pdb_el_attr(proc, "AlternativeUserID", pid);
    pdb_el_attr(proc, "UserName", name);
    pdb_el_attr(proc, "UserIsRequestor", "false");
    coded(proc, "RoleIDCode", &source_role);
}

static int media_type(const struct pdb_audit_target *t)
{
    bool dvd = (t->media && strncmp(t->media, "dvd", 3) == 0) ||
               (t->profile && strstr(t->profile, "DVD"));
    bool bd = t->media && strcmp(t->media, "bd") == 0;
    switch (t->kind) {
    case PDIBURN_TARGET_ZIP: return MEDIA_EMAIL;
    case PDIBURN_TARGET_USB: return MEDIA_USB;
    case PDIBURN_TARGET_DIR:
        if (!t->robot)
            return MEDIA_URI;
        break;
    case PDIBURN_TARGET_ISO:
    case PDIBURN_TARGET_DISC: break;
    }
    /* CID 405 has no Blu-ray code: the medium is named by its URI. */
    return bd ? MEDIA_URI : dvd ? MEDIA_DVD : MEDIA_CD;
}

static bool unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (c && strchr("-._~/", c));
}

/* RFC 3986: the path of a file URI, every byte but the unreserved ones
 * and '/' percent-encoded. */
static char *file_uri(const char *path)
{
    char cwd[4096] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
        cwd[0] = 0;
    struct pdb_buf b = { 0 };
    pdb_buf_add_str(&b, "file://");
    char *full = pdb_format("%s%s%s", cwd, cwd[0] ? "/" : "", path);
    for (const unsigned char *p = (const unsigned char *) full; p && *p; p++) {
        if (unreserved(*p))
            pdb_buf_add(&b, p, 1);
        else
            pdb_buf_printf(&b, "%%%02X", *p);
    }
    free(full);
    pdb_buf_add(&b, "", 1);
    return (char *) pdb_buf_steal(&b, NULL);
}

static char *media_user_id(const struct pdb_audit_medium *m,
                           const struct pdb_audit_target *t, int type)
{
    if (t->kind != PDIBURN_TARGET_DISC)
        return file_uri(m->output);
    /* A.5.2.1: free text of the media type and its label. */
    return pdb_format("%s in drive %s, volume label %s",
                      media_codes[type].text, m->output,
                      m->label[0] ? m->label : "(none)");
}

static bool medium(struct pdb_el *root, const struct pdb_audit_medium *m,
                   const struct pdb_audit_target *t)
{
    static const struct code dest = { "110154", "DCM", "Destination Media" };
    int type = media_type(t);
    char *id = media_user_id(m, t, type);
    if (!id)
        return false;
    struct pdb_el *el = pdb_el_add(root, "ActiveParticipant", NULL);
    attr(el, "UserID", id);
    free(id);
    if (m->fileset_uid[0])
        pdb_el_attr(el, "AlternativeUserID", m->fileset_uid);
    pdb_el_attr(el, "UserIsRequestor", "false");
    coded(el, "RoleIDCode", &dest);
    coded(pdb_el_add(el, "MediaIdentifier", NULL), "MediaType",
          &media_codes[type]);
    return true;
}

static void source(struct pdb_el *root, const struct pdb_audit_who *who)
{
    struct pdb_el *el = pdb_el_add(root, "AuditSourceIdentification", NULL);
    if (who->site && *who->site)
        attr(el, "AuditEnterpriseSiteID", who->site);
    attr(el, "AuditSourceID", who->host);
    /* 4: an application process, the same whether a clerk or cron ran it */
    pdb_el_attr(pdb_el_add(el, "AuditSourceTypeCode", NULL), "csd-code", "4");
}

static void patient(struct pdb_el *root, const struct pdb_audit_patient *p)
{
    static const struct code number = { "2", "RFC-3881", "Patient Number" };
    struct pdb_el *el =
        pdb_el_add(root, "ParticipantObjectIdentification", NULL);
    attr(el, "ParticipantObjectID", p->id);
    pdb_el_attr(el, "ParticipantObjectTypeCode", "1");
    pdb_el_attr(el, "ParticipantObjectTypeCodeRole", "1");
    coded(el, "ParticipantObjectIDTypeCode", &number);
    add_text(el, "ParticipantObjectName", p->name);
}

/* The schema asks for a name or a query: the Study Description names a
 * study for the reader of the log. */
static void study(struct pdb_el *root, const struct pdb_audit_study *s,
                  bool encrypted)
{
    static const struct code uid = { "110180", "DCM", "Study Instance UID" };
    struct pdb_el *el =
        pdb_el_add(root, "ParticipantObjectIdentification", NULL);
    pdb_el_attr(el, "ParticipantObjectID", s->uid);
    pdb_el_attr(el, "ParticipantObjectTypeCode", "2");
    pdb_el_attr(el, "ParticipantObjectTypeCodeRole", "3");
    coded(el, "ParticipantObjectIDTypeCode", &uid);
    add_text(el, "ParticipantObjectName", s->description);
    struct pdb_el *d = pdb_el_add(el, "ParticipantObjectDescription", NULL);
    if (s->accession[0])
        attr(pdb_el_add(d, "Accession", NULL), "Number", s->accession);
    for (size_t i = 0; i < s->nsops; i++) {
        struct pdb_el *sop = pdb_el_add(d, "SOPClass", NULL);
        char count[24];
        snprintf(count, sizeof(count), "%llu",
                 (unsigned long long) s->sops[i].count);
        pdb_el_attr(sop, "UID", s->sops[i].uid);
        pdb_el_attr(sop, "NumberOfInstances", count);
    }
    pdb_el_add(d, "Encrypted", encrypted ? "true" : "false");
}

bool pdb_audit_message(const struct pdb_audit *a, size_t index,
                       const struct pdb_audit_target *target,
                       const struct pdb_audit_who *who, char **xml,
                       struct pdiburn_error **err)
{
    if (index >= a->nmedia)
        return pdb_fail(err, PDIBURN_E_USAGE, "no audit message %zu", index);
    const struct pdb_audit_medium *m = &a->media[index];
    struct pdb_xml_out *doc = pdb_xml_out_new("AuditMessage");
    if (!doc)
        return pdb_fail_nomem(err);
    struct pdb_el *root = pdb_xml_out_root(doc);
    event(root, m);
    exporters(root, who);
    bool ok = medium(root, m, target);
    source(root, who);
    for (size_t p = 0; p < m->npatients; p++)
        patient(root, &m->patients[p]);
    for (size_t p = 0; p < m->npatients; p++)
        for (size_t s = 0; s < m->patients[p].nstudies; s++)
            study(root, &m->patients[p].studies[s], target->encrypted);
    ok = ok ? pdb_xml_out_line(doc, xml, NULL, err) : pdb_fail_nomem(err);
    pdb_xml_out_free(doc);
    return ok;
}
