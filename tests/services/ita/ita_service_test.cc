// The ITA service through its gRPC API on a real loopback server, on SQLite
// and PostgreSQL (and Redis where the test says so), with a fake clock as the
// server's clock: the shipped frameworks and loading corrected ones, the
// published summaries of seeds 000 and 001 with their consistency findings,
// raw answers streamed by a client and scored by the framework, the analysis,
// recommended measures, peer analytics (checked against a brute force here),
// trends across the 2566 method change, the rendered report, the plan
// service's ITA target and adopted measures and the complaint service's
// figures (their binaries beside it as child processes, reached through
// their gRPC APIs), caching through Redis and without it, and who may call
// what. Every
// expected figure is worked out by hand in the comments or by the brute
// force in this file, never by the code under test; every refused write is
// followed by a read showing that nothing changed. Tests marked BUG fail on
// purpose: they pin a defect of the service, described where they assert.
#include "services/ita/ita_service.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "common/api/fields.h"
#include "common/api/row_fields.h"
#include "common/cache/redis.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/ita/ita_store.h"
#include "tests/services/peer_process.h"
#include "tests/services/service_test_util.h"
#include "tests/support/test_env.h"

namespace prongsai::ita {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::EqualsProto;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::kOrganization;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;
using Stub = v1::AssessmentService::Stub;
using Finding = v1::ConsistencyFinding;

constexpr double kTolerance = 1e-9;
constexpr char kPhonSung[] = "องค์การบริหารส่วนตำบลโพนสูง";
constexpr char kSakonNakhon[] = "สกลนคร";
constexpr char kUdonThani[] = "อุดรธานี";
constexpr char kKhonKaen[] = "ขอนแก่น";
constexpr char kDisclosureMeasure[] = "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ";
constexpr common::v1::OrganizationKind kSao =
    common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION;
constexpr common::v1::OrganizationKind kMunicipality = common::v1::MUNICIPALITY;

std::string NameOf(absl::string_view organization, int be_year) {
  return absl::StrCat("organizations/", organization, "/assessments/", be_year);
}

common::v1::OrganizationRef Org(absl::string_view name,
                                common::v1::OrganizationKind kind,
                                absl::string_view province,
                                absl::string_view district = "") {
  common::v1::OrganizationRef ref;
  ref.set_name(std::string(name));
  ref.set_kind(kind);
  ref.set_province(std::string(province));
  ref.set_district(std::string(district));
  return ref;
}

common::v1::OrganizationRef PhonSung() {
  return Org(kPhonSung, kSao, kSakonNakhon, "สว่างแดนดิน");
}

void AddScore(google::protobuf::RepeatedPtrField<v1::Score>* scores,
              const std::string& code, double value) {
  v1::Score* score = scores->Add();
  score->set_code(code);
  score->set_score(value);
}

// A published summary: overall, label and indicator scores.
v1::ScoreSet Summary(double overall, absl::string_view grade,
                     const std::vector<std::pair<int, double>>& indicators) {
  v1::ScoreSet published;
  published.mutable_overall()->set_score(overall);
  published.set_grade(std::string(grade));
  for (const auto& [number, score] : indicators) {
    AddScore(published.mutable_indicators(), absl::StrCat(number), score);
  }
  return published;
}

// Seed 000 (Phon Sung SAO, FY2565): 89.20, grade A; indicator 10 = 100 the
// highest, 1 = 99.77 next, 9 the lowest; strengths (> 90) 1, 5, 6, 10. The
// other figures are chosen so that the summary adds up by the shipped 2565
// framework (IIT i1-i30 six per indicator, EIT e1-e15 five per indicator,
// OIT o1-o33 of indicator 9 and o34-o43 of indicator 10, weights 30/30/40):
//   IIT = (99.77 + 88.50 + 89.20 + 88.90 + 95.10) / 5 = 461.47 / 5 = 92.294
//   EIT = (92.30 + 89.00 + 88.90) / 3                 = 270.20 / 3 = 90.067
//   OIT = (33 × 82.06 + 10 × 100) / 43                = 3707.98 / 43 = 86.232
//   overall = 0.3 × 92.29 + 0.3 × 90.07 + 0.4 × 86.23 = 89.200
// so no finding is due. A few items make the items to improve: IIT i19
// 78.50, i20 84.00, i21 90.10 (seed 000 §4.1's use-of-state-property
// questions, i19-i21 of indicator 4 in 2565.textproto); EIT e11 80.10, e12
// 84.50; OIT o2 0.
v1::ScoreSet Seed000Published() {
  v1::ScoreSet published = Summary(89.20, "A",
                                   {{1, 99.77},
                                    {2, 88.50},
                                    {3, 89.20},
                                    {4, 88.90},
                                    {5, 95.10},
                                    {6, 92.30},
                                    {7, 89.00},
                                    {8, 88.90},
                                    {9, 82.06},
                                    {10, 100.00}});
  AddScore(published.mutable_tools(), "IIT", 92.29);
  AddScore(published.mutable_tools(), "EIT", 90.07);
  AddScore(published.mutable_tools(), "OIT", 86.23);
  for (const auto& [code, score] :
       std::vector<std::pair<std::string, double>>{{"i1", 100},
                                                   {"i19", 78.50},
                                                   {"i20", 84.00},
                                                   {"i21", 90.10},
                                                   {"e11", 80.10},
                                                   {"e12", 84.50},
                                                   {"o1", 100},
                                                   {"o2", 0}}) {
    AddScore(published.mutable_items(), code, score);
  }
  return published;
}

v1::Respondent Answers(
    absl::string_view tool,
    const std::vector<std::pair<std::string, int>>& answers) {
  v1::Respondent respondent;
  respondent.set_tool(std::string(tool));
  for (const auto& [item, answer] : answers) {
    (*respondent.mutable_answers())[item] = answer;
  }
  return respondent;
}

std::vector<int> Numbers(
    const google::protobuf::RepeatedPtrField<v1::IndicatorResult>& results) {
  std::vector<int> numbers;
  for (const v1::IndicatorResult& result : results) {
    numbers.push_back(result.number());
  }
  return numbers;
}

std::vector<std::string> Codes(
    const google::protobuf::RepeatedPtrField<v1::Score>& scores) {
  std::vector<std::string> codes;
  for (const v1::Score& score : scores) codes.push_back(score.code());
  return codes;
}

std::map<std::string, v1::Score> ByCode(
    const google::protobuf::RepeatedPtrField<v1::Score>& scores) {
  std::map<std::string, v1::Score> out;
  for (const v1::Score& score : scores) out[score.code()] = score;
  return out;
}

std::vector<Finding::Kind> Kinds(const v1::Assessment& assessment) {
  std::vector<Finding::Kind> kinds;
  for (const Finding& finding : assessment.findings()) {
    kinds.push_back(finding.kind());
  }
  return kinds;
}

// The label of `overall` by the bands of 2566 on.
std::string Band2566(double overall) {
  if (overall >= 95) return "ผ่านดีเยี่ยม";
  if (overall >= 85) return "ผ่าน";
  return "ต้องปรับปรุง";
}

// The service's options with a plan service at `plan_address` (empty: none)
// that accepts `key`. Set field by field: the options grow with the service.
ItaOptions WithPlan(std::string plan_address = "", std::string key = "") {
  ItaOptions options;
  options.plan_address = std::move(plan_address);
  options.peer_api_key = std::move(key);
  return options;
}

// The analysis' `missing` entries about the plan target.
std::vector<std::string> MissingPlanTarget(const v1::AgencyAnalysis& analysis) {
  std::vector<std::string> out;
  for (const std::string& entry : analysis.missing()) {
    if (absl::StartsWith(entry, "plan target")) out.push_back(entry);
  }
  return out;
}

class ItaServiceTest : public testing::ServiceTest {
 protected:
  void SetUp() override { Restart(WithPlan(), ""); }

  // (Re)starts the ITA service on a fresh database with `options`, on Redis
  // when `redis_url` is set.
  void Restart(ItaOptions options, std::string redis_url) {
    stub_.reset();
    service_.reset();
    absl::StatusOr<server::ServiceDefinition> definition =
        ItaServiceDefinition(std::move(options));
    ASSERT_TRUE(definition.ok()) << definition.status();
    StartService(*std::move(definition), std::move(redis_url));
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::AssessmentService::NewStub(service().channel());
  }

  bool Started() const { return stub_ != nullptr; }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    Caller caller, const Request& request, Response* response) {
    std::unique_ptr<grpc::ClientContext> context = service().Context(caller);
    return (stub_.get()->*method)(context.get(), request, response);
  }

  // ------------------------------------------------------------ frameworks

  grpc::Status GetFramework(Caller caller, absl::string_view name,
                            v1::Framework* out) {
    v1::GetFrameworkRequest request;
    request.set_name(std::string(name));
    return Call(&Stub::GetFramework, caller, request, out);
  }

  v1::Framework MustGetFramework(absl::string_view name) {
    v1::Framework out;
    EXPECT_THAT(GetFramework(Caller::kAnonymous, name, &out), GrpcIsOk())
        << name;
    return out;
  }

  grpc::Status LoadFramework(Caller caller, const v1::Framework& framework,
                             v1::Framework* out) {
    v1::LoadFrameworkRequest request;
    *request.mutable_framework() = framework;
    return Call(&Stub::LoadFramework, caller, request, out);
  }

  std::vector<v1::Framework> ListFrameworks(Caller caller) {
    v1::ListFrameworksResponse response;
    EXPECT_THAT(Call(&Stub::ListFrameworks, caller, v1::ListFrameworksRequest(),
                     &response),
                GrpcIsOk());
    return {response.frameworks().begin(), response.frameworks().end()};
  }

  // ----------------------------------------------------------- assessments

  grpc::Status Ingest(Caller caller, absl::string_view name,
                      const common::v1::OrganizationRef& organization,
                      const v1::ScoreSet& published, v1::Assessment* out) {
    v1::IngestPublishedScoresRequest request;
    request.set_name(std::string(name));
    *request.mutable_organization() = organization;
    *request.mutable_published() = published;
    return Call(&Stub::IngestPublishedScores, caller, request, out);
  }

  v1::Assessment MustIngest(absl::string_view name,
                            const common::v1::OrganizationRef& organization,
                            const v1::ScoreSet& published) {
    v1::Assessment out;
    EXPECT_THAT(Ingest(Caller::kSystem, name, organization, published, &out),
                GrpcIsOk())
        << name;
    return out;
  }

  grpc::Status Get(Caller caller, absl::string_view name, v1::Assessment* out) {
    v1::GetAssessmentRequest request;
    request.set_name(std::string(name));
    return Call(&Stub::GetAssessment, caller, request, out);
  }

  v1::Assessment MustGet(absl::string_view name) {
    v1::Assessment out;
    EXPECT_THAT(Get(Caller::kSystem, name, &out), GrpcIsOk()) << name;
    return out;
  }

  void ExpectNotFound(absl::string_view name) {
    v1::Assessment out;
    EXPECT_THAT(Get(Caller::kSystem, name, &out),
                GrpcStatusIs(grpc::StatusCode::NOT_FOUND))
        << name << " is " << out.ShortDebugString();
  }

  // Streams `messages` with the generated stub's ClientWriter.
  grpc::Status IngestRaw(
      Caller caller, const std::vector<v1::IngestRawAnswersRequest>& messages,
      v1::Assessment* out) {
    std::unique_ptr<grpc::ClientContext> context = service().Context(caller);
    std::unique_ptr<grpc::ClientWriter<v1::IngestRawAnswersRequest>> writer =
        stub_->IngestRawAnswers(context.get(), out);
    for (const v1::IngestRawAnswersRequest& message : messages) {
      // A refused caller's stream is ended by the server: stop writing.
      if (!writer->Write(message)) break;
    }
    writer->WritesDone();
    return writer->Finish();
  }

  // ------------------------------------------------------------- analytics

  grpc::Status Analyze(Caller caller, absl::string_view name,
                       v1::AgencyAnalysis* out) {
    v1::AnalyzeAssessmentRequest request;
    request.set_name(std::string(name));
    return Call(&Stub::AnalyzeAssessment, caller, request, out);
  }

  v1::AgencyAnalysis MustAnalyze(absl::string_view name,
                                 Caller caller = Caller::kSystem) {
    v1::AgencyAnalysis out;
    EXPECT_THAT(Analyze(caller, name, &out), GrpcIsOk()) << name;
    return out;
  }

  grpc::Status Recommend(Caller caller, absl::string_view name,
                         v1::RecommendMeasuresResponse* out) {
    v1::RecommendMeasuresRequest request;
    request.set_name(std::string(name));
    return Call(&Stub::RecommendMeasures, caller, request, out);
  }

  grpc::Status Peers(Caller caller, absl::string_view name, v1::PeerGroup group,
                     std::optional<double> what_if, v1::PeerAnalytics* out) {
    v1::GetPeerAnalyticsRequest request;
    request.set_name(std::string(name));
    request.set_group(group);
    if (what_if.has_value()) request.set_what_if_threshold(*what_if);
    return Call(&Stub::GetPeerAnalytics, caller, request, out);
  }

  v1::PeerAnalytics MustPeers(absl::string_view name, v1::PeerGroup group,
                              std::optional<double> what_if = std::nullopt) {
    v1::PeerAnalytics out;
    EXPECT_THAT(Peers(Caller::kSystem, name, group, what_if, &out), GrpcIsOk())
        << name;
    return out;
  }

  grpc::Status GetTrend(Caller caller, const v1::GetTrendRequest& request,
                        v1::Trend* out) {
    return Call(&Stub::GetTrend, caller, request, out);
  }

  v1::Trend MustTrend(const v1::GetTrendRequest& request) {
    v1::Trend out;
    EXPECT_THAT(GetTrend(Caller::kSystem, request, &out), GrpcIsOk())
        << request.ShortDebugString();
    return out;
  }

  grpc::Status Render(Caller caller, absl::string_view name,
                      v1::ReportFormat format, v1::RenderedReport* out) {
    v1::RenderReportRequest request;
    request.set_name(std::string(name));
    request.set_format(format);
    return Call(&Stub::RenderReport, caller, request, out);
  }

  // `count` assessments of `be_year` in Khon Kaen scoring 50, so that a
  // national group reaches the minimum size (5) for its figures to show.
  void IngestFillers(int be_year, int count) {
    for (int i = 0; i < count; ++i) {
      MustIngest(NameOf(absl::StrCat("800000", i), be_year),
                 Org("อบต. เติม", kSao, kKhonKaen),
                 Summary(50, "ต้องปรับปรุง", {}));
    }
  }

  std::unique_ptr<Stub> stub_;
};

