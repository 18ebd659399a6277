#include "services/complaint/access_chain.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/validation.h"
#include "services/complaint/photo.h"

namespace prongsai::complaint {
namespace {

// Bumped if the encoding ever changes, so old and new hashes cannot meet.
constexpr absl::string_view kChainVersion = "prongsai.identity_access.v1";

void AppendField(std::string& out, absl::string_view field) {
  absl::StrAppend(&out, field.size(), ":", field, ";");
}

bool IsLowerHex64(absl::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

}  // namespace

std::string AccessEntryHash(absl::string_view previous_hash,
                            const AccessEntry& entry) {
  std::string encoded;
  for (absl::string_view field :
       {kChainVersion, previous_hash, absl::string_view(entry.organization),
        absl::string_view(entry.id), absl::string_view(entry.complaint_id),
        absl::string_view(entry.reader), absl::string_view(entry.reason)}) {
    AppendField(encoded, field);
  }
  AppendField(encoded, absl::StrCat(entry.sequence));
  AppendField(encoded, absl::StrCat(entry.read_time_us));
  return Sha256Hex(encoded);
}

absl::Status ValidateKnownHead(const v1::IdentityAccessLogHead& head) {
  if (head.sequence() < 0) {
    return InvalidField("known_head.sequence", "must not be negative");
  }
  if (head.sequence() == 0 && !head.entry_hash().empty()) {
    return InvalidField("known_head.entry_hash",
                        "must be empty for an empty log (sequence 0)");
  }
  if (head.sequence() > 0 && !IsLowerHex64(head.entry_hash())) {
    return InvalidField("known_head.entry_hash",
                        "must be 64 lower-case hexadecimal digits");
  }
  return absl::OkStatus();
}

void AccessChainCheck::Break(int64_t sequence, std::string problem) {
  if (broken_at_ != 0 || !problem_.empty()) return;  // The first break only.
  broken_at_ = sequence;
  problem_ = std::move(problem);
}

void AccessChainCheck::Add(const AccessEntry& entry) {
  ++count_;
  if (entry.sequence != last_sequence_ + 1) {
    Break(last_sequence_ + 1,
          entry.sequence <= last_sequence_
              ? absl::StrCat("entry ", entry.sequence, " appears twice")
              : absl::StrCat("entries ", last_sequence_ + 1, " to ",
                             entry.sequence - 1, " are missing"));
  } else if (entry.entry_hash != AccessEntryHash(last_hash_, entry)) {
    Break(entry.sequence,
          absl::StrCat("entry ", entry.sequence,
                       " does not match its hash: it, or an entry before it, "
                       "was changed"));
  }
  if (entry.sequence == known_head_.sequence()) {
    known_head_seen_ = true;
    if (entry.entry_hash != known_head_.entry_hash()) {
      Break(entry.sequence, absl::StrCat("entry ", entry.sequence,
                                         " is no longer the known head: the "
                                         "log was rewritten up to there"));
    }
  }
  last_sequence_ = entry.sequence;
  last_hash_ = entry.entry_hash;
}

void AccessChainCheck::AddUnchained(const AccessEntry& entry) {
  ++count_;
  Break(0, absl::StrCat("an entry outside the chain (id ", entry.id,
                        ") was added to the log"));
}

v1::IdentityAccessLogVerification AccessChainCheck::Finish() const {
  v1::IdentityAccessLogVerification verdict;
  verdict.set_entry_count(count_);
  verdict.mutable_head()->set_sequence(last_sequence_);
  verdict.mutable_head()->set_entry_hash(last_hash_);
  int64_t broken_at = broken_at_;
  std::string problem = problem_;
  if (problem.empty() && known_head_.sequence() > 0 && !known_head_seen_) {
    broken_at = known_head_.sequence();
    problem = absl::StrCat("the known head, entry ", known_head_.sequence(),
                           ", is no longer in the log: the log was cut");
  }
  verdict.set_intact(problem.empty());
  verdict.set_broken_at_sequence(broken_at);
  verdict.set_problem(std::move(problem));
  return verdict;
}

}  // namespace prongsai::complaint
