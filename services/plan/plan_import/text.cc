#include "services/plan/plan_import/text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"
#include "services/plan/plan_import/plan_import.h"

namespace prongsai::plan::plan_import {
namespace {

// Organization names are short; anything longer is running text.
constexpr int kMaxNameCodePoints = 30;

// ------------------------------------------------------------- cleaning

// The paragraph tags PDF converters leave in table cells.
constexpr std::array<absl::string_view, 7> kParagraphTags = {
    "<p>", "</p>", "<P>", "</P>", "<br>", "<br/>", "<br />"};

// The byte length of the paragraph tag at text[pos], or 0.
size_t ParagraphTagAt(absl::string_view text, size_t pos) {
  for (absl::string_view tag : kParagraphTags) {
    if (absl::StartsWith(text.substr(pos), tag)) return tag.size();
  }
  return 0;
}

bool IsWideSpace(char32_t code_point) {
  return code_point == 0xA0 || code_point == 0x2007 || code_point == 0x202F ||
         code_point == 0x3000 || (code_point >= 0x2000 && code_point <= 0x200A);
}

bool IsZeroWidth(char32_t code_point) {
  return code_point == 0x200B || code_point == 0x200C || code_point == 0x200D ||
         code_point == 0x2060 || code_point == 0xFEFF || code_point == 0xAD;
}

bool IsLineSeparator(char32_t code_point) {
  return code_point == 0x2028 || code_point == 0x2029 || code_point == 0x85;
}

// Appends the cleaned form of one valid code point, written as `bytes`.
void AppendCleanCodePoint(absl::string_view bytes, char32_t code_point,
                          std::string* out) {
  if (bytes.size() == 1) {
    const bool control =
        (code_point < 0x20 && code_point != '\t' && code_point != '\n') ||
        code_point == 0x7F;
    out->push_back(control ? ' ' : bytes[0]);
  } else if (IsWideSpace(code_point)) {
    out->push_back(' ');
  } else if (IsZeroWidth(code_point)) {
    // Dropped.
  } else if (IsLineSeparator(code_point)) {
    out->push_back('\n');
  } else {
    out->append(bytes.data(), bytes.size());
  }
}

// -------------------------------------------------------------- numbers

size_t SkipDigits(absl::string_view text, size_t pos) {
  while (const std::optional<thai::Digit> digit = thai::DigitAt(text, pos)) {
    pos += digit->length;
  }
  return pos;
}

// Whether a dash or "ถึง" follows text[pos] (after spaces): the year before
// it makes a range with the next one.
bool RangeSeparatorAt(absl::string_view text, size_t pos) {
  const absl::string_view after = text.substr(SkipSpaces(text, pos));
  for (absl::string_view separator : {"-", "–", "—", "ถึง"}) {
    if (absl::StartsWith(after, separator)) return true;
  }
  return false;
}

// Appends `year` to *years, after the years between the last one and it
// when a range separator came in between.
void AppendYear(int year, bool range_pending, std::vector<int>* years) {
  if (range_pending && !years->empty() && year > years->back() &&
      year - years->back() <= 20) {
    for (int between = years->back() + 1; between < year; ++between) {
      years->push_back(between);
    }
  }
  years->push_back(year);
}

// ------------------------------------------------------------ numbering

// Strips the "- " / "* " bullets that come before an item's number.
absl::string_view StripBullets(absl::string_view line) {
  while (!line.empty() &&
         (line[0] == '-' || line[0] == '*' || line[0] == ' ')) {
    line.remove_prefix(1);
  }
  return line;
}

// A "N<closer>" marker that starts a word at text[pos] and continues the
// count after `last` (0: none yet): its number, and in *end the position
// after the closer.
std::optional<int> NumberMarkerAt(absl::string_view text, size_t pos,
                                  char closer, int last, size_t* end) {
  if (!(pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == '\n') ||
      !IsDigitAt(text, pos)) {
    return std::nullopt;
  }
  size_t cursor = pos;
  const std::optional<int> number = ReadInt(text, &cursor, 2);
  if (!number || cursor >= text.size() || text[cursor] != closer) {
    return std::nullopt;
  }
  if (cursor + 1 < text.size() && IsDigitAt(text, cursor + 1)) {
    return std::nullopt;
  }
  const bool counts_on =
      last == 0 ? *number >= 1 : (*number > last && *number <= last + 3);
  if (!counts_on) return std::nullopt;
  *end = cursor + 1;
  return number;
}

// ---------------------------------------------------- organization names

bool IsNameStop(char32_t code_point) {
  switch (code_point) {
    case ' ':
    case '\t':
    case '\n':
    case '"':
    case '\'':
    case '(':
    case ')':
    case '[':
    case ']':
    case ',':
    case '|':
    case ':':
    case ';':
    case '/':
    case '*':
    case 0x201C:  // “
    case 0x201D:  // ”
    case 0x2018:
    case 0x2019:
      return true;
    default:
      return false;
  }
}

// ------------------------------------------------------------ title keys

constexpr absl::string_view kPlaceholder = "\x01";

// Spaces and quotation marks, which titles are written with or without.
bool IsDroppedForMatch(char32_t code_point) {
  return code_point == ' ' || code_point == '\t' || code_point == '\n' ||
         code_point == '"' || code_point == '\'' || code_point == 0x201C ||
         code_point == 0x201D || code_point == 0x2018 || code_point == 0x2019 ||
         code_point == 0xAB || code_point == 0xBB || code_point == 0x201E;
}

std::string RemoveForMatch(absl::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const thai::CodePointAt at = thai::LenientCodePointAt(text, pos);
    if (!IsDroppedForMatch(at.code_point)) {
      if (at.length == 1) {
        out.push_back(absl::ascii_tolower(text[pos]));
      } else {
        out.append(text.data() + pos, at.length);
      }
    }
    pos += at.length;
  }
  return out;
}

void ReplaceAll(std::string* text, absl::string_view from,
                absl::string_view to) {
  if (from.empty()) return;
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t hit = text->find(from.data(), pos, from.size());
    if (hit == std::string::npos) break;
    out.append(*text, pos, hit - pos);
    out.append(to.data(), to.size());
    pos = hit + from.size();
  }
  out.append(*text, pos, std::string::npos);
  *text = std::move(out);
}

