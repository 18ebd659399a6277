// The plan service's pure rules (services/plan/plan_domain.h, plan_figures.h):
// validation of every resource with the exact field path of each error, the
// normalizations, and the figures (annual totals against seed 002's first
// table, derived annual plans, reconciliation, round summaries, targets).
// Every expectation is worked out by hand from the proto's contract.
#include "services/plan/plan_domain.h"

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/base/resource_name.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "google/protobuf/field_mask.pb.h"
#include "gtest/gtest.h"
#include "prongsai/plan/v1/plan.pb.h"
#include "services/plan/plan_figures.h"
#include "tests/services/plan/seed_002_expected.h"
#include "tests/support/test_env.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::IsOk;
using ::prongsai::testing::Seed002AnnualRows;
using ::prongsai::testing::Seed002Row;
using ::prongsai::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr absl::string_view kOrg = "isankhet";
constexpr absl::string_view kPlanName = "organizations/isankhet/actionPlans/p1";

std::string Repeat(absl::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(text.data(), text.size());
  return out;
}

std::string ProjectName(absl::string_view id) {
  return absl::StrCat(kPlanName, "/projects/", id);
}

// INVALID_ARGUMENT about `field_path`, by payload and by message
// ("<path>: <reason>").
MATCHER_P(IsInvalidField, field_path,
          absl::StrCat("is INVALID_ARGUMENT about ", field_path)) {
  const absl::Status& status = ::prongsai::testing::GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == absl::StatusCode::kInvalidArgument &&
         FieldPathOf(status) == std::string(field_path) &&
         absl::StartsWith(status.message(), absl::StrCat(field_path, ": "));
}

common::v1::Money Satang(int64_t satang) {
  common::v1::Money money;
  money.set_satang(satang);
  return money;
}

v1::Mission MakeMission(absl::string_view code, absl::string_view title) {
  v1::Mission mission;
  mission.set_code(std::string(code));
  mission.set_title(std::string(title));
  return mission;
}

// A plan for 2566-2570 with the four NACC dimensions and a small tree:
// 1: 1.1 (1.1.1), 1.2; 2: 2.1; 3: 3.1; 4: 4.1.
v1::ActionPlan TreePlan() {
  v1::ActionPlan plan;
  plan.set_name(std::string(kPlanName));
  plan.set_title("แผนปฏิบัติการป้องกันการทุจริต (พ.ศ. ๒๕๖๖ - ๒๕๗๐)");
  plan.mutable_organization()->set_code(std::string(kOrg));
  plan.mutable_organization()->set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  plan.mutable_organization()->set_kind(
      common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  plan.mutable_fiscal_years()->set_first_be_year(2566);
  plan.mutable_fiscal_years()->set_last_be_year(2570);
  const char* const titles[] = {"การสร้างวัฒนธรรมสุจริต",
                                "การบริหารราชการด้วยความโปร่งใส",
                                "การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน",
                                "การยกระดับกลไกการตรวจสอบการดำเนินงาน"};
  for (int number = 1; number <= 4; ++number) {
    v1::Dimension& dimension = *plan.add_dimensions();
    dimension.set_number(number);
    dimension.set_title(titles[number - 1]);
    *dimension.add_missions() =
        MakeMission(absl::StrCat(number, ".1"), "ภารกิจ");
  }
  v1::Mission& mission_1_1 = *plan.mutable_dimensions(0)->mutable_missions(0);
  *mission_1_1.add_sub_missions() = MakeMission("1.1.1", "ภารกิจย่อย");
  *plan.mutable_dimensions(0)->add_missions() = MakeMission("1.2", "ภารกิจ");
  return plan;
}

// ============================================================== names

TEST(ParsePlanChildNameTest, AcceptsAChildOfAPlan) {
  absl::StatusOr<PlanChildName> name = ParsePlanChildName(
      "name", "organizations/isankhet/actionPlans/p1/projects/abc234",
      "projects");
  ASSERT_THAT(name, IsOk());
  EXPECT_EQ(name->organization, "isankhet");
  EXPECT_EQ(name->plan_id, "p1");
  EXPECT_EQ(name->id, "abc234");

  // Organization codes may hold upper case, '-' and '_'; annual plans are
  // named by their year.
  name = ParsePlanChildName(
      "annual_plan.name",
      "organizations/ISK_63-01/actionPlans/x/annualPlans/2569", "annualPlans");
  ASSERT_THAT(name, IsOk());
  EXPECT_EQ(name->organization, "ISK_63-01");
  EXPECT_EQ(name->plan_id, "x");
  EXPECT_EQ(name->id, "2569");

  // 64 characters is the longest id.
  EXPECT_THAT(
      ParsePlanChildName(
          "name",
          absl::StrCat("organizations/o/actionPlans/p/risks/", Repeat("a", 64)),
          "risks"),
      IsOk());
}

TEST(ParsePlanChildNameTest, RefusesOtherShapesNamingTheField) {
  for (absl::string_view bad : {
           "",
           "organizations/isankhet/actionPlans/p1",
           "organizations/isankhet/actionPlans/p1/projects",
           "organizations/isankhet/actionPlans/p1/projects/",
           "organizations/isankhet/actionPlans/p1/risks/abc",
           "organizations/isankhet/actionPlans/p1/projects/abc/x",
           "organization/isankhet/actionPlans/p1/projects/abc",
           "organizations/isankhet/actionplans/p1/projects/abc",
           "organizations/isankhet/actionPlans//projects/abc",
           "organizations//actionPlans/p1/projects/abc",
           "organizations/isan khet/actionPlans/p1/projects/abc",
           "organizations/isankhet/actionPlans/p1/projects/Abc",
           "organizations/isankhet/actionPlans/P1/projects/abc",
           "organizations/isankhet/actionPlans/p1/projects/ab-c",
           "organizations/isankhet/actionPlans/p1/projects/ab_c",
           "organizations/isankhet/actionPlans/p1/projects/โครงการ",
           "/organizations/isankhet/actionPlans/p1/projects/abc",
       }) {
    EXPECT_THAT(ParsePlanChildName("project.name", bad, "projects"),
                IsInvalidField("project.name"))
        << bad;
  }
  EXPECT_THAT(
      ParsePlanChildName(
          "name",
          absl::StrCat("organizations/o/actionPlans/p/risks/", Repeat("a", 65)),
          "risks"),
      IsInvalidField("name"));
  EXPECT_THAT(ParsePlanChildName("name",
                                 absl::StrCat("organizations/", Repeat("o", 33),
                                              "/actionPlans/p/risks/r"),
                                 "risks"),
              IsInvalidField("name"));
}

TEST(FormatPlanChildNameTest, Formats) {
  EXPECT_EQ(FormatPlanChildName("isankhet", "p1", "risks", "r7"),
            "organizations/isankhet/actionPlans/p1/risks/r7");
  EXPECT_EQ(FormatActionPlanName("isankhet", "p1"),
            "organizations/isankhet/actionPlans/p1");
}

// ============================================================== organization

common::v1::OrganizationRef ValidOrganization() {
  common::v1::OrganizationRef ref;
  ref.set_code("6340101");
  ref.set_name("องค์การบริหารส่วนตำบลอีสานเขต");
  ref.set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
  ref.set_province("นครราชสีมา");
  ref.set_district("เมือง");
  return ref;
}

// ------------------------------------------------------ organization search

v1::SearchOrganizationsRequest SearchRequest(absl::string_view query) {
  v1::SearchOrganizationsRequest request;
  request.set_query(std::string(query));
  return request;
}

TEST(ParseOrganizationSearchTest, NormalizesTheQuery) {
  struct Case {
    absl::string_view query;
    absl::string_view normalized;
  };
  for (const Case& c : std::vector<Case>{{"อีสาน", "อีสาน"},
                                         {"  อีสาน\t\n", "อีสาน"},
                                         {"เทศบาล \t\r\n ตำบล", "เทศบาล ตำบล"},
                                         {"หมู่ ๑๒", "หมู่ 12"},
                                         {"๐๑๒๓๔๕๖๗๘๙", "0123456789"},
                                         {"Pattaya CITY", "pattaya city"},
                                         {"100%_!\\", "100%_!\\"},
                                         {"", ""},
                                         {" \t ", ""}}) {
    absl::StatusOr<OrganizationSearch> search =
        ParseOrganizationSearch(SearchRequest(c.query));
    ASSERT_THAT(search, IsOk()) << c.query;
    EXPECT_EQ(search->query, c.normalized) << c.query;
    EXPECT_EQ(search->page.limit, kSearchDefaultPageSize);
    EXPECT_FALSE(search->after.has_value());
  }
}

TEST(ParseOrganizationSearchTest, PageSizeDefaultsTo20AndStopsAt100) {
  v1::SearchOrganizationsRequest request;
  for (const auto& [asked, limit] : std::vector<std::pair<int, int>>{
           {0, 20}, {1, 1}, {100, 100}, {101, 100}, {1 << 30, 100}}) {
    request.set_page_size(asked);
    absl::StatusOr<OrganizationSearch> search =
        ParseOrganizationSearch(request);
    ASSERT_THAT(search, IsOk()) << asked;
    EXPECT_EQ(search->page.limit, limit) << asked;
  }
  request.set_page_size(-1);
  EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("page_size"));
}

TEST(ParseOrganizationSearchTest, RefusesBadFieldsNamingThem) {
  EXPECT_THAT(ParseOrganizationSearch(SearchRequest(Repeat("ก", 100))), IsOk());
  EXPECT_THAT(ParseOrganizationSearch(SearchRequest(Repeat("ก", 101))),
              IsInvalidField("query"));
  EXPECT_THAT(ParseOrganizationSearch(
                  SearchRequest(absl::StrCat("  ", Repeat("ก", 100), "  "))),
              IsOk());
  EXPECT_THAT(ParseOrganizationSearch(SearchRequest("a\x01")),
              IsInvalidField("query"));
  EXPECT_THAT(ParseOrganizationSearch(SearchRequest("a\x7f")),
              IsInvalidField("query"));
  EXPECT_THAT(ParseOrganizationSearch(SearchRequest(std::string("a\0b", 3))),
              IsInvalidField("query"));
  EXPECT_THAT(ParseOrganizationSearch(SearchRequest("\xe0\xb8")),
              IsInvalidField("query"));

  v1::SearchOrganizationsRequest request;
  request.set_province(Repeat("ก", 101));
  EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("province"));
  request.set_province(Repeat("ก", 100));
  EXPECT_THAT(ParseOrganizationSearch(request), IsOk());
  request.set_kind(static_cast<common::v1::OrganizationKind>(42));
  EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("kind"));
}

