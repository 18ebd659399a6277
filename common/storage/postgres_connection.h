// Internal to common/storage: the PostgreSQL backend behind storage::Connect.
//
//   OpenPostgres("postgresql://plan@db.internal/plan", {});
#ifndef PRONGSAI_COMMON_STORAGE_POSTGRES_CONNECTION_H_
#define PRONGSAI_COMMON_STORAGE_POSTGRES_CONNECTION_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/storage/storage.h"

namespace prongsai::storage::internal {

// Connects to the server named by libpq URL `url`.
absl::StatusOr<std::unique_ptr<Connection>> OpenPostgres(
    absl::string_view url, const ConnectOptions& options);

}  // namespace prongsai::storage::internal

#endif  // PRONGSAI_COMMON_STORAGE_POSTGRES_CONNECTION_H_
