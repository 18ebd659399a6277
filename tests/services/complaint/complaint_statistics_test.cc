// Complaint statistics on a hand-counted fixture, and the public variant
// that hides small cells.
#include "services/complaint/complaint_statistics.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/fields.h"
#include "common/thai/thai.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/complaint/complaint_domain.h"

namespace prongsai::complaint {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using C = v1::Complaint;

absl::Time Bangkok(int year, int month, int day, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, 0, 0),
                         thai::BangkokTimeZone());
}

// Quarter 1 of FY2569, and "now" two months into it.
const Period kQ1{Bangkok(2025, 10, 1), Bangkok(2026, 1, 1)};
const absl::Time kNow = Bangkok(2025, 12, 1, 12);

StatisticsRow Received(absl::Time receive_time, C::Kind kind,
                       C::Channel channel, std::string category,
                       C::State state) {
  StatisticsRow row;
  row.kind = kind;
  row.channel = channel;
  row.category = std::move(category);
  row.state = state;
  row.receive_time = receive_time;
  row.sla_due_time = DueTime(receive_time);
  row.due_time = row.sla_due_time;
  return row;
}

absl::Duration Days(double days) { return absl::Hours(24 * days); }

// Seven complaints of Q1 FY2569, counted by hand in HandCountedFixture.
std::vector<StatisticsRow> Fixture() {
  std::vector<StatisticsRow> rows;
  // 0: acknowledged after half a day, resolved after 5 days, rated 5.
  StatisticsRow& r0 = rows.emplace_back(Received(
      Bangkok(2025, 10, 1, 9), C::GENERAL, C::WALK_IN, "ถนน", C::CLOSED));
  r0.acknowledge_time = r0.receive_time + Days(0.5);
  r0.resolve_time = r0.receive_time + Days(5);
  r0.satisfaction = 5;
  // 1: acknowledged after 1 day, resolved exactly on its SLA due date,
  // reopened once before, rated 3.
  StatisticsRow& r1 = rows.emplace_back(Received(
      Bangkok(2025, 10, 2, 9), C::GENERAL, C::PHONE, "ถนน", C::CLOSED));
  r1.acknowledge_time = r1.receive_time + Days(1);
  r1.resolve_time = r1.sla_due_time;
  r1.satisfaction = 3;
  r1.reopen_count = 1;
  // 2: acknowledged after 2 days, resolved late after 20, not rated yet.
  StatisticsRow& r2 = rows.emplace_back(Received(
      Bangkok(2025, 10, 3, 9), C::GENERAL, C::PHONE, "ไฟฟ้า", C::RESOLVED));
  r2.acknowledge_time = r2.receive_time + Days(2);
  r2.resolve_time = r2.receive_time + Days(20);
  // 3: acknowledged after 3 days, resolved after 8 but reopened twice and
  // being worked on again: not resolved, and overdue since 19 October.
  StatisticsRow& r3 = rows.emplace_back(Received(
      Bangkok(2025, 10, 4, 9), C::CORRUPTION, C::WEBSITE, "", C::IN_PROGRESS));
  r3.acknowledge_time = r3.receive_time + Days(3);
  r3.resolve_time = r3.receive_time + Days(8);
  r3.reopen_count = 2;
  // 4: acknowledged after 6 days; an explanation moved its due date past
  // now, so it is not overdue.
  StatisticsRow& r4 = rows.emplace_back(Received(
      Bangkok(2025, 10, 5, 9), C::CORRUPTION, C::LINE, "", C::ACKNOWLEDGED));
  r4.acknowledge_time = r4.receive_time + Days(6);
  r4.due_time = Bangkok(2026, 1, 15);
  // 5: acknowledged after 4 days, then rejected.
  StatisticsRow& r5 = rows.emplace_back(Received(
      Bangkok(2025, 10, 6, 9), C::GENERAL, C::WEBSITE, "ไฟฟ้า", C::REJECTED));
  r5.acknowledge_time = r5.receive_time + Days(4);
  // 6: received this morning, due on 16 December.
  rows.push_back(Received(Bangkok(2025, 12, 1, 8), C::GENERAL, C::WALK_IN, "",
                          C::RECEIVED));
  return rows;
}

