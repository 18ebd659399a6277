// Thai conventions that every service meets in real documents: Thai digits
// (๐-๙) mixed with Arabic ones, Buddhist-era years, the government fiscal
// year (1 October - 30 September, named by the B.E. year it ends in), baht
// amounts stored as satang where "-" (not scheduled) differs from "0"
// (scheduled, no budget), and column widths for Thai text in a terminal.
// Pure logic, no I/O.
//
//   ParseBaht("๑๕,๐๐๐ บาท");   // 1'500'000 (satang)
//   ParseBaht("-");             // std::nullopt: not scheduled that year
//   ParseFiscalYear("พ.ศ. ๒๕๖๙");  // 2569
//   FiscalQuarterOf(absl::CivilDay(2025, 10, 1));  // {2569, 1}
//   FormatBaht(1'500'000);      // "15,000.00"
#ifndef PRONGSAI_COMMON_THAI_THAI_H_
#define PRONGSAI_COMMON_THAI_THAI_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace prongsai::thai {

// --- Digits ---------------------------------------------------------------

// Replaces every Thai digit ๐-๙ (U+0E50..U+0E59) with its ASCII digit. All
// other bytes, including invalid UTF-8, are copied unchanged.
std::string ThaiDigitsToAscii(absl::string_view text);

// Replaces every ASCII digit with its Thai digit. All other bytes are copied
// unchanged.
std::string AsciiDigitsToThai(absl::string_view text);

// An ASCII or Thai digit found in text: its value 0-9 and its length in
// bytes (1 for ASCII, 3 for ๐-๙).
struct Digit {
  int value;
  int length;
};

// The digit starting at text[pos], or nullopt when there is none there (or
// pos is past the end): DigitAt("ปี ๒๕", 7) is {2, 3}.
std::optional<Digit> DigitAt(absl::string_view text, size_t pos);

// --- UTF-8 -----------------------------------------------------------------

// Decodes the code point starting at text[pos] (pos < text.size()) into
// *code_point and returns its length in bytes, 1-4, or 0 when the bytes there
// are not valid UTF-8 (overlong, surrogate, truncated, above U+10FFFF, a
// stray continuation byte).
int DecodeUtf8(absl::string_view text, size_t pos, char32_t* code_point);

// A code point read by LenientCodePointAt and its length in bytes (>= 1).
struct CodePointAt {
  char32_t code_point;
  int length;
};

// DecodeUtf8 for text that may be damaged: a byte that does not start valid
// UTF-8 is read on its own, as the code point of its value, so that a loop
// over any text advances and ends. pos < text.size().
CodePointAt LenientCodePointAt(absl::string_view text, size_t pos);

// The code points of `text`, read with LenientCodePointAt.
std::vector<char32_t> CodePoints(absl::string_view text);

// --- Years and the fiscal calendar ----------------------------------------

// B.E. = C.E. + 543.
constexpr int kBuddhistEraOffset = 543;
constexpr int BeFromCe(int ce_year) { return ce_year + kBuddhistEraOffset; }
constexpr int CeFromBe(int be_year) { return be_year - kBuddhistEraOffset; }

// Asia/Bangkok as a fixed UTC+7 zone: Thailand has no daylight saving time,
// so no tz database is needed.
absl::TimeZone BangkokTimeZone();

// A quarter of a government fiscal year. FY2569 runs 1 Oct 2025 - 30 Sep
// 2026; quarter 1 = Oct-Dec, 2 = Jan-Mar, 3 = Apr-Jun, 4 = Jul-Sep.
struct FiscalQuarter {
  int be_year;
  int quarter;  // 1..4

  friend bool operator==(const FiscalQuarter&, const FiscalQuarter&) = default;
  // "FY2569 Q1", for test failures and logs.
  friend std::ostream& operator<<(std::ostream& os, const FiscalQuarter& q) {
    return os << "FY" << q.be_year << " Q" << q.quarter;
  }
};

FiscalQuarter FiscalQuarterOf(absl::CivilDay day);
// The quarter of `t` as a calendar day in Bangkok.
FiscalQuarter FiscalQuarterOf(absl::Time t);
// The B.E. fiscal year containing `day`.
int FiscalYearOf(absl::CivilDay day);
// 1 October of C.E. year (be_year - 544), e.g. 2569 -> 2025-10-01.
absl::CivilDay FiscalYearFirstDay(int be_year);
// 30 September of C.E. year (be_year - 543), e.g. 2569 -> 2026-09-30.
absl::CivilDay FiscalYearLastDay(int be_year);
// First day of `quarter` of fiscal year `be_year`, e.g. (2569, 2) ->
// 2026-01-01. Quarters outside 1..4 count on from quarter 1 (5 is the next
// year's quarter 1, 0 the previous year's quarter 4).
absl::CivilDay QuarterFirstDay(int be_year, int quarter);

// "5 ม.ค. 2569": the day of `t` in Bangkok with the abbreviated Thai month
// and the B.E. year, as documents write dates.
std::string ShortThaiDate(absl::Time t);

// --- Parsing numbers from documents and requests ---------------------------
//
// Every parser below accepts Thai and ASCII digits and fails with
// INVALID_ARGUMENT "<field_path>: <reason>" (see common/base/validation.h).
// Reasons describe the problem without echoing the text (which may be anything
// a user typed): at most one offending ASCII character or the parsed number.

// An integer with optional sign and ',' thousands separators (groups of
// three), surrounding ASCII whitespace trimmed: "-1,234", "๑๒", " 7 ".
absl::StatusOr<int64_t> ParseInteger(absl::string_view text,
                                     absl::string_view field_path = "value");

// A B.E. fiscal year in 2500..2700: "2569", "๒๕๖๙", "พ.ศ. ๒๕๖๙", "พ.ศ.2569",
// "ปีงบประมาณ ๒๕๖๙", "ปีงบประมาณ พ.ศ. ๒๕๖๙". Whitespace anywhere is ignored
// (PDF extraction breaks words). A C.E. year such as 2026 is rejected with a
// reason that says so.
absl::StatusOr<int> ParseFiscalYear(absl::string_view text,
                                    absl::string_view field_path = "value");

// A baht amount in satang, or std::nullopt for "-" (also "–", "—", "-.-"),
// which budget tables use for "not scheduled that year". "0" and "0.00" are
// zero satang, not nullopt. Accepts "15,000.00", "15000", "๑๕,๐๐๐ บาท",
// "20,000.-" (no satang), "1,234.5" (123450 satang), ASCII whitespace anywhere
// ("1 5,000.00" from PDF extraction) and an optional "บาท" suffix. Rejects
// empty text, negative amounts, more than two decimals, overflow and anything
// else.
absl::StatusOr<std::optional<int64_t>> ParseBaht(
    absl::string_view text, absl::string_view field_path = "value");

// --- Formatting ------------------------------------------------------------

// 1'500'000 -> "15,000.00"; -123'450 -> "-1,234.50".
std::string FormatBaht(int64_t satang);
// FormatBaht, or "-" for std::nullopt.
std::string FormatBahtOrDash(std::optional<int64_t> satang);

// Terminal columns taken by `utf8`: Thai above/below marks (U+0E31,
// U+0E34..U+0E3A, U+0E47..U+0E4E) take 0 columns, every other code point 1,
// and each byte of invalid UTF-8 1.
int DisplayWidth(absl::string_view utf8);

// `utf8` right-padded with spaces to `width` columns; unchanged when already
// that wide or wider.
std::string PadToWidth(absl::string_view utf8, int width);

}  // namespace prongsai::thai

#endif  // PRONGSAI_COMMON_THAI_THAI_H_
