#include "services/complaint/complaint_store.h"

#include <cstdint>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/data_version.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/api/row_fields.h"
#include "common/base/status_macros.h"
#include "services/complaint/access_chain.h"

namespace prongsai::complaint {
namespace {

// The states IsOpen names, as SQL: only these can be overdue.
constexpr absl::string_view kOpenStatesSql = "state IN (?, ?, ?, ?)";

void AddOpenStates(std::vector<storage::Value>& params) {
  for (v1::Complaint::State state :
       {v1::Complaint::RECEIVED, v1::Complaint::ACKNOWLEDGED,
        v1::Complaint::ASSIGNED, v1::Complaint::IN_PROGRESS}) {
    params.emplace_back(int64_t{state});
  }
}

using storage::Value;

// Every write to an organization's register replaces its version, which
// keys its cached statistics: a cached figure is never older than the last
// write.
constexpr api::DataVersionTable kVersions = {"complaint_versions",
                                             "organization_code"};

absl::Status ReplaceVersion(storage::Connection& tx,
                            absl::string_view organization) {
  return api::ReplaceDataVersion(tx, kVersions, std::string(organization));
}

// Column order shared by every complaint SELECT and by FromRow.
const std::string& Columns() {
  static const std::string* columns = new std::string(absl::StrCat(
      "id, ", api::kOrganizationColumns,
      ", kind, channel, subject, description, state, receive_time_us, "
      "due_time_us, ",
      api::kAuditColumns,
      ", category_id, place_description, village, subdistrict, latitude, "
      "longitude, incident_time_us, requested_action, evidence, attachments, "
      "complainant_sealed, accused_sealed, tracking_sealed, sla_due_time_us, "
      "assignee, referred_to, rejection_reason, duplicate_of, resolution, "
      "satisfaction, reopen_count, acknowledge_time_us, resolve_time_us, "
      "end_time_us, identities_erase_time_us"));
  return *columns;
}

google::protobuf::Timestamp Micros(int64_t micros) {
  return api::ToProtoTime(absl::FromUnixMicros(micros));
}

Value OptionalMicros(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return Value();
  return absl::ToUnixMicros(api::FromProtoTime(timestamp));
}

// Attachments travel as one base64 column: they are only ever read with
// their complaint.
std::string EncodeAttachments(const v1::Complaint& complaint) {
  if (complaint.attachments().empty()) return "";
  v1::Complaint holder;
  *holder.mutable_attachments() = complaint.attachments();
  // Photos' bytes live in complaint_attachments, never here.
  for (v1::Attachment& attachment : *holder.mutable_attachments()) {
    attachment.clear_content();
  }
  return absl::Base64Escape(holder.SerializeAsString());
}

StoredComplaint FromRow(const storage::Row& row, absl::Time now) {
  StoredComplaint stored;
  v1::Complaint& c = stored.complaint;
  *c.mutable_organization() = api::OrganizationFromRow(row, 1);
  c.set_name(
      FormatChildName(c.organization().code(), kComplaints, row.GetText(0)));
  c.set_kind(static_cast<v1::Complaint::Kind>(row.GetInt(6)));
  c.set_channel(static_cast<v1::Complaint::Channel>(row.GetInt(7)));
  c.set_subject(row.GetText(8));
  c.set_description(row.GetText(9));
  c.set_state(static_cast<v1::Complaint::State>(row.GetInt(10)));
  *c.mutable_receive_time() = Micros(row.GetInt(11));
  *c.mutable_due_time() = Micros(row.GetInt(12));
  *c.mutable_audit() = api::AuditFromRow(row, 13);
  if (!row.GetText(17).empty()) {
    c.set_category(FormatChildName(c.organization().code(), "categories",
                                   row.GetText(17)));
  }
  v1::Place& place = *c.mutable_place();
  place.set_description(row.GetText(18));
  place.set_village(row.GetText(19));
  place.set_subdistrict(row.GetText(20));
  if (std::optional<double> latitude = row.GetOptionalDouble(21)) {
    place.set_latitude(*latitude);
  }
  if (std::optional<double> longitude = row.GetOptionalDouble(22)) {
    place.set_longitude(*longitude);
  }
  if (std::optional<int64_t> incident = row.GetOptionalInt(23)) {
    *c.mutable_incident_time() = Micros(*incident);
  }
  c.set_requested_action(row.GetText(24));
  c.set_evidence(row.GetText(25));
  if (!row.GetText(26).empty()) {
    std::string bytes;
    v1::Complaint holder;
    if (absl::Base64Unescape(row.GetText(26), &bytes) &&
        holder.ParseFromString(bytes)) {
      *c.mutable_attachments() = holder.attachments();
    }
  }
  stored.sealed.complainant = row.GetText(27);
  stored.sealed.accused = row.GetText(28);
  stored.sealed.tracking = row.GetText(29);
  c.set_has_complainant_identity(!stored.sealed.complainant.empty());
  c.set_has_accused_identity(!stored.sealed.accused.empty());
  stored.sla_due_time = absl::FromUnixMicros(row.GetInt(30));
  c.set_assignee(row.GetText(31));
  c.set_referred_to(row.GetText(32));
  c.set_rejection_reason(static_cast<v1::RejectionReason>(row.GetInt(33)));
  c.set_duplicate_of(row.GetText(34));
  c.set_resolution(row.GetText(35));
  c.set_satisfaction(static_cast<int32_t>(row.GetInt(36)));
  c.set_reopen_count(static_cast<int32_t>(row.GetInt(37)));
  if (std::optional<int64_t> acknowledged = row.GetOptionalInt(38)) {
    *c.mutable_acknowledge_time() = Micros(*acknowledged);
  }
  if (std::optional<int64_t> resolved = row.GetOptionalInt(39)) {
    *c.mutable_resolve_time() = Micros(*resolved);
  }
  if (std::optional<int64_t> ended = row.GetOptionalInt(40)) {
    *c.mutable_end_time() = Micros(*ended);
  }
  if (std::optional<int64_t> erased = row.GetOptionalInt(41)) {
    *c.mutable_identities_erase_time() = Micros(*erased);
  }
  c.set_overdue(
      IsOverdue(c.state(), absl::FromUnixMicros(row.GetInt(12)), now));
  for (v1::Complaint::State next : NextStates(c.state()))
    c.add_next_states(next);
  return stored;
}

constexpr absl::string_view kPhotoColumns =
    "id, organization_code, complaint_id, attachment_index, file_name, "
    "media_type, size_bytes, sha256, sealed, content";

absl::Status InsertPhotos(storage::Connection& tx,
                          absl::string_view organization,
                          absl::string_view complaint_id,
                          const std::vector<StoredPhoto>& photos) {
  for (const StoredPhoto& photo : photos) {
    const std::vector<Value> values = {photo.id,
                                       std::string(organization),
                                       std::string(complaint_id),
                                       int64_t{photo.index},
                                       photo.file_name,
                                       photo.media_type,
                                       photo.size_bytes,
                                       photo.sha256,
                                       int64_t{photo.sealed ? 1 : 0},
                                       photo.content};
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute(api::InsertStatement("complaint_attachments", kPhotoColumns,
                                        values.size()),
                   values)
            .status());
  }
  return absl::OkStatus();
}

absl::StatusOr<StoredComplaint> SelectOne(storage::Connection& db,
                                          absl::string_view condition,
                                          const std::vector<Value>& params,
                                          absl::string_view what,
                                          absl::Time now) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", Columns(), " FROM complaints WHERE ",
                              condition),
                 params));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat("no complaint ", what));
  }
  return FromRow(result.rows[0], now);
}

