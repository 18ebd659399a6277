#include "common/rpc/grpc_status.h"

#include <string>

namespace prongsai {
namespace {

// absl::StatusCode and grpc::StatusCode are both the canonical codes of
// google.rpc.Code; the casts below are only correct while they line up.
#define PRONGSAI_CHECK_CODE(absl_code, grpc_code)                  \
  static_assert(static_cast<int>(absl::StatusCode::absl_code) ==   \
                    static_cast<int>(grpc::StatusCode::grpc_code), \
                "absl and gRPC status codes differ for " #grpc_code)
PRONGSAI_CHECK_CODE(kOk, OK);
PRONGSAI_CHECK_CODE(kCancelled, CANCELLED);
PRONGSAI_CHECK_CODE(kUnknown, UNKNOWN);
PRONGSAI_CHECK_CODE(kInvalidArgument, INVALID_ARGUMENT);
PRONGSAI_CHECK_CODE(kDeadlineExceeded, DEADLINE_EXCEEDED);
PRONGSAI_CHECK_CODE(kNotFound, NOT_FOUND);
PRONGSAI_CHECK_CODE(kAlreadyExists, ALREADY_EXISTS);
PRONGSAI_CHECK_CODE(kPermissionDenied, PERMISSION_DENIED);
PRONGSAI_CHECK_CODE(kResourceExhausted, RESOURCE_EXHAUSTED);
PRONGSAI_CHECK_CODE(kFailedPrecondition, FAILED_PRECONDITION);
PRONGSAI_CHECK_CODE(kAborted, ABORTED);
PRONGSAI_CHECK_CODE(kOutOfRange, OUT_OF_RANGE);
PRONGSAI_CHECK_CODE(kUnimplemented, UNIMPLEMENTED);
PRONGSAI_CHECK_CODE(kInternal, INTERNAL);
PRONGSAI_CHECK_CODE(kUnavailable, UNAVAILABLE);
PRONGSAI_CHECK_CODE(kDataLoss, DATA_LOSS);
PRONGSAI_CHECK_CODE(kUnauthenticated, UNAUTHENTICATED);
#undef PRONGSAI_CHECK_CODE

bool IsCanonical(int code) {
  return code >= static_cast<int>(absl::StatusCode::kOk) &&
         code <= static_cast<int>(absl::StatusCode::kUnauthenticated);
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const int code = static_cast<int>(status.code());
  if (!IsCanonical(code)) {
    return grpc::Status(grpc::StatusCode::UNKNOWN,
                        std::string(status.message()));
  }
  return grpc::Status(static_cast<grpc::StatusCode>(code),
                      std::string(status.message()));
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  const int code = static_cast<int>(status.error_code());
  if (!IsCanonical(code)) {
    return absl::UnknownError(status.error_message());
  }
  return absl::Status(static_cast<absl::StatusCode>(code),
                      status.error_message());
}

}  // namespace prongsai
