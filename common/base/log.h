// A tiny structured-logging facade: one line per event on stderr, as
// `time level event key=value ...`, easy to grep and to ship. gRPC's own log
// is routed here by rpc::RouteGrpcLogsHere() (common/rpc/grpc_log.h) so a
// server writes one format.
//
//   log::Info("rpc", {{"method", method}, {"code", "OK"},
//                     {"latency_ms", "1.2"}});
//   // 2026-12-02T04:03:06.123Z INFO rpc method=GetActionPlan code=OK ...
//
// A value is written bare unless it is empty or holds a space, '=', '"', a
// tab or a newline; then it is quoted, with '"' and '\' escaped by a
// backslash and a newline written as \n, so an event is always one line.
// Callers must never pass personal data, secrets or free text taken from a
// request.
#ifndef PRONGSAI_COMMON_BASE_LOG_H_
#define PRONGSAI_COMMON_BASE_LOG_H_

#include <initializer_list>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace prongsai::log {

enum class Level { kDebug, kInfo, kWarning, kError };

using Field = std::pair<absl::string_view, std::string>;

void Write(Level level, absl::string_view event,
           std::initializer_list<Field> fields);

inline void Info(absl::string_view event, std::initializer_list<Field> fields) {
  Write(Level::kInfo, event, fields);
}
inline void Warning(absl::string_view event,
                    std::initializer_list<Field> fields) {
  Write(Level::kWarning, event, fields);
}
inline void Error(absl::string_view event,
                  std::initializer_list<Field> fields) {
  Write(Level::kError, event, fields);
}

// Lines below `level` are dropped. Default: kInfo.
void SetMinLevel(Level level);

// kText is the `time level event key=value` line above; kJson writes each
// event as one JSON object per line, {"time":..., "level":..., "event":...,
// "key":"value", ...}, every value a string (for log shippers that parse
// JSON). Default: kText.
enum class Format { kText, kJson };
void SetFormat(Format format);

// Sampling of the lines of successful calls: with `every` = N, SampleOk()
// is true for one call in N (1, the default, logs every call). Under load a
// line per call costs a real share of the throughput; errors are never
// sampled, callers log them whatever SampleOk says.
void SetOkSampling(int every);
bool SampleOk();

// What the binaries' --log_format and --log_ok_every flags set: `format`
// "text" or "json", `ok_every` >= 1. INVALID_ARGUMENT naming the flag
// otherwise, with nothing changed.
absl::Status Configure(absl::string_view format, int ok_every);

}  // namespace prongsai::log

#endif  // PRONGSAI_COMMON_BASE_LOG_H_
