#include "services/complaint/retention_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/api/resource_table.h"
#include "common/api/row_fields.h"
#include "common/base/status_macros.h"
#include "services/complaint/complaint_store.h"
#include "services/complaint/retention.h"

namespace prongsai::complaint {
namespace {

using storage::Value;

constexpr absl::string_view kErasures = "identityErasures";
constexpr int64_t kMicrosPerDay = int64_t{86400} * 1000 * 1000;

constexpr absl::string_view kErasureColumns =
    "complaint_id, reason, erased_fields, actor, request_reference";

v1::IdentityErasure ErasureFromRow(absl::string_view organization,
                                   const storage::Row& row) {
  // ListPage appends the order column (erase_time_us) and the id.
  const size_t n = row.size();
  v1::IdentityErasure erasure;
  erasure.set_name(
      FormatChildName(organization, kErasures, row.GetText(n - 1)));
  erasure.set_complaint(
      FormatChildName(organization, "complaints", row.GetText(0)));
  erasure.set_reason(static_cast<v1::IdentityErasure::Reason>(row.GetInt(1)));
  for (absl::string_view field :
       absl::StrSplit(row.GetText(2), ',', absl::SkipEmpty())) {
    erasure.add_erased_fields(std::string(field));
  }
  erasure.set_actor(row.GetText(3));
  *erasure.mutable_erase_time() =
      api::ToProtoTime(absl::FromUnixMicros(row.GetInt(n - 2)));
  erasure.set_request_reference(row.GetText(4));
  return erasure;
}

absl::StatusOr<v1::IdentityErasure> LogErasure(
    storage::Connection& tx, absl::string_view organization,
    absl::string_view complaint_id, v1::IdentityErasure::Reason reason,
    const std::vector<std::string>& fields, absl::string_view reference,
    const api::AuditWriter& actor) {
  const std::string id = NewResourceId();
  PRONGSAI_RETURN_IF_ERROR(
      tx.Execute("INSERT INTO identity_erasures (id, organization_code, "
                 "complaint_id, reason, erased_fields, actor, erase_time_us, "
                 "request_reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {id, std::string(organization), std::string(complaint_id),
                  int64_t{reason}, absl::StrJoin(fields, ","), actor.principal,
                  absl::ToUnixMicros(actor.now), std::string(reference)})
          .status());
  v1::IdentityErasure erasure;
  erasure.set_name(FormatChildName(organization, kErasures, id));
  erasure.set_complaint(
      FormatChildName(organization, "complaints", complaint_id));
  erasure.set_reason(reason);
  for (const std::string& field : fields) erasure.add_erased_fields(field);
  erasure.set_actor(actor.principal);
  *erasure.mutable_erase_time() = api::ToProtoTime(actor.now);
  erasure.set_request_reference(std::string(reference));
  return erasure;
}

}  // namespace

absl::StatusOr<StoredRetentionPolicy> GetRetentionPolicy(
    storage::Connection& db, absl::string_view organization) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT general_retention_days, "
                              "corruption_retention_days, warning_days, ",
                              api::kAuditColumns,
                              " FROM retention_policies WHERE "
                              "organization_code = ?"),
                 {std::string(organization)}));
  StoredRetentionPolicy stored;
  v1::RetentionPolicy& policy = stored.policy;
  if (!result.rows.empty()) {
    const storage::Row& row = result.rows.front();
    policy.set_general_retention_days(static_cast<int32_t>(row.GetInt(0)));
    policy.set_corruption_retention_days(static_cast<int32_t>(row.GetInt(1)));
    policy.set_warning_days(static_cast<int32_t>(row.GetInt(2)));
    *policy.mutable_audit() = api::AuditFromRow(row, 3);
    stored.change_time = absl::FromUnixMicros(row.GetInt(5));
  } else {
    PRONGSAI_ASSIGN_OR_RETURN(
        storage::Result start,
        db.Execute("SELECT start_time_us FROM retention_start"));
    if (!start.rows.empty()) {
      stored.change_time = absl::FromUnixMicros(start.rows[0].GetInt(0));
    }
  }
  policy = WithRetentionDefaults(std::move(policy));
  policy.set_name(RetentionPolicyName(organization));
  return stored;
}