TEST(ParseOrganizationSearchTest, TokensResumeTheSameSearchOnly) {
  v1::SearchOrganizationsRequest request = SearchRequest("อีสาน");
  request.set_province("ยโสธร");
  absl::StatusOr<OrganizationSearch> search = ParseOrganizationSearch(request);
  ASSERT_THAT(search, IsOk());
  const std::string token = MakePageToken(
      SearchScope(*search), SearchCursor("ชื่อ\nที่มีบรรทัด", "6340101"));

  // The same search, written differently, resumes after the position.
  request.set_query(" อีสาน ");
  request.set_page_token(token);
  absl::StatusOr<OrganizationSearch> resumed = ParseOrganizationSearch(request);
  ASSERT_THAT(resumed, IsOk());
  ASSERT_TRUE(resumed->after.has_value());
  EXPECT_EQ(resumed->after->name, "ชื่อ\nที่มีบรรทัด");
  EXPECT_EQ(resumed->after->code, "6340101");

  // Another query, province or kind does not.
  request.set_query("อีสา");
  EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("page_token"));
  request.set_query("อีสาน");
  request.set_province("ยโสธร2");
  EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("page_token"));
  request.set_province("ยโสธร");
  request.set_kind(common::v1::MUNICIPALITY);
  EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("page_token"));

  // Filters that would run together are told apart: query "a&1:b" with no
  // province is not query "a" in province "b".
  OrganizationSearch left, right;
  left.query = "a&1:b";
  right.query = "a";
  right.province = "b";
  EXPECT_NE(SearchScope(left), SearchScope(right));

  // A token of the right scope whose cursor the service did not make.
  request.set_kind(common::v1::ORGANIZATION_KIND_UNSPECIFIED);
  for (absl::string_view cursor : {"no separator", "\nname without a code",
                                   "12 34\nname", "6340101\n\xff"}) {
    request.set_page_token(MakePageToken(SearchScope(*search), cursor));
    EXPECT_THAT(ParseOrganizationSearch(request), IsInvalidField("page_token"))
        << absl::CEscape(cursor);
  }
}

TEST(SearchCursorTest, RoundTrips) {
  for (absl::string_view name : {"", "องค์การบริหารส่วนตำบลอีสานเขต", "a\nb"}) {
    absl::StatusOr<SearchPosition> position =
        ParseSearchCursor(SearchCursor(name, "6340101"));
    ASSERT_THAT(position, IsOk());
    EXPECT_EQ(position->name, name);
    EXPECT_EQ(position->code, "6340101");
  }
}

TEST(ValidateOrganizationTest, EveryFieldIsRequired) {
  EXPECT_THAT(ValidateOrganization("organization", ValidOrganization()),
              IsOk());

  common::v1::OrganizationRef ref = ValidOrganization();
  ref.clear_code();
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.code"));
  ref = ValidOrganization();
  ref.set_code("63 40");
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.code"));
  ref = ValidOrganization();
  ref.clear_name();
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.name"));
  ref = ValidOrganization();
  ref.clear_kind();
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.kind"));
  ref.set_kind(static_cast<common::v1::OrganizationKind>(42));
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.kind"));
  ref = ValidOrganization();
  ref.clear_province();
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.province"));
  ref = ValidOrganization();
  ref.clear_district();
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.district"));
}

TEST(ValidateOrganizationTest, LengthsCountCodePoints) {
  common::v1::OrganizationRef ref = ValidOrganization();
  ref.set_name(Repeat("อ", 300));
  EXPECT_THAT(ValidateOrganization("organization", ref), IsOk());
  ref.set_name(Repeat("อ", 301));
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.name"));
  ref = ValidOrganization();
  ref.set_province(Repeat("จ", 100));
  ref.set_district(Repeat("อ", 100));
  EXPECT_THAT(ValidateOrganization("organization", ref), IsOk());
  ref.set_district(Repeat("อ", 101));
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.district"));
  ref = ValidOrganization();
  ref.set_province("นคร\xE0\xB8");
  EXPECT_THAT(ValidateOrganization("organization", ref),
              IsInvalidField("organization.province"));
}

// ============================================================== action plan

TEST(ValidateNewActionPlanTest, TreeAndTargetErrorsNameTheirField) {
  EXPECT_THAT(ValidateNewActionPlan(TreePlan()), IsOk());

  v1::ActionPlan plan = TreePlan();
  plan.mutable_dimensions(1)->set_number(1);
  EXPECT_THAT(ValidateNewActionPlan(plan),
              IsInvalidField("action_plan.dimensions[1].number"));

  plan = TreePlan();
  plan.add_targets()->set_be_year(2571);
  EXPECT_THAT(ValidateNewActionPlan(plan),
              IsInvalidField("action_plan.targets[0].be_year"));
}

TEST(ValidateDimensionsTest, AcceptsTheTemplateTree) {
  EXPECT_THAT(ValidateDimensions("dimensions", TreePlan()), IsOk());
  v1::ActionPlan plan = TreePlan();
  plan.clear_dimensions();
  EXPECT_THAT(ValidateDimensions("dimensions", plan), IsOk());
  // Numbers need not be in order; two-digit mission numbers are fine.
  plan = TreePlan();
  plan.mutable_dimensions(0)->set_number(9);
  plan.mutable_dimensions(0)->clear_missions();
  *plan.mutable_dimensions(0)->add_missions() = MakeMission("9.12", "ภารกิจ");
  EXPECT_THAT(ValidateDimensions("dimensions", plan), IsOk());
}

TEST(ValidateDimensionsTest, Numbers) {
  v1::ActionPlan plan = TreePlan();
  plan.mutable_dimensions(2)->set_number(2);  // dimensions 1, 2, 2, 4
  plan.mutable_dimensions(2)->clear_missions();
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions[2].number"));

  for (int bad : {0, -1, 10}) {
    plan = TreePlan();
    plan.mutable_dimensions(0)->set_number(bad);
    plan.mutable_dimensions(0)->clear_missions();
    EXPECT_THAT(ValidateDimensions("dimensions", plan),
                IsInvalidField("dimensions[0].number"))
        << bad;
  }

  plan.clear_dimensions();
  for (int i = 0; i < 10; ++i) {
    v1::Dimension& dimension = *plan.add_dimensions();
    dimension.set_number(i % 9 + 1);
    dimension.set_title("มิติ");
  }
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions"));

  plan = TreePlan();
  plan.mutable_dimensions(3)->clear_title();
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions[3].title"));
}

TEST(ValidateDimensionsTest, MissionCodes) {
  // A mission of dimension 1 coded "2.1".
  v1::ActionPlan plan = TreePlan();
  plan.mutable_dimensions(0)->mutable_missions(1)->set_code("2.1");
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions[0].missions[1].code"));

  // A sub-mission of 1.1 coded "1.2.1".
  plan = TreePlan();
  plan.mutable_dimensions(0)
      ->mutable_missions(0)
      ->mutable_sub_missions(0)
      ->set_code("1.2.1");
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions[0].missions[0].sub_missions[0].code"));

  // The same code twice (here 1.1 under dimension 1 twice).
  plan = TreePlan();
  plan.mutable_dimensions(0)->mutable_missions(1)->set_code("1.1");
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions[0].missions[1].code"));

  // Codes that are not <parent>.<number>.
  for (absl::string_view bad :
       {"1.1.1", "1", "1.", "1.0", "1.x", "1.-1", "1.+2", "10.1", "", "1..1"}) {
    plan = TreePlan();
    plan.mutable_dimensions(0)->mutable_missions(1)->set_code(std::string(bad));
    EXPECT_THAT(ValidateDimensions("dimensions", plan),
                IsInvalidField("dimensions[0].missions[1].code"))
        << bad;
  }

  plan = TreePlan();
  plan.mutable_dimensions(1)->mutable_missions(0)->clear_title();
  EXPECT_THAT(ValidateDimensions("dimensions", plan),
              IsInvalidField("dimensions[1].missions[0].title"));
}

// BUG: ValidateMission (plan_domain.cc) checks the number after the parent
// code with absl::SimpleAtoi, which trims surrounding whitespace, so "1.2 "
// and "1.2\n" are accepted, beside "1.2", as different "unique" codes.
TEST(ValidateDimensionsTest, MissionCodeWithTrailingBlankIsRefused) {
  for (absl::string_view bad : {"1.2 ", "1.2\n"}) {
    v1::ActionPlan plan = TreePlan();
    *plan.mutable_dimensions(0)->add_missions() = MakeMission(bad, "ภารกิจซ้ำ");
    EXPECT_THAT(ValidateDimensions("dimensions", plan),
                IsInvalidField("dimensions[0].missions[2].code"))
        << absl::CEscape(bad);
  }
}

v1::ActionPlan PlanWithTarget(const v1::YearTarget& target) {
  v1::ActionPlan plan = TreePlan();
  *plan.add_targets() = target;
  return plan;
}

v1::YearTarget GoodTarget(int be_year) {
  v1::YearTarget target;
  target.set_be_year(be_year);
  target.set_ita_score_target(85);
  target.set_corruption_case_reduction_percent(10);
  target.set_base_be_year(2565);
  return target;
}

TEST(ValidateTargetsTest, AcceptsTheTemplateTargets) {
  v1::ActionPlan plan = TreePlan();
  for (int year = 2566; year <= 2570; ++year) {
    v1::YearTarget& target = *plan.add_targets();
    target = GoodTarget(year);
    target.set_ita_score_target(85 + 2 * (year - 2566));
    target.set_corruption_case_reduction_percent(10 * (year - 2565));
  }
  // Percent bounds are inclusive.
  plan.mutable_targets(4)->set_actual_ita_score(100);
  plan.mutable_targets(3)->set_actual_ita_score(0);
  plan.mutable_targets(4)->set_base_corruption_cases(0);
  plan.mutable_targets(4)->set_actual_corruption_cases(0);
  EXPECT_THAT(ValidateTargets("targets", plan), IsOk());
  // A target without a reduction needs no base year.
  v1::YearTarget target;
  target.set_be_year(2566);
  target.set_ita_score_target(85);
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)), IsOk());
}

