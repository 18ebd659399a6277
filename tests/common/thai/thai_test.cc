#include "common/thai/thai.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::thai {
namespace {

using ::prongsai::testing::StatusIs;
using ::testing::HasSubstr;

MATCHER_P(IsOkAndHolds, expected, "") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status();
    return false;
  }
  *result_listener << "value is " << ::testing::PrintToString(*arg);
  return *arg == expected;
}

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

// Asserts INVALID_ARGUMENT naming `field_path`, both in the message and in
// the payload, and returns the message for further checks.
template <typename T>
std::string ExpectInvalid(const absl::StatusOr<T>& result,
                          absl::string_view field_path) {
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument));
  if (result.ok()) return "";
  std::string message(result.status().message());
  EXPECT_THAT(message, ::testing::StartsWith(absl::StrCat(field_path, ": ")));
  EXPECT_EQ(FieldPathOf(result.status()), std::string(field_path));
  return message;
}

// --- Digits ---------------------------------------------------------------

TEST(ThaiDigitsTest, ConvertsEveryThaiDigit) {
  EXPECT_EQ(ThaiDigitsToAscii("๐๑๒๓๔๕๖๗๘๙"), "0123456789");
}

TEST(ThaiDigitsTest, LeavesOtherTextAlone) {
  EXPECT_EQ(ThaiDigitsToAscii("ปีงบประมาณ พ.ศ. ๒๕๖๙ (2026)"),
            "ปีงบประมาณ พ.ศ. 2569 (2026)");
  EXPECT_EQ(ThaiDigitsToAscii(""), "");
  EXPECT_EQ(ThaiDigitsToAscii("abc 123"), "abc 123");
}

TEST(ThaiDigitsTest, NeighboursOfTheDigitRangeAreNotDigits) {
  // U+0E4F (๏, fongman) and U+0E5A (๚, angkhankhu) border the digits.
  EXPECT_EQ(ThaiDigitsToAscii("๏๚"), "๏๚");
}

TEST(ThaiDigitsTest, InvalidAndTruncatedUtf8PassesThrough) {
  const std::string truncated_digit = "1\xE0\xB9";  // ๐ without its last byte.
  EXPECT_EQ(ThaiDigitsToAscii(truncated_digit), truncated_digit);
  const std::string stray = "\xFF\xB9\x90๑";
  EXPECT_EQ(ThaiDigitsToAscii(stray),
            "\xFF\xB9\x90"
            "1");
}

TEST(ThaiDigitsTest, AsciiToThai) {
  EXPECT_EQ(AsciiDigitsToThai("0123456789"), "๐๑๒๓๔๕๖๗๘๙");
  EXPECT_EQ(AsciiDigitsToThai("15,000.00 บาท"), "๑๕,๐๐๐.๐๐ บาท");
  EXPECT_EQ(AsciiDigitsToThai("ไม่มีตัวเลข"), "ไม่มีตัวเลข");
}

TEST(ThaiDigitsTest, RoundTrips) {
  const std::string text = "พ.ศ. 2566 - 2570, 27 โครงการ";
  EXPECT_EQ(ThaiDigitsToAscii(AsciiDigitsToThai(text)), text);
}

TEST(DigitAtTest, AsciiAndThaiDigitsWithTheirLength) {
  const std::string text = "ปี ๒5";  // ปี is 6 bytes, then a space.
  const std::optional<Digit> thai = DigitAt(text, 7);
  ASSERT_TRUE(thai.has_value());
  EXPECT_EQ(thai->value, 2);
  EXPECT_EQ(thai->length, 3);
  const std::optional<Digit> ascii = DigitAt(text, 10);
  ASSERT_TRUE(ascii.has_value());
  EXPECT_EQ(ascii->value, 5);
  EXPECT_EQ(ascii->length, 1);
  EXPECT_EQ(DigitAt("๙", 0)->value, 9);
}

