// The complaint service through its gRPC API, on SQLite and PostgreSQL, with
// a fake clock as the server's clock: intake of both kinds on every channel,
// tracking codes, idempotency, categories and their SLA, refusal of bad input
// before anything is stored, the public filing and tracking limits, every
// workflow transition (valid and invalid), the 15-day rule, the
// complainant's view by tracking code, rating and reopening, protected
// identities and their access log, and statistics against hand-counted
// fixtures (also cached in Redis).
#include "services/complaint/complaint_service.h"

#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "common/api/fields.h"
#include "common/api/row_fields.h"
#include "common/cache/redis.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/complaint/test_photos.h"
#include "tests/services/peer_process.h"
#include "tests/services/service_test_util.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::CallerName;
using ::prongsai::testing::EqualsProto;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::kOrganization;
using ::prongsai::testing::kOtherParent;
using ::prongsai::testing::kParent;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using C = v1::Complaint;

// What a tracking code must look like: four groups of four Crockford base-32
// symbols and a check symbol.
constexpr char kCodePattern[] =
    "^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-[0-9A-Z*~$=]$";
// Crockford's data symbols, then the five extra check symbols.
constexpr absl::string_view kCheckSymbols =
    "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

constexpr C::Channel kEveryChannel[] = {C::WALK_IN, C::PHONE,    C::LETTER,
                                        C::WEBSITE, C::EMAIL,    C::FACEBOOK,
                                        C::LINE,    C::REFERRAL, C::OTHER};

// Every state a case can be in, and every state a move can aim at.
constexpr C::State kEveryState[] = {
    C::RECEIVED, C::ACKNOWLEDGED, C::ASSIGNED, C::IN_PROGRESS, C::RESOLVED,
    C::CLOSED,   C::REFERRED,     C::REJECTED, C::WITHDRAWN};
constexpr C::State kEveryTarget[] = {
    C::ACKNOWLEDGED, C::ASSIGNED, C::IN_PROGRESS, C::RESOLVED,
    C::CLOSED,       C::REFERRED, C::REJECTED,    C::WITHDRAWN};

// The workflow table of complaint_domain.h, written out again here so that
// a change to either is noticed.
bool Allowed(C::State from, C::State to) {
  static const auto* table = new std::map<C::State, std::set<C::State>>{
      {C::RECEIVED, {C::ACKNOWLEDGED, C::REFERRED, C::REJECTED, C::WITHDRAWN}},
      {C::ACKNOWLEDGED,
       {C::ASSIGNED, C::IN_PROGRESS, C::REFERRED, C::REJECTED, C::WITHDRAWN}},
      {C::ASSIGNED,
       {C::ASSIGNED, C::IN_PROGRESS, C::REFERRED, C::REJECTED, C::WITHDRAWN}},
      {C::IN_PROGRESS, {C::ASSIGNED, C::RESOLVED, C::REFERRED, C::WITHDRAWN}},
      {C::RESOLVED, {C::CLOSED}},
  };
  auto it = table->find(from);
  return it != table->end() && it->second.count(to) > 0;
}

// The moves that bring a new complaint to `state`.
std::vector<C::State> PathTo(C::State state) {
  switch (state) {
    case C::RECEIVED:
      return {};
    case C::ACKNOWLEDGED:
      return {C::ACKNOWLEDGED};
    case C::ASSIGNED:
      return {C::ACKNOWLEDGED, C::ASSIGNED};
    case C::IN_PROGRESS:
      return {C::ACKNOWLEDGED, C::IN_PROGRESS};
    case C::RESOLVED:
      return {C::ACKNOWLEDGED, C::IN_PROGRESS, C::RESOLVED};
    case C::CLOSED:
      return {C::ACKNOWLEDGED, C::IN_PROGRESS, C::RESOLVED, C::CLOSED};
    default:
      return {state};  // REFERRED, REJECTED, WITHDRAWN: straight from RECEIVED
  }
}

std::string Repeat(absl::string_view piece, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) absl::StrAppend(&out, piece);
  return out;
}

// The check symbol of a code's 16 data symbols, computed here independently
// of the service: the 80-bit number modulo 37.
char CheckSymbolOf(absl::string_view code) {
  int remainder = 0;
  int symbols = 0;
  for (char c : code) {
    if (c == '-') continue;
    if (symbols++ == 16) break;
    const size_t value = kCheckSymbols.substr(0, 32).find(c);
    if (value == absl::string_view::npos) return '?';
    remainder = (remainder * 32 + static_cast<int>(value)) % 37;
  }
  return kCheckSymbols[remainder];
}

// A well-formed code (right check symbol) for 16 data symbols.
std::string FormatCode(absl::string_view data) {
  std::string code;
  for (size_t i = 0; i < data.size(); ++i) {
    if (i > 0 && i % 4 == 0) code.push_back('-');
    code.push_back(data[i]);
  }
  return absl::StrCat(code, "-", std::string(1, CheckSymbolOf(data)));
}

absl::Time Utc(int year, int month, int day, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0),
                         absl::UTCTimeZone());
}

C Minimal(C::Kind kind, C::Channel channel = C::WEBSITE) {
  C complaint;
  complaint.set_kind(kind);
  complaint.set_channel(channel);
  complaint.set_subject(kind == C::CORRUPTION ? "เรียกรับเงินค่าอนุญาตก่อสร้าง"
                                              : "ไฟฟ้าส่องสว่างดับ");
  complaint.set_description(kind == C::CORRUPTION
                                ? "เจ้าหน้าที่เรียกเงินพิเศษ ๓,๐๐๐ บาท"
                                : "ไฟถนนหน้าโรงเรียนดับมาสองสัปดาห์");
  return complaint;
}

class ComplaintServiceTest : public testing::ServiceTest {
 protected:
  void SetUp() override { Restart(testing::ComplaintOptionsForTest()); }

  // (Re)starts the service with `options`, on Redis when `redis_url` is set.
  void Restart(ComplaintOptions options, std::string redis_url = "") {
    stub_.reset();
    service_.reset();
    StartService(ComplaintServiceDefinition(std::move(options)),
                 std::move(redis_url));
    if (IsSkipped()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::ComplaintService::NewStub(service().channel());
  }

  std::unique_ptr<grpc::ClientContext> As(Caller caller) {
    return service().Context(caller);
  }

  grpc::Status Create(Caller caller, const v1::CreateComplaintRequest& request,
                      C* out) {
    return stub_->CreateComplaint(As(caller).get(), request, out);
  }

  // Files `complaint` in `parent`; the call must succeed.
  C File(Caller caller, const C& complaint, absl::string_view parent = kParent,
         absl::string_view request_id = "") {
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_complaint() = complaint;
    request.set_request_id(std::string(request_id));
    if (caller == Caller::kAnonymous && !request_id.empty()) {
      request.set_replay_secret(ReplaySecretOf(request_id));
    }
    C created;
    EXPECT_THAT(Create(caller, request, &created), GrpcIsOk());
    return created;
  }

  // The secret an anonymous client keeps with `request_id` (one per id).
  static std::string ReplaySecretOf(absl::string_view request_id) {
    return absl::StrCat("secret-0f3c9a51-", request_id);
  }

  C FileGeneral(absl::string_view category = "",
                absl::string_view parent = kParent,
                C::Channel channel = C::WEBSITE) {
    C complaint = Minimal(C::GENERAL, channel);
    complaint.set_category(std::string(category));
    return File(Caller::kAnonymous, complaint, parent);
  }

  grpc::Status GetAs(Caller caller, absl::string_view name, C* out) {
    v1::GetComplaintRequest request;
    request.set_name(std::string(name));
    return stub_->GetComplaint(As(caller).get(), request, out);
  }

  C Get(absl::string_view name) {
    C complaint;
    EXPECT_THAT(GetAs(Caller::kSystem, name, &complaint), GrpcIsOk());
    return complaint;
  }

  std::vector<C> ListAll(absl::string_view parent = kParent) {
    v1::ListComplaintsRequest request;
    request.set_parent(std::string(parent));
    request.set_page_size(1000);
    v1::ListComplaintsResponse response;
    EXPECT_THAT(
        stub_->ListComplaints(As(Caller::kSystem).get(), request, &response),
        GrpcIsOk());
    return {response.complaints().begin(), response.complaints().end()};
  }

  // Names of the complaints `request` lists (parent defaulted).
  std::vector<std::string> ListNames(v1::ListComplaintsRequest request) {
    if (request.parent().empty()) request.set_parent(std::string(kParent));
    v1::ListComplaintsResponse response;
    EXPECT_THAT(
        stub_->ListComplaints(As(Caller::kSystem).get(), request, &response),
        GrpcIsOk());
    std::vector<std::string> names;
    for (const C& complaint : response.complaints()) {
      names.push_back(complaint.name());
    }
    return names;
  }

  // A move to `to` with a note and, by default, the detail that target
  // needs; `details` may change the request before it is sent.
  grpc::Status Move(Caller caller, absl::string_view name, C::State to,
                    C* out = nullptr,
                    const std::function<void(v1::TransitionComplaintRequest&)>&
                        details = nullptr) {
    v1::TransitionComplaintRequest request;
    request.set_name(std::string(name));
    request.set_target_state(to);
    request.set_note(absl::StrCat("บันทึก: ไป ", C::State_Name(to)));
    if (to == C::ASSIGNED) request.set_assignee("กองช่าง");
    if (to == C::RESOLVED) request.set_resolution("ซ่อมไฟฟ้าเรียบร้อยแล้ว");
    if (to == C::REFERRED) request.set_referred_to("ศูนย์ดำรงธรรมจังหวัด");
    if (to == C::REJECTED) request.set_rejection_reason(v1::OUTSIDE_AUTHORITY);
    if (details) details(request);
    C ignored;
    return stub_->TransitionComplaint(As(caller).get(), request,
                                      out != nullptr ? out : &ignored);
  }

  // Moves along `path`; every move must succeed.
  void MoveAlong(Caller caller, absl::string_view name,
                 const std::vector<C::State>& path) {
    for (C::State to : path) {
      ASSERT_THAT(Move(caller, name, to), GrpcIsOk()) << C::State_Name(to);
    }
  }

  std::vector<v1::Reply> Replies(absl::string_view name) {
    v1::ListRepliesRequest request;
    request.set_parent(std::string(name));
    request.set_page_size(1000);
    v1::ListRepliesResponse response;
    EXPECT_THAT(
        stub_->ListReplies(As(Caller::kAuditor).get(), request, &response),
        GrpcIsOk());
    return {response.replies().begin(), response.replies().end()};
  }

  grpc::Status AddReply(Caller caller, absl::string_view name,
                        v1::Reply::Visibility visibility,
                        absl::string_view text,
                        std::optional<absl::Time> new_due = std::nullopt,
                        v1::Reply* out = nullptr) {
    v1::CreateReplyRequest request;
    request.set_parent(std::string(name));
    request.mutable_reply()->set_visibility(visibility);
    request.mutable_reply()->set_text(std::string(text));
    if (new_due.has_value()) {
      *request.mutable_reply()->mutable_new_due_time() =
          api::ToProtoTime(*new_due);
    }
    v1::Reply ignored;
    return stub_->CreateReply(As(caller).get(), request,
                              out != nullptr ? out : &ignored);
  }

  grpc::Status Track(absl::string_view code, v1::TrackedComplaint* tracked,
                     Caller caller = Caller::kAnonymous) {
    v1::TrackComplaintRequest request;
    request.set_tracking_code(std::string(code));
    return stub_->TrackComplaint(As(caller).get(), request, tracked);
  }

  grpc::Status AddInformation(absl::string_view code, absl::string_view text,
                              v1::TrackedComplaint* tracked) {
    v1::AddComplainantInformationRequest request;
    request.set_tracking_code(std::string(code));
    request.set_text(std::string(text));
    return stub_->AddComplainantInformation(As(Caller::kAnonymous).get(),
                                            request, tracked);
  }

  grpc::Status Rate(absl::string_view code, int satisfaction,
                    v1::TrackedComplaint* tracked) {
    v1::RespondToResolutionRequest request;
    request.set_tracking_code(std::string(code));
    request.set_satisfaction(satisfaction);
    return stub_->RespondToResolution(As(Caller::kAnonymous).get(), request,
                                      tracked);
  }

  grpc::Status Reopen(absl::string_view code, absl::string_view reason,
                      v1::TrackedComplaint* tracked) {
    v1::RespondToResolutionRequest request;
    request.set_tracking_code(std::string(code));
    request.set_reopen_reason(std::string(reason));
    return stub_->RespondToResolution(As(Caller::kAnonymous).get(), request,
                                      tracked);
  }

  grpc::Status Reveal(Caller caller, absl::string_view name,
                      absl::string_view reason, v1::ProtectedIdentity* out) {
    v1::GetProtectedIdentityRequest request;
    request.set_name(std::string(name));
    request.set_reason(std::string(reason));
    return stub_->GetProtectedIdentity(As(caller).get(), request, out);
  }

  std::vector<v1::IdentityAccess> Accesses(absl::string_view parent = kParent) {
    v1::ListIdentityAccessesRequest request;
    request.set_parent(std::string(parent));
    v1::ListIdentityAccessesResponse response;
    EXPECT_THAT(stub_->ListIdentityAccesses(As(Caller::kAuditor).get(), request,
                                            &response),
                GrpcIsOk());
    return {response.accesses().begin(), response.accesses().end()};
  }

  grpc::Status UpsertCategory(Caller caller, absl::string_view name,
                              absl::string_view display_name, int sla_days,
                              v1::Category* out = nullptr) {
    v1::UpsertCategoryRequest request;
    request.mutable_category()->set_name(std::string(name));
    request.mutable_category()->set_display_name(std::string(display_name));
    request.mutable_category()->set_sla_days(sla_days);
    v1::Category ignored;
    return stub_->UpsertCategory(As(caller).get(), request,
                                 out != nullptr ? out : &ignored);
  }

  grpc::Status StatisticsCall(absl::string_view parent, int quarter, int month,
                              bool public_view, v1::ComplaintStatistics* out,
                              int be_year = 2569) {
    v1::GetComplaintStatisticsRequest request;
    request.set_parent(std::string(parent));
    if (be_year != 0) request.mutable_fiscal_year()->set_be_year(be_year);
    request.set_quarter(quarter);
    request.set_month(month);
    return public_view ? stub_->GetPublicComplaintStatistics(
                             As(Caller::kAnonymous).get(), request, out)
                       : stub_->GetComplaintStatistics(
                             As(Caller::kAuditor).get(), request, out);
  }

  v1::ComplaintStatistics Statistics(absl::string_view parent, int quarter,
                                     int month = 0, bool public_view = false) {
    v1::ComplaintStatistics statistics;
    EXPECT_THAT(
        StatisticsCall(parent, quarter, month, public_view, &statistics),
        GrpcIsOk());
    return statistics;
  }

  // The hand-counted fixture of the statistics tests, in `parent`, driven
  // by keys that reach every organization.
  void CheckHandCountedStatistics(const std::string& parent);

  std::unique_ptr<v1::ComplaintService::Stub> stub_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintServiceTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

// ---------------------------------------------------------------- intake

TEST_P(ComplaintServiceTest, BothKindsOnEveryChannel) {
  ASSERT_EQ(std::size(kEveryChannel),
            static_cast<size_t>(C::Channel_descriptor()->value_count() - 1))
      << "a channel was added: add it to kEveryChannel";
  std::set<std::string> codes;
  std::map<std::string, std::pair<C::Kind, C::Channel>> filed;
  for (C::Kind kind : {C::GENERAL, C::CORRUPTION}) {
    for (C::Channel channel : kEveryChannel) {
      SCOPED_TRACE(
          absl::StrCat(C::Kind_Name(kind), " by ", C::Channel_Name(channel)));
      C complaint = Minimal(kind, channel);
      // General complainants give a name; corruption reporters stay
      // anonymous but name the accused.
      if (kind == C::GENERAL) {
        complaint.mutable_complainant()->set_name("นางสาวมาลี ศรีสุข");
      } else {
        complaint.mutable_accused()->set_name("นายสมศักดิ์ รักเงิน");
        complaint.mutable_accused()->set_position("นายช่างโยธา");
      }
      C created = File(Caller::kAnonymous, complaint);
      EXPECT_EQ(created.kind(), kind);
      EXPECT_EQ(created.channel(), channel);
      EXPECT_EQ(created.state(), C::RECEIVED);
      EXPECT_EQ(created.audit().creator(), "public");
      EXPECT_THAT(created.name(),
                  MatchesRegex("organizations/6340101/complaints/[a-z2-7]+"));
      const std::string& code = created.tracking_code();
      EXPECT_THAT(code, MatchesRegex(kCodePattern));
      ASSERT_FALSE(code.empty());
      EXPECT_NE(kCheckSymbols.find(code.back()), absl::string_view::npos);
      EXPECT_EQ(code.back(), CheckSymbolOf(code)) << "check symbol of " << code;
      // Identities go in, never come out; only their presence is told.
      EXPECT_FALSE(created.has_complainant());
      EXPECT_FALSE(created.has_accused());
      EXPECT_EQ(created.has_complainant_identity(), kind == C::GENERAL);
      EXPECT_EQ(created.has_accused_identity(), kind == C::CORRUPTION);
      codes.insert(code);
      filed[created.name()] = {kind, channel};
    }
  }
  EXPECT_THAT(codes, SizeIs(18));  // all different

  std::vector<C> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(18));
  for (const C& complaint : listed) {
    SCOPED_TRACE(complaint.name());
    ASSERT_EQ(filed.count(complaint.name()), 1u);
    EXPECT_EQ(complaint.kind(), filed[complaint.name()].first);
    EXPECT_EQ(complaint.channel(), filed[complaint.name()].second);
    EXPECT_FALSE(complaint.has_complainant());
    EXPECT_FALSE(complaint.has_accused());
    EXPECT_THAT(complaint.tracking_code(), IsEmpty());  // shown once only
  }
  // A general complaint, which operators read too (corruption reports are
  // for integrity officers and auditors; see Issue17Item5).
  const C& general = *std::find_if(
      listed.begin(), listed.end(),
      [](const C& complaint) { return complaint.kind() == C::GENERAL; });
  for (Caller reader : {Caller::kSystem, Caller::kOperator,
                        Caller::kIntegrityOfficer, Caller::kAuditor}) {
    SCOPED_TRACE(CallerName(reader));
    C got;
    ASSERT_THAT(GetAs(reader, general.name(), &got), GrpcIsOk());
    EXPECT_THAT(got, EqualsProto(general));
    EXPECT_FALSE(got.has_complainant());
    EXPECT_FALSE(got.has_accused());
    EXPECT_THAT(got.tracking_code(), IsEmpty());
  }
  v1::ListComplaintsRequest corruption;
  corruption.set_kind(C::CORRUPTION);
  EXPECT_THAT(ListNames(corruption), SizeIs(9));
}

TEST_P(ComplaintServiceTest, EveryFieldOfAReportRoundTripsButTheIdentities) {
  C report = Minimal(C::CORRUPTION, C::LETTER);
  report.mutable_place()->set_description("หน้าที่ทำการ อบต.");
  report.mutable_place()->set_village("หมู่ที่ ๕ บ้านหนองบัว");
  report.mutable_place()->set_subdistrict("ตำบลหนองบัว");
  report.mutable_place()->set_latitude(15.2448);
  report.mutable_place()->set_longitude(104.8473);
  *report.mutable_incident_time() = api::ToProtoTime(Utc(2025, 9, 20));
  report.set_requested_action("ขอให้ตรวจสอบและดำเนินการทางวินัย");
  report.set_evidence("ใบเสร็จรับเงิน ๒ ฉบับ และพยานบุคคล ๑ คน");
  for (int i = 0; i < 2; ++i) {
    v1::Attachment* attachment = report.add_attachments();
    attachment->set_file_name(absl::StrCat("receipt-", i, ".jpg"));
    attachment->set_media_type("image/jpeg");
    attachment->set_size_bytes(123456 + i);
    attachment->set_sha256(std::string(64, i == 0 ? 'a' : '0'));
    attachment->set_storage_uri(absl::StrCat("s3://complaints/", i));
  }
  report.mutable_complainant()->set_name("นายผู้แจ้ง กล้าหาญ");
  report.mutable_complainant()->set_contact("0812345678");
  report.mutable_accused()->set_name("นายผู้ถูกกล่าวหา");
  report.mutable_accused()->set_position("ปลัด อบต.");
  C created = File(Caller::kAnonymous, report);

  C expected = report;
  expected.clear_complainant();
  expected.clear_accused();
  for (const C& got : {created, Get(created.name())}) {
    C comparable = got;
    // The service's own fields are checked elsewhere; compare the input.
    for (const auto* field :
         {C::descriptor()->FindFieldByName("name"),
          C::descriptor()->FindFieldByName("organization"),
          C::descriptor()->FindFieldByName("state"),
          C::descriptor()->FindFieldByName("receive_time"),
          C::descriptor()->FindFieldByName("due_time"),
          C::descriptor()->FindFieldByName("audit"),
          C::descriptor()->FindFieldByName("tracking_code"),
          C::descriptor()->FindFieldByName("has_complainant_identity"),
          C::descriptor()->FindFieldByName("has_accused_identity"),
          C::descriptor()->FindFieldByName("next_states")}) {
      comparable.GetReflection()->ClearField(&comparable, field);
    }
    EXPECT_THAT(comparable, EqualsProto(expected));
    EXPECT_THAT(got.next_states(),
                ::testing::ElementsAre(C::ACKNOWLEDGED, C::REFERRED,
                                       C::REJECTED, C::WITHDRAWN));
    EXPECT_TRUE(got.has_complainant_identity());
    EXPECT_TRUE(got.has_accused_identity());
  }

  // An anonymous report with no accused holds no identity at all.
  C anonymous = File(Caller::kAnonymous, Minimal(C::CORRUPTION));
  EXPECT_FALSE(anonymous.has_complainant_identity());
  EXPECT_FALSE(anonymous.has_accused_identity());
}

TEST_P(ComplaintServiceTest, StaffFileOnBehalfOfCallers) {
  C call = Minimal(C::GENERAL, C::PHONE);
  call.mutable_complainant()->set_name("นายโทร มาแจ้ง");
  call.mutable_complainant()->set_contact("0899990001");
  C by_operator = File(Caller::kOperator, call);
  EXPECT_EQ(by_operator.audit().creator(), "operator-6340101");
  EXPECT_EQ(by_operator.audit().updater(), "operator-6340101");
  EXPECT_TRUE(by_operator.has_complainant_identity());
  // The caller is read the code over the phone: it works like any other.
  EXPECT_THAT(by_operator.tracking_code(), MatchesRegex(kCodePattern));
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Track(by_operator.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.subject(), call.subject());

  C walk_in = Minimal(C::CORRUPTION, C::WALK_IN);
  walk_in.mutable_accused()->set_name("นายผู้ถูกร้อง");
  C by_officer = File(Caller::kIntegrityOfficer, walk_in);
  EXPECT_EQ(by_officer.audit().creator(), "integrity-officer");
  EXPECT_EQ(by_officer.channel(), C::WALK_IN);
  EXPECT_THAT(ListAll(), SizeIs(2));
}

TEST_P(ComplaintServiceTest, RepeatedRequestIdReturnsTheSameComplaintAndCode) {
  const C complaint = Minimal(C::GENERAL);
  C first = File(Caller::kAnonymous, complaint, kParent, "web-form-7f3a");
  ASSERT_FALSE(first.tracking_code().empty());
  clock_.Advance(absl::Hours(1));
  // A retry (same request) gets the same complaint and the same code.
  C repeat = File(Caller::kAnonymous, complaint, kParent, "web-form-7f3a");
  EXPECT_THAT(repeat, EqualsProto(first));  // same name, text, times, code
  EXPECT_EQ(repeat.tracking_code(), first.tracking_code());
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Track(repeat.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.subject(), complaint.subject());
  // The same filer reusing its id (and secret) for a different complaint
  // files nothing and changes nothing.
  C changed = complaint;
  changed.set_subject("เรื่องอื่นที่ไม่ควรถูกบันทึก");
  v1::CreateComplaintRequest reused;
  reused.set_parent(std::string(kParent));
  *reused.mutable_complaint() = changed;
  reused.set_request_id("web-form-7f3a");
  reused.set_replay_secret(ReplaySecretOf("web-form-7f3a"));
  C refused;
  EXPECT_THAT(Create(Caller::kAnonymous, reused, &refused),
              IsInvalidField("request_id"));
  EXPECT_THAT(refused.tracking_code(), IsEmpty());
  EXPECT_THAT(ListAll(), SizeIs(1));
  EXPECT_EQ(Get(first.name()).subject(), complaint.subject());

  // Staff repeating a request get the same answer too.
  C by_operator = File(Caller::kOperator, complaint, kParent, "counter-0001");
  C by_operator_again =
      File(Caller::kOperator, complaint, kParent, "counter-0001");
  EXPECT_EQ(by_operator_again.name(), by_operator.name());
  EXPECT_EQ(by_operator_again.tracking_code(), by_operator.tracking_code());

  // Another id, or the same id in another organization, is another
  // complaint.
  C other = File(Caller::kAnonymous, complaint, kParent, "web-form-7f3b");
  EXPECT_NE(other.name(), first.name());
  EXPECT_NE(other.tracking_code(), first.tracking_code());
  C elsewhere =
      File(Caller::kAnonymous, complaint, kOtherParent, "web-form-7f3a");
  EXPECT_NE(elsewhere.name(), first.name());
  EXPECT_THAT(ListAll(), SizeIs(3));
  EXPECT_THAT(ListAll(kOtherParent), SizeIs(1));

  // Past the replay window the complaint is still the same, but its code is
  // not shown again.
  clock_.Advance(absl::Hours(24));
  C late = File(Caller::kAnonymous, complaint, kParent, "web-form-7f3a");
  EXPECT_EQ(late.name(), first.name());
  EXPECT_THAT(late.tracking_code(), IsEmpty());
  EXPECT_THAT(ListAll(), SizeIs(3));
}

TEST_P(ComplaintServiceTest, CategoriesCarryTheirOwnSla) {
  const std::string road = "organizations/6340101/categories/road-light";
  v1::Category stored;
  ASSERT_THAT(
      UpsertCategory(Caller::kOperator, road, "ไฟฟ้าส่องสว่าง", 7, &stored),
      GrpcIsOk());
  EXPECT_EQ(stored.name(), road);
  EXPECT_EQ(stored.display_name(), "ไฟฟ้าส่องสว่าง");
  EXPECT_EQ(stored.sla_days(), 7);
  const std::string other = "organizations/6340101/categories/other";
  ASSERT_THAT(UpsertCategory(Caller::kSystem, other, "อื่น ๆ", 0), GrpcIsOk());

  C lit = FileGeneral(road);
  EXPECT_EQ(lit.category(), road);
  EXPECT_EQ(api::FromProtoTime(lit.due_time()),
            api::FromProtoTime(lit.receive_time()) + absl::Hours(7 * 24));
  EXPECT_EQ(api::FromProtoTime(lit.receive_time()), clock_.Now());
  C defaulted = FileGeneral(other);
  EXPECT_EQ(api::FromProtoTime(defaulted.due_time()),
            clock_.Now() + absl::Hours(15 * 24));

  // Replacing a category changes new filings, not the ones already in.
  clock_.Advance(absl::Hours(2));
  ASSERT_THAT(UpsertCategory(Caller::kOperator, road, "ไฟฟ้าและประปา", 3),
              GrpcIsOk());
  C later = FileGeneral(road);
  EXPECT_EQ(api::FromProtoTime(later.due_time()),
            clock_.Now() + absl::Hours(3 * 24));
  EXPECT_EQ(api::FromProtoTime(Get(lit.name()).due_time()),
            api::FromProtoTime(lit.receive_time()) + absl::Hours(7 * 24));

  // Anyone may list them, for intake forms.
  v1::ListCategoriesRequest list;
  list.set_parent(std::string(kParent));
  v1::ListCategoriesResponse categories;
  ASSERT_THAT(
      stub_->ListCategories(As(Caller::kAnonymous).get(), list, &categories),
      GrpcIsOk());
  ASSERT_EQ(categories.categories_size(), 2);
  EXPECT_EQ(categories.categories(0).name(), other);
  EXPECT_EQ(categories.categories(1).name(), road);
  EXPECT_EQ(categories.categories(1).display_name(), "ไฟฟ้าและประปา");
  EXPECT_EQ(categories.categories(1).sla_days(), 3);
  list.set_parent(std::string(kOtherParent));
  ASSERT_THAT(
      stub_->ListCategories(As(Caller::kAnonymous).get(), list, &categories),
      GrpcIsOk());
  EXPECT_THAT(categories.categories(), IsEmpty());

  // A category the organization does not have is refused.
  ASSERT_THAT(
      UpsertCategory(Caller::kSystem,
                     "organizations/9999999/categories/elsewhere", "ของที่อื่น", 5),
      GrpcIsOk());
  for (const std::string& category :
       {std::string("organizations/6340101/categories/nothing"),
        std::string("organizations/9999999/categories/elsewhere"),
        std::string("organizations/6340101/categories/Road_Light"),
        std::string("organizations/6340101/complaints/road-light")}) {
    SCOPED_TRACE(category);
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_complaint() = Minimal(C::GENERAL);
    request.mutable_complaint()->set_category(category);
    C refused;
    EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
                IsInvalidField("complaint.category"));
  }
  EXPECT_THAT(ListAll(), SizeIs(3));

