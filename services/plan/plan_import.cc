#include "services/plan/plan_import.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"

namespace prongsai::plan {
namespace {

using v1::Finding;
using Severity = v1::Finding::Severity;

// A document this broken produces one finding per line; past this many of
// one code the rest are counted in a single summary finding so the response
// stays small.
constexpr int kMaxFindingsPerCode = 100;
// Organization names are short; anything longer is running text.
constexpr int kMaxNameCodePoints = 30;

// ------------------------------------------------------------ text helpers

// Byte length of the valid UTF-8 sequence at s[i], or 0 if it is invalid.
size_t Utf8Len(absl::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

char32_t Decode(absl::string_view s, size_t i, size_t n) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  switch (n) {
    case 1:
      return b(0);
    case 2:
      return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
      return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) |
             ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

// Makes every later step safe and simple: LF line ends only, no invalid
// UTF-8 (each bad byte becomes '?', so no step can split a code point), no
// control characters but tab and LF, NBSP-like spaces as ' ', zero-width
// characters removed, and the HTML paragraph tags PDF converters leave in
// table cells replaced by a space.
std::string CleanText(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    const char c = in[i];
    if (c == '\r') {
      out.push_back('\n');
      i += (i + 1 < in.size() && in[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (c == '<') {
      bool tag = false;
      for (absl::string_view t :
           {"<p>", "</p>", "<P>", "</P>", "<br>", "<br/>", "<br />"}) {
        if (absl::StartsWith(in.substr(i), t)) {
          out.push_back(' ');
          i += t.size();
          tag = true;
          break;
        }
      }
      if (tag) continue;
    }
    const size_t n = Utf8Len(in, i);
    if (n == 0) {
      out.push_back('?');
      ++i;
      continue;
    }
    if (n == 1) {
      const unsigned char u = static_cast<unsigned char>(c);
      out.push_back((u < 0x20 && c != '\t' && c != '\n') || u == 0x7F ? ' '
                                                                      : c);
      ++i;
      continue;
    }
    const char32_t cp = Decode(in, i, n);
    if (cp == 0xA0 || cp == 0x2007 || cp == 0x202F || cp == 0x3000 ||
        (cp >= 0x2000 && cp <= 0x200A)) {
      out.push_back(' ');
    } else if (cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
               cp == 0xFEFF || cp == 0xAD) {
      // Zero-width: dropped.
    } else if (cp == 0x2028 || cp == 0x2029 || cp == 0x85) {
      out.push_back('\n');
    } else {
      out.append(in.data() + i, n);
    }
    i += n;
  }
  return out;
}

std::vector<char32_t> CodePoints(absl::string_view s) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = Utf8Len(s, i);
    if (n == 0) n = 1;
    out.push_back(Decode(s, i, n));
    i += n;
  }
  return out;
}

// Byte offset after `count` code points of s (or s.size()).
size_t AdvanceCodePoints(absl::string_view s, size_t pos, int count) {
  while (count-- > 0 && pos < s.size()) {
    const size_t n = Utf8Len(s, pos);
    pos += n == 0 ? 1 : n;
  }
  return pos;
}

int Levenshtein(const std::vector<char32_t>& a,
                const std::vector<char32_t>& b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1,
                         prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// Value of the Thai (๐-๙) or ASCII digit at s[i] and its byte length in
// *len, or -1.
int DigitAt(absl::string_view s, size_t i, size_t* len) {
  if (i < s.size() && s[i] >= '0' && s[i] <= '9') {
    *len = 1;
    return s[i] - '0';
  }
  if (i + 2 < s.size() && static_cast<unsigned char>(s[i]) == 0xE0 &&
      static_cast<unsigned char>(s[i + 1]) == 0xB9) {
    const unsigned char d = static_cast<unsigned char>(s[i + 2]);
    if (d >= 0x90 && d <= 0x99) {
      *len = 3;
      return d - 0x90;
    }
  }
  return -1;
}

bool IsDigitAt(absl::string_view s, size_t i) {
  size_t len;
  return DigitAt(s, i, &len) >= 0;
}

// Reads up to `max_digits` digits at *pos; nullopt (and *pos unchanged) when
// there is none or there are more.
std::optional<int> ReadInt(absl::string_view s, size_t* pos,
                           int max_digits = 9) {
  size_t p = *pos;
  int value = 0;
  int digits = 0;
  size_t len;
  int d;
  while ((d = DigitAt(s, p, &len)) >= 0) {
    if (++digits > max_digits) return std::nullopt;
    value = value * 10 + d;
    p += len;
  }
  if (digits == 0) return std::nullopt;
  *pos = p;
  return value;
}

size_t SkipSpaces(absl::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  return pos;
}

std::string CollapseWhitespace(absl::string_view s) {
  return absl::StrJoin(
      absl::StrSplit(s, absl::ByAnyChar(" \t\n"), absl::SkipEmpty()), " ");
}

std::vector<std::string> SplitCells(absl::string_view line) {
  std::vector<std::string> cells;
  for (absl::string_view c : absl::StrSplit(line, '\t')) {
    cells.push_back(CollapseWhitespace(c));
  }
  return cells;
}

bool IsDash(absl::string_view t) {
  return t == "-" || t == "–" || t == "—" || t == "−" || t == "-.-";
}

// A year of the Buddhist era as documents write it.
bool PlausibleBeYear(int y) { return y >= 2500 && y <= 2700; }

// Every 4-digit number in 2500..2700, in order; "2566 - 2570" and
// "2566 ถึง 2570" expand to the whole range.
std::vector<int> FindYears(absl::string_view s) {
  std::vector<int> years;
  size_t i = 0;
  bool range_pending = false;
  while (i < s.size()) {
    if (IsDigitAt(s, i) && (i == 0 || !IsDigitAt(s, i - 1))) {
      size_t p = i;
      const std::optional<int> v = ReadInt(s, &p, 4);
      if (v && !IsDigitAt(s, p) && PlausibleBeYear(*v)) {
        if (range_pending && !years.empty() && *v > years.back() &&
            *v - years.back() <= 20) {
          for (int y = years.back() + 1; y < *v; ++y) years.push_back(y);
        }
        years.push_back(*v);
        range_pending = false;
        // A dash or "ถึง" right after a year makes a range with the next one.
        size_t q = SkipSpaces(s, p);
        for (absl::string_view sep : {"-", "–", "—", "ถึง"}) {
          if (absl::StartsWith(s.substr(q), sep)) range_pending = true;
        }
        i = p;
        continue;
      }
      while (i < s.size() && IsDigitAt(s, i)) {
        size_t len;
        DigitAt(s, i, &len);
        i += len;
      }
      continue;
    }
    ++i;
  }
  return years;
}

std::optional<int> FirstYear(absl::string_view s) {
  std::vector<int> y = FindYears(s);
  if (y.empty()) return std::nullopt;
  return y.front();
}

// The first decimal number in s ("ร้อยละ ๑๐" -> 10, "๘๕ คะแนน" -> 85).
std::optional<double> FirstNumber(absl::string_view s) {
  const std::string ascii = thai::ThaiDigitsToAscii(s);
  size_t i = 0;
  while (i < ascii.size() && !absl::ascii_isdigit(ascii[i])) ++i;
  if (i == ascii.size()) return std::nullopt;
  std::string number;
  while (i < ascii.size() &&
         (absl::ascii_isdigit(ascii[i]) || ascii[i] == ',' ||
          (ascii[i] == '.' && i + 1 < ascii.size() &&
           absl::ascii_isdigit(ascii[i + 1])))) {
    if (ascii[i] != ',') number.push_back(ascii[i]);
    ++i;
    if (number.size() > 30) return std::nullopt;
  }
  double value;
  if (!absl::SimpleAtod(number, &value)) return std::nullopt;
  return value;
}

// The first amount written in s (digits, ',' and '.'), as satang.
std::optional<int64_t> FirstAmount(absl::string_view s) {
  size_t i = 0;
  while (i < s.size() && !IsDigitAt(s, i)) ++i;
  if (i == s.size()) return std::nullopt;
  size_t j = i;
  while (j < s.size()) {
    size_t len;
    if (DigitAt(s, j, &len) >= 0) {
      j += len;
    } else if (s[j] == ',' || s[j] == '.') {
      ++j;
    } else {
      break;
    }
  }
  absl::string_view number = s.substr(i, j - i);
  while (!number.empty() && (number.back() == '.' || number.back() == ',')) {
    number.remove_suffix(1);
  }
  absl::StatusOr<std::optional<int64_t>> v = thai::ParseBaht(number);
  if (!v.ok() || !v->has_value()) return std::nullopt;
  return **v;
}

std::string Baht(int64_t satang) { return thai::FormatBaht(satang); }

std::string Quote(absl::string_view s) {
  // Findings quote document text; very long text is cut at a code point.
  constexpr size_t kMax = 240;
  if (s.size() <= kMax) return absl::StrCat("\"", s, "\"");
  size_t cut = 0;
  while (cut < s.size()) {
    const size_t n = std::max<size_t>(1, Utf8Len(s, cut));
    if (cut + n > kMax) break;
    cut += n;
  }
  return absl::StrCat("\"", s.substr(0, cut), "…\"");
}

std::string LineLoc(int line) { return absl::StrCat("line ", line); }
std::string SeqLoc(int seq) { return absl::StrCat("ลำดับที่ ", seq); }

std::string YearList(const std::vector<int>& years) {
  return years.empty() ? "none" : absl::StrJoin(years, ", ");
}

// "1) ..." / "(1) ..." / "1. ..." at the start of t: the number and the text
// after the marker. "2.1) ..." is not a marker (it is a sub-item).
bool LeadingItemMarker(absl::string_view t, int* number,
                       absl::string_view* rest) {
  size_t p = 0;
  const bool paren = !t.empty() && t[0] == '(';
  if (paren) p = 1;
  const std::optional<int> n = ReadInt(t, &p, 2);
  if (!n || p >= t.size()) return false;
  if (paren) {
    if (t[p] != ')') return false;
  } else if (t[p] == '.') {
    if (p + 1 < t.size() && IsDigitAt(t, p + 1)) return false;
  } else if (t[p] != ')') {
    return false;
  }
  *number = *n;
  *rest = absl::StripAsciiWhitespace(t.substr(p + 1));
  return true;
}

struct NumberedItem {
  int number = 0;
  std::string text;
};

// Splits running text at "N<closer>" markers ("๑." or "๑)") that start a
// word and count upwards (a gap of up to 3 is tolerated: documents skip
// numbers). Text before the first marker is returned in *leading.
std::vector<NumberedItem> SplitNumbered(absl::string_view text, char closer,
                                        std::string* leading) {
  std::vector<NumberedItem> items;
  std::vector<std::pair<size_t, size_t>> spans;  // marker start, text start
  std::vector<int> numbers;
  int last = 0;
  size_t i = 0;
  while (i < text.size()) {
    if ((i == 0 || text[i - 1] == ' ' || text[i - 1] == '\n') &&
        IsDigitAt(text, i)) {
      size_t p = i;
      const std::optional<int> n = ReadInt(text, &p, 2);
      if (n && p < text.size() && text[p] == closer &&
          !(p + 1 < text.size() && IsDigitAt(text, p + 1)) &&
          (last == 0 ? *n >= 1 : (*n > last && *n <= last + 3))) {
        spans.emplace_back(i, p + 1);
        numbers.push_back(*n);
        last = *n;
        i = p + 1;
        continue;
      }
    }
    ++i;
  }
  const size_t first = spans.empty() ? text.size() : spans[0].first;
  if (leading != nullptr) {
    *leading = CollapseWhitespace(text.substr(0, first));
  }
  for (size_t k = 0; k < spans.size(); ++k) {
    const size_t end = k + 1 < spans.size() ? spans[k + 1].first : text.size();
    items.push_back({numbers[k], CollapseWhitespace(text.substr(
                                     spans[k].second, end - spans[k].second))});
  }
  return items;
}

// Items of a sheet field: one per numbered line; unnumbered lines continue
// the item before them (PDF line breaks, "- " sub-bullets, "2.1)" sub-items)
// unless the field has no numbered line at all, when each line is an item.
std::vector<std::string> LineItems(const std::vector<std::string>& lines) {
  bool any_marker = false;
  for (const std::string& l : lines) {
    absl::string_view t = l;
    while (!t.empty() && (t[0] == '-' || t[0] == '*' || t[0] == ' ')) {
      t.remove_prefix(1);
    }
    int n;
    absl::string_view rest;
    if (LeadingItemMarker(t, &n, &rest)) any_marker = true;
  }
  std::vector<std::string> items;
  for (const std::string& l : lines) {
    absl::string_view t = l;
    while (!t.empty() && (t[0] == '-' || t[0] == '*' || t[0] == ' ')) {
      t.remove_prefix(1);
    }
    int n;
    absl::string_view rest;
    if (LeadingItemMarker(t, &n, &rest)) {
      items.push_back(std::string(rest));
    } else if (any_marker && !items.empty()) {
      absl::StrAppend(&items.back(), " ", l);
    } else if (!t.empty()) {
      items.push_back(std::string(t));
    }
  }
  items.erase(std::remove_if(items.begin(), items.end(),
                             [](const std::string& s) { return s.empty(); }),
              items.end());
  return items;
}

// ----------------------------------------------------- organization names

struct OrgPrefix {
  absl::string_view text;
  prongsai::common::v1::OrganizationKind kind;
};

constexpr std::array<OrgPrefix, 6> kOrgPrefixes = {{
    {"องค์การบริหารส่วนตำบล",
     prongsai::common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
    // A common misspelling of the above.
    {"องค์กรบริหารส่วนตำบล",
     prongsai::common::v1::SUBDISTRICT_ADMINISTRATIVE_ORGANIZATION},
    {"องค์การบริหารส่วนจังหวัด",
     prongsai::common::v1::PROVINCIAL_ADMINISTRATIVE_ORGANIZATION},
    {"เทศบาลตำบล", prongsai::common::v1::MUNICIPALITY},
    {"เทศบาลเมือง", prongsai::common::v1::MUNICIPALITY},
    {"เทศบาลนคร", prongsai::common::v1::MUNICIPALITY},
}};

bool IsNameStop(char32_t cp) {
  switch (cp) {
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

// The name written after an organization prefix at s[pos..]: up to the next
// space or punctuation, spaces right after the prefix skipped.
std::string NameAfter(absl::string_view s, size_t pos) {
  pos = SkipSpaces(s, pos);
  const size_t start = pos;
  int count = 0;
  while (pos < s.size()) {
    size_t n = Utf8Len(s, pos);
    if (n == 0) n = 1;
    if (IsNameStop(Decode(s, pos, n))) break;
    if (++count > kMaxNameCodePoints) return "";
    pos += n;
  }
  std::string name(s.substr(start, pos - start));
  while (!name.empty() && (name.back() == '.')) name.pop_back();
  return name;
}

// ------------------------------------------------------------ title keys

constexpr absl::string_view kPlaceholder = "\x01";

std::string RemoveForMatch(absl::string_view s) {
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t n = Utf8Len(s, i);
    if (n == 0) n = 1;
    const char32_t cp = Decode(s, i, n);
    const bool drop = cp == ' ' || cp == '\t' || cp == '\n' || cp == '"' ||
                      cp == '\'' || cp == 0x201C || cp == 0x201D ||
                      cp == 0x2018 || cp == 0x2019 || cp == 0xAB ||
                      cp == 0xBB || cp == 0x201E;
    if (!drop) {
      if (n == 1) {
        out.push_back(absl::ascii_tolower(s[i]));
      } else {
        out.append(s.data() + i, n);
      }
    }
    i += n;
  }
  return out;
}

void ReplaceAll(std::string* s, absl::string_view from, absl::string_view to) {
  if (from.empty()) return;
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t hit = s->find(from.data(), pos, from.size());
    if (hit == std::string::npos) break;
    out.append(*s, pos, hit - pos);
    out.append(to.data(), to.size());
    pos = hit + from.size();
  }
  out.append(*s, pos, std::string::npos);
  *s = std::move(out);
}

}  // namespace

std::string NormalizeTitleForMatch(absl::string_view title,
                                   absl::string_view organization_short_name) {
  absl::string_view t = absl::StripAsciiWhitespace(title);
  int number;
  absl::string_view rest;
  if (LeadingItemMarker(t, &number, &rest)) t = rest;
  std::string s = RemoveForMatch(t);
  ReplaceAll(&s, "ระบุชื่อองค์กรปกครองส่วนท้องถิ่น", kPlaceholder);
  ReplaceAll(&s, "องค์กรปกครองส่วนท้องถิ่น", kPlaceholder);
  const std::string name = RemoveForMatch(organization_short_name);
  const std::vector<char32_t> name_cps = CodePoints(name);
  const int len = static_cast<int>(name_cps.size());
  for (const OrgPrefix& prefix : kOrgPrefixes) {
    size_t pos = 0;
    while ((pos = s.find(prefix.text.data(), pos, prefix.text.size())) !=
           std::string::npos) {
      const size_t after = pos + prefix.text.size();
      size_t end = after;
      if (len > 0) {
        // The name as spelt here: the candidate length (within 2 code
        // points of the known name) closest in edit distance, if close
        // enough to be a misspelling rather than another name.
        int best = -1;
        int best_distance = 0;
        for (int l = std::max(1, len - 2); l <= len + 2; ++l) {
          const size_t cand_end = AdvanceCodePoints(s, after, l);
          const std::vector<char32_t> cand =
              CodePoints(absl::string_view(s).substr(after, cand_end - after));
          if (static_cast<int>(cand.size()) != l) break;
          const int d = Levenshtein(cand, name_cps);
          if (best < 0 || d < best_distance ||
              (d == best_distance &&
               std::abs(l - len) < std::abs(best - len))) {
            best = l;
            best_distance = d;
          }
        }
        if (best > 0 && best_distance <= (len + 2) / 3) {
          end = AdvanceCodePoints(s, after, best);
        }
      }
      s.replace(pos, end - pos, std::string(kPlaceholder));
      pos += kPlaceholder.size();
    }
  }
  if (absl::EndsWith(s, "ของหน่วยงาน")) {
    s.replace(s.size() - std::string_view("หน่วยงาน").size(),
              std::string_view("หน่วยงาน").size(), std::string(kPlaceholder));
  }
  return s;
}

namespace {

// ------------------------------------------------------------ the parser

struct TextLine {
  int number = 0;
  std::string text;
};

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

constexpr std::array<absl::string_view, 10> kFieldNames = {"",
                                                           "๑. ชื่อ",
                                                           "๒. หลักการและเหตุผล",
                                                           "๓. วัตถุประสงค์",
                                                           "๔. กลุ่มเป้าหมาย",
                                                           "๕. วิธีดำเนินการ",
                                                           "๖. ระยะเวลา",
                                                           "๗. งบประมาณ",
                                                           "๘. ผู้รับผิดชอบ",
                                                           "๙. ผลผลิต/ผลลัพธ์"};

struct Sheet {
  int line = 0;
  std::optional<int> sequence;
  std::string mission_code;
  int dimension = 0;
  int current_field = 0;
  std::array<int, 10> heading_line{};
  std::array<std::string, 10> inline_text;
  std::array<std::vector<TextLine>, 10> body;
  std::vector<int> unnumbered;
};

struct SheetBudget {
  bool unreadable = false;
  std::optional<int64_t> all_years;
  std::map<int, int64_t> per_year;
};

struct Draft {
  v1::Project project;
  int line = 0;
  std::optional<int> sequence;
  bool has_title = false;
  std::vector<int> years;  // from ๖.
  int years_line = 0;
  bool has_budget_field = false;
  int budget_line = 0;
  SheetBudget budget;
};

// A 5-year table value: an amount, or nullopt for "-".
using Cell = std::optional<int64_t>;

struct ValueRow {
  int line = 0;
  std::vector<std::vector<Cell>> per_year;
  std::vector<Cell> flat;
};

struct TableGroup {
  int line = 0;
  int dimension = 0;
  std::string mission;
  std::vector<NumberedItem> items;
  std::vector<ValueRow> rows;
  bool wide = false;
  std::vector<int64_t> year_sums;  // filled by attribution
};

struct DeclaredTotal {
  int line = 0;
  bool grand = false;
  int dimension = 0;
  std::optional<int> count;
  std::vector<std::optional<int64_t>> per_year;
  std::vector<size_t> groups;
};

struct RiskRow {
  int line = 0;
  int sequence = 0;
  std::array<std::string, 4> cells;  // step, issues, score, controls
};

enum class Mode { kNone, kAnnual, kRisk, kTargets, kFiveYear };

class Importer {
 public:
  explicit Importer(absl::string_view text) : text_(CleanText(text)) {}

  ImportedPlan Run() {
    Scan();
    Finish();
    return std::move(out_);
  }

 private:
  // ---------------------------------------------------------- findings
  void Add(Severity severity, absl::string_view code, std::string location,
           std::string message) {
    int& n = finding_counts_[std::string(code)];
    if (++n > kMaxFindingsPerCode) return;
    Finding f;
    f.set_severity(severity);
    f.set_code(std::string(code));
    f.set_location(std::move(location));
    f.set_message(std::move(message));
    out_.findings.push_back(std::move(f));
  }

  // -------------------------------------------------------------- scan
  void Scan() {
    const std::vector<absl::string_view> lines = absl::StrSplit(text_, '\n');
    for (size_t i = 0; i < lines.size(); ++i) {
      const int no = static_cast<int>(i) + 1;
      const absl::string_view raw = lines[i];
      const absl::string_view t = absl::StripAsciiWhitespace(raw);
      if (t.empty()) continue;
      if (raw.find('\t') != absl::string_view::npos) {
        const std::vector<std::string> cells = SplitCells(raw);
        if (StartTable(cells, no)) continue;
        if (mode_ != Mode::kNone) {
          TableRow(cells, no);
          continue;
        }
      }
      if (mode_ != Mode::kNone) EndTable();
      Text(no, CollapseWhitespace(t));
    }
    FinishSheet();
    EndTable();
  }

  static std::optional<int> YearCell(absl::string_view cell) {
    if (!absl::StartsWith(cell, "ปี")) return std::nullopt;
    absl::string_view rest = cell.substr(std::string_view("ปี").size());
    rest = absl::StripAsciiWhitespace(rest);
    size_t p = 0;
    const std::optional<int> y = ReadInt(rest, &p, 4);
    if (!y || !PlausibleBeYear(*y)) return std::nullopt;
    return y;
  }

  static bool AnyCellContains(const std::vector<std::string>& cells,
                              absl::string_view word) {
    for (const std::string& c : cells) {
      if (absl::StrContains(c, word)) return true;
    }
    return false;
  }

  bool StartTable(const std::vector<std::string>& cells, int no) {
    std::vector<int> years, cols;
    for (size_t c = 0; c < cells.size(); ++c) {
      if (std::optional<int> y = YearCell(cells[c])) {
        years.push_back(*y);
        cols.push_back(static_cast<int>(c));
      }
    }
    const absl::string_view c0 = CellAt(cells, 0);
    if (absl::StartsWith(c0, "ค่าเป้าหมาย") && !years.empty()) {
      FinishSheet();
      mode_ = Mode::kTargets;
      target_years_ = years;
      target_cols_ = cols;
      return true;
    }
    if (!years.empty() && (c0 == "มิติ" || AnyCellContains(cells, "ภารกิจ"))) {
      FinishSheet();
      mode_ = Mode::kFiveYear;
      if (five_years_.empty()) {
        five_years_ = years;
        five_first_line_ = no;
      } else if (five_years_ != years) {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            absl::StrCat("5-year table header lists years ", YearList(years),
                         " but the table began with ", YearList(five_years_),
                         "; the years of the first header are used"));
      }
      five_cols_ = cols;
      five_wide_ = cols.size() > 1 && cols[1] - cols[0] > 1;
      five_remark_col_ = -1;
      for (size_t c = 0; c < cells.size(); ++c) {
        if (absl::StrContains(cells[c], "หมายเหตุ")) {
          five_remark_col_ = static_cast<int>(c);
        }
      }
      return true;
    }
    if (AnyCellContains(cells, "ไตรมาส") &&
        AnyCellContains(cells, "งบประมาณ") &&
        (AnyCellContains(cells, "รายการ") ||
         AnyCellContains(cells, "โครงการ"))) {
      FinishSheet();
      mode_ = Mode::kAnnual;
      if (annual_started_) {
        annual_ignored_ = true;
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            "a second annual-plan table starts here; only the first one is "
            "imported, this one is ignored");
        return true;
      }
      annual_started_ = true;
      annual_ignored_ = false;
      annual_line_ = no;
      annual_ = v1::AnnualPlan();
      for (auto it = recent_text_.rbegin(); it != recent_text_.rend(); ++it) {
        if (std::optional<int> y = FirstYear(it->text)) {
          annual_->set_be_year(*y);
          break;
        }
      }
      if (annual_->be_year() == 0) {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            "the annual-plan table has no fiscal year in its title");
      }
      annual_cols_ = {0, 1, 2, 3, 4, -1};
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string& cell = cells[c];
        const int ci = static_cast<int>(c);
        if (absl::StartsWith(cell, "ลำดับ")) annual_cols_[0] = ci;
        if (absl::StrContains(cell, "รายการ")) annual_cols_[1] = ci;
        if (absl::StartsWith(cell, "มิติ")) annual_cols_[2] = ci;
        if (absl::StrContains(cell, "งบประมาณ")) annual_cols_[3] = ci;
        if (absl::StrContains(cell, "ไตรมาส")) annual_cols_[4] = ci;
        if (absl::StrContains(cell, "หมายเหตุ")) annual_cols_[5] = ci;
      }
      return true;
    }
    if (AnyCellContains(cells, "ขั้นตอน") &&
        (AnyCellContains(cells, "ความเสี่ยง") ||
         AnyCellContains(cells, "Risk"))) {
      FinishSheet();
      mode_ = Mode::kRisk;
      risk_cols_ = {1, 2, 3, 4};
      for (size_t c = 0; c < cells.size(); ++c) {
        const std::string& cell = cells[c];
        const int ci = static_cast<int>(c);
        if (absl::StrContains(cell, "ขั้นตอน")) risk_cols_[0] = ci;
        if (absl::StrContains(cell, "ประเด็น")) risk_cols_[1] = ci;
        if (absl::StrContains(cell, "Risk") ||
            absl::StrContains(cell, "ระดับ")) {
          risk_cols_[2] = ci;
        }
        if (absl::StrContains(cell, "มาตรการ")) risk_cols_[3] = ci;
      }
      return true;
    }
    return false;
  }

