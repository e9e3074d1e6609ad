/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * JSON read with Jansson, the one file that knows it: a job of a
 * JSON-lines job file, the --json result a child pdiburn printed, and
 * the lines of a results file an earlier batch wrote.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

/* A scalar as text: strings as they are, numbers as written, booleans as
 * true/false; NULL for null, objects and arrays. */
static char *scalar(const json_t *v)
{
    char *out = NULL;
    if (json_is_string(v))
        return strdup(json_string_value(v));
    if (json_is_integer(v) &&
        asprintf(&out, "%" JSON_INTEGER_FORMAT, json_integer_value(v)) >= 0)
        return out;
    if (json_is_real(v) && asprintf(&out, "%.17g", json_real_value(v)) >= 0)
        return out;
    if (json_is_boolean(v))
        return strdup(json_is_true(v) ? "true" : "false");
    return NULL;
}

static bool say(char **why, const char *what)
{
    *why = strdup(what);
    return false;
}

static bool take_values(struct job_field *f, const json_t *v, char **why)
{
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    f->array = json_is_array(v);
    f->values = calloc(n ? n : 1, sizeof(char *));
    if (!f->values)
        return say(why, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *item = f->array ? json_array_get(v, i) : v;
        if (!(f->values[i] = scalar(item))) {
            if (asprintf(why, "field '%s': give text, a number, true/false "
                              "or a list of those",
                         f->name) < 0)
                *why = NULL;
            return false;
        }
        f->nvalues++;
    }
    return true;
}

bool cli_json_job(const char *line, struct job_fields *out, char **why)
{
    json_error_t error;
    json_t *root = json_loads(line, JSON_REJECT_DUPLICATES, &error);
    if (!json_is_object(root)) {
        json_decref(root);
        return say(why, root ? "not a JSON object" : error.text);
    }
    out->f = calloc(json_object_size(root) + 1, sizeof(*out->f));
    bool ok = out->f != NULL;
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value)
    {
        if (!ok || json_is_null(value))
            continue;
        struct job_field *f = &out->f[out->n++];
        f->name = strdup(key);
        ok = f->name && take_values(f, value, why);
    }
    json_decref(root);
    return ok || (*why ? false : say(why, "out of memory"));
}

static uint64_t number(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) && json_integer_value(v) > 0
               ? (uint64_t) json_integer_value(v)
               : 0;
}

static void outputs(const json_t *o, struct batch_result *r)
{
    const json_t *list = json_object_get(o, "volume_list");
    size_t n = json_array_size(list);
    r->outputs = calloc(n + 1, sizeof(char *));
    for (size_t i = 0; r->outputs && i < n; i++) {
        const char *out =
            json_string_value(json_object_get(json_array_get(list, i),
                                              "output"));
        if (out && (r->outputs[r->noutputs] = strdup(out)))
            r->noutputs++;
    }
}

bool cli_json_child_result(const char *text, struct batch_result *r)
{
    json_t *o = json_loads(text, JSON_DISABLE_EOF_CHECK, NULL);
    if (!json_is_object(o)) {
        json_decref(o);
        return false;
    }
    const char *message = json_string_value(json_object_get(o, "message"));
    r->message = message ? strdup(message) : NULL;
    r->patients = number(o, "patients");
    r->studies = number(o, "studies");
    r->series = number(o, "series");
    r->instances = number(o, "instances");
    r->volumes = number(o, "volumes");
    r->bytes = number(o, "bytes");
    r->warnings = number(o, "warnings");
    if (json_is_true(json_object_get(o, "ok")))
        outputs(o, r);
    json_decref(o);
    return true;
}

char *cli_json_done_id(const char *line)
{
    json_t *o = json_loads(line, 0, NULL);
    const char *status = json_string_value(json_object_get(o, "status"));
    const char *id = json_string_value(json_object_get(o, "id"));
    char *done = status && id && strcmp(status, "ok") == 0 ? strdup(id)
                                                           : NULL;
    json_decref(o);
    return done;
}
