#include "services/complaint/complaint_statistics.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/api/fields.h"
#include "common/base/status_macros.h"
#include "common/base/validation.h"
#include "common/thai/thai.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/complaint/complaint_domain.h"

namespace prongsai::complaint {
namespace {

bool IsCompleted(v1::Complaint::State state) {
  return state == v1::Complaint::RESOLVED || state == v1::Complaint::CLOSED;
}

bool EndedOtherwise(v1::Complaint::State state) {
  return state == v1::Complaint::REFERRED || state == v1::Complaint::REJECTED ||
         state == v1::Complaint::WITHDRAWN;
}

// Each of these is absent, not 0, when there is nothing to compute it from.
std::optional<double> Mean(const std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

std::optional<double> Median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle]
                                : (values[middle - 1] + values[middle]) / 2;
}

std::optional<double> Percent(int64_t part, int64_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

void SetIfPresent(std::optional<double> value,
                  void (v1::ComplaintStatistics::*setter)(double),
                  v1::ComplaintStatistics& statistics) {
  if (value.has_value()) (statistics.*setter)(*value);
}

double Days(absl::Duration duration) {
  return absl::FDivDuration(duration, absl::Hours(24));
}

struct Counts {
  int64_t received = 0;
  int64_t completed = 0;
};

void AddBreakdown(const std::map<std::string, Counts>& counts,
                  google::protobuf::RepeatedPtrField<v1::CountByKey>* out) {
  for (const auto& [key, count] : counts) {
    v1::CountByKey* row = out->Add();
    row->set_key(key);
    row->set_received(count.received);
    row->set_completed(count.completed);
  }
}

// Appends the rows of `rows` that may be published and returns whether any
// was hidden. Rows under `threshold` are hidden (primary suppression); then,
// smallest first, further rows (complementary suppression) until the hidden
// rows are at least two and hold at least `threshold` between them, so that
// the total minus the shown rows is neither one row nor a sum that pins its
// parts down. Hidden rows are left out, not listed with a flag: their keys
// would say which keys are non-zero.
bool AddProtected(
    const google::protobuf::RepeatedPtrField<v1::CountByKey>& rows,
    int threshold, google::protobuf::RepeatedPtrField<v1::CountByKey>* out) {
  std::vector<const v1::CountByKey*> by_size;
  for (const v1::CountByKey& row : rows) by_size.push_back(&row);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const v1::CountByKey* a, const v1::CountByKey* b) {
                     return a->received() < b->received();
                   });
  absl::flat_hash_set<const v1::CountByKey*> hidden;
  int64_t hidden_sum = 0;
  for (const v1::CountByKey* row : by_size) {
    if (row->received() > 0 && row->received() < threshold) {
      hidden.insert(row);
      hidden_sum += row->received();
    }
  }
  if (!hidden.empty()) {
    for (const v1::CountByKey* row : by_size) {
      if (hidden.size() >= 2 && hidden_sum >= threshold) break;
      if (hidden.insert(row).second) hidden_sum += row->received();
    }
  }
  for (const v1::CountByKey& row : rows) {  // in key order
    if (hidden.contains(&row)) continue;
    v1::CountByKey* shown = out->Add();
    shown->set_key(row.key());
    shown->set_received(row.received());
    shown->set_completed(row.completed());
  }
  return !hidden.empty();
}

// Why figures are absent; `by_month` adds that a longer period follows its
// months.
std::string HiddenNotice(int threshold, bool by_month) {
  return absl::StrCat(
      "ตัวเลขที่มีน้อยกว่า ", threshold, " เรื่องถูกซ่อนเพื่อคุ้มครองผู้ร้องเรียน",
      by_month ? " และไตรมาสหรือปีแสดงเฉพาะตัวเลขที่ทุกเดือนในนั้นแสดง" : "",
      " (figures under ", threshold, " are hidden to protect complainants",
      by_month ? "; a quarter or year shows only what each of its months shows"
               : "",
      ")");
}