// Runs `write` on a complaint that must still be in state `from`; ABORTED
// when a concurrent call changed it first, so the caller can retry.
absl::Status UpdateIfState(storage::Connection& db,
                           absl::string_view organization, absl::string_view id,
                           v1::Complaint::State from,
                           absl::string_view assignments,
                           std::vector<Value> params) {
  params.emplace_back(std::string(organization));
  params.emplace_back(std::string(id));
  params.emplace_back(int64_t{from});
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("UPDATE complaints SET ", assignments,
                              " WHERE organization_code = ? AND id = ? AND "
                              "state = ?"),
                 params));
  if (result.affected_rows != 1) {
    return absl::AbortedError(
        "the complaint changed while this call ran; read it again and retry");
  }
  return ReplaceVersion(db, organization);
}

v1::Reply ReplyFromRow(const storage::Row& row) {
  // id, organization_code, complaint_id, visibility, author, actor, text,
  // new_due_time_us, create_time_us, seq
  v1::Reply reply;
  reply.set_name(
      absl::StrCat(FormatChildName(row.GetText(1), kComplaints, row.GetText(2)),
                   "/replies/", row.GetText(0)));
  reply.set_visibility(static_cast<v1::Reply::Visibility>(row.GetInt(3)));
  reply.set_author(static_cast<v1::Reply::Author>(row.GetInt(4)));
  reply.set_actor(row.GetText(5));
  reply.set_text(row.GetText(6));
  if (std::optional<int64_t> due = row.GetOptionalInt(7)) {
    *reply.mutable_new_due_time() = Micros(*due);
  }
  *reply.mutable_create_time() = Micros(row.GetInt(8));
  return reply;
}

constexpr absl::string_view kReplyColumns =
    "id, organization_code, complaint_id, visibility, author, actor, text, "
    "new_due_time_us, create_time_us, seq";

// Callers hold the complaint's row (they updated it first in the same
// transaction), so replies of one complaint are numbered one at a time: the
// order they were written in, even when the clock does not move.
absl::StatusOr<v1::Reply> InsertReply(
    storage::Connection& db, absl::string_view organization,
    absl::string_view complaint_id, v1::Reply::Visibility visibility,
    v1::Reply::Author author, absl::string_view actor, absl::string_view text,
    Value new_due, absl::Time now) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result last,
      db.Execute("SELECT COALESCE(MAX(seq), 0) FROM complaint_replies WHERE "
                 "complaint_id = ?",
                 {std::string(complaint_id)}));
  std::vector<Value> values = {
      NewResourceId(),           std::string(organization),
      std::string(complaint_id), int64_t{visibility},
      int64_t{author},           std::string(actor),
      std::string(text),         std::move(new_due),
      absl::ToUnixMicros(now),   last.rows.at(0).GetInt(0) + 1};
  PRONGSAI_RETURN_IF_ERROR(
      db.Execute(api::InsertStatement("complaint_replies", kReplyColumns,
                                      values.size()),
                 values)
          .status());
  return ReplyFromRow(storage::Row(std::move(values)));
}

}  // namespace

