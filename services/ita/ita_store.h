// SQL for the ITA service, the same statements on SQLite and PostgreSQL.
//
// An assessment row keeps, besides its organization columns, the figures
// peer analytics need as plain columns (effective overall, grade, passed and
// the indicator scores) so that a whole fiscal year (~8,300 agencies) is
// read by one query; the rest (published and computed score sets, findings)
// is protobuf JSON in `details`. Frameworks loaded by operators are rows of
// ita_frameworks; the shipped defaults are version 1 of their year until an
// assessment pins them into the table. Every write bumps the year's data
// version, which keys the cached analytics.
#ifndef PRONGSAI_SERVICES_ITA_ITA_STORE_H_
#define PRONGSAI_SERVICES_ITA_ITA_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/api/fields.h"
#include "common/api/resource_table.h"
#include "common/base/resource_name.h"
#include "common/storage/storage.h"
#include "prongsai/ita/v1/ita.pb.h"
#include "services/ita/ita_peer_stats.h"

namespace prongsai::ita {

// Schema version of cached encodings; bump on a format change.
// 2: peer and group figures under the minimum group size are hidden.
inline constexpr int kCacheVersion = 2;

std::vector<storage::Migration> Migrations();

// The frameworks shipped with the binary, by fiscal year (version 1).
using DefaultFrameworkMap = absl::flat_hash_map<int, v1::Framework>;

// ------------------------------------------------------------- frameworks

// The year's current framework: the highest stored version, else the
// default. NOT_FOUND naming the year when there is neither.
absl::StatusOr<v1::Framework> CurrentFramework(
    storage::Connection& db, const DefaultFrameworkMap& defaults, int be_year);
// One version (version 1 falls back to the default).
absl::StatusOr<v1::Framework> FrameworkVersion(
    storage::Connection& db, const DefaultFrameworkMap& defaults, int be_year,
    int version);
// The framework `assessment`'s figures were checked or computed with: its
// pinned version, or the year's current framework when none is pinned yet.
absl::StatusOr<v1::Framework> PinnedFramework(
    storage::Connection& db, const DefaultFrameworkMap& defaults,
    const v1::Assessment& assessment);
// The current framework of every year that has one.
absl::StatusOr<std::vector<v1::Framework>> CurrentFrameworks(
    storage::Connection& db, const DefaultFrameworkMap& defaults);
// Stores a validated framework as the year's next version.
absl::StatusOr<v1::Framework> StoreFramework(
    storage::Connection& db, const DefaultFrameworkMap& defaults,
    v1::Framework framework, const api::AuditWriter& writer);

// ------------------------------------------------------------- assessments

// Every assessment these return carries its effective_overall_score
// (ita_domain.h).

absl::StatusOr<v1::Assessment> CreateAssessment(
    storage::Connection& db, absl::string_view organization,
    const v1::Assessment& assessment, absl::string_view request_id,
    const api::AuditWriter& writer);
absl::StatusOr<v1::Assessment> GetAssessment(storage::Connection& db,
                                             absl::string_view organization,
                                             int be_year);
absl::StatusOr<api::Page<v1::Assessment>> ListAssessments(
    storage::Connection& db, absl::string_view organization,
    const PageRequest& page);
// The assessments of `be_year` of `organizations` (those that have one),
// by organization code: one query.
absl::StatusOr<std::vector<v1::Assessment>> AssessmentsOf(
    storage::Connection& db, absl::Span<const std::string> organizations,
    int be_year);
// The organization's latest assessment before `be_year`, if any.
absl::StatusOr<std::optional<v1::Assessment>> PreviousAssessment(
    storage::Connection& db, absl::string_view organization, int be_year);

// Stores a published (or computed) score set with the framework it was
// checked (or computed) against, creating the assessment when missing
// (with `organization`'s descriptive fields). The framework is pinned.
struct ScoreUpdate {
  std::optional<v1::ScoreSet> published;
  std::vector<v1::ConsistencyFinding> findings;
  std::optional<v1::ScoreSet> computed;
  int iit_respondents = 0;
  int eit_respondents = 0;
  // When set, ABORTED unless the stored assessment is still checked with
  // this framework version (a move to a newer version raced another write).
  std::optional<int> expected_framework_version;
};
// `update` applied to `assessment` in memory, as SaveScores applies it.
void ApplyScoreUpdate(const ScoreUpdate& update, v1::Assessment& assessment);
absl::StatusOr<v1::Assessment> SaveScores(
    storage::Connection& db, const common::v1::OrganizationRef& organization,
    int be_year, const v1::Framework& framework, const ScoreUpdate& update,
    const api::AuditWriter& writer);

// --------------------------------------------------------------- analytics

// Every assessment of a year with an effective overall score: one query.
absl::StatusOr<std::vector<PeerRow>> YearRows(storage::Connection& db,
                                              int be_year);
// Fiscal years with at least one scored assessment, ascending.
absl::StatusOr<std::vector<int>> ScoredYears(storage::Connection& db);
// The organization's data version, replaced by every write of its
// assessments (keys its analyses).
absl::StatusOr<std::string> OrganizationVersion(storage::Connection& db,
                                                absl::string_view organization);
// The year's data version, replaced by every write of that year.
absl::StatusOr<std::string> YearVersion(storage::Connection& db, int be_year);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_STORE_H_
