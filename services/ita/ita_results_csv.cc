#include "services/ita/ita_results_csv.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/base/resource_name.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"

namespace prongsai::ita {
namespace {

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// ------------------------------------------------------------------ records

// Reads records one byte at a time; a small state machine of RFC 4180.
class CsvSplitter {
 public:
  explicit CsvSplitter(absl::string_view text) : text_(text) {}

  std::vector<CsvRecord> Split() {
    while (pos_ < text_.size()) {
      ReadRecord();
    }
    return std::move(records_);
  }

 private:
  void ReadRecord() {
    CsvRecord& record = records_.emplace_back();
    record.number = static_cast<int>(records_.size());
    while (true) {
      record.fields.push_back(ReadField(record));
      if (pos_ >= text_.size()) return;
      const char c = text_[pos_++];
      if (c == ',') continue;
      // A line end: CRLF counts once.
      if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
      return;
    }
  }

  // Reads one field and stops at the ',' or line end after it (or the end).
  std::string ReadField(CsvRecord& record) {
    if (pos_ < text_.size() && text_[pos_] == '"') {
      ++pos_;
      return ReadQuoted(record);
    }
    const size_t end = text_.find_first_of(",\r\n", pos_);
    const size_t stop = end == absl::string_view::npos ? text_.size() : end;
    std::string field(text_.substr(pos_, stop - pos_));
    pos_ = stop;
    return field;
  }

  std::string ReadQuoted(CsvRecord& record) {
    std::string field;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c != '"') {
        field.push_back(c);
      } else if (pos_ < text_.size() && text_[pos_] == '"') {
        field.push_back('"');
        ++pos_;
      } else {
        SkipAfterQuote(record);
        return field;
      }
    }
    record.damage = "a quoted field is not closed";
    return field;
  }

