#include "common/thai/thai.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"

namespace prongsai::thai {
namespace {

// Thai digits are U+0E50..U+0E59, encoded in UTF-8 as E0 B9 90..E0 B9 99.
constexpr unsigned char kThaiDigitLead0 = 0xE0;
constexpr unsigned char kThaiDigitLead1 = 0xB9;
constexpr unsigned char kThaiDigitZero = 0x90;

constexpr int kMinFiscalYear = 2500;
constexpr int kMaxFiscalYear = 2700;

constexpr uint64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::string RemoveAsciiWhitespace(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (!absl::ascii_isspace(static_cast<unsigned char>(c))) out.push_back(c);
  }
  return out;
}

// Names an unexpected character without echoing more of the input.
std::string UnexpectedCharacter(char c) {
  if (absl::ascii_isgraph(static_cast<unsigned char>(c))) {
    return absl::StrCat("has unexpected character '", absl::string_view(&c, 1),
                        "'");
  }
  return "has an unexpected non-digit character";
}

// ASCII digits with optional ',' thousands separators ("1,234,567"), as an
// unsigned magnitude of at most `max`.
absl::StatusOr<uint64_t> ParseGroupedDigits(absl::string_view digits,
                                            uint64_t max,
                                            absl::string_view field_path) {
  if (digits.empty()) return InvalidField(field_path, "has no digits");
  constexpr absl::string_view kMisplacedSeparator =
      "has a misplaced ',' (thousands separators group three digits)";
  uint64_t value = 0;
  int digits_in_group = 0;
  bool seen_separator = false;
  for (char c : digits) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      const uint64_t digit = c - '0';
      if (value > (max - digit) / 10) {
        return InvalidField(field_path, "is too large");
      }
      value = value * 10 + digit;
      ++digits_in_group;
    } else if (c == ',') {
      if (digits_in_group == 0 || digits_in_group > 3 ||
          (seen_separator && digits_in_group != 3)) {
        return InvalidField(field_path, kMisplacedSeparator);
      }
      seen_separator = true;
      digits_in_group = 0;
    } else {
      return InvalidField(field_path, UnexpectedCharacter(c));
    }
  }
  if (seen_separator && digits_in_group != 3) {
    return InvalidField(field_path, kMisplacedSeparator);
  }
  return value;
}

bool IsDash(absl::string_view text) {
  return text == "-" || text == "\u2013" || text == "\u2014" || text == "-.-";
}

// Thai vowel and tone marks written above or below the base consonant.
bool IsThaiCombiningMark(char32_t code_point) {
  return code_point == 0x0E31 ||
         (code_point >= 0x0E34 && code_point <= 0x0E3A) ||
         (code_point >= 0x0E47 && code_point <= 0x0E4E);
}

}  // namespace

std::optional<Digit> DigitAt(absl::string_view text, size_t pos) {
  if (pos < text.size() &&
      absl::ascii_isdigit(static_cast<unsigned char>(text[pos]))) {
    return Digit{text[pos] - '0', 1};
  }
  if (pos + 2 < text.size() &&
      static_cast<unsigned char>(text[pos]) == kThaiDigitLead0 &&
      static_cast<unsigned char>(text[pos + 1]) == kThaiDigitLead1) {
    const auto last = static_cast<unsigned char>(text[pos + 2]);
    if (last >= kThaiDigitZero && last <= kThaiDigitZero + 9) {
      return Digit{last - kThaiDigitZero, 3};
    }
  }
  return std::nullopt;
}

std::string ThaiDigitsToAscii(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    if (const std::optional<Digit> digit = DigitAt(text, pos)) {
      out.push_back(static_cast<char>('0' + digit->value));
      pos += digit->length;
    } else {
      out.push_back(text[pos]);
      ++pos;
    }
  }
  return out;
}

std::string AsciiDigitsToThai(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(kThaiDigitLead0));
      out.push_back(static_cast<char>(kThaiDigitLead1));
      out.push_back(static_cast<char>(kThaiDigitZero + (c - '0')));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

