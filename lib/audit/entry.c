/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An Export audit message (PS3.15 A.5.3.4) read back into the few facts a
 * listing shows: when, who, outcome, which medium, which patients, how
 * many studies and instances.  Messages of other events are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "xml.h"

static void copy(char *out, size_t len, const char *value)
{
    snprintf(out, len, "%s", value ? value : "");
}

static const char *code_of(const struct pdb_xml_node *n, const char *child)
{
    return pdb_xml_attr(pdb_xml_child(n, child), "csd-code");
}

static bool is_code(const struct pdb_xml_node *n, const char *child,
                    const char *code)
{
    const char *c = code_of(n, child);
    return c && strcmp(c, code) == 0;
}

static bool event(const struct pdb_xml_node *ev,
                  struct pdiburn_audit_entry *e)
{
    if (!is_code(ev, "EventID", "110106"))
        return false;
    copy(e->when, sizeof(e->when), pdb_xml_attr(ev, "EventDateTime"));
    const char *outcome = pdb_xml_attr(ev, "EventOutcomeIndicator");
    e->outcome = outcome ? (unsigned) atoi(outcome) : 0;
    char *text = pdb_xml_content(pdb_xml_child(ev, "EventOutcomeDescription"));
    copy(e->outcome_text, sizeof(e->outcome_text), text);
    free(text);
    return true;
}

static void participant(const struct pdb_xml_node *n,
                        struct pdiburn_audit_entry *e)
{
    const char *requestor = pdb_xml_attr(n, "UserIsRequestor");
    if (requestor && strcmp(requestor, "true") == 0)
        copy(e->user, sizeof(e->user), pdb_xml_attr(n, "UserID"));
    if (!is_code(n, "RoleIDCode", "110154"))
        return;
    copy(e->media, sizeof(e->media), pdb_xml_attr(n, "UserID"));
    copy(e->fileset_uid, sizeof(e->fileset_uid),
         pdb_xml_attr(n, "AlternativeUserID"));
    const struct pdb_xml_node *type =
        pdb_xml_child(pdb_xml_child(n, "MediaIdentifier"), "MediaType");
    copy(e->media_type, sizeof(e->media_type),
         pdb_xml_attr(type, "originalText"));
}

static bool add_patient(const struct pdb_xml_node *n,
                        struct pdiburn_audit_entry *e)
{
    if (!pdb_grow(&e->patients, e->npatients, sizeof(*e->patients)))
        return false;
    struct pdiburn_audit_patient *p = &e->patients[e->npatients++];
    copy(p->id, sizeof(p->id), pdb_xml_attr(n, "ParticipantObjectID"));
    char *name = pdb_xml_content(pdb_xml_child(n, "ParticipantObjectName"));
    copy(p->name, sizeof(p->name), name);
    free(name);
    return true;
}

static void count_study(const struct pdb_xml_node *n,
                        struct pdiburn_audit_entry *e)
{
    e->studies++;
    const struct pdb_xml_node *d =
        pdb_xml_child(n, "ParticipantObjectDescription");
    for (const struct pdb_xml_node *c = pdb_xml_first(d); c;
         c = pdb_xml_next(c)) {
        const char *count = pdb_xml_attr(c, "NumberOfInstances");
        if (pdb_xml_is(c, "SOPClass") && count)
            e->instances += strtoull(count, NULL, 10);
    }
}

static bool object(const struct pdb_xml_node *n,
                   struct pdiburn_audit_entry *e)
{
    const char *type = pdb_xml_attr(n, "ParticipantObjectTypeCode");
    const char *role = pdb_xml_attr(n, "ParticipantObjectTypeCodeRole");
    if (!type || !role)
        return true;
    if (strcmp(type, "1") == 0 && strcmp(role, "1") == 0)
        return add_patient(n, e);
    if (strcmp(type, "2") == 0 && strcmp(role, "3") == 0)
        count_study(n, e);
    return true;
}

static bool walk(const struct pdb_xml_node *root,
                 struct pdiburn_audit_entry *e)
{
    bool export = false, ok = true;
    for (const struct pdb_xml_node *n = pdb_xml_first(root); n && ok;
         n = pdb_xml_next(n)) {
        if (pdb_xml_is(n, "EventIdentification"))
            export = event(n, e);
        else if (pdb_xml_is(n, "ActiveParticipant"))
            participant(n, e);
        else if (pdb_xml_is(n, "ParticipantObjectIdentification"))
            ok = object(n, e);
    }
    return ok && export;
}

bool pdiburn_audit_entry_parse(const char *xml, size_t len,
                               struct pdiburn_audit_entry *entry,
                               struct pdiburn_error **err)
{
    memset(entry, 0, sizeof(*entry));
    struct pdb_xml_doc *doc = pdb_xml_parse((const uint8_t *) xml, len);
    const struct pdb_xml_node *root = pdb_xml_root(doc);
    bool ok = root && pdb_xml_is(root, "AuditMessage") && walk(root, entry);
    pdb_xml_free(doc);
    if (!ok) {
        pdiburn_audit_entry_clear(entry);
        return pdb_fail(err, PDIBURN_E_USAGE,
                        "not a DICOM Export audit message");
    }
    return true;
}

void pdiburn_audit_entry_clear(struct pdiburn_audit_entry *entry)
{
    free(entry->patients);
    memset(entry, 0, sizeof(*entry));
}
