// The plan store on its own (services/plan/plan_store.h), on SQLite and on
// PostgreSQL (PRONGSAI_TEST_PG_URL, a scratch database per test): creates
// that a repeated request id does not repeat, keyset paging, etags and
// concurrent-write refusals, the plan's state advance, field-mask updates,
// the organization's data version replaced by every write and only by
// writes, and the import writer's one transaction: when one row of an import
// fails to store, nothing of it is stored.
#include "services/plan/plan_store.h"

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/storage/storage.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/scratch_database.h"
#include "tests/support/test_env.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::IsOk;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::string_view kOrg = "6340101";

common::v1::OrganizationRef Organization() {
  common::v1::OrganizationRef ref;
  ref.set_code(std::string(kOrg));
  ref.set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  ref.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  ref.set_province("อุบลราชธานี");
  ref.set_district("เขมราฐ");
  return ref;
}

v1::ActionPlan NewPlan(absl::string_view title = "แผนปฏิบัติการ") {
  v1::ActionPlan plan;
  plan.set_title(std::string(title));
  *plan.mutable_organization() = Organization();
  plan.mutable_fiscal_years()->set_first_be_year(2566);
  plan.mutable_fiscal_years()->set_last_be_year(2570);
  return plan;
}

v1::Project NewProject(int sequence, absl::string_view title) {
  v1::Project project;
  project.set_sequence(sequence);
  project.set_title(std::string(title));
  project.set_dimension(1);
  project.add_fiscal_years(2567);
  return project;
}

google::protobuf::FieldMask MaskOf(absl::string_view path) {
  google::protobuf::FieldMask mask;
  mask.add_paths(std::string(path));
  return mask;
}

// A fresh, migrated database of each backend per test, and a clock that
// moves a second per write so that creation times order listings.
class PlanStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string url;
    testing::NewScratchDatabase(GetParam(), "plan", &url);
    if (url.empty()) return;  // skipped, or failed
    absl::StatusOr<std::unique_ptr<storage::Connection>> db =
        storage::Connect(url);
    ASSERT_THAT(db, IsOk());
    db_ = *std::move(db);
    ASSERT_THAT(storage::Migrate(*db_, "plan", Migrations()), IsOk());
    ASSERT_THAT(CreateOrganization(*db_, Organization(), Writer()), IsOk());
  }

  api::AuditWriter Writer(absl::string_view principal = "operator-6340101") {
    now_ += absl::Seconds(1);
    return {std::string(principal), now_};
  }

  v1::ActionPlan CreatePlan(absl::string_view request_id = "",
                            absl::string_view title = "แผนปฏิบัติการ") {
    absl::StatusOr<v1::ActionPlan> plan =
        CreateActionPlan(*db_, kOrg, NewPlan(title), request_id, Writer());
    EXPECT_THAT(plan, IsOk());
    return plan.ok() ? *plan : v1::ActionPlan();
  }

  static std::string IdOf(const v1::ActionPlan& plan) {
    return plan.name().substr(plan.name().rfind('/') + 1);
  }

  std::string Version() {
    absl::StatusOr<std::string> version = DataVersion(*db_, kOrg);
    EXPECT_THAT(version, IsOk());
    return version.value_or("");
  }

  int64_t CountRows(absl::string_view table) {
    absl::StatusOr<storage::Result> result =
        db_->Execute(absl::StrCat("SELECT COUNT(*) FROM ", table), {});
    EXPECT_THAT(result, IsOk());
    return result.ok() ? result->rows[0].GetInt(0) : -1;
  }

  std::unique_ptr<storage::Connection> db_;
  absl::Time now_ = absl::FromUnixSeconds(1'760'000'000);
};

