// The complaint register as a CSV file (ExportComplaints) and the Thai
// wording it and reply templates share: B.E. dates and the names of kinds,
// channels and states. Pure: the service loads the rows and decides who may
// see which identity; this only writes what it is given.
//
//   std::string csv = RegisterCsv(rows, category_names);
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_EXPORT_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_EXPORT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

inline constexpr absl::string_view kCsvContentType = "text/csv; charset=utf-8";

std::string KindLabel(v1::Complaint::Kind kind);
std::string ChannelLabel(v1::Complaint::Channel channel);
std::string StateLabel(v1::Complaint::State state);

// One complaint of the register.
struct RegisterRow {
  v1::Complaint complaint;  // staff view (no identity)
  // The due date by the SLA, before any explanation moved it.
  absl::Time sla_due_time;
  // Set only when the caller may be shown it (and the read was logged).
  std::optional<v1::ProtectedIdentity> identity;
};

// The file: a header of Thai headings, then a record per row in order.
// `category_names` maps a category's resource name to its display name
// (unknown names are written as they are).
std::string RegisterCsv(
    absl::Span<const RegisterRow> rows,
    const absl::flat_hash_map<std::string, std::string>& category_names);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_EXPORT_H_
