/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* json.h - the one JSON object that --json prints (json.c). */
#ifndef CLI_JSON_H
#define CLI_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
    FILE *out;
    int depth;
    bool first; /* no comma before the next member */
};

void json_begin(struct json *j, FILE *out);
void json_end(struct json *j);
void json_str(struct json *j, const char *key, const char *value);
void json_uint(struct json *j, const char *key, uint64_t value);
void json_bool(struct json *j, const char *key, bool value);
void json_array_begin(struct json *j, const char *key);
void json_array_str(struct json *j, const char *value);
void json_array_end(struct json *j);

#endif
