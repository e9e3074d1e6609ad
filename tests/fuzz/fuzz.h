/* The libFuzzer entry point every fuzz_<name>.c defines; replay.c calls it
 * on a seed corpus when the tests are not built with libFuzzer. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant of the code under test: abort() so that libFuzzer, ASan
 * and the replay driver all report the input. */
#define FUZZ_CHECK(cond)                                                     \
    do {                                                                     \
        if (!(cond))                                                         \
            abort();                                                         \
    } while (0)

#endif
