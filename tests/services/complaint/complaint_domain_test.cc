// Pure rules of the complaint service: what a valid new complaint is, the
// 15-day rule, the workflow table and each move's details, the
// complainant's responses, replies, categories and the periods statistics
// cover. Tracking codes and statistics have their own files in this target.
#include "services/complaint/complaint_domain.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_statistics.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using C = v1::Complaint;

constexpr absl::string_view kOrg = "6340101";
constexpr absl::string_view kSelf = "organizations/6340101/complaints/a";

// `count` Thai characters: three bytes each, one character each.
std::string Thai(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += "ก";
  return text;
}

// The field an INVALID_ARGUMENT names, or "" for any other status.
std::string FieldOf(const absl::Status& status) {
  if (status.code() != absl::StatusCode::kInvalidArgument) return "";
  return FieldPathOf(status).value_or("(no path)");
}

absl::Time Bangkok(int year, int month, int day, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0),
                         thai::BangkokTimeZone());
}

// ---------------------------------------------------------------- intake

v1::Complaint General() {
  v1::Complaint complaint;
  complaint.set_kind(C::GENERAL);
  complaint.set_channel(C::PHONE);
  complaint.set_subject("ถนนชำรุด");
  complaint.set_description("ถนนหมู่ ๓ เป็นหลุม");
  return complaint;
}

v1::Attachment Photo() {
  v1::Attachment attachment;
  attachment.set_file_name("photo.jpg");
  attachment.set_media_type("image/jpeg");
  attachment.set_size_bytes(1000);
  attachment.set_sha256(std::string(64, 'a'));
  attachment.set_storage_uri("s3://bucket/photo.jpg");
  return attachment;
}