// Removes from `published` (a longer period's public figures) what the
// public variant of one of its months, `month_public`, hides of its full
// figures `month_full`; returns whether anything was removed. A figure the
// month has but does not show goes, and so do the rows the month leaves out;
// a month that hides its total shows no row at all (not even that a key is
// 0 in it), so all of the period's rows go.
bool HideWhatTheMonthHides(const v1::ComplaintStatistics& month_full,
                           const v1::ComplaintStatistics& month_public,
                           v1::ComplaintStatistics& published) {
  bool removed = false;
  // Every optional field is a figure (counts, means, medians, percentages):
  // walked by reflection so that a figure added later follows the rule too.
  const google::protobuf::Descriptor* descriptor = published.GetDescriptor();
  const google::protobuf::Reflection* reflection = published.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || !field->has_presence() ||
        field->cpp_type() ==
            google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    if (reflection->HasField(month_full, field) &&
        !reflection->HasField(month_public, field) &&
        reflection->HasField(published, field)) {
      reflection->ClearField(&published, field);
      removed = true;
    }
  }
  const bool hides_total =
      month_full.received() > 0 && !month_public.has_received();
  using Rows = google::protobuf::RepeatedPtrField<v1::CountByKey>;
  for (auto [full_rows, public_rows, rows] :
       {std::tuple{&month_full.by_kind(), &month_public.by_kind(),
                   published.mutable_by_kind()},
        std::tuple{&month_full.by_channel(), &month_public.by_channel(),
                   published.mutable_by_channel()},
        std::tuple{&month_full.by_category(), &month_public.by_category(),
                   published.mutable_by_category()}}) {
    absl::flat_hash_set<std::string> shown, hidden;
    for (const v1::CountByKey& row : *public_rows) shown.insert(row.key());
    for (const v1::CountByKey& row : *full_rows) {
      if (!shown.contains(row.key())) hidden.insert(row.key());
    }
    Rows kept;
    for (v1::CountByKey& row : *rows) {
      if (!hides_total && !hidden.contains(row.key())) {
        *kept.Add() = std::move(row);
      }
    }
    removed |= kept.size() != rows->size();
    rows->Swap(&kept);
  }
  return removed;
}

}  // namespace

v1::ComplaintStatistics ComputeStatistics(absl::Span<const StatisticsRow> rows,
                                          const Period& period,
                                          absl::Time now) {
  v1::ComplaintStatistics statistics;
  *statistics.mutable_period_start() = api::ToProtoTime(period.start);
  *statistics.mutable_period_end() = api::ToProtoTime(period.end);
  // Counts are figures even when 0: set, so that they read as "0", not "-".
  statistics.set_received(0);
  statistics.set_completed(0);
  statistics.set_ended_otherwise(0);
  statistics.set_in_progress(0);
  statistics.set_overdue(0);
  std::map<std::string, Counts> by_kind, by_channel, by_category;
  std::vector<double> acknowledge_days, resolve_days;
  int64_t within_sla = 0, ratings = 0, satisfied = 0, reopens = 0;
  for (const StatisticsRow& row : rows) {
    if (row.receive_time < period.start || row.receive_time >= period.end) {
      continue;
    }
    const bool completed = IsCompleted(row.state);
    statistics.set_received(statistics.received() + 1);
    if (completed) statistics.set_completed(statistics.completed() + 1);
    if (EndedOtherwise(row.state)) {
      statistics.set_ended_otherwise(statistics.ended_otherwise() + 1);
    }
    if (IsOpen(row.state)) {
      statistics.set_in_progress(statistics.in_progress() + 1);
    }
    if (IsOverdue(row.state, row.due_time, now)) {
      statistics.set_overdue(statistics.overdue() + 1);
    }
    auto count = [completed](Counts& counts) {
      ++counts.received;
      if (completed) ++counts.completed;
    };
    count(by_kind[v1::Complaint::Kind_Name(row.kind)]);
    count(by_channel[v1::Complaint::Channel_Name(row.channel)]);
    count(by_category[row.category.empty() ? std::string(kUncategorisedKey)
                                           : row.category]);
    if (row.acknowledge_time.has_value()) {
      acknowledge_days.push_back(
          Days(*row.acknowledge_time - row.receive_time));
    }
    if (completed && row.resolve_time.has_value()) {
      resolve_days.push_back(Days(*row.resolve_time - row.receive_time));
      if (*row.resolve_time <= row.sla_due_time) ++within_sla;
    }
    if (row.satisfaction > 0) {
      ++ratings;
      if (row.satisfaction >= 4) ++satisfied;
    }
    reopens += row.reopen_count;
  }
  AddBreakdown(by_kind, statistics.mutable_by_kind());
  AddBreakdown(by_channel, statistics.mutable_by_channel());
  AddBreakdown(by_category, statistics.mutable_by_category());
  using S = v1::ComplaintStatistics;
  SetIfPresent(Mean(acknowledge_days), &S::set_mean_days_to_acknowledge,
               statistics);
  SetIfPresent(Median(acknowledge_days), &S::set_median_days_to_acknowledge,
               statistics);
  SetIfPresent(Mean(resolve_days), &S::set_mean_days_to_resolve, statistics);
  SetIfPresent(Median(resolve_days), &S::set_median_days_to_resolve,
               statistics);
  SetIfPresent(Percent(within_sla, static_cast<int64_t>(resolve_days.size())),
               &S::set_percent_resolved_within_sla, statistics);
  statistics.set_ratings(ratings);
  SetIfPresent(Percent(satisfied, ratings), &S::set_percent_satisfied,
               statistics);
  statistics.set_reopen_count(reopens);
  return statistics;
}

