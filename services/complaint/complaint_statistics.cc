#include "services/complaint/complaint_statistics.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/api_fields.h"
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

double Mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double value : values) sum += value;
  return sum / static_cast<double>(values.size());
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 == 1 ? values[middle]
                                : (values[middle - 1] + values[middle]) / 2;
}

double Percent(int64_t part, int64_t whole) {
  return whole == 0
             ? 0
             : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
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

}  // namespace

v1::ComplaintStatistics ComputeStatistics(absl::Span<const StatisticsRow> rows,
                                          const Period& period,
                                          absl::Time now) {
  v1::ComplaintStatistics statistics;
  *statistics.mutable_period_start() = api::ToProtoTime(period.start);
  *statistics.mutable_period_end() = api::ToProtoTime(period.end);
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
  statistics.set_mean_days_to_acknowledge(Mean(acknowledge_days));
  statistics.set_median_days_to_acknowledge(Median(acknowledge_days));
  statistics.set_mean_days_to_resolve(Mean(resolve_days));
  statistics.set_median_days_to_resolve(Median(resolve_days));
  statistics.set_percent_resolved_within_sla(
      Percent(within_sla, static_cast<int64_t>(resolve_days.size())));
  statistics.set_ratings(ratings);
  statistics.set_percent_satisfied(Percent(satisfied, ratings));
  statistics.set_reopen_count(reopens);
  return statistics;
}

v1::ComplaintStatistics PublicStatistics(const v1::ComplaintStatistics& full,
                                         int threshold) {
  v1::ComplaintStatistics published = full;
  published.set_suppression_threshold(threshold);
  bool suppressed_any = false;
  for (auto* breakdown :
       {published.mutable_by_kind(), published.mutable_by_channel(),
        published.mutable_by_category()}) {
    for (v1::CountByKey& row : *breakdown) {
      if (row.received() > 0 && row.received() < threshold) {
        row.set_received(0);
        row.set_completed(0);
        row.set_suppressed(true);
        suppressed_any = true;
      }
    }
  }
  if (published.received() > 0 && published.received() < threshold) {
    for (auto setter :
         {&v1::ComplaintStatistics::set_mean_days_to_acknowledge,
          &v1::ComplaintStatistics::set_median_days_to_acknowledge,
          &v1::ComplaintStatistics::set_mean_days_to_resolve,
          &v1::ComplaintStatistics::set_median_days_to_resolve,
          &v1::ComplaintStatistics::set_percent_resolved_within_sla,
          &v1::ComplaintStatistics::set_percent_satisfied}) {
      (published.*setter)(0);
    }
    published.set_ratings(0);
    suppressed_any = true;
  }
  if (published.received() == 0) {
    published.set_notice(
        "ไม่มีเรื่องร้องเรียนในช่วงเวลานี้ (no complaints in this period)");
  } else if (suppressed_any) {
    published.set_notice(absl::StrCat(
        "ช่องที่มีน้อยกว่า ", threshold, " เรื่องถูกซ่อนเพื่อคุ้มครองผู้ร้องเรียน (cells under ",
        threshold, " are hidden to protect complainants)"));
  }
  return published;
}

}  // namespace prongsai::complaint
