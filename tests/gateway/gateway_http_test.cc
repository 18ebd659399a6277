// prongsai-gateway over real HTTP on loopback, in front of the three service
// binaries (child processes) on a SQLite file each, or on scratch PostgreSQL
// databases with Redis: every RPC family through its google.api.http route,
// each error code the services produce as its HTTP status with a
// google.rpc.Status body, bad input refused without a trace, request ids
// both ways, rate limits keyed on the real client, deadlines, health.
//
// PostgreSQL and Redis come from PRONGSAI_TEST_PG_URL and
// PRONGSAI_TEST_REDIS_URL (scripts/test); without them the PostgreSQL
// instances skip (fail under PRONGSAI_TEST_REQUIRE_BACKENDS=1).
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/key_ring.h"
#include "common/auth/session_token.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "prongsai/ita/v1/ita.pb.h"
#include "prongsai/plan/v1/accounts.pb.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/complaint/protection.h"
#include "tests/e2e/process.h"
#include "tests/services/complaint/test_photos.h"
#include "tests/support/net.h"
#include "tests/support/run_binary.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::gateway {
namespace {

namespace kv1 = ::prongsai::complaint::v1;
namespace pv1 = ::prongsai::plan::v1;
namespace iv1 = ::prongsai::ita::v1;

using ::prongsai::testing::Backend;
using ::prongsai::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

constexpr absl::string_view kParent = "organizations/6340101";

enum class Service { kPlan, kComplaint, kIta };
constexpr std::array<Service, 3> kServices = {
    Service::kPlan, Service::kComplaint, Service::kIta};

size_t Index(Service service) { return static_cast<size_t>(service); }

absl::string_view FullName(Service service) {
  switch (service) {
    case Service::kPlan:
      return "prongsai.plan.v1.PlanService";
    case Service::kComplaint:
      return "prongsai.complaint.v1.ComplaintService";
    case Service::kIta:
      return "prongsai.ita.v1.AssessmentService";
  }
  return "";
}

absl::string_view ShortName(Service service) {
  switch (service) {
    case Service::kPlan:
      return "plan";
    case Service::kComplaint:
      return "complaint";
    case Service::kIta:
      return "ita";
  }
  return "";
}

// Who calls: nobody, a SYSTEM key, an OPERATOR of 6340101, an OPERATOR of
// 9999999, or a key the services do not know.
enum class Caller { kAnonymous, kSystem, kOperator, kOtherOperator, kUnknown };

struct Reply {
  int status = 0;  // 0: no HTTP answer at all
  std::string body;
  httplib::Headers headers;

  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

void PrintTo(const Reply& reply, std::ostream* os) {
  *os << "HTTP " << reply.status << " " << reply.body;
}

// The JSON `text` as `Message`, strictly (an unknown field fails the test).
template <typename Message>
Message Parse(const std::string& text) {
  Message message;
  const auto status =
      google::protobuf::util::JsonStringToMessage(text, &message);
  EXPECT_TRUE(status.ok()) << status.message() << " in " << text;
  return message;
}

// The google.rpc.Status of an error reply, checked to be one.
google::rpc::Status ErrorOf(const Reply& reply) {
  EXPECT_EQ(reply.Header("Content-Type"), "application/json") << reply.body;
  return Parse<google::rpc::Status>(reply.body);
}

// The fields a google.rpc.BadRequest detail names.
std::vector<std::string> ViolatedFields(const google::rpc::Status& status) {
  std::vector<std::string> fields;
  for (const google::protobuf::Any& detail : status.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      fields.push_back(violation.field());
    }
  }
  return fields;
}

MATCHER_P(HttpIs, status, absl::StrCat("is HTTP ", status)) {
  const Reply& reply = arg;
  return reply.status == status;
}

MATCHER_P2(HttpErrorIs, status, code,
           absl::StrCat("is HTTP ", status, " with google.rpc.Status code ",
                        code)) {
  const Reply& reply = arg;
  if (reply.status != status) return false;
  google::rpc::Status body;
  if (!google::protobuf::util::JsonStringToMessage(reply.body, &body).ok()) {
    *result_listener << "the body is no google.rpc.Status";
    return false;
  }
  return body.code() == static_cast<int>(code) && !body.message().empty();
}

// The headers the gateway puts on every answer (the contract's list).
void ExpectSecurityHeaders(const Reply& reply, absl::string_view what) {
  const std::pair<std::string, std::string> expected[] = {
      {"Content-Security-Policy",
       "default-src 'none'; script-src 'self'; style-src 'self'; "
       "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; "
       "manifest-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Permissions-Policy", "camera=(), microphone=(), geolocation=(self)"},
  };
  for (const auto& [name, value] : expected) {
    EXPECT_EQ(reply.headers.count(name), 1u) << what << ": " << name;
    EXPECT_EQ(reply.Header(name), value) << what << ": " << name;
  }
}

struct StackOptions {
  // The gateway's --trusted_proxies.
  std::string gateway_trusted_proxies;
  std::vector<std::string> gateway_args;
  // Serve HTTPS with a certificate made for 127.0.0.1; the stack's calls
  // then verify it.
  bool tls = false;
};

// The three services and the gateway, each a child process, in a scratch
// directory with the key file and the logs.
class Stack {
 public:
  // Call with ASSERT_NO_FATAL_FAILURE; leaves started() false after skipping.
  void Start(Backend backend, const StackOptions& options) {
    dir_ = testing::MakeScratchDir();
    std::array<std::string, 3> db_urls;
    for (Service service : kServices) {
      testing::NewScratchDatabase(backend, ShortName(service),
                                  &db_urls[Index(service)]);
      if (db_urls[Index(service)].empty()) return;  // skipped, or failed
    }
    std::string redis_url;
    if (backend == Backend::kPostgres) {
      std::optional<std::string> redis = testing::RedisUrl();
      if (!redis.has_value()) {
        if (testing::BackendsRequired()) {
          FAIL() << "Redis is required but PRONGSAI_TEST_REDIS_URL is not set";
        }
        GTEST_SKIP() << "Redis not configured; run scripts/test";
      }
      redis_url = *redis;
    }
    keys_ = {{Caller::kSystem, auth::GenerateKey()},
             {Caller::kOperator, auth::GenerateKey()},
             {Caller::kOtherOperator, auth::GenerateKey()},
             {Caller::kUnknown, auth::GenerateKey()}};
    const std::string keys_path = absl::StrCat(dir_, "/api_keys");
    {
      std::ofstream out(keys_path);
      out << auth::FormatKeyLine(auth::HashKey(keys_[Caller::kSystem]),
                                 "system", "SYSTEM", "*")
          << auth::FormatKeyLine(auth::HashKey(keys_[Caller::kOperator]),
                                 "operator-6340101", "OPERATOR", "6340101")
          << auth::FormatKeyLine(auth::HashKey(keys_[Caller::kOtherOperator]),
                                 "operator-9999999", "OPERATOR", "9999999");
      ASSERT_TRUE(out.good()) << "cannot write " << keys_path;
    }
    // People's sessions: plan signs, every service verifies.
    const std::string signing_path = absl::StrCat(dir_, "/session-signing.key");
    const std::string verify_path = absl::StrCat(dir_, "/session-verify.keys");
    {
      const std::string signing_text = auth::SessionSigner::GenerateFileText();
      absl::StatusOr<auth::SessionSigner> signer =
          auth::SessionSigner::Parse(signing_text);
      ASSERT_THAT(signer.status(), IsOk());
      std::ofstream(signing_path) << signing_text;
      std::ofstream(verify_path) << signer->VerifyKeyLine() << "\n";
    }
    for (Service service : kServices) {
      const int port = testing::FreeLoopbackPort();
      ASSERT_GT(port, 0);
      addresses_[Index(service)] = absl::StrCat("127.0.0.1:", port);
    }
    const int gateway_port = testing::FreeLoopbackPort();
    ASSERT_GT(gateway_port, 0);
    gateway_port_ = gateway_port;

    const std::array<const char*, 3> binaries = {
        PRONGSAI_PLAN_BINARY, PRONGSAI_COMPLAINT_BINARY, PRONGSAI_ITA_BINARY};
    for (Service service : kServices) {
      std::vector<std::string> args = {
          absl::StrCat("--listen=", Address(service)),
          absl::StrCat("--db=", db_urls[Index(service)]),
          absl::StrCat("--api_keys=", keys_path),
          absl::StrCat("--peer_api_key=", keys_[Caller::kSystem]),
          // The gateway's address: its x-forwarded-for names the client.
          "--trusted_proxies=127.0.0.1",
          absl::StrCat("--session_verify_keys_file=", verify_path)};
      if (!redis_url.empty())
        args.push_back(absl::StrCat("--redis=", redis_url));
      if (service != Service::kPlan) {
        args.push_back(
            absl::StrCat("--plan_address=", Address(Service::kPlan)));
      }
      if (service != Service::kComplaint) {
        args.push_back(
            absl::StrCat("--complaint_address=", Address(Service::kComplaint)));
      }
      if (service == Service::kPlan) {
        args.push_back(absl::StrCat("--ita_address=", Address(Service::kIta)));
        args.push_back(
            absl::StrCat("--session_signing_key_file=", signing_path));
      }
      std::vector<std::pair<std::string, std::string>> env;
      if (service == Service::kComplaint) {
        env.emplace_back("PRONGSAI_PROTECTION_KEYS_TEXT",
                         complaint::ProtectionKeys::GenerateFileText());
      }
      processes_[Index(service)] = std::make_unique<e2e::ChildProcess>(
          e2e::ChildProcess::Options{.binary = binaries[Index(service)],
                                     .args = std::move(args),
                                     .env = std::move(env),
                                     .log_path = LogPath(ShortName(service)),
                                     .working_dir = dir_});
      ASSERT_THAT(processes_[Index(service)]->Start(), IsOk());
    }
    for (Service service : kServices) {
      ASSERT_THAT(
          e2e::WaitForServing(Address(service), std::string(FullName(service)),
                              Process(service), absl::Seconds(30)),
          IsOk());
    }
    std::vector<std::string> gateway_args = {
        absl::StrCat("--listen=127.0.0.1:", gateway_port_),
        absl::StrCat("--plan_address=", Address(Service::kPlan)),
        absl::StrCat("--complaint_address=", Address(Service::kComplaint)),
        absl::StrCat("--ita_address=", Address(Service::kIta)),
        absl::StrCat("--trusted_proxies=", options.gateway_trusted_proxies)};
    gateway_args.insert(gateway_args.end(), options.gateway_args.begin(),
                        options.gateway_args.end());
    if (options.tls) {
      const std::string key = absl::StrCat(dir_, "/gateway.key");
      tls_ca_ = absl::StrCat(dir_, "/gateway.crt");
      const std::string make_certificate = absl::StrCat(
          "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "
          "/CN=127.0.0.1 "
          "-addext subjectAltName=IP:127.0.0.1 -keyout ",
          key, " -out ", tls_ca_, " >/dev/null 2>&1");
      ASSERT_EQ(std::system(make_certificate.c_str()), 0) << "openssl failed";
      gateway_args.push_back(absl::StrCat("--tls_cert=", tls_ca_));
      gateway_args.push_back(absl::StrCat("--tls_key=", key));
    }
    // Another test may take the free port before the gateway binds it
    // (ctest runs tests side by side): the gateway then exits saying so and
    // starts again on another port.
    for (int attempt = 1; !StartGateway(gateway_args); ++attempt) {
      const std::string log = gateway_->LogTail();
      ASSERT_TRUE(attempt < 3 && absl::StrContains(log, "cannot listen"))
          << log;
      gateway_port_ = testing::FreeLoopbackPort();
      ASSERT_GT(gateway_port_, 0);
      gateway_args[0] = absl::StrCat("--listen=127.0.0.1:", gateway_port_);
    }
    started_ = true;
  }

