// The protection key file on disk (its format is in protection.h): where the
// binary finds its keys, and the file it creates on a first start with the
// default path, so that a development start needs no setup. An explicit
// path is never created: a missing production key file must fail the start,
// not silently seal with new keys.
//
//   PRONGSAI_ASSIGN_OR_RETURN(
//       ProtectionKeys keys,
//       LoadProtectionKeys(std::getenv("PRONGSAI_PROTECTION_KEYS_TEXT"),
//                          absl::GetFlag(FLAGS_protection_keys)));
#ifndef PRONGSAI_SERVICES_COMPLAINT_KEY_FILE_H_
#define PRONGSAI_SERVICES_COMPLAINT_KEY_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/complaint/protection.h"

namespace prongsai::complaint {

// Where the keys are when neither the environment nor a flag says.
inline constexpr absl::string_view kDefaultProtectionKeyFile =
    "var/complaint.keys";

// The keys in the file at `path`: NOT_FOUND when it cannot be read, else as
// ProtectionKeys::Parse (errors never echo key material).
absl::StatusOr<ProtectionKeys> LoadProtectionKeyFile(const std::string& path);

// Writes a new key file (ProtectionKeys::GenerateFileText) at `path`,
// readable by its owner only (0600) and creating its directory, unless a
// file is already there, which is left as it is.
absl::Status CreateProtectionKeyFileIfMissing(const std::string& path);

// The keys the service starts with: `text` when given (the environment's
// PRONGSAI_PROTECTION_KEYS_TEXT), else the file at `path` (the flag); an
// empty `path` means `default_path`, created on first use.
absl::StatusOr<ProtectionKeys> LoadProtectionKeys(
    const char* text, const std::string& path,
    absl::string_view default_path = kDefaultProtectionKeyFile);

}  // namespace prongsai::complaint

#endif  // PRONGSAI_SERVICES_COMPLAINT_KEY_FILE_H_
