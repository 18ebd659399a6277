// The identity-access log through the service, on both databases: reads are
// chained as they are recorded (concurrent ones too), an auditor verifies the
// chain, and each tampering done straight in the database — a changed
// reason, a deleted entry, an entry slipped in, a cut after a known head —
// is reported with the place it breaks. Reads recorded before the log was
// chained (schema version 6) are chained when the service starts.
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "services/complaint/complaint_store.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/service_test_util.h"
#include "tests/support/scratch_database.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::kParent;
using ::testing::HasSubstr;
using C = v1::Complaint;

constexpr absl::string_view kReason = "ตรวจสอบข้อเท็จจริงตามคำสั่งที่ ๑/๒๕๖๙";

class AccessLogTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    StartService(testing::ComplaintDefinitionForTest());
    if (IsSkipped()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::ComplaintService::NewStub(service().channel());
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    complaint_ = File();
  }

  std::string File() {
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    C* complaint = request.mutable_complaint();
    complaint->set_kind(C::CORRUPTION);
    complaint->set_channel(C::WEBSITE);
    complaint->set_subject("เรียกรับเงินค่าอนุญาตก่อสร้าง");
    complaint->set_description("เจ้าหน้าที่เรียกเงินพิเศษ ๓,๐๐๐ บาท");
    complaint->mutable_complainant()->set_name("ผู้แจ้ง ทดสอบ");
    C created;
    EXPECT_THAT(
        stub_->CreateComplaint(service().Context(Caller::kOperator).get(),
                               request, &created),
        GrpcIsOk());
    return created.name();
  }

  grpc::Status Reveal() {
    v1::GetProtectedIdentityRequest request;
    request.set_name(complaint_);
    request.set_reason(std::string(kReason));
    v1::ProtectedIdentity identity;
    return stub_->GetProtectedIdentity(
        service().Context(Caller::kIntegrityOfficer).get(), request, &identity);
  }

  v1::IdentityAccessLogVerification Verify(
      const v1::IdentityAccessLogHead& known_head = {}) {
    v1::VerifyIdentityAccessLogRequest request;
    request.set_parent(std::string(kParent));
    *request.mutable_known_head() = known_head;
    v1::IdentityAccessLogVerification verdict;
    EXPECT_THAT(
        stub_->VerifyIdentityAccessLog(
            service().Context(Caller::kAuditor).get(), request, &verdict),
        GrpcIsOk());
    return verdict;
  }

  void Sql(absl::string_view sql) {
    ASSERT_TRUE(db_->Execute(sql).ok()) << sql;
  }

  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::unique_ptr<storage::Connection> db_;
  std::string complaint_;
};

TEST_P(AccessLogTest, ReadsAreChainedAndTheListShowsTheirPlace) {
  EXPECT_TRUE(Verify().intact());
  EXPECT_EQ(Verify().entry_count(), 0);
  for (int i = 0; i < 3; ++i) {
    ASSERT_THAT(Reveal(), GrpcIsOk());
    clock_.Advance(absl::Minutes(1));
  }
  const v1::IdentityAccessLogVerification verdict = Verify();
  EXPECT_TRUE(verdict.intact()) << verdict.problem();
  EXPECT_EQ(verdict.entry_count(), 3);
  EXPECT_EQ(verdict.head().sequence(), 3);

  v1::ListIdentityAccessesRequest request;
  request.set_parent(std::string(kParent));
  v1::ListIdentityAccessesResponse listed;
  ASSERT_THAT(stub_->ListIdentityAccesses(
                  service().Context(Caller::kAuditor).get(), request, &listed),
              GrpcIsOk());
  ASSERT_EQ(listed.accesses_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(listed.accesses(i).sequence(), i + 1);
    EXPECT_EQ(listed.accesses(i).entry_hash().size(), 64u);
  }
  EXPECT_EQ(listed.accesses(2).entry_hash(), verdict.head().entry_hash());
}

TEST_P(AccessLogTest, ConcurrentReadsTakeEverySequenceOnce) {
  constexpr int kThreads = 6;
  constexpr int kReadsEach = 5;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kReadsEach; ++i) EXPECT_THAT(Reveal(), GrpcIsOk());
    });
  }
  for (std::thread& thread : threads) thread.join();
  const v1::IdentityAccessLogVerification verdict = Verify();
  EXPECT_TRUE(verdict.intact()) << verdict.problem();
  EXPECT_EQ(verdict.entry_count(), kThreads * kReadsEach);
  EXPECT_EQ(verdict.head().sequence(), kThreads * kReadsEach);
}