  bool started() const { return started_; }
  int gateway_port() const { return gateway_port_; }
  std::string Address(Service service) const {
    return addresses_[Index(service)];
  }
  e2e::ChildProcess& Process(Service service) {
    return *processes_[Index(service)];
  }
  std::string LogPath(absl::string_view name) const {
    return absl::StrCat(dir_, "/", name, ".log");
  }
  std::string Log(absl::string_view name) const {
    std::ifstream in(LogPath(name), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  // One HTTP exchange with the gateway. `headers` go as given; the caller's
  // key as `Authorization: Bearer`.
  Reply Send(const std::string& method, const std::string& target,
             Caller caller, const std::string& body = "",
             httplib::Headers headers = {},
             const std::string& content_type = "application/json") const {
    httplib::Client client(absl::StrCat(tls_ca_.empty() ? "http" : "https",
                                        "://127.0.0.1:", gateway_port_));
    if (!tls_ca_.empty()) {
      client.set_ca_cert_path(tls_ca_);
      client.enable_server_certificate_verification(true);
    }
    client.set_connection_timeout(std::chrono::seconds(5));
    client.set_read_timeout(std::chrono::seconds(30));
    httplib::Request request;
    request.method = method;
    request.path = target;
    request.headers = std::move(headers);
    if (caller != Caller::kAnonymous) {
      request.headers.emplace("Authorization",
                              absl::StrCat("Bearer ", keys_.at(caller)));
    }
    if (!body.empty() || method == "POST" || method == "PATCH") {
      request.body = body;
      if (!content_type.empty()) {
        request.headers.emplace("Content-Type", content_type);
      }
    }
    httplib::Result result = client.send(request);
    Reply reply;
    if (!result) return reply;
    reply.status = result->status;
    reply.body = result->body;
    reply.headers = result->headers;
    return reply;
  }
  Reply Get(const std::string& target, Caller caller,
            httplib::Headers headers = {}) const {
    return Send("GET", target, caller, "", std::move(headers));
  }
  Reply Post(const std::string& target, Caller caller, const std::string& body,
             httplib::Headers headers = {}) const {
    return Send("POST", target, caller, body, std::move(headers));
  }

 private:
  // Starts the gateway with `args` and waits for its health: false when it
  // exited first (its log says why), a test failure when it hangs.
  bool StartGateway(const std::vector<std::string>& args) {
    gateway_ = std::make_unique<e2e::ChildProcess>(
        e2e::ChildProcess::Options{.binary = PRONGSAI_GATEWAY_BINARY,
                                   .args = args,
                                   .env = {},
                                   .log_path = LogPath("gateway"),
                                   .working_dir = dir_});
    EXPECT_THAT(gateway_->Start(), IsOk());
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    while (gateway_->Running() &&
           Get("/healthz", Caller::kAnonymous).status != 200) {
      if (absl::Now() > deadline) {
        ADD_FAILURE() << "the gateway is not healthy: " << gateway_->LogTail();
        return true;
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return gateway_->Running();
  }

  std::string dir_;
  std::map<Caller, std::string> keys_;
  std::array<std::string, 3> addresses_;
  int gateway_port_ = 0;
  // The gateway's certificate when it serves HTTPS.
  std::string tls_ca_;
  std::array<std::unique_ptr<e2e::ChildProcess>, 3> processes_;
  std::unique_ptr<e2e::ChildProcess> gateway_;
  bool started_ = false;
};

// ------------------------------------------------------------------ inputs

std::string OrganizationJson(absl::string_view code) {
  return absl::StrCat(R"({"organization": {"code": ")", code,
                      R"(", "name": "องค์การบริหารส่วนตำบลทดสอบ",
          "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION",
          "province": "ยโสธร", "district": "เมืองยโสธร"}})");
}

constexpr absl::string_view kActionPlanJson = R"({
  "title": "แผนปฏิบัติการป้องกันการทุจริต ๕ ปี",
  "fiscal_years": {"first_be_year": 2566, "last_be_year": 2570},
  "dimensions": [
    {"number": 1, "title": "การสร้างวัฒนธรรมสุจริต",
     "missions": [{"code": "1.1", "title": "สร้างจิตสำนึกและความตระหนัก"}]},
    {"number": 2, "title": "การบริหารราชการด้วยความโปร่งใส",
     "missions": [{"code": "2.1", "title": "เปิดเผยข้อมูลข่าวสาร"}]},
    {"number": 3, "title": "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน",
     "missions": [{"code": "3.1", "title": "การมีส่วนร่วมของประชาชน"}]},
    {"number": 4, "title": "การยกระดับกลไกการตรวจสอบ",
     "missions": [{"code": "4.1", "title": "การควบคุมภายใน"}]}]})";

