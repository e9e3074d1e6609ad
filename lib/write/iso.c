/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ISO 9660 images with libisofs, the only file that knows it: Level 1
 * names for every file (PS3.12 F.2.2), Rock Ridge and Joliet with the
 * names of the content, volume identifier = File-set ID and a blank system
 * identifier (PS3.12 F.1.1, F.2.2.1).  Written as xorriso and genisoimage
 * write theirs, so every reader sees the same names: Joliet names without
 * a forced dot or ";1", Rock Ridge signed RRIP_1991A, the files' own times,
 * 300 kB of padding at the end.  Content is streamed straight from the
 * sources through our own IsoStream: no staging copy.  libisofs returns 1
 * for success and <= 0 for failure, and prints unless told not to.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libisofs/libisofs.h>
#include <libburn/libburn.h>

#include "isoburn.h"
#include "write.h"

/* What the streams share with the writing thread: the first error. */
struct iso_job {
    struct pdb_content *content;
    time_t now;
    pthread_mutex_t lock;
    struct pdiburn_error *error;
};

struct node_stream {
    struct iso_job *job;
    struct pdb_node *node;
    struct pdb_node_reader reader;
    bool open;
    ino_t ino;
};

static void keep_error(struct iso_job *job, struct pdiburn_error *e)
{
    pthread_mutex_lock(&job->lock);
    if (!job->error)
        job->error = e;
    else
        pdiburn_error_free(e);
    pthread_mutex_unlock(&job->lock);
}

static int ns_open(IsoStream *s)
{
    struct node_stream *ns = s->data;
    struct pdiburn_error *e = NULL;
    if (!pdb_node_reader_open(&ns->reader, ns->job->content, ns->node, &e)) {
        pdb_error_prefix(&e, "%s: ", ns->node->path);
        keep_error(ns->job, e);
        return ISO_FILE_ERROR;
    }
    ns->open = true;
    return 1;
}

static int ns_close(IsoStream *s)
{
    struct node_stream *ns = s->data;
    if (ns->open)
        pdb_node_reader_close(&ns->reader);
    ns->open = false;
    return 1;
}

static off_t ns_get_size(IsoStream *s)
{
    struct node_stream *ns = s->data;
    return (off_t) ns->node->size;
}

static int ns_read(IsoStream *s, void *buf, size_t count)
{
    struct node_stream *ns = s->data;
    struct pdiburn_error *e = NULL;
    size_t got = 0;
    if (!pdb_node_reader_read(&ns->reader, buf, count, &got, &e)) {
        pdb_error_prefix(&e, "%s: ", ns->node->path);
        keep_error(ns->job, e);
        return ISO_FILE_READ_ERROR;
    }
    return (int) got;
}

static int ns_is_repeatable(IsoStream *s)
{
    (void) s;
    return 1;
}

/* Distinct ids, or libisofs would take two files for hard links. */
static void ns_get_id(IsoStream *s, unsigned int *fs_id, dev_t *dev_id,
                      ino_t *ino_id)
{
    struct node_stream *ns = s->data;
    *fs_id = 0x70646275; /* "pdbu" */
    *dev_id = 0;
    *ino_id = ns->ino;
}

static void ns_free(IsoStream *s)
{
    ns_close(s);
    free(s->data);
}

static IsoStreamIface node_stream_class = {
    0, "user", ns_open, ns_close, ns_get_size, ns_read, ns_is_repeatable,
    ns_get_id, ns_free, NULL, NULL, NULL, NULL
};

static bool iso_fail(struct pdiburn_error **err, int code, const char *what)
{
    return pdb_fail(err, PDIBURN_E_MEDIA, "%s: %s", what,
                    iso_error_to_msg(code));
}

/* The directories of `path` under root, made as needed. */
static bool parent_dir(IsoImage *image, const char *path, IsoDir **dir,
                       const char **name, struct pdiburn_error **err)
{
    *dir = iso_image_get_root(image);
    const char *p = path;
    for (const char *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
        char comp[64];
        snprintf(comp, sizeof(comp), "%.*s", (int) (slash - p), p);
        IsoNode *node = NULL;
        if (iso_dir_get_node(*dir, comp, &node) == 1) {
            *dir = (IsoDir *) node;
            continue;
        }
        int rc = iso_image_add_new_dir(image, *dir, comp, dir);
        if (rc < 0)
            return iso_fail(err, rc, path);
    }
    *name = p;
    return true;
}

/* The time recorded for a file (PS3.12 F.1.3: its creation date): a
 * copied source keeps its own, what this run made gets the run's. */
static void set_times(IsoNode *node, time_t when)
{
    iso_node_set_mtime(node, when);
    iso_node_set_atime(node, when);
    iso_node_set_ctime(node, when);
}