TEST(DigitAtTest, NoDigitThereOrPastTheEnd) {
  EXPECT_FALSE(DigitAt("ปี", 0).has_value());
  EXPECT_FALSE(DigitAt("a1", 0).has_value());
  EXPECT_FALSE(DigitAt("1", 1).has_value());
  EXPECT_FALSE(DigitAt("๏", 0).has_value());          // U+0E4F borders ๐.
  EXPECT_FALSE(DigitAt("1\xE0\xB9", 1).has_value());  // Truncated ๐.
  // The middle of a Thai digit is not a digit.
  EXPECT_FALSE(DigitAt("๑", 1).has_value());
}

// --- UTF-8 -----------------------------------------------------------------

TEST(DecodeUtf8Test, OneToFourBytes) {
  char32_t code_point = 0;
  EXPECT_EQ(DecodeUtf8("a", 0, &code_point), 1);
  EXPECT_EQ(code_point, U'a');
  EXPECT_EQ(DecodeUtf8("\xC2\xA0", 0, &code_point), 2);
  EXPECT_EQ(code_point, 0xA0u);
  EXPECT_EQ(DecodeUtf8("xก", 1, &code_point), 3);
  EXPECT_EQ(code_point, 0x0E01u);
  EXPECT_EQ(DecodeUtf8("\xF0\x9F\x98\x80", 0, &code_point), 4);
  EXPECT_EQ(code_point, 0x1F600u);
}

TEST(DecodeUtf8Test, InvalidSequencesAreZero) {
  char32_t code_point = 0;
  EXPECT_EQ(DecodeUtf8("\x80", 0, &code_point), 0);          // Continuation.
  EXPECT_EQ(DecodeUtf8("\xC0\xAF", 0, &code_point), 0);      // Overlong.
  EXPECT_EQ(DecodeUtf8("\xED\xA0\x80", 0, &code_point), 0);  // Surrogate.
  EXPECT_EQ(DecodeUtf8("\xF4\x90\x80\x80", 0, &code_point), 0);  // >10FFFF
  EXPECT_EQ(DecodeUtf8("\xE0\xB9", 0, &code_point), 0);          // Truncated.
  EXPECT_EQ(DecodeUtf8("\xE0\x41\x90", 0, &code_point), 0);      // Bad second.
}

TEST(LenientCodePointTest, InvalidBytesAreReadOneByOne) {
  const CodePointAt valid = LenientCodePointAt("ก", 0);
  EXPECT_EQ(valid.code_point, 0x0E01u);
  EXPECT_EQ(valid.length, 3);
  const CodePointAt invalid = LenientCodePointAt("\xAB!", 0);
  EXPECT_EQ(invalid.code_point, 0xABu);
  EXPECT_EQ(invalid.length, 1);
  EXPECT_EQ(CodePoints("aก\xFF๑"),
            (std::vector<char32_t>{U'a', 0x0E01, 0xFF, 0x0E51}));
  EXPECT_TRUE(CodePoints("").empty());
}

// --- Years and the fiscal calendar ----------------------------------------

TEST(EraTest, ConvertsBothWays) {
  static_assert(BeFromCe(2026) == 2569);
  static_assert(CeFromBe(2569) == 2026);
  EXPECT_EQ(BeFromCe(2022), 2565);
  EXPECT_EQ(CeFromBe(BeFromCe(1999)), 1999);
}

TEST(BangkokTimeZoneTest, IsUtcPlusSevenAllYear) {
  const absl::TimeZone bangkok = BangkokTimeZone();
  for (int month : {1, 4, 7, 10}) {
    const absl::Time noon_utc = absl::FromCivil(
        absl::CivilSecond(2026, month, 15, 12, 0, 0), absl::UTCTimeZone());
    EXPECT_EQ(absl::ToCivilSecond(noon_utc, bangkok),
              absl::CivilSecond(2026, month, 15, 19, 0, 0));
  }
}

TEST(ShortThaiDateTest, TheBangkokDayWithTheThaiMonthAndTheBuddhistYear) {
  // 17:30 UTC on 31 December is already 1 January in Bangkok.
  EXPECT_EQ(
      ShortThaiDate(absl::FromCivil(absl::CivilSecond(2025, 12, 31, 17, 30, 0),
                                    absl::UTCTimeZone())),
      "1 ม.ค. 2569");
  EXPECT_EQ(ShortThaiDate(absl::FromCivil(
                absl::CivilSecond(2026, 6, 30, 12, 0, 0), absl::UTCTimeZone())),
            "30 มิ.ย. 2569");
}