absl::StatusOr<int64_t> CountOverdueComplaints(storage::Connection& db,
                                               absl::Time now) {
  std::vector<storage::Value> params;
  AddOpenStates(params);
  params.emplace_back(absl::ToUnixMicros(now));
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT COUNT(*) FROM complaints WHERE ",
                              kOpenStatesSql, " AND due_time_us < ?"),
                 params));
  return result.rows[0].GetInt(0);
}

absl::StatusOr<int64_t> EraseSealedTrackingCodes(storage::Connection& db,
                                                 absl::Time created_before) {
  const int64_t before = absl::ToUnixMicros(created_before);
  // A read first: this runs on every health probe, and an UPDATE would take
  // SQLite's write lock even when there is nothing to erase.
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result due,
      db.Execute("SELECT 1 FROM complaints "
                 "WHERE tracking_sealed <> '' AND create_time_us < ? LIMIT 1",
                 {before}));
  if (due.rows.empty()) return 0;
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("UPDATE complaints SET tracking_sealed = '' "
                 "WHERE tracking_sealed <> '' AND create_time_us < ?",
                 {before}));
  if (db.backend() == storage::Backend::kSqlite) {
    // The WAL still holds the pages as they were; copy the zeroed pages
    // (secure_delete) into the database and empty it. A reader may hold the
    // checkpoint back; the next probe tries again.
    PRONGSAI_RETURN_IF_ERROR(
        db.Execute("PRAGMA wal_checkpoint(TRUNCATE)").status());
  }
  return result.affected_rows;
}

absl::StatusOr<StoredComplaint> CreateComplaint(
    storage::Connection& db, absl::string_view organization,
    const v1::Complaint& complaint, const NewComplaint& extra,
    absl::string_view request_id, const api::AuditWriter& creator) {
  const absl::Time now = creator.now;
  auto insert = [&](storage::Connection& tx) -> absl::StatusOr<std::string> {
    std::vector<Value> values = {extra.id};
    api::AppendOrganizationValues(organization, complaint.organization(),
                                  values);
    const v1::Place& place = complaint.place();
    const absl::Time due = DueTime(now, extra.sla_days);
    std::string category_id;
    if (!complaint.category().empty()) {
      category_id =
          complaint.category().substr(complaint.category().rfind('/') + 1);
    }
    values.insert(values.end(),
                  {int64_t{complaint.kind()}, int64_t{complaint.channel()},
                   complaint.subject(), complaint.description(),
                   int64_t{v1::Complaint::RECEIVED}, absl::ToUnixMicros(now),
                   absl::ToUnixMicros(due)});
    api::AppendCreationAuditValues(creator.principal, now, values);
    values.insert(values.end(),
                  {category_id,
                   place.description(),
                   place.village(),
                   place.subdistrict(),
                   place.has_latitude() ? Value(place.latitude()) : Value(),
                   place.has_longitude() ? Value(place.longitude()) : Value(),
                   complaint.has_incident_time()
                       ? OptionalMicros(complaint.incident_time())
                       : Value(),
                   complaint.requested_action(),
                   complaint.evidence(),
                   EncodeAttachments(complaint),
                   extra.sealed.complainant,
                   extra.sealed.accused,
                   extra.sealed.tracking,
                   absl::ToUnixMicros(due),
                   std::string(),
                   std::string(),
                   int64_t{0},
                   std::string(),
                   std::string(),
                   int64_t{0},
                   int64_t{0},
                   Value(),
                   Value(),
                   Value(),  // end_time_us: not ended
                   Value(),  // identities_erase_time_us
                   extra.tracking_hash});
    api::AppendRequestId(request_id, values);
    PRONGSAI_RETURN_IF_ERROR(ReplaceVersion(tx, organization));
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute(api::InsertStatement(
                       "complaints",
                       absl::StrCat(Columns(), ", tracking_hash, request_id"),
                       values.size()),
                   values)
            .status());
    PRONGSAI_RETURN_IF_ERROR(
        PutComplaintKey(tx, organization, extra.id, extra.sealed.wrapped_key));
    PRONGSAI_RETURN_IF_ERROR(
        InsertPhotos(tx, organization, extra.id, extra.photos));
    return extra.id;
  };
  PRONGSAI_ASSIGN_OR_RETURN(
      std::string id,
      api::CreateOnce(db, "complaints", organization, request_id, insert));
  return GetComplaint(db, organization, id, now);
}

absl::StatusOr<std::string> ReadComplaintKey(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT wrapped_key FROM complaint_keys WHERE "
                 "organization_code = ? AND complaint_id = ?",
                 {std::string(organization), std::string(id)}));
  return result.rows.empty() ? std::string() : result.rows[0].GetText(0);
}

absl::Status PutComplaintKey(storage::Connection& tx,
                             absl::string_view organization,
                             absl::string_view id,
                             absl::string_view wrapped_key) {
  PRONGSAI_RETURN_IF_ERROR(DeleteComplaintKey(tx, organization, id));
  return tx
      .Execute(
          "INSERT INTO complaint_keys (organization_code, complaint_id, "
          "wrapped_key) VALUES (?, ?, ?)",
          {std::string(organization), std::string(id),
           std::string(wrapped_key)})
      .status();
}

absl::Status DeleteComplaintKey(storage::Connection& tx,
                                absl::string_view organization,
                                absl::string_view id) {
  return tx
      .Execute(
          "DELETE FROM complaint_keys WHERE organization_code = ? AND "
          "complaint_id = ?",
          {std::string(organization), std::string(id)})
      .status();
}

