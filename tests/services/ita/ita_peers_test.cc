// The ITA service against frozen peers: plan and complaint services that
// accept calls and never answer (tests/services/frozen_peer.h). A caller
// with a short deadline still gets the partial answer with its `missing`
// entries, and a frozen peer is asked once per call, however many items the
// call has for it.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_service.h"
#include "tests/services/frozen_peer.h"
#include "tests/services/service_test_util.h"

namespace prongsai::ita {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Stub = v1::AssessmentService::Stub;

constexpr char kName[] = "organizations/6340101/assessments/2568";
constexpr char kCreateMeasure[] =
    "/prongsai.plan.v1.PlanService/CreateIntegrityMeasure";
constexpr char kListPlans[] = "/prongsai.plan.v1.PlanService/ListActionPlans";
constexpr char kComplaintStatistics[] =
    "/prongsai.complaint.v1.ComplaintService/GetComplaintStatistics";

// A caller deadline under the peers' own 2 s timeout.
constexpr absl::Duration kShortDeadline = absl::Milliseconds(1500);

// A published FY2568 result whose weaknesses are indicators 9 (72.60) and 4
// (83.80): the recommendations answer both.
v1::IngestPublishedScoresRequest Published() {
  v1::IngestPublishedScoresRequest request;
  request.set_name(kName);
  common::v1::OrganizationRef& organization = *request.mutable_organization();
  organization.set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  organization.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  organization.set_province("ยโสธร");
  v1::ScoreSet& published = *request.mutable_published();
  published.mutable_overall()->set_score(89.60);
  published.set_grade("ผ่าน");
  const double scores[] = {99.50, 90.40, 87.70, 83.80, 96.00,
                           93.50, 89.10, 87.40, 72.60, 100.0};
  for (int i = 0; i < 10; ++i) {
    v1::Score& score = *published.add_indicators();
    score.set_code(absl::StrCat(i + 1));
    score.set_score(scores[i]);
  }
  return request;
}

class ItaPeersTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    ASSERT_THAT(frozen_.address(), ::testing::Not(IsEmpty()));
    ItaOptions options;
    options.plan_address = frozen_.address();
    options.complaint_address = frozen_.address();
    options.peer_api_key = "a-key-the-frozen-peers-never-check";
    absl::StatusOr<server::ServiceDefinition> definition =
        ItaServiceDefinition(options);
    ASSERT_TRUE(definition.ok()) << definition.status();
    StartService(*std::move(definition));
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::AssessmentService::NewStub(service().channel());
    v1::Assessment assessment;
    ASSERT_THAT(
        stub_->IngestPublishedScores(service().Context(Caller::kSystem).get(),
                                     Published(), &assessment),
        GrpcIsOk());
  }

  // A context of `caller` whose deadline is `deadline` from now.
  std::unique_ptr<grpc::ClientContext> Context(Caller caller,
                                               absl::Duration deadline) {
    std::unique_ptr<grpc::ClientContext> context = service().Context(caller);
    context->set_deadline(absl::ToChronoTime(absl::Now() + deadline));
    return context;
  }

  int Recommended() {
    v1::RecommendMeasuresRequest request;
    request.set_name(kName);
    v1::RecommendMeasuresResponse response;
    EXPECT_THAT(
        stub_->RecommendMeasures(service().Context(Caller::kOperator).get(),
                                 request, &response),
        GrpcIsOk());
    return response.measures_size();
  }

  testing::FrozenPeer frozen_;
  std::unique_ptr<Stub> stub_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ItaPeersTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

std::vector<std::string> MissingAbout(
    const google::protobuf::RepeatedPtrField<std::string>& missing,
    absl::string_view what) {
  std::vector<std::string> out;
  for (const std::string& entry : missing) {
    if (absl::StartsWith(entry, what)) out.push_back(entry);
  }
  return out;
}

// 11: with both peers frozen and a 1.5 s deadline (under the peers' 2 s
// timeout), the analysis answers OK with what it has and says what is
// missing; each frozen peer was asked once.
TEST_P(ItaPeersTest, Issue17Item11_ShortDeadlineGetsThePartialAnswer) {
  if (IsSkipped() || stub_ == nullptr) return;
  v1::AnalyzeAssessmentRequest request;
  request.set_name(kName);
  v1::AgencyAnalysis analysis;
  const grpc::Status status = stub_->AnalyzeAssessment(
      Context(Caller::kOperator, kShortDeadline).get(), request, &analysis);
  ASSERT_THAT(status, GrpcIsOk());
  EXPECT_DOUBLE_EQ(analysis.overall(), 89.60);
  ASSERT_THAT(analysis.weaknesses(), SizeIs(2));
  EXPECT_FALSE(analysis.has_plan_target());
  EXPECT_FALSE(analysis.has_complaint_handling());
  const std::string missing = absl::StrJoin(analysis.missing(), " | ");
  EXPECT_THAT(MissingAbout(analysis.missing(), "plan target unknown"),
              SizeIs(1))
      << missing;
  EXPECT_THAT(MissingAbout(analysis.missing(), "complaint handling unknown"),
              SizeIs(1))
      << missing;
  EXPECT_THAT(MissingAbout(analysis.missing(), "integrity measures unknown"),
              SizeIs(1))
      << missing;
  EXPECT_EQ(frozen_.Calls(kListPlans), 1);
  EXPECT_EQ(frozen_.Calls(kComplaintStatistics), 1);
  EXPECT_EQ(frozen_.AllCalls(), 2);

  // Adopting within the same short deadline answers too, every measure
  // "not adopted".
  const int recommended = Recommended();
  v1::AdoptRecommendedMeasuresRequest adopt;
  adopt.set_name(kName);
  v1::AdoptRecommendedMeasuresResponse adopted;
  ASSERT_THAT(
      stub_->AdoptRecommendedMeasures(
          Context(Caller::kOperator, kShortDeadline).get(), adopt, &adopted),
      GrpcIsOk());
  EXPECT_THAT(adopted.measures(), IsEmpty());
  EXPECT_THAT(adopted.missing(), SizeIs(recommended));
}

// 11: adopting N recommended measures against a frozen plan service costs
// one attempt, not N: once the first create got no answer, the others are
// "not adopted" without asking again.
TEST_P(ItaPeersTest, Issue17Item11_AdoptingAgainstAFrozenPlanAsksItOnce) {
  if (IsSkipped() || stub_ == nullptr) return;
  const int recommended = Recommended();
  ASSERT_GE(recommended, 2);
  v1::AdoptRecommendedMeasuresRequest request;
  request.set_name(kName);
  v1::AdoptRecommendedMeasuresResponse adopted;
  // The usual 10 s deadline: time enough to ask for every measure.
  ASSERT_THAT(
      stub_->AdoptRecommendedMeasures(
          service().Context(Caller::kOperator).get(), request, &adopted),
      GrpcIsOk());
  EXPECT_THAT(adopted.measures(), IsEmpty());
  ASSERT_THAT(adopted.missing(), SizeIs(recommended));
  for (const std::string& entry : adopted.missing()) {
    EXPECT_THAT(entry, ::testing::HasSubstr("not adopted: DEADLINE_EXCEEDED"));
  }
  EXPECT_EQ(frozen_.Calls(kCreateMeasure), 1);
  EXPECT_EQ(frozen_.AllCalls(), 1);
}

}  // namespace
}  // namespace prongsai::ita
