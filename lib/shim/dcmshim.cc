// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The only C++ in pdiburn: DCMTK behind the plain C interface of
// dcmshim.h.  Every extern "C" function catches everything, because an
// exception must never unwind into C frames.

#include "dcmtk/config/osconfig.h" // must precede other DCMTK headers
#include "dcmtk/dcmdata/dctk.h"
#include "dcmtk/dcmdata/dcistrmb.h"
#include "dcmtk/dcmdata/dcistrmf.h"
#include "dcmtk/dcmdata/dcostrmb.h"
#include "dcmtk/dcmdata/dcpxitem.h"
#include "dcmtk/dcmdata/dcrledrg.h"
#include "dcmtk/dcmjpeg/djdecode.h"
#include "dcmtk/dcmjpls/djdecode.h"
#include "dcmtk/oflog/oflog.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>

#include "dcmshim.h"

// Values longer than this stay on disk while scanning headers; DCMTK reads
// them on demand if they are ever needed.
static const Uint32 kMaxReadLength = 4096;

#include "dcmshim_impl.h"

static void init_once()
{
    // DCMTK would print its warnings to stderr; ours go through the job log.
    OFLog::configure(OFLogger::OFF_LOG_LEVEL);
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
}

extern "C" void dcmshim_init(void) noexcept
{
    static std::once_flag once;
    try {
        std::call_once(once, init_once);
    } catch (...) {
        // Without codecs, decompression fails later with a clear message.
    }
}

static void copy_uid(char out[65], DcmItem *item, const DcmTagKey &tag)
{
    const char *value = NULL;
    out[0] = 0;
    if (item && item->findAndGetString(tag, value).good() && value)
        snprintf(out, 65, "%s", value);
}

// Encodes the elements of `ds` in Explicit VR LE with explicit lengths,
// without group lengths, into a new malloc'd buffer.
static dcmshim_status encode(DcmDataset &ds, uint8_t **buf, size_t *len,
                             char *msg, size_t msglen)
{
    const E_TransferSyntax xfer = EXS_LittleEndianExplicit;
    ds.computeGroupLengthAndPadding(EGL_withoutGL, EPD_noChange, xfer,
                                    EET_ExplicitLength);
    Uint32 size = ds.getLength(xfer, EET_ExplicitLength);
    void *out = malloc(size ? size : 1);
    if (!out)
        return say(msg, msglen, DCMSHIM_E_NOMEM, "out of memory");
    DcmOutputBufferStream stream(out, size ? size : 1);
    ds.transferInit();
    OFCondition cond = ds.write(stream, xfer, EET_ExplicitLength, NULL);
    ds.transferEnd();
    void *filled = NULL;
    offile_off_t filled_len = 0;
    stream.flushBuffer(filled, filled_len);
    if (cond.bad() || (Uint32) filled_len != size) {
        free(out);
        return say_cond(msg, msglen, DCMSHIM_E_DICOM,
                        "re-encoding the header", cond);
    }
    *buf = (uint8_t *) out;
    *len = size;
    return DCMSHIM_OK;
}

static void insert_copy(DcmDataset &out, DcmItem *from, const DcmTagKey &tag)
{
    DcmElement *elem = NULL;
    if (from && from->findAndGetElement(tag, elem, OFFalse, OFTrue).good())
        out.insert(elem, OFTrue);
}

// PS3.3 F.5.24: the record's Verification DateTime is that of the most
// recent verifier, i.e. the last Verifying Observer Sequence item.
static void insert_verification_datetime(DcmDataset &out, DcmDataset *ds)
{
    DcmSequenceOfItems *seq = NULL;
    if (ds->findAndGetSequence(DCM_VerifyingObserverSequence, seq).bad() ||
        !seq || seq->card() == 0)
        return;
    insert_copy(out, seq->getItem(seq->card() - 1),
                DCM_VerificationDateTime);
}

// PS3.3 F.5.24: only the HAS CONCEPT MOD items of the Content Sequence.
static void insert_concept_modifiers(DcmDataset &out, DcmDataset *ds)
{
    DcmSequenceOfItems *seq = NULL;
    if (ds->findAndGetSequence(DCM_ContentSequence, seq).bad() || !seq)
        return;
    DcmSequenceOfItems *kept = new DcmSequenceOfItems(DCM_ContentSequence);
    for (unsigned long i = 0; i < seq->card(); i++) {
        DcmItem *item = seq->getItem(i);
        OFString rel;
        item->findAndGetOFString(DCM_RelationshipType, rel);
        if (rel == "HAS CONCEPT MOD")
            kept->append(new DcmItem(*item));
    }
    if (kept->card() == 0 || out.insert(kept, OFTrue).bad())
        delete kept;
}