  void EndTable() {
    if (mode_ == Mode::kAnnual) annual_just_ended_ = true;
    mode_ = Mode::kNone;
  }

  void TableRow(const std::vector<std::string>& cells, int no) {
    switch (mode_) {
      case Mode::kAnnual:
        if (!annual_ignored_) AnnualRow(cells, no);
        break;
      case Mode::kRisk:
        RiskTableRow(cells, no);
        break;
      case Mode::kTargets:
        TargetsRow(cells, no);
        break;
      case Mode::kFiveYear:
        FiveYearRow(cells, no);
        break;
      case Mode::kNone:
        break;
    }
  }

  static absl::string_view CellAt(const std::vector<std::string>& cells,
                                  int c) {
    // Not a conditional expression: its common type would be a temporary
    // std::string and the view would dangle.
    if (c >= 0 && c < static_cast<int>(cells.size())) return cells[c];
    return absl::string_view();
  }

  // ------------------------------------------------------ annual table
  void AnnualRow(const std::vector<std::string>& cells, int no) {
    const absl::string_view seq = CellAt(cells, annual_cols_[0]);
    const absl::string_view title = CellAt(cells, annual_cols_[1]);
    const int budget_col = annual_cols_[3];
    bool total = false;
    for (int c = 0; c < budget_col && c < static_cast<int>(cells.size()); ++c) {
      if (absl::StrContains(cells[c], "รวม")) total = true;
    }
    if (total) {
      annual_total_line_ = no;
      const absl::string_view b = CellAt(cells, budget_col);
      if (!b.empty()) {
        absl::StatusOr<std::optional<int64_t>> v = thai::ParseBaht(b);
        if (v.ok() && v->has_value()) {
          annual_declared_budget_ = **v;
        } else {
          Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(no),
              absl::StrCat("annual-plan total budget ", Quote(b),
                           " is not an amount"));
        }
      }
      for (int q = 0; q < 4; ++q) {
        const absl::string_view c = CellAt(cells, annual_cols_[4] + q);
        if (c.empty()) continue;
        absl::StatusOr<int64_t> v = thai::ParseInteger(c);
        if (v.ok()) {
          annual_declared_quarters_[q] = static_cast<int>(*v);
        } else {
          Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
              absl::StrCat("annual-plan total for quarter ", q + 1, " ",
                           Quote(c), " is not a number"));
        }
      }
      return;
    }
    absl::StatusOr<int64_t> seq_value = thai::ParseInteger(seq);
    if (seq.empty()) {
      bool header_numbers = true;
      bool any = false;
      for (const std::string& c : cells) {
        if (c.empty()) continue;
        any = true;
        if (!thai::ParseInteger(c).ok()) header_numbers = false;
      }
      // The sub-header "1 2 3 4" under ไตรมาส.
      if (!any || (header_numbers && title.empty())) return;
      if (!title.empty() && annual_->entries_size() > 0) {
        // A title broken across lines by the PDF.
        v1::AnnualPlanEntry* e =
            annual_->mutable_entries(annual_->entries_size() - 1);
        e->set_title(absl::StrCat(e->title(), " ", title));
        return;
      }
      Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
          absl::StrCat("annual-plan row without ลำดับ: ",
                       Quote(absl::StrJoin(cells, " | "))));
      return;
    }
    if (!seq_value.ok() || title.empty()) {
      Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
          absl::StrCat("annual-plan row not understood: ",
                       Quote(absl::StrJoin(cells, " | "))));
      return;
    }
    v1::AnnualPlanEntry* e = annual_->add_entries();
    annual_rows_.push_back({no, static_cast<int>(*seq_value)});
    e->set_title(std::string(title));
    const absl::string_view dim = CellAt(cells, annual_cols_[2]);
    absl::StatusOr<int64_t> d = thai::ParseInteger(dim);
    if (d.ok() && *d >= 1 && *d <= 9) {
      e->set_dimension(static_cast<int>(*d));
    } else {
      Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
          absl::StrCat("annual-plan row ", *seq_value, ": dimension ",
                       Quote(dim), " is not a number 1-9"));
    }
    const absl::string_view b = CellAt(cells, budget_col);
    absl::StatusOr<std::optional<int64_t>> amount = thai::ParseBaht(b);
    if (amount.ok() && amount->has_value()) {
      e->mutable_budget()->set_satang(**amount);
    } else if (amount.ok()) {
      Add(Finding::INFO, "UNREADABLE_AMOUNT", LineLoc(no),
          absl::StrCat("annual-plan row ", *seq_value,
                       ": budget is \"-\"; no budget recorded"));
    } else {
      Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(no),
          absl::StrCat("annual-plan row ", *seq_value, ": budget ", Quote(b),
                       " is not an amount"));
    }
    for (int q = 0; q < 4; ++q) {
      const absl::string_view c = CellAt(cells, annual_cols_[4] + q);
      if (c.empty() || c == "☐" || IsDash(c)) continue;
      if (absl::StrContains(c, "☑") || absl::StrContains(c, "✓") ||
          absl::StrContains(c, "✔") || absl::StrContains(c, "✅") ||
          absl::StrContains(c, "☒") || c == "/" || c == "x" || c == "X") {
        e->add_quarters(q + 1);
      } else {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            absl::StrCat("annual-plan row ", *seq_value, ": quarter ", q + 1,
                         " cell ", Quote(c), " is not a tick"));
      }
    }
    e->set_remark(std::string(CellAt(cells, annual_cols_[5])));
  }

  // -------------------------------------------------------- risk table
  // Appends a continuation (the next page's part of a row) to `dst`. PDF
  // extraction sometimes repeats the last words of a page at the top of the
  // next one; such an overlap is removed once.
  void AppendContinuation(std::string* dst, absl::string_view add, int no) {
    if (add.empty()) return;
    if (dst->empty()) {
      *dst = std::string(add);
      return;
    }
    constexpr size_t kProbe = 24;
    constexpr size_t kTail = 400;
    if (add.size() >= kProbe) {
      const size_t tail_start = dst->size() > kTail ? dst->size() - kTail : 0;
      const absl::string_view tail = absl::string_view(*dst).substr(tail_start);
      const absl::string_view probe = add.substr(0, kProbe);
      size_t at = tail.find(probe);
      while (at != absl::string_view::npos) {
        const absl::string_view suffix = tail.substr(at);
        if (absl::StartsWith(add, suffix) &&
            (suffix.size() == add.size() ||
             (static_cast<unsigned char>(add[suffix.size()]) & 0xC0) != 0x80)) {
          Add(Finding::INFO, "DUPLICATED_TEXT", LineLoc(no),
              absl::StrCat("the continued row repeats ", Quote(suffix),
                           " from the previous page; the repetition is "
                           "dropped"));
          absl::StrAppend(dst, add.substr(suffix.size()));
          return;
        }
        at = tail.find(probe, at + 1);
      }
    }
    absl::StrAppend(dst, " ", add);
  }

  void RiskTableRow(const std::vector<std::string>& cells, int no) {
    const absl::string_view c0 = CellAt(cells, 0);
    if (c0.empty()) {
      if (risk_rows_.empty()) {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            absl::StrCat("risk-table continuation without a row: ",
                         Quote(absl::StrJoin(cells, " | "))));
        return;
      }
      for (int k = 0; k < 4; ++k) {
        AppendContinuation(&risk_rows_.back().cells[k],
                           CellAt(cells, risk_cols_[k]), no);
      }
      return;
    }
    absl::StatusOr<int64_t> seq = thai::ParseInteger(c0);
    if (!seq.ok() || *seq < 1 || *seq > 9999) {
      Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
          absl::StrCat(
              "risk-table row with ลำดับ ", Quote(c0),
              " that is not a number: ", Quote(absl::StrJoin(cells, " | "))));
      return;
    }
    RiskRow row;
    row.line = no;
    row.sequence = static_cast<int>(*seq);
    for (int k = 0; k < 4; ++k)
      row.cells[k] = std::string(CellAt(cells, risk_cols_[k]));
    risk_rows_.push_back(std::move(row));
  }

  // ----------------------------------------------------------- targets
  void TargetsRow(const std::vector<std::string>& cells, int no) {
    const absl::string_view c0 = CellAt(cells, 0);
    const bool cases = absl::StrContains(c0, "คดี");
    const bool ita = absl::StrContains(c0, "ITA") ||
                     absl::StrContains(c0, "ita") ||
                     absl::StrContains(c0, "คะแนน");
    if (!cases && !ita) {
      Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(no),
          absl::StrCat("targets table: line not understood: ",
                       Quote(absl::StrJoin(cells, " | "))));
      return;
    }
    if (cases) {
      // "(คำนวณจากปี ๒๕๖๕)": the base year of the reduction.
      if (std::optional<int> base = FirstYear(c0)) target_base_ = *base;
    }
    for (size_t j = 0; j < target_years_.size(); ++j) {
      const absl::string_view c = CellAt(cells, target_cols_[j]);
      if (c.empty()) continue;
      const std::optional<double> v = FirstNumber(c);
      if (!v) {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            absl::StrCat("target for ", target_years_[j], " ", Quote(c),
                         " is not a number"));
        continue;
      }
      v1::YearTarget& t = targets_[target_years_[j]];
      t.set_be_year(target_years_[j]);
      if (cases) {
        t.set_corruption_case_reduction_percent(*v);
      } else {
        t.set_ita_score_target(*v);
      }
    }
  }

  // ---------------------------------------------------- 5-year table
  void Tokenize(absl::string_view cell, int no, std::vector<Cell>* out) {
    for (absl::string_view tok :
         absl::StrSplit(cell, absl::ByAnyChar(" \t"), absl::SkipEmpty())) {
      if (IsDash(tok)) {
        out->push_back(std::nullopt);
        continue;
      }
      absl::StatusOr<std::optional<int64_t>> v = thai::ParseBaht(tok);
      if (v.ok()) {
        out->push_back(*v);
      } else {
        Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(no),
            absl::StrCat("5-year table: ", Quote(tok),
                         " is neither an amount nor \"-\"; ignored"));
      }
    }
  }

  ValueRow MakeValueRow(const std::vector<std::string>& cells, int no) {
    ValueRow row;
    row.line = no;
    const int n = static_cast<int>(cells.size());
    for (size_t j = 0; j < five_cols_.size(); ++j) {
      std::vector<Cell> tokens;
      const int start = five_cols_[j];
      int end = start + 1;
      if (five_wide_) {
        end = j + 1 < five_cols_.size() ? five_cols_[j + 1]
                                        : std::max(start + 1, five_remark_col_);
      }
      for (int c = start; c < end && c < n; ++c) {
        Tokenize(cells[c], no, &tokens);
      }
      row.per_year.push_back(std::move(tokens));
    }
    if (five_wide_) {
      for (int c = five_cols_.empty() ? n : five_cols_[0]; c < n; ++c) {
        Tokenize(cells[c], no, &row.flat);
      }
    } else {
      for (const auto& y : row.per_year) {
        row.flat.insert(row.flat.end(), y.begin(), y.end());
      }
    }
    // Cells of a normal page beyond the years: the remark column.
    if (!five_wide_ && five_remark_col_ >= 0) {
      const absl::string_view remark = CellAt(cells, five_remark_col_);
      if (!remark.empty() && IsDigitAt(remark, 0)) {
        if (std::optional<int64_t> a = FirstAmount(remark)) {
          Add(Finding::WARNING, "AMOUNT_IN_REMARK", LineLoc(no),
              absl::StrCat("5-year table: the หมายเหตุ column holds ", Baht(*a),
                           " baht; it is not counted in any fiscal year"));
        }
      }
    }
    return row;
  }

  static bool HasValues(const ValueRow& row) { return !row.flat.empty(); }

  void FiveYearRow(const std::vector<std::string>& cells, int no) {
    bool sub_header = true;
    for (const std::string& c : cells) {
      if (!c.empty() && !absl::StrContains(c, "งบประมาณ")) sub_header = false;
    }
    if (sub_header) return;
    const absl::string_view c0 = CellAt(cells, 0);
    const absl::string_view c1 = CellAt(cells, 1);
    const absl::string_view c2 = CellAt(cells, 2);
    if (!c0.empty()) {
      int dim;
      std::string title;
      if (LeadingDimensionCell(c0, &dim, &title)) {
        table_dim_ = dim;
        NoteDimensionTitle(dim, title, /*from_table=*/true);
      }
    }
    if (!c1.empty()) {
      std::string code, title;
      if (MissionCode(c1, &code, &title)) {
        table_mission_ = code;
        NoteMission(code, title, no, /*from_table=*/true);
      }
    }
    std::string leading;
    std::vector<NumberedItem> items = SplitNumbered(c2, ')', &leading);
    const std::string head = absl::StrCat(c0, " ", c1, " ", c2);
    if (items.empty() && absl::StrContains(head, "รวม")) {
      DeclaredTotal total;
      total.line = no;
      total.grand = absl::StrContains(head, "รวมทั้งสิ้น");
      total.dimension = table_dim_;
      if (absl::StrContains(head, "โครงการ")) {
        if (std::optional<double> n = FirstNumber(head)) {
          total.count = static_cast<int>(*n);
        }
      }
      for (size_t j = 0; j < five_cols_.size(); ++j) {
        const absl::string_view c = CellAt(cells, five_cols_[j]);
        std::optional<int64_t> v;
        if (!c.empty()) {
          v = FirstAmount(c);
          if (!v && !IsDash(c)) {
            Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(no),
                absl::StrCat("5-year table total for ",
                             j < five_years_.size() ? five_years_[j] : 0, " ",
                             Quote(c), " is not an amount"));
          }
        }
        total.per_year.push_back(v);
      }
      if (total.grand) {
        for (size_t g = 0; g < groups_.size(); ++g) total.groups.push_back(g);
      } else {
        total.groups = block_groups_;
        block_groups_.clear();
      }
      totals_.push_back(std::move(total));
      return;
    }
    if (!items.empty()) {
      if (!leading.empty()) {
        Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(no),
            absl::StrCat("5-year table: text before the first numbered "
                         "project ignored: ",
                         Quote(leading)));
      }
      TableGroup g;
      g.line = no;
      g.dimension = table_dim_;
      g.mission = table_mission_;
      g.items = std::move(items);
      g.wide = five_wide_;
      g.rows.push_back(MakeValueRow(cells, no));
      block_groups_.push_back(groups_.size());
      groups_.push_back(std::move(g));
      return;
    }
    ValueRow row = MakeValueRow(cells, no);
    if (c0.empty() && c1.empty() && c2.empty()) {
      if (!HasValues(row)) return;
      if (groups_.empty() || block_groups_.empty()) {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
            "5-year table: values without a project row above them; ignored");
        return;
      }
      groups_.back().rows.push_back(std::move(row));
      return;
    }
    if (c2.empty() && !HasValues(row)) return;  // a dimension/mission cell only
    Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(no),
        absl::StrCat("5-year table row not understood: ",
                     Quote(absl::StrJoin(cells, " | "))));
  }

  // "๑. การสร้างวัฒนธรรมสุจริต" (the table's dimension cell).
  static bool LeadingDimensionCell(absl::string_view c, int* dim,
                                   std::string* title) {
    size_t p = 0;
    const std::optional<int> n = ReadInt(c, &p, 1);
    if (!n || *n < 1 || p >= c.size() || c[p] != '.') return false;
    if (p + 1 < c.size() && IsDigitAt(c, p + 1)) return false;
    *dim = *n;
    *title = CollapseWhitespace(c.substr(p + 1));
    return true;
  }

  // "๑.๑ title" / "๑.๑.๒ title" (not "๒.๑) item"): the code in ASCII digits.
  static bool MissionCode(absl::string_view t, std::string* code,
                          std::string* title) {
    size_t p = 0;
    std::vector<int> parts;
    while (true) {
      const std::optional<int> n = ReadInt(t, &p, 2);
      if (!n) return false;
      parts.push_back(*n);
      if (p < t.size() && t[p] == '.' && p + 1 < t.size() &&
          IsDigitAt(t, p + 1)) {
        ++p;
        continue;
      }
      break;
    }
    if (parts.size() < 2 || parts.size() > 3) return false;
    if (parts[0] < 1 || parts[0] > 9) return false;
    if (p < t.size() && (t[p] == ')' || t[p] == '.' || t[p] == ',')) {
      return false;
    }
    *code = absl::StrJoin(parts, ".");
    *title = CollapseWhitespace(t.substr(p));
    return true;
  }

  // ------------------------------------------------------------- text
  void Text(int no, const std::string& t) {
    ScanNames(t, no);
    // Years in a sheet are the project's, not the plan's span.
    if (!sheet_) ScanSpans(t, no);
    if (absl::StartsWith(t, "#####")) return;
    std::optional<int> seq;
    if (SequenceLine(t, &seq)) {
      FinishSheet();
      StartSheet(no, seq);
      if (!seq) {
        Add(Finding::ERROR, "SHEET_WITHOUT_SEQUENCE", LineLoc(no),
            absl::StrCat("sheet heading ", Quote(t),
                         " has no readable number"));
      }
      return;
    }
    int dim;
    std::string title;
    if (DimensionHeading(t, &dim, &title) &&
        (!sheet_ || (!title.empty() && dim >= current_dim_))) {
      FinishSheet();
      current_dim_ = dim;
      current_mission_.clear();
      std::string clean_title = title;
      const size_t count_at = title.find("จำนวน");
      if (count_at != std::string::npos) {
        clean_title = CollapseWhitespace(title.substr(0, count_at));
        if (absl::StrContains(title.substr(count_at), "โครงการ")) {
          if (std::optional<double> n = FirstNumber(title.substr(count_at))) {
            if (!declared_dim_counts_.contains(dim)) {
              declared_dim_counts_[dim] = {static_cast<int>(*n), no};
            }
          }
        }
      }
      NoteDimensionTitle(dim, clean_title, /*from_table=*/false);
      return;
    }
    std::string code;
    if (MissionCode(t, &code, &title) && AcceptMission(code)) {
      FinishSheet();
      current_mission_ = code;
      current_dim_ = code[0] - '0';
      heading_codes_.insert(code);
      NoteMission(code, title, no, /*from_table=*/false);
      return;
    }
    if (sheet_) {
      SheetLine(no, t);
      return;
    }
    {
      int field;
      std::string rest;
      bool numbered;
      if (FieldHeading(t, 0, &field, &rest, &numbered) && field == 1 &&
          numbered) {
        // A sheet whose "ลำดับที่" line is missing.
        StartSheet(no, std::nullopt);
        Add(Finding::ERROR, "SHEET_WITHOUT_SEQUENCE", LineLoc(no),
            absl::StrCat("a project sheet starts without \"ลำดับที่\": ",
                         Quote(rest)));
        SheetLine(no, t);
        return;
      }
    }
    if (annual_just_ended_ && absl::StartsWith(t, "**") && annual_) {
      std::string note(absl::StripAsciiWhitespace(absl::StripPrefix(t, "**")));
      annual_->set_note(note);
    }
    annual_just_ended_ = false;
    // The cover: "แผนปฏิบัติการป้องกันการทุจริต" then "เพื่อ...".
    if (!pending_title_.empty() && title_.empty() &&
        absl::StartsWith(t, "เพื่อ")) {
      title_ = absl::StrCat(pending_title_, t);
    }
    pending_title_.clear();
    if (absl::StartsWith(t, "แผนปฏิบัติการป้องกันการทุจริต")) {
      if (t == "แผนปฏิบัติการป้องกันการทุจริต") pending_title_ = t;
      if (fallback_title_.empty()) fallback_title_ = t;
    }
    if (!declared_total_text_ && absl::StrContains(t, "รวมทั้งสิ้น")) {
      const size_t at = t.find("รวมทั้งสิ้น");
      absl::string_view after = absl::string_view(t).substr(at);
      const size_t proj = after.find("โครงการ");
      if (proj != absl::string_view::npos) {
        if (std::optional<double> n = FirstNumber(after.substr(0, proj))) {
          declared_total_text_ = std::make_pair(static_cast<int>(*n), no);
        }
      }
    }
    recent_text_.push_back({no, t});
    if (recent_text_.size() > 3) recent_text_.erase(recent_text_.begin());
  }

  bool AcceptMission(const std::string& code) {
    if (!sheet_) return true;
    // Inside a sheet, "2.1 ..." may be a list item of the body; only a code
    // not seen yet, of this dimension or a later one, is taken as a heading.
    const int d = code[0] - '0';
    if (heading_codes_.contains(code)) return false;
    return d >= current_dim_;
  }

  static bool SequenceLine(absl::string_view t, std::optional<int>* seq) {
    if (!absl::StartsWith(t, "ลำดับที่")) return false;
    absl::string_view rest = t.substr(std::string_view("ลำดับที่").size());
    rest = absl::StripAsciiWhitespace(rest);
    if (rest.empty()) {
      *seq = std::nullopt;
      return true;
    }
    size_t p = 0;
    const std::optional<int> n = ReadInt(rest, &p, 4);
    if (!n) return false;  // running text such as "ลำดับที่ติด..."
    if (!absl::StripAsciiWhitespace(rest.substr(p)).empty()) return false;
    *seq = *n;
    return true;
  }

  static bool DimensionHeading(absl::string_view t, int* dim,
                               std::string* title) {
    // The template's word and the typos PDFs of it carry.
    for (absl::string_view prefix : {"มิติที่", "มติที่", "มิตที่", "มิตินี้", "มิติ"}) {
      if (!absl::StartsWith(t, prefix)) continue;
      size_t p = SkipSpaces(t, prefix.size());
      const std::optional<int> n = ReadInt(t, &p, 1);
      if (!n || *n < 1 || *n > 9) return false;
      if (p < t.size() && t[p] != ' ') return false;
      *dim = *n;
      *title = CollapseWhitespace(t.substr(p));
      return true;
    }
    return false;
  }

  // A sheet field heading for a field after `current`: "๖. ระยะเวลา..." (or
  // "๖.ระยะเวลา"), or the keyword alone on a short line for the field right
  // after `current` (the number lost in extraction). *rest is the text after
  // ':' (for ๑.: after the keyword when there is no ':').
  static bool FieldHeading(absl::string_view t, int current, int* field,
                           std::string* rest, bool* numbered) {
    absl::string_view s = t;
    while (!s.empty() && (s[0] == '-' || s[0] == ' ')) s.remove_prefix(1);
    size_t p = 0;
    const std::optional<int> n = ReadInt(s, &p, 2);
    if (n) {
      if (*n < 1 || *n > 9 || p >= s.size() || s[p] != '.') return false;
      if (p + 1 < s.size() && IsDigitAt(s, p + 1)) return false;
      if (*n <= current && *n != 1) return false;
      absl::string_view after =
          absl::StripLeadingAsciiWhitespace(s.substr(p + 1));
      for (absl::string_view kw : FieldKeywords(*n)) {
        if (!absl::StartsWith(after, kw)) continue;
        *field = *n;
        *numbered = true;
        *rest = RestAfterHeading(after, kw, *n == 1);
        return true;
      }
      return false;
    }
    const int next = current + 1;
    if (next < 2 || next > 9) return false;
    if (CodePoints(s).size() > 40) return false;
    for (absl::string_view kw : FieldKeywords(next)) {
      if (!absl::StartsWith(s, kw)) continue;
      *field = next;
      *numbered = false;
      *rest = RestAfterHeading(s, kw, false);
      return true;
    }
    return false;
  }

  static std::string RestAfterHeading(absl::string_view after,
                                      absl::string_view kw, bool title) {
    const size_t colon = after.find(':');
    if (colon != absl::string_view::npos) {
      return CollapseWhitespace(after.substr(colon + 1));
    }
    if (!title) return "";
    absl::string_view r = after.substr(kw.size());
    // "ชื่อโครงการ/กิจกรรม/มาตรการ title"
    while (absl::StartsWith(r, "/")) {
      r.remove_prefix(1);
      for (absl::string_view w : {"โครงการ", "กิจกรรม", "มาตรการ"}) {
        if (absl::StartsWith(r, w)) r.remove_prefix(w.size());
      }
    }
    return CollapseWhitespace(r);
  }

  void StartSheet(int no, std::optional<int> seq) {
    sheet_ = std::make_unique<Sheet>();
    sheet_->line = no;
    sheet_->sequence = seq;
    sheet_->mission_code = current_mission_;
    sheet_->dimension = current_dim_;
  }

  void SheetLine(int no, const std::string& t) {
    int field;
    std::string rest;
    bool numbered;
    if (FieldHeading(t, sheet_->current_field, &field, &rest, &numbered)) {
      if (field == 1 && sheet_->current_field >= 1) {
        // A second title: a sheet whose "ลำดับที่" line is missing.
        FinishSheet();
        StartSheet(no, std::nullopt);
        Add(Finding::ERROR, "SHEET_WITHOUT_SEQUENCE", LineLoc(no),
            absl::StrCat("a project sheet starts without \"ลำดับที่\": ",
                         Quote(rest)));
      }
      sheet_->current_field = field;
      sheet_->heading_line[field] = no;
      sheet_->inline_text[field] = rest;
      if (!numbered) sheet_->unnumbered.push_back(field);
      return;
    }
    sheet_->body[sheet_->current_field].push_back({no, t});
  }

  void FinishSheet() {
    if (!sheet_) return;
    sheets_.push_back(std::move(*sheet_));
    sheet_.reset();
  }

  // ----------------------------------------------- names, spans, tree
  void ScanNames(absl::string_view t, int no) {
    for (size_t k = 0; k < kOrgPrefixes.size(); ++k) {
      const absl::string_view prefix = kOrgPrefixes[k].text;
      size_t pos = 0;
      while ((pos = t.find(prefix, pos)) != absl::string_view::npos) {
        pos += prefix.size();
        std::string name = NameAfter(t, pos);
        if (name.empty()) continue;
        auto& entry = names_[{static_cast<int>(k), name}];
        if (entry.first++ == 0) entry.second = no;
      }
    }
  }

  void ScanSpans(absl::string_view t, int no) {
    size_t pos = 0;
    while ((pos = t.find("พ.ศ.", pos)) != absl::string_view::npos) {
      pos += std::string_view("พ.ศ.").size();
      size_t p = SkipSpaces(t, pos);
      const std::optional<int> a = ReadInt(t, &p, 4);
      if (!a) continue;
      p = SkipSpaces(t, p);
      bool dash = false;
      for (absl::string_view d : {"-", "–", "—"}) {
        if (absl::StartsWith(t.substr(p), d)) {
          p += d.size();
          dash = true;
          break;
        }
      }
      if (!dash) continue;
      p = SkipSpaces(t, p);
      const std::optional<int> b = ReadInt(t, &p, 4);
      if (!b || !PlausibleBeYear(*a) || !PlausibleBeYear(*b)) continue;
      if (*b <= *a || *b - *a > 9) continue;
      auto& entry = spans_[{*a, *b}];
      if (entry.first++ == 0) entry.second = no;
    }
  }

  void NoteDimensionTitle(int dim, const std::string& title, bool from_table) {
    auto& entry = dims_[dim];
    std::string& slot = from_table ? entry.second : entry.first;
    if (slot.empty()) slot = title;
  }

  void NoteMission(const std::string& code, const std::string& title, int no,
                   bool from_table) {
    auto& m = missions_[code];
    if (m.line == 0) m.line = no;
    std::string& slot = from_table ? m.table_title : m.heading_title;
    if (slot.empty()) slot = title;
  }

  // ----------------------------------------------------------- finish
  void Finish();
  void FinishOrganization();
  void FinishProjects();
  void FinishFiveYear();
  void FinishBudgets();
  void FinishAnnual();
  void FinishRisks();
  void FinishTree();
  void FinishTargets();
  void FinishDeclaredCounts();
  SheetBudget ParseSheetBudget(const std::string& text, int line, int sequence);
  int SequenceForTitle(absl::string_view title) const {
    auto it = title_index_.find(NormalizeTitleForMatch(title, org_short_));
    return it == title_index_.end() ? 0 : it->second;
  }

  const std::string text_;
  ImportedPlan out_;
  std::map<std::string, int> finding_counts_;
  Mode mode_ = Mode::kNone;

  // Sheets and the heading context.
  std::unique_ptr<Sheet> sheet_;
  std::vector<Sheet> sheets_;
  int current_dim_ = 0;
  std::string current_mission_;
  std::set<std::string> heading_codes_;
  std::vector<Draft> drafts_;
  std::vector<size_t> kept_;  // indices into drafts_ of out_.projects
  std::map<std::string, int> title_index_;

  // Document-level facts.
  std::map<std::pair<int, std::string>, std::pair<int, int>> names_;
  std::string org_short_;
  // Span -> (count, first line).
  std::map<std::pair<int, int>, std::pair<int, int>> spans_;
  std::string title_, pending_title_, fallback_title_;
  std::vector<TextLine> recent_text_;
  std::optional<std::pair<int, int>> declared_total_text_;
  std::map<int, std::pair<int, int>> declared_dim_counts_;
  std::map<int, std::pair<std::string, std::string>> dims_;  // text, table
  struct MissionInfo {
    int line = 0;
    std::string heading_title, table_title;
  };
  std::map<std::string, MissionInfo> missions_;

  // Annual table.
  std::optional<v1::AnnualPlan> annual_;
  bool annual_started_ = false, annual_ignored_ = false;
  bool annual_just_ended_ = false;
  int annual_line_ = 0, annual_total_line_ = 0;
  std::array<int, 6> annual_cols_{};
  std::vector<std::pair<int, int>> annual_rows_;  // line, ลำดับ
  std::optional<int64_t> annual_declared_budget_;
  std::array<std::optional<int>, 4> annual_declared_quarters_;

  // Risk table.
  std::array<int, 4> risk_cols_{};
  std::vector<RiskRow> risk_rows_;

  // Targets.
  std::vector<int> target_years_, target_cols_;
  std::optional<int> target_base_;
  std::map<int, v1::YearTarget> targets_;

  // 5-year table.
  std::vector<int> five_years_, five_cols_;
  int five_first_line_ = 0;
  bool five_wide_ = false;
  int five_remark_col_ = -1;
  int table_dim_ = 0;
  std::string table_mission_;
  std::vector<TableGroup> groups_;
  std::vector<size_t> block_groups_;
  std::vector<DeclaredTotal> totals_;
  // Item number -> year -> value, for attributed items only.
  std::map<int, std::map<int, Cell>> table_schedule_;
  std::map<int, std::pair<int, std::string>> table_items_;  // line, title
};

