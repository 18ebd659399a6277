// ImportIntegrityMeasures and ImportProgressReports through gRPC, on SQLite
// and PostgreSQL: a measures table and a progress report the test writes in
// the shapes seeds 000, 003 and 004 show (Thai and Arabic digits, a cell
// broken over two lines, a damaged row), stored whole or not at all, read
// back through the List RPCs after every call, refused and repeated calls
// changing nothing.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/plan/v1/plan.grpc.pb.h"
#include "services/plan/plan_service.h"
#include "tests/services/service_test_util.h"

namespace prongsai::plan {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::kOrganization;
using ::prongsai::testing::kOtherParent;
using ::prongsai::testing::kParent;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using Stub = v1::PlanService::Stub;

constexpr int kYear = 2568;

// Three measures under two ITA issues; the second's guideline and steps
// run on to a second line, as PDF converters leave a broken cell.
constexpr char kMeasuresTable[] =
    "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน\n"
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘\n"
    "\n"
    "มาตรการ\tแนวทางการปฏิบัติ\tขั้นตอน/วิธีการปฏิบัติ\tผู้รับผิดชอบ\t"
    "ระยะเวลาดำเนินการ\tการติดตามผล\tตัวชี้วัด ITA\n"
    "ประเด็นที่ ๑ การเปิดเผยข้อมูล\t\t\t\t\t\t\n"
    "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ\tเผยแพร่ข้อมูลบนเว็บไซต์\t"
    "๑. จัดทำรายการ ๒. เผยแพร่\tสำนักปลัด\tไตรมาส ๑-๔\tรายงานทุกไตรมาส\t"
    "o๑\n"
    "มาตรการตรวจสอบการใช้ดุลพินิจ\tจัดทำคู่มือ\t1. จัดทำคู่มือ\tกองคลัง\t"
    "ม.ค.-มี.ค. 68\tรายงานประจำเดือน\ti5\n"
    "\tและกำหนดบทบาทผู้บริหาร\t2. ประกาศ\t\t\t\t\n"
    "ประเด็นที่ ๒ การป้องกันการทุจริต\t\t\t\t\t\t\n"
    "มาตรการป้องกันการรับสินบน\tประกาศเจตนารมณ์\t1) ประกาศ\tปลัด\t"
    "ตลอดปีงบประมาณ\tสรุปผลรอบ ๖ เดือน\ti13\n";

// The same table with a row that has a title and nothing else.
std::string DamagedTable() {
  return absl::StrCat(kMeasuresTable, "มาตรการที่เสียหาย\t\t\t\t\t\t\n");
}

// The 6-month report on two of the measures; the first title is written
// with a space the PDF converter put in, which matching ignores.
constexpr char kHalfYearReport[] =
    "รายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส\n"
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๘ (รอบ ๖ เดือน)\n"
    "\n"
    "มาตรการ\tรายละเอียดการดำเนินงาน\tระยะเวลาการดำเนินงาน\t"
    "ผลการดำเนินการ\t\n"
    "\t\t\tผลผลิต\tผลลัพธ์\n"
    "มาตรการเผยแพร่ข้อมูล ต่อสาธารณะ\tเผยแพร่ ๑๒ รายการ "
    "https://example.go.th/oit\tต.ค. ๖๗ - มี.ค. ๖๘\tข้อมูลครบ\t"
    "ประชาชนเข้าถึงข้อมูล\n"
    "มาตรการป้องกันการรับสินบน\t\t\t\t\n";

class PaperworkImportTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    StartService(PlanServiceDefinition(), "");
    if (IsSkipped() || HasFatalFailure()) return;
    stub_ = v1::PlanService::NewStub(service().channel());
    v1::CreateOrganizationRequest request;
    common::v1::OrganizationRef* ref =
        request.mutable_organization()->mutable_organization();
    ref->set_code(std::string(kOrganization));
    ref->set_name("อบต.ทดสอบ");
    ref->set_province("ยโสธร");
    ref->set_district("เมืองยโสธร");
    ref->set_kind(common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION);
    v1::Organization created;
    ASSERT_THAT(
        Call(&Stub::CreateOrganization, Caller::kSystem, request, &created),
        GrpcIsOk());
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                 const Request&, Response*),
                    Caller caller, const Request& request, Response* response) {
    std::unique_ptr<grpc::ClientContext> context = service().Context(caller);
    return (stub_.get()->*method)(context.get(), request, response);
  }

  static v1::ImportIntegrityMeasuresRequest MeasuresRequest(
      absl::string_view text, absl::string_view request_id = "") {
    v1::ImportIntegrityMeasuresRequest request;
    request.set_parent(std::string(kParent));
    request.set_be_year(kYear);
    request.set_text(std::string(text));
    request.set_request_id(std::string(request_id));
    return request;
  }

  static v1::ImportProgressReportsRequest ReportRequest(
      absl::string_view text, absl::string_view request_id = "") {
    v1::ImportProgressReportsRequest request;
    request.set_parent(std::string(kParent));
    request.set_be_year(kYear);
    request.set_text(std::string(text));
    request.set_request_id(std::string(request_id));
    return request;
  }

  grpc::Status ImportMeasures(const v1::ImportIntegrityMeasuresRequest& request,
                              v1::ImportIntegrityMeasuresResponse* out) {
    return Call(&Stub::ImportIntegrityMeasures, Caller::kOperator, request,
                out);
  }

  grpc::Status ImportReports(const v1::ImportProgressReportsRequest& request,
                             v1::ImportProgressReportsResponse* out) {
    return Call(&Stub::ImportProgressReports, Caller::kOperator, request, out);
  }

  // The stored measures' titles, as ListIntegrityMeasures gives them.
  std::vector<std::string> StoredTitles() {
    v1::ListIntegrityMeasuresRequest request;
    request.set_parent(std::string(kParent));
    request.set_be_year(kYear);
    request.set_page_size(100);
    v1::ListIntegrityMeasuresResponse response;
    EXPECT_THAT(Call(&Stub::ListIntegrityMeasures, Caller::kAuditor, request,
                     &response),
                GrpcIsOk());
    std::vector<std::string> titles;
    for (const v1::IntegrityMeasure& measure : response.integrity_measures()) {
      titles.push_back(measure.title());
    }
    return titles;
  }

  std::vector<v1::ProgressReport> StoredReports() {
    v1::ListProgressReportsRequest request;
    request.set_parent(std::string(kParent));
    request.set_be_year(kYear);
    request.set_page_size(100);
    v1::ListProgressReportsResponse response;
    EXPECT_THAT(
        Call(&Stub::ListProgressReports, Caller::kAuditor, request, &response),
        GrpcIsOk());
    return {response.progress_reports().begin(),
            response.progress_reports().end()};
  }

  // Stores kMeasuresTable and returns what the import answered.
  v1::ImportIntegrityMeasuresResponse StoreMeasures() {
    v1::ImportIntegrityMeasuresResponse response;
    EXPECT_THAT(ImportMeasures(MeasuresRequest(kMeasuresTable), &response),
                GrpcIsOk());
    return response;
  }

  std::unique_ptr<Stub> stub_;
};

