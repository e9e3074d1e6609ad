/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The passphrase of an encrypted ZIP: from a file (first line), or asked
 * on the terminal twice without echo.  Never from the command line, where
 * other users and shell histories would see it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static void chomp(char *s)
{
    s[strcspn(s, "\r\n")] = 0;
}

#define PASSPHRASE_MAX 1023
/* 7-Zip, which README-FIRST.TXT recommends, uses at most 99 bytes of a
 * WinZip AES password (kPasswordSizeMax in its WzAes.h) and so cannot
 * open a ZIP made with a longer one. */
#define ZIP_AES_MAX 99
#define ZIP_AES_MIN 8

/* The first line, whole, without its CR LF or LF: 1 read, 0 empty, -1
 * longer than PASSPHRASE_MAX, -2 with a NUL in it.  A line cut short, or
 * cut at a NUL, would make a ZIP that opens only with the cut passphrase. */
static int first_line(FILE *f, char line[PASSPHRASE_MAX + 2])
{
    size_t n = 0;
    bool nul = false;
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (n == PASSPHRASE_MAX + 1) /* room for a CR still to go */
            return -1;
        nul = nul || c == 0;
        line[n++] = (char) c;
    }
    if (n > 0 && line[n - 1] == '\r')
        n--;
    line[n] = 0;
    return n > PASSPHRASE_MAX ? -1 : nul ? -2 : n > 0;
}

static const char *line_problem(int rc)
{
    return rc == 0    ? "the first line is empty"
           : rc == -1 ? "the first line is longer than 1023 bytes"
                      : "the first line holds a NUL byte";
}

static bool length_ok(const char *secret, size_t min_len, size_t max_len,
                      const char *command, const char *where)
{
    size_t n = strlen(secret);
    if (n < min_len)
        cli_say(stderr, "pdiburn %s: error: the passphrase%s is shorter "
                        "than %zu characters\n",
                command, where, min_len);
    else if (n > max_len)
        cli_say(stderr, "pdiburn %s: error: the passphrase%s is longer "
                        "than %zu bytes, which 7-Zip cannot open\n",
                command, where, max_len);
    return n >= min_len && n <= max_len;
}

static char *from_file(const char *path, const char *command,
                       size_t min_len, size_t max_len)
{
    FILE *f = fopen(path, "re");
    char line[PASSPHRASE_MAX + 2];
    int rc = f ? first_line(f, line) : 0;
    if (!f || rc != 1)
        cli_say(stderr, "pdiburn %s: error: reading the passphrase from "
                        "'%s': %s\n",
                command, path, f ? line_problem(rc) : strerror(errno));
    if (f)
        fclose(f);
    char *where = NULL;
    if (asprintf(&where, " in '%s'", path) < 0)
        where = NULL;
    char *copy = NULL;
    if (rc == 1 && length_ok(line, min_len, max_len, command,
                             where ? where : ""))
        copy = strdup(line);
    free(where);
    explicit_bzero(line, sizeof(line));
    return copy;
}

static bool ask(int tty, const char *prompt, char *out, size_t len)
{
    struct termios old, quiet;
    bool echo_off = tcgetattr(tty, &old) == 0;
    if (echo_off) {
        quiet = old;
        quiet.c_lflag &= (tcflag_t) ~ECHO;
        tcsetattr(tty, TCSAFLUSH, &quiet);
    }
    (void) !write(tty, prompt, strlen(prompt));
    ssize_t n = read(tty, out, len - 1);
    (void) !write(tty, "\n", 1);
    if (echo_off)
        tcsetattr(tty, TCSAFLUSH, &old);
    if (n <= 0)
        return false;
    out[n] = 0;
    chomp(out);
    return true;
}

static char *from_terminal(const char *command)
{
    int tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
    char first[1024], second[1024];
    bool ok = tty >= 0 && ask(tty, "Passphrase for the ZIP file: ", first,
                              sizeof(first)) &&
              ask(tty, "The same passphrase again: ", second, sizeof(second));
    if (tty >= 0)
        close(tty);
    char *copy = NULL;
    if (tty < 0)
        fprintf(stderr, "pdiburn %s: error: no terminal to ask for a "
                        "passphrase; use --passphrase-file\n",
                command);
    else if (!ok)
        fprintf(stderr, "pdiburn %s: error: no passphrase given\n", command);
    else if (strcmp(first, second) != 0)
        fprintf(stderr, "pdiburn %s: error: the passphrases differ\n",
                command);
    else if (length_ok(first, ZIP_AES_MIN, ZIP_AES_MAX, command, ""))
        copy = strdup(first);
    explicit_bzero(first, sizeof(first));
    explicit_bzero(second, sizeof(second));
    return copy;
}

char *cli_passphrase(const char *file, const char *command)
{
    return file ? from_file(file, command, ZIP_AES_MIN, ZIP_AES_MAX)
                : from_terminal(command);
}

/* Opening someone else's ZIP: whatever passphrase it was made with. */
char *cli_passphrase_to_open(const char *file, const char *command)
{
    return from_file(file, command, 1, PASSPHRASE_MAX);
}

bool cli_job_passphrase(struct pdiburn_job *job, char *secret,
                        struct pdiburn_error **err)
{
    if (!secret)
        return false;
    bool ok = pdiburn_job_set_option(job, PDIBURN_OPT_PASSPHRASE, secret, err);
    explicit_bzero(secret, strlen(secret));
    free(secret);
    return ok;
}
