// The ITA store alone, on SQLite and on PostgreSQL (when scripts/test
// provides it): idempotent creates, paging, frameworks pinned by the scores
// checked with them, what a computed result replaces, the data versions
// every write replaces, and the effective score on every assessment read.
#include "services/ita/ita_store.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/api/json_body.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ita/ita_framework.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::ita {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::testing::ElementsAre;

constexpr char kOrganization[] = "5500101";
constexpr int kYear = 2566;

v1::ScoreSet Scores(double overall, const std::vector<std::string>& tools) {
  v1::ScoreSet scores;
  scores.mutable_overall()->set_code("overall");
  scores.mutable_overall()->set_score(overall);
  for (const std::string& tool : tools) {
    v1::Score* score = scores.add_tools();
    score->set_code(tool);
    score->set_score(overall);
  }
  v1::Score* indicator = scores.add_indicators();
  indicator->set_code("9");
  indicator->set_score(overall - 1);
  return scores;
}

class ItaStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url;
    testing::NewScratchDatabase(GetParam(), "ita", &url);
    if (url.empty()) return;  // skipped, or failed
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(url);
    ASSERT_THAT(db, IsOk());
    db_ = std::move(*db);
    ASSERT_THAT(storage::Migrate(*db_, "ita", Migrations()), IsOk());
    absl::StatusOr<std::vector<v1::Framework>> shipped = DefaultFrameworks();
    ASSERT_THAT(shipped, IsOk());
    for (v1::Framework& framework : *shipped) {
      defaults_[framework.be_year()] = std::move(framework);
    }
    ASSERT_TRUE(defaults_.contains(kYear));
  }

  api::AuditWriter Writer() {
    now_ += absl::Seconds(1);
    return {.principal = "operator-5500101", .now = now_};
  }

  common::v1::OrganizationRef Organization(std::string code = kOrganization) {
    common::v1::OrganizationRef organization;
    organization.set_code(code);
    organization.set_name("องค์การบริหารส่วนตำบลโพนสูง");
    organization.set_province("สกลนคร");
    organization.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    return organization;
  }

  absl::StatusOr<v1::Assessment> Create(int be_year,
                                        absl::string_view request_id = "",
                                        std::optional<double> score = {}) {
    v1::Assessment assessment;
    *assessment.mutable_organization() = Organization();
    assessment.mutable_fiscal_year()->set_be_year(be_year);
    if (score.has_value()) assessment.set_published_overall_score(*score);
    return CreateAssessment(*db_, kOrganization, assessment, request_id,
                            Writer());
  }

  absl::StatusOr<v1::Assessment> Save(const ScoreUpdate& update,
                                      const std::string& code = kOrganization,
                                      int be_year = kYear) {
    // As the service does: the year's current framework, which the scores
    // then pin.
    absl::StatusOr<v1::Framework> framework =
        CurrentFramework(*db_, defaults_, be_year);
    if (!framework.ok()) return framework.status();
    return SaveScores(*db_, Organization(code), be_year, *framework, update,
                      Writer());
  }

  std::unique_ptr<storage::Connection> db_;
  DefaultFrameworkMap defaults_;
  absl::Time now_ = absl::FromUnixSeconds(1759311000);
};

TEST_P(ItaStoreTest, CreateIsIdempotentByRequestId) {
  absl::StatusOr<v1::Assessment> first = Create(kYear, "req-1", 80);
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->name(), "organizations/5500101/assessments/2566");
  EXPECT_EQ(first->audit().creator(), "operator-5500101");
  // The same request again returns what the first one made.
  absl::StatusOr<v1::Assessment> again = Create(kYear, "req-1", 80);
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->SerializeAsString(), first->SerializeAsString());
  // Another request for the same year is a second record of it.
  EXPECT_TRUE(absl::IsAlreadyExists(Create(kYear, "req-2").status()));
  EXPECT_TRUE(absl::IsAlreadyExists(Create(kYear).status()));
  // The request id of one year cannot record another.
  EXPECT_THAT(Create(kYear + 1, "req-1").status(),
              IsInvalidArgumentAt("request_id"));
}