static bool special_key(uint32_t tag)
{
    return tag == DCMSHIM_TAG_VERIFICATION_DATETIME ||
           tag == DCMSHIM_TAG_CONTENT_SEQUENCE;
}

// Ascending keys: one pass over the data set, each element looked up
// among the keys, instead of a search of the data set per key (the
// scanner's largest cost on small headers); copies land in `out` in tag
// order, which DcmItem::insert() appends without a search.
static void copy_wanted(DcmDataset &out, DcmDataset *ds, const uint32_t *tags,
                        size_t ntags)
{
    for (DcmObject *o = ds->nextInContainer(NULL); o;
         o = ds->nextInContainer(o)) {
        const DcmTag &t = o->getTag();
        uint32_t tag = (uint32_t) t.getGroup() << 16 | t.getElement();
        if (special_key(tag) || !std::binary_search(tags, tags + ntags, tag))
            continue;
        DcmElement *copy = OFstatic_cast(DcmElement *, o->clone());
        if (copy && out.insert(copy, OFTrue).bad())
            delete copy;
    }
}

static void extract_keys(DcmDataset &out, DcmDataset *ds,
                         const uint32_t *tags, size_t ntags)
{
    bool ascending = std::is_sorted(tags, tags + ntags);
    if (ascending)
        copy_wanted(out, ds, tags, ntags);
    for (size_t i = 0; i < ntags; i++) {
        if (tags[i] == DCMSHIM_TAG_VERIFICATION_DATETIME)
            insert_verification_datetime(out, ds);
        else if (tags[i] == DCMSHIM_TAG_CONTENT_SEQUENCE)
            insert_concept_modifiers(out, ds);
        else if (!ascending)
            insert_copy(out, ds, DcmTagKey(tags[i] >> 16, tags[i] & 0xFFFF));
    }
}

static dcmshim_status read_until_pixels(DcmFileFormat &ff, DcmInputStream &in,
                                        bool *stopped, uint64_t *stop_offset,
                                        char *msg, size_t msglen)
{
    if (in.status().bad())
        return say_cond(msg, msglen, DCMSHIM_E_IO, "opening", in.status());
    ff.transferInit();
    OFCondition cond = ff.readUntilTag(in, EXS_Unknown, EGL_noChange,
                                       kMaxReadLength, DCM_PixelData);
    ff.transferEnd();
    if (cond.bad())
        return say_cond(msg, msglen, DCMSHIM_E_DICOM, "not readable as DICOM",
                        cond);
    if (ff.getDataset()->card() == 0)
        return say(msg, msglen, DCMSHIM_E_DICOM, "no DICOM data set");
    // DCMTK stops right after reading the header of the first element at
    // or above (7FE0,0010); anything left in the stream follows it.
    *stopped = !in.eos();
    *stop_offset = (uint64_t) in.tell();
    return DCMSHIM_OK;
}

// From src->head when given, since DcmInputFileStream goes through stdio,
// whose locks cost as much as the parse itself on small files; from the
// file when that fails, so that a head cut short judges nothing.
dcmshim_status dcmshim_read_source(std::unique_ptr<DcmFileFormat> &ff,
                                   const dcmshim_source *src, bool *stopped,
                                   uint64_t *stop_offset, char *msg,
                                   size_t msglen)
{
    if (src->head) {
        ff.reset(new DcmFileFormat);
        DcmInputBufferStream in;
        in.setBuffer(src->head, (offile_off_t) src->head_len);
        in.setEos();
        if (read_until_pixels(*ff, in, stopped, stop_offset, msg, msglen) ==
                DCMSHIM_OK &&
            (*stopped || src->head_len == src->size))
            return DCMSHIM_OK;
    }
    ff.reset(new DcmFileFormat);
    DcmInputFileStream in(src->path);
    return read_until_pixels(*ff, in, stopped, stop_offset, msg, msglen);
}

dcmshim_status dcmshim_read_dataset(std::unique_ptr<DcmFileFormat> &ff,
                                    const dcmshim_source *src, char *msg,
                                    size_t msglen)
{
    bool stopped = false;
    uint64_t offset = 0;
    return dcmshim_read_source(ff, src, &stopped, &offset, msg, msglen);
}

