/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What PS3.3 Annex F asks of a directory record, as tables: the record
 * type for a SOP Class (F.4, as DCMTK's sopClassToRecordType maps them)
 * and the Type 1 keys of each record type (F.5, Tables F.5-1 to F.5-46).
 */
#include <string.h>

#include "record_rules.h"

struct class_rule {
    const char *uid; /* a SOP Class, or a family when it ends in '.' */
    const char *type;
};

static const struct class_rule class_rules[] = {
    { "1.2.840.10008.5.1.4.1.1.88.59", "KEY OBJECT DOC" },
    { "1.2.840.10008.5.1.4.1.1.88.", "SR DOCUMENT" },
    { "1.2.840.10008.5.1.4.1.1.104.", "ENCAP DOC" },
    { "1.2.840.10008.5.1.4.1.1.11.", "PRESENTATION" },
    { "1.2.840.10008.5.1.4.1.1.131", "PRESENTATION" },
    { "1.2.840.10008.5.1.4.1.1.9.", "WAVEFORM" },
    { "1.2.840.10008.5.1.4.1.1.481.2", "RT DOSE" },
    { "1.2.840.10008.5.1.4.1.1.481.3", "RT STRUCTURE SET" },
    { "1.2.840.10008.5.1.4.1.1.481.4", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.481.5", "RT PLAN" },
    { "1.2.840.10008.5.1.4.1.1.481.6", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.481.7", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.481.8", "RT PLAN" },
    { "1.2.840.10008.5.1.4.1.1.481.9", "RT TREAT RECORD" },
    { "1.2.840.10008.5.1.4.1.1.4.2", "SPECTROSCOPY" },
    { "1.2.840.10008.5.1.4.1.1.66", "RAW DATA" },
    { "1.2.840.10008.5.1.4.1.1.66.1", "REGISTRATION" },
    { "1.2.840.10008.5.1.4.1.1.66.2", "FIDUCIAL" },
    { "1.2.840.10008.5.1.4.1.1.66.3", "REGISTRATION" },
    { "1.2.840.10008.5.1.4.1.1.66.5", "SURFACE" },
    { "1.2.840.10008.5.1.4.1.1.67", "VALUE MAP" },
    { "1.2.840.10008.5.1.4.1.1.77.1.5.3", "STEREOMETRIC" },
    { "1.2.840.10008.5.1.4.38.1", "HANGING PROTOCOL" },
    { "1.2.840.10008.5.1.4.39.1", "PALETTE" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static bool matches(const char *rule, const char *uid)
{
    size_t n = strlen(rule);
    return rule[n - 1] == '.' ? strncmp(rule, uid, n) == 0
                              : strcmp(rule, uid) == 0;
}

const char *pdb_record_type_of_class(const char *sop_class)
{
    for (size_t i = 0; i < N(class_rules); i++)
        if (matches(class_rules[i].uid, sop_class))
            return class_rules[i].type;
    return NULL;
}

bool pdb_record_type_is_specific(const char *type)
{
    for (size_t i = 0; i < N(class_rules); i++)
        if (strcmp(class_rules[i].type, type) == 0)
            return true;
    return false;
}

#define INSTANCE_NUMBER 0x00200013u
#define CONTENT_DATE    0x00080023u
#define CONTENT_TIME    0x00080033u
#define CONCEPT_NAME    0x0040A043u

struct type1_rule {
    const char *type;
    uint32_t keys[7]; /* zero-terminated */
};

static const struct type1_rule type1_rules[] = {
    { "PATIENT", { 0x00100020 } },
    { "STUDY", { 0x00080020, 0x00080030, 0x00200010 } },
    { "SERIES", { 0x00080060, 0x0020000E, 0x00200011 } },
    { "IMAGE", { INSTANCE_NUMBER } },
    { "SR DOCUMENT",
      { INSTANCE_NUMBER, 0x0040A491, 0x0040A493, CONTENT_DATE, CONTENT_TIME,
        CONCEPT_NAME } },
    { "KEY OBJECT DOC",
      { INSTANCE_NUMBER, CONTENT_DATE, CONTENT_TIME, CONCEPT_NAME } },
    { "ENCAP DOC", { INSTANCE_NUMBER, 0x00420012 } },
    { "PRESENTATION", { 0x00700082, 0x00700083, INSTANCE_NUMBER, 0x00700080 } },
    { "WAVEFORM", { INSTANCE_NUMBER, CONTENT_DATE, CONTENT_TIME } },
    { "RT DOSE", { INSTANCE_NUMBER, 0x3004000A } },
    { "RT STRUCTURE SET", { INSTANCE_NUMBER, 0x30060002 } },
    { "RT PLAN", { INSTANCE_NUMBER, 0x300A0002 } },
    { "RT TREAT RECORD", { INSTANCE_NUMBER } },
    { "RAW DATA", { CONTENT_DATE, CONTENT_TIME } },
    { "REGISTRATION",
      { CONTENT_DATE, CONTENT_TIME, INSTANCE_NUMBER, 0x00700080 } },
    { "FIDUCIAL", { CONTENT_DATE, CONTENT_TIME, INSTANCE_NUMBER, 0x00700080 } },
};

const uint32_t *pdb_record_type1_keys(const char *type)
{
    for (size_t i = 0; i < N(type1_rules); i++)
        if (strcmp(type1_rules[i].type, type) == 0)
            return type1_rules[i].keys;
    return NULL;
}

static const struct {
    uint32_t tag;
    const char *name;
} key_names[] = {
    { 0x00080005, "Specific Character Set" },
    { 0x00080020, "Study Date" },
    { 0x00080023, "Content Date" },
    { 0x00080030, "Study Time" },
    { 0x00080033, "Content Time" },
    { 0x00080050, "Accession Number" },
    { 0x00080060, "Modality" },
    { 0x00100010, "Patient's Name" },
    { 0x00100020, "Patient ID" },
    { 0x00100030, "Patient's Birth Date" },
    { 0x00100040, "Patient's Sex" },
    { 0x0020000D, "Study Instance UID" },
    { 0x0020000E, "Series Instance UID" },
    { 0x00200010, "Study ID" },
    { 0x00200011, "Series Number" },
    { 0x00200013, "Instance Number" },
    { 0x00420012, "MIME Type of Encapsulated Document" },
    { 0x0040A043, "Concept Name Code Sequence" },
    { 0x0040A491, "Completion Flag" },
    { 0x0040A493, "Verification Flag" },
    { 0x00700080, "Content Label" },
    { 0x00700082, "Presentation Creation Date" },
    { 0x00700083, "Presentation Creation Time" },
    { 0x3004000A, "Dose Summation Type" },
    { 0x30060002, "Structure Set Label" },
    { 0x300A0002, "RT Plan Label" },
};

const char *pdb_record_key_name(uint32_t tag)
{
    for (size_t i = 0; i < N(key_names); i++)
        if (key_names[i].tag == tag)
            return key_names[i].name;
    return "key";
}
