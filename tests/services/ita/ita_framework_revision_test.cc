// Corrections of a year's framework, without I/O: the rules on renamed and
// new items, moving a stored summary's scores to a corrected version
// (MigrateScores), and the OIT items Prongsai's own records evidence
// (EvidenceOitItems), judged against the date the year's OIT check closes.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/api/fields.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ita/ita_framework.h"
#include "services/ita/ita_oit_evidence.h"

namespace prongsai::ita {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A year corrected as 2568 was: o2 (news) moved to o4, o4 (plan) to o5, o2
// now means something else, o3 is gone, o1 keeps its code and meaning.
constexpr char kCorrected[] = R"pb(
  be_year: 2568
  tools { code: "IIT" kind: SURVEY weight: 60 }
  tools { code: "OIT" kind: CHECKLIST weight: 40 }
  indicators { number: 1 tool: "IIT" }
  indicators { number: 9 tool: "OIT" }
  items { code: "i1" indicator: 1 scale: FOUR_LEVEL }
  items { code: "o1" indicator: 9 scale: YES_NO }
  items { code: "o2" indicator: 9 scale: YES_NO new_in_version: true }
  items { code: "o4" indicator: 9 scale: YES_NO renamed_from: "o2" }
  items {
    code: "o5"
    indicator: 9
    scale: YES_NO
    renamed_from: "o4"
    evidence_source: ANTI_CORRUPTION_PLAN
  }
  grade_bands { label: "ผ่าน" min_score: 85 passed: true }
  grade_bands { label: "ต้องปรับปรุง" min_score: 0 }
)pb";

v1::Framework Corrected() {
  absl::StatusOr<v1::Framework> framework = ParseFrameworkText(kCorrected);
  EXPECT_TRUE(framework.ok()) << framework.status();
  return framework.value_or(v1::Framework());
}

v1::Item* ItemOf(v1::Framework& framework, absl::string_view code) {
  for (v1::Item& item : *framework.mutable_items()) {
    if (item.code() == code) return &item;
  }
  return nullptr;
}

std::string Error(const v1::Framework& framework) {
  return std::string(ValidateFramework("framework", framework).message());
}

TEST(FrameworkRevisionTest, TheCorrectedYearValidates) {
  EXPECT_TRUE(ValidateFramework("framework", Corrected()).ok());
}

TEST(FrameworkRevisionTest, AnEarlierCodeGoesToOneItemOnly) {
  v1::Framework framework = Corrected();
  ItemOf(framework, "o5")->add_renamed_from("o2");
  EXPECT_THAT(Error(framework),
              HasSubstr("framework.items[4].renamed_from[1]: o2 is renamed to "
                        "two items"));
}

TEST(FrameworkRevisionTest, AnItemKeepingTheCodeOfAMovedOneMustSaySo) {
  v1::Framework framework = Corrected();
  // o2 moved to o4; an o2 that neither is new nor was renamed would keep
  // the score that moved.
  ItemOf(framework, "o2")->clear_new_in_version();
  EXPECT_THAT(Error(framework),
              HasSubstr("framework.items[3].renamed_from[0]: item o2 of this "
                        "version keeps its code"));
}

TEST(FrameworkRevisionTest, RenameRulesNameTheirField) {
  v1::Framework own = Corrected();
  ItemOf(own, "o5")->add_renamed_from("o5");
  EXPECT_THAT(Error(own), HasSubstr("framework.items[4].renamed_from[1]: is "
                                    "the item's own code"));
  v1::Framework both = Corrected();
  ItemOf(both, "o4")->set_new_in_version(true);
  EXPECT_THAT(Error(both), HasSubstr("framework.items[3].new_in_version"));
  v1::Framework survey = Corrected();
  ItemOf(survey, "i1")->set_evidence_source(v1::COMPLAINT_STATISTICS);
  EXPECT_THAT(Error(survey), HasSubstr("framework.items[0].evidence_source: "
                                       "only an item of a CHECKLIST tool"));
}

TEST(FrameworkRevisionTest, ScoresFollowRenamesAndNewMeaningsAreDropped) {
  v1::ScoreSet stored;
  stored.mutable_overall()->set_score(90);
  stored.set_grade("ผ่าน");
  for (const auto& [code, score] : std::vector<std::pair<std::string, double>>{
           {"o1", 100}, {"o2", 100}, {"o3", 0}, {"o4", 100}, {"i1", 67}}) {
    v1::Score& item = *stored.add_items();
    item.set_code(code);
    item.set_score(score);
  }
  for (const char* code : {"IIT", "EIT", "OIT"}) {
    stored.add_tools()->set_code(code);
  }
  for (const char* code : {"1", "9", "10"}) {
    stored.add_indicators()->set_code(code);
  }

  // Checked with the first release's file: the same items, unmarked.
  v1::Framework first_release = Corrected();
  for (v1::Item& item : *first_release.mutable_items()) {
    item.clear_renamed_from();
    item.clear_new_in_version();
  }
  const MigratedScores migrated =
      MigrateScores(first_release, Corrected(), stored);
  std::vector<std::string> items;
  for (const v1::Score& item : migrated.scores.items()) {
    items.push_back(absl::StrCat(item.code(), "=", item.score()));
  }
  // o2's news score is o4's now, o4's plan score o5's; o3 is gone.
  EXPECT_THAT(items, ElementsAre("o1=100", "o4=100", "o5=100", "i1=67"));
  std::vector<std::string> moves;
  for (const v1::CodeMove& move : migrated.moved) {
    moves.push_back(absl::StrCat(move.from(), ">", move.to()));
  }
  EXPECT_THAT(moves, ElementsAre("o2>o4", "o4>o5"));
  EXPECT_THAT(migrated.dropped, ElementsAre("EIT", "10", "o3"));
  EXPECT_EQ(migrated.scores.overall().score(), 90);
  EXPECT_EQ(migrated.scores.grade(), "ผ่าน");
}

