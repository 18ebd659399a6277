// Early-return helpers for absl::Status and absl::StatusOr<T>. Debian's Abseil
// (20220623) has no public RETURN_IF_ERROR, so the project keeps its own.
//
//   PRONGSAI_RETURN_IF_ERROR(db.Execute("DELETE ..."));
//   PRONGSAI_ASSIGN_OR_RETURN(Row row, FetchOne(db, id));
#ifndef PRONGSAI_COMMON_BASE_STATUS_MACROS_H_
#define PRONGSAI_COMMON_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PRONGSAI_RETURN_IF_ERROR(expr)                                      \
  do {                                                                      \
    if (::absl::Status prongsai_status_ = (expr); !prongsai_status_.ok()) { \
      return prongsai_status_;                                              \
    }                                                                       \
  } while (false)

#define PRONGSAI_STATUS_CONCAT_INNER_(a, b) a##b
#define PRONGSAI_STATUS_CONCAT_(a, b) PRONGSAI_STATUS_CONCAT_INNER_(a, b)

#define PRONGSAI_ASSIGN_OR_RETURN(lhs, expr) \
  PRONGSAI_ASSIGN_OR_RETURN_IMPL_(           \
      PRONGSAI_STATUS_CONCAT_(prongsai_statusor_, __LINE__), lhs, expr)

// `statusor` names a variable and `lhs` may be a declaration: neither can be
// put in parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define PRONGSAI_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  if (!statusor.ok()) {                                      \
    return std::move(statusor).status();                     \
  }                                                          \
  lhs = *std::move(statusor)
// NOLINTEND(bugprone-macro-parentheses)

#endif  // PRONGSAI_COMMON_BASE_STATUS_MACROS_H_