TEST(ValidateTargetsTest, Years) {
  for (int bad : {2565, 2571, 0, 2026}) {
    EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(GoodTarget(bad))),
                IsInvalidField("targets[0].be_year"))
        << bad;
  }
  v1::ActionPlan plan = TreePlan();
  *plan.add_targets() = GoodTarget(2567);
  *plan.add_targets() = GoodTarget(2568);
  *plan.add_targets() = GoodTarget(2567);
  EXPECT_THAT(ValidateTargets("targets", plan),
              IsInvalidField("targets[2].be_year"));
}

TEST(ValidateTargetsTest, BaseYear) {
  v1::YearTarget target = GoodTarget(2567);
  target.clear_base_be_year();
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
              IsInvalidField("targets[0].base_be_year"));
  target.set_base_be_year(2567);  // same year
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
              IsInvalidField("targets[0].base_be_year"));
  target.set_base_be_year(2568);  // after
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
              IsInvalidField("targets[0].base_be_year"));
  target.set_base_be_year(2022);  // C.E.
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
              IsInvalidField("targets[0].base_be_year"));
  target.set_base_be_year(2566);
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)), IsOk());
}

TEST(ValidateTargetsTest, FiguresMustBeFinitePercentsAndCounts) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (double bad : {nan, inf, -inf, -0.5, 100.5}) {
    v1::YearTarget target = GoodTarget(2567);
    target.set_ita_score_target(bad);
    EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
                IsInvalidField("targets[0].ita_score_target"))
        << bad;
    target = GoodTarget(2567);
    target.set_actual_ita_score(bad);
    EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
                IsInvalidField("targets[0].actual_ita_score"))
        << bad;
    target = GoodTarget(2567);
    target.set_corruption_case_reduction_percent(bad);
    EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
                IsInvalidField("targets[0].corruption_case_reduction_percent"))
        << bad;
  }
  v1::YearTarget target = GoodTarget(2567);
  target.set_base_corruption_cases(-1);
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
              IsInvalidField("targets[0].base_corruption_cases"));
  target = GoodTarget(2567);
  target.set_actual_corruption_cases(-3);
  EXPECT_THAT(ValidateTargets("targets", PlanWithTarget(target)),
              IsInvalidField("targets[0].actual_corruption_cases"));
}

// ============================================================== projects

TEST(KindFromTitleTest, FirstWordNamesTheKind) {
  EXPECT_EQ(KindFromTitle("โครงการจัดเวทีประชาคม"), v1::Project::PROJECT);
  EXPECT_EQ(KindFromTitle("กิจกรรม “วิเคราะห์ผลการจัดซื้อจัดจ้างประจำปี”"),
            v1::Project::ACTIVITY);
  EXPECT_EQ(KindFromTitle("มาตรการ NO Gift Policy"), v1::Project::MEASURE);
  EXPECT_EQ(
      KindFromTitle("มาตรการ “ส่งเสริมการปฏิบัติงานตามประมวลจริยธรรมขององค์การบริหาร"
                    "ส่วนตำบลอิสานเขต”"),
      v1::Project::MEASURE);
}

TEST(KindFromTitleTest, SkipsLeadingSpacesAndAQuote) {
  EXPECT_EQ(KindFromTitle("   โครงการจัดเวทีประชาคม"), v1::Project::PROJECT);
  EXPECT_EQ(KindFromTitle("“โครงการจัดเวทีประชาคม”"), v1::Project::PROJECT);
  EXPECT_EQ(KindFromTitle("  “กิจกรรมบูรณาการทุกภาคส่วน”"), v1::Project::ACTIVITY);
  EXPECT_EQ(KindFromTitle("\"มาตรการ NO Gift Policy\""), v1::Project::MEASURE);
  EXPECT_EQ(KindFromTitle("\t‘กิจกรรมติดตามประเมินผล’"), v1::Project::ACTIVITY);
}

TEST(KindFromTitleTest, OtherFirstWordsAreUnspecified) {
  EXPECT_EQ(KindFromTitle("ส่งเสริมการมีส่วนร่วมของประชาชนในการบริหารกิจการ"),
            v1::Project::KIND_UNSPECIFIED);
  EXPECT_EQ(KindFromTitle("ยกย่องเชิดชูเกียรติหน่วยงานและบุคคล"),
            v1::Project::KIND_UNSPECIFIED);
  EXPECT_EQ(KindFromTitle("แผนงานโครงการ"), v1::Project::KIND_UNSPECIFIED);
  EXPECT_EQ(KindFromTitle(""), v1::Project::KIND_UNSPECIFIED);
  EXPECT_EQ(KindFromTitle("“"), v1::Project::KIND_UNSPECIFIED);
}

// Sequence 10 of seed 002: mission 3.1, 2567 and 2569 (given out of order),
// 5,000 baht in 2569 and scheduled at 0 in 2567.
v1::Project ValidProject() {
  v1::Project project;
  project.set_sequence(10);
  project.set_title("โครงการจัดเวทีประชาคม");
  project.set_mission_code("3.1");
  project.add_objectives("เพื่อรับฟังความคิดเห็นของประชาชน");
  project.add_fiscal_years(2569);
  project.add_fiscal_years(2567);
  v1::YearBudget& budget_2569 = *project.add_budgets();
  budget_2569.set_be_year(2569);
  *budget_2569.mutable_planned() = Satang(500'000);
  v1::YearBudget& budget_2567 = *project.add_budgets();
  budget_2567.set_be_year(2567);
  *budget_2567.mutable_planned() = Satang(0);
  project.add_ita_indicators("O12");
  project.add_ita_indicators("9.1");
  project.add_ita_indicators("I3");
  v1::Kpi& kpi = *project.add_kpis();
  kpi.set_indicator("จำนวนผู้เข้าร่วม");
  kpi.set_unit("คน");
  (*kpi.mutable_targets_by_year())[2569] = 100;
  (*kpi.mutable_actuals_by_round())["2569-H1"] = 40;
  return project;
}

TEST(ValidateProjectTest, NormalizesAValidProject) {
  v1::Project project = ValidProject();
  ASSERT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
  EXPECT_EQ(project.dimension(), 3);  // from mission 3.1
  EXPECT_EQ(project.kind(), v1::Project::PROJECT);
  EXPECT_THAT(project.fiscal_years(), ElementsAre(2567, 2569));
  ASSERT_THAT(project.budgets(), SizeIs(2));
  EXPECT_EQ(project.budgets(0).be_year(), 2567);
  EXPECT_EQ(project.budgets(0).planned().satang(), 0);
  EXPECT_TRUE(project.budgets(0).has_planned());
  EXPECT_EQ(project.budgets(1).be_year(), 2569);
  EXPECT_EQ(project.budgets(1).planned().satang(), 500'000);
  EXPECT_THAT(project.ita_indicators(), ElementsAre("o12", "9.1", "i3"));
}

TEST(ValidateProjectTest, KeepsAGivenKindAndDimension) {
  v1::Project project = ValidProject();
  project.set_kind(v1::Project::ACTIVITY);
  project.set_dimension(3);
  ASSERT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
  EXPECT_EQ(project.kind(), v1::Project::ACTIVITY);
  EXPECT_EQ(project.dimension(), 3);

  // An unknown first word stays unspecified; a sub-mission gives its
  // dimension too.
  project = ValidProject();
  project.set_title("ส่งเสริมการมีส่วนร่วมของประชาชน");
  project.set_mission_code("1.1.1");
  ASSERT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
  EXPECT_EQ(project.kind(), v1::Project::KIND_UNSPECIFIED);
  EXPECT_EQ(project.dimension(), 1);

  // Without a mission the dimension is the caller's.
  project = ValidProject();
  project.clear_mission_code();
  project.set_dimension(4);
  ASSERT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
  EXPECT_EQ(project.dimension(), 4);
}

TEST(ValidateProjectTest, APlanWithoutATreeTakesTheCodesDimension) {
  v1::ActionPlan plan = TreePlan();
  plan.clear_dimensions();
  v1::Project project = ValidProject();
  project.set_mission_code("2.7");
  ASSERT_THAT(ValidateProject("project", project, plan), IsOk());
  EXPECT_EQ(project.dimension(), 2);

  project = ValidProject();
  project.clear_mission_code();
  project.set_dimension(7);
  EXPECT_THAT(ValidateProject("project", project, plan), IsOk());
}

TEST(ValidateProjectTest, SequenceAndTexts) {
  for (int bad : {0, -1, 10000}) {
    v1::Project project = ValidProject();
    project.set_sequence(bad);
    EXPECT_THAT(ValidateProject("project", project, TreePlan()),
                IsInvalidField("project.sequence"))
        << bad;
  }
  v1::Project project = ValidProject();
  project.set_sequence(9999);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()), IsOk());

  project = ValidProject();
  project.clear_title();
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.title"));

  project = ValidProject();
  project.set_rationale("เหตุผล\xE0\xB8");
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.rationale"));
  project = ValidProject();
  project.set_owner_unit(Repeat("ส", 20001));
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.owner_unit"));

  project = ValidProject();
  project.add_objectives("");
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.objectives[1]"));
  project = ValidProject();
  project.add_method_steps("ขั้นตอน");
  project.add_method_steps("\xFF");
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.method_steps[1]"));
}

TEST(ValidateProjectTest, TitleCountsCodePointsNotBytes) {
  v1::Project project = ValidProject();
  // "โครงการ" is 7 code points (21 bytes); 500 code points are 1500 bytes.
  project.set_title(absl::StrCat("โครงการ", Repeat("ก", 493)));
  EXPECT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
  project.set_title(absl::StrCat("โครงการ", Repeat("ก", 494)));
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.title"));

  // Invalid UTF-8: a Thai character cut short, a lone continuation byte,
  // an overlong '/' and a UTF-16 surrogate.
  for (absl::string_view bad :
       {"โครงการ\xE0\xB8", "\x80โครงการ", "\xC0\xAF", "\xED\xA0\x80"}) {
    project.set_title(std::string(bad));
    EXPECT_THAT(ValidateProject("project", project, TreePlan()),
                IsInvalidField("project.title"))
        << absl::CEscape(bad);
  }
}