absl::StatusOr<bool> ReplaceSealedValues(storage::Connection& tx,
                                         absl::string_view organization,
                                         absl::string_view id,
                                         const SealedValues& expected,
                                         const SealedValues& replacement) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result updated,
      tx.Execute(
          "UPDATE complaints SET complainant_sealed = ?, "
          "accused_sealed = ?, tracking_sealed = ? WHERE "
          "organization_code = ? AND id = ? AND complainant_sealed = ? "
          "AND accused_sealed = ? AND tracking_sealed = ? AND "
          "identities_erase_time_us IS NULL",
          {replacement.complainant, replacement.accused, replacement.tracking,
           std::string(organization), std::string(id), expected.complainant,
           expected.accused, expected.tracking}));
  if (updated.affected_rows != 1) return false;
  PRONGSAI_RETURN_IF_ERROR(
      PutComplaintKey(tx, organization, id, replacement.wrapped_key));
  return true;
}

absl::StatusOr<std::vector<SealedComplaint>> ListComplaintsWithoutOwnKey(
    storage::Connection& db, int64_t limit) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT organization_code, id, complainant_sealed, "
                 "accused_sealed, tracking_sealed FROM complaints WHERE "
                 "identities_erase_time_us IS NULL AND (complainant_sealed "
                 "LIKE 'v1.%' OR accused_sealed LIKE 'v1.%' OR "
                 "tracking_sealed LIKE 'v1.%') LIMIT ?",
                 {limit}));
  std::vector<SealedComplaint> out;
  out.reserve(result.rows.size());
  for (const storage::Row& row : result.rows) {
    SealedComplaint& complaint = out.emplace_back();
    complaint.organization = row.GetText(0);
    complaint.id = row.GetText(1);
    complaint.sealed.complainant = row.GetText(2);
    complaint.sealed.accused = row.GetText(3);
    complaint.sealed.tracking = row.GetText(4);
  }
  return out;
}

absl::StatusOr<StoredComplaint> GetComplaint(storage::Connection& db,
                                             absl::string_view organization,
                                             absl::string_view id,
                                             absl::Time now) {
  return SelectOne(db, "organization_code = ? AND id = ?",
                   {std::string(organization), std::string(id)},
                   FormatChildName(organization, kComplaints, id), now);
}

absl::StatusOr<StoredPhoto> GetPhoto(storage::Connection& db,
                                     absl::string_view organization,
                                     absl::string_view complaint_id,
                                     absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kPhotoColumns,
                              " FROM complaint_attachments WHERE "
                              "organization_code = ? AND complaint_id = ? "
                              "AND id = ?"),
                 {std::string(organization), std::string(complaint_id),
                  std::string(id)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no attachment ",
        FormatAttachmentName(
            FormatChildName(organization, kComplaints, complaint_id), id)));
  }
  const storage::Row& row = result.rows[0];
  StoredPhoto photo;
  photo.id = row.GetText(0);
  photo.index = static_cast<int>(row.GetInt(3));
  photo.file_name = row.GetText(4);
  photo.media_type = row.GetText(5);
  photo.size_bytes = row.GetInt(6);
  photo.sha256 = row.GetText(7);
  photo.sealed = row.GetInt(8) != 0;
  photo.content = row.GetText(9);
  return photo;
}

absl::StatusOr<StoredComplaint> GetComplaintByTrackingHash(
    storage::Connection& db, absl::string_view tracking_hash, absl::Time now) {
  // The message must not echo the hash: it stands for the code.
  return SelectOne(db, "tracking_hash = ?", {std::string(tracking_hash)},
                   "with this tracking code", now);
}

