// Photos filed with a complaint, in the domain: which files are photos, the
// metadata that is removed from them (and that nothing else changes), that
// every cut-short or damaged file is refused rather than read past its end,
// how a filing's photos are named, hashed and sealed, and the filing rules
// (at most 4 photos, file names without paths).
#include "services/complaint/photo.h"

#include <random>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_sealing.h"
#include "tests/services/complaint/test_photos.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Bytes;
using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::JpegSegment;
using ::prongsai::testing::JpegWithGps;
using ::prongsai::testing::PngChunk;
using ::prongsai::testing::PngWithText;
using ::prongsai::testing::StatusIs;
using ::prongsai::testing::TestPhoto;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr absl::string_view kField = "complaint.attachments[0].content";

absl::StatusOr<std::string> Strip(absl::string_view media_type,
                                  absl::string_view content) {
  return StripPhotoMetadata(kField, media_type, content);
}

TEST(StripPhotoMetadataTest, JpegLosesExifGpsXmpAndCommentsOnly) {
  const TestPhoto jpeg = JpegWithGps();
  ASSERT_THAT(jpeg.sent, HasSubstr("Exif"));
  absl::StatusOr<std::string> stored = Strip("image/jpeg", jpeg.sent);
  ASSERT_THAT(stored, IsOk());
  // Byte for byte the file without those segments: SOI, JFIF, tables,
  // frame, scan and EOI where they were.
  EXPECT_EQ(absl::BytesToHexString(*stored),
            absl::BytesToHexString(jpeg.stored));
  EXPECT_THAT(*stored, Not(HasSubstr("Exif")));
  // The GPS IFD pointer tag (0x8825, little-endian) and its "N".
  EXPECT_THAT(*stored, Not(HasSubstr(Bytes({0x25, 0x88}))));
  EXPECT_THAT(*stored, Not(HasSubstr(testing::kReporterXmp)));
  EXPECT_THAT(*stored, Not(HasSubstr(testing::kReporterComment)));
  EXPECT_THAT(*stored, HasSubstr("JFIF"));
  EXPECT_THAT(*stored, StartsWith(Bytes({0xFF, 0xD8, 0xFF, 0xE0})));
}

TEST(StripPhotoMetadataTest, PngLosesTextExifAndTimeChunksOnly) {
  const TestPhoto png = PngWithText();
  absl::StatusOr<std::string> stored = Strip("image/png", png.sent);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(absl::BytesToHexString(*stored),
            absl::BytesToHexString(png.stored));
  for (absl::string_view gone : {"tEXt", "iTXt", "tIME", "Somchai"}) {
    EXPECT_THAT(*stored, Not(HasSubstr(gone))) << gone;
  }
  // An eXIf and a zTXt chunk go too.
  const std::string ihdr_end = png.stored.substr(0, 8 + 25);
  const std::string rest = png.stored.substr(8 + 25);
  const std::string with_exif =
      absl::StrCat(ihdr_end, PngChunk("eXIf", testing::ExifWithGps()),
                   PngChunk("zTXt", Bytes({'C', 0, 0, 0x78})), rest);
  EXPECT_EQ(Strip("image/png", with_exif).value_or(""), png.stored);
}

TEST(StripPhotoMetadataTest, CleanPhotosAreUnchanged) {
  for (const auto& [type, photo] : {std::pair{"image/jpeg", JpegWithGps()},
                                    std::pair{"image/png", PngWithText()}}) {
    EXPECT_EQ(Strip(type, photo.stored).value_or(""), photo.stored) << type;
  }
}

TEST(StripPhotoMetadataTest, WhatFollowsTheEndIsDropped) {
  // Phones append second images (with their own EXIF) or videos.
  const std::string trailer = absl::StrCat(
      Bytes({0xFF, 0xD8}), JpegSegment(0xE1, testing::ExifWithGps()));
  EXPECT_EQ(Strip("image/jpeg", JpegWithGps().sent + trailer).value_or(""),
            JpegWithGps().stored);
  EXPECT_EQ(Strip("image/png", PngWithText().sent + trailer).value_or(""),
            PngWithText().stored);
}