void ExpectCell(const v1::CountByKey& cell, absl::string_view key,
                int64_t received, int64_t completed) {
  EXPECT_EQ(cell.key(), key);
  EXPECT_EQ(cell.received(), received) << key;
  EXPECT_EQ(cell.completed(), completed) << key;
}

TEST(StatisticsTest, HandCountedFixture) {
  const v1::ComplaintStatistics stats = ComputeStatistics(Fixture(), kQ1, kNow);
  EXPECT_EQ(api::FromProtoTime(stats.period_start()), kQ1.start);
  EXPECT_EQ(api::FromProtoTime(stats.period_end()), kQ1.end);
  EXPECT_EQ(stats.received(), 7);
  EXPECT_EQ(stats.completed(), 3);        // 0, 1, 2
  EXPECT_EQ(stats.ended_otherwise(), 1);  // 5
  EXPECT_EQ(stats.in_progress(), 3);      // 3, 4, 6
  EXPECT_EQ(stats.overdue(), 1);          // 3
  // Acknowledged after 0.5, 1, 2, 3, 6 and 4 days.
  EXPECT_DOUBLE_EQ(stats.mean_days_to_acknowledge(), 16.5 / 6);
  EXPECT_DOUBLE_EQ(stats.median_days_to_acknowledge(), (2.0 + 3.0) / 2);
  // Resolved after 5, 15 and 20 days (the reopened case 3 does not count).
  EXPECT_DOUBLE_EQ(stats.mean_days_to_resolve(), 40.0 / 3);
  EXPECT_DOUBLE_EQ(stats.median_days_to_resolve(), 15.0);
  // 0 and 1 (on the due instant) in time, 2 late.
  EXPECT_DOUBLE_EQ(stats.percent_resolved_within_sla(), 200.0 / 3);
  EXPECT_EQ(stats.ratings(), 2);
  EXPECT_DOUBLE_EQ(stats.percent_satisfied(), 50.0);
  EXPECT_EQ(stats.reopen_count(), 3);

  ASSERT_EQ(stats.by_kind_size(), 2);
  ExpectCell(stats.by_kind(0), "CORRUPTION", 2, 0);
  ExpectCell(stats.by_kind(1), "GENERAL", 5, 3);
  ASSERT_EQ(stats.by_channel_size(), 4);
  ExpectCell(stats.by_channel(0), "LINE", 1, 0);
  ExpectCell(stats.by_channel(1), "PHONE", 2, 2);
  ExpectCell(stats.by_channel(2), "WALK_IN", 2, 1);
  ExpectCell(stats.by_channel(3), "WEBSITE", 2, 0);
  ASSERT_EQ(stats.by_category_size(), 3);
  ExpectCell(stats.by_category(0), kUncategorisedKey, 3, 0);
  ExpectCell(stats.by_category(1), "ถนน", 2, 2);
  ExpectCell(stats.by_category(2), "ไฟฟ้า", 2, 1);
  // The caller fills in what it asked for.
  EXPECT_EQ(stats.organization(), "");
  EXPECT_EQ(stats.suppression_threshold(), 0);
  EXPECT_EQ(stats.notice(), "");
}

TEST(StatisticsTest, WithinSlaMeansByTheOriginalDueDate) {
  std::vector<StatisticsRow> rows = Fixture();
  // One nanosecond after the due instant is late.
  rows[1].resolve_time = rows[1].sla_due_time + absl::Nanoseconds(1);
  EXPECT_DOUBLE_EQ(
      ComputeStatistics(rows, kQ1, kNow).percent_resolved_within_sla(),
      100.0 / 3);
  // An explanation that moved the due date does not make a late resolution
  // timely.
  rows = Fixture();
  rows[2].due_time = rows[2].receive_time + Days(30);
  EXPECT_DOUBLE_EQ(
      ComputeStatistics(rows, kQ1, kNow).percent_resolved_within_sla(),
      200.0 / 3);
}

