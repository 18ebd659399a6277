// Moving an assessment to a corrected framework version through gRPC, on
// SQLite and PostgreSQL: the analysis says a newer version exists;
// MigrateAssessment previews the move (validate_only, nothing stored),
// then carries renamed item scores over, drops the rest, re-checks the
// summary and pins the new version; what cannot be moved is refused.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_service.h"
#include "tests/services/ita/corrected_framework.h"
#include "tests/services/service_test_util.h"

namespace prongsai::ita {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Stub = v1::AssessmentService::Stub;

constexpr char kName[] = "organizations/6340101/assessments/2568";

class ItaMigrateTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    absl::StatusOr<server::ServiceDefinition> definition =
        ItaServiceDefinition(ItaOptions());
    ASSERT_TRUE(definition.ok()) << definition.status();
    StartService(*std::move(definition));
    if (IsSkipped() || HasFatalFailure()) return;
    stub_ = v1::AssessmentService::NewStub(service().channel());
  }

  // The 2568 summary with three OIT item scores, checked with version 1
  // (the shipped file, where o5 was already renamed from o4).
  void Ingest() {
    v1::IngestPublishedScoresRequest request;
    request.set_name(kName);
    request.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
    v1::ScoreSet& published = *request.mutable_published();
    published.mutable_overall()->set_score(90);
    published.set_grade("ผ่าน");
    for (const char* code : {"o1", "o5", "o10"}) {
      v1::Score& item = *published.add_items();
      item.set_code(code);
      item.set_score(100);
    }
    v1::Assessment assessment;
    ASSERT_THAT(
        stub_->IngestPublishedScores(service().Context(Caller::kSystem).get(),
                                     request, &assessment),
        GrpcIsOk());
    ASSERT_EQ(assessment.framework_version(), 1);
  }

  // Version 2 of 2568: o1 renamed o30, o10 given a new meaning, o5 kept.
  v1::Framework LoadCorrection() {
    v1::GetFrameworkRequest get;
    get.set_name("frameworks/2568");
    v1::Framework framework;
    EXPECT_THAT(stub_->GetFramework(service().Context(Caller::kSystem).get(),
                                    get, &framework),
                GrpcIsOk());
    ::prongsai::testing::CorrectO1AndO10(framework);
    v1::LoadFrameworkRequest load;
    *load.mutable_framework() = framework;
    v1::Framework loaded;
    EXPECT_THAT(stub_->LoadFramework(service().Context(Caller::kSystem).get(),
                                     load, &loaded),
                GrpcIsOk());
    return loaded;
  }

  grpc::Status Migrate(const v1::MigrateAssessmentRequest& request,
                       v1::MigrateAssessmentResponse* response,
                       Caller caller = Caller::kSystem) {
    return stub_->MigrateAssessment(service().Context(caller).get(), request,
                                    response);
  }

  v1::AgencyAnalysis Analyze() {
    v1::AnalyzeAssessmentRequest request;
    request.set_name(kName);
    v1::AgencyAnalysis analysis;
    EXPECT_THAT(
        stub_->AnalyzeAssessment(service().Context(Caller::kSystem).get(),
                                 request, &analysis),
        GrpcIsOk());
    return analysis;
  }

  v1::Assessment Get() {
    v1::GetAssessmentRequest request;
    request.set_name(kName);
    v1::Assessment assessment;
    EXPECT_THAT(stub_->GetAssessment(service().Context(Caller::kSystem).get(),
                                     request, &assessment),
                GrpcIsOk());
    return assessment;
  }

  std::unique_ptr<Stub> stub_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ItaMigrateTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

std::vector<std::string> ItemCodes(const v1::ScoreSet& scores) {
  std::vector<std::string> out;
  for (const v1::Score& item : scores.items()) out.push_back(item.code());
  return out;
}

TEST_P(ItaMigrateTest, AnAssessmentMovesToTheCorrectedVersion) {
  if (IsSkipped() || stub_ == nullptr) return;
  Ingest();
  EXPECT_EQ(Analyze().newer_framework(), "");
  const v1::Framework correction = LoadCorrection();
  ASSERT_EQ(correction.version(), 2);
  // The stored assessment keeps version 1; its analysis says 2 exists.
  EXPECT_EQ(Analyze().newer_framework(), "frameworks/2568/versions/2");

  v1::MigrateAssessmentRequest request;
  request.set_name(kName);
  request.set_validate_only(true);
  v1::MigrateAssessmentResponse preview;
  ASSERT_THAT(Migrate(request, &preview), GrpcIsOk());
  EXPECT_EQ(preview.from_version(), 1);
  ASSERT_EQ(preview.moved_size(), 1);
  EXPECT_EQ(preview.moved(0).from(), "o1");
  EXPECT_EQ(preview.moved(0).to(), "o30");
  EXPECT_THAT(preview.dropped(), ElementsAre("o10"));
  EXPECT_EQ(preview.assessment().framework_version(), 2);
  EXPECT_THAT(ItemCodes(preview.assessment().published()),
              ElementsAre("o30", "o5"));
  // Nothing was stored.
  EXPECT_EQ(Get().framework_version(), 1);
  EXPECT_THAT(ItemCodes(Get().published()), ElementsAre("o1", "o5", "o10"));

  request.set_validate_only(false);
  v1::MigrateAssessmentResponse moved;
  ASSERT_THAT(Migrate(request, &moved), GrpcIsOk());
  EXPECT_EQ(moved.assessment().framework_version(), 2);
  const v1::Assessment stored = Get();
  EXPECT_EQ(stored.framework_version(), 2);
  EXPECT_THAT(ItemCodes(stored.published()), ElementsAre("o30", "o5"));
  EXPECT_EQ(stored.effective_overall_score(), 90);
  EXPECT_EQ(Analyze().newer_framework(), "");

  // Once there, there is nothing newer to move to.
  v1::MigrateAssessmentResponse again;
  const grpc::Status refused = Migrate(request, &again);
  EXPECT_THAT(refused, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(refused.error_message(), HasSubstr("is not newer"));
}

TEST_P(ItaMigrateTest, WhatCannotBeMovedIsRefusedAndChangesNothing) {
  if (IsSkipped() || stub_ == nullptr) return;
  v1::MigrateAssessmentRequest request;
  request.set_name(kName);
  v1::MigrateAssessmentResponse response;
  EXPECT_THAT(Migrate(request, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  Ingest();
  request.set_framework_version(-1);
  EXPECT_THAT(Migrate(request, &response), IsInvalidField("framework_version"));
  request.set_framework_version(7);
  EXPECT_THAT(Migrate(request, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  request.set_framework_version(0);
  EXPECT_THAT(Migrate(request, &response),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  LoadCorrection();
  // Only SYSTEM and OPERATOR move assessments.
  EXPECT_THAT(Migrate(request, &response, Caller::kExecutive),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(Get().framework_version(), 1);
}

}  // namespace
}  // namespace prongsai::ita
