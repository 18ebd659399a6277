// A Connection that times every call into the prongsai_db_call_seconds
// histogram and counts failures in prongsai_db_errors_total (labels: the
// backend and the operation, never SQL text or parameters). The worker pool
// wraps each worker's connection in it.
//
//   db_ = storage::Instrumented(*storage::Connect(url));
#ifndef PRONGSAI_COMMON_STORAGE_INSTRUMENTED_H_
#define PRONGSAI_COMMON_STORAGE_INSTRUMENTED_H_

#include <memory>

#include "common/storage/storage.h"

namespace prongsai::storage {

std::unique_ptr<Connection> Instrumented(std::unique_ptr<Connection> inner);

}  // namespace prongsai::storage

#endif  // PRONGSAI_COMMON_STORAGE_INSTRUMENTED_H_