std::string ComplaintJson(absl::string_view request_id,
                          absl::string_view subject = "ถนนชำรุด") {
  return absl::StrCat(R"({"request_id": ")", request_id,
                      R"(", "replay_secret": "replay-secret-of-)", request_id,
                      R"(", "complaint": {"kind": "GENERAL",
                      "channel": "WEBSITE", "subject": ")",
                      subject, R"(", "description": "หลุมบนถนนสายหลัก"}})");
}

std::string PublishedJson() {
  std::string indicators;
  const std::array<double, 10> scores = {99.5, 90.4, 87.7, 83.8, 96.0,
                                         93.5, 89.1, 87.4, 72.6, 100.0};
  for (size_t i = 0; i < scores.size(); ++i) {
    absl::StrAppend(&indicators, i == 0 ? "" : ",", R"({"code": ")", i + 1,
                    R"(", "score": )", scores[i], "}");
  }
  return absl::StrCat(
      R"({"organization": {"code": "6340101",
          "name": "องค์การบริหารส่วนตำบลทดสอบ",
          "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION",
          "province": "ยโสธร", "district": "เมืองยโสธร"},
        "published": {"overall": {"code": "overall", "score": 89.6},
                      "grade": "ผ่าน", "indicators": [)",
      indicators, "]}}");
}

// ------------------------------------------------------------------ fixture

class GatewayHttpTest : public ::testing::TestWithParam<Backend> {
 protected:
  // Starts the stack; false (test skipped or failed) when it did not.
  bool StartStack(const StackOptions& options = {}) {
    stack_ = std::make_unique<Stack>();
    stack_->Start(GetParam(), options);
    return stack_->started() && !HasFatalFailure() && !IsSkipped();
  }
  Stack& stack() { return *stack_; }

  // Registers 6340101 (and more codes) through the gateway.
  void Register(absl::string_view code = "6340101") {
    const Reply reply = stack().Post("/v1/organizations", Caller::kSystem,
                                     OrganizationJson(code));
    ASSERT_THAT(reply, HttpIs(200)) << reply.body;
  }

  std::unique_ptr<Stack> stack_;
};

TEST_P(GatewayHttpTest, OrganizationsCreateGetListPatch) {
  if (!StartStack()) return;
  Reply created = stack().Post("/v1/organizations", Caller::kSystem,
                               OrganizationJson("6340101"));
  ASSERT_THAT(created, HttpIs(200));
  const pv1::Organization organization = Parse<pv1::Organization>(created.body);
  EXPECT_EQ(organization.name(), kParent);
  EXPECT_EQ(organization.organization().province(), "ยโสธร");
  // Proto field names in the answer.
  EXPECT_THAT(created.body, HasSubstr("\"organization\""));
  ASSERT_NO_FATAL_FAILURE(Register("6340102"));

  const Reply got = stack().Get("/v1/organizations/6340101", Caller::kSystem);
  ASSERT_THAT(got, HttpIs(200));
  EXPECT_EQ(Parse<pv1::Organization>(got.body).organization().code(),
            "6340101");

  const Reply page =
      stack().Get("/v1/organizations?page_size=1", Caller::kSystem);
  ASSERT_THAT(page, HttpIs(200));
  const auto first_page = Parse<pv1::ListOrganizationsResponse>(page.body);
  ASSERT_THAT(first_page.organizations(), SizeIs(1));
  ASSERT_FALSE(first_page.next_page_token().empty());
  const Reply rest =
      stack().Get(absl::StrCat("/v1/organizations?pageSize=5&page_token=",
                               first_page.next_page_token()),
                  Caller::kSystem);
  ASSERT_THAT(rest, HttpIs(200));
  const auto second_page = Parse<pv1::ListOrganizationsResponse>(rest.body);
  ASSERT_THAT(second_page.organizations(), SizeIs(1));
  EXPECT_NE(second_page.organizations(0).name(),
            first_page.organizations(0).name());

  // The public directory: no key, only the directory's fields (no audit,
  // no etag), equal names by code, paged like the other lists. The query
  // is "ทดสอบ" and the province "ยโสธร", percent-encoded.
  const std::string search =
      "/v1/"
      "organizations:search?query=%E0%B8%97%E0%B8%94%E0%B8%AA%E0%B8%AD%E0%B8%"
      "9A&province=%E0%B8%A2%E0%B9%82%E0%B8%AA%E0%B8%98%E0%B8%A3&pageSize=1";
  const Reply found = stack().Get(search, Caller::kAnonymous);
  ASSERT_THAT(found, HttpIs(200)) << found.body;
  EXPECT_THAT(found.body, Not(HasSubstr("audit")));
  EXPECT_THAT(found.body, Not(HasSubstr("etag")));
  const auto found_first = Parse<pv1::SearchOrganizationsResponse>(found.body);
  ASSERT_THAT(found_first.organizations(), SizeIs(1));
  EXPECT_EQ(found_first.organizations(0).code(), "6340101");
  EXPECT_EQ(found_first.organizations(0).district(), "เมืองยโสธร");
  const Reply found_rest = stack().Get(
      absl::StrCat(search, "&page_token=", found_first.next_page_token()),
      Caller::kAnonymous);
  ASSERT_THAT(found_rest, HttpIs(200)) << found_rest.body;
  const auto found_second =
      Parse<pv1::SearchOrganizationsResponse>(found_rest.body);
  ASSERT_THAT(found_second.organizations(), SizeIs(1));
  EXPECT_EQ(found_second.organizations(0).code(), "6340102");
  EXPECT_TRUE(found_second.next_page_token().empty());
  const Reply too_long = stack().Get(
      absl::StrCat("/v1/organizations:search?query=", std::string(101, 'a')),
      Caller::kAnonymous);
  EXPECT_THAT(too_long, HttpIs(400));
  EXPECT_THAT(ErrorOf(too_long).message(), StartsWith("query: "));

  const std::string patch =
      absl::StrCat(R"({"etag": ")", organization.etag(),
                   R"(", "organization": {"district": "ทรายมูล"}})");
  const Reply patched = stack().Send(
      "PATCH", "/v1/organizations/6340101?update_mask=organization.district",
      Caller::kSystem, patch);
  ASSERT_THAT(patched, HttpIs(200));
  const auto updated = Parse<pv1::Organization>(patched.body);
  EXPECT_EQ(updated.organization().district(), "ทรายมูล");
  EXPECT_EQ(updated.organization().province(), "ยโสธร");
  EXPECT_NE(updated.etag(), organization.etag());

  // 409 twice over: the etag is stale now, and the code is taken.
  EXPECT_THAT(stack().Send(
                  "PATCH",
                  "/v1/organizations/6340101?update_mask=organization.district",
                  Caller::kSystem, patch),
              HttpErrorIs(409, grpc::StatusCode::ABORTED));
  EXPECT_THAT(stack().Post("/v1/organizations", Caller::kSystem,
                           OrganizationJson("6340101")),
              HttpErrorIs(409, grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(Parse<pv1::Organization>(
                stack().Get("/v1/organizations/6340101", Caller::kSystem).body)
                .organization()
                .district(),
            "ทรายมูล");
}

// The web application's way in: an account made over HTTP, its person
// signing in, and the access token working on the plan and complaint
// services' routes as an API key would.
TEST_P(GatewayHttpTest, PeopleSignInAndTheirTokenWorksOnEveryService) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  const Reply created =
      stack().Post("/v1/accounts?account_id=somchai.j", Caller::kSystem,
                   R"({"display_name": "สมชาย ใจดี", "roles": ["OPERATOR"],
          "organizations": ["6340101"]})");
  ASSERT_THAT(created, HttpIs(200)) << created.body;
  const pv1::Account account = Parse<pv1::Account>(created.body);
  EXPECT_TRUE(account.password_must_change());
  ASSERT_EQ(account.initial_password().size(), 16u);

  const Reply wrong =
      stack().Post("/v1/sessions:signIn", Caller::kAnonymous,
                   R"({"login": "somchai.j", "password": "not it at all"})");
  EXPECT_THAT(wrong, HttpIs(401));
  EXPECT_THAT(wrong.body, HasSubstr("login or password is wrong"));

  const Reply signed_in =
      stack().Post("/v1/sessions:signIn", Caller::kAnonymous,
                   absl::StrCat(R"({"login": "somchai.j", "password": ")",
                                account.initial_password(), R"("})"));
  ASSERT_THAT(signed_in, HttpIs(200)) << signed_in.body;
  const pv1::Session session = Parse<pv1::Session>(signed_in.body);
  EXPECT_TRUE(session.password_must_change());
  // The client address is the HTTP caller's, named by the gateway.
  EXPECT_EQ(session.client(), "127.0.0.1");
  // The one-time password's token opens only the password change.
  const httplib::Headers first_bearer = {
      {"Authorization", absl::StrCat("Bearer ", session.access_token())}};
  const Reply restricted = stack().Get("/v1/organizations/6340101",
                                       Caller::kAnonymous, first_bearer);
  EXPECT_THAT(restricted, HttpIs(403));
  EXPECT_THAT(restricted.body, HasSubstr("password_must_change"));
  ASSERT_THAT(
      stack().Send(
          "POST", "/v1/accounts/somchai.j:changePassword", Caller::kAnonymous,
          absl::StrCat(R"({"current_password": ")", account.initial_password(),
                       R"(", "new_password": ")", "ขอบคุณที่ไว้วางใจ2569", R"("})"),
          first_bearer),
      HttpIs(200));
  const Reply after_change = stack().Post(
      "/v1/sessions:refresh", Caller::kAnonymous,
      absl::StrCat(R"({"session_token": ")", session.session_token(), R"("})"));
  ASSERT_THAT(after_change, HttpIs(200)) << after_change.body;
  const pv1::Session changed = Parse<pv1::Session>(after_change.body);
  EXPECT_FALSE(changed.password_must_change());
  const httplib::Headers bearer = {
      {"Authorization", absl::StrCat("Bearer ", changed.access_token())}};
  EXPECT_THAT(
      stack().Get("/v1/organizations/6340101", Caller::kAnonymous, bearer),
      HttpIs(200));
  EXPECT_THAT(
      stack().Get("/v1/organizations/9999999", Caller::kAnonymous, bearer),
      HttpIs(403));
  EXPECT_THAT(
      stack().Send("PUT", "/v1/organizations/6340101/categories/roads",
                   Caller::kAnonymous, R"({"display_name": "ถนน"})", bearer),
      HttpIs(200));
  const Reply refreshed = stack().Post(
      "/v1/sessions:refresh", Caller::kAnonymous,
      absl::StrCat(R"({"session_token": ")", session.session_token(), R"("})"));
  ASSERT_THAT(refreshed, HttpIs(200));
  EXPECT_FALSE(Parse<pv1::Session>(refreshed.body).access_token().empty());
  // Neither the password nor the tokens reach a log.
  for (absl::string_view name : {"plan", "complaint", "gateway"}) {
    const std::string log = stack().Log(name);
    EXPECT_THAT(log, ::testing::Not(HasSubstr(account.initial_password())))
        << name;
    EXPECT_THAT(log, ::testing::Not(HasSubstr(session.access_token()))) << name;
    EXPECT_THAT(log, ::testing::Not(HasSubstr(changed.access_token()))) << name;
    EXPECT_THAT(log, ::testing::Not(HasSubstr("ขอบคุณที่ไว้วางใจ2569"))) << name;
    EXPECT_THAT(log, ::testing::Not(HasSubstr(session.session_token())))
        << name;
  }
  EXPECT_THAT(stack().Log("complaint"), HasSubstr("principal=somchai.j"));
}

