#include "services/plan/plan_import/sheets.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/thai/thai.h"
#include "services/plan/plan_import/import_state.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using v1::Finding;

// Field headings of a project sheet (๑. .. ๙.) and the words that name them.
const std::vector<absl::string_view>& FieldKeywords(int field) {
  static const auto* const kKeywords =
      new std::array<std::vector<absl::string_view>, 10>{{
          {},
          {"ชื่อโครงการ", "ชื่อกิจกรรม", "ชื่อมาตรการ", "ชื่อ"},
          {"หลักการ", "ความเป็นมา", "ที่มา"},
          {"วัตถุประสงค์"},
          {"กลุ่มเป้าหมาย", "เป้าหมาย"},
          {"วิธีดำเนินการ", "วิธีการดำเนินการ", "วิธีดำเนินงาน", "วิธีการดำเนินงาน",
           "ขั้นตอน", "วิธีการ"},
          {"ระยะเวลา"},
          {"งบประมาณ"},
          {"ผู้รับผิดชอบ", "หน่วยงานรับผิดชอบ", "หน่วยงานที่รับผิดชอบ"},
          {"ผลผลิต", "ผลลัพธ์", "ตัวชี้วัด", "ผลที่คาดว่าจะได้รับ"},
      }};
  return (*kKeywords)[field];
}

}  // namespace

const std::array<absl::string_view, 10> kFieldNames = {"",
                                                       "๑. ชื่อ",
                                                       "๒. หลักการและเหตุผล",
                                                       "๓. วัตถุประสงค์",
                                                       "๔. กลุ่มเป้าหมาย",
                                                       "๕. วิธีดำเนินการ",
                                                       "๖. ระยะเวลา",
                                                       "๗. งบประมาณ",
                                                       "๘. ผู้รับผิดชอบ",
                                                       "๙. ผลผลิต/ผลลัพธ์"};