absl::StatusOr<api::Page<v1::Complaint>> ListComplaints(
    storage::Connection& db, absl::string_view organization,
    const ComplaintFilter& filter, const PageRequest& page, absl::Time now) {
  api::RowFilter where;
  auto add = [&where](absl::string_view condition) {
    absl::StrAppend(&where.sql, where.sql.empty() ? "" : " AND ", condition);
  };
  if (!filter.states.empty()) {
    std::string in = "state IN (";
    for (size_t i = 0; i < filter.states.size(); ++i) {
      absl::StrAppend(&in, i == 0 ? "?" : ", ?");
      where.params.emplace_back(int64_t{filter.states[i]});
    }
    add(absl::StrCat(in, ")"));
  }
  if (filter.kind != v1::Complaint::KIND_UNSPECIFIED) {
    add("kind = ?");
    where.params.emplace_back(int64_t{filter.kind});
  }
  if (!filter.include_corruption) {
    add("kind <> ?");
    where.params.emplace_back(int64_t{v1::Complaint::CORRUPTION});
  }
  if (filter.overdue_only || filter.due_within_days > 0) {
    // Open states only: resolved and ended cases are never overdue.
    add(kOpenStatesSql);
    AddOpenStates(where.params);
  }
  if (filter.overdue_only) {
    add("due_time_us < ?");
    where.params.emplace_back(absl::ToUnixMicros(now));
  }
  if (filter.due_within_days > 0) {
    add("due_time_us >= ? AND due_time_us <= ?");
    where.params.emplace_back(absl::ToUnixMicros(now));
    where.params.emplace_back(
        absl::ToUnixMicros(now + absl::Hours(24) * filter.due_within_days));
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows,
      api::ListPage(db, "complaints", Columns(), "receive_time_us",
                    organization, page, where));
  api::Page<v1::Complaint> out;
  out.items.reserve(rows.rows.size());
  for (const storage::Row& row : rows.rows) {
    out.items.push_back(FromRow(row, now).complaint);
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<StoredComplaint> ApplyTransition(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, v1::Complaint::State from,
    const v1::TransitionComplaintRequest& request,
    const api::AuditWriter& actor) {
  const absl::Time now = actor.now;
  const int64_t now_us = absl::ToUnixMicros(now);
  std::string assignments = "state = ?, update_time_us = ?, updater = ?";
  std::vector<Value> params = {int64_t{request.target_state()}, now_us,
                               actor.principal};
  switch (request.target_state()) {
    case v1::Complaint::ACKNOWLEDGED:
      absl::StrAppend(&assignments,
                      ", acknowledge_time_us = COALESCE(acknowledge_time_us, "
                      "?)");
      params.emplace_back(now_us);
      break;
    case v1::Complaint::ASSIGNED:
      absl::StrAppend(&assignments, ", assignee = ?");
      params.emplace_back(request.assignee());
      break;
    case v1::Complaint::REFERRED:
      absl::StrAppend(&assignments, ", referred_to = ?");
      params.emplace_back(request.referred_to());
      break;
    case v1::Complaint::REJECTED:
      absl::StrAppend(&assignments, ", rejection_reason = ?, duplicate_of = ?");
      params.emplace_back(int64_t{request.rejection_reason()});
      params.emplace_back(request.duplicate_of());
      break;
    case v1::Complaint::RESOLVED:
      absl::StrAppend(&assignments, ", resolution = ?, resolve_time_us = ?");
      params.emplace_back(request.resolution());
      params.emplace_back(now_us);
      break;
    default:
      break;
  }
  if (HasEnded(request.target_state())) {
    absl::StrAppend(&assignments, ", end_time_us = ?");
    params.emplace_back(now_us);
  }
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        PRONGSAI_RETURN_IF_ERROR(
            UpdateIfState(tx, organization, id, from, assignments, params));
        return InsertReply(tx, organization, id, v1::Reply::INTERNAL,
                           v1::Reply::WORKFLOW, actor.principal,
                           absl::StrCat(v1::Complaint::State_Name(from), " -> ",
                                        v1::Complaint::State_Name(
                                            request.target_state()),
                                        ": ", request.note()),
                           Value(), now)
            .status();
      }));
  return GetComplaint(db, organization, id, now);
}

absl::StatusOr<v1::Reply> AddReply(storage::Connection& db,
                                   absl::string_view organization,
                                   absl::string_view complaint_id,
                                   const v1::Reply& reply,
                                   v1::Reply::Author author,
                                   const api::AuditWriter& actor) {
  const absl::Time now = actor.now;
  v1::Reply stored;
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        Value new_due;
        if (reply.has_new_due_time()) {
          new_due = OptionalMicros(reply.new_due_time());
          PRONGSAI_ASSIGN_OR_RETURN(
              storage::Result moved,
              tx.Execute(
                  "UPDATE complaints SET due_time_us = ?, "
                  "update_time_us = ?, updater = ? WHERE "
                  "organization_code = ? AND id = ?",
                  {new_due, absl::ToUnixMicros(now), actor.principal,
                   std::string(organization), std::string(complaint_id)}));
          if (moved.affected_rows != 1) {
            return absl::NotFoundError("the complaint no longer exists");
          }
        } else {
          // Holding the complaint's row numbers its replies one at a time.
          PRONGSAI_RETURN_IF_ERROR(
              tx.Execute("UPDATE complaints SET update_time_us = ? WHERE "
                         "organization_code = ? AND id = ?",
                         {absl::ToUnixMicros(now), std::string(organization),
                          std::string(complaint_id)})
                  .status());
        }
        PRONGSAI_RETURN_IF_ERROR(ReplaceVersion(tx, organization));
        PRONGSAI_ASSIGN_OR_RETURN(
            stored,
            InsertReply(tx, organization, complaint_id, reply.visibility(),
                        author, actor.principal, reply.text(), new_due, now));
        return absl::OkStatus();
      }));
  return stored;
}

absl::StatusOr<api::Page<v1::Reply>> ListReplies(storage::Connection& db,
                                                 absl::string_view organization,
                                                 absl::string_view complaint_id,
                                                 bool public_only,
                                                 const PageRequest& page) {
  api::RowFilter where{"complaint_id = ?", {std::string(complaint_id)}};
  if (public_only) {
    absl::StrAppend(&where.sql, " AND visibility = ?");
    where.params.emplace_back(int64_t{v1::Reply::PUBLIC});
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows, api::ListPage(db, "complaint_replies", kReplyColumns,
                                       "seq", organization, page, where));
  api::Page<v1::Reply> out;
  out.items.reserve(rows.rows.size());
  for (const storage::Row& row : rows.rows) {
    out.items.push_back(ReplyFromRow(row));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<StoredComplaint> ApplyResolutionResponse(
    storage::Connection& db, absl::string_view organization,
    absl::string_view id, v1::Complaint::State from,
    const v1::RespondToResolutionRequest& request, int sla_days,
    absl::Time now) {
  const int64_t now_us = absl::ToUnixMicros(now);
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        if (request.has_satisfaction()) {
          return UpdateIfState(
              tx, organization, id, from,
              "state = ?, satisfaction = ?, update_time_us = ?, updater = ?, "
              "end_time_us = ?",
              {int64_t{v1::Complaint::CLOSED}, int64_t{request.satisfaction()},
               now_us, std::string("complainant"), now_us});
        }
        PRONGSAI_RETURN_IF_ERROR(UpdateIfState(
            tx, organization, id, from,
            "state = ?, reopen_count = reopen_count + 1, due_time_us = ?, "
            "update_time_us = ?, updater = ?",
            {int64_t{v1::Complaint::IN_PROGRESS},
             absl::ToUnixMicros(DueTime(now, sla_days)), now_us,
             std::string("complainant")}));
        return InsertReply(tx, organization, id, v1::Reply::PUBLIC,
                           v1::Reply::COMPLAINANT, "complainant",
                           absl::StrCat("ขอเปิดเรื่องอีกครั้ง (reopened): ",
                                        request.reopen_reason()),
                           Value(), now)
            .status();
      }));
  return GetComplaint(db, organization, id, now);
}

