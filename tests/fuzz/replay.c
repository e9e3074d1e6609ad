/* Runs a fuzz target without libFuzzer: every regular file of the folders
 * (or the files) named on the command line, in name order, goes once
 * through LLVMFuzzerTestOneInput.  So the seed corpus and the crashes
 * found once stay tests of every build, gcc's and ASan's included.  An
 * empty corpus fails: a wrong path must not pass as "nothing crashed". */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core.h"
#include "fuzz.h"

static bool run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct pdb_buf b = { 0 };
    char chunk[65536];
    size_t n;
    if (!f) {
        perror(path);
        return false;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        pdb_buf_add(&b, chunk, n);
    bool ok = !ferror(f) && !b.failed;
    fclose(f);
    if (ok) {
        /* A copy of exactly the input's size, so ASan sees overreads. */
        uint8_t *input = malloc(b.len ? b.len : 1);
        memcpy(input, b.data ? b.data : (uint8_t *) "", b.len);
        LLVMFuzzerTestOneInput(input, b.len);
        free(input);
    }
    pdb_buf_free(&b);
    return ok;
}

static int visible(const struct dirent *de)
{
    return de->d_name[0] != '.';
}

/* Returns the number of inputs run, -1 on an unreadable one. */
static long run_folder(const char *dir)
{
    struct dirent **names;
    int n = scandir(dir, &names, visible, alphasort);
    if (n < 0) {
        perror(dir);
        return -1;
    }
    long count = 0;
    for (int i = 0; i < n; i++) {
        char *path = pdb_fs_path_join(dir, names[i]->d_name);
        struct stat st;
        if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
            count = count >= 0 && run_file(path) ? count + 1 : -1;
        free(path);
        free(names[i]);
    }
    free(names);
    return count;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc && total >= 0; i++) {
        struct stat st;
        long n = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)
                     ? run_folder(argv[i])
                     : (run_file(argv[i]) ? 1 : -1);
        total = n < 0 ? -1 : total + n;
    }
    if (total <= 0) {
        fprintf(stderr, "replay: no inputs run\n");
        return 1;
    }
    printf("replay: %ld inputs, no crash\n", total);
    return 0;
}