// An assessment is recorded once per request id, and one name per year: a
// request id reused for another year, or a year spelt another way, is
// refused rather than answered with a different assessment.
TEST_P(ItaServiceTest, RequestIdsAndYearsHaveOneMeaning) {
  using ::prongsai::testing::kParent;
  v1::CreateAssessmentRequest request;
  request.set_parent(std::string(kParent));
  request.mutable_assessment()->mutable_fiscal_year()->set_be_year(2567);
  request.set_request_id("ita-create-1");
  v1::Assessment first, again, other;
  ASSERT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, request, &first),
              GrpcIsOk());
  ASSERT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, request, &again),
              GrpcIsOk());
  EXPECT_EQ(again.name(), first.name());
  request.mutable_assessment()->mutable_fiscal_year()->set_be_year(2568);
  EXPECT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, request, &other),
              IsInvalidField("request_id"));
  v1::Assessment missing;
  EXPECT_THAT(Get(Caller::kSystem, absl::StrCat(kParent, "/assessments/2568"),
                  &missing),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  for (absl::string_view year : {"02567", "+2567", "2567 ", "256"}) {
    EXPECT_THAT(Get(Caller::kSystem,
                    absl::StrCat(kParent, "/assessments/", year), &missing),
                IsInvalidField("name"))
        << year;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, ItaServiceTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

// ================================================================ frameworks

TEST_P(ItaServiceTest, ShippedFrameworksArePublic) {
  if (IsSkipped() || !Started()) return;
  const std::vector<v1::Framework> frameworks =
      ListFrameworks(Caller::kAnonymous);
  std::vector<int> years;
  for (const v1::Framework& framework : frameworks) {
    years.push_back(framework.be_year());
    EXPECT_EQ(framework.version(), 1) << framework.be_year();
    EXPECT_EQ(framework.name(),
              absl::StrCat("frameworks/", framework.be_year(), "/versions/1"));
  }
  // services/ita/frameworks/2562.textproto - 2569.textproto.
  EXPECT_THAT(years,
              ElementsAre(2562, 2563, 2564, 2565, 2566, 2567, 2568, 2569));

  const v1::Framework current = MustGetFramework("frameworks/2565");
  EXPECT_EQ(current.name(), "frameworks/2565/versions/1");
  EXPECT_EQ(current.be_year(), 2565);
  EXPECT_EQ(current.version(), 1);
  EXPECT_EQ(current.min_respondents(), 30);
  ASSERT_THAT(current.tools(), SizeIs(3));
  EXPECT_EQ(current.tools(0).code(), "IIT");
  EXPECT_EQ(current.tools(0).weight(), 30);
  EXPECT_EQ(current.tools(2).code(), "OIT");
  EXPECT_EQ(current.tools(2).kind(), v1::Tool::CHECKLIST);
  EXPECT_EQ(current.tools(2).weight(), 40);
  EXPECT_THAT(current.indicators(), SizeIs(10));
  // i1-i30, e1-e15, o1-o43 (2565.textproto, revision 2).
  EXPECT_THAT(current.items(), SizeIs(88));
  EXPECT_EQ(current.revision(), 2);
  ASSERT_THAT(current.grade_bands(), SizeIs(7));
  EXPECT_EQ(current.grade_bands(0).label(), "AA");
  EXPECT_EQ(current.grade_bands(0).min_score(), 95);
  EXPECT_EQ(current.grade_bands(1).label(), "A");
  EXPECT_EQ(current.grade_bands(1).min_score(), 85);
  EXPECT_TRUE(current.grade_bands(1).passed());
  EXPECT_FALSE(current.grade_bands(2).passed());
  EXPECT_THAT(MustGetFramework("frameworks/2565/versions/1"),
              EqualsProto(current));

  // From 2566 the bands are pass 85 / excellent 95.
  const v1::Framework later = MustGetFramework("frameworks/2566");
  ASSERT_THAT(later.grade_bands(), SizeIs(3));
  EXPECT_EQ(later.grade_bands(0).label(), "ผ่านดีเยี่ยม");
  EXPECT_EQ(later.grade_bands(1).label(), "ผ่าน");
  EXPECT_EQ(later.grade_bands(1).min_score(), 85);

  v1::Framework none;
  EXPECT_THAT(
      GetFramework(Caller::kAnonymous, "frameworks/2565/versions/2", &none),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(GetFramework(Caller::kAnonymous, "frameworks/2580", &none),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(GetFramework(Caller::kAnonymous, "frameworks/x", &none),
              IsInvalidField("name"));
  EXPECT_THAT(
      GetFramework(Caller::kAnonymous, "frameworks/2565/versions/0", &none),
      IsInvalidField("name"));
  EXPECT_THAT(GetFramework(Caller::kAnonymous, "frameworks/1999", &none),
              IsInvalidField("name"));
}

// Version 1 of a year is the shipped framework, the same before and after an
// assessment is checked with it (which keeps a copy in the database).
TEST_P(ItaServiceTest, Version1ReadsTheSameOnceAnAssessmentUsesIt) {
  if (IsSkipped() || !Started()) return;
  const v1::Framework shipped = MustGetFramework("frameworks/2565");
  EXPECT_EQ(shipped.loaded_by(), "default");
  MustIngest(NameOf(kOrganization, 2565), PhonSung(), Seed000Published());
  // The shipped defaults are stored with load_time_us = 0 (at schema
  // creation since migrations 4 and 5, services/ita/ita_store.cc), which
  // FrameworkFromRow reads as no load_time: frameworks/{year} and
  // .../versions/1 must not gain load_time 1970-01-01T00:00:00Z once an
  // assessment uses them (an earlier defect). Expected: the same framework
  // as before the ingest.
  std::vector<v1::Framework> reads = {
      MustGetFramework("frameworks/2565"),
      MustGetFramework("frameworks/2565/versions/1")};
  std::vector<v1::Framework> listed = ListFrameworks(Caller::kAnonymous);
  ASSERT_THAT(listed, SizeIs(8));  // 2562-2569
  ASSERT_EQ(listed[3].be_year(), 2565);
  reads.push_back(listed[3]);
  v1::Framework without_time = shipped;
  without_time.clear_load_time();
  for (v1::Framework& read : reads) {
    EXPECT_EQ(read.has_load_time(), shipped.has_load_time())
        << read.load_time().ShortDebugString();
    // Nothing else differs.
    read.clear_load_time();
    EXPECT_TRUE(
        google::protobuf::util::MessageDifferencer::Equals(read, without_time));
  }
}

TEST_P(ItaServiceTest, LoadFrameworkMakesANewCurrentVersion) {
  if (IsSkipped() || !Started()) return;
  const std::string before_load = NameOf(kOrganization, 2565);
  v1::Assessment early =
      MustIngest(before_load, PhonSung(), Seed000Published());
  EXPECT_EQ(early.framework_version(), 1);

  v1::Framework original = MustGetFramework("frameworks/2565");
  v1::Framework corrected = original;
  // Output-only fields as a client may send them back: ignored.
  corrected.mutable_provenance()->set_source("NACC manual 2565, corrected");
  corrected.mutable_indicators(8)->set_name("การเปิดเผยข้อมูลสาธารณะ");
  ASSERT_EQ(corrected.indicators(8).number(), 9);

  // Only SYSTEM loads frameworks.
  v1::Framework loaded;
  EXPECT_THAT(LoadFramework(Caller::kOperator, corrected, &loaded),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(LoadFramework(Caller::kAuditor, corrected, &loaded),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(MustGetFramework("frameworks/2565"), EqualsProto(original));

  clock_.Advance(absl::Hours(2));
  ASSERT_THAT(LoadFramework(Caller::kSystem, corrected, &loaded), GrpcIsOk());
  EXPECT_EQ(loaded.name(), "frameworks/2565/versions/2");
  EXPECT_EQ(loaded.version(), 2);
  EXPECT_EQ(loaded.be_year(), 2565);
  EXPECT_EQ(loaded.loaded_by(), "system");
  EXPECT_EQ(api::FromProtoTime(loaded.load_time()), clock_.Now());
  EXPECT_EQ(loaded.indicators(8).name(), "การเปิดเผยข้อมูลสาธารณะ");
  EXPECT_EQ(loaded.provenance().source(), "NACC manual 2565, corrected");
  EXPECT_THAT(MustGetFramework("frameworks/2565"), EqualsProto(loaded));
  EXPECT_THAT(MustGetFramework("frameworks/2565/versions/2"),
              EqualsProto(loaded));
  // Version 1 is still there as it was.
  const v1::Framework first = MustGetFramework("frameworks/2565/versions/1");
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.indicators(8).name(), "การเปิดเผยข้อมูล");
  EXPECT_EQ(first.provenance().source(), original.provenance().source());
  std::vector<v1::Framework> listed = ListFrameworks(Caller::kAnonymous);
  ASSERT_THAT(listed, SizeIs(8));  // 2562-2569
  EXPECT_EQ(listed[3].be_year(), 2565);
  EXPECT_EQ(listed[3].version(), 2);

  // Weights summing to 90: refused, naming the field, and nothing stored.
  v1::Framework broken = corrected;
  broken.mutable_tools(2)->set_weight(30);
  v1::Framework refused;
  grpc::Status status = LoadFramework(Caller::kSystem, broken, &refused);
  EXPECT_THAT(status, IsInvalidField("framework.tools"));
  EXPECT_THAT(status.error_message(), HasSubstr("90"));
  EXPECT_THAT(MustGetFramework("frameworks/2565"), EqualsProto(loaded));
  EXPECT_THAT(
      GetFramework(Caller::kAnonymous, "frameworks/2565/versions/3", &refused),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));

  // The assessment checked before keeps version 1 and its names; a new one
  // is checked with version 2.
  EXPECT_EQ(MustGet(before_load).framework_version(), 1);
  v1::AgencyAnalysis old_analysis = MustAnalyze(before_load);
  ASSERT_THAT(old_analysis.weaknesses(), Not(IsEmpty()));
  EXPECT_EQ(old_analysis.weaknesses(0).number(), 9);
  EXPECT_EQ(old_analysis.weaknesses(0).name(), "การเปิดเผยข้อมูล");
  const std::string after_load = NameOf("6340102", 2565);
  EXPECT_EQ(MustIngest(after_load,
                       Org("เทศบาลตำบลทดสอบ", kMunicipality, kSakonNakhon),
                       Seed000Published())
                .framework_version(),
            2);
  v1::AgencyAnalysis new_analysis = MustAnalyze(after_load);
  ASSERT_THAT(new_analysis.weaknesses(), Not(IsEmpty()));
  EXPECT_EQ(new_analysis.weaknesses(0).name(), "การเปิดเผยข้อมูลสาธารณะ");
  // Ingesting the early one again checks it with the current version.
  EXPECT_EQ(MustIngest(before_load, PhonSung(), Seed000Published())
                .framework_version(),
            2);
}

// 2570 is a year no framework ships for (the last shipped is 2569).
TEST_P(ItaServiceTest, LoadFrameworkForANewYear) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2570);
  const v1::ScoreSet published = Summary(93.10, "ผ่าน", {{9, 90.00}});
  v1::Assessment refused;
  EXPECT_THAT(Ingest(Caller::kSystem, name, PhonSung(), published, &refused),
              IsInvalidField("name"));
  ExpectNotFound(name);
  v1::Framework none;
  EXPECT_THAT(GetFramework(Caller::kAnonymous, "frameworks/2570", &none),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));

  v1::Framework next = MustGetFramework("frameworks/2569");
  next.set_be_year(2570);
  next.set_title("ITA 2570");
  v1::Framework loaded;
  ASSERT_THAT(LoadFramework(Caller::kSystem, next, &loaded), GrpcIsOk());
  EXPECT_EQ(loaded.name(), "frameworks/2570/versions/1");
  EXPECT_EQ(loaded.version(), 1);
  EXPECT_THAT(ListFrameworks(Caller::kAnonymous), SizeIs(9));  // 2562-2570

  v1::Assessment stored = MustIngest(name, PhonSung(), published);
  EXPECT_EQ(stored.framework_version(), 1);
  EXPECT_EQ(MustAnalyze(name).grade(), "ผ่าน");
}

// =================================================== published summaries

TEST_P(ItaServiceTest, Seed000SummaryIsStoredAndAnalyzed) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  v1::Assessment stored;
  ASSERT_THAT(
      Ingest(Caller::kOperator, name, PhonSung(), Seed000Published(), &stored),
      GrpcIsOk());
  EXPECT_EQ(stored.name(), name);
  EXPECT_EQ(stored.organization().code(), kOrganization);
  EXPECT_EQ(stored.organization().name(), kPhonSung);
  EXPECT_EQ(stored.organization().province(), kSakonNakhon);
  EXPECT_EQ(stored.fiscal_year().be_year(), 2565);
  EXPECT_EQ(stored.framework_version(), 1);
  ASSERT_TRUE(stored.has_published_overall_score());
  EXPECT_EQ(stored.published_overall_score(), 89.20);
  EXPECT_EQ(stored.published().overall().code(), "overall");
  EXPECT_EQ(stored.published().overall().score(), 89.20);
  EXPECT_EQ(stored.published().grade(), "A");
  EXPECT_THAT(Codes(stored.published().indicators()),
              ElementsAre("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
  EXPECT_FALSE(stored.has_computed());
  EXPECT_EQ(stored.audit().creator(), "operator-6340101");
  EXPECT_EQ(api::FromProtoTime(stored.audit().create_time()), clock_.Now());
  // Every indicator given and the figures add up: nothing to report.
  EXPECT_THAT(stored.findings(), IsEmpty());
  EXPECT_THAT(MustGet(name), EqualsProto(stored));
  // The organization's fields are taken from the first ingest only.
  const v1::Assessment again = MustIngest(
      name, Org("ชื่ออื่น", kMunicipality, kUdonThani, "เมือง"), Seed000Published());
  EXPECT_EQ(again.organization().name(), kPhonSung);
  EXPECT_EQ(again.organization().kind(), kSao);
  EXPECT_EQ(again.organization().province(), kSakonNakhon);
  EXPECT_EQ(again.organization().district(), "สว่างแดนดิน");

  const v1::AgencyAnalysis analysis = MustAnalyze(name, Caller::kOperator);
  EXPECT_EQ(analysis.assessment(), name);
  EXPECT_EQ(analysis.be_year(), 2565);
  EXPECT_EQ(analysis.basis(), "published");
  EXPECT_EQ(analysis.overall(), 89.20);
  EXPECT_EQ(analysis.grade(), "A");
  EXPECT_TRUE(analysis.passed());
  EXPECT_EQ(analysis.strength_threshold(), 90);
  // Seed 000 §3.1 (> 90), best first: 10 (100), 1 (99.77), 5 (95.10),
  // 6 (92.30).
  EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(10, 1, 5, 6));
  EXPECT_EQ(analysis.strengths(0).name(), "การป้องกันการทุจริต");
  EXPECT_EQ(analysis.strengths(0).tool(), "OIT");
  EXPECT_EQ(analysis.strengths(1).score(), 99.77);
  // Seed 000 §3.2: 9 (82.06), the lowest; nothing else is under 85.
  EXPECT_THAT(Numbers(analysis.weaknesses()), ElementsAre(9));
  EXPECT_EQ(analysis.weaknesses(0).name(), "การเปิดเผยข้อมูล");
  EXPECT_EQ(analysis.weaknesses(0).score(), 82.06);
  EXPECT_THAT(Numbers(analysis.indicators()),
              ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
  // Per tool the three lowest items under 100, with the framework's text.
  const v1::Framework framework = MustGetFramework("frameworks/2565");
  std::map<std::string, std::string> texts;
  for (const v1::Item& item : framework.items()) {
    texts[item.code()] = item.text();
  }
  std::vector<std::string> items;
  for (const v1::ItemToImprove& item : analysis.items_to_improve()) {
    items.push_back(absl::StrCat(item.tool(), " ", item.code(), " ",
                                 item.indicator(), " ",
                                 absl::StrFormat("%.2f", item.score())));
    EXPECT_EQ(item.text(), texts[item.code()]) << item.code();
  }
  EXPECT_THAT(items, ElementsAre("IIT i19 4 78.50", "IIT i20 4 84.00",
                                 "IIT i21 4 90.10", "EIT e11 8 80.10",
                                 "EIT e12 8 84.50", "OIT o2 9 0.00"));
  EXPECT_THAT(analysis.changes(), IsEmpty());
  EXPECT_EQ(analysis.previous_be_year(), 0);
  // No plan service configured: the target is unknown, and said so.
  EXPECT_FALSE(analysis.has_plan_target());
  EXPECT_FALSE(analysis.has_gap_to_target());
  ASSERT_THAT(MissingPlanTarget(analysis), SizeIs(1));
  EXPECT_THAT(MissingPlanTarget(analysis)[0], HasSubstr("plan service"));

  // A lower strength threshold adds 3 (89.20); 7 (89.00) stays out at 89.
  v1::AnalyzeAssessmentRequest request;
  request.set_name(name);
  request.set_strength_threshold(89);
  request.set_items_per_tool(1);
  v1::AgencyAnalysis lower;
  ASSERT_THAT(Call(&Stub::AnalyzeAssessment, Caller::kSystem, request, &lower),
              GrpcIsOk());
  EXPECT_THAT(Numbers(lower.strengths()), ElementsAre(10, 1, 5, 6, 3));
  ASSERT_THAT(lower.items_to_improve(), SizeIs(3));
  EXPECT_EQ(lower.items_to_improve(0).code(), "i19");
  EXPECT_EQ(lower.items_to_improve(1).code(), "e11");
  EXPECT_EQ(lower.items_to_improve(2).code(), "o2");
  request.set_strength_threshold(100.5);
  EXPECT_THAT(Call(&Stub::AnalyzeAssessment, Caller::kSystem, request, &lower),
              IsInvalidField("strength_threshold"));
  request.set_strength_threshold(90);
  request.set_items_per_tool(-1);
  EXPECT_THAT(Call(&Stub::AnalyzeAssessment, Caller::kSystem, request, &lower),
              IsInvalidField("items_per_tool"));
}

TEST_P(ItaServiceTest, Seed001GradeContradictingTheScoreIsAFinding) {
  if (IsSkipped() || !Started()) return;
  // Seed 001: FY2567 overall 99.78 labelled "ต้องปรับปรุง"; by the 2567
  // bands 99.78 is ผ่านดีเยี่ยม (>= 95).
  const std::string name = NameOf(kOrganization, 2567);
  const v1::Assessment stored =
      MustIngest(name, PhonSung(), Summary(99.78, "ต้องปรับปรุง", {}));
  ASSERT_THAT(stored.findings(), Not(IsEmpty()));
  const Finding& grade = stored.findings(0);
  EXPECT_EQ(grade.kind(), Finding::GRADE_MISMATCH);
  EXPECT_EQ(grade.code(), "overall");
  ASSERT_TRUE(grade.has_published());
  EXPECT_EQ(grade.published(), 99.78);
  EXPECT_THAT(grade.message(), HasSubstr("ผ่านดีเยี่ยม"));
  // No indicator published: each of the ten is missing.
  std::vector<std::string> missing;
  for (const Finding& finding : stored.findings()) {
    if (finding.kind() == Finding::MISSING_INDICATOR) {
      missing.push_back(finding.code());
    }
  }
  EXPECT_THAT(missing,
              ElementsAre("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
  EXPECT_THAT(stored.findings(), SizeIs(11));
  EXPECT_THAT(MustGet(name).findings(), SizeIs(11));

  // The label is kept as published; the band says it passed.
  const v1::AgencyAnalysis analysis = MustAnalyze(name);
  EXPECT_EQ(analysis.overall(), 99.78);
  EXPECT_EQ(analysis.grade(), "ต้องปรับปรุง");
  EXPECT_TRUE(analysis.passed());
  EXPECT_THAT(analysis.strengths(), IsEmpty());
  EXPECT_THAT(analysis.weaknesses(), IsEmpty());

  // The right label clears the finding.
  const v1::Assessment corrected =
      MustIngest(name, PhonSung(), Summary(99.78, "ผ่านดีเยี่ยม", {}));
  EXPECT_THAT(Kinds(corrected), Not(Contains(Finding::GRADE_MISMATCH)));
  EXPECT_THAT(corrected.findings(), SizeIs(10));
}

TEST_P(ItaServiceTest, SummaryThatDoesNotAddUpGetsFindings) {
  if (IsSkipped() || !Started()) return;
  // The tools as an earlier draft of seed 000 had them:
  //   overall by the tools: 0.3 × 92.80 + 0.3 × 87.96 + 0.4 × 87.18 = 89.10
  //   (published 89.20: off by 0.10 > 0.05)
  //   IIT by its indicators: (99.77 + 88.52 + 86.40 + 84.21 + 95.10) / 5
  //   = 90.80 (published 92.80)
  //   EIT: (92.30 + 87.64 + 83.95) / 3 = 87.963 (published 87.96: fine)
  //   OIT: (33 × 72.50 + 10 × 100) / 43 = 3392.5 / 43 = 78.895 (published
  //   87.18)
  v1::ScoreSet published = Summary(89.20, "A",
                                   {{1, 99.77},
                                    {2, 88.52},
                                    {3, 86.40},
                                    {4, 84.21},
                                    {5, 95.10},
                                    {6, 92.30},
                                    {7, 87.64},
                                    {8, 83.95},
                                    {9, 72.50},
                                    {10, 100.00}});
  AddScore(published.mutable_tools(), "iit", 92.80);
  AddScore(published.mutable_tools(), "EIT", 87.96);
  AddScore(published.mutable_tools(), "OIT", 87.18);
  const v1::Assessment stored =
      MustIngest(NameOf(kOrganization, 2565), PhonSung(), published);
  EXPECT_THAT(Kinds(stored),
              ElementsAre(Finding::OVERALL_MISMATCH, Finding::TOOL_MISMATCH,
                          Finding::TOOL_MISMATCH));
  ASSERT_THAT(stored.findings(), SizeIs(3));
  EXPECT_EQ(stored.findings(0).code(), "overall");
  EXPECT_NEAR(stored.findings(0).expected(), 89.10, kTolerance);
  EXPECT_EQ(stored.findings(0).published(), 89.20);
  EXPECT_EQ(stored.findings(1).code(), "IIT");
  EXPECT_NEAR(stored.findings(1).expected(), 90.80, kTolerance);
  EXPECT_EQ(stored.findings(2).code(), "OIT");
  EXPECT_NEAR(stored.findings(2).expected(), 3392.5 / 43, kTolerance);
  // Codes are normalized on the way in.
  EXPECT_THAT(Codes(stored.published().tools()),
              ElementsAre("IIT", "EIT", "OIT"));
}

TEST_P(ItaServiceTest, BadSummaryIsRefusedAndNothingStored) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  const v1::Assessment stored =
      MustIngest(name, PhonSung(), Seed000Published());
  // A year whose framework has seed 000's items (i19-i21 are not 2566
  // items): 2564, the IIT form 2565 follows.
  const std::string fresh = NameOf(kOrganization, 2564);

  struct Case {
    std::string field;
    std::function<void(v1::IngestPublishedScoresRequest&)> change;
  };
  const std::vector<Case> cases = {
      {"published.items[8].code",
       [](v1::IngestPublishedScoresRequest& r) {
         AddScore(r.mutable_published()->mutable_items(), "i99", 50);
       }},
      {"published.indicators[0].score",
       [](v1::IngestPublishedScoresRequest& r) {
         r.mutable_published()->mutable_indicators(0)->set_score(100.5);
       }},
      {"published.indicators[3].score",
       [](v1::IngestPublishedScoresRequest& r) {
         r.mutable_published()->mutable_indicators(3)->set_score(-0.01);
       }},
      {"published.overall.score",
       [](v1::IngestPublishedScoresRequest& r) {
         r.mutable_published()->mutable_overall()->set_score(
             std::numeric_limits<double>::quiet_NaN());
       }},
      {"published.tools[1].score",
       [](v1::IngestPublishedScoresRequest& r) {
         r.mutable_published()->mutable_tools(1)->set_score(
             std::numeric_limits<double>::infinity());
       }},
      {"published.overall",
       [](v1::IngestPublishedScoresRequest& r) {
         r.mutable_published()->clear_overall();
       }},
      {"published.indicators[10].code",
       [](v1::IngestPublishedScoresRequest& r) {
         AddScore(r.mutable_published()->mutable_indicators(), "11", 50);
       }},
      {"published.indicators[10].code",
       [](v1::IngestPublishedScoresRequest& r) {
         AddScore(r.mutable_published()->mutable_indicators(), "9", 50);
       }},
      {"published.tools[3].code",
       [](v1::IngestPublishedScoresRequest& r) {
         AddScore(r.mutable_published()->mutable_tools(), "XIT", 50);
       }},
      {"organization.kind",
       [](v1::IngestPublishedScoresRequest& r) {
         r.mutable_organization()->set_kind(
             static_cast<common::v1::OrganizationKind>(42));
       }},
  };
  for (const Case& c : cases) {
    for (const std::string& target : {name, fresh}) {
      SCOPED_TRACE(absl::StrCat(c.field, " on ", target));
      v1::IngestPublishedScoresRequest request;
      request.set_name(target);
      *request.mutable_organization() = PhonSung();
      *request.mutable_published() = Seed000Published();
      c.change(request);
      v1::Assessment refused;
      EXPECT_THAT(Call(&Stub::IngestPublishedScores, Caller::kSystem, request,
                       &refused),
                  IsInvalidField(c.field));
    }
  }

  // An unknown year is the name's fault (no framework for 2580).
  v1::Assessment refused;
  grpc::Status status = Ingest(Caller::kSystem, NameOf(kOrganization, 2580),
                               PhonSung(), Seed000Published(), &refused);
  EXPECT_THAT(status, IsInvalidField("name"));
  EXPECT_THAT(status.error_message(), HasSubstr("2580"));
  ExpectNotFound(NameOf(kOrganization, 2580));
  EXPECT_THAT(Ingest(Caller::kSystem, "organizations/6340101/assessments/x",
                     PhonSung(), Seed000Published(), &refused),
              IsInvalidField("name"));

  // Another organization's operator may not write here.
  EXPECT_THAT(Ingest(Caller::kOtherOperator, fresh, PhonSung(),
                     Seed000Published(), &refused),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Ingest(Caller::kOtherOperator, name, PhonSung(),
                     Summary(10, "F", {}), &refused),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));

  EXPECT_THAT(MustGet(name), EqualsProto(stored));
  ExpectNotFound(fresh);
}

// ================================================================ raw answers

// Three messages for FY2566 (2566 framework: i1-i3 → 1, i4-i6 → 2, i13-i15
// → 5; e1-e3 → 6 (3 items), e4-e9 → 7 (6 items), e10-e15 → 8 (6 items);
// o1-o30 → 9 (30 items), o31-o43 → 10 (13 items); weights 30/30/40;
// answers 0/33/67/100).
//   message 0: IIT R1 {i1: 3, i2: 2, i4: 1}, IIT R2 {i1: 1, i4: 3}
//   message 1: EIT R3 {e1: 3, e4: 0}, EIT R4 {e1: 2, e10: 3};
//              OIT o1 published, o2 not
//   message 2: IIT R5 {i13: 0}; OIT o34 published
std::vector<v1::IngestRawAnswersRequest> RawMessages(absl::string_view name) {
  std::vector<v1::IngestRawAnswersRequest> messages(3);
  messages[0].set_name(std::string(name));
  *messages[0].mutable_organization() = PhonSung();
  *messages[0].add_respondents() =
      Answers("IIT", {{"i1", 3}, {"i2", 2}, {"i4", 1}});
  *messages[0].add_respondents() = Answers("IIT", {{"i1", 1}, {"i4", 3}});
  *messages[1].add_respondents() = Answers("EIT", {{"e1", 3}, {"e4", 0}});
  *messages[1].add_respondents() = Answers("EIT", {{"e1", 2}, {"e10", 3}});
  (*messages[1].mutable_oit_checks())["o1"] = true;
  (*messages[1].mutable_oit_checks())["o2"] = false;
  *messages[2].add_respondents() = Answers("IIT", {{"i13", 0}});
  (*messages[2].mutable_oit_checks())["o34"] = true;
  return messages;
}

TEST_P(ItaServiceTest, RawAnswersAreScoredByTheFramework) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  v1::Assessment stored;
  ASSERT_THAT(IngestRaw(Caller::kOperator, RawMessages(name), &stored),
              GrpcIsOk());
  EXPECT_EQ(stored.name(), name);
  EXPECT_EQ(stored.organization().name(), kPhonSung);
  EXPECT_EQ(stored.framework_version(), 1);
  EXPECT_EQ(stored.iit_respondents(), 3);
  EXPECT_EQ(stored.eit_respondents(), 2);
  EXPECT_FALSE(stored.has_published());
  const v1::ScoreSet& computed = stored.computed();

  // Items, in framework order.
  //   i1 = (100 + 33) / 2 = 66.5, SE = |100 − 33| / 2 = 33.5 (n = 2: the
  //   sample sd / √2 is half the difference); 95 %: 66.5 ± 65.66 → 0.84-100
  //   i2 = 67; i4 = (33 + 100) / 2 = 66.5; i13 = 0
  //   e1 = (100 + 67) / 2 = 83.5, SE 16.5; e4 = 0; e10 = 100
  //   o1 = 100, o2 = 0, o34 = 100
  EXPECT_THAT(Codes(computed.items()),
              ElementsAre("i1", "i2", "i4", "i13", "e1", "e4", "e10", "o1",
                          "o2", "o34"));
  std::map<std::string, v1::Score> items = ByCode(computed.items());
  EXPECT_NEAR(items["i1"].score(), 66.5, kTolerance);
  EXPECT_EQ(items["i1"].respondents(), 2);
  EXPECT_NEAR(items["i1"].standard_error(), 33.5, kTolerance);
  EXPECT_NEAR(items["i1"].ci_low(), 66.5 - 1.96 * 33.5, kTolerance);
  EXPECT_NEAR(items["i1"].ci_high(), 100, kTolerance);
  EXPECT_TRUE(items["i1"].low_confidence());
  EXPECT_NEAR(items["i2"].score(), 67, kTolerance);
  EXPECT_EQ(items["i2"].respondents(), 1);
  EXPECT_FALSE(items["i2"].has_standard_error());
  EXPECT_NEAR(items["i4"].score(), 66.5, kTolerance);
  EXPECT_NEAR(items["i13"].score(), 0, kTolerance);
  EXPECT_NEAR(items["e1"].score(), 83.5, kTolerance);
  EXPECT_NEAR(items["e1"].standard_error(), 16.5, kTolerance);
  EXPECT_NEAR(items["e4"].score(), 0, kTolerance);
  EXPECT_NEAR(items["e10"].score(), 100, kTolerance);
  EXPECT_NEAR(items["o1"].score(), 100, kTolerance);
  EXPECT_NEAR(items["o2"].score(), 0, kTolerance);
  EXPECT_EQ(items["o2"].respondents(), 1);
  EXPECT_NEAR(items["o34"].score(), 100, kTolerance);

  // Indicators: the mean of their items.
  //   1 = (66.5 + 67) / 2 = 66.75 (R1, R2); 2 = 66.5; 5 = 0 (R5)
  //   6 = 83.5; 7 = 0; 8 = 100
  //   9 = (100 + 0) / 2 = 50 over 2 checks, 10 = 100 over 1 (o34): both
  //   with unchecked items, so low confidence.
  //   SE of 1 from the respondents' own means: R1 (100 + 67) / 2 = 83.5,
  //   R2 33 → |83.5 − 33| / 2 = 25.25.
  EXPECT_THAT(Codes(computed.indicators()),
              ElementsAre("1", "2", "5", "6", "7", "8", "9", "10"));
  std::map<std::string, v1::Score> indicators = ByCode(computed.indicators());
  EXPECT_NEAR(indicators["1"].score(), 66.75, kTolerance);
  EXPECT_EQ(indicators["1"].respondents(), 2);
  EXPECT_NEAR(indicators["1"].standard_error(), 25.25, kTolerance);
  EXPECT_NEAR(indicators["2"].score(), 66.5, kTolerance);
  EXPECT_NEAR(indicators["5"].score(), 0, kTolerance);
  EXPECT_EQ(indicators["5"].respondents(), 1);
  EXPECT_NEAR(indicators["6"].score(), 83.5, kTolerance);
  EXPECT_NEAR(indicators["7"].score(), 0, kTolerance);
  EXPECT_NEAR(indicators["8"].score(), 100, kTolerance);
  EXPECT_NEAR(indicators["9"].score(), 50, kTolerance);
  EXPECT_EQ(indicators["9"].respondents(), 2);
  EXPECT_TRUE(indicators["9"].low_confidence());
  EXPECT_NEAR(indicators["10"].score(), 100, kTolerance);
  EXPECT_TRUE(indicators["10"].low_confidence());

  // Tools: indicators weighted by their item counts.
  //   IIT = (3 × 66.75 + 3 × 66.5 + 3 × 0) / 9 = 133.25 / 3 = 44.4167,
  //         3 respondents
  //   EIT = (3 × 83.5 + 6 × 0 + 6 × 100) / 15 = 850.5 / 15 = 56.7,
  //         2 respondents (a mean of items would be 61.17)
  //   OIT = (30 × 50 + 13 × 100) / 43 = 2800 / 43 = 65.1163, 3 checks
  //   Per-respondent tool scores for the SEs:
  //   IIT R1 (83.5 + 33) / 2 = 58.25, R2 (33 + 100) / 2 = 66.5, R5 0
  //   EIT R3 (3 × 100 + 6 × 0) / 9 = 33.33, R4 (3 × 67 + 6 × 100) / 9 = 89
  EXPECT_THAT(Codes(computed.tools()), ElementsAre("IIT", "EIT", "OIT"));
  std::map<std::string, v1::Score> tools = ByCode(computed.tools());
  const double iit = 133.25 / 3;
  const double eit = 56.7;
  const double oit = 2800.0 / 43;
  EXPECT_NEAR(tools["IIT"].score(), iit, kTolerance);
  EXPECT_EQ(tools["IIT"].respondents(), 3);
  EXPECT_TRUE(tools["IIT"].low_confidence());
  EXPECT_NEAR(tools["EIT"].score(), eit, kTolerance);
  EXPECT_EQ(tools["EIT"].respondents(), 2);
  EXPECT_NEAR(tools["OIT"].score(), oit, kTolerance);
  EXPECT_EQ(tools["OIT"].respondents(), 3);
  EXPECT_TRUE(tools["OIT"].low_confidence());
  EXPECT_FALSE(tools["OIT"].has_standard_error());
  const double iit_mean = (58.25 + 66.5 + 0) / 3;
  const double iit_se =
      std::sqrt((std::pow(58.25 - iit_mean, 2) + std::pow(66.5 - iit_mean, 2) +
                 std::pow(0 - iit_mean, 2)) /
                2) /
      std::sqrt(3.0);
  const double eit_se = (89 - 100.0 / 3) / 2;
  EXPECT_NEAR(tools["IIT"].standard_error(), iit_se, 1e-6);
  EXPECT_NEAR(tools["EIT"].standard_error(), eit_se, 1e-6);

  // Overall = 0.3 × 44.4167 + 0.3 × 56.7 + 0.4 × 65.1163 = 56.3815, every
  // tool present: respondents 3 + 2; under 30 of them, low confidence.
  const double overall = 0.3 * iit + 0.3 * eit + 0.4 * oit;
  EXPECT_NEAR(overall, 56.38151, 1e-5);
  EXPECT_NEAR(computed.overall().score(), overall, kTolerance);
  EXPECT_EQ(computed.overall().code(), "overall");
  EXPECT_EQ(computed.overall().respondents(), 5);
  EXPECT_TRUE(computed.overall().low_confidence());
  EXPECT_NEAR(computed.overall().standard_error(),
              0.3 * std::sqrt(iit_se * iit_se + eit_se * eit_se), 1e-6);
  EXPECT_EQ(computed.grade(), "ต้องปรับปรุง");
  EXPECT_FALSE(computed.passed());
  EXPECT_THAT(MustGet(name), EqualsProto(stored));

  // The analysis uses the computed figures.
  const v1::AgencyAnalysis analysis = MustAnalyze(name);
  EXPECT_EQ(analysis.basis(), "computed");
  EXPECT_NEAR(analysis.overall(), overall, kTolerance);
  EXPECT_EQ(analysis.grade(), "ต้องปรับปรุง");
  EXPECT_FALSE(analysis.passed());
  // Lowest first, ties by number: 5 and 7 (0), then 9 (50), 2 (66.5),
  // 1 (66.75), 6 (83.5); 8 and 10 (100) are the strengths.
  EXPECT_THAT(Numbers(analysis.weaknesses()), ElementsAre(5, 7, 9, 2, 1, 6));
  EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(8, 10));

  // A second stream that says so replaces the computed result: one IIT
  // respondent only, so the overall is IIT's alone, renormalized, and says
  // so.
  std::vector<v1::IngestRawAnswersRequest> again(1);
  again[0].set_name(name);
  again[0].set_replace_computed(true);
  *again[0].add_respondents() = Answers("IIT", {{"i1", 3}, {"i2", 3}});
  v1::Assessment replaced;
  ASSERT_THAT(IngestRaw(Caller::kSystem, again, &replaced), GrpcIsOk());
  EXPECT_EQ(replaced.iit_respondents(), 1);
  EXPECT_EQ(replaced.eit_respondents(), 0);
  EXPECT_THAT(Codes(replaced.computed().items()), ElementsAre("i1", "i2"));
  EXPECT_THAT(Codes(replaced.computed().tools()), ElementsAre("IIT"));
  EXPECT_NEAR(replaced.computed().overall().score(), 100, kTolerance);
  EXPECT_EQ(replaced.computed().overall().respondents(), 0);
  EXPECT_TRUE(replaced.computed().overall().low_confidence());
  EXPECT_EQ(replaced.computed().grade(), "ผ่านดีเยี่ยม");
  EXPECT_TRUE(replaced.computed().passed());
  EXPECT_NEAR(MustAnalyze(name).overall(), 100, kTolerance);
}

