// Retention of identities under the PDPA, through the service on both
// databases: an organization's policy and its validation, the erasures the
// integrity officer is shown before they happen, the erasure itself (the
// sealed values gone from the database, the identity no longer readable,
// the log naming what went, statistics unchanged), a shortened policy that
// still waits for its warning period, and a data subject's request to erase
// the contact details of an ended general complaint.
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
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
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using C = v1::Complaint;

constexpr absl::string_view kPolicy = "organizations/6340101/retentionPolicy";
constexpr absl::string_view kReason = "ตรวจสอบข้อเท็จจริงตามคำสั่งที่ ๑/๒๕๖๙";

class RetentionTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    StartService(complaint::ComplaintServiceDefinition(options_));
    if (IsSkipped()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::ComplaintService::NewStub(service().channel());
  }

  std::string File(C::Kind kind) {
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    C* complaint = request.mutable_complaint();
    complaint->set_kind(kind);
    complaint->set_channel(C::WEBSITE);
    complaint->set_subject("ถนนชำรุดหน้าโรงเรียน");
    complaint->set_description("หลุมลึกประมาณ ๓๐ เซนติเมตร");
    complaint->mutable_complainant()->set_name("สมหญิง ใจดี");
    complaint->mutable_complainant()->set_contact("081-234-5678");
    if (kind == C::CORRUPTION) {
      complaint->mutable_accused()->set_name("นายช่าง ผู้ถูกร้อง");
    }
    C created;
    EXPECT_THAT(
        stub_->CreateComplaint(service().Context(Caller::kOperator).get(),
                               request, &created),
        GrpcIsOk());
    return created.name();
  }

  // Withdraws `name` (the caller that may move its kind).
  void End(const std::string& name, C::Kind kind) {
    v1::TransitionComplaintRequest request;
    request.set_name(name);
    request.set_target_state(C::WITHDRAWN);
    request.set_note("ผู้ร้องขอถอนเรื่อง");
    C moved;
    ASSERT_THAT(
        stub_->TransitionComplaint(
            service()
                .Context(kind == C::CORRUPTION ? Caller::kIntegrityOfficer
                                               : Caller::kOperator)
                .get(),
            request, &moved),
        GrpcIsOk());
    EXPECT_TRUE(moved.has_end_time());
  }

  C Get(const std::string& name) {
    v1::GetComplaintRequest request;
    request.set_name(name);
    C complaint;
    EXPECT_THAT(stub_->GetComplaint(service().Context(Caller::kSystem).get(),
                                    request, &complaint),
                GrpcIsOk());
    return complaint;
  }

  grpc::Status Reveal(const std::string& name,
                      v1::ProtectedIdentity* identity) {
    v1::GetProtectedIdentityRequest request;
    request.set_name(name);
    request.set_reason(std::string(kReason));
    return stub_->GetProtectedIdentity(
        service().Context(Caller::kIntegrityOfficer).get(), request, identity);
  }

  grpc::Status SetPolicy(Caller caller, int general, int corruption,
                         int warning, v1::RetentionPolicy* out = nullptr,
                         absl::string_view name = kPolicy) {
    v1::UpdateRetentionPolicyRequest request;
    v1::RetentionPolicy* policy = request.mutable_retention_policy();
    policy->set_name(std::string(name));
    policy->set_general_retention_days(general);
    policy->set_corruption_retention_days(corruption);
    policy->set_warning_days(warning);
    v1::RetentionPolicy ignored;
    return stub_->UpdateRetentionPolicy(service().Context(caller).get(),
                                        request, out ? out : &ignored);
  }

  v1::RetentionPolicy Policy() {
    v1::GetRetentionPolicyRequest request;
    request.set_name(std::string(kPolicy));
    v1::RetentionPolicy policy;
    EXPECT_THAT(stub_->GetRetentionPolicy(
                    service().Context(Caller::kIntegrityOfficer).get(), request,
                    &policy),
                GrpcIsOk());
    return policy;
  }

  std::vector<v1::PendingErasure> Pending() {
    v1::ListPendingErasuresRequest request;
    request.set_parent(std::string(kParent));
    v1::ListPendingErasuresResponse response;
    EXPECT_THAT(stub_->ListPendingErasures(
                    service().Context(Caller::kIntegrityOfficer).get(), request,
                    &response),
                GrpcIsOk());
    return {response.erasures().begin(), response.erasures().end()};
  }

  std::vector<v1::IdentityErasure> Erasures() {
    v1::ListIdentityErasuresRequest request;
    request.set_parent(std::string(kParent));
    v1::ListIdentityErasuresResponse response;
    EXPECT_THAT(
        stub_->ListIdentityErasures(service().Context(Caller::kAuditor).get(),
                                    request, &response),
        GrpcIsOk());
    return {response.erasures().begin(), response.erasures().end()};
  }

  grpc::Status EraseContact(Caller caller, const std::string& name,
                            absl::string_view reference,
                            v1::IdentityErasure* out = nullptr) {
    v1::EraseComplainantContactRequest request;
    request.set_name(name);
    request.set_request_reference(std::string(reference));
    v1::IdentityErasure ignored;
    return stub_->EraseComplainantContact(service().Context(caller).get(),
                                          request, out ? out : &ignored);
  }

  v1::ComplaintStatistics Statistics() {
    v1::GetComplaintStatisticsRequest request;
    request.set_parent(std::string(kParent));
    request.mutable_fiscal_year()->set_be_year(2569);
    v1::ComplaintStatistics statistics;
    EXPECT_THAT(
        stub_->GetComplaintStatistics(service().Context(Caller::kAuditor).get(),
                                      request, &statistics),
        GrpcIsOk());
    return statistics;
  }

  // What the database holds for the complaint, sealed.
  std::vector<std::string> SealedColumns(const std::string& name) {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return {};
    absl::StatusOr<storage::Result> rows = (*db)->Execute(
        "SELECT complainant_sealed, accused_sealed, tracking_sealed FROM "
        "complaints WHERE id = ?",
        {name.substr(name.rfind('/') + 1)});
    EXPECT_TRUE(rows.ok()) << rows.status();
    if (!rows.ok() || rows->rows.size() != 1) return {};
    return {rows->rows[0].GetText(0), rows->rows[0].GetText(1),
            rows->rows[0].GetText(2)};
  }

  // Whether the bytes of `value` are anywhere in the SQLite database's
  // files (the database and its write-ahead log).
  bool InSqliteFiles(const std::string& value) {
    std::string path = service().db_url();
    path.erase(0, std::string("sqlite://").size());
    for (const std::string& file : {path, path + "-wal"}) {
      std::ifstream in(file, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (bytes.find(value) != std::string::npos) return true;
    }
    return false;
  }

  // Puts `sealed` (SealedColumns of an earlier moment) back into the row,
  // not erased, as a restored copy of the register from then would hold it
  // (with the complaint keys of now).
  void RestoreSealedColumns(const std::string& name,
                            const std::vector<std::string>& sealed) {
    ASSERT_EQ(sealed.size(), 3u);
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    ASSERT_TRUE(db.ok()) << db.status();
    absl::StatusOr<storage::Result> updated = (*db)->Execute(
        "UPDATE complaints SET complainant_sealed = ?, accused_sealed = ?, "
        "tracking_sealed = ?, identities_erase_time_us = NULL WHERE id = ?",
        {sealed[0], sealed[1], sealed[2], name.substr(name.rfind('/') + 1)});
    ASSERT_TRUE(updated.ok()) << updated.status();
    ASSERT_EQ(updated->affected_rows, 1);
  }

  int64_t KeysHeld() {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return -1;
    absl::StatusOr<storage::Result> rows =
        (*db)->Execute("SELECT COUNT(*) FROM complaint_keys");
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? rows->rows[0].GetInt(0) : -1;
  }

  void Housekeep() {
    clock_.Advance(absl::Minutes(2));  // past the once-a-minute pass
    ASSERT_TRUE(service().host().CheckHealthNow());
  }

  const ComplaintOptions options_ = testing::ComplaintOptionsForTest();
  std::unique_ptr<v1::ComplaintService::Stub> stub_;
};

