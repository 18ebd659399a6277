// ParseRedisUrl: the two URL forms a service accepts for its cache.

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/base/validation.h"
#include "common/cache/redis.h"

namespace prongsai::cache {
namespace {

// Every message names the field, never the URL: it may hold the password.
absl::Status BadUrl(absl::string_view reason) {
  return InvalidField("redis_url", reason);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(absl::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      decoded.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = HexDigit(text[i + 1]);
    const int low = HexDigit(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    decoded.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return decoded;
}

absl::StatusOr<int> ParseDb(absl::string_view text) {
  int db = 0;
  if (text.empty() || !absl::ascii_isdigit(text.front()) ||
      !absl::SimpleAtoi(text, &db)) {
    return BadUrl("database must be a number from 0");
  }
  return db;
}

absl::StatusOr<RedisOptions> ParseUnixUrl(absl::string_view rest) {
  RedisOptions options;
  absl::string_view path = rest;
  absl::string_view query;
  if (const size_t question = rest.find('?'); question != rest.npos) {
    path = rest.substr(0, question);
    query = rest.substr(question + 1);
  }
  if (path.size() < 2 || path[0] != '/') {
    return BadUrl("unix:// needs an absolute socket path");
  }
  options.unix_socket = std::string(path);
  if (!query.empty()) {
    for (absl::string_view parameter : absl::StrSplit(query, '&')) {
      if (!absl::ConsumePrefix(&parameter, "db=") || parameter.empty()) {
        return BadUrl("the only unix:// parameter is db=N");
      }
      absl::StatusOr<int> db = ParseDb(parameter);
      if (!db.ok()) return db.status();
      options.db = *db;
    }
  }
  return options;
}

absl::StatusOr<RedisOptions> ParseTcpUrl(absl::string_view rest) {
  RedisOptions options;
  absl::string_view authority = rest;
  absl::string_view path;
  if (const size_t slash = rest.find('/'); slash != rest.npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }

  if (const size_t at = authority.rfind('@'); at != authority.npos) {
    absl::string_view user_info = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (!absl::ConsumePrefix(&user_info, ":")) {
      return BadUrl("user names are not supported; use redis://:password@host");
    }
    std::optional<std::string> password = PercentDecode(user_info);
    if (!password.has_value()) return BadUrl("bad %-escape in the password");
    options.password = *std::move(password);
  }

  // The port text, when the authority has one.
  std::optional<absl::string_view> port;
  if (absl::ConsumePrefix(&authority, "[")) {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == authority.npos) return BadUrl("unclosed '[' in the host");
    options.host = std::string(authority.substr(0, close));
    absl::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!absl::ConsumePrefix(&after, ":")) {
        return BadUrl("unexpected text after the host");
      }
      port = after;
    }
  } else {
    const size_t colon = authority.find(':');
    options.host = std::string(authority.substr(0, colon));
    if (colon != authority.npos) port = authority.substr(colon + 1);
  }
  if (options.host.empty()) return BadUrl("host is missing");
  if (port.has_value()) {
    if (port->empty() || !absl::ascii_isdigit(port->front()) ||
        !absl::SimpleAtoi(*port, &options.port) || options.port < 1 ||
        options.port > 65535) {
      return BadUrl("port must be a number from 1 to 65535");
    }
  }

  if (!path.empty()) {
    absl::StatusOr<int> db = ParseDb(path);
    if (!db.ok()) return db.status();
    options.db = *db;
  }
  return options;
}

}  // namespace

absl::StatusOr<RedisOptions> ParseRedisUrl(absl::string_view url) {
  if (absl::ConsumePrefix(&url, "unix://")) return ParseUnixUrl(url);
  if (absl::ConsumePrefix(&url, "redis://")) return ParseTcpUrl(url);
  return BadUrl("must start with redis:// or unix://");
}

}  // namespace prongsai::cache
