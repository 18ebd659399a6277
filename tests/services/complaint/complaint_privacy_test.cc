// What never leaves the complaint service in clear: a corruption reporter's
// name and contact, the accused, and the tracking code. After a realistic
// session (filing, a refused filing, tracking, adding information, the
// workflow, an integrity officer's read, statistics) the test reads
// everything the service could have written — the raw SQLite file and its
// WAL, every column of every table on PostgreSQL, the server's log on fd 2,
// and every key and value in Redis — and finds none of it.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/cache/redis.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "services/complaint/tracking_code.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/service_test_util.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::IsInvalidField;
using ::testing::HasSubstr;
using ::testing::Not;
using C = v1::Complaint;

// Distinctive enough that any occurrence is a leak.
constexpr absl::string_view kReporter = "สมชาย ใจกล้าXYZ123";
constexpr absl::string_view kReporterContact = "LINE: somchai-xyz123";
// The secret the reporter's browser keeps with its request id.
constexpr absl::string_view kReplaySecret = "rs-7d41c0ffee93b2a8";
constexpr absl::string_view kAccused = "นายทุจริต ตัวอย่างQQ987";
constexpr absl::string_view kAccusedPosition = "ผู้อำนวยการกองคลังPOS555";
constexpr absl::string_view kCaller = "นางสาวมาลี ศรีสุขABC789";
// What the database must hold in clear: the case itself.
constexpr absl::string_view kDescription =
    "มีการเรียกรับเงินใต้โต๊ะในการตรวจรับงานก่อสร้างถนน";

