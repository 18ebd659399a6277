#include "services/complaint/photo.h"

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/validation.h"

namespace prongsai::complaint {
namespace {

constexpr absl::string_view kPngSignature("\x89PNG\r\n\x1A\n", 8);
constexpr absl::string_view kJpegStart("\xFF\xD8\xFF", 3);

uint8_t ByteAt(absl::string_view bytes, size_t at) {
  return static_cast<uint8_t>(bytes[at]);
}

// Big-endian; the caller has checked that the bytes are there.
uint32_t Uint32At(absl::string_view bytes, size_t at) {
  return (uint32_t{ByteAt(bytes, at)} << 24) |
         (uint32_t{ByteAt(bytes, at + 1)} << 16) |
         (uint32_t{ByteAt(bytes, at + 2)} << 8) |
         uint32_t{ByteAt(bytes, at + 3)};
}

// ------------------------------------------------------------------ JPEG

constexpr uint8_t kSoi = 0xD8;
constexpr uint8_t kEoi = 0xD9;
constexpr uint8_t kSos = 0xDA;
constexpr uint8_t kCom = 0xFE;

// Start-of-frame markers: C0-CF except DHT (C4), JPG (C8) and DAC (CC).
bool IsStartOfFrame(uint8_t code) {
  return code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 &&
         code != 0xCC;
}

bool IsRestart(uint8_t code) { return code >= 0xD0 && code <= 0xD7; }

// APP1-APP15 hold EXIF (with GPS), XMP, ICC profiles and maker data; COM
// free text. APP0 is JFIF, which says only how to read the pixels.
bool IsIdentifyingJpegSegment(uint8_t code) {
  return (code >= 0xE1 && code <= 0xEF) || code == kCom;
}

// The end of the entropy-coded data that starts at `at`: the offset of the
// first marker that is neither a stuffed FF (FF 00) nor a restart marker,
// or npos when the data runs to the end of the file (cut short).
size_t EndOfScanData(absl::string_view jpeg, size_t at) {
  while (true) {
    const size_t ff = jpeg.find('\xFF', at);
    if (ff == absl::string_view::npos || ff + 1 >= jpeg.size()) {
      return absl::string_view::npos;
    }
    const uint8_t next = ByteAt(jpeg, ff + 1);
    if (next == 0x00 || IsRestart(next)) {
      at = ff + 2;
      continue;
    }
    return ff;
  }
}

absl::StatusOr<std::string> StripJpeg(absl::string_view field_path,
                                      absl::string_view jpeg) {
  auto malformed = [field_path](absl::string_view why) {
    return InvalidField(field_path, absl::StrCat("is not a whole JPEG: ", why));
  };
  std::string out;
  out.reserve(jpeg.size());
  absl::StrAppend(&out, jpeg.substr(0, 2));  // SOI
  size_t at = 2;
  bool frame = false;
  bool scan = false;
  while (true) {
    // A marker: FF, any number of fill bytes FF, then its code.
    if (at >= jpeg.size()) return malformed("it is cut short (no EOI)");
    if (ByteAt(jpeg, at) != 0xFF) {
      return malformed("a segment does not start with a marker");
    }
    size_t code_at = at + 1;
    while (code_at < jpeg.size() && ByteAt(jpeg, code_at) == 0xFF) ++code_at;
    if (code_at >= jpeg.size()) return malformed("it is cut short (no EOI)");
    const uint8_t code = ByteAt(jpeg, code_at);
    if (code == kEoi) {
      if (!frame || !scan) return malformed("it ends before its image data");
      out.append("\xFF\xD9", 2);
      return out;  // whatever follows EOI is not part of the image
    }
    if (code == 0x00 || code == 0x01 || code == kSoi || IsRestart(code)) {
      return malformed(absl::StrCat("unexpected marker FF ",
                                    absl::Hex(code, absl::kZeroPad2)));
    }
    // Every other marker starts a segment with a 2-byte length that counts
    // itself but not the marker.
    const size_t length_at = code_at + 1;
    if (jpeg.size() - length_at < 2) {
      return malformed("it is cut short in a segment's length");
    }
    const size_t length =
        (size_t{ByteAt(jpeg, length_at)} << 8) | ByteAt(jpeg, length_at + 1);
    if (length < 2) return malformed("a segment's length is below 2");
    if (jpeg.size() - length_at < length) {
      return malformed("it is cut short inside a segment");
    }
    if (!IsIdentifyingJpegSegment(code)) {
      out.push_back('\xFF');
      out.push_back(static_cast<char>(code));
      absl::StrAppend(&out, jpeg.substr(length_at, length));
    }
    at = length_at + length;
    if (IsStartOfFrame(code)) frame = true;
    if (code == kSos) {
      if (!frame) return malformed("a scan comes before the frame header");
      scan = true;
      const size_t end = EndOfScanData(jpeg, at);
      if (end == absl::string_view::npos) {
        return malformed("it is cut short inside its image data");
      }
      absl::StrAppend(&out, jpeg.substr(at, end - at));
      at = end;
    }
  }
}

// ------------------------------------------------------------------- PNG

// CRC-32 as PNG (and zlib) define it: polynomial 0xEDB88320, reflected.
constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k)
      c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

uint32_t Crc32(absl::string_view bytes) {
  static constexpr std::array<uint32_t, 256> kTable = MakeCrcTable();
  uint32_t c = 0xFFFFFFFFu;
  for (char b : bytes) {
    c = kTable[(c ^ static_cast<uint8_t>(b)) & 0xFF] ^ (c >> 8);
  }
  return c ^ 0xFFFFFFFFu;
}

// Text (authors, comments, software, often a location), embedded EXIF, and
// the time of last change.
bool IsIdentifyingPngChunk(absl::string_view type) {
  return type == "tEXt" || type == "zTXt" || type == "iTXt" || type == "eXIf" ||
         type == "tIME";
}

absl::StatusOr<std::string> StripPng(absl::string_view field_path,
                                     absl::string_view png) {
  auto malformed = [field_path](absl::string_view why) {
    return InvalidField(field_path, absl::StrCat("is not a whole PNG: ", why));
  };
  std::string out;
  out.reserve(png.size());
  absl::StrAppend(&out, png.substr(0, kPngSignature.size()));
  size_t at = kPngSignature.size();
  bool first = true;
  bool image_data = false;
  while (true) {
    // length (4), type (4), data (length), CRC (4)
    if (png.size() - at < 12) return malformed("it is cut short (no IEND)");
    const uint32_t length = Uint32At(png, at);
    if (length > 0x7FFFFFFFu) return malformed("a chunk is too long");
    if (png.size() - at - 12 < length) {
      return malformed("it is cut short inside a chunk");
    }
    const absl::string_view type = png.substr(at + 4, 4);
    for (char c : type) {
      if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) {
        return malformed("a chunk type is not four letters");
      }
    }
    if (Crc32(png.substr(at + 4, 4 + size_t{length})) !=
        Uint32At(png, at + 8 + length)) {
      return malformed(absl::StrCat("the CRC of a ", type, " chunk is wrong"));
    }
    if (first != (type == "IHDR")) {
      return malformed("IHDR must be the first chunk, and only that");
    }
    if (first && length != 13) return malformed("IHDR is not 13 bytes long");
    first = false;
    if (type == "IDAT") image_data = true;
    if (!IsIdentifyingPngChunk(type)) {
      absl::StrAppend(&out, png.substr(at, 12 + size_t{length}));
    }
    at += 12 + size_t{length};
    if (type == "IEND") {
      if (!image_data) return malformed("it has no image data (IDAT)");
      return out;  // whatever follows IEND is not part of the image
    }
  }
}

}  // namespace

