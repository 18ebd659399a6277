#include "services/complaint/key_file.h"

#include <string>

#include "common/base/private_file.h"
#include "common/base/status_macros.h"

namespace prongsai::complaint {

absl::StatusOr<ProtectionKeys> LoadProtectionKeyFile(const std::string& path) {
  PRONGSAI_ASSIGN_OR_RETURN(std::string text,
                            ReadWholeFile(path, "protection key file"));
  return ProtectionKeys::Parse(text);
}

absl::Status CreateProtectionKeyFileIfMissing(const std::string& path) {
  return CreatePrivateFileIfMissing(
      path, [] { return ProtectionKeys::GenerateFileText(); },
      "protection key file");
}

absl::StatusOr<ProtectionKeys> LoadProtectionKeys(
    const char* text, const std::string& path, absl::string_view default_path) {
  if (text != nullptr) return ProtectionKeys::Parse(text);
  if (!path.empty()) return LoadProtectionKeyFile(path);
  const std::string created(default_path);
  PRONGSAI_RETURN_IF_ERROR(CreateProtectionKeyFileIfMissing(created));
  return LoadProtectionKeyFile(created);
}

}  // namespace prongsai::complaint
