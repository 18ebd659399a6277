// The complaint register's schema, one migration per change, the same SQL
// on SQLite and PostgreSQL. Declared in complaint_store.h.
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/api/data_version.h"
#include "common/storage/storage.h"
#include "services/complaint/complaint_store.h"

namespace prongsai::complaint {
namespace {

constexpr absl::string_view kMigration1 = R"sql(
CREATE TABLE complaints (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  organization_name TEXT NOT NULL,
  organization_kind BIGINT NOT NULL,
  province TEXT NOT NULL,
  district TEXT NOT NULL,
  kind BIGINT NOT NULL,
  channel BIGINT NOT NULL,
  subject TEXT NOT NULL,
  description TEXT NOT NULL,
  state BIGINT NOT NULL,
  receive_time_us BIGINT NOT NULL,
  due_time_us BIGINT NOT NULL,
  create_time_us BIGINT NOT NULL,
  creator TEXT NOT NULL,
  update_time_us BIGINT NOT NULL,
  updater TEXT NOT NULL,
  request_id TEXT,
  UNIQUE (organization_code, request_id)
);
CREATE INDEX complaints_by_organization
  ON complaints (organization_code, receive_time_us, id);
)sql";

// Intake details, protected identities, tracking, workflow outcomes,
// replies, categories and the identity-access log.
constexpr absl::string_view kMigration2 = R"sql(
ALTER TABLE complaints ADD COLUMN category_id TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN place_description TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN village TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN subdistrict TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN latitude DOUBLE PRECISION;
ALTER TABLE complaints ADD COLUMN longitude DOUBLE PRECISION;
ALTER TABLE complaints ADD COLUMN incident_time_us BIGINT;
ALTER TABLE complaints ADD COLUMN requested_action TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN evidence TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN attachments TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN complainant_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN accused_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN tracking_hash TEXT;
ALTER TABLE complaints ADD COLUMN tracking_sealed TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN sla_due_time_us BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN referred_to TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN rejection_reason BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN duplicate_of TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN satisfaction BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN reopen_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE complaints ADD COLUMN acknowledge_time_us BIGINT;
ALTER TABLE complaints ADD COLUMN resolve_time_us BIGINT;
CREATE UNIQUE INDEX complaints_by_tracking_hash ON complaints (tracking_hash);
CREATE TABLE complaint_replies (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  complaint_id TEXT NOT NULL REFERENCES complaints (id),
  visibility BIGINT NOT NULL,
  author BIGINT NOT NULL,
  actor TEXT NOT NULL,
  text TEXT NOT NULL,
  new_due_time_us BIGINT,
  create_time_us BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  UNIQUE (complaint_id, seq)
);
CREATE INDEX complaint_replies_by_complaint
  ON complaint_replies (organization_code, complaint_id, seq, id);
CREATE TABLE complaint_categories (
  organization_code TEXT NOT NULL,
  id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  sla_days BIGINT NOT NULL,
  update_time_us BIGINT NOT NULL,
  PRIMARY KEY (organization_code, id)
);
CREATE TABLE identity_accesses (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  complaint_id TEXT NOT NULL REFERENCES complaints (id),
  reader TEXT NOT NULL,
  reason TEXT NOT NULL,
  read_time_us BIGINT NOT NULL
);
CREATE INDEX identity_accesses_by_organization
  ON identity_accesses (organization_code, read_time_us, id);
CREATE TABLE complaint_versions (
  organization_code TEXT NOT NULL PRIMARY KEY,
  version BIGINT NOT NULL
);
)sql";

// The tracking code is kept sealed only for the replay window (see
// EraseSealedTrackingCodes); this index finds the rows still holding one.
constexpr absl::string_view kMigration3 = R"sql(
CREATE INDEX complaints_holding_tracking_code
  ON complaints (create_time_us) WHERE tracking_sealed <> '';
)sql";

// Data versions become api::DataVersion tokens (random text, as plan's and
// ITA's are). The old random integers are kept as their text, so that
// statistics cached before the upgrade stay keyed by the data they counted.
// A copy under a new name, then renamed: SQLite cannot change a column's
// type in place.
constexpr absl::string_view kMigration4 = R"sql(
CREATE TABLE complaint_versions_tokens (
  organization_code TEXT NOT NULL PRIMARY KEY,
  token TEXT NOT NULL
);
INSERT INTO complaint_versions_tokens (organization_code, token)
  SELECT organization_code, CAST(version AS TEXT) FROM complaint_versions;
DROP TABLE complaint_versions;
ALTER TABLE complaint_versions_tokens RENAME TO complaint_versions;
)sql";

// The photos a complaint was filed with, whose bytes the service stores
// (its `attachments` column still describes every attachment, these too).
// The store holds text only: `content` is base64, or for a corruption
// report's photo a sealed value (`sealed` = 1). Rows are written with
// their complaint, in its transaction, and never changed.
constexpr absl::string_view kMigration5 = R"sql(
CREATE TABLE complaint_attachments (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  complaint_id TEXT NOT NULL REFERENCES complaints (id),
  attachment_index BIGINT NOT NULL,
  file_name TEXT NOT NULL,
  media_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  sealed BIGINT NOT NULL,
  content TEXT NOT NULL,
  UNIQUE (complaint_id, attachment_index)
);
)sql";

