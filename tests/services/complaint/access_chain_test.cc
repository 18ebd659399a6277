// The identity-access hash chain without I/O: what it hashes, and each way a
// log can be tampered with that the check must name.
#include "services/complaint/access_chain.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_env.h"

namespace prongsai::complaint {
namespace {

using ::prongsai::testing::IsInvalidArgumentAt;
using ::prongsai::testing::IsOk;
using ::testing::HasSubstr;

AccessEntry Entry(int64_t sequence) {
  AccessEntry entry;
  entry.sequence = sequence;
  entry.organization = "6340101";
  entry.id = absl::StrCat("id-", sequence);
  entry.complaint_id = "c1";
  entry.reader = "integrity-officer";
  entry.reason = "ตรวจสอบข้อเท็จจริงตามคำสั่งที่ ๑/๒๕๖๙";
  entry.read_time_us = 1'700'000'000'000'000 + sequence;
  return entry;
}

// A correctly chained log of `count` entries.
std::vector<AccessEntry> Chain(int count) {
  std::vector<AccessEntry> entries;
  std::string previous;
  for (int sequence = 1; sequence <= count; ++sequence) {
    AccessEntry entry = Entry(sequence);
    entry.entry_hash = AccessEntryHash(previous, entry);
    previous = entry.entry_hash;
    entries.push_back(entry);
  }
  return entries;
}

v1::IdentityAccessLogVerification Check(
    const std::vector<AccessEntry>& entries,
    const v1::IdentityAccessLogHead& known_head = {}) {
  AccessChainCheck check(known_head);
  for (const AccessEntry& entry : entries) check.Add(entry);
  return check.Finish();
}

v1::IdentityAccessLogHead Head(const AccessEntry& entry) {
  v1::IdentityAccessLogHead head;
  head.set_sequence(entry.sequence);
  head.set_entry_hash(entry.entry_hash);
  return head;
}

TEST(AccessEntryHashTest, EveryFieldAndThePreviousHashCount) {
  const AccessEntry entry = Entry(1);
  const std::string hash = AccessEntryHash("", entry);
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash, AccessEntryHash("", entry));
  EXPECT_NE(hash, AccessEntryHash(std::string(64, '0'), entry));
  auto changed = [&](auto change) {
    AccessEntry other = entry;
    change(other);
    return AccessEntryHash("", other);
  };
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.sequence = 2; }));
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.organization = "6340102"; }));
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.id = "other"; }));
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.complaint_id = "c2"; }));
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.reader = "someone"; }));
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.reason += "."; }));
  EXPECT_NE(hash, changed([](AccessEntry& e) { e.read_time_us += 1; }));
  // Moving text from one field into the next is a different entry.
  EXPECT_NE(changed([](AccessEntry& e) {
              e.complaint_id = "c1x";
              e.reader = "y";
            }),
            changed([](AccessEntry& e) {
              e.complaint_id = "c1";
              e.reader = "xy";
            }));
}

TEST(AccessChainCheckTest, AWholeChainIsIntactAndReturnsItsHead) {
  const std::vector<AccessEntry> entries = Chain(5);
  const v1::IdentityAccessLogVerification verdict = Check(entries);
  EXPECT_TRUE(verdict.intact()) << verdict.problem();
  EXPECT_EQ(verdict.entry_count(), 5);
  EXPECT_EQ(verdict.head().sequence(), 5);
  EXPECT_EQ(verdict.head().entry_hash(), entries.back().entry_hash);
  EXPECT_TRUE(Check(entries, Head(entries[2])).intact());
  EXPECT_TRUE(Check({}).intact());
}

TEST(AccessChainCheckTest, AChangedEntryBreaksTheChainThere) {
  std::vector<AccessEntry> entries = Chain(5);
  entries[2].reason = "อยากรู้เฉย ๆ";
  const v1::IdentityAccessLogVerification verdict = Check(entries);
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 3);
  EXPECT_THAT(verdict.problem(), HasSubstr("entry 3 does not match its hash"));
}

TEST(AccessChainCheckTest, AChangedEntryWithItsHashRecomputedBreaksTheNext) {
  std::vector<AccessEntry> entries = Chain(5);
  entries[2].reader = "someone-else";
  entries[2].entry_hash = AccessEntryHash(entries[1].entry_hash, entries[2]);
  EXPECT_EQ(Check(entries).broken_at_sequence(), 4);
}

TEST(AccessChainCheckTest, ADeletedEntryIsAGap) {
  std::vector<AccessEntry> entries = Chain(5);
  entries.erase(entries.begin() + 1);
  const v1::IdentityAccessLogVerification verdict = Check(entries);
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 2);
  EXPECT_THAT(verdict.problem(), HasSubstr("entries 2 to 2 are missing"));
}

TEST(AccessChainCheckTest, AnEntryOutsideTheChainIsNamed) {
  AccessChainCheck check({});
  for (const AccessEntry& entry : Chain(2)) check.Add(entry);
  check.AddUnchained(Entry(0));
  const v1::IdentityAccessLogVerification verdict = check.Finish();
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.entry_count(), 3);
  EXPECT_THAT(verdict.problem(), HasSubstr("outside the chain"));
}

// Without a head kept elsewhere, a cut or rewritten log looks whole; with
// it, neither does.
TEST(AccessChainCheckTest, TheKnownHeadCatchesACutAndARewrite) {
  const std::vector<AccessEntry> entries = Chain(5);
  const v1::IdentityAccessLogHead head = Head(entries[4]);

  const std::vector<AccessEntry> cut(entries.begin(), entries.begin() + 3);
  EXPECT_TRUE(Check(cut).intact());
  v1::IdentityAccessLogVerification verdict = Check(cut, head);
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 5);
  EXPECT_THAT(verdict.problem(), HasSubstr("the log was cut"));

  std::vector<AccessEntry> rewritten = entries;
  rewritten[1].reason = "เหตุผลที่เขียนใหม่ทั้งหมด";
  std::string previous = rewritten[0].entry_hash;
  for (size_t i = 1; i < rewritten.size(); ++i) {
    rewritten[i].entry_hash = AccessEntryHash(previous, rewritten[i]);
    previous = rewritten[i].entry_hash;
  }
  EXPECT_TRUE(Check(rewritten).intact());
  verdict = Check(rewritten, head);
  EXPECT_FALSE(verdict.intact());
  EXPECT_EQ(verdict.broken_at_sequence(), 5);
  EXPECT_THAT(verdict.problem(), HasSubstr("no longer the known head"));
}

TEST(AccessChainCheckTest, AKnownHeadIsValidated) {
  v1::IdentityAccessLogHead head;
  EXPECT_THAT(ValidateKnownHead(head), IsOk());
  head.set_sequence(-1);
  EXPECT_THAT(ValidateKnownHead(head),
              IsInvalidArgumentAt("known_head.sequence"));
  head.set_sequence(3);
  head.set_entry_hash("ABC");
  EXPECT_THAT(ValidateKnownHead(head),
              IsInvalidArgumentAt("known_head.entry_hash"));
  head.set_entry_hash(std::string(64, 'A'));
  EXPECT_THAT(ValidateKnownHead(head),
              IsInvalidArgumentAt("known_head.entry_hash"));
  head.set_entry_hash(std::string(64, 'a'));
  EXPECT_THAT(ValidateKnownHead(head), IsOk());
  head.set_sequence(0);
  EXPECT_THAT(ValidateKnownHead(head),
              IsInvalidArgumentAt("known_head.entry_hash"));
}

}  // namespace
}  // namespace prongsai::complaint
