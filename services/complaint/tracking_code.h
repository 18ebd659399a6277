// Tracking codes: the complainant's only way back to a case. A code is 80
// random bits as 16 Crockford base-32 symbols plus a check symbol, grouped
// for reading over the phone:
//
//   std::string code = NewTrackingCode();   // "K7QM-4XDP-9TRA-HW2E-A"
//   PRONGSAI_ASSIGN_OR_RETURN(std::string canonical,
//                             NormalizeTrackingCode("k7qm 4xdp 9tra hw2e a"));
//   // canonical == "K7QM4XDP9TRAHW2EA"
//   std::string stored = TrackingCodeHash(canonical, key);
//
// Only the keyed hash is stored, so a database dump does not reveal codes.
#ifndef PRONGSAI_SERVICES_COMPLAINT_TRACKING_CODE_H_
#define PRONGSAI_SERVICES_COMPLAINT_TRACKING_CODE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai::complaint {

// A new code from 80 bits of libsodium randomness, formatted
// "XXXX-XXXX-XXXX-XXXX-C": 16 Crockford base-32 symbols
// (0-9, A-Z without I, L, O, U) and Crockford's mod-37 check symbol, which
// catches every single mistyped symbol and every swap of two different
// data symbols (32 has order 36 modulo 37).
std::string NewTrackingCode();

// The canonical 17-symbol form of a code as a person typed it: case, spaces
// and dashes do not matter, O reads as 0 and I or L as 1. INVALID_ARGUMENT
// (field "tracking_code") when the length or a symbol is wrong or the check
// symbol does not match; the error never echoes the code.
absl::StatusOr<std::string> NormalizeTrackingCode(absl::string_view text);

inline constexpr size_t kTrackingKeyBytes = 32;

// Lower-case hex (64 characters) BLAKE2b-256 of the canonical code keyed
// with `key`, which must be kTrackingKeyBytes long (anything else aborts: an
// unkeyed hash of an 80-bit code would be a weak secret in a dump).
std::string TrackingCodeHash(absl::string_view canonical_code,
                             absl::string_view key);

// The request id as the complaint store keeps it: a keyed hash of the
// caller, the id and (for anonymous callers) the replay secret, so that an id
// is scoped to whoever can repeat all three, and a dump reveals none of them.
// "" when `request_id` is empty.
std::string ScopedRequestId(absl::string_view principal,
                            absl::string_view request_id,
                            absl::string_view replay_secret,
                            absl::string_view key);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_TRACKING_CODE_H_