// A corruption report with every field at its longest.
v1::Complaint FullCorruptionReport() {
  v1::Complaint complaint;
  complaint.set_kind(C::CORRUPTION);
  complaint.set_channel(C::WEBSITE);
  complaint.set_subject(Thai(300));
  complaint.set_description(Thai(10000));
  complaint.set_category("organizations/6340101/categories/" +
                         std::string(40, 'z'));
  complaint.mutable_place()->set_description(Thai(500));
  complaint.mutable_place()->set_village(Thai(100));
  complaint.mutable_place()->set_subdistrict(Thai(100));
  complaint.mutable_place()->set_latitude(-90);
  complaint.mutable_place()->set_longitude(180);
  complaint.set_requested_action(Thai(2000));
  for (int i = 0; i < kMaxAttachments; ++i) {
    *complaint.add_attachments() = Photo();
  }
  v1::Attachment& big = *complaint.mutable_attachments(0);
  big.set_file_name(std::string(255, 'f'));
  big.set_media_type("application/" + std::string(88, 'x'));
  big.set_size_bytes(int64_t{1} << 30);
  big.set_sha256(
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  big.set_storage_uri(std::string(1000, 'u'));
  complaint.mutable_complainant()->set_name(Thai(200));
  complaint.mutable_complainant()->set_contact(Thai(500));
  complaint.mutable_complainant()->set_position(Thai(200));
  complaint.mutable_accused()->set_name(Thai(200));
  complaint.mutable_accused()->set_contact(Thai(500));
  complaint.mutable_accused()->set_position(Thai(200));
  complaint.set_evidence(Thai(5000));
  return complaint;
}

TEST(IntakeTest, MinimalGeneralAndLongestCorruptionReportsAreValid) {
  EXPECT_THAT(ValidateNewComplaint(General()), IsOk());
  ASSERT_EQ(FullCorruptionReport().attachments(0).media_type().size(), 100u);
  EXPECT_THAT(ValidateNewComplaint(FullCorruptionReport()), IsOk());
  // An anonymous corruption report with no accused named.
  v1::Complaint anonymous = General();
  anonymous.set_kind(C::CORRUPTION);
  EXPECT_THAT(ValidateNewComplaint(anonymous), IsOk());
  // An empty attachment file and a point on the equator are fine.
  v1::Complaint edge = General();
  *edge.add_attachments() = Photo();
  edge.mutable_attachments(0)->set_size_bytes(0);
  edge.mutable_place()->set_latitude(0);
  edge.mutable_place()->set_longitude(0);
  EXPECT_THAT(ValidateNewComplaint(edge), IsOk());
}

struct IntakeCase {
  std::string label;
  std::function<void(v1::Complaint&)> spoil;
  std::string field;
};

std::vector<IntakeCase> IntakeCases() {
  const std::string bad_utf8 = "\xE0\xB8";  // a cut Thai character
  auto attachment = [](const std::function<void(v1::Attachment&)>& spoil) {
    return [spoil](v1::Complaint& c) { spoil(*c.mutable_attachments(3)); };
  };
  return {
      {"no kind", [](v1::Complaint& c) { c.clear_kind(); }, "complaint.kind"},
      {"unknown kind",
       [](v1::Complaint& c) { c.set_kind(static_cast<C::Kind>(7)); },
       "complaint.kind"},
      {"no channel", [](v1::Complaint& c) { c.clear_channel(); },
       "complaint.channel"},
      {"unknown channel",
       [](v1::Complaint& c) { c.set_channel(static_cast<C::Channel>(10)); },
       "complaint.channel"},
      {"no subject", [](v1::Complaint& c) { c.clear_subject(); },
       "complaint.subject"},
      {"long subject", [](v1::Complaint& c) { c.set_subject(Thai(301)); },
       "complaint.subject"},
      {"subject not UTF-8",
       [bad_utf8](v1::Complaint& c) { c.set_subject(bad_utf8); },
       "complaint.subject"},
      {"no description", [](v1::Complaint& c) { c.clear_description(); },
       "complaint.description"},
      {"long description",
       [](v1::Complaint& c) { c.set_description(Thai(10001)); },
       "complaint.description"},
      {"organization name not UTF-8",
       [bad_utf8](v1::Complaint& c) {
         c.mutable_organization()->set_name(bad_utf8);
       },
       "complaint.organization.name"},
      {"category of another collection",
       [](v1::Complaint& c) {
         c.set_category("organizations/6340101/complaints/road");
       },
       "complaint.category"},
      {"category id upper case",
       [](v1::Complaint& c) {
         c.set_category("organizations/6340101/categories/Road");
       },
       "complaint.category"},
      {"category id too long",
       [](v1::Complaint& c) {
         c.set_category("organizations/6340101/categories/" +
                        std::string(41, 'z'));
       },
       "complaint.category"},
      {"category without organization",
       [](v1::Complaint& c) { c.set_category("categories/road"); },
       "complaint.category"},
      {"long place description",
       [](v1::Complaint& c) { c.mutable_place()->set_description(Thai(501)); },
       "complaint.place.description"},
      {"long village",
       [](v1::Complaint& c) { c.mutable_place()->set_village(Thai(101)); },
       "complaint.place.village"},
      {"long subdistrict",
       [](v1::Complaint& c) { c.mutable_place()->set_subdistrict(Thai(101)); },
       "complaint.place.subdistrict"},
      {"latitude alone",
       [](v1::Complaint& c) { c.mutable_place()->clear_longitude(); },
       "complaint.place.longitude"},
      {"longitude alone",
       [](v1::Complaint& c) { c.mutable_place()->clear_latitude(); },
       "complaint.place.latitude"},
      {"latitude past the pole",
       [](v1::Complaint& c) { c.mutable_place()->set_latitude(-90.0001); },
       "complaint.place.latitude"},
      {"latitude NaN",
       [](v1::Complaint& c) { c.mutable_place()->set_latitude(std::nan("")); },
       "complaint.place.latitude"},
      {"longitude past the date line",
       [](v1::Complaint& c) { c.mutable_place()->set_longitude(180.5); },
       "complaint.place.longitude"},
      {"longitude infinite",
       [](v1::Complaint& c) {
         c.mutable_place()->set_longitude(
             std::numeric_limits<double>::infinity());
       },
       "complaint.place.longitude"},
      {"incident time with bad nanos",
       [](v1::Complaint& c) { c.mutable_incident_time()->set_nanos(-1); },
       "complaint.incident_time"},
      {"incident time after year 9999",
       [](v1::Complaint& c) {
         c.mutable_incident_time()->set_seconds(253402300800);
       },
       "complaint.incident_time"},
      {"long requested action",
       [](v1::Complaint& c) { c.set_requested_action(Thai(2001)); },
       "complaint.requested_action"},
      {"21 attachments",
       [](v1::Complaint& c) { *c.add_attachments() = Photo(); },
       "complaint.attachments"},
      {"no file name",
       attachment([](v1::Attachment& a) { a.clear_file_name(); }),
       "complaint.attachments[3].file_name"},
      {"long file name", attachment([](v1::Attachment& a) {
         a.set_file_name(std::string(256, 'f'));
       }),
       "complaint.attachments[3].file_name"},
      {"no media type",
       attachment([](v1::Attachment& a) { a.clear_media_type(); }),
       "complaint.attachments[3].media_type"},
      {"media type without slash",
       attachment([](v1::Attachment& a) { a.set_media_type("jpeg"); }),
       "complaint.attachments[3].media_type"},
      {"long media type", attachment([](v1::Attachment& a) {
         a.set_media_type("image/" + std::string(95, 'x'));
       }),
       "complaint.attachments[3].media_type"},
      {"negative size",
       attachment([](v1::Attachment& a) { a.set_size_bytes(-1); }),
       "complaint.attachments[3].size_bytes"},
      {"over a GiB", attachment([](v1::Attachment& a) {
         a.set_size_bytes((int64_t{1} << 30) + 1);
       }),
       "complaint.attachments[3].size_bytes"},
      {"sha256 too short", attachment([](v1::Attachment& a) {
         a.set_sha256(std::string(63, 'a'));
       }),
       "complaint.attachments[3].sha256"},
      {"sha256 too long", attachment([](v1::Attachment& a) {
         a.set_sha256(std::string(65, 'a'));
       }),
       "complaint.attachments[3].sha256"},
      {"sha256 upper case", attachment([](v1::Attachment& a) {
         a.set_sha256(std::string(64, 'A'));
       }),
       "complaint.attachments[3].sha256"},
      {"sha256 not hex", attachment([](v1::Attachment& a) {
         a.set_sha256(std::string(63, 'a') + "g");
       }),
       "complaint.attachments[3].sha256"},
      {"no storage URI",
       attachment([](v1::Attachment& a) { a.clear_storage_uri(); }),
       "complaint.attachments[3].storage_uri"},
      {"long storage URI", attachment([](v1::Attachment& a) {
         a.set_storage_uri(std::string(1001, 'u'));
       }),
       "complaint.attachments[3].storage_uri"},
      {"long complainant name",
       [](v1::Complaint& c) { c.mutable_complainant()->set_name(Thai(201)); },
       "complaint.complainant.name"},
      {"long complainant contact",
       [](v1::Complaint& c) {
         c.mutable_complainant()->set_contact(Thai(501));
       },
       "complaint.complainant.contact"},
      {"long complainant position",
       [](v1::Complaint& c) {
         c.mutable_complainant()->set_position(Thai(201));
       },
       "complaint.complainant.position"},
      {"complainant name not UTF-8",
       [bad_utf8](v1::Complaint& c) {
         c.mutable_complainant()->set_name(bad_utf8);
       },
       "complaint.complainant.name"},
      {"long accused name",
       [](v1::Complaint& c) { c.mutable_accused()->set_name(Thai(201)); },
       "complaint.accused.name"},
      {"long accused contact",
       [](v1::Complaint& c) { c.mutable_accused()->set_contact(Thai(501)); },
       "complaint.accused.contact"},
      {"long accused position",
       [](v1::Complaint& c) { c.mutable_accused()->set_position(Thai(201)); },
       "complaint.accused.position"},
      {"long evidence", [](v1::Complaint& c) { c.set_evidence(Thai(5001)); },
       "complaint.evidence"},
  };
}

TEST(IntakeTest, EachBadFieldIsNamed) {
  for (const IntakeCase& test : IntakeCases()) {
    v1::Complaint complaint = FullCorruptionReport();
    test.spoil(complaint);
    EXPECT_EQ(FieldOf(ValidateNewComplaint(complaint)), test.field)
        << test.label;
  }
}

TEST(IntakeTest, GeneralComplaintsNameNoAccusedAndOfferNoEvidence) {
  v1::Complaint complaint = General();
  complaint.mutable_accused()->set_position("ปลัด");
  EXPECT_EQ(ValidateNewComplaint(complaint).message(),
            "complaint.accused: only corruption reports name an accused");
  complaint.set_kind(C::CORRUPTION);
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());

  complaint = General();
  complaint.set_evidence("ภาพถ่าย");
  EXPECT_EQ(FieldOf(ValidateNewComplaint(complaint)), "complaint.evidence");
  complaint.set_kind(C::CORRUPTION);
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
  // A complainant may identify themselves on a general complaint.
  complaint = General();
  complaint.mutable_complainant()->set_name("นาง ข");
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
}