TEST(FiscalQuarterTest, FiscalYearStartsFirstOctober) {
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2025, 9, 30)),
            (FiscalQuarter{2568, 4}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2025, 10, 1)),
            (FiscalQuarter{2569, 1}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 9, 30)),
            (FiscalQuarter{2569, 4}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 10, 1)),
            (FiscalQuarter{2570, 1}));
}

TEST(FiscalQuarterTest, QuarterBoundaries) {
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2025, 12, 31)),
            (FiscalQuarter{2569, 1}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 1, 1)),
            (FiscalQuarter{2569, 2}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 3, 31)),
            (FiscalQuarter{2569, 2}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 4, 1)),
            (FiscalQuarter{2569, 3}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 6, 30)),
            (FiscalQuarter{2569, 3}));
  EXPECT_EQ(FiscalQuarterOf(absl::CivilDay(2026, 7, 1)),
            (FiscalQuarter{2569, 4}));
}

TEST(FiscalQuarterTest, EveryMonth) {
  const int expected_quarter[] = {2, 2, 2, 3, 3, 3, 4, 4, 4, 1, 1, 1};
  for (int month = 1; month <= 12; ++month) {
    const FiscalQuarter q = FiscalQuarterOf(absl::CivilDay(2026, month, 15));
    EXPECT_EQ(q.quarter, expected_quarter[month - 1]) << "month " << month;
    EXPECT_EQ(q.be_year, month >= 10 ? 2570 : 2569) << "month " << month;
  }
}

TEST(FiscalQuarterTest, TimeIsReadInBangkok) {
  // 2025-09-30 17:00 UTC is already 1 October 00:00 in Bangkok.
  const absl::Time bangkok_midnight = absl::FromCivil(
      absl::CivilSecond(2025, 9, 30, 17, 0, 0), absl::UTCTimeZone());
  EXPECT_EQ(FiscalQuarterOf(bangkok_midnight), (FiscalQuarter{2569, 1}));
  EXPECT_EQ(FiscalQuarterOf(bangkok_midnight - absl::Seconds(1)),
            (FiscalQuarter{2568, 4}));
}

TEST(FiscalQuarterTest, PrintsReadably) {
  std::ostringstream os;
  os << FiscalQuarter{2569, 3};
  EXPECT_EQ(os.str(), "FY2569 Q3");
}

TEST(FiscalYearTest, FiscalYearOf) {
  EXPECT_EQ(FiscalYearOf(absl::CivilDay(2025, 10, 1)), 2569);
  EXPECT_EQ(FiscalYearOf(absl::CivilDay(2026, 9, 30)), 2569);
  EXPECT_EQ(FiscalYearOf(absl::CivilDay(2025, 9, 30)), 2568);
  // Seed 002's report date, 08 มิถุนายน 2569.
  EXPECT_EQ(FiscalYearOf(absl::CivilDay(CeFromBe(2569), 6, 8)), 2569);
}

TEST(FiscalYearTest, FirstAndLastDay) {
  EXPECT_EQ(FiscalYearFirstDay(2569), absl::CivilDay(2025, 10, 1));
  EXPECT_EQ(FiscalYearLastDay(2569), absl::CivilDay(2026, 9, 30));
  EXPECT_EQ(FiscalYearLastDay(2568) + 1, FiscalYearFirstDay(2569));
  for (int year = 2560; year <= 2575; ++year) {
    EXPECT_EQ(FiscalYearOf(FiscalYearFirstDay(year)), year);
    EXPECT_EQ(FiscalYearOf(FiscalYearLastDay(year)), year);
    EXPECT_EQ(FiscalYearOf(FiscalYearFirstDay(year) - 1), year - 1);
  }
}