// The viewer's tag list, when it can be made: a header it fails on is
// still read (and listed again later, or shown with an empty list).
static void try_tag_list(DcmDataset *ds, char **out)
{
    char msg[64];
    try {
        if (dcmshim_dump_text(ds, out, msg, sizeof(msg)) != DCMSHIM_OK)
            *out = NULL;
    } catch (...) {
        free(*out);
        *out = NULL;
    }
}

extern "C" dcmshim_status dcmshim_read_header(const dcmshim_source *src,
                                              const uint32_t *tags,
                                              size_t ntags, bool tag_list,
                                              dcmshim_header *header,
                                              char *msg, size_t msglen) noexcept
{
    memset(header, 0, sizeof(*header));
    dcmshim_status status = guarded(msg, msglen, [&]() {
        std::unique_ptr<DcmFileFormat> ff;
        dcmshim_status st =
            dcmshim_read_source(ff, src, &header->stopped,
                                &header->stop_offset, msg, msglen);
        if (st != DCMSHIM_OK)
            return st;
        DcmMetaInfo *meta = ff->getMetaInfo();
        DcmDataset *ds = ff->getDataset();
        header->has_meta = meta && meta->card() > 0;
        copy_uid(header->meta_sop_class, meta, DCM_MediaStorageSOPClassUID);
        copy_uid(header->meta_sop_uid, meta, DCM_MediaStorageSOPInstanceUID);
        snprintf(header->ts_uid, sizeof(header->ts_uid), "%s",
                 DcmXfer(ds->getOriginalXfer()).getXferID());
        if (tag_list) // first: encoding drops group lengths
            try_tag_list(ds, &header->tag_list);
        DcmDataset keys;
        extract_keys(keys, ds, tags, ntags);
        st = encode(keys, &header->keys, &header->keys_len, msg, msglen);
        size_t encoded_len = 0;
        if (st == DCMSHIM_OK)
            st = encode(*ds, &header->encoded, &encoded_len, msg, msglen);
        header->encoded_len = encoded_len;
        return st;
    });
    if (status != DCMSHIM_OK) // nothing handed out on failure
        dcmshim_header_free(header);
    return status;
}

extern "C" void dcmshim_header_free(dcmshim_header *header) noexcept
{
    free(header->keys);
    header->keys = NULL;
    header->keys_len = 0;
    free(header->encoded);
    header->encoded = NULL;
    header->encoded_len = 0;
    free(header->tag_list);
    header->tag_list = NULL;
}

extern "C" dcmshim_status dcmshim_encode_header(const dcmshim_source *src,
                                                uint8_t **buf, size_t *len,
                                                char *msg,
                                                size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        std::unique_ptr<DcmFileFormat> ff;
        dcmshim_status st = dcmshim_read_dataset(ff, src, msg, msglen);
        if (st != DCMSHIM_OK)
            return st;
        return encode(*ff->getDataset(), buf, len, msg, msglen);
    });
}

extern "C" dcmshim_status dcmshim_dataset_load(const char *path,
                                               dcmshim_dataset **out,
                                               char *msg,
                                               size_t msglen) noexcept
{
    *out = NULL;
    return guarded(msg, msglen, [&]() {
        dcmshim_dataset *ds = new dcmshim_dataset;
        OFCondition cond = ds->file.loadFile(path);
        if (cond.bad()) {
            delete ds;
            return say_cond(msg, msglen, DCMSHIM_E_DICOM, "reading", cond);
        }
        *out = ds;
        return DCMSHIM_OK;
    });
}

extern "C" void dcmshim_dataset_free(dcmshim_dataset *ds) noexcept
{
    try {
        delete ds;
    } catch (...) {
    }
}

extern "C" dcmshim_status dcmshim_dataset_decompress(dcmshim_dataset *ds,
                                                     char *msg,
                                                     size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmDataset *set = ds->file.getDataset();
        OFCondition cond = set->chooseRepresentation(EXS_LittleEndianExplicit,
                                                     NULL);
        if (cond.bad() || !set->canWriteXfer(EXS_LittleEndianExplicit))
            return say_cond(msg, msglen, DCMSHIM_E_UNSUPPORTED,
                            "no decoder for this transfer syntax", cond);
        return DCMSHIM_OK;
    });
}