TEST(IntakeTest, ErrorsDoNotQuoteWhatWasTyped) {
  v1::Complaint complaint = General();
  const std::string name = "สมชาย ใจกล้า " + Thai(200);
  complaint.mutable_complainant()->set_name(name);
  const absl::Status status = ValidateNewComplaint(complaint);
  ASSERT_EQ(FieldOf(status), "complaint.complainant.name");
  EXPECT_EQ(status.message().find("สมชาย"), absl::string_view::npos);
}

TEST(IntakeTest, IncidentsAtMostADayAhead) {
  const absl::Time now = Bangkok(2025, 11, 1, 9);
  v1::Complaint complaint = General();
  EXPECT_THAT(ValidateNewComplaint(complaint, now), IsOk());
  // A day ahead covers a date typed in another time zone; a second more does
  // not.
  *complaint.mutable_incident_time() = api::ToProtoTime(now + absl::Hours(24));
  EXPECT_THAT(ValidateNewComplaint(complaint, now), IsOk());
  *complaint.mutable_incident_time() =
      api::ToProtoTime(now + absl::Hours(24) + absl::Seconds(1));
  EXPECT_EQ(FieldOf(ValidateNewComplaint(complaint, now)),
            "complaint.incident_time");
  // Without `now` nothing is in the future; the time-free rules still apply.
  EXPECT_THAT(ValidateNewComplaint(complaint), IsOk());
  *complaint.mutable_incident_time() = api::ToProtoTime(Bangkok(1990, 1, 1));
  EXPECT_THAT(ValidateNewComplaint(complaint, now), IsOk());
  complaint.clear_subject();
  EXPECT_EQ(FieldOf(ValidateNewComplaint(complaint, now)), "complaint.subject");
}

// ------------------------------------------------------------------- SLA

TEST(SlaTest, DueFifteenDaysAfterReceiptByDefault) {
  const absl::Time received = Bangkok(2025, 10, 1, 9);
  EXPECT_EQ(kDefaultSlaDays, 15);
  EXPECT_EQ(DueTime(received), Bangkok(2025, 10, 16, 9));
  EXPECT_EQ(DueTime(received, 7), Bangkok(2025, 10, 8, 9));
  EXPECT_EQ(DueTime(received, 365), Bangkok(2026, 10, 1, 9));
  EXPECT_EQ(SlaDaysOrDefault(0), 15);
  EXPECT_EQ(SlaDaysOrDefault(1), 1);
  EXPECT_EQ(SlaDaysOrDefault(30), 30);
}

