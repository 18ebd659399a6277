#include "gateway/backends.h"

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/base/trace.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/support/byte_buffer.h"

namespace prongsai::gateway {
namespace {

void Prepare(const CallMetadata& metadata, grpc::ClientContext* context) {
  context->set_deadline(absl::ToChronoTime(absl::Now() + metadata.timeout));
  if (!metadata.authorization.empty()) {
    context->AddMetadata("authorization", metadata.authorization);
  }
  if (!metadata.request_id.empty()) {
    context->AddMetadata("x-request-id", metadata.request_id);
  }
  if (!metadata.client_address.empty()) {
    context->AddMetadata("x-forwarded-for", metadata.client_address);
  }
  // The HTTP request's trace (gateway_server.cc), carried on to the service.
  if (const TraceContext* trace = CurrentTrace(); trace != nullptr) {
    context->AddMetadata("traceparent", trace->Child().Header());
  }
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromBuffer(const grpc::ByteBuffer& buffer) {
  grpc::Slice slice;
  if (!buffer.TrySingleSlice(&slice).ok() &&
      !buffer.DumpToSingleSlice(&slice).ok()) {
    return "";
  }
  return std::string(reinterpret_cast<const char*>(slice.begin()),
                     slice.size());
}

// "prongsai.plan.v1.PlanService" of "/prongsai.plan.v1.PlanService/Get".
absl::string_view ServiceOf(absl::string_view method_path) {
  absl::ConsumePrefix(&method_path, "/");
  return method_path.substr(0, method_path.find('/'));
}

BackendAnswer NoService(absl::string_view method_path) {
  return {grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                       absl::StrCat("no service is configured for ",
                                    ServiceOf(method_path))),
          ""};
}

}  // namespace

Backends::Backends(
    const absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>>&
        channels) {
  for (const auto& [service, channel] : channels) {
    pools_[service].push_back(channel);
  }
}

Backends::Backends(absl::flat_hash_map<
                   std::string, std::vector<std::shared_ptr<grpc::Channel>>>
                       pools)
    : pools_(std::move(pools)) {}

std::shared_ptr<grpc::Channel> Backends::ChannelFor(
    absl::string_view service) const {
  auto it = pools_.find(service);
  if (it == pools_.end() || it->second.empty()) return nullptr;
  // Threads are numbered as they first call; each keeps its channel.
  static std::atomic<size_t> next_thread{0};
  thread_local size_t thread_number = next_thread++;
  return it->second[thread_number % it->second.size()];
}

std::vector<std::string> Backends::services() const {
  std::vector<std::string> names;
  for (const auto& [name, pool] : pools_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

BackendAnswer Backends::Unary(absl::string_view method_path,
                              const std::string& request,
                              const CallMetadata& metadata) const {
  return UnaryOn(ServiceOf(method_path), method_path, request, metadata);
}

BackendAnswer Backends::UnaryOn(absl::string_view service,
                                absl::string_view method_path,
                                const std::string& request,
                                const CallMetadata& metadata) const {
  std::shared_ptr<grpc::Channel> channel = ChannelFor(service);
  if (channel == nullptr) return NoService(method_path);
  grpc::ClientContext context;
  Prepare(metadata, &context);
  const grpc::ByteBuffer request_buffer = ToBuffer(request);
  grpc::ByteBuffer response_buffer;
  // What a generated synchronous stub calls: the call runs on this thread's
  // own completion queue, so answering costs no hand-off between threads
  // (the callback API's wake-up doubled the gateway's latency).
  const grpc::Status status =
      grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
          channel.get(),
          grpc::internal::RpcMethod(std::string(method_path).c_str(),
                                    grpc::internal::RpcMethod::NORMAL_RPC),
          &context, request_buffer, &response_buffer);
  if (!status.ok()) return {status, ""};
  return {status, FromBuffer(response_buffer)};
}

BackendAnswer Backends::ClientStream(absl::string_view method_path,
                                     const std::vector<std::string>& requests,
                                     const CallMetadata& metadata) const {
  std::shared_ptr<grpc::Channel> channel = ChannelFor(ServiceOf(method_path));
  if (channel == nullptr) return NoService(method_path);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Prepare(metadata, &context);
  grpc::CompletionQueue queue;
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, std::string(method_path), &queue);
  // Each step waits for its own tag before the next: one operation of each
  // kind at a time, as the async API requires.
  auto step = [&queue](auto&& start) {
    start();
    void* tag = nullptr;
    bool ok = false;
    queue.Next(&tag, &ok);
    return ok;
  };
  int tag = 0;
  bool open = step([&] { call->StartCall(&tag); });
  for (size_t i = 0; open && i < requests.size(); ++i) {
    const grpc::ByteBuffer buffer = ToBuffer(requests[i]);
    open = step([&] { call->Write(buffer, &tag); });
  }
  if (open) step([&] { call->WritesDone(&tag); });
  grpc::ByteBuffer response_buffer;
  const bool got_answer = step([&] { call->Read(&response_buffer, &tag); });
  grpc::Status status;
  step([&] { call->Finish(&status, &tag); });
  queue.Shutdown();
  void* ignored_tag = nullptr;
  bool ignored_ok = false;
  while (queue.Next(&ignored_tag, &ignored_ok)) {
  }
  if (!status.ok() || !got_answer) {
    if (status.ok()) {
      status = grpc::Status(grpc::StatusCode::INTERNAL,
                            "the service ended the stream without an answer");
    }
    return {status, ""};
  }
  return {status, FromBuffer(response_buffer)};
}

grpc::Status Backends::Call(absl::string_view method_path,
                            const google::protobuf::Message& request,
                            google::protobuf::Message* response,
                            const CallMetadata& metadata) const {
  BackendAnswer answer =
      Unary(method_path, request.SerializeAsString(), metadata);
  if (!answer.status.ok()) return answer.status;
  if (!response->ParseFromString(answer.response)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "the service's answer does not parse");
  }
  return grpc::Status::OK;
}

}  // namespace prongsai::gateway
