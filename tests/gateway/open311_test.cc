// The Open311 GeoReport v2 adapter against the real plan and complaint
// services (their binaries, as child processes on SQLite): what a reporting
// app sends (form-encoded POSTs, XML and JSON GETs) and that every answer
// keeps to the spec's fields while never showing a corruption report, an
// identity, an internal note, the complainant's own additions or a tracking
// code outside the filer's answer. Also the document writer's escaping.
#include "gateway/open311.h"

#include <memory>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "gateway/backends.h"
#include "gateway/http_types.h"
#include "gateway/open311_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "tests/services/peer_process.h"

namespace prongsai::gateway {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
namespace cv1 = ::prongsai::complaint::v1;
using C = cv1::Complaint;

constexpr char kJurisdiction[] = "open311-6340101";
constexpr char kParent[] = "organizations/open311-6340101";
// What a filer gives that must never come back.
constexpr char kEmail[] = "somchai.secret@example.com";
constexpr char kPhone[] = "0812345678";
constexpr char kFirstName[] = "สมชายลับ";
constexpr char kLastName[] = "ใจดีลับ";

// Percent-encodes for a form body, as browsers and apps do.
std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  auto encode = [&out](absl::string_view text) {
    for (unsigned char c : text) {
      if (absl::ascii_isalnum(c) || c == '-' || c == '_' || c == '.' ||
          c == '~') {
        out.push_back(static_cast<char>(c));
      } else if (c == ' ') {
        out.push_back('+');
      } else {
        absl::StrAppendFormat(&out, "%%%02X", c);
      }
    }
  };
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back('&');
    encode(fields[i].first);
    out.push_back('=');
    encode(fields[i].second);
  }
  return out;
}

// The texts of every <tag>...</tag> in an XML answer (flat elements only).
std::vector<std::string> Texts(const std::string& xml, const std::string& tag) {
  std::vector<std::string> out;
  const std::regex element("<" + tag + ">([^<]*)</" + tag + ">|<" + tag + "/>");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), element);
       it != std::sregex_iterator(); ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

std::string Text(const std::string& xml, const std::string& tag) {
  std::vector<std::string> texts = Texts(xml, tag);
  return texts.empty() ? "<absent>" : texts[0];
}

