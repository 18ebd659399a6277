#include "common/base/private_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace prongsai {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          absl::string_view what) {
  std::ifstream in(path);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status CreatePrivateFileIfMissing(
    const std::string& path, absl::FunctionRef<std::string()> make_text,
    absl::string_view what) {
  const std::filesystem::path file(path);
  std::error_code error;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), error);
    if (error) {
      return absl::FailedPreconditionError(
          absl::StrCat("cannot create the directory of ", what, " ", path));
    }
  }
  // O_EXCL: an existing file (or one another process just made) is kept.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create ", what, " ", path));
  }
  const std::string text = make_text();
  const bool written =
      write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool closed = close(fd) == 0;
  if (!written || !closed) {
    unlink(path.c_str());  // never leave a half key file to be loaded later
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write ", what, " ", path));
  }
  return absl::OkStatus();
}

}  // namespace prongsai
