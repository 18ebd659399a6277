// The validation of a new resource, complaint: a new complaint and its due
// time: every field path and reason, as a pure domain rule without I/O.
#include <limits>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_domain.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::RepeatText;

complaint::v1::Complaint ValidComplaint() {
  complaint::v1::Complaint complaint;
  complaint.set_kind(complaint::v1::Complaint::GENERAL);
  complaint.set_channel(complaint::v1::Complaint::PHONE);
  complaint.set_subject("น้ำประปาไม่ไหล");
  complaint.set_description("หมู่ที่ ๓ น้ำประปาไม่ไหลมาสามวันแล้ว");
  return complaint;
}

TEST(ValidateNewComplaintTest, AcceptsEveryKindAndChannel) {
  for (auto kind : {complaint::v1::Complaint::GENERAL,
                    complaint::v1::Complaint::CORRUPTION}) {
    for (int channel = complaint::v1::Complaint::WALK_IN;
         channel <= complaint::v1::Complaint::OTHER; ++channel) {
      complaint::v1::Complaint complaint = ValidComplaint();
      complaint.set_kind(kind);
      complaint.set_channel(
          static_cast<complaint::v1::Complaint::Channel>(channel));
      EXPECT_THAT(complaint::ValidateNewComplaint(complaint), IsOk())
          << kind << " " << channel;
    }
  }
}

TEST(ValidateNewComplaintTest, KindAndChannelAreRequired) {
  complaint::v1::Complaint complaint = ValidComplaint();
  complaint.clear_kind();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.kind"));
  complaint.set_kind(static_cast<complaint::v1::Complaint::Kind>(3));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.kind"));
  complaint = ValidComplaint();
  complaint.clear_channel();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.channel"));
  complaint.set_channel(static_cast<complaint::v1::Complaint::Channel>(10));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.channel"));
}

TEST(ValidateNewComplaintTest, SubjectAndDescription) {
  complaint::v1::Complaint complaint = ValidComplaint();
  complaint.clear_subject();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.subject"));
  complaint.set_subject(RepeatText("ร", complaint::kMaxSubjectChars));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint), IsOk());
  complaint.set_subject(RepeatText("ร", complaint::kMaxSubjectChars + 1));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.subject"));

  complaint = ValidComplaint();
  complaint.clear_description();
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.description"));
  complaint.set_description(RepeatText("ท", complaint::kMaxDescriptionChars));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint), IsOk());
  complaint.set_description(
      RepeatText("ท", complaint::kMaxDescriptionChars + 1));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.description"));
  complaint.set_description("ok\xC0\xAF");
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.description"));
}

TEST(ValidateNewComplaintTest, Organization) {
  complaint::v1::Complaint complaint = ValidComplaint();
  complaint.mutable_organization()->set_kind(
      static_cast<common::v1::OrganizationKind>(-3));
  EXPECT_THAT(complaint::ValidateNewComplaint(complaint),
              IsInvalidArgumentAt("complaint.organization.kind"));
}

TEST(DueTimeTest, FifteenDaysByDefault) {
  EXPECT_EQ(complaint::kDefaultSlaDays, 15);
  const absl::Time received =
      absl::FromCivil(absl::CivilSecond(2025, 12, 20, 16, 45, 10),
                      absl::UTCTimeZone()) +
      absl::Microseconds(250);
  EXPECT_EQ(complaint::DueTime(received), received + absl::Hours(15 * 24));
  // Across the turn of the year, to the microsecond.
  EXPECT_EQ(complaint::DueTime(received),
            absl::FromCivil(absl::CivilSecond(2026, 1, 4, 16, 45, 10),
                            absl::UTCTimeZone()) +
                absl::Microseconds(250));
  EXPECT_EQ(complaint::DueTime(received, 30), received + absl::Hours(30 * 24));
  EXPECT_EQ(complaint::DueTime(received, 0), received);
}

}  // namespace
}  // namespace prongsai
