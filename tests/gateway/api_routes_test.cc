// ApiRoutes built from the real embedded descriptors: every RPC of every
// Prongsai service is reachable, and matching answers 404 and 405 apart.
#include "gateway/api_routes.h"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"
#include "tests/gateway/embedded_api.h"

namespace prongsai::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

class ApiRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedApi api;
    LoadEmbeddedApi(&api);
    if (HasFatalFailure()) return;
    pool_ = std::move(api.pool);
    routes_ = std::move(api.routes);
  }

  // The method a request reaches, "" when none.
  std::string MethodOf(absl::string_view http_method, absl::string_view path) {
    absl::StatusOr<RouteMatch> match = routes_->Match(http_method, path);
    return match.ok() ? match->route->method->full_name() : "";
  }

  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::unique_ptr<ApiRoutes> routes_;
};

TEST_F(ApiRoutesTest, EveryMethodOfEveryServiceHasARoute) {
  std::set<std::string> methods_in_pool;
  for (absl::string_view service_name :
       {"prongsai.plan.v1.PlanService", "prongsai.plan.v1.AccountService",
        "prongsai.plan.v1.OversightService",
        "prongsai.complaint.v1.ComplaintService",
        "prongsai.ita.v1.AssessmentService"}) {
    const google::protobuf::ServiceDescriptor* service =
        pool_->FindServiceByName(std::string(service_name));
    ASSERT_NE(service, nullptr) << service_name;
    ASSERT_GT(service->method_count(), 0) << service_name;
    for (int i = 0; i < service->method_count(); ++i) {
      methods_in_pool.insert(service->method(i)->full_name());
    }
  }
  std::set<std::string> routed;
  for (const Route& route : routes_->routes()) {
    ASSERT_NE(route.method, nullptr);
    routed.insert(route.method->full_name());
    EXPECT_EQ(route.grpc_path,
              absl::StrCat("/", route.method->service()->full_name(), "/",
                           route.method->name()));
    EXPECT_TRUE(absl::StartsWith(route.path.text(), "/v1/"))
        << route.path.text();
  }
  // Only Prongsai methods, and all of them.
  EXPECT_EQ(routed, methods_in_pool);
  // GetTrend has an additional binding: one route more than methods.
  EXPECT_GT(routes_->routes().size(), methods_in_pool.size());
}

TEST_F(ApiRoutesTest, RoutesReachTheirMethodsWithBindings) {
  absl::StatusOr<RouteMatch> approve = routes_->Match(
      "POST", "/v1/organizations/6340101/actionPlans/p1:approve");
  ASSERT_TRUE(approve.ok()) << approve.status();
  EXPECT_EQ(approve->route->grpc_path,
            "/prongsai.plan.v1.PlanService/ApproveActionPlan");
  EXPECT_EQ(approve->route->body, "*");
  EXPECT_THAT(
      approve->bindings,
      ElementsAre(Pair("name", "organizations/6340101/actionPlans/p1")));

  absl::StatusOr<RouteMatch> update =
      routes_->Match("PATCH", "/v1/organizations/6340101");
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->route->method->name(), "UpdateOrganization");
  EXPECT_EQ(update->route->body, "organization");
  EXPECT_THAT(update->bindings,
              ElementsAre(Pair("organization.name", "organizations/6340101")));

  EXPECT_EQ(MethodOf("GET", "/v1/organizations/6340101"),
            "prongsai.plan.v1.PlanService.GetOrganization");
  EXPECT_EQ(MethodOf("GET", "/v1/organizations"),
            "prongsai.plan.v1.PlanService.ListOrganizations");
  EXPECT_EQ(MethodOf("GET", "/v1/organizations:search"),
            "prongsai.plan.v1.PlanService.SearchOrganizations");
  EXPECT_EQ(MethodOf("POST", "/v1/complaints:track"),
            "prongsai.complaint.v1.ComplaintService.TrackComplaint");
  EXPECT_EQ(MethodOf("GET", "/v1/frameworks/2565/versions/1"),
            "prongsai.ita.v1.AssessmentService.GetFramework");
  EXPECT_EQ(MethodOf("GET", "/v1/frameworks"),
            "prongsai.ita.v1.AssessmentService.ListFrameworks");
  EXPECT_EQ(MethodOf("GET", "/v1/organizations/6340101/assessments:trend"),
            "prongsai.ita.v1.AssessmentService.GetTrend");
  EXPECT_EQ(MethodOf("GET", "/v1/assessments:trend"),
            "prongsai.ita.v1.AssessmentService.GetTrend");
  EXPECT_EQ(MethodOf("GET", "/v1/organizations/6340101/assessments"),
            "prongsai.ita.v1.AssessmentService.ListAssessments");
  EXPECT_EQ(MethodOf("PUT", "/v1/organizations/6340101/categories/roads"),
            "prongsai.complaint.v1.ComplaintService.UpsertCategory");
  EXPECT_EQ(MethodOf("GET",
                     "/v1/organizations/1/actionPlans/p/annualPlans/2569"
                     ":roundSummary"),
            "prongsai.plan.v1.PlanService.GetRoundSummary");
  EXPECT_EQ(MethodOf("POST", "/v1/sessions:signIn"),
            "prongsai.plan.v1.AccountService.SignIn");
  EXPECT_EQ(MethodOf("POST", "/v1/accounts/somchai:changePassword"),
            "prongsai.plan.v1.AccountService.ChangePassword");
  EXPECT_EQ(MethodOf("GET", "/v1/accounts/somchai/sessions"),
            "prongsai.plan.v1.AccountService.ListSessions");
  EXPECT_EQ(MethodOf("PATCH", "/v1/accounts/somchai"),
            "prongsai.plan.v1.AccountService.UpdateAccount");
}

