#include "common/base/trace.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace prongsai {
namespace {

thread_local const TraceContext* current_trace = nullptr;

// `bytes` random bytes as lower-case hex, never all zeros.
std::string RandomHex(size_t bytes) {
  if (sodium_init() < 0) std::abort();  // No randomness: refuse to run.
  std::vector<uint8_t> random(bytes);
  do {
    randombytes_buf(random.data(), random.size());
  } while (std::all_of(random.begin(), random.end(),
                       [](uint8_t b) { return b == 0; }));
  std::string hex(bytes * 2, '0');
  sodium_bin2hex(hex.data(), hex.size() + 1, random.data(), random.size());
  return hex;
}

bool IsLowerHex(absl::string_view text, size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!absl::ascii_isdigit(c) && (c < 'a' || c > 'f')) return false;
  }
  return text.find_first_not_of('0') != absl::string_view::npos ||
         length == 2;  // flags may be 00
}

}  // namespace

TraceContext::TraceContext(std::string trace_id, std::string span_id,
                           std::string flags)
    : trace_id_(std::move(trace_id)),
      span_id_(std::move(span_id)),
      flags_(std::move(flags)) {}

TraceContext TraceContext::New() {
  return TraceContext(RandomHex(16), RandomHex(8), "01");
}

std::optional<TraceContext> TraceContext::FromHeader(absl::string_view header) {
  std::vector<absl::string_view> parts = absl::StrSplit(header, '-');
  if (parts.size() < 4 || !IsLowerHex(parts[0], 2) || parts[0] == "ff") {
    return std::nullopt;
  }
  // Version 00 has exactly four fields; a later one may add more.
  if (parts[0] == "00" && parts.size() != 4) return std::nullopt;
  if (!IsLowerHex(parts[1], 32) || !IsLowerHex(parts[2], 16) ||
      !IsLowerHex(parts[3], 2)) {
    return std::nullopt;
  }
  return TraceContext(std::string(parts[1]), std::string(parts[2]),
                      std::string(parts[3]));
}

TraceContext TraceContext::Child() const {
  return TraceContext(trace_id_, RandomHex(8), flags_);
}

std::string TraceContext::Header() const {
  return absl::StrCat("00-", trace_id_, "-", span_id_, "-", flags_);
}

ScopedTrace::ScopedTrace(const TraceContext& trace) : previous_(current_trace) {
  current_trace = &trace;
}

ScopedTrace::~ScopedTrace() { current_trace = previous_; }

const TraceContext* CurrentTrace() { return current_trace; }

}  // namespace prongsai