namespace {

// An unnumbered heading is a short line: a longer one is body text.
constexpr size_t kMaxUnnumberedHeadingCodePoints = 40;
// "ผลผลิต" / "ผลลัพธ์" on a line this short is a sub-heading of ๙.
constexpr size_t kMaxOutputHeadingCodePoints = 20;

std::string RestAfterHeading(absl::string_view after, absl::string_view keyword,
                             bool title) {
  const size_t colon = after.find(':');
  if (colon != absl::string_view::npos) {
    return CollapseWhitespace(after.substr(colon + 1));
  }
  if (!title) return "";
  absl::string_view rest = after.substr(keyword.size());
  // "ชื่อโครงการ/กิจกรรม/มาตรการ title"
  while (absl::ConsumePrefix(&rest, "/")) {
    for (absl::string_view word : {"โครงการ", "กิจกรรม", "มาตรการ"}) {
      absl::ConsumePrefix(&rest, word);
    }
  }
  return CollapseWhitespace(rest);
}

// The heading of `field` if text starts with one of its keywords.
std::optional<FieldHeading> KeywordHeading(absl::string_view text, int field,
                                           bool numbered) {
  for (absl::string_view keyword : FieldKeywords(field)) {
    if (!absl::StartsWith(text, keyword)) continue;
    return FieldHeading{
        .field = field,
        .rest = RestAfterHeading(text, keyword, numbered && field == 1),
        .numbered = numbered};
  }
  return std::nullopt;
}

// "๖. ระยะเวลา": the number `field` was read, up to *pos.
std::optional<FieldHeading> NumberedFieldHeading(absl::string_view text,
                                                 size_t pos, int field,
                                                 int current_field) {
  if (field < 1 || field > 9 || pos >= text.size() || text[pos] != '.') {
    return std::nullopt;
  }
  if (pos + 1 < text.size() && IsDigitAt(text, pos + 1)) return std::nullopt;
  if (field <= current_field && field != 1) return std::nullopt;
  return KeywordHeading(absl::StripLeadingAsciiWhitespace(text.substr(pos + 1)),
                        field, /*numbered=*/true);
}

// The text of a field: its inline part and body lines, joined by spaces.
std::string FieldText(const Sheet& sheet, int field) {
  std::string text = sheet.inline_text[field];
  for (const TextLine& line : sheet.body[field]) {
    absl::StrAppend(&text, " ", line.text);
  }
  return text;
}

// The lines of a field, its inline text first when there is one.
std::vector<std::string> FieldLines(const Sheet& sheet, int field) {
  std::vector<std::string> lines;
  if (!sheet.inline_text[field].empty()) {
    lines.push_back(sheet.inline_text[field]);
  }
  for (const TextLine& line : sheet.body[field]) lines.push_back(line.text);
  return lines;
}

void StartUnsequencedSheet(ImportState& state, int line_no,
                           absl::string_view title) {
  StartSheet(state, line_no, std::nullopt);
  state.Add(
      Finding::ERROR, "SHEET_WITHOUT_SEQUENCE", LineLoc(line_no),
      absl::StrCat("a project sheet starts without \"ลำดับที่\": ", Quote(title)));
}

// --------------------------------------------------------- sheet budget

bool SaysNoBudget(absl::string_view text) {
  for (absl::string_view none :
       {"ไม่ใช้งบประมาณ", "ไม่ใช้จ่ายงบประมาณ", "ไม่ได้ใช้งบประมาณ", "ไม่มีงบประมาณ",
        "ไม่ต้องใช้งบประมาณ"}) {
    if (absl::StrContains(text, none)) return true;
  }
  return false;
}

// The end of the number starting at text[start]: digits, and ',' or '.'
// between digits (*separators set when there is one).
size_t NumberEnd(absl::string_view text, size_t start, bool* separators) {
  size_t end = start;
  *separators = false;
  while (end < text.size()) {
    if (const std::optional<thai::Digit> digit = thai::DigitAt(text, end)) {
      end += digit->length;
    } else if ((text[end] == ',' || text[end] == '.') &&
               end + 1 < text.size() && IsDigitAt(text, end + 1)) {
      *separators = true;
      ++end;
    } else {
      break;
    }
  }
  return end;
}

// An amount of ๗. and the fiscal year written before it, if any.
struct YearAmount {
  std::optional<int> year;
  int64_t satang = 0;
};

// Numbers followed by "บาท" (or ".-") are amounts; a bare 4-digit number
// in 2500..2700 is a year that the amounts after it belong to. Without any
// "บาท" in the text every other number is an amount.
std::vector<YearAmount> BudgetAmounts(absl::string_view text) {
  const bool has_baht = absl::StrContains(text, "บาท");
  std::optional<int> year;
  std::vector<YearAmount> amounts;
  size_t pos = 0;
  while (pos < text.size()) {
    if (!IsDigitAt(text, pos) || (pos > 0 && IsDigitAt(text, pos - 1))) {
      ++pos;
      continue;
    }
    bool separators;
    const size_t end = NumberEnd(text, pos, &separators);
    const absl::string_view number = text.substr(pos, end - pos);
    const bool baht =
        absl::StartsWith(text.substr(SkipSpaces(text, end)), "บาท") ||
        absl::StartsWith(text.substr(end), ".-");
    size_t read = 0;
    const std::optional<int> as_int = ReadInt(number, &read, 4);
    if (!baht && !separators && as_int && read == number.size() &&
        PlausibleBeYear(*as_int)) {
      year = *as_int;
    } else if (baht || !has_baht) {
      absl::StatusOr<std::optional<int64_t>> amount = thai::ParseBaht(number);
      if (amount.ok() && amount->has_value()) {
        amounts.push_back({year, **amount});
      }
    }
    pos = end;
  }
  return amounts;
}

// -------------------------------------------------------------- drafts

void SetKindFromTitle(absl::string_view title, v1::Project& project) {
  absl::string_view first = absl::StripAsciiWhitespace(title);
  for (absl::string_view quote : {"“", "\"", "‘", "'"}) {
    absl::ConsumePrefix(&first, quote);
  }
  if (absl::StartsWith(first, "โครงการ")) {
    project.set_kind(v1::Project::PROJECT);
  } else if (absl::StartsWith(first, "กิจกรรม")) {
    project.set_kind(v1::Project::ACTIVITY);
  } else if (absl::StartsWith(first, "มาตรการ")) {
    project.set_kind(v1::Project::MEASURE);
  }
}

// A "ผลผลิต" / "ผลลัพธ์" sub-heading of ๙.: text after its ':' goes to the
// list it opens.
bool OutputSubHeading(absl::string_view line, absl::string_view word) {
  return absl::StartsWith(line, word) &&
         (thai::CodePoints(line).size() <= kMaxOutputHeadingCodePoints ||
          absl::StartsWith(
              absl::StripLeadingAsciiWhitespace(line.substr(word.size())),
              ":"));
}

// ๙.: "ผลผลิต" and "ผลลัพธ์" sub-headings split outputs from outcomes.
void ReadOutputsAndOutcomes(const std::vector<std::string>& lines,
                            v1::Project& project) {
  std::vector<std::string> outputs, outcomes;
  std::vector<std::string>* target = &outputs;
  for (const std::string& line : lines) {
    absl::string_view stripped = line;
    while (!stripped.empty() && (stripped[0] == '-' || stripped[0] == ' ')) {
      stripped.remove_prefix(1);
    }
    bool heading = false;
    for (auto [word, list] :
         {std::make_pair(absl::string_view("ผลผลิต"), &outputs),
          std::make_pair(absl::string_view("ผลลัพธ์"), &outcomes)}) {
      if (!OutputSubHeading(stripped, word)) continue;
      target = list;
      heading = true;
      const size_t colon = stripped.find(':');
      if (colon == absl::string_view::npos) continue;
      std::string rest = CollapseWhitespace(stripped.substr(colon + 1));
      if (!rest.empty()) target->push_back(std::move(rest));
    }
    if (!heading) target->push_back(line);
  }
  for (std::string& item : LineItems(outputs)) {
    project.add_outputs(std::move(item));
  }
  for (std::string& item : LineItems(outcomes)) {
    project.add_outcomes(std::move(item));
  }
}

// Fields ๒.-๕., ๘. and ๙.: running text and item lists.
void ReadDescriptionFields(const Sheet& sheet, v1::Project& project) {
  project.set_rationale(absl::StrJoin(FieldLines(sheet, 2), "\n"));
  for (std::string& item : LineItems(FieldLines(sheet, 3))) {
    project.add_objectives(std::move(item));
  }
  project.set_target_group(absl::StrJoin(FieldLines(sheet, 4), "\n"));
  for (std::string& item : LineItems(FieldLines(sheet, 5))) {
    project.add_method_steps(std::move(item));
  }
  project.set_owner_unit(absl::StrJoin(FieldLines(sheet, 8), " "));
  ReadOutputsAndOutcomes(FieldLines(sheet, 9), project);
}

// ๖. ระยะเวลา: the fiscal years, sorted, each once.
void ReadSheetYears(ImportState& state, const Sheet& sheet,
                    const std::string& where, Draft& draft) {
  const int heading_line = sheet.heading_line[6];
  if (heading_line == 0) return;
  draft.years_line = heading_line;
  const std::string text = FieldText(sheet, 6);
  std::vector<int> years = FindYears(text);
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  if (years.empty()) {
    state.Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(heading_line),
              absl::StrCat(where, ": ๖. ระยะเวลา ", Quote(text),
                           " names no fiscal year"));
  }
  draft.years = std::move(years);
}