TEST_P(GatewayHttpTest, ActionPlanApproveAnnounceAnnualMeasureProgress) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  const Reply created =
      stack().Post(absl::StrCat("/v1/", kParent, "/actionPlans"),
                   Caller::kOperator, std::string(kActionPlanJson));
  ASSERT_THAT(created, HttpIs(200));
  const auto draft = Parse<pv1::ActionPlan>(created.body);
  ASSERT_TRUE(absl::StartsWith(draft.name(), absl::StrCat(kParent, "/")));
  EXPECT_EQ(draft.state(), pv1::ActionPlan::DRAFT);

  const Reply approved = stack().Post(
      absl::StrCat("/v1/", draft.name(), ":approve"), Caller::kSystem,
      absl::StrCat(R"({"etag": ")", draft.etag(), R"("})"));
  ASSERT_THAT(approved, HttpIs(200));
  const auto approved_plan = Parse<pv1::ActionPlan>(approved.body);
  EXPECT_EQ(approved_plan.state(), pv1::ActionPlan::APPROVED);
  const Reply announced = stack().Post(
      absl::StrCat("/v1/", draft.name(), ":announce"), Caller::kSystem,
      absl::StrCat(R"({"etag": ")", approved_plan.etag(), R"("})"));
  ASSERT_THAT(announced, HttpIs(200));
  EXPECT_TRUE(Parse<pv1::ActionPlan>(announced.body).has_announce_time());
  // The verb route and the plain one are different RPCs.
  const auto read = Parse<pv1::ActionPlan>(
      stack().Get(absl::StrCat("/v1/", draft.name()), Caller::kOperator).body);
  EXPECT_TRUE(read.has_announce_time());

  const Reply annual = stack().Post(
      absl::StrCat("/v1/", draft.name(), "/annualPlans"), Caller::kOperator,
      R"({"be_year": 2569, "request_id": "annual-2569"})");
  ASSERT_THAT(annual, HttpIs(200));
  const auto annual_plan = Parse<pv1::AnnualPlan>(annual.body);
  EXPECT_EQ(annual_plan.name(),
            absl::StrCat(draft.name(), "/annualPlans/2569"));
  EXPECT_THAT(
      stack().Get(absl::StrCat("/v1/", annual_plan.name()), Caller::kOperator),
      HttpIs(200));

  const Reply measure = stack().Post(
      absl::StrCat("/v1/", kParent, "/integrityMeasures"), Caller::kOperator,
      R"({"be_year": 2569, "title": "มาตรการเปิดเผยข้อมูล", "quarters": [1, 2]})");
  ASSERT_THAT(measure, HttpIs(200));
  const auto integrity_measure = Parse<pv1::IntegrityMeasure>(measure.body);
  EXPECT_EQ(integrity_measure.title(), "มาตรการเปิดเผยข้อมูล");

  const Reply report = stack().Post(
      absl::StrCat("/v1/", kParent, "/progressReports"), Caller::kOperator,
      absl::StrCat(R"({"subject": ")", integrity_measure.name(),
                   R"(", "be_year": 2569, "round": "QUARTER_1",
                   "status": "DONE", "output": "เผยแพร่แล้ว",
                   "spent": {"satang": "150000"}})"));
  ASSERT_THAT(report, HttpIs(200));
  const Reply reports =
      stack().Get(absl::StrCat("/v1/", kParent,
                               "/progressReports?be_year=2569&round=QUARTER_1"),
                  Caller::kOperator);
  ASSERT_THAT(reports, HttpIs(200));
  const auto listed = Parse<pv1::ListProgressReportsResponse>(reports.body);
  ASSERT_THAT(listed.progress_reports(), SizeIs(1));
  EXPECT_EQ(listed.progress_reports(0).subject(), integrity_measure.name());
  EXPECT_EQ(listed.progress_reports(0).spent().satang(), 150000);
  const Reply other_round =
      stack().Get(absl::StrCat("/v1/", kParent,
                               "/progressReports?be_year=2569&round=FULL_YEAR"),
                  Caller::kOperator);
  ASSERT_THAT(other_round, HttpIs(200));
  EXPECT_THAT(Parse<pv1::ListProgressReportsResponse>(other_round.body)
                  .progress_reports(),
              IsEmpty());
}

