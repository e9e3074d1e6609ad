/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cli.h - what the files of the command-line tool share: global options,
 * the exit statuses (an interface: documented in pdiburn(1), never
 * renumbered), and the helpers every command uses.
 */
#ifndef CLI_H
#define CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "pdiburn/pdiburn.h"

enum exit_status {
    EXIT_OK = 0,
    EXIT_FAILURE_GENERIC = 1, /* out of memory, internal error */
    EXIT_USAGE = 2,
    EXIT_INPUT = 3,    /* source unreadable, not usable DICOM, no match */
    EXIT_PACS = 4,
    EXIT_OUTPUT = 5,   /* output file, drive, medium, space, permissions */
    EXIT_VERIFY = 6,   /* the media differs from what it should hold */
    EXIT_CANCELLED = 130,
};

enum progress_mode { PROGRESS_AUTO, PROGRESS_ALWAYS, PROGRESS_NEVER };

struct global_opts {
    bool json, quiet, verbose;
    enum progress_mode progress;
    const char *config;
};


typedef int (*cli_handler)(int argc, char **argv, const struct global_opts *g);

int cmd_iso(int argc, char **argv, const struct global_opts *g);
int cmd_dir(int argc, char **argv, const struct global_opts *g);
int cmd_verify(int argc, char **argv, const struct global_opts *g);

/* escape.c: text for the terminal, control characters and bytes that
 * are not UTF-8 escaped (\n, \x1b); cli_say keeps a final newline. */
void cli_put_escaped(FILE *out, const char *s);
/* The same as a malloc'd string; NULL without memory. */
char *cli_escaped(const char *s);
void cli_say(FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* report.c */
int cli_exit_status(enum pdiburn_code code);
void cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* session.c: one run of the library with log, progress and SIGINT wired
 * to the terminal, and its result reported; takes ownership of err. */
struct session;
struct session *cli_session_new(const char *command,
                                const struct global_opts *g);
void cli_session_attach(struct session *s, struct pdiburn_job *job);
int cli_session_finish(struct session *s, struct pdiburn_job *job,
                       struct pdiburn_error *err);
/* The same for an index run of the catalog. */
void cli_session_attach_catalog(struct session *s,
                                struct pdiburn_catalog *cat);
/* Reports the outcome: with --json one document whose own members
 * `result` adds (j set), else the error on stderr and then `result` with
 * j NULL to print the text result; returns the exit status. */
struct pdb_json;
typedef void (*cli_result_fn)(struct pdb_json *j,
                              const struct pdiburn_error *err, void *user);
int cli_session_end(struct session *s, struct pdiburn_error *err,
                    cli_result_fn result, void *user);

/* passphrase.c: from a file, or asked twice on the terminal; malloc'd,
 * NULL after saying why not. */
char *cli_passphrase(const char *file, const char *command);
char *cli_passphrase_to_open(const char *file, const char *command);
/* Hands `secret` to the job, then wipes and frees it; false for NULL. */
bool cli_job_passphrase(struct pdiburn_job *job, char *secret,
                        struct pdiburn_error **err);

int cmd_zip(int argc, char **argv, const struct global_opts *g);
int cmd_usb(int argc, char **argv, const struct global_opts *g);
int cmd_burn(int argc, char **argv, const struct global_opts *g);
int cmd_drives(int argc, char **argv, const struct global_opts *g);
int cmd_echo(int argc, char **argv, const struct global_opts *g);
int cmd_index(int argc, char **argv, const struct global_opts *g);
int cmd_find(int argc, char **argv, const struct global_opts *g);
int cmd_config(int argc, char **argv, const struct global_opts *g);
int cmd_audit(int argc, char **argv, const struct global_opts *g);
int cmd_batch(int argc, char **argv, const struct global_opts *g);

/* A message of the tool's own, shown (or kept for --json) as the
 * library's are. */
void cli_session_note(struct session *s, enum pdiburn_log_level level,
                      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The export's audit record could not be written: exit status 5. */
void cli_session_audit_failed(struct session *s, const char *why);

/* session.c: asks for the next blank disc (pdiburn_medium_fn). */
bool cli_ask_for_disc(unsigned index, unsigned count, void *session);

/* export.c: the commands that make media (iso, dir, zip) share their
 * options */
int cli_export(int argc, char **argv, const struct global_opts *g,
               const char *command, enum pdiburn_target target);

#endif
