// Files that hold secrets (key files): read whole, and created readable by
// their owner only (0600), never overwriting one that is there.
//
//   PRONGSAI_RETURN_IF_ERROR(CreatePrivateFileIfMissing(
//       path, [] { return GenerateKeyText(); }, "protection key file"));
//   PRONGSAI_ASSIGN_OR_RETURN(std::string text,
//                             ReadWholeFile(path, "protection key file"));
#ifndef PRONGSAI_COMMON_BASE_PRIVATE_FILE_H_
#define PRONGSAI_COMMON_BASE_PRIVATE_FILE_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace prongsai {

// The file's contents; NOT_FOUND "cannot read <what> <path>" otherwise.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          absl::string_view what);

// Writes `make_text()` to a new file at `path` with mode 0600, creating its
// directory, unless a file is there already (it is left as it is, and
// `make_text` is not called). A half-written file is removed.
// FAILED_PRECONDITION naming `what` and `path` when it cannot be written.
absl::Status CreatePrivateFileIfMissing(
    const std::string& path, absl::FunctionRef<std::string()> make_text,
    absl::string_view what);

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_PRIVATE_FILE_H_
