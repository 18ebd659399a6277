#include "services/complaint/complaint_export.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/fields.h"
#include "common/render/csv.h"
#include "common/render/document.h"
#include "common/thai/thai.h"

namespace prongsai::complaint {
namespace {

bool IsCompleted(v1::Complaint::State state) {
  return state == v1::Complaint::RESOLVED || state == v1::Complaint::CLOSED;
}

std::string DateOrDash(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "-";
  return thai::ShortThaiDate(api::FromProtoTime(time));
}

// Description, village and subdistrict, as given, in one line.
std::string PlaceSummary(const v1::Place& place) {
  std::vector<std::string> parts;
  if (!place.description().empty()) parts.push_back(place.description());
  if (!place.village().empty()) parts.push_back(place.village());
  if (!place.subdistrict().empty()) {
    parts.push_back(absl::StrCat("ต.", place.subdistrict()));
  }
  return absl::StrJoin(parts, " ");
}

// Whole days from receipt to resolution, within the SLA, and the rating.
std::vector<render::Cell> OutcomeCells(const RegisterRow& row) {
  const v1::Complaint& complaint = row.complaint;
  std::vector<render::Cell> cells;
  if (IsCompleted(complaint.state()) && complaint.has_resolve_time()) {
    const absl::Time resolved = api::FromProtoTime(complaint.resolve_time());
    const absl::Time received = api::FromProtoTime(complaint.receive_time());
    cells.push_back(render::Made(thai::ShortThaiDate(resolved)));
    absl::Duration part_of_day;
    cells.push_back(render::Made(absl::StrCat(absl::IDivDuration(
        resolved - received, absl::Hours(24), &part_of_day))));
    cells.push_back(render::Made(resolved <= row.sla_due_time ? "ใช่" : "ไม่ใช่"));
  } else {
    cells.insert(cells.end(),
                 {render::Made("-"), render::Made("-"), render::Made("-")});
  }
  cells.push_back(render::Made(complaint.satisfaction() > 0
                                   ? absl::StrCat(complaint.satisfaction())
                                   : "-"));
  return cells;
}

std::vector<render::Cell> IdentityCells(const RegisterRow& row) {
  if (!row.identity.has_value()) return {};
  return render::UserCells({row.identity->complainant().name(),
                            row.identity->complainant().contact(),
                            row.identity->accused().name(),
                            row.identity->accused().position()});
}

std::vector<render::Cell> Record(
    int number, const RegisterRow& row,
    const absl::flat_hash_map<std::string, std::string>& category_names) {
  const v1::Complaint& complaint = row.complaint;
  std::string category = complaint.category();
  if (auto found = category_names.find(category);
      found != category_names.end()) {
    category = found->second;
  }
  const std::string id(
      complaint.name().substr(complaint.name().rfind('/') + 1));
  std::vector<render::Cell> cells = {
      render::Made(absl::StrCat(number)),
      render::Made(id),
      render::Made(DateOrDash(complaint.receive_time())),
      render::Made(KindLabel(complaint.kind())),
      render::Made(ChannelLabel(complaint.channel())),
      render::User(category),
      render::User(complaint.subject()),
      render::User(PlaceSummary(complaint.place())),
      render::Made(StateLabel(complaint.state())),
      render::Made(DateOrDash(complaint.due_time())),
  };
  for (render::Cell& cell : OutcomeCells(row)) cells.push_back(std::move(cell));
  for (render::Cell& cell : IdentityCells(row)) {
    cells.push_back(std::move(cell));
  }
  return cells;
}

}  // namespace

std::string KindLabel(v1::Complaint::Kind kind) {
  switch (kind) {
    case v1::Complaint::GENERAL:
      return "เรื่องร้องเรียน/ร้องทุกข์ทั่วไป";
    case v1::Complaint::CORRUPTION:
      return "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ";
    default:
      return "-";
  }
}

std::string ChannelLabel(v1::Complaint::Channel channel) {
  static const auto* const kLabels = new absl::flat_hash_map<int, std::string>{
      {v1::Complaint::WALK_IN, "ยื่นด้วยตนเอง"},
      {v1::Complaint::PHONE, "โทรศัพท์"},
      {v1::Complaint::LETTER, "หนังสือ"},
      {v1::Complaint::WEBSITE, "เว็บไซต์"},
      {v1::Complaint::EMAIL, "อีเมล"},
      {v1::Complaint::FACEBOOK, "เฟซบุ๊ก"},
      {v1::Complaint::LINE, "ไลน์"},
      {v1::Complaint::REFERRAL, "หน่วยงานอื่นส่งต่อ"},
      {v1::Complaint::OTHER, "อื่น ๆ"}};
  auto found = kLabels->find(channel);
  return found == kLabels->end() ? "-" : found->second;
}

std::string StateLabel(v1::Complaint::State state) {
  static const auto* const kLabels = new absl::flat_hash_map<int, std::string>{
      {v1::Complaint::RECEIVED, "รับเรื่องแล้ว"},
      {v1::Complaint::ACKNOWLEDGED, "ตอบรับเรื่องแล้ว"},
      {v1::Complaint::ASSIGNED, "มอบหมายผู้รับผิดชอบแล้ว"},
      {v1::Complaint::IN_PROGRESS, "อยู่ระหว่างดำเนินการ"},
      {v1::Complaint::RESOLVED, "ดำเนินการแล้ว รอยืนยันผล"},
      {v1::Complaint::CLOSED, "ปิดเรื่องแล้ว"},
      {v1::Complaint::REFERRED, "ส่งต่อหน่วยงานอื่นแล้ว"},
      {v1::Complaint::REJECTED, "ไม่รับเรื่อง"},
      {v1::Complaint::WITHDRAWN, "ถอนเรื่องแล้ว"}};
  auto found = kLabels->find(state);
  return found == kLabels->end() ? "-" : found->second;
}

std::string RegisterCsv(
    absl::Span<const RegisterRow> rows,
    const absl::flat_hash_map<std::string, std::string>& category_names) {
  const std::vector<std::string> headings = {
      "ลำดับ",         "เลขที่",
      "วันที่รับเรื่อง",    "ประเภท",
      "ช่องทาง",       "หมวดหมู่",
      "เรื่อง",         "สถานที่เกิดเหตุ",
      "สถานะ",        "กำหนดแล้วเสร็จ",
      "วันที่แล้วเสร็จ",   "จำนวนวันที่ใช้",
      "ภายในกำหนด",   "คะแนนความพึงพอใจ",
      "ชื่อผู้ร้องเรียน",   "ช่องทางติดต่อผู้ร้องเรียน",
      "ชื่อผู้ถูกร้องเรียน", "ตำแหน่งผู้ถูกร้องเรียน"};
  std::vector<render::Column> columns;
  columns.reserve(headings.size());
  for (const std::string& heading : headings) {
    columns.push_back({.heading = heading});
  }
  std::vector<std::vector<render::Cell>> records;
  records.reserve(rows.size());
  int number = 0;
  for (const RegisterRow& row : rows) {
    records.push_back(Record(++number, row, category_names));
  }
  render::Document document;
  document.Table(std::move(columns), std::move(records));
  return render::RenderCsv(document);
}

}  // namespace prongsai::complaint
