#include "tests/support/test_env.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace prongsai::testing {
namespace {

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

std::mutex scratch_mu;
std::vector<std::string>* scratch_dirs = nullptr;

void RemoveScratchDirs() {
  std::lock_guard<std::mutex> lock(scratch_mu);
  if (scratch_dirs == nullptr) return;
  for (const std::string& dir : *scratch_dirs) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
}

}  // namespace

bool BackendsRequired() {
  return Env("PRONGSAI_TEST_REQUIRE_BACKENDS").value_or("") == "1";
}

std::optional<std::string> PostgresUrl() { return Env("PRONGSAI_TEST_PG_URL"); }

std::optional<std::string> RedisUrl() { return Env("PRONGSAI_TEST_REDIS_URL"); }

std::string MakeScratchDir() {
  std::string base = Env("TMPDIR").value_or("/tmp");
  std::string pattern = absl::StrCat(base, "/prongsai-test-XXXXXX");
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed under " << base;
    return base;
  }
  std::lock_guard<std::mutex> lock(scratch_mu);
  if (scratch_dirs == nullptr) {
    scratch_dirs = new std::vector<std::string>();
    std::atexit(RemoveScratchDirs);
  }
  scratch_dirs->push_back(pattern);
  return pattern;
}

std::string RedisServerBinary() {
  return Env("PRONGSAI_REDIS_SERVER").value_or("redis-server");
}

int64_t ProcessStatusKiB(absl::string_view field) {
  std::ifstream status("/proc/self/status");
  const std::string prefix = absl::StrCat(field, ":");
  std::string line;
  while (std::getline(status, line)) {
    if (absl::StartsWith(line, prefix)) {
      return std::strtoll(line.c_str() + prefix.size(), nullptr, 10);
    }
  }
  return -1;
}

}  // namespace prongsai::testing