  // After a closing quote only ',' or a line end may follow.
  void SkipAfterQuote(CsvRecord& record) {
    const size_t end = text_.find_first_of(",\r\n", pos_);
    const size_t stop = end == absl::string_view::npos ? text_.size() : end;
    if (stop != pos_ && record.damage.empty()) {
      record.damage = "text follows a closing quote";
    }
    pos_ = stop;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  std::vector<CsvRecord> records_;
};

bool IsEmptyRecord(const CsvRecord& record) {
  return record.damage.empty() && record.fields.size() == 1 &&
         absl::StripAsciiWhitespace(record.fields[0]).empty();
}

// ------------------------------------------------------------------- header

enum class Column {
  kCode,
  kName,
  kProvince,
  kDistrict,
  kKind,
  kOverall,
  kTool,
  kIndicator,
  kGrade,
};

// What a header column holds: its kind, the tool code or indicator number,
// and its name as written.
struct ColumnSpec {
  Column column;
  std::string tool;
  int indicator = 0;
  std::string header;
};

ColumnSpec Spec(Column column, std::string tool = "", int indicator = 0) {
  ColumnSpec spec;
  spec.column = column;
  spec.tool = std::move(tool);
  spec.indicator = indicator;
  return spec;
}

// A header name made comparable: Thai digits ASCII, ASCII lower case, no
// spaces, underscores or dots.
std::string HeaderKey(absl::string_view name) {
  std::string key = absl::AsciiStrToLower(thai::ThaiDigitsToAscii(name));
  key.erase(
      std::remove_if(
          key.begin(), key.end(),
          [](char c) { return c == ' ' || c == '_' || c == '.' || c == '\t'; }),
      key.end());
  return key;
}

std::optional<ColumnSpec> NamedColumn(const std::string& key) {
  static const auto* const kNames =
      new std::vector<std::pair<absl::string_view, ColumnSpec>>{
          {"organizationcode", Spec(Column::kCode)},
          {"รหัสหน่วยงาน", Spec(Column::kCode)},
          {"organizationname", Spec(Column::kName)},
          {"ชื่อหน่วยงาน", Spec(Column::kName)},
          {"province", Spec(Column::kProvince)},
          {"จังหวัด", Spec(Column::kProvince)},
          {"district", Spec(Column::kDistrict)},
          {"อำเภอ", Spec(Column::kDistrict)},
          {"kind", Spec(Column::kKind)},
          {"ประเภทหน่วยงาน", Spec(Column::kKind)},
          {"overall", Spec(Column::kOverall)},
          {"คะแนนรวม", Spec(Column::kOverall)},
          {"คะแนนita", Spec(Column::kOverall)},
          {"grade", Spec(Column::kGrade)},
          {"ระดับผลการประเมิน", Spec(Column::kGrade)},
          {"ผลการประเมิน", Spec(Column::kGrade)},
      };
  for (const auto& [name, spec] : *kNames) {
    if (key == name) return spec;
  }
  for (absl::string_view tool : {"iit", "eit", "oit"}) {
    if (key == tool || key == absl::StrCat("คะแนน", tool)) {
      return Spec(Column::kTool, absl::AsciiStrToUpper(tool));
    }
  }
  return std::nullopt;
}

std::optional<ColumnSpec> IndicatorColumn(absl::string_view key) {
  for (absl::string_view prefix : {"indicator", "ตัวชี้วัดที่", "ตัวชี้วัด"}) {
    absl::string_view rest = key;
    int number = 0;
    if (absl::ConsumePrefix(&rest, prefix) && !rest.empty() &&
        std::all_of(rest.begin(), rest.end(),
                    [](char c) { return absl::ascii_isdigit(c); }) &&
        absl::SimpleAtoi(rest, &number) && number >= 1 && number <= 99) {
      return Spec(Column::kIndicator, "", number);
    }
  }
  return std::nullopt;
}

// A column's identity for spotting one named twice.
std::string ColumnIdentity(const ColumnSpec& spec) {
  return absl::StrCat(static_cast<int>(spec.column), "/", spec.tool, "/",
                      spec.indicator);
}

absl::Status HeaderError(size_t index, absl::string_view header,
                         absl::string_view reason) {
  return InvalidField("content", absl::StrCat("record 1, column ", index + 1,
                                              " \"", header, "\": ", reason));
}

absl::StatusOr<std::vector<ColumnSpec>> ParseHeader(const CsvRecord& record) {
  if (!record.damage.empty()) {
    return InvalidField("content", absl::StrCat("record 1: ", record.damage));
  }
  std::vector<ColumnSpec> columns;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    const std::string header(absl::StripAsciiWhitespace(record.fields[i]));
    const std::string key = HeaderKey(header);
    std::optional<ColumnSpec> spec = NamedColumn(key);
    if (!spec.has_value()) spec = IndicatorColumn(key);
    if (!spec.has_value()) {
      return HeaderError(i, header,
                         "unknown column (see ImportPublishedResults in "
                         "ita.proto for the accepted names)");
    }
    if (!seen.insert(ColumnIdentity(*spec)).second) {
      return HeaderError(i, header, "names a column given before");
    }
    spec->header = header;
    columns.push_back(std::move(*spec));
  }
  for (Column required : {Column::kCode, Column::kOverall}) {
    if (std::none_of(columns.begin(), columns.end(), [&](const ColumnSpec& c) {
          return c.column == required;
        })) {
      return InvalidField("content",
                          absl::StrCat("record 1: the header has no ",
                                       required == Column::kCode
                                           ? "organization_code (รหัสหน่วยงาน)"
                                           : "overall (คะแนนรวม)",
                                       " column"));
    }
  }
  return columns;
}

// --------------------------------------------------------------------- rows

// A score cell: empty (not published) or a decimal 0-100.
absl::StatusOr<std::optional<double>> ParseScoreCell(absl::string_view cell) {
  const std::string text(
      absl::StripAsciiWhitespace(thai::ThaiDigitsToAscii(cell)));
  if (text.empty()) return std::nullopt;
  const bool plain =
      std::all_of(text.begin(), text.end(),
                  [](char c) { return absl::ascii_isdigit(c) || c == '.'; }) &&
      std::count(text.begin(), text.end(), '.') <= 1 &&
      absl::ascii_isdigit(text.front()) && absl::ascii_isdigit(text.back());
  double value = 0;
  if (!plain || !absl::SimpleAtod(text, &value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", cell, "\" is not a number such as 87.45"));
  }
  if (!std::isfinite(value) || value > 100) {
    return absl::InvalidArgumentError(absl::StrCat(text, " is outside 0-100"));
  }
  return value;
}