TEST(FrameworkRevisionTest, MarksTheEarlierVersionHasAreNotAppliedAgain) {
  // Both versions descend from the corrected file: o4 and o5 already are
  // the renamed items, o2 already has its new meaning.
  v1::ScoreSet stored;
  for (const char* code : {"o2", "o4", "o5"})
    stored.add_items()->set_code(code);
  const MigratedScores migrated =
      MigrateScores(Corrected(), Corrected(), stored);
  EXPECT_TRUE(migrated.moved.empty());
  EXPECT_TRUE(migrated.dropped.empty());
  EXPECT_EQ(migrated.scores.items_size(), 3);
}

// ------------------------------------------------------------ OIT evidence

constexpr char kOrganization[] = "6340101";
constexpr int kYear = 2569;

absl::Time Day(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day),
                         thai::BangkokTimeZone());
}

// Every evidence source once, on a 6-item OIT (o7 has none).
v1::Framework EvidenceFramework() {
  v1::Framework framework;
  framework.set_be_year(kYear);
  v1::Tool& oit = *framework.add_tools();
  oit.set_code("OIT");
  oit.set_kind(v1::Tool::CHECKLIST);
  oit.set_weight(100);
  v1::Indicator& indicator = *framework.add_indicators();
  indicator.set_number(9);
  indicator.set_tool("OIT");
  int n = 0;
  for (v1::EvidenceSource source :
       {v1::ANTI_CORRUPTION_PLAN, v1::ANTI_CORRUPTION_PLAN_HALF_YEAR_REPORT,
        v1::ANTI_CORRUPTION_PLAN_REPORT, v1::COMPLAINT_CHANNELS,
        v1::COMPLAINT_STATISTICS, v1::INTEGRITY_MEASURES,
        v1::INTEGRITY_MEASURES_REPORT, v1::CORRUPTION_RISK_ASSESSMENT,
        v1::CORRUPTION_RISK_CONTROL, v1::EVIDENCE_SOURCE_UNSPECIFIED}) {
    v1::Item& item = *framework.add_items();
    item.set_code(absl::StrCat("o", ++n));
    item.set_indicator(9);
    item.set_scale(v1::YES_NO);
    item.set_evidence_source(source);
  }
  return framework;
}

plan::v1::ProgressReport Report(absl::string_view subject,
                                plan::v1::Round round, absl::Time when) {
  plan::v1::ProgressReport report;
  report.set_name(absl::StrCat("organizations/6340101/progressReports/",
                               absl::ToUnixSeconds(when)));
  report.set_subject(std::string(subject));
  report.set_round(round);
  *report.mutable_report_time() = api::ToProtoTime(when);
  return report;
}

constexpr char kPlan[] = "organizations/6340101/actionPlans/p1";
constexpr char kProject[] = "organizations/6340101/actionPlans/p1/projects/a";

// An organization that did everything, on time.
OrganizationRecords Complete() {
  OrganizationRecords records;
  plan::v1::ActionPlan plan;
  plan.set_name(kPlan);
  plan.mutable_fiscal_years()->set_first_be_year(2566);
  plan.mutable_fiscal_years()->set_last_be_year(2570);
  plan.set_state(plan::v1::ActionPlan::ANNOUNCED);
  *plan.mutable_announce_time() = api::ToProtoTime(Day(2025, 10, 15));
  // An older draft of the same years is not the one judged.
  plan::v1::ActionPlan draft = plan;
  draft.set_name("organizations/6340101/actionPlans/p0");
  draft.set_state(plan::v1::ActionPlan::DRAFT);
  records.action_plans = {draft, plan};
  plan::v1::IntegrityMeasure measure;
  measure.set_name("organizations/6340101/integrityMeasures/m1");
  *measure.mutable_audit()->mutable_create_time() =
      api::ToProtoTime(Day(2025, 11, 1));
  records.measures = {measure};
  records.reports = {
      Report(kProject, plan::v1::HALF_YEAR, Day(2026, 4, 20)),
      Report(measure.name(), plan::v1::HALF_YEAR, Day(2026, 4, 21))};
  records.previous_reports = {
      Report(kProject, plan::v1::FULL_YEAR, Day(2025, 10, 20))};
  plan::v1::Risk risk;
  risk.set_name(absl::StrCat(kPlan, "/risks/r1"));
  risk.add_control_texts("ตรวจสอบเอกสารก่อนอนุมัติ");
  records.risks = {risk};
  records.complaint_categories = 3;
  records.complaint_statistics = true;
  return records;
}