void Importer::Finish() {
  FinishOrganization();
  FinishProjects();
  FinishFiveYear();
  FinishBudgets();
  FinishAnnual();
  FinishRisks();
  FinishTree();
  FinishTargets();
  FinishDeclaredCounts();
  if (out_.projects.empty() && risk_rows_.empty() && !annual_ &&
      groups_.empty()) {
    Add(Finding::ERROR, "NO_PLAN_FOUND", "line 1",
        "the text has no project sheet, risk table, annual-plan table or "
        "5-year table of the NACC template");
  }
  for (const auto& [code, n] : finding_counts_) {
    if (n > kMaxFindingsPerCode) {
      Finding f;
      f.set_severity(Finding::INFO);
      f.set_code("FINDINGS_TRUNCATED");
      f.set_location("line 1");
      f.set_message(absl::StrCat(n - kMaxFindingsPerCode, " more ", code,
                                 " findings are not listed"));
      out_.findings.push_back(std::move(f));
    }
  }
}

void Importer::FinishOrganization() {
  v1::ActionPlan& plan = out_.plan;
  // The organization: the most frequent (prefix, name) pair.
  const std::pair<int, std::string>* best = nullptr;
  int best_count = 0;
  for (const auto& [key, value] : names_) {
    if (value.first > best_count) {
      best = &key;
      best_count = value.first;
    }
  }
  if (best != nullptr) {
    const OrgPrefix& prefix = kOrgPrefixes[best->first];
    org_short_ = best->second;
    plan.mutable_organization()->set_name(absl::StrCat(
        kOrgPrefixes[best->first == 1 ? 0 : best->first].text, best->second));
    plan.mutable_organization()->set_kind(prefix.kind);
    // Misspellings of the name: a few letters apart from the majority.
    const std::vector<char32_t> name = CodePoints(org_short_);
    const int limit = (static_cast<int>(name.size()) + 2) / 3;
    std::vector<std::string> variants;
    for (const auto& [key, value] : names_) {
      if (key.second == org_short_) continue;
      const std::vector<char32_t> other = CodePoints(key.second);
      if (Levenshtein(other, name) > limit) continue;
      variants.push_back(absl::StrCat(kOrgPrefixes[key.first].text, key.second,
                                      " (", value.first, "×, first line ",
                                      value.second, ")"));
    }
    if (!variants.empty()) {
      Add(Finding::WARNING, "NAME_VARIANT", LineLoc(names_.at(*best).second),
          absl::StrCat(
              "the organization is named \"", plan.organization().name(), "\" ",
              best_count,
              " times, but also spelt: ", absl::StrJoin(variants, "; ")));
    }
  } else {
    Add(Finding::WARNING, "MISSING_ORGANIZATION", "line 1",
        "no organization name (องค์การบริหารส่วนตำบล…, เทศบาล…) found");
  }
  // The plan's span: the most frequent "พ.ศ. 2566 - 2570".
  // Ties go to the span written first (the cover).
  int span_count = 0;
  int span_line = 0;
  for (const auto& [span, n] : spans_) {
    if (n.first > span_count ||
        (n.first == span_count && n.second < span_line)) {
      span_count = n.first;
      span_line = n.second;
      plan.mutable_fiscal_years()->set_first_be_year(span.first);
      plan.mutable_fiscal_years()->set_last_be_year(span.second);
    }
  }
  if (span_count == 0) {
    Add(Finding::ERROR, "MISSING_FISCAL_YEARS", "line 1",
        "no fiscal-year span (พ.ศ. ๒๕๖๖ - ๒๕๗๐) found");
  }
  if (title_.empty() && !fallback_title_.empty()) {
    // "แผนปฏิบัติการป้องกันการทุจริต พ.ศ. 2569 ของ ...": keep the name only.
    title_ = fallback_title_;
    for (absl::string_view cut : {" พ.ศ.", " (พ.ศ.", " ของ", " ปี"}) {
      const size_t at = title_.find(cut.data(), 0, cut.size());
      if (at != std::string::npos) title_.resize(at);
    }
  }
  if (title_.empty()) {
    Add(Finding::ERROR, "MISSING_TITLE", "line 1",
        "no plan title (แผนปฏิบัติการป้องกันการทุจริต…) found");
  }
  plan.set_title(title_);
}

