#include "common/base/log.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace prongsai::log {
namespace {

std::atomic<Level> min_level{Level::kInfo};

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

}  // namespace

void Write(Level level, absl::string_view event,
           std::initializer_list<Field> fields) {
  if (level < min_level.load(std::memory_order_relaxed)) return;
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   " ", LevelName(level), " ", event);
  for (const Field& field : fields) {
    absl::StrAppend(&line, " ", field.first, "=");
    AppendValue(line, field.second);
  }
  line.push_back('\n');
  // One fwrite per line keeps concurrent lines whole.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void SetMinLevel(Level level) { min_level.store(level); }

}  // namespace prongsai::log
