#include "services/complaint/photo.h"

#include <sodium.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"
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

// Copies a JPEG segment by segment, leaving out the identifying ones.
class JpegWalker {
 public:
  JpegWalker(absl::string_view field_path, absl::string_view jpeg)
      : field_path_(field_path), jpeg_(jpeg) {
    out_.reserve(jpeg.size());
  }

  absl::StatusOr<std::string> Run() && {
    absl::StrAppend(&out_, jpeg_.substr(0, 2));  // SOI
    at_ = 2;
    while (true) {
      PRONGSAI_ASSIGN_OR_RETURN(const uint8_t code, NextMarker());
      if (code == kEoi) {
        if (!frame_ || !scan_)
          return Malformed("it ends before its image data");
        out_.append("\xFF\xD9", 2);
        return std::move(out_);  // whatever follows EOI is not the image
      }
      PRONGSAI_RETURN_IF_ERROR(CopySegment(code));
      if (IsStartOfFrame(code)) frame_ = true;
      if (code == kSos) PRONGSAI_RETURN_IF_ERROR(CopyScanData());
    }
  }

 private:
  absl::Status Malformed(absl::string_view why) const {
    return InvalidField(field_path_,
                        absl::StrCat("is not a whole JPEG: ", why));
  }

  // The code of the marker at at_ (FF, any fill bytes FF, the code); at_
  // moves past it.
  absl::StatusOr<uint8_t> NextMarker() {
    if (at_ >= jpeg_.size()) return Malformed("it is cut short (no EOI)");
    if (ByteAt(jpeg_, at_) != 0xFF) {
      return Malformed("a segment does not start with a marker");
    }
    ++at_;
    while (at_ < jpeg_.size() && ByteAt(jpeg_, at_) == 0xFF) ++at_;
    if (at_ >= jpeg_.size()) return Malformed("it is cut short (no EOI)");
    const uint8_t code = ByteAt(jpeg_, at_++);
    if (code == 0x00 || code == 0x01 || code == kSoi || IsRestart(code)) {
      return Malformed(absl::StrCat("unexpected marker FF ",
                                    absl::Hex(code, absl::kZeroPad2)));
    }
    return code;
  }

  // The segment whose length is at at_ (2 bytes that count themselves, not
  // the marker), copied unless it identifies; at_ moves past it.
  absl::Status CopySegment(uint8_t code) {
    if (jpeg_.size() - at_ < 2) {
      return Malformed("it is cut short in a segment's length");
    }
    const size_t length =
        (size_t{ByteAt(jpeg_, at_)} << 8) | ByteAt(jpeg_, at_ + 1);
    if (length < 2) return Malformed("a segment's length is below 2");
    if (jpeg_.size() - at_ < length) {
      return Malformed("it is cut short inside a segment");
    }
    if (!IsIdentifyingJpegSegment(code)) {
      out_.push_back('\xFF');
      out_.push_back(static_cast<char>(code));
      absl::StrAppend(&out_, jpeg_.substr(at_, length));
    }
    at_ += length;
    return absl::OkStatus();
  }

  // The entropy-coded data after an SOS header, up to the next marker.
  absl::Status CopyScanData() {
    if (!frame_) return Malformed("a scan comes before the frame header");
    scan_ = true;
    const size_t end = EndOfScanData(jpeg_, at_);
    if (end == absl::string_view::npos) {
      return Malformed("it is cut short inside its image data");
    }
    absl::StrAppend(&out_, jpeg_.substr(at_, end - at_));
    at_ = end;
    return absl::OkStatus();
  }

  const absl::string_view field_path_;
  const absl::string_view jpeg_;
  std::string out_;
  size_t at_ = 0;
  bool frame_ = false;  // a start-of-frame segment was seen
  bool scan_ = false;   // and a scan after it
};

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

struct PngChunkAt {
  absl::string_view type;
  size_t size = 0;  // length, type, data and CRC
};

// The chunk at `at`, its length within the file, its type four letters and
// its CRC right; `malformed` makes the error.
template <typename Malformed>
absl::StatusOr<PngChunkAt> ReadPngChunk(absl::string_view png, size_t at,
                                        const Malformed& malformed) {
  // length (4), type (4), data (length), CRC (4)
  if (png.size() - at < 12) return malformed("it is cut short (no IEND)");
  const uint32_t length = Uint32At(png, at);
  if (length > 0x7FFFFFFFu) return malformed("a chunk is too long");
  if (png.size() - at - 12 < length) {
    return malformed("it is cut short inside a chunk");
  }
  PngChunkAt chunk{png.substr(at + 4, 4), 12 + size_t{length}};
  for (char c : chunk.type) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) {
      return malformed("a chunk type is not four letters");
    }
  }
  if (Crc32(png.substr(at + 4, 4 + size_t{length})) !=
      Uint32At(png, at + 8 + length)) {
    return malformed(
        absl::StrCat("the CRC of a ", chunk.type, " chunk is wrong"));
  }
  if (chunk.type == "IHDR" && length != 13) {
    return malformed("IHDR is not 13 bytes long");
  }
  return chunk;
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
  bool image_data = false;
  while (true) {
    PRONGSAI_ASSIGN_OR_RETURN(const PngChunkAt chunk,
                              ReadPngChunk(png, at, malformed));
    if ((at == kPngSignature.size()) != (chunk.type == "IHDR")) {
      return malformed("IHDR must be the first chunk, and only that");
    }
    if (chunk.type == "IDAT") image_data = true;
    if (!IsIdentifyingPngChunk(chunk.type)) {
      absl::StrAppend(&out, png.substr(at, chunk.size));
    }
    at += chunk.size;
    if (chunk.type == "IEND") {
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
  if (jpeg) return JpegWalker(field_path, content).Run();
  return StripPng(field_path, content);
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
