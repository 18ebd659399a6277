// The one mapping between absl::Status (used everywhere inside Prongsai) and
// grpc::Status (used only at the RPC edge). Server code converts once when it
// finishes a call; client code converts once when a call returns.
//
//   reactor->Finish(prongsai::ToGrpcStatus(result.status()));
#ifndef PRONGSAI_COMMON_RPC_GRPC_STATUS_H_
#define PRONGSAI_COMMON_RPC_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace prongsai {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_RPC_GRPC_STATUS_H_