TEST_P(RetentionTest, APolicyHasDefaultsAndIsCheckedFieldByField) {
  v1::RetentionPolicy policy = Policy();
  EXPECT_EQ(policy.name(), kPolicy);
  EXPECT_EQ(policy.general_retention_days(), 365);
  EXPECT_EQ(policy.corruption_retention_days(), 1825);
  EXPECT_EQ(policy.warning_days(), 30);
  EXPECT_FALSE(policy.has_audit());

  EXPECT_THAT(SetPolicy(Caller::kExecutive, 29, 0, 0),
              IsInvalidField("retention_policy.general_retention_days"));
  EXPECT_THAT(SetPolicy(Caller::kExecutive, 0, 3651, 0),
              IsInvalidField("retention_policy.corruption_retention_days"));
  EXPECT_THAT(SetPolicy(Caller::kExecutive, 0, 0, 366),
              IsInvalidField("retention_policy.warning_days"));
  EXPECT_THAT(SetPolicy(Caller::kExecutive, 60, 0, 0, nullptr,
                        "organizations/6340101/retentionPolicies"),
              IsInvalidField("retention_policy.name"));
  // Only the organization's executive sets it.
  EXPECT_THAT(SetPolicy(Caller::kOperator, 60, 0, 0),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(SetPolicy(Caller::kExecutive, 60, 0, 0, nullptr,
                        "organizations/9999999/retentionPolicy"),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_FALSE(Policy().has_audit()) << "a refused update changed it";

  ASSERT_THAT(SetPolicy(Caller::kExecutive, 60, 0, 10, &policy), GrpcIsOk());
  EXPECT_EQ(policy.general_retention_days(), 60);
  EXPECT_EQ(policy.corruption_retention_days(), 1825);
  EXPECT_EQ(policy.warning_days(), 10);
  EXPECT_EQ(policy.audit().updater(), "executive-6340101");
  EXPECT_EQ(Policy().general_retention_days(), 60);
}

TEST_P(RetentionTest, IdentitiesAreShownBeforehandThenErasedForGood) {
  ASSERT_THAT(SetPolicy(Caller::kExecutive, 30, 60, 7), GrpcIsOk());
  const std::string general = File(C::GENERAL);
  const std::string corruption = File(C::CORRUPTION);
  const std::string open = File(C::GENERAL);
  End(general, C::GENERAL);
  End(corruption, C::CORRUPTION);
  const absl::Time ended = clock_.Now();

  clock_.Advance(absl::Hours(24) * 22);
  Housekeep();
  EXPECT_TRUE(Pending().empty()) << "listed before its warning period";

  clock_.Advance(absl::Hours(24) * 2);
  std::vector<v1::PendingErasure> pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].complaint(), general);
  EXPECT_EQ(pending[0].kind(), C::GENERAL);
  EXPECT_EQ(api::FromProtoTime(pending[0].erase_time()),
            ended + absl::Hours(24) * 30);
  EXPECT_TRUE(pending[0].has_complainant_identity());
  EXPECT_FALSE(pending[0].has_accused_identity());
  Housekeep();
  EXPECT_FALSE(SealedColumns(general)[0].empty()) << "erased before its time";

  clock_.Advance(absl::Hours(24) * 6);
  const v1::ComplaintStatistics before = Statistics();
  const std::string sealed = SealedColumns(general)[0];
  const bool sqlite = GetParam() == Backend::kSqlite;
  if (sqlite) {
    ASSERT_TRUE(InSqliteFiles(sealed));
  }
  Housekeep();
  EXPECT_THAT(SealedColumns(general), ElementsAre("", "", ""));
  // Not in a free page or an old log frame either: a copy of the file
  // taken now holds nothing of it. (PostgreSQL keeps the old row version
  // until VACUUM reuses its space; see docs/security.md.)
  if (sqlite) {
    EXPECT_FALSE(InSqliteFiles(sealed));
  }
  const C erased = Get(general);
  EXPECT_FALSE(erased.has_complainant_identity());
  EXPECT_TRUE(erased.has_identities_erase_time());
  v1::ProtectedIdentity identity;
  grpc::Status status = Reveal(general, &identity);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(status.error_message(), HasSubstr("retention policy"));
  // The others are still there.
  ASSERT_THAT(Reveal(corruption, &identity), GrpcIsOk());
  EXPECT_EQ(identity.accused().name(), "นายช่าง ผู้ถูกร้อง");
  ASSERT_THAT(Reveal(open, &identity), GrpcIsOk());
  EXPECT_EQ(identity.complainant().contact(), "081-234-5678");
  // The statistics, taken at the same moment, do not move.
  v1::ComplaintStatistics after = Statistics();
  after.clear_period_end();
  v1::ComplaintStatistics expected = before;
  expected.clear_period_end();
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(after, expected))
      << "before:\n"
      << before.DebugString() << "after:\n"
      << after.DebugString();

  clock_.Advance(absl::Hours(24) * 30);
  Housekeep();
  Housekeep();  // a second pass erases nothing twice
  EXPECT_THAT(SealedColumns(corruption), ElementsAre("", "", ""));
  EXPECT_FALSE(SealedColumns(open)[0].empty());
  const std::vector<v1::IdentityErasure> log = Erasures();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].complaint(), general);
  EXPECT_EQ(log[0].reason(), v1::IdentityErasure::RETENTION_EXPIRED);
  EXPECT_THAT(log[0].erased_fields(), ElementsAre("complainant"));
  EXPECT_EQ(log[0].actor(), "retention");
  EXPECT_EQ(log[1].complaint(), corruption);
  EXPECT_THAT(log[1].erased_fields(), ElementsAre("complainant", "accused"));
  EXPECT_TRUE(Pending().empty());
}

