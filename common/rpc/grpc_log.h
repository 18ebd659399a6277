// gRPC core writes its own log lines (connection errors, shutdown notes) in
// its own format. A server routes them through prongsai's structured log so
// that every line it writes has one shape:
//
//   rpc::RouteGrpcLogsHere();  // in main, before the server starts
//
// They come out as event "grpc" with the file, line and message fields.
#ifndef PRONGSAI_COMMON_RPC_GRPC_LOG_H_
#define PRONGSAI_COMMON_RPC_GRPC_LOG_H_

namespace prongsai::rpc {

// Sends gRPC core's log lines through log::Write (event "grpc").
void RouteGrpcLogsHere();

}  // namespace prongsai::rpc

#endif  // PRONGSAI_COMMON_RPC_GRPC_LOG_H_
