// The `prongsai` command-line client run as a process against real
// complaint and ITA services on loopback: an API key is sent without the
// whitespace around it and never printed, absent statistics and peer
// figures read "-", not "0", and `ita migrate` previews, then moves.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/auth/key_ring.h"
#include "common/server/server_host.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "prongsai/ita/v1/ita.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "services/ita/ita_service.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/ita/corrected_framework.h"
#include "tests/services/service_test_util.h"
#include "tests/support/run_binary.h"
#include "tests/support/test_env.h"

namespace prongsai {
namespace {

using ::prongsai::testing::IsOk;
using ::testing::HasSubstr;

// Whether `text` shows any part of `key` long enough to matter, checked
// without printing `text` (it may hold the key).
bool ShowsKey(const std::string& text, const std::string& key) {
  for (size_t start = 0; start + 12 <= key.size(); start += 4) {
    if (absl::StrContains(text, key.substr(start, 12))) return true;
  }
  return false;
}

using CliRun = testing::BinaryRun;

// Runs the built CLI with `args` and the test's environment minus any
// PRONGSAI_* variable, plus `env` ("NAME=value").
CliRun RunCli(const std::vector<std::string>& args,
              const std::vector<std::string>& env = {}) {
  return testing::RunBinary(PRONGSAI_CLI_BINARY, args, env, "PRONGSAI_");
}

// The value column of the row of `figure` in the CLI's table of totals.
std::string FigureValue(const std::string& table, absl::string_view figure) {
  for (absl::string_view line : absl::StrSplit(table, '\n')) {
    if (absl::ConsumePrefix(&line, figure) && absl::StartsWith(line, "  ")) {
      return std::string(absl::StripLeadingAsciiWhitespace(line));
    }
  }
  return "<no row " + std::string(figure) + ">";
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<server::ServiceHost>> host =
        StartHost("AUDITOR", testing::ComplaintDefinitionForTest());
    ASSERT_THAT(host, IsOk());
    host_ = *std::move(host);
  }

  // `definition` on its own SQLite file, where the key has `role`.
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> StartHost(
      absl::string_view role, server::ServiceDefinition definition) const {
    const std::string dir = testing::MakeScratchDir();
    const std::string keys_path = dir + "/api_keys";
    std::ofstream(keys_path)
        << auth::FormatKeyLine(auth::HashKey(key_), "cli-test", role, "*");
    server::ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.db_url = absl::StrCat("sqlite://", dir, "/service.db");
    options.api_keys_path = keys_path;
    options.workers = 2;
    return server::ServiceHost::Start(options, std::move(definition));
  }

  // Full statistics of FY2569 (nothing filed), as the key's holder.
  std::vector<std::string> StatsArgs() const {
    return {"complaint", "stats",   "--server", host_->address(),
            "--org",     "6340101", "--year",   "2569"};
  }

  // An ITA service, where the key is SYSTEM's.
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> StartIta() const {
    absl::StatusOr<server::ServiceDefinition> definition =
        ita::ItaServiceDefinition();
    if (!definition.ok()) return definition.status();
    return StartHost("SYSTEM", *std::move(definition));
  }

  std::unique_ptr<grpc::ClientContext> Context() const {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata("authorization", "Bearer " + key_);
    return context;
  }