Period PublicPeriod(const Period& period, absl::Time now) {
  const absl::TimeZone bangkok = thai::BangkokTimeZone();
  const absl::Time cutoff =
      absl::FromCivil(absl::ToCivilMonth(now, bangkok), bangkok);
  return Period{period.start,
                std::max(period.start, std::min(period.end, cutoff))};
}

v1::ComplaintStatistics PublicStatistics(const v1::ComplaintStatistics& full,
                                         int threshold) {
  v1::ComplaintStatistics published;
  published.set_organization(full.organization());
  *published.mutable_fiscal_year() = full.fiscal_year();
  published.set_quarter(full.quarter());
  published.set_month(full.month());
  *published.mutable_period_start() = full.period_start();
  *published.mutable_period_end() = full.period_end();
  published.set_suppression_threshold(threshold);
  if (api::FromProtoTime(full.period_end()) <=
      api::FromProtoTime(full.period_start())) {
    published.set_notice(
        "ยังไม่มีเดือนใดในช่วงเวลานี้สิ้นสุด (public figures cover whole months "
        "that have ended; no month of this period has ended yet)");
    return published;
  }
  if (full.received() == 0) {
    published.set_received(0);
    published.set_completed(0);
    published.set_ended_otherwise(0);
    published.set_in_progress(0);
    published.set_overdue(0);
    published.set_ratings(0);
    published.set_reopen_count(0);
    published.set_notice(
        "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้ (no complaints in this period)");
    return published;
  }
  const std::string hidden_notice = HiddenNotice(threshold, false);
  // A small total would itself be a small cell, and every other figure is
  // computed from the same few complaints.
  if (full.received() < threshold) {
    published.set_notice(hidden_notice);
    return published;
  }
  published.set_received(full.received());
  published.set_completed(full.completed());
  published.set_ended_otherwise(full.ended_otherwise());
  published.set_in_progress(full.in_progress());
  published.set_overdue(full.overdue());
  published.set_reopen_count(full.reopen_count());
  using S = v1::ComplaintStatistics;
  for (auto [has, get, set] : {
           std::tuple{&S::has_mean_days_to_acknowledge,
                      &S::mean_days_to_acknowledge,
                      &S::set_mean_days_to_acknowledge},
           std::tuple{&S::has_median_days_to_acknowledge,
                      &S::median_days_to_acknowledge,
                      &S::set_median_days_to_acknowledge},
           std::tuple{&S::has_mean_days_to_resolve, &S::mean_days_to_resolve,
                      &S::set_mean_days_to_resolve},
           std::tuple{&S::has_median_days_to_resolve,
                      &S::median_days_to_resolve,
                      &S::set_median_days_to_resolve},
           std::tuple{&S::has_percent_resolved_within_sla,
                      &S::percent_resolved_within_sla,
                      &S::set_percent_resolved_within_sla},
       }) {
    if ((full.*has)()) (published.*set)((full.*get)());
  }
  bool hidden_any = false;
  // A share of a few ratings would tell how those few rated.
  if (full.ratings() == 0 || full.ratings() >= threshold) {
    published.set_ratings(full.ratings());
    if (full.has_percent_satisfied()) {
      published.set_percent_satisfied(full.percent_satisfied());
    }
  } else {
    hidden_any = true;
  }
  hidden_any |=
      AddProtected(full.by_kind(), threshold, published.mutable_by_kind());
  hidden_any |= AddProtected(full.by_channel(), threshold,
                             published.mutable_by_channel());
  hidden_any |= AddProtected(full.by_category(), threshold,
                             published.mutable_by_category());
  if (hidden_any) published.set_notice(hidden_notice);
  return published;
}