SheetBudget Importer::ParseSheetBudget(const std::string& text, int line,
                                       int sequence) {
  SheetBudget b;
  for (absl::string_view none :
       {"ไม่ใช้งบประมาณ", "ไม่ใช้จ่ายงบประมาณ", "ไม่ได้ใช้งบประมาณ", "ไม่มีงบประมาณ",
        "ไม่ต้องใช้งบประมาณ"}) {
    if (absl::StrContains(text, none)) {
      b.all_years = 0;
      return b;
    }
  }
  // Numbers followed by "บาท" (or ".-") are amounts; a bare 4-digit number
  // in 2500..2700 is a year that the amounts after it belong to.
  const bool has_baht = absl::StrContains(text, "บาท");
  std::optional<int> year;
  std::vector<std::pair<std::optional<int>, int64_t>> amounts;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigitAt(text, i) || (i > 0 && IsDigitAt(text, i - 1))) {
      ++i;
      continue;
    }
    size_t j = i;
    bool separators = false;
    while (j < text.size()) {
      size_t len;
      if (DigitAt(text, j, &len) >= 0) {
        j += len;
      } else if ((text[j] == ',' || text[j] == '.') && j + 1 < text.size() &&
                 IsDigitAt(text, j + 1)) {
        separators = true;
        ++j;
      } else {
        break;
      }
    }
    absl::string_view number = absl::string_view(text).substr(i, j - i);
    const size_t after = SkipSpaces(text, j);
    const bool baht = absl::StartsWith(text.substr(after), "บาท") ||
                      absl::StartsWith(text.substr(j), ".-");
    size_t p = 0;
    const std::optional<int> as_int = ReadInt(number, &p, 4);
    if (!baht && !separators && as_int && p == number.size() &&
        PlausibleBeYear(*as_int)) {
      year = *as_int;
    } else if (baht || !has_baht) {
      absl::StatusOr<std::optional<int64_t>> v = thai::ParseBaht(number);
      if (v.ok() && v->has_value()) amounts.emplace_back(year, **v);
    }
    i = j;
  }
  if (amounts.empty()) {
    b.unreadable = true;
    Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line),
        absl::StrCat(SeqLoc(sequence), ": budget ", Quote(text),
                     " has no amount"));
    return b;
  }
  bool per_year = true;
  for (const auto& a : amounts) per_year = per_year && a.first.has_value();
  if (per_year) {
    for (const auto& a : amounts) b.per_year[*a.first] += a.second;
  } else if (amounts.size() == 1) {
    b.all_years = amounts[0].second;
  } else {
    b.unreadable = true;
    Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(line),
        absl::StrCat(SeqLoc(sequence), ": budget ", Quote(text), " has ",
                     amounts.size(),
                     " amounts and they are not tied to fiscal years"));
  }
  return b;
}