TEST(FiscalYearTest, QuarterFirstDay) {
  EXPECT_EQ(QuarterFirstDay(2569, 1), absl::CivilDay(2025, 10, 1));
  EXPECT_EQ(QuarterFirstDay(2569, 2), absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(QuarterFirstDay(2569, 3), absl::CivilDay(2026, 4, 1));
  EXPECT_EQ(QuarterFirstDay(2569, 4), absl::CivilDay(2026, 7, 1));
  for (int quarter = 1; quarter <= 4; ++quarter) {
    EXPECT_EQ(FiscalQuarterOf(QuarterFirstDay(2569, quarter)),
              (FiscalQuarter{2569, quarter}));
    // The day before a quarter starts is in the previous quarter.
    const FiscalQuarter before =
        FiscalQuarterOf(QuarterFirstDay(2569, quarter) - 1);
    EXPECT_EQ(before, (quarter == 1 ? FiscalQuarter{2568, 4}
                                    : FiscalQuarter{2569, quarter - 1}));
  }
}

TEST(FiscalYearTest, QuarterOutsideOneToFourCountsOn) {
  EXPECT_EQ(QuarterFirstDay(2569, 5), QuarterFirstDay(2570, 1));
  EXPECT_EQ(QuarterFirstDay(2569, 0), QuarterFirstDay(2568, 4));
}

// --- ParseInteger ---------------------------------------------------------

TEST(ParseIntegerTest, AcceptsAsciiAndThaiDigits) {
  EXPECT_THAT(ParseInteger("0"), IsOkAndHolds(0));
  EXPECT_EQ(*ParseInteger("27"), 27);
  EXPECT_EQ(*ParseInteger("๒๗"), 27);
  EXPECT_EQ(*ParseInteger("๒7"), 27);  // Mixed, as PDFs sometimes are.
}

TEST(ParseIntegerTest, SignsSeparatorsAndWhitespace) {
  EXPECT_EQ(*ParseInteger("-10"), -10);
  EXPECT_EQ(*ParseInteger("+10"), 10);
  EXPECT_EQ(*ParseInteger("1,234,567"), 1234567);
  EXPECT_EQ(*ParseInteger("-๑,๐๐๐"), -1000);
  EXPECT_EQ(*ParseInteger("  42\t\n"), 42);
  EXPECT_EQ(*ParseInteger("007"), 7);
}

TEST(ParseIntegerTest, Int64Limits) {
  EXPECT_EQ(*ParseInteger("9223372036854775807"), kInt64Max);
  EXPECT_EQ(*ParseInteger("9,223,372,036,854,775,807"), kInt64Max);
  EXPECT_EQ(*ParseInteger("-9223372036854775808"), kInt64Min);
  EXPECT_THAT(ExpectInvalid(ParseInteger("9223372036854775808", "n"), "n"),
              HasSubstr("too large"));
  EXPECT_THAT(ExpectInvalid(ParseInteger("-9223372036854775809", "n"), "n"),
              HasSubstr("too large"));
  EXPECT_THAT(
      ExpectInvalid(ParseInteger("99999999999999999999999999", "n"), "n"),
      HasSubstr("too large"));
}

TEST(ParseIntegerTest, RejectsGarbageNamingTheField) {
  EXPECT_THAT(ExpectInvalid(ParseInteger("", "plan.count"), "plan.count"),
              HasSubstr("empty"));
  EXPECT_THAT(ExpectInvalid(ParseInteger("   ", "plan.count"), "plan.count"),
              HasSubstr("empty"));
  EXPECT_THAT(ExpectInvalid(ParseInteger("12a", "plan.count"), "plan.count"),
              HasSubstr("'a'"));
  EXPECT_THAT(ExpectInvalid(ParseInteger("-", "plan.count"), "plan.count"),
              HasSubstr("no digits"));
  ExpectInvalid(ParseInteger("1 2", "plan.count"), "plan.count");
  ExpectInvalid(ParseInteger("1.5", "plan.count"), "plan.count");
  ExpectInvalid(ParseInteger("--1", "plan.count"), "plan.count");
  ExpectInvalid(ParseInteger("สิบ", "plan.count"), "plan.count");
}

TEST(ParseIntegerTest, DefaultFieldPathIsValue) {
  ExpectInvalid(ParseInteger("x"), "value");
}

TEST(ParseIntegerTest, RejectsMisplacedSeparators) {
  for (absl::string_view text :
       {",123", "123,", "1,,234", "1,23", "1,2345", "1234,567", "1,234,56"}) {
    EXPECT_THAT(ExpectInvalid(ParseInteger(text, "n"), "n"),
                HasSubstr("misplaced ','"))
        << text;
  }
}

// --- ParseFiscalYear ------------------------------------------------------

TEST(ParseFiscalYearTest, AcceptsDocumentForms) {
  for (absl::string_view text :
       {"2569", "๒๕๖๙", "พ.ศ. ๒๕๖๙", "พ.ศ.2569", "ปีงบประมาณ ๒๕๖๙",
        "ปีงบประมาณ พ.ศ. ๒๕๖๙", "  2569 ", "พ.ศ. 2 569"}) {
    EXPECT_THAT(ParseFiscalYear(text), IsOkAndHolds(2569)) << text;
  }
}

TEST(ParseFiscalYearTest, RangeBoundaries) {
  EXPECT_THAT(ParseFiscalYear("2500"), IsOkAndHolds(2500));
  EXPECT_THAT(ParseFiscalYear("2700"), IsOkAndHolds(2700));
  EXPECT_THAT(ExpectInvalid(ParseFiscalYear("2701", "fy"), "fy"),
              HasSubstr("between 2500 and 2700"));
  EXPECT_THAT(ExpectInvalid(ParseFiscalYear("2499", "fy"), "fy"),
              HasSubstr("between 2500 and 2700"));
  EXPECT_THAT(ExpectInvalid(ParseFiscalYear("99999999999", "fy"), "fy"),
              HasSubstr("between 2500 and 2700"));
}

TEST(ParseFiscalYearTest, ExplainsCommonEraYears) {
  const std::string message = ExpectInvalid(
      ParseFiscalYear("2026", "plan.fiscal_year"), "plan.fiscal_year");
  EXPECT_THAT(message, HasSubstr("looks like a C.E. year"));
  EXPECT_THAT(message, HasSubstr("B.E. = C.E. + 543"));
  EXPECT_THAT(message, HasSubstr("2569"));
  EXPECT_THAT(ExpectInvalid(ParseFiscalYear("๒๐๒๒", "fy"), "fy"),
              HasSubstr("looks like a C.E. year"));
}

TEST(ParseFiscalYearTest, RejectsGarbage) {
  EXPECT_THAT(ExpectInvalid(ParseFiscalYear("", "fy"), "fy"),
              HasSubstr("no year"));
  EXPECT_THAT(ExpectInvalid(ParseFiscalYear("พ.ศ.", "fy"), "fy"),
              HasSubstr("no year"));
  for (absl::string_view text :
       {"FY2569", "2569.0", "-2569", "๒๕๖๖ - ๒๕๗๐", "ค.ศ. 2026", "2,569"}) {
    EXPECT_THAT(ExpectInvalid(ParseFiscalYear(text, "fy"), "fy"),
                HasSubstr("expected a B.E. year"))
        << text;
  }
}

// --- ParseBaht ------------------------------------------------------------

TEST(ParseBahtTest, AcceptsSeedForms) {
  struct Case {
    absl::string_view text;
    int64_t satang;
  };
  for (const Case& c : {
           Case{"15,000.00", 1'500'000},
           Case{"15000", 1'500'000},
           Case{"๒๐,๐๐๐", 2'000'000},
           Case{"๑๕,๐๐๐ บาท", 1'500'000},
           Case{"๑๕,๐๐๐บาท", 1'500'000},
           Case{"20,000.-", 2'000'000},
           Case{"20,000.- บาท", 2'000'000},
           Case{"1,234.5", 123'450},
           Case{"1,234.05", 123'405},
           Case{"0.01", 1},
           Case{"๕,๐๐๐", 500'000},
           Case{"๐ บาท", 0},
           Case{"1 5,000.00", 1'500'000},
           Case{" 15, 000 . 00 ", 1'500'000},
           Case{"๑๕,๐๐๐.๐๐", 1'500'000},
       }) {
    EXPECT_THAT(ParseBaht(c.text), IsOkAndHolds(c.satang)) << c.text;
  }
}

TEST(ParseBahtTest, DashMeansNotScheduledAndZeroMeansZero) {
  for (absl::string_view dash : {"-", "–", "—", "-.-", " - ", "- บาท"}) {
    absl::StatusOr<std::optional<int64_t>> parsed = ParseBaht(dash);
    ASSERT_TRUE(parsed.ok()) << dash << ": " << parsed.status();
    EXPECT_FALSE(parsed->has_value()) << dash;
  }
  for (absl::string_view zero : {"0", "0.00", "0.0", "0.-", "๐"}) {
    absl::StatusOr<std::optional<int64_t>> parsed = ParseBaht(zero);
    ASSERT_TRUE(parsed.ok()) << zero << ": " << parsed.status();
    EXPECT_EQ(*parsed, std::optional<int64_t>(0)) << zero;
  }
}

TEST(ParseBahtTest, Overflow) {
  // INT64_MAX satang = 92,233,720,368,547,758.07 baht.
  EXPECT_THAT(ParseBaht("92,233,720,368,547,758.07"), IsOkAndHolds(kInt64Max));
  EXPECT_THAT(ExpectInvalid(ParseBaht("92,233,720,368,547,758.08", "b"), "b"),
              HasSubstr("too large"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("92233720368547759", "b"), "b"),
              HasSubstr("too large"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("999999999999999999999", "b"), "b"),
              HasSubstr("too large"));
}

TEST(ParseBahtTest, RejectsNegativeAndTooPrecise) {
  const absl::string_view path = "action_plan.projects[3].budgets[2569]";
  EXPECT_THAT(ExpectInvalid(ParseBaht("-100", path), path),
              HasSubstr("negative"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("-๑๐๐.๐๐", path), path),
              HasSubstr("negative"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("1.234", path), path),
              HasSubstr("more than 2 decimal places"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("15,000.001", path), path),
              HasSubstr("more than 2 decimal places"));
}

TEST(ParseBahtTest, RejectsEmptyAndGarbage) {
  EXPECT_THAT(ExpectInvalid(ParseBaht("", "b"), "b"), HasSubstr("empty"));
  EXPECT_THAT(ExpectInvalid(ParseBaht(" \t", "b"), "b"), HasSubstr("empty"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("บาท", "b"), "b"),
              HasSubstr("no amount"));
  EXPECT_THAT(ExpectInvalid(ParseBaht(".50", "b"), "b"),
              HasSubstr("before the decimal point"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("15.", "b"), "b"),
              HasSubstr("after the decimal point"));
  EXPECT_THAT(ExpectInvalid(ParseBaht("1,50", "b"), "b"),
              HasSubstr("misplaced ','"));
  for (absl::string_view text :
       {"abc", "15,000.00 THB", "$15", "1.2.3", "15.0x", "--", "ไม่ใช้งบประมาณ",
        "จำนวน ๑๕,๐๐๐ บาท", "+100", "15,000.--", "1e5"}) {
    ExpectInvalid(ParseBaht(text, "b"), "b");
  }
}

TEST(ParseBahtTest, ErrorsDoNotEchoTheInput) {
  const std::string message =
      ExpectInvalid(ParseBaht("สมชาย 0812345678", "b"), "b");
  EXPECT_THAT(message, ::testing::Not(HasSubstr("สมชาย")));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("0812345678")));
}

TEST(ParseBahtTest, DefaultFieldPathIsValue) {
  ExpectInvalid(ParseBaht("x"), "value");
}

// --- Formatting -----------------------------------------------------------

TEST(FormatBahtTest, Formats) {
  EXPECT_EQ(FormatBaht(0), "0.00");
  EXPECT_EQ(FormatBaht(1), "0.01");
  EXPECT_EQ(FormatBaht(10), "0.10");
  EXPECT_EQ(FormatBaht(99'999), "999.99");
  EXPECT_EQ(FormatBaht(100'000), "1,000.00");
  EXPECT_EQ(FormatBaht(1'500'000), "15,000.00");
  EXPECT_EQ(FormatBaht(123'450), "1,234.50");
  EXPECT_EQ(FormatBaht(10'000'000'000), "100,000,000.00");
  EXPECT_EQ(FormatBaht(-123'450), "-1,234.50");
  EXPECT_EQ(FormatBaht(-5), "-0.05");
  EXPECT_EQ(FormatBaht(kInt64Max), "92,233,720,368,547,758.07");
  EXPECT_EQ(FormatBaht(kInt64Min), "-92,233,720,368,547,758.08");
}

TEST(FormatBahtTest, RoundTripsThroughParseBaht) {
  for (int64_t satang : {int64_t{0}, int64_t{1}, int64_t{123'450},
                         int64_t{2'000'000}, kInt64Max}) {
    EXPECT_THAT(ParseBaht(FormatBaht(satang)), IsOkAndHolds(satang));
  }
}

TEST(FormatBahtTest, DashForNotScheduled) {
  EXPECT_EQ(FormatBahtOrDash(std::nullopt), "-");
  EXPECT_EQ(FormatBahtOrDash(0), "0.00");
  EXPECT_EQ(FormatBahtOrDash(500'000), "5,000.00");
  EXPECT_THAT(ParseBaht(FormatBahtOrDash(std::nullopt)),
              IsOkAndHolds(std::nullopt));
}

// --- Display width --------------------------------------------------------

TEST(DisplayWidthTest, AsciiAndEmpty) {
  EXPECT_EQ(DisplayWidth(""), 0);
  EXPECT_EQ(DisplayWidth("FY2569"), 6);
}

TEST(DisplayWidthTest, ThaiMarksTakeNoColumn) {
  EXPECT_EQ(DisplayWidth("มิติ"), 2);    // ม ิ ต ิ
  EXPECT_EQ(DisplayWidth("ที่"), 1);     // ท ี ่
  EXPECT_EQ(DisplayWidth("บาท"), 3);   // No marks.
  EXPECT_EQ(DisplayWidth("สั้น"), 2);    // ส ั ้ น
  EXPECT_EQ(DisplayWidth("ปู่"), 1);     // ป ู ่: below vowel, tone mark.
  EXPECT_EQ(DisplayWidth("กำ"), 2);    // Sara am (U+0E33) is spacing.
  EXPECT_EQ(DisplayWidth("๒๕๖๙"), 4);  // Digits are spacing.
  EXPECT_EQ(DisplayWidth("ก็"), 1);     // Maitaikhu U+0E47.
  EXPECT_EQ(DisplayWidth("ก\u0E4E"), 1);  // Yamakkan, end of the range.
  EXPECT_EQ(DisplayWidth("ก\u0E4F"), 2);  // Fongman is spacing.
  EXPECT_EQ(DisplayWidth("ก\u0E3A"), 1);  // Phinthu, end of the range.
  EXPECT_EQ(DisplayWidth("\u0E3F"), 1);   // Baht sign is spacing.
}

TEST(DisplayWidthTest, OtherCodePointsTakeOneColumn) {
  EXPECT_EQ(DisplayWidth("é"), 1);
  EXPECT_EQ(DisplayWidth("☑"), 1);
  EXPECT_EQ(DisplayWidth("\U0001F600"), 1);
}

TEST(DisplayWidthTest, InvalidBytesCountOneEach) {
  EXPECT_EQ(DisplayWidth("\xFF\xFE"), 2);
  EXPECT_EQ(DisplayWidth("a\xE0\xB9"), 3);     // Truncated sequence.
  EXPECT_EQ(DisplayWidth("\xC0\xAF"), 2);      // Overlong '/'.
  EXPECT_EQ(DisplayWidth("\xED\xA0\x80"), 3);  // Surrogate.
  EXPECT_EQ(DisplayWidth("\xE0\xB8\xB4"), 0);  // Valid U+0E34 alone.
}

TEST(PadToWidthTest, PadsByColumnsNotBytes) {
  EXPECT_EQ(PadToWidth("มิติ", 5), "มิติ   ");
  EXPECT_EQ(DisplayWidth(PadToWidth("ที่", 4)), 4);
  EXPECT_EQ(PadToWidth("abc", 5), "abc  ");
  EXPECT_EQ(PadToWidth("", 2), "  ");
}

TEST(PadToWidthTest, LeavesWideTextAlone) {
  EXPECT_EQ(PadToWidth("abcdef", 3), "abcdef");
  EXPECT_EQ(PadToWidth("abc", 3), "abc");
  EXPECT_EQ(PadToWidth("abc", -1), "abc");
}

}  // namespace
}  // namespace prongsai::thai