TEST(ValidateProjectTest, ItaIndicators) {
  for (absl::string_view good : {"9", "9.1", "i3", "E4", "o12", "10.2.3"}) {
    v1::Project project = ValidProject();
    project.clear_ita_indicators();
    project.add_ita_indicators(std::string(good));
    EXPECT_THAT(ValidateProject("project", project, TreePlan()), IsOk())
        << good;
  }
  for (absl::string_view bad : {"", "x9", "0", "9.", ".9", "9..1", "i", "o",
                                "i0", "-1", "+9", " 9", "๙", "9.a", "ii3"}) {
    v1::Project project = ValidProject();
    project.add_ita_indicators(std::string(bad));  // the fourth
    EXPECT_THAT(ValidateProject("project", project, TreePlan()),
                IsInvalidField("project.ita_indicators[3]"))
        << bad;
  }
  v1::Project project = ValidProject();
  project.set_ita_indicators(0, "x9");
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.ita_indicators[0]"));
}

// BUG: ValidateItaRefs (plan_domain.cc) parses each part with
// absl::SimpleAtoi, which trims trailing whitespace, so "9 " is accepted and
// stored as "9 " (and "O12 " as "o12 ").
TEST(ValidateProjectTest, ItaIndicatorWithTrailingBlankIsRefused) {
  for (absl::string_view bad : {"9 ", "O12 ", "9 .1"}) {
    v1::Project project = ValidProject();
    project.add_ita_indicators(std::string(bad));
    EXPECT_THAT(ValidateProject("project", project, TreePlan()),
                IsInvalidField("project.ita_indicators[3]"))
        << bad;
  }
}

TEST(ValidateProjectTest, Kind) {
  v1::Project project = ValidProject();
  project.set_kind(static_cast<v1::Project::Kind>(9));
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.kind"));
}

TEST(ValidateProjectTest, MissionAndDimension) {
  for (absl::string_view bad : {"1.3", "5.1", "x", "1.1.2", "3.1.", "0.1"}) {
    v1::Project project = ValidProject();
    project.set_mission_code(std::string(bad));
    EXPECT_THAT(ValidateProject("project", project, TreePlan()),
                IsInvalidField("project.mission_code"))
        << bad;
  }

  // Dimension 2 given with mission 1.1.
  v1::Project project = ValidProject();
  project.set_mission_code("1.1");
  project.set_dimension(2);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.dimension"));

  // No mission: a dimension 1-9 of the plan is required.
  for (int bad : {0, -1, 10, 5}) {
    project = ValidProject();
    project.clear_mission_code();
    project.set_dimension(bad);
    EXPECT_THAT(ValidateProject("project", project, TreePlan()),
                IsInvalidField("project.dimension"))
        << bad;
  }
}

TEST(ValidateProjectTest, FiscalYears) {
  v1::Project project = ValidProject();
  project.clear_budgets();
  project.clear_fiscal_years();
  project.add_fiscal_years(2567);
  project.add_fiscal_years(2571);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.fiscal_years[1]"));

  project.set_fiscal_years(0, 2565);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.fiscal_years[0]"));

  project.clear_fiscal_years();
  project.add_fiscal_years(2568);
  project.add_fiscal_years(2566);
  project.add_fiscal_years(2568);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.fiscal_years[2]"));

  // The span's ends are inside.
  project.set_fiscal_years(2, 2570);
  ASSERT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
  EXPECT_THAT(project.fiscal_years(), ElementsAre(2566, 2568, 2570));
}

TEST(ValidateProjectTest, Budgets) {
  // A budget of a year the project does not run (even one inside the span).
  v1::Project project = ValidProject();
  project.mutable_budgets(0)->set_be_year(2568);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[0].be_year"));
  project.mutable_budgets(0)->set_be_year(2575);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[0].be_year"));

  // Two budgets of 2569.
  project = ValidProject();
  project.mutable_budgets(1)->set_be_year(2569);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[1].be_year"));

  project = ValidProject();
  *project.mutable_budgets(0)->mutable_planned() = Satang(-1);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[0].planned"));
  project = ValidProject();
  *project.mutable_budgets(1)->mutable_approved() = Satang(-100);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[1].approved"));
  project = ValidProject();
  *project.mutable_budgets(0)->mutable_revised() = Satang(-1);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[0].revised"));
  project = ValidProject();
  *project.mutable_budgets(0)->mutable_spent() = Satang(kMaxSatang + 1);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.budgets[0].spent"));
  project = ValidProject();
  *project.mutable_budgets(0)->mutable_spent() = Satang(kMaxSatang);
  EXPECT_THAT(ValidateProject("project", project, TreePlan()), IsOk());

  // A year with no budget row is scheduled with the amount not given.
  project = ValidProject();
  project.mutable_budgets()->RemoveLast();
  EXPECT_THAT(ValidateProject("project", project, TreePlan()), IsOk());
}

TEST(ValidateProjectTest, Kpis) {
  v1::Project project = ValidProject();
  (*project.mutable_kpis(0)->mutable_targets_by_year())[2580] = 5;
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.kpis[0].targets_by_year[2580]"));

  project = ValidProject();
  (*project.mutable_kpis(0)->mutable_targets_by_year())[2569] =
      std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.kpis[0].targets_by_year[2569]"));

  project = ValidProject();
  (*project.mutable_kpis(0)->mutable_actuals_by_round())["2569-H1"] =
      std::numeric_limits<double>::infinity();
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.kpis[0].actuals_by_round[2569-H1]"));

  project = ValidProject();
  project.mutable_kpis(0)->set_baseline(
      -std::numeric_limits<double>::infinity());
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.kpis[0].baseline"));

  project = ValidProject();
  project.add_kpis()->set_unit("คน");
  EXPECT_THAT(ValidateProject("project", project, TreePlan()),
              IsInvalidField("project.kpis[1].indicator"));
}

// ============================================================== annual plans

TEST(ValidateQuartersTest, OneToFourWithoutRepeats) {
  EXPECT_THAT(ValidateQuarters("quarters", {}), IsOk());
  EXPECT_THAT(ValidateQuarters("quarters", {1, 2, 3, 4}), IsOk());
  EXPECT_THAT(ValidateQuarters("quarters", {0}), IsInvalidField("quarters[0]"));
  EXPECT_THAT(ValidateQuarters("quarters", {1, 5}),
              IsInvalidField("quarters[1]"));
  EXPECT_THAT(ValidateQuarters("quarters", {2, -1}),
              IsInvalidField("quarters[1]"));
  EXPECT_THAT(ValidateQuarters("default_quarters", {2, 4, 2}),
              IsInvalidField("default_quarters[2]"));
}

v1::AnnualPlanEntry MakeEntry(absl::string_view project,
                              absl::string_view title, int dimension,
                              int64_t satang,
                              const std::vector<int32_t>& quarters) {
  v1::AnnualPlanEntry entry;
  entry.set_project(std::string(project));
  entry.set_title(std::string(title));
  entry.set_dimension(dimension);
  *entry.mutable_budget() = Satang(satang);
  for (int32_t quarter : quarters) entry.add_quarters(quarter);
  return entry;
}

class ValidateAnnualEntriesTest : public ::testing::Test {
 protected:
  ValidateAnnualEntriesTest() {
    *entries_.Add() =
        MakeEntry(ProjectName("a"), "โครงการเอ", 1, 1'500'000, {2, 3});
    *entries_.Add() = MakeEntry(ProjectName("b"), "กิจกรรมบี", 3, 0, {1});
    *entries_.Add() = MakeEntry("", "โครงการที่ไม่อยู่ในแผน ๕ ปี", 4, 10, {});
  }

  absl::Status Validate() const {
    return ValidateAnnualEntries("annual_plan.entries", entries_, kPlanName,
                                 names_);
  }

  google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry> entries_;
  std::vector<std::string> names_ = {
      ProjectName("a"), ProjectName("b"), ProjectName("c"),
      // Listed, but of another plan: the prefix check refuses it.
      "organizations/isankhet/actionPlans/p2/projects/d"};
};

TEST_F(ValidateAnnualEntriesTest, AcceptsProjectsOfThePlanAndUnlinkedRows) {
  EXPECT_THAT(Validate(), IsOk());
}

TEST_F(ValidateAnnualEntriesTest, Projects) {
  entries_[1].set_project(ProjectName("zz"));
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].project"));
  entries_[1].set_project("organizations/isankhet/actionPlans/p2/projects/d");
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].project"));
  entries_[1].set_project("organizations/other/actionPlans/p1/projects/b");
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].project"));
  entries_[1].set_project(ProjectName("a"));  // same project twice
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].project"));
}

TEST_F(ValidateAnnualEntriesTest, Fields) {
  entries_[2].set_dimension(0);
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[2].dimension"));
  entries_[2].set_dimension(10);
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[2].dimension"));
  entries_[2].set_dimension(4);

  *entries_[0].mutable_budget() = Satang(-1);
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[0].budget"));
  *entries_[0].mutable_budget() = Satang(kMaxSatang + 1);
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[0].budget"));
  *entries_[0].mutable_budget() = Satang(0);

  entries_[1].clear_title();
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].title"));
  entries_[1].set_title("กิจกรรมบี");

  entries_[1].add_quarters(1);  // {1, 1}
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].quarters[1]"));
  entries_[1].set_quarters(1, 5);
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].quarters[1]"));
  entries_[1].set_quarters(1, 4);

  entries_[1].set_remark("\xFF");
  EXPECT_THAT(Validate(), IsInvalidField("annual_plan.entries[1].remark"));
  entries_[1].clear_remark();
  EXPECT_THAT(Validate(), IsOk());
}

// ============================================================== measures

v1::IntegrityMeasure ValidMeasure() {
  v1::IntegrityMeasure measure;
  measure.set_be_year(2569);
  measure.set_title("มาตรการส่งเสริมการใช้ดุลยพินิจอย่างโปร่งใส");
  measure.add_steps("จัดทำคู่มือ");
  measure.add_quarters(2);
  measure.add_quarters(3);
  measure.add_ita_indicators("O36");
  measure.add_ita_indicators("I3");
  return measure;
}