// Erasure deletes the complaint's own key: the sealed values an older
// backup of the register holds no longer open, even with the protection
// key file of the deployment.
TEST_P(RetentionTest, AnOlderCopyOfAnErasedIdentityNoLongerOpens) {
  ASSERT_THAT(SetPolicy(Caller::kExecutive, 30, 30, 7), GrpcIsOk());
  const std::string corruption = File(C::CORRUPTION);
  const std::string kept = File(C::CORRUPTION);
  End(corruption, C::CORRUPTION);
  v1::ProtectedIdentity identity;
  ASSERT_THAT(Reveal(corruption, &identity), GrpcIsOk());
  EXPECT_EQ(identity.accused().name(), "นายช่าง ผู้ถูกร้อง");
  const std::vector<std::string> backup = SealedColumns(corruption);
  ASSERT_FALSE(backup.at(1).empty());
  EXPECT_EQ(KeysHeld(), 2);

  clock_.Advance(absl::Hours(24) * 31);
  Housekeep();
  EXPECT_THAT(SealedColumns(corruption), ElementsAre("", "", ""));
  EXPECT_EQ(KeysHeld(), 1) << "the erased complaint's key is still held";

  ASSERT_NO_FATAL_FAILURE(RestoreSealedColumns(corruption, backup));
  identity.Clear();
  const grpc::Status restored = Reveal(corruption, &identity);
  EXPECT_THAT(restored, GrpcStatusIs(grpc::StatusCode::DATA_LOSS));
  EXPECT_THAT(restored.error_message(), HasSubstr("key is gone"));
  EXPECT_FALSE(identity.has_complainant());
  EXPECT_FALSE(identity.has_accused());
  // The complaint that was not erased still opens.
  ASSERT_THAT(Reveal(kept, &identity), GrpcIsOk());
  EXPECT_EQ(identity.complainant().contact(), "081-234-5678");
}

