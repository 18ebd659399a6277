#include "services/complaint/key_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/base/status_macros.h"

namespace prongsai::complaint {

absl::StatusOr<ProtectionKeys> LoadProtectionKeyFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat("cannot read protection key file ", path));
  }
  std::stringstream text;
  text << in.rdbuf();
  return ProtectionKeys::Parse(text.str());
}

absl::Status CreateProtectionKeyFileIfMissing(const std::string& path) {
  const std::filesystem::path file(path);
  std::error_code error;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create the directory of protection key file ", path));
    }
  }
  // O_EXCL: an existing file (or one another process just made) is kept.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create protection key file ", path));
  }
  const std::string text = ProtectionKeys::GenerateFileText();
  const bool written =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = close(fd) == 0;
  if (!written || !closed) {
    unlink(path.c_str());  // never leave a half key file to be loaded later
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write protection key file ", path));
  }
  return absl::OkStatus();
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