TEST_P(ItaServiceTest, ComputedFiguresSitBesideThePublishedOnes) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  const v1::Assessment published =
      MustIngest(name, PhonSung(), Summary(91.50, "ผ่าน", {{9, 88.00}}));
  EXPECT_EQ(MustAnalyze(name).basis(), "published");
  v1::Assessment both;
  ASSERT_THAT(IngestRaw(Caller::kSystem, RawMessages(name), &both), GrpcIsOk());
  EXPECT_THAT(both.published(), EqualsProto(published.published()));
  EXPECT_THAT(both.findings(), SizeIs(published.findings_size()));
  EXPECT_EQ(both.published_overall_score(), 91.50);
  const v1::AgencyAnalysis analysis = MustAnalyze(name);
  EXPECT_EQ(analysis.basis(), "computed");
  // As in RawAnswersAreScoredByTheFramework.
  EXPECT_NEAR(analysis.overall(),
              0.3 * 133.25 / 3 + 0.3 * 56.7 + 0.4 * 2800.0 / 43, kTolerance);
  // A later published summary keeps the computed figures.
  const v1::Assessment republished =
      MustIngest(name, PhonSung(), Summary(92.00, "ผ่าน", {{9, 89.00}}));
  EXPECT_THAT(republished.computed(), EqualsProto(both.computed()));
  EXPECT_EQ(republished.iit_respondents(), 3);
  EXPECT_EQ(MustAnalyze(name).basis(), "computed");
}