void Importer::FinishProjects() {
  for (const Sheet& s : sheets_) {
    Draft d;
    d.line = s.line;
    d.sequence = s.sequence;
    v1::Project& p = d.project;
    const int seq = s.sequence.value_or(0);
    const std::string where = s.sequence ? SeqLoc(seq) : LineLoc(s.line);
    // Title.
    std::string title = s.inline_text[1];
    for (const TextLine& l : s.body[1]) absl::StrAppend(&title, " ", l.text);
    title = CollapseWhitespace(title);
    d.has_title = s.heading_line[1] != 0 && !title.empty();
    p.set_title(title);
    if (s.sequence) p.set_sequence(seq);
    p.set_mission_code(s.mission_code);
    int dim = s.dimension;
    if (!s.mission_code.empty()) dim = s.mission_code[0] - '0';
    p.set_dimension(dim);
    absl::string_view first = absl::StripAsciiWhitespace(title);
    for (absl::string_view q : {"“", "\"", "‘", "'"}) {
      first = absl::StripPrefix(first, q);
    }
    if (absl::StartsWith(first, "โครงการ")) {
      p.set_kind(v1::Project::PROJECT);
    } else if (absl::StartsWith(first, "กิจกรรม")) {
      p.set_kind(v1::Project::ACTIVITY);
    } else if (absl::StartsWith(first, "มาตรการ")) {
      p.set_kind(v1::Project::MEASURE);
    }
    const auto texts = [&](int field) {
      std::vector<std::string> lines;
      if (!s.inline_text[field].empty()) lines.push_back(s.inline_text[field]);
      for (const TextLine& l : s.body[field]) lines.push_back(l.text);
      return lines;
    };
    p.set_rationale(absl::StrJoin(texts(2), "\n"));
    for (std::string& o : LineItems(texts(3))) p.add_objectives(std::move(o));
    p.set_target_group(absl::StrJoin(texts(4), "\n"));
    for (std::string& m : LineItems(texts(5))) {
      p.add_method_steps(std::move(m));
    }
    p.set_owner_unit(absl::StrJoin(texts(8), " "));
    // ๙.: "ผลผลิต" and "ผลลัพธ์" sub-headings split outputs from outcomes.
    {
      std::vector<std::string> outputs, outcomes;
      std::vector<std::string>* target = &outputs;
      for (const std::string& l : texts(9)) {
        absl::string_view t = l;
        while (!t.empty() && (t[0] == '-' || t[0] == ' ')) t.remove_prefix(1);
        bool heading = false;
        for (auto [word, list] :
             {std::make_pair(absl::string_view("ผลผลิต"), &outputs),
              std::make_pair(absl::string_view("ผลลัพธ์"), &outcomes)}) {
          if (absl::StartsWith(t, word) &&
              (CodePoints(t).size() <= 20 ||
               absl::StartsWith(
                   absl::StripLeadingAsciiWhitespace(t.substr(word.size())),
                   ":"))) {
            target = list;
            heading = true;
            const size_t colon = t.find(':');
            if (colon != absl::string_view::npos) {
              std::string rest = CollapseWhitespace(t.substr(colon + 1));
              if (!rest.empty()) target->push_back(rest);
            }
          }
        }
        if (!heading) target->push_back(l);
      }
      for (std::string& o : LineItems(outputs)) p.add_outputs(std::move(o));
      for (std::string& o : LineItems(outcomes)) p.add_outcomes(std::move(o));
    }
    // ๖. fiscal years.
    if (s.heading_line[6] != 0) {
      d.years_line = s.heading_line[6];
      std::string text = s.inline_text[6];
      for (const TextLine& l : s.body[6]) absl::StrAppend(&text, " ", l.text);
      std::vector<int> years = FindYears(text);
      std::sort(years.begin(), years.end());
      years.erase(std::unique(years.begin(), years.end()), years.end());
      if (years.empty()) {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(s.heading_line[6]),
            absl::StrCat(where, ": ๖. ระยะเวลา ", Quote(text),
                         " names no fiscal year"));
      }
      d.years = years;
    }
    // ๗. budget.
    if (s.heading_line[7] != 0) {
      d.has_budget_field = true;
      d.budget_line = s.heading_line[7];
      std::string text = s.inline_text[7];
      for (const TextLine& l : s.body[7]) absl::StrAppend(&text, " ", l.text);
      text = CollapseWhitespace(text);
      if (text.empty()) {
        d.budget.unreadable = true;
        Add(Finding::WARNING, "UNREADABLE_AMOUNT", LineLoc(s.heading_line[7]),
            absl::StrCat(where, ": ๗. งบประมาณ is empty"));
      } else {
        d.budget = ParseSheetBudget(text, s.heading_line[7], seq);
      }
    }
    if (!s.body[0].empty()) {
      Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(s.body[0].front().number),
          absl::StrCat(where, ": text before ๑. ชื่อโครงการ ignored: ",
                       Quote(s.body[0].front().text)));
    }
    for (int f : s.unnumbered) {
      Add(Finding::INFO, "UNNUMBERED_HEADING", LineLoc(s.heading_line[f]),
          absl::StrCat(where, ": heading ", kFieldNames[f],
                       " is written without its number"));
    }
    drafts_.push_back(std::move(d));
  }

  // Keep one sheet per sequence, in document order.
  std::map<int, size_t> first_of;
  for (size_t i = 0; i < drafts_.size(); ++i) {
    Draft& d = drafts_[i];
    if (!d.has_title) {
      Add(Finding::ERROR, "SHEET_WITHOUT_TITLE",
          d.sequence ? SeqLoc(*d.sequence) : LineLoc(d.line),
          absl::StrCat("the sheet at line ", d.line,
                       " has no ๑. ชื่อโครงการ; it is not imported"));
      continue;
    }
    if (!d.sequence) continue;  // SHEET_WITHOUT_SEQUENCE already reported
    auto [it, inserted] = first_of.emplace(*d.sequence, i);
    if (!inserted) {
      const Draft& first = drafts_[it->second];
      Add(Finding::ERROR, "DUPLICATE_SEQUENCE", SeqLoc(*d.sequence),
          absl::StrCat("ลำดับที่ ", *d.sequence, " appears again at line ", d.line,
                       " (", Quote(d.project.title()),
                       "); the first sheet (line ", first.line, ", ",
                       Quote(first.project.title()),
                       ") is kept and this one is not imported"));
      continue;
    }
    kept_.push_back(i);
  }
  std::set<int> seqs;
  for (size_t i : kept_) {
    const Draft& d = drafts_[i];
    seqs.insert(*d.sequence);
    if (!d.has_budget_field) {
      Add(Finding::WARNING, "SHEET_WITHOUT_BUDGET", SeqLoc(*d.sequence),
          absl::StrCat("ลำดับที่ ", *d.sequence, " (line ", d.line,
                       ") has no ๗. งบประมาณ line"));
    }
    std::vector<std::string> missing;
    const Sheet& s = sheets_[i];
    for (int f : {2, 3, 4, 5, 6, 8, 9}) {
      if (s.heading_line[f] == 0) missing.emplace_back(kFieldNames[f]);
    }
    if (!missing.empty()) {
      Add(Finding::WARNING, "SHEET_MISSING_FIELD", SeqLoc(*d.sequence),
          absl::StrCat("ลำดับที่ ", *d.sequence, " (line ", d.line, ") lacks ",
                       absl::StrJoin(missing, ", ")));
    }
    title_index_.emplace(NormalizeTitleForMatch(d.project.title(), org_short_),
                         *d.sequence);
  }
  if (!seqs.empty()) {
    std::vector<int> gaps;
    for (int n = 1; n < *seqs.rbegin(); ++n) {
      if (!seqs.contains(n)) gaps.push_back(n);
    }
    for (int n : gaps) {
      Add(Finding::WARNING, "MISSING_SEQUENCE", SeqLoc(n),
          absl::StrCat("no sheet numbered ", n, " (sheets run 1..",
                       *seqs.rbegin(), ")"));
    }
  }
}

