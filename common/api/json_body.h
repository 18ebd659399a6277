// Protobuf messages stored as JSON text in a TEXT column (the `body` and
// `details` columns of the stores). JSON rather than the binary wire format
// because an operator can read a row with psql or sqlite3, and because a new
// field of a message needs no migration: rows written before it simply lack
// it, and rows written by a newer version that carry fields this one does not
// know are still readable.
//
//   values.emplace_back(api::ToStoredJson(body));
//   ...
//   PRONGSAI_RETURN_IF_ERROR(api::FromStoredJson(row.GetText(6), body));
#ifndef PRONGSAI_COMMON_API_JSON_BODY_H_
#define PRONGSAI_COMMON_API_JSON_BODY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace prongsai::api {

// `message` as JSON text (protobuf's canonical JSON mapping). Serializing a
// valid message cannot fail.
std::string ToStoredJson(const google::protobuf::Message& message);

// Parses `json` into `message`, ignoring fields `message` does not have.
// Returns INTERNAL "stored <Type> is not readable" when `json` is not a
// `message` in JSON (a damaged row); the text itself is never quoted, as it
// may hold personal data.
absl::Status FromStoredJson(absl::string_view json,
                            google::protobuf::Message& message);

}  // namespace prongsai::api

#endif  // PRONGSAI_COMMON_API_JSON_BODY_H_
