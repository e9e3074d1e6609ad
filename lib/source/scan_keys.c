/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The attributes the scanner keeps of every instance: the keys of the
 * directory records (PS3.3 F.5, PS3.11 D.3.3 and H.3.3), and what the pages
 * and the viewer show.  Kept in ascending tag order, as DICOM encodes them.
 */
#include "model.h"

const struct pdb_key pdb_keys[] = {
    { 0x00080005, "CS", "SpecificCharacterSet" },
    { 0x00080008, "CS", "ImageType" },
    { 0x00080016, "UI", "SOPClassUID" },
    { 0x00080018, "UI", "SOPInstanceUID" },
    { 0x00080020, "DA", "StudyDate" },
    { 0x00080021, "DA", "SeriesDate" },
    { 0x00080023, "DA", "ContentDate" },
    { 0x00080030, "TM", "StudyTime" },
    { 0x00080031, "TM", "SeriesTime" },
    { 0x00080033, "TM", "ContentTime" },
    { 0x00080050, "SH", "AccessionNumber" },
    { 0x00080060, "CS", "Modality" },
    { 0x00080070, "LO", "Manufacturer" },
    { 0x00080080, "LO", "InstitutionName" },
    { 0x00080081, "ST", "InstitutionAddress" },
    { 0x00080090, "PN", "ReferringPhysicianName" },
    { 0x00081030, "LO", "StudyDescription" },
    { 0x0008103E, "LO", "SeriesDescription" },
    { 0x00081050, "PN", "PerformingPhysicianName" },
    { 0x00081115, "SQ", "ReferencedSeriesSequence" },
    { 0x00081140, "SQ", "ReferencedImageSequence" },
    { 0x00100010, "PN", "PatientName" },
    { 0x00100020, "LO", "PatientID" },
    { 0x00100021, "LO", "IssuerOfPatientID" },
    { 0x00100030, "DA", "PatientBirthDate" },
    { 0x00100040, "CS", "PatientSex" },
    { 0x00180050, "DS", "SliceThickness" },
    { 0x00181164, "DS", "ImagerPixelSpacing" },
    { 0x0020000D, "UI", "StudyInstanceUID" },
    { 0x0020000E, "UI", "SeriesInstanceUID" },
    { 0x00200010, "SH", "StudyID" },
    { 0x00200011, "IS", "SeriesNumber" },
    { 0x00200013, "IS", "InstanceNumber" },
    { 0x00200020, "CS", "PatientOrientation" },
    { 0x00200032, "DS", "ImagePositionPatient" },
    { 0x00200037, "DS", "ImageOrientationPatient" },
    { 0x00200052, "UI", "FrameOfReferenceUID" },
    { 0x00200060, "CS", "Laterality" },
    { 0x00200062, "CS", "ImageLaterality" },
    { 0x00280002, "US", "SamplesPerPixel" },
    { 0x00280004, "CS", "PhotometricInterpretation" },
    { 0x00280006, "US", "PlanarConfiguration" },
    { 0x00280008, "IS", "NumberOfFrames" },
    { 0x00280010, "US", "Rows" },
    { 0x00280011, "US", "Columns" },
    { 0x00280030, "DS", "PixelSpacing" },
    { 0x00280100, "US", "BitsAllocated" },
    { 0x00280101, "US", "BitsStored" },
    { 0x00280102, "US", "HighBit" },
    { 0x00280103, "US", "PixelRepresentation" },
    { 0x00281050, "DS", "WindowCenter" },
    { 0x00281051, "DS", "WindowWidth" },
    { 0x00281052, "DS", "RescaleIntercept" },
    { 0x00281053, "DS", "RescaleSlope" },
    { 0x00281054, "LO", "RescaleType" },
    { 0x00282110, "CS", "LossyImageCompression" },
    { 0x00282112, "DS", "LossyImageCompressionRatio" },
    { 0x0040A030, "DT", "VerificationDateTime" },
    { 0x0040A043, "SQ", "ConceptNameCodeSequence" },
    { 0x0040A491, "CS", "CompletionFlag" },
    { 0x0040A493, "CS", "VerificationFlag" },
    { 0x0040A730, "SQ", "ContentSequence" },
    { 0x00420010, "ST", "DocumentTitle" },
    { 0x00420012, "LO", "MIMETypeOfEncapsulatedDocument" },
    { 0x00500004, "CS", "CalibrationImage" },
    { 0x00700080, "CS", "ContentLabel" },
    { 0x00700081, "LO", "ContentDescription" },
    { 0x00700082, "DA", "PresentationCreationDate" },
    { 0x00700083, "TM", "PresentationCreationTime" },
    { 0x00700084, "PN", "ContentCreatorName" },
    { 0x3004000A, "CS", "DoseSummationType" },
    { 0x30060002, "SH", "StructureSetLabel" },
    { 0x30060008, "DA", "StructureSetDate" },
    { 0x30060009, "TM", "StructureSetTime" },
    { 0x30080250, "DA", "TreatmentDate" },
    { 0x30080251, "TM", "TreatmentTime" },
    { 0x300A0002, "SH", "RTPlanLabel" },
    { 0x300A0006, "DA", "RTPlanDate" },
    { 0x300A0007, "TM", "RTPlanTime" },
};

const size_t pdb_nkeys = sizeof(pdb_keys) / sizeof(pdb_keys[0]);

const struct pdb_key *pdb_key_find(uint32_t tag)
{
    size_t lo = 0, hi = pdb_nkeys;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (pdb_keys[mid].tag == tag)
            return &pdb_keys[mid];
        if (pdb_keys[mid].tag < tag)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