// A complaint filed before complaints had keys: its values sealed under
// the protection keys and no key of its own. It still opens, and
// housekeeping gives it a key, so that its erasure will be as final.
TEST_P(RetentionTest, AComplaintFiledBeforeComplaintsHadKeysGetsItsOwn) {
  const std::string name = File(C::CORRUPTION);
  const std::string id = name.substr(name.rfind('/') + 1);
  v1::Person complainant;
  complainant.set_name("สมหญิง ใจดี");
  complainant.set_contact("081-234-5678");
  v1::Person accused;
  accused.set_name("นายช่าง ผู้ถูกร้อง");
  const ProtectionKeys& keys = options_.keys;
  const std::vector<std::string> older = {
      keys.Seal(complainant.SerializeAsString(),
                absl::StrCat(name, "#complainant")),
      keys.Seal(accused.SerializeAsString(), absl::StrCat(name, "#accused")),
      keys.Seal("ABCD-EFGH-JKMN-PQRS-T", name)};
  ASSERT_NO_FATAL_FAILURE(RestoreSealedColumns(name, older));
  {
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(service().db_url());
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Execute("DELETE FROM complaint_keys").ok());
  }
  v1::ProtectedIdentity identity;
  ASSERT_THAT(Reveal(name, &identity), GrpcIsOk());
  EXPECT_EQ(identity.complainant().contact(), "081-234-5678");

  Housekeep();
  const std::vector<std::string> keyed = SealedColumns(name);
  ASSERT_EQ(keyed.size(), 3u);
  for (const std::string& value : keyed) {
    EXPECT_TRUE(ComplaintKey::SealsUnderOwnKey(value)) << value;
  }
  EXPECT_EQ(KeysHeld(), 1);
  identity.Clear();
  ASSERT_THAT(Reveal(name, &identity), GrpcIsOk());
  EXPECT_EQ(identity.complainant().name(), "สมหญิง ใจดี");
  EXPECT_EQ(identity.complainant().contact(), "081-234-5678");
  EXPECT_EQ(identity.accused().name(), "นายช่าง ผู้ถูกร้อง");
  Housekeep();  // nothing left to do: unchanged
  EXPECT_EQ(SealedColumns(name), keyed);
}