// The name as spelt at key[after..]: the candidate length in code points
// (within 2 of the known name's) closest in edit distance, if close enough
// to be a misspelling rather than another name.
std::optional<int> SpeltNameLength(absl::string_view key, size_t after,
                                   const std::vector<char32_t>& name) {
  const int length = static_cast<int>(name.size());
  int best = -1;
  int best_distance = 0;
  for (int candidate_length = std::max(1, length - 2);
       candidate_length <= length + 2; ++candidate_length) {
    const size_t end = AdvanceCodePoints(key, after, candidate_length);
    const std::vector<char32_t> candidate =
        thai::CodePoints(key.substr(after, end - after));
    if (static_cast<int>(candidate.size()) != candidate_length) break;
    const int distance = Levenshtein(candidate, name);
    if (best < 0 || distance < best_distance ||
        (distance == best_distance &&
         std::abs(candidate_length - length) < std::abs(best - length))) {
      best = candidate_length;
      best_distance = distance;
    }
  }
  if (best > 0 && best_distance <= (length + 2) / 3) return best;
  return std::nullopt;
}

// Replaces each organization prefix, and the name after it when it is
// spelt like `name`, by the placeholder.
void ReplaceOrganizationNames(std::string* key,
                              const std::vector<char32_t>& name) {
  for (const OrgPrefix& prefix : kOrgPrefixes) {
    size_t pos = 0;
    while ((pos = key->find(prefix.text.data(), pos, prefix.text.size())) !=
           std::string::npos) {
      const size_t after = pos + prefix.text.size();
      size_t end = after;
      if (!name.empty()) {
        if (const std::optional<int> spelt =
                SpeltNameLength(*key, after, name)) {
          end = AdvanceCodePoints(*key, after, *spelt);
        }
      }
      key->replace(pos, end - pos, std::string(kPlaceholder));
      pos += kPlaceholder.size();
    }
  }
}

}  // namespace

// ------------------------------------------------------------- cleaning

