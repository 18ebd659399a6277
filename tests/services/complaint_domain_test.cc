// Pure rules of the complaint service: the workflow table, tracking codes,
// sealing of identities, statistics on a hand-counted fixture and the
// periods statistics cover.
#include "services/complaint/complaint_domain.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_statistics.h"
#include "services/complaint/protection.h"
#include "services/complaint/tracking_code.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using C = v1::Complaint;

// ------------------------------------------------------------- workflow

TEST(WorkflowTest, TransitionTableIsExactlyTheDocumentedOne) {
  const std::set<std::pair<C::State, C::State>> allowed = {
      {C::RECEIVED, C::ACKNOWLEDGED},  {C::RECEIVED, C::REFERRED},
      {C::RECEIVED, C::REJECTED},      {C::RECEIVED, C::WITHDRAWN},
      {C::ACKNOWLEDGED, C::ASSIGNED},  {C::ACKNOWLEDGED, C::IN_PROGRESS},
      {C::ACKNOWLEDGED, C::REFERRED},  {C::ACKNOWLEDGED, C::REJECTED},
      {C::ACKNOWLEDGED, C::WITHDRAWN}, {C::ASSIGNED, C::ASSIGNED},
      {C::ASSIGNED, C::IN_PROGRESS},   {C::ASSIGNED, C::REFERRED},
      {C::ASSIGNED, C::REJECTED},      {C::ASSIGNED, C::WITHDRAWN},
      {C::IN_PROGRESS, C::ASSIGNED},   {C::IN_PROGRESS, C::RESOLVED},
      {C::IN_PROGRESS, C::REFERRED},   {C::IN_PROGRESS, C::WITHDRAWN},
      {C::RESOLVED, C::CLOSED},
  };
  for (int from = C::RECEIVED; from <= C::WITHDRAWN; ++from) {
    for (int to = C::RECEIVED; to <= C::WITHDRAWN; ++to) {
      const auto pair = std::make_pair(static_cast<C::State>(from),
                                       static_cast<C::State>(to));
      EXPECT_EQ(IsAllowedTransition(pair.first, pair.second),
                allowed.count(pair) == 1)
          << C::State_Name(pair.first) << " -> " << C::State_Name(pair.second);
    }
  }
}

v1::TransitionComplaintRequest Move(C::State to) {
  v1::TransitionComplaintRequest request;
  request.set_target_state(to);
  request.set_note("ดำเนินการ");
  return request;
}

TEST(WorkflowTest, EachTargetNeedsItsOwnDetailsAndNoOthers) {
  constexpr absl::string_view kOrg = "6340101";
  constexpr absl::string_view kSelf = "organizations/6340101/complaints/a";
  EXPECT_THAT(
      ValidateTransition(C::IN_PROGRESS, Move(C::RESOLVED), kOrg, kSelf),
      StatusIs(absl::StatusCode::kInvalidArgument));
  v1::TransitionComplaintRequest resolve = Move(C::RESOLVED);
  resolve.set_resolution("ซ่อมไฟแล้ว");
  EXPECT_THAT(ValidateTransition(C::IN_PROGRESS, resolve, kOrg, kSelf), IsOk());
  resolve.set_assignee("กองช่าง");
  EXPECT_EQ(ValidateTransition(C::IN_PROGRESS, resolve, kOrg, kSelf).message(),
            "assignee: belongs only to a move to ASSIGNED");

  v1::TransitionComplaintRequest no_note = Move(C::ACKNOWLEDGED);
  no_note.clear_note();
  EXPECT_EQ(ValidateTransition(C::RECEIVED, no_note, kOrg, kSelf).message(),
            "note: is required");

  v1::TransitionComplaintRequest reject = Move(C::REJECTED);
  EXPECT_THAT(ValidateTransition(C::RECEIVED, reject, kOrg, kSelf),
              StatusIs(absl::StatusCode::kInvalidArgument));
  reject.set_rejection_reason(v1::DUPLICATE);
  reject.set_duplicate_of(std::string(kSelf));
  EXPECT_EQ(ValidateTransition(C::RECEIVED, reject, kOrg, kSelf).message(),
            "duplicate_of: a complaint cannot duplicate itself");
  reject.set_duplicate_of("organizations/9999999/complaints/b");
  EXPECT_THAT(ValidateTransition(C::RECEIVED, reject, kOrg, kSelf),
              StatusIs(absl::StatusCode::kInvalidArgument));
  reject.set_duplicate_of("organizations/6340101/complaints/b");
  EXPECT_THAT(ValidateTransition(C::RECEIVED, reject, kOrg, kSelf), IsOk());
}