// Every Assessment the API returns says which score counts: computed from
// raw answers, else the published summary's, else the bare published score.
TEST_P(ItaServiceTest, EveryAssessmentCarriesItsEffectiveScore) {
  if (IsSkipped() || !Started()) return;
  using ::prongsai::testing::kParent;
  v1::CreateAssessmentRequest create;
  create.set_parent(std::string(kParent));
  create.mutable_assessment()->mutable_fiscal_year()->set_be_year(2566);
  create.mutable_assessment()->set_published_overall_score(77.5);
  // Output only: what a client sends is not kept.
  create.mutable_assessment()->set_effective_overall_score(12);
  v1::Assessment created;
  ASSERT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, create, &created),
              GrpcIsOk());
  ASSERT_TRUE(created.has_effective_overall_score());
  EXPECT_EQ(created.effective_overall_score(), 77.5);
  const std::string name = created.name();
  EXPECT_EQ(MustGet(name).effective_overall_score(), 77.5);

  v1::CreateAssessmentRequest bare = create;
  bare.mutable_assessment()->mutable_fiscal_year()->set_be_year(2565);
  bare.mutable_assessment()->clear_published_overall_score();
  v1::Assessment unscored;
  ASSERT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, bare, &unscored),
              GrpcIsOk());
  EXPECT_FALSE(unscored.has_effective_overall_score());

  const v1::Assessment published =
      MustIngest(name, PhonSung(), Summary(91.50, "ผ่าน", {{9, 88.00}}));
  EXPECT_EQ(published.effective_overall_score(), 91.50);
  v1::Assessment computed;
  ASSERT_THAT(IngestRaw(Caller::kSystem, RawMessages(name), &computed),
              GrpcIsOk());
  ASSERT_TRUE(computed.computed().has_overall());
  EXPECT_EQ(computed.effective_overall_score(),
            computed.computed().overall().score());
  EXPECT_NE(computed.effective_overall_score(), 91.50);
  EXPECT_EQ(MustGet(name).effective_overall_score(),
            computed.effective_overall_score());

  v1::ListAssessmentsRequest list;
  list.set_parent(std::string(kParent));
  v1::ListAssessmentsResponse listed;
  ASSERT_THAT(Call(&Stub::ListAssessments, Caller::kSystem, list, &listed),
              GrpcIsOk());
  ASSERT_EQ(listed.assessments_size(), 2);
  EXPECT_FALSE(listed.assessments(0).has_effective_overall_score());  // 2565
  EXPECT_EQ(listed.assessments(1).effective_overall_score(),
            computed.effective_overall_score());
}

TEST_P(ItaServiceTest, BadRawStreamStoresNothing) {
  if (IsSkipped() || !Started()) return;
  // RawMessages' codes must be valid in the fresh assessment's year too,
  // but for the one change of each case: 2564 has them all (the 2567 OIT
  // list has no o34 since revision 2).
  const std::string fresh = NameOf(kOrganization, 2564);

  struct Case {
    std::string field;
    std::function<void(std::vector<v1::IngestRawAnswersRequest>&)> change;
  };
  const std::vector<Case> cases = {
      {"messages[2].respondents[0].answers[i99]",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         (*m[2].mutable_respondents(0)->mutable_answers())["i99"] = 1;
       }},
      {"messages[2].respondents[0].answers[i13]",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         (*m[2].mutable_respondents(0)->mutable_answers())["i13"] = 4;
       }},
      {"messages[1].respondents[1].answers[e10]",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         (*m[1].mutable_respondents(1)->mutable_answers())["e10"] = -1;
       }},
      {"messages[1].respondents[0].answers[i1]",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         (*m[1].mutable_respondents(0)->mutable_answers())["i1"] = 2;
       }},
      {"messages[2].respondents[1].tool",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         *m[2].add_respondents() = Answers("OIT", {{"o3", 1}});
       }},
      {"messages[2].respondents[1].answers",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         m[2].add_respondents()->set_tool("IIT");
       }},
      {"messages[2].oit_checks[o99]",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         (*m[2].mutable_oit_checks())["o99"] = true;
       }},
      {"messages[2].oit_checks[i1]",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         (*m[2].mutable_oit_checks())["i1"] = true;
       }},
      {"messages[1].name",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         m[1].set_name(NameOf(kOrganization, 2565));
       }},
      {"messages[0].name",
       [](std::vector<v1::IngestRawAnswersRequest>& m) {
         m[0].set_name(NameOf(kOrganization, 2580));
         for (size_t i = 1; i < m.size(); ++i) m[i].clear_name();
       }},
  };
  // On a new assessment (nothing created) and on one with computed figures
  // (nothing replaced).
  const std::string existing = NameOf(kOrganization, 2566);
  v1::Assessment before;
  ASSERT_THAT(IngestRaw(Caller::kSystem, RawMessages(existing), &before),
              GrpcIsOk());
  for (const Case& c : cases) {
    for (const std::string& target : {fresh, existing}) {
      SCOPED_TRACE(absl::StrCat(c.field, " on ", target));
      std::vector<v1::IngestRawAnswersRequest> messages = RawMessages(target);
      c.change(messages);
      v1::Assessment refused;
      EXPECT_THAT(IngestRaw(Caller::kSystem, messages, &refused),
                  IsInvalidField(c.field));
    }
  }
  ExpectNotFound(fresh);
  ExpectNotFound(NameOf(kOrganization, 2580));
  EXPECT_THAT(MustGet(existing), EqualsProto(before));

  // An empty stream.
  v1::Assessment refused;
  EXPECT_THAT(IngestRaw(Caller::kSystem, {}, &refused),
              IsInvalidField("messages"));
  // Another organization's operator, and roles that do not write.
  for (Caller caller : {Caller::kOtherOperator, Caller::kAuditor,
                        Caller::kExecutive, Caller::kIntegrityOfficer}) {
    SCOPED_TRACE(testing::CallerName(caller));
    EXPECT_THAT(IngestRaw(caller, RawMessages(fresh), &refused),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
  EXPECT_THAT(IngestRaw(Caller::kAnonymous, RawMessages(fresh), &refused),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  ExpectNotFound(fresh);
  EXPECT_THAT(MustGet(existing), EqualsProto(before));
}

// Respondent tools and item codes are accepted in any case (ita_scoring.h):
// they count as the tool's respondents like upper-case ones.
TEST_P(ItaServiceTest, RespondentToolsInAnyCaseAreCounted) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  std::vector<v1::IngestRawAnswersRequest> messages(1);
  messages[0].set_name(name);
  *messages[0].add_respondents() = Answers("iit", {{"I1", 3}});
  *messages[0].add_respondents() = Answers("Eit", {{"e1", 2}});
  v1::Assessment stored;
  ASSERT_THAT(IngestRaw(Caller::kSystem, messages, &stored), GrpcIsOk());
  std::map<std::string, v1::Score> tools = ByCode(stored.computed().tools());
  EXPECT_NEAR(tools["IIT"].score(), 100, kTolerance);
  EXPECT_EQ(tools["IIT"].respondents(), 1);
  EXPECT_NEAR(tools["EIT"].score(), 67, kTolerance);
  EXPECT_EQ(tools["EIT"].respondents(), 1);
  // BUG: services/ita/ita_service.cc DoIngestRawAnswers counts respondents
  // with `respondent.tool() == "IIT"` / `== "EIT"` (case-sensitive) although
  // ValidateRawAnswers and ComputeScores take the tool in any case: a stream
  // of "iit"/"Eit" respondents is scored, yet iit_respondents and
  // eit_respondents stay 0.
  EXPECT_EQ(stored.iit_respondents(), 1);
  EXPECT_EQ(stored.eit_respondents(), 1);
}

// "a later message's check of an item replaces an earlier one"
// (ita_scoring.h), whatever the case of the key.
TEST_P(ItaServiceTest, LaterOitCheckReplacesAnEarlierOne) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  std::vector<v1::IngestRawAnswersRequest> messages(2);
  messages[0].set_name(name);
  for (int i = 1; i <= 43; ++i) {
    (*messages[0].mutable_oit_checks())[absl::StrCat("o", i)] = false;
  }
  // Same case: o1-o43 first absent, then o1-o10 present (2566: o1-o30 of
  // indicator 9, o31-o43 of 10).
  for (int i = 1; i <= 10; ++i) {
    (*messages[1].mutable_oit_checks())[absl::StrCat("o", i)] = true;
  }
  v1::Assessment stored;
  ASSERT_THAT(IngestRaw(Caller::kSystem, messages, &stored), GrpcIsOk());
  std::map<std::string, v1::Score> indicators =
      ByCode(stored.computed().indicators());
  // 9: 10 of 30 published; 10: none of 13; every item checked.
  EXPECT_NEAR(indicators["9"].score(), 1000.0 / 30, kTolerance);
  EXPECT_FALSE(indicators["9"].low_confidence());
  EXPECT_NEAR(indicators["10"].score(), 0, kTolerance);
  // OIT = (30 × 33.33 + 13 × 0) / 43 = 1000 / 43.
  EXPECT_NEAR(stored.computed().tools(0).score(), 1000.0 / 43, kTolerance);
  EXPECT_EQ(stored.computed().tools(0).respondents(), 43);

  // Upper-case keys in the later message (valid: keys are any case).
  messages[1].clear_oit_checks();
  for (int i = 1; i <= 43; ++i) {
    (*messages[1].mutable_oit_checks())[absl::StrCat("O", i)] = true;
  }
  ASSERT_THAT(IngestRaw(Caller::kSystem, messages, &stored), GrpcIsOk());
  // BUG: services/ita/ita_service.cc DoIngestRawAnswers keeps
  // answers.oit_checks by the key as sent ("o1" and "O1" are two entries),
  // and ComputeScores then lower-cases them with emplace (first one seen in
  // hash order wins), so an earlier "o1": false can beat a later "O1": true.
  // Expected: every item published (100); actual: a hash-order mix.
  EXPECT_NEAR(stored.computed().overall().score(), 100, kTolerance);
  std::vector<std::string> absent;
  for (const v1::Score& item : stored.computed().items()) {
    if (item.score() != 100) absent.push_back(item.code());
  }
  EXPECT_THAT(absent, IsEmpty());
}

// ============================================================ measures