TEST(ValidateIntegrityMeasureTest, NormalizesAndNamesFields) {
  v1::IntegrityMeasure measure = ValidMeasure();
  ASSERT_THAT(ValidateIntegrityMeasure("integrity_measure", measure), IsOk());
  EXPECT_THAT(measure.ita_indicators(), ElementsAre("o36", "i3"));

  measure = ValidMeasure();
  measure.set_be_year(2026);
  EXPECT_THAT(ValidateIntegrityMeasure("integrity_measure", measure),
              IsInvalidField("integrity_measure.be_year"));
  measure = ValidMeasure();
  measure.clear_title();
  EXPECT_THAT(ValidateIntegrityMeasure("integrity_measure", measure),
              IsInvalidField("integrity_measure.title"));
  measure = ValidMeasure();
  measure.set_owner(Repeat("ป", 501));
  EXPECT_THAT(ValidateIntegrityMeasure("integrity_measure", measure),
              IsInvalidField("integrity_measure.owner"));
  measure = ValidMeasure();
  measure.add_steps("");
  EXPECT_THAT(ValidateIntegrityMeasure("integrity_measure", measure),
              IsInvalidField("integrity_measure.steps[1]"));
  measure = ValidMeasure();
  measure.add_quarters(0);
  EXPECT_THAT(ValidateIntegrityMeasure("integrity_measure", measure),
              IsInvalidField("integrity_measure.quarters[2]"));
  measure = ValidMeasure();
  measure.set_ita_indicators(1, "q3");
  EXPECT_THAT(ValidateIntegrityMeasure("integrity_measure", measure),
              IsInvalidField("integrity_measure.ita_indicators[1]"));
}

// ============================================================== reports

v1::ProgressReport ValidReport(absl::string_view subject) {
  v1::ProgressReport report;
  report.set_subject(std::string(subject));
  report.set_be_year(2569);
  report.set_round(v1::HALF_YEAR);
  report.set_status(v1::ProgressReport::IN_PROGRESS);
  report.set_output("จัดประชุม ๑ ครั้ง");
  *report.mutable_spent() = Satang(250'000);
  report.add_evidence_uris("https://isankhet.go.th/evidence/1.pdf");
  report.add_evidence_uris("http://isankhet.go.th/evidence/2.jpg");
  return report;
}

TEST(ValidateProgressReportTest, SubjectIsAProjectOrMeasureOfTheOrganization) {
  EXPECT_THAT(ValidateProgressReport("progress_report",
                                     ValidReport(ProjectName("abc")), kOrg),
              IsOk());
  EXPECT_THAT(
      ValidateProgressReport(
          "progress_report",
          ValidReport("organizations/isankhet/integrityMeasures/m1"), kOrg),
      IsOk());

  for (absl::string_view bad : {
           "",
           "organizations/isankhet",
           "organizations/isankhet/actionPlans/p1",
           "organizations/isankhet/actionPlans/p1/risks/r1",
           "organizations/isankhet/actionPlans/p1/annualPlans/2569",
           "organizations/isankhet/progressReports/r1",
           "organizations/isankhet/integrityMeasures/",
           "organizations/isankhet/actionPlans/p1/projects/ABC",
           "projects/abc",
       }) {
    EXPECT_THAT(
        ValidateProgressReport("progress_report", ValidReport(bad), kOrg),
        IsInvalidField("progress_report.subject"))
        << bad;
  }

  EXPECT_THAT(
      ValidateProgressReport(
          "progress_report",
          ValidReport("organizations/other/actionPlans/p1/projects/abc"), kOrg),
      IsInvalidField("progress_report.subject"));
  EXPECT_THAT(
      ValidateProgressReport(
          "progress_report",
          ValidReport("organizations/other/integrityMeasures/m1"), kOrg),
      IsInvalidField("progress_report.subject"));
}

TEST(ValidateProgressReportTest, Fields) {
  v1::ProgressReport report = ValidReport(ProjectName("abc"));
  report.set_be_year(2026);
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.be_year"));

  report = ValidReport(ProjectName("abc"));
  report.clear_round();
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.round"));
  report.set_round(static_cast<v1::Round>(7));
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.round"));

  report = ValidReport(ProjectName("abc"));
  report.clear_status();
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.status"));
  report.set_status(static_cast<v1::ProgressReport::Status>(17));
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.status"));

  report = ValidReport(ProjectName("abc"));
  *report.mutable_spent() = Satang(-1);
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.spent"));

  report = ValidReport(ProjectName("abc"));
  report.set_outcome("ผล\xE0");
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.outcome"));
}

TEST(ValidateProgressReportTest, EvidenceIsHttp) {
  for (absl::string_view bad :
       {"ftp://isankhet.go.th/a.pdf", "javascript:alert(1)",
        "file:///etc/passwd", "isankhet.go.th/a.pdf", "", "data:text/html,x"}) {
    v1::ProgressReport report = ValidReport(ProjectName("abc"));
    report.add_evidence_uris(std::string(bad));
    EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
                IsInvalidField("progress_report.evidence_uris[2]"))
        << bad;
  }
  v1::ProgressReport report = ValidReport(ProjectName("abc"));
  for (int i = 0; i < 49; ++i) report.add_evidence_uris("https://x.th/a");
  EXPECT_THAT(ValidateProgressReport("progress_report", report, kOrg),
              IsInvalidField("progress_report.evidence_uris"));
}

// ============================================================== risks

v1::Risk::Issue MakeIssue(absl::string_view text, v1::Risk::Level level) {
  v1::Risk::Issue issue;
  issue.set_text(std::string(text));
  issue.set_level(level);
  return issue;
}

v1::Risk ValidRisk() {
  v1::Risk risk;
  risk.set_sequence(1);
  risk.set_process_step("การจัดซื้อจัดจ้าง");
  *risk.add_issues() = MakeIssue("กำหนดคุณลักษณะเฉพาะเอื้อผู้ขาย", v1::Risk::LOW);
  *risk.add_issues() = MakeIssue("ผลประโยชน์ทับซ้อน", v1::Risk::HIGH);
  *risk.add_issues() = MakeIssue("ไม่เปิดเผยข้อมูล", v1::Risk::MEDIUM);
  risk.set_likelihood(3);
  risk.set_impact(5);
  risk.add_control_projects(ProjectName("a"));
  risk.add_control_texts("มาตรการ NO Gift Policy");
  return risk;
}

TEST(ValidateRiskTest, LevelIsTheHighestIssueLevelWhenUnset) {
  v1::Risk risk = ValidRisk();
  ASSERT_THAT(ValidateRisk("risk", risk, kPlanName), IsOk());
  EXPECT_EQ(risk.level(), v1::Risk::HIGH);

  risk = ValidRisk();
  risk.mutable_issues(1)->set_level(v1::Risk::LOW);
  ASSERT_THAT(ValidateRisk("risk", risk, kPlanName), IsOk());
  EXPECT_EQ(risk.level(), v1::Risk::MEDIUM);

  // A given level is kept.
  risk = ValidRisk();
  risk.set_level(v1::Risk::LOW);
  ASSERT_THAT(ValidateRisk("risk", risk, kPlanName), IsOk());
  EXPECT_EQ(risk.level(), v1::Risk::LOW);

  // No issue levels: still unspecified.
  risk = ValidRisk();
  risk.clear_issues();
  ASSERT_THAT(ValidateRisk("risk", risk, kPlanName), IsOk());
  EXPECT_EQ(risk.level(), v1::Risk::LEVEL_UNSPECIFIED);
}

TEST(ValidateRiskTest, Fields) {
  v1::Risk risk = ValidRisk();
  risk.set_sequence(0);
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.sequence"));
  risk = ValidRisk();
  risk.clear_process_step();
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.process_step"));
  risk = ValidRisk();
  risk.set_level(static_cast<v1::Risk::Level>(4));
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.level"));
  risk = ValidRisk();
  risk.mutable_issues(2)->set_level(static_cast<v1::Risk::Level>(4));
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.issues[2].level"));
  risk = ValidRisk();
  risk.mutable_issues(1)->clear_text();
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.issues[1].text"));

  risk = ValidRisk();
  risk.set_likelihood(6);
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.likelihood"));
  risk = ValidRisk();
  risk.set_impact(-1);
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.impact"));
  risk = ValidRisk();
  risk.set_likelihood(0);  // unset
  risk.set_impact(1);
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName), IsOk());

  risk = ValidRisk();
  risk.add_control_texts("");
  EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
              IsInvalidField("risk.control_texts[1]"));
}

TEST(ValidateRiskTest, ControlProjectsAreOfThePlan) {
  for (absl::string_view bad : {
           "organizations/isankhet/actionPlans/p2/projects/a",
           "organizations/isankhet/actionPlans/p12/projects/a",
           "organizations/other/actionPlans/p1/projects/a",
           "organizations/isankhet/actionPlans/p1/risks/a",
           "a",
       }) {
    v1::Risk risk = ValidRisk();
    risk.add_control_projects(std::string(bad));
    EXPECT_THAT(ValidateRisk("risk", risk, kPlanName),
                IsInvalidField("risk.control_projects[1]"))
        << bad;
  }
}

// ============================================================== masks, etags

TEST(ApplyFieldMaskTest, CopiesOnlyMaskedFieldsAndReplacesRepeatedOnes) {
  v1::Project target;
  target.set_title("โครงการเดิม");
  target.set_owner_unit("สำนักปลัด");
  target.add_fiscal_years(2566);
  target.add_fiscal_years(2567);
  target.add_objectives("เดิม");

  v1::Project patch;
  patch.set_title("โครงการใหม่");
  patch.set_owner_unit("กองคลัง");  // not in the mask
  patch.add_fiscal_years(2568);
  patch.add_objectives("ใหม่");  // not in the mask

  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  mask.add_paths("fiscal_years");
  ASSERT_THAT(ApplyFieldMask(mask, {"title", "fiscal_years", "objectives"},
                             patch, target),
              IsOk());
  EXPECT_EQ(target.title(), "โครงการใหม่");
  EXPECT_THAT(target.fiscal_years(), ElementsAre(2568));
  EXPECT_EQ(target.owner_unit(), "สำนักปลัด");
  EXPECT_THAT(target.objectives(), ElementsAre("เดิม"));

  // A masked field absent from the patch is cleared; an empty repeated
  // field empties the target's.
  mask.Clear();
  mask.add_paths("owner_unit");
  mask.add_paths("objectives");
  ASSERT_THAT(
      ApplyFieldMask(mask, {"owner_unit", "objectives"}, v1::Project(), target),
      IsOk());
  EXPECT_EQ(target.owner_unit(), "");
  EXPECT_THAT(target.objectives(), IsEmpty());
  EXPECT_EQ(target.title(), "โครงการใหม่");
}