static bool add_node(IsoImage *image, struct iso_job *job,
                     struct pdb_node *node, int weight,
                     struct pdiburn_error **err)
{
    IsoDir *dir = NULL;
    const char *name = NULL;
    if (!parent_dir(image, node->path, &dir, &name, err))
        return false;
    IsoStream *stream = calloc(1, sizeof(*stream));
    struct node_stream *ns = calloc(1, sizeof(*ns));
    if (!stream || !ns) {
        free(stream);
        free(ns);
        return pdb_fail_nomem(err);
    }
    *ns = (struct node_stream) { job, node, { 0 }, false, (ino_t) weight };
    *stream = (IsoStream) { &node_stream_class, 1, ns };
    IsoFile *file = NULL;
    int rc = iso_image_add_new_file(image, dir, name, stream, &file);
    if (rc < 0) {
        iso_stream_unref(stream); /* on success the file owns it */
        return iso_fail(err, rc, node->path);
    }
    /* Heavier files come first: the content's order, manifest last. */
    iso_node_set_sort_weight((IsoNode *) file, weight);
    iso_node_set_permissions((IsoNode *) file, 0444);
    set_times((IsoNode *) file, node->mtime ? (time_t) node->mtime : job->now);
    return true;
}

static IsoImage *new_image(const char *volume_id, struct iso_job *job,
                           struct pdiburn_error **err)
{
    IsoImage *image = NULL;
    int rc = iso_image_new(volume_id, &image);
    if (rc < 0) {
        iso_fail(err, rc, "creating the image");
        return NULL;
    }
    iso_image_set_system_id(image, "");
    iso_image_set_application_id(image, "PDIBURN " PDIBURN_VERSION);
    for (size_t i = 0; i < job->content->nnodes; i++) {
        int weight = (int) (job->content->nnodes - i);
        if (!add_node(image, job, job->content->nodes[i], weight, err)) {
            iso_image_unref(image);
            return NULL;
        }
    }
    return image;
}

static IsoWriteOpts *write_opts(struct pdiburn_error **err)
{
    IsoWriteOpts *opts = NULL;
    int rc = iso_write_opts_new(&opts, 0);
    if (rc < 0) {
        iso_fail(err, rc, "image options");
        return NULL;
    }
    iso_write_opts_set_iso_level(opts, 1);
    iso_write_opts_set_rockridge(opts, 1);
    iso_write_opts_set_joliet(opts, 1);
    /* Joliet as Windows and bsdtar read it: "DICOMDIR", not "DICOMDIR.;1"
     * (bit 1: Joliet alone; ECMA-119 names keep ".;1", PS3.12 F.1.2.1). */
    iso_write_opts_set_omit_version_numbers(opts, 2);
    iso_write_opts_set_no_force_dots(opts, 2);
    /* RRIP 1.10 ("RRIP_1991A"), as xorriso and genisoimage sign it; the
     * macOS cd9660 driver knows no other signature. */
    iso_write_opts_set_rrip_version_1_10(opts, 1);
    /* Directory records carry each file's time, not the image's. */
    iso_write_opts_set_dir_rec_mtime(opts, 3);
    /* Old drives fail reading the last blocks of a disc (the Linux
     * read-ahead bug): 150 blocks of zeros after the files, as xorriso. */
    iso_write_opts_set_tail_blocks(opts, 150);
    /* Everyone may read the media; owners make no sense on a CD. */
    iso_write_opts_set_replace_mode(opts, 1, 1, 1, 1);
    iso_write_opts_set_default_dir_mode(opts, 0555);
    iso_write_opts_set_default_file_mode(opts, 0444);
    iso_write_opts_set_always_gmt(opts, 1);
    /* A larger ring buffer than the 2 MB default: the two threads hand
     * over less often, and each handover costs a wakeup. */
    iso_write_opts_set_fifo_size(opts, 8192);
    return opts;
}

static bool has_error(struct iso_job *job)
{
    pthread_mutex_lock(&job->lock);
    bool failed = job->error != NULL;
    pthread_mutex_unlock(&job->lock);
    return failed;
}

/* Waits, a little at a time, until libisofs has `want` bytes ready or has
 * stopped: its ring buffer wakes a waiting reader for every 2 KB block it
 * takes in, and a reader faster than the writer would then wake for each
 * one, costing both threads more than the copy. */
static void await_fill(struct burn_source *src, size_t want)
{
    const struct timespec nap = { 0, 200 * 1000 };
    size_t size = 0, free_bytes = 0;
    while (iso_ring_buffer_get_status(src, &size, &free_bytes) == 1 &&
           size - free_bytes < want && free_bytes > 0)
        nanosleep(&nap, NULL);
}

