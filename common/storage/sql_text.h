// Internal to common/storage: SQL text and URL handling shared by the two
// backends. Not part of the public API.
//
//   RewritePlaceholders("SELECT '?' WHERE a = ?");  // {"... a = $1", 1}
#ifndef PRONGSAI_COMMON_STORAGE_SQL_TEXT_H_
#define PRONGSAI_COMMON_STORAGE_SQL_TEXT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "common/storage/storage.h"

namespace prongsai::storage::internal {

struct RewrittenSql {
  std::string sql;       // `?` replaced by $1, $2, ...
  int placeholders = 0;  // How many there were.
};

// Rewrites `?` to PostgreSQL's $N outside '...' literals, "..." identifiers,
// -- and /* */ comments. INVALID_ARGUMENT when `sql` holds more than one
// statement (a `;` followed by anything but blanks or comments).
absl::StatusOr<RewrittenSql> RewritePlaceholders(absl::string_view sql);

// INVALID_ARGUMENT unless `params` has `placeholders` entries and every text
// parameter is valid UTF-8 without NUL bytes, so both backends accept the
// same calls. The message names the parameter position, never its value.
absl::Status CheckParams(absl::Span<const Value> params, int placeholders);

// The password in `url` (user-info part or `password=` query parameter), or
// "" when there is none. Percent-encoding is kept as written.
std::string UrlPassword(absl::string_view url);

// `message` with every occurrence of the password of `url`, as written and
// percent-decoded, replaced by "***".
std::string ScrubPassword(std::string message, absl::string_view url);

}  // namespace prongsai::storage::internal

#endif  // PRONGSAI_COMMON_STORAGE_SQL_TEXT_H_