absl::StatusOr<common::v1::OrganizationKind> ParseKind(absl::string_view cell) {
  const std::string key = HeaderKey(absl::StripAsciiWhitespace(cell));
  if (key.empty()) return common::v1::ORGANIZATION_KIND_UNSPECIFIED;
  static const auto* const kKinds = new std::vector<
      std::pair<absl::string_view, common::v1::OrganizationKind>>{
      {"subdistrictadministrativeorganization",
       common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
      {"องค์การบริหารส่วนตำบล",
       common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
      {"อบต", common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
      {"municipality", common::v1::MUNICIPALITY},
      {"เทศบาล", common::v1::MUNICIPALITY},
      {"เทศบาลตำบล", common::v1::MUNICIPALITY},
      {"เทศบาลเมือง", common::v1::MUNICIPALITY},
      {"เทศบาลนคร", common::v1::MUNICIPALITY},
      {"ทต", common::v1::MUNICIPALITY},
      {"ทม", common::v1::MUNICIPALITY},
      {"ทน", common::v1::MUNICIPALITY},
      {"provincialadministrativeorganization",
       common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
      {"องค์การบริหารส่วนจังหวัด",
       common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
      {"อบจ", common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
      {"speciallocalgovernment", common::v1::SPECIAL_LOCAL_GOVERNMENT},
      {"กรุงเทพมหานคร", common::v1::SPECIAL_LOCAL_GOVERNMENT},
      {"กทม", common::v1::SPECIAL_LOCAL_GOVERNMENT},
      {"เมืองพัทยา", common::v1::SPECIAL_LOCAL_GOVERNMENT},
  };
  for (const auto& [name, kind] : *kKinds) {
    if (key == name) return kind;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("\"", cell, "\" is not a known kind of organization"));
}

// Reads one cell into `row`; an error is the reason for the cell's column.
absl::Status ReadCell(const ColumnSpec& spec, absl::string_view raw,
                      ResultRow& row) {
  const std::string text(absl::StripAsciiWhitespace(raw));
  common::v1::OrganizationRef& org = row.organization;
  v1::ScoreSet& published = row.published;
  switch (spec.column) {
    case Column::kCode:
      org.set_code(thai::ThaiDigitsToAscii(text));
      row.columns["organization.code"] = spec.header;
      return absl::OkStatus();
    case Column::kName:
      org.set_name(text);
      row.columns["organization.name"] = spec.header;
      return absl::OkStatus();
    case Column::kProvince:
      org.set_province(text);
      row.columns["organization.province"] = spec.header;
      return absl::OkStatus();
    case Column::kDistrict:
      org.set_district(text);
      row.columns["organization.district"] = spec.header;
      return absl::OkStatus();
    case Column::kKind: {
      absl::StatusOr<common::v1::OrganizationKind> kind = ParseKind(text);
      if (!kind.ok()) return kind.status();
      org.set_kind(*kind);
      row.columns["organization.kind"] = spec.header;
      return absl::OkStatus();
    }
    case Column::kGrade:
      published.set_grade(text);
      row.columns["published.grade"] = spec.header;
      return absl::OkStatus();
    default:
      break;
  }
  absl::StatusOr<std::optional<double>> score = ParseScoreCell(text);
  if (!score.ok()) return score.status();
  if (!score->has_value()) return absl::OkStatus();
  v1::Score* target = nullptr;
  if (spec.column == Column::kOverall) {
    target = published.mutable_overall();
    target->set_code("overall");
    row.columns["published.overall"] = spec.header;
  } else if (spec.column == Column::kTool) {
    row.columns[IndexedPath("published.tools", published.tools_size())] =
        spec.header;
    target = published.add_tools();
    target->set_code(spec.tool);
  } else {
    row.columns[IndexedPath("published.indicators",
                            published.indicators_size())] = spec.header;
    target = published.add_indicators();
    target->set_code(absl::StrCat(spec.indicator));
  }
  target->set_score(**score);
  return absl::OkStatus();
}

// Reads a data record; a refusal when it cannot be.
std::optional<RowRefusal> ReadRow(const std::vector<ColumnSpec>& columns,
                                  const CsvRecord& record, ResultRow& row) {
  row.row = record.number;
  if (!record.damage.empty()) {
    return RowRefusal{record.number, "", record.damage, ""};
  }
  if (record.fields.size() != columns.size()) {
    return RowRefusal{
        record.number, "",
        absl::StrCat("has ", record.fields.size(),
                     " fields where the header has ", columns.size()),
        ""};
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    absl::Status cell = ReadCell(columns[i], record.fields[i], row);
    if (!cell.ok()) {
      return RowRefusal{record.number, columns[i].header,
                        std::string(cell.message()), ""};
    }
  }
  absl::Status code =
      ValidateOrganizationCode("organization.code", row.organization.code());
  if (!code.ok()) return RefusalOf(row, code);
  if (!row.published.has_overall()) {
    auto overall = std::find_if(
        columns.begin(), columns.end(),
        [](const ColumnSpec& c) { return c.column == Column::kOverall; });
    return RowRefusal{record.number, overall->header, "is required", ""};
  }
  return std::nullopt;
}

absl::Status CheckContent(absl::string_view content) {
  if (content.empty()) return InvalidField("content", "is empty");
  if (!Utf8Length(content).has_value()) {
    return InvalidField("content", "is not UTF-8 text");
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<CsvRecord> SplitCsv(absl::string_view text) {
  absl::ConsumePrefix(&text, kByteOrderMark);
  return CsvSplitter(text).Split();
}

absl::StatusOr<ParsedResults> ParseResultsCsv(absl::string_view content) {
  if (absl::Status status = CheckContent(content); !status.ok()) return status;
  std::vector<CsvRecord> records = SplitCsv(content);
  records.erase(std::remove_if(records.begin(), records.end(), IsEmptyRecord),
                records.end());
  if (records.empty()) return InvalidField("content", "has no header");
  if (records.size() - 1 > static_cast<size_t>(kMaxResultRows)) {
    return InvalidField("content", absl::StrCat("has ", records.size() - 1,
                                                " rows; import at most ",
                                                kMaxResultRows, " at once"));
  }
  absl::StatusOr<std::vector<ColumnSpec>> columns = ParseHeader(records[0]);
  if (!columns.ok()) return columns.status();
  ParsedResults parsed;
  for (const ColumnSpec& spec : *columns) {
    if (spec.column == Column::kIndicator) {
      parsed.indicator_columns.push_back(spec.indicator);
    }
  }
  std::sort(parsed.indicator_columns.begin(), parsed.indicator_columns.end());
  absl::flat_hash_map<std::string, int> first_row_of;
  for (size_t i = 1; i < records.size(); ++i) {
    ResultRow row;
    std::optional<RowRefusal> refusal = ReadRow(*columns, records[i], row);
    if (!refusal.has_value()) {
      auto [it, inserted] =
          first_row_of.try_emplace(row.organization.code(), row.row);
      if (!inserted) {
        refusal = RowRefusal{
            row.row, row.columns["organization.code"],
            absl::StrCat("repeats the organization of row ", it->second), ""};
      }
    }
    if (refusal.has_value()) {
      refusal->organization_code = row.organization.code();
      parsed.refused.push_back(std::move(*refusal));
    } else {
      parsed.rows.push_back(std::move(row));
    }
  }
  return parsed;
}

RowRefusal RefusalOf(const ResultRow& row, const absl::Status& status) {
  RowRefusal refusal{row.row, "", std::string(status.message()),
                     row.organization.code()};
  const std::optional<std::string> path = FieldPathOf(status);
  if (!path.has_value()) return refusal;
  absl::string_view message = status.message();
  if (absl::ConsumePrefix(&message, *path)) {
    absl::ConsumePrefix(&message, ": ");
  }
  // The longest recorded path the error's path starts with.
  size_t best = 0;
  for (const auto& [field, header] : row.columns) {
    if (field.size() > best && absl::StartsWith(*path, field)) {
      best = field.size();
      refusal.column = header;
    }
  }
  refusal.message =
      best == 0 ? std::string(status.message()) : std::string(message);
  return refusal;
}

}  // namespace prongsai::ita
