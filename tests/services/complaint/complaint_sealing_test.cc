// A new filing's protected parts: a fresh id and tracking code per filing,
// only the code's keyed hash and sealed copy stored, identities sealed only
// when given, and each sealed value opening only as the part of the
// complaint it was sealed for.
#include "services/complaint/complaint_sealing.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/tracking_code.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

ProtectionKeys Keys() {
  return *ProtectionKeys::Parse(ProtectionKeys::GenerateFileText());
}

v1::Complaint WithComplainant() {
  v1::Complaint complaint;
  complaint.set_kind(v1::Complaint::CORRUPTION);
  complaint.mutable_complainant()->set_name("นายสมชาย ใจกล้า");
  complaint.mutable_complainant()->set_contact("081-234-5678");
  return complaint;
}

TEST(SealNewFilingTest, EachFilingHasItsOwnIdAndCode) {
  const ProtectionKeys keys = Keys();
  absl::StatusOr<SealedFiling> first =
      SealNewFiling(keys, WithComplainant(), "6340101", 30);
  absl::StatusOr<SealedFiling> second =
      SealNewFiling(keys, WithComplainant(), "6340101", 30);
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_NE(first->stored.id, second->stored.id);
  EXPECT_NE(first->tracking_code, second->tracking_code);
  EXPECT_EQ(first->name,
            "organizations/6340101/complaints/" + first->stored.id);
  EXPECT_EQ(first->stored.sla_days, 30);
}

TEST(SealNewFilingTest, TheCodeIsStoredAsItsKeyedHashAndSealed) {
  const ProtectionKeys keys = Keys();
  const SealedFiling filing =
      *SealNewFiling(keys, WithComplainant(), "6340101", 15);
  const std::string canonical = *NormalizeTrackingCode(filing.tracking_code);
  EXPECT_EQ(filing.stored.tracking_hash,
            TrackingCodeHash(canonical, keys.tracking_key()));
  EXPECT_THAT(filing.stored.tracking_hash, Not(HasSubstr(canonical)));
  // The sealed copy opens against the complaint's name only.
  EXPECT_EQ(keys.Open(filing.stored.tracking_sealed, filing.name).value_or(""),
            filing.tracking_code);
  EXPECT_THAT(keys.Open(filing.stored.tracking_sealed,
                        "organizations/6340101/complaints/other"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SealNewFilingTest, IdentitiesAreSealedOnlyWhenGiven) {
  const ProtectionKeys keys = Keys();
  const v1::Complaint complaint = WithComplainant();
  const SealedFiling filing = *SealNewFiling(keys, complaint, "6340101", 15);
  EXPECT_THAT(filing.stored.complainant_sealed, StartsWith("v1."));
  EXPECT_THAT(filing.stored.complainant_sealed, Not(HasSubstr("081-234-5678")));
  EXPECT_THAT(filing.stored.accused_sealed, IsEmpty());

  v1::Person opened;
  ASSERT_THAT(OpenIdentity(keys, filing.stored.complainant_sealed, filing.name,
                           IdentityPart::kComplainant, &opened),
              IsOk());
  EXPECT_EQ(opened.name(), complaint.complainant().name());
  EXPECT_EQ(opened.contact(), complaint.complainant().contact());
  // Not as the accused, and not as another complaint's complainant.
  v1::Person moved;
  EXPECT_THAT(OpenIdentity(keys, filing.stored.complainant_sealed, filing.name,
                           IdentityPart::kAccused, &moved),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(OpenIdentity(keys, filing.stored.complainant_sealed,
                           "organizations/6340101/complaints/other",
                           IdentityPart::kComplainant, &moved),
              StatusIs(absl::StatusCode::kDataLoss));
  // Nothing sealed: nothing opened, and no error.
  v1::Person none;
  EXPECT_THAT(
      OpenIdentity(keys, "", filing.name, IdentityPart::kAccused, &none),
      IsOk());
  EXPECT_THAT(none.name(), IsEmpty());
}

}  // namespace
}  // namespace prongsai::complaint
