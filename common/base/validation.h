// Field-level validation errors. Every INVALID_ARGUMENT the services return
// names the request field it is about, as a path from the request message,
// and the reason, so that a calling system can point at the faulty input:
//
//   return InvalidField("action_plan.fiscal_years.last_be_year",
//                       "must not be before first_be_year");
//   // INVALID_ARGUMENT: action_plan.fiscal_years.last_be_year: must not be
//   // before first_be_year
//
// The reason must never quote personal data from the request.
#ifndef PRONGSAI_COMMON_BASE_VALIDATION_H_
#define PRONGSAI_COMMON_BASE_VALIDATION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace prongsai {

// Payload key under which the field path is attached to the status, so code
// can read it without parsing the message.
inline constexpr absl::string_view kFieldPathPayload =
    "type.prongsai.dev/field_path";

// An INVALID_ARGUMENT status for `field_path` with `reason`.
absl::Status InvalidField(absl::string_view field_path,
                          absl::string_view reason);

// The field path attached by InvalidField, if any.
std::optional<std::string> FieldPathOf(const absl::Status& status);

// Builders for the field paths InvalidField takes, so that nested messages
// and repeated fields are named the same way everywhere:
//
//   FieldPath("project", "title")                       // "project.title"
//   FieldPath("", "tools")                              // "tools"
//   IndexedPath(FieldPath("project", "budgets"), 2)     // "project.budgets[2]"
//   FieldPath(IndexedPath("tools", 0), "code")          // "tools[0].code"
//
// `base` followed by ".field", or just `field` when `base` is empty (the
// message validated is the request itself).
std::string FieldPath(absl::string_view base, absl::string_view field);

// `base` followed by "[index]": element `index` of the repeated field (or the
// map entry with integer key `index`) that `base` names.
std::string IndexedPath(absl::string_view base, int64_t index);

// The code points of valid UTF-8 `text` that show something: white space,
// zero-width characters and direction marks do not count. 0 for text that
// is not UTF-8.
int VisibleLength(absl::string_view text);

// Checks that `value` is valid UTF-8 of 1..max_chars code points (or
// 0..max_chars when `required` is false) without NUL characters; a required
// value must hold a visible character. Thai text counts one per code point,
// not per byte.
absl::Status ValidateText(absl::string_view field_path, absl::string_view value,
                          int max_chars, bool required);

// Number of Unicode code points in valid UTF-8 `text`, or nullopt when `text`
// is not valid UTF-8.
std::optional<int> Utf8Length(absl::string_view text);

// Checks an idempotency key: empty, or 1-64 printable ASCII characters.
absl::Status ValidateRequestId(absl::string_view field_path,
                               absl::string_view request_id);

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_VALIDATION_H_
