// The complaint register export through gRPC on SQLite and PostgreSQL: the
// CSV parses back (BOM, Thai headings, quoted Thai text), holds exactly the
// complaints of the period asked for, never a tracking code, identities only
// for an integrity officer (each one logged in the identity-access log), and
// corruption reports only for callers who may read them.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prongsai/complaint/v1/complaint.grpc.pb.h"
#include "services/complaint/complaint_service.h"
#include "tests/services/complaint/complaint_test_util.h"
#include "tests/services/service_test_util.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::Backend;
using ::prongsai::testing::BackendName;
using ::prongsai::testing::Caller;
using ::prongsai::testing::GrpcIsOk;
using ::prongsai::testing::GrpcStatusIs;
using ::prongsai::testing::IsInvalidField;
using ::prongsai::testing::kParent;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using C = v1::Complaint;
using Records = std::vector<std::vector<std::string>>;

constexpr absl::string_view kBom = "\xEF\xBB\xBF";
constexpr absl::string_view kReporter = "สมหญิง ผู้แจ้งRPT551";
constexpr absl::string_view kReporterPhone = "0812223344";
constexpr absl::string_view kAccused = "นายกล่าวหา ทดสอบACC772";
// A subject a naive writer would break: a comma, quotes and a line break.
constexpr absl::string_view kTrickySubject =
    "ถนนชำรุด, น้ำท่วม \"หมู่ ๓\"\r\nซ่อมด่วน";
constexpr absl::string_view kReason = "ตรวจสอบทะเบียนตามคำสั่งที่ ๒/๒๕๖๙";

// RFC 4180, as a spreadsheet reads it: quoted fields may hold commas,
// doubled quotes and line breaks; records end with CRLF.
Records ParseCsv(absl::string_view text) {
  Records records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
      ++i;
    } else {
      field += c;
    }
  }
  EXPECT_FALSE(quoted) << "unterminated quoted field";
  EXPECT_TRUE(field.empty() && record.empty()) << "last record without CRLF";
  return records;
}

class ComplaintExportTest : public testing::ServiceTest {
 protected:
  void SetUp() override {
    StartService(
        ComplaintServiceDefinition(testing::ComplaintOptionsForTest()));
    if (IsSkipped()) return;
    ASSERT_NE(service_, nullptr);
    stub_ = v1::ComplaintService::NewStub(service().channel());
  }

  C File(C::Kind kind, absl::string_view subject = "ไฟฟ้าส่องสว่างดับ") {
    v1::CreateComplaintRequest request;
    request.set_parent(std::string(kParent));
    C* complaint = request.mutable_complaint();
    complaint->set_kind(kind);
    complaint->set_channel(C::LINE);
    complaint->set_subject(std::string(subject));
    complaint->set_description("รายละเอียดเรื่อง");
    complaint->mutable_place()->set_village("บ้านหนองบัว หมู่ที่ ๓");
    complaint->mutable_place()->set_subdistrict("ท่าช้าง");
    complaint->mutable_complainant()->set_name(std::string(kReporter));
    complaint->mutable_complainant()->set_contact(std::string(kReporterPhone));
    if (kind == C::CORRUPTION) {
      complaint->mutable_accused()->set_name(std::string(kAccused));
      complaint->mutable_accused()->set_position("นักวิชาการพัสดุ");
    }
    C created;
    EXPECT_THAT(
        stub_->CreateComplaint(service().Context(Caller::kAnonymous).get(),
                               request, &created),
        GrpcIsOk());
    EXPECT_FALSE(created.tracking_code().empty());
    tracking_codes_.push_back(created.tracking_code());
    // Filings at one instant have no order; the register lists by time.
    clock_.Advance(absl::Minutes(1));
    return created;
  }

  void Move(const std::string& name, C::State to) {
    v1::TransitionComplaintRequest request;
    request.set_name(name);
    request.set_target_state(to);
    request.set_note("ดำเนินการ");
    if (to == C::ASSIGNED) request.set_assignee("กองช่าง");
    if (to == C::RESOLVED) request.set_resolution("ซ่อมแล้ว");
    C ignored;
    ASSERT_THAT(
        stub_->TransitionComplaint(service().Context(Caller::kSystem).get(),
                                   request, &ignored),
        GrpcIsOk());
  }

  grpc::Status Export(Caller caller, int month, v1::ExportedDocument* out,
                      absl::string_view reason = "") {
    v1::ExportComplaintsRequest request;
    request.set_parent(std::string(kParent));
    request.mutable_fiscal_year()->set_be_year(2569);
    request.set_month(month);
    request.set_reason(std::string(reason));
    return stub_->ExportComplaints(service().Context(caller).get(), request,
                                   out);
  }