TEST_P(GatewayHttpTest, ComplaintFiledAnonymouslyTrackedAndListedByStaff) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  const Reply filed = stack().Post(absl::StrCat("/v1/", kParent, "/complaints"),
                                   Caller::kAnonymous, ComplaintJson("req-1"));
  ASSERT_THAT(filed, HttpIs(200));
  const auto complaint = Parse<kv1::Complaint>(filed.body);
  ASSERT_FALSE(complaint.tracking_code().empty()) << filed.body;

  const Reply tracked =
      stack().Post("/v1/complaints:track", Caller::kAnonymous,
                   absl::StrCat(R"({"tracking_code": ")",
                                complaint.tracking_code(), R"("})"));
  ASSERT_THAT(tracked, HttpIs(200));
  const auto tracked_complaint = Parse<kv1::TrackedComplaint>(tracked.body);
  EXPECT_EQ(tracked_complaint.subject(), "ถนนชำรุด");
  EXPECT_EQ(tracked_complaint.state(), kv1::Complaint::RECEIVED);
  EXPECT_THAT(stack().Post("/v1/complaints:track", Caller::kAnonymous,
                           R"({"tracking_code": "nope"})"),
              HttpErrorIs(400, grpc::StatusCode::INVALID_ARGUMENT));

  const std::string list = absl::StrCat("/v1/", kParent, "/complaints");
  const Reply received =
      stack().Get(absl::StrCat(list, "?states=RECEIVED&states=IN_PROGRESS"),
                  Caller::kOperator);
  ASSERT_THAT(received, HttpIs(200));
  const auto listed = Parse<kv1::ListComplaintsResponse>(received.body);
  ASSERT_THAT(listed.complaints(), SizeIs(1));
  EXPECT_EQ(listed.complaints(0).name(), complaint.name());
  const Reply closed = stack().Get(
      absl::StrCat(list, "?states=CLOSED&states=REJECTED"), Caller::kOperator);
  ASSERT_THAT(closed, HttpIs(200));
  EXPECT_THAT(Parse<kv1::ListComplaintsResponse>(closed.body).complaints(),
              IsEmpty());
  EXPECT_THAT(
      stack().Get(absl::StrCat(list, "?states=NOPE"), Caller::kOperator),
      HttpErrorIs(400, grpc::StatusCode::INVALID_ARGUMENT));
}

// A citizen's form sends photos base64-encoded in JSON: four of 1 MiB make
// a body of about 5.6 MB, which the gateway's default --max_body_bytes
// (8 MiB) and the complaint service's request limit admit. Staff read a
// photo back by its name, stripped of its EXIF (GPS) segment.
TEST_P(GatewayHttpTest, ComplaintWithPhotosFiledAndPhotoReadOverHttp) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  // Four photos of exactly 1 MiB: the test JPEG's segments (the first
  // with its EXIF, GPS and comment), then entropy-coded data that fills
  // it, then EOI.
  const testing::TestPhoto small = testing::JpegWithGps();
  auto filled = [](const std::string& jpeg) {
    const std::string head = jpeg.substr(0, jpeg.size() - 3);  // to the scan
    return absl::StrCat(
        head, std::string((size_t{1} << 20) - head.size() - 2, '\x3F'),
        "\xFF\xD9");
  };
  const std::string sent = filled(small.sent);
  const std::string stripped =
      absl::StrCat(small.stored.substr(0, small.stored.size() - 3),
                   sent.substr(small.sent.size() - 3));
  std::string large = filled(small.stored);
  std::string photos = absl::StrCat(
      R"({"file_name": "ไฟดับ.jpg", "media_type": "image/jpeg", "content": ")",
      absl::Base64Escape(sent), R"("})");
  for (int i = 0; i < 3; ++i) {
    large[300] = static_cast<char>(0x10 + i);
    absl::StrAppend(
        &photos, R"(, {"file_name": "large.jpg", "media_type": "image/jpeg", )",
        R"("content": ")", absl::Base64Escape(large), R"("})");
  }
  const std::string body = absl::StrCat(
      R"({"request_id": "photos-1", "replay_secret": "replay-secret-photos-1",
          "complaint": {"kind": "GENERAL", "channel": "WEBSITE",
          "subject": "ไฟถนนดับ", "description": "ไฟถนนหน้าโรงเรียนดับ",
          "attachments": [)",
      photos, "]}}");
  ASSERT_GT(body.size(), size_t{5500000});
  const Reply filed = stack().Post(absl::StrCat("/v1/", kParent, "/complaints"),
                                   Caller::kAnonymous, body);
  ASSERT_THAT(filed, HttpIs(200));
  const auto complaint = Parse<kv1::Complaint>(filed.body);
  ASSERT_THAT(complaint.attachments(), SizeIs(4));
  EXPECT_LT(filed.body.size(), size_t{10000});  // described, not sent back
  const kv1::Attachment& described = complaint.attachments(0);
  EXPECT_THAT(described.content(), IsEmpty());
  ASSERT_EQ(sent.size(), size_t{1} << 20);
  EXPECT_EQ(described.size_bytes(), static_cast<int64_t>(stripped.size()));
  ASSERT_TRUE(absl::StartsWith(described.name(),
                               absl::StrCat(complaint.name(), "/attachments/")))
      << described.name();

  const Reply read =
      stack().Get(absl::StrCat("/v1/", described.name()), Caller::kOperator);
  ASSERT_THAT(read, HttpIs(200));
  const auto photo = Parse<kv1::Attachment>(read.body);
  EXPECT_TRUE(photo.content() == stripped);
  EXPECT_FALSE(absl::StrContains(photo.content(), "Exif"));
  EXPECT_EQ(photo.sha256(), described.sha256());
  EXPECT_EQ(photo.media_type(), "image/jpeg");
  const Reply large_read = stack().Get(
      absl::StrCat("/v1/", complaint.attachments(3).name()), Caller::kOperator);
  ASSERT_THAT(large_read, HttpIs(200));
  EXPECT_TRUE(Parse<kv1::Attachment>(large_read.body).content() == large);
  EXPECT_THAT(stack().Get(absl::StrCat("/v1/", described.name()),
                          Caller::kOtherOperator),
              HttpErrorIs(403, grpc::StatusCode::PERMISSION_DENIED));

  // The complaint describes its photos without their bytes.
  const Reply got =
      stack().Get(absl::StrCat("/v1/", complaint.name()), Caller::kOperator);
  ASSERT_THAT(got, HttpIs(200));
  const auto stored = Parse<kv1::Complaint>(got.body);
  ASSERT_THAT(stored.attachments(), SizeIs(4));
  EXPECT_THAT(stored.attachments(0).content(), IsEmpty());
  EXPECT_EQ(stored.attachments(0).name(), described.name());
}