  // Categories themselves are validated.
  EXPECT_THAT(UpsertCategory(Caller::kOperator, road, "ไฟฟ้า", 366),
              IsInvalidField("category.sla_days"));
  EXPECT_THAT(UpsertCategory(Caller::kOperator, road, "ไฟฟ้า", -1),
              IsInvalidField("category.sla_days"));
  EXPECT_THAT(UpsertCategory(Caller::kOperator, road, "", 7),
              IsInvalidField("category.display_name"));
  EXPECT_THAT(
      UpsertCategory(Caller::kOperator, "organizations/6340101/categories/Road",
                     "ไฟฟ้า", 7),
      IsInvalidField("category.name"));
  EXPECT_THAT(UpsertCategory(Caller::kOperator, "", "ไฟฟ้า", 7),
              IsInvalidField("category.name"));
  EXPECT_EQ(Get(later.name()).category(), road);
}

TEST_P(ComplaintServiceTest, BadInputIsRefusedBeforeAnythingIsStored) {
  struct Case {
    std::string label;
    std::string field_path;
    std::function<void(v1::CreateComplaintRequest&)> mutate;
  };
  // A Thai character cut after its first byte is not UTF-8.
  const std::string not_utf8 = std::string("ไ").substr(0, 1) + "ฟฟ้า";
  const std::vector<Case> cases = {
      {"no kind", "complaint.kind",
       [](auto& r) { r.mutable_complaint()->clear_kind(); }},
      {"unknown kind", "complaint.kind",
       [](auto& r) {
         r.mutable_complaint()->set_kind(static_cast<C::Kind>(7));
       }},
      {"no channel", "complaint.channel",
       [](auto& r) { r.mutable_complaint()->clear_channel(); }},
      {"no subject", "complaint.subject",
       [](auto& r) { r.mutable_complaint()->clear_subject(); }},
      {"subject of 301 characters", "complaint.subject",
       [](auto& r) { r.mutable_complaint()->set_subject(Repeat("ร", 301)); }},
      {"subject not UTF-8", "complaint.subject",
       [&](auto& r) { r.mutable_complaint()->set_subject(not_utf8); }},
      {"no description", "complaint.description",
       [](auto& r) { r.mutable_complaint()->clear_description(); }},
      {"description of 10,001 characters", "complaint.description",
       [](auto& r) {
         r.mutable_complaint()->set_description(Repeat("ท", 10001));
       }},
      {"complainant name not UTF-8", "complaint.complainant.name",
       [&](auto& r) {
         r.mutable_complaint()->mutable_complainant()->set_name(not_utf8);
       }},
      {"complainant name of 201 characters", "complaint.complainant.name",
       [](auto& r) {
         r.mutable_complaint()->mutable_complainant()->set_name(
             Repeat("ส", 201));
       }},
      {"latitude without longitude", "complaint.place.longitude",
       [](auto& r) {
         r.mutable_complaint()->mutable_place()->set_latitude(15.1);
       }},
      {"longitude without latitude", "complaint.place.latitude",
       [](auto& r) {
         r.mutable_complaint()->mutable_place()->set_longitude(104.1);
       }},
      {"latitude out of range", "complaint.place.latitude",
       [](auto& r) {
         r.mutable_complaint()->mutable_place()->set_latitude(91);
         r.mutable_complaint()->mutable_place()->set_longitude(104.1);
       }},
      {"incident two days ahead", "complaint.incident_time",
       [this](auto& r) {
         *r.mutable_complaint()->mutable_incident_time() =
             api::ToProtoTime(clock_.Now() + absl::Hours(48));
       }},
      {"21 attachments", "complaint.attachments",
       [](auto& r) {
         for (int i = 0; i < 21; ++i) {
           v1::Attachment* a = r.mutable_complaint()->add_attachments();
           a->set_file_name("a.jpg");
           a->set_media_type("image/jpeg");
           a->set_sha256(std::string(64, 'b'));
           a->set_storage_uri("s3://x/y");
         }
       }},
      {"upper-case sha256", "complaint.attachments[0].sha256",
       [](auto& r) {
         v1::Attachment* a = r.mutable_complaint()->add_attachments();
         a->set_file_name("a.jpg");
         a->set_media_type("image/jpeg");
         a->set_sha256(std::string(64, 'B'));
         a->set_storage_uri("s3://x/y");
       }},
      {"general complaint naming an accused", "complaint.accused",
       [](auto& r) {
         r.mutable_complaint()->mutable_accused()->set_name("นาย ข");
       }},
      {"general complaint with evidence", "complaint.evidence",
       [](auto& r) { r.mutable_complaint()->set_evidence("ภาพถ่าย"); }},
      {"no parent", "parent", [](auto& r) { r.clear_parent(); }},
      {"malformed organization", "parent",
       [](auto& r) { r.set_parent("organizations/63 40101"); }},
      {"empty organization", "parent",
       [](auto& r) { r.set_parent("organizations/"); }},
      {"organization that looks like SQL", "parent",
       [](auto& r) { r.set_parent("organizations/1' OR '1'='1"); }},
      {"request id of 65 characters", "request_id",
       [](auto& r) { r.set_request_id(std::string(65, 'r')); }},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_complaint() = Minimal(C::GENERAL);
    test_case.mutate(request);
    C refused;
    const grpc::Status status = Create(Caller::kAnonymous, request, &refused);
    EXPECT_THAT(status, IsInvalidField(test_case.field_path));
    EXPECT_THAT(refused.name(), IsEmpty());
  }

  // 10 MB never reaches a handler: the service's 8 MiB request limit (room
  // for four 1 MiB photos) refuses it.
  v1::CreateComplaintRequest huge;
  huge.set_parent(std::string(kParent));
  *huge.mutable_complaint() = Minimal(C::GENERAL);
  huge.mutable_complaint()->set_description(
      std::string(size_t{10} * 1024 * 1024, 'a'));
  C refused;
  const grpc::Status status = Create(Caller::kAnonymous, huge, &refused);
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));

  EXPECT_THAT(ListAll(), IsEmpty());
  EXPECT_THAT(ListAll(kOtherParent), IsEmpty());
  // The service is still well after all that.
  FileGeneral();
  EXPECT_THAT(ListAll(), SizeIs(1));
}

TEST_P(ComplaintServiceTest, SqlLookingTextIsOnlyText) {
  const std::string sql = "'); DROP TABLE complaints;--";
  C complaint = Minimal(C::GENERAL);
  complaint.set_subject(sql);
  complaint.set_description(absl::StrCat(sql, " \" OR 1=1; --"));
  complaint.set_requested_action(sql);
  complaint.mutable_place()->set_description(sql);
  C created = File(Caller::kAnonymous, complaint);
  C got = Get(created.name());
  EXPECT_EQ(got.subject(), sql);
  EXPECT_EQ(got.description(), absl::StrCat(sql, " \" OR 1=1; --"));
  EXPECT_EQ(got.requested_action(), sql);
  EXPECT_EQ(got.place().description(), sql);
  ASSERT_THAT(
      AddReply(Caller::kOperator, created.name(), v1::Reply::INTERNAL, sql),
      GrpcIsOk());
  EXPECT_EQ(Replies(created.name()).back().text(), sql);
  ASSERT_THAT(UpsertCategory(Caller::kOperator,
                             "organizations/6340101/categories/sql", sql, 3),
              GrpcIsOk());

  v1::TrackedComplaint tracked;
  EXPECT_THAT(Track(sql, &tracked), IsInvalidField("tracking_code"));
  v1::ListComplaintsRequest list;
  list.set_parent("organizations/6340101' OR '1'='1");
  v1::ListComplaintsResponse listed;
  EXPECT_THAT(stub_->ListComplaints(As(Caller::kSystem).get(), list, &listed),
              IsInvalidField("parent"));

  // The table is intact and still takes complaints.
  FileGeneral("organizations/6340101/categories/sql");
  EXPECT_THAT(ListAll(), SizeIs(2));
  EXPECT_EQ(Get(created.name()).subject(), sql);
}