// ๗. งบประมาณ.
void ReadSheetBudgetField(ImportState& state, const Sheet& sheet,
                          const std::string& where, Draft& draft) {
  const int heading_line = sheet.heading_line[7];
  if (heading_line == 0) return;
  draft.has_budget_field = true;
  draft.budget_line = heading_line;
  const std::string text = CollapseWhitespace(FieldText(sheet, 7));
  if (text.empty()) {
    draft.budget.unreadable = true;
    state.Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(heading_line),
              absl::StrCat(where, ": ๗. งบประมาณ is empty"));
    return;
  }
  draft.budget =
      ParseSheetBudget(state, text, heading_line, sheet.sequence.value_or(0));
}

// Text before ๑. and headings that lost their number.
void ReportSheetLayout(ImportState& state, const Sheet& sheet,
                       const std::string& where) {
  if (!sheet.body[0].empty()) {
    const TextLine& first = sheet.body[0].front();
    state.Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(first.line_no),
              absl::StrCat(where, ": text before ๑. ชื่อโครงการ ignored: ",
                           Quote(first.text)));
  }
  for (int field : sheet.unnumbered) {
    state.Add(Finding::INFO, "UNNUMBERED_HEADING",
              LineLoc(sheet.heading_line[field]),
              absl::StrCat(where, ": heading ", kFieldNames[field],
                           " is written without its number"));
  }
}

}  // namespace

bool ParseSequenceLine(absl::string_view text, std::optional<int>* sequence) {
  if (!absl::ConsumePrefix(&text, "ลำดับที่")) return false;
  const absl::string_view rest = absl::StripAsciiWhitespace(text);
  if (rest.empty()) {
    *sequence = std::nullopt;
    return true;
  }
  size_t pos = 0;
  const std::optional<int> number = ReadInt(rest, &pos, 4);
  if (!number) return false;  // running text such as "ลำดับที่ติด..."
  if (!absl::StripAsciiWhitespace(rest.substr(pos)).empty()) return false;
  *sequence = *number;
  return true;
}