INSTANTIATE_TEST_SUITE_P(Backends, PlanStoreTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

TEST_P(PlanStoreTest, ARepeatedRequestIdReturnsTheFirstCreate) {
  const v1::ActionPlan first = CreatePlan("create-1", "ฉบับแรก");
  const v1::ActionPlan again = CreatePlan("create-1", "ฉบับที่สอง");
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.title(), "ฉบับแรก");
  const v1::ActionPlan other = CreatePlan("create-2");
  EXPECT_NE(other.name(), first.name());
  EXPECT_EQ(CountRows("action_plans"), 2);

  const std::string plan_id = IdOf(first);
  absl::StatusOr<v1::Project> project = CreateProject(
      *db_, kOrg, plan_id, NewProject(1, "โครงการ ก"), "project-1", Writer());
  ASSERT_THAT(project, IsOk());
  absl::StatusOr<v1::Project> replayed = CreateProject(
      *db_, kOrg, plan_id, NewProject(2, "โครงการ ข"), "project-1", Writer());
  ASSERT_THAT(replayed, IsOk());
  EXPECT_EQ(replayed->name(), project->name());
  EXPECT_EQ(replayed->sequence(), 1);
  EXPECT_EQ(CountRows("projects"), 1);
}

TEST_P(PlanStoreTest, PagesResumeAfterTheirCursorInCreationOrder) {
  std::vector<std::string> created;
  for (int i = 0; i < 5; ++i) created.push_back(CreatePlan().name());
  std::vector<std::string> listed;
  PageRequest page{.limit = 2, .cursor = ""};
  int pages = 0;
  do {
    absl::StatusOr<api::Page<v1::ActionPlan>> found =
        ListActionPlans(*db_, kOrg, page);
    ASSERT_THAT(found, IsOk());
    EXPECT_LE(found->items.size(), 2u);
    for (const v1::ActionPlan& plan : found->items) {
      listed.push_back(plan.name());
    }
    page.cursor = found->next_cursor;
    ++pages;
  } while (!page.cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(listed, created);
  absl::StatusOr<api::Page<v1::ActionPlan>> other =
      ListActionPlans(*db_, "9999999", {.limit = 2, .cursor = ""});
  ASSERT_THAT(other, IsOk());
  EXPECT_THAT(other->items, IsEmpty());
  EXPECT_EQ(other->next_cursor, "");
}

TEST_P(PlanStoreTest, AStaleEtagIsAbortedAndChangesNothing) {
  const v1::ActionPlan plan = CreatePlan();
  v1::ActionPlan patch;
  patch.set_title("ชื่อใหม่");
  patch.set_etag(plan.etag());
  absl::StatusOr<v1::ActionPlan> updated = UpdateActionPlan(
      *db_, kOrg, IdOf(plan), patch, MaskOf("title"), Writer());
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->title(), "ชื่อใหม่");
  EXPECT_NE(updated->etag(), plan.etag());

  patch.set_title("ชื่อที่สาม");  // still carrying the first etag
  EXPECT_THAT(UpdateActionPlan(*db_, kOrg, IdOf(plan), patch, MaskOf("title"),
                               Writer()),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(AdvanceActionPlan(*db_, kOrg, IdOf(plan), plan.etag(),
                                v1::ActionPlan::APPROVED, now_, Writer()),
              StatusIs(absl::StatusCode::kAborted));
  absl::StatusOr<v1::ActionPlan> stored = GetActionPlan(*db_, kOrg, IdOf(plan));
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->title(), "ชื่อใหม่");
  EXPECT_EQ(stored->etag(), updated->etag());
  EXPECT_EQ(stored->state(), v1::ActionPlan::DRAFT);
}