int DecodeUtf8(absl::string_view text, size_t pos, char32_t* code_point) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  int extra;
  char32_t value;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1;
    value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2;
    value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3;
    value = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() - pos <= static_cast<size_t>(extra)) return 0;  // Truncated.
  for (int k = 1; k <= extra; ++k) {
    const auto next = static_cast<unsigned char>(text[pos + k]);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  // Overlong encodings, surrogates and out-of-range values are invalid.
  static constexpr char32_t kMinForLength[] = {0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[extra] || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *code_point = value;
  return extra + 1;
}

CodePointAt LenientCodePointAt(absl::string_view text, size_t pos) {
  char32_t code_point;
  const int length = DecodeUtf8(text, pos, &code_point);
  if (length == 0) return {static_cast<unsigned char>(text[pos]), 1};
  return {code_point, length};
}

std::vector<char32_t> CodePoints(absl::string_view text) {
  std::vector<char32_t> code_points;
  size_t pos = 0;
  while (pos < text.size()) {
    const CodePointAt at = LenientCodePointAt(text, pos);
    code_points.push_back(at.code_point);
    pos += at.length;
  }
  return code_points;
}

absl::TimeZone BangkokTimeZone() { return absl::FixedTimeZone(7 * 60 * 60); }

FiscalQuarter FiscalQuarterOf(absl::CivilDay day) {
  const int month = day.month();
  if (month >= 10) {
    return {BeFromCe(static_cast<int>(day.year()) + 1), 1};
  }
  return {BeFromCe(static_cast<int>(day.year())), (month - 1) / 3 + 2};
}

FiscalQuarter FiscalQuarterOf(absl::Time t) {
  return FiscalQuarterOf(absl::ToCivilDay(t, BangkokTimeZone()));
}

int FiscalYearOf(absl::CivilDay day) { return FiscalQuarterOf(day).be_year; }

absl::CivilDay FiscalYearFirstDay(int be_year) {
  return absl::CivilDay(CeFromBe(be_year) - 1, 10, 1);
}

absl::CivilDay FiscalYearLastDay(int be_year) {
  return absl::CivilDay(CeFromBe(be_year), 9, 30);
}

absl::CivilDay QuarterFirstDay(int be_year, int quarter) {
  // CivilDay normalises month 13 to January of the next year, and so on.
  return absl::CivilDay(CeFromBe(be_year) - 1, 10 + 3 * (quarter - 1), 1);
}

absl::StatusOr<int64_t> ParseInteger(absl::string_view text,
                                     absl::string_view field_path) {
  const std::string ascii = ThaiDigitsToAscii(absl::StripAsciiWhitespace(text));
  if (ascii.empty()) return InvalidField(field_path, "is empty");
  absl::string_view digits = ascii;
  const bool negative = absl::ConsumePrefix(&digits, "-");
  if (!negative) absl::ConsumePrefix(&digits, "+");
  // The magnitude of INT64_MIN is one more than INT64_MAX.
  PRONGSAI_ASSIGN_OR_RETURN(
      const uint64_t magnitude,
      ParseGroupedDigits(digits, negative ? kInt64Max + 1 : kInt64Max,
                         field_path));
  // Unsigned negation wraps, and C++20 defines the conversion back.
  return negative ? static_cast<int64_t>(0 - magnitude)
                  : static_cast<int64_t>(magnitude);
}

absl::StatusOr<int> ParseFiscalYear(absl::string_view text,
                                    absl::string_view field_path) {
  const std::string compact = RemoveAsciiWhitespace(text);
  absl::string_view rest = compact;
  absl::ConsumePrefix(&rest, "ปีงบประมาณ");
  absl::ConsumePrefix(&rest, "พ.ศ.");
  const std::string digits = ThaiDigitsToAscii(rest);
  if (digits.empty()) return InvalidField(field_path, "has no year");
  int year = 0;
  for (char c : digits) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return InvalidField(
          field_path,
          absl::StrCat(UnexpectedCharacter(c),
                       "; expected a B.E. year such as 2569 or พ.ศ. ๒๕๖๙"));
    }
    // Anything past 5 digits is out of range already; stop before overflow.
    if (year < 100000) year = year * 10 + (c - '0');
  }
  if (year >= kMinFiscalYear && year <= kMaxFiscalYear) return year;
  const int as_be = BeFromCe(year);
  if (as_be >= kMinFiscalYear && as_be <= kMaxFiscalYear) {
    return InvalidField(
        field_path, absl::StrCat(year,
                                 " looks like a C.E. year; B.E. = C.E. + 543 "
                                 "(did you mean ",
                                 as_be, "?)"));
  }
  return InvalidField(
      field_path, absl::StrCat("must be a B.E. year between ", kMinFiscalYear,
                               " and ", kMaxFiscalYear));
}