namespace {

constexpr absl::string_view kAccessEntryColumns =
    "sequence, id, complaint_id, reader, reason, read_time_us, entry_hash";
// Entries read a page at a time when a whole log is walked.
constexpr int64_t kAccessEntriesPerRead = 1000;
// Tries of a read's append before the sequence race is given up.
constexpr int kAccessAppendAttempts = 8;

AccessEntry AccessEntryFromRow(absl::string_view organization,
                               const storage::Row& row) {
  AccessEntry entry;
  entry.sequence = row.IsNull(0) ? 0 : row.GetInt(0);
  entry.organization = std::string(organization);
  entry.id = row.GetText(1);
  entry.complaint_id = row.GetText(2);
  entry.reader = row.GetText(3);
  entry.reason = row.GetText(4);
  entry.read_time_us = row.GetInt(5);
  entry.entry_hash = row.GetText(6);
  return entry;
}

// Calls `visit` with the organization's numbered entries in sequence order.
absl::Status ForEachChainedEntry(
    storage::Connection& db, absl::string_view organization,
    absl::FunctionRef<absl::Status(const AccessEntry&)> visit) {
  int64_t after = 0;
  while (true) {
    PRONGSAI_ASSIGN_OR_RETURN(
        storage::Result result,
        db.Execute(absl::StrCat("SELECT ", kAccessEntryColumns,
                                " FROM identity_accesses WHERE "
                                "organization_code = ? AND sequence > ? "
                                "ORDER BY sequence LIMIT ?"),
                   {std::string(organization), after, kAccessEntriesPerRead}));
    for (const storage::Row& row : result.rows) {
      const AccessEntry entry = AccessEntryFromRow(organization, row);
      PRONGSAI_RETURN_IF_ERROR(visit(entry));
      after = entry.sequence;
    }
    if (static_cast<int64_t>(result.rows.size()) < kAccessEntriesPerRead) {
      return absl::OkStatus();
    }
  }
}

// Hashes `organization`'s entries numbered by schema version 7 but not yet
// hashed, when it has no hashed entry: each is chained onto the one before.
absl::Status ChainOrganizationEntriesBeforeTheChain(
    storage::Connection& db, absl::string_view organization) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result hashed,
      db.Execute("SELECT 1 FROM identity_accesses WHERE organization_code = ? "
                 "AND entry_hash <> '' LIMIT 1",
                 {std::string(organization)}));
  if (!hashed.rows.empty()) return absl::OkStatus();
  std::vector<AccessEntry> entries;
  PRONGSAI_RETURN_IF_ERROR(
      ForEachChainedEntry(db, organization, [&](const AccessEntry& entry) {
        entries.push_back(entry);
        return absl::OkStatus();
      }));
  std::string previous_hash;
  for (AccessEntry& entry : entries) {
    entry.entry_hash = AccessEntryHash(previous_hash, entry);
    PRONGSAI_RETURN_IF_ERROR(
        db.Execute("UPDATE identity_accesses SET entry_hash = ? WHERE id = ?",
                   {entry.entry_hash, entry.id})
            .status());
    previous_hash = entry.entry_hash;
  }
  return absl::OkStatus();
}

absl::Status AppendIdentityAccess(storage::Connection& tx, AccessEntry entry) {
  if (tx.backend() == storage::Backend::kPostgres) {
    // Concurrent reads of one organization would otherwise all take the same
    // next sequence and retry against each other; the lock queues them (it
    // ends with the transaction). SQLite's write lock already does this. The
    // two-key form keeps it apart from the migration lock's single key.
    PRONGSAI_RETURN_IF_ERROR(
        tx.Execute("SELECT pg_advisory_xact_lock(7, hashtext(?))",
                   {entry.organization})
            .status());
  }
  auto last_entry = [&]() {
    return tx.Execute(
        "SELECT sequence, entry_hash FROM identity_accesses WHERE "
        "organization_code = ? AND sequence IS NOT NULL "
        "ORDER BY sequence DESC LIMIT 1",
        {entry.organization});
  };
  PRONGSAI_ASSIGN_OR_RETURN(storage::Result last, last_entry());
  if (!last.rows.empty() && last.rows[0].GetText(1).empty()) {
    PRONGSAI_RETURN_IF_ERROR(
        ChainOrganizationEntriesBeforeTheChain(tx, entry.organization));
    PRONGSAI_ASSIGN_OR_RETURN(last, last_entry());
  }
  std::string previous_hash;
  entry.sequence = 1;
  if (!last.rows.empty()) {
    entry.sequence = last.rows[0].GetInt(0) + 1;
    previous_hash = last.rows[0].GetText(1);
  }
  entry.entry_hash = AccessEntryHash(previous_hash, entry);
  return tx
      .Execute(
          api::InsertStatement("identity_accesses",
                               "id, organization_code, complaint_id, "
                               "reader, reason, read_time_us, sequence, "
                               "entry_hash",
                               8),
          {entry.id, entry.organization, entry.complaint_id, entry.reader,
           entry.reason, entry.read_time_us, entry.sequence, entry.entry_hash})
      .status();
}

}  // namespace

