// Transcoder against the real API descriptors: what a route's path, query
// and body become as the request message, what is refused and how, and the
// google.rpc.Status error body. No server: the transcoder needs the pool only.
#include "gateway/transcode.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "gateway/api_routes.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/ita/v1/ita.pb.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "tests/gateway/embedded_api.h"

namespace prongsai::gateway {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Query = std::vector<std::pair<std::string, std::string>>;

namespace kv1 = ::prongsai::complaint::v1;
namespace pv1 = ::prongsai::plan::v1;
namespace iv1 = ::prongsai::ita::v1;

class TranscodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EmbeddedApi api;
    LoadEmbeddedApi(&api);
    if (HasFatalFailure()) return;
    pool_ = std::move(api.pool);
    routes_ = std::move(api.routes);
    transcoder_ = std::make_unique<Transcoder>(pool_.get());
  }

  RouteMatch MustMatch(absl::string_view method, absl::string_view path) {
    absl::StatusOr<RouteMatch> match = routes_->Match(method, path);
    EXPECT_TRUE(match.ok()) << method << " " << path << ": " << match.status();
    return match.ok() ? *std::move(match) : RouteMatch{};
  }

  // The request message `method path?query` with `body` becomes, parsed as
  // `Message`; the status when refused.
  template <typename Message>
  absl::StatusOr<Message> Transcode(absl::string_view method,
                                    absl::string_view path, const Query& query,
                                    absl::string_view body) {
    const RouteMatch match = MustMatch(method, path);
    if (match.route == nullptr) return absl::InternalError("no route");
    absl::StatusOr<std::string> bytes =
        transcoder_->Request(match, query, body);
    if (!bytes.ok()) return bytes.status();
    Message message;
    if (!message.ParseFromString(*bytes)) {
      return absl::InternalError("the bytes do not parse");
    }
    return message;
  }

  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  std::unique_ptr<ApiRoutes> routes_;
  std::unique_ptr<Transcoder> transcoder_;
};

TEST_F(TranscodeTest, QueryParametersByProtoOrCamelNameRepeatedEnums) {
  absl::StatusOr<kv1::ListComplaintsRequest> list =
      Transcode<kv1::ListComplaintsRequest>(
          "GET", "/v1/organizations/6340101/complaints",
          {{"pageSize", "25"},
           {"states", "RECEIVED"},
           {"states", "IN_PROGRESS"},
           {"kind", "CORRUPTION"},
           {"overdue_only", "true"},
           {"dueWithinDays", "3"}},
          "");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->parent(), "organizations/6340101");
  EXPECT_EQ(list->page_size(), 25);
  EXPECT_THAT(list->states(), ElementsAre(kv1::Complaint::RECEIVED,
                                          kv1::Complaint::IN_PROGRESS));
  EXPECT_EQ(list->kind(), kv1::Complaint::CORRUPTION);
  EXPECT_TRUE(list->overdue_only());
  EXPECT_EQ(list->due_within_days(), 3);
}

TEST_F(TranscodeTest, NestedQueryParameter) {
  absl::StatusOr<kv1::GetComplaintStatisticsRequest> statistics =
      Transcode<kv1::GetComplaintStatisticsRequest>(
          "GET", "/v1/organizations/6340101/complaintStatistics",
          {{"fiscal_year.be_year", "2569"}, {"quarter", "2"}}, "");
  ASSERT_TRUE(statistics.ok()) << statistics.status();
  EXPECT_EQ(statistics->fiscal_year().be_year(), 2569);
  EXPECT_EQ(statistics->quarter(), 2);
  EXPECT_EQ(statistics->parent(), "organizations/6340101");
  // lowerCamel on both levels.
  statistics = Transcode<kv1::GetComplaintStatisticsRequest>(
      "GET", "/v1/organizations/6340101/complaintStatistics",
      {{"fiscalYear.beYear", "2568"}}, "");
  ASSERT_TRUE(statistics.ok()) << statistics.status();
  EXPECT_EQ(statistics->fiscal_year().be_year(), 2568);
}