TEST_F(ApiRoutesTest, WrongMethodIsUnimplementedUnknownPathIsNotFound) {
  absl::StatusOr<RouteMatch> wrong_method =
      routes_->Match("DELETE", "/v1/organizations/6340101");
  EXPECT_EQ(wrong_method.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_THAT(wrong_method.status().message(), HasSubstr("DELETE"));
  // GET only on :analyze.
  EXPECT_EQ(
      routes_
          ->Match("POST", "/v1/organizations/6340101/assessments/2568:analyze")
          .status()
          .code(),
      absl::StatusCode::kUnimplemented);
  for (absl::string_view path :
       {"/v1/nothing", "/v1/organizations/6340101/unknown",
        "/v1/organizations/6340101/actionPlans/p1:explode",
        "/v1/organizations//actionPlans", "/v1/"}) {
    EXPECT_EQ(routes_->Match("GET", path).status().code(),
              absl::StatusCode::kNotFound)
        << path;
  }
}

// A pool with the real google/api files and, under the name of a real API
// file (FromPool reads the files the embedded set names), a made-up service
// whose methods carry `rules`, in order, each {http method, path, body}.
struct FakeRule {
  std::string method, path, body;
};

absl::StatusOr<ApiRoutes> RoutesOf(
    const std::vector<FakeRule>& rules,
    std::unique_ptr<google::protobuf::DescriptorPool>* pool) {
  absl::StatusOr<std::unique_ptr<google::protobuf::DescriptorPool>> real =
      LoadApiDescriptors();
  if (!real.ok()) return real.status();
  *pool = std::make_unique<google::protobuf::DescriptorPool>();
  std::set<std::string> built;
  std::function<void(const google::protobuf::FileDescriptor*)> add =
      [&](const google::protobuf::FileDescriptor* file) {
        if (!built.insert(file->name()).second) return;
        for (int i = 0; i < file->dependency_count(); ++i) {
          add(file->dependency(i));
        }
        google::protobuf::FileDescriptorProto proto;
        file->CopyTo(&proto);
        (*pool)->BuildFile(proto);
      };
  add((*real)->FindFileByName("google/api/annotations.proto"));
  google::protobuf::FileDescriptorProto fake;
  fake.set_name("prongsai/plan/v1/plan.proto");
  fake.set_package("prongsai.fake");
  fake.set_syntax("proto3");
  fake.add_dependency("google/api/annotations.proto");
  google::protobuf::DescriptorProto* request = fake.add_message_type();
  request->set_name("Thing");
  int number = 1;
  for (const char* field_name : {"name", "id", "count"}) {
    google::protobuf::FieldDescriptorProto* field = request->add_field();
    field->set_name(field_name);
    field->set_number(number++);
    field->set_label(google::protobuf::FieldDescriptorProto::LABEL_OPTIONAL);
    field->set_type(absl::string_view(field_name) == "count"
                        ? google::protobuf::FieldDescriptorProto::TYPE_INT32
                        : google::protobuf::FieldDescriptorProto::TYPE_STRING);
  }
  google::protobuf::ServiceDescriptorProto* service = fake.add_service();
  service->set_name("FakeService");
  for (size_t i = 0; i < rules.size(); ++i) {
    google::protobuf::MethodDescriptorProto* method = service->add_method();
    method->set_name(absl::StrCat("Method", i));
    method->set_input_type(".prongsai.fake.Thing");
    method->set_output_type(".prongsai.fake.Thing");
    google::api::HttpRule* rule =
        method->mutable_options()->MutableExtension(google::api::http);
    if (rules[i].method == "GET") rule->set_get(rules[i].path);
    if (rules[i].method == "POST") rule->set_post(rules[i].path);
    rule->set_body(rules[i].body);
  }
  if ((*pool)->BuildFile(fake) == nullptr) {
    return absl::InternalError("the fake file does not build");
  }
  return ApiRoutes::FromPool(**pool);
}

TEST(ApiRoutesFakeTest, EarliestDeclaredRouteWins) {
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  absl::StatusOr<ApiRoutes> routes =
      RoutesOf({{"GET", "/v1/{name=things/*}", ""},
                {"GET", "/v1/things/{id}", ""},
                {"POST", "/v1/{name=things/*}", "*"}},
               &pool);
  ASSERT_TRUE(routes.ok()) << routes.status();
  ASSERT_EQ(routes->routes().size(), 3u);
  absl::StatusOr<RouteMatch> get = routes->Match("GET", "/v1/things/7");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->route->method->name(), "Method0");
  EXPECT_THAT(get->bindings, ElementsAre(Pair("name", "things/7")));
  absl::StatusOr<RouteMatch> post = routes->Match("POST", "/v1/things/7");
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_EQ(post->route->method->name(), "Method2");

  // The same two the other way round: the other one wins.
  absl::StatusOr<ApiRoutes> swapped = RoutesOf(
      {{"GET", "/v1/things/{id}", ""}, {"GET", "/v1/{name=things/*}", ""}},
      &pool);
  ASSERT_TRUE(swapped.ok()) << swapped.status();
  get = swapped->Match("GET", "/v1/things/7");
  ASSERT_TRUE(get.ok()) << get.status();
  EXPECT_EQ(get->route->method->name(), "Method0");
  EXPECT_THAT(get->bindings, ElementsAre(Pair("id", "7")));
  EXPECT_EQ(swapped->Match("POST", "/v1/things/7").status().code(),
            absl::StatusCode::kUnimplemented);
}

TEST(ApiRoutesFakeTest, RefusesRulesTheRequestCannotTake) {
  std::unique_ptr<google::protobuf::DescriptorPool> pool;
  const std::pair<FakeRule, absl::string_view> cases[] = {
      {{"POST", "/v1/things", "missing"}, "body field missing"},
      // The transcoder fills a message field from the body, not a scalar.
      {{"POST", "/v1/things", "count"}, "body field count is not a message"},
      {{"GET", "/v1/things/{count}", ""}, "path variable count"},
      {{"GET", "/v1/things/{nope}", ""}, "path variable nope"},
      {{"GET", "/v1/things/{name", ""}, "not closed"},
  };
  for (const auto& [rule, why] : cases) {
    absl::StatusOr<ApiRoutes> routes = RoutesOf({rule}, &pool);
    ASSERT_FALSE(routes.ok()) << rule.path;
    EXPECT_EQ(routes.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(routes.status().message(), HasSubstr(why));
  }
}

}  // namespace
}  // namespace prongsai::gateway
