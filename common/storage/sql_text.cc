#include "common/storage/sql_text.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/base/validation.h"

namespace prongsai::storage {
namespace internal {
namespace {

// Where the passwords are in `url`: the user-info one and any `password=`
// query parameters, as (offset, length) pairs in ascending order.
std::vector<std::pair<size_t, size_t>> PasswordSpans(absl::string_view url) {
  std::vector<std::pair<size_t, size_t>> spans;
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return spans;
  const size_t authority = scheme_end + 3;
  const size_t query = url.find('?', authority);
  const size_t limit = query == absl::string_view::npos ? url.size() : query;
  // The last '@' before the query ends the user info even when an unencoded
  // '/' or '@' sneaked into the password.
  const size_t at = url.substr(0, limit).rfind('@');
  if (at != absl::string_view::npos && at >= authority) {
    const size_t colon = url.find(':', authority);
    if (colon < at) spans.emplace_back(colon + 1, at - colon - 1);
  }
  if (query == absl::string_view::npos) return spans;
  size_t start = query + 1;
  while (start <= url.size()) {
    size_t end = url.find('&', start);
    if (end == absl::string_view::npos) end = url.size();
    absl::string_view param = url.substr(start, end - start);
    constexpr absl::string_view kKey = "password=";
    if (param.size() >= kKey.size() &&
        absl::EqualsIgnoreCase(param.substr(0, kKey.size()), kKey)) {
      spans.emplace_back(start + kKey.size(), param.size() - kKey.size());
    }
    start = end + 1;
  }
  return spans;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

std::string PercentDecode(absl::string_view text) {
  std::string decoded;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        absl::ascii_isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        absl::ascii_isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      decoded.push_back(static_cast<char>(HexDigit(text[i + 1]) * 16 +
                                          HexDigit(text[i + 2])));
      i += 2;
    } else {
      decoded.push_back(text[i]);
    }
  }
  return decoded;
}

}  // namespace

absl::StatusOr<RewrittenSql> RewritePlaceholders(absl::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 8);
  bool statement_ended = false;
  const auto more_than_one = [] {
    return absl::InvalidArgumentError(
        "storage: Execute takes one statement; use ExecuteScript for several");
  };
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '-' && next == '-') {
      size_t end = sql.find('\n', i);
      if (end == absl::string_view::npos) end = sql.size();
      absl::StrAppend(&out.sql, sql.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '/' && next == '*') {
      size_t end = sql.find("*/", i + 2);
      end = end == absl::string_view::npos ? sql.size() : end + 2;
      absl::StrAppend(&out.sql, sql.substr(i, end - i));
      i = end;
      continue;
    }
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == ';') {
      if (c == ';') statement_ended = true;
      out.sql.push_back(c);
      ++i;
      continue;
    }
    if (statement_ended) return more_than_one();
    if (c == '\'' || c == '"') {
      // A doubled quote inside continues the literal or identifier.
      size_t end = i + 1;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            end += 2;
            continue;
          }
          ++end;
          break;
        }
        ++end;
      }
      absl::StrAppend(&out.sql, sql.substr(i, end - i));
      i = end;
      continue;
    }
    if (c == '?') {
      absl::StrAppend(&out.sql, "$", ++out.placeholders);
    } else {
      out.sql.push_back(c);
    }
    ++i;
  }
  return out;
}

absl::Status CheckParams(absl::Span<const Value> params, int placeholders) {
  if (params.size() != static_cast<size_t>(placeholders)) {
    return absl::InvalidArgumentError(
        absl::StrCat("storage: statement has ", placeholders,
                     " placeholders but ", params.size(), " parameters"));
  }
  for (size_t i = 0; i < params.size(); ++i) {
    const auto* text = std::get_if<std::string>(&params[i]);
    if (text == nullptr) continue;
    if (text->find('\0') != std::string::npos ||
        !Utf8Length(*text).has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "storage: parameter ", i + 1,
          " is not UTF-8 text without NUL bytes; encode bytes as hex or "
          "base64"));
    }
  }
  return absl::OkStatus();
}

std::string UrlPassword(absl::string_view url) {
  std::vector<std::pair<size_t, size_t>> spans = PasswordSpans(url);
  if (spans.empty()) return "";
  return std::string(url.substr(spans.front().first, spans.front().second));
}

std::string ScrubPassword(std::string message, absl::string_view url) {
  for (const auto& [offset, length] : PasswordSpans(url)) {
    if (length == 0) continue;
    const std::string raw(url.substr(offset, length));
    const std::string decoded = PercentDecode(raw);
    message = absl::StrReplaceAll(message, {{raw, "***"}});
    if (!decoded.empty()) {
      message = absl::StrReplaceAll(message, {{decoded, "***"}});
    }
  }
  return message;
}

}  // namespace internal

std::string RedactUrl(absl::string_view url) {
  std::string redacted;
  size_t copied = 0;
  for (const auto& [offset, length] : internal::PasswordSpans(url)) {
    absl::StrAppend(&redacted, url.substr(copied, offset - copied), "***");
    copied = offset + length;
  }
  absl::StrAppend(&redacted, url.substr(copied));
  return redacted;
}

}  // namespace prongsai::storage