TEST(StatisticsTest, OverdueIsAsOfNow) {
  const std::vector<StatisticsRow> rows = Fixture();
  // Case 3 falls due on 19 October at 09:00.
  const absl::Time due = Bangkok(2025, 10, 19, 9);
  ASSERT_EQ(rows[3].due_time, due);
  EXPECT_EQ(ComputeStatistics(rows, kQ1, due).overdue(), 0);
  EXPECT_EQ(ComputeStatistics(rows, kQ1, due + absl::Seconds(1)).overdue(), 1);
  // Case 6 is overdue after 16 December; case 4 after 15 January.
  EXPECT_EQ(ComputeStatistics(rows, kQ1, Bangkok(2025, 12, 17)).overdue(), 2);
  EXPECT_EQ(ComputeStatistics(rows, kQ1, Bangkok(2026, 1, 16)).overdue(), 3);
}

TEST(StatisticsTest, OnlyRowsReceivedWithinThePeriodCount) {
  const StatisticsRow base =
      Received(kQ1.start, C::GENERAL, C::LETTER, "", C::RECEIVED);
  std::vector<StatisticsRow> rows(4, base);
  rows[1].receive_time = kQ1.end - absl::Nanoseconds(1);
  rows[2].receive_time = kQ1.end;
  rows[3].receive_time = kQ1.start - absl::Seconds(1);
  const v1::ComplaintStatistics stats = ComputeStatistics(rows, kQ1, kNow);
  EXPECT_EQ(stats.received(), 2);
  ASSERT_EQ(stats.by_channel_size(), 1);
  ExpectCell(stats.by_channel(0), "LETTER", 2, 0);
}

// Counts read 0; figures with nothing to compute them from are absent.
void ExpectZerosAndNoFigures(const v1::ComplaintStatistics& stats) {
  EXPECT_TRUE(stats.has_received());
  EXPECT_EQ(stats.received(), 0);
  EXPECT_TRUE(stats.has_completed());
  EXPECT_EQ(stats.completed(), 0);
  EXPECT_TRUE(stats.has_ended_otherwise());
  EXPECT_TRUE(stats.has_in_progress());
  EXPECT_TRUE(stats.has_overdue());
  EXPECT_EQ(stats.overdue(), 0);
  EXPECT_EQ(stats.by_kind_size(), 0);
  EXPECT_EQ(stats.by_channel_size(), 0);
  EXPECT_EQ(stats.by_category_size(), 0);
  EXPECT_FALSE(stats.has_mean_days_to_acknowledge());
  EXPECT_FALSE(stats.has_median_days_to_acknowledge());
  EXPECT_FALSE(stats.has_mean_days_to_resolve());
  EXPECT_FALSE(stats.has_median_days_to_resolve());
  EXPECT_FALSE(stats.has_percent_resolved_within_sla());
  EXPECT_FALSE(stats.has_percent_satisfied());
  EXPECT_TRUE(stats.has_ratings());
  EXPECT_EQ(stats.ratings(), 0);
  EXPECT_TRUE(stats.has_reopen_count());
  EXPECT_EQ(stats.reopen_count(), 0);
}

TEST(StatisticsTest, NothingReceivedGivesZerosAndNoFigures) {
  ExpectZerosAndNoFigures(ComputeStatistics({}, kQ1, kNow));
  // Rows of another period only.
  std::vector<StatisticsRow> rows = Fixture();
  for (StatisticsRow& row : rows) row.receive_time += Days(365);
  ExpectZerosAndNoFigures(ComputeStatistics(rows, kQ1, kNow));
}