  // The records after the header, checking the file's frame on the way.
  Records Rows(Caller caller, int month, absl::string_view reason = "") {
    v1::ExportedDocument document;
    EXPECT_THAT(Export(caller, month, &document, reason), GrpcIsOk());
    EXPECT_EQ(document.content_type(), "text/csv; charset=utf-8");
    const std::string& content = document.content();
    EXPECT_TRUE(absl::StartsWith(content, kBom));
    for (const std::string& code : tracking_codes_) {
      EXPECT_FALSE(absl::StrContains(content, code)) << "a tracking code";
    }
    Records records = ParseCsv(absl::string_view(content).substr(kBom.size()));
    EXPECT_FALSE(records.empty());
    if (records.empty()) return records;
    header_ = records.front();
    for (const auto& record : records) {
      EXPECT_EQ(record.size(), header_.size()) << "not a rectangle";
    }
    records.erase(records.begin());
    return records;
  }

  // The field under `heading` of `record` (the header of the last Rows).
  std::string Field(const std::vector<std::string>& record,
                    absl::string_view heading) {
    for (size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == heading) return record[i];
    }
    ADD_FAILURE() << "no column " << heading;
    return "";
  }

  std::vector<std::string> Column(const Records& records,
                                  absl::string_view heading) {
    std::vector<std::string> values;
    for (const auto& record : records) {
      values.push_back(Field(record, heading));
    }
    return values;
  }

  std::vector<v1::IdentityAccess> AccessLog() {
    v1::ListIdentityAccessesRequest request;
    request.set_parent(std::string(kParent));
    v1::ListIdentityAccessesResponse response;
    EXPECT_THAT(
        stub_->ListIdentityAccesses(service().Context(Caller::kAuditor).get(),
                                    request, &response),
        GrpcIsOk());
    return {response.accesses().begin(), response.accesses().end()};
  }

  static std::string Id(const C& complaint) {
    return complaint.name().substr(complaint.name().rfind('/') + 1);
  }

  std::unique_ptr<v1::ComplaintService::Stub> stub_;
  std::vector<std::string> tracking_codes_;
  std::vector<std::string> header_;
};

TEST_P(ComplaintExportTest, RegisterParsesBackAndHoldsOnlyItsPeriod) {
  // October 2025 (month 10 of FY 2569): two general complaints and a
  // corruption report; November: one more.
  C tricky = File(C::GENERAL, kTrickySubject);
  C resolved = File(C::GENERAL);
  C report = File(C::CORRUPTION);
  clock_.Advance(absl::Hours(24));
  Move(resolved.name(), C::ACKNOWLEDGED);
  Move(resolved.name(), C::ASSIGNED);
  Move(resolved.name(), C::IN_PROGRESS);
  clock_.Advance(absl::Hours(48));
  Move(resolved.name(), C::RESOLVED);
  clock_.Advance(absl::Hours(31 * 24));
  C november = File(C::GENERAL);

  Records october = Rows(Caller::kSystem, 10);
  EXPECT_THAT(
      header_,
      ElementsAre("ลำดับ", "เลขที่", "วันที่รับเรื่อง", "ประเภท", "ช่องทาง", "หมวดหมู่",
                  "เรื่อง", "สถานที่เกิดเหตุ", "สถานะ", "กำหนดแล้วเสร็จ", "วันที่แล้วเสร็จ",
                  "จำนวนวันที่ใช้", "ภายในกำหนด", "คะแนนความพึงพอใจ", "ชื่อผู้ร้องเรียน",
                  "ช่องทางติดต่อผู้ร้องเรียน", "ชื่อผู้ถูกร้องเรียน", "ตำแหน่งผู้ถูกร้องเรียน"));
  ASSERT_EQ(october.size(), 3u);
  EXPECT_THAT(Column(october, "เลขที่"),
              ElementsAre(Id(tricky), Id(resolved), Id(report)));
  EXPECT_THAT(Column(october, "ลำดับ"), ElementsAre("1", "2", "3"));
  // The subject with a comma, quotes and a line break comes back whole.
  EXPECT_EQ(Field(october[0], "เรื่อง"), kTrickySubject);
  // 1 October 2025 09:30 UTC is 16:30 in Bangkok, B.E. 2568; due 15 days on.
  EXPECT_EQ(Field(october[0], "วันที่รับเรื่อง"), "1 ต.ค. 2568");
  EXPECT_EQ(Field(october[0], "กำหนดแล้วเสร็จ"), "16 ต.ค. 2568");
  EXPECT_EQ(Field(october[0], "ช่องทาง"), "ไลน์");
  EXPECT_EQ(Field(october[0], "สถานที่เกิดเหตุ"), "บ้านหนองบัว หมู่ที่ ๓ ต.ท่าช้าง");
  EXPECT_EQ(Field(october[0], "วันที่แล้วเสร็จ"), "-");
  // Resolved after 3 days, within its 15.
  EXPECT_EQ(Field(october[1], "วันที่แล้วเสร็จ"), "4 ต.ค. 2568");
  EXPECT_EQ(Field(october[1], "จำนวนวันที่ใช้"), "3");
  EXPECT_EQ(Field(october[1], "ภายในกำหนด"), "ใช่");
  EXPECT_EQ(Field(october[2], "ประเภท"), "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ");
  // SYSTEM keys read corruption reports but are shown no identity.
  for (absl::string_view identity_column :
       {"ชื่อผู้ร้องเรียน", "ช่องทางติดต่อผู้ร้องเรียน", "ชื่อผู้ถูกร้องเรียน",
        "ตำแหน่งผู้ถูกร้องเรียน"}) {
    EXPECT_THAT(Column(october, identity_column), ElementsAre("", "", ""));
  }

  EXPECT_THAT(Column(Rows(Caller::kSystem, 11), "เลขที่"),
              ElementsAre(Id(november)));
  EXPECT_THAT(Column(Rows(Caller::kAuditor, 0), "เลขที่"),
              ElementsAre(Id(tricky), Id(resolved), Id(report), Id(november)));
  EXPECT_THAT(Rows(Caller::kSystem, 12), IsEmpty());
  // An operator may be the official a report accuses: general ones only.
  EXPECT_THAT(Column(Rows(Caller::kOperator, 0), "เลขที่"),
              ElementsAre(Id(tricky), Id(resolved), Id(november)));
  EXPECT_THAT(AccessLog(), IsEmpty());
}

