#include "tools/cli/keys.h"

#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "common/auth/key_ring.h"

namespace prongsai::cli {

int KeysAdd(const CliOptions& options, const Args& /*args*/) {
  const std::string file = Require(options.file, "file");
  const std::string name = Require(options.name, "name");
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') {
      UsageError("--name may hold only letters, digits, '-', '_', '.'");
    }
  }
  const std::string roles = Require(options.roles, "roles");
  if (absl::StatusOr<std::vector<auth::Role>> parsed = auth::ParseRoles(roles);
      !parsed.ok()) {
    UsageError(std::string(parsed.status().message()));
  }
  const std::string key = auth::GenerateKey();
  // The file holds only hashes, but it still decides who may do what.
  const mode_t previous = umask(077);
  std::ofstream out(file, std::ios::app);
  umask(previous);
  out << auth::FormatKeyLine(auth::HashKey(key), name, roles, options.orgs);
  if (!out) return Fail(absl::UnavailableError("cannot write " + file));
  // The only time the key is ever shown.
  std::cout << key << "\n";
  return 0;
}

}  // namespace prongsai::cli