TEST(StatisticsTest, Issue17Item18_NothingToAverageIsAbsentNotZero) {
  // Received but neither acknowledged, resolved nor rated.
  const std::vector<StatisticsRow> rows(
      3,
      Received(Bangkok(2025, 11, 1), C::CORRUPTION, C::EMAIL, "", C::RECEIVED));
  const v1::ComplaintStatistics stats = ComputeStatistics(rows, kQ1, kNow);
  EXPECT_EQ(stats.received(), 3);
  EXPECT_EQ(stats.overdue(), 3);
  EXPECT_FALSE(stats.has_mean_days_to_acknowledge());
  EXPECT_FALSE(stats.has_median_days_to_resolve());
  EXPECT_FALSE(stats.has_percent_resolved_within_sla());
  EXPECT_FALSE(stats.has_percent_satisfied());
  // A true zero is still there: acknowledged at the instant of receipt.
  std::vector<StatisticsRow> instant = rows;
  instant[0].acknowledge_time = instant[0].receive_time;
  const v1::ComplaintStatistics zero = ComputeStatistics(instant, kQ1, kNow);
  ASSERT_TRUE(zero.has_mean_days_to_acknowledge());
  EXPECT_EQ(zero.mean_days_to_acknowledge(), 0);
}

TEST(StatisticsTest, OddMediansAndFractionalDays) {
  std::vector<StatisticsRow> rows;
  for (double days : {7.25, 0.25, 1.5}) {
    StatisticsRow& row = rows.emplace_back(Received(
        Bangkok(2025, 10, 10), C::GENERAL, C::OTHER, "", C::ACKNOWLEDGED));
    row.acknowledge_time = row.receive_time + Days(days);
  }
  const v1::ComplaintStatistics stats = ComputeStatistics(rows, kQ1, kNow);
  EXPECT_DOUBLE_EQ(stats.median_days_to_acknowledge(), 1.5);
  EXPECT_DOUBLE_EQ(stats.mean_days_to_acknowledge(), 9.0 / 3);
}

// ---------------------------------------------------------- public variant

std::vector<std::string> Keys(
    const google::protobuf::RepeatedPtrField<v1::CountByKey>& rows) {
  std::vector<std::string> keys;
  for (const v1::CountByKey& row : rows) keys.push_back(row.key());
  return keys;
}

TEST(PublicStatisticsTest, SmallRowsAndTheirComplementsAreLeftOut) {
  const v1::ComplaintStatistics full = ComputeStatistics(Fixture(), kQ1, kNow);
  // Threshold 2: the single LINE complaint is hidden, and with it the
  // smallest other row (PHONE 2), so that 7 minus the shown rows is not
  // LINE's 1.
  v1::ComplaintStatistics published = PublicStatistics(full, 2);
  EXPECT_EQ(published.suppression_threshold(), 2);
  ASSERT_EQ(published.by_channel_size(), 2);
  ExpectCell(published.by_channel(0), "WALK_IN", 2, 1);
  ExpectCell(published.by_channel(1), "WEBSITE", 2, 0);
  ASSERT_EQ(published.by_kind_size(), 2);
  ExpectCell(published.by_kind(0), "CORRUPTION", 2, 0);
  EXPECT_EQ(published.by_category_size(), 3);
  EXPECT_THAT(published.notice(), HasSubstr("(figures under 2 are hidden"));
  // Threshold 3: CORRUPTION 2 is hidden, so GENERAL is too (7 - 5 = 2);
  // every channel is under 3; the two categories of 2 hide each other.
  published = PublicStatistics(full, 3);
  EXPECT_THAT(published.by_kind(), IsEmpty());
  EXPECT_THAT(published.by_channel(), IsEmpty());
  ASSERT_EQ(published.by_category_size(), 1);
  ExpectCell(published.by_category(0), kUncategorisedKey, 3, 0);
  // Two ratings: neither their count nor their share is shown.
  EXPECT_FALSE(published.has_ratings());
  EXPECT_FALSE(published.has_percent_satisfied());
  EXPECT_THAT(published.notice(), HasSubstr("(figures under 3 are hidden"));
  // The aggregates are copied.
  EXPECT_EQ(published.received(), 7);
  EXPECT_EQ(published.completed(), 3);
  EXPECT_EQ(published.ended_otherwise(), 1);
  EXPECT_EQ(published.in_progress(), 3);
  EXPECT_EQ(published.overdue(), 1);
  EXPECT_EQ(published.reopen_count(), 3);
  EXPECT_DOUBLE_EQ(published.mean_days_to_resolve(), 40.0 / 3);
  EXPECT_EQ(published.period_start().seconds(), full.period_start().seconds());
  // The full figures are untouched.
  ExpectCell(full.by_channel(0), "LINE", 1, 0);
}