std::string CleanText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == '\r') {
      out.push_back('\n');
      pos += (pos + 1 < text.size() && text[pos + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (text[pos] == '<') {
      if (const size_t tag = ParagraphTagAt(text, pos); tag > 0) {
        out.push_back(' ');
        pos += tag;
        continue;
      }
    }
    char32_t code_point;
    const int length = thai::DecodeUtf8(text, pos, &code_point);
    if (length == 0) {
      out.push_back('?');
      ++pos;
      continue;
    }
    AppendCleanCodePoint(text.substr(pos, length), code_point, &out);
    pos += length;
  }
  return out;
}

size_t AdvanceCodePoints(absl::string_view text, size_t pos, int count) {
  while (count-- > 0 && pos < text.size()) {
    pos += thai::LenientCodePointAt(text, pos).length;
  }
  return pos;
}

int Levenshtein(const std::vector<char32_t>& from,
                const std::vector<char32_t>& to) {
  std::vector<int> previous(to.size() + 1), current(to.size() + 1);
  for (size_t j = 0; j <= to.size(); ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= from.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= to.size(); ++j) {
      current[j] =
          std::min({previous[j] + 1, current[j - 1] + 1,
                    previous[j - 1] + (from[i - 1] == to[j - 1] ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[to.size()];
}

// -------------------------------------------------------------- numbers

bool IsDigitAt(absl::string_view text, size_t pos) {
  return thai::DigitAt(text, pos).has_value();
}

std::optional<int> ReadInt(absl::string_view text, size_t* pos,
                           int max_digits) {
  size_t cursor = *pos;
  int value = 0;
  int digits = 0;
  while (const std::optional<thai::Digit> digit = thai::DigitAt(text, cursor)) {
    if (++digits > max_digits) return std::nullopt;
    value = value * 10 + digit->value;
    cursor += digit->length;
  }
  if (digits == 0) return std::nullopt;
  *pos = cursor;
  return value;
}

size_t SkipSpaces(absl::string_view text, size_t pos) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  return pos;
}

std::string CollapseWhitespace(absl::string_view text) {
  return absl::StrJoin(
      absl::StrSplit(text, absl::ByAnyChar(" \t\n"), absl::SkipEmpty()), " ");
}

std::vector<std::string> SplitCells(absl::string_view line) {
  std::vector<std::string> cells;
  for (absl::string_view cell : absl::StrSplit(line, '\t')) {
    cells.push_back(CollapseWhitespace(cell));
  }
  return cells;
}

absl::string_view CellAt(const std::vector<std::string>& cells, int column) {
  // Not a conditional expression: its common type would be a temporary
  // std::string and the view would dangle.
  if (column >= 0 && column < static_cast<int>(cells.size())) {
    return cells[column];
  }
  return absl::string_view();
}

bool AnyCellContains(const std::vector<std::string>& cells,
                     absl::string_view word) {
  for (const std::string& cell : cells) {
    if (absl::StrContains(cell, word)) return true;
  }
  return false;
}

bool IsDash(absl::string_view text) {
  return text == "-" || text == "–" || text == "—" || text == "−" ||
         text == "-.-";
}

bool PlausibleBeYear(int year) { return year >= 2500 && year <= 2700; }

std::vector<int> FindYears(absl::string_view text) {
  std::vector<int> years;
  size_t pos = 0;
  bool range_pending = false;
  while (pos < text.size()) {
    if (!IsDigitAt(text, pos) || (pos > 0 && IsDigitAt(text, pos - 1))) {
      ++pos;
      continue;
    }
    size_t end = pos;
    const std::optional<int> number = ReadInt(text, &end, 4);
    if (number && !IsDigitAt(text, end) && PlausibleBeYear(*number)) {
      AppendYear(*number, range_pending, &years);
      range_pending = RangeSeparatorAt(text, end);
      pos = end;
    } else {
      pos = SkipDigits(text, pos);
    }
  }
  return years;
}

std::optional<int> FirstYear(absl::string_view text) {
  const std::vector<int> years = FindYears(text);
  if (years.empty()) return std::nullopt;
  return years.front();
}

std::optional<double> FirstNumber(absl::string_view text) {
  const std::string ascii = thai::ThaiDigitsToAscii(text);
  size_t pos = 0;
  while (pos < ascii.size() && !absl::ascii_isdigit(ascii[pos])) ++pos;
  if (pos == ascii.size()) return std::nullopt;
  std::string number;
  while (pos < ascii.size() &&
         (absl::ascii_isdigit(ascii[pos]) || ascii[pos] == ',' ||
          (ascii[pos] == '.' && pos + 1 < ascii.size() &&
           absl::ascii_isdigit(ascii[pos + 1])))) {
    if (ascii[pos] != ',') number.push_back(ascii[pos]);
    ++pos;
    if (number.size() > 30) return std::nullopt;
  }
  double value;
  if (!absl::SimpleAtod(number, &value)) return std::nullopt;
  return value;
}

std::optional<int64_t> FirstAmount(absl::string_view text) {
  size_t start = 0;
  while (start < text.size() && !IsDigitAt(text, start)) ++start;
  if (start == text.size()) return std::nullopt;
  size_t end = start;
  while (end < text.size()) {
    if (const std::optional<thai::Digit> digit = thai::DigitAt(text, end)) {
      end += digit->length;
    } else if (text[end] == ',' || text[end] == '.') {
      ++end;
    } else {
      break;
    }
  }
  absl::string_view number = text.substr(start, end - start);
  while (!number.empty() && (number.back() == '.' || number.back() == ',')) {
    number.remove_suffix(1);
  }
  absl::StatusOr<std::optional<int64_t>> amount = thai::ParseBaht(number);
  if (!amount.ok() || !amount->has_value()) return std::nullopt;
  return **amount;
}

std::string Baht(int64_t satang) { return thai::FormatBaht(satang); }

// ------------------------------------------------------------- findings

std::string Quote(absl::string_view text) {
  constexpr size_t kMax = 240;
  if (text.size() <= kMax) return absl::StrCat("\"", text, "\"");
  size_t cut = 0;
  while (cut < text.size()) {
    const size_t length = thai::LenientCodePointAt(text, cut).length;
    if (cut + length > kMax) break;
    cut += length;
  }
  return absl::StrCat("\"", text.substr(0, cut), "…\"");
}

std::string LineLoc(int line) { return absl::StrCat("line ", line); }
std::string SeqLoc(int sequence) { return absl::StrCat("ลำดับที่ ", sequence); }

std::string YearList(const std::vector<int>& years) {
  return years.empty() ? "none" : absl::StrJoin(years, ", ");
}

// ------------------------------------------------------------ numbering

bool LeadingItemMarker(absl::string_view text, int* number,
                       absl::string_view* rest) {
  size_t pos = 0;
  const bool paren = !text.empty() && text[0] == '(';
  if (paren) pos = 1;
  const std::optional<int> read = ReadInt(text, &pos, 2);
  if (!read || pos >= text.size()) return false;
  if (paren) {
    if (text[pos] != ')') return false;
  } else if (text[pos] == '.') {
    if (pos + 1 < text.size() && IsDigitAt(text, pos + 1)) return false;
  } else if (text[pos] != ')') {
    return false;
  }
  *number = *read;
  *rest = absl::StripAsciiWhitespace(text.substr(pos + 1));
  return true;
}

std::vector<NumberedItem> SplitNumbered(absl::string_view text, char closer,
                                        std::string* leading) {
  struct Marker {
    size_t start;       // of the number
    size_t text_start;  // after the closer
    int number;
  };
  std::vector<Marker> markers;
  int last = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end;
    if (const std::optional<int> number =
            NumberMarkerAt(text, pos, closer, last, &end)) {
      markers.push_back({pos, end, *number});
      last = *number;
      pos = end;
      continue;
    }
    ++pos;
  }
  const size_t first = markers.empty() ? text.size() : markers[0].start;
  if (leading != nullptr) {
    *leading = CollapseWhitespace(text.substr(0, first));
  }
  std::vector<NumberedItem> items;
  for (size_t index = 0; index < markers.size(); ++index) {
    const Marker& marker = markers[index];
    const size_t end =
        index + 1 < markers.size() ? markers[index + 1].start : text.size();
    items.push_back(
        {marker.number, CollapseWhitespace(text.substr(
                            marker.text_start, end - marker.text_start))});
  }
  return items;
}

std::vector<std::string> LineItems(const std::vector<std::string>& lines) {
  int number;
  absl::string_view rest;
  const bool any_marker =
      std::any_of(lines.begin(), lines.end(), [&](const std::string& line) {
        return LeadingItemMarker(StripBullets(line), &number, &rest);
      });
  std::vector<std::string> items;
  for (const std::string& line : lines) {
    const absl::string_view stripped = StripBullets(line);
    if (LeadingItemMarker(stripped, &number, &rest)) {
      items.push_back(std::string(rest));
    } else if (any_marker && !items.empty()) {
      absl::StrAppend(&items.back(), " ", line);
    } else if (!stripped.empty()) {
      items.push_back(std::string(stripped));
    }
  }
  items.erase(
      std::remove_if(items.begin(), items.end(),
                     [](const std::string& item) { return item.empty(); }),
      items.end());
  return items;
}

bool MissionCode(absl::string_view text, std::string* code,
                 std::string* title) {
  size_t pos = 0;
  std::vector<int> parts;
  while (true) {
    const std::optional<int> part = ReadInt(text, &pos, 2);
    if (!part) return false;
    parts.push_back(*part);
    if (pos + 1 < text.size() && text[pos] == '.' && IsDigitAt(text, pos + 1)) {
      ++pos;
      continue;
    }
    break;
  }
  if (parts.size() < 2 || parts.size() > 3) return false;
  if (parts[0] < 1 || parts[0] > 9) return false;
  if (pos < text.size() &&
      (text[pos] == ')' || text[pos] == '.' || text[pos] == ',')) {
    return false;
  }
  *code = absl::StrJoin(parts, ".");
  *title = CollapseWhitespace(text.substr(pos));
  return true;
}

// ---------------------------------------------------- organization names

const std::array<OrgPrefix, 6> kOrgPrefixes = {{
    {"องค์การบริหารส่วนตำบล", common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
    // A common misspelling of the above.
    {"องค์กรบริหารส่วนตำบล", common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
    {"องค์การบริหารส่วนจังหวัด", common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
    {"เทศบาลตำบล", common::v1::MUNICIPALITY},
    {"เทศบาลเมือง", common::v1::MUNICIPALITY},
    {"เทศบาลนคร", common::v1::MUNICIPALITY},
}};

std::string NameAfter(absl::string_view text, size_t pos) {
  pos = SkipSpaces(text, pos);
  const size_t start = pos;
  int count = 0;
  while (pos < text.size()) {
    const thai::CodePointAt at = thai::LenientCodePointAt(text, pos);
    if (IsNameStop(at.code_point)) break;
    if (++count > kMaxNameCodePoints) return "";
    pos += at.length;
  }
  std::string name(text.substr(start, pos - start));
  while (!name.empty() && (name.back() == '.')) name.pop_back();
  return name;
}

}  // namespace prongsai::plan::plan_import

namespace prongsai::plan {

std::string NormalizeTitleForMatch(absl::string_view title,
                                   absl::string_view organization_short_name) {
  absl::string_view stripped = absl::StripAsciiWhitespace(title);
  int number;
  absl::string_view rest;
  if (plan_import::LeadingItemMarker(stripped, &number, &rest)) {
    stripped = rest;
  }
  std::string key = plan_import::RemoveForMatch(stripped);
  plan_import::ReplaceAll(&key, "ระบุชื่อองค์กรปกครองส่วนท้องถิ่น",
                          plan_import::kPlaceholder);
  plan_import::ReplaceAll(&key, "องค์กรปกครองส่วนท้องถิ่น",
                          plan_import::kPlaceholder);
  plan_import::ReplaceOrganizationNames(
      &key,
      thai::CodePoints(plan_import::RemoveForMatch(organization_short_name)));
  constexpr absl::string_view kUnit = "หน่วยงาน";
  if (absl::EndsWith(key, "ของหน่วยงาน")) {
    key.replace(key.size() - kUnit.size(), kUnit.size(),
                std::string(plan_import::kPlaceholder));
  }
  return key;
}

}  // namespace prongsai::plan