TEST_P(AccessLogTest, AChangedReasonIsFoundWhereItWasChanged) {
  for (int i = 0; i < 4; ++i) ASSERT_THAT(Reveal(), GrpcIsOk());
  Sql("UPDATE identity_accesses SET reason = 'ไม่มีเหตุผล' WHERE sequence = 2");
  const v1::IdentityAccessLogVerification verdict = Verify();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 2);
  EXPECT_THAT(verdict.problem(), HasSubstr("does not match its hash"));
  // The service keeps recording reads; the break stays reported.
  ASSERT_THAT(Reveal(), GrpcIsOk());
  EXPECT_EQ(Verify().broken_at_sequence(), 2);
}

TEST_P(AccessLogTest, ADeletedOrSlippedInEntryIsFound) {
  for (int i = 0; i < 3; ++i) ASSERT_THAT(Reveal(), GrpcIsOk());
  Sql("DELETE FROM identity_accesses WHERE sequence = 2");
  v1::IdentityAccessLogVerification verdict = Verify();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 2);
  EXPECT_THAT(verdict.problem(), HasSubstr("missing"));

  Sql("DELETE FROM identity_accesses");
  ASSERT_THAT(Reveal(), GrpcIsOk());
  EXPECT_TRUE(Verify().intact());
  const std::string id = complaint_.substr(complaint_.rfind('/') + 1);
  Sql(absl::StrCat(
      "INSERT INTO identity_accesses (id, organization_code, complaint_id, "
      "reader, reason, read_time_us) VALUES ('forged', '6340101', '",
      id, "', 'nobody', 'ไม่ได้อ่านเลยจริง ๆ', 1)"));
  verdict = Verify();
  EXPECT_FALSE(verdict.intact());
  EXPECT_THAT(verdict.problem(), HasSubstr("outside the chain"));
}

TEST_P(AccessLogTest, AKnownHeadCatchesACutLog) {
  for (int i = 0; i < 3; ++i) ASSERT_THAT(Reveal(), GrpcIsOk());
  const v1::IdentityAccessLogHead head = Verify().head();
  Sql("DELETE FROM identity_accesses WHERE sequence = 3");
  EXPECT_TRUE(Verify().intact());  // a cut at the end looks whole alone
  const v1::IdentityAccessLogVerification verdict = Verify(head);
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 3);
  EXPECT_THAT(verdict.problem(), HasSubstr("the log was cut"));
}