v1::ComplaintStatistics PublicFigures(absl::Span<const StatisticsRow> rows,
                                      const Period& covered, absl::Time now,
                                      int threshold) {
  v1::ComplaintStatistics published =
      PublicStatistics(ComputeStatistics(rows, covered, now), threshold);
  // Protecting each period on its own is not enough: a year minus its shown
  // months, or year-to-date taken before and after a month's end, would give
  // a month's hidden cells. Months are the finest periods served, so every
  // longer period shows only what all of its months show.
  const absl::TimeZone bangkok = thai::BangkokTimeZone();
  bool removed = false;
  for (absl::CivilMonth month = absl::ToCivilMonth(covered.start, bangkok);
       absl::FromCivil(month, bangkok) < covered.end; ++month) {
    const Period of_month{
        std::max(covered.start, absl::FromCivil(month, bangkok)),
        std::min(covered.end, absl::FromCivil(month + 1, bangkok))};
    const v1::ComplaintStatistics month_full =
        ComputeStatistics(rows, of_month, now);
    removed |= HideWhatTheMonthHides(
        month_full, PublicStatistics(month_full, threshold), published);
  }
  if (removed) published.set_notice(HiddenNotice(threshold, true));
  return published;
}

absl::StatusOr<Period> StatisticsPeriod(
    const v1::GetComplaintStatisticsRequest& request) {
  const int year = request.fiscal_year().be_year();
  PRONGSAI_RETURN_IF_ERROR(
      api::ValidateFiscalYear("fiscal_year.be_year", year));
  if (request.quarter() < 0 || request.quarter() > 4) {
    return InvalidField("quarter", "must be 1-4, or 0 for the whole year");
  }
  if (request.month() < 0 || request.month() > 12) {
    return InvalidField("month", "must be 1-12, or 0");
  }
  if (request.quarter() != 0 && request.month() != 0) {
    return InvalidField("month", "give a quarter or a month, not both");
  }
  const absl::TimeZone bangkok = thai::BangkokTimeZone();
  absl::CivilDay first = thai::FiscalYearFirstDay(year);
  absl::CivilDay end = thai::FiscalYearFirstDay(year + 1);
  if (request.quarter() != 0) {
    first = thai::QuarterFirstDay(year, request.quarter());
    end = thai::QuarterFirstDay(year, request.quarter() + 1);
  } else if (request.month() != 0) {
    // October-December belong to the C.E. year before the one the fiscal
    // year ends in.
    const int ce_year = thai::CeFromBe(year) - (request.month() >= 10 ? 1 : 0);
    const absl::CivilMonth month(ce_year, request.month());
    first = absl::CivilDay(month);
    end = absl::CivilDay(month + 1);
  }
  return Period{absl::FromCivil(first, bangkok), absl::FromCivil(end, bangkok)};
}

absl::StatusOr<StatisticsView> ChooseStatisticsView(
    const v1::GetComplaintStatisticsRequest& request, bool public_method,
    bool may_read_corruption) {
  if (public_method) {
    if (request.general_only()) {
      return InvalidField("general_only",
                          "public statistics count every kind of complaint");
    }
    return StatisticsView::kPublic;
  }
  // Corruption figures are for those who may read the reports; anyone else
  // gets figures of general complaints only (and is told so).
  return request.general_only() || !may_read_corruption
             ? StatisticsView::kGeneralOnly
             : StatisticsView::kFull;
}

v1::ComplaintStatistics BuildStatistics(
    std::vector<StatisticsRow> rows,
    const v1::GetComplaintStatisticsRequest& request, StatisticsView view,
    const Period& period, absl::Time now, int threshold) {
  const bool general_only = view == StatisticsView::kGeneralOnly;
  if (general_only) {
    std::erase_if(rows, [](const StatisticsRow& row) {
      return row.kind != v1::Complaint::GENERAL;
    });
  }
  v1::ComplaintStatistics statistics =
      view == StatisticsView::kPublic
          ? PublicFigures(rows, period, now, threshold)
          : ComputeStatistics(rows, period, now);
  statistics.set_organization(request.parent());
  *statistics.mutable_fiscal_year() = request.fiscal_year();
  statistics.set_quarter(request.quarter());
  statistics.set_month(request.month());
  if (general_only) {
    statistics.set_general_only(true);
    statistics.set_notice(
        "นับเฉพาะเรื่องร้องเรียนทั่วไป ไม่รวมเรื่องร้องเรียนการทุจริต "
        "(general complaints only: corruption reports are not "
        "counted)");
  }
  return statistics;
}

}  // namespace prongsai::complaint