TEST(WorkflowTest, ImpossibleMovesAreFailedPreconditions) {
  v1::TransitionComplaintRequest resolve = Move(C::RESOLVED);
  resolve.set_resolution("x");
  absl::Status status = ValidateTransition(
      C::RECEIVED, resolve, "6340101", "organizations/6340101/complaints/a");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "cannot move a complaint from RECEIVED to RESOLVED");
  EXPECT_THAT(ValidateTransition(C::CLOSED, Move(C::ACKNOWLEDGED), "6340101",
                                 "organizations/6340101/complaints/a"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(WorkflowTest, ComplainantResponsesOnlyAfterResolution) {
  v1::RespondToResolutionRequest rate;
  rate.set_satisfaction(4);
  EXPECT_EQ(ValidateResolutionResponse(C::RESOLVED, rate).value(), C::CLOSED);
  EXPECT_THAT(ValidateResolutionResponse(C::IN_PROGRESS, rate),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  rate.set_satisfaction(6);
  EXPECT_THAT(ValidateResolutionResponse(C::RESOLVED, rate),
              StatusIs(absl::StatusCode::kInvalidArgument));
  v1::RespondToResolutionRequest reopen;
  reopen.set_reopen_reason("ไฟยังดับอยู่");
  EXPECT_EQ(ValidateResolutionResponse(C::RESOLVED, reopen).value(),
            C::IN_PROGRESS);
  EXPECT_THAT(ValidateResolutionResponse(C::RESOLVED, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateComplainantInformation(C::ASSIGNED, "เพิ่มเติม"), IsOk());
  EXPECT_THAT(ValidateComplainantInformation(C::REJECTED, "เพิ่มเติม"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(SlaTest, OverdueOnlyWhileOpenAndPastDue) {
  const absl::Time received = absl::FromUnixSeconds(1759311000);
  const absl::Time due = DueTime(received);
  EXPECT_EQ(due - received, absl::Hours(15 * 24));
  EXPECT_FALSE(IsOverdue(C::IN_PROGRESS, due, due));
  EXPECT_TRUE(IsOverdue(C::IN_PROGRESS, due, due + absl::Seconds(1)));
  EXPECT_FALSE(IsOverdue(C::RESOLVED, due, due + absl::Hours(100)));
  EXPECT_FALSE(IsOverdue(C::REJECTED, due, due + absl::Hours(100)));
  EXPECT_EQ(SlaDaysOrDefault(0), 15);
  EXPECT_EQ(SlaDaysOrDefault(7), 7);
}

TEST(ReplyTest, OnlyPublicRepliesMoveTheDueDate) {
  const absl::Time now = absl::FromUnixSeconds(1759311000);
  v1::Reply reply;
  reply.set_visibility(v1::Reply::INTERNAL);
  reply.set_text("ขอขยายเวลา");
  reply.mutable_new_due_time()->set_seconds(1759311000 + 30 * 86400);
  EXPECT_EQ(ValidateReply(reply, now, now).code(),
            absl::StatusCode::kInvalidArgument);
  reply.set_visibility(v1::Reply::PUBLIC);
  EXPECT_THAT(ValidateReply(reply, now, now), IsOk());
  reply.mutable_new_due_time()->set_seconds(1759311000 - 1);
  EXPECT_THAT(ValidateReply(reply, now, now),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CategoryTest, NamesAndSla) {
  v1::Category category;
  category.set_name("organizations/6340101/categories/road-light");
  category.set_display_name("ไฟฟ้าส่องสว่าง");
  category.set_sla_days(7);
  absl::StatusOr<ChildName> name = ValidateCategory(category);
  ASSERT_THAT(name, IsOk());
  EXPECT_EQ(name->id, "road-light");
  category.set_name("organizations/6340101/categories/Road");
  EXPECT_THAT(ValidateCategory(category),
              StatusIs(absl::StatusCode::kInvalidArgument));
  category.set_name("organizations/6340101/categories/road");
  category.set_sla_days(366);
  EXPECT_THAT(ValidateCategory(category),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(IntakeTest, GeneralComplaintsNameNoAccusedAndPlacesAreConsistent) {
  v1::Complaint complaint;
  complaint.set_kind(C::GENERAL);
  complaint.set_channel(C::PHONE);
  complaint.set_subject("ถนนชำรุด");
  complaint.set_description("ถนนหมู่ ๓ เป็นหลุม");
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
  complaint.mutable_accused()->set_name("นาย ก");
  EXPECT_EQ(ValidateNewComplaint(complaint).message(),
            "complaint.accused: only corruption reports name an accused");
  complaint.clear_accused();
  complaint.mutable_place()->set_latitude(15.2);
  EXPECT_EQ(ValidateNewComplaint(complaint).message(),
            "complaint.place.longitude: latitude and longitude come together");
  complaint.mutable_place()->set_longitude(200);
  EXPECT_EQ(ValidateNewComplaint(complaint).message(),
            "complaint.place.longitude: must be between -180 and 180");
  complaint.mutable_place()->set_longitude(104.1);
  v1::Attachment* attachment = complaint.add_attachments();
  attachment->set_file_name("photo.jpg");
  attachment->set_media_type("image/jpeg");
  attachment->set_size_bytes(1000);
  attachment->set_sha256(std::string(64, 'A'));
  attachment->set_storage_uri("s3://bucket/photo.jpg");
  EXPECT_EQ(ValidateNewComplaint(complaint).message(),
            "complaint.attachments[0].sha256: must be 64 lower-case hex "
            "digits");
  attachment->set_sha256(std::string(64, 'a'));
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
  const absl::Time now = absl::FromUnixSeconds(1759311000);
  complaint.mutable_incident_time()->set_seconds(1759311000 + 3 * 86400);
  EXPECT_THAT(ValidateNewComplaint(complaint, now),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// -------------------------------------------------------- tracking codes

TEST(TrackingCodeTest, CodesAreDistinctReadableAndSelfChecking) {
  std::set<std::string> codes;
  for (int i = 0; i < 1000; ++i) {
    const std::string code = NewTrackingCode();
    ASSERT_EQ(code.size(), 21u) << code;
    absl::StatusOr<std::string> canonical = NormalizeTrackingCode(code);
    ASSERT_THAT(canonical, IsOk()) << code;
    EXPECT_EQ(canonical->size(), 17u);
    codes.insert(*canonical);
  }
  EXPECT_EQ(codes.size(), 1000u);
}

TEST(TrackingCodeTest, CaseSpacesAndLookAlikesDoNotMatter) {
  const std::string code = NewTrackingCode();
  std::string typed = absl::AsciiStrToLower(code);
  for (char& c : typed) {
    if (c == '-') c = ' ';
  }
  EXPECT_EQ(NormalizeTrackingCode(typed).value(),
            NormalizeTrackingCode(code).value());
  // 0 read as O and 1 as I or L.
  const std::string zeros = "0000-0000-0000-0000-0";
  EXPECT_THAT(NormalizeTrackingCode(zeros), IsOk());
  EXPECT_EQ(NormalizeTrackingCode("OOOO-oooo-0000-0000-0").value(),
            NormalizeTrackingCode(zeros).value());
}

TEST(TrackingCodeTest, EverySingleSymbolMistakeIsCaught) {
  const std::string canonical =
      NormalizeTrackingCode(NewTrackingCode()).value();
  constexpr absl::string_view kSymbols = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  int caught = 0;
  int tried = 0;
  for (size_t position = 0; position < 16; ++position) {
    for (char symbol : kSymbols) {
      if (symbol == canonical[position]) continue;
      std::string typo = canonical;
      typo[position] = symbol;
      ++tried;
      absl::StatusOr<std::string> normalized = NormalizeTrackingCode(typo);
      if (!normalized.ok()) {
        ++caught;
        EXPECT_EQ(normalized.status().message(),
                  "tracking_code: is mistyped: its check character does not "
                  "match");
      }
    }
  }
  EXPECT_EQ(caught, tried);
  // Adjacent transpositions of different symbols are caught too.
  for (size_t position = 0; position + 1 < 16; ++position) {
    if (canonical[position] == canonical[position + 1]) continue;
    std::string swapped = canonical;
    std::swap(swapped[position], swapped[position + 1]);
    EXPECT_FALSE(NormalizeTrackingCode(swapped).ok()) << position;
  }
}

TEST(TrackingCodeTest, WrongShapesAreRejectedWithoutEchoingTheCode) {
  for (const std::string text :
       {"", "ABC", "0000-0000-0000-0000-00", "UUUU-0000-0000-0000-0",
        "0000-0000-0000-000!-0"}) {
    absl::StatusOr<std::string> normalized = NormalizeTrackingCode(text);
    EXPECT_THAT(normalized, StatusIs(absl::StatusCode::kInvalidArgument))
        << text;
    if (!text.empty()) {
      EXPECT_EQ(normalized.status().message().find(text), std::string::npos);
    }
  }
}

TEST(TrackingCodeTest, HashIsKeyed) {
  const std::string key_a(32, 'a');
  const std::string key_b(32, 'b');
  const std::string hash = TrackingCodeHash("00000000000000000", key_a);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, TrackingCodeHash("00000000000000000", key_a));
  EXPECT_NE(hash, TrackingCodeHash("00000000000000000", key_b));
  EXPECT_NE(hash, TrackingCodeHash("00000000000000001", key_a));
}

// ------------------------------------------------------------ protection

TEST(ProtectionTest, SealedValuesOpenOnlyInTheirContext) {
  absl::StatusOr<ProtectionKeys> keys =
      ProtectionKeys::Parse(ProtectionKeys::GenerateFileText());
  ASSERT_THAT(keys, IsOk());
  const std::string name = "สมชาย ใจกล้า 0812345678";
  const std::string sealed = keys->Seal(name, "organizations/x/complaints/a");
  EXPECT_EQ(sealed.find(name), std::string::npos);
  EXPECT_EQ(sealed.rfind("v1.k1.", 0), 0u);
  EXPECT_EQ(keys->Open(sealed, "organizations/x/complaints/a").value(), name);
  EXPECT_THAT(keys->Open(sealed, "organizations/x/complaints/b"),
              StatusIs(absl::StatusCode::kDataLoss));
  std::string tampered = sealed;
  tampered[tampered.size() - 3] ^= 1;
  EXPECT_THAT(keys->Open(tampered, "organizations/x/complaints/a"),
              StatusIs(absl::StatusCode::kDataLoss));
  // Two seals of one value differ (random nonces).
  EXPECT_NE(sealed, keys->Seal(name, "organizations/x/complaints/a"));
}

TEST(ProtectionTest, KeysRotateWithoutLosingOldData) {
  const std::string old_file = ProtectionKeys::GenerateFileText("k1");
  ProtectionKeys old_keys = ProtectionKeys::Parse(old_file).value();
  const std::string sealed_before = old_keys.Seal("ลับ", "ctx");
  // k2 becomes current; k1 stays listed; the tracking key is unchanged.
  std::string seal_k1;
  std::string tracking;
  for (absl::string_view line : absl::StrSplit(old_file, '\n')) {
    if (absl::StartsWith(line, "seal")) seal_k1 = std::string(line);
    if (absl::StartsWith(line, "tracking")) tracking = std::string(line);
  }
  const std::string new_seal = ProtectionKeys::GenerateFileText("k2").substr(0);
  std::string seal_k2;
  for (absl::string_view line : absl::StrSplit(new_seal, '\n')) {
    if (absl::StartsWith(line, "seal")) seal_k2 = std::string(line);
  }
  ProtectionKeys rotated =
      ProtectionKeys::Parse(
          absl::StrCat(seal_k2, "\n", seal_k1, "\n", tracking, "\n"))
          .value();
  EXPECT_EQ(rotated.current_key_id(), "k2");
  EXPECT_EQ(rotated.Open(sealed_before, "ctx").value(), "ลับ");
  EXPECT_EQ(rotated.Seal("ใหม่", "ctx").rfind("v1.k2.", 0), 0u);
  EXPECT_EQ(rotated.tracking_key(), old_keys.tracking_key());
  // Without k1 the old value cannot be opened, and says why.
  ProtectionKeys only_new =
      ProtectionKeys::Parse(absl::StrCat(seal_k2, "\n", tracking)).value();
  EXPECT_THAT(only_new.Open(sealed_before, "ctx"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(ProtectionTest, BadKeyFilesAreRejectedWithoutKeyMaterial) {
  const std::string good = ProtectionKeys::GenerateFileText();
  std::string seal_line;
  for (absl::string_view line : absl::StrSplit(good, '\n')) {
    if (absl::StartsWith(line, "seal")) seal_line = std::string(line);
  }
  for (const std::string& text :
       {std::string("seal k1 bm90LWEta2V5\ntracking bm90LWEta2V5"), seal_line,
        absl::StrCat(seal_line, "\n", seal_line, "\n", good),
        std::string("seal bad/id AAAA\n")}) {
    absl::StatusOr<ProtectionKeys> keys = ProtectionKeys::Parse(text);
    EXPECT_THAT(keys, StatusIs(absl::StatusCode::kInvalidArgument)) << text;
    EXPECT_EQ(keys.status().message().find(seal_line.substr(8)),
              std::string::npos);
  }
}

// ------------------------------------------------------------ statistics

absl::Time Bangkok(int year, int month, int day, int hour = 9) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0),
                         thai::BangkokTimeZone());
}

TEST(StatisticsPeriodTest, QuartersAndMonthsOfAFiscalYear) {
  v1::GetComplaintStatisticsRequest request;
  request.mutable_fiscal_year()->set_be_year(2569);
  Period year = StatisticsPeriod(request).value();
  EXPECT_EQ(year.start, Bangkok(2025, 10, 1, 0));
  EXPECT_EQ(year.end, Bangkok(2026, 10, 1, 0));
  request.set_quarter(1);
  Period q1 = StatisticsPeriod(request).value();
  EXPECT_EQ(q1.start, Bangkok(2025, 10, 1, 0));
  EXPECT_EQ(q1.end, Bangkok(2026, 1, 1, 0));
  request.set_quarter(0);
  request.set_month(10);
  EXPECT_EQ(StatisticsPeriod(request)->start, Bangkok(2025, 10, 1, 0));
  request.set_month(9);
  EXPECT_EQ(StatisticsPeriod(request)->end, Bangkok(2026, 10, 1, 0));
  request.set_quarter(2);
  EXPECT_THAT(StatisticsPeriod(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
  request.set_quarter(0);
  request.set_month(0);
  request.mutable_fiscal_year()->set_be_year(2026);
  EXPECT_THAT(StatisticsPeriod(request),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Six complaints of FY2569 Q1, counted by hand below.
std::vector<StatisticsRow> Fixture() {
  std::vector<StatisticsRow> rows(6);
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].kind = i < 4 ? C::GENERAL : C::CORRUPTION;
    rows[i].channel = i % 2 == 0 ? C::PHONE : C::WEBSITE;
    rows[i].receive_time = Bangkok(2025, 10, 1 + static_cast<int>(i));
    rows[i].sla_due_time = DueTime(rows[i].receive_time);
    rows[i].due_time = rows[i].sla_due_time;
  }
  rows[0].category = "ไฟฟ้า";
  rows[1].category = "ไฟฟ้า";
  // 0: acknowledged after 1 day, resolved after 10 (within SLA), rated 5.
  rows[0].state = C::CLOSED;
  rows[0].acknowledge_time = rows[0].receive_time + absl::Hours(24);
  rows[0].resolve_time = rows[0].receive_time + absl::Hours(240);
  rows[0].satisfaction = 5;
  // 1: acknowledged after 3 days, resolved after 20 (late), rated 2,
  // reopened once before.
  rows[1].state = C::CLOSED;
  rows[1].acknowledge_time = rows[1].receive_time + absl::Hours(72);
  rows[1].resolve_time = rows[1].receive_time + absl::Hours(480);
  rows[1].satisfaction = 2;
  rows[1].reopen_count = 1;
  // 2: in progress, overdue by "now"; 3: rejected; 4: received, explanation
  // moved its due date past "now"; 5: received.
  rows[2].state = C::IN_PROGRESS;
  rows[3].state = C::REJECTED;
  rows[4].due_time = Bangkok(2026, 1, 30);
  return rows;
}

TEST(StatisticsTest, HandCountedFixture) {
  const Period q1{Bangkok(2025, 10, 1, 0), Bangkok(2026, 1, 1, 0)};
  const absl::Time now = Bangkok(2025, 11, 30);
  std::vector<StatisticsRow> rows = Fixture();
  // A row outside the period is ignored.
  rows.push_back(rows[5]);
  rows.back().receive_time = Bangkok(2026, 2, 1);
  v1::ComplaintStatistics stats = ComputeStatistics(rows, q1, now);
  EXPECT_EQ(stats.received(), 6);
  EXPECT_EQ(stats.completed(), 2);
  EXPECT_EQ(stats.ended_otherwise(), 1);
  EXPECT_EQ(stats.in_progress(), 3);
  // 2 and 5 are past due on 30 Nov (received 3 and 6 Oct + 15 days); 4 was
  // explained.
  EXPECT_EQ(stats.overdue(), 2);
  EXPECT_DOUBLE_EQ(stats.mean_days_to_acknowledge(), 2.0);
  EXPECT_DOUBLE_EQ(stats.median_days_to_acknowledge(), 2.0);
  EXPECT_DOUBLE_EQ(stats.mean_days_to_resolve(), 15.0);
  EXPECT_DOUBLE_EQ(stats.percent_resolved_within_sla(), 50.0);
  EXPECT_EQ(stats.ratings(), 2);
  EXPECT_DOUBLE_EQ(stats.percent_satisfied(), 50.0);
  EXPECT_EQ(stats.reopen_count(), 1);
  ASSERT_EQ(stats.by_kind_size(), 2);
  EXPECT_EQ(stats.by_kind(0).key(), "CORRUPTION");
  EXPECT_EQ(stats.by_kind(0).received(), 2);
  EXPECT_EQ(stats.by_kind(1).key(), "GENERAL");
  EXPECT_EQ(stats.by_kind(1).received(), 4);
  EXPECT_EQ(stats.by_kind(1).completed(), 2);
  ASSERT_EQ(stats.by_channel_size(), 2);
  EXPECT_EQ(stats.by_channel(0).key(), "PHONE");
  EXPECT_EQ(stats.by_channel(0).received(), 3);
  ASSERT_EQ(stats.by_category_size(), 2);
  EXPECT_EQ(stats.by_category(0).key(), "(none)");
  EXPECT_EQ(stats.by_category(0).received(), 4);
  EXPECT_EQ(stats.by_category(1).key(), "ไฟฟ้า");
  EXPECT_EQ(stats.by_category(1).completed(), 2);
}

TEST(StatisticsTest, EmptyPeriodHasZerosNotNaN) {
  const Period q1{Bangkok(2025, 10, 1, 0), Bangkok(2026, 1, 1, 0)};
  v1::ComplaintStatistics stats =
      ComputeStatistics({}, q1, Bangkok(2026, 1, 1));
  EXPECT_EQ(stats.received(), 0);
  EXPECT_EQ(stats.mean_days_to_resolve(), 0);
  EXPECT_EQ(stats.percent_satisfied(), 0);
  v1::ComplaintStatistics published = PublicStatistics(stats, 5);
  EXPECT_EQ(published.notice(),
            "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้ (no complaints in this period)");
}

TEST(StatisticsTest, PublicVariantHidesSmallCells) {
  const Period q1{Bangkok(2025, 10, 1, 0), Bangkok(2026, 1, 1, 0)};
  v1::ComplaintStatistics full =
      ComputeStatistics(Fixture(), q1, Bangkok(2025, 11, 30));
  v1::ComplaintStatistics published = PublicStatistics(full, 4);
  EXPECT_EQ(published.suppression_threshold(), 4);
  EXPECT_EQ(published.received(), 6);
  // GENERAL (4) stays; CORRUPTION (2) is hidden.
  EXPECT_TRUE(published.by_kind(0).suppressed());
  EXPECT_EQ(published.by_kind(0).received(), 0);
  EXPECT_FALSE(published.by_kind(1).suppressed());
  EXPECT_EQ(published.by_kind(1).received(), 4);
  EXPECT_NE(published.notice().find("cells under 4"), std::string::npos);
  // Totals under the threshold hide the timing and satisfaction figures.
  v1::ComplaintStatistics tiny = PublicStatistics(full, 10);
  EXPECT_EQ(tiny.percent_satisfied(), 0);
  EXPECT_EQ(tiny.mean_days_to_acknowledge(), 0);
}

}  // namespace
}  // namespace prongsai::complaint