void Importer::FinishFiveYear() {
  const size_t y_count = five_years_.size();
  for (TableGroup& g : groups_) {
    const size_t k = g.items.size();
    g.year_sums.assign(y_count, 0);
    // val[i][j]: item i, year j.
    std::vector<std::vector<Cell>> val(k, std::vector<Cell>(y_count));
    bool attributed = false;
    if (!g.wide) {
      bool one_row = g.rows.size() == 1;
      for (size_t j = 0; one_row && j < y_count; ++j) {
        one_row = g.rows[0].per_year[j].size() == k;
      }
      bool row_each = g.rows.size() == k;
      for (size_t r = 0; row_each && r < g.rows.size(); ++r) {
        for (size_t j = 0; row_each && j < y_count; ++j) {
          row_each = g.rows[r].per_year[j].size() == 1;
        }
      }
      if (one_row) {
        for (size_t i = 0; i < k; ++i) {
          for (size_t j = 0; j < y_count; ++j) {
            val[i][j] = g.rows[0].per_year[j][i];
          }
        }
        attributed = true;
      } else if (row_each) {
        for (size_t i = 0; i < k; ++i) {
          for (size_t j = 0; j < y_count; ++j) {
            val[i][j] = g.rows[i].per_year[j][0];
          }
        }
        attributed = true;
      }
    } else {
      // A page where each year spans several columns: the values come out
      // in reading order, year by year, one per project; what follows the
      // first years × projects values repeats them.
      std::vector<Cell> flat;
      for (const ValueRow& r : g.rows) {
        flat.insert(flat.end(), r.flat.begin(), r.flat.end());
      }
      if (k > 0 && flat.size() >= k * y_count) {
        for (size_t j = 0; j < y_count; ++j) {
          for (size_t i = 0; i < k; ++i) val[i][j] = flat[j * k + i];
        }
        attributed = true;
        if (flat.size() > k * y_count) {
          Add(Finding::INFO, "WIDE_ROW_EXTRA_VALUES", LineLoc(g.line),
              absl::StrCat("5-year table (a page with ", y_count,
                           " multi-column years): items ",
                           g.items.front().number, "-", g.items.back().number,
                           " have ", flat.size(), " values for ", k,
                           " project(s) × ", y_count, " years; the first ",
                           k * y_count, " are read year by year, ",
                           flat.size() - k * y_count, " are ignored"));
        }
      }
    }
    for (size_t i = 0; i < k; ++i) {
      table_items_[g.items[i].number] = {g.line, g.items[i].text};
    }
    if (attributed) {
      for (size_t i = 0; i < k; ++i) {
        auto& sched = table_schedule_[g.items[i].number];
        for (size_t j = 0; j < y_count; ++j) {
          sched[five_years_[j]] = val[i][j];
          if (val[i][j]) g.year_sums[j] += *val[i][j];
        }
      }
    } else {
      for (const ValueRow& r : g.rows) {
        for (size_t j = 0; j < y_count && j < r.per_year.size(); ++j) {
          for (const Cell& c : r.per_year[j]) {
            if (c) g.year_sums[j] += *c;
          }
        }
      }
      std::vector<std::string> shapes;
      for (const ValueRow& r : g.rows) {
        std::vector<size_t> sizes;
        for (const auto& y : r.per_year) sizes.push_back(y.size());
        shapes.push_back(absl::StrJoin(sizes, "/"));
      }
      Add(Finding::WARNING, "AMBIGUOUS_SCHEDULE", LineLoc(g.line),
          absl::StrCat(
              "5-year table: items ", g.items.front().number, "-",
              g.items.back().number, " (", k, " projects, mission ",
              g.mission.empty() ? "?" : g.mission, ") share ", g.rows.size(),
              " value row(s) with [", absl::StrJoin(shapes, "; "),
              "] values per year; merged cells cannot be attributed to single "
              "projects, so the sheets alone give their schedule"));
    }
  }
  // Declared totals against the rows they close.
  for (const DeclaredTotal& t : totals_) {
    int count = 0;
    std::vector<int64_t> sums(y_count, 0);
    for (size_t gi : t.groups) {
      count += static_cast<int>(groups_[gi].items.size());
      for (size_t j = 0; j < y_count; ++j) sums[j] += groups_[gi].year_sums[j];
    }
    const std::string what =
        t.grand ? std::string("grand total")
                : absl::StrCat("total of dimension ", t.dimension);
    if (t.count && *t.count != count) {
      Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(t.line),
          absl::StrCat("5-year table ", what, ": declared ", *t.count,
                       " projects, the rows list ", count));
    }
    for (size_t j = 0; j < y_count && j < t.per_year.size(); ++j) {
      if (!t.per_year[j] || *t.per_year[j] == sums[j]) continue;
      Add(Finding::ERROR, "TOTAL_MISMATCH", LineLoc(t.line),
          absl::StrCat("5-year table ", what, " for ", five_years_[j],
                       ": declared ", Baht(*t.per_year[j]),
                       " baht, the rows add up to ", Baht(sums[j]), " baht"));
    }
  }
}