std::optional<FieldHeading> ParseFieldHeading(absl::string_view text,
                                              int current_field) {
  while (!text.empty() && (text[0] == '-' || text[0] == ' ')) {
    text.remove_prefix(1);
  }
  size_t pos = 0;
  if (const std::optional<int> number = ReadInt(text, &pos, 2)) {
    return NumberedFieldHeading(text, pos, *number, current_field);
  }
  const int next = current_field + 1;
  if (next < 2 || next > 9) return std::nullopt;
  if (thai::CodePoints(text).size() > kMaxUnnumberedHeadingCodePoints) {
    return std::nullopt;
  }
  return KeywordHeading(text, next, /*numbered=*/false);
}

void StartSheet(ImportState& state, int line_no, std::optional<int> sequence) {
  Sheet& sheet = state.sheet.emplace();
  sheet.line_no = line_no;
  sheet.sequence = sequence;
  sheet.mission_code = state.current_mission;
  sheet.dimension = state.current_dimension;
}

bool StartSheetWithoutSequence(ImportState& state, int line_no,
                               const std::string& text) {
  const std::optional<FieldHeading> heading = ParseFieldHeading(text, 0);
  if (!heading || heading->field != 1 || !heading->numbered) return false;
  StartUnsequencedSheet(state, line_no, heading->rest);
  SheetLine(state, line_no, text);
  return true;
}

void SheetLine(ImportState& state, int line_no, const std::string& text) {
  const std::optional<FieldHeading> heading =
      ParseFieldHeading(text, state.sheet->current_field);
  if (!heading) {
    state.sheet->body[state.sheet->current_field].push_back({line_no, text});
    return;
  }
  if (heading->field == 1 && state.sheet->current_field >= 1) {
    // A second title: a sheet whose "ลำดับที่" line is missing.
    FinishSheet(state);
    StartUnsequencedSheet(state, line_no, heading->rest);
  }
  Sheet& sheet = *state.sheet;
  sheet.current_field = heading->field;
  sheet.heading_line[heading->field] = line_no;
  sheet.inline_text[heading->field] = heading->rest;
  if (!heading->numbered) sheet.unnumbered.push_back(heading->field);
}

void FinishSheet(ImportState& state) {
  if (!state.sheet) return;
  state.sheets.push_back(std::move(*state.sheet));
  state.sheet.reset();
}

SheetBudget ParseSheetBudget(ImportState& state, const std::string& text,
                             int line_no, int sequence) {
  SheetBudget budget;
  if (SaysNoBudget(text)) {
    budget.all_years = 0;
    return budget;
  }
  const std::vector<YearAmount> amounts = BudgetAmounts(text);
  if (amounts.empty()) {
    budget.unreadable = true;
    state.Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line_no),
              absl::StrCat(SeqLoc(sequence), ": budget ", Quote(text),
                           " has no amount"));
    return budget;
  }
  const bool per_year = std::all_of(
      amounts.begin(), amounts.end(),
      [](const YearAmount& amount) { return amount.year.has_value(); });
  if (per_year) {
    for (const YearAmount& amount : amounts) {
      budget.per_year[*amount.year] += amount.satang;
    }
  } else if (amounts.size() == 1) {
    budget.all_years = amounts[0].satang;
  } else {
    budget.unreadable = true;
    state.Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line_no),
              absl::StrCat(SeqLoc(sequence), ": budget ", Quote(text), " has ",
                           amounts.size(),
                           " amounts and they are not tied to fiscal years"));
  }
  return budget;
}

Draft DraftFromSheet(ImportState& state, const Sheet& sheet) {
  Draft draft;
  draft.line_no = sheet.line_no;
  draft.sequence = sheet.sequence;
  v1::Project& project = draft.project;
  const std::string where =
      sheet.sequence ? SeqLoc(*sheet.sequence) : LineLoc(sheet.line_no);
  const std::string title = CollapseWhitespace(FieldText(sheet, 1));
  draft.has_title = sheet.heading_line[1] != 0 && !title.empty();
  project.set_title(title);
  if (sheet.sequence) project.set_sequence(*sheet.sequence);
  project.set_mission_code(sheet.mission_code);
  project.set_dimension(sheet.mission_code.empty()
                            ? sheet.dimension
                            : sheet.mission_code[0] - '0');
  SetKindFromTitle(title, project);
  ReadDescriptionFields(sheet, project);
  ReadSheetYears(state, sheet, where, draft);
  ReadSheetBudgetField(state, sheet, where, draft);
  ReportSheetLayout(state, sheet, where);
  return draft;
}

}  // namespace prongsai::plan::plan_import
