// What every test shares: StatusIs/IsInvalidArgumentAt matchers for
// absl::Status/StatusOr, the
// URLs of the real PostgreSQL and Redis that scripts/test starts, and scratch
// directories.
//
//   EXPECT_THAT(store.Get(id), StatusIs(absl::StatusCode::kNotFound));
//   std::optional<std::string> pg = PostgresUrlOrSkip();  // in a TEST body
#ifndef PRONGSAI_TESTS_SUPPORT_TEST_ENV_H_
#define PRONGSAI_TESTS_SUPPORT_TEST_ENV_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/base/validation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace prongsai::testing {

inline const absl::Status& GetStatus(const absl::Status& status) {
  return status;
}
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER_P(StatusIs, code,
          absl::StrCat("has status code ", absl::StatusCodeToString(code))) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == code;
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.ok();
}

// INVALID_ARGUMENT about `field_path`, by payload and by message
// ("<path>: <reason>"), for an absl::Status or StatusOr.
MATCHER_P(IsInvalidArgumentAt, field_path,
          absl::StrCat("is INVALID_ARGUMENT about ", field_path)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status;
  return status.code() == absl::StatusCode::kInvalidArgument &&
         FieldPathOf(status) == std::string(field_path) &&
         absl::StartsWith(status.message(), absl::StrCat(field_path, ": "));
}

// `text` `times` times over: input just over a length limit.
inline std::string RepeatText(absl::string_view text, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out.append(text.data(), text.size());
  return out;
}

// PRONGSAI_TEST_PG_URL, e.g. "postgresql://prongsai@127.0.0.1:54321/prongsai".
// Unset: nullopt, unless PRONGSAI_TEST_REQUIRE_BACKENDS=1 (set by
// scripts/test and CI), in which case the test fails instead of skipping.
std::optional<std::string> PostgresUrl();
// PRONGSAI_TEST_REDIS_URL, e.g. "redis://127.0.0.1:63791". Same rules.
std::optional<std::string> RedisUrl();

// True when a missing backend must fail the run rather than skip.
bool BackendsRequired();

// A new empty directory under $TMPDIR, removed at process exit.
std::string MakeScratchDir();

// Path of the `redis-server` binary to start private instances with.
std::string RedisServerBinary();

// A figure of this process from /proc/self/status in KiB, e.g. "VmRSS"
// (resident now) or "VmHWM" (resident high-water mark); -1 when absent.
int64_t ProcessStatusKiB(absl::string_view field);

}  // namespace prongsai::testing

// Skips (or, when backends are required, fails) the current test if the
// named backend is not configured. Use at the top of a TEST body.
#define PRONGSAI_REQUIRE_BACKEND(optional_url, what)                 \
  do {                                                               \
    if (!(optional_url).has_value()) {                               \
      if (::prongsai::testing::BackendsRequired()) {                 \
        FAIL() << (what) << " is required but its URL is not set";   \
      }                                                              \
      GTEST_SKIP() << (what) << " not configured; run scripts/test"; \
    }                                                                \
  } while (false)

#endif  // PRONGSAI_TESTS_SUPPORT_TEST_ENV_H_