absl::StatusOr<std::string> StripPhotoMetadata(absl::string_view field_path,
                                               absl::string_view media_type,
                                               absl::string_view content) {
  const bool jpeg = media_type == kJpegMediaType;
  if (!jpeg && media_type != kPngMediaType) {
    return InvalidField(
        field_path, absl::StrCat("only JPEG (", kJpegMediaType, ") and PNG (",
                                 kPngMediaType,
                                 ") photos are stored; give other files "
                                 "by storage_uri"));
  }
  if (static_cast<int64_t>(content.size()) > kMaxPhotoBytes) {
    return InvalidField(
        field_path,
        absl::StrCat("a photo is at most ", kMaxPhotoBytes,
                     " bytes (1 MiB); this one is ", content.size()));
  }
  const bool looks_jpeg = absl::StartsWith(content, kJpegStart);
  const bool looks_png = absl::StartsWith(content, kPngSignature);
  if (jpeg && !looks_jpeg) {
    return InvalidField(field_path,
                        looks_png
                            ? "is declared image/jpeg but holds a PNG"
                            : "is not a JPEG: it does not start with FF D8 FF");
  }
  if (!jpeg && !looks_png) {
    return InvalidField(field_path,
                        looks_jpeg ? "is declared image/png but holds a JPEG"
                                   : "is not a PNG: it does not start with the "
                                     "PNG signature");
  }
  return jpeg ? StripJpeg(field_path, content) : StripPng(field_path, content);
}

std::string Sha256Hex(absl::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest,
                     reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

}  // namespace prongsai::complaint
