// The ITA service through its gRPC API, on SQLite and PostgreSQL (and once
// with the Redis cache in front of GetAssessment): one assessment per
// organization and fiscal year, optional published scores, validation,
// paging by fiscal year and the organization scope of keys.
#include "services/ita/ita_service.h"

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "common/base/resource_name.h"
#include "common/cache/cache_aside.h"
#include "common/cache/redis.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/ita/ita_store.h"
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
using ::prongsai::testing::kOtherParent;
using ::prongsai::testing::kParent;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr absl::string_view kOrganizationName = "องค์การบริหารส่วนตำบลอีสานเขต";

v1::Assessment NewAssessment(int be_year, std::optional<double> score) {
  v1::Assessment assessment;
  assessment.mutable_fiscal_year()->set_be_year(be_year);
  if (score.has_value()) assessment.set_published_overall_score(*score);
  assessment.mutable_organization()->set_name(std::string(kOrganizationName));
  assessment.mutable_organization()->set_kind(
      common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  assessment.mutable_organization()->set_province("อุบลราชธานี");
  return assessment;
}

v1::CreateAssessmentRequest CreateRequest(int be_year,
                                          std::optional<double> score,
                                          absl::string_view request_id = "",
                                          absl::string_view parent = kParent) {
  v1::CreateAssessmentRequest request;
  request.set_parent(std::string(parent));
  *request.mutable_assessment() = NewAssessment(be_year, score);
  request.set_request_id(std::string(request_id));
  return request;
}

class ItaServiceTest : public testing::ServiceTest {
 protected:
  void SetUp() override { StartService(ItaServiceDefinition()); }

  grpc::Status Create(Caller caller, const v1::CreateAssessmentRequest& request,
                      v1::Assessment* assessment) {
    auto stub = v1::AssessmentService::NewStub(service().channel());
    return stub->CreateAssessment(service().Context(caller).get(), request,
                                  assessment);
  }

  v1::Assessment MustCreate(const v1::CreateAssessmentRequest& request) {
    v1::Assessment assessment;
    EXPECT_THAT(Create(Caller::kSystem, request, &assessment), GrpcIsOk());
    return assessment;
  }

  grpc::Status Get(Caller caller, absl::string_view name,
                   v1::Assessment* assessment) {
    auto stub = v1::AssessmentService::NewStub(service().channel());
    v1::GetAssessmentRequest request;
    request.set_name(std::string(name));
    return stub->GetAssessment(service().Context(caller).get(), request,
                               assessment);
  }

  grpc::Status List(Caller caller, const v1::ListAssessmentsRequest& request,
                    v1::ListAssessmentsResponse* response) {
    auto stub = v1::AssessmentService::NewStub(service().channel());
    return stub->ListAssessments(service().Context(caller).get(), request,
                                 response);
  }

  std::vector<v1::Assessment> ListAll(absl::string_view parent = kParent) {
    v1::ListAssessmentsRequest request;
    request.set_parent(std::string(parent));
    v1::ListAssessmentsResponse response;
    EXPECT_THAT(List(Caller::kAuditor, request, &response), GrpcIsOk());
    EXPECT_THAT(response.next_page_token(), IsEmpty());
    return {response.assessments().begin(), response.assessments().end()};
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, ItaServiceTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(ItaServiceTest, CreateGetListRoundTrip) {
  v1::CreateAssessmentRequest request = CreateRequest(2565, 89.2);
  request.mutable_assessment()->set_name("organizations/1/assessments/1");
  request.mutable_assessment()->mutable_organization()->set_code("1111111");
  request.mutable_assessment()->mutable_audit()->set_creator("someone else");
  v1::Assessment created;
  ASSERT_THAT(Create(Caller::kOperator, request, &created), GrpcIsOk());
  EXPECT_EQ(created.name(), "organizations/6340101/assessments/2565");
  EXPECT_EQ(created.organization().code(), kOrganization);
  EXPECT_EQ(created.organization().name(), kOrganizationName);
  EXPECT_EQ(created.organization().kind(),
            common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_EQ(created.organization().province(), "อุบลราชธานี");
  EXPECT_EQ(created.fiscal_year().be_year(), 2565);
  ASSERT_TRUE(created.has_published_overall_score());
  EXPECT_EQ(created.published_overall_score(), 89.2);
  EXPECT_EQ(created.audit().creator(), "operator-6340101");
  EXPECT_EQ(created.audit().updater(), "operator-6340101");
  EXPECT_EQ(api::FromProtoTime(created.audit().create_time()), clock_.Now());
  EXPECT_EQ(api::FromProtoTime(created.audit().update_time()), clock_.Now());

  for (Caller reader : {Caller::kOperator, Caller::kSystem,
                        Caller::kIntegrityOfficer, Caller::kAuditor}) {
    v1::Assessment got;
    ASSERT_THAT(Get(reader, created.name(), &got), GrpcIsOk())
        << testing::CallerName(reader);
    EXPECT_THAT(got, EqualsProto(created));
  }
  std::vector<v1::Assessment> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_THAT(listed[0], EqualsProto(created));
  EXPECT_THAT(ListAll(kOtherParent), IsEmpty());
}

TEST_P(ItaServiceTest, AbsentScoreStaysAbsent) {
  v1::Assessment created = MustCreate(CreateRequest(2568, std::nullopt));
  EXPECT_FALSE(created.has_published_overall_score());
  v1::Assessment got;
  ASSERT_THAT(Get(Caller::kAuditor, created.name(), &got), GrpcIsOk());
  EXPECT_FALSE(got.has_published_overall_score());
  std::vector<v1::Assessment> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_FALSE(listed[0].has_published_overall_score());
}

TEST_P(ItaServiceTest, ScoresRoundTripExactly) {
  // A published 0 is a score, not an absent one.
  const std::vector<double> scores = {0, 0.01, 54.99, 89.2, 93.82, 99.78, 100};
  int year = 2560;
  for (double score : scores) {
    SCOPED_TRACE(score);
    v1::Assessment created = MustCreate(CreateRequest(year++, score));
    ASSERT_TRUE(created.has_published_overall_score());
    EXPECT_EQ(created.published_overall_score(), score);
    v1::Assessment got;
    ASSERT_THAT(Get(Caller::kAuditor, created.name(), &got), GrpcIsOk());
    ASSERT_TRUE(got.has_published_overall_score());
    EXPECT_EQ(got.published_overall_score(), score);
  }
}

TEST_P(ItaServiceTest, OneAssessmentPerFiscalYear) {
  v1::Assessment first = MustCreate(CreateRequest(2565, 89.2, "nacc-2565"));
  clock_.Advance(absl::Hours(1));

  v1::Assessment duplicate;
  grpc::Status status =
      Create(Caller::kSystem, CreateRequest(2565, 75.0), &duplicate);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_THAT(status.error_message(),
              HasSubstr("organizations/6340101/assessments/2565"));
  EXPECT_THAT(Create(Caller::kSystem, CreateRequest(2565, 75.0, "nacc-other"),
                     &duplicate),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));

  // Repeating the recording call returns what it recorded.
  v1::Assessment repeat;
  ASSERT_THAT(
      Create(Caller::kSystem, CreateRequest(2565, 75.0, "nacc-2565"), &repeat),
      GrpcIsOk());
  EXPECT_THAT(repeat, EqualsProto(first));

  std::vector<v1::Assessment> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].published_overall_score(), 89.2);

  // The same year of another organization is a different assessment.
  v1::Assessment elsewhere =
      MustCreate(CreateRequest(2565, 70.0, "nacc-2565", kOtherParent));
  EXPECT_EQ(elsewhere.name(), "organizations/9999999/assessments/2565");
  EXPECT_EQ(elsewhere.published_overall_score(), 70.0);
}

TEST_P(ItaServiceTest, InvalidCreatesNameTheFieldAndStoreNothing) {
  struct Case {
    std::string label;
    std::string field_path;
    v1::CreateAssessmentRequest request;
  };
  std::vector<Case> cases = {
      {"score above 100", "assessment.published_overall_score",
       CreateRequest(2565, 100.5)},
      {"negative score", "assessment.published_overall_score",
       CreateRequest(2565, -0.01)},
      {"NaN score", "assessment.published_overall_score",
       CreateRequest(2565, std::numeric_limits<double>::quiet_NaN())},
      {"infinite score", "assessment.published_overall_score",
       CreateRequest(2565, std::numeric_limits<double>::infinity())},
      {"C.E. year", "assessment.fiscal_year.be_year",
       CreateRequest(2022, 89.2)},
      {"year 0", "assessment.fiscal_year.be_year", CreateRequest(0, 89.2)},
      {"year after 2700", "assessment.fiscal_year.be_year",
       CreateRequest(2701, 89.2)},
      {"no parent", "parent", CreateRequest(2565, 89.2, "", "")},
      {"request id too long", "request_id",
       CreateRequest(2565, 89.2, std::string(65, 'r'))},
  };
  cases.push_back(
      {"no fiscal year", "assessment.fiscal_year", CreateRequest(2565, 89.2)});
  cases.back().request.mutable_assessment()->clear_fiscal_year();
  cases.push_back({"unknown organization kind", "assessment.organization.kind",
                   CreateRequest(2565, 89.2)});
  cases.back().request.mutable_assessment()->mutable_organization()->set_kind(
      static_cast<common::v1::OrganizationKind>(5));
  cases.push_back({"district too long", "assessment.organization.district",
                   CreateRequest(2565, 89.2)});
  cases.back()
      .request.mutable_assessment()
      ->mutable_organization()
      ->set_district(std::string(101, 'd'));
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    v1::Assessment assessment;
    EXPECT_THAT(Create(Caller::kOperator, test_case.request, &assessment),
                IsInvalidField(test_case.field_path));
  }
  EXPECT_THAT(ListAll(), IsEmpty());
}