INSTANTIATE_TEST_SUITE_P(Backends, PaperworkImportTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

const std::vector<std::string> kTitles = {"มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
                                          "มาตรการตรวจสอบการใช้ดุลพินิจ",
                                          "มาตรการป้องกันการรับสินบน"};

TEST_P(PaperworkImportTest, ATableBecomesTheYearsMeasuresInItsOrder) {
  const v1::ImportIntegrityMeasuresResponse imported = StoreMeasures();
  EXPECT_TRUE(imported.stored());
  EXPECT_THAT(imported.findings(), IsEmpty());
  ASSERT_THAT(imported.integrity_measures(), SizeIs(3));
  const v1::IntegrityMeasure& broken = imported.integrity_measures(1);
  EXPECT_EQ(broken.title(), kTitles[1]);
  EXPECT_EQ(broken.be_year(), kYear);
  EXPECT_EQ(broken.owner(), "กองคลัง");
  // The broken cell joined back; ม.ค.-มี.ค. is the fiscal year's Q2.
  EXPECT_EQ(broken.guideline(), "จัดทำคู่มือ และกำหนดบทบาทผู้บริหาร");
  EXPECT_THAT(broken.quarters(), ElementsAre(2));
  EXPECT_THAT(broken.ita_indicators(), ElementsAre("i5"));
  EXPECT_THAT(imported.integrity_measures(0).quarters(),
              ElementsAre(1, 2, 3, 4));
  EXPECT_THAT(imported.integrity_measures(0).ita_indicators(),
              ElementsAre("o1"));
  EXPECT_EQ(imported.integrity_measures(2).ita_issue(),
            "ประเด็นที่ ๒ การป้องกันการทุจริต");
  for (const v1::IntegrityMeasure& measure : imported.integrity_measures()) {
    EXPECT_THAT(measure.name(), ::testing::StartsWith(absl::StrCat(
                                    kParent, "/integrityMeasures/")));
    EXPECT_EQ(measure.audit().creator(),
              testing::CallerName(Caller::kOperator));
  }
  // Listed in the table's order, not by random id.
  EXPECT_EQ(StoredTitles(), kTitles);
}

TEST_P(PaperworkImportTest, ADamagedRowStoresNothing) {
  v1::ImportIntegrityMeasuresResponse response;
  ASSERT_THAT(ImportMeasures(MeasuresRequest(DamagedTable()), &response),
              GrpcIsOk());
  EXPECT_FALSE(response.stored());
  ASSERT_THAT(response.findings(), SizeIs(1));
  EXPECT_EQ(response.findings(0).severity(), v1::Finding::ERROR);
  EXPECT_EQ(response.findings(0).code(), "UNREADABLE_ROW");
  EXPECT_THAT(response.findings(0).location(), ::testing::StartsWith("line "));
  // What was read is shown, nothing named: nothing was stored.
  ASSERT_THAT(response.integrity_measures(), SizeIs(3));
  EXPECT_THAT(response.integrity_measures(0).name(), IsEmpty());
  EXPECT_THAT(StoredTitles(), IsEmpty());
}

TEST_P(PaperworkImportTest, ValidateOnlyStoresNothing) {
  v1::ImportIntegrityMeasuresRequest request = MeasuresRequest(kMeasuresTable);
  request.set_validate_only(true);
  v1::ImportIntegrityMeasuresResponse response;
  ASSERT_THAT(ImportMeasures(request, &response), GrpcIsOk());
  EXPECT_FALSE(response.stored());
  EXPECT_THAT(response.findings(), IsEmpty());
  EXPECT_THAT(response.integrity_measures(), SizeIs(3));
  EXPECT_THAT(StoredTitles(), IsEmpty());
}

TEST_P(PaperworkImportTest, ImportingTheSameTableAgainAddsNothing) {
  StoreMeasures();
  v1::ImportIntegrityMeasuresResponse again;
  ASSERT_THAT(ImportMeasures(MeasuresRequest(kMeasuresTable), &again),
              GrpcIsOk());
  EXPECT_FALSE(again.stored());
  EXPECT_THAT(again.integrity_measures(), IsEmpty());
  ASSERT_THAT(again.findings(), SizeIs(3));
  for (const v1::Finding& finding : again.findings()) {
    EXPECT_EQ(finding.code(), "MEASURE_EXISTS");
    EXPECT_EQ(finding.severity(), v1::Finding::WARNING);
  }
  EXPECT_EQ(StoredTitles(), kTitles);
}

TEST_P(PaperworkImportTest, ARepeatedRequestIdAnswersWithTheFirstImport) {
  v1::ImportIntegrityMeasuresResponse first;
  ASSERT_THAT(
      ImportMeasures(MeasuresRequest(kMeasuresTable, "import-1"), &first),
      GrpcIsOk());
  v1::ImportIntegrityMeasuresResponse repeat;
  ASSERT_THAT(
      ImportMeasures(MeasuresRequest(kMeasuresTable, "import-1"), &repeat),
      GrpcIsOk());
  EXPECT_TRUE(repeat.stored());
  ASSERT_THAT(repeat.integrity_measures(), SizeIs(3));
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(repeat.integrity_measures(i).name(),
              first.integrity_measures(i).name());
  }
  EXPECT_EQ(StoredTitles(), kTitles);
  // The rows' own request ids are not a caller's: a measure created with
  // "import-1 2" is its own.
  v1::CreateIntegrityMeasureRequest create;
  create.set_parent(std::string(kParent));
  create.set_request_id("import-1-2");
  create.mutable_integrity_measure()->set_be_year(kYear);
  create.mutable_integrity_measure()->set_title("มาตรการอื่น");
  v1::IntegrityMeasure other;
  EXPECT_THAT(
      Call(&Stub::CreateIntegrityMeasure, Caller::kOperator, create, &other),
      GrpcIsOk());
  EXPECT_THAT(StoredTitles(), SizeIs(4));
}