TEST_P(ItaStoreTest, ListsPagesInYearOrderForOneOrganization) {
  for (int year : {2566, 2563, 2565, 2564, 2567}) {
    ASSERT_THAT(Create(year), IsOk());
  }
  ScoreUpdate other;
  other.published = Scores(90, {"IIT"});
  ASSERT_THAT(Save(other, "5500102"), IsOk());
  std::vector<int> years;
  PageRequest page{.limit = 2, .cursor = ""};
  int pages = 0;
  do {
    absl::StatusOr<api::Page<v1::Assessment>> listed =
        ListAssessments(*db_, kOrganization, page);
    ASSERT_THAT(listed, IsOk());
    EXPECT_LE(listed->items.size(), 2u);
    for (const v1::Assessment& assessment : listed->items) {
      EXPECT_EQ(assessment.organization().code(), kOrganization);
      years.push_back(assessment.fiscal_year().be_year());
    }
    page.cursor = listed->next_cursor;
    ASSERT_LT(++pages, 10);
  } while (!page.cursor.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(years, ElementsAre(2563, 2564, 2565, 2566, 2567));
}

TEST_P(ItaStoreTest, ScoresPinTheFrameworkTheyWereCheckedWith) {
  ScoreUpdate update;
  update.published = Scores(88, {"IIT", "EIT", "OIT"});
  absl::StatusOr<v1::Assessment> scored = Save(update);
  ASSERT_THAT(scored, IsOk());
  EXPECT_EQ(scored->framework_version(), 1);
  // A corrected framework becomes the year's current one...
  v1::Framework corrected = defaults_.at(kYear);
  corrected.set_min_respondents(50);
  absl::StatusOr<v1::Framework> stored =
      StoreFramework(*db_, defaults_, corrected, Writer());
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->version(), 2);
  absl::StatusOr<v1::Framework> current =
      CurrentFramework(*db_, defaults_, kYear);
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->version(), 2);
  // ...but the scored assessment keeps the one its figures were checked by.
  absl::StatusOr<v1::Framework> pinned =
      PinnedFramework(*db_, defaults_, *scored);
  ASSERT_THAT(pinned, IsOk());
  EXPECT_EQ(pinned->version(), 1);
  EXPECT_EQ(pinned->min_respondents(), defaults_.at(kYear).min_respondents());
  // An assessment without scores has pinned nothing: the current one.
  absl::StatusOr<v1::Assessment> bare = Create(kYear + 1);
  ASSERT_THAT(bare, IsOk());
  EXPECT_EQ(bare->framework_version(), 0);
  absl::StatusOr<v1::Framework> unpinned =
      PinnedFramework(*db_, defaults_, *bare);
  ASSERT_THAT(unpinned, IsOk());
  EXPECT_EQ(unpinned->be_year(), kYear + 1);
  EXPECT_EQ(unpinned->version(), 1);
}

TEST_P(ItaStoreTest, AComputedResultReplacesTheStoredOneWhole) {
  ScoreUpdate full;
  full.computed = Scores(91, {"IIT", "EIT", "OIT"});
  full.iit_respondents = 40;
  full.eit_respondents = 35;
  ASSERT_THAT(Save(full), IsOk());
  ScoreUpdate published;
  published.published = Scores(89, {"IIT", "EIT", "OIT"});
  absl::StatusOr<v1::Assessment> both = Save(published);
  ASSERT_THAT(both, IsOk());
  // Publishing keeps what was computed.
  EXPECT_EQ(both->computed().tools_size(), 3);
  EXPECT_EQ(both->iit_respondents(), 40);
  EXPECT_EQ(both->published().overall().score(), 89);
  // The store replaces (the service decides whether a caller may drop
  // tools, replace_computed): nothing of the old result survives.
  ScoreUpdate oit_only;
  oit_only.computed = Scores(70, {"OIT"});
  absl::StatusOr<v1::Assessment> replaced = Save(oit_only);
  ASSERT_THAT(replaced, IsOk());
  ASSERT_EQ(replaced->computed().tools_size(), 1);
  EXPECT_EQ(replaced->computed().tools(0).code(), "OIT");
  EXPECT_EQ(replaced->iit_respondents(), 0);
  EXPECT_EQ(replaced->eit_respondents(), 0);
  EXPECT_EQ(replaced->published().overall().score(), 89);
}

