// W3C Trace Context (https://www.w3.org/TR/trace-context/) for following one
// request across the gateway and the three services: a `traceparent` header
// is accepted when well-formed and created when absent, each process's work
// is a span of the trace, and every peer call carries it on. The trace id is
// logged beside the request id; it names no person and no data.
//
//   TraceContext incoming = TraceContext::FromHeader(header).value_or(
//       TraceContext::New());
//   TraceContext span = incoming.Child();
//   ScopedTrace current(span);           // peer calls on this thread now
//   ...                                  // send span.Child().Header()
#ifndef PRONGSAI_COMMON_BASE_TRACE_H_
#define PRONGSAI_COMMON_BASE_TRACE_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace prongsai {

class TraceContext {
 public:
  // A new trace (random trace id and span id), sampled.
  static TraceContext New();
  // A version-00 header "00-<32 hex>-<16 hex>-<2 hex>", lower-case hex,
  // neither id all zeros; nullopt for anything else (the caller then starts
  // a new trace rather than trusting a malformed one). A later version's
  // header is read by its first four fields, as the specification asks.
  static std::optional<TraceContext> FromHeader(absl::string_view header);

  // The same trace with a new span id: this process's span when called on
  // the incoming context, a peer call's span when called on this one.
  TraceContext Child() const;

  // "00-<trace id>-<span id>-<flags>".
  std::string Header() const;
  const std::string& trace_id() const { return trace_id_; }
  const std::string& span_id() const { return span_id_; }

 private:
  TraceContext(std::string trace_id, std::string span_id, std::string flags);

  std::string trace_id_;
  std::string span_id_;
  std::string flags_;
};

// Makes `trace` the current trace of this thread while it lives (the
// handler of a call runs on one worker thread), restoring the previous one.
class ScopedTrace {
 public:
  explicit ScopedTrace(const TraceContext& trace);
  ~ScopedTrace();
  ScopedTrace(const ScopedTrace&) = delete;
  ScopedTrace& operator=(const ScopedTrace&) = delete;

 private:
  const TraceContext* previous_;
};

// The current trace of this thread, or nullptr outside any call.
const TraceContext* CurrentTrace();

}  // namespace prongsai

#endif  // PRONGSAI_COMMON_BASE_TRACE_H_