TEST(SlaTest, OpenStatesAreExactlyTheUnfinishedOnes) {
  const std::set<C::State> open = {C::RECEIVED, C::ACKNOWLEDGED, C::ASSIGNED,
                                   C::IN_PROGRESS};
  for (int state = C::STATE_UNSPECIFIED; state <= C::WITHDRAWN; ++state) {
    EXPECT_EQ(IsOpen(static_cast<C::State>(state)),
              open.count(static_cast<C::State>(state)) == 1)
        << C::State_Name(state);
  }
}

TEST(SlaTest, OverdueOnlyWhileOpenAndStrictlyPastDue) {
  const absl::Time due = DueTime(Bangkok(2025, 10, 1, 9));
  for (C::State state :
       {C::RECEIVED, C::ACKNOWLEDGED, C::ASSIGNED, C::IN_PROGRESS}) {
    EXPECT_FALSE(IsOverdue(state, due, due - absl::Seconds(1)));
    EXPECT_FALSE(IsOverdue(state, due, due)) << "on the due instant";
    EXPECT_TRUE(IsOverdue(state, due, due + absl::Nanoseconds(1)));
  }
  for (C::State state :
       {C::RESOLVED, C::CLOSED, C::REFERRED, C::REJECTED, C::WITHDRAWN}) {
    EXPECT_FALSE(IsOverdue(state, due, due + absl::Hours(1000)))
        << C::State_Name(state);
  }
}

// -------------------------------------------------------------- workflow

const std::set<std::pair<C::State, C::State>>& DocumentedMoves() {
  static const auto* const kMoves = new std::set<std::pair<C::State, C::State>>{
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
  return *kMoves;
}

// A request with exactly the details `to` needs.
v1::TransitionComplaintRequest Move(C::State to) {
  v1::TransitionComplaintRequest request;
  request.set_name(std::string(kSelf));
  request.set_target_state(to);
  request.set_note("ดำเนินการตามระเบียบ");
  switch (to) {
    case C::ASSIGNED:
      request.set_assignee("กองช่าง");
      break;
    case C::REFERRED:
      request.set_referred_to("ศูนย์ดำรงธรรมจังหวัด");
      break;
    case C::REJECTED:
      request.set_rejection_reason(v1::OUTSIDE_AUTHORITY);
      break;
    case C::RESOLVED:
      request.set_resolution("ซ่อมถนนแล้ว");
      break;
    default:
      break;
  }
  return request;
}

TEST(WorkflowTest, EveryPairOfStatesFollowsTheTable) {
  int allowed = 0;
  for (int from = C::RECEIVED; from <= C::WITHDRAWN; ++from) {
    for (int to = C::RECEIVED; to <= C::WITHDRAWN; ++to) {
      const auto move = std::make_pair(static_cast<C::State>(from),
                                       static_cast<C::State>(to));
      const bool documented = DocumentedMoves().count(move) == 1;
      const std::string label =
          absl::StrCat(C::State_Name(from), " -> ", C::State_Name(to));
      EXPECT_EQ(IsAllowedTransition(move.first, move.second), documented)
          << label;
      const absl::Status status =
          ValidateTransition(move.first, Move(move.second), kOrg, kSelf);
      if (to == C::RECEIVED) {
        // No case moves back to RECEIVED: the target itself is invalid.
        EXPECT_EQ(FieldOf(status), "target_state") << label;
      } else if (documented) {
        ++allowed;
        EXPECT_THAT(status, IsOk()) << label;
      } else {
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition))
            << label;
        EXPECT_EQ(status.message(),
                  absl::StrCat("cannot move a complaint from ",
                               C::State_Name(from), " to ", C::State_Name(to)));
      }
    }
  }
  EXPECT_EQ(allowed, 19);
}

TEST(WorkflowTest, NextStatesAreTheTablesRow) {
  for (int from = C::STATE_UNSPECIFIED; from <= C::WITHDRAWN; ++from) {
    std::vector<C::State> expected;
    for (const auto& [documented_from, to] : DocumentedMoves()) {
      if (documented_from == from) expected.push_back(to);
    }
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(NextStates(static_cast<C::State>(from)), expected)
        << C::State_Name(from);
  }
  EXPECT_THAT(NextStates(C::RECEIVED),
              ::testing::ElementsAre(C::ACKNOWLEDGED, C::REFERRED, C::REJECTED,
                                     C::WITHDRAWN));
  EXPECT_THAT(NextStates(C::CLOSED), ::testing::IsEmpty());
}