TEST(StripPhotoMetadataTest, ScanDataWithStuffedBytesAndRestartsIsKept) {
  const TestPhoto jpeg = JpegWithGps();
  // Entropy-coded data holding FF 00 (a stuffed FF), RST0 and RST7, then
  // fill bytes before EOI: none of it ends the scan early.
  const std::string scan =
      Bytes({0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD7, 0x78});
  const size_t scan_at = jpeg.stored.size() - 3;  // the 0x3F before EOI
  const std::string stored =
      absl::StrCat(jpeg.stored.substr(0, scan_at), scan, Bytes({0xFF, 0xD9}));
  EXPECT_EQ(Strip("image/jpeg", stored).value_or(""), stored);
  const std::string with_fill = absl::StrCat(jpeg.stored.substr(0, scan_at),
                                             scan, Bytes({0xFF, 0xFF, 0xD9}));
  EXPECT_EQ(Strip("image/jpeg", with_fill).value_or(""), stored);
}

TEST(StripPhotoMetadataTest, EveryCutShortFileIsRefused) {
  for (const auto& [type, photo] : {std::pair{"image/jpeg", JpegWithGps()},
                                    std::pair{"image/png", PngWithText()}}) {
    for (size_t length = 0; length < photo.sent.size(); ++length) {
      EXPECT_THAT(Strip(type, photo.sent.substr(0, length)),
                  IsInvalidArgumentAt(kField))
          << type << " cut at " << length;
    }
  }
}

TEST(StripPhotoMetadataTest, DamagedFilesNeverCrashTheWalker) {
  // Random bytes over the files: each result is a photo no larger than the
  // file, or a refusal naming the field; never a crash.
  std::mt19937 random(20261202);
  for (const auto& [type, photo] : {std::pair{"image/jpeg", JpegWithGps()},
                                    std::pair{"image/png", PngWithText()}}) {
    for (int round = 0; round < 3000; ++round) {
      std::string damaged = photo.sent;
      const int changes = 1 + static_cast<int>(random() % 4);
      for (int i = 0; i < changes; ++i) {
        damaged[random() % damaged.size()] = static_cast<char>(random());
      }
      absl::StatusOr<std::string> result = Strip(type, damaged);
      if (result.ok()) {
        EXPECT_LE(result->size(), damaged.size());
      } else {
        EXPECT_THAT(result, IsInvalidArgumentAt(kField));
      }
    }
  }
}

TEST(StripPhotoMetadataTest, OtherTypesAndMismatchesAreRefused) {
  const std::string jpeg = JpegWithGps().sent;
  const std::string png = PngWithText().sent;
  const std::string gif =
      absl::StrCat("GIF89a", Bytes({1, 0, 1, 0, 0, 0, 0}), ";");
  const std::string pdf = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  struct Case {
    const char* label;
    absl::string_view media_type;
    std::string content;
    const char* reason;
  };
  const Case cases[] = {
      {"a GIF", "image/gif", gif, "only JPEG"},
      {"a GIF declared a JPEG", "image/jpeg", gif, "is not a JPEG"},
      {"a PDF", "application/pdf", pdf, "only JPEG"},
      {"a PDF declared a PNG", "image/png", pdf, "is not a PNG"},
      {"a PNG declared a JPEG", "image/jpeg", png, "holds a PNG"},
      {"a JPEG declared a PNG", "image/png", jpeg, "holds a JPEG"},
      {"upper-case type", "IMAGE/JPEG", jpeg, "only JPEG"},
  };
  for (const Case& test_case : cases) {
    absl::StatusOr<std::string> result =
        Strip(test_case.media_type, test_case.content);
    EXPECT_THAT(result, IsInvalidArgumentAt(kField)) << test_case.label;
    EXPECT_THAT(result.status().message(), HasSubstr(test_case.reason))
        << test_case.label;
  }
}

