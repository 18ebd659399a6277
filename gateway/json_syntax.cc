#include "gateway/json_syntax.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace prongsai::gateway {
namespace {

class Checker {
 public:
  explicit Checker(absl::string_view text) : text_(text) {}

  absl::Status Run() {
    SkipSpace();
    if (!Value(0)) return Error();
    SkipSpace();
    if (at_ != text_.size()) {
      expected_ = "the end of the body";
      return Error();
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error() const {
    return absl::InvalidArgumentError(absl::StrCat(
        "body: not valid JSON at byte ", at_, ": expected ", expected_));
  }

  bool Fail(absl::string_view expected) {
    expected_ = expected;
    return false;
  }

  void SkipSpace() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' ||
                                  text_[at_] == '\n' || text_[at_] == '\r')) {
      ++at_;
    }
  }

  bool Peek(char c) const { return at_ < text_.size() && text_[at_] == c; }

  bool Literal(absl::string_view word) {
    if (text_.substr(at_, word.size()) != word) return Fail("a value");
    at_ += word.size();
    return true;
  }

  bool Value(int depth) {
    if (at_ >= text_.size()) return Fail("a value");
    // `depth` objects and arrays hold this value.
    const bool container = text_[at_] == '{' || text_[at_] == '[';
    if (container && depth >= kMaxJsonDepth) return Fail("less nesting");
    switch (text_[at_]) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

  bool Object(int depth) {
    ++at_;  // '{'
    SkipSpace();
    if (Peek('}')) {
      ++at_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (!Peek('"')) return Fail("a quoted member name");
      if (!String()) return false;
      SkipSpace();
      if (!Peek(':')) return Fail("':'");
      ++at_;
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (Peek('}')) {
        ++at_;
        return true;
      }
      if (!Peek(',')) return Fail("',' or '}'");
      ++at_;
    }
  }

  bool Array(int depth) {
    ++at_;  // '['
    SkipSpace();
    if (Peek(']')) {
      ++at_;
      return true;
    }
    while (true) {
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (Peek(']')) {
        ++at_;
        return true;
      }
      if (!Peek(',')) return Fail("',' or ']'");
      ++at_;
    }
  }

  bool String() {
    ++at_;  // '"'
    while (at_ < text_.size()) {
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '"') {
        ++at_;
        return true;
      }
      if (c < 0x20) return Fail("no control character inside a string");
      if (c == '\\') {
        ++at_;
        if (at_ >= text_.size()) break;
        const char escaped = text_[at_];
        if (escaped == 'u') {
          for (int i = 1; i <= 4; ++i) {
            if (at_ + i >= text_.size() ||
                !absl::ascii_isxdigit(
                    static_cast<unsigned char>(text_[at_ + i]))) {
              return Fail("four hex digits after \\u");
            }
          }
          at_ += 4;
        } else if (absl::string_view("\"\\/bfnrt").find(escaped) ==
                   absl::string_view::npos) {
          return Fail("a valid escape");
        }
      }
      ++at_;
    }
    return Fail("the closing '\"'");
  }

  bool Digits() {
    const size_t start = at_;
    while (at_ < text_.size() &&
           absl::ascii_isdigit(static_cast<unsigned char>(text_[at_]))) {
      ++at_;
    }
    return at_ > start;
  }

  bool Number() {
    if (Peek('-')) ++at_;
    if (Peek('0')) {
      ++at_;
    } else if (!Digits()) {
      return Fail("a value");
    }
    if (Peek('.')) {
      ++at_;
      if (!Digits()) return Fail("digits after '.'");
    }
    if (Peek('e') || Peek('E')) {
      ++at_;
      if (Peek('+') || Peek('-')) ++at_;
      if (!Digits()) return Fail("digits in the exponent");
    }
    return true;
  }

  absl::string_view text_;
  size_t at_ = 0;
  absl::string_view expected_;
};

}  // namespace

absl::Status CheckJsonSyntax(absl::string_view text) {
  return Checker(text).Run();
}

}  // namespace prongsai::gateway