TEST_F(TranscodeTest, BadQueryParametersAreInvalidArgumentNamingThem) {
  const std::pair<Query, absl::string_view> cases[] = {
      {{{"no_such_field", "1"}}, "query parameter no_such_field"},
      {{{"page_size", "many"}}, "query parameter page_size"},
      {{{"states", "NOT_A_STATE"}}, "query parameter states"},
      {{{"overdue_only", "yes"}}, "must be true or false"},
      {{{"kind.code", "1"}}, "has no fields to set"},
  };
  for (const auto& [query, why] : cases) {
    absl::StatusOr<kv1::ListComplaintsRequest> list =
        Transcode<kv1::ListComplaintsRequest>(
            "GET", "/v1/organizations/6340101/complaints", query, "");
    ASSERT_FALSE(list.ok()) << query.front().first;
    EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(list.status().message(), HasSubstr(why));
  }
  absl::StatusOr<kv1::GetComplaintStatisticsRequest> whole_message =
      Transcode<kv1::GetComplaintStatisticsRequest>(
          "GET", "/v1/organizations/6340101/complaintStatistics",
          {{"fiscal_year", "2569"}}, "");
  EXPECT_EQ(whole_message.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(whole_message.status().message(),
              HasSubstr("a message field cannot be set from the query"));
}

TEST_F(TranscodeTest, BodyFieldRuleFillsThatFieldAndTheQueryTheRest) {
  absl::StatusOr<pv1::UpdateOrganizationRequest> update =
      Transcode<pv1::UpdateOrganizationRequest>(
          "PATCH", "/v1/organizations/6340101",
          {{"update_mask", "organization.name,organization.province"}},
          R"({"etag": "e1", "organization": {"name": "อบต. ก"}})");
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->organization().name(), "organizations/6340101");
  EXPECT_EQ(update->organization().etag(), "e1");
  EXPECT_EQ(update->organization().organization().name(), "อบต. ก");
  EXPECT_THAT(update->update_mask().paths(),
              ElementsAre("organization.name", "organization.province"));
  // The body is the field's message, not the request: a request field
  // there is unknown.
  absl::StatusOr<pv1::UpdateOrganizationRequest> wrapped =
      Transcode<pv1::UpdateOrganizationRequest>(
          "PATCH", "/v1/organizations/6340101", {},
          R"({"organization": {"etag": "e1"}, "update_mask": "etag"})");
  EXPECT_EQ(wrapped.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(wrapped.status().message(), HasSubstr("body (organization)"));
  // The body field cannot come from the query as well.
  absl::StatusOr<pv1::UpdateOrganizationRequest> from_query =
      Transcode<pv1::UpdateOrganizationRequest>(
          "PATCH", "/v1/organizations/6340101", {{"organization.etag", "e2"}},
          R"({"etag": "e1"})");
  EXPECT_EQ(from_query.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(from_query.status().message(),
              HasSubstr("organization comes from the body"));
}

// Found by gateway_request_fuzzer: a path whose text is not UTF-8 (a %B1
// escape, or the raw byte) became a request the service cannot parse. It
// is refused, naming the field.
TEST_F(TranscodeTest, PathTextThatIsNotUtf8IsRefusedNamingTheField) {
  absl::StatusOr<pv1::UpdateOrganizationRequest> update =
      Transcode<pv1::UpdateOrganizationRequest>(
          "PATCH", "/v1/organizations/634010\xb1", {}, R"({"etag": "e1"})");
  EXPECT_EQ(update.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(update.status().message(),
              HasSubstr("organization.name: the path's text is not UTF-8"));
}

TEST_F(TranscodeTest, StarBodyIsTheWholeRequestAndTakesNoQuery) {
  absl::StatusOr<kv1::CreateComplaintRequest> create =
      Transcode<kv1::CreateComplaintRequest>(
          "POST", "/v1/organizations/6340101/complaints", {},
          R"({"requestId": "r1", "replay_secret": "s",
              "complaint": {"kind": "GENERAL", "subject": "ถนน"}})");
  ASSERT_TRUE(create.ok()) << create.status();
  EXPECT_EQ(create->parent(), "organizations/6340101");
  EXPECT_EQ(create->request_id(), "r1");
  EXPECT_EQ(create->replay_secret(), "s");
  EXPECT_EQ(create->complaint().kind(), kv1::Complaint::GENERAL);
  EXPECT_EQ(create->complaint().subject(), "ถนน");
  absl::StatusOr<kv1::CreateComplaintRequest> with_query =
      Transcode<kv1::CreateComplaintRequest>(
          "POST", "/v1/organizations/6340101/complaints",
          {{"request_id", "r2"}}, R"({"request_id": "r1"})");
  EXPECT_EQ(with_query.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(with_query.status().message(),
              HasSubstr("query parameter request_id"));
  // An empty body is an empty request (the path still binds).
  absl::StatusOr<pv1::ApproveActionPlanRequest> approve =
      Transcode<pv1::ApproveActionPlanRequest>(
          "POST", "/v1/organizations/6340101/actionPlans/p1:approve", {}, "");
  ASSERT_TRUE(approve.ok()) << approve.status();
  EXPECT_EQ(approve->name(), "organizations/6340101/actionPlans/p1");
}

TEST_F(TranscodeTest, PathWinsOverBody) {
  absl::StatusOr<pv1::ApproveActionPlanRequest> approve =
      Transcode<pv1::ApproveActionPlanRequest>(
          "POST", "/v1/organizations/6340101/actionPlans/p1:approve", {},
          R"({"name": "organizations/9999999/actionPlans/p9", "etag": "x"})");
  ASSERT_TRUE(approve.ok()) << approve.status();
  EXPECT_EQ(approve->name(), "organizations/6340101/actionPlans/p1");
  EXPECT_EQ(approve->etag(), "x");
  // Also for a nested path field inside the body field.
  absl::StatusOr<pv1::UpdateOrganizationRequest> update =
      Transcode<pv1::UpdateOrganizationRequest>(
          "PATCH", "/v1/organizations/6340101", {},
          R"({"name": "organizations/9999999"})");
  ASSERT_TRUE(update.ok()) << update.status();
  EXPECT_EQ(update->organization().name(), "organizations/6340101");
  // And over the query.
  absl::StatusOr<kv1::ListComplaintsRequest> list =
      Transcode<kv1::ListComplaintsRequest>(
          "GET", "/v1/organizations/6340101/complaints",
          {{"parent", "organizations/9999999"}}, "");
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->parent(), "organizations/6340101");
}

TEST_F(TranscodeTest, BadBodiesAreInvalidArgument) {
  const std::pair<absl::string_view, absl::string_view> cases[] = {
      {R"({"request_id": )", "body"},
      {R"({"complaint": {"subject": "x"})", "body"},
      {R"({"no_such_field": 1})", "no_such_field"},
      {R"({"complaint": {"kind": 7.5}})", "body"},
      {R"({"complaint": {"subject": 12}})", "body"},
      {R"([1, 2])", "body"},
  };
  for (const auto& [body, why] : cases) {
    absl::StatusOr<kv1::CreateComplaintRequest> create =
        Transcode<kv1::CreateComplaintRequest>(
            "POST", "/v1/organizations/6340101/complaints", {}, body);
    ASSERT_FALSE(create.ok()) << body;
    EXPECT_EQ(create.status().code(), absl::StatusCode::kInvalidArgument)
        << body;
    EXPECT_THAT(create.status().message(), HasSubstr(why)) << body;
  }
  // A body where the route takes none.
  absl::StatusOr<pv1::GetOrganizationRequest> get =
      Transcode<pv1::GetOrganizationRequest>("GET", "/v1/organizations/6340101",
                                             {}, R"({"name": "x"})");
  EXPECT_EQ(get.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(get.status().message(), HasSubstr("takes no body"));
}

TEST_F(TranscodeTest, NdjsonLinesAreStreamMessagesWithThePathSet) {
  const RouteMatch match = MustMatch(
      "POST", "/v1/organizations/6340101/assessments/2566:ingestRawAnswers");
  ASSERT_NE(match.route, nullptr);
  ASSERT_TRUE(match.route->method->client_streaming());
  absl::StatusOr<std::vector<std::string>> messages =
      transcoder_->StreamRequests(
          match,
          "{\"respondents\": [{\"tool\": \"IIT\", \"answers\": {\"i1\": 3}}]}\n"
          "\n"
          "   \n"
          "{\"oitChecks\": {\"o1\": true}, \"name\": \"organizations/1/"
          "assessments/1\"}\n");
  ASSERT_TRUE(messages.ok()) << messages.status();
  ASSERT_EQ(messages->size(), 2u);
  iv1::IngestRawAnswersRequest first, second;
  ASSERT_TRUE(first.ParseFromString((*messages)[0]));
  ASSERT_TRUE(second.ParseFromString((*messages)[1]));
  EXPECT_EQ(first.name(), "organizations/6340101/assessments/2566");
  ASSERT_EQ(first.respondents_size(), 1);
  EXPECT_EQ(first.respondents(0).answers().at("i1"), 3);
  EXPECT_EQ(second.name(), "organizations/6340101/assessments/2566");
  EXPECT_TRUE(second.oit_checks().at("o1"));

  absl::StatusOr<std::vector<std::string>> bad = transcoder_->StreamRequests(
      match, "{\"replace_computed\": true}\n{\"respondents\": 3}\n");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("body line 2"));
}

TEST_F(TranscodeTest, ResponseIsJsonWithProtoNames) {
  const RouteMatch match = MustMatch("GET", "/v1/organizations/6340101");
  ASSERT_NE(match.route, nullptr);
  pv1::Organization organization;
  organization.set_name("organizations/6340101");
  organization.mutable_organization()->set_province("ยโสธร");
  organization.mutable_organization()->set_kind(
      common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  absl::StatusOr<std::string> json =
      transcoder_->Response(*match.route, organization.SerializeAsString());
  ASSERT_TRUE(json.ok()) << json.status();
  pv1::Organization back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &back).ok())
      << *json;
  EXPECT_EQ(back.SerializeAsString(), organization.SerializeAsString());
  EXPECT_THAT(*json, HasSubstr("\"name\":\"organizations/6340101\""));
  EXPECT_EQ(transcoder_->Response(*match.route, "\xff\xff\xff").status().code(),
            absl::StatusCode::kInternal);
}

TEST(StatusBodyTest, HttpStatusOfEveryCodeTheServicesUse) {
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::OK), 200);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INVALID_ARGUMENT), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::NOT_FOUND), 404);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ABORTED), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DEADLINE_EXCEEDED), 504);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::INTERNAL), 500);
}

TEST(StatusBodyTest, InvalidArgumentNamesTheFieldInABadRequestDetail) {
  google::rpc::Status status;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  StatusBody(grpc::StatusCode::INVALID_ARGUMENT,
                             "complaint.subject: must not be empty"),
                  &status)
                  .ok());
  EXPECT_EQ(status.code(), 3);
  EXPECT_EQ(status.message(), "complaint.subject: must not be empty");
  ASSERT_EQ(status.details_size(), 1);
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(status.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 1);
  EXPECT_EQ(bad_request.field_violations(0).field(), "complaint.subject");
  EXPECT_EQ(bad_request.field_violations(0).description(), "must not be empty");
  // A sentence is not a field path; other codes carry no detail.
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(
                  StatusBody(grpc::StatusCode::INVALID_ARGUMENT,
                             "the body is bad: really"),
                  &status)
                  .ok());
  EXPECT_EQ(status.details_size(), 0);
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(
          StatusBody(grpc::StatusCode::NOT_FOUND, "name: no such"), &status)
          .ok());
  EXPECT_EQ(status.code(), 5);
  EXPECT_EQ(status.details_size(), 0);
}

}  // namespace
}  // namespace prongsai::gateway
