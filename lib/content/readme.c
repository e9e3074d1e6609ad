/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * README.TXT, which IHE PDI puts in the root of all media: the institution
 * that made it and how to reach it, the creating application and version,
 * how the media is organised and how to use it.  Plain ASCII with CRLF
 * line ends, so every system's simplest editor shows it; no patient data,
 * since the file is read before anyone knows whose media it is.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"

static void line(struct pdb_buf *b, const char *text)
{
    pdb_buf_add_str(b, text);
    pdb_buf_add_str(b, "\r\n");
}

/* Non-ASCII characters of user-supplied text become '?': the file makes
 * no claim about its encoding. */
static void ascii_line(struct pdb_buf *b, const char *label, const char *text)
{
    pdb_buf_add_str(b, label);
    for (const char *p = text; *p; p++) {
        char c = *p >= 0x20 && *p < 0x7F ? *p : (*p == '\n' ? ' ' : '?');
        if ((unsigned char) *p >= 0x80 && ((unsigned char) *p & 0xC0) == 0x80)
            continue; /* one '?' per UTF-8 character */
        pdb_buf_add(b, &c, 1);
    }
    pdb_buf_add_str(b, "\r\n");
}

static void who(struct pdb_buf *b, const struct pdb_volume *vol)
{
    line(b, "CREATED BY");
    ascii_line(b, "  Institution: ",
               vol->institution ? vol->institution : "(not configured)");
    if (vol->address)
        ascii_line(b, "  Address:     ", vol->address);
    ascii_line(b, "  Contact:     ",
               vol->contact ? vol->contact : "(not configured)");
    pdb_buf_printf(b, "  Application: pdiburn %s (Implementation Class UID "
                      "%s)\r\n",
                   PDIBURN_VERSION, PDB_IMPLEMENTATION_UID);
    pdb_buf_printf(b, "  Created on:  %s\r\n", vol->created);
    line(b, "");
}

static void what(struct pdb_buf *b, const struct pdb_volume *vol)
{
    line(b, "CONTENTS");
    pdb_buf_printf(b, "  %llu patient(s), %llu study/studies, %llu series, "
                      "%llu DICOM file(s).\r\n",
                   (unsigned long long) vol->patients,
                   (unsigned long long) vol->studies,
                   (unsigned long long) vol->series,
                   (unsigned long long) vol->instances);
    pdb_buf_printf(b, "  DICOM File-set ID %s, File-set UID %s.\r\n",
                   vol->fileset_id[0] ? vol->fileset_id : "(none)",
                   vol->fileset_uid);
    line(b, "");
    line(b, "  DICOMDIR     the DICOM directory: the index that DICOM viewers");
    line(b, "               and hospital systems (PACS) read first");
    line(b, "  DICOM\\       the images and reports as DICOM files (DICOM PS3.10),");
    line(b, "               uncompressed Explicit VR Little Endian, as the");
    line(b, "               General Purpose CD-R profile STD-GEN-CD asks");
    if (vol->web) {
        line(b, "  INDEX.HTM    start here: open it in a web browser");
        line(b, "  IHE_PDI\\     pages with JPEG copies of the images (IHE PDI");
        line(b, "               Web Content)");
    }
    if (vol->viewer)
        line(b, "  VIEWER\\      the image viewer INDEX.HTM opens, and its data");
    if (vol->web)
        line(b, "  REPORTS\\     reports, when there are any (web pages, PDF)");
    line(b, "  README.TXT   this file");
    line(b, "  SHA256.TXT   the SHA-256 checksum of every other file, to check");
    line(b, "               that the media is complete and unchanged");
    line(b, "");
}

static void how_to_open(struct pdb_buf *b, const struct pdb_volume *vol)
{
    line(b, "TO SEE THE IMAGES");
    line(b, "  Open INDEX.HTM with a web browser (Chrome, Edge, Firefox,");
    line(b, "  Safari).  Nothing is installed and no internet is needed.");
    line(b, "  Windows:  open the disc or stick in File Explorer and double-click");
    line(b, "            INDEX.HTM (or right-click it, Open with, your browser).");
    line(b, "  macOS:    open the disc or stick in Finder and double-click");
    line(b, "            INDEX.HTM; or drag it onto Safari or Chrome.");
    line(b, "  Linux:    open the mounted media in the file manager and");
    line(b, "            double-click INDEX.HTM.");
    line(b, "  ChromeOS: open the Files app, choose the disc or stick, open");
    line(b, "            INDEX.HTM.");
    line(b, "  From a ZIP file: extract all files first, then open INDEX.HTM.");
    line(b, "");
    if (vol->viewer) {
        pdb_buf_printf(b, "  The viewer (pdiburn %s, in VIEWER\\) runs inside the "
                          "browser:\r\n",
                       PDIBURN_VERSION);
        line(b, "  a current Chrome, Edge, Firefox or Safari on any computer or");
        line(b, "  tablet, JavaScript on.  With JavaScript off, INDEX.HTM still");
        line(b, "  lists the studies and links to the pages in IHE_PDI.  Its");
        line(b, "  'Open DICOM folder' button shows the DICOM files themselves.");
        line(b, "  Images marked 'lossy preview' are 8-bit copies for a first");
        line(b, "  look, not for diagnosis; the DICOM files hold the originals.");
        line(b, "");
    }
}

static void how(struct pdb_buf *b)
{
    line(b, "FOR HOSPITALS AND DOCTORS");
    line(b, "  Import the media with any DICOM viewer or PACS");
    line(b, "  through the DICOMDIR file.  Nothing on this media runs by itself");
    line(b, "  and nothing needs to be installed from it.");
    line(b, "");
    line(b, "  To check the media: 'sha256sum -c SHA256.TXT' (Linux, macOS with");
    line(b, "  'shasum -a 256 -c SHA256.TXT'), or 'pdiburn verify' on the media.");
    line(b, "");
    line(b, "This media conforms to DICOM PS3.10, PS3.11 (STD-GEN-CD) and PS3.12,");
    line(b, "and follows IHE Radiology Portable Data for Imaging (PDI).");
}

bool pdb_readme_make(const struct pdb_volume *vol, uint8_t **out,
                     size_t *len, struct pdiburn_error **err)
{
    struct pdb_buf b = { 0 };
    line(&b, "PATIENT IMAGING MEDIA - README");
    line(&b, "==============================");
    line(&b, "");
    line(&b, "This media holds medical images and reports of one or more");
    line(&b, "patients.  It contains private health information: keep it safe.");
    if (vol->count > 1)
        pdb_buf_printf(&b, "This is disc %u of %u.\r\n", vol->index, vol->count);
    line(&b, "");
    if (vol->web)
        how_to_open(&b, vol);
    who(&b, vol);
    what(&b, vol);
    how(&b);
    *out = pdb_buf_steal(&b, len);
    return *out ? true : pdb_fail_nomem(err);
}