void Importer::FinishBudgets() {
  const bool has_table = !groups_.empty();
  const int first = out_.plan.fiscal_years().first_be_year();
  const int last = out_.plan.fiscal_years().last_be_year();
  std::set<int> sheet_numbers;
  for (size_t i : kept_) {
    Draft& d = drafts_[i];
    const int seq = *d.sequence;
    sheet_numbers.insert(seq);
    v1::Project& p = d.project;
    const auto table_it = table_schedule_.find(seq);
    const std::map<int, Cell>* table =
        table_it == table_schedule_.end() ? nullptr : &table_it->second;
    std::vector<int> table_years;
    if (table != nullptr) {
      for (const auto& [y, c] : *table) {
        if (c) table_years.push_back(y);
      }
    }
    std::vector<int> years = d.years;
    if (years.empty() && !table_years.empty()) {
      years = table_years;
      Add(Finding::INFO, "YEARS_FROM_TABLE", SeqLoc(seq),
          absl::StrCat("ลำดับที่ ", seq,
                       ": the sheet names no fiscal year; the 5-year table's ",
                       YearList(table_years), " are used"));
    }
    const auto sheet_amount = [&](int y) -> std::optional<int64_t> {
      if (d.budget.all_years) return d.budget.all_years;
      auto it = d.budget.per_year.find(y);
      if (it != d.budget.per_year.end()) return it->second;
      return std::nullopt;
    };
    for (int y : years) {
      p.add_fiscal_years(y);
      v1::YearBudget* b = p.add_budgets();
      b->set_be_year(y);
      std::optional<int64_t> amount = sheet_amount(y);
      if (!amount && table != nullptr) {
        auto it = table->find(y);
        if (it != table->end() && it->second) amount = it->second;
      }
      if (amount) b->mutable_planned()->set_satang(*amount);
      if (first != 0 && (y < first || y > last)) {
        Add(Finding::WARNING, "YEAR_OUTSIDE_PLAN", SeqLoc(seq),
            absl::StrCat("ลำดับที่ ", seq, " is scheduled in ", y,
                         ", outside the plan's ", first, "-", last));
      }
    }
    for (const auto& [y, a] : d.budget.per_year) {
      if (std::find(years.begin(), years.end(), y) == years.end()) {
        Add(Finding::WARNING, "SCHEDULE_MISMATCH", SeqLoc(seq),
            absl::StrCat("ลำดับที่ ", seq, ": ๗. งบประมาณ gives ", Baht(a),
                         " baht for ", y, " but ๖. does not list ", y,
                         "; the amount is not imported"));
      }
    }
    // The sheet against the 5-year table.
    if (table != nullptr && !d.years.empty()) {
      bool differs = d.years != table_years;
      std::vector<std::string> sheet_text, table_text;
      for (int y : d.years) {
        const std::optional<int64_t> a = sheet_amount(y);
        sheet_text.push_back(absl::StrCat(y, " ", a ? Baht(*a) : "?"));
        auto it = table->find(y);
        if (a && it != table->end() && it->second && *it->second != *a) {
          differs = true;
        }
      }
      for (int y : table_years) {
        table_text.push_back(absl::StrCat(y, " ", Baht(*table->at(y))));
      }
      if (differs) {
        Add(Finding::WARNING, "SCHEDULE_MISMATCH", SeqLoc(seq),
            absl::StrCat("ลำดับที่ ", seq, " ", Quote(p.title()),
                         ": the sheet (line ", d.years_line, ") schedules ",
                         absl::StrJoin(sheet_text, ", "),
                         "; the 5-year table (line ", table_items_[seq].first,
                         ") schedules ",
                         table_text.empty() ? std::string("no year")
                                            : absl::StrJoin(table_text, ", "),
                         " and \"-\" in the other years; the sheet is kept"));
      }
    }
    if (has_table) {
      auto item = table_items_.find(seq);
      if (item == table_items_.end()) {
        Add(Finding::WARNING, "SHEET_NOT_IN_TABLE", SeqLoc(seq),
            absl::StrCat("ลำดับที่ ", seq, " ", Quote(p.title()),
                         " is not listed in the 5-year table"));
      } else if (NormalizeTitleForMatch(item->second.second, org_short_) !=
                 NormalizeTitleForMatch(p.title(), org_short_)) {
        Add(Finding::WARNING, "TITLE_MISMATCH", SeqLoc(seq),
            absl::StrCat("the 5-year table (line ", item->second.first,
                         ") names item ", seq, " ", Quote(item->second.second),
                         ", the sheet names it ", Quote(p.title())));
      }
    }
    out_.projects.push_back(p);
  }
  for (const auto& [number, item] : table_items_) {
    if (!sheet_numbers.contains(number)) {
      Add(Finding::WARNING, "TABLE_ITEM_WITHOUT_SHEET", LineLoc(item.first),
          absl::StrCat("the 5-year table lists item ", number, " ",
                       Quote(item.second), " but no sheet has that number"));
    }
  }
}