TEST_P(RetentionTest, AShortenedPolicyStillWaitsForItsWarningPeriod) {
  const std::string general = File(C::GENERAL);
  End(general, C::GENERAL);
  clock_.Advance(absl::Hours(24) * 100);
  Housekeep();
  EXPECT_TRUE(Pending().empty()) << "the default keeps it a year";

  // From a year to 30 days: due long ago, but shown for 10 days first.
  const absl::Time changed = clock_.Now();
  ASSERT_THAT(SetPolicy(Caller::kExecutive, 30, 0, 10), GrpcIsOk());
  std::vector<v1::PendingErasure> pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(api::FromProtoTime(pending[0].erase_time()),
            changed + absl::Hours(24) * 10);
  Housekeep();
  clock_.Advance(absl::Hours(24) * 9);
  Housekeep();
  EXPECT_FALSE(SealedColumns(general)[0].empty()) << "erased without warning";
  clock_.Advance(absl::Hours(24) * 1);
  Housekeep();
  EXPECT_TRUE(SealedColumns(general)[0].empty());
}

TEST_P(RetentionTest, ADataSubjectHasTheContactOfAnEndedComplaintErased) {
  const std::string general = File(C::GENERAL);
  EXPECT_THAT(EraseContact(Caller::kOperator, general, "คำร้องที่ ๑๒/๒๕๖๙"),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION))
      << "erased while the case is open";
  End(general, C::GENERAL);
  EXPECT_THAT(EraseContact(Caller::kOperator, general, ""),
              IsInvalidField("request_reference"));
  EXPECT_THAT(EraseContact(Caller::kExecutive, general, "คำร้องที่ ๑๒/๒๕๖๙"),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_TRUE(Erasures().empty()) << "a refused request was logged";

  const std::string sealed = SealedColumns(general)[0];
  v1::IdentityErasure erasure;
  ASSERT_THAT(
      EraseContact(Caller::kOperator, general, "คำร้องที่ ๑๒/๒๕๖๙", &erasure),
      GrpcIsOk());
  EXPECT_NE(SealedColumns(general)[0], sealed);
  if (GetParam() == Backend::kSqlite) {
    EXPECT_FALSE(InSqliteFiles(sealed)) << "the old identity is still on disk";
  }
  EXPECT_EQ(erasure.complaint(), general);
  EXPECT_EQ(erasure.reason(), v1::IdentityErasure::DATA_SUBJECT_REQUEST);
  EXPECT_THAT(erasure.erased_fields(), ElementsAre("complainant.contact"));
  EXPECT_EQ(erasure.actor(), "operator-6340101");
  EXPECT_EQ(erasure.request_reference(), "คำร้องที่ ๑๒/๒๕๖๙");
  EXPECT_THAT(erasure.name(),
              HasSubstr("organizations/6340101/identityErasures/"));

  v1::ProtectedIdentity identity;
  ASSERT_THAT(Reveal(general, &identity), GrpcIsOk());
  EXPECT_EQ(identity.complainant().name(), "สมหญิง ใจดี");
  EXPECT_EQ(identity.complainant().contact(), "");
  EXPECT_THAT(EraseContact(Caller::kOperator, general, "คำร้องที่ ๑๓/๒๕๖๙"),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION))
      << "nothing left to erase";
  const std::vector<v1::IdentityErasure> log = Erasures();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].name(), erasure.name());
  // The rest was sealed again under a new key: the contact an older
  // backup holds no longer opens.
  const std::vector<std::string> now = SealedColumns(general);
  ASSERT_NO_FATAL_FAILURE(
      RestoreSealedColumns(general, {sealed, now.at(1), now.at(2)}));
  EXPECT_THAT(Reveal(general, &identity),
              GrpcStatusIs(grpc::StatusCode::DATA_LOSS));

  // A corruption reporter's identity stays for the reporter's protection.
  const std::string corruption = File(C::CORRUPTION);
  End(corruption, C::CORRUPTION);
  EXPECT_THAT(
      EraseContact(Caller::kIntegrityOfficer, corruption, "คำร้องที่ ๑๔/๒๕๖๙"),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
}