TEST_P(ItaServiceTest, RecommendMeasuresForTheSeed000Weakness) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  v1::RecommendMeasuresResponse response;
  ASSERT_THAT(Recommend(Caller::kOperator, name, &response), GrpcIsOk());
  ASSERT_THAT(response.measures(), Not(IsEmpty()));
  // Weakness 9 first, for the next year (2566).
  const v1::RecommendedMeasure& first = response.measures(0);
  EXPECT_EQ(first.answers(), "9");
  EXPECT_EQ(first.measure().title(), kDisclosureMeasure);
  EXPECT_EQ(first.measure().be_year(), 2566);
  EXPECT_THAT(first.measure().ita_indicators(), Contains("9"));
  EXPECT_EQ(first.measure().source(), name);
  for (const v1::RecommendedMeasure& measure : response.measures()) {
    EXPECT_EQ(measure.measure().be_year(), 2566);
    EXPECT_THAT(measure.measure().DebugString(), Not(HasSubstr("{be_year}")));
  }

  // No scores yet: nothing to recommend from.
  v1::Assessment created;
  v1::CreateAssessmentRequest create;
  create.set_parent("organizations/6340101");
  create.mutable_assessment()->mutable_fiscal_year()->set_be_year(2566);
  ASSERT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, create, &created),
              GrpcIsOk());
  EXPECT_THAT(Recommend(Caller::kSystem, created.name(), &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  v1::AgencyAnalysis analysis;
  EXPECT_THAT(Analyze(Caller::kSystem, created.name(), &analysis),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(
      Recommend(Caller::kSystem, NameOf(kOrganization, 2564), &response),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

// ============================================================ peer analytics

struct PeerSpec {
  std::string code;
  std::string province;
  common::v1::OrganizationKind kind;
  double overall;
  std::string grade;  // As published; empty: none given.
  std::map<int, double> indicators;
};

// 45 FY2567 assessments over 3 provinces and 2 kinds, from a fixed seed:
// 6340101 (the operator's) at 87.50 with two others tied with it, boundary
// scores 85, 90, 95 and 100, seed 001's 99.78 labelled "ต้องปรับปรุง", some
// without a published label, and indicator 10 missing from every fourth.
std::vector<PeerSpec> MakePeers() {
  const absl::string_view provinces[] = {kSakonNakhon, kUdonThani, kKhonKaen};
  uint64_t state = 2567;
  auto next = [&state](int modulo) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>((state >> 33) % static_cast<uint64_t>(modulo));
  };
  std::vector<PeerSpec> peers;
  for (int i = 0; i < 45; ++i) {
    PeerSpec& peer = peers.emplace_back();
    peer.code =
        i == 0 ? std::string(kOrganization) : absl::StrFormat("63%05d", i);
    peer.province = std::string(provinces[i % 3]);
    peer.kind = i % 2 == 0 ? kSao : kMunicipality;
    int hundredths = 6000 + next(4001);
    switch (i) {
      case 0:
      case 3:
      case 8:
        hundredths = 8750;
        break;
      case 5:
        hundredths = 10000;
        break;
      case 7:
        hundredths = 9500;
        break;
      case 9:
        hundredths = 8500;
        break;
      case 11:
        hundredths = 9000;
        break;
      case 13:
        hundredths = 9978;
        break;
      default:
        break;
    }
    // An integer over 100 is the double nearest the two-decimal figure, as
    // the service reads it back.
    peer.overall = static_cast<double>(hundredths) / 100;
    peer.grade = i == 13      ? "ต้องปรับปรุง"
                 : i % 4 == 1 ? ""
                              : Band2566(peer.overall);
    for (int number = 1; number <= 10; ++number) {
      const int value = 5000 + next(5001);
      if (number == 10 && i % 4 == 2) continue;
      peer.indicators[number] = static_cast<double>(value) / 100;
    }
  }
  return peers;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// What GetPeerAnalytics must answer, by brute force over `all`.
void ExpectPeerAnalytics(const v1::PeerAnalytics& actual,
                         const std::vector<PeerSpec>& all, const PeerSpec& own,
                         v1::PeerGroup group, double threshold) {
  std::vector<const PeerSpec*> peers;
  for (const PeerSpec& peer : all) {
    if ((group == v1::SAME_PROVINCE && peer.province != own.province) ||
        (group == v1::SAME_KIND && peer.kind != own.kind)) {
      continue;
    }
    peers.push_back(&peer);
  }
  const double n = static_cast<double>(peers.size());
  int above = 0, at_or_below = 0, passed = 0, what_if = 0;
  double sum = 0;
  std::vector<double> overalls;
  std::vector<int> bins(10, 0);
  std::map<std::string, int> grades;
  for (const PeerSpec* peer : peers) {
    if (peer->overall > own.overall) ++above;
    if (peer->overall <= own.overall) ++at_or_below;
    if (peer->overall >= 85) ++passed;  // 2567: pass from 85
    if (peer->overall >= threshold) ++what_if;
    sum += peer->overall;
    overalls.push_back(peer->overall);
    ++bins[std::min(9, static_cast<int>(std::floor(peer->overall / 10)))];
    ++grades[peer->grade.empty() ? Band2566(peer->overall) : peer->grade];
  }
  EXPECT_EQ(actual.group(), group);
  EXPECT_EQ(actual.peers(), static_cast<int>(peers.size()));
  // Under 5 peers only the own figures are shown (Issue 17 item 16).
  if (peers.size() < 5) {
    EXPECT_TRUE(actual.suppressed());
    EXPECT_FALSE(actual.has_mean());
    EXPECT_THAT(actual.histogram(), IsEmpty());
    return;
  }
  EXPECT_FALSE(actual.suppressed());
  EXPECT_EQ(actual.rank(), above + 1);
  EXPECT_NEAR(actual.percentile(), 100.0 * at_or_below / n, kTolerance);
  EXPECT_EQ(actual.overall(), own.overall);
  EXPECT_NEAR(actual.mean(), sum / n, kTolerance);
  EXPECT_NEAR(actual.median(), Median(overalls), kTolerance);
  EXPECT_NEAR(actual.pass_rate(), 100.0 * passed / n, kTolerance);
  EXPECT_EQ(actual.what_if_threshold(), threshold);
  EXPECT_NEAR(actual.what_if_pass_rate(), 100.0 * what_if / n, kTolerance);
  ASSERT_THAT(actual.histogram(), SizeIs(10));
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(actual.histogram(i).low(), 10 * i);
    EXPECT_EQ(actual.histogram(i).high(), 10 * (i + 1));
    EXPECT_EQ(actual.histogram(i).count(), bins[i]) << "bin " << i;
  }
  std::map<std::string, int> actual_grades(actual.grade_counts().begin(),
                                           actual.grade_counts().end());
  EXPECT_EQ(actual_grades, grades);
  ASSERT_THAT(actual.indicators(), SizeIs(10));
  for (int i = 0; i < 10; ++i) {
    const v1::PeerIndicator& indicator = actual.indicators(i);
    const int number = i + 1;
    EXPECT_EQ(indicator.number(), number);
    std::vector<double> values;
    double indicator_sum = 0;
    for (const PeerSpec* peer : peers) {
      auto it = peer->indicators.find(number);
      if (it == peer->indicators.end()) continue;
      values.push_back(it->second);
      indicator_sum += it->second;
    }
    auto own_score = own.indicators.find(number);
    EXPECT_EQ(indicator.has_own(), own_score != own.indicators.end()) << number;
    if (own_score != own.indicators.end()) {
      EXPECT_NEAR(indicator.own(), own_score->second, kTolerance) << number;
    }
    EXPECT_EQ(indicator.peers(), static_cast<int>(values.size())) << number;
    EXPECT_EQ(indicator.has_mean(), values.size() >= 5) << number;
    if (values.size() < 5) continue;
    EXPECT_NEAR(indicator.mean(), indicator_sum / values.size(), kTolerance)
        << number;
    EXPECT_NEAR(indicator.median(), Median(values), kTolerance) << number;
  }
}

TEST_P(ItaServiceTest, PeerAnalyticsMatchABruteForce) {
  if (IsSkipped() || !Started()) return;
  const std::vector<PeerSpec> peers = MakePeers();
  for (const PeerSpec& peer : peers) {
    std::vector<std::pair<int, double>> indicators(peer.indicators.begin(),
                                                   peer.indicators.end());
    MustIngest(NameOf(peer.code, 2567),
               Org(absl::StrCat("อบต. ", peer.code), peer.kind, peer.province),
               Summary(peer.overall, peer.grade, indicators));
  }
  // Not peers: an assessment of the year without scores, and another year.
  v1::CreateAssessmentRequest create;
  create.set_parent("organizations/6399999");
  create.mutable_assessment()->mutable_fiscal_year()->set_be_year(2567);
  *create.mutable_assessment()->mutable_organization() =
      Org("อบต. ไม่มีคะแนน", kSao, kSakonNakhon);
  v1::Assessment unscored;
  ASSERT_THAT(Call(&Stub::CreateAssessment, Caller::kSystem, create, &unscored),
              GrpcIsOk());
  MustIngest(NameOf("6300002", 2566), Org("อบต.", kSao, kSakonNakhon),
             Summary(10, "ต้องปรับปรุง", {{1, 10}}));

  const PeerSpec& own = peers[0];
  const std::string name = NameOf(kOrganization, 2567);
  for (v1::PeerGroup group : {v1::NATIONAL, v1::SAME_PROVINCE, v1::SAME_KIND}) {
    for (std::optional<double> threshold :
         {std::optional<double>(), std::optional<double>(90.0),
          std::optional<double>(87.5)}) {
      SCOPED_TRACE(absl::StrCat(v1::PeerGroup_Name(group), " at ",
                                threshold.value_or(85)));
      v1::PeerAnalytics actual;
      ASSERT_THAT(Peers(Caller::kOperator, name, group, threshold, &actual),
                  GrpcIsOk());
      EXPECT_EQ(actual.assessment(), name);
      ExpectPeerAnalytics(actual, peers, own, group, threshold.value_or(85));
    }
  }
  // Ties share the better rank: 6340101 and two others at 87.50.
  const v1::PeerAnalytics national =
      MustPeers(name, v1::PEER_GROUP_UNSPECIFIED);
  EXPECT_EQ(national.group(), v1::NATIONAL);
  EXPECT_EQ(national.peers(), 45);
  // The best (100.00) and the lowest of the year.
  const v1::PeerAnalytics best =
      MustPeers(NameOf(peers[5].code, 2567), v1::SAME_KIND, 90.0);
  EXPECT_EQ(best.rank(), 1);
  EXPECT_EQ(best.percentile(), 100);
  ExpectPeerAnalytics(best, peers, peers[5], v1::SAME_KIND, 90);
  const auto lowest = std::min_element(
      peers.begin(), peers.end(), [](const PeerSpec& a, const PeerSpec& b) {
        return a.overall < b.overall;
      });
  const v1::PeerAnalytics last =
      MustPeers(NameOf(lowest->code, 2567), v1::NATIONAL);
  ExpectPeerAnalytics(last, peers, *lowest, v1::NATIONAL, 85);

  v1::PeerAnalytics refused;
  EXPECT_THAT(Peers(Caller::kSystem, unscored.name(), v1::NATIONAL,
                    std::nullopt, &refused),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Peers(Caller::kSystem, name, v1::NATIONAL, 100.5, &refused),
              IsInvalidField("what_if_threshold"));
  EXPECT_THAT(Peers(Caller::kSystem, name, static_cast<v1::PeerGroup>(9),
                    std::nullopt, &refused),
              IsInvalidField("group"));
  EXPECT_THAT(
      Peers(Caller::kOtherOperator, name, v1::NATIONAL, std::nullopt, &refused),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

TEST_P(ItaServiceTest, PeerGroupNeedsTheOrganizationsProvinceAndKind) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2567);
  MustIngest(name, Org("", common::v1::ORGANIZATION_KIND_UNSPECIFIED, ""),
             Summary(90, "ผ่าน", {}));
  MustIngest(NameOf("6300001", 2567), Org("อบต.", kSao, kSakonNakhon),
             Summary(80, "ต้องปรับปรุง", {}));
  v1::PeerAnalytics peers;
  EXPECT_THAT(
      Peers(Caller::kSystem, name, v1::SAME_PROVINCE, std::nullopt, &peers),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Peers(Caller::kSystem, name, v1::SAME_KIND, std::nullopt, &peers),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  ASSERT_THAT(Peers(Caller::kSystem, name, v1::NATIONAL, std::nullopt, &peers),
              GrpcIsOk());
  EXPECT_EQ(peers.peers(), 2);
  // Two are too few to show figures about the other (Issue 17 item 16).
  EXPECT_TRUE(peers.suppressed());
  EXPECT_FALSE(peers.has_pass_rate());
}

// Peer and trend figures are the assessment's own, not a rounded copy.
TEST_P(ItaServiceTest, PeerAndTrendFiguresKeepFullPrecision) {
  if (IsSkipped() || !Started()) return;
  // i1 answered 3, 1, 1: (100 + 33 + 33) / 3 = 55.333..., indicator 1 too.
  const std::string name = NameOf(kOrganization, 2566);
  std::vector<v1::IngestRawAnswersRequest> messages(1);
  messages[0].set_name(name);
  *messages[0].mutable_organization() = PhonSung();
  *messages[0].add_respondents() = Answers("IIT", {{"i1", 3}});
  *messages[0].add_respondents() = Answers("IIT", {{"i1", 1}});
  *messages[0].add_respondents() = Answers("IIT", {{"i1", 1}});
  v1::Assessment stored;
  ASSERT_THAT(IngestRaw(Caller::kSystem, messages, &stored), GrpcIsOk());
  const double expected = 166.0 / 3;
  ASSERT_THAT(stored.computed().indicators(), SizeIs(1));
  EXPECT_NEAR(stored.computed().indicators(0).score(), expected, kTolerance);
  EXPECT_NEAR(stored.computed().overall().score(), expected, kTolerance);

  const v1::PeerAnalytics peers = MustPeers(name, v1::NATIONAL);
  EXPECT_NEAR(peers.overall(), expected, kTolerance);
  ASSERT_THAT(peers.indicators(), SizeIs(10));
  // BUG: services/ita/ita_store.cc IndicatorColumn writes the indicator
  // scores with absl::StrCat(double), i.e. 6 significant digits, so peers
  // and trends read 55.3333 for 55.333333...: PeerIndicator.own/mean/median
  // and TrendPoint.indicators differ from the assessment's own figure by
  // up to 5e-5 of a point (expected 55.3333333333, actual 55.3333).
  EXPECT_NEAR(peers.indicators(0).own(), expected, kTolerance);
  // (A group of one shows no mean: Issue 17 item 16.)
  v1::GetTrendRequest request;
  request.set_parent("organizations/6340101");
  const v1::Trend trend = MustTrend(request);
  ASSERT_THAT(trend.points(), SizeIs(1));
  EXPECT_NEAR(trend.points(0).overall(), expected, kTolerance);
  EXPECT_NEAR(trend.points(0).indicators().at(1), expected, kTolerance);
}

// ================================================================== trends

class ItaTrendTest : public ItaServiceTest {
 protected:
  // 6340101 (Sakon Nakhon, SAO): 2564 80.00 B, 2565 seed 000 (89.20 A),
  // 2566 91.50 ผ่าน. 6340102 (Sakon Nakhon, municipality): 2565 70.00 C,
  // 2566 84.00 ต้องปรับปรุง. 6340103 (Udon Thani, SAO): 2565 95.00 AA,
  // 2566 96.00 ผ่านดีเยี่ยม.
  void Ingest3Years() {
    MustIngest(NameOf(kOrganization, 2564), PhonSung(),
               Summary(80.00, "B", {{1, 95.00}, {9, 70.00}}));
    MustIngest(NameOf(kOrganization, 2565), PhonSung(), Seed000Published());
    MustIngest(NameOf(kOrganization, 2566), PhonSung(),
               Summary(91.50, "ผ่าน", {{1, 97.00}, {9, 88.00}}));
    const common::v1::OrganizationRef municipality =
        Org("เทศบาลตำบลสว่างแดนดิน", kMunicipality, kSakonNakhon);
    MustIngest(NameOf("6340102", 2565), municipality,
               Summary(70.00, "C", {{1, 80.00}}));
    MustIngest(NameOf("6340102", 2566), municipality,
               Summary(84.00, "ต้องปรับปรุง", {{1, 82.00}}));
    const common::v1::OrganizationRef udon = Org("อบต. อุดร", kSao, kUdonThani);
    MustIngest(NameOf("6340103", 2565), udon, Summary(95.00, "AA", {}));
    MustIngest(NameOf("6340103", 2566), udon, Summary(96.00, "ผ่านดีเยี่ยม", {}));
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, ItaTrendTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(ItaTrendTest, OrganizationTrendMarksThe2566MethodBreak) {
  if (IsSkipped() || !Started()) return;
  Ingest3Years();
  v1::GetTrendRequest request;
  request.set_parent("organizations/6340101");
  v1::Trend trend;
  ASSERT_THAT(GetTrend(Caller::kOperator, request, &trend), GrpcIsOk());
  ASSERT_THAT(trend.points(), SizeIs(3));
  const v1::TrendPoint& p2564 = trend.points(0);
  const v1::TrendPoint& p2565 = trend.points(1);
  const v1::TrendPoint& p2566 = trend.points(2);
  EXPECT_EQ(p2564.be_year(), 2564);
  EXPECT_EQ(p2564.overall(), 80.00);
  EXPECT_EQ(p2564.count(), 1);
  EXPECT_EQ(p2564.pass_rate(), 0);  // B does not pass
  EXPECT_FALSE(p2564.method_break());
  EXPECT_EQ(p2564.indicators().at(9), 70.00);
  EXPECT_EQ(p2565.be_year(), 2565);
  EXPECT_EQ(p2565.overall(), 89.20);
  EXPECT_EQ(p2565.pass_rate(), 100);
  // 2564 and 2565 measure the same way.
  EXPECT_FALSE(p2565.method_break());
  EXPECT_THAT(p2565.method_note(), IsEmpty());
  EXPECT_EQ(p2565.indicators().at(9), 82.06);
  EXPECT_THAT(p2565.indicators(), SizeIs(10));
  EXPECT_EQ(p2566.be_year(), 2566);
  EXPECT_EQ(p2566.overall(), 91.50);
  EXPECT_EQ(p2566.pass_rate(), 100);
  // 2566: pass/excellent bands replace AA-F (and EIT items moved).
  EXPECT_TRUE(p2566.method_break());
  EXPECT_THAT(p2566.method_note(), HasSubstr("grade bands"));

  // A range: the first point is never a break.
  request.set_first_be_year(2566);
  const v1::Trend last = MustTrend(request);
  ASSERT_THAT(last.points(), SizeIs(1));
  EXPECT_EQ(last.points(0).be_year(), 2566);
  EXPECT_FALSE(last.points(0).method_break());
  request.set_first_be_year(2564);
  request.set_last_be_year(2565);
  const v1::Trend first = MustTrend(request);
  ASSERT_THAT(first.points(), SizeIs(2));
  EXPECT_EQ(first.points(1).be_year(), 2565);

  // The 2565 analysis compares with 2564 on the indicators both have:
  // 1: 95.00 → 99.77 (+4.77), 9: 70.00 → 82.06 (+12.06).
  const v1::AgencyAnalysis analysis = MustAnalyze(NameOf(kOrganization, 2565));
  EXPECT_EQ(analysis.previous_be_year(), 2564);
  ASSERT_THAT(analysis.changes(), SizeIs(2));
  EXPECT_EQ(analysis.changes(0).indicator(), 1);
  EXPECT_EQ(analysis.changes(0).previous(), 95.00);
  EXPECT_EQ(analysis.changes(0).current(), 99.77);
  EXPECT_NEAR(analysis.changes(0).change(), 4.77, kTolerance);
  EXPECT_EQ(analysis.changes(1).indicator(), 9);
  EXPECT_NEAR(analysis.changes(1).change(), 12.06, kTolerance);

  // A break marks the year whose framework changed, not every year after
  // it: 2565 stays unmarked between 2564 and the 2566 break. 2567 changed
  // again (2567.textproto: a 33-item OIT list instead of 2566's 43), so it
  // is a break too, for its items.
  MustIngest(NameOf(kOrganization, 2567), PhonSung(),
             Summary(92.00, "ผ่าน", {}));
  request.clear_first_be_year();
  request.clear_last_be_year();
  const v1::Trend four = MustTrend(request);
  ASSERT_THAT(four.points(), SizeIs(4));
  EXPECT_FALSE(four.points(0).method_break());
  EXPECT_FALSE(four.points(1).method_break());
  EXPECT_TRUE(four.points(2).method_break());
  EXPECT_EQ(four.points(3).be_year(), 2567);
  EXPECT_TRUE(four.points(3).method_break());
  EXPECT_THAT(four.points(3).method_note(), HasSubstr("items removed: o34"));
  // The same bands as 2566.
  EXPECT_THAT(four.points(3).method_note(), Not(HasSubstr("grade bands")));

  // Another organization's trend is not the operator's to read.
  request.set_parent("organizations/6340102");
  EXPECT_THAT(GetTrend(Caller::kOperator, request, &trend),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

TEST_P(ItaTrendTest, GroupTrendsAreMeansOverTheGroup) {
  if (IsSkipped() || !Started()) return;
  Ingest3Years();
  // Sakon Nakhon: 2564 {80}, 2565 {89.20, 70}, 2566 {91.50, 84}: every
  // point is under the minimum group size (Issue 17 item 16), so it has its
  // count and method break only. The means themselves are checked in
  // ita_analytics_test (TrendTest).
  v1::GetTrendRequest request;
  request.set_group(v1::SAME_PROVINCE);
  request.set_province(std::string(kSakonNakhon));
  v1::Trend province;
  ASSERT_THAT(GetTrend(Caller::kExecutive, request, &province), GrpcIsOk());
  ASSERT_THAT(province.points(), SizeIs(3));
  EXPECT_EQ(province.points(0).count(), 1);
  EXPECT_EQ(province.points(1).be_year(), 2565);
  EXPECT_EQ(province.points(1).count(), 2);
  EXPECT_FALSE(province.points(1).method_break());
  EXPECT_EQ(province.points(2).count(), 2);
  EXPECT_TRUE(province.points(2).method_break());
  for (const v1::TrendPoint& point : province.points()) {
    EXPECT_TRUE(point.suppressed()) << point.be_year();
    EXPECT_FALSE(point.has_overall()) << point.be_year();
    EXPECT_THAT(point.indicators(), IsEmpty()) << point.be_year();
  }

  // SAO: 2564 {80}, 2565 {89.20, 95}, 2566 {91.50, 96}.
  request.clear_province();
  request.set_group(v1::SAME_KIND);
  request.set_kind(kSao);
  const v1::Trend kind = MustTrend(request);
  ASSERT_THAT(kind.points(), SizeIs(3));
  EXPECT_EQ(kind.points(1).count(), 2);
  EXPECT_TRUE(kind.points(1).suppressed());

  // Nationally from 2565: {89.20, 70, 95}, {91.50, 84, 96}.
  v1::GetTrendRequest national;
  national.set_group(v1::NATIONAL);
  national.set_first_be_year(2565);
  const v1::Trend all = MustTrend(national);
  ASSERT_THAT(all.points(), SizeIs(2));
  EXPECT_EQ(all.points(0).count(), 3);
  EXPECT_FALSE(all.points(0).method_break());
  EXPECT_TRUE(all.points(1).method_break());

  // Two more SAOs of Sakon Nakhon in 2566 make five nationally:
  // {91.50, 84, 96, 80, 90}, 3 of 5 passing (all but 84 and 80).
  for (const auto& [code, overall] :
       {std::pair{"6340104", 80.0}, std::pair{"6340105", 90.0}}) {
    MustIngest(NameOf(code, 2566), Org("อบต.", kSao, kSakonNakhon),
               Summary(overall, Band2566(overall), {{1, overall}}));
  }
  const v1::Trend five = MustTrend(national);
  ASSERT_THAT(five.points(), SizeIs(2));
  EXPECT_EQ(five.points(1).count(), 5);
  EXPECT_FALSE(five.points(1).suppressed());
  EXPECT_NEAR(five.points(1).overall(), (91.50 + 84 + 96 + 80 + 90) / 5,
              kTolerance);
  EXPECT_NEAR(five.points(1).pass_rate(), 60, kTolerance);
  // Indicator 1: 6340101 97, 6340102 82 and the new 80, 90: four, hidden.
  EXPECT_FALSE(five.points(1).indicators().contains(1));

  // A province with nothing: no points.
  request.set_group(v1::SAME_PROVINCE);
  request.set_province("ภูเก็ต");
  EXPECT_THAT(MustTrend(request).points(), IsEmpty());

  v1::Trend refused;
  EXPECT_THAT(GetTrend(Caller::kSystem, v1::GetTrendRequest(), &refused),
              IsInvalidField("group"));
  v1::GetTrendRequest no_province;
  no_province.set_group(v1::SAME_PROVINCE);
  EXPECT_THAT(GetTrend(Caller::kSystem, no_province, &refused),
              IsInvalidField("province"));
  v1::GetTrendRequest no_kind;
  no_kind.set_group(v1::SAME_KIND);
  EXPECT_THAT(GetTrend(Caller::kSystem, no_kind, &refused),
              IsInvalidField("kind"));
  national.set_first_be_year(1999);
  EXPECT_THAT(GetTrend(Caller::kSystem, national, &refused),
              IsInvalidField("first_be_year"));
}

// ================================================================== report

TEST_P(ItaServiceTest, RenderReportInMarkdownAndHtml) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  v1::RenderedReport markdown;
  ASSERT_THAT(
      Render(Caller::kOperator, name, v1::REPORT_FORMAT_UNSPECIFIED, &markdown),
      GrpcIsOk());
  EXPECT_THAT(markdown.content_type(), StartsWith("text/markdown"));
  const std::string& md = markdown.content();
  EXPECT_THAT(md, HasSubstr(kPhonSung));
  EXPECT_THAT(md, HasSubstr("89.20"));
  EXPECT_THAT(md, HasSubstr("3.1 ประเด็นจุดแข็ง"));
  // The strengths, best first, under their heading.
  const size_t strengths = md.find("3.1 ประเด็นจุดแข็ง");
  const size_t list = md.find(
      "- ตัวชี้วัดที่ 10 การป้องกันการทุจริต (100.00 คะแนน)\n"
      "- ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ (99.77 คะแนน)\n"
      "- ตัวชี้วัดที่ 5 การแก้ไขปัญหาการทุจริต (95.10 คะแนน)\n"
      "- ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน (92.30 คะแนน)\n");
  ASSERT_NE(strengths, std::string::npos);
  ASSERT_NE(list, std::string::npos) << md;
  EXPECT_LT(strengths, list);
  EXPECT_LT(list, md.find("3.2 "));
  EXPECT_THAT(md, HasSubstr("- ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (82.06 คะแนน)"));
  // The recommended measure, and why there is no plan target.
  EXPECT_THAT(md, HasSubstr(kDisclosureMeasure));
  EXPECT_THAT(md, HasSubstr("plan service"));
  v1::RenderedReport explicit_markdown;
  ASSERT_THAT(Render(Caller::kAuditor, name, v1::MARKDOWN, &explicit_markdown),
              GrpcIsOk());
  EXPECT_THAT(explicit_markdown, EqualsProto(markdown));

  // Markup in an organization's name is text.
  const std::string tricky = NameOf("7000001", 2565);
  MustIngest(tricky, Org("อบต. <b>&ทดสอบ", kSao, kSakonNakhon),
             Seed000Published());
  v1::RenderedReport html;
  ASSERT_THAT(Render(Caller::kSystem, tricky, v1::HTML, &html), GrpcIsOk());
  EXPECT_EQ(html.content_type(), "text/html; charset=utf-8");
  EXPECT_THAT(html.content(), HasSubstr("อบต. &lt;b&gt;&amp;ทดสอบ"));
  EXPECT_THAT(html.content(), Not(HasSubstr("<b>&")));
  EXPECT_THAT(html.content(), HasSubstr("89.20"));
  EXPECT_THAT(html.content(), HasSubstr(kDisclosureMeasure));
  v1::RenderedReport tricky_markdown;
  ASSERT_THAT(Render(Caller::kSystem, tricky, v1::MARKDOWN, &tricky_markdown),
              GrpcIsOk());
  EXPECT_THAT(tricky_markdown.content(), HasSubstr("อบต. \\<b>&ทดสอบ"));

  v1::RenderedReport refused;
  EXPECT_THAT(
      Render(Caller::kSystem, name, static_cast<v1::ReportFormat>(7), &refused),
      IsInvalidField("format"));
  EXPECT_THAT(
      Render(Caller::kSystem, NameOf(kOrganization, 2564), v1::HTML, &refused),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

// ================================================================= caching

// With Redis in front, every analytics call after a write answers the new
// data: the cache is keyed on the data version the write replaced.
TEST_P(ItaServiceTest, CachedAnalyticsFollowEveryWrite) {
  if (IsSkipped() || !Started()) return;
  std::optional<std::string> redis_url = testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  Restart(WithPlan(), *redis_url);
  if (IsSkipped() || !Started()) return;

  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  const v1::AgencyAnalysis first = MustAnalyze(name);
  EXPECT_EQ(first.overall(), 89.20);
  EXPECT_THAT(MustAnalyze(name), EqualsProto(first));  // from Redis

  // The analysis (without what the plan and complaint services say, the
  // OIT evidence Prongsai's records give and whether a newer framework
  // version exists, all worked out on every call) is in Redis.
  absl::StatusOr<cache::RedisOptions> options =
      cache::ParseRedisUrl(*redis_url);
  ASSERT_TRUE(options.ok()) << options.status();
  cache::RedisClient redis(*options, nullptr);
  absl::StatusOr<cache::Reply> keys = redis.Command(std::vector<std::string>{
      "KEYS",
      absl::StrCat("prongsai:ita:v", kCacheVersion, ":analysis/", name, "/*")});
  ASSERT_TRUE(keys.ok()) << keys.status();
  v1::AgencyAnalysis core = first;
  core.clear_missing();
  core.clear_complaint_handling();
  core.clear_coverage();
  core.clear_oit_evidence();
  core.clear_newer_framework();
  const std::string core_bytes = core.SerializeAsString();
  bool found = false;
  for (const cache::Reply& key : keys->elements) {
    absl::StatusOr<std::optional<std::string>> bytes = redis.Get(key.string);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    if (bytes->has_value() && absl::EndsWith(**bytes, core_bytes)) found = true;
  }
  EXPECT_TRUE(found) << "no cached entry holds the analysis";

  // A new summary: the next analysis has it.
  v1::ScoreSet lower = Seed000Published();
  lower.mutable_overall()->set_score(86.00);
  lower.mutable_indicators(8)->set_score(60.00);
  lower.clear_tools();
  MustIngest(name, PhonSung(), lower);
  v1::AgencyAnalysis second = MustAnalyze(name);
  EXPECT_EQ(second.overall(), 86.00);
  ASSERT_THAT(second.weaknesses(), Not(IsEmpty()));
  EXPECT_EQ(second.weaknesses(0).score(), 60.00);
  // Raw answers: the analysis turns to the computed figures at once.
  std::vector<v1::IngestRawAnswersRequest> raw(1);
  raw[0].set_name(name);
  *raw[0].add_respondents() = Answers("IIT", {{"i1", 2}});
  v1::Assessment computed;
  ASSERT_THAT(IngestRaw(Caller::kSystem, raw, &computed), GrpcIsOk());
  v1::AgencyAnalysis third = MustAnalyze(name);
  EXPECT_EQ(third.basis(), "computed");
  EXPECT_NEAR(third.overall(), 67, kTolerance);
  // A new previous year changes the comparison.
  EXPECT_EQ(third.previous_be_year(), 0);
  MustIngest(NameOf(kOrganization, 2564), PhonSung(),
             Summary(80.00, "B", {{1, 50.00}}));
  EXPECT_EQ(MustAnalyze(name).previous_be_year(), 2564);

  // Peers: each ingest shows in the next answer.
  const std::string own = NameOf(kOrganization, 2567);
  MustIngest(own, PhonSung(), Summary(85.00, "ผ่าน", {}));
  MustIngest(NameOf("7000001", 2567), Org("อบต.", kSao, kUdonThani),
             Summary(90.00, "ผ่าน", {}));
  IngestFillers(2567, 3);
  v1::PeerAnalytics peers = MustPeers(own, v1::NATIONAL);
  EXPECT_EQ(peers.peers(), 5);
  EXPECT_EQ(peers.rank(), 2);
  EXPECT_THAT(MustPeers(own, v1::NATIONAL), EqualsProto(peers));
  MustIngest(NameOf("7000002", 2567), Org("อบต.", kSao, kSakonNakhon),
             Summary(80.00, "ต้องปรับปรุง", {}));
  peers = MustPeers(own, v1::NATIONAL);
  EXPECT_EQ(peers.peers(), 6);
  EXPECT_EQ(peers.rank(), 2);
  // At or below 85: itself, 80 and the three fillers.
  EXPECT_NEAR(peers.percentile(), 500.0 / 6, kTolerance);
  EXPECT_EQ(MustPeers(own, v1::SAME_PROVINCE).peers(), 2);
  MustIngest(own, PhonSung(), Summary(95.00, "ผ่านดีเยี่ยม", {}));
  peers = MustPeers(own, v1::NATIONAL);
  EXPECT_EQ(peers.rank(), 1);
  EXPECT_EQ(peers.percentile(), 100);
  EXPECT_NEAR(peers.mean(), (95.00 + 90.00 + 80.00 + 150.00) / 6, kTolerance);

  // Trends and measures follow too.
  v1::GetTrendRequest trend_request;
  trend_request.set_parent("organizations/6340101");
  EXPECT_THAT(MustTrend(trend_request).points(), SizeIs(3));
  MustIngest(NameOf(kOrganization, 2566), PhonSung(),
             Summary(91.00, "ผ่าน", {}));
  EXPECT_THAT(MustTrend(trend_request).points(), SizeIs(4));
  v1::RecommendMeasuresResponse measures;
  ASSERT_THAT(
      Recommend(Caller::kSystem, NameOf(kOrganization, 2564), &measures),
      GrpcIsOk());
  ASSERT_THAT(measures.measures(), Not(IsEmpty()));
  EXPECT_EQ(measures.measures(0).answers(), "1");
  MustIngest(NameOf(kOrganization, 2564), PhonSung(),
             Summary(80.00, "B", {{1, 95.00}, {9, 50.00}}));
  ASSERT_THAT(
      Recommend(Caller::kSystem, NameOf(kOrganization, 2564), &measures),
      GrpcIsOk());
  ASSERT_THAT(measures.measures(), Not(IsEmpty()));
  EXPECT_EQ(measures.measures(0).answers(), "9");
}

// Requests that differ get different answers through the cache, however
// close their parameters.
TEST_P(ItaServiceTest, CachedAnalyticsKeepCloseParametersApart) {
  if (IsSkipped() || !Started()) return;
  std::optional<std::string> redis_url = testing::RedisUrl();
  PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  Restart(WithPlan(), *redis_url);
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  // Above 99.77 only indicator 10 (100); above 99.76999 also 1 (99.77).
  v1::AnalyzeAssessmentRequest request;
  request.set_name(name);
  request.set_strength_threshold(99.77);
  v1::AgencyAnalysis strict;
  ASSERT_THAT(Call(&Stub::AnalyzeAssessment, Caller::kSystem, request, &strict),
              GrpcIsOk());
  EXPECT_THAT(Numbers(strict.strengths()), ElementsAre(10));
  request.set_strength_threshold(99.76999);
  v1::AgencyAnalysis loose;
  ASSERT_THAT(Call(&Stub::AnalyzeAssessment, Caller::kSystem, request, &loose),
              GrpcIsOk());
  // BUG: services/ita/ita_service.cc CoreAnalysis (and DoGetPeerAnalytics)
  // put the threshold in the cache key with absl::StrCat(double), i.e. 6
  // significant digits: 99.76999 and 99.77 share the key "…/99.77/3", so
  // with Redis the second call answers the first one's strengths ({10})
  // and strength_threshold (99.77) instead of {10, 1} at 99.76999.
  EXPECT_EQ(loose.strength_threshold(), 99.76999);
  EXPECT_THAT(Numbers(loose.strengths()), ElementsAre(10, 1));

  // The same for the what-if pass rate: 89.2 is at 89.20 but not at
  // 89.200001 (four fillers at 50 make the group big enough to show it).
  IngestFillers(2565, 4);
  v1::PeerAnalytics at;
  ASSERT_THAT(Peers(Caller::kSystem, name, v1::NATIONAL, 89.20, &at),
              GrpcIsOk());
  EXPECT_EQ(at.what_if_pass_rate(), 20);
  v1::PeerAnalytics above;
  ASSERT_THAT(Peers(Caller::kSystem, name, v1::NATIONAL, 89.200001, &above),
              GrpcIsOk());
  EXPECT_EQ(above.what_if_threshold(), 89.200001);
  EXPECT_EQ(above.what_if_pass_rate(), 0);
}

// Redis is only a cache: unreachable, every analytics call answers right.
TEST_P(ItaServiceTest, AnalyticsAnswerRightWithRedisDown) {
  if (IsSkipped() || !Started()) return;
  Restart(WithPlan(), "redis://127.0.0.1:1");
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE(round);
    const v1::AgencyAnalysis analysis = MustAnalyze(name);
    EXPECT_EQ(analysis.overall(), 89.20);
    EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(10, 1, 5, 6));
    EXPECT_THAT(Numbers(analysis.weaknesses()), ElementsAre(9));
  }
  v1::RecommendMeasuresResponse measures;
  ASSERT_THAT(Recommend(Caller::kSystem, name, &measures), GrpcIsOk());
  ASSERT_THAT(measures.measures(), Not(IsEmpty()));
  EXPECT_EQ(measures.measures(0).measure().title(), kDisclosureMeasure);
  v1::RenderedReport report;
  ASSERT_THAT(Render(Caller::kSystem, name, v1::MARKDOWN, &report), GrpcIsOk());
  EXPECT_THAT(report.content(), HasSubstr("89.20"));

  MustIngest(NameOf("7000001", 2565), Org("อบต.", kSao, kUdonThani),
             Summary(70.00, "C", {}));
  IngestFillers(2565, 3);
  v1::PeerAnalytics peers = MustPeers(name, v1::NATIONAL);
  EXPECT_EQ(peers.peers(), 5);
  EXPECT_EQ(peers.rank(), 1);
  EXPECT_NEAR(peers.mean(), (89.20 + 70.00 + 150.00) / 5, kTolerance);
  EXPECT_EQ(MustPeers(name, v1::SAME_PROVINCE).peers(), 1);
  v1::GetTrendRequest request;
  request.set_group(v1::NATIONAL);
  v1::Trend trend = MustTrend(request);
  ASSERT_THAT(trend.points(), SizeIs(1));
  EXPECT_EQ(trend.points(0).count(), 5);

  // And after a write.
  MustIngest(name, PhonSung(), Summary(60.00, "D", {{9, 40.00}}));
  EXPECT_EQ(MustAnalyze(name).overall(), 60.00);
  peers = MustPeers(name, v1::NATIONAL);
  EXPECT_EQ(peers.rank(), 2);
  EXPECT_NEAR(MustTrend(request).points(0).overall(), 280.0 / 5, kTolerance);
}

// ============================================================ plan target

class ItaPlanTest : public ItaServiceTest {
 protected:
  // Starts the plan service's binary with 6340101 registered and a
  // 2566-2570 plan whose 2566 target is 87; returns its SYSTEM key.
  std::string StartPlan() {
    testing::PeerProcess::Start(
        {.binary = PRONGSAI_PLAN_BINARY,
         .service = plan::v1::PlanService::service_full_name(),
         .backend = GetParam(),
         .args = {},
         .extra_key_lines = {}},
        &plan_);
    if (plan_ == nullptr) return "";
    auto stub = plan::v1::PlanService::NewStub(plan_->channel());

    plan::v1::CreateOrganizationRequest organization;
    common::v1::OrganizationRef ref = PhonSung();
    ref.set_code(std::string(kOrganization));
    *organization.mutable_organization()->mutable_organization() = ref;
    plan::v1::Organization registered;
    EXPECT_THAT(stub->CreateOrganization(plan_->SystemContext().get(),
                                         organization, &registered),
                GrpcIsOk());

    plan::v1::CreateActionPlanRequest request;
    request.set_parent("organizations/6340101");
    plan::v1::ActionPlan& plan = *request.mutable_action_plan();
    plan.set_title("แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖ - ๒๕๗๐)");
    plan.mutable_fiscal_years()->set_first_be_year(2566);
    plan.mutable_fiscal_years()->set_last_be_year(2570);
    plan::v1::YearTarget* target = plan.add_targets();
    target->set_be_year(2566);
    target->set_ita_score_target(87);
    plan::v1::ActionPlan created;
    EXPECT_THAT(
        stub->CreateActionPlan(plan_->SystemContext().get(), request, &created),
        GrpcIsOk());
    return plan_->system_key();
  }

  void TearDown() override {
    stub_.reset();
    service_.reset();
    plan_.reset();
  }

  std::unique_ptr<testing::PeerProcess> plan_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ItaPlanTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(ItaPlanTest, AnalysisHasThePlansTarget) {
  if (IsSkipped() || !Started()) return;
  const std::string key = StartPlan();
  if (HasFailure() || plan_ == nullptr) return;
  ASSERT_THAT(key, Not(IsEmpty()));
  Restart(WithPlan(plan_->address(), key), "");
  if (IsSkipped() || !Started()) return;

  const std::string name = NameOf(kOrganization, 2566);
  MustIngest(name, PhonSung(), Summary(91.50, "ผ่าน", {{9, 88.00}}));
  const v1::AgencyAnalysis analysis = MustAnalyze(name, Caller::kOperator);
  ASSERT_TRUE(analysis.has_plan_target()) << analysis.ShortDebugString();
  EXPECT_EQ(analysis.plan_target(), 87);
  ASSERT_TRUE(analysis.has_gap_to_target());
  // 87 − 91.50: above the target by 4.50.
  EXPECT_NEAR(analysis.gap_to_target(), -4.50, kTolerance);
  EXPECT_THAT(MissingPlanTarget(analysis), IsEmpty());
  v1::RenderedReport report;
  ASSERT_THAT(Render(Caller::kExecutive, name, v1::MARKDOWN, &report),
              GrpcIsOk());
  EXPECT_THAT(report.content(), HasSubstr("87.00"));
  EXPECT_THAT(report.content(), HasSubstr("4.50"));

  // Below the target the gap is positive: 87 − 80.25 = 6.75.
  MustIngest(name, PhonSung(), Summary(80.25, "ต้องปรับปรุง", {{9, 70.00}}));
  const v1::AgencyAnalysis below = MustAnalyze(name);
  EXPECT_EQ(below.plan_target(), 87);
  EXPECT_NEAR(below.gap_to_target(), 6.75, kTolerance);

  // 2567 is in the plan's years but has no target.
  const std::string next = NameOf(kOrganization, 2567);
  MustIngest(next, PhonSung(), Summary(92.00, "ผ่าน", {}));
  const v1::AgencyAnalysis untargeted = MustAnalyze(next);
  EXPECT_FALSE(untargeted.has_plan_target());
  EXPECT_FALSE(untargeted.has_gap_to_target());
  ASSERT_THAT(MissingPlanTarget(untargeted), SizeIs(1));
  EXPECT_THAT(MissingPlanTarget(untargeted)[0], HasSubstr("2567"));
  EXPECT_EQ(untargeted.overall(), 92.00);
}

TEST_P(ItaPlanTest, AnalysisAnswersWithoutThePlanService) {
  if (IsSkipped() || !Started()) return;
  // Nothing listens on port 1.
  Restart(WithPlan("127.0.0.1:1", "not-a-key"), "");
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  const v1::AgencyAnalysis analysis = MustAnalyze(name);
  EXPECT_EQ(analysis.overall(), 89.20);
  EXPECT_EQ(analysis.grade(), "A");
  EXPECT_THAT(Numbers(analysis.strengths()), ElementsAre(10, 1, 5, 6));
  EXPECT_FALSE(analysis.has_plan_target());
  EXPECT_FALSE(analysis.has_gap_to_target());
  ASSERT_THAT(MissingPlanTarget(analysis), SizeIs(1));
  EXPECT_THAT(MissingPlanTarget(analysis)[0], HasSubstr("plan service"));
  v1::RenderedReport report;
  ASSERT_THAT(Render(Caller::kSystem, name, v1::MARKDOWN, &report), GrpcIsOk());
  EXPECT_THAT(report.content(), HasSubstr(MissingPlanTarget(analysis)[0]));
}

TEST_P(ItaPlanTest, PlanServiceRefusingTheKeyLeavesTheTargetUnknown) {
  if (IsSkipped() || !Started()) return;
  StartPlan();
  if (HasFailure() || plan_ == nullptr) return;
  Restart(WithPlan(plan_->address(), "not-a-key"), "");
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  MustIngest(name, PhonSung(), Summary(91.50, "ผ่าน", {}));
  const v1::AgencyAnalysis analysis = MustAnalyze(name);
  EXPECT_EQ(analysis.overall(), 91.50);
  EXPECT_FALSE(analysis.has_plan_target());
  ASSERT_THAT(MissingPlanTarget(analysis), SizeIs(1));
  EXPECT_THAT(MissingPlanTarget(analysis)[0], HasSubstr("plan service"));
}

// Adopting the recommended measures creates them in the plan once, however
// often it is called, and the analysis then shows them covering the
// weakness.
TEST_P(ItaPlanTest, AdoptedMeasuresCoverTheWeakness) {
  if (IsSkipped() || !Started()) return;
  const std::string key = StartPlan();
  if (HasFailure() || plan_ == nullptr) return;
  Restart(WithPlan(plan_->address(), key), "");
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  MustIngest(name, PhonSung(), Seed000Published());
  v1::RecommendMeasuresResponse recommended;
  ASSERT_THAT(Recommend(Caller::kOperator, name, &recommended), GrpcIsOk());
  ASSERT_THAT(recommended.measures(), Not(IsEmpty()));
  std::vector<std::string> titles;
  for (const v1::RecommendedMeasure& measure : recommended.measures()) {
    titles.push_back(measure.measure().title());
  }

  v1::AdoptRecommendedMeasuresRequest request;
  request.set_name(name);
  v1::AdoptRecommendedMeasuresResponse adopted;
  EXPECT_THAT(Call(&Stub::AdoptRecommendedMeasures, Caller::kAuditor, request,
                   &adopted),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  ASSERT_THAT(Call(&Stub::AdoptRecommendedMeasures, Caller::kOperator, request,
                   &adopted),
              GrpcIsOk());
  EXPECT_THAT(adopted.missing(), IsEmpty());
  std::vector<std::string> adopted_titles;
  std::vector<std::string> names;
  std::string disclosure;
  for (const plan::v1::IntegrityMeasure& measure : adopted.measures()) {
    adopted_titles.push_back(measure.title());
    names.push_back(measure.name());
    EXPECT_THAT(measure.name(), StartsWith("organizations/6340101/"));
    EXPECT_EQ(measure.be_year(), 2566);
    if (measure.title() == kDisclosureMeasure) disclosure = measure.name();
  }
  EXPECT_EQ(adopted_titles, titles);
  ASSERT_THAT(disclosure, Not(IsEmpty()));

  // Again: the same measures, none created twice.
  v1::AdoptRecommendedMeasuresResponse repeated;
  ASSERT_THAT(Call(&Stub::AdoptRecommendedMeasures, Caller::kSystem, request,
                   &repeated),
              GrpcIsOk());
  std::vector<std::string> repeated_names;
  for (const plan::v1::IntegrityMeasure& measure : repeated.measures()) {
    repeated_names.push_back(measure.name());
  }
  EXPECT_EQ(repeated_names, names);
  auto plan_stub = plan::v1::PlanService::NewStub(plan_->channel());
  plan::v1::ListIntegrityMeasuresRequest list;
  list.set_parent("organizations/6340101");
  list.set_be_year(2566);
  list.set_page_size(100);
  plan::v1::ListIntegrityMeasuresResponse in_plan;
  ASSERT_THAT(plan_stub->ListIntegrityMeasures(plan_->SystemContext().get(),
                                               list, &in_plan),
              GrpcIsOk());
  EXPECT_THAT(in_plan.integrity_measures(), SizeIs(titles.size()));

  // The 2565 analysis: weakness 9 is answered by the disclosure measure of
  // 2566, whose quarters are over (the clock is in FY2569) without a DONE
  // report: late.
  const v1::AgencyAnalysis analysis = MustAnalyze(name);
  ASSERT_THAT(analysis.coverage(), SizeIs(1));
  EXPECT_EQ(analysis.coverage(0).indicator(), 9);
  EXPECT_THAT(analysis.coverage(0).measures(), Contains(disclosure));
  EXPECT_THAT(analysis.coverage(0).late_measures(), Contains(disclosure));
}

// ================================================================== roles

TEST_P(ItaServiceTest, ReadersReadAndOnlyWritersWrite) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  v1::Assessment stored;
  ASSERT_THAT(
      Ingest(Caller::kOperator, name, PhonSung(), Seed000Published(), &stored),
      GrpcIsOk());
  v1::GetTrendRequest trend_request;
  trend_request.set_parent("organizations/6340101");

  for (Caller reader : {Caller::kSystem, Caller::kOperator, Caller::kExecutive,
                        Caller::kIntegrityOfficer, Caller::kAuditor}) {
    SCOPED_TRACE(testing::CallerName(reader));
    v1::Assessment got;
    EXPECT_THAT(Get(reader, name, &got), GrpcIsOk());
    EXPECT_THAT(got, EqualsProto(stored));
    v1::AgencyAnalysis analysis;
    ASSERT_THAT(Analyze(reader, name, &analysis), GrpcIsOk());
    EXPECT_EQ(analysis.overall(), 89.20);
    v1::RecommendMeasuresResponse measures;
    EXPECT_THAT(Recommend(reader, name, &measures), GrpcIsOk());
    v1::PeerAnalytics peers;
    ASSERT_THAT(Peers(reader, name, v1::NATIONAL, std::nullopt, &peers),
                GrpcIsOk());
    EXPECT_EQ(peers.peers(), 1);
    v1::Trend trend;
    ASSERT_THAT(GetTrend(reader, trend_request, &trend), GrpcIsOk());
    EXPECT_THAT(trend.points(), SizeIs(1));
    v1::RenderedReport report;
    EXPECT_THAT(Render(reader, name, v1::HTML, &report), GrpcIsOk());
    v1::ListAssessmentsRequest list;
    list.set_parent("organizations/6340101");
    v1::ListAssessmentsResponse listed;
    ASSERT_THAT(Call(&Stub::ListAssessments, reader, list, &listed),
                GrpcIsOk());
    EXPECT_THAT(listed.assessments(), SizeIs(1));
  }

  // Keys scoped to another organization, no key, an unknown key.
  for (Caller outsider :
       {Caller::kOtherOperator, Caller::kAnonymous, Caller::kUnknownKey}) {
    SCOPED_TRACE(testing::CallerName(outsider));
    const grpc::StatusCode code = outsider == Caller::kOtherOperator
                                      ? grpc::StatusCode::PERMISSION_DENIED
                                      : grpc::StatusCode::UNAUTHENTICATED;
    v1::Assessment got;
    EXPECT_THAT(Get(outsider, name, &got), GrpcStatusIs(code));
    v1::AgencyAnalysis analysis;
    EXPECT_THAT(Analyze(outsider, name, &analysis), GrpcStatusIs(code));
    v1::RecommendMeasuresResponse measures;
    EXPECT_THAT(Recommend(outsider, name, &measures), GrpcStatusIs(code));
    v1::PeerAnalytics peers;
    EXPECT_THAT(Peers(outsider, name, v1::NATIONAL, std::nullopt, &peers),
                GrpcStatusIs(code));
    v1::Trend trend;
    EXPECT_THAT(GetTrend(outsider, trend_request, &trend), GrpcStatusIs(code));
    v1::RenderedReport report;
    EXPECT_THAT(Render(outsider, name, v1::MARKDOWN, &report),
                GrpcStatusIs(code));
  }

  // Readers that are not writers cannot ingest or create.
  for (Caller reader :
       {Caller::kAuditor, Caller::kExecutive, Caller::kIntegrityOfficer}) {
    SCOPED_TRACE(testing::CallerName(reader));
    v1::Assessment refused;
    EXPECT_THAT(
        Ingest(reader, name, PhonSung(), Summary(50, "F", {}), &refused),
        GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(Ingest(reader, NameOf(kOrganization, 2566), PhonSung(),
                       Summary(50, "ต้องปรับปรุง", {}), &refused),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(IngestRaw(reader, RawMessages(name), &refused),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    v1::CreateAssessmentRequest create;
    create.set_parent("organizations/6340101");
    create.mutable_assessment()->mutable_fiscal_year()->set_be_year(2567);
    EXPECT_THAT(Call(&Stub::CreateAssessment, reader, create, &refused),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    v1::Framework loaded;
    EXPECT_THAT(
        LoadFramework(reader, MustGetFramework("frameworks/2565"), &loaded),
        GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
  EXPECT_THAT(MustGet(name), EqualsProto(stored));
  ExpectNotFound(NameOf(kOrganization, 2566));
  ExpectNotFound(NameOf(kOrganization, 2567));
  EXPECT_EQ(MustGetFramework("frameworks/2565").version(), 1);
  // The executive reads only their own organization.
  v1::AgencyAnalysis other;
  MustIngest(NameOf("6340102", 2565), PhonSung(), Seed000Published());
  EXPECT_THAT(Analyze(Caller::kExecutive, NameOf("6340102", 2565), &other),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Analyze(Caller::kAuditor, NameOf("6340102", 2565), &other),
              GrpcIsOk());
}

// ================================================================ issue 17

// Another organization's operator is refused at the first message, not after
// the server has read (and held) the whole stream: the stream is still open
// when the refusal comes.
TEST_P(ItaServiceTest,
       Issue17Item2_OtherOrganizationIsRefusedAtTheFirstMessage) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  std::unique_ptr<grpc::ClientContext> context =
      service().Context(Caller::kOtherOperator);
  v1::Assessment out;
  std::unique_ptr<grpc::ClientWriter<v1::IngestRawAnswersRequest>> writer =
      stub_->IngestRawAnswers(context.get(), &out);
  writer->Write(RawMessages(name)[0]);
  // No WritesDone: before the fix the server waited for the rest of the
  // stream, and the call ended only at the client's deadline.
  const grpc::Status status = writer->Finish();
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(status.error_message(), Not(HasSubstr("Deadline")));
  ExpectNotFound(name);
}

// A stream with the assessment's name and no answers is refused and leaves
// the computed figures as they were.
TEST_P(ItaServiceTest, Issue17Item6_EmptyRawStreamReplacesNothing) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  v1::Assessment before;
  ASSERT_THAT(IngestRaw(Caller::kSystem, RawMessages(name), &before),
              GrpcIsOk());
  ASSERT_EQ(before.iit_respondents(), 3);
  ASSERT_GT(before.computed().overall().score(), 0);

  std::vector<v1::IngestRawAnswersRequest> empty(1);
  empty[0].set_name(name);
  *empty[0].mutable_organization() = PhonSung();
  v1::Assessment refused;
  EXPECT_THAT(IngestRaw(Caller::kSystem, empty, &refused),
              IsInvalidField("messages"));
  // Several messages, none with an answer.
  empty.resize(3);
  EXPECT_THAT(IngestRaw(Caller::kSystem, empty, &refused),
              IsInvalidField("messages"));
  EXPECT_THAT(MustGet(name), EqualsProto(before));
  EXPECT_NEAR(MustAnalyze(name).overall(), before.computed().overall().score(),
              kTolerance);
  // A new assessment is not created by an empty stream either.
  empty[0].set_name(NameOf(kOrganization, 2567));
  EXPECT_THAT(IngestRaw(Caller::kSystem, empty, &refused),
              IsInvalidField("messages"));
  ExpectNotFound(NameOf(kOrganization, 2567));
}

// A stream that would drop a tool from the stored computed result (one OIT
// check, one respondent) is refused and changes nothing, unless its first
// message says it replaces the result.
TEST_P(ItaServiceTest, Issue17Item6_PartialRawStreamKeepsTheComputedResult) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  v1::Assessment before;
  ASSERT_THAT(IngestRaw(Caller::kSystem, RawMessages(name), &before),
              GrpcIsOk());
  ASSERT_THAT(Codes(before.computed().tools()),
              ElementsAre("IIT", "EIT", "OIT"));

  std::vector<v1::IngestRawAnswersRequest> one_check(1);
  one_check[0].set_name(name);
  (*one_check[0].mutable_oit_checks())["o1"] = true;
  std::vector<v1::IngestRawAnswersRequest> one_respondent(1);
  one_respondent[0].set_name(name);
  *one_respondent[0].add_respondents() = Answers("IIT", {{"i1", 3}});
  for (const auto& partial : {one_check, one_respondent}) {
    v1::Assessment refused;
    const grpc::Status status = IngestRaw(Caller::kSystem, partial, &refused);
    EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
    EXPECT_THAT(status.error_message(), HasSubstr("replace_computed"));
    EXPECT_THAT(MustGet(name), EqualsProto(before));
  }
  EXPECT_NEAR(MustAnalyze(name).overall(), before.computed().overall().score(),
              kTolerance);

  // The flag belongs to the first message.
  std::vector<v1::IngestRawAnswersRequest> late = one_check;
  late.resize(2);
  late[1].set_replace_computed(true);
  v1::Assessment refused;
  EXPECT_THAT(IngestRaw(Caller::kSystem, late, &refused),
              IsInvalidField("messages[1].replace_computed"));
  EXPECT_THAT(MustGet(name), EqualsProto(before));

  // Every tool again: a new computation replaces the old without the flag.
  std::vector<v1::IngestRawAnswersRequest> full = RawMessages(name);
  *full[2].add_respondents() = Answers("EIT", {{"e1", 0}});
  v1::Assessment recomputed;
  ASSERT_THAT(IngestRaw(Caller::kSystem, full, &recomputed), GrpcIsOk());
  EXPECT_EQ(recomputed.eit_respondents(), 3);

  // Said explicitly: the one OIT check replaces the whole result.
  one_check[0].set_replace_computed(true);
  v1::Assessment replaced;
  ASSERT_THAT(IngestRaw(Caller::kSystem, one_check, &replaced), GrpcIsOk());
  EXPECT_THAT(Codes(replaced.computed().tools()), ElementsAre("OIT"));
  EXPECT_EQ(replaced.iit_respondents(), 0);
}

// A published interval whose low end is above its high end is refused with
// the field's path, and nothing is stored.
TEST_P(ItaServiceTest, Issue17Item17_SwappedIntervalIsRefused) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2565);
  const v1::Assessment stored =
      MustIngest(name, PhonSung(), Seed000Published());
  v1::ScoreSet published = Seed000Published();
  v1::Score* tool = published.mutable_tools(1);
  tool->set_ci_low(95);
  tool->set_ci_high(85);
  v1::Assessment refused;
  EXPECT_THAT(Ingest(Caller::kSystem, name, PhonSung(), published, &refused),
              IsInvalidField("published.tools[1].ci_low"));
  EXPECT_THAT(MustGet(name), EqualsProto(stored));
  // Equal ends are an interval (of one point).
  tool->set_ci_high(95);
  EXPECT_THAT(Ingest(Caller::kSystem, name, PhonSung(), published, &refused),
              GrpcIsOk());
}

// Peer analytics and group trends of a group smaller than 5 show no figure
// about the others; an indicator fewer than 5 peers have shows no mean.
TEST_P(ItaServiceTest, Issue17Item16_SmallGroupsShowNoGroupFigures) {
  if (IsSkipped() || !Started()) return;
  const std::string own = NameOf(kOrganization, 2567);
  MustIngest(own, PhonSung(), Summary(90, "ผ่าน", {{1, 90}, {9, 80}}));
  // One other in Sakon Nakhon: a mean of two is the other's score.
  MustIngest(NameOf("6300001", 2567), Org("อบต. หนึ่ง", kSao, kSakonNakhon),
             Summary(70, "ต้องปรับปรุง", {{1, 70}}));
  // Three more elsewhere: five nationally, only two with indicator 9.
  for (int i = 2; i <= 4; ++i) {
    MustIngest(NameOf(absl::StrCat("630000", i), 2567),
               Org("อบต.", kSao, kUdonThani),
               Summary(80 + i, "ผ่าน", {{1, 80.0 + i}}));
  }
  MustIngest(NameOf("6300002", 2566), Org("อบต.", kSao, kUdonThani),
             Summary(88, "ผ่าน", {{1, 88}, {9, 70}}));

  const v1::PeerAnalytics province = MustPeers(own, v1::SAME_PROVINCE);
  EXPECT_EQ(province.peers(), 2);
  EXPECT_TRUE(province.suppressed());
  EXPECT_EQ(province.minimum_group_size(), 5);
  EXPECT_EQ(province.overall(), 90);
  EXPECT_FALSE(province.has_mean());
  EXPECT_FALSE(province.has_median());
  EXPECT_FALSE(province.has_percentile());
  EXPECT_FALSE(province.has_pass_rate());
  EXPECT_FALSE(province.has_what_if_pass_rate());
  EXPECT_EQ(province.rank(), 0);
  EXPECT_THAT(province.histogram(), IsEmpty());
  EXPECT_THAT(province.grade_counts(), IsEmpty());
  for (const v1::PeerIndicator& indicator : province.indicators()) {
    EXPECT_FALSE(indicator.has_mean()) << indicator.number();
    EXPECT_FALSE(indicator.has_median()) << indicator.number();
  }

  const v1::PeerAnalytics national = MustPeers(own, v1::NATIONAL);
  EXPECT_EQ(national.peers(), 5);
  EXPECT_FALSE(national.suppressed());
  EXPECT_NEAR(national.mean(), (90 + 70 + 82 + 83 + 84) / 5.0, kTolerance);
  EXPECT_EQ(national.rank(), 1);
  std::map<int, v1::PeerIndicator> by_number;
  for (const v1::PeerIndicator& indicator : national.indicators()) {
    by_number[indicator.number()] = indicator;
  }
  EXPECT_NEAR(by_number[1].mean(), (90 + 70 + 82 + 83 + 84) / 5.0, kTolerance);
  // Indicator 9: only the own score; its "mean" would be that score.
  EXPECT_EQ(by_number[9].peers(), 1);
  EXPECT_EQ(by_number[9].own(), 80);
  EXPECT_FALSE(by_number[9].has_mean());
  // No score of its own for indicator 2: absent, not 0.
  EXPECT_FALSE(by_number[2].has_own());

  // The province's trend: a point per year, with no figures.
  v1::GetTrendRequest request;
  request.set_group(v1::SAME_PROVINCE);
  request.set_province(std::string(kSakonNakhon));
  const v1::Trend trend = MustTrend(request);
  EXPECT_EQ(trend.minimum_group_size(), 5);
  ASSERT_THAT(trend.points(), SizeIs(1));
  EXPECT_EQ(trend.points(0).count(), 2);
  EXPECT_TRUE(trend.points(0).suppressed());
  EXPECT_FALSE(trend.points(0).has_overall());
  EXPECT_FALSE(trend.points(0).has_pass_rate());
  EXPECT_THAT(trend.points(0).indicators(), IsEmpty());
  // Nationally: 2566 has one assessment (hidden), 2567 five (shown, but
  // not indicator 9, which one of them has).
  v1::GetTrendRequest all;
  all.set_group(v1::NATIONAL);
  const v1::Trend national_trend = MustTrend(all);
  ASSERT_THAT(national_trend.points(), SizeIs(2));
  EXPECT_TRUE(national_trend.points(0).suppressed());
  EXPECT_FALSE(national_trend.points(0).has_overall());
  EXPECT_FALSE(national_trend.points(1).suppressed());
  EXPECT_NEAR(national_trend.points(1).overall(), 409.0 / 5, kTolerance);
  EXPECT_TRUE(national_trend.points(1).indicators().contains(1));
  EXPECT_FALSE(national_trend.points(1).indicators().contains(9));
  // An organization's own trend hides nothing.
  v1::GetTrendRequest mine;
  mine.set_parent(std::string(testing::kParent));
  const v1::Trend own_trend = MustTrend(mine);
  ASSERT_THAT(own_trend.points(), SizeIs(1));
  EXPECT_EQ(own_trend.points(0).overall(), 90);
  EXPECT_EQ(own_trend.points(0).indicators().at(9), 80);
}

// A report over a summary without item scores says they are absent, instead
// of "no question item scored below 100".
TEST_P(ItaServiceTest, Issue17Item18_ReportSaysItemScoresAreAbsent) {
  if (IsSkipped() || !Started()) return;
  const std::string name = NameOf(kOrganization, 2566);
  MustIngest(name, PhonSung(), Summary(91.50, "ผ่าน", {{1, 97.00}, {9, 88.00}}));
  for (v1::ReportFormat format : {v1::MARKDOWN, v1::HTML}) {
    SCOPED_TRACE(v1::ReportFormat_Name(format));
    v1::RenderedReport report;
    ASSERT_THAT(Render(Caller::kOperator, name, format, &report), GrpcIsOk());
    EXPECT_THAT(report.content(),
                Not(HasSubstr("ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า 100 คะแนน")));
    EXPECT_THAT(report.content(), HasSubstr("ไม่มีข้อมูลคะแนนรายข้อคำถาม"));
  }
  // Without indicator scores, "none above 90" would be a finding too.
  const std::string bare = NameOf(kOrganization, 2567);
  MustIngest(bare, PhonSung(), Summary(91.50, "ผ่าน", {}));
  v1::RenderedReport report;
  ASSERT_THAT(Render(Caller::kOperator, bare, v1::MARKDOWN, &report),
              GrpcIsOk());
  EXPECT_THAT(report.content(), Not(HasSubstr("ไม่มีตัวชี้วัดที่ได้คะแนนมากกว่า")));
  EXPECT_THAT(report.content(), HasSubstr("ไม่มีข้อมูลคะแนนรายตัวชี้วัด"));
  // With item scores all at 100 the finding stands.
  v1::ScoreSet full = Summary(91.50, "ผ่าน", {{1, 97.00}});
  AddScore(full.mutable_items(), "i1", 100);
  MustIngest(name, PhonSung(), full);
  ASSERT_THAT(Render(Caller::kOperator, name, v1::MARKDOWN, &report),
              GrpcIsOk());
  EXPECT_THAT(report.content(), HasSubstr("ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า 100 คะแนน"));
}

// Issue 17 item 5: the ITA service asks the complaint service with its own
// SYSTEM key, and copied the corruption count it got into every caller's
// analysis. Callers who may not read corruption reports (OPERATOR,
// EXECUTIVE) now get figures of general complaints only, without
// corruption_received; those who may (INTEGRITY_OFFICER, AUDITOR, SYSTEM)
// get both.
TEST_P(ItaServiceTest, Issue17Item5_ComplaintHandlingHidesCorruptionFigures) {
  if (IsSkipped() || !Started()) return;
  std::unique_ptr<testing::PeerProcess> complaints;
  testing::PeerProcess::Start(
      {.binary = PRONGSAI_COMPLAINT_BINARY,
       .service = complaint::v1::ComplaintService::service_full_name(),
       .backend = GetParam(),
       .args = {},
       .extra_key_lines = {}},
      &complaints);
  if (HasFailure() || complaints == nullptr) return;
  // The complaint service's binary runs on the real clock, which files the
  // complaints in the fiscal year running now: the ITA service's clock is
  // moved there too, and the assessment is of that year.
  clock_.Advance(absl::Now() - clock_.Now());
  const int be_year = thai::FiscalQuarterOf(clock_.Now()).be_year;
  auto complaint_stub =
      complaint::v1::ComplaintService::NewStub(complaints->channel());
  // Three general complaints, two reports.
  for (int i = 0; i < 5; ++i) {
    complaint::v1::CreateComplaintRequest request;
    request.set_parent("organizations/6340101");
    complaint::v1::Complaint& filed = *request.mutable_complaint();
    filed.set_kind(i < 3 ? complaint::v1::Complaint::GENERAL
                         : complaint::v1::Complaint::CORRUPTION);
    filed.set_channel(complaint::v1::Complaint::WEBSITE);
    filed.set_subject(i < 3 ? "ไฟฟ้าส่องสว่างดับ" : "เรียกรับเงินค่าอนุญาตก่อสร้าง");
    filed.set_description(i < 3 ? "ไฟถนนหน้าโรงเรียนดับ" : "เจ้าหน้าที่เรียกเงินพิเศษ");
    complaint::v1::Complaint created;
    ASSERT_THAT(
        complaint_stub->CreateComplaint(
            testing::PeerProcess::AnonymousContext().get(), request, &created),
        GrpcIsOk());
  }
  ItaOptions options = WithPlan();
  options.complaint_address = complaints->address();
  options.peer_api_key = complaints->system_key();
  Restart(std::move(options), "");
  if (IsSkipped() || !Started()) return;
  // The year running now may have no shipped framework: the 2568 one,
  // loaded for the year.
  v1::Framework framework = MustGetFramework("frameworks/2568");
  framework.set_be_year(be_year);
  v1::Framework loaded;
  ASSERT_THAT(LoadFramework(Caller::kSystem, framework, &loaded), GrpcIsOk());
  const std::string name = NameOf(kOrganization, be_year);
  MustIngest(name, PhonSung(), Summary(90, "ผ่าน", {}));

  for (Caller caller : {Caller::kOperator, Caller::kExecutive}) {
    SCOPED_TRACE(testing::CallerName(caller));
    const v1::AgencyAnalysis analysis = MustAnalyze(name, caller);
    ASSERT_TRUE(analysis.has_complaint_handling())
        << absl::StrJoin(analysis.missing(), " | ");
    const v1::ComplaintHandling& handling = analysis.complaint_handling();
    EXPECT_TRUE(handling.general_only());
    EXPECT_FALSE(handling.has_corruption_received());
    // Not 5: beside the general count, a total would give the reports.
    EXPECT_EQ(handling.received(), 3);
    EXPECT_THAT(handling.bears_on(), Contains("5"));
  }
  for (Caller caller :
       {Caller::kIntegrityOfficer, Caller::kAuditor, Caller::kSystem}) {
    SCOPED_TRACE(testing::CallerName(caller));
    const v1::AgencyAnalysis analysis = MustAnalyze(name, caller);
    ASSERT_TRUE(analysis.has_complaint_handling())
        << absl::StrJoin(analysis.missing(), " | ");
    const v1::ComplaintHandling& handling = analysis.complaint_handling();
    EXPECT_FALSE(handling.general_only());
    ASSERT_TRUE(handling.has_corruption_received());
    EXPECT_EQ(handling.corruption_received(), 2);
    EXPECT_EQ(handling.received(), 5);
  }
}

}  // namespace
}  // namespace prongsai::ita
