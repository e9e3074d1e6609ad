/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The local audit log: one PS3.15 Export message per line, appended and
 * fsync'd before the export reports success, readable by its owner only
 * (it names patients).  DICOM defines no local log (PS3.15 A.5); this is
 * the record that exists even while the syslog collector is down.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"

static bool say(char **why, const char *what, const char *path)
{
    int n = path ? asprintf(why, "%s '%s': %s", what, path, strerror(errno))
                 : asprintf(why, "%s: %s", what, strerror(errno));
    if (n < 0)
        *why = NULL;
    return false;
}

/* mkdir -p, new folders private: the log's folder also holds the spool. */
static bool make_parents(const char *path, char **why)
{
    char *copy = strdup(path);
    if (!copy) {
        *why = NULL;
        return false;
    }
    bool ok = true;
    for (char *p = copy + 1; ok && (p = strchr(p, '/')); p++) {
        *p = 0;
        ok = mkdir(copy, 0700) == 0 || errno == EEXIST ||
             say(why, "making the folder", copy);
        *p = '/';
    }
    free(copy);
    return ok;
}

int cli_audit_log_open(const char *path, char **why)
{
    if (!make_parents(path, why))
        return -1;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        say(why, "opening the audit log", path);
    return fd;
}

bool cli_audit_log_append(int fd, const char *xml, char **why)
{
    size_t n = strlen(xml);
    char *line = malloc(n + 2);
    if (!line) {
        *why = NULL;
        return false;
    }
    memcpy(line, xml, n);
    line[n] = '\n';
    ssize_t put = write(fd, line, n + 1);
    free(line);
    if (put != (ssize_t) (n + 1)) {
        if (put >= 0)
            errno = ENOSPC;
        return say(why, "writing the audit log", NULL);
    }
    return fsync(fd) == 0 || say(why, "syncing the audit log", NULL);
}

bool cli_audit_log_each(const char *path, cli_audit_line_fn fn, void *user,
                        char **why)
{
    FILE *f = fopen(path, "r");
    if (!f && errno == ENOENT)
        return true; /* no export recorded yet */
    if (!f)
        return say(why, "reading the audit log", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (n > 0)
            fn(line, (size_t) n, user);
    }
    free(line);
    fclose(f);
    return true;
}
