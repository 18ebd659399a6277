// A new filing's protected parts: a fresh id and tracking code per filing,
// only the code's keyed hash and sealed copy stored, identities sealed only
// when given, and each sealed value opening only as the part of the
// complaint it was sealed for.
#include "services/complaint/complaint_sealing.h"

#include <string>

#include "absl/strings/str_cat.h"
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
  EXPECT_EQ(
      OpenTrackingCode(keys, filing.stored.sealed, filing.name).value_or(""),
      filing.tracking_code);
  EXPECT_THAT(OpenTrackingCode(keys, filing.stored.sealed,
                               "organizations/6340101/complaints/other"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST(SealNewFilingTest, IdentitiesAreSealedOnlyWhenGiven) {
  const ProtectionKeys keys = Keys();
  const v1::Complaint complaint = WithComplainant();
  const SealedFiling filing = *SealNewFiling(keys, complaint, "6340101", 15);
  const SealedValues& sealed = filing.stored.sealed;
  // Under the complaint's own key, itself under the protection key.
  EXPECT_THAT(sealed.complainant, StartsWith("c1."));
  EXPECT_THAT(sealed.wrapped_key,
              StartsWith(absl::StrCat("v1.", keys.current_key_id(), ".")));
  EXPECT_THAT(sealed.complainant, Not(HasSubstr("081-234-5678")));
  EXPECT_THAT(sealed.accused, IsEmpty());

  v1::Person opened;
  ASSERT_THAT(OpenIdentity(keys, sealed, filing.name,
                           IdentityPart::kComplainant, &opened),
              IsOk());
  EXPECT_EQ(opened.name(), complaint.complainant().name());
  EXPECT_EQ(opened.contact(), complaint.complainant().contact());
  // Not as the accused, and not as another complaint's complainant.
  SealedValues moved_part = sealed;
  moved_part.accused = sealed.complainant;
  v1::Person moved;
  EXPECT_THAT(OpenIdentity(keys, moved_part, filing.name,
                           IdentityPart::kAccused, &moved),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(
      OpenIdentity(keys, sealed, "organizations/6340101/complaints/other",
                   IdentityPart::kComplainant, &moved),
      StatusIs(absl::StatusCode::kDataLoss));
  // Nothing sealed: nothing opened, and no error.
  v1::Person none;
  EXPECT_THAT(
      OpenIdentity(keys, sealed, filing.name, IdentityPart::kAccused, &none),
      IsOk());
  EXPECT_THAT(none.name(), IsEmpty());
}

// The protection key file is not enough: without the complaint's own key
// (erased, or never restored with an old copy of the row) nothing opens,
// and another complaint's key does not open it either.
TEST(SealNewFilingTest, WithoutItsOwnKeyNothingOpens) {
  const ProtectionKeys keys = Keys();
  const SealedFiling filing =
      *SealNewFiling(keys, WithComplainant(), "6340101", 15);
  const SealedFiling other =
      *SealNewFiling(keys, WithComplainant(), "6340101", 15);
  SealedValues keyless = filing.stored.sealed;
  keyless.wrapped_key.clear();
  v1::Person person;
  const absl::Status gone = OpenIdentity(keys, keyless, filing.name,
                                         IdentityPart::kComplainant, &person);
  EXPECT_THAT(gone, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(gone.message(), HasSubstr("key is gone"));
  EXPECT_THAT(OpenTrackingCode(keys, keyless, filing.name),
              StatusIs(absl::StatusCode::kDataLoss));
  SealedValues borrowed = filing.stored.sealed;
  borrowed.wrapped_key = other.stored.sealed.wrapped_key;
  EXPECT_THAT(OpenIdentity(keys, borrowed, filing.name,
                           IdentityPart::kComplainant, &person),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(person.name(), IsEmpty());
}

// Complaints filed before complaints had keys keep opening with the
// protection keys alone.
TEST(SealNewFilingTest, ValuesSealedBeforeComplaintsHadKeysStillOpen) {
  const ProtectionKeys keys = Keys();
  const std::string name = "organizations/6340101/complaints/old";
  SealedValues old;
  old.complainant =
      keys.Seal(WithComplainant().complainant().SerializeAsString(),
                absl::StrCat(name, "#complainant"));
  old.tracking = keys.Seal("ABCD-EFGH-JKMN-PQRS-T", name);
  v1::Person person;
  ASSERT_THAT(
      OpenIdentity(keys, old, name, IdentityPart::kComplainant, &person),
      IsOk());
  EXPECT_EQ(person.contact(), "081-234-5678");
  EXPECT_EQ(OpenTrackingCode(keys, old, name).value_or(""),
            "ABCD-EFGH-JKMN-PQRS-T");
}

TEST(SealWithoutContactTest, SealsEverythingAgainUnderANewKey) {
  const ProtectionKeys keys = Keys();
  v1::Complaint complaint = WithComplainant();
  complaint.mutable_accused()->set_name("นายช่าง ผู้ถูกร้อง");
  const SealedFiling filing = *SealNewFiling(keys, complaint, "6340101", 15);
  const SealedValues& before = filing.stored.sealed;
  absl::StatusOr<SealedValues> after =
      SealWithoutContact(keys, before, filing.name);
  ASSERT_THAT(after, IsOk());
  EXPECT_NE(after->wrapped_key, before.wrapped_key);
  v1::Person complainant;
  v1::Person accused;
  ASSERT_THAT(OpenIdentity(keys, *after, filing.name,
                           IdentityPart::kComplainant, &complainant),
              IsOk());
  EXPECT_EQ(complainant.name(), "นายสมชาย ใจกล้า");
  EXPECT_THAT(complainant.contact(), IsEmpty());
  ASSERT_THAT(
      OpenIdentity(keys, *after, filing.name, IdentityPart::kAccused, &accused),
      IsOk());
  EXPECT_EQ(accused.name(), "นายช่าง ผู้ถูกร้อง");
  EXPECT_EQ(OpenTrackingCode(keys, *after, filing.name).value_or(""),
            filing.tracking_code);
  // The old value (as an older backup holds it) no longer opens with the
  // key the complaint has now.
  SealedValues restored = *after;
  restored.complainant = before.complainant;
  EXPECT_THAT(OpenIdentity(keys, restored, filing.name,
                           IdentityPart::kComplainant, &complainant),
              StatusIs(absl::StatusCode::kDataLoss));
  // Nothing left to erase.
  EXPECT_THAT(SealWithoutContact(keys, *after, filing.name),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace prongsai::complaint