absl::StatusOr<std::optional<int64_t>> ParseBaht(absl::string_view text,
                                                 absl::string_view field_path) {
  // PDF extraction scatters spaces inside numbers: drop them all.
  const std::string compact = RemoveAsciiWhitespace(text);
  if (compact.empty()) return InvalidField(field_path, "is empty");
  absl::string_view amount = compact;
  absl::ConsumeSuffix(&amount, "บาท");
  if (IsDash(amount)) return std::nullopt;
  const std::string ascii = ThaiDigitsToAscii(amount);
  if (ascii.empty()) return InvalidField(field_path, "has no amount");
  if (ascii.size() > 1 && ascii[0] == '-' &&
      absl::ascii_isdigit(static_cast<unsigned char>(ascii[1]))) {
    return InvalidField(field_path, "must not be negative");
  }

  absl::string_view whole = ascii;
  int64_t fraction_satang = 0;
  if (const size_t dot = whole.find('.'); dot != absl::string_view::npos) {
    const absl::string_view fraction = whole.substr(dot + 1);
    whole = whole.substr(0, dot);
    if (whole.empty()) {
      return InvalidField(field_path, "has no digits before the decimal point");
    }
    // "20,000.-" is how documents write "no satang".
    if (fraction != "-") {
      if (fraction.empty()) {
        return InvalidField(field_path,
                            "has no digits after the decimal point");
      }
      for (char c : fraction) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
          return InvalidField(field_path, UnexpectedCharacter(c));
        }
      }
      if (fraction.size() > 2) {
        return InvalidField(field_path, "has more than 2 decimal places");
      }
      fraction_satang = int64_t{fraction[0] - '0'} * 10;
      if (fraction.size() == 2) fraction_satang += fraction[1] - '0';
    }
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      const uint64_t baht,
      ParseGroupedDigits(whole, (kInt64Max - fraction_satang) / 100,
                         field_path));
  return static_cast<int64_t>(baht) * 100 + fraction_satang;
}

std::string FormatBaht(int64_t satang) {
  const bool negative = satang < 0;
  // Unsigned so that INT64_MIN has a magnitude too.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(satang)
                                      : static_cast<uint64_t>(satang);
  const std::string digits = absl::StrCat(magnitude / 100);
  std::string out = negative ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  const uint64_t fraction = magnitude % 100;
  absl::StrAppend(&out, ".", fraction < 10 ? "0" : "", fraction);
  return out;
}

std::string FormatBahtOrDash(std::optional<int64_t> satang) {
  return satang.has_value() ? FormatBaht(*satang) : "-";
}

int DisplayWidth(absl::string_view utf8) {
  int width = 0;
  size_t i = 0;
  while (i < utf8.size()) {
    char32_t code_point;
    const int length = DecodeUtf8(utf8, i, &code_point);
    if (length == 0) {
      ++width;  // One column per invalid byte.
      ++i;
      continue;
    }
    if (!IsThaiCombiningMark(code_point)) ++width;
    i += length;
  }
  return width;
}

std::string PadToWidth(absl::string_view utf8, int width) {
  std::string out(utf8);
  const int current = DisplayWidth(utf8);
  if (current < width) out.append(width - current, ' ');
  return out;
}

std::string ShortThaiDate(absl::Time t) {
  static constexpr std::array<absl::string_view, 12> kMonths = {
      "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
      "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.",  "พ.ย.", "ธ.ค."};
  const absl::CivilDay day = absl::ToCivilDay(t, BangkokTimeZone());
  return absl::StrCat(day.day(), " ", kMonths[day.month() - 1], " ",
                      BeFromCe(static_cast<int>(day.year())));
}

}  // namespace prongsai::thai