TEST_P(ComplaintExportTest, NoIdentityLeavesTheServiceButForOfficers) {
  File(C::GENERAL);
  File(C::CORRUPTION);
  for (Caller caller : {Caller::kOperator, Caller::kAuditor, Caller::kSystem}) {
    v1::ExportedDocument document;
    ASSERT_THAT(Export(caller, 10, &document), GrpcIsOk());
    for (absl::string_view secret : {kReporter, kReporterPhone, kAccused}) {
      EXPECT_FALSE(absl::StrContains(document.content(), secret))
          << testing::CallerName(caller);
    }
  }
  EXPECT_THAT(AccessLog(), IsEmpty());
}

TEST_P(ComplaintExportTest, OfficersSeeReportersAndEachReadIsLogged) {
  C general = File(C::GENERAL);
  C first = File(C::CORRUPTION);
  C second = File(C::CORRUPTION);

  // Without a reason nothing is read, and nothing logged.
  v1::ExportedDocument document;
  EXPECT_THAT(Export(Caller::kIntegrityOfficer, 10, &document),
              IsInvalidField("reason"));
  EXPECT_THAT(AccessLog(), IsEmpty());

  Records rows = Rows(Caller::kIntegrityOfficer, 10, kReason);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_THAT(Column(rows, "เลขที่"),
              ElementsAre(Id(general), Id(first), Id(second)));
  // Identities of corruption reports only; a general complainant's never.
  EXPECT_THAT(Column(rows, "ชื่อผู้ร้องเรียน"),
              ElementsAre("", kReporter, kReporter));
  EXPECT_THAT(Column(rows, "ช่องทางติดต่อผู้ร้องเรียน"),
              ElementsAre("", kReporterPhone, kReporterPhone));
  EXPECT_THAT(Column(rows, "ชื่อผู้ถูกร้องเรียน"),
              ElementsAre("", kAccused, kAccused));
  EXPECT_THAT(Column(rows, "ตำแหน่งผู้ถูกร้องเรียน"),
              ElementsAre("", "นักวิชาการพัสดุ", "นักวิชาการพัสดุ"));

  std::vector<std::string> logged;
  for (const v1::IdentityAccess& access : AccessLog()) {
    logged.push_back(access.complaint());
    EXPECT_EQ(access.reader(), "integrity-officer");
    EXPECT_EQ(access.reason(), kReason);
    EXPECT_EQ(api::FromProtoTime(access.read_time()), clock_.Now());
  }
  EXPECT_THAT(logged, UnorderedElementsAre(first.name(), second.name()));
}

TEST_P(ComplaintExportTest, OnlyStaffOfTheOrganizationExport) {
  File(C::GENERAL);
  v1::ExportedDocument document;
  EXPECT_THAT(Export(Caller::kOtherOperator, 10, &document),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Export(Caller::kExecutive, 10, &document),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Export(Caller::kAnonymous, 10, &document),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_THAT(Export(Caller::kOperator, 13, &document),
              IsInvalidField("month"));
  EXPECT_TRUE(document.content().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplaintExportTest,
                         ::testing::Values(Backend::kSqlite,
                                           Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace prongsai::complaint