  const std::string key_ = auth::GenerateKey();
  std::unique_ptr<server::ServiceHost> host_;
};

TEST_F(CliTest, Issue17Item12_KeyWithTrailingCrLfIsTrimmedNeverPrinted) {
  for (const std::string& padded :
       {key_ + "\r\n", key_ + "\n", " \t" + key_ + "\r\n"}) {
    CliRun run = RunCli(StatsArgs(), {"PRONGSAI_API_KEY=" + padded});
    EXPECT_EQ(run.exit_code, 0) << run.stderr_text.size() << " bytes on stderr";
    EXPECT_TRUE(absl::StrContains(run.stdout_text, "received"));
    EXPECT_FALSE(ShowsKey(run.stderr_text, key_)) << "stderr shows the key";
    EXPECT_FALSE(ShowsKey(run.stdout_text, key_)) << "stdout shows the key";
  }
  // The flag too.
  std::vector<std::string> args = StatsArgs();
  args.push_back("--api_key=" + key_ + "\r\n");
  CliRun run = RunCli(args);
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_FALSE(ShowsKey(run.stderr_text, key_)) << "stderr shows the key";

  // What cannot be trimmed is a usage error that does not show the key.
  for (const std::string& broken :
       {key_.substr(0, 28) + "\r\n" + key_.substr(28),
        key_.substr(0, 28) + " " + key_.substr(28),
        key_.substr(0, 28) + "\x01" + key_.substr(28)}) {
    run = RunCli(StatsArgs(), {"PRONGSAI_API_KEY=" + broken});
    EXPECT_EQ(run.exit_code, 2);
    EXPECT_TRUE(absl::StrContains(run.stderr_text, "API key"));
    EXPECT_FALSE(ShowsKey(run.stderr_text, key_)) << "stderr shows the key";
  }
  // An unknown key is refused by the server, and not shown either.
  const std::string unknown = auth::GenerateKey();
  run = RunCli(StatsArgs(), {"PRONGSAI_API_KEY=" + unknown + "\n"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(run.stderr_text, "UNAUTHENTICATED"));
  EXPECT_FALSE(ShowsKey(run.stderr_text, unknown)) << "stderr shows the key";
}

TEST_F(CliTest, Issue17Item18_AbsentStatisticsReadAsDash) {
  CliRun run = RunCli(StatsArgs(), {"PRONGSAI_API_KEY=" + key_});
  ASSERT_EQ(run.exit_code, 0);
  // Nothing filed: the counts are 0, the figures of nothing are absent.
  EXPECT_EQ(FigureValue(run.stdout_text, "received"), "0");
  EXPECT_EQ(FigureValue(run.stdout_text, "completed"), "0");
  EXPECT_EQ(FigureValue(run.stdout_text, "ratings"), "0");
  EXPECT_EQ(FigureValue(run.stdout_text, "mean days to acknowledge"), "-");
  EXPECT_EQ(FigureValue(run.stdout_text, "mean days to resolve"), "-");
  EXPECT_EQ(FigureValue(run.stdout_text, "% resolved within SLA"), "-");
  EXPECT_EQ(FigureValue(run.stdout_text, "% satisfied (4-5)"), "-");
  // JSON leaves absent figures out and keeps the zeros.
  std::vector<std::string> args = StatsArgs();
  args.push_back("--json");
  run = RunCli(args, {"PRONGSAI_API_KEY=" + key_});
  ASSERT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.stdout_text, HasSubstr("\"received\": \"0\""));
  EXPECT_THAT(run.stdout_text,
              ::testing::Not(HasSubstr("mean_days_to_acknowledge")));
  EXPECT_THAT(run.stdout_text, ::testing::Not(HasSubstr("percent_satisfied")));
}

// Issue 17 items 16 and 18: `ita peers` printed rank 0, percentile 0.0,
// mean 0.00 and pass rate 0.0% for a group too small to show figures about
// the others (all absent in the API). They read "-", and it says why.
TEST_F(CliTest, Issue17Item16_SmallPeerGroupReadsAsDashes) {
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> host = StartIta();
  ASSERT_THAT(host, IsOk());
  auto stub = ita::v1::AssessmentService::NewStub(grpc::CreateChannel(
      (*host)->address(), grpc::InsecureChannelCredentials()));
  auto ingest = [&](absl::string_view code, double overall) {
    ita::v1::IngestPublishedScoresRequest request;
    request.set_name(absl::StrCat("organizations/", code, "/assessments/2567"));
    request.mutable_organization()->set_name("องค์การบริหารส่วนตำบลทดสอบ");
    request.mutable_organization()->set_kind(
        common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    request.mutable_organization()->set_province("สกลนคร");
    request.mutable_published()->mutable_overall()->set_score(overall);
    request.mutable_published()->set_grade(overall >= 85 ? "ผ่าน" : "ต้องปรับปรุง");
    ita::v1::Assessment assessment;
    return stub->IngestPublishedScores(Context().get(), request, &assessment)
        .ok();
  };
  ASSERT_TRUE(ingest("6340101", 90));
  ASSERT_TRUE(ingest("6340102", 80));
  const std::vector<std::string> args = {
      "ita", "peers", "organizations/6340101/assessments/2567", "--server",
      (*host)->address()};

  CliRun run = RunCli(args, {"PRONGSAI_API_KEY=" + key_});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text,
              HasSubstr("rank - of 2 (NATIONAL), percentile -, mean -, "
                        "median -, pass rate -\n"));
  EXPECT_THAT(run.stdout_text, HasSubstr("group too small"));
  EXPECT_THAT(run.stdout_text, HasSubstr("at least 5"));
  EXPECT_THAT(run.stdout_text, ::testing::Not(HasSubstr("0.0")));

  // A group of five shows its figures, and no such line.
  for (const char* code : {"6340103", "6340104", "6340105"}) {
    ASSERT_TRUE(ingest(code, 70));
  }
  run = RunCli(args, {"PRONGSAI_API_KEY=" + key_});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text,
              HasSubstr("rank 1 of 5 (NATIONAL), percentile 100.0, mean "
                        "76.00, median 70.00, pass rate 20.0%\n"));
  EXPECT_THAT(run.stdout_text, ::testing::Not(HasSubstr("too small")));
}