// Whatever the table, what is shown never pins a hidden row down: no shown
// row is small, and the hidden rows (the total minus the shown ones) are at
// least two holding at least the threshold.
TEST(PublicStatisticsTest, Issue17Item3_EveryTableKeepsHiddenRowsHidden) {
  uint32_t seed = 17;
  auto next = [&seed](uint32_t bound) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % bound;
  };
  const C::Channel channels[] = {C::WALK_IN, C::PHONE,    C::LETTER,
                                 C::WEBSITE, C::EMAIL,    C::FACEBOOK,
                                 C::LINE,    C::REFERRAL, C::OTHER};
  for (int table = 0; table < 2000; ++table) {
    std::vector<StatisticsRow> rows;
    const int count = 5 + static_cast<int>(next(40));
    for (int i = 0; i < count; ++i) {
      // Skewed: some rows big, most small.
      const C::Channel channel = channels[std::min(next(9), next(9))];
      rows.push_back(Received(Bangkok(2025, 10, 10),
                              next(4) == 0 ? C::CORRUPTION : C::GENERAL,
                              channel, absl::StrCat("c", next(3) * next(3)),
                              next(2) == 0 ? C::CLOSED : C::RECEIVED));
    }
    const v1::ComplaintStatistics full = ComputeStatistics(rows, kQ1, kNow);
    const int threshold = 2 + static_cast<int>(next(5));
    const v1::ComplaintStatistics published = PublicStatistics(full, threshold);
    if (full.received() < threshold) {
      EXPECT_FALSE(published.has_received());
      continue;
    }
    ASSERT_EQ(published.received(), full.received());
    for (auto [shown, all] :
         {std::pair{&published.by_kind(), &full.by_kind()},
          std::pair{&published.by_channel(), &full.by_channel()},
          std::pair{&published.by_category(), &full.by_category()}}) {
      int64_t shown_sum = 0;
      for (const v1::CountByKey& row : *shown) {
        EXPECT_GE(row.received(), threshold) << row.key();
        shown_sum += row.received();
      }
      const int hidden_rows = all->size() - shown->size();
      const int64_t hidden_sum = full.received() - shown_sum;
      if (hidden_rows > 0) {
        EXPECT_GE(hidden_rows, 2) << table;
        EXPECT_GE(hidden_sum, threshold) << table;
      }
      // Every row of the full table that is small is among the hidden.
      for (const v1::CountByKey& row : *all) {
        if (row.received() < threshold) {
          EXPECT_THAT(Keys(*shown), Not(Contains(row.key())));
        }
      }
    }
  }
}