/* Pulls the image out of libisofs' writing thread into the file.  Its
 * ring buffer hands out only whole requests, so the last one must ask for
 * exactly what is left.  A stream that failed makes libisofs go on with
 * zeros, so stop at once. */
static bool pump(struct burn_source *src, int fd, uint8_t *buf, size_t size,
                 struct iso_job *job, struct pdb_ctl *ctl,
                 struct pdiburn_error **err)
{
    uint64_t total = (uint64_t) src->get_size(src), done = 0, kicked = 0;
    for (;;) {
        if (has_error(job) ||
            !pdb_ctl_report(ctl, PDIBURN_STAGE_WRITE, done, total, NULL, err))
            break;
        uint64_t left = total - done;
        size_t want = left < size ? (size_t) left : size;
        if (want)
            await_fill(src, want);
        int n = want ? src->read_xt(src, buf, (int) want) : 0;
        if (n == 0)
            return !has_error(job) && done == total;
        if (n < 0)
            break;
        if (!pdb_fs_write_all(fd, buf, (size_t) n)) {
            pdb_fail(err, PDIBURN_E_MEDIA, "writing: %s", strerror(errno));
            break;
        }
        done += (uint64_t) n;
        pdb_writeback_file(fd, &kicked, done);
    }
    return false;
}

/* A stream's own error says more than anything libisofs reports. */
static bool settle_errors(bool ok, struct iso_job *job,
                          struct pdiburn_error **err)
{
    if (job->error) {
        pdiburn_error_free(*err);
        *err = job->error;
        job->error = NULL;
        return false;
    }
    if (!ok && !*err)
        return pdb_fail(err, PDIBURN_E_MEDIA, "libisofs stopped writing");
    return ok;
}

struct pdb_iso {
    struct iso_job job;
    IsoImage *image;
    IsoWriteOpts *opts;
    struct burn_source *src;
};

bool pdb_iso_open(struct pdb_content *content, const char *volume_id,
                  struct pdb_iso **out, struct pdiburn_error **err)
{
    if (!pdb_isoburn_start_iso(err))
        return false;
    struct pdb_iso *iso = calloc(1, sizeof(*iso));
    if (!iso)
        return pdb_fail_nomem(err);
    iso->job = (struct iso_job) { content, time(NULL),
                                  PTHREAD_MUTEX_INITIALIZER, NULL };
    iso->image = new_image(volume_id, &iso->job, err);
    iso->opts = iso->image ? write_opts(err) : NULL;
    int rc = iso->opts ? iso_image_create_burn_source(iso->image, iso->opts,
                                                      &iso->src)
                       : 0;
    if (rc < 0)
        iso_fail(err, rc, "starting the image");
    if (!iso->src) {
        pdb_iso_close(iso, false, NULL);
        return false;
    }
    *out = iso;
    return true;
}

struct burn_source *pdb_iso_source(struct pdb_iso *iso)
{
    return iso->src;
}

uint64_t pdb_iso_size(struct pdb_iso *iso)
{
    return (uint64_t) iso->src->get_size(iso->src);
}

bool pdb_iso_failed(struct pdb_iso *iso)
{
    return has_error(&iso->job);
}

bool pdb_iso_close(struct pdb_iso *iso, bool ok, struct pdiburn_error **err)
{
    if (!iso)
        return ok;
    if (iso->src && !ok) {
        /* Draining makes the writing thread finish before it is freed. */
        uint8_t sink[2048];
        iso->src->cancel(iso->src);
        while (iso->src->read_xt(iso->src, sink, sizeof(sink)) > 0)
            ;
    }
    if (iso->src)
        burn_source_free(iso->src);
    if (iso->opts)
        iso_write_opts_free(iso->opts);
    if (iso->image)
        iso_image_unref(iso->image);
    struct pdiburn_error *mine = NULL;
    ok = settle_errors(ok, &iso->job, err ? err : &mine);
    pdiburn_error_free(mine);
    pthread_mutex_destroy(&iso->job.lock);
    free(iso);
    return ok;
}

bool pdb_iso_write(struct pdb_content *content, const char *volume_id, int fd,
                   struct pdb_ctl *ctl, struct pdiburn_error **err)
{
    struct pdb_iso *iso = NULL;
    if (!pdb_iso_open(content, volume_id, &iso, err))
        return false;
    enum { CHUNK = 512 * 2048 };
    uint8_t *buf = malloc(CHUNK);
    bool ok = buf ? pump(iso->src, fd, buf, CHUNK, &iso->job, ctl, err)
                  : pdb_fail_nomem(err);
    free(buf);
    ok = pdb_iso_close(iso, ok, err);
    pdb_isoburn_drain(&ctl->log);
    return ok;
}