class Open311Test : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auditor_key_ = new std::string(auth::GenerateKey());
    operator_key_ = new std::string(auth::GenerateKey());
    plan_ = new std::unique_ptr<testing::PeerProcess>();
    complaints_ = new std::unique_ptr<testing::PeerProcess>();
    testing::PeerProcess::Start(
        {.binary = PRONGSAI_PLAN_BINARY,
         .service = plan::v1::PlanService::service_full_name(),
         .backend = testing::Backend::kSqlite,
         .args = {},
         // The gateway's key must be good on both: it asks the plan service
         // whether a jurisdiction exists.
         .extra_key_lines = {auth::FormatKeyLine(auth::HashKey(*auditor_key_),
                                                 "open311", "AUDITOR", "*")}},
        plan_);
    if (*plan_ == nullptr) return;
    testing::PeerProcess::Start(
        {.binary = PRONGSAI_COMPLAINT_BINARY,
         .service = cv1::ComplaintService::service_full_name(),
         .backend = testing::Backend::kSqlite,
         .args = {absl::StrCat("--plan_address=", (*plan_)->address()),
                  absl::StrCat("--peer_api_key=", (*plan_)->system_key())},
         .extra_key_lines = {auth::FormatKeyLine(auth::HashKey(*auditor_key_),
                                                 "open311", "AUDITOR", "*"),
                             auth::FormatKeyLine(auth::HashKey(*operator_key_),
                                                 "app", "OPERATOR",
                                                 kJurisdiction)}},
        complaints_);
  }

  static void TearDownTestSuite() {
    delete complaints_;
    delete plan_;
    delete auditor_key_;
    delete operator_key_;
  }

  void SetUp() override {
    if (*plan_ == nullptr || *complaints_ == nullptr) {
      GTEST_FAIL() << "the services did not start";
    }
    backends_ = std::make_unique<Backends>(
        absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>>{
            {std::string(plan::v1::PlanService::service_full_name()),
             (*plan_)->channel()},
            {std::string(cv1::ComplaintService::service_full_name()),
             (*complaints_)->channel()}});
    Open311Options options;
    options.lookup_api_key = *auditor_key_;
    options.endpoint_url = "https://gateway.example/open311/v2";
    options.contact = "อบต. ทดสอบ โทร 042-000000";
    open311_ = std::make_unique<Open311>(*backends_, options);
    complaint_stub_ = cv1::ComplaintService::NewStub((*complaints_)->channel());
    EnsureOrganization();
  }

  // The organization and its two categories, once per process.
  void EnsureOrganization() {
    static bool created = false;
    if (created) return;
    auto plan = plan::v1::PlanService::NewStub((*plan_)->channel());
    plan::v1::CreateOrganizationRequest org;
    auto* ref = org.mutable_organization()->mutable_organization();
    ref->set_code(kJurisdiction);
    ref->set_name("องค์การบริหารส่วนตำบลทดสอบ");
    ref->set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    ref->set_province("สกลนคร");
    ref->set_district("เมืองสกลนคร");
    plan::v1::Organization stored;
    ASSERT_TRUE(
        plan->CreateOrganization((*plan_)->SystemContext().get(), org, &stored)
            .ok());
    for (auto [id, name, days] : {std::tuple<const char*, const char*, int>{
                                      "road", "ถนนชำรุด & ทรุด", 10},
                                  {"light", "ไฟฟ้าส่องสว่างดับ", 0}}) {
      cv1::UpsertCategoryRequest upsert;
      upsert.mutable_category()->set_name(
          absl::StrCat(kParent, "/categories/", id));
      upsert.mutable_category()->set_display_name(name);
      upsert.mutable_category()->set_sla_days(days);
      cv1::Category category;
      ASSERT_TRUE(complaint_stub_
                      ->UpsertCategory((*complaints_)->SystemContext().get(),
                                       upsert, &category)
                      .ok());
    }
    created = true;
  }

  HttpResponse Get(const std::string& subpath,
                   std::vector<std::pair<std::string, std::string>> query) {
    HttpRequest request;
    request.method = "GET";
    request.path = absl::StrCat("/open311/v2/", subpath);
    request.query = std::move(query);
    request.client_address = "192.0.2.10";
    return open311_->Handle(request, subpath);
  }

  HttpResponse Post(
      const std::string& subpath,
      const std::vector<std::pair<std::string, std::string>>& fields) {
    HttpRequest request;
    request.method = "POST";
    request.path = absl::StrCat("/open311/v2/", subpath);
    request.headers.emplace("content-type",
                            "application/x-www-form-urlencoded; charset=utf-8");
    request.body = FormEncode(fields);
    request.client_address = "192.0.2.10";
    return open311_->Handle(request, subpath);
  }

  // A filing as an app with an OPERATOR key sends it.
  std::vector<std::pair<std::string, std::string>> Filing(
      const std::string& service_code, const std::string& description) {
    return {{"api_key", *operator_key_},
            {"jurisdiction_id", kJurisdiction},
            {"service_code", service_code},
            {"lat", "17.1545"},
            {"long", "104.1348"},
            {"address_string", "หน้าโรงเรียนบ้านทดสอบ"},
            {"email", kEmail},
            {"first_name", kFirstName},
            {"last_name", kLastName},
            {"phone", kPhone},
            {"description", description},
            {"device_id", "tt222111"}};
  }

  // Files through Open311; returns the service_request_id.
  std::string File(const std::string& service_code,
                   const std::string& description) {
    HttpResponse answer =
        Post("requests.xml", Filing(service_code, description));
    EXPECT_EQ(answer.status, 200) << answer.body;
    return Text(answer.body, "service_request_id");
  }

  // Files a corruption report through gRPC; returns its id.
  std::string FileCorruption() {
    cv1::CreateComplaintRequest create;
    create.set_parent(kParent);
    C& complaint = *create.mutable_complaint();
    complaint.set_kind(C::CORRUPTION);
    complaint.set_channel(C::WEBSITE);
    complaint.set_category(absl::StrCat(kParent, "/categories/road"));
    complaint.set_subject("เรียกรับเงินค่าซ่อมถนน");
    complaint.set_description("ปลัดเรียกเงินพิเศษ ๕,๐๐๐ บาท CORRUPTION-MARK");
    complaint.mutable_accused()->set_name("นายผู้ถูกกล่าวหา");
    C created;
    grpc::Status status = complaint_stub_->CreateComplaint(
        (*complaints_)->SystemContext().get(), create, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created.name().substr(created.name().rfind('/') + 1);
  }

  int CountComplaints() {
    cv1::ListComplaintsRequest list;
    list.set_parent(kParent);
    list.set_page_size(1000);
    cv1::ListComplaintsResponse page;
    EXPECT_TRUE(
        complaint_stub_
            ->ListComplaints((*complaints_)->SystemContext().get(), list, &page)
            .ok());
    return page.complaints_size();
  }

  void ExpectNoIdentity(const HttpResponse& answer) {
    ExpectNoIdentity(answer.body);
  }
  void ExpectNoIdentity(const std::string& body) {
    const HttpResponse answer{
        .status = 200, .content_type = "", .body = body, .headers = {}};
    for (const char* secret : {kEmail, kPhone, kFirstName, kLastName}) {
      EXPECT_THAT(answer.body, Not(HasSubstr(secret)));
    }
    EXPECT_THAT(answer.body, Not(HasSubstr("CORRUPTION-MARK")));
    EXPECT_THAT(answer.body, Not(HasSubstr("นายผู้ถูกกล่าวหา")));
  }

  static std::string* auditor_key_;
  static std::string* operator_key_;
  static std::unique_ptr<testing::PeerProcess>* plan_;
  static std::unique_ptr<testing::PeerProcess>* complaints_;
  std::unique_ptr<Backends> backends_;
  std::unique_ptr<Open311> open311_;
  std::unique_ptr<cv1::ComplaintService::Stub> complaint_stub_;
};