TEST(PublicStatisticsTest, SmallTotalsHideEverything) {
  const v1::ComplaintStatistics full = ComputeStatistics(Fixture(), kQ1, kNow);
  // Seven received: a threshold of 7 leaves the totals...
  v1::ComplaintStatistics published = PublicStatistics(full, 7);
  EXPECT_EQ(published.received(), 7);
  EXPECT_DOUBLE_EQ(published.mean_days_to_acknowledge(), 2.75);
  // ... one of 8 hides every figure, the total too.
  published = PublicStatistics(full, 8);
  EXPECT_FALSE(published.has_received());
  EXPECT_FALSE(published.has_completed());
  EXPECT_FALSE(published.has_ended_otherwise());
  EXPECT_FALSE(published.has_in_progress());
  EXPECT_FALSE(published.has_overdue());
  EXPECT_FALSE(published.has_reopen_count());
  EXPECT_FALSE(published.has_ratings());
  EXPECT_FALSE(published.has_mean_days_to_acknowledge());
  EXPECT_FALSE(published.has_percent_resolved_within_sla());
  EXPECT_THAT(published.by_kind(), IsEmpty());
  EXPECT_THAT(published.by_channel(), IsEmpty());
  EXPECT_THAT(published.by_category(), IsEmpty());
  EXPECT_THAT(published.notice(), HasSubstr("(figures under 8 are hidden"));
  EXPECT_EQ(published.suppression_threshold(), 8);
}

TEST(PublicStatisticsTest, NothingHiddenMeansNoNotice) {
  const v1::ComplaintStatistics full = ComputeStatistics(Fixture(), kQ1, kNow);
  const v1::ComplaintStatistics published = PublicStatistics(full, 1);
  EXPECT_EQ(published.notice(), "");
  EXPECT_EQ(published.suppression_threshold(), 1);
  ExpectCell(published.by_channel(0), "LINE", 1, 0);
  EXPECT_EQ(published.ratings(), 2);
}

TEST(PublicStatisticsTest, NoComplaintsSaysSo) {
  const v1::ComplaintStatistics published =
      PublicStatistics(ComputeStatistics({}, kQ1, kNow));
  EXPECT_EQ(published.notice(),
            "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้ (no complaints in this period)");
  EXPECT_EQ(published.suppression_threshold(), 5);
  ExpectZerosAndNoFigures(published);
}

TEST(PublicStatisticsTest, Issue17Item3_PublicPeriodEndsAtTheCurrentMonth) {
  // 1 December, noon: October and November have ended.
  Period covered = PublicPeriod(kQ1, kNow);
  EXPECT_EQ(covered.start, kQ1.start);
  EXPECT_EQ(covered.end, Bangkok(2025, 12, 1));
  // Bangkok's midnight, not UTC's: 31 December 23:30 is still December.
  EXPECT_EQ(PublicPeriod(kQ1, Bangkok(2025, 12, 31, 23)).end,
            Bangkok(2025, 12, 1));
  EXPECT_EQ(PublicPeriod(kQ1, Bangkok(2026, 1, 1)).end, kQ1.end);
  EXPECT_EQ(PublicPeriod(kQ1, Bangkok(2027, 5, 1)).end, kQ1.end);
  // Nothing of the period has ended.
  covered = PublicPeriod(kQ1, Bangkok(2025, 10, 31, 23));
  EXPECT_EQ(covered.end, covered.start);
  covered = PublicPeriod(kQ1, Bangkok(2024, 1, 1));
  EXPECT_EQ(covered.end, covered.start);
  // Such a period has no figures at all, not zeros.
  const v1::ComplaintStatistics published =
      PublicStatistics(ComputeStatistics(Fixture(), covered, kNow));
  EXPECT_FALSE(published.has_received());
  EXPECT_THAT(published.by_kind(), IsEmpty());
  EXPECT_THAT(published.notice(), HasSubstr("no month of this period"));
}

