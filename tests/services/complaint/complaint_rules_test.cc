// The complaint rules that used to live in the service: who handles and
// reads corruption reports, who files for an organization, the listing
// filter, the reason an identity read needs, when a repeated filing is the
// same one and gets its tracking code back, what a complainant sees of a
// case, and which statistics view a request gets.
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/api/fields.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_statistics.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using C = v1::Complaint;
using common::v1::AUDITOR;
using common::v1::EXECUTIVE;
using common::v1::INTEGRITY_OFFICER;
using common::v1::OPERATOR;
using common::v1::SYSTEM;

C OfKind(C::Kind kind) {
  C complaint;
  complaint.set_kind(kind);
  return complaint;
}

// ------------------------------------------------------------- access

TEST(CorruptionAccessTest, OnlyIntegrityOfficersAndSystemsHandleReports) {
  for (const CallerRoles& roles :
       {CallerRoles{INTEGRITY_OFFICER}, CallerRoles{SYSTEM},
        CallerRoles{OPERATOR, INTEGRITY_OFFICER}}) {
    EXPECT_THAT(CheckMayHandle(roles, OfKind(C::CORRUPTION)), IsOk());
  }
  for (const CallerRoles& roles :
       {CallerRoles{}, CallerRoles{OPERATOR}, CallerRoles{AUDITOR},
        CallerRoles{EXECUTIVE, OPERATOR}}) {
    EXPECT_THAT(CheckMayHandle(roles, OfKind(C::CORRUPTION)),
                StatusIs(absl::StatusCode::kPermissionDenied));
    // General complaints are anyone's to handle (the proto's access rules
    // decide who calls at all).
    EXPECT_THAT(CheckMayHandle(roles, OfKind(C::GENERAL)), IsOk());
  }
}