TEST_P(PlanStoreTest, APlanAdvancesOneStepAtATime) {
  const v1::ActionPlan plan = CreatePlan();
  const std::string id = IdOf(plan);
  EXPECT_THAT(AdvanceActionPlan(*db_, kOrg, id, "", v1::ActionPlan::ANNOUNCED,
                                now_, Writer()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  const api::AuditWriter mayor = Writer("mayor-6340101");
  absl::StatusOr<v1::ActionPlan> approved = AdvanceActionPlan(
      *db_, kOrg, id, plan.etag(), v1::ActionPlan::APPROVED, now_, mayor);
  ASSERT_THAT(approved, IsOk());
  EXPECT_EQ(approved->state(), v1::ActionPlan::APPROVED);
  EXPECT_EQ(approved->approver(), "mayor-6340101");
  EXPECT_EQ(api::FromProtoTime(approved->approve_time()), mayor.now);
  EXPECT_THAT(AdvanceActionPlan(*db_, kOrg, id, "", v1::ActionPlan::APPROVED,
                                now_, Writer()),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  const absl::Time announced_at = now_ - absl::Hours(24);
  absl::StatusOr<v1::ActionPlan> announced = AdvanceActionPlan(
      *db_, kOrg, id, "", v1::ActionPlan::ANNOUNCED, announced_at, Writer());
  ASSERT_THAT(announced, IsOk());
  EXPECT_EQ(announced->state(), v1::ActionPlan::ANNOUNCED);
  EXPECT_EQ(api::FromProtoTime(announced->announce_time()), announced_at);
  absl::StatusOr<v1::ActionPlan> stored = GetActionPlan(*db_, kOrg, id);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->state(), v1::ActionPlan::ANNOUNCED);
  EXPECT_EQ(stored->approver(), "mayor-6340101");
}

TEST_P(PlanStoreTest, AnUpdateChangesOnlyTheMaskedFields) {
  const std::string plan_id = IdOf(CreatePlan());
  v1::Project original = NewProject(3, "โครงการเดิม");
  original.set_rationale("เหตุผลเดิม");
  absl::StatusOr<v1::Project> created =
      CreateProject(*db_, kOrg, plan_id, original, "", Writer());
  ASSERT_THAT(created, IsOk());
  const PlanChildName name{
      std::string(kOrg), plan_id,
      created->name().substr(created->name().rfind('/') + 1)};
  v1::Project patch = NewProject(9, "โครงการใหม่");
  patch.set_rationale("เหตุผลใหม่");
  absl::StatusOr<v1::Project> updated =
      UpdateProject(*db_, name, patch, MaskOf("title"), Writer());
  ASSERT_THAT(updated, IsOk());
  EXPECT_EQ(updated->title(), "โครงการใหม่");
  EXPECT_EQ(updated->rationale(), "เหตุผลเดิม");
  EXPECT_EQ(updated->sequence(), 3);

  EXPECT_THAT(UpdateProject(*db_, name, patch, MaskOf("name"), Writer()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // A year outside the plan's span is refused inside the transaction.
  v1::Project outside = patch;
  outside.clear_fiscal_years();
  outside.add_fiscal_years(2575);
  EXPECT_THAT(
      UpdateProject(*db_, name, outside, MaskOf("fiscal_years"), Writer()),
      StatusIs(absl::StatusCode::kInvalidArgument));
  absl::StatusOr<v1::Project> stored = GetProject(*db_, name);
  ASSERT_THAT(stored, IsOk());
  EXPECT_EQ(stored->title(), "โครงการใหม่");
  EXPECT_THAT(stored->fiscal_years(), ElementsAre(2567));
  EXPECT_EQ(stored->etag(), updated->etag());
}

TEST_P(PlanStoreTest, EveryWriteReplacesTheDataVersionAndNothingElseDoes) {
  std::string version = Version();
  const v1::ActionPlan plan = CreatePlan();
  EXPECT_NE(Version(), version);
  version = Version();
  ASSERT_THAT(GetActionPlan(*db_, kOrg, IdOf(plan)), IsOk());
  ASSERT_THAT(ListActionPlans(*db_, kOrg, {}), IsOk());
  EXPECT_EQ(Version(), version);

  absl::StatusOr<v1::AnnualPlan> annual =
      CreateAnnualPlan(*db_, kOrg, IdOf(plan), 2567, {}, "", Writer());
  ASSERT_THAT(annual, IsOk());
  EXPECT_NE(Version(), version);
  version = Version();
  // A refused write (a year outside the plan) leaves the version alone.
  EXPECT_THAT(CreateAnnualPlan(*db_, kOrg, IdOf(plan), 2575, {}, "", Writer()),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Version(), version);
  ASSERT_THAT(AdvanceActionPlan(*db_, kOrg, IdOf(plan), "",
                                v1::ActionPlan::APPROVED, now_, Writer()),
              IsOk());
  EXPECT_NE(Version(), version);
}

// An import of two projects and one risk, with the risk's control pointing
// at project 1.
ImportedPlan TwoProjectsAndARisk() {
  ImportedPlan imported;
  imported.plan = NewPlan("แผนนำเข้า");
  imported.projects = {NewProject(1, "โครงการหนึ่ง"),
                       NewProject(2, "โครงการสอง")};
  v1::Risk risk;
  risk.set_sequence(1);
  risk.set_process_step("การจัดซื้อจัดจ้าง");
  imported.risks = {risk};
  imported.risk_control_sequences = {{1}};
  return imported;
}

TEST_P(PlanStoreTest, AnImportStoresEverythingOnceForItsRequestId) {
  absl::StatusOr<v1::ImportActionPlanResponse> imported = ImportActionPlan(
      *db_, Organization(), TwoProjectsAndARisk(), "import-1", true, Writer());
  ASSERT_THAT(imported, IsOk());
  EXPECT_THAT(imported->projects(), SizeIs(2));
  ASSERT_THAT(imported->risks(), SizeIs(1));
  EXPECT_THAT(imported->risks(0).control_projects(),
              ElementsAre(imported->projects(0).name()));
  absl::StatusOr<v1::ImportActionPlanResponse> again = ImportActionPlan(
      *db_, Organization(), TwoProjectsAndARisk(), "import-1", true, Writer());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->action_plan().name(), imported->action_plan().name());
  EXPECT_EQ(CountRows("action_plans"), 1);
  EXPECT_EQ(CountRows("projects"), 2);
  EXPECT_EQ(CountRows("risks"), 1);
}

TEST_P(PlanStoreTest, AnImportWhoseLastRowFailsStoresNothing) {
  // The database refuses every risk: the import's risk is written after its
  // projects, in the same transaction.
  if (GetParam() == Backend::kSqlite) {
    ASSERT_THAT(
        db_->ExecuteScript("CREATE TRIGGER refuse_risks BEFORE INSERT ON risks "
                           "BEGIN SELECT RAISE(ABORT, 'refused'); END;"),
        IsOk());
  } else {
    ASSERT_THAT(
        db_->ExecuteScript("CREATE FUNCTION refuse_risk() RETURNS trigger AS "
                           "$$ BEGIN RAISE EXCEPTION 'refused'; END $$ "
                           "LANGUAGE plpgsql;\n"
                           "CREATE TRIGGER refuse_risks BEFORE INSERT ON risks "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_risk();"),
        IsOk());
  }
  const std::string version = Version();
  EXPECT_FALSE(ImportActionPlan(*db_, Organization(), TwoProjectsAndARisk(),
                                "import-1", true, Writer())
                   .ok());
  EXPECT_EQ(CountRows("action_plans"), 0);
  EXPECT_EQ(CountRows("projects"), 0);
  EXPECT_EQ(CountRows("risks"), 0);
  EXPECT_EQ(Version(), version);
  // The dry run checks the same rows and writes none, refused or not.
  absl::StatusOr<v1::ImportActionPlanResponse> dry = ImportActionPlan(
      *db_, Organization(), TwoProjectsAndARisk(), "import-2", false, Writer());
  ASSERT_THAT(dry, IsOk());
  EXPECT_THAT(dry->projects(), SizeIs(2));
  EXPECT_EQ(CountRows("projects"), 0);
}

}  // namespace
}  // namespace prongsai::plan
