#include "common/server/service_runtime.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/base/log.h"
#include "common/base/resource_name.h"
#include "common/base/trace.h"
#include "common/base/validation.h"
#include "common/metrics/metrics.h"
#include "common/rpc/grpc_status.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/alarm.h"

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

// Every x-forwarded-for header of the call, joined in order with commas (a
// proxy may add a header of its own instead of appending to the client's);
// nullopt when there is none.
std::optional<std::string> ForwardedFor(grpc::CallbackServerContext* context) {
  std::optional<std::string> joined;
  const auto range = context->client_metadata().equal_range("x-forwarded-for");
  for (auto it = range.first; it != range.second; ++it) {
    joined = joined.has_value() ? absl::StrCat(*joined, ",") : "";
    joined->append(it->second.data(), it->second.size());
  }
  return joined;
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

// What a walk over a request's wire format found in its string fields. A
// normal parse stops at the first bad field without saying which or why, and
// reflection would copy every map field to read it.
enum class Defect { kNone, kInvalidUtf8, kNul, kTooDeep };

// The next field of `bytes` (its number, wire type and, for a
// length-delimited field, its contents); false at the end or on bytes that
// are not a message.
bool NextField(absl::string_view& bytes, int& number, int& wire_type,
               absl::string_view& value) {
  uint64_t tag;
  uint64_t length = 0;
  if (bytes.empty() || !ConsumeVarint(bytes, tag)) return false;
  number = static_cast<int>(tag >> 3);
  wire_type = static_cast<int>(tag & 7);
  switch (wire_type) {
    case 0:  // varint
      return ConsumeVarint(bytes, length);
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
  value = bytes.substr(0, length);
  bytes.remove_prefix(length);
  return true;
}

// Walks `bytes` as a `type` at nesting `depth` (0 for the request itself)
// for the first string that is not UTF-8 (when `check_utf8`) or holds a
// NUL, or for nesting deeper than kMaxNestingDepth. On a finding, `path`
// gets the field path's segments, innermost first; nothing is allocated
// until then.
Defect FindDefect(const google::protobuf::Descriptor& type,
                  absl::string_view bytes, int depth, bool check_utf8,
                  std::vector<std::string>& path) {
  if (depth > kMaxNestingDepth) return Defect::kTooDeep;
  const absl::string_view message = bytes;
  int number;
  int wire_type;
  absl::string_view value;
  while (NextField(bytes, number, wire_type, value)) {
    const google::protobuf::FieldDescriptor* field =
        type.FindFieldByNumber(number);
    if (wire_type != 2 || field == nullptr) continue;
    Defect defect = Defect::kNone;
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_STRING) {
      if (check_utf8 && !Utf8Length(value).has_value()) {
        defect = Defect::kInvalidUtf8;
      } else if (value.find('\0') != value.npos) {
        defect = Defect::kNul;
      }
    } else if (field->type() ==
               google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      defect = FindDefect(*field->message_type(), value, depth + 1, check_utf8,
                          path);
    }
    if (defect == Defect::kNone) continue;
    if (defect == Defect::kTooDeep) return defect;  // "request" says it all
    std::string segment(field->name());
    if (field->is_repeated()) {
      // Which element: the earlier fields of this number in this message.
      int index = 0;
      absl::string_view before =
          message.substr(0, value.data() - message.data());
      int earlier_number;
      int earlier_type;
      absl::string_view earlier;
      while (NextField(before, earlier_number, earlier_type, earlier)) {
        if (earlier_number == number && earlier.data() != value.data()) ++index;
      }
      absl::StrAppend(&segment, "[", index, "]");
    }
    path.push_back(std::move(segment));
    return defect;
  }
  return Defect::kNone;
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
  const bool parsed = message.ParseFromString(wire);
  std::vector<std::string> path;
  // A parsed message has valid UTF-8 already; it may still hold a NUL.
  const Defect defect = FindDefect(*message.GetDescriptor(), wire, 0,
                                   /*check_utf8=*/!parsed, path);
  std::reverse(path.begin(), path.end());
  switch (defect) {
    case Defect::kTooDeep:
      return InvalidField("request", absl::StrCat("nests messages deeper than ",
                                                  kMaxNestingDepth, " levels"));
    case Defect::kInvalidUtf8:
      return InvalidField(absl::StrJoin(path, "."), "is not valid UTF-8");
    case Defect::kNul:
      return InvalidField(absl::StrJoin(path, "."),
                          "must not contain NUL characters");
    case Defect::kNone:
      break;
  }
  if (parsed) return absl::OkStatus();
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

namespace {

// The organization scope check of a call and of a stream message alike:
// methods open to the PUBLIC skip it.
absl::Status CheckScope(const auth::Principal& principal, bool public_method,
                        absl::string_view code) {
  if (public_method) return absl::OkStatus();
  return auth::CheckOrganization(principal, code);
}

}  // namespace

absl::Status CallContext::CheckOrganization(absl::string_view code) const {
  return CheckScope(principal, public_method, code);
}

absl::Status StreamCaller::CheckOrganization(absl::string_view code) const {
  return CheckScope(principal, public_method, code);
}

ServiceRuntime::ServiceRuntime(
    auth::AccessPolicy policy, std::shared_ptr<const auth::KeyRing> keys,
    std::shared_ptr<const auth::SessionVerifier> sessions, WorkerPool* pool,
    absl::Duration max_call_duration, Clock clock, StreamLimits stream_limits,
    TrustedProxies trusted_proxies)
    : policy_(std::move(policy)),
      keys_(std::move(keys)),
      sessions_(std::move(sessions)),
      pool_(pool),
      max_call_duration_(max_call_duration),
      trusted_proxies_(std::move(trusted_proxies)),
      clock_(std::move(clock)),
      stream_limits_(stream_limits) {}

void ServiceRuntime::Run(grpc::CallbackServerContext* context,
                         absl::string_view method, absl::string_view type,
                         Handler handler,
                         std::function<void(const grpc::Status&)> done) {
  const absl::Time start = absl::Now();
  std::string request_id = RequestId(context);
  context->AddInitialMetadata(std::string(kRequestIdHeader), request_id);
  metrics::Rpc().Started(policy_.service_full_name(), method, type);
  // This call's span of the caller's trace, or of a new one.
  TraceContext trace =
      TraceContext::FromHeader(Metadata(context, "traceparent").value_or(""))
          .value_or(TraceContext::New())
          .Child();

  // Finishes the call, writes its one log line and counts it. Runs exactly
  // once, on whichever thread ends the call.
  auto finish = [done = std::move(done), method, type, start, request_id,
                 trace_id = trace.trace_id(),
                 service = policy_.service_full_name()](
                    const absl::Status& status, absl::string_view principal) {
    metrics::Rpc().Handled(service, method, type, status.code(),
                           absl::Now() - start);
    if (!status.ok() || log::SampleOk()) {
      log::Info("rpc", {{"method", absl::StrCat("/", service, "/", method)},
                        {"code", absl::StatusCodeToString(status.code())},
                        {"latency_ms",
                         absl::StrFormat("%.3f", absl::ToDoubleMilliseconds(
                                                     absl::Now() - start))},
                        {"request_id", request_id},
                        {"trace_id", trace_id},
                        {"principal", std::string(principal)}});
    }
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
               trace = std::move(trace), principal = *std::move(principal),
               deadline, now, public_method,
               client = ClientOf(context->peer(), ForwardedFor(context),
                                 trusted_proxies_)](Worker& worker) mutable {
    absl::Status status;
    if (context->IsCancelled()) {
      status = absl::CancelledError("the caller cancelled the call");
    } else if (absl::Now() >= deadline) {
      status = absl::DeadlineExceededError(
          "the deadline passed while the call waited for a worker");
    } else {
      worker.SetDeadline(deadline);
      ScopedTrace current_trace(trace);
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

absl::StatusOr<auth::Principal> ServiceRuntime::Authenticate(
    grpc::CallbackServerContext* context) const {
  const std::optional<absl::string_view> authorization =
      Metadata(context, "authorization");
  absl::string_view bearer = authorization.value_or("");
  if (absl::ConsumePrefix(&bearer, "Bearer ") && auth::IsAccessToken(bearer)) {
    PRONGSAI_ASSIGN_OR_RETURN(auth::AccessClaims claims,
                              sessions_->Verify(bearer, clock_()));
    return claims.ToPrincipal();
  }
  return keys_->Authenticate(authorization);
}

absl::StatusOr<auth::Principal> ServiceRuntime::Admit(
    grpc::CallbackServerContext* context, absl::string_view method) const {
  PRONGSAI_ASSIGN_OR_RETURN(auth::Principal principal, Authenticate(context));
  PRONGSAI_RETURN_IF_ERROR(policy_.Check(method, principal));
  if (!schema_ready()) {
    return absl::UnavailableError("the database is not reachable yet; retry");
  }
  return principal;
}

std::string ServiceRuntime::Admitted(
    grpc::CallbackServerContext* context) const {
  absl::StatusOr<auth::Principal> principal = Authenticate(context);
  return principal.ok() ? principal->name() : "-";
}

grpc::ServerUnaryReactor* ServiceRuntime::Unary(
    grpc::CallbackServerContext* context, absl::string_view method,
    Handler handler) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  Run(context, method, "unary", std::move(handler),
      [reactor](const grpc::Status& status) { reactor->Finish(status); });
  return reactor;
}

absl::Status InStreamMessage(int64_t index, const absl::Status& status) {
  absl::string_view reason = status.message();
  const std::optional<std::string> path = FieldPathOf(status);
  if (path.has_value()) absl::ConsumePrefix(&reason, absl::StrCat(*path, ": "));
  return InvalidField(
      FieldPath(IndexedPath("messages", index), path.value_or("request")),
      reason);
}

absl::Status ServiceRuntime::BookStreamBytes(const std::string& caller,
                                             int64_t bytes) {
  absl::MutexLock lock(&stream_mu_);
  auto it = stream_bytes_by_caller_.try_emplace(caller, 0).first;
  if (bytes > 0) {
    absl::Status refusal;
    if (it->second + bytes > stream_limits_.caller_bytes) {
      refusal = absl::ResourceExhaustedError(absl::StrCat(
          "your open streams hold more than ", stream_limits_.caller_bytes,
          " bytes; finish one before starting another"));
    } else if (stream_bytes_ + bytes > stream_limits_.process_bytes) {
      refusal = absl::ResourceExhaustedError(
          "the server holds too many streams; retry with back-off");
    }
    if (!refusal.ok()) {
      if (it->second == 0) stream_bytes_by_caller_.erase(it);
      return refusal;
    }
  }
  it->second += bytes;
  stream_bytes_ += bytes;
  if (it->second == 0) stream_bytes_by_caller_.erase(it);
  return absl::OkStatus();
}

namespace {

// Reads a client stream message by message, handing each to the method's
// callback as it arrives, and then runs the method's finish like a unary
// call. Bounded by the stream's `max_bytes`, the runtime's StreamLimits and
// the longest call; a timer (grpc::Alarm) ends an idle or over-long stream
// even when no message comes to notice it.
//
// Ending: three threads may want to end the call at once (a read that
// completes, the timer, and at the start the admission check). Each decides
// under mu_, and only the one that flips `ending_` calls Dispatch, with the
// status and message count it read under the lock; the others see
// `ending_` and do nothing. So the call is dispatched, and finished, once.
//
// Lifetime: the reactor owns itself through `self_`, which Start sets and
// OnDone drops (nothing else touches it), so it lives until gRPC is done
// with the call. A timer holds only a weak pointer (weak_from_this(), fixed
// when the reactor was made and safe to read from any thread), locked for
// the length of its callback: a timer firing after OnDone finds nothing,
// one firing during OnDone keeps the reactor alive until it returns. The
// dispatched task uses `this` without a reference: it ends with Finish, and
// gRPC calls OnDone only after that.
class ClientStreamReactor final
    : public grpc::ServerReadReactor<grpc::ByteBuffer>,
      public std::enable_shared_from_this<ClientStreamReactor> {
 public:
  static ClientStreamReactor* Start(
      ServiceRuntime& runtime, grpc::CallbackServerContext* context,
      absl::string_view method, size_t max_bytes,
      ServiceRuntime::StreamMessageHandler on_message,
      ServiceRuntime::StreamFinishHandler finish) {
    std::shared_ptr<ClientStreamReactor> reactor(
        new ClientStreamReactor(runtime, context, method, max_bytes,
                                std::move(on_message), std::move(finish)));
    reactor->self_ = reactor;
    // Refuse a caller before reading anything it sends.
    absl::StatusOr<auth::Principal> admitted = runtime.Admit(context, method);
    if (!admitted.ok()) {
      {
        absl::MutexLock lock(&reactor->mu_);
        reactor->ending_ = true;
      }
      // Logs and finishes with the same refusal.
      reactor->Dispatch(admitted.status(), 0);
      return reactor.get();
    }
    // Before the first read or timer: read-only from then on.
    reactor->principal_.emplace(*std::move(admitted));
    absl::Time first_check;
    {
      absl::MutexLock lock(&reactor->mu_);
      first_check = reactor->NextCheck();
    }
    reactor->Arm(first_check);
    reactor->StartRead(&reactor->buffer_);
    return reactor.get();
  }

  void OnReadDone(bool ok) override {
    absl::Status refusal;
    int64_t messages = 0;
    bool end = false;
    {
      absl::MutexLock lock(&mu_);
      // Ended by the timer meanwhile: nothing more is read.
      if (ending_) return;
      if (ok) {
        last_message_ = absl::Now();
        refusal = Take();
        buffer_.Clear();
      }
      // The client ended the stream, or its message was refused.
      end = ending_ = !ok || !refusal.ok();
      messages = messages_;
    }
    // Outside the lock: either may call back into this reactor inline.
    if (end) {
      Dispatch(std::move(refusal), messages);
    } else {
      StartRead(&buffer_);
    }
  }

  void OnDone() override {
    std::unique_ptr<grpc::Alarm> alarm;
    ServiceRuntime::StreamMessageHandler on_message;
    int64_t booked = 0;
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
      alarm = std::move(alarm_);
      on_message = std::move(on_message_);
      booked = booked_;
      booked_ = 0;
    }
    alarm.reset();  // cancels it; its callback finds the reactor done
    // The state the callbacks kept goes before its bytes are given back.
    // (The task that ran `finish_` ended with Finish, before this.)
    on_message = nullptr;
    finish_ = nullptr;
    if (principal_.has_value() && booked > 0) {
      runtime_.BookStreamBytes(principal_->name(), -booked).IgnoreError();
    }
    std::shared_ptr<ClientStreamReactor> self = std::move(self_);
    // `this` may be deleted when `self` goes.
  }

 private:
  ClientStreamReactor(ServiceRuntime& runtime,
                      grpc::CallbackServerContext* context,
                      absl::string_view method, size_t max_bytes,
                      ServiceRuntime::StreamMessageHandler on_message,
                      ServiceRuntime::StreamFinishHandler finish)
      : runtime_(runtime),
        context_(context),
        method_(method),
        max_bytes_(static_cast<int64_t>(max_bytes)),
        start_(absl::Now()),
        last_message_(start_),
        on_message_(std::move(on_message)),
        finish_(std::move(finish)) {}

  // Books `bytes` more (or gives back, when negative) for this stream.
  absl::Status Book(int64_t bytes) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (bytes > 0 && booked_ + bytes > max_bytes_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the stream holds more than ", max_bytes_,
                       " bytes; send less in one call"));
    }
    PRONGSAI_RETURN_IF_ERROR(
        runtime_.BookStreamBytes(principal_->name(), bytes));
    booked_ += bytes;
    return absl::OkStatus();
  }

  // Hands the message in `buffer_` to the callback; its wire bytes are
  // booked before it is parsed, its parsed state after.
  absl::Status Take() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const int64_t wire = static_cast<int64_t>(buffer_.Length());
    PRONGSAI_RETURN_IF_ERROR(Book(wire));
    const StreamCaller caller{*principal_, runtime_.policy().IsPublic(method_)};
    absl::StatusOr<size_t> held = on_message_(caller, messages_++, buffer_);
    if (!held.ok()) return held.status();
    return Book(static_cast<int64_t>(*held) - wire);
  }

  absl::Time NextCheck() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return std::min(start_ + runtime_.max_call_duration(),
                    last_message_ + runtime_.stream_limits().idle_timeout);
  }

  // Sets a new timer for `when`, replacing (and so cancelling) the last.
  // Called by Start and by OnTimer, both of which keep the reactor alive
  // meanwhile. Never called with mu_ held: an alarm may fire inline.
  void Arm(absl::Time when) ABSL_LOCKS_EXCLUDED(mu_) {
    uint64_t sequence;
    {
      absl::MutexLock lock(&mu_);
      sequence = ++alarms_set_;
    }
    auto alarm = std::make_unique<grpc::Alarm>();
    alarm->Set(absl::ToChronoTime(when), [weak = weak_from_this()](bool fired) {
      if (std::shared_ptr<ClientStreamReactor> self = weak.lock()) {
        self->OnTimer(fired);
      }
    });
    {
      absl::MutexLock lock(&mu_);
      // A newer alarm may already be in place when this one fired at once
      // and its callback set the next: keep the newer.
      if (!done_ && sequence > alarm_sequence_) {
        alarm_sequence_ = sequence;
        std::swap(alarm, alarm_);
      }
    }
    // The replaced alarm (or the new one, when it is not kept) goes here,
    // outside the lock; destroying the alarm that is calling us is allowed.
  }

  // Runs in the alarm's callback, which holds a strong reference.
  void OnTimer(bool fired) ABSL_LOCKS_EXCLUDED(mu_) {
    if (!fired) return;  // cancelled
    absl::Status refusal;
    absl::Time next;
    int64_t messages = 0;
    {
      absl::MutexLock lock(&mu_);
      if (done_ || ending_) return;
      const absl::Time now = absl::Now();
      if (now - start_ >= runtime_.max_call_duration()) {
        refusal = absl::DeadlineExceededError(
            "the stream lasted longer than the server's longest call");
      } else if (now - last_message_ >= runtime_.stream_limits().idle_timeout) {
        refusal = absl::DeadlineExceededError(absl::StrCat(
            "the stream sent no complete message for ",
            absl::FormatDuration(runtime_.stream_limits().idle_timeout)));
      } else {
        next = NextCheck();  // a message came since the timer was set
      }
      if (!refusal.ok()) {
        ending_ = true;
        messages = messages_;
      }
    }
    if (refusal.ok()) {
      Arm(next);
    } else {
      // A read is still pending; it completes (not ok) once the call is
      // finished, and is then ignored.
      Dispatch(std::move(refusal), messages);
    }
  }

  // Ends the call through the runtime: with `refusal`, or, when it is OK,
  // with the method's finish on a worker. Called once, by the thread that
  // set `ending_`, with what it read under mu_.
  void Dispatch(absl::Status refusal, int64_t messages) {
    runtime_.Run(
        context_, method_, "client_stream",
        [this, refusal = std::move(refusal),
         messages](CallContext& call) -> absl::Status {
          if (!refusal.ok()) return refusal;
          return std::move(finish_)(call, messages);
        },
        [this](const grpc::Status& status) { Finish(status); });
  }

  ServiceRuntime& runtime_;
  grpc::CallbackServerContext* const context_;
  const absl::string_view method_;
  const int64_t max_bytes_;
  const absl::Time start_;
  // Set by Start, dropped by OnDone; see the class comment.
  std::shared_ptr<ClientStreamReactor> self_;
  // Set once admitted, before the first read or timer; read-only after.
  std::optional<auth::Principal> principal_;

  absl::Mutex mu_;
  absl::Time last_message_ ABSL_GUARDED_BY(mu_);
  // Whether the call is being ended (by the client, a refusal or the
  // timer): set once, by the thread that dispatches. And whether gRPC is
  // done with the call.
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<grpc::Alarm> alarm_ ABSL_GUARDED_BY(mu_);
  uint64_t alarms_set_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t alarm_sequence_ ABSL_GUARDED_BY(mu_) = 0;  // that of alarm_
  ServiceRuntime::StreamMessageHandler on_message_ ABSL_GUARDED_BY(mu_);
  int64_t messages_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t booked_ ABSL_GUARDED_BY(mu_) = 0;
  // Used by the dispatched task alone, then cleared by OnDone (which comes
  // after the task's Finish).
  ServiceRuntime::StreamFinishHandler finish_;
  // Filled by gRPC for the one pending read and emptied by OnReadDone, which
  // never overlap.
  grpc::ByteBuffer buffer_;
};

}  // namespace

grpc::ServerReadReactor<grpc::ByteBuffer>* ServiceRuntime::ClientStream(
    grpc::CallbackServerContext* context, absl::string_view method,
    size_t max_bytes, StreamMessageHandler on_message,
    StreamFinishHandler finish) {
  return ClientStreamReactor::Start(*this, context, method, max_bytes,
                                    std::move(on_message), std::move(finish));
}

}  // namespace prongsai::server