TEST(ApplyFieldMaskTest, RefusesPathsNotAllowedAndChangesNothing) {
  v1::Project target;
  target.set_title("โครงการเดิม");
  target.set_name(ProjectName("a"));
  v1::Project patch;
  patch.set_title("โครงการใหม่");
  patch.set_name(ProjectName("b"));

  google::protobuf::FieldMask mask;
  mask.add_paths("title");
  mask.add_paths("name");
  EXPECT_THAT(ApplyFieldMask(mask, {"title", "dimension"}, patch, target),
              IsInvalidField("update_mask.paths[1]"));
  EXPECT_EQ(target.title(), "โครงการเดิม");
  EXPECT_EQ(target.name(), ProjectName("a"));

  mask.Clear();
  mask.add_paths("etag");
  EXPECT_THAT(ApplyFieldMask(mask, {"title"}, patch, target),
              IsInvalidField("update_mask.paths[0]"));

  mask.Clear();
  EXPECT_THAT(ApplyFieldMask(mask, {"title"}, patch, target),
              IsInvalidField("update_mask"));
  EXPECT_EQ(target.title(), "โครงการเดิม");
}

TEST(CheckEtagTest, EmptyPassesStaleIsAborted) {
  EXPECT_THAT(CheckEtag("", "W/1"), IsOk());
  EXPECT_THAT(CheckEtag("", ""), IsOk());
  EXPECT_THAT(CheckEtag("W/1", "W/1"), IsOk());
  EXPECT_THAT(CheckEtag("W/1", "W/2"), StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(CheckEtag("W/1", ""), StatusIs(absl::StatusCode::kAborted));
}

// ============================================================== totals

// Seed 002's first table, the annual plan of 2569 (seed_002_expected.h):
// 20,000.00 baht, 10 8 11 8 projects per quarter.
TEST(ComputeTotalsTest, Seed002AnnualPlan2569) {
  google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry> entries;
  int sequence = 0;
  for (const Seed002Row& row : Seed002AnnualRows()) {
    ++sequence;
    *entries.Add() =
        MakeEntry(ProjectName(absl::StrCat("s", sequence)), row.title,
                  row.dimension, row.satang, row.quarters);
  }
  ASSERT_THAT(entries, SizeIs(15));

  const v1::AnnualPlanTotals totals = ComputeTotals(entries);
  EXPECT_EQ(totals.budget().satang(), 2'000'000);  // 20,000.00 baht
  EXPECT_THAT(totals.projects_per_quarter(), ElementsAre(10, 8, 11, 8));
  EXPECT_EQ(totals.projects(), 15);
  ASSERT_THAT(totals.dimensions(), SizeIs(4));
  const struct {
    int dimension;
    int projects;
    int64_t satang;
  } expected[] = {{1, 5, 1'500'000}, {2, 2, 0}, {3, 3, 500'000}, {4, 5, 0}};
  for (int i = 0; i < 4; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(totals.dimensions(i).dimension(), expected[i].dimension);
    EXPECT_EQ(totals.dimensions(i).projects(), expected[i].projects);
    EXPECT_EQ(totals.dimensions(i).budget().satang(), expected[i].satang);
  }
}

TEST(ComputeTotalsTest, DimensionsInNumberOrderWhateverTheEntryOrder) {
  google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry> entries;
  *entries.Add() = MakeEntry("", "ค", 4, 300, {4});
  *entries.Add() = MakeEntry("", "ก", 2, 100, {1});
  *entries.Add() = MakeEntry("", "ข", 4, 50, {});
  const v1::AnnualPlanTotals totals = ComputeTotals(entries);
  EXPECT_EQ(totals.budget().satang(), 450);
  EXPECT_THAT(totals.projects_per_quarter(), ElementsAre(1, 0, 0, 1));
  EXPECT_EQ(totals.projects(), 3);
  ASSERT_THAT(totals.dimensions(), SizeIs(2));
  EXPECT_EQ(totals.dimensions(0).dimension(), 2);
  EXPECT_EQ(totals.dimensions(0).projects(), 1);
  EXPECT_EQ(totals.dimensions(0).budget().satang(), 100);
  EXPECT_EQ(totals.dimensions(1).dimension(), 4);
  EXPECT_EQ(totals.dimensions(1).projects(), 2);
  EXPECT_EQ(totals.dimensions(1).budget().satang(), 350);
}

TEST(ComputeTotalsTest, EmptyIsFourZeros) {
  const v1::AnnualPlanTotals totals =
      ComputeTotals(google::protobuf::RepeatedPtrField<v1::AnnualPlanEntry>());
  EXPECT_EQ(totals.budget().satang(), 0);
  EXPECT_THAT(totals.projects_per_quarter(), ElementsAre(0, 0, 0, 0));
  EXPECT_THAT(totals.dimensions(), IsEmpty());
  EXPECT_EQ(totals.projects(), 0);
}

// ============================================================== derive

v1::Project ScheduledProject(absl::string_view id, int sequence,
                             absl::string_view title, int dimension,
                             const std::vector<int32_t>& years) {
  v1::Project project;
  project.set_name(ProjectName(id));
  project.set_sequence(sequence);
  project.set_title(std::string(title));
  project.set_dimension(dimension);
  for (int32_t year : years) project.add_fiscal_years(year);
  return project;
}

void AddBudget(v1::Project& project, int be_year, int64_t planned) {
  v1::YearBudget& budget = *project.add_budgets();
  budget.set_be_year(be_year);
  *budget.mutable_planned() = Satang(planned);
}

TEST(DeriveAnnualEntriesTest, ProjectsOfTheYearInSequenceOrder) {
  std::vector<v1::Project> projects;
  // Given out of sequence order.
  projects.push_back(
      ScheduledProject("c", 3, "โครงการจัดเวทีประชาคม", 3, {2569}));
  AddBudget(projects.back(), 2569, 500'000);
  projects.push_back(ScheduledProject(
      "a", 1, "โครงการเสริมสร้างค่านิยมต่อต้านการทุจริต", 1, {2568, 2569}));
  AddBudget(projects.back(), 2568, 70'000);  // none for 2569
  projects.push_back(
      ScheduledProject("b", 2, "มาตรการ NO Gift Policy", 2, {2570}));
  AddBudget(projects.back(), 2570, 1'000);
  projects.push_back(ScheduledProject(
      "d", 4, "กิจกรรมติดตามประเมินผลการควบคุมภายใน", 4, {2569, 2570}));
  AddBudget(projects.back(), 2569, 0);
  AddBudget(projects.back(), 2570, 9'900);
  projects.push_back(ScheduledProject("e", 5, "โครงการอื่น", 1, {}));

  const std::vector<v1::AnnualPlanEntry> entries =
      DeriveAnnualEntries(projects, 2569, std::vector<int32_t>{2, 4});
  ASSERT_THAT(entries, SizeIs(3));
  EXPECT_EQ(entries[0].project(), ProjectName("a"));
  EXPECT_EQ(entries[0].title(), "โครงการเสริมสร้างค่านิยมต่อต้านการทุจริต");
  EXPECT_EQ(entries[0].dimension(), 1);
  EXPECT_EQ(entries[0].budget().satang(), 0);  // scheduled, amount not given
  EXPECT_EQ(entries[1].project(), ProjectName("c"));
  EXPECT_EQ(entries[1].title(), "โครงการจัดเวทีประชาคม");
  EXPECT_EQ(entries[1].dimension(), 3);
  EXPECT_EQ(entries[1].budget().satang(), 500'000);
  EXPECT_EQ(entries[2].project(), ProjectName("d"));
  EXPECT_EQ(entries[2].dimension(), 4);
  EXPECT_EQ(entries[2].budget().satang(), 0);
  for (const v1::AnnualPlanEntry& entry : entries) {
    EXPECT_THAT(entry.quarters(), ElementsAre(2, 4)) << entry.project();
    EXPECT_EQ(entry.remark(), "");
  }

  const std::vector<v1::AnnualPlanEntry> for_2570 =
      DeriveAnnualEntries(projects, 2570, std::vector<int32_t>{1, 2, 3, 4});
  ASSERT_THAT(for_2570, SizeIs(2));
  EXPECT_EQ(for_2570[0].project(), ProjectName("b"));
  EXPECT_EQ(for_2570[0].budget().satang(), 1'000);
  EXPECT_THAT(for_2570[0].quarters(), ElementsAre(1, 2, 3, 4));
  EXPECT_EQ(for_2570[1].project(), ProjectName("d"));
  EXPECT_EQ(for_2570[1].budget().satang(), 9'900);

  EXPECT_THAT(DeriveAnnualEntries(projects, 2566, std::vector<int32_t>{1}),
              IsEmpty());
}

// ============================================================== reconcile

MATCHER_P3(IsFinding, code, location, project,
           absl::StrCat(code, " at ", location, " about \"", project, "\"")) {
  *result_listener << "finding is " << arg.code() << " at " << arg.location()
                   << " about \"" << arg.project() << "\"";
  return arg.code() == code && arg.location() == location &&
         arg.project() == project;
}

// Five projects of the plan; 2569 schedules a (15,000.00), b (no amount),
// d (5,000.00) and e; c runs in 2568 only.
std::vector<v1::Project> ReconcileProjects() {
  std::vector<v1::Project> projects;
  projects.push_back(ScheduledProject("e", 5, "โครงการอี", 4, {2569}));
  projects.push_back(ScheduledProject("a", 1, "โครงการเอ", 1, {2569}));
  AddBudget(projects.back(), 2569, 1'500'000);
  projects.push_back(ScheduledProject("b", 2, "กิจกรรมบี", 1, {2568, 2569}));
  projects.push_back(ScheduledProject("c", 3, "มาตรการซี", 2, {2568}));
  AddBudget(projects.back(), 2568, 100);
  projects.push_back(ScheduledProject("d", 4, "โครงการดี", 3, {2569}));
  AddBudget(projects.back(), 2569, 500'000);
  return projects;
}

TEST(ReconcileTest, AConsistentPlanHasNoFindings) {
  v1::AnnualPlan annual;
  annual.set_be_year(2569);
  const std::vector<v1::Project> projects = ReconcileProjects();
  for (const v1::AnnualPlanEntry& entry :
       DeriveAnnualEntries(projects, 2569, std::vector<int32_t>{1, 2, 3, 4})) {
    *annual.add_entries() = entry;
  }
  ASSERT_THAT(annual.entries(), SizeIs(4));
  EXPECT_THAT(Reconcile(annual, projects), IsEmpty());

  // Entry order and quarters do not matter.
  annual.mutable_entries()->SwapElements(0, 3);
  annual.mutable_entries(1)->clear_quarters();
  EXPECT_THAT(Reconcile(annual, projects), IsEmpty());
}

TEST(ReconcileTest, EveryKindOfDrift) {
  v1::AnnualPlan annual;
  annual.set_be_year(2569);
  *annual.add_entries() = MakeEntry(ProjectName("a"), "โครงการเอ", 1, 1'500'000,
                                    {1});  // consistent
  *annual.add_entries() =
      MakeEntry(ProjectName("c"), "มาตรการซี", 2, 100, {2});  // added
  *annual.add_entries() =
      MakeEntry(ProjectName("d"), "โครงการดี", 3, 400'000, {3});  // budget
  *annual.add_entries() =
      MakeEntry("", "โครงการนอกแผน", 3, 0, {4});  // no project
  *annual.add_entries() = MakeEntry(ProjectName("zz"), "โครงการที่ไม่มี", 4, 0,
                                    {4});  // not a project of the list
  *annual.add_entries() =
      MakeEntry(ProjectName("b"), "กิจกรรมบี", 1, 0, {1});  // consistent
  // e is missing: dropped.

  const std::vector<v1::Finding> findings =
      Reconcile(annual, ReconcileProjects());
  ASSERT_THAT(
      findings,
      ElementsAre(
          IsFinding("ADDED_PROJECT", "entries[1]", ProjectName("c")),
          IsFinding("BUDGET_DIFFERS", "entries[2]", ProjectName("d")),
          IsFinding("UNKNOWN_PROJECT", "entries[3]", ""),
          IsFinding("UNKNOWN_PROJECT", "entries[4]", ProjectName("zz")),
          IsFinding("DROPPED_PROJECT", ProjectName("e"), ProjectName("e"))));
  EXPECT_EQ(findings[1].expected().satang(), 500'000);
  EXPECT_EQ(findings[1].actual().satang(), 400'000);
  for (const v1::Finding& finding : findings) {
    EXPECT_FALSE(finding.message().empty()) << finding.code();
  }
}

TEST(ReconcileTest, BudgetOfAYearWithoutAmountIsZero) {
  v1::AnnualPlan annual;
  annual.set_be_year(2569);
  const std::vector<v1::Project> projects = ReconcileProjects();
  for (const v1::AnnualPlanEntry& entry :
       DeriveAnnualEntries(projects, 2569, std::vector<int32_t>{1})) {
    *annual.add_entries() = entry;
  }
  // b (sequence 2, no YearBudget for 2569) given 2,500.00 baht.
  ASSERT_EQ(annual.entries(1).project(), ProjectName("b"));
  *annual.mutable_entries(1)->mutable_budget() = Satang(250'000);
  const std::vector<v1::Finding> findings = Reconcile(annual, projects);
  ASSERT_THAT(findings, ElementsAre(IsFinding("BUDGET_DIFFERS", "entries[1]",
                                              ProjectName("b"))));
  EXPECT_EQ(findings[0].expected().satang(), 0);
  EXPECT_EQ(findings[0].actual().satang(), 250'000);
}

TEST(ReconcileTest, DroppedProjectsInSequenceOrder) {
  v1::AnnualPlan annual;
  annual.set_be_year(2569);
  EXPECT_THAT(
      Reconcile(annual, ReconcileProjects()),
      ElementsAre(
          IsFinding("DROPPED_PROJECT", ProjectName("a"), ProjectName("a")),
          IsFinding("DROPPED_PROJECT", ProjectName("b"), ProjectName("b")),
          IsFinding("DROPPED_PROJECT", ProjectName("d"), ProjectName("d")),
          IsFinding("DROPPED_PROJECT", ProjectName("e"), ProjectName("e"))));
}

// ============================================================== rounds

TEST(LastQuarterOfTest, Rounds) {
  EXPECT_EQ(LastQuarterOf(v1::QUARTER_1), 1);
  EXPECT_EQ(LastQuarterOf(v1::HALF_YEAR), 2);
  EXPECT_EQ(LastQuarterOf(v1::QUARTER_3), 3);
  EXPECT_EQ(LastQuarterOf(v1::FULL_YEAR), 4);
}

class SummarizeRoundTest : public ::testing::Test {
 protected:
  static constexpr absl::string_view kMeasure =
      "organizations/isankhet/integrityMeasures/m1";

  SummarizeRoundTest() {
    annual_.set_name(absl::StrCat(kPlanName, "/annualPlans/2569"));
    annual_.set_be_year(2569);
    *annual_.add_entries() =
        MakeEntry(ProjectName("p1"), "โครงการหนึ่ง", 1, 100'000, {1});
    *annual_.add_entries() =
        MakeEntry(ProjectName("p2"), "โครงการสอง", 1, 200'000, {2, 4});
    // Not an item: no project, so no report can name it.
    *annual_.add_entries() = MakeEntry("", "โครงการนอกแผน", 3, 50'000, {1});
    *annual_.add_entries() =
        MakeEntry(ProjectName("p3"), "กิจกรรมสาม", 2, 300'000, {3});

    v1::IntegrityMeasure& measure = measures_.emplace_back();
    measure.set_name(std::string(kMeasure));
    measure.set_be_year(2569);
    measure.set_title("มาตรการส่งเสริมคุณธรรม");
    measure.add_quarters(2);

    // Out of order on purpose: the summary must not depend on it.
    Report("r2", ProjectName("p1"), 2569, v1::HALF_YEAR,
           v1::ProgressReport::IN_PROGRESS, 40'000, 200);
    Report("r4", ProjectName("p2"), 2569, v1::HALF_YEAR,
           v1::ProgressReport::DONE, 180'000, 400);
    Report("r1", ProjectName("p1"), 2569, v1::QUARTER_1,
           v1::ProgressReport::NOT_STARTED, 0, 100);
    Report("r3", ProjectName("p2"), 2569, v1::HALF_YEAR,
           v1::ProgressReport::IN_PROGRESS, 50'000, 300);
    Report("r5", ProjectName("p3"), 2569, v1::QUARTER_3,
           v1::ProgressReport::DONE, 300'000, 500);
    Report("r6", std::string(kMeasure), 2569, v1::FULL_YEAR,
           v1::ProgressReport::DONE, 0, 600);
    Report("r7", std::string(kMeasure), 2568, v1::HALF_YEAR,
           v1::ProgressReport::DONE, 7'000, 50);
  }

  void Report(absl::string_view id, std::string subject, int be_year,
              v1::Round round, v1::ProgressReport::Status status, int64_t spent,
              int64_t seconds) {
    v1::ProgressReport& report = reports_.emplace_back();
    report.set_name(
        absl::StrCat("organizations/isankhet/progressReports/", id));
    report.set_subject(std::move(subject));
    report.set_be_year(be_year);
    report.set_round(round);
    report.set_status(status);
    *report.mutable_spent() = Satang(spent);
    report.mutable_report_time()->set_seconds(1'750'000'000 + seconds);
  }

  v1::RoundSummary Summarize(v1::Round round) const {
    return SummarizeRound(annual_, measures_, reports_, round);
  }

  static std::vector<std::string> ReportNames(const v1::RoundSummary& summary) {
    std::vector<std::string> names;
    for (const v1::ProgressReport& report : summary.latest_reports()) {
      names.push_back(report.name());
    }
    return names;
  }

  v1::AnnualPlan annual_;
  std::vector<v1::IntegrityMeasure> measures_;
  std::vector<v1::ProgressReport> reports_;
};

struct Progress {
  int items;
  int done;
  double percent;
  int64_t approved;
  int64_t spent;
};

MATCHER_P2(IsDimensionProgress, dimension, items_done_percent_approved_spent,
           "") {
  const auto& [items, done, percent, approved, spent] =
      items_done_percent_approved_spent;
  *result_listener << "dimension " << arg.dimension() << ": " << arg.items()
                   << " items, " << arg.done() << " done, "
                   << arg.percent_done() << "%, approved "
                   << arg.approved().satang() << ", spent "
                   << arg.spent().satang();
  return arg.dimension() == dimension && arg.items() == items &&
         arg.done() == done && arg.percent_done() == percent &&
         arg.approved().satang() == approved && arg.spent().satang() == spent;
}

MATCHER_P5(IsOverdue, subject, title, dimension, last_quarter, status, "") {
  *result_listener << "overdue " << arg.subject() << " \"" << arg.title()
                   << "\" dimension " << arg.dimension() << " last quarter "
                   << arg.last_quarter() << " status " << arg.status();
  return arg.subject() == subject && arg.title() == title &&
         arg.dimension() == dimension && arg.last_quarter() == last_quarter &&
         arg.status() == status;
}

TEST_F(SummarizeRoundTest, HalfYear) {
  const v1::RoundSummary summary = Summarize(v1::HALF_YEAR);
  EXPECT_EQ(summary.annual_plan(),
            "organizations/isankhet/actionPlans/p1/annualPlans/2569");
  EXPECT_EQ(summary.be_year(), 2569);
  EXPECT_EQ(summary.round(), v1::HALF_YEAR);

  // p1, p2, p3 and the measure; p2 is done (r4 beats r3 of the same round
  // by its later time). r5 (Q3), r6 (full year) come after the round; r7 is
  // of 2568.
  EXPECT_EQ(summary.items(), 4);
  EXPECT_EQ(summary.done(), 1);
  EXPECT_DOUBLE_EQ(summary.percent_done(), 25.0);
  EXPECT_THAT(ReportNames(summary),
              ElementsAre("organizations/isankhet/progressReports/r2",
                          "organizations/isankhet/progressReports/r4"));
  EXPECT_THAT(summary.unreported(),
              ElementsAre(ProjectName("p3"), std::string(kMeasure)));

  // Approved: the items' budgets, 100,000 + 200,000 + 300,000 satang.
  EXPECT_EQ(summary.approved().satang(), 600'000);
  EXPECT_EQ(summary.spent().satang(), 40'000 + 180'000);
  EXPECT_THAT(
      summary.dimensions(),
      ElementsAre(
          IsDimensionProgress(0, Progress{1, 0, 0.0, 0, 0}),
          IsDimensionProgress(1, Progress{2, 1, 50.0, 300'000, 220'000}),
          IsDimensionProgress(2, Progress{1, 0, 0.0, 300'000, 0})));

  // Due by quarter 2 and not done: p1 (quarter 1, in progress) and the
  // measure (quarter 2, never reported). p2 runs until quarter 4.
  EXPECT_THAT(
      summary.overdue(),
      ElementsAre(IsOverdue(ProjectName("p1"), "โครงการหนึ่ง", 1, 1,
                            v1::ProgressReport::IN_PROGRESS),
                  IsOverdue(std::string(kMeasure), "มาตรการส่งเสริมคุณธรรม", 0, 2,
                            v1::ProgressReport::STATUS_UNSPECIFIED)));
}

TEST_F(SummarizeRoundTest, QuarterOne) {
  const v1::RoundSummary summary = Summarize(v1::QUARTER_1);
  EXPECT_EQ(summary.items(), 4);
  EXPECT_EQ(summary.done(), 0);
  EXPECT_DOUBLE_EQ(summary.percent_done(), 0.0);
  EXPECT_THAT(ReportNames(summary),
              ElementsAre("organizations/isankhet/progressReports/r1"));
  EXPECT_THAT(
      summary.unreported(),
      ElementsAre(ProjectName("p2"), ProjectName("p3"), std::string(kMeasure)));
  EXPECT_EQ(summary.spent().satang(), 0);
  EXPECT_THAT(summary.overdue(),
              ElementsAre(IsOverdue(ProjectName("p1"), "โครงการหนึ่ง", 1, 1,
                                    v1::ProgressReport::NOT_STARTED)));
}

TEST_F(SummarizeRoundTest, FullYear) {
  const v1::RoundSummary summary = Summarize(v1::FULL_YEAR);
  EXPECT_EQ(summary.items(), 4);
  EXPECT_EQ(summary.done(), 3);
  EXPECT_DOUBLE_EQ(summary.percent_done(), 75.0);
  EXPECT_THAT(ReportNames(summary),
              ElementsAre("organizations/isankhet/progressReports/r2",
                          "organizations/isankhet/progressReports/r4",
                          "organizations/isankhet/progressReports/r5",
                          "organizations/isankhet/progressReports/r6"));
  EXPECT_THAT(summary.unreported(), IsEmpty());
  EXPECT_EQ(summary.approved().satang(), 600'000);
  EXPECT_EQ(summary.spent().satang(), 40'000 + 180'000 + 300'000);
  EXPECT_THAT(
      summary.dimensions(),
      ElementsAre(
          IsDimensionProgress(0, Progress{1, 1, 100.0, 0, 0}),
          IsDimensionProgress(1, Progress{2, 1, 50.0, 300'000, 220'000}),
          IsDimensionProgress(2, Progress{1, 1, 100.0, 300'000, 300'000})));
  EXPECT_THAT(summary.overdue(),
              ElementsAre(IsOverdue(ProjectName("p1"), "โครงการหนึ่ง", 1, 1,
                                    v1::ProgressReport::IN_PROGRESS)));
}

TEST_F(SummarizeRoundTest, CancelledIsNotOverdue) {
  Report("r8", ProjectName("p1"), 2569, v1::HALF_YEAR,
         v1::ProgressReport::CANCELLED, 0, 800);
  Report("r9", std::string(kMeasure), 2569, v1::HALF_YEAR,
         v1::ProgressReport::POSTPONED, 0, 900);
  const v1::RoundSummary summary = Summarize(v1::HALF_YEAR);
  EXPECT_EQ(summary.done(), 1);
  EXPECT_THAT(
      summary.overdue(),
      ElementsAre(IsOverdue(std::string(kMeasure), "มาตรการส่งเสริมคุณธรรม", 0, 2,
                            v1::ProgressReport::POSTPONED)));
  EXPECT_THAT(summary.unreported(), ElementsAre(ProjectName("p3")));
}

TEST(SummarizeRoundEmptyTest, NoItems) {
  v1::AnnualPlan annual;
  annual.set_be_year(2569);
  *annual.add_entries() = MakeEntry("", "โครงการนอกแผน", 3, 50'000, {1});
  const v1::RoundSummary summary =
      SummarizeRound(annual, {}, {}, v1::FULL_YEAR);
  EXPECT_EQ(summary.items(), 0);
  EXPECT_EQ(summary.done(), 0);
  EXPECT_EQ(summary.percent_done(), 0.0);
  EXPECT_THAT(summary.dimensions(), IsEmpty());
  EXPECT_THAT(summary.overdue(), IsEmpty());
  EXPECT_THAT(summary.unreported(), IsEmpty());
}

// ============================================================== targets

TEST(EvaluateTargetsTest, MetNotMetAndUnknownSortedByYear) {
  v1::ActionPlan plan = TreePlan();
  // 2568: ITA exactly on target; 10 → 7 cases is 30 %, target 30.
  v1::YearTarget& y2568 = *plan.add_targets();
  y2568.set_be_year(2568);
  y2568.set_ita_score_target(85.0);
  y2568.set_actual_ita_score(85.0);
  y2568.set_corruption_case_reduction_percent(30);
  y2568.set_base_be_year(2565);
  y2568.set_base_corruption_cases(10);
  y2568.set_actual_corruption_cases(7);
  // 2567: ITA below; 30 % achieved against 40.
  v1::YearTarget& y2567 = *plan.add_targets();
  y2567.set_be_year(2567);
  y2567.set_ita_score_target(87.0);
  y2567.set_actual_ita_score(86.99);
  y2567.set_corruption_case_reduction_percent(40);
  y2567.set_base_be_year(2565);
  y2567.set_base_corruption_cases(10);
  y2567.set_actual_corruption_cases(7);
  // 2570: base 0, one case.
  v1::YearTarget& y2570 = *plan.add_targets();
  y2570.set_be_year(2570);
  y2570.set_ita_score_target(93.0);
  y2570.set_corruption_case_reduction_percent(50);
  y2570.set_base_be_year(2565);
  y2570.set_base_corruption_cases(0);
  y2570.set_actual_corruption_cases(1);
  // 2566: nothing known yet.
  v1::YearTarget& y2566 = *plan.add_targets();
  y2566.set_be_year(2566);
  y2566.set_ita_score_target(85.0);
  y2566.set_corruption_case_reduction_percent(10);
  y2566.set_base_be_year(2565);
  y2566.set_base_corruption_cases(10);
  // 2569: an actual without a target; base 0 and no case.
  v1::YearTarget& y2569 = *plan.add_targets();
  y2569.set_be_year(2569);
  y2569.set_actual_ita_score(90.0);
  y2569.set_corruption_case_reduction_percent(40);
  y2569.set_base_be_year(2565);
  y2569.set_base_corruption_cases(0);
  y2569.set_actual_corruption_cases(0);
  ASSERT_THAT(ValidateTargets("targets", plan), IsOk());

  const std::vector<v1::TargetEvaluation> years = EvaluateTargets(plan);
  ASSERT_THAT(years, SizeIs(5));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(years[i].be_year(), 2566 + i);
    EXPECT_EQ(years[i].target().be_year(), 2566 + i);
  }
  using R = v1::TargetEvaluation;
  // 2566
  EXPECT_EQ(years[0].ita_score(), R::UNKNOWN);
  EXPECT_EQ(years[0].corruption_cases(), R::UNKNOWN);
  EXPECT_FALSE(years[0].has_achieved_reduction_percent());
  EXPECT_EQ(years[0].target().ita_score_target(), 85.0);
  // 2567
  EXPECT_EQ(years[1].ita_score(), R::NOT_MET);
  EXPECT_EQ(years[1].corruption_cases(), R::NOT_MET);
  ASSERT_TRUE(years[1].has_achieved_reduction_percent());
  EXPECT_NEAR(years[1].achieved_reduction_percent(), 30.0, 1e-9);
  // 2568
  EXPECT_EQ(years[2].ita_score(), R::MET);
  EXPECT_EQ(years[2].corruption_cases(), R::MET);
  ASSERT_TRUE(years[2].has_achieved_reduction_percent());
  EXPECT_NEAR(years[2].achieved_reduction_percent(), 30.0, 1e-9);
  // 2569
  EXPECT_EQ(years[3].ita_score(), R::UNKNOWN);
  EXPECT_EQ(years[3].corruption_cases(), R::MET);
  // 2570
  EXPECT_EQ(years[4].ita_score(), R::UNKNOWN);
  EXPECT_EQ(years[4].corruption_cases(), R::NOT_MET);
  EXPECT_FALSE(years[4].has_achieved_reduction_percent());
}

TEST(EvaluateTargetsTest, MoreCasesThanTheBaseIsNotMet) {
  v1::ActionPlan plan = TreePlan();
  v1::YearTarget& target = *plan.add_targets();
  target.set_be_year(2567);
  target.set_corruption_case_reduction_percent(0);
  target.set_base_be_year(2565);
  target.set_base_corruption_cases(4);
  target.set_actual_corruption_cases(5);
  const std::vector<v1::TargetEvaluation> years = EvaluateTargets(plan);
  ASSERT_THAT(years, SizeIs(1));
  EXPECT_EQ(years[0].corruption_cases(), v1::TargetEvaluation::NOT_MET);
  EXPECT_NEAR(years[0].achieved_reduction_percent(), -25.0, 1e-9);
  // Counts without a reduction target say nothing.
  plan.mutable_targets(0)->clear_corruption_case_reduction_percent();
  EXPECT_EQ(EvaluateTargets(plan)[0].corruption_cases(),
            v1::TargetEvaluation::UNKNOWN);
  EXPECT_THAT(EvaluateTargets(TreePlan()), IsEmpty());
}

}  // namespace
}  // namespace prongsai::plan
