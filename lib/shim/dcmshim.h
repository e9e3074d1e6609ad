/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * dcmshim.h - the C face of DCMTK, the only way C code in lib/ reaches
 * it.  Nothing here throws: every call returns a status and, on failure,
 * writes a message into msg[msglen].  Strings are NUL-terminated; buffers
 * handed out are malloc'd and freed by the caller with free().
 */
#ifndef DCMSHIM_H
#define DCMSHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define DCMSHIM_NOEXCEPT noexcept
extern "C" {
#else
#define DCMSHIM_NOEXCEPT
#endif

enum dcmshim_status {
    DCMSHIM_OK = 0,
    DCMSHIM_E_NOMEM,
    DCMSHIM_E_IO,          /* the file could not be read */
    DCMSHIM_E_DICOM,       /* not DICOM, truncated or malformed */
    DCMSHIM_E_UNSUPPORTED, /* valid, but no codec here can decode it */
    DCMSHIM_E_WRITE,       /* a file we make (in the spool) not written */
    DCMSHIM_E_INTERNAL,
    DCMSHIM_E_NET,         /* network: connection, association, DIMSE
                              (dcmshim_net.h) */
    DCMSHIM_E_CANCELLED,   /* a callback asked to stop */
};

/* Silences DCMTK's own logging and registers its decoders.  Call once,
 * before any other function; safe to call again. */
void dcmshim_init(void) DCMSHIM_NOEXCEPT;

/* Elements the scanner wants that are not plain copies of a top-level
 * element: PS3.3 F.5.24 takes Verification DateTime from the last
 * Verifying Observer item, and only HAS CONCEPT MOD items of the Content
 * Sequence into SR directory records. */
#define DCMSHIM_TAG_VERIFICATION_DATETIME 0x0040A030u
#define DCMSHIM_TAG_CONTENT_SEQUENCE 0x0040A730u

struct dcmshim_header {
    char ts_uid[65];          /* transfer syntax of the data set */
    bool has_meta;            /* the file has a File Meta Information group */
    bool has_preamble;        /* ... preceded by a 128-byte preamble */
    char meta_sop_class[65];  /* (0002,0002), "" when absent */
    char meta_sop_uid[65];    /* (0002,0003), "" when absent */
    bool stopped;             /* an element >= (7FE0,0010) ended the parse */
    uint64_t stop_offset;     /* file offset right after that element's
                                 header; meaningless when deflated */
    uint8_t *keys;            /* the wanted elements, Explicit VR LE */
    size_t keys_len;
    uint8_t *encoded;         /* what dcmshim_encode_header() would give
                                 (malloc'd) */
    uint64_t encoded_len;     /* its length */
    char *tag_list;           /* what dcmshim_dump_tags() would give, when
                                 asked for (malloc'd); else NULL */
};

/* A file to read a header from: `path` (a name DCMTK can open), and when
 * head is not NULL its first head_len bytes of `size`, already read,
 * which should hold the whole header and the Pixel Data element's own
 * header.  The header is read from them; from the file when that fails
 * or ends where the head does, short of the file's end. */
struct dcmshim_source {
    const char *path;
    const uint8_t *head;
    size_t head_len;
    uint64_t size;
};

/* Reads a file up to its pixel data (values over 4 KB stay on disk) and
 * extracts `tags` (ascending) into header->keys.  It also hands out
 * header->encoded: the data set re-encoded as dcmshim_encode_header()
 * would, which tells how long a spliced header is and spares the splice
 * reading it again; with `tag_list`, header->tag_list, so the viewer's
 * list need not. */
enum dcmshim_status dcmshim_read_header(const struct dcmshim_source *src,
                                        const uint32_t *tags, size_t ntags,
                                        bool tag_list,
                                        struct dcmshim_header *header,
                                        char *msg,
                                        size_t msglen) DCMSHIM_NOEXCEPT;
void dcmshim_header_free(struct dcmshim_header *header) DCMSHIM_NOEXCEPT;

/* The data set of `path` up to its pixel data, without meta information,
 * encoded in Explicit VR Little Endian with sequences of explicit length. */
enum dcmshim_status dcmshim_encode_header(const struct dcmshim_source *src,
                                          uint8_t **buf,
                                          size_t *len, char *msg,
                                          size_t msglen) DCMSHIM_NOEXCEPT;

/* A whole data set in memory, for re-encoding and decompression. */
struct dcmshim_dataset;

enum dcmshim_status dcmshim_dataset_load(const char *path,
                                         struct dcmshim_dataset **ds,
                                         char *msg,
                                         size_t msglen) DCMSHIM_NOEXCEPT;
void dcmshim_dataset_free(struct dcmshim_dataset *ds) DCMSHIM_NOEXCEPT;

/* Makes the pixel data native with DCMTK's decoders (JPEG, JPEG-LS, RLE)
 * and the data set ready for Explicit VR LE.  DCMSHIM_E_UNSUPPORTED when
 * no decoder here knows the transfer syntax: the caller may then supply
 * the pixels itself (JPEG 2000). */
enum dcmshim_status dcmshim_dataset_decompress(struct dcmshim_dataset *ds,
                                               char *msg,
                                               size_t msglen) DCMSHIM_NOEXCEPT;

/* The compressed bytes of one frame: its fragments joined, using the Basic
 * Offset Table when frames span several fragments (PS3.5 A.4). */
enum dcmshim_status dcmshim_dataset_frame(struct dcmshim_dataset *ds,
                                          unsigned frame, uint8_t **buf,
                                          size_t *len, char *msg,
                                          size_t msglen) DCMSHIM_NOEXCEPT;

/* Replaces the pixel data with native samples (little endian, interleaved)
 * and sets Photometric Interpretation; Planar Configuration becomes 0. */
enum dcmshim_status
dcmshim_dataset_set_native(struct dcmshim_dataset *ds, const uint8_t *pixels,
                           size_t len, unsigned bits_allocated,
                           const char *photometric, char *msg,
                           size_t msglen) DCMSHIM_NOEXCEPT;

/* Sets a string element of the data set, unless it is present and
 * `keep_existing` is true. */
enum dcmshim_status dcmshim_dataset_put_string(struct dcmshim_dataset *ds,
                                               uint32_t tag, const char *value,
                                               bool keep_existing, char *msg,
                                               size_t msglen) DCMSHIM_NOEXCEPT;

/* A US value of the data set; false when absent. */
bool dcmshim_dataset_get_u16(struct dcmshim_dataset *ds, uint32_t tag,
                             uint16_t *value) DCMSHIM_NOEXCEPT;

/* The values of a US, SS or OW element (OB read as little-endian
 * words) as 16-bit words: Palette Color LUT descriptors and data
 * (PS3.3 C.7.6.3.1.5).  *out is malloc'd; DCMSHIM_E_DICOM when absent. */
enum dcmshim_status dcmshim_dataset_get_words(struct dcmshim_dataset *ds,
                                              uint32_t tag, uint16_t **out,
                                              size_t *n, char *msg,
                                              size_t msglen) DCMSHIM_NOEXCEPT;

/* Writes the data set (no meta information) in Explicit VR LE. */
enum dcmshim_status dcmshim_dataset_save(struct dcmshim_dataset *ds,
                                         const char *path, char *msg,
                                         size_t msglen) DCMSHIM_NOEXCEPT;

/* ---- for the web pages and the viewer ----------------------------------- */

/* `value` (len bytes) in the character set named by a Specific Character
 * Set value ("" = the default repertoire) as UTF-8; *out is malloc'd. */
enum dcmshim_status dcmshim_to_utf8(const char *charset, const char *value,
                                    size_t len, char **out, char *msg,
                                    size_t msglen) DCMSHIM_NOEXCEPT;

/* Frame `frame` of the (decompressed) pixel data, as stored natively:
 * `len` must be rows x columns x samples x bits allocated / 8, rounded up
 * to even (DCMTK refuses a buffer without room for the pad byte of an
 * odd-length frame).  The colour
 * model of the bytes (e.g. "RGB", "YBR_FULL") goes to model[17]. */
enum dcmshim_status dcmshim_dataset_native_frame(struct dcmshim_dataset *ds,
                                                 unsigned frame, uint8_t *buf,
                                                 size_t len, char *model,
                                                 char *msg,
                                                 size_t msglen) DCMSHIM_NOEXCEPT;

/* A DICOM SR document rendered as XHTML 1.1 by DCMTK, non-ASCII characters
 * as character references. */
enum dcmshim_status dcmshim_sr_to_xhtml(const char *path, uint8_t **out,
                                        size_t *len, char *msg,
                                        size_t msglen) DCMSHIM_NOEXCEPT;

/* The Encapsulated Document (0042,0011) of an instance, e.g. a PDF. */
enum dcmshim_status dcmshim_encapsulated_document(const char *path,
                                                  uint8_t **out, size_t *len,
                                                  char *msg,
                                                  size_t msglen) DCMSHIM_NOEXCEPT;

/* The header of a file up to its pixel data as lines of
 * "(gggg,eeee)<TAB>Name<TAB>VR<TAB>value" in UTF-8, items of sequences
 * indented with "> "; long and binary values shortened. */
enum dcmshim_status dcmshim_dump_tags(const struct dcmshim_source *src,
                                      char **out, char *msg,
                                      size_t msglen) DCMSHIM_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* DCMSHIM_H */
