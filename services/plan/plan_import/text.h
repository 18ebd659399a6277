// Text helpers of the plan importer: cleaning PDF-extracted text, reading
// the numbers, years and amounts written in it (Thai or ASCII digits),
// numbered items, organization names and the quoting of document text in
// findings. UTF-8 decoding and digits come from common/thai; what is here is
// specific to the NACC template and to text that cannot be trusted.
//
//   const std::string text = CleanText(raw);  // LF, valid UTF-8, no NBSP
//   FindYears("พ.ศ. ๒๕๖๖ - ๒๕๖๘");             // {2566, 2567, 2568}
//   FirstAmount("๑๕,๐๐๐ บาท");                 // 1'500'000 satang
#ifndef PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_TEXT_H_
#define PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_TEXT_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "prongsai/common/v1/common.pb.h"

namespace prongsai::plan::plan_import {

// Makes every later step safe and simple: LF line ends only, no invalid
// UTF-8 (each bad byte becomes '?', so no step can split a code point), no
// control characters but tab and LF, NBSP-like spaces as ' ', zero-width
// characters removed, and the HTML paragraph tags PDF converters leave in
// table cells replaced by a space.
std::string CleanText(absl::string_view text);

// Byte offset after `count` code points of text from `pos` (or text.size()).
size_t AdvanceCodePoints(absl::string_view text, size_t pos, int count);

// The edit distance between two code-point strings.
int Levenshtein(const std::vector<char32_t>& from,
                const std::vector<char32_t>& to);

// Whether an ASCII or Thai digit starts at text[pos].
bool IsDigitAt(absl::string_view text, size_t pos);

// Reads up to `max_digits` digits at *pos; nullopt (and *pos unchanged) when
// there is none or there are more.
std::optional<int> ReadInt(absl::string_view text, size_t* pos,
                           int max_digits = 9);

// The first position at or after `pos` that is not a space or tab.
size_t SkipSpaces(absl::string_view text, size_t pos);

// Runs of spaces, tabs and LFs as one space, none at either end.
std::string CollapseWhitespace(absl::string_view text);

// The tab-separated cells of a table line, each whitespace-collapsed.
std::vector<std::string> SplitCells(absl::string_view line);

// The cell at `column`, or "" when the row is shorter (or column < 0).
absl::string_view CellAt(const std::vector<std::string>& cells, int column);

// Whether any cell contains `word`.
bool AnyCellContains(const std::vector<std::string>& cells,
                     absl::string_view word);

// "-" and the dashes documents use for "not scheduled".
bool IsDash(absl::string_view text);

// A year of the Buddhist era as documents write it: 2500..2700.
bool PlausibleBeYear(int year);

// Every 4-digit number in 2500..2700, in order; "2566 - 2570" and
// "2566 ถึง 2570" expand to the whole range.
std::vector<int> FindYears(absl::string_view text);
std::optional<int> FirstYear(absl::string_view text);

// The first decimal number in text ("ร้อยละ ๑๐" -> 10, "๘๕ คะแนน" -> 85).
std::optional<double> FirstNumber(absl::string_view text);

// The first amount written in text (digits, ',' and '.'), as satang.
std::optional<int64_t> FirstAmount(absl::string_view text);

// satang as "15,000.00".
std::string Baht(int64_t satang);

// Document text quoted for a finding; very long text is cut at a code point.
std::string Quote(absl::string_view text);

// Finding locations: "line 12", "ลำดับที่ 3".
std::string LineLoc(int line);
std::string SeqLoc(int sequence);

// "2566, 2567", or "none".
std::string YearList(const std::vector<int>& years);

// "1) ..." / "(1) ..." / "1. ..." at the start of text: the number and the
// text after the marker. "2.1) ..." is not a marker (it is a sub-item).
bool LeadingItemMarker(absl::string_view text, int* number,
                       absl::string_view* rest);

struct NumberedItem {
  int number = 0;
  std::string text;
};

// Splits running text at "N<closer>" markers ("๑." or "๑)") that start a
// word and count upwards (a gap of up to 3 is tolerated: documents skip
// numbers). Text before the first marker is returned in *leading.
std::vector<NumberedItem> SplitNumbered(absl::string_view text, char closer,
                                        std::string* leading);

// Items of a sheet field: one per numbered line; unnumbered lines continue
// the item before them (PDF line breaks, "- " sub-bullets, "2.1)" sub-items)
// unless the field has no numbered line at all, when each line is an item.
std::vector<std::string> LineItems(const std::vector<std::string>& lines);

// "๑.๑ title" / "๑.๑.๒ title" (not "๒.๑) item"): the code in ASCII digits
// ("1.1") and the title after it.
bool MissionCode(absl::string_view text, std::string* code, std::string* title);

// The words organization names begin with, and the kind each names.
struct OrgPrefix {
  absl::string_view text;
  common::v1::OrganizationKind kind;
};
// Index 1 is a common misspelling of index 0.
extern const std::array<OrgPrefix, 6> kOrgPrefixes;

// The name written after an organization prefix at text[pos..]: up to the
// next space or punctuation, spaces right after the prefix skipped; "" when
// it runs on longer than a name does.
std::string NameAfter(absl::string_view text, size_t pos);

}  // namespace prongsai::plan::plan_import

#endif  // PRONGSAI_SERVICES_PLAN_PLAN_IMPORT_TEXT_H_
