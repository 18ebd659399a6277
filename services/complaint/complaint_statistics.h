// The statistics an organization publishes about its complaint register
// (seed 002, projects 18 and 27), computed from rows the store loads in one
// query. Pure: no I/O, unit-tested on hand-counted fixtures.
//
//   v1::ComplaintStatistics full = ComputeStatistics(rows, period, now);
//   v1::ComplaintStatistics published = PublicStatistics(full, 5);
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STATISTICS_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STATISTICS_H_

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

// A half-open interval of time, [start, end).
struct Period {
  absl::Time start;
  absl::Time end;
};

// What statistics need to know about one complaint.
struct StatisticsRow {
  v1::Complaint::Kind kind = v1::Complaint::KIND_UNSPECIFIED;
  v1::Complaint::Channel channel = v1::Complaint::CHANNEL_UNSPECIFIED;
  // The category's display name; empty when uncategorised.
  std::string category;
  v1::Complaint::State state = v1::Complaint::RECEIVED;
  absl::Time receive_time;
  // Received + the SLA; never moved by explanations.
  absl::Time sla_due_time;
  // The current due date.
  absl::Time due_time;
  std::optional<absl::Time> acknowledge_time;
  std::optional<absl::Time> resolve_time;
  int satisfaction = 0;  // 0 = not rated
  int reopen_count = 0;
};

// Figures for the complaints received within `period`, as of `now`.
v1::ComplaintStatistics ComputeStatistics(absl::Span<const StatisticsRow> rows,
                                          const Period& period, absl::Time now);

// The public variant: breakdown cells with fewer than `threshold` complaints
// are hidden, and so are timing and satisfaction figures when the total is
// that small, because small counts can identify a reporter.
v1::ComplaintStatistics PublicStatistics(const v1::ComplaintStatistics& full,
                                         int threshold = 5);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STATISTICS_H_