TEST_P(PaperworkImportTest, BadRequestsAreRefusedWithTheirField) {
  v1::ImportIntegrityMeasuresResponse measures;
  EXPECT_THAT(ImportMeasures(MeasuresRequest(""), &measures),
              IsInvalidField("text"));
  v1::ImportIntegrityMeasuresRequest bad_year = MeasuresRequest(kMeasuresTable);
  bad_year.set_be_year(1999);
  EXPECT_THAT(ImportMeasures(bad_year, &measures), IsInvalidField("be_year"));
  v1::ImportIntegrityMeasuresRequest bad_id =
      MeasuresRequest(kMeasuresTable, "has space");
  EXPECT_THAT(ImportMeasures(bad_id, &measures), IsInvalidField("request_id"));
  v1::ImportProgressReportsRequest quarter = ReportRequest(kHalfYearReport);
  quarter.set_round(v1::QUARTER_1);
  v1::ImportProgressReportsResponse reports;
  EXPECT_THAT(ImportReports(quarter, &reports), IsInvalidField("round"));
  // Another organization's operator, and an unregistered organization.
  v1::ImportIntegrityMeasuresRequest other = MeasuresRequest(kMeasuresTable);
  other.set_parent(std::string(kOtherParent));
  EXPECT_THAT(
      Call(&Stub::ImportIntegrityMeasures, Caller::kOperator, other, &measures),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(
      Call(&Stub::ImportIntegrityMeasures, Caller::kSystem, other, &measures),
      GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Call(&Stub::ImportIntegrityMeasures, Caller::kAuditor,
                   MeasuresRequest(kMeasuresTable), &measures),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(StoredTitles(), IsEmpty());
}

TEST_P(PaperworkImportTest, AReportBecomesTheRoundsReportsOnItsMeasures) {
  const v1::ImportIntegrityMeasuresResponse measures = StoreMeasures();
  ASSERT_THAT(measures.integrity_measures(), SizeIs(3));
  v1::ImportProgressReportsResponse imported;
  ASSERT_THAT(ImportReports(ReportRequest(kHalfYearReport), &imported),
              GrpcIsOk());
  EXPECT_TRUE(imported.stored());
  // The round the document names.
  EXPECT_EQ(imported.round(), v1::HALF_YEAR);
  EXPECT_THAT(imported.findings(), IsEmpty());
  ASSERT_THAT(imported.progress_reports(), SizeIs(2));
  const v1::ProgressReport& published = imported.progress_reports(0);
  EXPECT_EQ(published.subject(), measures.integrity_measures(0).name());
  EXPECT_EQ(published.round(), v1::HALF_YEAR);
  EXPECT_EQ(published.status(), v1::ProgressReport::IN_PROGRESS);
  EXPECT_EQ(published.output(), "ข้อมูลครบ");
  EXPECT_EQ(published.outcome(), "ประชาชนเข้าถึงข้อมูล");
  EXPECT_THAT(published.evidence_uris(),
              ElementsAre("https://example.go.th/oit"));
  // A row that reports nothing: the measure has not started.
  EXPECT_EQ(imported.progress_reports(1).subject(),
            measures.integrity_measures(2).name());
  EXPECT_EQ(imported.progress_reports(1).status(),
            v1::ProgressReport::NOT_STARTED);

  const std::vector<v1::ProgressReport> stored = StoredReports();
  ASSERT_THAT(stored, SizeIs(2));
  EXPECT_EQ(stored[0].name(), published.name());
  EXPECT_EQ(stored[0].reporter(), testing::CallerName(Caller::kOperator));
  EXPECT_EQ(stored[1].subject(), measures.integrity_measures(2).name());
}

TEST_P(PaperworkImportTest, ARowNamingNoMeasureStoresNothing) {
  StoreMeasures();
  v1::ImportProgressReportsResponse imported;
  ASSERT_THAT(ImportReports(ReportRequest(absl::StrCat(
                                kHalfYearReport,
                                "มาตรการที่ไม่มีในระบบ\tทำแล้ว\tไตรมาส 1\t"
                                "มีผล\tดี\n")),
                            &imported),
              GrpcIsOk());
  EXPECT_FALSE(imported.stored());
  ASSERT_THAT(imported.findings(), SizeIs(1));
  EXPECT_EQ(imported.findings(0).code(), "UNKNOWN_MEASURE");
  EXPECT_EQ(imported.findings(0).severity(), v1::Finding::ERROR);
  EXPECT_THAT(imported.progress_reports(), SizeIs(2));
  EXPECT_THAT(StoredReports(), IsEmpty());
}

TEST_P(PaperworkImportTest, AReportBeforeItsMeasuresMatchesNothing) {
  v1::ImportProgressReportsResponse imported;
  ASSERT_THAT(ImportReports(ReportRequest(kHalfYearReport), &imported),
              GrpcIsOk());
  EXPECT_FALSE(imported.stored());
  ASSERT_THAT(imported.findings(), SizeIs(2));
  EXPECT_EQ(imported.findings(0).code(), "UNKNOWN_MEASURE");
  EXPECT_THAT(StoredReports(), IsEmpty());
}

TEST_P(PaperworkImportTest, TheCallersRoundOverridesTheDocuments) {
  StoreMeasures();
  v1::ImportProgressReportsRequest request = ReportRequest(kHalfYearReport);
  request.set_round(v1::FULL_YEAR);
  v1::ImportProgressReportsResponse imported;
  ASSERT_THAT(ImportReports(request, &imported), GrpcIsOk());
  EXPECT_EQ(imported.round(), v1::FULL_YEAR);
  EXPECT_TRUE(imported.stored());
  // Stored as asked, with a warning on the line that says otherwise.
  ASSERT_THAT(imported.findings(), SizeIs(1));
  EXPECT_EQ(imported.findings(0).code(), "ROUND_DIFFERS");
  EXPECT_EQ(imported.findings(0).severity(), v1::Finding::WARNING);
  EXPECT_EQ(imported.findings(0).location(), "line 2");
  ASSERT_THAT(imported.progress_reports(), SizeIs(2));
  // At 12 months a row that reports something is done.
  EXPECT_EQ(imported.progress_reports(0).status(), v1::ProgressReport::DONE);
  EXPECT_EQ(imported.progress_reports(0).round(), v1::FULL_YEAR);
}

TEST_P(PaperworkImportTest, ReportsRepeatAndDryRunWithoutWriting) {
  StoreMeasures();
  v1::ImportProgressReportsRequest dry = ReportRequest(kHalfYearReport);
  dry.set_validate_only(true);
  v1::ImportProgressReportsResponse dry_run;
  ASSERT_THAT(ImportReports(dry, &dry_run), GrpcIsOk());
  EXPECT_FALSE(dry_run.stored());
  EXPECT_THAT(dry_run.progress_reports(), SizeIs(2));
  EXPECT_THAT(StoredReports(), IsEmpty());

  v1::ImportProgressReportsResponse first;
  ASSERT_THAT(ImportReports(ReportRequest(kHalfYearReport, "half-1"), &first),
              GrpcIsOk());
  v1::ImportProgressReportsResponse repeat;
  ASSERT_THAT(ImportReports(ReportRequest(kHalfYearReport, "half-1"), &repeat),
              GrpcIsOk());
  ASSERT_THAT(repeat.progress_reports(), SizeIs(2));
  EXPECT_EQ(repeat.progress_reports(0).name(),
            first.progress_reports(0).name());
  EXPECT_EQ(repeat.progress_reports(1).name(),
            first.progress_reports(1).name());
  EXPECT_THAT(StoredReports(), SizeIs(2));
}

}  // namespace
}  // namespace prongsai::plan