absl::Status StartRetention(storage::Connection& db, absl::Time now) {
  return db
      .Execute(
          "INSERT INTO retention_start (id, start_time_us) VALUES (1, ?) ON "
          "CONFLICT (id) DO NOTHING",
          {absl::ToUnixMicros(now)})
      .status();
}

absl::StatusOr<StoredRetentionPolicy> PutRetentionPolicy(
    storage::Connection& db, absl::string_view organization,
    const v1::RetentionPolicy& policy, const api::AuditWriter& writer) {
  const v1::RetentionPolicy effective = WithRetentionDefaults(policy);
  std::vector<Value> values = {std::string(organization),
                               int64_t{effective.general_retention_days()},
                               int64_t{effective.corruption_retention_days()},
                               int64_t{effective.warning_days()}};
  api::AppendCreationAuditValues(writer.principal, writer.now, values);
  PRONGSAI_RETURN_IF_ERROR(
      db.Execute(
            absl::StrCat("INSERT INTO retention_policies (organization_code, "
                         "general_retention_days, corruption_retention_days, "
                         "warning_days, ",
                         api::kAuditColumns,
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
                         "(organization_code) DO UPDATE SET "
                         "general_retention_days = "
                         "excluded.general_retention_days, "
                         "corruption_retention_days = "
                         "excluded.corruption_retention_days, "
                         "warning_days = excluded.warning_days, "
                         "update_time_us = excluded.update_time_us, "
                         "updater = excluded.updater"),
            values)
          .status());
  return GetRetentionPolicy(db, organization);
}

absl::StatusOr<api::Page<v1::PendingErasure>> ListPendingErasures(
    storage::Connection& db, absl::string_view organization,
    const StoredRetentionPolicy& stored, const PageRequest& page,
    absl::Time now) {
  const v1::RetentionPolicy& policy = stored.policy;
  const api::RowFilter where{
      "end_time_us IS NOT NULL AND identities_erase_time_us IS NULL AND "
      "(complainant_sealed <> '' OR accused_sealed <> '') AND "
      "end_time_us <= CASE WHEN kind = ? THEN ? ELSE ? END",
      {int64_t{v1::Complaint::CORRUPTION},
       absl::ToUnixMicros(
           PendingErasureEndBound(policy, v1::Complaint::CORRUPTION, now)),
       absl::ToUnixMicros(
           PendingErasureEndBound(policy, v1::Complaint::GENERAL, now))}};
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows,
      api::ListPage(db, "complaints",
                    "kind, CASE WHEN complainant_sealed <> '' THEN 1 ELSE 0 "
                    "END, CASE WHEN accused_sealed <> '' THEN 1 ELSE 0 END",
                    "end_time_us", organization, page, where));
  api::Page<v1::PendingErasure> out;
  out.items.reserve(rows.rows.size());
  for (const storage::Row& row : rows.rows) {
    v1::PendingErasure& pending = out.items.emplace_back();
    const auto kind = static_cast<v1::Complaint::Kind>(row.GetInt(0));
    const absl::Time end = absl::FromUnixMicros(row.GetInt(3));
    pending.set_complaint(
        FormatChildName(organization, "complaints", row.GetText(4)));
    pending.set_kind(kind);
    *pending.mutable_end_time() = api::ToProtoTime(end);
    *pending.mutable_erase_time() = api::ToProtoTime(
        IdentityEraseTime(policy, kind, end, stored.change_time));
    pending.set_has_complainant_identity(row.GetInt(1) != 0);
    pending.set_has_accused_identity(row.GetInt(2) != 0);
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<int64_t> EraseExpiredIdentities(storage::Connection& db,
                                               absl::Time now, int64_t limit) {
  const int64_t now_us = absl::ToUnixMicros(now);
  // The bound on end_time_us lets the partial index skip every case that
  // ended too recently for any policy.
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result due,
      db.Execute(
          "SELECT c.organization_code, c.id, CASE WHEN c.complainant_sealed "
          "<> '' THEN 1 ELSE 0 END, CASE WHEN c.accused_sealed <> '' THEN 1 "
          "ELSE 0 END FROM complaints c CROSS JOIN retention_start s LEFT "
          "JOIN retention_policies p ON p.organization_code = "
          "c.organization_code WHERE c.end_time_us IS NOT NULL AND "
          "c.identities_erase_time_us IS NULL AND c.end_time_us <= ? AND "
          "c.end_time_us + ? * CASE WHEN c.kind = ? THEN "
          "COALESCE(p.corruption_retention_days, ?) ELSE "
          "COALESCE(p.general_retention_days, ?) END <= ? AND "
          "COALESCE(p.update_time_us, s.start_time_us) + ? * "
          "COALESCE(p.warning_days, ?) <= ? "
          "ORDER BY c.end_time_us, c.id LIMIT ?",
          {now_us - kMinRetentionDays * kMicrosPerDay, kMicrosPerDay,
           int64_t{v1::Complaint::CORRUPTION},
           int64_t{kDefaultCorruptionRetentionDays},
           int64_t{kDefaultGeneralRetentionDays}, now_us, kMicrosPerDay,
           int64_t{kDefaultRetentionWarningDays}, now_us, limit}));
  const api::AuditWriter retention{std::string(kRetentionActor), now};
  int64_t erased = 0;
  for (const storage::Row& row : due.rows) {
    const std::string organization = row.GetText(0);
    const std::string id = row.GetText(1);
    std::vector<std::string> fields;
    if (row.GetInt(2) != 0) fields.emplace_back("complainant");
    if (row.GetInt(3) != 0) fields.emplace_back("accused");
    PRONGSAI_RETURN_IF_ERROR(storage::InTransaction(
        db, [&](storage::Connection& tx) -> absl::Status {
          PRONGSAI_ASSIGN_OR_RETURN(
              storage::Result updated,
              tx.Execute("UPDATE complaints SET complainant_sealed = '', "
                         "accused_sealed = '', tracking_sealed = '', "
                         "identities_erase_time_us = ? WHERE "
                         "organization_code = ? AND id = ? AND "
                         "identities_erase_time_us IS NULL",
                         {now_us, organization, id}));
          // Another replica erased it first.
          if (updated.affected_rows != 1) return absl::OkStatus();
          PRONGSAI_RETURN_IF_ERROR(DeleteComplaintKey(tx, organization, id));
          ++erased;
          if (fields.empty()) return absl::OkStatus();  // nothing was held
          return LogErasure(tx, organization, id,
                            v1::IdentityErasure::RETENTION_EXPIRED, fields, "",
                            retention)
              .status();
        }));
  }
  return erased;
}

