// A strict RFC 8259 syntax check, run before protobuf's JSON parser: that
// parser also takes single quotes and trailing commas, which a client must
// not come to rely on (no other transcoder takes them). It also bounds the
// nesting, so a hostile body costs no deep recursion anywhere.
#ifndef PRONGSAI_GATEWAY_JSON_SYNTAX_H_
#define PRONGSAI_GATEWAY_JSON_SYNTAX_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace prongsai::gateway {

// protobuf's own recursion limit for messages.
inline constexpr int kMaxJsonDepth = 100;

// OK when `text` is one JSON value (whitespace around it allowed), else
// INVALID_ARGUMENT with the byte offset and what was expected there.
absl::Status CheckJsonSyntax(absl::string_view text);

}  // namespace prongsai::gateway

#endif  // PRONGSAI_GATEWAY_JSON_SYNTAX_H_