absl::Status RecordIdentityAccess(storage::Connection& db,
                                  absl::string_view organization,
                                  absl::string_view complaint_id,
                                  absl::string_view reader,
                                  absl::string_view reason, absl::Time now) {
  AccessEntry entry;
  entry.organization = std::string(organization);
  entry.id = NewResourceId();
  entry.complaint_id = std::string(complaint_id);
  entry.reader = std::string(reader);
  entry.reason = std::string(reason);
  entry.read_time_us = absl::ToUnixMicros(now);
  absl::Status status;
  for (int attempt = 0; attempt < kAccessAppendAttempts; ++attempt) {
    // ALREADY_EXISTS: another read took this sequence first (the unique
    // (organization_code, sequence) index); ABORTED: the lock was busy.
    status = storage::InTransaction(db, [&](storage::Connection& tx) {
      return AppendIdentityAccess(tx, entry);
    });
    if (!absl::IsAlreadyExists(status) && !absl::IsAborted(status)) break;
  }
  return status;
}

absl::StatusOr<api::Page<v1::IdentityAccess>> ListIdentityAccesses(
    storage::Connection& db, absl::string_view organization,
    const PageRequest& page) {
  PRONGSAI_ASSIGN_OR_RETURN(
      api::RowPage rows,
      api::ListPage(db, "identity_accesses",
                    "complaint_id, reader, reason, read_time_us, sequence, "
                    "entry_hash",
                    "read_time_us", organization, page));
  api::Page<v1::IdentityAccess> out;
  out.items.reserve(rows.rows.size());
  for (const storage::Row& row : rows.rows) {
    v1::IdentityAccess access;
    access.set_complaint(
        FormatChildName(organization, kComplaints, row.GetText(0)));
    access.set_reader(row.GetText(1));
    access.set_reason(row.GetText(2));
    *access.mutable_read_time() = Micros(row.GetInt(3));
    if (!row.IsNull(4)) access.set_sequence(row.GetInt(4));
    access.set_entry_hash(row.GetText(5));
    out.items.push_back(std::move(access));
  }
  out.next_cursor = std::move(rows.next_cursor);
  return out;
}

absl::StatusOr<v1::IdentityAccessLogVerification> VerifyIdentityAccessLog(
    storage::Connection& db, absl::string_view organization,
    const v1::IdentityAccessLogHead& known_head) {
  AccessChainCheck check(known_head);
  // Entries without a sequence cannot have come from RecordIdentityAccess.
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result unchained,
      db.Execute(absl::StrCat("SELECT ", kAccessEntryColumns,
                              " FROM identity_accesses WHERE "
                              "organization_code = ? AND sequence IS NULL "
                              "ORDER BY id LIMIT ?"),
                 {std::string(organization), kAccessEntriesPerRead}));
  for (const storage::Row& row : unchained.rows) {
    check.AddUnchained(AccessEntryFromRow(organization, row));
  }
  PRONGSAI_RETURN_IF_ERROR(
      ForEachChainedEntry(db, organization, [&](const AccessEntry& entry) {
        check.Add(entry);
        return absl::OkStatus();
      }));
  return check.Finish();
}

absl::Status ChainEntriesRecordedBeforeTheChain(storage::Connection& db) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result organizations,
      db.Execute("SELECT DISTINCT organization_code FROM identity_accesses "
                 "WHERE entry_hash = '' AND sequence IS NOT NULL"));
  for (const storage::Row& row : organizations.rows) {
    PRONGSAI_RETURN_IF_ERROR(
        storage::InTransaction(db, [&](storage::Connection& tx) {
          return ChainOrganizationEntriesBeforeTheChain(tx, row.GetText(0));
        }));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Category> UpsertCategory(storage::Connection& db,
                                            absl::string_view organization,
                                            absl::string_view id,
                                            const v1::Category& category,
                                            absl::Time now) {
  PRONGSAI_RETURN_IF_ERROR(
      storage::InTransaction(db, [&](storage::Connection& tx) -> absl::Status {
        PRONGSAI_RETURN_IF_ERROR(ReplaceVersion(tx, organization));
        PRONGSAI_RETURN_IF_ERROR(
            tx.Execute(
                  "INSERT INTO complaint_categories (organization_code, id, "
                  "display_name, sla_days, update_time_us) VALUES (?, ?, ?, ?, "
                  "?) ON CONFLICT (organization_code, id) DO UPDATE SET "
                  "display_name = excluded.display_name, sla_days = "
                  "excluded.sla_days, update_time_us = excluded.update_time_us",
                  {std::string(organization), std::string(id),
                   category.display_name(),
                   int64_t{SlaDaysOrDefault(category.sla_days())},
                   absl::ToUnixMicros(now)})
                .status());
        return absl::OkStatus();
      }));
  return GetCategory(db, organization, id);
}

absl::StatusOr<v1::Category> GetCategory(storage::Connection& db,
                                         absl::string_view organization,
                                         absl::string_view id) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT id, display_name, sla_days FROM complaint_categories "
                 "WHERE organization_code = ? AND id = ?",
                 {std::string(organization), std::string(id)}));
  if (result.rows.empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no category ", FormatChildName(organization, "categories", id)));
  }
  const storage::Row& row = result.rows[0];
  v1::Category category;
  category.set_name(
      FormatChildName(organization, "categories", row.GetText(0)));
  category.set_display_name(row.GetText(1));
  category.set_sla_days(static_cast<int32_t>(row.GetInt(2)));
  return category;
}

