// The complaint service through its gRPC API, on SQLite and PostgreSQL:
// anonymous filing, the 15-day due time, reading by staff only, idempotency,
// validation, paging and the organization scope of keys.
#include "services/complaint/complaint_service.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "tests/services/service_test_util.h"

namespace prongsai::complaint {
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
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;

constexpr absl::string_view kSubject = "ร้องเรียนการจัดซื้อจัดจ้างโครงการถนนคอนกรีต";
constexpr absl::string_view kDescription =
    "ผู้รับเหมาก่อสร้างถนนคอนกรีตเสริมเหล็ก หมู่ที่ ๕ ใช้วัสดุไม่ตรงตามสัญญา "
    "และเจ้าหน้าที่ตรวจรับงานโดยไม่ได้ตรวจสอบ";

v1::Complaint NewComplaint() {
  v1::Complaint complaint;
  complaint.set_kind(v1::Complaint::CORRUPTION);
  complaint.set_channel(v1::Complaint::WEBSITE);
  complaint.set_subject(std::string(kSubject));
  complaint.set_description(std::string(kDescription));
  complaint.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  complaint.mutable_organization()->set_kind(
      common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  return complaint;
}

class ComplaintServiceTest : public testing::ServiceTest {
 protected:
  void SetUp() override { StartService(testing::ComplaintDefinitionForTest()); }

  grpc::Status Create(Caller caller, const v1::CreateComplaintRequest& request,
                      v1::Complaint* complaint) {
    auto stub = v1::ComplaintService::NewStub(service().channel());
    return stub->CreateComplaint(service().Context(caller).get(), request,
                                 complaint);
  }

  // Files NewComplaint() anonymously in `parent`; must succeed.
  v1::Complaint MustCreate(absl::string_view parent = kParent,
                           absl::string_view request_id = "",
                           absl::string_view subject = kSubject) {
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(parent));
    *request.mutable_complaint() = NewComplaint();
    request.mutable_complaint()->set_subject(std::string(subject));
    request.set_request_id(std::string(request_id));
    v1::Complaint complaint;
    EXPECT_THAT(Create(Caller::kAnonymous, request, &complaint), GrpcIsOk());
    return complaint;
  }

  grpc::Status Get(Caller caller, absl::string_view name,
                   v1::Complaint* complaint) {
    auto stub = v1::ComplaintService::NewStub(service().channel());
    v1::GetComplaintRequest request;
    request.set_name(std::string(name));
    return stub->GetComplaint(service().Context(caller).get(), request,
                              complaint);
  }

  grpc::Status List(Caller caller, const v1::ListComplaintsRequest& request,
                    v1::ListComplaintsResponse* response) {
    auto stub = v1::ComplaintService::NewStub(service().channel());
    return stub->ListComplaints(service().Context(caller).get(), request,
                                response);
  }

  std::vector<v1::Complaint> ListAll(absl::string_view parent = kParent) {
    v1::ListComplaintsRequest request;
    request.set_parent(std::string(parent));
    v1::ListComplaintsResponse response;
    EXPECT_THAT(List(Caller::kIntegrityOfficer, request, &response),
                GrpcIsOk());
    EXPECT_THAT(response.next_page_token(), IsEmpty());
    return {response.complaints().begin(), response.complaints().end()};
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintServiceTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(ComplaintServiceTest, AnonymousFilingRoundTrips) {
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = NewComplaint();
  // Output-only fields are the service's to set.
  request.mutable_complaint()->set_state(v1::Complaint::CLOSED);
  request.mutable_complaint()->mutable_due_time()->set_seconds(1);
  request.mutable_complaint()->mutable_receive_time()->set_seconds(1);
  request.mutable_complaint()->mutable_organization()->set_code("1111111");

  v1::Complaint created;
  ASSERT_THAT(Create(Caller::kAnonymous, request, &created), GrpcIsOk());
  EXPECT_THAT(created.name(),
              MatchesRegex("organizations/6340101/complaints/[a-z2-7]{16}"));
  EXPECT_EQ(created.organization().code(), kOrganization);
  EXPECT_EQ(created.organization().name(), "องค์การบริหารส่วนตำบลอีสานเขต");
  EXPECT_EQ(created.organization().kind(),
            common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  EXPECT_EQ(created.kind(), v1::Complaint::CORRUPTION);
  EXPECT_EQ(created.channel(), v1::Complaint::WEBSITE);
  EXPECT_EQ(created.subject(), kSubject);
  EXPECT_EQ(created.description(), kDescription);
  EXPECT_EQ(created.state(), v1::Complaint::RECEIVED);
  const absl::Time received = clock_.Now();
  EXPECT_EQ(api::FromProtoTime(created.receive_time()), received);
  // Exactly 15 days: 1 October 09:30:00.123456 -> 16 October, same time.
  EXPECT_EQ(api::FromProtoTime(created.due_time()),
            received + absl::Hours(360));
  EXPECT_EQ(created.due_time().seconds() - created.receive_time().seconds(),
            15 * 24 * 3600);
  EXPECT_EQ(created.due_time().nanos(), created.receive_time().nanos());
  EXPECT_EQ(created.audit().creator(), "public");
  EXPECT_EQ(created.audit().updater(), "public");
  EXPECT_EQ(api::FromProtoTime(created.audit().create_time()), received);

  // The tracking code is shown once, in the create response, never again.
  EXPECT_THAT(created.tracking_code(),
              MatchesRegex("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-"
                           "[0-9A-HJKMNP-TV-Z*~$=U]"));
  created.clear_tracking_code();
  for (Caller reader : {Caller::kOperator, Caller::kSystem,
                        Caller::kIntegrityOfficer, Caller::kAuditor}) {
    v1::Complaint got;
    ASSERT_THAT(Get(reader, created.name(), &got), GrpcIsOk())
        << testing::CallerName(reader);
    EXPECT_THAT(got, EqualsProto(created));
  }
  std::vector<v1::Complaint> listed = ListAll();
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_THAT(listed[0], EqualsProto(created));
  EXPECT_THAT(ListAll(kOtherParent), IsEmpty());
}

TEST_P(ComplaintServiceTest, KeyedFilingRecordsTheKeyName) {
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = NewComplaint();
  request.mutable_complaint()->set_kind(v1::Complaint::GENERAL);
  request.mutable_complaint()->set_channel(v1::Complaint::REFERRAL);
  v1::Complaint created;
  ASSERT_THAT(Create(Caller::kSystem, request, &created), GrpcIsOk());
  EXPECT_EQ(created.audit().creator(), "system");
  EXPECT_EQ(created.kind(), v1::Complaint::GENERAL);
  EXPECT_EQ(created.channel(), v1::Complaint::REFERRAL);
}

TEST_P(ComplaintServiceTest, OnlyStaffReadComplaints) {
  v1::Complaint created = MustCreate();
  v1::Complaint got;
  EXPECT_THAT(Get(Caller::kAnonymous, created.name(), &got),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Get(Caller::kUnknownKey, created.name(), &got),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(got.subject(), IsEmpty());
  v1::ListComplaintsRequest request;
  request.set_parent(std::string(kParent));
  v1::ListComplaintsResponse response;
  EXPECT_THAT(List(Caller::kAnonymous, request, &response),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(response.complaints(), IsEmpty());
}

TEST_P(ComplaintServiceTest, DueTimeFollowsTheReceiveTime) {
  clock_.Advance(absl::Hours(24 * 90) + absl::Microseconds(7));
  v1::Complaint created = MustCreate();
  EXPECT_EQ(api::FromProtoTime(created.receive_time()), clock_.Now());
  EXPECT_EQ(api::FromProtoTime(created.due_time()),
            clock_.Now() + absl::Hours(24 * 15));
}

TEST_P(ComplaintServiceTest, CreateIsIdempotentOnRequestId) {
  v1::Complaint first = MustCreate(kParent, "web-form-7f3a");
  clock_.Advance(absl::Minutes(5));
  v1::Complaint repeat = MustCreate(kParent, "web-form-7f3a", "เรื่องอื่น");
  EXPECT_THAT(repeat, EqualsProto(first));
  ASSERT_THAT(ListAll(), SizeIs(1));
  v1::Complaint second = MustCreate(kParent, "web-form-7f3b");
  EXPECT_NE(second.name(), first.name());
  EXPECT_THAT(ListAll(), SizeIs(2));
  MustCreate(kOtherParent, "web-form-7f3a");
  EXPECT_THAT(ListAll(kOtherParent), SizeIs(1));
  EXPECT_THAT(ListAll(), SizeIs(2));
}

TEST_P(ComplaintServiceTest, InvalidCreatesNameTheFieldAndStoreNothing) {
  struct Case {
    std::string label;
    std::string field_path;
    std::function<void(v1::CreateComplaintRequest&)> mutate;
  };
  const std::vector<Case> cases = {
      {"no kind", "complaint.kind",
       [](auto& r) { r.mutable_complaint()->clear_kind(); }},
      {"unknown kind", "complaint.kind",
       [](auto& r) {
         r.mutable_complaint()->set_kind(static_cast<v1::Complaint::Kind>(7));
       }},
      {"no channel", "complaint.channel",
       [](auto& r) { r.mutable_complaint()->clear_channel(); }},
      {"unknown channel", "complaint.channel",
       [](auto& r) {
         r.mutable_complaint()->set_channel(
             static_cast<v1::Complaint::Channel>(99));
       }},
      {"no subject", "complaint.subject",
       [](auto& r) { r.mutable_complaint()->clear_subject(); }},
      {"subject over 300 characters", "complaint.subject",
       [](auto& r) {
         std::string subject;
         for (int i = 0; i < 301; ++i) subject += "ร";
         r.mutable_complaint()->set_subject(subject);
       }},
      {"no description", "complaint.description",
       [](auto& r) { r.mutable_complaint()->clear_description(); }},
      {"description over 10000 characters", "complaint.description",
       [](auto& r) {
         std::string description;
         for (int i = 0; i < 10001; ++i) description += "ท";
         r.mutable_complaint()->set_description(description);
       }},
      {"province too long", "complaint.organization.province",
       [](auto& r) {
         r.mutable_complaint()->mutable_organization()->set_province(
             std::string(101, 'p'));
       }},
      {"unknown organization kind", "complaint.organization.kind",
       [](auto& r) {
         r.mutable_complaint()->mutable_organization()->set_kind(
             static_cast<common::v1::OrganizationKind>(-1));
       }},
      {"no parent", "parent", [](auto& r) { r.clear_parent(); }},
      {"parent of a complaint", "parent",
       [](auto& r) { r.set_parent("organizations/6340101/complaints/x"); }},
      {"request id with a newline", "request_id",
       [](auto& r) { r.set_request_id("a\nb"); }},
  };
  for (const Case& test_case : cases) {
    SCOPED_TRACE(test_case.label);
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_complaint() = NewComplaint();
    test_case.mutate(request);
    v1::Complaint complaint;
    EXPECT_THAT(Create(Caller::kAnonymous, request, &complaint),
                IsInvalidField(test_case.field_path));
  }
  EXPECT_THAT(ListAll(), IsEmpty());
}

TEST_P(ComplaintServiceTest, LongestTextIsAccepted) {
  v1::CreateComplaintRequest request;
  request.set_parent(std::string(kParent));
  *request.mutable_complaint() = NewComplaint();
  std::string subject;
  for (int i = 0; i < 300; ++i) subject += "ร";
  std::string description;
  for (int i = 0; i < 10000; ++i) description += "ท";
  request.mutable_complaint()->set_subject(subject);
  request.mutable_complaint()->set_description(description);
  v1::Complaint created;
  ASSERT_THAT(Create(Caller::kAnonymous, request, &created), GrpcIsOk());
  v1::Complaint got;
  ASSERT_THAT(Get(Caller::kIntegrityOfficer, created.name(), &got), GrpcIsOk());
  EXPECT_EQ(got.subject(), subject);
  EXPECT_EQ(got.description(), description);
}

TEST_P(ComplaintServiceTest, ListRequestsAreValidated) {
  MustCreate(kOtherParent);
  MustCreate(kOtherParent);
  v1::ListComplaintsRequest other;
  other.set_parent(std::string(kOtherParent));
  other.set_page_size(1);
  v1::ListComplaintsResponse other_page;
  ASSERT_THAT(List(Caller::kSystem, other, &other_page), GrpcIsOk());
  ASSERT_THAT(other_page.next_page_token(), Not(IsEmpty()));

  v1::ListComplaintsRequest request;
  request.set_parent(std::string(kParent));
  request.set_page_token(other_page.next_page_token());
  v1::ListComplaintsResponse response;
  EXPECT_THAT(List(Caller::kOperator, request, &response),
              IsInvalidField("page_token"));
  request.clear_page_token();
  request.set_page_size(-5);
  EXPECT_THAT(List(Caller::kOperator, request, &response),
              IsInvalidField("page_size"));
}

TEST_P(ComplaintServiceTest, UnknownComplaintIsNotFound) {
  v1::Complaint complaint;
  EXPECT_THAT(
      Get(Caller::kIntegrityOfficer,
          "organizations/6340101/complaints/aaaaaaaaaaaaaaaa", &complaint),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  v1::Complaint elsewhere = MustCreate(kOtherParent);
  const std::string id =
      elsewhere.name().substr(elsewhere.name().rfind('/') + 1);
  EXPECT_THAT(
      Get(Caller::kIntegrityOfficer,
          absl::StrCat("organizations/6340101/complaints/", id), &complaint),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(
      Get(Caller::kIntegrityOfficer,
          "organizations/6340101/actionPlans/aaaaaaaaaaaaaaaa", &complaint),
      IsInvalidField("name"));
}

TEST_P(ComplaintServiceTest, PagesInReceiveOrder) {
  std::vector<std::string> created;
  for (int i = 1; i <= 7; ++i) {
    created.push_back(
        MustCreate(kParent, "", absl::StrCat(kSubject, " ครั้งที่ ", i)).name());
    clock_.Advance(absl::Hours(3));
  }
  MustCreate(kOtherParent);

  std::vector<std::string> seen;
  std::vector<int> page_sizes;
  v1::ListComplaintsRequest request;
  request.set_parent(std::string(kParent));
  request.set_page_size(3);
  for (int pages = 0; pages < 10; ++pages) {
    v1::ListComplaintsResponse response;
    ASSERT_THAT(List(Caller::kOperator, request, &response), GrpcIsOk());
    page_sizes.push_back(response.complaints_size());
    for (const v1::Complaint& complaint : response.complaints()) {
      seen.push_back(complaint.name());
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_EQ(page_sizes, (std::vector<int>{3, 3, 1}));
  EXPECT_EQ(seen, created);
  EXPECT_THAT(absl::flat_hash_set<std::string>(seen.begin(), seen.end()),
              SizeIs(7));
}

TEST_P(ComplaintServiceTest, OperatorsReadOnlyTheirOrganization) {
  v1::Complaint created = MustCreate();
  v1::Complaint got;
  EXPECT_THAT(Get(Caller::kOtherOperator, created.name(), &got),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(got.subject(), IsEmpty());
  v1::ListComplaintsRequest request;
  request.set_parent(std::string(kParent));
  v1::ListComplaintsResponse response;
  EXPECT_THAT(List(Caller::kOtherOperator, request, &response),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(response.complaints(), IsEmpty());
  EXPECT_THAT(Get(Caller::kOperator, created.name(), &got), GrpcIsOk());

  // Filing is public: an operator of another organization files like any
  // citizen, and the register records which key filed it.
  v1::CreateComplaintRequest create;
  create.set_parent(std::string(kParent));
  *create.mutable_complaint() = NewComplaint();
  ASSERT_THAT(Create(Caller::kOtherOperator, create, &got), GrpcIsOk());
  EXPECT_EQ(got.audit().creator(), "operator-9999999");
  EXPECT_THAT(ListAll(), SizeIs(2));
}

}  // namespace
}  // namespace prongsai::complaint