std::vector<std::string> States(const v1::OitEvidenceSummary& summary) {
  std::vector<std::string> out;
  for (const v1::OitEvidence& item : summary.items()) {
    out.push_back(absl::StrCat(item.item(), " ",
                               v1::OitEvidence::State_Name(item.state())));
  }
  return out;
}

TEST(OitEvidenceTest, TheCheckClosesOnTheFirstOfJulyInBangkok) {
  EXPECT_EQ(OitCheckCloses(2569), Day(2026, 7, 1));
}

TEST(OitEvidenceTest, EverythingOnTimeIsPresentAndTheCeilingIsFull) {
  std::optional<v1::OitEvidenceSummary> summary =
      EvidenceOitItems(EvidenceFramework(), kOrganization, kYear, Complete());
  ASSERT_TRUE(summary.has_value());
  EXPECT_THAT(States(*summary),
              ElementsAre("o1 PRESENT", "o2 PRESENT", "o3 PRESENT",
                          "o4 PRESENT", "o5 PRESENT", "o6 PRESENT",
                          "o7 PRESENT", "o8 PRESENT", "o9 PRESENT"));
  EXPECT_THAT(summary->not_held(), ElementsAre("o10"));
  EXPECT_EQ(summary->oit_score_ceiling(), 100);
  // The announced plan, not the draft, with its announcement date.
  EXPECT_THAT(summary->items(0).resources(), ElementsAre(kPlan));
  EXPECT_EQ(api::FromProtoTime(summary->items(0).record_time()),
            Day(2025, 10, 15));
  EXPECT_THAT(summary->items(0).detail(), HasSubstr("15 ต.ค. 2568"));
  // The annual report asked for is the previous year's.
  EXPECT_THAT(summary->items(2).detail(), HasSubstr("ปี 2568"));
}

TEST(OitEvidenceTest, LateUnpublishedAndMissingRecordsLowerTheCeiling) {
  OrganizationRecords records = Complete();
  // The plan approved but not announced; the 6-month report after the
  // check closed; no category; a risk without control; no measure report.
  (*records.action_plans)[1].set_state(plan::v1::ActionPlan::APPROVED);
  (*records.action_plans)[1].clear_announce_time();
  records.reports = {Report(kProject, plan::v1::HALF_YEAR, Day(2026, 7, 1))};
  records.complaint_categories = 0;
  plan::v1::Risk uncontrolled;
  uncontrolled.set_name(absl::StrCat(kPlan, "/risks/r2"));
  records.risks->push_back(uncontrolled);
  std::optional<v1::OitEvidenceSummary> summary =
      EvidenceOitItems(EvidenceFramework(), kOrganization, kYear, records);
  ASSERT_TRUE(summary.has_value());
  EXPECT_THAT(
      States(*summary),
      ElementsAre("o1 NOT_PUBLISHED", "o2 LATE", "o3 PRESENT", "o4 MISSING",
                  "o5 PRESENT", "o6 PRESENT", "o7 MISSING", "o8 NOT_PUBLISHED",
                  "o9 NOT_PUBLISHED"));
  // 4 of 10 items can still score: o3, o5, o6 and o10 (not held here).
  EXPECT_DOUBLE_EQ(summary->oit_score_ceiling(), 40);
  EXPECT_THAT(summary->items(6).detail(), HasSubstr("0 จาก 1"));
  EXPECT_THAT(summary->items(8).detail(), HasSubstr("1 จาก 2"));
}

TEST(OitEvidenceTest, AServiceThatDidNotAnswerLeavesItsItemsUnknown) {
  OrganizationRecords records;
  records.complaint_categories = 1;
  records.complaint_statistics = true;
  std::optional<v1::OitEvidenceSummary> summary =
      EvidenceOitItems(EvidenceFramework(), kOrganization, kYear, records);
  ASSERT_TRUE(summary.has_value());
  EXPECT_THAT(States(*summary),
              ElementsAre("o1 UNKNOWN", "o2 UNKNOWN", "o3 UNKNOWN",
                          "o4 PRESENT", "o5 PRESENT", "o6 UNKNOWN",
                          "o7 UNKNOWN", "o8 UNKNOWN", "o9 UNKNOWN"));
  // Unknown is not missing: the ceiling stays the most it could be.
  EXPECT_EQ(summary->oit_score_ceiling(), 100);
}

TEST(OitEvidenceTest, AFrameworkMarkingNoItemHasNoEvidence) {
  v1::Framework framework = EvidenceFramework();
  for (v1::Item& item : *framework.mutable_items())
    item.clear_evidence_source();
  EXPECT_FALSE(EvidenceOitItems(framework, kOrganization, kYear, Complete())
                   .has_value());
}

}  // namespace
}  // namespace prongsai::ita