TEST(CorruptionAccessTest, AuditorsReadButDoNotHandle) {
  const CallerRoles auditor{AUDITOR};
  EXPECT_TRUE(MayReadCorruptionReports(auditor));
  EXPECT_FALSE(MayHandleCorruptionReports(auditor));
  EXPECT_THAT(CheckMayRead(auditor, OfKind(C::CORRUPTION)), IsOk());
  EXPECT_THAT(CheckMayRead(CallerRoles{OPERATOR}, OfKind(C::CORRUPTION)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckMayRead(CallerRoles{OPERATOR}, OfKind(C::GENERAL)), IsOk());
  EXPECT_TRUE(MayReadCorruptionReports(CallerRoles{INTEGRITY_OFFICER}));
  EXPECT_TRUE(MayReadCorruptionReports(CallerRoles{SYSTEM}));
}

TEST(CorruptionAccessTest, RolesHoldWhatWasAddedOnly) {
  CallerRoles roles;
  EXPECT_FALSE(roles.Has(OPERATOR));
  roles.Add(OPERATOR);
  EXPECT_TRUE(roles.Has(OPERATOR));
  EXPECT_FALSE(roles.Has(AUDITOR));
  EXPECT_FALSE(roles.Has(common::v1::ROLE_UNSPECIFIED));
}

TEST(FilingBudgetTest, StaffOfTheOrganizationFileForIt) {
  EXPECT_TRUE(FilesForOrganization(CallerRoles{OPERATOR}, true));
  EXPECT_TRUE(FilesForOrganization(CallerRoles{INTEGRITY_OFFICER}, true));
  // Staff of another organization, and other roles, file as the public.
  EXPECT_FALSE(FilesForOrganization(CallerRoles{OPERATOR}, false));
  EXPECT_FALSE(FilesForOrganization(CallerRoles{AUDITOR}, true));
  EXPECT_FALSE(FilesForOrganization(CallerRoles{EXECUTIVE}, true));
  EXPECT_FALSE(FilesForOrganization(CallerRoles{}, true));
}

// ------------------------------------------------------------ listing

TEST(ListFilterTest, CorruptionReportsAreLeftOutForOthers) {
  v1::ListComplaintsRequest request;
  request.add_states(C::RECEIVED);
  request.add_states(C::RECEIVED);
  request.set_kind(C::CORRUPTION);
  request.set_overdue_only(true);
  request.set_due_within_days(7);
  absl::StatusOr<ComplaintFilter> filter =
      ListFilter(request, CallerRoles{INTEGRITY_OFFICER});
  ASSERT_THAT(filter, IsOk());
  EXPECT_THAT(filter->states, ElementsAre(C::RECEIVED));
  EXPECT_EQ(filter->kind, C::CORRUPTION);
  EXPECT_TRUE(filter->overdue_only);
  EXPECT_EQ(filter->due_within_days, 7);
  EXPECT_TRUE(filter->include_corruption);
  EXPECT_FALSE(ListFilter(request, CallerRoles{OPERATOR})->include_corruption);
}

TEST(ListFilterTest, BadFieldsAreNamed) {
  v1::ListComplaintsRequest request;
  request.set_due_within_days(366);
  EXPECT_THAT(ListFilter(request, {}), IsInvalidArgumentAt("due_within_days"));
  request.set_due_within_days(-1);
  EXPECT_THAT(ListFilter(request, {}), IsInvalidArgumentAt("due_within_days"));
  request.set_due_within_days(365);
  EXPECT_THAT(ListFilter(request, {}), IsOk());
  request.set_kind(static_cast<C::Kind>(99));
  EXPECT_THAT(ListFilter(request, {}), IsInvalidArgumentAt("kind"));
}

// ------------------------------------------------------- identity reads

TEST(IdentityAccessReasonTest, AReasonHasTenCharactersOrMore) {
  EXPECT_THAT(ValidateIdentityAccessReason(""), IsInvalidArgumentAt("reason"));
  EXPECT_THAT(ValidateIdentityAccessReason("123456789"),
              IsInvalidArgumentAt("reason"));
  EXPECT_THAT(ValidateIdentityAccessReason("1234567890"), IsOk());
  // Characters, not bytes: nine Thai characters are 27 bytes and too short;
  // white space and zero-width characters do not count.
  EXPECT_THAT(ValidateIdentityAccessReason("ตรวจสอบคด"),
              IsInvalidArgumentAt("reason"));
  EXPECT_THAT(ValidateIdentityAccessReason("ตรวจ   สอบคด\u200b"),
              IsInvalidArgumentAt("reason"));
  EXPECT_THAT(ValidateIdentityAccessReason("ตรวจสอบคดี"), IsOk());
  EXPECT_THAT(ValidateIdentityAccessReason(std::string(501, 'x')),
              IsInvalidArgumentAt("reason"));
}

// -------------------------------------------------------------- replays

constexpr absl::string_view kFiler = "operator-6340101";
const absl::Time kFiled = absl::FromUnixSeconds(1759300000);

C Stored() {
  C stored;
  stored.set_kind(C::GENERAL);
  stored.set_channel(C::PHONE);
  stored.set_subject("ถนนชำรุด");
  stored.set_description("ถนนหมู่ ๓ เป็นหลุม");
  stored.set_category("organizations/6340101/categories/roads");
  stored.mutable_audit()->set_creator(std::string(kFiler));
  *stored.mutable_audit()->mutable_create_time() = api::ToProtoTime(kFiled);
  return stored;
}

TEST(ReplayTest, TheSameCallerAndComplaintAreTheSameFiling) {
  C request = Stored();
  request.clear_audit();
  // Fields the filing does not compare (the registry replaces the
  // organization; places and identities are not part of the check).
  request.mutable_organization()->set_name("anything");
  EXPECT_TRUE(SameFiling(Stored(), request, kFiler));
  EXPECT_FALSE(SameFiling(Stored(), request, "public"));
  for (auto change : std::vector<void (*)(C&)>{
           [](C& c) { c.set_kind(C::CORRUPTION); },
           [](C& c) { c.set_channel(C::WEBSITE); },
           [](C& c) { c.set_subject("อื่น"); },
           [](C& c) { c.set_description("อื่น"); },
           [](C& c) { c.clear_category(); },
       }) {
    C other = request;
    change(other);
    EXPECT_FALSE(SameFiling(Stored(), other, kFiler));
  }
}

TEST(ReplayTest, TheCodeComesBackWithinTheWindowOnly) {
  const absl::Duration window = absl::Hours(24);
  EXPECT_EQ(*CheckReplay(Stored(), Stored(), kFiler, kFiled, window), true);
  EXPECT_EQ(*CheckReplay(Stored(), Stored(), kFiler, kFiled + window, window),
            true);
  EXPECT_EQ(*CheckReplay(Stored(), Stored(), kFiler,
                         kFiled + window + absl::Microseconds(1), window),
            false);
  C other = Stored();
  other.set_subject("another complaint");
  EXPECT_THAT(CheckReplay(Stored(), other, kFiler, kFiled, window),
              IsInvalidArgumentAt("request_id"));
}

// ------------------------------------------------------ tracked view

TEST(TrackedViewTest, TheComplainantSeesWhatWasSaidNotWhoSaidIt) {
  C complaint = Stored();
  complaint.set_name("organizations/6340101/complaints/a");
  complaint.set_state(C::RESOLVED);
  complaint.set_resolution("ซ่อมแล้ว");
  complaint.set_satisfaction(4);
  complaint.set_reopen_count(1);
  complaint.set_overdue(true);
  complaint.mutable_organization()->set_code("6340101");
  *complaint.mutable_receive_time() = api::ToProtoTime(kFiled);
  *complaint.mutable_due_time() = api::ToProtoTime(kFiled + absl::Hours(1));
  complaint.set_assignee("นายช่าง");
  std::vector<v1::Reply> replies(2);
  replies[0].set_author(v1::Reply::STAFF);
  replies[0].set_actor("operator-6340101");
  replies[0].set_text("รับเรื่องแล้ว");
  replies[1].set_author(v1::Reply::COMPLAINANT);
  replies[1].set_actor("complainant");
  replies[1].set_text("ขอบคุณ");

  const v1::TrackedComplaint tracked = TrackedView(complaint, replies);
  EXPECT_EQ(tracked.kind(), C::GENERAL);
  EXPECT_EQ(tracked.subject(), complaint.subject());
  EXPECT_EQ(tracked.state(), C::RESOLVED);
  EXPECT_EQ(tracked.resolution(), "ซ่อมแล้ว");
  EXPECT_EQ(tracked.satisfaction(), 4);
  EXPECT_EQ(tracked.reopen_count(), 1);
  EXPECT_TRUE(tracked.overdue());
  EXPECT_EQ(tracked.organization().code(), "6340101");
  EXPECT_EQ(api::FromProtoTime(tracked.receive_time()), kFiled);
  EXPECT_EQ(api::FromProtoTime(tracked.due_time()), kFiled + absl::Hours(1));
  ASSERT_EQ(tracked.public_replies_size(), 2);
  EXPECT_THAT(tracked.public_replies(0).actor(), IsEmpty());
  EXPECT_EQ(tracked.public_replies(0).text(), "รับเรื่องแล้ว");
  EXPECT_EQ(tracked.public_replies(1).actor(), "complainant");
}

// ---------------------------------------------------- statistics views

TEST(StatisticsViewTest, EachRequestGetsItsView) {
  v1::GetComplaintStatisticsRequest request;
  EXPECT_EQ(*ChooseStatisticsView(request, false, true), StatisticsView::kFull);
  EXPECT_EQ(*ChooseStatisticsView(request, false, false),
            StatisticsView::kGeneralOnly);
  EXPECT_EQ(*ChooseStatisticsView(request, true, false),
            StatisticsView::kPublic);
  request.set_general_only(true);
  EXPECT_EQ(*ChooseStatisticsView(request, false, true),
            StatisticsView::kGeneralOnly);
  EXPECT_THAT(ChooseStatisticsView(request, true, true),
              IsInvalidArgumentAt("general_only"));
}

TEST(StatisticsViewTest, GeneralOnlyCountsGeneralComplaintsAndSaysSo) {
  const Period period{absl::FromUnixSeconds(1759251600),
                      absl::FromUnixSeconds(1767200400)};
  std::vector<StatisticsRow> rows(3);
  for (StatisticsRow& row : rows) {
    row.kind = C::GENERAL;
    row.channel = C::PHONE;
    row.receive_time = period.start + absl::Hours(1);
    row.sla_due_time = row.due_time = DueTime(row.receive_time);
  }
  rows[2].kind = C::CORRUPTION;
  v1::GetComplaintStatisticsRequest request;
  request.set_parent("organizations/6340101");
  request.mutable_fiscal_year()->set_be_year(2569);
  request.set_quarter(1);
  const absl::Time now = period.start + absl::Hours(48);

  const v1::ComplaintStatistics full =
      BuildStatistics(rows, request, StatisticsView::kFull, period, now, 5);
  EXPECT_EQ(full.received(), 3);
  EXPECT_FALSE(full.general_only());
  EXPECT_EQ(full.organization(), "organizations/6340101");
  EXPECT_EQ(full.fiscal_year().be_year(), 2569);
  EXPECT_EQ(full.quarter(), 1);

  const v1::ComplaintStatistics general = BuildStatistics(
      rows, request, StatisticsView::kGeneralOnly, period, now, 5);
  EXPECT_EQ(general.received(), 2);
  EXPECT_TRUE(general.general_only());
  EXPECT_THAT(general.notice(), ::testing::HasSubstr("general complaints"));

  // Published once the quarter has ended: three complaints are fewer than
  // the threshold, so every figure is hidden; two of a threshold of 2 show.
  const absl::Time later = period.end + absl::Hours(24);
  const Period covered = PublicPeriod(period, later);
  ASSERT_EQ(covered.end, period.end);
  const v1::ComplaintStatistics hidden = BuildStatistics(
      rows, request, StatisticsView::kPublic, covered, later, 5);
  EXPECT_FALSE(hidden.has_received());
  EXPECT_FALSE(hidden.general_only());
  const v1::ComplaintStatistics shown = BuildStatistics(
      rows, request, StatisticsView::kPublic, covered, later, 2);
  EXPECT_EQ(shown.received(), 3);
}

}  // namespace
}  // namespace prongsai::complaint