// ---------------------------------------------------------------- limits

TEST_P(ComplaintServiceTest, PublicFilingBeyondTheBurstIsRefused) {
  // The production limit: a burst of 5, then one every 5 seconds. Without
  // Redis the local bucket holds it.
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  options.public_filing_limit = ComplaintOptions().public_filing_limit;
  ASSERT_EQ(options.public_filing_limit.burst, 5);
  Restart(std::move(options));
  for (int i = 0; i < 5; ++i) FileGeneral();
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = Minimal(C::GENERAL);
  C refused;
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(refused.name(), IsEmpty());
  EXPECT_THAT(ListAll(), SizeIs(5));

  // Staff filing for callers are not limited.
  for (Caller staff :
       {Caller::kOperator, Caller::kSystem, Caller::kIntegrityOfficer}) {
    for (int i = 0; i < 6; ++i) {
      C created;
      EXPECT_THAT(Create(staff, request, &created), GrpcIsOk())
          << CallerName(staff);
    }
  }
  EXPECT_THAT(ListAll(), SizeIs(23));

  // The bucket refills with (server) time: one token per 5 seconds.
  clock_.Advance(absl::Seconds(5));
  C created;
  EXPECT_THAT(Create(Caller::kAnonymous, request, &created), GrpcIsOk());
  EXPECT_THAT(Create(Caller::kAnonymous, request, &created),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(ListAll(), SizeIs(24));
}

TEST_P(ComplaintServiceTest, PublicFilingLimitHoldsInRedis) {
  std::optional<std::string> redis_url = testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  const std::string prefix =
      absl::StrCat("prongsai:complaint:filing-limit-", getpid(), "-",
                   GetParam() == Backend::kSqlite ? "sqlite" : "pg", ":");
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  options.public_filing_limit.tokens_per_second = 0.001;
  options.public_filing_limit.burst = 2;
  options.public_filing_limit.key_prefix = prefix;
  Restart(std::move(options), *redis_url);
  FileGeneral();
  FileGeneral();
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = Minimal(C::GENERAL);
  C refused;
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(Create(Caller::kOperator, request, &refused), GrpcIsOk());
  EXPECT_THAT(ListAll(), SizeIs(3));

  // The bucket is in Redis, under a key that does not hold the address.
  absl::StatusOr<cache::RedisOptions> redis_options =
      cache::ParseRedisUrl(*redis_url);
  ASSERT_TRUE(redis_options.ok()) << redis_options.status();
  cache::RedisClient redis(*redis_options, nullptr);
  absl::StatusOr<cache::Reply> keys = redis.Command(
      std::vector<std::string>{"KEYS", absl::StrCat(prefix, "*")});
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_THAT(keys->elements, SizeIs(1));
  const std::string& key = keys->elements[0].string;
  EXPECT_THAT(key, Not(HasSubstr("127.0.0.1")));
  // Nor an unkeyed hash of it, which anyone could reverse by hashing every
  // IPv4 address.
  const std::string hash_hex = key.substr(prefix.size());
  ASSERT_GE(hash_hex.size(), 2u * crypto_generichash_BYTES_MIN);
  ASSERT_LE(hash_hex.size(), 2u * crypto_generichash_BYTES_MAX);
  const std::string client = "127.0.0.1";
  std::vector<unsigned char> unkeyed(hash_hex.size() / 2);
  ASSERT_EQ(
      crypto_generichash(unkeyed.data(), unkeyed.size(),
                         reinterpret_cast<const unsigned char*>(client.data()),
                         client.size(), nullptr, 0),
      0);
  std::string unkeyed_hex(2 * unkeyed.size() + 1, '\0');
  sodium_bin2hex(unkeyed_hex.data(), unkeyed_hex.size(), unkeyed.data(),
                 unkeyed.size());
  unkeyed_hex.pop_back();
  EXPECT_NE(hash_hex, unkeyed_hex)
      << "the bucket is named by an unkeyed hash of the client's address";
}

TEST_P(ComplaintServiceTest, PublicTrackingIsRateLimited) {
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  options.public_tracking_limit.tokens_per_second = 0.001;
  options.public_tracking_limit.burst = 3;
  Restart(std::move(options));
  C filed = FileGeneral();
  v1::TrackedComplaint tracked;
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(Track(filed.tracking_code(), &tracked), GrpcIsOk());
  }
  EXPECT_THAT(Track(filed.tracking_code(), &tracked),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  // Guessing costs the same as knowing.
  EXPECT_THAT(Track(FormatCode("0000000000000000"), &tracked),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(Track(filed.tracking_code(), &tracked, Caller::kSystem),
              GrpcIsOk());
}

// Issue 15: guessing from many clients at once meets one limit of all of
// them together; a trusted system is not limited.
TEST_P(ComplaintServiceTest, PublicTrackingHasALimitOfAllClientsTogether) {
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  options.public_tracking_global_limit = PublicLimit(
      0.001, 3,
      absl::StrCat("tracking-all-", getpid(), "-",
                   GetParam() == Backend::kSqlite ? "sqlite" : "pg"));
  Restart(std::move(options));
  C filed = FileGeneral();
  v1::TrackedComplaint tracked;
  // Two callers with buckets of their own (the public's address, an
  // operator's key) share the three lookups.
  EXPECT_THAT(Track(filed.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_THAT(Track(filed.tracking_code(), &tracked, Caller::kOperator),
              GrpcIsOk());
  EXPECT_THAT(Track(FormatCode("0000000000000000"), &tracked),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Track(filed.tracking_code(), &tracked, Caller::kOperator),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(Track(filed.tracking_code(), &tracked),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  EXPECT_THAT(Track(filed.tracking_code(), &tracked, Caller::kSystem),
              GrpcIsOk());
}

// ---------------------------------------------------------------- workflow

TEST_P(ComplaintServiceTest, HappyPathRecordsEveryStep) {
  C filed = FileGeneral();
  const absl::Time received = clock_.Now();
  struct Step {
    Caller actor;
    C::State to;
    absl::Duration after;  // since the last step
  };
  const Step steps[] = {
      {Caller::kOperator, C::ACKNOWLEDGED, absl::Hours(24)},
      {Caller::kSystem, C::ASSIGNED, absl::Hours(1)},
      {Caller::kOperator, C::IN_PROGRESS, absl::Hours(2)},
      {Caller::kOperator, C::RESOLVED, absl::Hours(45)},
      {Caller::kSystem, C::CLOSED, absl::Hours(24)},
  };
  std::vector<absl::Time> step_times;
  for (const Step& step : steps) {
    SCOPED_TRACE(C::State_Name(step.to));
    clock_.Advance(step.after);
    step_times.push_back(clock_.Now());
    C moved;
    ASSERT_THAT(Move(step.actor, filed.name(), step.to, &moved), GrpcIsOk());
    EXPECT_EQ(moved.state(), step.to);
    EXPECT_EQ(moved.audit().updater(), CallerName(step.actor));
    EXPECT_EQ(api::FromProtoTime(moved.audit().update_time()), clock_.Now());
    EXPECT_THAT(Get(filed.name()), EqualsProto(moved));
  }
  C closed = Get(filed.name());
  EXPECT_EQ(closed.state(), C::CLOSED);
  EXPECT_EQ(closed.assignee(), "กองช่าง");
  EXPECT_EQ(closed.resolution(), "ซ่อมไฟฟ้าเรียบร้อยแล้ว");
  EXPECT_EQ(api::FromProtoTime(closed.acknowledge_time()),
            received + absl::Hours(24));
  EXPECT_EQ(api::FromProtoTime(closed.resolve_time()),
            received + absl::Hours(72));
  EXPECT_EQ(api::FromProtoTime(closed.receive_time()), received);
  EXPECT_EQ(closed.audit().creator(), "public");

  // Every move left an internal workflow note with its actor and note.
  std::vector<v1::Reply> replies = Replies(filed.name());
  ASSERT_THAT(replies, SizeIs(std::size(steps)));
  for (size_t i = 0; i < replies.size(); ++i) {
    SCOPED_TRACE(C::State_Name(steps[i].to));
    EXPECT_EQ(replies[i].visibility(), v1::Reply::INTERNAL);
    EXPECT_EQ(replies[i].author(), v1::Reply::WORKFLOW);
    EXPECT_EQ(replies[i].actor(), CallerName(steps[i].actor));
    EXPECT_THAT(
        replies[i].text(),
        HasSubstr(absl::StrCat("บันทึก: ไป ", C::State_Name(steps[i].to))));
    EXPECT_EQ(api::FromProtoTime(replies[i].create_time()), step_times[i]);
    EXPECT_THAT(replies[i].name(),
                MatchesRegex(absl::StrCat(filed.name(), "/replies/.+")));
  }
  // None of them is shown to the complainant.
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Track(filed.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.state(), C::CLOSED);
  EXPECT_THAT(tracked.public_replies(), IsEmpty());
}

TEST_P(ComplaintServiceTest, EveryTransitionFollowsTheTable) {
  int allowed = 0;
  for (C::State from : kEveryState) {
    for (C::State to : kEveryTarget) {
      SCOPED_TRACE(
          absl::StrCat(C::State_Name(from), " -> ", C::State_Name(to)));
      C filed = FileGeneral();
      MoveAlong(Caller::kOperator, filed.name(), PathTo(from));
      if (HasFatalFailure()) return;
      const C before = Get(filed.name());
      ASSERT_EQ(before.state(), from);
      const size_t replies_before = Replies(filed.name()).size();
      C after;
      const grpc::Status status =
          Move(Caller::kOperator, filed.name(), to, &after);
      if (Allowed(from, to)) {
        ++allowed;
        ASSERT_THAT(status, GrpcIsOk());
        EXPECT_EQ(after.state(), to);
        EXPECT_EQ(Get(filed.name()).state(), to);
        std::vector<v1::Reply> replies = Replies(filed.name());
        ASSERT_EQ(replies.size(), replies_before + 1);
        EXPECT_EQ(replies.back().author(), v1::Reply::WORKFLOW);
        EXPECT_EQ(replies.back().actor(), "operator-6340101");
      } else {
        EXPECT_THAT(status,
                    GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
        EXPECT_THAT(status.error_message(), HasSubstr(C::State_Name(from)));
        EXPECT_THAT(Get(filed.name()), EqualsProto(before));
        EXPECT_THAT(Replies(filed.name()), SizeIs(replies_before));
      }
    }
  }
  EXPECT_EQ(allowed, 4 + 5 + 5 + 4 + 1);
  // RECEIVED is where cases start, never where they go.
  C filed = FileGeneral();
  EXPECT_THAT(Move(Caller::kOperator, filed.name(), C::RECEIVED),
              IsInvalidField("target_state"));
  EXPECT_THAT(Move(Caller::kOperator, filed.name(), C::STATE_UNSPECIFIED),
              IsInvalidField("target_state"));
}

TEST_P(ComplaintServiceTest, TransitionsNeedTheirDetails) {
  C first = FileGeneral();
  C filed = FileGeneral();
  C elsewhere = FileGeneral("", kOtherParent);
  MoveAlong(Caller::kOperator, filed.name(), {C::ACKNOWLEDGED});
  const C before = Get(filed.name());
  const size_t replies_before = Replies(filed.name()).size();
  using Request = v1::TransitionComplaintRequest;
  struct Case {
    std::string label;
    C::State to;
    std::string field_path;
    std::function<void(Request&)> details;
  };
  const std::vector<Case> cases = {
      {"no note", C::IN_PROGRESS, "note", [](Request& r) { r.clear_note(); }},
      {"note of 2001 characters", C::IN_PROGRESS, "note",
       [](Request& r) { r.set_note(Repeat("น", 2001)); }},
      {"assigned to nobody", C::ASSIGNED, "assignee",
       [](Request& r) { r.clear_assignee(); }},
      {"referred to nobody", C::REFERRED, "referred_to",
       [](Request& r) { r.clear_referred_to(); }},
      {"rejected without a reason", C::REJECTED, "rejection_reason",
       [](Request& r) { r.clear_rejection_reason(); }},
      {"duplicate of nothing", C::REJECTED, "duplicate_of",
       [](Request& r) { r.set_rejection_reason(v1::DUPLICATE); }},
      {"duplicate of itself", C::REJECTED, "duplicate_of",
       [&](Request& r) {
         r.set_rejection_reason(v1::DUPLICATE);
         r.set_duplicate_of(filed.name());
       }},
      {"duplicate of an unknown complaint", C::REJECTED, "duplicate_of",
       [](Request& r) {
         r.set_rejection_reason(v1::DUPLICATE);
         r.set_duplicate_of(
             "organizations/6340101/complaints/aaaaaaaaaaaaaaaa");
       }},
      {"duplicate in another organization", C::REJECTED, "duplicate_of",
       [&](Request& r) {
         r.set_rejection_reason(v1::DUPLICATE);
         r.set_duplicate_of(elsewhere.name());
       }},
      {"duplicate_of without DUPLICATE", C::REJECTED, "duplicate_of",
       [&](Request& r) { r.set_duplicate_of(first.name()); }},
      {"assignee on another move", C::IN_PROGRESS, "assignee",
       [](Request& r) { r.set_assignee("กองช่าง"); }},
      {"resolution on another move", C::IN_PROGRESS, "resolution",
       [](Request& r) { r.set_resolution("เสร็จ"); }},
      {"reason on another move", C::WITHDRAWN, "rejection_reason",
       [](Request& r) { r.set_rejection_reason(v1::OUTSIDE_AUTHORITY); }},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    EXPECT_THAT(Move(Caller::kOperator, filed.name(), test_case.to, nullptr,
                     test_case.details),
                IsInvalidField(test_case.field_path));
  }
  EXPECT_THAT(Get(filed.name()), EqualsProto(before));
  EXPECT_THAT(Replies(filed.name()), SizeIs(replies_before));

  // Resolving needs a result: no silent closures.
  MoveAlong(Caller::kOperator, filed.name(), {C::IN_PROGRESS});
  EXPECT_THAT(Move(Caller::kOperator, filed.name(), C::RESOLVED, nullptr,
                   [](Request& r) { r.clear_resolution(); }),
              IsInvalidField("resolution"));
  EXPECT_EQ(Get(filed.name()).state(), C::IN_PROGRESS);
  EXPECT_FALSE(Get(filed.name()).has_resolve_time());

  EXPECT_THAT(Move(Caller::kOperator,
                   "organizations/6340101/complaints/aaaaaaaaaaaaaaaa",
                   C::ACKNOWLEDGED),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(
      Move(Caller::kOperator, "organizations/6340101/plans/x", C::ACKNOWLEDGED),
      IsInvalidField("name"));
}

TEST_P(ComplaintServiceTest, EndingBranchesRecordWhy) {
  C original = FileGeneral();
  C referred = FileGeneral();
  C outside = FileGeneral();
  C thin = FileGeneral();
  C duplicate = FileGeneral();
  C withdrawn = FileGeneral();
  MoveAlong(Caller::kOperator, withdrawn.name(),
            {C::ACKNOWLEDGED, C::IN_PROGRESS});

  C moved;
  ASSERT_THAT(Move(Caller::kOperator, referred.name(), C::REFERRED, &moved),
              GrpcIsOk());
  EXPECT_EQ(moved.referred_to(), "ศูนย์ดำรงธรรมจังหวัด");
  ASSERT_THAT(Move(Caller::kOperator, outside.name(), C::REJECTED, &moved),
              GrpcIsOk());
  EXPECT_EQ(moved.rejection_reason(), v1::OUTSIDE_AUTHORITY);
  EXPECT_THAT(moved.duplicate_of(), IsEmpty());
  ASSERT_THAT(Move(Caller::kOperator, thin.name(), C::REJECTED, &moved,
                   [](auto& r) {
                     r.set_rejection_reason(v1::INSUFFICIENT_INFORMATION);
                   }),
              GrpcIsOk());
  EXPECT_EQ(moved.rejection_reason(), v1::INSUFFICIENT_INFORMATION);
  ASSERT_THAT(Move(Caller::kOperator, duplicate.name(), C::REJECTED, &moved,
                   [&](auto& r) {
                     r.set_rejection_reason(v1::DUPLICATE);
                     r.set_duplicate_of(original.name());
                   }),
              GrpcIsOk());
  EXPECT_EQ(moved.rejection_reason(), v1::DUPLICATE);
  EXPECT_EQ(moved.duplicate_of(), original.name());
  ASSERT_THAT(Move(Caller::kOperator, withdrawn.name(), C::WITHDRAWN, &moved),
              GrpcIsOk());
  EXPECT_EQ(Get(duplicate.name()).duplicate_of(), original.name());
  EXPECT_EQ(Get(referred.name()).referred_to(), "ศูนย์ดำรงธรรมจังหวัด");

  // Ended cases take no more moves, no more information, and are never
  // overdue; the complainant sees how it ended.
  clock_.Advance(absl::Hours(30 * 24));
  for (const C& ended : {referred, outside, thin, duplicate, withdrawn}) {
    SCOPED_TRACE(ended.name());
    for (C::State to : kEveryTarget) {
      EXPECT_THAT(Move(Caller::kOperator, ended.name(), to),
                  GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
    }
    v1::TrackedComplaint tracked;
    EXPECT_THAT(AddInformation(ended.tracking_code(), "ขอเพิ่มเติม", &tracked),
                GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
    ASSERT_THAT(Track(ended.tracking_code(), &tracked), GrpcIsOk());
    EXPECT_FALSE(tracked.overdue());
    EXPECT_FALSE(Get(ended.name()).overdue());
  }
  v1::ListComplaintsRequest rejected;
  rejected.add_states(C::REJECTED);
  EXPECT_THAT(
      ListNames(rejected),
      UnorderedElementsAre(outside.name(), thin.name(), duplicate.name()));
  v1::ListComplaintsRequest other_ends;
  other_ends.add_states(C::REFERRED);
  other_ends.add_states(C::WITHDRAWN);
  EXPECT_THAT(ListNames(other_ends),
              UnorderedElementsAre(referred.name(), withdrawn.name()));
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_THAT(ListNames(overdue), ElementsAre(original.name()));
}

TEST_P(ComplaintServiceTest, CorruptionReportsAreHandledByIntegrityOfficers) {
  C report = Minimal(C::CORRUPTION);
  report.mutable_accused()->set_name("นายผู้ถูกร้อง");
  C filed = File(Caller::kAnonymous, report);
  EXPECT_THAT(Move(Caller::kOperator, filed.name(), C::ACKNOWLEDGED),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(AddReply(Caller::kOperator, filed.name(), v1::Reply::INTERNAL,
                       "ขอดูเรื่องนี้"),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(AddReply(Caller::kOperator, filed.name(), v1::Reply::PUBLIC,
                       "ได้รับเรื่องแล้ว"),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(Get(filed.name()).state(), C::RECEIVED);
  EXPECT_THAT(Replies(filed.name()), IsEmpty());
  // Issue 17 item 5: nor do they read it (they may be the accused).
  C seen;
  EXPECT_THAT(GetAs(Caller::kOperator, filed.name(), &seen),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(seen.subject(), IsEmpty());

  for (C::State to :
       {C::ACKNOWLEDGED, C::ASSIGNED, C::IN_PROGRESS, C::RESOLVED}) {
    ASSERT_THAT(Move(Caller::kIntegrityOfficer, filed.name(), to), GrpcIsOk())
        << C::State_Name(to);
  }
  ASSERT_THAT(AddReply(Caller::kIntegrityOfficer, filed.name(),
                       v1::Reply::PUBLIC, "ได้ดำเนินการทางวินัยแล้ว"),
              GrpcIsOk());
  std::vector<v1::Reply> replies = Replies(filed.name());
  ASSERT_THAT(replies, SizeIs(5));
  for (const v1::Reply& reply : replies) {
    EXPECT_EQ(reply.actor(), "integrity-officer");
  }
  EXPECT_EQ(Get(filed.name()).state(), C::RESOLVED);
  EXPECT_THAT(Move(Caller::kOperator, filed.name(), C::CLOSED),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

// Calls running at once on the service's workers: one move wins, replies
// are all kept in order, and one request id files once.
TEST_P(ComplaintServiceTest, ConcurrentCallsKeepTheRegisterConsistent) {
  constexpr int kThreads = 8;
  C filed = FileGeneral();
  std::vector<grpc::Status> moves(kThreads);
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        moves[i] = Move(Caller::kOperator, filed.name(), C::ACKNOWLEDGED);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  int won = 0;
  for (const grpc::Status& status : moves) {
    if (status.ok()) {
      ++won;
    } else {
      EXPECT_THAT(status,
                  ::testing::AnyOf(
                      GrpcStatusIs(grpc::StatusCode::ABORTED),
                      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION)));
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_THAT(Replies(filed.name()), SizeIs(1));

  std::vector<grpc::Status> replies(size_t{kThreads} * 3);
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        for (int j = 0; j < 3; ++j) {
          replies[i * 3 + j] =
              AddReply(Caller::kOperator, filed.name(), v1::Reply::INTERNAL,
                       absl::StrCat("บันทึก ", i, "-", j));
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  for (const grpc::Status& status : replies) EXPECT_THAT(status, GrpcIsOk());
  std::vector<v1::Reply> listed = Replies(filed.name());
  EXPECT_THAT(listed, SizeIs(1 + kThreads * 3));
  std::set<std::string> names;
  std::map<int, int> last_j;  // per thread, replies come in its own order
  for (const v1::Reply& reply : listed) {
    names.insert(reply.name());
    int i = 0;
    int j = 0;
    if (std::sscanf(reply.text().c_str(), "บันทึก %d-%d", &i, &j) == 2) {
      auto [it, inserted] = last_j.emplace(i, j);
      if (!inserted) {
        EXPECT_GT(j, it->second) << reply.text();
        it->second = j;
      }
    }
  }
  EXPECT_THAT(names, SizeIs(listed.size()));

  std::vector<C> created(kThreads);
  std::vector<grpc::Status> creates(kThreads);
  {
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        v1::CreateComplaintRequest request;
        request.set_parent(std::string(kParent));
        request.set_request_id("double-click-42");
        request.set_replay_secret(ReplaySecretOf("double-click-42"));
        *request.mutable_complaint() = Minimal(C::GENERAL);
        creates[i] = Create(Caller::kAnonymous, request, &created[i]);
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  for (int i = 0; i < kThreads; ++i) {
    EXPECT_THAT(creates[i], GrpcIsOk());
    EXPECT_EQ(created[i].name(), created[0].name());
    EXPECT_EQ(created[i].tracking_code(), created[0].tracking_code());
  }
  EXPECT_THAT(ListAll(), SizeIs(2));
}

// ---------------------------------------------------------------- SLA

TEST_P(ComplaintServiceTest, FifteenDayRuleAndExplanations) {
  C late = FileGeneral();
  C also_late = FileGeneral();
  C referred = FileGeneral();
  ASSERT_THAT(Move(Caller::kOperator, referred.name(), C::REFERRED),
              GrpcIsOk());
  const absl::Time due = clock_.Now() + absl::Hours(15 * 24);
  EXPECT_EQ(api::FromProtoTime(late.due_time()), due);
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);

  // On the due instant a case is still in time; a microsecond later it is
  // overdue.
  clock_.Advance(absl::Hours(15 * 24));
  EXPECT_FALSE(Get(late.name()).overdue());
  EXPECT_THAT(ListNames(overdue), IsEmpty());
  clock_.Advance(absl::Microseconds(1));
  EXPECT_TRUE(Get(late.name()).overdue());
  EXPECT_FALSE(Get(referred.name()).overdue());
  EXPECT_THAT(ListNames(overdue),
              UnorderedElementsAre(late.name(), also_late.name()));
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Track(late.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_TRUE(tracked.overdue());

  clock_.Advance(absl::Hours(24) - absl::Microseconds(1));  // day 16
  // An internal note cannot move the due date, nor can a date not later
  // than both the due date and now.
  EXPECT_THAT(AddReply(Caller::kOperator, late.name(), v1::Reply::INTERNAL,
                       "รออนุมัติงบ", clock_.Now() + absl::Hours(7 * 24)),
              IsInvalidField("reply.new_due_time"));
  EXPECT_THAT(AddReply(Caller::kOperator, late.name(), v1::Reply::PUBLIC,
                       "ขออภัย", clock_.Now() - absl::Hours(1)),
              IsInvalidField("reply.new_due_time"));
  EXPECT_THAT(AddReply(Caller::kOperator, late.name(), v1::Reply::PUBLIC,
                       "ขออภัย", clock_.Now() + absl::Hours(366 * 24)),
              IsInvalidField("reply.new_due_time"));
  EXPECT_THAT(AddReply(Caller::kOperator, late.name(),
                       v1::Reply::VISIBILITY_UNSPECIFIED, "ขออภัย"),
              IsInvalidField("reply.visibility"));
  EXPECT_THAT(AddReply(Caller::kOperator, late.name(), v1::Reply::PUBLIC, ""),
              IsInvalidField("reply.text"));
  EXPECT_EQ(api::FromProtoTime(Get(late.name()).due_time()), due);
  EXPECT_THAT(Replies(late.name()), IsEmpty());

  // A public explanation with a new date ends the overdue state.
  const absl::Time new_due = clock_.Now() + absl::Hours(7 * 24);
  const std::string explanation =
      "ขออภัยที่ล่าช้า รออนุมัติงบประมาณซ่อม จะแล้วเสร็จภายใน ๗ วัน";
  v1::Reply reply;
  ASSERT_THAT(AddReply(Caller::kOperator, late.name(), v1::Reply::PUBLIC,
                       explanation, new_due, &reply),
              GrpcIsOk());
  EXPECT_EQ(reply.author(), v1::Reply::STAFF);
  EXPECT_EQ(reply.actor(), "operator-6340101");
  EXPECT_EQ(reply.visibility(), v1::Reply::PUBLIC);
  EXPECT_EQ(api::FromProtoTime(reply.new_due_time()), new_due);
  EXPECT_EQ(api::FromProtoTime(reply.create_time()), clock_.Now());
  C explained = Get(late.name());
  EXPECT_FALSE(explained.overdue());
  EXPECT_EQ(api::FromProtoTime(explained.due_time()), new_due);
  EXPECT_THAT(ListNames(overdue), ElementsAre(also_late.name()));
  ASSERT_THAT(Track(late.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_FALSE(tracked.overdue());
  EXPECT_EQ(api::FromProtoTime(tracked.due_time()), new_due);
  ASSERT_EQ(tracked.public_replies_size(), 1);
  EXPECT_EQ(tracked.public_replies(0).text(), explanation);
  EXPECT_EQ(api::FromProtoTime(tracked.public_replies(0).new_due_time()),
            new_due);

  // Resolved cases are never overdue; an explained one is again once its new
  // date passes.
  MoveAlong(Caller::kOperator, also_late.name(),
            {C::ACKNOWLEDGED, C::IN_PROGRESS, C::RESOLVED});
  EXPECT_FALSE(Get(also_late.name()).overdue());
  EXPECT_THAT(ListNames(overdue), IsEmpty());
  clock_.Advance(absl::Hours(7 * 24) + absl::Microseconds(1));
  EXPECT_THAT(ListNames(overdue), ElementsAre(late.name()));
}

TEST_P(ComplaintServiceTest, DueWithinDaysListsOpenCasesDueSoon) {
  ASSERT_THAT(
      UpsertCategory(Caller::kOperator,
                     "organizations/6340101/categories/urgent", "เร่งด่วน", 1),
      GrpcIsOk());
  C first = FileGeneral();                                            // due +15
  C urgent = FileGeneral("organizations/6340101/categories/urgent");  // +1
  C resolved = FileGeneral();
  MoveAlong(Caller::kOperator, resolved.name(),
            {C::ACKNOWLEDGED, C::IN_PROGRESS, C::RESOLVED});
  clock_.Advance(absl::Hours(5 * 24));
  C second = FileGeneral();  // due now + 15 days

  // Now first is due in exactly 10 days, second in 15; urgent is overdue.
  auto due_within = [&](int days) {
    v1::ListComplaintsRequest request;
    request.set_due_within_days(days);
    return ListNames(request);
  };
  EXPECT_THAT(due_within(9), IsEmpty());
  EXPECT_THAT(due_within(10), ElementsAre(first.name()));
  EXPECT_THAT(due_within(15), ElementsAre(first.name(), second.name()));
  EXPECT_THAT(due_within(365), ElementsAre(first.name(), second.name()));
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);
  EXPECT_THAT(ListNames(overdue), ElementsAre(urgent.name()));
  EXPECT_THAT(ListNames({}), SizeIs(4));

  for (int days : {-1, 366}) {
    v1::ListComplaintsRequest request;
    request.set_parent(std::string(kParent));
    request.set_due_within_days(days);
    v1::ListComplaintsResponse response;
    EXPECT_THAT(
        stub_->ListComplaints(As(Caller::kSystem).get(), request, &response),
        IsInvalidField("due_within_days"));
  }
}

// ---------------------------------------------------------------- tracking

TEST_P(ComplaintServiceTest, TrackingShowsOnlyWhatTheComplainantMaySee) {
  C filed = FileGeneral();
  const std::string internal_note = "ภายใน: ผู้ร้องเคยร้องเรื่องเดียวกันมาแล้ว";
  ASSERT_THAT(AddReply(Caller::kOperator, filed.name(), v1::Reply::INTERNAL,
                       internal_note),
              GrpcIsOk());
  ASSERT_THAT(Move(Caller::kOperator, filed.name(), C::ACKNOWLEDGED, nullptr,
                   [](auto& r) { r.set_note("ส่งกองช่างตรวจสอบลับ"); }),
              GrpcIsOk());
  const std::string public_reply = "ได้รับเรื่องแล้ว กำลังตรวจสอบ";
  ASSERT_THAT(
      AddReply(Caller::kSystem, filed.name(), v1::Reply::PUBLIC, public_reply),
      GrpcIsOk());

  // Case, spaces and dashes do not matter.
  std::string spaced = absl::AsciiStrToLower(filed.tracking_code());
  std::replace(spaced.begin(), spaced.end(), '-', ' ');
  const std::string bare =
      absl::StrReplaceAll(filed.tracking_code(), {{"-", ""}});
  for (const std::string& typed : {filed.tracking_code(), spaced, bare}) {
    SCOPED_TRACE(typed);
    v1::TrackedComplaint tracked;
    ASSERT_THAT(Track(typed, &tracked), GrpcIsOk());
    EXPECT_EQ(tracked.kind(), C::GENERAL);
    EXPECT_EQ(tracked.subject(), filed.subject());
    EXPECT_EQ(tracked.state(), C::ACKNOWLEDGED);
    EXPECT_THAT(tracked.receive_time(), EqualsProto(filed.receive_time()));
    EXPECT_THAT(tracked.due_time(), EqualsProto(filed.due_time()));
    EXPECT_FALSE(tracked.overdue());
    EXPECT_EQ(tracked.organization().code(), kOrganization);
    ASSERT_EQ(tracked.public_replies_size(), 1);
    EXPECT_EQ(tracked.public_replies(0).text(), public_reply);
    EXPECT_EQ(tracked.public_replies(0).author(), v1::Reply::STAFF);
    EXPECT_THAT(tracked.public_replies(0).actor(), IsEmpty());
    // Neither internal notes nor staff key names, anywhere in the answer.
    const std::string everything = tracked.SerializeAsString();
    EXPECT_THAT(everything, Not(HasSubstr(internal_note)));
    EXPECT_THAT(everything, Not(HasSubstr("ส่งกองช่างตรวจสอบลับ")));
    EXPECT_THAT(everything, Not(HasSubstr("operator-6340101")));
    EXPECT_THAT(everything, Not(HasSubstr("system")));
  }

  // The complainant adds information; staff see it as the complainant's.
  v1::TrackedComplaint tracked;
  ASSERT_THAT(AddInformation(spaced, "ถ่ายรูปเพิ่มเติมไว้แล้ว", &tracked), GrpcIsOk());
  ASSERT_EQ(tracked.public_replies_size(), 2);
  EXPECT_EQ(tracked.public_replies(1).text(), "ถ่ายรูปเพิ่มเติมไว้แล้ว");
  EXPECT_EQ(tracked.public_replies(1).author(), v1::Reply::COMPLAINANT);
  std::vector<v1::Reply> replies = Replies(filed.name());
  ASSERT_THAT(replies, SizeIs(4));
  EXPECT_EQ(replies.back().author(), v1::Reply::COMPLAINANT);
  EXPECT_EQ(replies.back().actor(), "complainant");
  EXPECT_EQ(replies.back().visibility(), v1::Reply::PUBLIC);
  EXPECT_EQ(replies.back().text(), "ถ่ายรูปเพิ่มเติมไว้แล้ว");
  EXPECT_THAT(AddInformation(filed.tracking_code(), "", &tracked),
              IsInvalidField("text"));
  EXPECT_THAT(
      AddInformation(filed.tracking_code(), Repeat("ก", 5001), &tracked),
      IsInvalidField("text"));
  EXPECT_THAT(Replies(filed.name()), SizeIs(4));
}

TEST_P(ComplaintServiceTest, ForgedAndUnknownCodesFindNothing) {
  C filed = FileGeneral();
  const std::string& code = filed.tracking_code();
  ASSERT_THAT(code, MatchesRegex(kCodePattern));
  v1::TrackedComplaint tracked;

  // A wrong check symbol (any other one) is caught before any lookup.
  for (char check : kCheckSymbols) {
    if (check == code.back()) continue;
    std::string forged = code;
    forged.back() = check;
    const grpc::Status status = Track(forged, &tracked);
    EXPECT_THAT(status, IsInvalidField("tracking_code")) << forged;
    EXPECT_THAT(status.error_message(), Not(HasSubstr(forged)));
  }
  // So is one mistyped data symbol, or a swap of two different ones.
  std::string mistyped = code;
  mistyped[0] = mistyped[0] == 'A' ? 'B' : 'A';
  EXPECT_THAT(Track(mistyped, &tracked), IsInvalidField("tracking_code"));
  std::string swapped = code;
  size_t i = 0;
  while (i + 1 < 4 && swapped[i] == swapped[i + 1]) ++i;
  if (swapped[i] != swapped[i + 1]) {
    std::swap(swapped[i], swapped[i + 1]);
    EXPECT_THAT(Track(swapped, &tracked), IsInvalidField("tracking_code"));
  }
  for (const std::string& malformed :
       {std::string(""), code.substr(0, code.size() - 2), code + "7",
        std::string("ABCD-EFGH-JKMN-PQRU-0"), std::string(200, 'A')}) {
    EXPECT_THAT(Track(malformed, &tracked), IsInvalidField("tracking_code"))
        << malformed;
  }

  // A well-formed code nobody was given is simply not there.
  const std::string unknown = FormatCode(
      code.substr(0, 4) == "0000" ? "1111111111111111" : "0000000000000000");
  ASSERT_THAT(unknown, MatchesRegex(kCodePattern));
  grpc::Status status = Track(unknown, &tracked);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(unknown)));
  EXPECT_THAT(AddInformation(unknown, "ข้อมูลเพิ่มเติม", &tracked),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Rate(unknown, 5, &tracked),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(AddInformation(mistyped, "ข้อมูลเพิ่มเติม", &tracked),
              IsInvalidField("tracking_code"));
  EXPECT_THAT(Replies(filed.name()), IsEmpty());
  EXPECT_THAT(tracked.subject(), IsEmpty());
}

TEST_P(ComplaintServiceTest, ComplainantRatesOrReopensAResolvedCase) {
  ASSERT_THAT(
      UpsertCategory(Caller::kOperator,
                     "organizations/6340101/categories/roads", "ถนน", 10),
      GrpcIsOk());
  C filed = FileGeneral("organizations/6340101/categories/roads");
  const std::string& code = filed.tracking_code();
  v1::TrackedComplaint tracked;
  EXPECT_THAT(Rate(code, 5, &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  MoveAlong(Caller::kOperator, filed.name(), {C::ACKNOWLEDGED, C::IN_PROGRESS});
  const C in_progress = Get(filed.name());
  EXPECT_THAT(Rate(code, 4, &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Reopen(code, "ยังไม่เสร็จ", &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Get(filed.name()), EqualsProto(in_progress));

  clock_.Advance(absl::Hours(2 * 24));
  MoveAlong(Caller::kOperator, filed.name(), {C::RESOLVED});
  for (int bad : {0, 6, -1}) {
    EXPECT_THAT(Rate(code, bad, &tracked), IsInvalidField("satisfaction"));
  }
  v1::RespondToResolutionRequest neither;
  neither.set_tracking_code(code);
  EXPECT_THAT(stub_->RespondToResolution(As(Caller::kAnonymous).get(), neither,
                                         &tracked),
              IsInvalidField("response"));
  EXPECT_THAT(Reopen(code, "", &tracked), IsInvalidField("reopen_reason"));
  EXPECT_EQ(Get(filed.name()).state(), C::RESOLVED);

  // Reopened: back in progress, counted, with a fresh SLA from now.
  clock_.Advance(absl::Hours(24));
  ASSERT_THAT(Reopen(code, "ไฟยังดับอยู่", &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.state(), C::IN_PROGRESS);
  EXPECT_EQ(tracked.reopen_count(), 1);
  EXPECT_EQ(api::FromProtoTime(tracked.due_time()),
            clock_.Now() + absl::Hours(10 * 24));
  C reopened = Get(filed.name());
  EXPECT_EQ(reopened.state(), C::IN_PROGRESS);
  EXPECT_EQ(reopened.reopen_count(), 1);
  EXPECT_EQ(api::FromProtoTime(reopened.due_time()),
            clock_.Now() + absl::Hours(10 * 24));
  EXPECT_FALSE(reopened.overdue());
  EXPECT_EQ(reopened.satisfaction(), 0);
  std::vector<v1::Reply> replies = Replies(filed.name());
  ASSERT_FALSE(replies.empty());
  EXPECT_EQ(replies.back().author(), v1::Reply::COMPLAINANT);
  EXPECT_EQ(replies.back().visibility(), v1::Reply::PUBLIC);
  EXPECT_THAT(replies.back().text(), HasSubstr("ไฟยังดับอยู่"));
  EXPECT_THAT(Reopen(code, "อีกครั้ง", &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));

  // Resolved again and rated 4: closed, and the rating is kept.
  MoveAlong(Caller::kOperator, filed.name(), {C::RESOLVED});
  ASSERT_THAT(Rate(code, 4, &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.state(), C::CLOSED);
  EXPECT_EQ(tracked.satisfaction(), 4);
  EXPECT_EQ(tracked.reopen_count(), 1);
  C closed = Get(filed.name());
  EXPECT_EQ(closed.state(), C::CLOSED);
  EXPECT_EQ(closed.satisfaction(), 4);
  EXPECT_EQ(closed.reopen_count(), 1);
  EXPECT_THAT(Rate(code, 5, &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Reopen(code, "ขอเปิดใหม่", &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(AddInformation(code, "ขอบคุณ", &tracked),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Get(filed.name()), EqualsProto(closed));
}

// ---------------------------------------------------------------- protection

TEST_P(ComplaintServiceTest,
       IdentitiesAreRevealedToIntegrityOfficersAndLogged) {
  C report = Minimal(C::CORRUPTION, C::LINE);
  report.mutable_complainant()->set_name("นายผู้แจ้ง กล้าหาญ");
  report.mutable_complainant()->set_contact("line: brave-reporter");
  report.mutable_accused()->set_name("นายผู้ถูกกล่าวหา ทุจริต");
  report.mutable_accused()->set_position("ผู้อำนวยการกองคลัง");
  C filed = File(Caller::kAnonymous, report);
  const std::string reason = "ตรวจสอบข้อเท็จจริงตามคำสั่งที่ ๑/๒๕๖๙";

  // Reasons are required and meaningful: at least 10 characters.
  v1::ProtectedIdentity identity;
  EXPECT_THAT(Reveal(Caller::kIntegrityOfficer, filed.name(), "", &identity),
              IsInvalidField("reason"));
  EXPECT_THAT(Reveal(Caller::kIntegrityOfficer, filed.name(), Repeat("ก", 9),
                     &identity),
              IsInvalidField("reason"));
  EXPECT_THAT(Reveal(Caller::kIntegrityOfficer, filed.name(), Repeat("ก", 501),
                     &identity),
              IsInvalidField("reason"));
  // Nobody else may read them.
  for (Caller caller : {Caller::kOperator, Caller::kSystem, Caller::kAuditor,
                        Caller::kOtherOperator}) {
    EXPECT_THAT(Reveal(caller, filed.name(), reason, &identity),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED))
        << CallerName(caller);
  }
  EXPECT_THAT(Reveal(Caller::kAnonymous, filed.name(), reason, &identity),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Reveal(Caller::kIntegrityOfficer,
                     "organizations/6340101/complaints/aaaaaaaaaaaaaaaa",
                     reason, &identity),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_FALSE(identity.has_complainant());
  EXPECT_THAT(Accesses(), IsEmpty());  // refused reads reveal nothing

  ASSERT_THAT(Reveal(Caller::kIntegrityOfficer, filed.name(), Repeat("ก", 10),
                     &identity),
              GrpcIsOk());
  const absl::Time first_read = clock_.Now();
  EXPECT_EQ(identity.complaint(), filed.name());
  EXPECT_EQ(identity.complainant().name(), "นายผู้แจ้ง กล้าหาญ");
  EXPECT_EQ(identity.complainant().contact(), "line: brave-reporter");
  EXPECT_EQ(identity.accused().name(), "นายผู้ถูกกล่าวหา ทุจริต");
  EXPECT_EQ(identity.accused().position(), "ผู้อำนวยการกองคลัง");

  clock_.Advance(absl::Hours(3));
  v1::ProtectedIdentity again;
  ASSERT_THAT(Reveal(Caller::kIntegrityOfficer, filed.name(), reason, &again),
              GrpcIsOk());
  EXPECT_THAT(again, EqualsProto(identity));

  // A complaint without identities reveals empty ones, and is logged too.
  // (The log lists by read time; reads in one microsecond may come in any
  // order.)
  clock_.Advance(absl::Minutes(1));
  C general = FileGeneral();
  v1::ProtectedIdentity none;
  ASSERT_THAT(Reveal(Caller::kIntegrityOfficer, general.name(), reason, &none),
              GrpcIsOk());
  EXPECT_THAT(none.complainant(), EqualsProto(v1::Person()));
  EXPECT_THAT(none.accused(), EqualsProto(v1::Person()));

  std::vector<v1::IdentityAccess> log = Accesses();
  ASSERT_THAT(log, SizeIs(3));
  EXPECT_EQ(log[0].complaint(), filed.name());
  EXPECT_EQ(log[0].reader(), "integrity-officer");
  EXPECT_EQ(log[0].reason(), Repeat("ก", 10));
  EXPECT_EQ(api::FromProtoTime(log[0].read_time()), first_read);
  EXPECT_EQ(log[1].complaint(), filed.name());
  EXPECT_EQ(log[1].reason(), reason);
  EXPECT_EQ(api::FromProtoTime(log[1].read_time()),
            first_read + absl::Hours(3));
  EXPECT_EQ(log[2].complaint(), general.name());
  EXPECT_THAT(Accesses(kOtherParent), IsEmpty());

  // Staff views stay redacted after the reads.
  C seen = Get(filed.name());
  EXPECT_FALSE(seen.has_complainant());
  EXPECT_FALSE(seen.has_accused());
  EXPECT_THAT(seen.SerializeAsString(), Not(HasSubstr("กล้าหาญ")));
}

// ---------------------------------------------------------------- statistics

// Six complaints received on 1 October 2025 (FY2569 Q1), counted by hand:
//   c1 GENERAL WEBSITE road (SLA 7): acknowledged day 1, resolved day 3,
//      reopened day 4, resolved day 5 (within SLA), rated 5.
//   c2 GENERAL PHONE road: acknowledged day 3, explained on day 8 (new due
//      day 12), resolved day 10 (late against its SLA of day 7), rated 2.
//   c3 GENERAL WALK_IN: rejected at once.
//   c4 CORRUPTION LINE: never touched, overdue from day 15.
//   c5 CORRUPTION WEBSITE light (SLA 15): referred at once.
//   c6 GENERAL FACEBOOK light: acknowledged day 8, explained on day 16 (new
//      due day 30).
// and c7 GENERAL EMAIL on day 100 (Q2).
void ComplaintServiceTest::CheckHandCountedStatistics(
    const std::string& parent) {
  const Caller staff = Caller::kSystem;
  const Caller officer = Caller::kIntegrityOfficer;
  const absl::Time t0 = clock_.Now();
  auto at_day = [&](int day) {
    const absl::Time then = t0 + absl::Hours(24 * day);
    ASSERT_GE(then, clock_.Now());
    clock_.Advance(then - clock_.Now());
  };
  const std::string road = absl::StrCat(parent, "/categories/road");
  const std::string light = absl::StrCat(parent, "/categories/light");
  ASSERT_THAT(UpsertCategory(staff, road, "ถนน", 7), GrpcIsOk());
  ASSERT_THAT(UpsertCategory(staff, light, "ไฟฟ้า", 0), GrpcIsOk());
  auto file = [&](C::Kind kind, C::Channel channel,
                  const std::string& category) {
    C complaint = Minimal(kind, channel);
    complaint.set_category(category);
    return File(Caller::kAnonymous, complaint, parent);
  };
  const C c1 = file(C::GENERAL, C::WEBSITE, road);
  const C c2 = file(C::GENERAL, C::PHONE, road);
  const C c3 = file(C::GENERAL, C::WALK_IN, "");
  const C c4 = file(C::CORRUPTION, C::LINE, "");
  const C c5 = file(C::CORRUPTION, C::WEBSITE, light);
  const C c6 = file(C::GENERAL, C::FACEBOOK, light);
  ASSERT_THAT(Move(staff, c3.name(), C::REJECTED), GrpcIsOk());
  ASSERT_THAT(Move(officer, c5.name(), C::REFERRED), GrpcIsOk());

  v1::ComplaintStatistics first = Statistics(parent, 1);
  EXPECT_EQ(first.received(), 6);
  EXPECT_EQ(first.ended_otherwise(), 2);
  EXPECT_EQ(first.in_progress(), 4);
  EXPECT_FALSE(first.has_mean_days_to_acknowledge());  // none acknowledged

  at_day(1);
  MoveAlong(staff, c1.name(), {C::ACKNOWLEDGED, C::IN_PROGRESS});
  // A write since the last read shows at once.
  EXPECT_DOUBLE_EQ(Statistics(parent, 1).mean_days_to_acknowledge(), 1.0);
  at_day(3);
  MoveAlong(staff, c1.name(), {C::RESOLVED});
  MoveAlong(staff, c2.name(), {C::ACKNOWLEDGED, C::IN_PROGRESS});
  at_day(4);
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Reopen(c1.tracking_code(), "ยังไม่เรียบร้อย", &tracked), GrpcIsOk());
  at_day(5);
  MoveAlong(staff, c1.name(), {C::RESOLVED});
  ASSERT_THAT(Rate(c1.tracking_code(), 5, &tracked), GrpcIsOk());
  at_day(8);
  ASSERT_THAT(AddReply(staff, c2.name(), v1::Reply::PUBLIC, "ขอขยายเวลา",
                       t0 + absl::Hours(24 * 12)),
              GrpcIsOk());
  MoveAlong(staff, c6.name(), {C::ACKNOWLEDGED});
  at_day(10);
  MoveAlong(staff, c2.name(), {C::RESOLVED});
  ASSERT_THAT(Rate(c2.tracking_code(), 2, &tracked), GrpcIsOk());
  at_day(16);
  ASSERT_THAT(AddReply(staff, c6.name(), v1::Reply::PUBLIC, "ขอขยายเวลา",
                       t0 + absl::Hours(24 * 30)),
              GrpcIsOk());
  at_day(20);
  if (HasFatalFailure()) return;

  // Q1 as of day 20.
  v1::ComplaintStatistics q1 = Statistics(parent, 1);
  EXPECT_EQ(q1.organization(), parent);
  EXPECT_EQ(q1.fiscal_year().be_year(), 2569);
  EXPECT_EQ(q1.quarter(), 1);
  EXPECT_EQ(q1.month(), 0);
  // Bangkok midnight of 1 October and of 1 January.
  EXPECT_EQ(api::FromProtoTime(q1.period_start()), Utc(2025, 9, 30, 17));
  EXPECT_EQ(api::FromProtoTime(q1.period_end()), Utc(2025, 12, 31, 17));
  EXPECT_EQ(q1.received(), 6);
  EXPECT_EQ(q1.completed(), 2);        // c1, c2
  EXPECT_EQ(q1.ended_otherwise(), 2);  // c3, c5
  EXPECT_EQ(q1.in_progress(), 2);      // c4, c6
  EXPECT_EQ(q1.overdue(), 1);          // c4; c6 was explained
  auto rows =
      [](const google::protobuf::RepeatedPtrField<v1::CountByKey>& breakdown) {
        std::vector<std::string> out;
        for (const v1::CountByKey& row : breakdown) {
          out.push_back(absl::StrCat(row.key(), " ", row.received(), "/",
                                     row.completed()));
        }
        return out;
      };
  EXPECT_THAT(rows(q1.by_kind()), ElementsAre("CORRUPTION 2/0", "GENERAL 4/2"));
  EXPECT_THAT(rows(q1.by_channel()),
              ElementsAre("FACEBOOK 1/0", "LINE 1/0", "PHONE 1/1",
                          "WALK_IN 1/0", "WEBSITE 2/1"));
  EXPECT_THAT(rows(q1.by_category()),
              ElementsAre("(none) 2/0", "ถนน 2/2", "ไฟฟ้า 2/0"));
  EXPECT_DOUBLE_EQ(q1.mean_days_to_acknowledge(), 4.0);  // (1 + 3 + 8) / 3
  EXPECT_DOUBLE_EQ(q1.median_days_to_acknowledge(), 3.0);
  EXPECT_DOUBLE_EQ(q1.mean_days_to_resolve(), 7.5);  // (5 + 10) / 2
  EXPECT_DOUBLE_EQ(q1.median_days_to_resolve(), 7.5);
  EXPECT_DOUBLE_EQ(q1.percent_resolved_within_sla(), 50.0);
  EXPECT_EQ(q1.ratings(), 2);
  EXPECT_DOUBLE_EQ(q1.percent_satisfied(), 50.0);
  EXPECT_EQ(q1.reopen_count(), 1);
  EXPECT_THAT(q1.notice(), IsEmpty());
  // Asked again without a write in between: the same answer.
  EXPECT_THAT(Statistics(parent, 1), EqualsProto(q1));

  // October alone holds them all; November nothing.
  v1::ComplaintStatistics october = Statistics(parent, 0, 10);
  EXPECT_EQ(october.received(), 6);
  EXPECT_EQ(october.month(), 10);
  EXPECT_EQ(api::FromProtoTime(october.period_end()), Utc(2025, 10, 31, 17));
  EXPECT_DOUBLE_EQ(october.percent_resolved_within_sla(), 50.0);
  EXPECT_EQ(Statistics(parent, 0, 11).received(), 0);

  // The public variant counts whole months that have ended only: none of
  // Q1 yet, so no figures at all (not zeros).
  v1::ComplaintStatistics published = Statistics(parent, 1, 0, true);
  EXPECT_EQ(published.suppression_threshold(), 5);
  EXPECT_FALSE(published.has_received());
  EXPECT_EQ(published.period_end().seconds(),
            published.period_start().seconds());
  EXPECT_THAT(published.by_kind(), IsEmpty());
  EXPECT_THAT(published.notice(), HasSubstr("no month of this period"));

  // Day 100, in Q2: one more complaint.
  at_day(100);
  if (HasFatalFailure()) return;
  const C c7 = file(C::GENERAL, C::EMAIL, "");
  v1::ComplaintStatistics year = Statistics(parent, 0);
  EXPECT_EQ(api::FromProtoTime(year.period_start()), Utc(2025, 9, 30, 17));
  EXPECT_EQ(api::FromProtoTime(year.period_end()), Utc(2026, 9, 30, 17));
  EXPECT_EQ(year.received(), 7);
  EXPECT_EQ(year.completed(), 2);
  EXPECT_EQ(year.ended_otherwise(), 2);
  EXPECT_EQ(year.in_progress(), 3);  // c4, c6, c7
  EXPECT_EQ(year.overdue(), 2);      // c4, and c6 past its new date
  EXPECT_THAT(rows(year.by_kind()),
              ElementsAre("CORRUPTION 2/0", "GENERAL 5/2"));
  EXPECT_THAT(rows(year.by_channel()),
              ElementsAre("EMAIL 1/0", "FACEBOOK 1/0", "LINE 1/0", "PHONE 1/1",
                          "WALK_IN 1/0", "WEBSITE 2/1"));
  EXPECT_THAT(rows(year.by_category()),
              ElementsAre("(none) 3/0", "ถนน 2/2", "ไฟฟ้า 2/0"));
  EXPECT_DOUBLE_EQ(year.mean_days_to_acknowledge(), 4.0);
  EXPECT_DOUBLE_EQ(year.median_days_to_resolve(), 7.5);
  EXPECT_DOUBLE_EQ(year.percent_resolved_within_sla(), 50.0);
  EXPECT_EQ(year.ratings(), 2);
  EXPECT_EQ(year.reopen_count(), 1);
  v1::ComplaintStatistics q2 = Statistics(parent, 2);
  EXPECT_EQ(q2.received(), 1);
  EXPECT_EQ(api::FromProtoTime(q2.period_start()), Utc(2025, 12, 31, 17));
  EXPECT_EQ(api::FromProtoTime(q2.period_end()), Utc(2026, 3, 31, 17));
  EXPECT_THAT(rows(q2.by_kind()), ElementsAre("GENERAL 1/0"));
  EXPECT_EQ(Statistics(parent, 0, 1).received(), 1);  // January 2026
  EXPECT_EQ(Statistics(parent, 4).received(), 0);

  // Public, on day 100 (January): October to December count, c7 of January
  // does not. Every row is under 5 or its complement (CORRUPTION 2 hides
  // GENERAL 4), so no breakdown row is shown; two ratings are too few to
  // show; the timing figures are.
  v1::ComplaintStatistics public_year = Statistics(parent, 0, 0, true);
  EXPECT_EQ(api::FromProtoTime(public_year.period_end()),
            Utc(2025, 12, 31, 17));
  EXPECT_EQ(public_year.received(), 6);
  EXPECT_EQ(public_year.completed(), 2);
  EXPECT_THAT(public_year.by_kind(), IsEmpty());
  EXPECT_THAT(public_year.by_channel(), IsEmpty());
  EXPECT_THAT(public_year.by_category(), IsEmpty());
  EXPECT_FALSE(public_year.has_ratings());
  EXPECT_FALSE(public_year.has_percent_satisfied());
  EXPECT_DOUBLE_EQ(public_year.mean_days_to_resolve(), 7.5);
  EXPECT_THAT(public_year.notice(), HasSubstr("figures under 5"));
  EXPECT_EQ(Statistics(parent, 1, 0, true).received(), 6);
  v1::ComplaintStatistics public_november = Statistics(parent, 0, 11, true);
  ASSERT_TRUE(public_november.has_received());
  EXPECT_EQ(public_november.received(), 0);
  EXPECT_THAT(public_november.notice(), HasSubstr("no complaints"));
  v1::ComplaintStatistics public_january = Statistics(parent, 0, 1, true);
  EXPECT_FALSE(public_january.has_received());
  EXPECT_THAT(public_january.notice(), HasSubstr("no month of this period"));
  EXPECT_FALSE(Statistics(parent, 3, 0, true).has_received());

  // A write after a read changes the answer.
  v1::ComplaintStatistics before = Statistics(parent, 1);
  EXPECT_EQ(before.in_progress(), 2);
  ASSERT_THAT(Move(staff, c6.name(), C::WITHDRAWN), GrpcIsOk());
  v1::ComplaintStatistics after = Statistics(parent, 1);
  EXPECT_EQ(after.ended_otherwise(), 3);
  EXPECT_EQ(after.in_progress(), 1);
  EXPECT_EQ(after.overdue(), 1);
  EXPECT_EQ(Statistics(parent, 1, 0, true).ended_otherwise(), 3);
  (void)c7;
}

TEST_P(ComplaintServiceTest, StatisticsMatchHandCounts) {
  CheckHandCountedStatistics(std::string(kParent));
}

TEST_P(ComplaintServiceTest, StatisticsCachedInRedisFollowWrites) {
  std::optional<std::string> redis_url = testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  Restart(testing::ComplaintOptionsForTest(), *redis_url);
  if (HasFatalFailure()) return;
  // Tests share one Redis: an organization of its own keeps this test's
  // cache entries apart.
  const std::string organization = absl::StrCat(
      "stats", getpid(), "x", absl::ToUnixMicros(absl::Now()) % 1000000000,
      GetParam() == Backend::kSqlite ? "s" : "p");
  const std::string parent = absl::StrCat("organizations/", organization);
  CheckHandCountedStatistics(parent);
  if (HasFatalFailure()) return;

  // The figures were cached, one entry per version read.
  absl::StatusOr<cache::RedisOptions> options =
      cache::ParseRedisUrl(*redis_url);
  ASSERT_TRUE(options.ok()) << options.status();
  cache::RedisClient redis(*options, nullptr);
  const std::string prefix = absl::StrCat("prongsai:complaint:v3:statistics/",
                                          organization, "/2569/1/0/");
  absl::StatusOr<cache::Reply> keys = redis.Command(
      std::vector<std::string>{"KEYS", absl::StrCat(prefix, "*")});
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_GE(keys->elements.size(), 3u);
  // Versions are random, not ordered: the entry of the current version is
  // the one holding what the last read answered, and only one does.
  const v1::ComplaintStatistics last = Statistics(parent, 1);
  EXPECT_EQ(last.ended_otherwise(), 3);
  int holding_last = 0;
  for (const cache::Reply& key : keys->elements) {
    // The key ends in the data version: the tokens of its stripes, joined
    // (api::ReplaceDataVersion).
    EXPECT_THAT(key.string.substr(prefix.size()),
                MatchesRegex("[a-z2-7]{16}(\\.[a-z2-7]{16})*"))
        << key.string;
    absl::StatusOr<std::optional<std::string>> bytes = redis.Get(key.string);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    ASSERT_TRUE(bytes->has_value());
    // (The cache's entries carry a header of their own before the value.)
    if (absl::EndsWith(**bytes, last.SerializeAsString())) ++holding_last;
  }
  EXPECT_EQ(holding_last, 1);
}

// Filing, moves and ratings are announced on the Redis stream, with the
// complaint's name and categorical fields only.
TEST_P(ComplaintServiceTest, EventsAnnounceFilingMovesAndRatings) {
  std::optional<std::string> redis_url = testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  Restart(testing::ComplaintOptionsForTest(), *redis_url);
  if (HasFatalFailure()) return;
  C filed = FileGeneral();
  MoveAlong(Caller::kOperator, filed.name(),
            {C::ACKNOWLEDGED, C::IN_PROGRESS, C::RESOLVED});
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Rate(filed.tracking_code(), 5, &tracked), GrpcIsOk());

  absl::StatusOr<cache::RedisOptions> options =
      cache::ParseRedisUrl(*redis_url);
  ASSERT_TRUE(options.ok()) << options.status();
  cache::RedisClient redis(*options, nullptr);
  // The newest events, newest first (other tests share the stream).
  absl::StatusOr<cache::Reply> events = redis.Command(std::vector<std::string>{
      "XREVRANGE", "prongsai:events", "+", "-", "COUNT", "10000"});
  ASSERT_TRUE(events.ok()) << events.status();
  std::vector<std::string> seen;  // "type state" of this complaint's events
  for (auto event_it = events->elements.rbegin();
       event_it != events->elements.rend(); ++event_it) {
    const cache::Reply& event = *event_it;
    ASSERT_THAT(event.elements, SizeIs(2));
    std::map<std::string, std::string> fields;
    const std::vector<cache::Reply>& pairs = event.elements[1].elements;
    for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
      fields[pairs[i].string] = pairs[i + 1].string;
    }
    if (fields["complaint"] != filed.name()) continue;
    EXPECT_EQ(fields["organization"], kOrganization);
    EXPECT_EQ(fields["kind"], "GENERAL");
    EXPECT_EQ(fields["channel"], "WEBSITE");
    for (const auto& [key, value] : fields) {
      EXPECT_THAT(key, ::testing::AnyOf("type", "organization", "complaint",
                                        "kind", "channel", "state"));
    }
    seen.push_back(absl::StrCat(fields["type"], " ", fields["state"]));
  }
  EXPECT_THAT(seen, ElementsAre("complaint.filed RECEIVED",
                                "complaint.state_changed ACKNOWLEDGED",
                                "complaint.state_changed IN_PROGRESS",
                                "complaint.state_changed RESOLVED",
                                "complaint.rated CLOSED"));
}

// Redis is a cache: with it unreachable, filing, moves, tracking, limits and
// statistics all still work.
TEST_P(ComplaintServiceTest, EverythingWorksWithRedisDown) {
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  options.public_filing_limit.tokens_per_second = 0.001;
  options.public_filing_limit.burst = 3;
  Restart(std::move(options), "redis://127.0.0.1:1");
  if (HasFatalFailure()) return;
  C filed = FileGeneral();
  C withdrawn = FileGeneral();
  FileGeneral();
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = Minimal(C::GENERAL);
  C refused;
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
  MoveAlong(Caller::kOperator, filed.name(),
            {C::ACKNOWLEDGED, C::IN_PROGRESS, C::RESOLVED});
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Rate(filed.tracking_code(), 4, &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.state(), C::CLOSED);
  v1::ComplaintStatistics statistics = Statistics(kParent, 1);
  EXPECT_EQ(statistics.received(), 3);
  EXPECT_EQ(statistics.completed(), 1);
  MoveAlong(Caller::kOperator, withdrawn.name(), {C::WITHDRAWN});
  EXPECT_EQ(Statistics(kParent, 1).ended_otherwise(), 1);
}

TEST_P(ComplaintServiceTest, StatisticsRequestsAreValidated) {
  v1::ComplaintStatistics statistics;
  EXPECT_THAT(StatisticsCall(kParent, 5, 0, false, &statistics),
              IsInvalidField("quarter"));
  EXPECT_THAT(StatisticsCall(kParent, -1, 0, true, &statistics),
              IsInvalidField("quarter"));
  EXPECT_THAT(StatisticsCall(kParent, 0, 13, false, &statistics),
              IsInvalidField("month"));
  EXPECT_THAT(StatisticsCall(kParent, 1, 10, true, &statistics),
              IsInvalidField("month"));
  EXPECT_THAT(StatisticsCall(kParent, 1, 0, false, &statistics, 0),
              IsInvalidField("fiscal_year.be_year"));
  EXPECT_THAT(StatisticsCall(kParent, 1, 0, false, &statistics, 2025),
              IsInvalidField("fiscal_year.be_year"));
  EXPECT_THAT(StatisticsCall("organizations/x y", 1, 0, true, &statistics),
              IsInvalidField("parent"));
  // An organization with nothing filed has zeros, and the public says so
  // once a month has ended.
  clock_.Advance(absl::Hours(31 * 24));
  ASSERT_THAT(StatisticsCall(kOtherParent, 0, 0, true, &statistics),
              GrpcIsOk());
  ASSERT_TRUE(statistics.has_received());
  EXPECT_EQ(statistics.received(), 0);
  EXPECT_THAT(statistics.notice(), HasSubstr("no complaints"));
}

// Issue 17 item 4: every anonymous caller was the same caller, so the same
// request id and content within 24 hours returned the first filer's
// tracking code to anyone. The replay now needs the secret only the filer's
// client holds, and a guessed id tells a stranger nothing.
TEST_P(ComplaintServiceTest, Issue17Item4_AnonymousReplayNeedsTheFilersSecret) {
  C report = Minimal(C::CORRUPTION);
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = report;
  request.set_request_id("form-2f9e");
  request.set_replay_secret("9b1c4e7a2d5f8036a1b2");
  C first;
  ASSERT_THAT(Create(Caller::kAnonymous, request, &first), GrpcIsOk());
  ASSERT_FALSE(first.tracking_code().empty());

  // Without the secret: refused up front, before any lookup.
  v1::CreateComplaintRequest no_secret = request;
  no_secret.clear_replay_secret();
  C answer;
  EXPECT_THAT(Create(Caller::kAnonymous, no_secret, &answer),
              IsInvalidField("replay_secret"));
  // With another secret: just another filing, never the first one's code.
  v1::CreateComplaintRequest guess = request;
  guess.set_replay_secret("00000000000000000000");
  ASSERT_THAT(Create(Caller::kAnonymous, guess, &answer), GrpcIsOk());
  EXPECT_NE(answer.name(), first.name());
  EXPECT_NE(answer.tracking_code(), first.tracking_code());
  // The same with other content: no "already used" that confirms the id.
  guess.mutable_complaint()->set_subject("เรื่องอื่น");
  guess.set_replay_secret("11111111111111111111");
  C other;
  ASSERT_THAT(Create(Caller::kAnonymous, guess, &other), GrpcIsOk());
  EXPECT_NE(other.name(), first.name());
  // A key holder reusing the id is another caller too.
  C by_operator;
  ASSERT_THAT(Create(Caller::kOperator, no_secret, &by_operator), GrpcIsOk());
  EXPECT_NE(by_operator.name(), first.name());
  EXPECT_NE(by_operator.tracking_code(), first.tracking_code());
  // Secrets are bounded like ids.
  v1::CreateComplaintRequest short_secret = request;
  short_secret.set_replay_secret("short");
  EXPECT_THAT(Create(Caller::kAnonymous, short_secret, &answer),
              IsInvalidField("replay_secret"));

  // The filer's own retry gets its complaint and code back.
  C retry;
  ASSERT_THAT(Create(Caller::kAnonymous, request, &retry), GrpcIsOk());
  EXPECT_EQ(retry.name(), first.name());
  EXPECT_EQ(retry.tracking_code(), first.tracking_code());
  EXPECT_THAT(ListAll(), SizeIs(4));
}

// Issue 17 item 5: an OPERATOR (who may be the accused official) read
// corruption reports, and through the replies the integrity officer's
// notes and the reporter's own added text. Reads are now for
// INTEGRITY_OFFICER, SYSTEM and AUDITOR; lists show others none of them.
TEST_P(ComplaintServiceTest,
       Issue17Item5_CorruptionReportsAreHiddenFromOperators) {
  C general = FileGeneral();
  C report = File(Caller::kAnonymous, Minimal(C::CORRUPTION));
  ASSERT_THAT(AddReply(Caller::kIntegrityOfficer, report.name(),
                       v1::Reply::INTERNAL, "พยานคือนางสาวบี"),
              GrpcIsOk());
  v1::TrackedComplaint tracked;
  ASSERT_THAT(
      AddInformation(report.tracking_code(), "ผมชื่อสมชาย 0812345678", &tracked),
      GrpcIsOk());

  auto list = [&](Caller caller, C::Kind kind) {
    v1::ListComplaintsRequest request;
    request.set_parent(std::string(kParent));
    request.set_kind(kind);
    v1::ListComplaintsResponse response;
    EXPECT_THAT(stub_->ListComplaints(As(caller).get(), request, &response),
                GrpcIsOk());
    std::vector<std::string> names;
    for (const C& complaint : response.complaints()) {
      names.push_back(complaint.name());
    }
    return names;
  };
  auto replies = [&](Caller caller, v1::ListRepliesResponse* response) {
    v1::ListRepliesRequest request;
    request.set_parent(report.name());
    return stub_->ListReplies(As(caller).get(), request, response);
  };

  for (Caller caller : {Caller::kOperator}) {
    SCOPED_TRACE(testing::CallerName(caller));
    C seen;
    const grpc::Status get = GetAs(caller, report.name(), &seen);
    EXPECT_THAT(get, GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(get.error_message(), Not(HasSubstr(report.subject())));
    EXPECT_THAT(seen.subject(), IsEmpty());
    v1::ListRepliesResponse response;
    EXPECT_THAT(replies(caller, &response),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(response.replies(), IsEmpty());
    EXPECT_THAT(list(caller, C::KIND_UNSPECIFIED), ElementsAre(general.name()));
    EXPECT_THAT(list(caller, C::CORRUPTION), IsEmpty());
    // General complaints stay theirs to read.
    EXPECT_THAT(GetAs(caller, general.name(), &seen), GrpcIsOk());
  }
  for (Caller caller :
       {Caller::kIntegrityOfficer, Caller::kAuditor, Caller::kSystem}) {
    SCOPED_TRACE(testing::CallerName(caller));
    C seen;
    EXPECT_THAT(GetAs(caller, report.name(), &seen), GrpcIsOk());
    EXPECT_EQ(seen.subject(), report.subject());
    v1::ListRepliesResponse response;
    EXPECT_THAT(replies(caller, &response), GrpcIsOk());
    EXPECT_THAT(response.replies(), SizeIs(2));
    EXPECT_THAT(list(caller, C::KIND_UNSPECIFIED), SizeIs(2));
  }
}

// Issue 17 item 7: limits keyed on the TCP peer only, so behind a proxy
// every citizen shared one bucket, IPv6 got one per /128, and key holders
// skipped the limits. The client now comes from a trusted proxy's header,
// IPv6 counts per /64, and keys other than SYSTEM have buckets of their own.
TEST_P(ComplaintServiceTest, Issue17Item7_LimitsFollowTheRealClient) {
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  // Without Redis the buckets are this server's own, fresh for this test.
  options.public_filing_limit = PublicLimit(0.001, 3, "filing");
  options.staff_filing_limit = PublicLimit(0.001, 4, "staff-filing");
  std::unique_ptr<testing::TestService> proxied;
  testing::TestService::Start(ComplaintServiceDefinition(options),
                              {.backend = GetParam(),
                               .redis_url = "",
                               .clock = clock_.AsClock(),
                               .trusted_proxies = "127.0.0.0/8, ::1",
                               .session_verify_keys_path = ""},
                              &proxied);
  if (proxied == nullptr) GTEST_SKIP();
  auto stub = v1::ComplaintService::NewStub(proxied->channel());
  auto file = [&](Caller caller,
                  std::optional<absl::string_view> forwarded_for) {
    std::unique_ptr<grpc::ClientContext> context = proxied->Context(caller);
    if (forwarded_for.has_value()) {
      context->AddMetadata("x-forwarded-for", std::string(*forwarded_for));
    }
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_complaint() = Minimal(C::GENERAL);
    C filed;
    return stub->CreateComplaint(context.get(), request, &filed).error_code();
  };
  constexpr auto kOk = grpc::StatusCode::OK;
  constexpr auto kLimited = grpc::StatusCode::RESOURCE_EXHAUSTED;

  // Two citizens behind the proxy: each has a burst of 3. What a client
  // wrote to the left of the proxy's own entry does not buy a new bucket.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(file(Caller::kAnonymous,
                   absl::StrCat("198.51.100.", i) + ", 203.0.113.7"),
              kOk);
  }
  EXPECT_EQ(file(Caller::kAnonymous, "203.0.113.7"), kLimited);
  EXPECT_EQ(file(Caller::kAnonymous, "203.0.113.8"), kOk);
  // One IPv6 /64 is one subscriber, whatever its interface half.
  for (absl::string_view address :
       {"2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:aaaa::1"}) {
    EXPECT_EQ(file(Caller::kAnonymous, address), kOk);
  }
  EXPECT_EQ(file(Caller::kAnonymous, "2001:db8:5:6:ffff::9"), kLimited);
  EXPECT_EQ(file(Caller::kAnonymous, "2001:db8:5:7::1"), kOk);
  // A header the proxy did not write cannot be told from one it did; an
  // unreadable one leaves the proxy as the client (here the loopback peer,
  // which has not filed yet).
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(file(Caller::kAnonymous, "not an address"), kOk);
  }
  EXPECT_EQ(file(Caller::kAnonymous, std::nullopt), kLimited);

  // Key holders: an auditor and another organization's operator file like
  // one citizen each; the organization's own operator has the staff budget;
  // SYSTEM is a trusted system and not limited.
  for (Caller caller : {Caller::kAuditor, Caller::kOtherOperator}) {
    for (int i = 0; i < 3; ++i) EXPECT_EQ(file(caller, std::nullopt), kOk);
    EXPECT_EQ(file(caller, "192.0.2.1"), kLimited);
  }
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(file(Caller::kOperator, std::nullopt), kOk);
  }
  EXPECT_EQ(file(Caller::kOperator, std::nullopt), kLimited);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(file(Caller::kSystem, std::nullopt), kOk);
  }
}

// Issue 17 item 8: a million `states` gave INTERNAL "too many SQL
// variables" and 50 MB per call. Duplicates collapse; more entries than
// there are states is INVALID_ARGUMENT.
TEST_P(ComplaintServiceTest, Issue17Item8_StatesFilterIsBounded) {
  C filed = FileGeneral();
  v1::ListComplaintsRequest request;
  request.set_parent(std::string(kParent));
  for (int i = 0; i < 1'000'000; ++i) request.add_states(C::RECEIVED);
  v1::ListComplaintsResponse response;
  EXPECT_THAT(
      stub_->ListComplaints(As(Caller::kSystem).get(), request, &response),
      IsInvalidField("states"));
  request.clear_states();
  request.add_states(C::RECEIVED);
  request.add_states(C::RECEIVED);
  request.add_states(C::CLOSED);
  EXPECT_THAT(ListNames(request), ElementsAre(filed.name()));
  request.add_states(static_cast<C::State>(99));
  EXPECT_THAT(
      stub_->ListComplaints(As(Caller::kSystem).get(), request, &response),
      IsInvalidField("states[3]"));
}

// Issue 17 item 13: a NUL byte in a text field was a storage error without
// a field path, and the reason for reading a protected identity accepted
// ten spaces or zero-width characters.
TEST_P(ComplaintServiceTest, Issue17Item13_NulBytesAndBlankReasonsAreRefused) {
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = Minimal(C::GENERAL);
  request.mutable_complaint()->set_requested_action(std::string("ซ่อม\0ไฟ", 13));
  C refused;
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              IsInvalidField("complaint.requested_action"));
  *request.mutable_complaint() = Minimal(C::GENERAL);
  v1::Attachment* attachment = request.mutable_complaint()->add_attachments();
  attachment->set_file_name(std::string("a\0.jpg", 6));
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              IsInvalidField("complaint.attachments[0].file_name"));
  EXPECT_THAT(ListAll(), IsEmpty());

  C report = File(Caller::kAnonymous, [] {
    C complaint = Minimal(C::CORRUPTION);
    complaint.mutable_complainant()->set_name("นายสมชาย");
    return complaint;
  }());
  for (std::string reason :
       {std::string(10, ' '),
        std::string("\u200b\u200b\u200b\u200b\u200b"
                    "\u200b\u200b\u200b\u200b\u200b"),
        std::string("\u00a0\u3000\ufeff\u200d\u2060 \t\n abc")}) {
    v1::GetProtectedIdentityRequest read;
    read.set_name(report.name());
    read.set_reason(reason);
    v1::ProtectedIdentity identity;
    EXPECT_THAT(stub_->GetProtectedIdentity(As(Caller::kIntegrityOfficer).get(),
                                            read, &identity),
                IsInvalidField("reason"));
    EXPECT_FALSE(identity.has_complainant());
  }
}

// Issue 17 item 14: every complaint kept its tracking code sealed for ever,
// so the database and the key file together revealed every code. It is now
// erased once the replay window is over, by the service's housekeeping,
// whether or not anyone files again.
TEST_P(ComplaintServiceTest, Issue17Item14_TrackingCodesAreErasedAfterReplay) {
  auto sealed_codes = [&] {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    EXPECT_TRUE(db.ok()) << db.status();
    absl::StatusOr<storage::Result> rows = (*db)->Execute(
        "SELECT COUNT(*) FROM complaints WHERE tracking_sealed <> ''");
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows->rows[0].GetInt(0);
  };
  C first = File(Caller::kAnonymous, Minimal(C::GENERAL), kParent, "f-1");
  clock_.Advance(absl::Hours(20));
  C second = File(Caller::kAnonymous, Minimal(C::GENERAL), kParent, "f-2");
  ASSERT_TRUE(service().host().CheckHealthNow());
  EXPECT_EQ(sealed_codes(), 2);  // both still inside their window

  clock_.Advance(absl::Hours(5));  // the first is 25 h old
  ASSERT_TRUE(service().host().CheckHealthNow());
  EXPECT_EQ(sealed_codes(), 1);
  // Its replay now gives the complaint without a code; the code still works.
  C replay = File(Caller::kAnonymous, Minimal(C::GENERAL), kParent, "f-1");
  EXPECT_EQ(replay.name(), first.name());
  EXPECT_THAT(replay.tracking_code(), IsEmpty());
  v1::TrackedComplaint tracked;
  EXPECT_THAT(Track(first.tracking_code(), &tracked), GrpcIsOk());
  C second_replay =
      File(Caller::kAnonymous, Minimal(C::GENERAL), kParent, "f-2");
  EXPECT_EQ(second_replay.tracking_code(), second.tracking_code());

  // What the database held for the second code before it is erased.
  std::string sealed;
  {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    ASSERT_TRUE(db.ok()) << db.status();
    absl::StatusOr<storage::Result> rows = (*db)->Execute(
        "SELECT tracking_sealed FROM complaints WHERE tracking_sealed <> ''");
    ASSERT_TRUE(rows.ok()) << rows.status();
    ASSERT_THAT(rows->rows, SizeIs(1));
    sealed = rows->rows[0].GetText(0);
  }
  ASSERT_THAT(sealed, Not(IsEmpty()));
  clock_.Advance(absl::Hours(20));  // the second is 25 h old
  ASSERT_TRUE(service().host().CheckHealthNow());
  EXPECT_EQ(sealed_codes(), 0);
  // Not in the files either (free pages zeroed, the WAL emptied).
  if (GetParam() == testing::Backend::kSqlite) {
    absl::string_view url = service().db_url();
    ASSERT_TRUE(absl::ConsumePrefix(&url, "sqlite://"));
    const std::string path(url);
    std::string bytes;
    for (const std::string& file : {path, path + "-wal"}) {
      std::ifstream in(file, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), {});
    }
    ASSERT_GT(bytes.size(), 4096u);
    EXPECT_FALSE(absl::StrContains(bytes, sealed))
        << "the erased tracking code is still in the database files";
  }
}

// --- Issue 17 -----------------------------------------------------------

// The keys of a breakdown, for what a reader can see.
std::vector<std::string> KeysOf(
    const google::protobuf::RepeatedPtrField<v1::CountByKey>& rows) {
  std::vector<std::string> keys;
  for (const v1::CountByKey& row : rows) keys.push_back(row.key());
  return keys;
}

// The example of the issue: 7 received, GENERAL 5 shown used to give
// CORRUPTION 2 by subtraction; a total of 3 was published as it was.
TEST_P(ComplaintServiceTest, Issue17Item3_HiddenCellCannotBeDerived) {
  for (int i = 0; i < 5; ++i) {
    File(Caller::kAnonymous,
         Minimal(C::GENERAL, i < 3 ? C::WEBSITE : C::PHONE));
  }
  File(Caller::kAnonymous, Minimal(C::CORRUPTION, C::WEBSITE));
  File(Caller::kAnonymous, Minimal(C::CORRUPTION, C::LINE));
  for (int i = 0; i < 3; ++i) FileGeneral("", kOtherParent);
  clock_.Advance(absl::Hours(31 * 24));  // October has ended
  if (HasFatalFailure()) return;

  const v1::ComplaintStatistics full = Statistics(kParent, 0, 10);
  ASSERT_EQ(full.received(), 7);
  ASSERT_THAT(KeysOf(full.by_kind()), ElementsAre("CORRUPTION", "GENERAL"));
  const v1::ComplaintStatistics published = Statistics(kParent, 0, 10, true);
  EXPECT_EQ(published.received(), 7);
  for (auto [shown, all] :
       {std::pair{&published.by_kind(), &full.by_kind()},
        std::pair{&published.by_channel(), &full.by_channel()}}) {
    int64_t shown_sum = 0;
    for (const v1::CountByKey& row : *shown) {
      EXPECT_GE(row.received(), 5) << row.key();
      shown_sum += row.received();
    }
    // What the total minus the shown rows leaves is not one row's count.
    const int hidden_rows = all->size() - shown->size();
    if (hidden_rows > 0) {
      EXPECT_GE(hidden_rows, 2);
      EXPECT_GE(published.received() - shown_sum, 5);
    }
  }
  // Neither kind is shown: either would give the other.
  EXPECT_THAT(KeysOf(published.by_kind()), IsEmpty());
  // WEBSITE 4, PHONE 2, LINE 1: every channel is under 5.
  EXPECT_THAT(KeysOf(published.by_channel()), IsEmpty());
  EXPECT_THAT(published.notice(), HasSubstr("figures under 5"));

  // A total under the threshold is not published, nor anything of it.
  const v1::ComplaintStatistics small = Statistics(kOtherParent, 0, 10, true);
  EXPECT_FALSE(small.has_received());
  EXPECT_NE(small.received(), 3);
  EXPECT_FALSE(small.has_completed());
  EXPECT_FALSE(small.has_in_progress());
  EXPECT_THAT(small.by_kind(), IsEmpty());
  EXPECT_THAT(small.by_channel(), IsEmpty());
  EXPECT_THAT(small.notice(), HasSubstr("figures under 5"));
}

// "The total moves the minute a corruption report is filed": public figures
// count whole months that have ended, so a new report shows only with the
// month it arrived in, among that month's others.
TEST_P(ComplaintServiceTest, Issue17Item3_FilingDoesNotMovePublicFigures) {
  for (int i = 0; i < 6; ++i) FileGeneral();
  for (int i = 0; i < 5; ++i) {
    File(Caller::kAnonymous, Minimal(C::CORRUPTION, C::LINE));
  }
  clock_.Advance(absl::Hours(31 * 24));  // 1 November 2025
  if (HasFatalFailure()) return;
  const v1::ComplaintStatistics before = Statistics(kParent, 0, 0, true);
  ASSERT_EQ(before.received(), 11);
  EXPECT_EQ(api::FromProtoTime(before.period_end()), Utc(2025, 10, 31, 17));
  EXPECT_THAT(KeysOf(before.by_kind()), ElementsAre("CORRUPTION", "GENERAL"));

  File(Caller::kAnonymous, Minimal(C::CORRUPTION, C::LINE));
  if (HasFatalFailure()) return;
  EXPECT_EQ(Statistics(kParent, 0, 0).received(), 12);  // staff see it
  EXPECT_THAT(Statistics(kParent, 0, 0, true), EqualsProto(before));
  EXPECT_EQ(Statistics(kParent, 1, 0, true).received(), 11);
  EXPECT_FALSE(Statistics(kParent, 0, 11, true).has_received());

  // Once November has ended, it is one of November's figures. November
  // alone is one report: nothing of it is shown, nor the year's total now
  // (12 after 11 would tell that November had one).
  clock_.Advance(absl::Hours(30 * 24));
  const v1::ComplaintStatistics after = Statistics(kParent, 0, 0, true);
  EXPECT_FALSE(after.has_received());
  EXPECT_EQ(api::FromProtoTime(after.period_end()), Utc(2025, 11, 30, 17));
  EXPECT_FALSE(Statistics(kParent, 0, 11, true).has_received());
  EXPECT_EQ(Statistics(kParent, 0, 10, true).received(), 11);
}

// Means, medians and shares with nothing to compute them from are absent,
// not 0.0; a real 0 (acknowledged the instant it arrived) is present.
TEST_P(ComplaintServiceTest, Issue17Item18_AbsentFiguresAreAbsentNotZero) {
  const C filed = FileGeneral();
  if (HasFatalFailure()) return;
  v1::ComplaintStatistics statistics = Statistics(kParent, 1);
  ASSERT_TRUE(statistics.has_received());
  EXPECT_EQ(statistics.received(), 1);
  ASSERT_TRUE(statistics.has_completed());
  EXPECT_EQ(statistics.completed(), 0);
  EXPECT_FALSE(statistics.has_mean_days_to_acknowledge());
  EXPECT_FALSE(statistics.has_median_days_to_acknowledge());
  EXPECT_FALSE(statistics.has_mean_days_to_resolve());
  EXPECT_FALSE(statistics.has_median_days_to_resolve());
  EXPECT_FALSE(statistics.has_percent_resolved_within_sla());
  EXPECT_FALSE(statistics.has_percent_satisfied());
  ASSERT_TRUE(statistics.has_ratings());
  EXPECT_EQ(statistics.ratings(), 0);

  MoveAlong(Caller::kOperator, filed.name(), {C::ACKNOWLEDGED});
  statistics = Statistics(kParent, 1);
  ASSERT_TRUE(statistics.has_mean_days_to_acknowledge());
  EXPECT_EQ(statistics.mean_days_to_acknowledge(), 0);
  EXPECT_FALSE(statistics.has_mean_days_to_resolve());
  MoveAlong(Caller::kOperator, filed.name(), {C::IN_PROGRESS, C::RESOLVED});
  statistics = Statistics(kParent, 1);
  ASSERT_TRUE(statistics.has_percent_resolved_within_sla());
  EXPECT_EQ(statistics.percent_resolved_within_sla(), 100);
  EXPECT_FALSE(statistics.has_percent_satisfied());  // not rated yet
}

// The plan service as the organization registry: its binary, run as a
// child process on `backend`, so that this test links the complaint service
// alone.
void StartPlan(Backend backend, std::unique_ptr<testing::PeerProcess>* out) {
  testing::PeerProcess::Start(
      {.binary = PRONGSAI_PLAN_BINARY,
       .service = plan::v1::PlanService::service_full_name(),
       .backend = backend,
       .args = {},
       .extra_key_lines = {}},
      out);
}

// Issue 17 item 15: anonymous filing was accepted for organizations that
// are not registered, and the caller's own organization name and province
// were stored and shown back. The organization now comes from the plan
// service's registry; an unknown one is NOT_FOUND and stores nothing.
TEST_P(ComplaintServiceTest, Issue17Item15_TheOrganizationIsTheRegistrys) {
  std::unique_ptr<testing::PeerProcess> plan;
  StartPlan(GetParam(), &plan);
  if (plan == nullptr) GTEST_SKIP();
  auto plan_stub = plan::v1::PlanService::NewStub(plan->channel());
  plan::v1::CreateOrganizationRequest registration;
  common::v1::OrganizationRef& registered =
      *registration.mutable_organization()->mutable_organization();
  registered.set_code("6340101");
  registered.set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  registered.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  registered.set_province("มหาสารคาม");
  registered.set_district("โกสุมพิสัย");
  plan::v1::Organization created;
  ASSERT_THAT(plan_stub->CreateOrganization(plan->SystemContext().get(),
                                            registration, &created),
              GrpcIsOk());

  ComplaintOptions options = testing::ComplaintOptionsForTest();
  options.plan = client::PeerOptions::Of("plan service", plan->address(),
                                         plan->system_key());
  Restart(std::move(options));

  // The caller's own description of the organization is not what is kept.
  C complaint = Minimal(C::GENERAL);
  complaint.mutable_organization()->set_name("เทศบาลปลอม");
  complaint.mutable_organization()->set_province("กรุงเทพมหานคร");
  C filed = File(Caller::kAnonymous, complaint);
  EXPECT_THAT(filed.organization(), EqualsProto(registered));
  EXPECT_THAT(Get(filed.name()).organization(), EqualsProto(registered));
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Track(filed.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.organization().name(), registered.name());

  // An organization nobody registered: NOT_FOUND, nothing stored.
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kOtherParent));
  *request.mutable_complaint() = Minimal(C::GENERAL);
  C refused;
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(refused.tracking_code(), IsEmpty());

  // With the registry gone, a known organization still takes complaints
  // (remembered), an unknown one is UNAVAILABLE rather than accepted.
  plan.reset();
  File(Caller::kAnonymous, Minimal(C::GENERAL));
  EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_THAT(ListAll(), SizeIs(2));
}

// Issue 17 item 3, across periods: each period was protected on its own, so
// a year minus its shown months, a quarter minus its months, year-to-date
// asked before and after a month ended, or a total minus the other kinds
// gave a month's hidden figures. A quarter or year now shows only what each
// of its months shows.
TEST_P(ComplaintServiceTest, Issue17Item3_NoHiddenCellFollowsAcrossPeriods) {
  auto file = [&](int count, C::Kind kind, C::Channel channel) {
    for (int i = 0; i < count; ++i) {
      File(Caller::kAnonymous, Minimal(kind, channel));
    }
  };
  // October: CORRUPTION 2 (hidden, and GENERAL 6 with it as its complement).
  file(6, C::GENERAL, C::WEBSITE);
  file(2, C::CORRUPTION, C::LINE);
  clock_.Advance(absl::Hours(31 * 24));  // 1 November
  // November: both kinds shown.
  file(6, C::GENERAL, C::WEBSITE);
  file(5, C::CORRUPTION, C::LINE);
  clock_.Advance(absl::Hours(30 * 24));  // 1 December
  if (HasFatalFailure()) return;

  // Every row a longer period shows is shown by each of `months` that has
  // any of it, so it is the sum of what they show: subtracting them leaves
  // nothing hidden. A shown total needs every month's total shown.
  auto expect_only_what_months_show = [&](const v1::ComplaintStatistics& longer,
                                          const std::vector<int>& months) {
    for (int month : months) {
      SCOPED_TRACE(absl::StrCat("month ", month));
      const v1::ComplaintStatistics shown = Statistics(kParent, 0, month, true);
      const v1::ComplaintStatistics full = Statistics(kParent, 0, month);
      if (longer.has_received()) {
        EXPECT_TRUE(shown.has_received());
      }
      for (auto [longer_rows, shown_rows, full_rows] :
           {std::tuple{&longer.by_kind(), &shown.by_kind(), &full.by_kind()},
            std::tuple{&longer.by_channel(), &shown.by_channel(),
                       &full.by_channel()}}) {
        for (const v1::CountByKey& row : *longer_rows) {
          if (::testing::Value(KeysOf(*full_rows),
                               ::testing::Contains(row.key()))) {
            EXPECT_THAT(KeysOf(*shown_rows), ::testing::Contains(row.key()));
          }
        }
      }
    }
  };

  const v1::ComplaintStatistics october = Statistics(kParent, 0, 10, true);
  EXPECT_EQ(october.received(), 8);
  EXPECT_THAT(KeysOf(october.by_kind()), IsEmpty());
  EXPECT_THAT(KeysOf(october.by_channel()), IsEmpty());
  const v1::ComplaintStatistics november = Statistics(kParent, 0, 11, true);
  EXPECT_THAT(KeysOf(november.by_kind()), ElementsAre("CORRUPTION", "GENERAL"));
  EXPECT_THAT(KeysOf(november.by_channel()), ElementsAre("LINE", "WEBSITE"));
  // The year (to November) and the quarter: CORRUPTION 7 minus November's 5,
  // or 19 minus GENERAL 12 minus November's 5, would be October's hidden 2.
  const v1::ComplaintStatistics year_to_november =
      Statistics(kParent, 0, 0, true);
  const v1::ComplaintStatistics quarter_to_november =
      Statistics(kParent, 1, 0, true);
  for (const v1::ComplaintStatistics* longer :
       {&year_to_november, &quarter_to_november}) {
    EXPECT_EQ(longer->received(), 19);  // both months show their totals
    EXPECT_THAT(KeysOf(longer->by_kind()), IsEmpty());
    EXPECT_THAT(KeysOf(longer->by_channel()), IsEmpty());
    EXPECT_THAT(longer->notice(), HasSubstr("each of its months shows"));
    expect_only_what_months_show(*longer, {10, 11});
  }

  // December: three reports, too few to show. Once December has ended, the
  // year (and the quarter) would be 22, and 22 minus the 19 of the year
  // asked in December (or minus October and November) is December's 3.
  file(3, C::CORRUPTION, C::LINE);
  clock_.Advance(absl::Hours(31 * 24));  // 1 January 2026
  if (HasFatalFailure()) return;
  EXPECT_EQ(Statistics(kParent, 0, 0).received(), 22);  // staff see them
  EXPECT_FALSE(Statistics(kParent, 0, 12, true).has_received());
  for (int quarter : {0, 1}) {
    SCOPED_TRACE(absl::StrCat("quarter ", quarter));
    const v1::ComplaintStatistics longer =
        Statistics(kParent, quarter, 0, true);
    EXPECT_EQ(api::FromProtoTime(longer.period_end()), Utc(2025, 12, 31, 17));
    EXPECT_FALSE(longer.has_received());
    EXPECT_FALSE(longer.has_completed());
    EXPECT_FALSE(longer.has_in_progress());
    EXPECT_FALSE(longer.has_overdue());
    EXPECT_FALSE(longer.has_ratings());
    // Nor a row: with December's total hidden, GENERAL 12 would tell that
    // all of December's were corruption reports.
    EXPECT_THAT(longer.by_kind(), IsEmpty());
    EXPECT_THAT(longer.by_channel(), IsEmpty());
    EXPECT_THAT(longer.by_category(), IsEmpty());
    expect_only_what_months_show(longer, {10, 11, 12});
  }
  // Months stay as they were.
  EXPECT_THAT(Statistics(kParent, 0, 11, true), EqualsProto(november));
}

// Issue 17 item 5: GetComplaintStatistics gave an OPERATOR live corruption
// figures (by kind, and in every other breakdown). Callers who may not read
// corruption reports get figures of general complaints only, told so, and
// cached apart from the full figures.
TEST_P(ComplaintServiceTest, Issue17Item5_StatisticsLeaveCorruptionOut) {
  std::optional<std::string> redis_url = testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  Restart(testing::ComplaintOptionsForTest(), *redis_url);
  if (HasFatalFailure()) return;
  const std::string road = absl::StrCat(kParent, "/categories/road");
  ASSERT_THAT(UpsertCategory(Caller::kSystem, road, "ถนน", 7), GrpcIsOk());
  for (int i = 0; i < 3; ++i) FileGeneral();
  C report = Minimal(C::CORRUPTION, C::LINE);
  report.set_category(road);
  File(Caller::kAnonymous, report);
  File(Caller::kAnonymous, Minimal(C::CORRUPTION, C::WEBSITE));
  if (HasFatalFailure()) return;

  auto statistics = [&](Caller caller, bool general_only) {
    v1::GetComplaintStatisticsRequest request;
    request.set_parent(std::string(kParent));
    request.mutable_fiscal_year()->set_be_year(2569);
    request.set_general_only(general_only);
    v1::ComplaintStatistics out;
    EXPECT_THAT(stub_->GetComplaintStatistics(As(caller).get(), request, &out),
                GrpcIsOk());
    return out;
  };
  auto expect_general_only = [&](const v1::ComplaintStatistics& figures) {
    EXPECT_TRUE(figures.general_only());
    EXPECT_THAT(figures.notice(), HasSubstr("corruption reports are not"));
    EXPECT_EQ(figures.received(), 3);
    EXPECT_EQ(figures.in_progress(), 3);
    EXPECT_EQ(figures.overdue(), 0);
    EXPECT_THAT(KeysOf(figures.by_kind()), ElementsAre("GENERAL"));
    EXPECT_THAT(KeysOf(figures.by_channel()), ElementsAre("WEBSITE"));
    EXPECT_THAT(KeysOf(figures.by_category()), ElementsAre("(none)"));
  };
  auto expect_everything = [&](const v1::ComplaintStatistics& figures) {
    EXPECT_FALSE(figures.general_only());
    EXPECT_THAT(figures.notice(), IsEmpty());
    EXPECT_EQ(figures.received(), 5);
    EXPECT_THAT(KeysOf(figures.by_kind()),
                ElementsAre("CORRUPTION", "GENERAL"));
    EXPECT_THAT(KeysOf(figures.by_channel()), ElementsAre("LINE", "WEBSITE"));
    EXPECT_THAT(KeysOf(figures.by_category()), ElementsAre("(none)", "ถนน"));
  };
  // The operator first (its view cached), then those who may read reports,
  // then the operator again (theirs cached): neither view is served the
  // other's entry.
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    expect_general_only(statistics(Caller::kOperator, false));
    expect_general_only(statistics(Caller::kOperator, true));
    for (Caller caller :
         {Caller::kAuditor, Caller::kIntegrityOfficer, Caller::kSystem}) {
      SCOPED_TRACE(testing::CallerName(caller));
      expect_everything(statistics(caller, false));
      // Asked for (as the ITA service does for its operators).
      expect_general_only(statistics(caller, true));
    }
  }

  // The public variant counts every kind: asking for less is refused.
  v1::GetComplaintStatisticsRequest request;
  request.set_parent(std::string(kParent));
  request.mutable_fiscal_year()->set_be_year(2569);
  request.set_general_only(true);
  v1::ComplaintStatistics refused;
  EXPECT_THAT(stub_->GetPublicComplaintStatistics(As(Caller::kAnonymous).get(),
                                                  request, &refused),
              IsInvalidField("general_only"));
}

// ---------------------------------------------------------------- photos

std::string HexSha256(absl::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest,
                     reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  std::string hex;
  for (unsigned char b : digest) {
    absl::StrAppend(&hex, absl::Hex(b, absl::kZeroPad2));
  }
  return hex;
}

v1::Attachment PhotoOf(const std::string& content,
                       absl::string_view media_type = "image/jpeg",
                       absl::string_view file_name = "ไฟดับ.jpg") {
  v1::Attachment photo;
  photo.set_file_name(std::string(file_name));
  photo.set_media_type(std::string(media_type));
  photo.set_content(content);
  return photo;
}

// A JPEG of exactly `size` bytes whose entropy-coded data fills it (no
// metadata to strip, so it is stored at that size).
std::string LargeJpeg(size_t size) {
  const std::string small = testing::JpegWithGps().stored;
  const std::string head = small.substr(0, small.size() - 3);  // up to SOS
  return absl::StrCat(head, std::string(size - head.size() - 2, '\x3F'),
                      "\xFF\xD9");
}

// Rows of the photo table, read past the service.
int64_t StoredPhotoRows(absl::string_view db_url) {
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(db_url);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return -1;
  absl::StatusOr<storage::Result> rows =
      (*db)->Execute("SELECT COUNT(*) FROM complaint_attachments");
  EXPECT_TRUE(rows.ok()) << rows.status();
  return rows.ok() ? rows->rows[0].GetInt(0) : -1;
}

TEST_P(ComplaintServiceTest, PhotosAreStrippedStoredAndServedToStaff) {
  const testing::TestPhoto jpeg = testing::JpegWithGps();
  const testing::TestPhoto png = testing::PngWithText();
  C complaint = Minimal(C::GENERAL);
  *complaint.add_attachments() = PhotoOf(jpeg.sent);
  v1::Attachment* held = complaint.add_attachments();
  held->set_file_name("แผนที่.pdf");
  held->set_media_type("application/pdf");
  held->set_size_bytes(2048);
  held->set_sha256(std::string(64, 'c'));
  held->set_storage_uri("s3://bucket/map.pdf");
  *complaint.add_attachments() = PhotoOf(png.sent, "image/png", "ป้าย.png");
  // A caller's size and hash of a photo are not the service's to trust.
  complaint.mutable_attachments(0)->set_size_bytes(5);
  complaint.mutable_attachments(0)->set_sha256(std::string(64, 'f'));
  const C filed = File(Caller::kAnonymous, complaint);
  ASSERT_THAT(filed.attachments(), SizeIs(3));
  EXPECT_EQ(StoredPhotoRows(service().db_url()), 2);

  const std::string stored_bytes[] = {jpeg.stored, "", png.stored};
  for (int i : {0, 2}) {
    SCOPED_TRACE(i);
    const v1::Attachment& described = filed.attachments(i);
    EXPECT_THAT(described.content(), IsEmpty());
    EXPECT_THAT(described.name(),
                MatchesRegex(absl::StrCat("^", filed.name(),
                                          "/attachments/[a-z0-9]{16}$")));
    EXPECT_EQ(described.size_bytes(),
              static_cast<int64_t>(stored_bytes[i].size()));
    EXPECT_EQ(described.sha256(), HexSha256(stored_bytes[i]));
    // Staff of the organization get the stripped bytes.
    for (Caller caller : {Caller::kOperator, Caller::kIntegrityOfficer,
                          Caller::kAuditor, Caller::kSystem}) {
      SCOPED_TRACE(testing::CallerName(caller));
      v1::GetAttachmentRequest request;
      request.set_name(described.name());
      v1::Attachment read;
      ASSERT_THAT(stub_->GetAttachment(As(caller).get(), request, &read),
                  GrpcIsOk());
      EXPECT_TRUE(read.content() == stored_bytes[i]);
      EXPECT_THAT(read.content(), Not(HasSubstr("Exif")));
      EXPECT_THAT(read.content(), Not(HasSubstr("Somchai")));
      EXPECT_EQ(HexSha256(read.content()), described.sha256());
      EXPECT_EQ(read.size_bytes(), described.size_bytes());
      EXPECT_EQ(read.name(), described.name());
      EXPECT_EQ(read.file_name(), complaint.attachments(i).file_name());
      EXPECT_EQ(read.media_type(), complaint.attachments(i).media_type());
    }
  }
  // The file held elsewhere is described as it was given, with no name.
  EXPECT_THAT(filed.attachments(1), EqualsProto(*held));

  // GetComplaint and ListComplaints describe them without bytes.
  const C got = Get(filed.name());
  ASSERT_THAT(got.attachments(), SizeIs(3));
  std::vector<C> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(1));
  for (const C& view : {got, listed[0]}) {
    for (int i = 0; i < 3; ++i) {
      EXPECT_THAT(view.attachments(i), EqualsProto(filed.attachments(i)));
      EXPECT_THAT(view.attachments(i).content(), IsEmpty());
    }
  }
  // The complainant sees how many, never what.
  v1::TrackedComplaint tracked;
  ASSERT_THAT(Track(filed.tracking_code(), &tracked), GrpcIsOk());
  EXPECT_EQ(tracked.photo_count(), 2);
  EXPECT_THAT(tracked.SerializeAsString(), Not(HasSubstr(jpeg.stored)));

  // Staff of another organization, the public and bad names get nothing.
  v1::GetAttachmentRequest request;
  request.set_name(filed.attachments(0).name());
  v1::Attachment denied;
  EXPECT_THAT(
      stub_->GetAttachment(As(Caller::kOtherOperator).get(), request, &denied),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_FALSE(
      stub_->GetAttachment(As(Caller::kAnonymous).get(), request, &denied)
          .ok());
  EXPECT_FALSE(
      stub_->GetAttachment(As(Caller::kExecutive).get(), request, &denied)
          .ok());
  EXPECT_THAT(denied.content(), IsEmpty());
  request.set_name(absl::StrCat(filed.name(), "/attachments/nosuchphoto0000"));
  EXPECT_THAT(
      stub_->GetAttachment(As(Caller::kOperator).get(), request, &denied),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  request.set_name(absl::StrCat(filed.name(), "/replies/x"));
  EXPECT_THAT(
      stub_->GetAttachment(As(Caller::kOperator).get(), request, &denied),
      IsInvalidField("name"));
  // Another complaint's name with this photo's id finds nothing.
  const C other = FileGeneral();
  request.set_name(absl::StrCat(
      other.name(), filed.attachments(0).name().substr(filed.name().size())));
  EXPECT_THAT(
      stub_->GetAttachment(As(Caller::kOperator).get(), request, &denied),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_P(ComplaintServiceTest, FourPhotosOfOneMebibyteFitInOneFiling) {
  C complaint = Minimal(C::GENERAL);
  for (int i = 0; i < 4; ++i) {
    std::string photo = LargeJpeg(size_t{1} << 20);
    photo[300 + i] = 0x11;  // four different photos
    *complaint.add_attachments() = PhotoOf(photo);
  }
  ASSERT_GT(complaint.ByteSizeLong(), size_t{4} << 20);  // over gRPC's default
  const C filed = File(Caller::kAnonymous, complaint);
  ASSERT_THAT(filed.attachments(), SizeIs(4));
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(filed.attachments(i).size_bytes(), int64_t{1} << 20);
    v1::GetAttachmentRequest request;
    request.set_name(filed.attachments(i).name());
    v1::Attachment read;
    ASSERT_THAT(
        stub_->GetAttachment(As(Caller::kOperator).get(), request, &read),
        GrpcIsOk());
    EXPECT_TRUE(read.content() == complaint.attachments(i).content()) << i;
  }
}

TEST_P(ComplaintServiceTest, BadPhotosAreRefusedBeforeAnythingIsStored) {
  const std::string jpeg = testing::JpegWithGps().sent;
  const std::string png = testing::PngWithText().sent;
  struct Case {
    std::string label;
    std::string field_path;
    std::vector<v1::Attachment> attachments;
  };
  auto good = [&](int count) {
    return std::vector<v1::Attachment>(count, PhotoOf(jpeg));
  };
  auto then = [](std::vector<v1::Attachment> list, v1::Attachment last) {
    list.push_back(std::move(last));
    return list;
  };
  const std::vector<Case> cases = {
      {"a GIF", "complaint.attachments[1].content",
       then(good(1),
            PhotoOf(absl::StrCat("GIF89a", testing::Bytes({1, 0, 1, 0}), ";"),
                    "image/gif", "a.gif"))},
      {"a PDF declared a JPEG", "complaint.attachments[1].content",
       then(good(1), PhotoOf("%PDF-1.7\n%%EOF\n", "image/jpeg", "a.jpg"))},
      {"a PDF",
       "complaint.attachments[0].content",
       {PhotoOf("%PDF-1.7\n%%EOF\n", "application/pdf", "a.pdf")}},
      {"a PNG declared a JPEG", "complaint.attachments[1].content",
       then(good(1), PhotoOf(png, "image/jpeg"))},
      {"a JPEG cut short", "complaint.attachments[1].content",
       then(good(1), PhotoOf(jpeg.substr(0, jpeg.size() - 2)))},
      {"a JPEG of 1 MiB and one byte",
       "complaint.attachments[0].content",
       {PhotoOf(LargeJpeg((size_t{1} << 20) + 1))}},
      {"a fifth photo", "complaint.attachments[4].content", good(5)},
      {"a path for a name", "complaint.attachments[2].file_name",
       then(good(2), PhotoOf(jpeg, "image/jpeg", "../photos/x.jpg"))},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_complaint() = Minimal(C::GENERAL);
    for (const v1::Attachment& attachment : test_case.attachments) {
      *request.mutable_complaint()->add_attachments() = attachment;
    }
    request.set_request_id("bad-photo");
    request.set_replay_secret(ReplaySecretOf("bad-photo"));
    C refused;
    EXPECT_THAT(Create(Caller::kAnonymous, request, &refused),
                IsInvalidField(test_case.field_path));
    EXPECT_THAT(refused.name(), IsEmpty());
  }
  EXPECT_THAT(ListAll(), IsEmpty());
  EXPECT_EQ(StoredPhotoRows(service().db_url()), 0);
}

TEST_P(ComplaintServiceTest, ARetriedFilingStoresItsPhotosOnce) {
  C complaint = Minimal(C::GENERAL);
  *complaint.add_attachments() = PhotoOf(testing::JpegWithGps().sent);
  *complaint.add_attachments() =
      PhotoOf(testing::PngWithText().sent, "image/png", "b.png");
  const C first = File(Caller::kAnonymous, complaint, kParent, "photo-retry");
  const C again = File(Caller::kAnonymous, complaint, kParent, "photo-retry");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.tracking_code(), first.tracking_code());
  ASSERT_THAT(again.attachments(), SizeIs(2));
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(again.attachments(i).name(), first.attachments(i).name());
  }
  EXPECT_EQ(StoredPhotoRows(service().db_url()), 2);
  EXPECT_THAT(ListAll(), SizeIs(1));
}

TEST_P(ComplaintServiceTest, CorruptionReportPhotosAreSealedAndProtected) {
  const testing::TestPhoto jpeg = testing::JpegWithGps();
  C report = Minimal(C::CORRUPTION);
  *report.add_attachments() = PhotoOf(jpeg.sent);
  const C filed = File(Caller::kAnonymous, report);
  ASSERT_THAT(filed.attachments(), SizeIs(1));
  v1::GetAttachmentRequest request;
  request.set_name(filed.attachments(0).name());
  // An operator may be the official it accuses: neither report nor photo.
  C hidden;
  EXPECT_THAT(GetAs(Caller::kOperator, filed.name(), &hidden),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  v1::Attachment denied;
  EXPECT_THAT(
      stub_->GetAttachment(As(Caller::kOperator).get(), request, &denied),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(denied.content(), IsEmpty());
  for (Caller caller :
       {Caller::kIntegrityOfficer, Caller::kAuditor, Caller::kSystem}) {
    SCOPED_TRACE(testing::CallerName(caller));
    v1::Attachment read;
    ASSERT_THAT(stub_->GetAttachment(As(caller).get(), request, &read),
                GrpcIsOk());
    EXPECT_TRUE(read.content() == jpeg.stored);
  }
  // At rest it is sealed: neither the bytes nor their base64 are there.
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(service().db_url());
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<storage::Result> rows =
      (*db)->Execute("SELECT sealed, content FROM complaint_attachments");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_THAT(rows->rows, SizeIs(1));
  EXPECT_EQ(rows->rows[0].GetInt(0), 1);
  const std::string& at_rest = rows->rows[0].GetText(1);
  EXPECT_THAT(at_rest, ::testing::StartsWith("v1."));
  EXPECT_THAT(at_rest, Not(HasSubstr(absl::Base64Escape(jpeg.stored))));
  EXPECT_THAT(at_rest, Not(HasSubstr(absl::WebSafeBase64Escape(jpeg.stored))));
}

}  // namespace
}  // namespace prongsai::complaint
