// The CLI's register and template verbs as a process against a complaint
// service on loopback (SQLite): template-add, templates, reply with a
// template (placeholders filled), export to a file (BOM, one record per
// complaint, no tracking code), template-delete; and verify-accesses, the
// auditor's check of the identity-access log.
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "common/storage/storage.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/support/run_binary.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;
namespace kv1 = ::prongsai::complaint::v1;

class ComplaintCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::MakeScratchDir();
    const std::string keys_path = dir_ + "/api_keys";
    std::ofstream(keys_path)
        << auth::FormatKeyLine(auth::HashKey(key_), "cli-test", "SYSTEM", "*")
        << auth::FormatKeyLine(auth::HashKey(auditor_key_), "cli-auditor",
                               "AUDITOR,INTEGRITY_OFFICER", "*")
        << auth::FormatKeyLine(auth::HashKey(executive_key_), "cli-executive",
                               "EXECUTIVE", "6340101");
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.db_url = absl::StrCat("sqlite://", dir_, "/complaint.db");
    options.api_keys_path = keys_path;
    options.workers = 2;
    absl::StatusOr<std::unique_ptr<server::ServiceHost>> host =
        server::ServiceHost::Start(options,
                                   testing::ComplaintDefinitionForTest());
    ASSERT_THAT(host, IsOk());
    host_ = *std::move(host);
  }

  testing::BinaryRun Cli(std::vector<std::string> args) {
    return CliWithKey(std::move(args), key_);
  }
  testing::BinaryRun CliWithKey(std::vector<std::string> args,
                                const std::string& key) {
    args.push_back("--server");
    args.push_back(host_->address());
    return testing::RunBinary(PRONGSAI_CLI_BINARY, args,
                              {"PRONGSAI_API_KEY=" + key}, "PRONGSAI_");
  }

  // Files a general complaint through the API; returns its name and code.
  kv1::Complaint File() {
    auto stub = kv1::ComplaintService::NewStub(grpc::CreateChannel(
        host_->address(), grpc::InsecureChannelCredentials()));
    kv1::CreateComplaintRequest request;
    request.set_parent("organizations/6340101");
    request.mutable_complaint()->set_kind(kv1::Complaint::GENERAL);
    request.mutable_complaint()->set_channel(kv1::Complaint::PHONE);
    request.mutable_complaint()->set_subject("ไฟถนนดับ, ซอย \"๓\"");
    request.mutable_complaint()->set_description("มืดมาก");
    grpc::ClientContext context;
    kv1::Complaint created;
    EXPECT_TRUE(stub->CreateComplaint(&context, request, &created).ok());
    return created;
  }

  std::string dir_;
  const std::string key_ = auth::GenerateKey();
  const std::string auditor_key_ = auth::GenerateKey();
  const std::string executive_key_ = auth::GenerateKey();
  std::unique_ptr<server::ServiceHost> host_;
};