// Erasing began when the service first ran (here: when the test started
// it). A case that had ended long before is due at once, but an
// organization that never set a policy counts the warning period from then.
TEST_P(RetentionTest, ErasingThatBeginsShowsWhatIsOverdueFirst) {
  const absl::Time start = testing::FakeClock::DefaultStart();
  const std::string general = File(C::GENERAL);
  End(general, C::GENERAL);
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(service().db_url());
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE((*db)
                  ->Execute("UPDATE complaints SET end_time_us = ?",
                            {absl::ToUnixMicros(start - absl::Hours(24) * 400)})
                  .ok());
  Housekeep();
  EXPECT_FALSE(SealedColumns(general)[0].empty()) << "erased without warning";
  std::vector<v1::PendingErasure> pending = Pending();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(api::FromProtoTime(pending[0].erase_time()),
            start + absl::Hours(24) * 30);
  clock_.Advance(absl::Hours(24) * 30);
  Housekeep();
  EXPECT_TRUE(SealedColumns(general)[0].empty());
}

// The real upgrade to schema version 8: a case that had ended takes its
// last update as its end (never earlier than the true end, so never erased
// sooner than its policy says); an open one has none.
TEST_P(RetentionTest, TheUpgradeTakesTheLastUpdateAsTheEnd) {
  std::string url;
  testing::NewScratchDatabase(GetParam(), "upgrade", &url);
  if (url.empty()) return;
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(url);
  ASSERT_TRUE(db.ok()) << db.status();
  std::vector<storage::Migration> migrations = Migrations();
  ASSERT_GE(migrations.size(), 8u);
  ASSERT_EQ(migrations[7].version, 8);
  ASSERT_TRUE(
      storage::Migrate(**db, "complaint", absl::MakeSpan(migrations).first(7))
          .ok());
  for (const auto& [id, state] : std::vector<std::pair<std::string, int>>{
           {"closed", C::CLOSED}, {"open", C::IN_PROGRESS}}) {
    ASSERT_TRUE((*db)
                    ->Execute("INSERT INTO complaints (id, organization_code, "
                              "organization_name, organization_kind, province, "
                              "district, kind, channel, subject, description, "
                              "state, receive_time_us, due_time_us, "
                              "create_time_us, creator, update_time_us, "
                              "updater) VALUES (?, '6340101', 'อบต.', 1, 'p', "
                              "'d', 1, 1, 's', 'd', ?, 0, 0, 0, 'x', 5000, "
                              "'x')",
                              {id, int64_t{state}})
                    .ok());
  }
  ASSERT_TRUE(storage::Migrate(**db, "complaint", migrations).ok());
  absl::StatusOr<storage::Result> rows = (*db)->Execute(
      "SELECT id, end_time_us, identities_erase_time_us FROM complaints "
      "ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->rows.size(), 2u);
  EXPECT_EQ(rows->rows[0].GetText(0), "closed");
  EXPECT_EQ(rows->rows[0].GetOptionalInt(1), std::optional<int64_t>(5000));
  EXPECT_TRUE(rows->rows[0].IsNull(2));
  EXPECT_EQ(rows->rows[1].GetText(0), "open");
  EXPECT_TRUE(rows->rows[1].IsNull(1));
}

INSTANTIATE_TEST_SUITE_P(Backends, RetentionTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         testing::BackendName);

}  // namespace
}  // namespace prongsai::complaint
