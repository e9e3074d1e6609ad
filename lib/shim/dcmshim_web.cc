// SPDX-License-Identifier: LGPL-2.1-or-later
//
// The shim's part for the pages and the viewer: text in any DICOM
// character set as UTF-8 (PS3.5 6.1, ISO 2022 escapes included), native
// frames, SR documents rendered as XHTML, encapsulated documents, and a
// listing of a header.  Every function catches everything.

#include "dcmshim_impl.h"

#include "dcmtk/dcmdata/dcistrmf.h"
#include "dcmtk/dcmdata/dcspchrs.h"
#include "dcmtk/dcmsr/dsrdoc.h"

#include <cstdlib>
#include <cstring>
#include <sstream>
#include <unordered_map>

static dcmshim_status copy_out(const std::string &s, uint8_t **out,
                               size_t *len, char *msg, size_t msglen)
{
    *out = (uint8_t *) malloc(s.size() + 1);
    if (!*out)
        return say(msg, msglen, DCMSHIM_E_NOMEM, "out of memory");
    memcpy(*out, s.data(), s.size());
    (*out)[s.size()] = 0;
    if (len)
        *len = s.size();
    return DCMSHIM_OK;
}

extern "C" dcmshim_status dcmshim_to_utf8(const char *charset,
                                          const char *value, size_t len,
                                          char **out, char *msg,
                                          size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmSpecificCharacterSet converter;
        OFString utf8;
        OFCondition cond = converter.selectCharacterSet(charset);
        if (cond.good())
            cond = converter.convertString(value, len, utf8, "\\^=");
        if (cond.bad())
            return say_cond(msg, msglen, DCMSHIM_E_DICOM,
                            "converting text to UTF-8", cond);
        std::string s(utf8.c_str(), utf8.length());
        return copy_out(s, (uint8_t **) out, NULL, msg, msglen);
    });
}

extern "C" dcmshim_status dcmshim_dataset_native_frame(dcmshim_dataset *ds,
                                                       unsigned frame,
                                                       uint8_t *buf,
                                                       size_t len, char *model,
                                                       char *msg,
                                                       size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmDataset *set = ds->file.getDataset();
        DcmElement *elem = NULL;
        if (set->findAndGetElement(DCM_PixelData, elem).bad() || !elem)
            return say(msg, msglen, DCMSHIM_E_DICOM, "no pixel data");
        DcmPixelData *pixels = OFstatic_cast(DcmPixelData *, elem);
        Uint32 start = 0;
        OFString color;
        OFCondition cond = pixels->getUncompressedFrame(
            set, frame, start, buf, (Uint32) len, color, NULL);
        if (cond.bad())
            return say_cond(msg, msglen, DCMSHIM_E_DICOM, "reading a frame",
                            cond);
        snprintf(model, 17, "%s", color.c_str());
        return DCMSHIM_OK;
    });
}

// Rendered after conversion to UTF-8 (PS3.5 6.1), which the page then
// declares.  DCMTK's option to write non-ASCII characters as references
// works byte by byte and would garble UTF-8, so it stays off.
extern "C" dcmshim_status dcmshim_sr_to_xhtml(const char *path, uint8_t **out,
                                              size_t *len, char *msg,
                                              size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmFileFormat ff;
        OFCondition cond = ff.loadFile(path);
        if (cond.good())
            cond = ff.getDataset()->convertToUTF8();
        DSRDocument doc;
        if (cond.good())
            cond = doc.read(*ff.getDataset(),
                            DSRTypes::RF_acceptUnknownRelationshipType |
                                DSRTypes::RF_ignoreContentItemErrors |
                                DSRTypes::RF_skipInvalidContentItems);
        std::ostringstream html;
        if (cond.good())
            cond = doc.renderHTML(html,
                                  DSRTypes::HF_XHTML11Compatibility |
                                      DSRTypes::HF_addDocumentTypeReference |
                                      DSRTypes::HF_omitGeneratorMetaElement |
                                      DSRTypes::HF_renderPatientTitle);
        if (cond.bad())
            return say_cond(msg, msglen, DCMSHIM_E_DICOM,
                            "rendering the SR document", cond);
        return copy_out(html.str(), out, len, msg, msglen);
    });
}

extern "C" dcmshim_status dcmshim_encapsulated_document(const char *path,
                                                        uint8_t **out,
                                                        size_t *len, char *msg,
                                                        size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        DcmFileFormat ff;
        OFCondition cond = ff.loadFile(path);
        const Uint8 *bytes = NULL;
        unsigned long count = 0;
        if (cond.good())
            cond = ff.getDataset()->findAndGetUint8Array(
                DCM_EncapsulatedDocument, bytes, &count);
        if (cond.bad() || !bytes)
            return say_cond(msg, msglen, DCMSHIM_E_DICOM,
                            "no encapsulated document", cond);
        std::string s((const char *) bytes, count);
        // PS3.3 C.24.2.1: a PDF may be padded to even length with a NUL.
        if (!s.empty() && s.back() == '\0')
            s.pop_back();
        return copy_out(s, out, len, msg, msglen);
    });
}

// ---- the tag listing ----------------------------------------------------------