TEST_F(ComplaintCliTest, TemplatesRepliesAndTheRegisterFile) {
  testing::BinaryRun run =
      Cli({"complaint", "template-add", "visit", "--org", "6340101",
           "--display_name", "นัดตรวจ", "--parameters", "meeting_date",
           "--states", "received,in_progress", "--public_reply", "--text",
           "{organization} จะตรวจเรื่อง \"{subject}\" วันที่ {meeting_date}"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  run = Cli({"complaint", "template-add", "bad", "--org", "6340101",
             "--display_name", "ผิด", "--text", "วันที่ {meeting_date}"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, HasSubstr("reply_template.text"));

  run = Cli(
      {"complaint", "templates", "--org", "6340101", "--states", "received"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text,
              HasSubstr("organizations/6340101/replyTemplates/visit"));
  EXPECT_THAT(run.stdout_text, Not(HasSubstr("replyTemplates/bad")));
  run =
      Cli({"complaint", "templates", "--org", "6340101", "--states", "closed"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, Not(HasSubstr("replyTemplates/visit")));

  const kv1::Complaint complaint = File();
  run = Cli({"complaint", "reply", complaint.name(), "--template_id", "visit",
             "--values", "meeting_date=5 ต.ค. 2568"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text,
              HasSubstr("6340101 จะตรวจเรื่อง \"ไฟถนนดับ, ซอย \"๓\"\" วันที่ "
                        "5 ต.ค. 2568"));
  EXPECT_THAT(run.stdout_text, HasSubstr("PUBLIC"));

  const std::string file = dir_ + "/register.csv";
  // The service runs on the real clock: this fiscal year, in Thai digits.
  const std::string year =
      thai::AsciiDigitsToThai(absl::StrCat(thai::FiscalYearOf(
          absl::ToCivilDay(absl::Now(), thai::BangkokTimeZone()))));
  run = Cli({"complaint", "export", "--org", "6340101", "--year", year,
             "--file", file});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::ifstream in(file, std::ios::binary);
  const std::string content((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
  EXPECT_TRUE(absl::StartsWith(content, "\xEF\xBB\xBF"));
  // The header and one record; the subject quoted with its quotes doubled.
  EXPECT_EQ(std::vector<std::string>(absl::StrSplit(content, "\r\n")).size(),
            3u);
  EXPECT_THAT(content, HasSubstr("\"ไฟถนนดับ, ซอย \"\"๓\"\"\""));
  EXPECT_FALSE(absl::StrContains(content, complaint.tracking_code()));
  EXPECT_FALSE(absl::StrContains(run.stdout_text, "ไฟถนนดับ"));

  run = Cli({"complaint", "template-delete", "visit", "--org", "6340101"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  run = Cli({"complaint", "templates", "--org", "6340101"});
  EXPECT_THAT(run.stdout_text, Not(HasSubstr("replyTemplates/visit")));
}

// An auditor keeps the printed head; the next run with it passes while the
// log only grows, and exits 1 naming the break once the log lost its head.
TEST_F(ComplaintCliTest, VerifyAccessesPrintsTheHeadAndFindsACut) {
  const kv1::Complaint complaint = File();
  auto stub = kv1::ComplaintService::NewStub(grpc::CreateChannel(
      host_->address(), grpc::InsecureChannelCredentials()));
  auto reveal = [&] {
    kv1::GetProtectedIdentityRequest request;
    request.set_name(complaint.name());
    request.set_reason("ตรวจสอบตามคำสั่งที่ ๒/๒๕๖๙");
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + auditor_key_);
    kv1::ProtectedIdentity identity;
    EXPECT_TRUE(stub->GetProtectedIdentity(&context, request, &identity).ok());
  };
  reveal();
  reveal();
  testing::BinaryRun run = CliWithKey(
      {"complaint", "verify-accesses", "--org", "6340101"}, auditor_key_);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("intact"));
  EXPECT_THAT(run.stdout_text, HasSubstr("yes"));
  const size_t at = run.stdout_text.find("2:");
  ASSERT_NE(at, std::string::npos) << run.stdout_text;
  const std::string head = run.stdout_text.substr(at, 2 + 64);

  reveal();
  run = CliWithKey({"complaint", "verify-accesses", "--org", "6340101",
                    "--known_head", head},
                   auditor_key_);
  EXPECT_EQ(run.exit_code, 0) << run.stdout_text;

  // The operator, with the database, cuts the last two reads.
  absl::StatusOr<std::unique_ptr<storage::Connection>> db =
      storage::Connect(absl::StrCat("sqlite://", dir_, "/complaint.db"));
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(
      (*db)->Execute("DELETE FROM identity_accesses WHERE sequence >= 2"),
      IsOk());
  run = CliWithKey({"complaint", "verify-accesses", "--org", "6340101",
                    "--known_head", head},
                   auditor_key_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stdout_text, HasSubstr("the log was cut"));

  run = CliWithKey({"complaint", "verify-accesses", "--org", "6340101",
                    "--known_head", "two:abc"},
                   auditor_key_);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.stderr_text, HasSubstr("--known_head is SEQUENCE:HASH"));
}

TEST_F(ComplaintCliTest, RetentionVerbsSetThePolicyAndListErasures) {
  testing::BinaryRun run = CliWithKey(
      {"complaint", "retention", "--org", "6340101", "--general_days", "45"},
      executive_key_);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("45"));
  EXPECT_THAT(run.stdout_text, HasSubstr("1825"));  // kept as it was
  EXPECT_THAT(run.stdout_text, HasSubstr("cli-executive"));

  run = CliWithKey(
      {"complaint", "retention", "--org", "6340101", "--warning_days", "400"},
      executive_key_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, HasSubstr("retention_policy.warning_days"));
  run =
      CliWithKey({"complaint", "retention", "--org", "6340101"}, auditor_key_);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("45"));
  EXPECT_THAT(run.stdout_text, Not(HasSubstr("400")));

  run = CliWithKey({"complaint", "pending-erasures", "--org", "6340101"},
                   auditor_key_);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("ERASED AT"));

  const kv1::Complaint complaint = File();
  run = CliWithKey({"complaint", "erase-contact", complaint.name()},
                   auditor_key_);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.stderr_text, HasSubstr("--reference"));
  run = CliWithKey({"complaint", "erase-contact", complaint.name(),
                    "--reference", "คำร้องที่ ๑/๒๕๖๙"},
                   auditor_key_);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, HasSubstr("has not ended"));
  run = CliWithKey({"complaint", "erasures", "--org", "6340101"}, auditor_key_);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text, HasSubstr("REASON"));
  EXPECT_THAT(run.stdout_text, Not(HasSubstr("DATA_SUBJECT_REQUEST")));
}

}  // namespace
}  // namespace prongsai