void Importer::FinishAnnual() {
  if (!annual_) return;
  v1::AnnualPlan& a = *annual_;
  int64_t budget = 0;
  std::array<int, 4> quarters{};
  for (const v1::AnnualPlanEntry& e : a.entries()) {
    budget += e.budget().satang();
    for (int q : e.quarters()) ++quarters[q - 1];
  }
  if (annual_declared_budget_ && *annual_declared_budget_ != budget) {
    Add(Finding::ERROR, "TOTAL_MISMATCH", LineLoc(annual_total_line_),
        absl::StrCat("annual plan ", a.be_year(), ": declared total ",
                     Baht(*annual_declared_budget_),
                     " baht, the rows add up to ", Baht(budget), " baht"));
  }
  for (int q = 0; q < 4; ++q) {
    if (annual_declared_quarters_[q] &&
        *annual_declared_quarters_[q] != quarters[q]) {
      Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(annual_total_line_),
          absl::StrCat("annual plan ", a.be_year(), ", quarter ", q + 1,
                       ": declared ", *annual_declared_quarters_[q],
                       " projects, the rows tick ", quarters[q]));
    }
  }
  if (annual_total_line_ == 0 && a.entries_size() > 0) {
    Add(Finding::INFO, "NO_TOTAL_ROW", LineLoc(annual_line_),
        "the annual-plan table has no รวมทั้งสิ้น row to check");
  }
  for (size_t r = 0; r < annual_rows_.size(); ++r) {
    if (annual_rows_[r].second != static_cast<int>(r) + 1) {
      Add(Finding::WARNING, "MISSING_SEQUENCE", LineLoc(annual_rows_[r].first),
          absl::StrCat("annual-plan row ", r + 1, " is numbered ",
                       annual_rows_[r].second));
      break;
    }
  }
  // Rows against sheets, and the 5-year plan's schedule of that year.
  std::map<int, const v1::Project*> by_seq;
  for (const v1::Project& p : out_.projects) by_seq[p.sequence()] = &p;
  std::set<int> matched;
  const int year = a.be_year();
  const bool in_span = year != 0 &&
                       year >= out_.plan.fiscal_years().first_be_year() &&
                       year <= out_.plan.fiscal_years().last_be_year();
  for (int r = 0; r < a.entries_size(); ++r) {
    const v1::AnnualPlanEntry& e = a.entries(r);
    const int line = annual_rows_[r].first;
    const int seq = SequenceForTitle(e.title());
    out_.annual_entry_sequences.push_back(seq);
    if (seq == 0) {
      Add(Finding::WARNING, "UNMATCHED_ANNUAL_ENTRY", LineLoc(line),
          absl::StrCat("annual-plan row ", annual_rows_[r].second, " ",
                       Quote(e.title()), " matches no project sheet by title"));
      continue;
    }
    matched.insert(seq);
    const v1::Project& p = *by_seq.at(seq);
    if (e.dimension() != 0 && p.dimension() != 0 &&
        e.dimension() != p.dimension()) {
      Add(Finding::WARNING, "DIMENSION_DIFFERS", LineLoc(line),
          absl::StrCat("annual-plan row ", annual_rows_[r].second,
                       " is in dimension ", e.dimension(), ", ลำดับที่ ", seq,
                       " in dimension ", p.dimension()));
    }
    if (!in_span) continue;
    const v1::YearBudget* yb = nullptr;
    for (const v1::YearBudget& b : p.budgets()) {
      if (b.be_year() == year) yb = &b;
    }
    if (yb == nullptr) {
      Add(Finding::WARNING, "ADDED_PROJECT", LineLoc(line),
          absl::StrCat("annual-plan row ", annual_rows_[r].second, " ",
                       Quote(e.title()), " is ลำดับที่ ", seq,
                       ", which the 5-year plan does not schedule in ", year,
                       " (its sheet: ",
                       YearList(std::vector<int>(p.fiscal_years().begin(),
                                                 p.fiscal_years().end())),
                       ")"));
    } else if (yb->has_planned() && e.has_budget() &&
               yb->planned().satang() != e.budget().satang()) {
      Add(Finding::WARNING, "BUDGET_DIFFERS", LineLoc(line),
          absl::StrCat("annual-plan row ", annual_rows_[r].second, ": ",
                       Baht(e.budget().satang()), " baht, ลำดับที่ ", seq,
                       " plans ", Baht(yb->planned().satang()), " baht for ",
                       year));
    }
  }
  if (in_span) {
    for (const v1::Project& p : out_.projects) {
      if (matched.contains(p.sequence())) continue;
      for (int y : p.fiscal_years()) {
        if (y != year) continue;
        Add(Finding::WARNING, "DROPPED_PROJECT", SeqLoc(p.sequence()),
            absl::StrCat("ลำดับที่ ", p.sequence(), " ", Quote(p.title()),
                         " is scheduled in ", year,
                         " but the annual plan has no row for it"));
      }
    }
  }
  out_.annual_plan = std::move(a);
}

v1::Risk::Level LevelOf(absl::string_view word) {
  if (word == "ต่ำ" || word == "น้อย") return v1::Risk::LOW;
  if (word == "ปานกลาง") return v1::Risk::MEDIUM;
  return v1::Risk::HIGH;
}

void Importer::FinishRisks() {
  for (const RiskRow& row : risk_rows_) {
    v1::Risk risk;
    risk.set_sequence(row.sequence);
    risk.set_process_step(CollapseWhitespace(row.cells[0]));
    const std::string where = absl::StrCat("risk row ", row.sequence);
    const auto split = [&](const std::string& text, absl::string_view what) {
      std::string leading;
      std::vector<NumberedItem> items = SplitNumbered(text, '.', &leading);
      std::vector<std::string> out;
      if (!leading.empty()) out.push_back(leading);
      int expected = 1;
      std::vector<int> gaps;
      for (NumberedItem& item : items) {
        for (; expected < item.number; ++expected) gaps.push_back(expected);
        expected = item.number + 1;
        out.push_back(std::move(item.text));
      }
      if (!gaps.empty() && !items.empty()) {
        Add(Finding::INFO, "NUMBERING_GAP", LineLoc(row.line),
            absl::StrCat(where, ": the ", what, " skip number(s) ",
                         absl::StrJoin(gaps, ", ")));
      }
      return out;
    };
    std::vector<std::string> issues = split(row.cells[1], "issues");
    std::vector<v1::Risk::Level> levels;
    for (absl::string_view w :
         absl::StrSplit(row.cells[2], ' ', absl::SkipEmpty())) {
      if (w == "สูง" || w == "สูงมาก" || w == "ปานกลาง" || w == "ต่ำ" ||
          w == "น้อย") {
        levels.push_back(LevelOf(w));
      } else {
        Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(row.line),
            absl::StrCat(where, ": Risk Score ", Quote(w),
                         " is not สูง / ปานกลาง / ต่ำ"));
      }
    }
    for (size_t i = 0; i < issues.size(); ++i) {
      v1::Risk::Issue* issue = risk.add_issues();
      issue->set_text(issues[i]);
      if (levels.size() == issues.size()) issue->set_level(levels[i]);
    }
    if (levels.empty()) {
      Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(row.line),
          absl::StrCat(where, ": no risk level"));
    } else {
      risk.set_level(*std::max_element(levels.begin(), levels.end()));
      if (levels.size() > 1 && levels.size() != issues.size()) {
        Add(Finding::WARNING, "RISK_LEVEL_COUNT", LineLoc(row.line),
            absl::StrCat(where, ": ", levels.size(), " levels for ",
                         issues.size(), " issues; the highest is the row's"));
      }
    }
    std::vector<int> controls;
    for (std::string& c : split(row.cells[3], "control measures")) {
      const int seq = SequenceForTitle(c);
      if (seq != 0 &&
          std::find(controls.begin(), controls.end(), seq) == controls.end()) {
        controls.push_back(seq);
      }
      risk.add_control_texts(std::move(c));
    }
    if (risk.process_step().empty()) {
      Add(Finding::WARNING, "UNREADABLE_LINE", LineLoc(row.line),
          absl::StrCat(where, ": no ขั้นตอนการดำเนินงาน"));
    }
    out_.risks.push_back(std::move(risk));
    out_.risk_control_sequences.push_back(std::move(controls));
  }
}

void Importer::FinishTree() {
  std::set<int> numbers;
  for (const auto& [d, titles] : dims_) numbers.insert(d);
  for (const auto& [code, info] : missions_) numbers.insert(code[0] - '0');
  for (const v1::Project& p : out_.projects) {
    if (p.dimension() > 0) numbers.insert(p.dimension());
  }
  // Codes in numeric order ("1.10" after "1.9").
  const auto key = [](const std::string& code) {
    std::vector<int> parts;
    for (absl::string_view s : absl::StrSplit(code, '.')) {
      int v = 0;
      (void)absl::SimpleAtoi(s, &v);
      parts.push_back(v);
    }
    return parts;
  };
  std::vector<std::string> codes;
  for (const auto& [code, info] : missions_) codes.push_back(code);
  std::sort(codes.begin(), codes.end(),
            [&](const std::string& a, const std::string& b) {
              return key(a) < key(b);
            });
  for (int n : numbers) {
    v1::Dimension* d = out_.plan.add_dimensions();
    d->set_number(n);
    auto it = dims_.find(n);
    if (it != dims_.end()) {
      d->set_title(!it->second.first.empty() ? it->second.first
                                             : it->second.second);
    }
    for (const std::string& code : codes) {
      if (code[0] - '0' != n) continue;
      const MissionInfo& info = missions_.at(code);
      const std::string title =
          !info.heading_title.empty() ? info.heading_title : info.table_title;
      const std::vector<int> parts = key(code);
      if (parts.size() == 2) {
        v1::Mission* m = d->add_missions();
        m->set_code(code);
        m->set_title(title);
        continue;
      }
      const std::string parent = absl::StrCat(parts[0], ".", parts[1]);
      v1::Mission* m = nullptr;
      for (v1::Mission& candidate : *d->mutable_missions()) {
        if (candidate.code() == parent) m = &candidate;
      }
      if (m == nullptr) {
        Add(Finding::INFO, "UNREADABLE_LINE", LineLoc(info.line),
            absl::StrCat("sub-mission ", code, " has no heading ", parent,
                         " above it; an untitled ", parent, " is added"));
        m = d->add_missions();
        m->set_code(parent);
      }
      v1::Mission* sub = m->add_sub_missions();
      sub->set_code(code);
      sub->set_title(title);
    }
  }
}

void Importer::FinishTargets() {
  for (auto& [year, t] : targets_) {
    if (target_base_) t.set_base_be_year(*target_base_);
    const auto& span = out_.plan.fiscal_years();
    if (span.first_be_year() != 0 &&
        (year < span.first_be_year() || year > span.last_be_year())) {
      Add(Finding::WARNING, "YEAR_OUTSIDE_PLAN", "line 1",
          absl::StrCat("a target is set for ", year, ", outside the plan's ",
                       span.first_be_year(), "-", span.last_be_year()));
    }
    *out_.plan.add_targets() = t;
  }
}

void Importer::FinishDeclaredCounts() {
  const int sheets = static_cast<int>(out_.projects.size());
  if (declared_total_text_ && declared_total_text_->first != sheets) {
    Add(Finding::WARNING, "TOTAL_MISMATCH",
        LineLoc(declared_total_text_->second),
        absl::StrCat("the text declares ", declared_total_text_->first,
                     " projects in all; the document has ", sheets,
                     " project sheets"));
  }
  for (const DeclaredTotal& t : totals_) {
    if (t.grand && t.count && *t.count != sheets) {
      Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(t.line),
          absl::StrCat("the 5-year table declares ", *t.count,
                       " projects in all; the document has ", sheets,
                       " project sheets"));
    }
  }
  std::map<int, int> per_dim;
  for (const v1::Project& p : out_.projects) ++per_dim[p.dimension()];
  for (const auto& [dim, declared] : declared_dim_counts_) {
    if (declared.first != per_dim[dim]) {
      Add(Finding::WARNING, "TOTAL_MISMATCH", LineLoc(declared.second),
          absl::StrCat("dimension ", dim, " is declared with ", declared.first,
                       " projects; the document has ", per_dim[dim],
                       " sheets in it"));
    }
  }
}

}  // namespace

ImportedPlan ParsePlanDocument(absl::string_view text) {
  return Importer(text).Run();
}

}  // namespace prongsai::plan