std::string* Open311Test::auditor_key_ = nullptr;
std::string* Open311Test::operator_key_ = nullptr;
std::unique_ptr<testing::PeerProcess>* Open311Test::plan_ = nullptr;
std::unique_ptr<testing::PeerProcess>* Open311Test::complaints_ = nullptr;

TEST_F(Open311Test, DiscoveryNamesTheEndpointInBothFormats) {
  HttpResponse xml = Get("discovery.xml", {});
  EXPECT_EQ(xml.status, 200);
  EXPECT_EQ(xml.content_type, "text/xml; charset=utf-8");
  EXPECT_THAT(xml.body,
              HasSubstr("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
  EXPECT_EQ(Text(xml.body, "specification"),
            "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(Text(xml.body, "url"), "https://gateway.example/open311/v2");
  EXPECT_THAT(Texts(xml.body, "format"),
              ElementsAre("text/xml", "application/json"));
  EXPECT_EQ(Text(xml.body, "contact"), "อบต. ทดสอบ โทร 042-000000");
  HttpResponse json = Get("discovery.json", {});
  EXPECT_EQ(json.content_type, "application/json; charset=utf-8");
  EXPECT_THAT(json.body, HasSubstr("\"formats\":[\"text/xml\","
                                   "\"application/json\"]"));
}

TEST_F(Open311Test, ServicesAreTheOrganizationsCategories) {
  HttpResponse answer =
      Get("services.xml", {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_THAT(Texts(answer.body, "service_code"),
              UnorderedElementsAre("road", "light"));
  // Thai text as UTF-8, '&' escaped.
  EXPECT_THAT(Texts(answer.body, "service_name"),
              Contains("ถนนชำรุด &amp; ทรุด"));
  EXPECT_THAT(answer.body, Not(HasSubstr("ถนนชำรุด & ทรุด")));
  EXPECT_THAT(Texts(answer.body, "type"), ElementsAre("realtime", "realtime"));
  EXPECT_THAT(Texts(answer.body, "metadata"), ElementsAre("true", "true"));

  HttpResponse json =
      Get("services.json", {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(json.status, 200);
  EXPECT_EQ(json.body.front(), '[');
  EXPECT_THAT(json.body, HasSubstr("\"service_code\":\"road\""));
  EXPECT_THAT(json.body, HasSubstr("\"metadata\":true"));
  EXPECT_THAT(json.body, HasSubstr("\"keywords\":null"));
}

TEST_F(Open311Test, ServiceDefinitionListsTheAttributes) {
  HttpResponse answer =
      Get("services/road.xml", {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Text(answer.body, "service_code"), "road");
  EXPECT_THAT(Texts(answer.body, "code"),
              ElementsAre("subject", "requested_action", "village",
                          "subdistrict", "incident_date"));
  EXPECT_THAT(Texts(answer.body, "order"),
              ElementsAre("1", "2", "3", "4", "5"));
  EXPECT_THAT(Texts(answer.body, "datatype"),
              ElementsAre("string", "text", "string", "string", "datetime"));

  HttpResponse unknown =
      Get("services/potholes.xml", {{"jurisdiction_id", kJurisdiction}});
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(Texts(unknown.body, "code"), ElementsAre("404"));
}

TEST_F(Open311Test, PostedRequestIsFiledAndReadBackWithoutIdentity) {
  const std::string description =
      "ถนนทรุดเป็นหลุมลึก <b>อันตราย</b> & \"ด่วน\"\nบรรทัดที่สอง";
  std::vector<std::pair<std::string, std::string>> fields =
      Filing("road", description);
  fields.emplace_back("attribute[subject]", "ถนนทรุดหน้าโรงเรียน");
  fields.emplace_back("attribute[village]", "หมู่ 3");
  fields.emplace_back("attribute[incident_date]", "2026-11-20T08:00:00+07:00");
  fields.emplace_back("media_url", "https://img.example/p/1.jpg");
  HttpResponse posted = Post("requests.xml", fields);
  ASSERT_EQ(posted.status, 200) << posted.body;
  const std::string id = Text(posted.body, "service_request_id");
  const std::string code = Text(posted.body, "tracking_code");
  EXPECT_THAT(id, MatchesRegex("[a-z2-7]+"));
  EXPECT_THAT(code, MatchesRegex("[0-9A-Z]{4}(-[0-9A-Z]{4}){3}-.")) << code;
  EXPECT_NE(id, code);
  EXPECT_THAT(posted.headers, Contains(std::pair<std::string, std::string>(
                                  "Cache-Control", "no-store")));
  ExpectNoIdentity(posted);

  // The service holds what was sent, identity sealed.
  cv1::GetComplaintRequest get;
  get.set_name(absl::StrCat(kParent, "/complaints/", id));
  C stored;
  ASSERT_TRUE(
      complaint_stub_
          ->GetComplaint((*complaints_)->SystemContext().get(), get, &stored)
          .ok());
  EXPECT_EQ(stored.kind(), C::GENERAL);
  EXPECT_EQ(stored.subject(), "ถนนทรุดหน้าโรงเรียน");
  EXPECT_EQ(stored.place().village(), "หมู่ 3");
  EXPECT_DOUBLE_EQ(stored.place().latitude(), 17.1545);
  EXPECT_TRUE(stored.has_complainant_identity());
  EXPECT_EQ(stored.category(), absl::StrCat(kParent, "/categories/road"));
  EXPECT_EQ(
      stored.incident_time().seconds(),
      absl::ToUnixSeconds(absl::FromCivil(
          absl::CivilSecond(2026, 11, 20, 1, 0, 0), absl::UTCTimeZone())));
  EXPECT_EQ(stored.due_time().seconds() - stored.receive_time().seconds(),
            10 * 86400);

  HttpResponse read = Get(absl::StrCat("requests/", id, ".xml"),
                          {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Text(read.body, "service_request_id"), id);
  EXPECT_EQ(Text(read.body, "status"), "open");
  EXPECT_EQ(Text(read.body, "status_notes"), "received");
  EXPECT_EQ(Text(read.body, "service_code"), "road");
  EXPECT_EQ(Text(read.body, "service_name"), "ถนนชำรุด &amp; ทรุด");
  EXPECT_EQ(Text(read.body, "description"),
            "ถนนทรุดเป็นหลุมลึก &lt;b&gt;อันตราย&lt;/b&gt; &amp; "
            "&quot;ด่วน&quot;\nบรรทัดที่สอง");
  EXPECT_EQ(Text(read.body, "media_url"), "https://img.example/p/1.jpg");
  EXPECT_EQ(Text(read.body, "address"), "หน้าโรงเรียนบ้านทดสอบ, หมู่ 3");
  EXPECT_EQ(Text(read.body, "lat"), "17.1545");
  EXPECT_EQ(Text(read.body, "long"), "104.1348");
  EXPECT_EQ(Text(read.body, "agency_responsible"), "องค์การบริหารส่วนตำบลทดสอบ");
  EXPECT_THAT(Text(read.body, "requested_datetime"),
              MatchesRegex("20[0-9-]+T[0-9:]+\\+07:00"));
  EXPECT_THAT(read.body, Not(HasSubstr("<b>")));
  ExpectNoIdentity(read);
  EXPECT_THAT(read.body, Not(HasSubstr(code)));
  EXPECT_THAT(read.body, Not(HasSubstr("tracking_code")));
  EXPECT_THAT(read.body, Not(HasSubstr("tt222111")));

  HttpResponse json = Get(absl::StrCat("requests/", id, ".json"),
                          {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(json.status, 200);
  EXPECT_THAT(json.body,
              HasSubstr(absl::StrCat("[{\"service_request_id\":\"", id, "\"")));
  EXPECT_THAT(json.body, HasSubstr("\\u003cb>"));
  EXPECT_THAT(json.body, HasSubstr("\\\"ด่วน\\\"\\n"));
  EXPECT_THAT(json.body, HasSubstr("\"lat\":17.1545"));
  ExpectNoIdentity(json);
}

TEST_F(Open311Test, AnonymousJsonFilingWithoutIdentityOrKey) {
  HttpResponse posted =
      Post("requests.json", {{"jurisdiction_id", kJurisdiction},
                             {"service_code", "light"},
                             {"address_string", "ซอย 5"},
                             {"description", "ไฟดับทั้งซอย"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  EXPECT_THAT(posted.body, MatchesRegex("\\[\\{\"service_request_id\":\"[a-z2-"
                                        "7]+\",.*\"tracking_code\":\".*"));
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(posted.body, match,
                        std::regex("\"service_request_id\":\"([a-z2-7]+)\"")));
  const std::string id = match[1].str();
  cv1::GetComplaintRequest get;
  get.set_name(absl::StrCat(kParent, "/complaints/", id));
  C stored;
  ASSERT_TRUE(
      complaint_stub_
          ->GetComplaint((*complaints_)->SystemContext().get(), get, &stored)
          .ok());
  EXPECT_FALSE(stored.has_complainant_identity());
  EXPECT_EQ(stored.audit().creator(), "public");
  EXPECT_EQ(stored.subject(), "ไฟฟ้าส่องสว่างดับ");  // the service's name
  EXPECT_EQ(stored.due_time().seconds() - stored.receive_time().seconds(),
            15 * 86400);
}

TEST_F(Open311Test, SearchShowsGeneralRequestsOnly) {
  const std::string road = File("road", "ทางเท้าแตก");
  const std::string light = File("light", "ไฟทางดับสามดวง");
  const std::string corruption = FileCorruption();

  HttpResponse all = Get("requests.xml", {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(all.status, 200) << all.body;
  std::vector<std::string> ids = Texts(all.body, "service_request_id");
  EXPECT_THAT(
      ids, AllOf(Contains(road), Contains(light), Not(Contains(corruption))));
  ExpectNoIdentity(all);

  // Asked by id, the corruption report is not there either.
  HttpResponse by_id =
      Get("requests.xml", {{"jurisdiction_id", kJurisdiction},
                           {"service_request_id",
                            absl::StrCat(road, ",", corruption, ",nosuchid")}});
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_THAT(Texts(by_id.body, "service_request_id"), ElementsAre(road));
  HttpResponse direct = Get(absl::StrCat("requests/", corruption, ".xml"),
                            {{"jurisdiction_id", kJurisdiction}});
  EXPECT_EQ(direct.status, 404);
  ExpectNoIdentity(direct);
  HttpResponse missing =
      Get("requests/nosuchid.xml", {{"jurisdiction_id", kJurisdiction}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Text(direct.body, "description"),
            Text(missing.body, "description"));

  HttpResponse lights = Get("requests.xml", {{"jurisdiction_id", kJurisdiction},
                                             {"service_code", "light"}});
  ASSERT_EQ(lights.status, 200);
  EXPECT_THAT(Texts(lights.body, "service_request_id"),
              AllOf(Contains(light), Not(Contains(road))));
  EXPECT_THAT(Texts(lights.body, "service_code"), Not(Contains("road")));

  // Rejected: closed, with the finer state in status_notes.
  cv1::TransitionComplaintRequest reject;
  reject.set_name(absl::StrCat(kParent, "/complaints/", light));
  reject.set_target_state(C::REJECTED);
  reject.set_rejection_reason(cv1::OUTSIDE_AUTHORITY);
  reject.set_note("เป็นไฟทางหลวง ไม่อยู่ในอำนาจ INTERNAL-NOTE-MARK");
  C rejected;
  ASSERT_TRUE(complaint_stub_
                  ->TransitionComplaint((*complaints_)->SystemContext().get(),
                                        reject, &rejected)
                  .ok());
  HttpResponse closed = Get("requests.xml", {{"jurisdiction_id", kJurisdiction},
                                             {"status", "closed"}});
  ASSERT_EQ(closed.status, 200);
  EXPECT_THAT(Texts(closed.body, "service_request_id"),
              AllOf(Contains(light), Not(Contains(road))));
  EXPECT_THAT(Texts(closed.body, "status_notes"),
              Contains("rejected: outside_authority"));
  EXPECT_THAT(closed.body, Not(HasSubstr("INTERNAL-NOTE-MARK")));
  HttpResponse open = Get(
      "requests.xml", {{"jurisdiction_id", kJurisdiction}, {"status", "open"}});
  EXPECT_THAT(Texts(open.body, "service_request_id"),
              AllOf(Contains(road), Not(Contains(light))));
  EXPECT_THAT(Texts(open.body, "status"), Not(Contains("closed")));

  // A window in the past holds nothing; one over 90 days is refused.
  HttpResponse past =
      Get("requests.xml", {{"jurisdiction_id", kJurisdiction},
                           {"start_date", "2010-01-01T00:00:00Z"},
                           {"end_date", "2010-03-01T00:00:00Z"}});
  ASSERT_EQ(past.status, 200);
  EXPECT_THAT(Texts(past.body, "service_request_id"), IsEmpty());
  HttpResponse wide =
      Get("requests.xml", {{"jurisdiction_id", kJurisdiction},
                           {"start_date", "2010-01-01T00:00:00Z"},
                           {"end_date", "2010-06-01T00:00:00Z"}});
  EXPECT_EQ(wide.status, 400);
  EXPECT_THAT(Text(wide.body, "description"), HasSubstr("90 days"));
  HttpResponse zoneless =
      Get("requests.xml", {{"jurisdiction_id", kJurisdiction},
                           {"start_date", "2010-01-01T00:00:00"}});
  EXPECT_EQ(zoneless.status, 400);
  HttpResponse bad_status =
      Get("requests.xml",
          {{"jurisdiction_id", kJurisdiction}, {"status", "pending"}});
  EXPECT_EQ(bad_status.status, 400);
}

TEST_F(Open311Test, UpdatesShowStaffPublicRepliesOnly) {
  HttpResponse posted = Post("requests.xml", Filing("road", "ท่อระบายน้ำอุดตัน"));
  ASSERT_EQ(posted.status, 200) << posted.body;
  const std::string id = Text(posted.body, "service_request_id");
  const std::string code = Text(posted.body, "tracking_code");
  const std::string name = absl::StrCat(kParent, "/complaints/", id);
  for (auto [visibility, text] :
       {std::pair<cv1::Reply::Visibility, const char*>{
            cv1::Reply::PUBLIC, "กองช่างจะเข้าลอกท่อภายในสัปดาห์นี้"},
        {cv1::Reply::INTERNAL, "ผู้ร้องเป็นญาตินายก INTERNAL-REPLY-MARK"}}) {
    cv1::CreateReplyRequest reply;
    reply.set_parent(name);
    reply.mutable_reply()->set_visibility(visibility);
    reply.mutable_reply()->set_text(text);
    cv1::Reply created;
    ASSERT_TRUE(complaint_stub_
                    ->CreateReply((*complaints_)->SystemContext().get(), reply,
                                  &created)
                    .ok());
  }
  cv1::AddComplainantInformationRequest add;
  add.set_tracking_code(code);
  add.set_text("บ้านเลขที่ 99 ของ สมชาย COMPLAINANT-MARK");
  cv1::TrackedComplaint tracked;
  ASSERT_TRUE(
      complaint_stub_
          ->AddComplainantInformation(
              testing::PeerProcess::AnonymousContext().get(), add, &tracked)
          .ok());

  HttpResponse updates =
      Get("servicerequestupdates.xml", {{"jurisdiction_id", kJurisdiction}});
  ASSERT_EQ(updates.status, 200) << updates.body;
  EXPECT_THAT(updates.body, HasSubstr("<service_request_updates>"));
  EXPECT_THAT(Texts(updates.body, "description"),
              Contains("กองช่างจะเข้าลอกท่อภายในสัปดาห์นี้"));
  EXPECT_THAT(Texts(updates.body, "service_request_id"), Contains(id));
  EXPECT_THAT(Texts(updates.body, "update_id"),
              Contains(MatchesRegex(absl::StrCat(id, "-.+"))));
  EXPECT_THAT(updates.body, Not(HasSubstr("INTERNAL-REPLY-MARK")));
  EXPECT_THAT(updates.body, Not(HasSubstr("COMPLAINANT-MARK")));
  EXPECT_THAT(updates.body, Not(HasSubstr("->")));  // workflow notes
  EXPECT_THAT(updates.body, Not(HasSubstr(code)));
  ExpectNoIdentity(updates);
}

TEST_F(Open311Test, ErrorsFollowTheSpecAndStoreNothing) {
  const int before = CountComplaints();
  auto filing = [&](absl::string_view drop) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (auto& field : Filing("road", "ทดสอบ")) {
      if (field.first != drop) fields.push_back(field);
    }
    return fields;
  };

  HttpResponse no_code = Post("requests.xml", filing("service_code"));
  EXPECT_EQ(no_code.status, 400);
  EXPECT_THAT(no_code.body,
              MatchesRegex("<\\?xml version=\"1.0\" encoding=\"utf-8\"\\?>\n"
                           "<errors><error><code>400</code><description>"
                           "service_code: required</description></error>"
                           "</errors>\n"));
  HttpResponse no_jurisdiction =
      Post("requests.xml", filing("jurisdiction_id"));
  EXPECT_EQ(no_jurisdiction.status, 400);
  EXPECT_THAT(Text(no_jurisdiction.body, "description"),
              HasSubstr("jurisdiction_id"));
  HttpResponse no_description = Post("requests.xml", filing("description"));
  EXPECT_EQ(no_description.status, 400);
  std::vector<std::pair<std::string, std::string>> nowhere = filing("lat");
  std::erase_if(nowhere, [](const auto& field) {
    return field.first == "long" || field.first == "address_string";
  });
  EXPECT_EQ(Post("requests.xml", nowhere).status, 400);
  std::vector<std::pair<std::string, std::string>> half = filing("long");
  EXPECT_EQ(Post("requests.xml", half).status, 400);
  std::vector<std::pair<std::string, std::string>> far = filing("lat");
  far.emplace_back("lat", "91");
  EXPECT_EQ(Post("requests.xml", far).status, 400);

  std::vector<std::pair<std::string, std::string>> unknown_attribute =
      Filing("road", "ทดสอบ");
  unknown_attribute.emplace_back("attribute[WHISPAWN]", "123456");
  HttpResponse attribute = Post("requests.xml", unknown_attribute);
  EXPECT_EQ(attribute.status, 400);
  EXPECT_THAT(Text(attribute.body, "description"),
              HasSubstr("attribute[WHISPAWN]"));

  std::vector<std::pair<std::string, std::string>> long_subject =
      Filing("road", "ทดสอบ");
  long_subject.emplace_back("attribute[subject]", std::string(301, 'x'));
  HttpResponse subject = Post("requests.xml", long_subject);
  EXPECT_EQ(subject.status, 400);
  EXPECT_THAT(Text(subject.body, "description"),
              HasSubstr("attribute[subject]"));

  HttpResponse unknown_service = Post("requests.xml", Filing("potholes", "x"));
  EXPECT_EQ(unknown_service.status, 404);
  std::vector<std::pair<std::string, std::string>> elsewhere =
      Filing("road", "x");
  elsewhere[1].second = "no-such-org";
  EXPECT_EQ(Post("requests.xml", elsewhere).status, 404);

  std::vector<std::pair<std::string, std::string>> bad_key =
      Filing("road", "ทดสอบ");
  bad_key[0].second = "psk_notakey";
  HttpResponse refused = Post("requests.json", bad_key);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body.front(), '[');
  EXPECT_THAT(refused.body, HasSubstr("\"code\":403"));
  EXPECT_THAT(refused.body, Not(HasSubstr("psk_notakey")));

  HttpRequest multipart;
  multipart.method = "POST";
  multipart.headers.emplace("content-type", "multipart/form-data; boundary=x");
  multipart.body = FormEncode(Filing("road", "ทดสอบ"));
  EXPECT_EQ(open311_->Handle(multipart, "requests.xml").status, 400);

  EXPECT_EQ(CountComplaints(), before);

  EXPECT_EQ(Get("services.xml", {}).status, 400);
  EXPECT_EQ(Get("services.xml", {{"jurisdiction_id", "no-such-org"}}).status,
            404);
  EXPECT_EQ(Get("services.xml", {{"jurisdiction_id", "../etc"}}).status, 400);
  EXPECT_EQ(Get("requests.xml", {{"jurisdiction_id", "no-such-org"}}).status,
            404);
  EXPECT_EQ(
      Get("requests/a%2Fb.xml", {{"jurisdiction_id", kJurisdiction}}).status,
      400);
  HttpResponse token = Get("tokens/K7QM-4XDP-9TRA-HW2E-C.xml",
                           {{"jurisdiction_id", kJurisdiction}});
  EXPECT_EQ(token.status, 404);
  EXPECT_THAT(token.body, Not(HasSubstr("K7QM")));
  EXPECT_EQ(Get("nothing.xml", {}).status, 404);
  EXPECT_EQ(Get("services.csv", {}).status, 404);
  HttpRequest put;
  put.method = "PUT";
  HttpResponse wrong = open311_->Handle(put, "requests.xml");
  EXPECT_EQ(wrong.status, 405);
}

TEST_F(Open311Test, LookupsNeedTheGatewaysKey) {
  Open311 keyless(*backends_, Open311Options{});
  HttpRequest request;
  request.method = "GET";
  request.query = {{"jurisdiction_id", kJurisdiction}};
  EXPECT_EQ(keyless.Handle(request, "requests.xml").status, 503);
  EXPECT_EQ(keyless.Handle(request, "services.xml").status, 200);
  Open311Options wrong;
  wrong.lookup_api_key = "psk_wrong";
  Open311 misconfigured(*backends_, wrong);
  HttpResponse answer = misconfigured.Handle(request, "requests.xml");
  EXPECT_EQ(answer.status, 503);  // not the caller's fault: not 403
  EXPECT_THAT(answer.body, Not(HasSubstr("psk_wrong")));
}

TEST(Open311FormatTest, EscapesWhatXmlAndJsonCannotCarry) {
  EXPECT_EQ(open311::EscapeXml("a<b>&\"'ไทย"),
            "a&lt;b&gt;&amp;&quot;&apos;ไทย");
  EXPECT_EQ(open311::EscapeXml(std::string("x\x01y\tz\n", 6)),
            "x\xEF\xBF\xBDy\tz\n");
  EXPECT_EQ(open311::EscapeXml("\xC3\x28 \xE0\xB8"),
            "\xEF\xBF\xBD( \xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(open311::QuoteJson("a\"b\\c\n\x02<ไ"),
            "\"a\\\"b\\\\c\\n\\u0002\\u003cไ\"");
  EXPECT_EQ(open311::QuoteJson("\xFF"), "\"\\ufffd\"");
  open311::Element list = open311::Element::List("errors");
  open311::Element error = open311::Element::Record("error");
  error.Add(open311::Element::Literal("code", "400"));
  error.Add(open311::Element::Null("description"));
  list.Add(std::move(error));
  EXPECT_EQ(open311::Render(list, open311::Format::kJson),
            "[{\"code\":400,\"description\":null}]");
  EXPECT_EQ(open311::Render(list, open311::Format::kXml),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error>"
            "<code>400</code><description/></error></errors>\n");
}

TEST(Open311FormatTest, FormDecoding) {
  EXPECT_THAT(
      ParseFormEncoded("a=1+2&attribute%5Bx%5D%5B%5D=%E0%B9%84&b&c=%zz"),
      ElementsAre(std::pair<std::string, std::string>("a", "1 2"),
                  std::pair<std::string, std::string>("attribute[x][]", "ไ"),
                  std::pair<std::string, std::string>("b", ""),
                  std::pair<std::string, std::string>("c", "%zz")));
}

}  // namespace
}  // namespace prongsai::gateway
