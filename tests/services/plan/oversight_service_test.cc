// The oversight standings through gRPC, with the plan, complaint and ITA
// services all real (in-process hosts on the test's backend, one clock):
// the data is made through the three public APIs and every figure of a
// standing and of the group's totals is checked against what was made.
#include "services/plan/oversight_service.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "prongsai/plan/v1/oversight.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/ita/ita_service.h"
#include "services/plan/plan_service.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/service_test_util.h"
#include "tests/support/test_env.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::TestService;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// The standings' year, and the year whose ITA weaknesses its measures
// answer. The clock starts on 1 October 2025, the first day of FY2569.
constexpr int kYear = 2569;
constexpr int kPrevious = 2568;
constexpr char kYasothon[] = "ยโสธร";
constexpr char kMueang[] = "เมืองยโสธร";

// A: 6340101 (the operator's): announced plan, annual plan, 6- and 12-month
// reports, three measures. B: approved plan only. C: no plan. D: another
// province, a draft plan.
constexpr char kA[] = "6340101";
constexpr char kB[] = "6340102";
constexpr char kC[] = "6340103";
constexpr char kD[] = "9999999";

common::v1::OrganizationRef Org(absl::string_view code, absl::string_view name,
                                absl::string_view province,
                                absl::string_view district,
                                common::v1::OrganizationKind kind) {
  common::v1::OrganizationRef ref;
  ref.set_code(std::string(code));
  ref.set_name(std::string(name));
  ref.set_province(std::string(province));
  ref.set_district(std::string(district));
  ref.set_kind(kind);
  return ref;
}

class OversightTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    testing::TestServiceOptions options;
    options.backend = GetParam();
    options.clock = clock_.AsClock();
    // Each service with the cache, as deployed (none when no Redis).
    options.redis_url = testing::RedisUrl().value_or("");
    TestService::Start(testing::ComplaintDefinitionForTest(), options,
                       &complaint_);
    if (complaint_ == nullptr) return;
    absl::StatusOr<server::ServiceDefinition> ita = ita::ItaServiceDefinition();
    ASSERT_TRUE(ita.ok()) << ita.status();
    TestService::Start(*std::move(ita), options, &ita_);
    if (ita_ == nullptr) return;
    StartPlan(testing::RedisUrl().value_or(""));
  }

  // The plan host with its OversightService asking the two peers (with
  // each one's own SYSTEM key).
  void StartPlan(std::string redis_url) {
    server::ServiceDefinition definition = PlanServiceDefinition();
    for (server::AdditionalService& additional :
         definition.additional_services) {
      if (additional.service_full_name ==
          v1::OversightService::service_full_name()) {
        additional = OversightServiceDefinition(
            {.complaint_address = complaint_->host().address(),
             .complaint_api_key = complaint_->Key(Caller::kSystem),
             .ita_address = ita_->host().address(),
             .ita_api_key = ita_->Key(Caller::kSystem),
             .peer_credentials = nullptr});
      }
    }
    StartService(std::move(definition), std::move(redis_url));
    if (service_ == nullptr) return;
    plan_ = v1::PlanService::NewStub(service().channel());
    oversight_ = v1::OversightService::NewStub(service().channel());
    complaints_ =
        complaint::v1::ComplaintService::NewStub(complaint_->channel());
    assessments_ = ita::v1::AssessmentService::NewStub(ita_->channel());
  }

  bool Started() const { return oversight_ != nullptr; }

  // ------------------------------------------------------------- plan data

  void Register(const common::v1::OrganizationRef& ref) {
    v1::CreateOrganizationRequest request;
    *request.mutable_organization()->mutable_organization() = ref;
    v1::Organization out;
    ASSERT_THAT(plan_->CreateOrganization(
                    service().Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
  }

  v1::ActionPlan CreatePlan(absl::string_view code, int advance_to) {
    v1::CreateActionPlanRequest request;
    request.set_parent(absl::StrCat("organizations/", code));
    request.set_request_id(absl::StrCat("plan-", code));
    v1::ActionPlan& plan = *request.mutable_action_plan();
    plan.set_title("แผนปฏิบัติการป้องกันการทุจริต");
    plan.mutable_fiscal_years()->set_first_be_year(2566);
    plan.mutable_fiscal_years()->set_last_be_year(2570);
    v1::ActionPlan out;
    EXPECT_THAT(plan_->CreateActionPlan(
                    service().Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
    if (advance_to >= v1::ActionPlan::APPROVED) {
      v1::ApproveActionPlanRequest approve;
      approve.set_name(out.name());
      EXPECT_THAT(plan_->ApproveActionPlan(
                      service().Context(Caller::kSystem).get(), approve, &out),
                  GrpcIsOk());
    }
    if (advance_to >= v1::ActionPlan::ANNOUNCED) {
      v1::AnnounceActionPlanRequest announce;
      announce.set_name(out.name());
      EXPECT_THAT(plan_->AnnounceActionPlan(
                      service().Context(Caller::kSystem).get(), announce, &out),
                  GrpcIsOk());
    }
    return out;
  }

  v1::AnnualPlan CreateAnnual(const v1::ActionPlan& plan) {
    v1::CreateAnnualPlanRequest request;
    request.set_parent(plan.name());
    request.set_be_year(kYear);
    request.set_request_id("annual");
    v1::AnnualPlan out;
    EXPECT_THAT(plan_->CreateAnnualPlan(
                    service().Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
    return out;
  }

  v1::IntegrityMeasure CreateMeasure(absl::string_view code,
                                     absl::string_view title, int quarter,
                                     absl::string_view indicator) {
    v1::CreateIntegrityMeasureRequest request;
    request.set_parent(absl::StrCat("organizations/", code));
    v1::IntegrityMeasure& measure = *request.mutable_integrity_measure();
    measure.set_be_year(kYear);
    measure.set_title(std::string(title));
    measure.add_quarters(quarter);
    measure.add_ita_indicators(std::string(indicator));
    v1::IntegrityMeasure out;
    EXPECT_THAT(plan_->CreateIntegrityMeasure(
                    service().Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
    return out;
  }

  v1::ProgressReport Report(absl::string_view code, absl::string_view subject,
                            v1::Round round,
                            v1::ProgressReport::Status status) {
    clock_.Advance(absl::Minutes(1));
    v1::CreateProgressReportRequest request;
    request.set_parent(absl::StrCat("organizations/", code));
    v1::ProgressReport& report = *request.mutable_progress_report();
    report.set_subject(std::string(subject));
    report.set_be_year(kYear);
    report.set_round(round);
    report.set_status(status);
    v1::ProgressReport out;
    EXPECT_THAT(plan_->CreateProgressReport(
                    service().Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
    return out;
  }

  // -------------------------------------------------------------- ITA data

  // FY2569 has no shipped framework: FY2568's, loaded as 2569's.
  void LoadFramework2569() {
    ita::v1::GetFrameworkRequest get;
    get.set_name("frameworks/2568");
    ita::v1::Framework framework;
    ASSERT_THAT(assessments_->GetFramework(ita_->Context(Caller::kSystem).get(),
                                           get, &framework),
                GrpcIsOk());
    framework.set_be_year(kYear);
    framework.clear_name();
    framework.clear_version();
    ita::v1::LoadFrameworkRequest load;
    *load.mutable_framework() = framework;
    ita::v1::Framework loaded;
    ASSERT_THAT(assessments_->LoadFramework(
                    ita_->Context(Caller::kSystem).get(), load, &loaded),
                GrpcIsOk());
  }

  // A published result: overall `overall`, indicator i scoring scores[i-1].
  void Ingest(const common::v1::OrganizationRef& org, int be_year,
              double overall, const std::vector<double>& scores) {
    ita::v1::IngestPublishedScoresRequest request;
    request.set_name(
        absl::StrCat("organizations/", org.code(), "/assessments/", be_year));
    *request.mutable_organization() = org;
    ita::v1::ScoreSet& published = *request.mutable_published();
    published.mutable_overall()->set_score(overall);
    for (size_t i = 0; i < scores.size(); ++i) {
      ita::v1::Score& score = *published.add_indicators();
      score.set_code(absl::StrCat(i + 1));
      score.set_score(scores[i]);
    }
    ita::v1::Assessment out;
    ASSERT_THAT(assessments_->IngestPublishedScores(
                    ita_->Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
  }

  // -------------------------------------------------------- complaint data

  void File(absl::string_view code, complaint::v1::Complaint::Kind kind) {
    complaint::v1::CreateComplaintRequest request;
    request.set_parent(absl::StrCat("organizations/", code));
    request.set_request_id(absl::StrCat("c-", ++filed_));
    complaint::v1::Complaint& c = *request.mutable_complaint();
    c.set_kind(kind);
    c.set_channel(complaint::v1::Complaint::PHONE);
    c.set_subject("น้ำประปาไม่ไหล");
    c.set_description("หมู่ที่ ๓ น้ำประปาไม่ไหลมาสามวันแล้ว");
    complaint::v1::Complaint out;
    ASSERT_THAT(complaints_->CreateComplaint(
                    complaint_->Context(Caller::kSystem).get(), request, &out),
                GrpcIsOk());
  }

  // The scenario of the file's header, then the clock at the start of Q3
  // of FY2569 (so that measures of Q1 are over).
  void MakeScenario() {
    a_ = Org(kA, "อบต.เอ", kYasothon, kMueang,
             common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    b_ = Org(kB, "อบต.บี", kYasothon, "คำเขื่อนแก้ว",
             common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    c_ = Org(kC, "เทศบาลซี", kYasothon, kMueang, common::v1::MUNICIPALITY);
    d_ = Org(kD, "อบต.ดี", "อุบลราชธานี", "เมืองอุบลราชธานี",
             common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    for (const auto& org : {a_, b_, c_, d_}) Register(org);
    plan_a_ = CreatePlan(kA, v1::ActionPlan::ANNOUNCED);
    annual_a_ = CreateAnnual(plan_a_);
    // Answer 2568's weaknesses (indicators 9 and 4), one of them late.
    late_ = CreateMeasure(kA, "มาตรการเปิดเผยข้อมูล", 1, "9");
    CreateMeasure(kA, "มาตรการป้องกันผลประโยชน์ทับซ้อน", 4, "4");
    const v1::IntegrityMeasure done =
        CreateMeasure(kA, "มาตรการปฏิบัติหน้าที่", 1, "1");
    half_ = Report(kA, done.name(), v1::HALF_YEAR, v1::ProgressReport::DONE);
    Report(kA, done.name(), v1::HALF_YEAR, v1::ProgressReport::DONE);
    full_ = Report(kA, late_.name(), v1::FULL_YEAR,
                   v1::ProgressReport::IN_PROGRESS);
    CreatePlan(kB, v1::ActionPlan::APPROVED);
    CreatePlan(kD, v1::ActionPlan::DRAFT);

    LoadFramework2569();
    const std::vector<double> weak_9_and_4 = {
        99.50, 90.40, 87.70, 83.80, 96.00, 93.50, 89.10, 87.40, 72.60, 100.0};
    Ingest(a_, kPrevious, 89.60, weak_9_and_4);
    Ingest(a_, kYear, 89.60, weak_9_and_4);
    Ingest(b_, kYear, 92.00, weak_9_and_4);
    Ingest(c_, kYear, 89.60, weak_9_and_4);

    File(kA, complaint::v1::Complaint::GENERAL);
    File(kA, complaint::v1::Complaint::GENERAL);
    File(kA, complaint::v1::Complaint::CORRUPTION);
    File(kB, complaint::v1::Complaint::GENERAL);

    const absl::Time q3 = absl::FromCivil(
        absl::CivilSecond(thai::QuarterFirstDay(kYear, 3)) + 12L * 3600,
        thai::BangkokTimeZone());
    clock_.Advance(q3 - clock_.Now());
  }

  v1::StandingQuery Query(absl::string_view province = "",
                          absl::string_view order_by = "") {
    v1::StandingQuery query;
    query.mutable_fiscal_year()->set_be_year(kYear);
    query.set_province(std::string(province));
    query.set_order_by(std::string(order_by));
    return query;
  }

  grpc::Status List(Caller caller, const v1::StandingQuery& query,
                    v1::ListOrganizationStandingsResponse* out,
                    int page_size = 0, absl::string_view token = "") {
    v1::ListOrganizationStandingsRequest request;
    *request.mutable_query() = query;
    request.set_page_size(page_size);
    request.set_page_token(std::string(token));
    return oversight_->ListOrganizationStandings(
        service().Context(caller).get(), request, out);
  }

  v1::ListOrganizationStandingsResponse MustList(
      Caller caller, const v1::StandingQuery& query) {
    v1::ListOrganizationStandingsResponse out;
    EXPECT_THAT(List(caller, query, &out), GrpcIsOk());
    return out;
  }

  static std::vector<std::string> Codes(
      const v1::ListOrganizationStandingsResponse& response) {
    std::vector<std::string> codes;
    for (const auto& standing : response.standings()) {
      codes.push_back(standing.organization().code());
    }
    return codes;
  }

  static const v1::OrganizationStanding& Of(
      const v1::ListOrganizationStandingsResponse& response,
      absl::string_view code) {
    for (const auto& standing : response.standings()) {
      if (standing.organization().code() == code) return standing;
    }
    static const v1::OrganizationStanding* none =
        new v1::OrganizationStanding();
    ADD_FAILURE() << "no standing of " << code;
    return *none;
  }

  std::unique_ptr<TestService> complaint_;
  std::unique_ptr<TestService> ita_;
  std::unique_ptr<v1::PlanService::Stub> plan_;
  std::unique_ptr<v1::OversightService::Stub> oversight_;
  std::unique_ptr<complaint::v1::ComplaintService::Stub> complaints_;
  std::unique_ptr<ita::v1::AssessmentService::Stub> assessments_;
  int filed_ = 0;
  common::v1::OrganizationRef a_, b_, c_, d_;
  v1::ActionPlan plan_a_;
  v1::AnnualPlan annual_a_;
  v1::IntegrityMeasure late_;
  v1::ProgressReport half_, full_;
};

TEST_P(OversightTest, AProvinceHasEveryPartOfEveryStandingAndItsTotals) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  const v1::ListOrganizationStandingsResponse response =
      MustList(Caller::kSystem, Query(kYasothon));
  EXPECT_THAT(response.missing(), IsEmpty());
  EXPECT_EQ(response.total_size(), 3);
  EXPECT_THAT(Codes(response), ElementsAre(kA, kB, kC));  // by code
  EXPECT_TRUE(response.next_page_token().empty());

  const v1::OrganizationStanding& a = Of(response, kA);
  EXPECT_EQ(a.organization().name(), "อบต.เอ");
  EXPECT_EQ(a.organization().district(), kMueang);
  EXPECT_EQ(a.plan().action_plan(), plan_a_.name());
  EXPECT_EQ(a.plan().action_plan_state(), v1::ActionPlan::ANNOUNCED);
  EXPECT_EQ(a.plan().announce_time().seconds(),
            plan_a_.announce_time().seconds());
  EXPECT_EQ(a.plan().annual_plan(), annual_a_.name());
  // The first report of each round, not the later one.
  EXPECT_EQ(a.plan().half_year_report_time().seconds(),
            half_.report_time().seconds());
  EXPECT_EQ(a.plan().full_year_report_time().seconds(),
            full_.report_time().seconds());
  EXPECT_EQ(a.plan().lpa_requirements_met(), 4);
  EXPECT_EQ(a.plan().measures(), 3);
  EXPECT_EQ(a.plan().measures_answering_weaknesses(), 2);
  // Q1's measure with an IN_PROGRESS report is late; Q1's DONE one is not,
  // nor Q4's.
  EXPECT_EQ(a.plan().late_measures(), 1);
  EXPECT_THAT(a.plan().previous_year_weaknesses(),
              ::testing::IsSupersetOf({"9", "4"}));
  EXPECT_THAT(a.plan().previous_year_weaknesses(),
              ::testing::Not(::testing::Contains("1")));
  EXPECT_EQ(a.ita().assessment(), "organizations/6340101/assessments/2569");
  EXPECT_DOUBLE_EQ(a.ita().score(), 89.60);
  EXPECT_FALSE(a.ita().grade().empty());
  EXPECT_EQ(a.ita().rank(), 2);
  EXPECT_EQ(a.complaints().received(), 3);  // corruption included: SYSTEM
  EXPECT_EQ(a.complaints().open(), 3);
  EXPECT_EQ(a.complaints().overdue(), 3);  // 15 days are long past
  EXPECT_FALSE(a.complaints().general_only());

  const v1::OrganizationStanding& b = Of(response, kB);
  EXPECT_EQ(b.plan().action_plan_state(), v1::ActionPlan::APPROVED);
  EXPECT_FALSE(b.plan().has_announce_time());
  EXPECT_EQ(b.plan().lpa_requirements_met(), 0);  // approved is not enough
  EXPECT_EQ(b.plan().measures(), 0);
  EXPECT_EQ(b.ita().rank(), 1);
  EXPECT_EQ(b.complaints().received(), 1);

  const v1::OrganizationStanding& c = Of(response, kC);
  EXPECT_TRUE(c.plan().action_plan().empty());
  EXPECT_EQ(c.plan().action_plan_state(), v1::ActionPlan::STATE_UNSPECIFIED);
  EXPECT_EQ(c.ita().rank(), 2);  // ties with A: 1, 2, 2
  EXPECT_EQ(c.complaints().received(), 0);
  EXPECT_FALSE(c.complaints().has_percent_satisfied());

  const v1::StandingTotals& t = response.totals();
  EXPECT_EQ(t.organizations(), 3);
  EXPECT_EQ(t.plan_covers_year(), 2);
  EXPECT_EQ(t.plan_announced(), 1);
  EXPECT_EQ(t.annual_plan(), 1);
  EXPECT_EQ(t.half_year_report(), 1);
  EXPECT_EQ(t.full_year_report(), 1);
  EXPECT_EQ(t.all_lpa_requirements(), 1);
  EXPECT_EQ(t.measures(), 3);
  EXPECT_EQ(t.measures_answering_weaknesses(), 2);
  EXPECT_EQ(t.late_measures(), 1);
  EXPECT_EQ(t.ita_scored(), 3);
  EXPECT_NEAR(t.mean_ita_score(), (89.60 + 92.00 + 89.60) / 3, 1e-9);
  EXPECT_EQ(t.ita_passed(), 3);
  EXPECT_EQ(t.complaints_received(), 4);
  EXPECT_EQ(t.complaints_open(), 4);
  EXPECT_EQ(t.complaints_overdue(), 4);
}

TEST_P(OversightTest, FiltersAndOrders) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  EXPECT_EQ(MustList(Caller::kAuditor, Query()).total_size(), 4);
  v1::StandingQuery district = Query(kYasothon);
  district.set_district(kMueang);
  EXPECT_THAT(Codes(MustList(Caller::kSystem, district)), ElementsAre(kA, kC));
  v1::StandingQuery kind = Query();
  kind.set_kind(common::v1::MUNICIPALITY);
  EXPECT_THAT(Codes(MustList(Caller::kSystem, kind)), ElementsAre(kC));
  // Equal scores by code; without a score last, whatever the direction.
  EXPECT_THAT(Codes(MustList(Caller::kSystem, Query("", "ita_score desc"))),
              ElementsAre(kB, kA, kC, kD));
  EXPECT_THAT(Codes(MustList(Caller::kSystem, Query("", "ita_score"))),
              ElementsAre(kA, kC, kB, kD));
  EXPECT_THAT(
      Codes(MustList(Caller::kSystem,
                     Query("", "lpa_requirements_met desc, code desc"))),
      ElementsAre(kA, kD, kC, kB));
  // The ranks are the group's: in the whole country D has none.
  EXPECT_EQ(Of(MustList(Caller::kSystem, Query()), kD).ita().rank(), 0);
}

TEST_P(OversightTest, AnOperatorSeesItsOwnOrganizationsAndNoCorruption) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  for (Caller caller : {Caller::kOperator, Caller::kExecutive}) {
    const v1::ListOrganizationStandingsResponse response =
        MustList(caller, Query());
    EXPECT_THAT(Codes(response), ElementsAre(kA))
        << testing::CallerName(caller);
    EXPECT_EQ(response.totals().organizations(), 1);
    // The group is its own: A is first there.
    EXPECT_EQ(Of(response, kA).ita().rank(), 1);
    EXPECT_EQ(Of(response, kA).complaints().received(), 2);
    EXPECT_TRUE(Of(response, kA).complaints().general_only());
    EXPECT_EQ(response.totals().complaints_received(), 2);
  }
  EXPECT_THAT(Codes(MustList(Caller::kOtherOperator, Query())),
              ElementsAre(kD));
  v1::ListOrganizationStandingsResponse out;
  for (Caller caller : {Caller::kAnonymous, Caller::kIntegrityOfficer}) {
    const grpc::Status status = List(caller, Query(), &out);
    EXPECT_TRUE(status.error_code() == grpc::StatusCode::UNAUTHENTICATED ||
                status.error_code() == grpc::StatusCode::PERMISSION_DENIED)
        << testing::CallerName(caller) << ": " << status.error_message();
  }
}

TEST_P(OversightTest, ValidatesTheQuery) {
  if (IsSkipped() || !Started()) return;
  v1::ListOrganizationStandingsResponse out;
  v1::StandingQuery query = Query();
  query.clear_fiscal_year();
  EXPECT_THAT(List(Caller::kSystem, query, &out),
              IsInvalidField("query.fiscal_year.be_year"));
  query = Query();
  query.mutable_fiscal_year()->set_be_year(2026);  // C.E.
  EXPECT_THAT(List(Caller::kSystem, query, &out),
              IsInvalidField("query.fiscal_year.be_year"));
  query = Query();
  query.set_district(kMueang);
  EXPECT_THAT(List(Caller::kSystem, query, &out),
              IsInvalidField("query.district"));
  for (const char* order_by :
       {"score", "code sideways", "code desc desc", "code,,name"}) {
    EXPECT_THAT(List(Caller::kSystem, Query("", order_by), &out),
                IsInvalidField("query.order_by"))
        << order_by;
  }
  EXPECT_THAT(List(Caller::kSystem, Query(), &out, -1),
              IsInvalidField("page_size"));
  query = Query();
  query.set_kind(static_cast<common::v1::OrganizationKind>(99));
  EXPECT_THAT(List(Caller::kSystem, query, &out), IsInvalidField("query.kind"));
}

TEST_P(OversightTest, PagesAreBoundToTheirQuery) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  v1::ListOrganizationStandingsResponse first;
  ASSERT_THAT(List(Caller::kSystem, Query("", "ita_score desc"), &first, 3),
              GrpcIsOk());
  EXPECT_THAT(Codes(first), ElementsAre(kB, kA, kC));
  EXPECT_EQ(first.total_size(), 4);
  EXPECT_EQ(first.totals().organizations(), 4);
  ASSERT_FALSE(first.next_page_token().empty());
  v1::ListOrganizationStandingsResponse second;
  ASSERT_THAT(List(Caller::kSystem, Query("", "ita_score desc"), &second, 3,
                   first.next_page_token()),
              GrpcIsOk());
  EXPECT_THAT(Codes(second), ElementsAre(kD));
  EXPECT_TRUE(second.next_page_token().empty());
  EXPECT_EQ(second.totals().organizations(), 4);  // totals on every page
  // Another order, another province, another caller: not this token.
  v1::ListOrganizationStandingsResponse out;
  EXPECT_THAT(List(Caller::kSystem, Query("", "code"), &out, 3,
                   first.next_page_token()),
              IsInvalidField("page_token"));
  EXPECT_THAT(List(Caller::kSystem, Query(kYasothon, "ita_score desc"), &out, 3,
                   first.next_page_token()),
              IsInvalidField("page_token"));
  EXPECT_THAT(List(Caller::kOperator, Query("", "ita_score desc"), &out, 3,
                   first.next_page_token()),
              IsInvalidField("page_token"));
  EXPECT_THAT(List(Caller::kSystem, Query(), &out, 3, "bm90LWEtdG9rZW4"),
              IsInvalidField("page_token"));
}

TEST_P(OversightTest, AWriteInAnyServiceShowsInTheNextCall) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  const v1::ListOrganizationStandingsResponse before =
      MustList(Caller::kSystem, Query(kYasothon));
  EXPECT_EQ(Of(before, kC).plan().measures(), 0);
  // The same call again: the same answer (from the cache when there is
  // one).
  EXPECT_EQ(MustList(Caller::kSystem, Query(kYasothon)).totals().measures(), 3);
  CreateMeasure(kC, "มาตรการใหม่", 4, "9");
  File(kC, complaint::v1::Complaint::GENERAL);
  Ingest(c_, kYear, 95.00, {100, 100, 100, 100, 100, 100, 100, 100, 90, 100});
  const v1::ListOrganizationStandingsResponse after =
      MustList(Caller::kSystem, Query(kYasothon));
  EXPECT_EQ(Of(after, kC).plan().measures(), 1);
  EXPECT_EQ(Of(after, kC).complaints().received(), 1);
  EXPECT_DOUBLE_EQ(Of(after, kC).ita().score(), 95.00);
  EXPECT_EQ(Of(after, kC).ita().rank(), 1);
  EXPECT_EQ(after.totals().measures(), 4);
  EXPECT_EQ(after.totals().complaints_received(), 5);
}

TEST_P(OversightTest, APeerThatDoesNotAnswerLeavesOnlyItsPartOut) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  complaint_->host().Shutdown();
  const v1::ListOrganizationStandingsResponse response =
      MustList(Caller::kSystem, Query(kYasothon));
  ASSERT_EQ(response.missing_size(), 1);
  EXPECT_THAT(response.missing(0), ::testing::StartsWith("complaints: "));
  EXPECT_EQ(response.total_size(), 3);
  for (const auto& standing : response.standings()) {
    EXPECT_FALSE(standing.has_complaints()) << standing.organization().code();
    EXPECT_TRUE(standing.has_plan());
    EXPECT_TRUE(standing.has_ita());
  }
  EXPECT_EQ(Of(response, kA).plan().measures_answering_weaknesses(), 2);
  EXPECT_EQ(response.totals().complaints_received(), 0);
  EXPECT_EQ(response.totals().ita_scored(), 3);

  ita_->host().Shutdown();
  const v1::ListOrganizationStandingsResponse neither =
      MustList(Caller::kSystem, Query(kYasothon));
  EXPECT_EQ(neither.missing_size(), 2);
  EXPECT_THAT(neither.missing(0), ::testing::StartsWith("ita: "));
  EXPECT_FALSE(Of(neither, kA).has_ita());
  EXPECT_EQ(Of(neither, kA).plan().measures(), 3);
  EXPECT_EQ(Of(neither, kA).plan().lpa_requirements_met(), 4);
  EXPECT_EQ(neither.totals().all_lpa_requirements(), 1);
}

TEST_P(OversightTest, ExportsTheGroupAsCsvWithItsTotals) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  v1::ExportOrganizationStandingsRequest request;
  *request.mutable_query() = Query(kYasothon, "ita_score desc");
  v1::ExportedDocument document;
  ASSERT_THAT(
      oversight_->ExportOrganizationStandings(
          service().Context(Caller::kAuditor).get(), request, &document),
      GrpcIsOk());
  EXPECT_EQ(document.content_type(), "text/csv; charset=utf-8");
  ASSERT_TRUE(absl::StartsWith(document.content(), "\xEF\xBB\xBF"));
  std::vector<std::string> lines =
      absl::StrSplit(document.content().substr(3), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u);  // heading, three organizations, totals
  EXPECT_TRUE(absl::StartsWith(lines[0], "รหัสหน่วยงาน,ชื่อหน่วยงาน,จังหวัด"));
  EXPECT_TRUE(absl::StartsWith(lines[1], "6340102,อบต.บี,"));
  EXPECT_TRUE(absl::StartsWith(lines[2], "6340101,อบต.เอ,"));
  EXPECT_THAT(lines[2], HasSubstr(",ประกาศแล้ว,"));
  EXPECT_TRUE(absl::StartsWith(lines[4], "รวม,3 แห่ง,"));
  // Organizations, all four LPA requirements (1), the complaints (4, 4, 4).
  EXPECT_THAT(lines[4], HasSubstr(",4,4,4,"));
}

TEST_P(OversightTest, ThePeersBatchesAreForSystemAndAuditorOnly) {
  if (IsSkipped() || !Started()) return;
  MakeScenario();
  complaint::v1::BatchGetComplaintHandlingRequest handling;
  handling.mutable_fiscal_year()->set_be_year(kYear);
  for (const char* code : {kB, kA, kA, kC}) handling.add_organizations(code);
  complaint::v1::BatchGetComplaintHandlingResponse handled;
  EXPECT_THAT(
      complaints_->BatchGetComplaintHandling(
          complaint_->Context(Caller::kOperator).get(), handling, &handled),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  ASSERT_THAT(
      complaints_->BatchGetComplaintHandling(
          complaint_->Context(Caller::kAuditor).get(), handling, &handled),
      GrpcIsOk());
  // Each code once, by code; C received nothing and is there with zeros.
  ASSERT_EQ(handled.handlings_size(), 3);
  EXPECT_EQ(handled.handlings(0).organization(), kA);
  EXPECT_EQ(handled.handlings(0).received(), 3);
  EXPECT_EQ(handled.handlings(2).organization(), kC);
  EXPECT_EQ(handled.handlings(2).received(), 0);
  handling.set_general_only(true);
  ASSERT_THAT(
      complaints_->BatchGetComplaintHandling(
          complaint_->Context(Caller::kSystem).get(), handling, &handled),
      GrpcIsOk());
  EXPECT_EQ(handled.handlings(0).received(), 2);
  EXPECT_TRUE(handled.handlings(0).general_only());
  for (int i = 0; i < 1001; ++i) handling.add_organizations(absl::StrCat(i));
  EXPECT_THAT(
      complaints_->BatchGetComplaintHandling(
          complaint_->Context(Caller::kSystem).get(), handling, &handled),
      IsInvalidField("organizations"));

  ita::v1::BatchGetAssessmentResultsRequest results;
  results.mutable_fiscal_year()->set_be_year(kPrevious);
  results.add_organizations(kA);
  results.add_organizations(kB);
  ita::v1::BatchGetAssessmentResultsResponse got;
  EXPECT_THAT(assessments_->BatchGetAssessmentResults(
                  ita_->Context(Caller::kExecutive).get(), results, &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  ASSERT_THAT(assessments_->BatchGetAssessmentResults(
                  ita_->Context(Caller::kSystem).get(), results, &got),
              GrpcIsOk());
  ASSERT_EQ(got.results_size(), 1);  // B has no 2568 assessment
  EXPECT_EQ(got.results(0).assessment(),
            "organizations/6340101/assessments/2568");
  EXPECT_DOUBLE_EQ(got.results(0).score(), 89.60);
  // Indicators 9 (lowest) and 4 (under 85), and items under them only.
  EXPECT_THAT(got.results(0).weaknesses(), ::testing::IsSupersetOf({"9", "4"}));
  EXPECT_THAT(got.results(0).weaknesses(),
              ::testing::Not(::testing::Contains("1")));
  EXPECT_GT(got.results(0).weaknesses_size(), 2);
  results.set_organizations(0, "not a code!");
  EXPECT_THAT(assessments_->BatchGetAssessmentResults(
                  ita_->Context(Caller::kSystem).get(), results, &got),
              IsInvalidField("organizations[0]"));
}

INSTANTIATE_TEST_SUITE_P(Backends, OversightTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace prongsai::plan
