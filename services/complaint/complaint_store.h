// SQL for the complaint register, the same statements on SQLite and
// PostgreSQL. Complaint text is personal data: it is stored, never logged.
//
//   PRONGSAI_ASSIGN_OR_RETURN(v1::Complaint complaint,
//                             GetComplaint(db, "6340101", "k3x..."));
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STORE_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

std::vector<storage::Migration> Migrations();

// Registers a complaint as RECEIVED at `now`, due after the default SLA (or
// returns the one an earlier call with the same request id registered).
absl::StatusOr<v1::Complaint> CreateComplaint(storage::Connection& db,
                                              absl::string_view organization,
                                              const v1::Complaint& complaint,
                                              absl::string_view request_id,
                                              absl::string_view creator,
                                              absl::Time now);

absl::StatusOr<v1::Complaint> GetComplaint(storage::Connection& db,
                                           absl::string_view organization,
                                           absl::string_view id);

struct ComplaintPage {
  std::vector<v1::Complaint> complaints;
  std::string next_cursor;
};
// Oldest received first.
absl::StatusOr<ComplaintPage> ListComplaints(storage::Connection& db,
                                             absl::string_view organization,
                                             const PageRequest& page);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STORE_H_