// Reply templates (reply_templates.h). `parameters` joins the parameter
// names with ','; `states` is empty (any state) or the state numbers
// between commas (",4,5,"), so that a state is found with LIKE '%,4,%' on
// both databases; `category_id` is empty for any category.
constexpr absl::string_view kMigration6 = R"sql(
CREATE TABLE complaint_reply_templates (
  organization_code TEXT NOT NULL,
  id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  text TEXT NOT NULL,
  parameters TEXT NOT NULL,
  category_id TEXT NOT NULL,
  states TEXT NOT NULL,
  visibility BIGINT NOT NULL,
  create_time_us BIGINT NOT NULL,
  update_time_us BIGINT NOT NULL,
  PRIMARY KEY (organization_code, id)
);
)sql";

// The identity-access log becomes a hash chain per organization
// (access_chain.h): each entry gets its place (`sequence`, numbered here for
// the reads already recorded, in the order they were listed) and its hash,
// which ChainEntriesRecordedBeforeTheChain computes for those older reads
// (SQL has no portable SHA-256). An entry without a sequence was not
// written by the service.
constexpr absl::string_view kMigration7 = R"sql(
ALTER TABLE identity_accesses ADD COLUMN sequence BIGINT;
ALTER TABLE identity_accesses ADD COLUMN entry_hash TEXT NOT NULL DEFAULT '';
UPDATE identity_accesses SET sequence = (
  SELECT COUNT(*) FROM identity_accesses AS earlier
  WHERE earlier.organization_code = identity_accesses.organization_code
    AND (earlier.read_time_us < identity_accesses.read_time_us
         OR (earlier.read_time_us = identity_accesses.read_time_us
             AND earlier.id <= identity_accesses.id)));
CREATE UNIQUE INDEX identity_accesses_chain
  ON identity_accesses (organization_code, sequence);
)sql";

// Retention under the PDPA (retention.h): when each case ended, when its
// identities were erased, each organization's policy and the erasure log.
// Cases that ended before this version take their last update as their end:
// no earlier than the true end, so none is erased sooner than its policy
// says. retention_start holds when erasing began on this register (the
// first housekeeping pass writes it): an organization that never set a
// policy counts its warning period from then, so an upgraded register
// shows its overdue erasures before the first one happens.
constexpr absl::string_view kMigration8 = R"sql(
ALTER TABLE complaints ADD COLUMN end_time_us BIGINT;
ALTER TABLE complaints ADD COLUMN identities_erase_time_us BIGINT;
UPDATE complaints SET end_time_us = update_time_us WHERE state IN (6, 7, 8, 9);
CREATE INDEX complaints_awaiting_erasure ON complaints (end_time_us)
  WHERE end_time_us IS NOT NULL AND identities_erase_time_us IS NULL;
CREATE TABLE retention_policies (
  organization_code TEXT NOT NULL PRIMARY KEY,
  general_retention_days BIGINT NOT NULL,
  corruption_retention_days BIGINT NOT NULL,
  warning_days BIGINT NOT NULL,
  create_time_us BIGINT NOT NULL,
  creator TEXT NOT NULL,
  update_time_us BIGINT NOT NULL,
  updater TEXT NOT NULL
);
CREATE TABLE identity_erasures (
  id TEXT NOT NULL PRIMARY KEY,
  organization_code TEXT NOT NULL,
  complaint_id TEXT NOT NULL,
  reason BIGINT NOT NULL,
  erased_fields TEXT NOT NULL,
  actor TEXT NOT NULL,
  erase_time_us BIGINT NOT NULL,
  request_reference TEXT NOT NULL DEFAULT ''
);
CREATE INDEX identity_erasures_by_organization
  ON identity_erasures (organization_code, erase_time_us, id);
CREATE TABLE retention_start (
  id BIGINT NOT NULL PRIMARY KEY,
  start_time_us BIGINT NOT NULL
);
)sql";

// Each complaint's own key (ComplaintKey, wrapped under the protection
// keys), apart from its row: erasing the identities deletes it, and a
// register's long-kept backups can leave this table out (docs/operations.md),
// so that no backup holds both an erased identity and its key. Complaints
// filed before this version have no key: housekeeping gives them one
// (ListComplaintsWithoutOwnKey finds them through the partial index).
constexpr absl::string_view kMigration10 = R"sql(
CREATE TABLE complaint_keys (
  organization_code TEXT NOT NULL,
  complaint_id TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  PRIMARY KEY (organization_code, complaint_id)
);
CREATE INDEX complaints_without_own_key ON complaints (id)
  WHERE identities_erase_time_us IS NULL AND (complainant_sealed LIKE 'v1.%'
    OR accused_sealed LIKE 'v1.%' OR tracking_sealed LIKE 'v1.%');
)sql";

}  // namespace

std::vector<storage::Migration> Migrations() {
  static const std::string* const kStriped =
      new std::string(api::StripesTableSql(
          {"complaint_versions", "organization_code"}, "TEXT"));
  return {{1, "complaint register", kMigration1},
          {2, "intake details, protection, workflow, replies, categories",
           kMigration2},
          {3, "tracking codes kept only for the replay window", kMigration3},
          {4, "data versions as tokens", kMigration4},
          {5, "photos stored with their complaint", kMigration5},
          {6, "reply templates", kMigration6},
          {7, "identity-access log as a hash chain", kMigration7},
          {8, "retention of identities under the PDPA", kMigration8},
          {9, "data-version stripes", *kStriped},
          {10, "a key of its own for each complaint", kMigration10}};
}

}  // namespace prongsai::complaint
