// SQL for retention under the PDPA (retention.h): each organization's
// policy, the complaints whose identities are coming up for erasure, the
// erasures themselves and their log. The same statements on SQLite and
// PostgreSQL.
//
//   PRONGSAI_ASSIGN_OR_RETURN(int64_t erased,
//                             EraseExpiredIdentities(db, now));
#ifndef PRONGSAI_SERVICES_COMPLAINT_RETENTION_STORE_H_
#define PRONGSAI_SERVICES_COMPLAINT_RETENTION_STORE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "services/complaint/complaint_sealing.h"

namespace prongsai::complaint {

// An organization's policy with its defaults applied (`name` set; `audit`
// unset when it never set one), and when it last changed: when it was set,
// or for the defaults when erasing began (StartRetention; InfinitePast
// before that).
struct StoredRetentionPolicy {
  v1::RetentionPolicy policy;
  absl::Time change_time = absl::InfinitePast();
};

// Records `now` as when erasing began on this register, unless it already
// began. Nothing is erased before this has run once.
absl::Status StartRetention(storage::Connection& db, absl::Time now);

absl::StatusOr<StoredRetentionPolicy> GetRetentionPolicy(
    storage::Connection& db, absl::string_view organization);

// Stores `policy` (validated; defaults are applied before it is stored).
absl::StatusOr<StoredRetentionPolicy> PutRetentionPolicy(
    storage::Connection& db, absl::string_view organization,
    const v1::RetentionPolicy& policy, const api::AuditWriter& writer);

// The organization's ended complaints whose identities `stored` erases
// within its warning period after `now` (or already due), earliest ended
// first.
absl::StatusOr<api::Page<v1::PendingErasure>> ListPendingErasures(
    storage::Connection& db, absl::string_view organization,
    const StoredRetentionPolicy& stored, const PageRequest& page,
    absl::Time now);

// Erases, in every organization, the identities whose erase time
// (IdentityEraseTime, from StoredRetentionPolicy::change_time) is past at
// `now`: the complaint's own key is deleted, the sealed complainant, accused
// and tracking code are overwritten, and each erasure is logged, in one
// transaction per complaint. At most `limit` complaints a call; returns how
// many were erased. Safe to run on several replicas at once: a complaint
// another replica erased first is skipped.
absl::StatusOr<int64_t> EraseExpiredIdentities(storage::Connection& db,
                                               absl::Time now,
                                               int64_t limit = 500);

// Leaves no copy of what an erasure overwrote in the database's files.
// SQLite zeroes the space an overwrite frees (secure_delete, see
// sqlite_connection.cc) but keeps earlier versions of a page in its
// write-ahead log until a checkpoint resets it, so this runs a truncating
// checkpoint; false when a reader held an old snapshot and it could not
// finish (try again later). PostgreSQL keeps the old row version until
// VACUUM reuses its space; nothing is done here (true).
absl::StatusOr<bool> ScrubErasedValues(storage::Connection& db);

// Replaces the sealed values and key of an ended GENERAL complaint with
// `resealed` (SealWithoutContact: without the complainant's contact
// details, under a new key), conditional on its identities still being
// `expected` (ABORTED otherwise), and logs the erasure as a
// DATA_SUBJECT_REQUEST by `actor`, in one transaction; then scrubs
// (ScrubErasedValues).
absl::StatusOr<v1::IdentityErasure> EraseComplainantContact(
    storage::Connection& db, absl::string_view organization,
    absl::string_view complaint_id, const SealedValues& expected,
    const SealedValues& resealed, absl::string_view request_reference,
    const api::AuditWriter& actor);

// Oldest erasure first.
absl::StatusOr<api::Page<v1::IdentityErasure>> ListIdentityErasures(
    storage::Connection& db, absl::string_view organization,
    const PageRequest& page);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_RETENTION_STORE_H_