TEST(WorkflowTest, UnknownStatesMoveNowhere) {
  EXPECT_FALSE(IsAllowedTransition(C::STATE_UNSPECIFIED, C::ACKNOWLEDGED));
  EXPECT_THAT(ValidateTransition(C::STATE_UNSPECIFIED, Move(C::ACKNOWLEDGED),
                                 kOrg, kSelf),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  for (int target : {0, 10, -1}) {
    v1::TransitionComplaintRequest request = Move(C::ACKNOWLEDGED);
    request.set_target_state(static_cast<C::State>(target));
    EXPECT_EQ(FieldOf(ValidateTransition(C::RECEIVED, request, kOrg, kSelf)),
              "target_state")
        << target;
  }
}

struct DetailCase {
  std::string label;
  C::State current;
  std::function<v1::TransitionComplaintRequest()> request;
  std::string field;
};

std::vector<DetailCase> DetailCases() {
  auto with =
      [](C::State to,
         const std::function<void(v1::TransitionComplaintRequest&)>& change) {
        return [to, change] {
          v1::TransitionComplaintRequest request = Move(to);
          change(request);
          return request;
        };
      };
  using R = v1::TransitionComplaintRequest;
  return {
      {"no note", C::RECEIVED,
       with(C::ACKNOWLEDGED, [](R& r) { r.clear_note(); }), "note"},
      {"long note", C::RECEIVED,
       with(C::ACKNOWLEDGED, [](R& r) { r.set_note(Thai(2001)); }), "note"},
      {"note not UTF-8", C::RECEIVED,
       with(C::ACKNOWLEDGED, [](R& r) { r.set_note("\xFF"); }), "note"},
      {"assign to nobody", C::ACKNOWLEDGED,
       with(C::ASSIGNED, [](R& r) { r.clear_assignee(); }), "assignee"},
      {"long assignee", C::ACKNOWLEDGED,
       with(C::ASSIGNED, [](R& r) { r.set_assignee(Thai(201)); }), "assignee"},
      {"refer to nobody", C::RECEIVED,
       with(C::REFERRED, [](R& r) { r.clear_referred_to(); }), "referred_to"},
      {"long referred_to", C::RECEIVED,
       with(C::REFERRED, [](R& r) { r.set_referred_to(Thai(201)); }),
       "referred_to"},
      {"silent resolution", C::IN_PROGRESS,
       with(C::RESOLVED, [](R& r) { r.clear_resolution(); }), "resolution"},
      {"long resolution", C::IN_PROGRESS,
       with(C::RESOLVED, [](R& r) { r.set_resolution(Thai(5001)); }),
       "resolution"},
      {"reject without reason", C::RECEIVED,
       with(C::REJECTED, [](R& r) { r.clear_rejection_reason(); }),
       "rejection_reason"},
      {"unknown reason", C::RECEIVED,
       with(C::REJECTED,
            [](R& r) {
              r.set_rejection_reason(static_cast<v1::RejectionReason>(9));
            }),
       "rejection_reason"},
      {"duplicate of nothing", C::RECEIVED,
       with(C::REJECTED, [](R& r) { r.set_rejection_reason(v1::DUPLICATE); }),
       "duplicate_of"},
      {"duplicate of a malformed name", C::RECEIVED,
       with(C::REJECTED,
            [](R& r) {
              r.set_rejection_reason(v1::DUPLICATE);
              r.set_duplicate_of("complaints/b");
            }),
       "duplicate_of"},
      {"duplicate of a category", C::RECEIVED,
       with(C::REJECTED,
            [](R& r) {
              r.set_rejection_reason(v1::DUPLICATE);
              r.set_duplicate_of("organizations/6340101/categories/b");
            }),
       "duplicate_of"},
      {"duplicate in another organization", C::RECEIVED,
       with(C::REJECTED,
            [](R& r) {
              r.set_rejection_reason(v1::DUPLICATE);
              r.set_duplicate_of("organizations/9999999/complaints/b");
            }),
       "duplicate_of"},
      {"duplicate of itself", C::RECEIVED,
       with(C::REJECTED,
            [](R& r) {
              r.set_rejection_reason(v1::DUPLICATE);
              r.set_duplicate_of(std::string(kSelf));
            }),
       "duplicate_of"},
      {"duplicate_of with another reason", C::RECEIVED,
       with(C::REJECTED,
            [](R& r) {
              r.set_duplicate_of("organizations/6340101/complaints/b");
            }),
       "duplicate_of"},
      // Details given for a move they do not belong to.
      {"assignee on resolution", C::IN_PROGRESS,
       with(C::RESOLVED, [](R& r) { r.set_assignee("กองช่าง"); }), "assignee"},
      {"referred_to on assignment", C::ACKNOWLEDGED,
       with(C::ASSIGNED, [](R& r) { r.set_referred_to("อำเภอ"); }),
       "referred_to"},
      {"resolution on closing", C::RESOLVED,
       with(C::CLOSED, [](R& r) { r.set_resolution("จบ"); }), "resolution"},
      {"reason on withdrawal", C::RECEIVED,
       with(C::WITHDRAWN,
            [](R& r) { r.set_rejection_reason(v1::INSUFFICIENT_INFORMATION); }),
       "rejection_reason"},
      {"duplicate_of on referral", C::RECEIVED,
       with(C::REFERRED,
            [](R& r) {
              r.set_duplicate_of("organizations/6340101/complaints/b");
            }),
       "duplicate_of"},
      // The request's own fields are checked before the move: a bad request
      // on a closed case is still INVALID_ARGUMENT.
      {"no note on a closed case", C::CLOSED,
       with(C::ACKNOWLEDGED, [](R& r) { r.clear_note(); }), "note"},
  };
}

TEST(WorkflowTest, EachMoveNeedsItsOwnDetailsAndNoOthers) {
  for (const DetailCase& test : DetailCases()) {
    EXPECT_EQ(
        FieldOf(ValidateTransition(test.current, test.request(), kOrg, kSelf)),
        test.field)
        << test.label;
  }
}

TEST(WorkflowTest, MessagesSayWhatIsWrong) {
  v1::TransitionComplaintRequest resolve = Move(C::RESOLVED);
  resolve.set_assignee("กองช่าง");
  EXPECT_EQ(ValidateTransition(C::IN_PROGRESS, resolve, kOrg, kSelf).message(),
            "assignee: belongs only to a move to ASSIGNED");
  v1::TransitionComplaintRequest duplicate = Move(C::REJECTED);
  duplicate.set_rejection_reason(v1::DUPLICATE);
  duplicate.set_duplicate_of(std::string(kSelf));
  EXPECT_EQ(ValidateTransition(C::RECEIVED, duplicate, kOrg, kSelf).message(),
            "duplicate_of: a complaint cannot duplicate itself");
  duplicate.set_duplicate_of("organizations/9999999/complaints/b");
  EXPECT_EQ(ValidateTransition(C::RECEIVED, duplicate, kOrg, kSelf).message(),
            "duplicate_of: must be a complaint of the same organization");
}

TEST(WorkflowTest, RejectionsForEveryReason) {
  for (v1::RejectionReason reason :
       {v1::OUTSIDE_AUTHORITY, v1::INSUFFICIENT_INFORMATION}) {
    v1::TransitionComplaintRequest request = Move(C::REJECTED);
    request.set_rejection_reason(reason);
    EXPECT_THAT(ValidateTransition(C::ACKNOWLEDGED, request, kOrg, kSelf),
                IsOk());
  }
  v1::TransitionComplaintRequest duplicate = Move(C::REJECTED);
  duplicate.set_rejection_reason(v1::DUPLICATE);
  duplicate.set_duplicate_of("organizations/6340101/complaints/b");
  EXPECT_THAT(ValidateTransition(C::ASSIGNED, duplicate, kOrg, kSelf), IsOk());
  // Details at their longest.
  v1::TransitionComplaintRequest long_move = Move(C::RESOLVED);
  long_move.set_note(Thai(2000));
  long_move.set_resolution(Thai(5000));
  EXPECT_THAT(ValidateTransition(C::IN_PROGRESS, long_move, kOrg, kSelf),
              IsOk());
  long_move = Move(C::ASSIGNED);
  long_move.set_assignee(Thai(200));
  EXPECT_THAT(ValidateTransition(C::IN_PROGRESS, long_move, kOrg, kSelf),
              IsOk());
  long_move = Move(C::REFERRED);
  long_move.set_referred_to(Thai(200));
  EXPECT_THAT(ValidateTransition(C::IN_PROGRESS, long_move, kOrg, kSelf),
              IsOk());
}

// ------------------------------------------------- complainant's responses

v1::RespondToResolutionRequest Rating(int satisfaction) {
  v1::RespondToResolutionRequest request;
  request.set_tracking_code("0000-0000-0000-0000-0");
  request.set_satisfaction(satisfaction);
  return request;
}

v1::RespondToResolutionRequest Reopening(std::string reason) {
  v1::RespondToResolutionRequest request;
  request.set_tracking_code("0000-0000-0000-0000-0");
  request.set_reopen_reason(std::move(reason));
  return request;
}

TEST(ResolutionResponseTest, RatingsCloseAndReopeningsReturnToWork) {
  for (int rating = 1; rating <= 5; ++rating) {
    absl::StatusOr<C::State> next =
        ValidateResolutionResponse(C::RESOLVED, Rating(rating));
    ASSERT_THAT(next, IsOk()) << rating;
    EXPECT_EQ(*next, C::CLOSED);
  }
  EXPECT_EQ(
      ValidateResolutionResponse(C::RESOLVED, Reopening("ไฟยังดับ")).value(),
      C::IN_PROGRESS);
  EXPECT_EQ(
      ValidateResolutionResponse(C::RESOLVED, Reopening(Thai(2000))).value(),
      C::IN_PROGRESS);
}

TEST(ResolutionResponseTest, BadResponsesNameTheirField) {
  for (int rating : {0, 6, -1}) {
    EXPECT_EQ(
        FieldOf(
            ValidateResolutionResponse(C::RESOLVED, Rating(rating)).status()),
        "satisfaction")
        << rating;
  }
  EXPECT_EQ(
      FieldOf(ValidateResolutionResponse(C::RESOLVED, Reopening("")).status()),
      "reopen_reason");
  EXPECT_EQ(
      FieldOf(ValidateResolutionResponse(C::RESOLVED, Reopening(Thai(2001)))
                  .status()),
      "reopen_reason");
  v1::RespondToResolutionRequest neither;
  neither.set_tracking_code("0000-0000-0000-0000-0");
  EXPECT_EQ(FieldOf(ValidateResolutionResponse(C::RESOLVED, neither).status()),
            "response");
}

TEST(ResolutionResponseTest, OnlyAResolvedCaseCanBeRatedOrReopened) {
  for (int state = C::STATE_UNSPECIFIED; state <= C::WITHDRAWN; ++state) {
    if (state == C::RESOLVED) continue;
    const auto current = static_cast<C::State>(state);
    EXPECT_THAT(ValidateResolutionResponse(current, Rating(5)),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << C::State_Name(state);
    EXPECT_THAT(ValidateResolutionResponse(current, Reopening("ยังไม่เสร็จ")),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << C::State_Name(state);
  }
}

TEST(ComplainantInformationTest, AcceptedUntilTheCaseIsFinal) {
  const std::set<C::State> final_states = {C::CLOSED, C::REFERRED, C::REJECTED,
                                           C::WITHDRAWN};
  for (int state = C::RECEIVED; state <= C::WITHDRAWN; ++state) {
    const auto current = static_cast<C::State>(state);
    const absl::Status status =
        ValidateComplainantInformation(current, "มีภาพเพิ่มเติม");
    if (final_states.count(current) == 1) {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition))
          << C::State_Name(state);
    } else {
      EXPECT_THAT(status, IsOk()) << C::State_Name(state);
    }
  }
  EXPECT_THAT(ValidateComplainantInformation(C::RECEIVED, Thai(5000)), IsOk());
  EXPECT_EQ(FieldOf(ValidateComplainantInformation(C::RECEIVED, "")), "text");
  EXPECT_EQ(FieldOf(ValidateComplainantInformation(C::RECEIVED, Thai(5001))),
            "text");
  EXPECT_EQ(FieldOf(ValidateComplainantInformation(C::CLOSED, "")), "text");
}

// --------------------------------------------------------------- replies

TEST(ReplyTest, VisibilityAndText) {
  const absl::Time now = Bangkok(2025, 10, 10, 9);
  v1::Reply reply;
  reply.set_text("รับเรื่องแล้ว");
  EXPECT_EQ(FieldOf(ValidateReply(reply, now, now)), "reply.visibility");
  reply.set_visibility(static_cast<v1::Reply::Visibility>(3));
  EXPECT_EQ(FieldOf(ValidateReply(reply, now, now)), "reply.visibility");
  for (auto visibility : {v1::Reply::INTERNAL, v1::Reply::PUBLIC}) {
    reply.set_visibility(visibility);
    reply.set_text(Thai(5000));
    EXPECT_THAT(ValidateReply(reply, now, now), IsOk());
    reply.set_text(Thai(5001));
    EXPECT_EQ(FieldOf(ValidateReply(reply, now, now)), "reply.text");
    reply.clear_text();
    EXPECT_EQ(FieldOf(ValidateReply(reply, now, now)), "reply.text");
  }
}

TEST(ReplyTest, OnlyPublicRepliesMoveTheDueDateForward) {
  const absl::Time now = Bangkok(2025, 10, 20, 9);
  const absl::Time due = Bangkok(2025, 10, 16, 9);  // overdue already
  v1::Reply reply;
  reply.set_visibility(v1::Reply::PUBLIC);
  reply.set_text("ขอขยายเวลาเนื่องจากรองบประมาณ");
  auto with_due = [&reply](absl::Time new_due) {
    *reply.mutable_new_due_time() = api::ToProtoTime(new_due);
    return reply;
  };
  EXPECT_THAT(ValidateReply(with_due(now + absl::Hours(24 * 30)), due, now),
              IsOk());
  EXPECT_THAT(
      ValidateReply(with_due(now + absl::Hours(24) * kMaxNewDueDays), due, now),
      IsOk());
  EXPECT_EQ(
      FieldOf(ValidateReply(
          with_due(now + absl::Hours(24) * kMaxNewDueDays + absl::Seconds(1)),
          due, now)),
      "reply.new_due_time");
  // Not later than the current due date.
  EXPECT_EQ(FieldOf(ValidateReply(with_due(due), due, now)),
            "reply.new_due_time");
  // Later than the old due date but already past: still overdue.
  EXPECT_EQ(FieldOf(ValidateReply(with_due(now - absl::Hours(1)), due, now)),
            "reply.new_due_time");
  EXPECT_EQ(FieldOf(ValidateReply(with_due(now), due, now)),
            "reply.new_due_time");
  // A case not yet due can be given more time too.
  const absl::Time later_due = now + absl::Hours(24 * 5);
  EXPECT_THAT(
      ValidateReply(with_due(later_due + absl::Seconds(1)), later_due, now),
      IsOk());
  EXPECT_EQ(FieldOf(ValidateReply(with_due(later_due - absl::Hours(1)),
                                  later_due, now)),
            "reply.new_due_time");
  // Internal notes never move it.
  v1::Reply internal = with_due(now + absl::Hours(24 * 30));
  internal.set_visibility(v1::Reply::INTERNAL);
  EXPECT_EQ(FieldOf(ValidateReply(internal, due, now)), "reply.new_due_time");
}

// ------------------------------------------------------------ categories

v1::Category Category(std::string name) {
  v1::Category category;
  category.set_name(std::move(name));
  category.set_display_name("ไฟฟ้าส่องสว่าง");
  category.set_sla_days(7);
  return category;
}

TEST(CategoryTest, ValidCategoriesReturnTheirName) {
  absl::StatusOr<ChildName> name =
      ValidateCategory(Category("organizations/6340101/categories/road-light"));
  ASSERT_THAT(name, IsOk());
  EXPECT_EQ(name->organization, "6340101");
  EXPECT_EQ(name->id, "road-light");
  const std::string longest =
      "organizations/6340101/categories/" + std::string(40, '9');
  EXPECT_THAT(ValidateCategory(Category(longest)), IsOk());
  v1::Category edge = Category("organizations/6340101/categories/a");
  for (int sla : {0, 1, kMaxSlaDays}) {
    edge.set_sla_days(sla);
    EXPECT_THAT(ValidateCategory(edge), IsOk()) << sla;
  }
  edge.set_display_name(Thai(200));
  EXPECT_THAT(ValidateCategory(edge), IsOk());
}

TEST(CategoryTest, BadCategoriesNameTheirField) {
  for (const std::string& name : std::vector<std::string>{
           "", "organizations/6340101/categories/", "categories/road",
           "organizations/6340101/complaints/road",
           "organizations/6340101/categories/Road",
           "organizations/6340101/categories/road_light",
           "organizations/6340101/categories/ถนน",
           "organizations/6340101/categories/" + std::string(41, 'a'),
           "organizations//categories/road"}) {
    EXPECT_EQ(FieldOf(ValidateCategory(Category(name)).status()),
              "category.name")
        << name;
  }
  v1::Category category = Category("organizations/6340101/categories/road");
  category.clear_display_name();
  EXPECT_EQ(FieldOf(ValidateCategory(category).status()),
            "category.display_name");
  category.set_display_name(Thai(201));
  EXPECT_EQ(FieldOf(ValidateCategory(category).status()),
            "category.display_name");
  category = Category("organizations/6340101/categories/road");
  for (int sla : {-1, kMaxSlaDays + 1}) {
    category.set_sla_days(sla);
    EXPECT_EQ(FieldOf(ValidateCategory(category).status()), "category.sla_days")
        << sla;
  }
}

// ------------------------------------------------------ statistics period

v1::GetComplaintStatisticsRequest PeriodRequest(int be_year, int quarter,
                                                int month) {
  v1::GetComplaintStatisticsRequest request;
  request.set_parent("organizations/6340101");
  request.mutable_fiscal_year()->set_be_year(be_year);
  request.set_quarter(quarter);
  request.set_month(month);
  return request;
}

TEST(StatisticsPeriodTest, FiscalYearRunsOctoberToOctober) {
  const Period year = StatisticsPeriod(PeriodRequest(2569, 0, 0)).value();
  // 2025-10-01 00:00 +07:00 is 2025-09-30 17:00 UTC.
  EXPECT_EQ(year.start, absl::FromUnixSeconds(1759251600));
  EXPECT_EQ(year.start, Bangkok(2025, 10, 1));
  EXPECT_EQ(year.end, Bangkok(2026, 10, 1));
}

TEST(StatisticsPeriodTest, Quarters) {
  const Period q1 = StatisticsPeriod(PeriodRequest(2569, 1, 0)).value();
  EXPECT_EQ(q1.start, absl::FromUnixSeconds(1759251600));
  EXPECT_EQ(q1.end, absl::FromUnixSeconds(1767200400));  // 2026-01-01 +07
  const std::vector<std::pair<absl::Time, absl::Time>> expected = {
      {Bangkok(2025, 10, 1), Bangkok(2026, 1, 1)},
      {Bangkok(2026, 1, 1), Bangkok(2026, 4, 1)},
      {Bangkok(2026, 4, 1), Bangkok(2026, 7, 1)},
      {Bangkok(2026, 7, 1), Bangkok(2026, 10, 1)},
  };
  for (int quarter = 1; quarter <= 4; ++quarter) {
    const Period period =
        StatisticsPeriod(PeriodRequest(2569, quarter, 0)).value();
    EXPECT_EQ(period.start, expected[quarter - 1].first) << quarter;
    EXPECT_EQ(period.end, expected[quarter - 1].second) << quarter;
  }
}

TEST(StatisticsPeriodTest, MonthsOctoberToDecemberBelongToThePreviousYear) {
  for (int month = 1; month <= 12; ++month) {
    const int ce_year = month >= 10 ? 2025 : 2026;
    const Period period =
        StatisticsPeriod(PeriodRequest(2569, 0, month)).value();
    EXPECT_EQ(period.start, Bangkok(ce_year, month, 1)) << month;
    EXPECT_EQ(period.end, month == 12 ? Bangkok(2026, 1, 1)
                                      : Bangkok(ce_year, month + 1, 1))
        << month;
  }
  // February of a leap year: FY2567 holds February 2024.
  const Period february = StatisticsPeriod(PeriodRequest(2567, 0, 2)).value();
  EXPECT_EQ(february.end - february.start, absl::Hours(24 * 29));
}

TEST(StatisticsPeriodTest, BadRequestsNameTheirField) {
  EXPECT_EQ(FieldOf(StatisticsPeriod(PeriodRequest(0, 0, 0)).status()),
            "fiscal_year.be_year");
  // A C.E. year is refused with a hint.
  const absl::Status ce = StatisticsPeriod(PeriodRequest(2026, 0, 0)).status();
  EXPECT_EQ(FieldOf(ce), "fiscal_year.be_year");
  EXPECT_NE(ce.message().find("2569"), absl::string_view::npos);
  for (int quarter : {-1, 5}) {
    EXPECT_EQ(
        FieldOf(StatisticsPeriod(PeriodRequest(2569, quarter, 0)).status()),
        "quarter")
        << quarter;
  }
  for (int month : {-1, 13}) {
    EXPECT_EQ(FieldOf(StatisticsPeriod(PeriodRequest(2569, 0, month)).status()),
              "month")
        << month;
  }
  EXPECT_EQ(FieldOf(StatisticsPeriod(PeriodRequest(2569, 2, 2)).status()),
            "month");
}

}  // namespace
}  // namespace prongsai::complaint