TEST_P(GatewayHttpTest, ItaAssessmentsScoresRawAnswersAnalysisFrameworks) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  const std::string assessments = absl::StrCat("/v1/", kParent, "/assessments");
  const Reply created =
      stack().Post(absl::StrCat(assessments, "?request_id=ita-create-1"),
                   Caller::kSystem, R"({"fiscal_year": {"be_year": 2567}})");
  ASSERT_THAT(created, HttpIs(200));
  EXPECT_EQ(Parse<iv1::Assessment>(created.body).name(),
            absl::StrCat(kParent, "/assessments/2567"));

  const Reply ingested =
      stack().Post(absl::StrCat(assessments, "/2568:ingestPublishedScores"),
                   Caller::kSystem, PublishedJson());
  ASSERT_THAT(ingested, HttpIs(200));
  EXPECT_DOUBLE_EQ(
      Parse<iv1::Assessment>(ingested.body).published().overall().score(),
      89.6);
  const Reply analysis =
      stack().Get(absl::StrCat(assessments, "/2568:analyze"), Caller::kSystem);
  ASSERT_THAT(analysis, HttpIs(200));
  const auto agency = Parse<iv1::AgencyAnalysis>(analysis.body);
  EXPECT_DOUBLE_EQ(agency.overall(), 89.6);
  ASSERT_THAT(agency.weaknesses(), SizeIs(2));
  EXPECT_EQ(agency.weaknesses(0).number(), 9);

  // Three stream messages as NDJSON: 3 IIT and 2 EIT respondents.
  const std::string ndjson =
      R"({"organization": {"code": "6340101", "name": "องค์การบริหารส่วนตำบลทดสอบ", "kind": "SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION", "province": "ยโสธร"}, "respondents": [{"tool": "IIT", "answers": {"i1": 3, "i2": 2, "i4": 1}}, {"tool": "IIT", "answers": {"i1": 1, "i4": 3}}]})"
      "\n"
      R"({"respondents": [{"tool": "EIT", "answers": {"e1": 3, "e4": 0}}, {"tool": "EIT", "answers": {"e1": 2, "e10": 3}}], "oit_checks": {"o1": true, "o2": false}})"
      "\n\n"
      R"({"respondents": [{"tool": "IIT", "answers": {"i13": 0}}], "oit_checks": {"o34": true}})"
      "\n";
  const Reply raw =
      stack().Send("POST", absl::StrCat(assessments, "/2566:ingestRawAnswers"),
                   Caller::kOperator, ndjson, {}, "application/x-ndjson");
  ASSERT_THAT(raw, HttpIs(200));
  const auto scored = Parse<iv1::Assessment>(raw.body);
  EXPECT_EQ(scored.name(), absl::StrCat(kParent, "/assessments/2566"));
  EXPECT_EQ(scored.iit_respondents(), 3);
  EXPECT_EQ(scored.eit_respondents(), 2);
  EXPECT_TRUE(scored.has_computed());

  const Reply framework =
      stack().Get("/v1/frameworks/2565", Caller::kAnonymous);
  ASSERT_THAT(framework, HttpIs(200));
  auto current = Parse<iv1::Framework>(framework.body);
  EXPECT_EQ(current.be_year(), 2565);
  ASSERT_GE(current.indicators_size(), 9);
  current.mutable_indicators(8)->set_name("การเปิดเผยข้อมูลสาธารณะ");
  std::string corrected;
  ASSERT_TRUE(
      google::protobuf::util::MessageToJsonString(current, &corrected).ok());
  EXPECT_THAT(stack().Post("/v1/frameworks", Caller::kOperator, corrected),
              HttpErrorIs(403, grpc::StatusCode::PERMISSION_DENIED));
  const Reply loaded =
      stack().Post("/v1/frameworks", Caller::kSystem, corrected);
  ASSERT_THAT(loaded, HttpIs(200));
  EXPECT_EQ(Parse<iv1::Framework>(loaded.body).name(),
            "frameworks/2565/versions/2");
  const Reply version =
      stack().Get("/v1/frameworks/2565/versions/2", Caller::kAnonymous);
  ASSERT_THAT(version, HttpIs(200));
  EXPECT_EQ(Parse<iv1::Framework>(version.body).indicators(8).name(),
            "การเปิดเผยข้อมูลสาธารณะ");
}

