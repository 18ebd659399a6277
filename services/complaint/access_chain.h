// The identity-access log as a hash chain (issue 15): each read of a
// protected identity is stored with the SHA-256 of its fields and of the
// entry before it, so that deleting, changing, reordering or inserting an
// entry breaks every hash from there on. Pure: the store writes and reads
// the entries, this file only hashes and checks them.
//
//   AccessChainCheck check(known_head);
//   for (const AccessEntry& entry : entries_in_sequence_order) {
//     check.Add(entry);
//   }
//   v1::IdentityAccessLogVerification verdict = check.Finish();
#ifndef PRONGSAI_SERVICES_COMPLAINT_ACCESS_CHAIN_H_
#define PRONGSAI_SERVICES_COMPLAINT_ACCESS_CHAIN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "prongsai/complaint/v1/complaint.pb.h"

namespace prongsai::complaint {

// One entry of an organization's log, as stored.
struct AccessEntry {
  int64_t sequence = 0;  // 1, 2, ... within the organization
  std::string organization;
  std::string id;
  std::string complaint_id;
  std::string reader;
  std::string reason;
  int64_t read_time_us = 0;
  std::string entry_hash;  // as stored; ignored by AccessEntryHash
};

// The hash `entry` must carry when it follows an entry whose hash is
// `previous_hash` ("" before the first): SHA-256, lower-case hex, of a
// versioned, length-prefixed encoding of every field, so that no two
// different entries (or field splits) hash alike.
std::string AccessEntryHash(absl::string_view previous_hash,
                            const AccessEntry& entry);

// INVALID_ARGUMENT with the field path when `head` cannot be a head:
// negative sequence, a hash that is not 64 lower-case hex digits, or a
// hash on an empty log.
absl::Status ValidateKnownHead(const v1::IdentityAccessLogHead& head);

// Walks one organization's entries in stored sequence order and reports the
// first break. `known_head` (sequence 0 = none given) must be among them.
class AccessChainCheck {
 public:
  explicit AccessChainCheck(const v1::IdentityAccessLogHead& known_head)
      : known_head_(known_head) {}

  void Add(const AccessEntry& entry);
  // An entry without a sequence: it was slipped in outside the chain.
  void AddUnchained(const AccessEntry& entry);
  v1::IdentityAccessLogVerification Finish() const;

 private:
  void Break(int64_t sequence, std::string problem);

  v1::IdentityAccessLogHead known_head_;
  bool known_head_seen_ = false;
  int64_t count_ = 0;
  int64_t last_sequence_ = 0;
  std::string last_hash_;
  int64_t broken_at_ = 0;
  std::string problem_;
};

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_ACCESS_CHAIN_H_