TEST_P(ItaServiceTest, CommonEraYearGetsAHint) {
  v1::Assessment assessment;
  grpc::Status status =
      Create(Caller::kOperator, CreateRequest(2024, 90.0), &assessment);
  EXPECT_THAT(status, IsInvalidField("assessment.fiscal_year.be_year"));
  EXPECT_THAT(status.error_message(), HasSubstr("C.E."));
  EXPECT_THAT(status.error_message(), HasSubstr("2567"));
}

TEST_P(ItaServiceTest, UnknownAssessmentIsNotFound) {
  MustCreate(CreateRequest(2565, 89.2, "", kOtherParent));
  v1::Assessment assessment;
  EXPECT_THAT(Get(Caller::kOperator, "organizations/6340101/assessments/2565",
                  &assessment),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Get(Caller::kOperator, "organizations/6340101/assessments/abc",
                  &assessment),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(
      Get(Caller::kOperator, "organizations/6340101/assessments", &assessment),
      IsInvalidField("name"));
}

TEST_P(ItaServiceTest, PagesInFiscalYearOrder) {
  // Recorded out of order: the list is by fiscal year all the same.
  const std::vector<int> years = {2567, 2561, 2565, 2563, 2562, 2566, 2564};
  for (int year : years) {
    MustCreate(CreateRequest(year, 80.0 + year % 10));
    clock_.Advance(absl::Minutes(1));
  }
  MustCreate(CreateRequest(2560, 50.0, "", kOtherParent));

  std::vector<int> seen;
  std::vector<int> page_sizes;
  v1::ListAssessmentsRequest request;
  request.set_parent(std::string(kParent));
  request.set_page_size(3);
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListAssessmentsResponse response;
    ASSERT_THAT(List(Caller::kOperator, request, &response), GrpcIsOk());
    page_sizes.push_back(response.assessments_size());
    for (const v1::Assessment& assessment : response.assessments()) {
      seen.push_back(assessment.fiscal_year().be_year());
      EXPECT_EQ(assessment.name(),
                absl::StrCat("organizations/6340101/assessments/",
                             assessment.fiscal_year().be_year()));
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{3, 3, 1}));
  EXPECT_EQ(seen, (std::vector<int>{2561, 2562, 2563, 2564, 2565, 2566, 2567}));
}

