// Photos the complaint tests build byte by byte, so that what the service
// must remove and keep is known exactly: a decodable 8x8 grey JPEG with an
// EXIF APP1 segment holding a GPS position, an XMP APP1 and a COM segment,
// and a 1x1 grey PNG with tEXt, iTXt and tIME chunks. Each comes with the
// bytes the service must store: the same file without those parts, every
// other byte where it was. The CRC here is computed bit by bit, apart from
// the service's table.
//
//   const TestPhoto jpeg = JpegWithGps();
//   EXPECT_EQ(*StripPhotoMetadata("f", "image/jpeg", jpeg.sent),
//             jpeg.stored);
#ifndef PRONGSAI_TESTS_SERVICES_COMPLAINT_TEST_PHOTOS_H_
#define PRONGSAI_TESTS_SERVICES_COMPLAINT_TEST_PHOTOS_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace prongsai::testing {

struct TestPhoto {
  std::string sent;    // as a camera or phone would send it
  std::string stored;  // what must be stored: the metadata gone
};

// Words that identify the reporter, which must not survive.
inline constexpr absl::string_view kReporterXmp =
    "<x:xmpmeta><dc:creator>Somchai Jaiklah</dc:creator></x:xmpmeta>";
inline constexpr absl::string_view kReporterComment =
    "taken by Somchai, 081-234-5678";

inline std::string Bytes(std::initializer_list<int> values) {
  std::string out;
  for (int value : values) out.push_back(static_cast<char>(value));
  return out;
}

inline std::string Big16(uint32_t v) { return Bytes({int(v >> 8), int(v)}); }
inline std::string Big32(uint32_t v) {
  return Bytes({int(v >> 24), int(v >> 16), int(v >> 8), int(v)});
}
inline std::string Little16(uint32_t v) {
  return Bytes({int(v & 0xFF), int(v >> 8)});
}
inline std::string Little32(uint32_t v) {
  return Bytes({int(v & 0xFF), int((v >> 8) & 0xFF), int((v >> 16) & 0xFF),
                int(v >> 24)});
}

// FF <marker>, the length (counting itself), the payload.
inline std::string JpegSegment(int marker, absl::string_view payload) {
  return absl::StrCat(Bytes({0xFF, marker}),
                      Big16(static_cast<uint32_t>(payload.size() + 2)),
                      payload);
}

// EXIF in a TIFF structure: IFD0 points to a GPS IFD holding
// GPSLatitudeRef "N" and GPSLatitude 13/1 45/1 0/1.
inline std::string ExifWithGps() {
  std::string tiff = absl::StrCat("II*", Bytes({0}), Little32(8));
  // IFD0 at 8: one entry, GPSInfo (0x8825) LONG 1 -> 26.
  absl::StrAppend(&tiff, Little16(1), Little16(0x8825), Little16(4),
                  Little32(1), Little32(26), Little32(0));
  // GPS IFD at 26: two entries, then the rationals at 56.
  absl::StrAppend(&tiff, Little16(2), Little16(0x0001), Little16(2),
                  Little32(2), "N", Bytes({0, 0, 0}), Little16(0x0002),
                  Little16(5), Little32(3), Little32(56), Little32(0));
  absl::StrAppend(&tiff, Little32(13), Little32(1), Little32(45), Little32(1),
                  Little32(0), Little32(1));
  return absl::StrCat("Exif", Bytes({0, 0}), tiff);
}

// 8x8, one grey component, every coefficient zero: one Huffman code of one
// bit for DC category 0 and one for EOB, so the scan is the bits 00 padded
// with ones (0x3F).
inline TestPhoto JpegWithGps() {
  const std::string soi = Bytes({0xFF, 0xD8});
  const std::string app0 = JpegSegment(
      0xE0, absl::StrCat("JFIF", Bytes({0, 1, 1, 0, 0, 1, 0, 1, 0, 0})));
  const std::string exif = JpegSegment(0xE1, ExifWithGps());
  const std::string xmp = JpegSegment(
      0xE1,
      absl::StrCat("http://ns.adobe.com/xap/1.0/", Bytes({0}), kReporterXmp));
  const std::string comment = JpegSegment(0xFE, kReporterComment);
  const std::string dqt =
      JpegSegment(0xDB, absl::StrCat(Bytes({0}), std::string(64, '\x01')));
  const std::string sof =
      JpegSegment(0xC0, Bytes({8, 0, 8, 0, 8, 1, 1, 0x11, 0}));
  const std::string dht_dc = JpegSegment(
      0xC4, absl::StrCat(Bytes({0x00, 1}), std::string(15, '\0'), Bytes({0})));
  const std::string dht_ac = JpegSegment(
      0xC4, absl::StrCat(Bytes({0x10, 1}), std::string(15, '\0'), Bytes({0})));
  const std::string sos = JpegSegment(0xDA, Bytes({1, 1, 0x00, 0, 63, 0}));
  const std::string scan = Bytes({0x3F});
  const std::string eoi = Bytes({0xFF, 0xD9});
  return {absl::StrCat(soi, app0, exif, xmp, comment, dqt, sof, dht_dc, dht_ac,
                       sos, scan, eoi),
          absl::StrCat(soi, app0, dqt, sof, dht_dc, dht_ac, sos, scan, eoi)};
}

// CRC-32 (ISO 3309, as PNG uses it), bit by bit.
inline uint32_t PngCrc(absl::string_view bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char c : bytes) {
    crc ^= static_cast<uint8_t>(c);
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  }
  return ~crc;
}

inline std::string PngChunk(absl::string_view type, absl::string_view data) {
  const std::string typed = absl::StrCat(type, data);
  return absl::StrCat(Big32(static_cast<uint32_t>(data.size())), typed,
                      Big32(PngCrc(typed)));
}

// 1x1, 8-bit grey, the pixel 0: zlib of the row "00 00" in a stored block.
inline TestPhoto PngWithText() {
  const std::string signature =
      Bytes({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
  const std::string ihdr = PngChunk(
      "IHDR", absl::StrCat(Big32(1), Big32(1), Bytes({8, 0, 0, 0, 0})));
  const std::string text =
      PngChunk("tEXt", absl::StrCat("Author", Bytes({0}), "Somchai Jaiklah"));
  const std::string itxt = PngChunk(
      "iTXt",
      absl::StrCat("Comment", Bytes({0, 0, 0, 0, 0}), kReporterComment));
  const std::string time =
      PngChunk("tIME", Bytes({0x07, 0xE9, 10, 1, 9, 30, 0}));
  const std::string idat =
      PngChunk("IDAT", Bytes({0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00,
                              0x00, 0x00, 0x02, 0x00, 0x01}));
  const std::string iend = PngChunk("IEND", "");
  return {absl::StrCat(signature, ihdr, text, time, idat, itxt, iend),
          absl::StrCat(signature, ihdr, idat, iend)};
}

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_COMPLAINT_TEST_PHOTOS_H_
