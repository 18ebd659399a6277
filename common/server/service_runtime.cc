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

// protobuf's own parser refuses messages nested deeper than this; the search
// below stops there too, so a deeply nested request costs neither stack nor
// memory.
constexpr int kMaxNestingDepth = 100;

// Reads one base-128 varint from the front of `bytes`.
bool ConsumeVarint(absl::string_view& bytes, uint64_t& value) {
  value = 0;
  for (int shift = 0; shift < 64 && !bytes.empty(); shift += 7) {
    const uint8_t byte = static_cast<uint8_t>(bytes.front());
    bytes.remove_prefix(1);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

// Why a request failed to parse, found by walking its wire format in place
// (a normal parse stops at the first bad field without saying which or why).
struct ParseFailure {
  // The first string field whose bytes are not UTF-8, e.g.
  // "action_plan.dimensions[0].title"; empty when there is none.
  std::string invalid_utf8_path;
  // Whether messages nest deeper than kMaxNestingDepth.
  bool too_deep = false;
};

// Walks `bytes` as a `type` at nesting `depth`. Returns false when the
// search is over (a finding, or bytes that are not a message at all).
bool FindParseFailure(const google::protobuf::Descriptor& type,
                      absl::string_view bytes, const std::string& prefix,
                      int depth, ParseFailure& failure) {
  if (depth > kMaxNestingDepth) {
    failure.too_deep = true;
    return false;
  }
  std::map<int, int> seen;  // field number -> index for repeated fields
  while (!bytes.empty()) {
    uint64_t tag;
    if (!ConsumeVarint(bytes, tag)) return false;
    const int number = static_cast<int>(tag >> 3);
    uint64_t length = 0;
    switch (tag & 7) {
      case 0:  // varint
        if (!ConsumeVarint(bytes, length)) return false;
        continue;
      case 1:  // fixed64
        length = 8;
        break;
      case 5:  // fixed32
        length = 4;
        break;
      case 2:  // length-delimited
        if (!ConsumeVarint(bytes, length)) return false;
        break;
      default:  // groups do not exist in proto3
        return false;
    }
    if (length > bytes.size()) return false;
    const absl::string_view value = bytes.substr(0, length);
    bytes.remove_prefix(length);
    const google::protobuf::FieldDescriptor* field =
        type.FindFieldByNumber(number);
    if ((tag & 7) != 2 || field == nullptr) continue;
    std::string path = absl::StrCat(prefix, field->name());
    if (field->is_repeated()) absl::StrAppend(&path, "[", seen[number]++, "]");
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
        !Utf8Length(value).has_value()) {
      failure.invalid_utf8_path = std::move(path);
      return false;
    }
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE &&
        !FindParseFailure(*field->message_type(), value,
                          absl::StrCat(path, "."), depth + 1, failure)) {
      return false;
    }
  }
  return true;
}

// The path of the first string field under `message` holding a NUL byte
// (which PostgreSQL cannot store and no text needs), or "" when none does.
// Parsed messages nest at most kMaxNestingDepth deep.
std::string FindNulCharacter(const google::protobuf::Message& message) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    const bool is_string =
        field->type() == google::protobuf::FieldDescriptor::TYPE_STRING;
    const bool is_message =
        field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE;
    if (!is_string && !is_message) continue;
    const int count =
        field->is_repeated() ? reflection.FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      auto path = [&] {
        std::string path(field->name());
        if (field->is_repeated()) absl::StrAppend(&path, "[", i, "]");
        return path;
      };
      if (is_string) {
        std::string scratch;
        const std::string& value =
            field->is_repeated()
                ? reflection.GetRepeatedStringReference(message, field, i,
                                                        &scratch)
                : reflection.GetStringReference(message, field, &scratch);
        if (value.find('\0') != std::string::npos) return path();
        continue;
      }
      const google::protobuf::Message& inner =
          field->is_repeated()
              ? reflection.GetRepeatedMessage(message, field, i)
              : reflection.GetMessage(message, field);
      // Map entries name their key type's field; good enough for a path.
      std::string found = FindNulCharacter(inner);
      if (!found.empty()) return absl::StrCat(path(), ".", found);
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
  if (message.ParseFromString(wire)) {
    const std::string nul = FindNulCharacter(message);
    if (!nul.empty())
      return InvalidField(nul, "must not contain NUL characters");
    return absl::OkStatus();
  }
  ParseFailure failure;
  FindParseFailure(*message.GetDescriptor(), wire, "", 1, failure);
  if (failure.too_deep) {
    return InvalidField("request", absl::StrCat("nests messages deeper than ",
                                                kMaxNestingDepth, " levels"));
  }
  if (!failure.invalid_utf8_path.empty()) {
    return InvalidField(failure.invalid_utf8_path, "is not valid UTF-8");
  }
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
                               absl::Duration max_call_duration, Clock clock,
                               TrustedProxies trusted_proxies)
    : policy_(std::move(policy)),
      keys_(std::move(keys)),
      pool_(pool),
      max_call_duration_(max_call_duration),
      trusted_proxies_(std::move(trusted_proxies)),
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
               client = ClientOf(context->peer(),
                                 Metadata(context, "x-forwarded-for"),
                                 trusted_proxies_)](Worker& worker) mutable {
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