TEST_P(ItaServiceTest, ListRequestsAreValidated) {
  MustCreate(CreateRequest(2565, 89.2, "", kOtherParent));
  MustCreate(CreateRequest(2566, 91.0, "", kOtherParent));
  v1::ListAssessmentsRequest other;
  other.set_parent(std::string(kOtherParent));
  other.set_page_size(1);
  v1::ListAssessmentsResponse other_page;
  ASSERT_THAT(List(Caller::kSystem, other, &other_page), GrpcIsOk());
  ASSERT_THAT(other_page.next_page_token(), Not(IsEmpty()));

  v1::ListAssessmentsRequest request;
  request.set_parent(std::string(kParent));
  request.set_page_token(other_page.next_page_token());
  v1::ListAssessmentsResponse response;
  EXPECT_THAT(List(Caller::kOperator, request, &response),
              IsInvalidField("page_token"));
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_THAT(List(Caller::kOperator, request, &response),
              IsInvalidField("page_size"));
}

TEST_P(ItaServiceTest, OperatorsAreScopedToTheirOrganization) {
  v1::Assessment created = MustCreate(CreateRequest(2565, 89.2));
  v1::Assessment got;
  EXPECT_THAT(Get(Caller::kOtherOperator, created.name(), &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  v1::ListAssessmentsRequest list;
  list.set_parent(std::string(kParent));
  v1::ListAssessmentsResponse listed;
  EXPECT_THAT(List(Caller::kOtherOperator, list, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Create(Caller::kOtherOperator, CreateRequest(2566, 90.0), &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(ListAll(), SizeIs(1));
  EXPECT_THAT(Create(Caller::kAuditor, CreateRequest(2566, 90.0), &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(ListAll(), SizeIs(1));
}

// GetAssessment reads through the Redis cache (common/cache GetOrLoad).
class ItaCachedTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    std::optional<std::string> redis_url = testing::RedisUrl();
    PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
    absl::StatusOr<cache::RedisOptions> redis =
        cache::ParseRedisUrl(*redis_url);
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = std::make_unique<cache::RedisClient>(*redis, nullptr);
    StartService(ItaServiceDefinition(), *redis_url);
  }

  std::unique_ptr<cache::RedisClient> redis_;
};

INSTANTIATE_TEST_SUITE_P(Backends, ItaCachedTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(ItaCachedTest, GetReadsThroughTheCache) {
  // Redis is shared by every test run: a fresh organization per run keeps
  // this test's cache entries its own.
  const std::string organization = absl::StrCat("cache-", NewResourceId());
  const std::string parent = absl::StrCat("organizations/", organization);
  const std::string name = absl::StrCat(parent, "/assessments/2565");
  const std::string key = cache::VersionedKey("ita", kCacheVersion, name);
  auto stub = v1::AssessmentService::NewStub(service().channel());

  // A miss is not cached: NOT_FOUND now, found once recorded.
  v1::Assessment got;
  v1::GetAssessmentRequest get;
  get.set_name(name);
  EXPECT_THAT(
      stub->GetAssessment(service().Context(Caller::kSystem).get(), get, &got),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  absl::StatusOr<std::optional<std::string>> entry = redis_->Get(key);
  ASSERT_TRUE(entry.ok()) << entry.status();
  EXPECT_FALSE(entry->has_value());

  v1::Assessment created;
  ASSERT_THAT(
      stub->CreateAssessment(service().Context(Caller::kSystem).get(),
                             CreateRequest(2565, 89.2, "", parent), &created),
      GrpcIsOk());
  v1::Assessment first;
  ASSERT_THAT(stub->GetAssessment(service().Context(Caller::kSystem).get(), get,
                                  &first),
              GrpcIsOk());
  EXPECT_THAT(first, EqualsProto(created));
  entry = redis_->Get(key);
  ASSERT_TRUE(entry.ok()) << entry.status();
  ASSERT_TRUE(entry->has_value()) << "GetAssessment did not fill the cache";

  // The second read is served from the cache: it still answers after the
  // row is gone from the database, with identical data.
  {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    ASSERT_TRUE(db.ok()) << db.status();
    absl::StatusOr<storage::Result> deleted = (*db)->Execute(
        "DELETE FROM assessments WHERE organization_code = ?", {organization});
    ASSERT_TRUE(deleted.ok()) << deleted.status();
    EXPECT_EQ(deleted->affected_rows, 1);
  }
  v1::Assessment second;
  ASSERT_THAT(stub->GetAssessment(service().Context(Caller::kSystem).get(), get,
                                  &second),
              GrpcIsOk());
  EXPECT_THAT(second, EqualsProto(first));

  // Access rules still apply to cached reads.
  EXPECT_THAT(stub->GetAssessment(service().Context(Caller::kOperator).get(),
                                  get, &second),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(stub->GetAssessment(service().Context(Caller::kAnonymous).get(),
                                  get, &second),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  // Without the entry the database answers again.
  ASSERT_TRUE(redis_->Delete(key).ok());
  EXPECT_THAT(
      stub->GetAssessment(service().Context(Caller::kSystem).get(), get, &got),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

}  // namespace
}  // namespace prongsai::ita