TEST_P(GatewayHttpTest, ServiceErrorsBecomeTheirHttpStatus) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  const std::string complaints = absl::StrCat("/v1/", kParent, "/complaints");
  // 400 with the service's field path in a BadRequest detail.
  const Reply invalid = stack().Post(complaints, Caller::kAnonymous,
                                     ComplaintJson("req-bad", ""));
  ASSERT_THAT(invalid, HttpErrorIs(400, grpc::StatusCode::INVALID_ARGUMENT));
  const google::rpc::Status status = ErrorOf(invalid);
  const std::vector<std::string> fields = ViolatedFields(status);
  ASSERT_THAT(fields, SizeIs(1)) << invalid.body;
  EXPECT_EQ(fields[0], "complaint.subject") << invalid.body;
  EXPECT_TRUE(absl::StartsWith(status.message(), "complaint.subject: "));
  // 401: no key, and a key nobody knows.
  EXPECT_THAT(stack().Get(complaints, Caller::kAnonymous),
              HttpErrorIs(401, grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(stack().Get(complaints, Caller::kUnknown),
              HttpErrorIs(401, grpc::StatusCode::UNAUTHENTICATED));
  // 403: an operator of another organization.
  EXPECT_THAT(stack().Get(complaints, Caller::kOtherOperator),
              HttpErrorIs(403, grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(stack().Get(complaints, Caller::kOperator), HttpIs(200));
  // 404: an unknown resource, and no route at all.
  EXPECT_THAT(stack().Get("/v1/organizations/1234567", Caller::kSystem),
              HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(stack().Get("/v1/nothing/here", Caller::kSystem),
              HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  // Without --web_root, no path outside the API is a page.
  const Reply elsewhere = stack().Get("/elsewhere", Caller::kSystem);
  EXPECT_THAT(elsewhere, HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  ExpectSecurityHeaders(elsewhere, "404 without pages");
  EXPECT_THAT(stack().Get("/", Caller::kAnonymous),
              HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  // 405: a route under another method.
  EXPECT_THAT(
      stack().Send("DELETE", "/v1/organizations/6340101", Caller::kSystem),
      HttpErrorIs(405, grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_THAT(stack().Get("/v1/complaints:track", Caller::kAnonymous),
              HttpErrorIs(405, grpc::StatusCode::UNIMPLEMENTED));
  // 415: not JSON.
  EXPECT_THAT(stack().Send("POST", complaints, Caller::kAnonymous, "subject=x",
                           {}, "application/x-www-form-urlencoded"),
              HttpIs(415));
  // A malformed grpc-timeout is the caller's mistake.
  EXPECT_THAT(stack().Get("/v1/organizations/6340101", Caller::kSystem,
                          {{"grpc-timeout", "soon"}}),
              HttpErrorIs(400, grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(stack().Get("/v1/organizations/6340101", Caller::kSystem,
                          {{"grpc-timeout", "5X"}}),
              HttpErrorIs(400, grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(stack().Get("/v1/organizations/6340101", Caller::kSystem,
                          {{"grpc-timeout", "5S"}}),
              HttpIs(200));
}

TEST_P(GatewayHttpTest, BadInputIsRefusedAndChangesNothing) {
  if (!StartStack({.gateway_trusted_proxies = "",
                   .gateway_args = {"--max_body_bytes=4096"},
                   .tls = false})) {
    return;
  }
  const std::string valid = OrganizationJson("6340101");
  const std::pair<std::string, int> cases[] = {
      {R"({"organization": {"code": "6340101", )", 400},
      {R"({"organization": {"code": "6340101"}, "colour": "red"})", 400},
      {R"({"organization": {"code": 6340101, "kind": 3.5}})", 400},
      {R"({"organization": {"code": "6340101"}, "name": )" +
           std::string(5000, ' ') + R"("x"})",
       413},
      {absl::StrCat(valid.substr(0, valid.size() - 1), ", \"pad\": \"",
                    std::string(5000, 'x'), "\"}"),
       413},
  };
  for (const auto& [body, status] : cases) {
    const Reply reply =
        stack().Post("/v1/organizations", Caller::kSystem, body);
    EXPECT_EQ(reply.status, status) << body.substr(0, 80) << ": " << reply.body;
    const google::rpc::Status error = ErrorOf(reply);
    EXPECT_NE(error.code(), 0) << reply.body;
  }
  const Reply list = stack().Get("/v1/organizations", Caller::kSystem);
  ASSERT_THAT(list, HttpIs(200));
  EXPECT_THAT(Parse<pv1::ListOrganizationsResponse>(list.body).organizations(),
              IsEmpty());
  // The same body without the mistakes is taken.
  EXPECT_THAT(stack().Post("/v1/organizations", Caller::kSystem, valid),
              HttpIs(200));
}

TEST_P(GatewayHttpTest, RequestIdsGoBothWaysAndReachTheService) {
  if (!StartStack()) return;
  const Reply given = stack().Get("/v1/organizations", Caller::kSystem,
                                  {{"X-Request-Id", "gw-test-given-42"}});
  ASSERT_THAT(given, HttpIs(200));
  EXPECT_EQ(given.Header("x-request-id"), "gw-test-given-42");
  const Reply made = stack().Get("/v1/organizations", Caller::kSystem);
  ASSERT_THAT(made, HttpIs(200));
  const std::string made_id = made.Header("x-request-id");
  ASSERT_FALSE(made_id.empty());
  EXPECT_NE(made_id, "gw-test-given-42");
  EXPECT_NE(
      stack().Get("/v1/organizations", Caller::kSystem).Header("x-request-id"),
      made_id);
  // An error answer names its id too.
  const Reply refused = stack().Post("/v1/organizations", Caller::kSystem, "{",
                                     {{"X-Request-Id", "gw-test-refused-7"}});
  EXPECT_THAT(refused, HttpIs(400));
  EXPECT_EQ(refused.Header("x-request-id"), "gw-test-refused-7");
  // The service logged its calls under the same ids.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  std::string log;
  do {
    log = stack().Log("plan");
    if (absl::StrContains(log, made_id)) break;
    absl::SleepFor(absl::Milliseconds(50));
  } while (absl::Now() < deadline);
  EXPECT_THAT(log, HasSubstr("request_id=gw-test-given-42"));
  EXPECT_THAT(log, HasSubstr(absl::StrCat("request_id=", made_id)));
}

// Anonymous filings of `client` (as X-Forwarded-For) until one is refused;
// the number taken, at most `most`.
int FilingsTaken(Stack& stack, absl::string_view client, int most,
                 int* last_status) {
  for (int i = 0; i < most; ++i) {
    const Reply reply = stack.Post(
        absl::StrCat("/v1/", kParent, "/complaints"), Caller::kAnonymous,
        ComplaintJson(absl::StrCat("rate-", client, "-", i)),
        {{"X-Forwarded-For", std::string(client)}});
    *last_status = reply.status;
    if (reply.status != 200) return i;
  }
  return most;
}

TEST_P(GatewayHttpTest, RateLimitBucketsAreTheRealClientsBehindATrustedProxy) {
  if (!StartStack({.gateway_trusted_proxies = "127.0.0.1",
                   .gateway_args = {},
                   .tls = false}))
    return;
  ASSERT_NO_FATAL_FAILURE(Register());
  int status = 0;
  // The public filing limit: a burst of 5 per client.
  EXPECT_EQ(FilingsTaken(stack(), "198.51.100.7", 10, &status), 5);
  EXPECT_EQ(status, 429);
  const Reply limited = stack().Post(
      absl::StrCat("/v1/", kParent, "/complaints"), Caller::kAnonymous,
      ComplaintJson("rate-again"), {{"X-Forwarded-For", "198.51.100.7"}});
  EXPECT_THAT(limited, HttpErrorIs(429, grpc::StatusCode::RESOURCE_EXHAUSTED));
  // Another client has a bucket of its own.
  EXPECT_EQ(FilingsTaken(stack(), "203.0.113.9", 1, &status), 1);
  EXPECT_EQ(status, 200);
}

TEST_P(GatewayHttpTest, ForwardedForFromAnUntrustedCallerIsIgnored) {
  if (!StartStack(
          {.gateway_trusted_proxies = "", .gateway_args = {}, .tls = false}))
    return;
  ASSERT_NO_FATAL_FAILURE(Register());
  int status = 0;
  EXPECT_EQ(FilingsTaken(stack(), "198.51.100.7", 10, &status), 5);
  EXPECT_EQ(status, 429);
  // Claiming to be someone else does not help: all share loopback's bucket.
  EXPECT_EQ(FilingsTaken(stack(), "203.0.113.9", 1, &status), 0);
  EXPECT_EQ(status, 429);
}

TEST_P(GatewayHttpTest, HttpsServesTheApiAndRefusesPlainHttp) {
  if (!StartStack(
          {.gateway_trusted_proxies = "", .gateway_args = {}, .tls = true})) {
    return;
  }
  // The stack's own calls verified the certificate to get here (healthz).
  ASSERT_NO_FATAL_FAILURE(Register());
  EXPECT_THAT(stack().Get(absl::StrCat("/v1/", kParent), Caller::kSystem),
              HttpIs(200));
  httplib::Client plain("127.0.0.1", stack().gateway_port());
  plain.set_connection_timeout(std::chrono::seconds(5));
  plain.set_read_timeout(std::chrono::seconds(5));
  httplib::Result result = plain.Get("/healthz");
  EXPECT_TRUE(!result || result->status != 200)
      << "plain HTTP was answered on the HTTPS port";
}

TEST_P(GatewayHttpTest, StoppedBackendIs503AndPausedOneIs504) {
  if (!StartStack()) return;
  ASSERT_NO_FATAL_FAILURE(Register());
  const Reply health = stack().Get("/healthz", Caller::kAnonymous);
  ASSERT_THAT(health, HttpIs(200));
  EXPECT_THAT(health.body, HasSubstr("\"prongsai.ita.v1.AssessmentService\":"
                                     "\"SERVING\""));
  const Reply openapi = stack().Get("/openapi.json", Caller::kAnonymous);
  ASSERT_THAT(openapi, HttpIs(200));
  EXPECT_EQ(openapi.Header("Content-Type"), "application/json");
  google::protobuf::Struct document;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(openapi.body, &document).ok())
      << openapi.body;

  // Paused: the call's own short deadline runs out.
  stack().Process(Service::kPlan).Pause();
  const absl::Time start = absl::Now();
  const Reply timed_out = stack().Get(
      "/v1/organizations/6340101", Caller::kSystem, {{"grpc-timeout", "300m"}});
  const absl::Duration took = absl::Now() - start;
  stack().Process(Service::kPlan).Resume();
  EXPECT_THAT(timed_out, HttpErrorIs(504, grpc::StatusCode::DEADLINE_EXCEEDED));
  EXPECT_LT(took, absl::Seconds(5));
  EXPECT_THAT(stack().Get("/v1/organizations/6340101", Caller::kSystem),
              HttpIs(200));

  absl::StatusOr<int> exit =
      stack().Process(Service::kIta).Terminate(absl::Seconds(20));
  ASSERT_THAT(exit, IsOk());
  EXPECT_THAT(stack().Get("/v1/frameworks", Caller::kAnonymous),
              HttpErrorIs(503, grpc::StatusCode::UNAVAILABLE));
  const Reply unhealthy = stack().Get("/healthz", Caller::kAnonymous);
  EXPECT_THAT(unhealthy, HttpIs(503));
  EXPECT_THAT(unhealthy.body, HasSubstr("\"prongsai.ita.v1.AssessmentService\":"
                                        "\"NOT_SERVING\""));
  EXPECT_THAT(unhealthy.body, HasSubstr("\"prongsai.plan.v1.PlanService\":"
                                        "\"SERVING\""));
  // The others still answer.
  EXPECT_THAT(stack().Get("/v1/organizations/6340101", Caller::kSystem),
              HttpIs(200));
}

// A built web application: index.html, a hashed asset, and a file outside
// the root that no URL may reach.
struct WebRoot {
  std::string root;
  std::string index = "<!doctype html><html lang=\"th\"><title>ประพฤติ</title>";
  std::string script = "console.log('สวัสดี');\n";
};

WebRoot MakeWebRoot() {
  WebRoot web;
  const std::string scratch = testing::MakeScratchDir();
  web.root = absl::StrCat(scratch, "/web");
  EXPECT_EQ(mkdir(web.root.c_str(), 0755), 0);
  EXPECT_EQ(mkdir(absl::StrCat(web.root, "/assets").c_str(), 0755), 0);
  std::ofstream(absl::StrCat(web.root, "/index.html")) << web.index;
  std::ofstream(absl::StrCat(web.root, "/assets/index-4f2a9c.js"))
      << web.script;
  std::ofstream(absl::StrCat(web.root, "/.env")) << "hidden\n";
  std::ofstream(absl::StrCat(scratch, "/secret.txt")) << "outside\n";
  EXPECT_EQ(
      symlink("../secret.txt", absl::StrCat(web.root, "/leak.txt").c_str()), 0);
  return web;
}

TEST_P(GatewayHttpTest, WebRootServesTheAppNextToTheApi) {
  const WebRoot web = MakeWebRoot();
  if (!StartStack({.gateway_trusted_proxies = "",
                   .gateway_args = {absl::StrCat("--web_root=", web.root),
                                    "--max_body_bytes=4096"},
                   .tls = false})) {
    return;
  }
  // The app's routes are index.html, checked with the gateway each time.
  for (const std::string path : {"/", "/track", "/complaints/new?org=6340101",
                                 "/statistics/", "/index.html"}) {
    const Reply page = stack().Get(path, Caller::kAnonymous);
    ASSERT_THAT(page, HttpIs(200)) << path;
    EXPECT_EQ(page.body, web.index) << path;
    EXPECT_EQ(page.Header("Content-Type"), "text/html; charset=utf-8") << path;
    EXPECT_EQ(page.Header("Cache-Control"), "no-cache") << path;
    ExpectSecurityHeaders(page, path);
  }
  const Reply script =
      stack().Get("/assets/index-4f2a9c.js", Caller::kAnonymous);
  ASSERT_THAT(script, HttpIs(200));
  EXPECT_EQ(script.body, web.script);
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.Header("Cache-Control"),
            "public, max-age=31536000, immutable");
  ExpectSecurityHeaders(script, "asset");

  // Conditional: the same ETag is 304 without a body.
  const std::string etag = script.Header("ETag");
  ASSERT_FALSE(etag.empty());
  const Reply unchanged = stack().Get(
      "/assets/index-4f2a9c.js", Caller::kAnonymous, {{"If-None-Match", etag}});
  EXPECT_THAT(unchanged, HttpIs(304));
  EXPECT_THAT(unchanged.body, IsEmpty());
  EXPECT_EQ(unchanged.Header("ETag"), etag);
  ExpectSecurityHeaders(unchanged, "304");
  EXPECT_THAT(stack().Get("/assets/index-4f2a9c.js", Caller::kAnonymous,
                          {{"If-None-Match", "\"stale\""}}),
              HttpIs(200));

  // HEAD: the headers and length of GET, no body.
  const Reply head = stack().Send("HEAD", "/track", Caller::kAnonymous);
  EXPECT_THAT(head, HttpIs(200));
  EXPECT_THAT(head.body, IsEmpty());
  EXPECT_EQ(head.Header("Content-Length"), absl::StrCat(web.index.size()));
  EXPECT_EQ(head.Header("Content-Type"), "text/html; charset=utf-8");

  // A missing file with an extension, traversal, dot-files and links out of
  // the root are the gateway's 404, never a file's bytes.
  for (const std::string path :
       {"/missing.js", "/assets/index-000000.js", "/../secret.txt",
        "/%2e%2e/secret.txt", "/assets/%2E%2E/%2e%2e/secret.txt",
        "/%252e%252e/secret.txt", "/.env", "/leak.txt", "/index.html%00.js"}) {
    const Reply refused = stack().Get(path, Caller::kAnonymous);
    EXPECT_THAT(refused, HttpErrorIs(404, grpc::StatusCode::NOT_FOUND))
        << path << ": " << refused.body;
    EXPECT_EQ(refused.Header("Content-Type"), "application/json") << path;
    EXPECT_THAT(refused.body, Not(HasSubstr("outside"))) << path;
    EXPECT_THAT(refused.body, Not(HasSubstr("hidden"))) << path;
    ExpectSecurityHeaders(refused, path);
  }
  // Pages are read-only.
  const Reply posted = stack().Post("/track", Caller::kAnonymous, "{}");
  EXPECT_THAT(posted, HttpErrorIs(405, grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_EQ(posted.Header("Allow"), "GET, HEAD");
  ExpectSecurityHeaders(posted, "405");

  // The API's names keep their meaning, with the same headers.
  const Reply api = stack().Get("/v1/frameworks", Caller::kAnonymous);
  ASSERT_THAT(api, HttpIs(200));
  EXPECT_EQ(api.Header("Content-Type"), "application/json");
  ExpectSecurityHeaders(api, "/v1 answer");
  const Reply api_error =
      stack().Get("/v1/organizations/6340101", Caller::kAnonymous);
  EXPECT_THAT(api_error, HttpErrorIs(401, grpc::StatusCode::UNAUTHENTICATED));
  ExpectSecurityHeaders(api_error, "/v1 error");
  EXPECT_THAT(stack().Get("/v1/nothing", Caller::kAnonymous),
              HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(stack().Get("/v1", Caller::kAnonymous),
              HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(stack().Get("/open311/nothing", Caller::kAnonymous),
              HttpErrorIs(404, grpc::StatusCode::NOT_FOUND));
  const Reply openapi = stack().Get("/openapi.json", Caller::kAnonymous);
  ASSERT_THAT(openapi, HttpIs(200));
  EXPECT_THAT(openapi.body, HasSubstr("\"openapi\""));
  ExpectSecurityHeaders(openapi, "/openapi.json");
  const Reply health = stack().Get("/healthz", Caller::kAnonymous);
  EXPECT_THAT(health, HttpIs(200));
  ExpectSecurityHeaders(health, "/healthz");
  // cpp-httplib's own refusals too.
  const Reply too_big = stack().Post("/v1/organizations", Caller::kSystem,
                                     std::string(5000, ' '));
  EXPECT_THAT(too_big, HttpErrorIs(413, grpc::StatusCode::RESOURCE_EXHAUSTED));
  ExpectSecurityHeaders(too_big, "413");

  // A rebuild shows at once: files are read per request.
  std::ofstream(absl::StrCat(web.root, "/index.html")) << "<!doctype html>2";
  EXPECT_EQ(stack().Get("/track", Caller::kAnonymous).body, "<!doctype html>2");
}

INSTANTIATE_TEST_SUITE_P(Backends, GatewayHttpTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendName);

TEST(GatewayWebRootTest, ARootWithoutIndexHtmlStopsTheGatewayAtStart) {
  const std::string empty = testing::MakeScratchDir();
  for (const std::vector<std::string>& env :
       {std::vector<std::string>{absl::StrCat("PRONGSAI_WEB_ROOT=", empty)},
        std::vector<std::string>{
            absl::StrCat("PRONGSAI_WEB_ROOT=", empty, "/nothing-here")}}) {
    const testing::BinaryRun run = testing::RunBinary(
        PRONGSAI_GATEWAY_BINARY, {"--listen=127.0.0.1:0"}, env, "PRONGSAI_");
    EXPECT_EQ(run.exit_code, 2) << env[0];
    EXPECT_THAT(run.stdout_text + run.stderr_text, HasSubstr("web_root"))
        << env[0];
  }
}

}  // namespace
}  // namespace prongsai::gateway