// Issue 17 item 3, across periods: each period protected on its own let a
// year minus its shown months (or a quarter minus its months, or the total
// minus the other kinds) give a month's hidden cells. A longer period now
// shows only what every one of its months shows.
TEST(PublicStatisticsTest, Issue17Item3_LongerPeriodsShowOnlyWhatMonthsShow) {
  std::vector<StatisticsRow> rows;
  auto add = [&rows](int month, int count, C::Kind kind, C::Channel channel) {
    const int year = month >= 10 ? 2025 : 2026;
    for (int i = 0; i < count; ++i) {
      rows.push_back(
          Received(Bangkok(year, month, 3 + i), kind, channel, "", C::CLOSED));
    }
  };
  // October: CORRUPTION 2 hidden, GENERAL 6 with it (its complement).
  add(10, 6, C::GENERAL, C::WEBSITE);
  add(10, 2, C::CORRUPTION, C::LINE);
  // November: both kinds shown.
  add(11, 6, C::GENERAL, C::WEBSITE);
  add(11, 5, C::CORRUPTION, C::LINE);
  const Period year{Bangkok(2025, 10, 1), Bangkok(2026, 10, 1)};
  const absl::Time december = Bangkok(2025, 12, 10);
  const Period covered = PublicPeriod(year, december);
  const Period october{Bangkok(2025, 10, 1), Bangkok(2025, 11, 1)};
  const Period november{Bangkok(2025, 11, 1), Bangkok(2025, 12, 1)};
  const v1::ComplaintStatistics public_october =
      PublicFigures(rows, october, december);
  const v1::ComplaintStatistics public_november =
      PublicFigures(rows, november, december);
  EXPECT_EQ(public_october.received(), 8);
  EXPECT_THAT(Keys(public_october.by_kind()), IsEmpty());
  EXPECT_THAT(Keys(public_november.by_kind()),
              ::testing::ElementsAre("CORRUPTION", "GENERAL"));
  // On its own the year (to November) would show CORRUPTION 7, and 7 - 5
  // is October's hidden 2.
  ASSERT_THAT(Keys(PublicStatistics(ComputeStatistics(rows, covered, december))
                       .by_kind()),
              Contains("CORRUPTION"));
  v1::ComplaintStatistics public_year = PublicFigures(rows, covered, december);
  EXPECT_EQ(public_year.received(), 19);  // both months show theirs
  EXPECT_THAT(Keys(public_year.by_kind()), IsEmpty());
  EXPECT_THAT(Keys(public_year.by_channel()), IsEmpty());
  EXPECT_THAT(public_year.notice(), HasSubstr("each of its months shows"));
  // The same for the quarter.
  EXPECT_THAT(
      Keys(
          PublicFigures(rows, PublicPeriod(kQ1, december), december).by_kind()),
      IsEmpty());

  // December: three reports, a hidden total. Once it has ended, the year
  // and the quarter to December would show 22, and 22 - 19 (the year to
  // November, or October + November) is December's 3: hidden with it, and
  // every figure and row of them, since a month with a hidden total shows
  // none of its rows either.
  add(12, 3, C::CORRUPTION, C::LINE);
  const absl::Time january = Bangkok(2026, 1, 10);
  const Period december_month{Bangkok(2025, 12, 1), Bangkok(2026, 1, 1)};
  EXPECT_FALSE(PublicFigures(rows, december_month, january).has_received());
  for (const Period& period : {PublicPeriod(year, january), kQ1}) {
    const v1::ComplaintStatistics published =
        PublicFigures(rows, period, january);
    EXPECT_FALSE(published.has_received());
    EXPECT_FALSE(published.has_completed());
    EXPECT_FALSE(published.has_reopen_count());
    EXPECT_FALSE(published.has_mean_days_to_resolve());
    EXPECT_THAT(published.by_kind(), IsEmpty());
    EXPECT_THAT(published.by_channel(), IsEmpty());
    EXPECT_THAT(published.by_category(), IsEmpty());
  }
}