TEST(StripPhotoMetadataTest, AtMostOneMebibyte) {
  // A real JPEG grown by a comment (which would be removed) to the limit.
  const TestPhoto jpeg = JpegWithGps();
  auto padded_to = [&](size_t total) {
    std::string out = jpeg.stored.substr(0, 2);
    size_t room = total - jpeg.stored.size();
    while (room > 0) {
      const size_t payload = std::min<size_t>(room - 4, 65533);
      absl::StrAppend(&out, JpegSegment(0xFE, std::string(payload, 'x')));
      room -= payload + 4;
    }
    absl::StrAppend(&out, jpeg.stored.substr(2));
    return out;
  };
  // Sizes where the padding splits evenly into comment segments.
  const std::string at_limit = padded_to(size_t{1} << 20);
  ASSERT_EQ(at_limit.size(), size_t{1} << 20);
  EXPECT_EQ(Strip("image/jpeg", at_limit).value_or(""), jpeg.stored);
  const std::string over = at_limit.substr(0, 2) +
                           JpegSegment(0xFE, "y").substr(0, 5) +
                           at_limit.substr(2);
  ASSERT_EQ(over.size(), (size_t{1} << 20) + 5);
  absl::StatusOr<std::string> refused = Strip("image/jpeg", over);
  EXPECT_THAT(refused, IsInvalidArgumentAt(kField));
  EXPECT_THAT(refused.status().message(), HasSubstr("1048576"));
}

TEST(StripPhotoMetadataTest, MalformedStructuresAreRefused) {
  const TestPhoto jpeg = JpegWithGps();
  const TestPhoto png = PngWithText();
  const std::string soi = Bytes({0xFF, 0xD8});
  const std::string sos = JpegSegment(0xDA, Bytes({1, 1, 0x00, 0, 63, 0}));
  const std::string eoi = Bytes({0xFF, 0xD9});
  const std::string ihdr = png.stored.substr(8, 25);
  const std::string idat = png.stored.substr(8 + 25, png.stored.size() - 45);
  const std::string iend = png.stored.substr(png.stored.size() - 12);
  const std::string signature = png.stored.substr(0, 8);
  std::string bad_crc = png.stored;
  bad_crc[8 + 20] ^= 0x01;  // a byte of IHDR's data
  struct Case {
    const char* label;
    absl::string_view media_type;
    std::string content;
    const char* reason;
  };
  const Case cases[] = {
      {"JPEG of SOI and EOI only", "image/jpeg", soi + Bytes({0xFF, 0xD9}),
       "before its image data"},
      {"JPEG scan before its frame", "image/jpeg",
       absl::StrCat(soi, sos, Bytes({0x3F}), eoi), "before the frame"},
      {"JPEG segment length 0", "image/jpeg",
       absl::StrCat(soi, Bytes({0xFF, 0xE0, 0x00, 0x00}),
                    jpeg.stored.substr(2)),
       "length is below 2"},
      {"JPEG segment longer than the file", "image/jpeg",
       absl::StrCat(soi, Bytes({0xFF, 0xFE, 0xFF, 0xFF, 'x'})),
       "cut short inside a segment"},
      {"JPEG without a marker after SOI", "image/jpeg",
       absl::StrCat(soi, Bytes({0xFF, 0x00})), "unexpected marker FF 00"},
      {"PNG CRC wrong", "image/png", bad_crc, "CRC"},
      {"PNG without IHDR first", "image/png",
       absl::StrCat(signature, idat, ihdr, iend), "IHDR"},
      {"PNG with two IHDR", "image/png",
       absl::StrCat(signature, ihdr, ihdr, idat, iend), "IHDR"},
      {"PNG without IDAT", "image/png", absl::StrCat(signature, ihdr, iend),
       "IDAT"},
      {"PNG chunk type not letters", "image/png",
       absl::StrCat(signature, ihdr, PngChunk("ID1T", "x"), idat, iend),
       "four letters"},
      {"PNG chunk length over 2^31", "image/png",
       absl::StrCat(signature, ihdr, Bytes({0x80, 0, 0, 0}), "IDAT",
                    std::string(8, '\0')),
       "too long"},
  };
  for (const Case& test_case : cases) {
    absl::StatusOr<std::string> result =
        Strip(test_case.media_type, test_case.content);
    EXPECT_THAT(result, IsInvalidArgumentAt(kField)) << test_case.label;
    EXPECT_THAT(result.status().message(), HasSubstr(test_case.reason))
        << test_case.label;
  }
}

