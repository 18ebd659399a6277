// The plan service through its gRPC API, on SQLite and PostgreSQL: create,
// get and list with Thai text, idempotency, validation, paging and the
// organization scope of keys.
#include "services/plan/plan_service.h"

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tests/services/service_test_util.h"

namespace prongsai::plan {
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
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;

constexpr absl::string_view kTitle =
    "แผนปฏิบัติการป้องกันการทุจริต ๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๗๐)";
constexpr absl::string_view kOrganizationName = "องค์การบริหารส่วนตำบลอีสานเขต";

v1::ActionPlan NewPlan() {
  v1::ActionPlan plan;
  plan.set_title(std::string(kTitle));
  plan.mutable_organization()->set_name(std::string(kOrganizationName));
  plan.mutable_organization()->set_kind(
      common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  plan.mutable_organization()->set_province("อุบลราชธานี");
  plan.mutable_organization()->set_district("เขมราฐ");
  plan.mutable_fiscal_years()->set_first_be_year(2566);
  plan.mutable_fiscal_years()->set_last_be_year(2570);
  return plan;
}

class PlanServiceTest : public testing::ServiceTest {
 protected:
  void SetUp() override { StartService(PlanServiceDefinition()); }

  grpc::Status Create(Caller caller, const v1::CreateActionPlanRequest& request,
                      v1::ActionPlan* plan) {
    auto stub = v1::PlanService::NewStub(service().channel());
    return stub->CreateActionPlan(service().Context(caller).get(), request,
                                  plan);
  }

  // Creates NewPlan() (with `title`) in `parent`; must succeed.
  v1::ActionPlan MustCreate(absl::string_view parent = kParent,
                            absl::string_view title = kTitle,
                            absl::string_view request_id = "") {
    v1::CreateActionPlanRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_action_plan() = NewPlan();
    request.mutable_action_plan()->set_title(std::string(title));
    request.set_request_id(std::string(request_id));
    v1::ActionPlan plan;
    EXPECT_THAT(Create(Caller::kSystem, request, &plan), GrpcIsOk());
    return plan;
  }

  grpc::Status Get(Caller caller, absl::string_view name,
                   v1::ActionPlan* plan) {
    auto stub = v1::PlanService::NewStub(service().channel());
    v1::GetActionPlanRequest request;
    request.set_name(std::string(name));
    return stub->GetActionPlan(service().Context(caller).get(), request, plan);
  }

  grpc::Status List(Caller caller, const v1::ListActionPlansRequest& request,
                    v1::ListActionPlansResponse* response) {
    auto stub = v1::PlanService::NewStub(service().channel());
    return stub->ListActionPlans(service().Context(caller).get(), request,
                                 response);
  }

  // Every plan of `parent`, read in one page by the SYSTEM key.
  std::vector<v1::ActionPlan> ListAll(absl::string_view parent = kParent) {
    v1::ListActionPlansRequest request;
    request.set_parent(std::string(parent));
    v1::ListActionPlansResponse response;
    EXPECT_THAT(List(Caller::kSystem, request, &response), GrpcIsOk());
    EXPECT_THAT(response.next_page_token(), IsEmpty());
    return {response.action_plans().begin(), response.action_plans().end()};
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, PlanServiceTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(PlanServiceTest, CreateGetListRoundTripThaiText) {
  v1::CreateActionPlanRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_action_plan() = NewPlan();
  // Output-only fields and the organization code are not the caller's to set.
  request.mutable_action_plan()->set_name("organizations/1/actionPlans/mine");
  request.mutable_action_plan()->mutable_organization()->set_code("1111111");
  request.mutable_action_plan()->set_state(v1::ActionPlan::ANNOUNCED);
  request.mutable_action_plan()->mutable_audit()->set_creator("someone else");

  v1::ActionPlan created;
  ASSERT_THAT(Create(Caller::kOperator, request, &created), GrpcIsOk());
  EXPECT_THAT(created.name(),
              MatchesRegex("organizations/6340101/actionPlans/[a-z2-7]{16}"));
  EXPECT_EQ(created.organization().code(), kOrganization);
  EXPECT_EQ(created.organization().name(), kOrganizationName);
  EXPECT_EQ(created.organization().kind(),
            common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_EQ(created.organization().province(), "อุบลราชธานี");
  EXPECT_EQ(created.organization().district(), "เขมราฐ");
  EXPECT_EQ(created.title(), kTitle);
  EXPECT_EQ(created.fiscal_years().first_be_year(), 2566);
  EXPECT_EQ(created.fiscal_years().last_be_year(), 2570);
  EXPECT_EQ(created.state(), v1::ActionPlan::DRAFT);
  EXPECT_EQ(created.audit().creator(), "operator-6340101");
  EXPECT_EQ(created.audit().updater(), "operator-6340101");
  EXPECT_EQ(api::FromProtoTime(created.audit().create_time()), clock_.Now());
  EXPECT_EQ(api::FromProtoTime(created.audit().update_time()), clock_.Now());

  for (Caller reader : {Caller::kOperator, Caller::kSystem,
                        Caller::kIntegrityOfficer, Caller::kAuditor}) {
    v1::ActionPlan got;
    ASSERT_THAT(Get(reader, created.name(), &got), GrpcIsOk())
        << testing::CallerName(reader);
    EXPECT_THAT(got, EqualsProto(created));
  }

  std::vector<v1::ActionPlan> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_THAT(listed[0], EqualsProto(created));
  // Another organization's list does not show it.
  EXPECT_THAT(ListAll(kOtherParent), IsEmpty());
}

TEST_P(PlanServiceTest, CreateIsIdempotentOnRequestId) {
  v1::ActionPlan first = MustCreate(kParent, kTitle, "3b0c5c0e-req-1");
  clock_.Advance(absl::Minutes(1));
  // The repeat differs in its body: the first call's plan still wins.
  v1::ActionPlan repeat = MustCreate(kParent, "ชื่ออื่น", "3b0c5c0e-req-1");
  EXPECT_THAT(repeat, EqualsProto(first));
  ASSERT_THAT(ListAll(), SizeIs(1));

  v1::ActionPlan second = MustCreate(kParent, kTitle, "3b0c5c0e-req-2");
  EXPECT_NE(second.name(), first.name());
  EXPECT_THAT(ListAll(), SizeIs(2));

  // Request ids are per organization.
  v1::ActionPlan elsewhere = MustCreate(kOtherParent, kTitle, "3b0c5c0e-req-1");
  EXPECT_THAT(elsewhere.name(), HasSubstr("organizations/9999999/"));
  EXPECT_THAT(ListAll(kOtherParent), SizeIs(1));
  EXPECT_THAT(ListAll(), SizeIs(2));

  // Without a request id every call creates.
  MustCreate();
  MustCreate();
  EXPECT_THAT(ListAll(), SizeIs(4));
}

TEST_P(PlanServiceTest, ConcurrentRepeatsCreateOnePlan) {
  // Retries of one request racing each other (a client that timed out and
  // retried while the first call was still running) still create one plan.
  constexpr int kCallers = 8;
  std::vector<v1::ActionPlan> results(kCallers);
  std::vector<grpc::Status> statuses(kCallers);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([this, i, &results, &statuses] {
      v1::CreateActionPlanRequest request;
      request.set_parent(std::string(kParent));
      *request.mutable_action_plan() = NewPlan();
      request.set_request_id("retry-storm-1");
      statuses[i] = Create(Caller::kOperator, request, &results[i]);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int i = 0; i < kCallers; ++i) {
    EXPECT_THAT(statuses[i], GrpcIsOk());
    EXPECT_THAT(results[i], EqualsProto(results[0]));
  }
  EXPECT_THAT(ListAll(), SizeIs(1));
}

struct InvalidCase {
  std::string label;
  std::string field_path;
  std::function<void(v1::CreateActionPlanRequest&)> mutate;
};

TEST_P(PlanServiceTest, InvalidCreatesNameTheFieldAndStoreNothing) {
  const std::vector<InvalidCase> cases = {
      {"empty title", "action_plan.title",
       [](auto& r) { r.mutable_action_plan()->clear_title(); }},
      {"title over 500 characters", "action_plan.title",
       [](auto& r) {
         std::string title;
         for (int i = 0; i < 501; ++i) title += "ก";
         r.mutable_action_plan()->set_title(title);
       }},
      {"no fiscal years", "action_plan.fiscal_years",
       [](auto& r) { r.mutable_action_plan()->clear_fiscal_years(); }},
      {"last year before first", "action_plan.fiscal_years.last_be_year",
       [](auto& r) {
         r.mutable_action_plan()->mutable_fiscal_years()->set_last_be_year(
             2565);
       }},
      {"C.E. first year", "action_plan.fiscal_years.first_be_year",
       [](auto& r) {
         r.mutable_action_plan()->mutable_fiscal_years()->set_first_be_year(
             2023);
       }},
      {"C.E. last year", "action_plan.fiscal_years.last_be_year",
       [](auto& r) {
         r.mutable_action_plan()->mutable_fiscal_years()->set_last_be_year(
             2026);
       }},
      {"eleven years", "action_plan.fiscal_years",
       [](auto& r) {
         r.mutable_action_plan()->mutable_fiscal_years()->set_last_be_year(
             2576);
       }},
      {"year out of range", "action_plan.fiscal_years.last_be_year",
       [](auto& r) {
         r.mutable_action_plan()->mutable_fiscal_years()->set_last_be_year(
             2701);
       }},
      {"organization name too long", "action_plan.organization.name",
       [](auto& r) {
         std::string name;
         for (int i = 0; i < 301; ++i) name += "ต";
         r.mutable_action_plan()->mutable_organization()->set_name(name);
       }},
      {"unknown organization kind", "action_plan.organization.kind",
       [](auto& r) {
         r.mutable_action_plan()->mutable_organization()->set_kind(
             static_cast<common::v1::OrganizationKind>(42));
       }},
      {"empty parent", "parent", [](auto& r) { r.clear_parent(); }},
      {"parent without collection", "parent",
       [](auto& r) { r.set_parent("6340101"); }},
      {"parent with a bad code", "parent",
       [](auto& r) { r.set_parent("organizations/63 40101"); }},
      {"request id with a space", "request_id",
       [](auto& r) { r.set_request_id("a b"); }},
      {"request id over 64 characters", "request_id",
       [](auto& r) { r.set_request_id(std::string(65, 'x')); }},
  };
  for (const InvalidCase& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    v1::CreateActionPlanRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_action_plan() = NewPlan();
    test_case.mutate(request);
    v1::ActionPlan plan;
    EXPECT_THAT(Create(Caller::kOperator, request, &plan),
                IsInvalidField(test_case.field_path));
  }
  EXPECT_THAT(ListAll(), IsEmpty());
}

TEST_P(PlanServiceTest, CommonEraYearGetsAHint) {
  v1::CreateActionPlanRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_action_plan() = NewPlan();
  request.mutable_action_plan()->mutable_fiscal_years()->set_first_be_year(
      2022);
  request.mutable_action_plan()->mutable_fiscal_years()->set_last_be_year(2026);
  v1::ActionPlan plan;
  grpc::Status status = Create(Caller::kOperator, request, &plan);
  EXPECT_THAT(status, IsInvalidField("action_plan.fiscal_years.first_be_year"));
  EXPECT_THAT(status.error_message(), HasSubstr("C.E."));
  EXPECT_THAT(status.error_message(), HasSubstr("2565"));  // 2022 + 543
  EXPECT_THAT(ListAll(), IsEmpty());
}

// A title that is not UTF-8: a Thai character cut after its first byte.
v1::CreateActionPlanRequest InvalidUtf8TitleRequest() {
  v1::CreateActionPlanRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_action_plan() = NewPlan();
  request.mutable_action_plan()->set_title(
      absl::StrCat(kTitle.substr(0, 1), kTitle.substr(3)));
  return request;
}

// The server parses requests itself (raw callbacks), so bytes that are not
// UTF-8 get a field-level error instead of gRPC's bare UNIMPLEMENTED.
TEST_P(PlanServiceTest, InvalidUtf8TitleIsRejectedAndNothingStored) {
  v1::ActionPlan plan;
  EXPECT_THAT(Create(Caller::kOperator, InvalidUtf8TitleRequest(), &plan),
              IsInvalidField("action_plan.title"));
  EXPECT_THAT(ListAll(), IsEmpty());
}

TEST_P(PlanServiceTest, LongestTitleIsAccepted) {
  std::string title;
  for (int i = 0; i < 500; ++i) title += "ก";  // 500 characters, 1500 bytes
  v1::ActionPlan plan = MustCreate(kParent, title);
  EXPECT_EQ(plan.title(), title);
}

TEST_P(PlanServiceTest, ListRequestsAreValidated) {
  MustCreate(kOtherParent);
  MustCreate(kOtherParent);
  v1::ListActionPlansRequest other;
  other.set_parent(std::string(kOtherParent));
  other.set_page_size(1);
  v1::ListActionPlansResponse other_page;
  ASSERT_THAT(List(Caller::kSystem, other, &other_page), GrpcIsOk());
  ASSERT_THAT(other_page.next_page_token(), Not(IsEmpty()));

  struct Case {
    std::string label;
    std::string field_path;
    v1::ListActionPlansRequest request;
  };
  std::vector<Case> cases(5);
  cases[0] = {"negative page size", "page_size", {}};
  cases[0].request.set_page_size(-1);
  cases[1] = {"token of another parent", "page_token", {}};
  cases[1].request.set_page_token(other_page.next_page_token());
  cases[2] = {"token that is not base64", "page_token", {}};
  cases[2].request.set_page_token("not a token!");
  cases[3] = {"forged cursor", "page_token", {}};
  cases[3].request.set_page_token(
      absl::WebSafeBase64Escape(absl::StrCat(kParent, "\nxyz")));
  cases[4] = {"bad parent", "parent", {}};
  cases[4].request.set_parent("organizations");
  for (Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    if (test_case.request.parent().empty()) {
      test_case.request.set_parent(std::string(kParent));
    }
    v1::ListActionPlansResponse response;
    EXPECT_THAT(List(Caller::kOperator, test_case.request, &response),
                IsInvalidField(test_case.field_path));
  }
}

TEST_P(PlanServiceTest, UnknownPlanIsNotFound) {
  v1::ActionPlan plan;
  EXPECT_THAT(Get(Caller::kOperator,
                  "organizations/6340101/actionPlans/aaaaaaaaaaaaaaaa", &plan),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  // A plan of another organization is not found under this one's name.
  v1::ActionPlan elsewhere = MustCreate(kOtherParent);
  const std::string id =
      elsewhere.name().substr(elsewhere.name().rfind('/') + 1);
  EXPECT_THAT(
      Get(Caller::kOperator,
          absl::StrCat("organizations/6340101/actionPlans/", id), &plan),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(
      Get(Caller::kOperator, "organizations/6340101/complaints/x", &plan),
      IsInvalidField("name"));
  EXPECT_THAT(Get(Caller::kOperator, "", &plan), IsInvalidField("name"));
}

TEST_P(PlanServiceTest, PagesInCreationOrder) {
  std::vector<std::string> created;
  for (int i = 1; i <= 7; ++i) {
    created.push_back(
        MustCreate(kParent, absl::StrCat(kTitle, " ฉบับที่ ", i)).name());
    clock_.Advance(absl::Seconds(1));
  }
  // Noise in another organization must not show up.
  MustCreate(kOtherParent);

  std::vector<std::string> seen;
  std::vector<int> page_sizes;
  v1::ListActionPlansRequest request;
  request.set_parent(std::string(kParent));
  request.set_page_size(3);
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListActionPlansResponse response;
    ASSERT_THAT(List(Caller::kAuditor, request, &response), GrpcIsOk());
    page_sizes.push_back(response.action_plans_size());
    for (const v1::ActionPlan& plan : response.action_plans()) {
      seen.push_back(plan.name());
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{3, 3, 1}));
  EXPECT_EQ(seen, created);
  EXPECT_THAT(absl::flat_hash_set<std::string>(seen.begin(), seen.end()),
              SizeIs(7));

  // Page size 0 means the default (50): everything in one page.
  std::vector<v1::ActionPlan> all = ListAll();
  ASSERT_THAT(all, SizeIs(7));
  EXPECT_EQ(all[6].name(), created[6]);
}

TEST_P(PlanServiceTest, FullLastPageHasNoNextToken) {
  for (int i = 0; i < 3; ++i) {
    MustCreate();
    clock_.Advance(absl::Seconds(1));
  }
  v1::ListActionPlansRequest request;
  request.set_parent(std::string(kParent));
  request.set_page_size(3);
  v1::ListActionPlansResponse response;
  ASSERT_THAT(List(Caller::kOperator, request, &response), GrpcIsOk());
  EXPECT_THAT(response.action_plans(), SizeIs(3));
  EXPECT_THAT(response.next_page_token(), IsEmpty());
}

TEST_P(PlanServiceTest, OperatorsAreScopedToTheirOrganization) {
  v1::ActionPlan plan = MustCreate();
  v1::ActionPlan got;
  EXPECT_THAT(Get(Caller::kOtherOperator, plan.name(), &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  v1::ListActionPlansRequest list;
  list.set_parent(std::string(kParent));
  v1::ListActionPlansResponse listed;
  EXPECT_THAT(List(Caller::kOtherOperator, list, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(listed.action_plans(), IsEmpty());

  v1::CreateActionPlanRequest create;
  create.set_parent(std::string(kParent));
  *create.mutable_action_plan() = NewPlan();
  EXPECT_THAT(Create(Caller::kOtherOperator, create, &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  // The scope is checked before validation: a denied caller learns nothing
  // about what a valid request would be.
  create.mutable_action_plan()->clear_title();
  EXPECT_THAT(Create(Caller::kOtherOperator, create, &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(ListAll(), SizeIs(1));

  // And the other way round.
  create.set_parent(std::string(kOtherParent));
  *create.mutable_action_plan() = NewPlan();
  EXPECT_THAT(Create(Caller::kOperator, create, &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(ListAll(kOtherParent), IsEmpty());
  // Its own operator may.
  EXPECT_THAT(Create(Caller::kOtherOperator, create, &got), GrpcIsOk());
  EXPECT_EQ(got.audit().creator(), "operator-9999999");
}

TEST_P(PlanServiceTest, ReadersCannotCreate) {
  v1::CreateActionPlanRequest create;
  create.set_parent(std::string(kParent));
  *create.mutable_action_plan() = NewPlan();
  v1::ActionPlan plan;
  EXPECT_THAT(Create(Caller::kAuditor, create, &plan),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Create(Caller::kIntegrityOfficer, create, &plan),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Create(Caller::kAnonymous, create, &plan),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(ListAll(), IsEmpty());
}

}  // namespace
}  // namespace prongsai::plan