static DcmPixelSequence *pixel_sequence(DcmDataset *set)
{
    DcmElement *elem = NULL;
    if (set->findAndGetElement(DCM_PixelData, elem).bad() || !elem)
        return NULL;
    DcmPixelData *pixels = OFstatic_cast(DcmPixelData *, elem);
    DcmPixelSequence *seq = NULL;
    E_TransferSyntax xfer = set->getOriginalXfer();
    if (pixels->getEncapsulatedRepresentation(xfer, NULL, seq).bad())
        return NULL;
    return seq;
}

static bool append_fragment(DcmPixelSequence *seq, unsigned long index,
                            OFVector<Uint8> &out)
{
    DcmPixelItem *item = NULL;
    Uint8 *data = NULL;
    if (seq->getItem(item, index).bad() || item->getUint8Array(data).bad())
        return false;
    if (data)
        out.insert(out.end(), data, data + item->getLength());
    return true;
}

static bool all_fragments(DcmPixelSequence *seq, unsigned long count,
                          OFVector<Uint8> &out)
{
    for (unsigned long i = 1; i < count; i++)
        if (!append_fragment(seq, i, out))
            return false;
    return true;
}

// The fragments whose offsets, counted from the first fragment's item tag,
// fall in [offsets[frame], offsets[frame + 1]) of the Basic Offset Table.
static bool table_fragments(DcmPixelSequence *seq, unsigned frame,
                            unsigned frames, OFVector<Uint8> &out)
{
    DcmPixelItem *table = NULL;
    Uint32 *offsets = NULL;
    if (seq->getItem(table, 0).bad() || table->getLength() / 4 != frames ||
        table->getUint32Array(offsets).bad() || !offsets)
        return false;
    Uint32 start = offsets[frame];
    Uint32 end = frame + 1 < frames ? offsets[frame + 1] : 0xFFFFFFFFu;
    Uint32 pos = 0;
    for (unsigned long i = 1; i < seq->card(); i++) {
        DcmPixelItem *item = NULL;
        if (seq->getItem(item, i).bad())
            return false;
        if (pos >= start && pos < end && !append_fragment(seq, i, out))
            return false;
        pos += 8 + item->getLength();
    }
    return !out.empty();
}

// Which fragments make up `frame`: all of them for a single frame, one per
// frame when the counts agree, else those the Basic Offset Table points at.
static bool frame_fragments(DcmPixelSequence *seq, unsigned frame,
                            unsigned frames, OFVector<Uint8> &out)
{
    unsigned long count = seq->card();
    if (count < 2 || (frames > 1 && frame >= frames))
        return false;
    if (frames <= 1)
        return all_fragments(seq, count, out);
    if (count - 1 == frames)
        return append_fragment(seq, frame + 1, out);
    return table_fragments(seq, frame, frames, out);
}

extern "C" dcmshim_status dcmshim_dataset_frame(dcmshim_dataset *ds,
                                                unsigned frame, uint8_t **buf,
                                                size_t *len, char *msg,
                                                size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmDataset *set = ds->file.getDataset();
        DcmPixelSequence *seq = pixel_sequence(set);
        if (!seq)
            return say(msg, msglen, DCMSHIM_E_DICOM,
                       "no encapsulated pixel data");
        Sint32 frames = 1;
        set->findAndGetSint32(DCM_NumberOfFrames, frames);
        OFVector<Uint8> bytes;
        if (!frame_fragments(seq, frame, frames > 0 ? (unsigned) frames : 1,
                             bytes))
            return say(msg, msglen, DCMSHIM_E_DICOM,
                       "cannot find the fragments of a frame");
        *buf = (uint8_t *) malloc(bytes.size());
        if (!*buf)
            return say(msg, msglen, DCMSHIM_E_NOMEM, "out of memory");
        memcpy(*buf, &bytes[0], bytes.size());
        *len = bytes.size();
        return DCMSHIM_OK;
    });
}

