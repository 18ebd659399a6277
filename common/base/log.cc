#include "common/base/log.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace prongsai::log {
namespace {

std::atomic<Level> min_level{Level::kInfo};
std::atomic<Format> format{Format::kText};
std::atomic<int> ok_sampling{1};
std::atomic<uint64_t> ok_calls{0};

absl::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "DEBUG";
    case Level::kInfo:
      return "INFO";
    case Level::kWarning:
      return "WARN";
    case Level::kError:
      return "ERROR";
  }
  return "INFO";
}

void AppendValue(std::string& line, absl::string_view value) {
  const bool needs_quotes =
      value.empty() || value.find_first_of(" =\"\n\t") != value.npos;
  if (!needs_quotes) {
    line.append(value.data(), value.size());
    return;
  }
  line.push_back('"');
  for (char c : value) {
    if (c == '"' || c == '\\') {
      line.push_back('\\');
      line.push_back(c);
    } else if (c == '\n') {
      line.append("\\n");
    } else {
      line.push_back(c);
    }
  }
  line.push_back('"');
}

// A JSON string: '"' and '\\' escaped, control characters as \u00XX,
// everything else (UTF-8 Thai included) as it is.
void AppendJsonString(std::string& line, absl::string_view value) {
  line.push_back('"');
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      line.push_back('\\');
      line.push_back(c);
    } else if (byte < 0x20) {
      absl::StrAppend(&line, absl::StrFormat("\\u%04x", byte));
    } else {
      line.push_back(c);
    }
  }
  line.push_back('"');
}

std::string TimeText() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                          absl::UTCTimeZone());
}

std::string JsonLine(Level level, absl::string_view event,
                     std::initializer_list<Field> fields) {
  std::string line = "{\"time\":";
  AppendJsonString(line, TimeText());
  line.append(",\"level\":");
  AppendJsonString(line, LevelName(level));
  line.append(",\"event\":");
  AppendJsonString(line, event);
  for (const Field& field : fields) {
    line.push_back(',');
    AppendJsonString(line, field.first);
    line.push_back(':');
    AppendJsonString(line, field.second);
  }
  line.append("}\n");
  return line;
}

std::string TextLine(Level level, absl::string_view event,
                     std::initializer_list<Field> fields) {
  std::string line =
      absl::StrCat(TimeText(), " ", LevelName(level), " ", event);
  for (const Field& field : fields) {
    absl::StrAppend(&line, " ", field.first, "=");
    AppendValue(line, field.second);
  }
  line.push_back('\n');
  return line;
}

}  // namespace

void Write(Level level, absl::string_view event,
           std::initializer_list<Field> fields) {
  if (level < min_level.load(std::memory_order_relaxed)) return;
  const std::string line =
      format.load(std::memory_order_relaxed) == Format::kJson
          ? JsonLine(level, event, fields)
          : TextLine(level, event, fields);
  // One fwrite per line keeps concurrent lines whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void SetMinLevel(Level level) { min_level.store(level); }

void SetFormat(Format new_format) { format.store(new_format); }

void SetOkSampling(int every) { ok_sampling.store(every < 1 ? 1 : every); }

absl::Status Configure(absl::string_view new_format, int ok_every) {
  if (new_format != "text" && new_format != "json") {
    return absl::InvalidArgumentError(
        "log_format: must be \"text\" or \"json\"");
  }
  if (ok_every < 1) {
    return absl::InvalidArgumentError("log_ok_every: must be at least 1");
  }
  SetFormat(new_format == "json" ? Format::kJson : Format::kText);
  SetOkSampling(ok_every);
  return absl::OkStatus();
}

bool SampleOk() {
  const int every = ok_sampling.load(std::memory_order_relaxed);
  return every == 1 ||
         ok_calls.fetch_add(1, std::memory_order_relaxed) % every == 0;
}

}  // namespace prongsai::log
