#include "gateway/backends.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"

namespace prongsai::gateway {
namespace {

// "/prongsai.plan.v1.PlanService/GetOrganization" -> the service part, or ""
// when the path is not of that form.
absl::string_view ServiceOf(absl::string_view method_path) {
  if (!absl::ConsumePrefix(&method_path, "/")) return "";
  const size_t slash = method_path.find('/');
  if (slash == absl::string_view::npos || slash == 0 ||
      slash + 1 == method_path.size()) {
    return "";
  }
  return method_path.substr(0, slash);
}

void Prepare(const CallMetadata& metadata, grpc::ClientContext* context) {
  if (!metadata.authorization.empty()) {
    context->AddMetadata("authorization", metadata.authorization);
  }
  if (!metadata.request_id.empty()) {
    context->AddMetadata("x-request-id", metadata.request_id);
  }
  if (!metadata.client_address.empty()) {
    context->AddMetadata("x-forwarded-for", metadata.client_address);
  }
  context->set_deadline(absl::ToChronoTime(absl::Now() + metadata.timeout));
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

BackendAnswer FromBuffer(grpc::Status status, const grpc::ByteBuffer& buffer) {
  BackendAnswer answer;
  answer.status = std::move(status);
  if (!answer.status.ok()) return answer;
  grpc::Slice joined;
  if (!buffer.DumpToSingleSlice(&joined).ok()) {
    answer.status = grpc::Status(grpc::StatusCode::INTERNAL,
                                 "the backend's answer could not be read");
    return answer;
  }
  answer.response.assign(reinterpret_cast<const char*>(joined.begin()),
                         joined.size());
  return answer;
}

BackendAnswer NoChannel(absl::string_view method_path) {
  return {grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                       absl::StrCat("no backend serves ", method_path)),
          ""};
}

}  // namespace

Backends::Backends(
    absl::flat_hash_map<std::string, std::shared_ptr<grpc::Channel>> channels)
    : channels_(std::move(channels)) {}

std::shared_ptr<grpc::Channel> Backends::ChannelFor(
    absl::string_view service) const {
  auto it = channels_.find(service);
  return it == channels_.end() ? nullptr : it->second;
}

BackendAnswer Backends::Unary(absl::string_view method_path,
                              std::string request,
                              const CallMetadata& metadata) const {
  std::shared_ptr<grpc::Channel> channel = ChannelFor(ServiceOf(method_path));
  if (channel == nullptr) return NoChannel(method_path);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Prepare(metadata, &context);
  const grpc::ByteBuffer request_buffer = ToBuffer(request);
  grpc::ByteBuffer response_buffer;
  std::mutex mu;
  std::condition_variable done_cv;
  bool done = false;
  grpc::Status status;
  stub.UnaryCall(&context, std::string(method_path), grpc::StubOptions(),
                 &request_buffer, &response_buffer, [&](grpc::Status finished) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(finished);
                   done = true;
                   done_cv.notify_one();
                 });
  {
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done; });
  }
  return FromBuffer(std::move(status), response_buffer);
}

BackendAnswer Backends::ClientStream(absl::string_view method_path,
                                     const std::vector<std::string>& requests,
                                     const CallMetadata& metadata) const {
  std::shared_ptr<grpc::Channel> channel = ChannelFor(ServiceOf(method_path));
  if (channel == nullptr) return NoChannel(method_path);
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  Prepare(metadata, &context);
  grpc::CompletionQueue cq;
  // Each step waits for its own tag: the queue is private to this call, so
  // the next event is always the one just started.
  auto step = [&cq](void* expected) {
    void* tag = nullptr;
    bool ok = false;
    if (!cq.Next(&tag, &ok)) return false;
    return ok && tag == expected;
  };
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, std::string(method_path), &cq);
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  int tags[5];
  if (call != nullptr) {
    call->StartCall(&tags[0]);
    bool open = step(&tags[0]);
    for (size_t i = 0; open && i < requests.size(); ++i) {
      call->Write(ToBuffer(requests[i]), &tags[1]);
      open = step(&tags[1]);
    }
    if (open) {
      call->WritesDone(&tags[2]);
      open = step(&tags[2]);
    }
    if (open) {
      call->Read(&response_buffer, &tags[3]);
      step(&tags[3]);  // a failed read shows in the status below
    }
    call->Finish(&status, &tags[4]);
    // Finish always completes; drain anything still pending first.
    void* tag = nullptr;
    bool ok = false;
    while (cq.Next(&tag, &ok)) {
      if (tag == &tags[4]) break;
    }
  } else {
    status = grpc::Status(grpc::StatusCode::INTERNAL,
                          "the call could not be started");
  }
  cq.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (cq.Next(&tag, &ok)) {
  }
  return FromBuffer(std::move(status), response_buffer);
}

grpc::Status Backends::Call(absl::string_view method_path,
                            const google::protobuf::Message& request,
                            google::protobuf::Message* response,
                            const CallMetadata& metadata) const {
  std::string bytes;
  if (!request.SerializeToString(&bytes)) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "the request could not be serialized");
  }
  BackendAnswer answer = Unary(method_path, std::move(bytes), metadata);
  if (!answer.status.ok()) return answer.status;
  if (!response->ParseFromString(answer.response)) {
    return grpc::Status(
        grpc::StatusCode::INTERNAL,
        absl::StrCat("the answer of ", method_path, " does not parse"));
  }
  return grpc::Status::OK;
}

}  // namespace prongsai::gateway