TEST(Sha256HexTest, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// ---------------------------------------------------------- the filing

v1::Attachment Photo(const std::string& content,
                     absl::string_view media_type = "image/jpeg",
                     absl::string_view file_name = "ภาพถนน.jpg") {
  v1::Attachment photo;
  photo.set_file_name(std::string(file_name));
  photo.set_media_type(std::string(media_type));
  photo.set_content(content);
  return photo;
}

v1::Complaint WithPhotos(v1::Complaint::Kind kind, int photos) {
  v1::Complaint complaint;
  complaint.set_kind(kind);
  complaint.set_channel(v1::Complaint::WEBSITE);
  complaint.set_subject("ถนนชำรุด");
  complaint.set_description("ถนนหมู่ ๓ เป็นหลุม");
  for (int i = 0; i < photos; ++i) {
    *complaint.add_attachments() = Photo(JpegWithGps().sent);
  }
  return complaint;
}

TEST(PhotoFilingTest, FourPhotosAmongTwentyAttachments) {
  v1::Complaint complaint = WithPhotos(v1::Complaint::GENERAL, 4);
  for (int i = 0; i < 16; ++i) {
    v1::Attachment* held = complaint.add_attachments();
    held->set_file_name("scan.pdf");
    held->set_media_type("application/pdf");
    held->set_sha256(std::string(64, 'a'));
    held->set_storage_uri("s3://bucket/scan.pdf");
  }
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
  // The fifth photo is named by its index, wherever it is.
  *complaint.mutable_attachments(7) = Photo(PngWithText().sent, "image/png");
  EXPECT_THAT(ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.attachments[7].content"));
}

TEST(PhotoFilingTest, PhotoFieldsAreChecked) {
  struct Case {
    const char* label;
    v1::Attachment photo;
    const char* field;
  };
  v1::Attachment with_uri = Photo(JpegWithGps().sent);
  with_uri.set_storage_uri("s3://x/y");
  const Case cases[] = {
      {"no file name", Photo(JpegWithGps().sent, "image/jpeg", ""),
       "complaint.attachments[1].file_name"},
      {"a path", Photo(JpegWithGps().sent, "image/jpeg", "../../etc/x.jpg"),
       "complaint.attachments[1].file_name"},
      {"a Windows path", Photo(JpegWithGps().sent, "image/jpeg", "C:\\a.jpg"),
       "complaint.attachments[1].file_name"},
      {"256 characters",
       Photo(JpegWithGps().sent, "image/jpeg", testing::RepeatText("ภ", 256)),
       "complaint.attachments[1].file_name"},
      {"a storage URI too", with_uri, "complaint.attachments[1].storage_uri"},
      {"cut short", Photo(JpegWithGps().sent.substr(0, 40)),
       "complaint.attachments[1].content"},
  };
  for (const Case& test_case : cases) {
    v1::Complaint complaint = WithPhotos(v1::Complaint::GENERAL, 1);
    *complaint.add_attachments() = test_case.photo;
    EXPECT_THAT(ValidateNewComplaint(complaint),
                IsInvalidArgumentAt(test_case.field))
        << test_case.label;
  }
  // Size and hash are the service's: what a caller sends is not checked.
  v1::Complaint complaint = WithPhotos(v1::Complaint::GENERAL, 1);
  complaint.mutable_attachments(0)->set_sha256("not a hash");
  complaint.mutable_attachments(0)->set_size_bytes(-5);
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
}

ProtectionKeys Keys() {
  return *ProtectionKeys::Parse(ProtectionKeys::GenerateFileText());
}

TEST(PhotoFilingTest, GeneralPhotosAreStrippedNamedAndHashed) {
  const ProtectionKeys keys = Keys();
  v1::Complaint complaint = WithPhotos(v1::Complaint::GENERAL, 1);
  v1::Attachment* held = complaint.add_attachments();
  held->set_file_name("scan.pdf");
  held->set_storage_uri("s3://bucket/scan.pdf");
  *complaint.add_attachments() = Photo(PngWithText().sent, "image/png");
  complaint.mutable_attachments(2)->set_sha256(std::string(64, 'f'));
  absl::StatusOr<SealedFiling> filing =
      SealNewFiling(keys, complaint, "6340101", 15);
  ASSERT_THAT(filing, IsOk());
  ASSERT_THAT(filing->stored.photos, SizeIs(2));
  ASSERT_THAT(filing->attachments, SizeIs(3));
  const StoredPhoto& jpeg = filing->stored.photos[0];
  const StoredPhoto& png = filing->stored.photos[1];
  EXPECT_EQ(jpeg.index, 0);
  EXPECT_EQ(png.index, 2);
  EXPECT_FALSE(jpeg.sealed);
  EXPECT_EQ(jpeg.content, absl::Base64Escape(JpegWithGps().stored));
  EXPECT_EQ(jpeg.size_bytes, static_cast<int64_t>(JpegWithGps().stored.size()));
  EXPECT_EQ(jpeg.sha256, Sha256Hex(JpegWithGps().stored));
  EXPECT_EQ(png.sha256, Sha256Hex(PngWithText().stored));
  EXPECT_EQ(png.media_type, "image/png");
  // The register's description: no bytes, the stored size and hash, a name.
  const v1::Attachment& described = filing->attachments[2];
  EXPECT_TRUE(described.content().empty());
  EXPECT_EQ(described.sha256(), png.sha256);
  EXPECT_EQ(described.size_bytes(), png.size_bytes);
  EXPECT_EQ(described.name(),
            absl::StrCat(filing->name, "/attachments/", png.id));
  EXPECT_EQ(filing->attachments[1].storage_uri(), "s3://bucket/scan.pdf");
  EXPECT_TRUE(filing->attachments[1].name().empty());
  EXPECT_EQ(OpenPhoto(keys, png, described.name()).value_or(""),
            PngWithText().stored);
  absl::StatusOr<AttachmentName> parsed =
      ParseAttachmentName("name", described.name());
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->organization, "6340101");
  EXPECT_EQ(parsed->complaint_id, filing->stored.id);
  EXPECT_EQ(parsed->id, png.id);
}

TEST(PhotoFilingTest, CorruptionReportPhotosAreSealedToTheirName) {
  const ProtectionKeys keys = Keys();
  absl::StatusOr<SealedFiling> filing = SealNewFiling(
      keys, WithPhotos(v1::Complaint::CORRUPTION, 2), "6340101", 15);
  ASSERT_THAT(filing, IsOk());
  ASSERT_THAT(filing->stored.photos, SizeIs(2));
  const StoredPhoto& first = filing->stored.photos[0];
  EXPECT_TRUE(first.sealed);
  EXPECT_THAT(first.content, StartsWith("v1."));
  EXPECT_THAT(first.content,
              Not(HasSubstr(absl::Base64Escape(JpegWithGps().stored))));
  const std::string name = filing->attachments[0].name();
  EXPECT_EQ(OpenPhoto(keys, first, name).value_or(""), JpegWithGps().stored);
  // Under another photo's name, or altered, it does not open.
  EXPECT_THAT(OpenPhoto(keys, first, filing->attachments[1].name()),
              StatusIs(absl::StatusCode::kDataLoss));
  StoredPhoto altered = first;
  altered.sha256 = Sha256Hex("something else");
  EXPECT_THAT(OpenPhoto(keys, altered, name),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(PhotoFilingTest, AttachmentNamesAreParsedStrictly) {
  for (absl::string_view bad :
       {"", "organizations/6340101/complaints/abc",
        "organizations/6340101/complaints/abc/attachments/",
        "organizations/6340101/complaints/abc/replies/def",
        "organizations/6340101/complaints//attachments/def",
        "organizations/6340101/complaints/abc/attachments/d/e",
        "organizations/63 40101/complaints/abc/attachments/def",
        "/attachments/def", "attachments/def"}) {
    EXPECT_THAT(ParseAttachmentName("name", bad), IsInvalidArgumentAt("name"))
        << bad;
  }
}

TEST(PhotoFilingTest, TheComplainantSeesHowManyPhotos) {
  v1::Complaint complaint;
  complaint.add_attachments()->set_name("organizations/o/complaints/c/a/1");
  complaint.add_attachments()->set_storage_uri("s3://x");
  complaint.add_attachments()->set_name("organizations/o/complaints/c/a/2");
  EXPECT_EQ(TrackedView(complaint, {}).photo_count(), 2);
}

}  // namespace
}  // namespace prongsai::complaint
