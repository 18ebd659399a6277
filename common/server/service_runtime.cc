#include "common/server/service_runtime.h"

#include <atomic>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/base/grpc_status.h"
#include "common/base/log.h"
#include "common/base/resource_name.h"
#include "common/base/validation.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"

namespace prongsai::server {
namespace {

constexpr absl::string_view kRequestIdHeader = "x-request-id";

std::optional<absl::string_view> Metadata(grpc::CallbackServerContext* context,
                                          absl::string_view key) {
  const auto& metadata = context->client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return std::nullopt;
  return absl::string_view(it->second.data(), it->second.size());
}

// The caller's request id when it is a short printable token, else a new one.
std::string RequestId(grpc::CallbackServerContext* context) {
  std::optional<absl::string_view> given = Metadata(context, kRequestIdHeader);
  if (given.has_value() && !given->empty() && given->size() <= 64) {
    bool printable = true;
    for (char c : *given) printable = printable && c > 0x20 && c < 0x7F;
    if (printable) return std::string(*given);
  }
  return NewResourceId();
}

// "ipv4:127.0.0.1:5000" -> "127.0.0.1"; "ipv6:[::1]:5000" -> "::1".
std::string ClientAddress(const std::string& peer) {
  absl::string_view address = peer;
  if (size_t colon = address.find(':'); colon != address.npos) {
    address.remove_prefix(colon + 1);
  }
  if (size_t port = address.rfind(':'); port != address.npos) {
    address = address.substr(0, port);
  }
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  return std::string(address);
}

// The path of the first string field under `type` whose bytes are not UTF-8,
// walking the wire format directly (a normal parse stops at the first such
// field without saying which). Empty when there is none.
std::string FindInvalidUtf8(const google::protobuf::Descriptor& type,
                            const std::string& bytes,
                            const std::string& prefix) {
  google::protobuf::UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes)) return "";
  std::map<int, int> seen;  // field number -> index for repeated fields
  for (int i = 0; i < fields.field_count(); ++i) {
    const google::protobuf::UnknownField& field = fields.field(i);
    if (field.type() != google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    const google::protobuf::FieldDescriptor* descriptor =
        type.FindFieldByNumber(field.number());
    if (descriptor == nullptr) continue;
    std::string path = absl::StrCat(prefix, descriptor->name());
    if (descriptor->is_repeated()) {
      absl::StrAppend(&path, "[", seen[field.number()]++, "]");
    }
    if (descriptor->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !Utf8Length(field.length_delimited()).has_value()) {
      return path;
    }
    if (descriptor->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      std::string inner =
          FindInvalidUtf8(*descriptor->message_type(), field.length_delimited(),
                          absl::StrCat(path, "."));
      if (!inner.empty()) return inner;
    }
  }
  return "";
}

}  // namespace

absl::Status ParseRequest(const grpc::ByteBuffer& bytes,
                          google::protobuf::Message& message) {
  std::vector<grpc::Slice> slices;
  if (!bytes.Dump(&slices).ok()) {
    return InvalidField("request", "cannot be read");
  }
  std::string wire;
  for (const grpc::Slice& slice : slices) {
    wire.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  if (message.ParseFromString(wire)) return absl::OkStatus();
  const std::string path = FindInvalidUtf8(*message.GetDescriptor(), wire, "");
  if (!path.empty()) return InvalidField(path, "is not valid UTF-8");
  return InvalidField("request",
                      absl::StrCat("is not a valid ", message.GetTypeName()));
}

absl::Status SerializeResponse(const google::protobuf::Message& message,
                               grpc::ByteBuffer& bytes) {
  std::string wire;
  if (!message.SerializeToString(&wire)) {
    return absl::InternalError("the response cannot be serialized");
  }
  grpc::Slice slice(wire);
  bytes = grpc::ByteBuffer(&slice, 1);
  return absl::OkStatus();
}

absl::Status CallContext::CheckOrganization(absl::string_view code) const {
  if (public_method) return absl::OkStatus();
  return auth::CheckOrganization(principal, code);
}

ServiceRuntime::ServiceRuntime(auth::AccessPolicy policy,
                               std::shared_ptr<const auth::KeyRing> keys,
                               WorkerPool* pool,
                               absl::Duration max_call_duration, Clock clock)
    : policy_(std::move(policy)),
      keys_(std::move(keys)),
      pool_(pool),
      max_call_duration_(max_call_duration),
      clock_(std::move(clock)) {}

void ServiceRuntime::Run(grpc::CallbackServerContext* context,
                         absl::string_view method, Handler handler,
                         std::function<void(const grpc::Status&)> done) {
  const absl::Time start = absl::Now();
  std::string request_id = RequestId(context);
  context->AddInitialMetadata(std::string(kRequestIdHeader), request_id);

  // Finishes the call and writes its one log line. Runs exactly once, on
  // whichever thread ends the call.
  auto finish = [done = std::move(done), method, start, request_id,
                 service = policy_.service_full_name()](
                    const absl::Status& status, absl::string_view principal) {
    log::Info("rpc", {{"method", absl::StrCat("/", service, "/", method)},
                      {"code", absl::StatusCodeToString(status.code())},
                      {"latency_ms",
                       absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(
                                                   absl::Now() - start))},
                      {"request_id", request_id},
                      {"principal", std::string(principal)}});
    done(ToGrpcStatus(status));
  };

  absl::StatusOr<auth::Principal> principal = Admit(context, method);
  if (!principal.ok()) {
    finish(principal.status(),
           principal.status().code() == absl::StatusCode::kUnauthenticated
               ? "-"
               : Admitted(context));
    return;
  }

  const absl::Time now = clock_();
  const absl::Time deadline = std::min(absl::FromChrono(context->deadline()),
                                       start + max_call_duration_);
  const bool public_method = policy_.IsPublic(method);
  // Copied before the task takes the principal: a refused task is destroyed
  // unrun, and the refusal still names the caller.
  const std::string principal_name = principal->name();
  auto task = [context, finish, handler = std::move(handler),
               principal = *std::move(principal), deadline, now, public_method,
               client =
                   ClientAddress(context->peer())](Worker& worker) mutable {
    absl::Status status;
    if (context->IsCancelled()) {
      status = absl::CancelledError("the caller cancelled the call");
    } else if (absl::Now() >= deadline) {
      status = absl::DeadlineExceededError(
          "the deadline passed while the call waited for a worker");
    } else {
      worker.SetDeadline(deadline);
      CallContext call{worker, principal, deadline, now, public_method, client};
      status = std::move(handler)(call);
    }
    finish(status, principal.name());
  };
  if (!pool_->Submit(std::move(task))) {
    finish(absl::ResourceExhaustedError("the server is overloaded; retry "
                                        "with back-off"),
           principal_name);
  }
}