// What a longer period shows is what all of its months show, on tables of
// every shape: a shown row or figure is shown by every month that has any of
// it, so the period's figure is the sum of shown ones and subtracting the
// months from it leaves nothing hidden.
TEST(PublicStatisticsTest, Issue17Item3_NoMonthCellFollowsFromLongerPeriods) {
  uint32_t seed = 3;
  auto next = [&seed](uint32_t bound) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % bound;
  };
  const C::Channel channels[] = {C::WALK_IN, C::PHONE, C::WEBSITE, C::LINE};
  const Period year{Bangkok(2025, 10, 1), Bangkok(2026, 10, 1)};
  const absl::Time now = Bangkok(2026, 10, 5);
  for (int table = 0; table < 300; ++table) {
    std::vector<StatisticsRow> rows;
    const int count = static_cast<int>(next(120));
    for (int i = 0; i < count; ++i) {
      const int month = 1 + static_cast<int>(next(12));
      const int day = 1 + static_cast<int>(next(27));
      rows.push_back(Received(
          Bangkok(month >= 10 ? 2025 : 2026, month, day, 12),
          next(3) == 0 ? C::CORRUPTION : C::GENERAL,
          channels[std::min(next(4), next(4))], absl::StrCat("c", next(3)),
          next(2) == 0 ? C::CLOSED : C::RECEIVED));
      if (next(3) == 0)
        rows.back().satisfaction = 1 + static_cast<int>(next(5));
    }
    const int threshold = 3 + static_cast<int>(next(4));
    std::vector<v1::ComplaintStatistics> months;
    for (int m = 0; m < 12; ++m) {
      const absl::CivilMonth first(2025, 10);
      const absl::TimeZone bangkok = thai::BangkokTimeZone();
      const Period period{absl::FromCivil(first + m, bangkok),
                          absl::FromCivil(first + m + 1, bangkok)};
      months.push_back(PublicFigures(rows, period, now, threshold));
    }
    const std::vector<std::pair<Period, std::pair<int, int>>> longer = {
        {year, {0, 12}},
        {kQ1, {0, 3}},
        {{Bangkok(2026, 1, 1), Bangkok(2026, 4, 1)}, {3, 6}},
        {{Bangkok(2026, 4, 1), Bangkok(2026, 7, 1)}, {6, 9}},
        // The year to the end of February and of March.
        {{Bangkok(2025, 10, 1), Bangkok(2026, 3, 1)}, {0, 5}},
        {{Bangkok(2025, 10, 1), Bangkok(2026, 4, 1)}, {0, 6}}};
    for (const auto& [period, months_covered] : longer) {
      const v1::ComplaintStatistics published =
          PublicFigures(rows, period, now, threshold);
      // A copy: clang 14 cannot capture a structured binding in a lambda.
      const std::pair<int, int> span = months_covered;
      auto every_month = [&](auto has) {
        for (int m = span.first; m < span.second; ++m) {
          if (!has(months[m])) return false;
        }
        return true;
      };
      if (published.has_received()) {
        EXPECT_TRUE(every_month([](const v1::ComplaintStatistics& month) {
          return month.has_received();
        })) << table;
      }
      if (published.has_ratings()) {
        EXPECT_TRUE(every_month([](const v1::ComplaintStatistics& month) {
          return month.has_ratings();
        })) << table;
      }
      // Kind, channel, category.
      auto breakdown = [](const v1::ComplaintStatistics& statistics,
                          int which) -> const auto& {
        return which == 0   ? statistics.by_kind()
               : which == 1 ? statistics.by_channel()
                            : statistics.by_category();
      };
      for (int which = 0; which < 3; ++which) {
        for (const v1::CountByKey& row : breakdown(published, which)) {
          // The sum of what the months show: nothing left to subtract.
          int64_t sum = 0;
          for (int m = span.first; m < span.second; ++m) {
            ASSERT_TRUE(months[m].has_received()) << table << " " << m;
            for (const v1::CountByKey& cell : breakdown(months[m], which)) {
              if (cell.key() == row.key()) sum += cell.received();
            }
          }
          EXPECT_EQ(row.received(), sum) << table << " " << row.key();
        }
      }
    }
  }
}

}  // namespace
}  // namespace prongsai::complaint
