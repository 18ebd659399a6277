// Photos a complaint is filed with, whose bytes the service stores itself:
// which files are photos (JPEG or PNG of at most kMaxPhotoBytes whose bytes
// are of the declared type), and the metadata removed from them before they
// are stored, because it can identify the reporter (EXIF with the camera's
// GPS position and serial number, XMP, comments, timestamps).
//
// The walkers read untrusted bytes: every length is checked against what is
// left before it is used, and a file that is cut short or malformed is
// INVALID_ARGUMENT, never a read past the end. Pure: no I/O.
//
//   PRONGSAI_ASSIGN_OR_RETURN(
//       std::string stored,
//       StripPhotoMetadata("complaint.attachments[0].content", "image/jpeg",
//                          attachment.content()));
#ifndef PRONGSAI_SERVICES_COMPLAINT_PHOTO_H_
#define PRONGSAI_SERVICES_COMPLAINT_PHOTO_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai::complaint {

// At most this many attachments of a complaint carry content (photos).
inline constexpr int kMaxPhotos = 4;
// Each photo as sent, at most 1 MiB.
inline constexpr int64_t kMaxPhotoBytes = int64_t{1} << 20;

inline constexpr absl::string_view kJpegMediaType = "image/jpeg";
inline constexpr absl::string_view kPngMediaType = "image/png";

// The bytes of the photo `content`, declared as `media_type`, without the
// metadata that may identify a person:
//   - JPEG (image/jpeg): APP1-APP15 segments (EXIF incl. GPS, XMP, ICC
//     profiles, maker data) and COM segments are dropped; SOI, APP0
//     (JFIF), the tables, SOF, DRI, every SOS with its entropy-coded data
//     and EOI are kept byte for byte. Anything after EOI (trailers, second
//     images with their own EXIF, motion-photo videos) is dropped.
//   - PNG (image/png): tEXt, zTXt, iTXt, eXIf and tIME chunks are dropped;
//     the signature and every other chunk, CRC included, are kept. Anything
//     after IEND is dropped.
// INVALID_ARGUMENT "<field_path>: <reason>" when `media_type` is neither,
// the content is larger than kMaxPhotoBytes, its bytes are not of the
// declared type, or the file is cut short or malformed (a JPEG without a
// frame, scan or EOI; a PNG whose first chunk is not IHDR, with a bad CRC,
// without IDAT or IEND).
absl::StatusOr<std::string> StripPhotoMetadata(absl::string_view field_path,
                                               absl::string_view media_type,
                                               absl::string_view content);

// Lower-case hex SHA-256 of `bytes` (64 characters).
std::string Sha256Hex(absl::string_view bytes);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_PHOTO_H_