absl::StatusOr<auth::Principal> ServiceRuntime::Admit(
    grpc::CallbackServerContext* context, absl::string_view method) const {
  PRONGSAI_ASSIGN_OR_RETURN(
      auth::Principal principal,
      keys_->Authenticate(Metadata(context, "authorization")));
  PRONGSAI_RETURN_IF_ERROR(policy_.Check(method, principal));
  if (!schema_ready()) {
    return absl::UnavailableError("the database is not reachable yet; retry");
  }
  return principal;
}

std::string ServiceRuntime::Admitted(
    grpc::CallbackServerContext* context) const {
  absl::StatusOr<auth::Principal> principal =
      keys_->Authenticate(Metadata(context, "authorization"));
  return principal.ok() ? principal->name() : "-";
}

grpc::ServerUnaryReactor* ServiceRuntime::Unary(
    grpc::CallbackServerContext* context, absl::string_view method,
    Handler handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Run(context, method, std::move(handler),
      [reactor](const grpc::Status& status) { reactor->Finish(status); });
  return reactor;
}

namespace {

// What all open client streams of the process may hold in memory at once,
// so that many slow streams cannot exhaust it (each is also bounded by its
// own max_bytes).
constexpr int64_t kMaxBufferedStreamBytes = int64_t{256} << 20;
std::atomic<int64_t> buffered_stream_bytes{0};

// Reads a client stream to its end (bounded by `max_bytes`, by the bytes
// all streams buffer, and by the server's longest call), then hands the
// messages to the runtime like a unary call. Deletes itself when done.
class ClientStreamReactor final
    : public grpc::ServerReadReactor<grpc::ByteBuffer> {
 public:
  ClientStreamReactor(ServiceRuntime& runtime,
                      grpc::CallbackServerContext* context,
                      absl::string_view method, size_t max_bytes,
                      ServiceRuntime::StreamHandler handler)
      : runtime_(runtime),
        context_(context),
        method_(method),
        max_bytes_(max_bytes),
        start_(absl::Now()),
        handler_(std::move(handler)) {
    // Refuse a caller before reading anything it sends.
    absl::StatusOr<auth::Principal> admitted =
        runtime_.Admit(context_, method_);
    if (!admitted.ok()) {
      Dispatch();  // logs and finishes with the same refusal
      return;
    }
    StartRead(&buffer_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Dispatch();
      return;
    }
    const int64_t length = static_cast<int64_t>(buffer_.Length());
    bytes_ += length;
    buffered_stream_bytes += length;
    if (bytes_ > max_bytes_) {
      refusal_ = absl::ResourceExhaustedError(
          absl::StrCat("the stream is larger than ", max_bytes_,
                       " bytes; send it in several calls"));
    } else if (buffered_stream_bytes.load() > kMaxBufferedStreamBytes) {
      refusal_ = absl::ResourceExhaustedError(
          "the server holds too many streams; retry with back-off");
    } else if (absl::Now() - start_ > runtime_.max_call_duration()) {
      refusal_ = absl::DeadlineExceededError(
          "the stream lasted longer than the server's longest call");
    }
    if (!refusal_.ok()) {
      Dispatch();
      return;
    }
    messages_.push_back(std::move(buffer_));
    buffer_.Clear();
    StartRead(&buffer_);
  }

  void OnDone() override {
    buffered_stream_bytes -= static_cast<int64_t>(bytes_);
    delete this;
  }

 private:
  void Dispatch() {
    runtime_.Run(
        context_, method_,
        [this](CallContext& call) -> absl::Status {
          if (!refusal_.ok()) return refusal_;
          return std::move(handler_)(call, messages_);
        },
        [this](const grpc::Status& status) { Finish(status); });
  }

  ServiceRuntime& runtime_;
  grpc::CallbackServerContext* const context_;
  const absl::string_view method_;
  const size_t max_bytes_;
  const absl::Time start_;
  ServiceRuntime::StreamHandler handler_;
  grpc::ByteBuffer buffer_;
  std::vector<grpc::ByteBuffer> messages_;
  size_t bytes_ = 0;
  absl::Status refusal_;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* ServiceRuntime::ClientStream(
    grpc::CallbackServerContext* context, absl::string_view method,
    size_t max_bytes, StreamHandler handler) {
  return new ClientStreamReactor(*this, context, method, max_bytes,
                                 std::move(handler));
}

}  // namespace prongsai::server