TEST_P(ItaStoreTest, EveryWriteReplacesItsDataVersions) {
  auto versions = [&]() {
    std::vector<std::string> out;
    for (const absl::StatusOr<std::string>& version :
         {OrganizationVersion(*db_, kOrganization),
          OrganizationVersion(*db_, "5500102"), YearVersion(*db_, kYear),
          YearVersion(*db_, kYear + 1), YearVersion(*db_, 0)}) {
      EXPECT_THAT(version, IsOk());
      out.push_back(version.value_or("?"));
    }
    return out;
  };
  const std::vector<std::string> start = versions();
  ASSERT_THAT(Create(kYear), IsOk());
  const std::vector<std::string> created = versions();
  EXPECT_NE(created[0], start[0]);  // this organization
  EXPECT_EQ(created[1], start[1]);  // not another
  EXPECT_NE(created[2], start[2]);  // this year
  EXPECT_EQ(created[3], start[3]);  // not another
  EXPECT_NE(created[4], start[4]);  // across years
  ScoreUpdate update;
  update.published = Scores(88, {"IIT"});
  ASSERT_THAT(Save(update), IsOk());
  const std::vector<std::string> saved = versions();
  EXPECT_NE(saved[0], created[0]);
  EXPECT_EQ(saved[1], created[1]);
  EXPECT_NE(saved[2], created[2]);
  EXPECT_EQ(saved[3], created[3]);
  EXPECT_NE(saved[4], created[4]);
  v1::Framework next = defaults_.at(kYear + 1);
  ASSERT_THAT(StoreFramework(*db_, defaults_, next, Writer()), IsOk());
  const std::vector<std::string> loaded = versions();
  EXPECT_EQ(loaded[0], saved[0]);  // no assessment changed
  EXPECT_EQ(loaded[2], saved[2]);
  EXPECT_NE(loaded[3], saved[3]);  // the framework's year
  EXPECT_NE(loaded[4], saved[4]);
}

TEST_P(ItaStoreTest, EveryAssessmentReadCarriesItsEffectiveScore) {
  absl::StatusOr<v1::Assessment> created = Create(kYear, "", 70);
  ASSERT_THAT(created, IsOk());
  EXPECT_TRUE(created->has_effective_overall_score());
  EXPECT_EQ(created->effective_overall_score(), 70);
  // A bare published score is no peer figure: not in the year's rows.
  absl::StatusOr<std::vector<PeerRow>> rows = YearRows(*db_, kYear);
  ASSERT_THAT(rows, IsOk());
  EXPECT_TRUE(rows->empty());

  ScoreUpdate published;
  published.published = Scores(88, {"IIT"});
  absl::StatusOr<v1::Assessment> saved = Save(published);
  ASSERT_THAT(saved, IsOk());
  EXPECT_EQ(saved->effective_overall_score(), 88);
  ScoreUpdate computed;
  computed.computed = Scores(91.25, {"IIT", "EIT", "OIT"});
  ASSERT_THAT(Save(computed), IsOk());

  absl::StatusOr<v1::Assessment> read =
      GetAssessment(*db_, kOrganization, kYear);
  ASSERT_THAT(read, IsOk());
  EXPECT_EQ(read->effective_overall_score(), 91.25);
  absl::StatusOr<api::Page<v1::Assessment>> listed =
      ListAssessments(*db_, kOrganization, PageRequest{});
  ASSERT_THAT(listed, IsOk());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].effective_overall_score(), 91.25);
  // The peer columns hold the same effective figures.
  rows = YearRows(*db_, kYear);
  ASSERT_THAT(rows, IsOk());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].overall, 91.25);
  EXPECT_EQ((*rows)[0].indicators.at(9), 90.25);
  EXPECT_EQ((*rows)[0].province, "สกลนคร");
  absl::StatusOr<std::vector<int>> years = ScoredYears(*db_);
  ASSERT_THAT(years, IsOk());
  EXPECT_THAT(*years, ElementsAre(kYear));
  absl::StatusOr<std::optional<v1::Assessment>> previous =
      PreviousAssessment(*db_, kOrganization, kYear + 1);
  ASSERT_THAT(previous, IsOk());
  ASSERT_TRUE(previous->has_value());
  EXPECT_THAT((*previous)->effective_overall_score(), 91.25);
}