absl::StatusOr<std::vector<v1::Category>> ListCategories(
    storage::Connection& db, absl::string_view organization) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute("SELECT id, display_name, sla_days FROM complaint_categories "
                 "WHERE organization_code = ? ORDER BY id LIMIT 1000",
                 {std::string(organization)}));
  std::vector<v1::Category> categories;
  for (const storage::Row& row : result.rows) {
    v1::Category& category = categories.emplace_back();
    category.set_name(
        FormatChildName(organization, "categories", row.GetText(0)));
    category.set_display_name(row.GetText(1));
    category.set_sla_days(static_cast<int32_t>(row.GetInt(2)));
  }
  return categories;
}

namespace {

// The columns StatisticsRowFrom reads, from complaints c LEFT JOIN
// complaint_categories k.
constexpr absl::string_view kStatisticsColumns =
    "c.kind, c.channel, COALESCE(k.display_name, c.category_id), c.state, "
    "c.receive_time_us, c.sla_due_time_us, c.due_time_us, "
    "c.acknowledge_time_us, c.resolve_time_us, c.satisfaction, "
    "c.reopen_count";
constexpr absl::string_view kStatisticsFrom =
    " FROM complaints c LEFT JOIN complaint_categories k ON "
    "k.organization_code = c.organization_code AND k.id = c.category_id";

// Reads kStatisticsColumns starting at column `first`.
StatisticsRow StatisticsRowFrom(const storage::Row& row, int first) {
  StatisticsRow out;
  out.kind = static_cast<v1::Complaint::Kind>(row.GetInt(first));
  out.channel = static_cast<v1::Complaint::Channel>(row.GetInt(first + 1));
  out.category = row.GetText(first + 2);
  out.state = static_cast<v1::Complaint::State>(row.GetInt(first + 3));
  out.receive_time = absl::FromUnixMicros(row.GetInt(first + 4));
  out.sla_due_time = absl::FromUnixMicros(row.GetInt(first + 5));
  out.due_time = absl::FromUnixMicros(row.GetInt(first + 6));
  if (std::optional<int64_t> acknowledged = row.GetOptionalInt(first + 7)) {
    out.acknowledge_time = absl::FromUnixMicros(*acknowledged);
  }
  if (std::optional<int64_t> resolved = row.GetOptionalInt(first + 8)) {
    out.resolve_time = absl::FromUnixMicros(*resolved);
  }
  out.satisfaction = static_cast<int>(row.GetInt(first + 9));
  out.reopen_count = static_cast<int>(row.GetInt(first + 10));
  return out;
}

}  // namespace

absl::StatusOr<std::vector<StatisticsRow>> LoadStatisticsRows(
    storage::Connection& db, absl::string_view organization, absl::Time start,
    absl::Time end) {
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT ", kStatisticsColumns, kStatisticsFrom,
                              " WHERE c.organization_code = ? AND "
                              "c.receive_time_us >= ? AND c.receive_time_us "
                              "< ?"),
                 {std::string(organization), absl::ToUnixMicros(start),
                  absl::ToUnixMicros(end)}));
  std::vector<StatisticsRow> rows;
  rows.reserve(result.rows.size());
  for (const storage::Row& row : result.rows) {
    rows.push_back(StatisticsRowFrom(row, 0));
  }
  return rows;
}

absl::StatusOr<absl::flat_hash_map<std::string, std::vector<StatisticsRow>>>
LoadStatisticsRowsOf(storage::Connection& db,
                     absl::Span<const std::string> organizations,
                     absl::Time start, absl::Time end) {
  absl::flat_hash_map<std::string, std::vector<StatisticsRow>> rows;
  if (organizations.empty()) return rows;
  std::vector<storage::Value> params;
  params.reserve(organizations.size() + 2);
  params.emplace_back(absl::ToUnixMicros(start));
  params.emplace_back(absl::ToUnixMicros(end));
  for (const std::string& code : organizations) params.emplace_back(code);
  std::string placeholders;
  for (size_t i = 0; i < organizations.size(); ++i) {
    absl::StrAppend(&placeholders, i == 0 ? "?" : ", ?");
  }
  PRONGSAI_ASSIGN_OR_RETURN(
      storage::Result result,
      db.Execute(absl::StrCat("SELECT c.organization_code, ",
                              kStatisticsColumns, kStatisticsFrom,
                              " WHERE c.receive_time_us >= ? AND "
                              "c.receive_time_us < ? AND c.organization_code "
                              "IN (",
                              placeholders, ")"),
                 params));
  for (const storage::Row& row : result.rows) {
    rows[row.GetText(0)].push_back(StatisticsRowFrom(row, 1));
  }
  return rows;
}

absl::StatusOr<std::string> DataVersion(storage::Connection& db,
                                        absl::string_view organization) {
  return api::ReadDataVersion(db, kVersions, std::string(organization));
}

}  // namespace prongsai::complaint