extern "C" dcmshim_status
dcmshim_dataset_set_native(dcmshim_dataset *ds, const uint8_t *pixels,
                           size_t len, unsigned bits_allocated,
                           const char *photometric, char *msg,
                           size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmDataset *set = ds->file.getDataset();
        DcmPixelData *pd = new DcmPixelData(DCM_PixelData);
        OFCondition cond =
            bits_allocated > 8
                ? pd->putUint16Array((const Uint16 *) pixels,
                                     (unsigned long) (len / 2))
                : pd->putUint8Array(pixels, (unsigned long) len);
        if (cond.good())
            cond = set->insert(pd, OFTrue);
        else
            delete pd;
        Uint16 samples = 1;
        set->findAndGetUint16(DCM_SamplesPerPixel, samples);
        if (cond.good())
            cond = set->putAndInsertString(DCM_PhotometricInterpretation,
                                           photometric);
        if (cond.good() && samples > 1)
            cond = set->putAndInsertUint16(DCM_PlanarConfiguration, 0);
        if (cond.bad())
            return say_cond(msg, msglen, DCMSHIM_E_DICOM,
                            "replacing the pixel data", cond);
        return DCMSHIM_OK;
    });
}

extern "C" dcmshim_status dcmshim_dataset_put_string(dcmshim_dataset *ds,
                                                     uint32_t tag,
                                                     const char *value,
                                                     bool keep_existing,
                                                     char *msg,
                                                     size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmDataset *set = ds->file.getDataset();
        DcmTagKey key(tag >> 16, tag & 0xFFFF);
        if (keep_existing && set->tagExists(key))
            return DCMSHIM_OK;
        OFCondition cond = set->putAndInsertString(key, value);
        if (cond.bad())
            return say_cond(msg, msglen, DCMSHIM_E_DICOM, "setting a value",
                            cond);
        return DCMSHIM_OK;
    });
}

extern "C" bool dcmshim_dataset_get_u16(dcmshim_dataset *ds, uint32_t tag,
                                        uint16_t *value) noexcept
{
    try {
        Uint16 v = 0;
        DcmTagKey key(tag >> 16, tag & 0xFFFF);
        if (ds->file.getDataset()->findAndGetUint16(key, v).bad())
            return false;
        *value = v;
        return true;
    } catch (...) {
        return false;
    }
}

// Signed words keep their bits: the caller knows which values are signed.
static bool element_words(DcmElement *e, uint16_t *out, size_t n)
{
    Uint16 *u = nullptr;
    Sint16 *s = nullptr;
    Uint8 *b = nullptr;
    if (e->getUint16Array(u).good() && u) {
        memcpy(out, u, n * 2);
    } else if (e->getSint16Array(s).good() && s) {
        memcpy(out, s, n * 2);
    } else if (e->getUint8Array(b).good() && b) {
        for (size_t i = 0; i < n; i++)
            out[i] = (uint16_t) (b[2 * i] | b[2 * i + 1] << 8);
    } else {
        return false;
    }
    return true;
}

extern "C" dcmshim_status dcmshim_dataset_get_words(dcmshim_dataset *ds,
                                                    uint32_t tag, uint16_t **out,
                                                    size_t *n, char *msg,
                                                    size_t msglen) noexcept
{
    *out = nullptr;
    *n = 0;
    return guarded(msg, msglen, [&]() {
        DcmElement *e = nullptr;
        DcmTagKey key(tag >> 16, tag & 0xFFFF);
        if (ds->file.getDataset()->findAndGetElement(key, e).bad() || !e)
            return say(msg, msglen, DCMSHIM_E_DICOM, "element absent");
        size_t words = e->getLength() / 2;
        uint16_t *buf = (uint16_t *) malloc(words * 2 + 2);
        if (!buf)
            return say(msg, msglen, DCMSHIM_E_NOMEM, "out of memory");
        if (!element_words(e, buf, words)) {
            free(buf);
            return say(msg, msglen, DCMSHIM_E_DICOM, "not 16-bit values");
        }
        *out = buf;
        *n = words;
        return DCMSHIM_OK;
    });
}

extern "C" dcmshim_status dcmshim_dataset_save(dcmshim_dataset *ds,
                                               const char *path, char *msg,
                                               size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmDataset *set = ds->file.getDataset();
        errno = 0;
        OFCondition cond = set->saveFile(path, EXS_LittleEndianExplicit,
                                         EET_ExplicitLength, EGL_withoutGL);
        int e = errno;
        if (cond.good())
            return DCMSHIM_OK;
        // DCMTK says "I/O suspension or premature end of stream" for a
        // full disk; the reason is in errno.
        say_cond(msg, msglen, DCMSHIM_E_WRITE, "writing", cond);
        size_t n = msg && msglen ? strlen(msg) : 0;
        if (e && n + 1 < msglen)
            snprintf(msg + n, msglen - n, ": %s", strerror(e));
        return DCMSHIM_E_WRITE;
    });
}