// A fresh store holds every shipped framework as version 1 of its year,
// with the shipped revision.
TEST_P(ItaStoreTest, AFreshStoreHoldsTheShippedRevisionAsVersion1) {
  if (db_ == nullptr) return;
  for (const auto& [year, shipped] : defaults_) {
    absl::StatusOr<v1::Framework> current =
        CurrentFramework(*db_, defaults_, year);
    ASSERT_THAT(current, IsOk());
    EXPECT_EQ(current->version(), 1) << year;
    EXPECT_EQ(current->revision(), shipped.revision()) << year;
    EXPECT_EQ(current->items_size(), shipped.items_size()) << year;
    EXPECT_EQ(current->loaded_by(), "default");
  }
}

// A store made before the correction, where an assessment pinned the first
// release's file as version 1: the corrected file becomes version 2 and
// the current one; version 1 and the assessment's pin stay; running the
// migrations again adds nothing.
TEST_P(ItaStoreTest, ACorrectedShippedFileBecomesTheYearsNextVersion) {
  if (db_ == nullptr) return;
  std::string url;
  testing::NewScratchDatabase(GetParam(), "ita_upgrade", &url);
  if (url.empty()) return;
  absl::StatusOr<std::unique_ptr<storage::Connection>> connected =
      storage::Connect(url);
  ASSERT_THAT(connected, IsOk());
  storage::Connection& db = **connected;
  std::vector<storage::Migration> migrations = Migrations();
  ASSERT_GE(migrations.size(), 5u);
  // The schema as the first release left it, with its 2566 default pinned:
  // the shipped file as it was then (revision 1, one item fewer).
  ASSERT_THAT(storage::Migrate(db, "ita",
                               absl::MakeConstSpan(migrations).subspan(0, 3)),
              IsOk());
  v1::Framework first_release = defaults_.at(kYear);
  first_release.clear_revision();
  first_release.mutable_items()->RemoveLast();
  ASSERT_THAT(db.Execute("INSERT INTO ita_frameworks (be_year, version, body, "
                         "load_time_us, loaded_by) VALUES (?, 1, ?, 0, "
                         "'default')",
                         {int64_t{kYear}, api::ToStoredJson(first_release)})
                  .status(),
              IsOk());

  ASSERT_THAT(storage::Migrate(db, "ita", migrations), IsOk());
  ASSERT_THAT(storage::Migrate(db, "ita", migrations), IsOk());
  absl::StatusOr<v1::Framework> current =
      CurrentFramework(db, defaults_, kYear);
  ASSERT_THAT(current, IsOk());
  EXPECT_EQ(current->version(), 2);
  EXPECT_EQ(current->revision(), defaults_.at(kYear).revision());
  EXPECT_EQ(current->items_size(), defaults_.at(kYear).items_size());
  absl::StatusOr<v1::Framework> kept =
      FrameworkVersion(db, defaults_, kYear, 1);
  ASSERT_THAT(kept, IsOk());
  EXPECT_EQ(kept->items_size(), first_release.items_size());
  EXPECT_EQ(kept->revision(), 0);
  // Another year had nothing pinned: its corrected file is version 1.
  absl::StatusOr<v1::Framework> other =
      CurrentFramework(db, defaults_, kYear + 1);
  ASSERT_THAT(other, IsOk());
  EXPECT_EQ(other->version(), 1);
  absl::StatusOr<storage::Result> versions =
      db.Execute("SELECT COUNT(*) FROM ita_frameworks WHERE be_year = ?",
                 {int64_t{kYear}});
  ASSERT_THAT(versions, IsOk());
  EXPECT_EQ(versions->rows[0].GetInt(0), 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ItaStoreTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace prongsai::ita
