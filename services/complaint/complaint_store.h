// SQL for the complaint register, the same statements on SQLite and
// PostgreSQL. Complaint text is personal data: it is stored, never logged.
// Identities arrive here already sealed (see protection.h): the store never
// sees them in clear.
//
//   PRONGSAI_ASSIGN_OR_RETURN(StoredComplaint stored,
//                             GetComplaint(db, "6340101", "k3x..."));
#ifndef PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STORE_H_
#define PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/complaint/v1/complaint.pb.h"
#include "services/complaint/complaint_domain.h"
#include "services/complaint/complaint_sealing.h"
#include "services/complaint/complaint_statistics.h"

namespace prongsai::complaint {

// The schema, migration by migration (complaint_schema.cc).
std::vector<storage::Migration> Migrations();

// A complaint with what only the service may see: the sealed identities and
// tracking code, and the SLA due date before any explanation moved it.
struct StoredComplaint {
  v1::Complaint complaint;  // staff view: identities not included
  // The complaint's own key (sealed.wrapped_key) is kept in another table
  // and read only to open a value: see ReadComplaintKey.
  SealedValues sealed;
  absl::Time sla_due_time;
};

// Registers a complaint as RECEIVED at `creator.now`, with its photos
// (`extra.photos`) in the same transaction (or returns the one an earlier
// call with the same request id registered, unchanged: no photo is stored
// twice). `complaint.attachments` must describe the photos without content
// (SealedFiling::attachments); any content left there is not stored.
absl::StatusOr<StoredComplaint> CreateComplaint(
    storage::Connection& db, absl::string_view organization,
    const v1::Complaint& complaint, const NewComplaint& extra,
    absl::string_view request_id, const api::AuditWriter& creator);

// The wrapped key of the complaint `id` (SealedValues::wrapped_key); "" when
// it has none.
absl::StatusOr<std::string> ReadComplaintKey(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id);

// Stores `wrapped_key` as the complaint `id`'s key, replacing any it had.
absl::Status PutComplaintKey(storage::Connection& tx,
                             absl::string_view organization,
                             absl::string_view id,
                             absl::string_view wrapped_key);

// Deletes the complaint `id`'s key: what was sealed under it no longer
// opens, wherever a copy of it is.
absl::Status DeleteComplaintKey(storage::Connection& tx,
                                absl::string_view organization,
                                absl::string_view id);

// Replaces the sealed values and key of the complaint `id` with
// `replacement`, conditional on its sealed values still being `expected`'s
// and not erased; false (nothing changed) otherwise.
absl::StatusOr<bool> ReplaceSealedValues(storage::Connection& tx,
                                         absl::string_view organization,
                                         absl::string_view id,
                                         const SealedValues& expected,
                                         const SealedValues& replacement);

// A complaint's sealed values with its name.
struct SealedComplaint {
  std::string organization;
  std::string id;
  SealedValues sealed;  // wrapped_key: "" (it has none)
};

// Up to `limit` complaints, not erased, with a value sealed under the
// protection keys rather than a key of their own: filed before complaints
// had keys.
absl::StatusOr<std::vector<SealedComplaint>> ListComplaintsWithoutOwnKey(
    storage::Connection& db, int64_t limit);

// Erases the sealed tracking code of every complaint filed before
// `created_before`, so that a database and its key file together reveal no
// code once the replay window is over. Returns how many were erased.
absl::StatusOr<int64_t> EraseSealedTrackingCodes(storage::Connection& db,
                                                 absl::Time created_before);

// How many open complaints of every organization are past their due time
// at `now` (IsOverdue), for the prongsai_complaints_overdue gauge.
absl::StatusOr<int64_t> CountOverdueComplaints(storage::Connection& db,
                                               absl::Time now);

// NOT_FOUND when the organization has no such complaint.
absl::StatusOr<StoredComplaint> GetComplaint(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id,
                                             absl::Time now);

// The photo `id` of the complaint `complaint_id` of `organization`;
// NOT_FOUND when there is none.
absl::StatusOr<StoredPhoto> GetPhoto(storage::Connection& db,
                                     absl::string_view organization,
                                     absl::string_view complaint_id,
                                     absl::string_view id);

// NOT_FOUND when no complaint has this tracking-code hash.
absl::StatusOr<StoredComplaint> GetComplaintByTrackingHash(
    storage::Connection& db, absl::string_view tracking_hash, absl::Time now);

// Oldest received first.
absl::StatusOr<api::Page<v1::Complaint>> ListComplaints(
    storage::Connection& db, absl::string_view organization,
    const ComplaintFilter& filter, const PageRequest& page, absl::Time now);

// Applies a validated transition, conditional on the complaint still being in
// `from` (ABORTED when another call moved it first), and records the note as
// an internal workflow reply by `actor`, in one transaction.
absl::StatusOr<StoredComplaint> ApplyTransition(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, v1::Complaint::State from,
    const v1::TransitionComplaintRequest& request,
    const api::AuditWriter& actor);

// Adds a reply; a PUBLIC reply with new_due_time moves the due date.
absl::StatusOr<v1::Reply> AddReply(storage::Connection& db,
                                   absl::string_view organization,
                                   absl::string_view complaint_id,
                                   const v1::Reply& reply,
                                   v1::Reply::Author author,
                                   const api::AuditWriter& actor);

// All replies (staff view), or only PUBLIC ones, in the order written.
absl::StatusOr<api::Page<v1::Reply>> ListReplies(storage::Connection& db,
                                                 absl::string_view organization,
                                                 absl::string_view complaint_id,
                                                 bool public_only,
                                                 const PageRequest& page);

// The complainant's rating (closes the case) or reopening (back in
// progress, with a fresh SLA from `now`), conditional on `from`.
absl::StatusOr<StoredComplaint> ApplyResolutionResponse(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, v1::Complaint::State from,
    const v1::RespondToResolutionRequest& request, int sla_days,
    absl::Time now);

// Appends to the identity-access log, chained to the organization's last
// entry (access_chain.h), in a transaction of its own; retried when a
// concurrent read (another replica too) took the same sequence. Never
// updated or deleted.
absl::Status RecordIdentityAccess(storage::Connection& db,
                                  absl::string_view organization,
                                  absl::string_view complaint_id,
                                  absl::string_view reader,
                                  absl::string_view reason, absl::Time now);

// Oldest read first.
absl::StatusOr<api::Page<v1::IdentityAccess>> ListIdentityAccesses(
    storage::Connection& db, absl::string_view organization,
    const PageRequest& page);

// Checks the organization's whole log against its hash chain and
// `known_head` (validated by the caller). Reads only.
absl::StatusOr<v1::IdentityAccessLogVerification> VerifyIdentityAccessLog(
    storage::Connection& db, absl::string_view organization,
    const v1::IdentityAccessLogHead& known_head);

// Hashes the entries recorded before the log was chained (schema version
// 7 numbered them) for every organization that has no hashed entry yet.
// Run once at start; RecordIdentityAccess does the same for its
// organization, so no read is chained onto an unhashed entry.
absl::Status ChainEntriesRecordedBeforeTheChain(storage::Connection& db);

absl::StatusOr<v1::Category> UpsertCategory(storage::Connection& db,
                                            absl::string_view organization,
                                            absl::string_view id,
                                            const v1::Category& category,
                                            absl::Time now);
// NOT_FOUND for an unknown category.
absl::StatusOr<v1::Category> GetCategory(storage::Connection& db,
                                         absl::string_view organization,
                                         absl::string_view id);
absl::StatusOr<std::vector<v1::Category>> ListCategories(
    storage::Connection& db, absl::string_view organization);

// What statistics are computed from: the complaints received in
// [start, end), in one query.
absl::StatusOr<std::vector<StatisticsRow>> LoadStatisticsRows(
    storage::Connection& db, absl::string_view organization, absl::Time start,
    absl::Time end);

// The same for many organizations at once, in one query: each
// organization's rows (organizations without any are absent).
absl::StatusOr<absl::flat_hash_map<std::string, std::vector<StatisticsRow>>>
LoadStatisticsRowsOf(storage::Connection& db,
                     absl::Span<const std::string> organizations,
                     absl::Time start, absl::Time end);

// A token replaced by every write to the organization's complaints, replies
// and categories (api::ReplaceDataVersion): the cache key of its
// statistics. "0" before the first write.
absl::StatusOr<std::string> DataVersion(storage::Connection& db,
                                        absl::string_view organization);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_COMPLAINT_STORE_H_