static const size_t kMaxValue = 200;

static bool is_binary(DcmElement *elem)
{
    DcmEVR vr = elem->ident();
    return vr == EVR_OB || vr == EVR_OW || vr == EVR_UN || vr == EVR_OF ||
           vr == EVR_OD || vr == EVR_OL || vr == EVR_OV;
}

// Long or binary values are shown by their size only.
static bool shown_by_size(DcmElement *elem)
{
    return elem->getLength() > 4 * kMaxValue ||
           (elem->isaString() == OFFalse && is_binary(elem));
}

// The values of one header in UTF-8: the character set is selected once
// per header, since each selection opens a converter.
struct header_charset {
    DcmSpecificCharacterSet converter;
    bool ready;
    explicit header_charset(const OFString &name)
        : ready(!name.empty() && converter.selectCharacterSet(name).good())
    {}
};

// A value as text, up to kMaxValue bytes and up to a NUL, on one line.
static void append_value(std::string &out, DcmElement *elem,
                         header_charset &charset)
{
    if (shown_by_size(elem)) {
        out += '(' + std::to_string(elem->getLength()) + " bytes)";
        return;
    }
    OFString value, utf8;
    elem->getOFStringArray(value);
    const OFString *shown = &value;
    if (charset.ready && elem->isAffectedBySpecificCharacterSet() &&
        charset.converter.convertString(value, utf8).good())
        shown = &utf8;
    size_t len = strnlen(shown->c_str(), shown->size());
    size_t at = out.size();
    out.append(shown->c_str(), len < kMaxValue ? len : kMaxValue);
    for (size_t i = at; i < out.size(); i++)
        if (out[i] == '\t' || out[i] == '\n' || out[i] == '\r')
            out[i] = ' ';
    if (len > kMaxValue)
        out += "...";
}

// The dictionary's name of a tag.  Each lookup takes DCMTK's global lock
// on the dictionary, and the scan lists every header on all cores, so a
// thread keeps the names of public tags it looked up (a private tag's
// name depends on its creator, and is looked up each time).
static const std::string &tag_name(const DcmTag &tag)
{
    thread_local std::string private_name;
    if (tag.isPrivate())
        return private_name = DcmTag(tag).getTagName();
    thread_local std::unordered_map<Uint32, std::string> known;
    Uint32 key = ((Uint32) tag.getGTag() << 16) | tag.getETag();
    auto it = known.find(key);
    if (it == known.end())
        it = known.emplace(key, DcmTag(tag).getTagName()).first;
    return it->second;
}

static void append_key(std::string &out, const DcmTag &tag)
{
    static const char hex[] = "0123456789ABCDEF";
    Uint16 parts[2] = { tag.getGTag(), tag.getETag() };
    out += '(';
    for (int p = 0; p < 2; p++) {
        for (int shift = 12; shift >= 0; shift -= 4)
            out += hex[(parts[p] >> shift) & 0xF];
        out += p == 0 ? ',' : ')';
    }
}

// Walked with nextInContainer(): getElement(i) seeks from the first
// element each time.
static void dump_item(std::string &out, DcmItem *item,
                      header_charset &charset, const std::string &indent,
                      int depth)
{
    for (DcmObject *obj = item->nextInContainer(NULL); obj;
         obj = item->nextInContainer(obj)) {
        DcmElement *elem = OFstatic_cast(DcmElement *, obj);
        const DcmTag &tag = elem->getTag();
        out += indent;
        append_key(out, tag);
        out += '\t';
        out += tag_name(tag);
        out += '\t';
        out += tag.getVRName();
        out += '\t';
        if (elem->ident() != EVR_SQ) {
            append_value(out, elem, charset);
            out += '\n';
            continue;
        }
        DcmSequenceOfItems *seq = OFstatic_cast(DcmSequenceOfItems *, elem);
        out += std::to_string(seq->card()) + " item(s)\n";
        if (depth >= 4)
            continue;
        int k = 0;
        for (DcmObject *it = seq->nextInContainer(NULL); it && k < 20;
             it = seq->nextInContainer(it), k++)
            dump_item(out, OFstatic_cast(DcmItem *, it), charset,
                      indent + "> ", depth + 1);
    }
}

dcmshim_status dcmshim_dump_text(DcmDataset *set, char **out, char *msg,
                                 size_t msglen)
{
    OFString name;
    set->findAndGetOFStringArray(DCM_SpecificCharacterSet, name);
    header_charset charset(name);
    std::string text;
    text.reserve(4096);
    dump_item(text, set, charset, "", 0);
    return copy_out(text, (uint8_t **) out, NULL, msg, msglen);
}

extern "C" dcmshim_status dcmshim_dump_tags(const dcmshim_source *src,
                                            char **out, char *msg,
                                            size_t msglen) noexcept
{
    return guarded(msg, msglen, [&]() {
        std::unique_ptr<DcmFileFormat> ff;
        dcmshim_status st = dcmshim_read_dataset(ff, src, msg, msglen);
        if (st != DCMSHIM_OK)
            return st;
        return dcmshim_dump_text(ff->getDataset(), out, msg, msglen);
    });
}