absl::StatusOr<bool> ScrubErasedValues(storage::Connection& db) {
  if (db.backend() != storage::Backend::kSqlite) return true;
  PRONGSAI_ASSIGN_OR_RETURN(storage::Result result,
                            db.Execute("PRAGMA wal_checkpoint(TRUNCATE)"));
  // One row: busy (1 when it could not finish), log frames, checkpointed.
  return result.rows.empty() || result.rows[0].GetInt(0) == 0;
}

absl::StatusOr<v1::IdentityErasure> EraseComplainantContact(
    storage::Connection& db, absl::string_view organization,
    absl::string_view complaint_id, const SealedValues& expected,
    const SealedValues& resealed, absl::string_view request_reference,
    const api::AuditWriter& actor) {
  v1::IdentityErasure erasure;
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        PRONGSAI_ASSIGN_OR_RETURN(
            bool replaced, ReplaceSealedValues(tx, organization, complaint_id,
                                               expected, resealed));
        if (!replaced) {
          return absl::AbortedError(
              "the complainant's identity changed meanwhile; try again");
        }
        PRONGSAI_ASSIGN_OR_RETURN(
            erasure,
            LogErasure(tx, organization, complaint_id,
                       v1::IdentityErasure::DATA_SUBJECT_REQUEST,
                       {"complainant.contact"}, request_reference, actor));
        return absl::OkStatus();
      }));
  PRONGSAI_RETURN_IF_ERROR(ScrubErasedValues(db).status());
  return erasure;
}

absl::StatusOr<api::Page<v1::IdentityErasure>> ListIdentityErasures(
    storage::Connection& db, absl::string_view organization,
    const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, "identity_erasures", kErasureColumns,
                                       "erase_time_us", organization, page));
  api::Page<v1::IdentityErasure> out;
  out.items.reserve(rows.rows.size());
  for (const storage::Row& row : rows.rows) {
    out.items.push_back(ErasureFromRow(organization, row));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

}  // namespace prongsai::complaint