// Issue 18: `ita migrate` previews and then makes the move of a summary to
// the corrected version of its year: renamed item scores carried over, the
// rest dropped; a second move is refused.
TEST_F(CliTest, Issue18_MigratePreviewsThenMovesToTheNewerVersion) {
  absl::StatusOr<std::unique_ptr<server::ServiceHost>> host = StartIta();
  ASSERT_THAT(host, IsOk());
  auto stub = ita::v1::AssessmentService::NewStub(grpc::CreateChannel(
      (*host)->address(), grpc::InsecureChannelCredentials()));
  const std::string name = "organizations/6340101/assessments/2568";
  ita::v1::IngestPublishedScoresRequest ingest;
  ingest.set_name(name);
  ingest.mutable_organization()->set_name("องค์การบริหารส่วนตำบลทดสอบ");
  ingest.mutable_published()->mutable_overall()->set_score(90);
  ingest.mutable_published()->set_grade("ผ่าน");
  for (const char* code : {"o1", "o10"}) {
    ita::v1::Score& item = *ingest.mutable_published()->add_items();
    item.set_code(code);
    item.set_score(100);
  }
  ita::v1::Assessment assessment;
  ASSERT_TRUE(
      stub->IngestPublishedScores(Context().get(), ingest, &assessment).ok());
  ASSERT_EQ(assessment.framework_version(), 1);
  // Version 2: o1 becomes o30, o10 keeps its code with a new meaning.
  ita::v1::GetFrameworkRequest get;
  get.set_name("frameworks/2568");
  ita::v1::LoadFrameworkRequest load;
  ASSERT_TRUE(
      stub->GetFramework(Context().get(), get, load.mutable_framework()).ok());
  testing::CorrectO1AndO10(*load.mutable_framework());
  ita::v1::Framework loaded;
  ASSERT_TRUE(stub->LoadFramework(Context().get(), load, &loaded).ok());
  ASSERT_EQ(loaded.version(), 2);
  const std::vector<std::string> args = {"ita", "migrate", name, "--server",
                                         (*host)->address()};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> all = args;
    all.insert(all.end(), more.begin(), more.end());
    return all;
  };
  auto stored_version = [&] {
    ita::v1::GetAssessmentRequest request;
    request.set_name(name);
    ita::v1::Assessment stored;
    EXPECT_TRUE(stub->GetAssessment(Context().get(), request, &stored).ok());
    return stored.framework_version();
  };

  CliRun run = RunCli(with({"--validate_only"}), {"PRONGSAI_API_KEY=" + key_});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text,
              HasSubstr(name + ": framework version 1 -> 2 (validate only: "
                               "nothing stored)\n"));
  EXPECT_THAT(run.stdout_text, HasSubstr("  moved    o1 -> o30\n"));
  EXPECT_THAT(run.stdout_text, HasSubstr("  dropped  o10\n"));
  EXPECT_EQ(stored_version(), 1);

  run = RunCli(args, {"PRONGSAI_API_KEY=" + key_});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  EXPECT_THAT(run.stdout_text,
              HasSubstr(name + ": framework version 1 -> 2\n"));
  EXPECT_EQ(stored_version(), 2);

  // Already on the newest version: refused, nothing printed on stdout.
  run =
      RunCli(with({"--framework_version", "2"}), {"PRONGSAI_API_KEY=" + key_});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.stderr_text, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_EQ(run.stdout_text, "");
}

}  // namespace
}  // namespace prongsai