// Redirects fd 2 (where the server logs) to a file for as long as it lives.
class StderrCapture {
 public:
  StderrCapture() : path_(testing::MakeScratchDir() + "/stderr.log") {
    std::fflush(stderr);
    saved_ = dup(STDERR_FILENO);
    const int file = open(path_.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    if (saved_ >= 0 && file >= 0) dup2(file, STDERR_FILENO);
    if (file >= 0) close(file);
  }
  ~StderrCapture() { Restore(); }

  // Restores fd 2 and returns what was written meanwhile.
  std::string Finish() {
    Restore();
    std::ifstream in(path_, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

 private:
  void Restore() {
    if (saved_ < 0) return;
    std::fflush(stderr);
    dup2(saved_, STDERR_FILENO);
    close(saved_);
    saved_ = -1;
  }

  std::string path_;
  int saved_ = -1;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// The SQLite database file and its journals, byte for byte.
std::string SqliteBytes(const std::string& db_url) {
  const std::string path = db_url.substr(std::string("sqlite://").size());
  return ReadFile(path) + ReadFile(path + "-wal") + ReadFile(path + "-shm") +
         ReadFile(path + "-journal");
}

// Every value of every column of every table of the public schema, as text.
std::string PostgresText(const std::string& db_url) {
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(db_url);
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return "";
  absl::StatusOr<storage::Result> columns = (*db)->Execute(
      "SELECT table_name, column_name FROM information_schema.columns WHERE "
      "table_schema = 'public' ORDER BY table_name, ordinal_position");
  EXPECT_TRUE(columns.ok()) << columns.status();
  if (!columns.ok()) return "";
  EXPECT_GT(columns->rows.size(), 10u);
  std::string text;
  for (const storage::Row& column : columns->rows) {
    // Identifiers from the catalog, quoted; every type cast to text.
    absl::StatusOr<storage::Result> cells = (*db)->Execute(
        absl::StrCat("SELECT CAST(\"", column.GetText(1), "\" AS TEXT) FROM \"",
                     column.GetText(0), "\""));
    EXPECT_TRUE(cells.ok()) << cells.status();
    if (!cells.ok()) continue;
    for (const storage::Row& cell : cells->rows) {
      absl::StrAppend(&text, cell.GetText(0), "\n");
    }
  }
  return text;
}

// Every key of the Redis at `url` and everything each holds.
std::string RedisEverything(const std::string& url) {
  absl::StatusOr<cache::RedisOptions> options = cache::ParseRedisUrl(url);
  EXPECT_TRUE(options.ok()) << options.status();
  if (!options.ok()) return "";
  options->command_timeout = absl::Seconds(5);
  cache::RedisClient client(*options, nullptr);
  std::string everything;
  std::function<void(const cache::Reply&)> append =
      [&](const cache::Reply& reply) {
        absl::StrAppend(&everything, reply.string, "\n");
        for (const cache::Reply& element : reply.elements) append(element);
      };
  std::string cursor = "0";
  do {
    absl::StatusOr<cache::Reply> page = client.Command(
        std::vector<std::string>{"SCAN", cursor, "COUNT", "1000"});
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok() || page->elements.size() != 2) break;
    cursor = page->elements[0].string;
    for (const cache::Reply& key : page->elements[1].elements) {
      absl::StrAppend(&everything, key.string, "\n");
      absl::StatusOr<cache::Reply> type =
          client.Command(std::vector<std::string>{"TYPE", key.string});
      if (!type.ok()) continue;
      std::vector<std::string> read = {"GET", key.string};
      if (type->string == "stream") read = {"XRANGE", key.string, "-", "+"};
      if (type->string == "hash") read = {"HGETALL", key.string};
      if (type->string == "list") read = {"LRANGE", key.string, "0", "-1"};
      if (type->string == "set") read = {"SMEMBERS", key.string};
      if (type->string == "zset") {
        read = {"ZRANGE", key.string, "0", "-1", "WITHSCORES"};
      }
      if (type->string == "none") continue;  // expired meanwhile
      absl::StatusOr<cache::Reply> value = client.Command(read);
      EXPECT_TRUE(value.ok())
          << value.status() << " reading a " << type->string;
      if (value.ok()) append(*value);
    }
  } while (cursor != "0");
  return everything;
}

struct Setup {
  Backend backend;
  bool redis;
};

std::string SetupName(const ::testing::TestParamInfo<Setup>& info) {
  return absl::StrCat(
      info.param.backend == Backend::kSqlite ? "Sqlite" : "Postgres",
      info.param.redis ? "WithRedis" : "");
}

void PrintTo(const Setup& setup, std::ostream* os) {
  *os << (setup.backend == Backend::kSqlite ? "SQLite" : "PostgreSQL")
      << (setup.redis ? " and Redis" : "");
}

class ComplaintPrivacyTest : public ::testing::TestWithParam<Setup> {};

TEST_P(ComplaintPrivacyTest, IdentitiesNeverReachTheDatabaseLogsOrCache) {
  std::optional<std::string> redis_url;
  if (GetParam().redis) {
    redis_url = testing::RedisUrl();
    PRONGSAI_REQUIRE_BACKEND(redis_url, "Redis");
  }
  if (GetParam().backend == Backend::kPostgres) {
    PRONGSAI_REQUIRE_BACKEND(testing::PostgresUrl(), "PostgreSQL");
  }
  // Tests share one Redis; an organization of this test's own keeps its
  // cache entries apart.
  const std::string organization = absl::StrCat(
      "privacy", getpid(), "x", absl::ToUnixMicros(absl::Now()) % 1000000000);
  const std::string parent = absl::StrCat("organizations/", organization);
  ComplaintOptions options = testing::ComplaintOptionsForTest();
  const std::string tracking_key(options.keys.tracking_key());
  // A bucket that refills slowly outlives the test, so it can be inspected.
  const std::string limiter_prefix =
      absl::StrCat("prongsai:complaint:privacy-filing-", organization, ":");
  options.public_filing_limit = PublicLimit(0.001, 100, "unused");
  options.public_filing_limit.key_prefix = limiter_prefix;

  testing::FakeClock clock;
  StderrCapture capture;
  std::unique_ptr<testing::TestService> service;
  testing::TestService::Start(ComplaintServiceDefinition(std::move(options)),
                              {.backend = GetParam().backend,
                               .redis_url = redis_url.value_or(""),
                               .clock = clock.AsClock(),
                               .trusted_proxies = "",
                               .session_verify_keys_path = ""},
                              &service);
  ASSERT_NE(service, nullptr);
  auto stub = v1::ComplaintService::NewStub(service->channel());
  auto as = [&](Caller caller) { return service->Context(caller); };

  // A citizen files a corruption report, naming themself and the accused.
  v1::CreateComplaintRequest request;
  request.set_parent(parent);
  request.set_request_id("privacy-report-1");
  request.set_replay_secret(std::string(kReplaySecret));
  C* report = request.mutable_complaint();
  report->set_kind(C::CORRUPTION);
  report->set_channel(C::LINE);
  report->set_subject("รับสินบนตรวจรับงาน");
  report->set_description(std::string(kDescription));
  report->set_evidence("ภาพถ่ายการส่งมอบเงิน ๒ ภาพ");
  report->mutable_complainant()->set_name(std::string(kReporter));
  report->mutable_complainant()->set_contact(std::string(kReporterContact));
  report->mutable_accused()->set_name(std::string(kAccused));
  report->mutable_accused()->set_position(std::string(kAccusedPosition));
  C filed;
  ASSERT_THAT(
      stub->CreateComplaint(as(Caller::kAnonymous).get(), request, &filed),
      GrpcIsOk());
  const std::string code = filed.tracking_code();
  ASSERT_FALSE(code.empty());
  // The repeat hands the code back (it is sealed, not hashed only).
  C repeated;
  ASSERT_THAT(
      stub->CreateComplaint(as(Caller::kAnonymous).get(), request, &repeated),
      GrpcIsOk());
  ASSERT_EQ(repeated.tracking_code(), code);

  // A caller's complaint filed at the counter, with a name.
  v1::CreateComplaintRequest counter;
  counter.set_parent(parent);
  C* call = counter.mutable_complaint();
  call->set_kind(C::GENERAL);
  call->set_channel(C::PHONE);
  call->set_subject("ขยะไม่ถูกเก็บ");
  call->set_description("ขยะหน้าบ้านไม่ถูกเก็บมาสามวัน");
  call->mutable_complainant()->set_name(std::string(kCaller));
  C general;
  ASSERT_THAT(
      stub->CreateComplaint(as(Caller::kSystem).get(), counter, &general),
      GrpcIsOk());

  // Refused filings do not echo the identities they carried.
  v1::CreateComplaintRequest refused = counter;
  refused.mutable_complaint()->mutable_accused()->set_name(
      std::string(kAccused));
  C ignored;
  grpc::Status status =
      stub->CreateComplaint(as(Caller::kAnonymous).get(), refused, &ignored);
  EXPECT_THAT(status, IsInvalidField("complaint.accused"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(kAccused)));
  refused = request;
  refused.clear_request_id();
  refused.mutable_complaint()->mutable_complainant()->set_name(
      absl::StrCat(kReporter, std::string(200, 'x')));
  status =
      stub->CreateComplaint(as(Caller::kAnonymous).get(), refused, &ignored);
  EXPECT_THAT(status, IsInvalidField("complaint.complainant.name"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(kReporter)));

  // The reporter follows the case; a mistyped code is not echoed.
  v1::TrackComplaintRequest track;
  track.set_tracking_code(code);
  v1::TrackedComplaint tracked;
  ASSERT_THAT(
      stub->TrackComplaint(as(Caller::kAnonymous).get(), track, &tracked),
      GrpcIsOk());
  std::string mistyped = code;
  mistyped[0] = mistyped[0] == 'A' ? 'B' : 'A';
  track.set_tracking_code(mistyped);
  status = stub->TrackComplaint(as(Caller::kAnonymous).get(), track, &tracked);
  EXPECT_THAT(status, IsInvalidField("tracking_code"));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(mistyped)));
  v1::AddComplainantInformationRequest add;
  add.set_tracking_code(code);
  add.set_text("มีพยานเพิ่มอีกหนึ่งคน");
  ASSERT_THAT(stub->AddComplainantInformation(as(Caller::kAnonymous).get(), add,
                                              &tracked),
              GrpcIsOk());

  // The integrity officer works the case and reads the identity once.
  v1::TransitionComplaintRequest move;
  move.set_name(filed.name());
  move.set_target_state(C::ACKNOWLEDGED);
  move.set_note("รับเรื่องไว้พิจารณา");
  C moved;
  ASSERT_THAT(stub->TransitionComplaint(as(Caller::kIntegrityOfficer).get(),
                                        move, &moved),
              GrpcIsOk());
  v1::GetProtectedIdentityRequest reveal;
  reveal.set_name(filed.name());
  reveal.set_reason("ตรวจสอบข้อเท็จจริงตามคำสั่งที่ ๑/๒๕๖๙");
  v1::ProtectedIdentity identity;
  ASSERT_THAT(stub->GetProtectedIdentity(as(Caller::kIntegrityOfficer).get(),
                                         reveal, &identity),
              GrpcIsOk());
  ASSERT_EQ(identity.complainant().name(), kReporter);  // really stored
  ASSERT_EQ(identity.accused().name(), kAccused);

  // Staff views and the statistics (cached in Redis when there is one).
  std::vector<std::string> answers;
  v1::GetComplaintRequest get;
  get.set_name(filed.name());
  C got;
  ASSERT_THAT(stub->GetComplaint(as(Caller::kAuditor).get(), get, &got),
              GrpcIsOk());
  answers.push_back(got.SerializeAsString());
  v1::ListComplaintsRequest list;
  list.set_parent(parent);
  v1::ListComplaintsResponse listed;
  ASSERT_THAT(stub->ListComplaints(as(Caller::kSystem).get(), list, &listed),
              GrpcIsOk());
  answers.push_back(listed.SerializeAsString());
  v1::ListRepliesRequest replies_request;
  replies_request.set_parent(filed.name());
  v1::ListRepliesResponse replies;
  ASSERT_THAT(
      stub->ListReplies(as(Caller::kAuditor).get(), replies_request, &replies),
      GrpcIsOk());
  answers.push_back(replies.SerializeAsString());
  v1::ListIdentityAccessesRequest accesses_request;
  accesses_request.set_parent(parent);
  v1::ListIdentityAccessesResponse accesses;
  ASSERT_THAT(stub->ListIdentityAccesses(as(Caller::kAuditor).get(),
                                         accesses_request, &accesses),
              GrpcIsOk());
  ASSERT_EQ(accesses.accesses_size(), 1);
  answers.push_back(accesses.SerializeAsString());
  v1::GetComplaintStatisticsRequest statistics_request;
  statistics_request.set_parent(parent);
  statistics_request.mutable_fiscal_year()->set_be_year(2569);
  v1::ComplaintStatistics statistics;
  ASSERT_THAT(stub->GetComplaintStatistics(as(Caller::kAuditor).get(),
                                           statistics_request, &statistics),
              GrpcIsOk());
  ASSERT_EQ(statistics.received(), 2);
  ASSERT_THAT(
      stub->GetPublicComplaintStatistics(as(Caller::kAnonymous).get(),
                                         statistics_request, &statistics),
      GrpcIsOk());
  answers.push_back(tracked.SerializeAsString());

  // Bytes of the live database, WAL included, before the server stops.
  const std::string db_url = service->db_url();
  std::string database;
  if (GetParam().backend == Backend::kSqlite) database = SqliteBytes(db_url);
  service.reset();  // flushes and closes the database
  const std::string log = capture.Finish();
  database += GetParam().backend == Backend::kSqlite ? SqliteBytes(db_url)
                                                     : PostgresText(db_url);

  absl::StatusOr<std::string> canonical = NormalizeTrackingCode(code);
  ASSERT_TRUE(canonical.ok()) << canonical.status();
  const std::string secrets[] = {
      std::string(kReporter), std::string(kReporterContact),
      std::string(kAccused), std::string(kAccusedPosition),
      std::string(kCaller), code, *canonical, std::string(kReplaySecret),
      "privacy-report-1",
      // The distinctive parts alone, in case only part of a name leaked.
      "XYZ123", "xyz123", "QQ987", "POS555", "ABC789", "ใจกล้า", "ศรีสุข"};

  // The captures really hold what they should. (Plain StrContains: a
  // failure must not print the whole log or database.)
  EXPECT_TRUE(absl::StrContains(log, "CreateComplaint"));
  EXPECT_TRUE(absl::StrContains(log, "GetProtectedIdentity"));
  EXPECT_TRUE(absl::StrContains(database, kDescription));
  EXPECT_TRUE(
      absl::StrContains(database, TrackingCodeHash(*canonical, tracking_key)))
      << "tracking codes are stored as their keyed hash";
  for (const std::string& secret : secrets) {
    const std::string which = absl::StrCat("secret #", &secret - secrets);
    EXPECT_FALSE(absl::StrContains(log, secret)) << which << " in the log";
    EXPECT_FALSE(absl::StrContains(database, secret))
        << which << " in the database";
    for (const std::string& answer : answers) {
      EXPECT_FALSE(absl::StrContains(answer, secret))
          << which << " in a staff answer";
    }
  }

  if (!redis_url.has_value()) return;
  const std::string redis = RedisEverything(*redis_url);
  // The event of the filing and the cached statistics are there, the
  // filing limit's bucket too, under a hash of the client's address.
  EXPECT_TRUE(absl::StrContains(redis, filed.name()));
  EXPECT_TRUE(
      absl::StrContains(redis, absl::StrCat("statistics/", organization)));
  EXPECT_TRUE(absl::StrContains(redis, limiter_prefix));
  for (const std::string& secret : secrets) {
    EXPECT_FALSE(absl::StrContains(redis, secret))
        << "secret #" << &secret - secrets << " in Redis";
  }
  for (absl::string_view line : absl::StrSplit(redis, '\n')) {
    if (absl::StartsWith(line, limiter_prefix)) {
      EXPECT_THAT(line, Not(HasSubstr("127.0.0.1")));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Setups, ComplaintPrivacyTest,
                         ::testing::Values(Setup{Backend::kSqlite, false},
                                           Setup{Backend::kSqlite, true},
                                           Setup{Backend::kPostgres, false},
                                           Setup{Backend::kPostgres, true}),
                         SetupName);

}  // namespace
}  // namespace prongsai::complaint
