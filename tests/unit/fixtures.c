/* Synthetic instances and catalogs for the unit tests, files in private
 * temporary folders, and the expected-error check they share. */
#include "cmocka_pre.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixtures.h"
#include "dicom.h"
#include "select.h"

static void put(struct pdb_buf *b, uint32_t tag, const char *value)
{
    const struct pdb_key *k = pdb_key_find(tag);
    const char *vr = k ? k->vr : "LO";
    if (strcmp(vr, "US") == 0)
        pdb_elem_put_us(b, tag, (uint16_t) atoi(value));
    else
        pdb_elem_put_str(b, tag, vr, value);
}

struct pdb_instance *fx_instance(const char *path, const uint32_t *tags,
                                 const char *const *values)
{
    struct pdb_instance *inst = calloc(1, sizeof(*inst));
    struct pdb_buf b = { 0 };
    for (size_t i = 0; tags[i]; i++)
        put(&b, tags[i], values[i]);
    inst->keys = pdb_buf_steal(&b, &inst->keys_len);
    inst->path = strdup(path);
    strcpy(inst->ts, PDB_TS_EXPLICIT_LE);
    pdb_instance_take_ids(inst);
    inst->part10 = true;
    return inst;
}

void fx_catalog(struct pdb_inventory *cat, struct pdb_instance **insts,
                size_t n)
{
    memset(cat, 0, sizeof(*cat));
    for (size_t i = 0; i < n; i++) {
        pdb_grow(&cat->instances, cat->ninstances, sizeof(*cat->instances));
        cat->instances[cat->ninstances++] = insts[i];
    }
    pdb_group_build(cat, NULL);
}

char *fx_temp_dir(void)
{
    char *dir = strdup("/tmp/pdiburn-unit-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    return dir;
}

char *fx_write_file(const char *root, const char *rel, const void *data,
                    size_t len)
{
    char *path = pdb_fs_path_join(root, rel);
    char *parent = pdb_fs_dirname(path);
    assert_true(pdb_fs_mkdirs(parent, 0700, NULL));
    free(parent);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    assert_true(fd >= 0);
    assert_true(pdb_fs_write_all(fd, data, len));
    close(fd);
    return path;
}

void fx_expect_error(struct pdiburn_error *err, enum pdiburn_code code,
                     const char *part)
{
    assert_non_null(err);
    const char *msg = pdiburn_error_message(err);
    if (pdiburn_error_code(err) != code || !strstr(msg, part))
        fail_msg("error %s \"%s\", expected %s with \"%s\"",
                 pdiburn_code_name(pdiburn_error_code(err)), msg,
                 pdiburn_code_name(code), part);
    pdiburn_error_free(err);
}