TEST_P(AccessLogTest, OnlyAnAuditorVerifiesAndABadHeadIsRefused) {
  v1::VerifyIdentityAccessLogRequest request;
  request.set_parent(std::string(kParent));
  v1::IdentityAccessLogVerification verdict;
  EXPECT_THAT(stub_->VerifyIdentityAccessLog(
                  service().Context(Caller::kIntegrityOfficer).get(), request,
                  &verdict),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  request.mutable_known_head()->set_sequence(1);
  request.mutable_known_head()->set_entry_hash("not-a-hash");
  EXPECT_THAT(stub_->VerifyIdentityAccessLog(
                  service().Context(Caller::kAuditor).get(), request, &verdict),
              IsInvalidField("known_head.entry_hash"));
  request.clear_known_head();
  request.set_parent("plans/6340101");
  EXPECT_THAT(stub_->VerifyIdentityAccessLog(
                  service().Context(Caller::kAuditor).get(), request, &verdict),
              IsInvalidField("parent"));
}

// A database holding reads from before the chain (version 6) is upgraded:
// the migration numbers them and the started service hashes them, so the
// log verifies and new reads follow on.
TEST_P(AccessLogTest, ReadsFromBeforeTheChainAreChainedAtStart) {
  for (int i = 0; i < 2; ++i) ASSERT_THAT(Reveal(), GrpcIsOk());
  // What version 6 held: no hashes (the numbers the migration gives back).
  Sql("UPDATE identity_accesses SET entry_hash = ''");
  EXPECT_FALSE(Verify().intact());
  ASSERT_TRUE(ChainEntriesRecordedBeforeTheChain(*db_).ok());
  v1::IdentityAccessLogVerification verdict = Verify();
  EXPECT_TRUE(verdict.intact()) << verdict.problem();
  EXPECT_EQ(verdict.entry_count(), 2);

  // A read recorded before the start-up step ran chains them first.
  Sql("UPDATE identity_accesses SET entry_hash = ''");
  ASSERT_THAT(Reveal(), GrpcIsOk());
  verdict = Verify();
  EXPECT_TRUE(verdict.intact()) << verdict.problem();
  EXPECT_EQ(verdict.entry_count(), 3);
}

// The real upgrade: reads stored at schema version 6 (in two
// organizations, one with two reads in the same microsecond) are numbered by
// migration 7 in the order they were listed, then hashed.
TEST_P(AccessLogTest, TheUpgradeNumbersAndChainsEarlierReads) {
  std::string url;
  testing::NewScratchDatabase(GetParam(), "upgrade", &url);
  if (url.empty()) return;
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(url);
  ASSERT_TRUE(db.ok()) << db.status();
  std::vector<storage::Migration> migrations = Migrations();
  ASSERT_GE(migrations.size(), 7u);
  ASSERT_EQ(migrations[6].version, 7);
  ASSERT_TRUE(
      storage::Migrate(**db, "complaint", absl::MakeSpan(migrations).first(6))
          .ok());
  for (absl::string_view organization : {"6340101", "6340102"}) {
    ASSERT_TRUE(
        (*db)
            ->Execute(absl::StrCat("INSERT INTO complaints (id, "
                                   "organization_code, organization_name, "
                                   "organization_kind, province, district, "
                                   "kind, channel, subject, description, "
                                   "state, receive_time_us, due_time_us, "
                                   "create_time_us, creator, update_time_us, "
                                   "updater) VALUES ('c",
                                   organization, "', '", organization,
                                   "', 'อบต.', 1, 'p', 'd', 2, 1, 's', 'd', 1, "
                                   "0, 0, 0, 'x', 0, 'x')"))
            .ok());
  }
  // (read time, id) orders the list: b before a at time 20.
  for (const auto& [id, organization, time] :
       std::vector<std::tuple<std::string, std::string, int>>{
           {"a", "6340101", 20},
           {"b", "6340101", 20},
           {"c", "6340101", 10},
           {"d", "6340102", 30}}) {
    ASSERT_TRUE(
        (*db)
            ->Execute("INSERT INTO identity_accesses (id, "
                      "organization_code, complaint_id, reader, "
                      "reason, read_time_us) VALUES (?, ?, ?, 'r', "
                      "'เหตุผลของการอ่าน', ?)",
                      {id, organization, "c" + organization, int64_t{time}})
            .ok());
  }
  ASSERT_TRUE(storage::Migrate(**db, "complaint", migrations).ok());
  absl::StatusOr<storage::Result> numbered =
      (*db)->Execute("SELECT id, sequence FROM identity_accesses ORDER BY id");
  ASSERT_TRUE(numbered.ok()) << numbered.status();
  std::vector<std::pair<std::string, int64_t>> sequences;
  for (const storage::Row& row : numbered->rows) {
    sequences.emplace_back(row.GetText(0), row.GetInt(1));
  }
  EXPECT_THAT(sequences,
              ::testing::ElementsAre(std::pair<std::string, int64_t>{"a", 2},
                                     std::pair<std::string, int64_t>{"b", 3},
                                     std::pair<std::string, int64_t>{"c", 1},
                                     std::pair<std::string, int64_t>{"d", 1}));
  ASSERT_TRUE(ChainEntriesRecordedBeforeTheChain(**db).ok());
  for (absl::string_view organization : {"6340101", "6340102"}) {
    absl::StatusOr<v1::IdentityAccessLogVerification> verdict =
        VerifyIdentityAccessLog(**db, organization, {});
    ASSERT_TRUE(verdict.ok()) << verdict.status();
    EXPECT_TRUE(verdict->intact()) << verdict->problem();
    EXPECT_EQ(verdict->entry_count(), organization == "6340101" ? 3 : 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, AccessLogTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace prongsai::complaint
